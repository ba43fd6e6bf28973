r"""Kaplan-Meier survival (overall or by group), landmark survival, the log-rank and
Fleming-Harrington tests, as R's ``survival`` package computes them, and the Cox
proportional hazards model (fitted by statsmodels).

Kaplan-Meier
------------
At each distinct time :math:`t_i` with :math:`n_i` patients at risk and :math:`d_i` deaths,

.. math::

   \hat S(t) = \prod_{t_i \le t} \left(1 - \frac{d_i}{n_i}\right), \qquad
   \widehat{\operatorname{Var}}\{\log \hat S(t)\} =
   \sum_{t_i \le t} \frac{d_i}{n_i (n_i - d_i)} \quad \text{(Greenwood)} .

With :math:`s = \operatorname{se}\{\log \hat S\}` and :math:`z` the normal quantile, the
confidence intervals are (R ``survfit``'s ``conf.type``):

- ``"log"`` (R's default): :math:`\hat S \exp(\pm z s)`, the upper limit capped at 1;
- ``"log-log"`` (lifelines' and SAS's default): :math:`\hat S^{\exp(\pm z s / \log \hat S)}`,
  undefined where :math:`\hat S` is 0 or 1;
- ``"plain"``: :math:`\hat S \pm z \hat S s`, clipped to [0, 1].

At :math:`\hat S = 0` the interval is undefined (NaN), as in R. ``std_err`` is the standard
error of :math:`\hat S` itself, :math:`\hat S s`, as R's ``summary.survfit`` reports it.
The median is the first time with :math:`\hat S \le 0.5`; when the curve is exactly 0.5 on
an interval, the midpoint of that interval (R's rule).

Log-rank test
-------------
For :math:`k` groups, observed minus expected deaths :math:`O - E` and their covariance
:math:`V` summed over the distinct death times (hypergeometric variance) give
:math:`\chi^2 = (O - E)^\top V^{-} (O - E)` on :math:`k - 1` degrees of freedom, as R's
``survdiff`` (``rho = 0``). With ``rho`` > 0 each death time is weighted by the pooled
Kaplan-Meier estimate just before it, :math:`\hat S(t-)^\rho` (the Fleming-Harrington
:math:`G^\rho` family; ``rho = 1`` is the Peto-Peto test), as ``survdiff(..., rho = )``.

Cox model
---------
:func:`cox_ph` maximises the partial likelihood with statsmodels' ``PHReg`` (Efron or
Breslow ties); this module codes the covariates, drops incomplete rows and computes the
hazard ratios, their limits and the likelihood-ratio, Wald and score tests, checked against
R's ``coxph``.

References
----------
- Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat
  Assoc 1958;53:457-81. doi:10.1080/01621459.1958.10501452.
- Greenwood M. The natural duration of cancer. Reports on Public Health and Medical
  Subjects 1926;33:1-26.
- Mantel N. Evaluation of survival data and two new rank order statistics arising in its
  consideration. Cancer Chemother Rep 1966;50:163-70. PMID 5910392.
- Harrington DP, Fleming TR. A class of rank test procedures for censored survival data.
  Biometrika 1982;69:553-66. doi:10.1093/biomet/69.3.553.
- Cox DR. Regression models and life-tables. J R Stat Soc B 1972;34:187-220.
  doi:10.1111/j.2517-6161.1972.tb00899.x.
- Efron B. The efficiency of Cox's likelihood function for censored data. J Am Stat Assoc
  1977;72:557-65. doi:10.1080/01621459.1977.10480613.
- Breslow N. Covariance analysis of censored survival data. Biometrics 1974;30:89-99.
  doi:10.2307/2529620.
- Seabold S, Perktold J. statsmodels: econometric and statistical modeling with Python.
  Proc 9th Python in Science Conf 2010. doi:10.25080/Majora-92bf1922-011.
- Therneau TM. A Package for Survival Analysis in R (``survival``), ``survfit`` and
  ``survdiff``; Therneau TM, Grambsch PM. Modeling Survival Data. Springer 2000.
  doi:10.1007/978-1-4757-3294-8.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._result import ResultMixin, renamed
from .._validation import FailureCollector, as_float_array, check_open_unit
from ..errors import OutOfRangeError, SchemaError

__all__ = [
    "CONF_TYPES",
    "COX_TIES",
    "CoxPH",
    "KaplanMeier",
    "LogRank",
    "cox_ph",
    "kaplan_meier",
    "logrank",
]

FloatArray = npt.NDArray[np.float64]
ConfType = Literal["log", "log-log", "plain"]
#: Confidence interval transforms, as R's ``conf.type``.
CONF_TYPES: Final[tuple[str, ...]] = ("log", "log-log", "plain")
_TOLERANCE: Final = math.sqrt(np.finfo(float).eps)  # R's all.equal tolerance, used by minmin


def _inputs(
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    group: npt.ArrayLike | None = None,
) -> tuple[FloatArray, FloatArray, npt.NDArray[Any] | None]:
    """Checked ``(time, event, group)``; rows with a missing group are kept here (the
    callers leave them out and count them as ``dropped``)."""
    t_raw = np.asarray(time, dtype=object).ravel()
    t_text = np.fromiter((isinstance(v, str) for v in t_raw), dtype=bool, count=t_raw.size)
    t = np.where(  # "3" is text, not a time
        t_text, np.nan, np.asarray(pd.to_numeric(pd.Series(t_raw), errors="coerce"), dtype=float)
    )
    e_raw = np.asarray(event, dtype=object).ravel()
    e = np.asarray(pd.to_numeric(pd.Series(e_raw), errors="coerce"), dtype=np.float64)
    if t.size != e.size:
        raise SchemaError(f"time has {t.size} values but event has {e.size}; they must match")
    g = None
    if group is not None:
        g = np.asarray(group, dtype=object).ravel()
        if g.size != t.size:
            raise SchemaError(f"time has {t.size} values but group has {g.size}")
    frame = pd.DataFrame({"time": t, "event": e})
    collector = FailureCollector(frame)
    collector.add(t_text, "time", t_raw, "is text, not a number of days", schema=True)
    collector.add(np.isnan(t) & ~t_text, "time", t, "is missing or not a number", schema=True)
    with np.errstate(invalid="ignore"):
        collector.add(
            ~np.isnan(t) & ((t < 0) | np.isinf(t)),
            "time",
            t,
            "is outside 0..inf (days since the index date)",
        )
        collector.add(
            np.isnan(e) | ((e != 0) & (e != 1)),
            "event",
            e_raw,
            "is not 0/1 (1 = died, 0 = censored)",
        )
    collector.raise_if_failed("survival data")
    if t.size == 0:
        raise SchemaError("survival data is empty")
    return t, e, g


def _group_codes(g: npt.NDArray[Any]) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.intp]]:
    """Group labels (as text, in sorted order) and each row's code.

    Labels are compared as text (``1`` and ``"1"`` are one group); they are sorted as
    numbers when every label is a number (so ``2`` comes before ``10``, as R orders a
    numeric grouping variable), else as text.
    """
    text = np.array([str(v) for v in g], dtype=str) if g.size else np.array([], dtype=str)
    labels = np.unique(text)
    numeric = all(isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) for v in g)
    if numeric and labels.size > 1:
        first = {lab: v for v, lab in zip(g, text, strict=True)}
        labels = np.array(sorted(labels, key=lambda lab: float(first[lab])), dtype=str)
    position = {lab: i for i, lab in enumerate(labels)}
    codes = np.fromiter((position[v] for v in text), dtype=np.intp, count=text.size)
    return labels, codes


def _drop_missing_groups(
    t: FloatArray, e: FloatArray, g: npt.NDArray[Any]
) -> tuple[FloatArray, FloatArray, npt.NDArray[Any], int]:
    """Leave out the rows whose group is missing (R's ``na.omit``); return how many."""
    missing = np.asarray(pd.isna(pd.Series(g, dtype=object)).to_numpy(), dtype=bool)
    keep = ~missing
    if not keep.any():
        raise SchemaError(f"group is missing for all {g.size} patients; nothing to compare")
    return t[keep], e[keep], g[keep], int(missing.sum())


def _z(conf_level: float) -> float:
    check_open_unit("conf_level", conf_level)
    # scipy.stats is imported where it is used: importing sscoutcomes must stay light
    from scipy import stats

    return float(stats.norm.ppf(1 - (1 - conf_level) / 2))


def _confint(
    s: FloatArray, se_log: FloatArray, conf_type: str, z: float
) -> tuple[FloatArray, FloatArray]:
    """R's ``survfit_confint`` for the three transforms."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "log":
            xx = np.where(s == 0, np.nan, s)
            lower = np.exp(np.log(xx) - z * se_log)
            upper = np.minimum(np.exp(np.log(xx) + z * se_log), 1.0)
        elif conf_type == "log-log":
            xx = np.where((s == 0) | (s == 1), np.nan, s)
            ll = np.log(-np.log(xx))
            upper = np.exp(-np.exp(ll + z * se_log / np.log(xx)))
            lower = np.exp(-np.exp(ll - z * se_log / np.log(xx)))
        elif conf_type == "plain":
            half = z * se_log * s
            lower = np.maximum(s - half, 0.0)
            upper = np.minimum(s + half, 1.0)
        else:
            raise SchemaError(
                f"conf_type = {conf_type!r} is not one of {', '.join(map(repr, CONF_TYPES))}"
            )
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def _minmin(y: FloatArray, x: FloatArray) -> float:
    """R ``survival``'s median rule: first x with y <= 0.5; midpoint on a flat 0.5 stretch."""
    keep = ~np.isnan(y) & (y < 0.5 + _TOLERANCE)
    if not keep.any():
        return math.nan
    xs, ys = x[keep], y[keep]
    if abs(ys[0] - 0.5) < _TOLERANCE and (ys < ys[0]).any():
        return float((xs[0] + xs[np.flatnonzero(ys < ys[0])[0]]) / 2.0)
    return float(xs[0])


def _km_table(t: FloatArray, e: FloatArray, conf_type: str, z: float) -> pd.DataFrame:
    """The product-limit table of one group (times sorted here)."""
    order = np.argsort(t, kind="stable")
    t, e = t[order], e[order]
    times, first = np.unique(t, return_index=True)
    n_at = t.size - first  # at risk at each distinct time
    deaths = np.add.reduceat(e, first) if t.size else np.zeros(0)
    counts = np.diff(np.append(first, t.size))
    censor = counts - deaths
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.asarray(np.cumprod(1.0 - deaths / n_at), dtype=np.float64)
        terms = np.where(deaths > 0, deaths / (n_at * (n_at - deaths)), 0.0)
        var_log = np.cumsum(terms)
        se_log = np.asarray(np.sqrt(var_log), dtype=np.float64)
        std_err = np.where(s == 0, np.nan, s * se_log)
    lower, upper = _confint(s, se_log, conf_type, z)
    return pd.DataFrame(
        {
            "time": times,
            "n_risk": n_at.astype(np.int64),
            "n_event": deaths.astype(np.int64),
            "n_censor": censor.astype(np.int64),
            "survival": s,
            "std_err": std_err,
            "lower": lower,
            "upper": upper,
        }
    )


def _landmarks(t: pd.DataFrame, at: FloatArray) -> pd.DataFrame:
    """Survival, its limits and the number at risk of one group's table at ``at``."""
    tt = t["time"].to_numpy(float)
    idx = np.searchsorted(tt, at, side="right") - 1
    cols = {}
    for name in ("survival", "std_err", "lower", "upper"):
        values = t[name].to_numpy(float)
        before = 1.0 if name in ("survival", "lower", "upper") else 0.0
        cols[name] = np.where(idx >= 0, values[np.maximum(idx, 0)], before)
    last_time = tt[-1] if tt.size else -math.inf
    last_s = t["survival"].iloc[-1] if tt.size else 1.0
    beyond = at > last_time
    if last_s > 0:
        for name in cols:
            cols[name] = np.where(beyond, np.nan, cols[name])
    # at risk at t: everyone whose time is >= t
    n0 = int(t["n_risk"].iloc[0]) if tt.size else 0
    removed = np.concatenate([[0], np.cumsum((t["n_event"] + t["n_censor"]).to_numpy())])
    first_ge = np.searchsorted(tt, at, side="left")
    n_risk = n0 - removed[first_ge]
    return pd.DataFrame({"time": at, "n_risk": n_risk.astype(np.int64), **cols})


@attrs.frozen(kw_only=True)
class KaplanMeier(ResultMixin):
    """A Kaplan-Meier estimate (:func:`kaplan_meier`), of one group or of several.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per distinct time (deaths or censorings): ``time``, ``n_risk``,
        ``n_event``, ``n_censor``, ``survival``, ``std_err`` (of the survival estimate, as
        R's ``summary.survfit``), ``lower``, ``upper``. A grouped fit has a first column
        ``group`` and every group's rows, groups in the order of :attr:`groups`.
    conf_type : str
        The confidence interval transform.
    conf_level : float
        The confidence level.
    groups : tuple of str
        The group labels in sorted order (as text); empty for an ungrouped fit.
    n_dropped : int
        Patients left out because their group was missing (R's ``na.omit``; R's
        ``survfit`` says so in its printout as "n observations deleted due to
        missingness"); 0 for an ungrouped fit.
    """

    table: pd.DataFrame = attrs.field(repr=False)
    conf_type: str
    conf_level: float
    groups: tuple[str, ...] = ()
    n_dropped: int = 0

    @property
    def grouped(self) -> bool:
        """Whether the fit has one curve per group."""
        return bool(self.groups)

    def _group_table(self, group: object) -> pd.DataFrame:
        if not self.grouped:
            raise SchemaError(
                f"group = {group!r} was given, but this Kaplan-Meier fit has no groups; "
                "fit with kaplan_meier(time, event, group=...)"
            )
        label = str(group)
        if label not in self.groups:
            raise SchemaError(
                f"group = {group!r} is not one of the fitted groups "
                f"{', '.join(map(repr, self.groups))}"
            )
        rows = self.table[self.table["group"] == label]
        return rows.drop(columns="group").reset_index(drop=True)

    def _tables(self) -> list[tuple[str | None, pd.DataFrame]]:
        if not self.grouped:
            return [(None, self.table)]
        return [(g, self._group_table(g)) for g in self.groups]

    def _ungrouped(self, what: str) -> pd.DataFrame:
        if self.grouped:
            raise SchemaError(
                f"a grouped Kaplan-Meier fit has one {what} per group: read .summary, or "
                "fit one group"
            )
        return self.table

    @property
    def n(self) -> int:
        """Number of patients (of every group; those with a missing group not counted)."""
        return sum(int(t["n_risk"].iloc[0]) for _, t in self._tables() if len(t))

    @property
    def n_events(self) -> int:
        """Number of deaths."""
        return int(self.table["n_event"].sum())

    @property
    def median(self) -> float:
        """Median survival time (NaN when the curve never reaches 0.5), R's rule.

        Raises
        ------
        SchemaError
            On a grouped fit (one median per group: see :attr:`summary`).
        """
        return _median(self._ungrouped("median"))[0]

    @property
    def median_ci(self) -> tuple[float, float]:
        """Confidence limits of the median from the limits of the curve (as R prints
        ``0.95LCL`` and ``0.95UCL``).

        Raises
        ------
        SchemaError
            On a grouped fit (see :attr:`summary`).
        """
        _, lo, hi = _median(self._ungrouped("median"))
        return lo, hi

    @property
    def summary(self) -> pd.DataFrame:
        """One row per group (one row when ungrouped), as R prints a ``survfit``: ``group``
        (grouped fits only), ``n``, ``n_event``, ``median``, ``lower``, ``upper`` (the
        median's confidence limits).

        Examples
        --------
        >>> from sscoutcomes import kaplan_meier
        >>> km = kaplan_meier([5, 8, 9, 12, 13, 23], [1, 1, 1, 1, 0, 1], group=list("bababa"))
        >>> km.summary[["group", "n", "n_event", "median"]]
          group  n  n_event  median
        0     a  3        3    12.0
        1     b  3        2     9.0
        """
        rows = []
        for g, t in self._tables():
            median, lo, hi = _median(t)
            row: dict[str, Any] = {} if g is None else {"group": g}
            row |= {
                "n": int(t["n_risk"].iloc[0]) if len(t) else 0,
                "n_event": int(t["n_event"].sum()),
                "median": median,
                "lower": lo,
                "upper": hi,
            }
            rows.append(row)
        return pd.DataFrame(rows)

    def survival_at(
        self, times: Sequence[float] | npt.ArrayLike, group: object = None
    ) -> pd.DataFrame:
        """Landmark survival: the step function and its limits at the given times.

        Before the first time the survival is 1; after the last observed time it is
        unknown (NaN) unless it has already reached 0.

        Parameters
        ----------
        times : array_like
            Times (same unit as the fit's times).
        group : optional
            On a grouped fit, the group whose curve is read (its label, or a value whose
            text is the label). Left out on a grouped fit: every group, one after the
            other, in the order of :attr:`groups`.

        Returns
        -------
        pandas.DataFrame
            ``time``, ``n_risk`` (patients with follow-up >= the time), ``survival``,
            ``std_err``, ``lower``, ``upper``; a grouped fit has a first column ``group``.

        Raises
        ------
        SchemaError
            ``times`` not numbers; ``group`` given on an ungrouped fit or not one of the
            fitted groups.

        Examples
        --------
        >>> from sscoutcomes.analysis.survival import kaplan_meier
        >>> km = kaplan_meier([9, 13, 13, 18, 23], [1, 1, 0, 1, 1])
        >>> km.survival_at([0, 10, 13]).round(4)["survival"].tolist()
        [1.0, 0.8, 0.6]
        >>> by_arm = kaplan_meier([5, 8, 9, 12, 13, 23], [1, 1, 1, 1, 0, 1],
        ...                       group=["b", "a", "b", "a", "b", "a"])
        >>> by_arm.survival_at([10], group="a")[["group", "time", "survival"]].round(4)
          group  time  survival
        0     a  10.0    0.6667
        >>> by_arm.survival_at([10])[["group", "survival"]].round(4)
          group  survival
        0     a    0.6667
        1     b    0.3333
        """
        at = as_float_array(times, "times").ravel()
        if np.isnan(at).any():
            raise SchemaError("survival_at times must be numbers")
        if group is not None:
            frame = _landmarks(self._group_table(group), at)
            frame.insert(0, "group", str(group))
            return frame
        if not self.grouped:
            return _landmarks(self.table, at)
        parts = []
        for g, t in self._tables():
            part = _landmarks(t, at)
            part.insert(0, "group", g)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    def __repr__(self) -> str:
        dropped = f", dropped={self.n_dropped}" if self.n_dropped else ""
        if self.grouped:
            return (
                f"KaplanMeier(groups={list(self.groups)!r}, n={self.n}, events={self.n_events}"
                f"{dropped}, conf_type={self.conf_type!r})"
            )
        median = self.median
        return (
            f"KaplanMeier(n={self.n}, events={self.n_events}, median="
            f"{'NA' if math.isnan(median) else f'{median:g}'}, conf_type={self.conf_type!r})"
        )

    def _repr_html_(self) -> str:
        return f"<p>{self!r}</p>" + self.table.to_html(index=False)


def _median(t: pd.DataFrame) -> tuple[float, float, float]:
    """Median and its limits of one group's table (R's rule, :func:`_minmin`)."""
    events = t[t["n_event"] > 0]
    times = events["time"].to_numpy(float)
    return (
        _minmin(events["survival"].to_numpy(float), times),
        _minmin(events["lower"].to_numpy(float), times),
        _minmin(events["upper"].to_numpy(float), times),
    )


def kaplan_meier(
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    group: npt.ArrayLike | None = None,
    conf_type: ConfType = "log",
    conf_level: float = 0.95,
) -> KaplanMeier:
    """Kaplan-Meier estimate with Greenwood confidence intervals, equal to R's ``survfit``.

    Parameters
    ----------
    time : array_like
        Follow-up time of each patient (e.g. days from the index date to death or last
        contact), >= 0.
    event : array_like
        1 (or True) when the patient died at ``time``, 0 when censored.
    group : array_like, optional
        Group label of each patient (e.g. the arm or the cutaneous subset): one curve per
        group, as R's ``survfit(Surv(time, event) ~ group)``. Labels are compared as text
        and sorted (as numbers when they all are). Patients whose group is missing (None,
        NaN, ``pd.NA``) are left out and counted in ``n_dropped``, as R's ``na.omit``.
    conf_type : {"log", "log-log", "plain"}
        Confidence interval transform; ``"log"`` is R's default.
    conf_level : float
        Confidence level.

    Returns
    -------
    KaplanMeier
        Without ``group``, one curve (``table`` as before); with ``group``, a ``table``
        with a first column ``group`` holding every group's rows.

    Raises
    ------
    SchemaError
        Lengths differ, missing or non-numeric times, an unknown ``conf_type``, every
        group missing.
    OutOfRangeError
        Negative times, events other than 0/1; every failing row is in ``failure_cases``.

    Notes
    -----
    The product-limit estimate (Kaplan and Meier 1958, doi:10.1080/01621459.1958.10501452)
    with Greenwood's variance; see the module documentation for the formulas and the
    confidence interval transforms.

    Examples
    --------
    >>> from sscoutcomes import kaplan_meier
    >>> # R: survfit(Surv(time, status) ~ 1, data = aml[aml$x == "Maintained", ])
    >>> km = kaplan_meier([9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
    ...                   [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0])
    >>> km.median
    31.0
    >>> km.table.loc[km.table["n_event"] > 0, "survival"].round(3).tolist()
    [0.909, 0.818, 0.716, 0.614, 0.491, 0.368, 0.184]
    >>> by = kaplan_meier([5, 8, 9, 12, 13, 23, 30], [1, 1, 1, 1, 0, 1, 1],
    ...                   group=["b", "a", "b", "a", "b", "a", None])
    >>> by.groups, by.n, by.n_dropped
    (('a', 'b'), 6, 1)
    >>> by.table[["group", "time", "n_risk", "survival"]].round(3)
      group  time  n_risk  survival
    0     a   8.0       3     0.667
    1     a  12.0       2     0.333
    2     a  23.0       1     0.000
    3     b   5.0       3     0.667
    4     b   9.0       2     0.333
    5     b  13.0       1     0.333
    """
    if not isinstance(conf_type, str) or conf_type not in CONF_TYPES:
        raise SchemaError(
            f"conf_type = {conf_type!r} is not one of {', '.join(map(repr, CONF_TYPES))}"
        )
    if isinstance(group, str) and group in CONF_TYPES:
        raise SchemaError(
            f"group = {group!r} looks like a conf_type: since groups were added, the third "
            f"argument is group; pass conf_type={group!r} by name"
        )
    z = _z(conf_level)
    t, e, g = _inputs(time, event, group)
    if g is None:
        return KaplanMeier(
            table=_km_table(t, e, conf_type, z), conf_type=conf_type, conf_level=conf_level
        )
    t, e, g, n_dropped = _drop_missing_groups(t, e, g)
    labels, codes = _group_codes(g)
    parts = []
    for i, label in enumerate(labels):
        part = _km_table(t[codes == i], e[codes == i], conf_type, z)
        part.insert(0, "group", pd.Series([str(label)] * len(part), dtype=object))
        parts.append(part)
    return KaplanMeier(
        table=pd.concat(parts, ignore_index=True),
        conf_type=conf_type,
        conf_level=conf_level,
        groups=tuple(str(label) for label in labels),
        n_dropped=n_dropped,
    )


@attrs.frozen(kw_only=True)
class LogRank(ResultMixin):
    """A log-rank test (:func:`logrank`).

    Attributes
    ----------
    statistic : float
        Chi-square statistic.
    df : int
        Degrees of freedom (groups - 1).
    p : float
        Upper tail probability of the chi-square distribution (``pvalue`` is a deprecated
        alias).
    table : pandas.DataFrame
        Per group: ``group``, ``n``, ``observed``, ``expected``, ``oe2_e`` ((O-E)^2/E) and
        ``oe2_v`` ((O-E)^2/V), as R's ``survdiff`` prints them (weighted when ``rho`` > 0).
    rho : float
        The Fleming-Harrington weight exponent (0: the log-rank test).
    n_dropped : int
        Patients left out because their group was missing.
    """

    statistic: float
    df: int
    p: float
    table: pd.DataFrame = attrs.field(repr=False)
    rho: float = 0.0
    n_dropped: int = 0

    pvalue = renamed("p", "pvalue")

    def __repr__(self) -> str:
        rho = f", rho={self.rho:g}" if self.rho else ""
        dropped = f", dropped={self.n_dropped}" if self.n_dropped else ""
        return f"LogRank(chisq={self.statistic:.4g}, df={self.df}, p={self.p:.4g}{rho}{dropped})"

    def _repr_html_(self) -> str:
        return f"<p>{self!r}</p>" + self.table.to_html(index=False)


def _quadratic_form(v: FloatArray, x: FloatArray) -> tuple[float, int]:
    """``x' V^-1 x`` and its degrees of freedom for the log-rank variance ``V``, solved as
    R's ``survdiff`` does (``solve(vv, x)``; here a Cholesky factorisation, V being
    symmetric positive definite), in O(k^3 / 3). A singular ``V`` falls back to its
    Moore-Penrose inverse and rank (eigenvalues above ``max |w| * size * eps``, the
    tolerance of :func:`numpy.linalg.pinv` and :func:`numpy.linalg.matrix_rank`)."""
    if x.size == 0:
        return 0.0, 0
    try:
        c = np.linalg.cholesky(v)
    except np.linalg.LinAlgError:
        w, q = np.linalg.eigh(v)
        keep = np.abs(w) > np.abs(w).max(initial=0.0) * max(v.shape) * np.finfo(np.float64).eps
        z = q[:, keep].T @ x
        return float(np.sum(z * z / w[keep])), int(keep.sum())
    y = _solve_lower(np.asarray(c, dtype=np.float64), x)
    return float(y @ y), int(x.size)


def _solve_lower(c: FloatArray, x: FloatArray) -> FloatArray:
    """``c^-1 x`` for a lower-triangular ``c`` (scipy's triangular solver)."""
    from scipy.linalg import solve_triangular

    return np.asarray(solve_triangular(c, x, lower=True), dtype=np.float64)


def logrank(
    time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike, rho: float = 0
) -> LogRank:
    r"""Log-rank test of equal survival in two or more groups, or its Fleming-Harrington
    :math:`G^\rho` weighted form, equal to R's ``survdiff(..., rho = rho)``.

    Parameters
    ----------
    time, event : array_like
        As in :func:`kaplan_meier`.
    group : array_like
        Group label of each patient (two or more distinct labels, compared as text).
        Patients whose group is missing are left out and counted in ``n_dropped``, as R's
        ``na.omit``.
    rho : float
        The weight exponent, >= 0: each death time counts with weight
        :math:`\hat S(t-)^\rho`, :math:`\hat S` the Kaplan-Meier estimate of all groups
        pooled, just before :math:`t`. 0 (default) is the log-rank test (Mantel 1966);
        1 is the Peto-Peto modification of the Gehan-Wilcoxon test, which weighs early
        differences more.

    Returns
    -------
    LogRank
        ``observed`` and ``expected`` in its table are the weighted sums (as R prints them
        for ``rho != 0``).

    Raises
    ------
    SchemaError
        Fewer than two groups, lengths differ, missing or non-numeric times.
    OutOfRangeError
        Negative times, events other than 0/1, ``rho`` not a finite number >= 0.

    Notes
    -----
    At each distinct death time :math:`t_i` with weight :math:`w_i = \hat S(t_i-)^\rho`,
    :math:`n_{ik}` at risk and :math:`d_{ik}` deaths in group :math:`k`,

    .. math::

       O_k - E_k = \sum_i w_i \left(d_{ik} - n_{ik} \frac{d_i}{n_i}\right), \qquad
       V_{kl} = \sum_i w_i^2 \frac{d_i (n_i - d_i)}{n_i^2 (n_i - 1)}
       \left(n_i n_{ik} \delta_{kl} - n_{ik} n_{il}\right),

    and :math:`\chi^2 = (O - E)^\top V^{-}(O - E)` on :math:`k - 1` degrees of freedom
    (Harrington and Fleming 1982, doi:10.1093/biomet/69.3.553; R ``survival``'s
    ``survdiff2.c``).

    Examples
    --------
    >>> from sscoutcomes import logrank
    >>> # R: survdiff(Surv(futime, fustat) ~ rx, data = ovarian) prints Chisq = 1.1, p = 0.3
    >>> t = [59, 115, 156, 421, 431, 448, 464, 475, 477, 563, 638, 744, 769, 770, 803, 855,
    ...      1040, 1106, 1129, 1206, 1227, 268, 329, 353, 365, 377]
    >>> d = [1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0]
    >>> rx = [1, 1, 1, 2, 1, 1, 2, 2, 1, 2, 1, 2, 2, 2, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2]
    >>> round(logrank(t, d, rx).statistic, 3)
    1.063
    >>> round(logrank(t, d, rx, rho=1).statistic, 3)  # R: survdiff(..., rho = 1)
    1.685
    """
    raw_rho: object = rho
    if isinstance(raw_rho, bool) or not isinstance(raw_rho, numbers.Real):
        raise OutOfRangeError(f"rho = {raw_rho!r} is not a number; expected a finite rho >= 0")
    if not math.isfinite(rho) or rho < 0:
        raise OutOfRangeError(f"rho = {rho!r} is outside 0..inf (the G-rho weight exponent)")
    t, e, g = _inputs(time, event, group)
    assert g is not None  # noqa: S101  (group was given)
    t, e, g, n_dropped = _drop_missing_groups(t, e, g)
    labels, codes = _group_codes(g)
    k = labels.size
    if k < 2:
        raise SchemaError(f"logrank needs at least two groups; got {k}")
    order = np.argsort(t, kind="stable")
    t, e, codes = t[order], e[order], codes[order]
    _, first = np.unique(t, return_index=True)
    # at risk per group at each distinct time: patients of the group with time >= t_i
    onehot = np.zeros((t.size, k))
    onehot[np.arange(t.size), codes] = 1.0
    at_risk_rows = np.cumsum(onehot[::-1], axis=0)[::-1]
    n_jk = at_risk_rows[first]  # (m, k)
    d_jk = np.add.reduceat(onehot * e[:, None], first, axis=0)  # deaths per time and group
    n_j = n_jk.sum(axis=1)
    d_j = d_jk.sum(axis=1)
    if rho == 0:
        w = np.ones_like(n_j)
    else:  # pooled Kaplan-Meier just before each time (left-continuous), as survdiff2.c
        s_after = np.cumprod(1.0 - d_j / n_j)
        w = np.concatenate([[1.0], s_after[:-1]]) ** float(rho)
    has = d_j > 0
    n_jk, d_jk, n_j, d_j, w = n_jk[has], d_jk[has], n_j[has], d_j[has], w[has]
    expected = (n_jk * (w * d_j / n_j)[:, None]).sum(axis=0)
    observed = (d_jk * w[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n_j > 1, w * w * d_j * (n_j - d_j) / (n_j * n_j * (n_j - 1)), 0.0)
    # V = sum_i factor_i * (n_i diag(n_ik) - n_ik n_il), as one matrix product
    v = -((n_jk * factor[:, None]).T @ n_jk)
    v[np.diag_indices(k)] += (factor * n_j) @ n_jk
    diff = observed - expected
    # as R's survdiff: the groups with an expected count, less the first of them
    idx = np.flatnonzero(expected > 0)[1:]
    statistic, df = _quadratic_form(v[np.ix_(idx, idx)], diff[idx])
    from scipy import stats

    p = float(stats.chi2.sf(statistic, df)) if df > 0 else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "group": labels.astype(object),
                "n": np.bincount(codes, minlength=k).astype(np.int64),
                "observed": observed,
                "expected": expected,
                "oe2_e": diff**2 / expected,
                "oe2_v": diff**2 / np.diag(v),
            }
        )
    return LogRank(
        statistic=statistic,
        df=df,
        p=p,
        table=table,
        rho=float(rho),
        n_dropped=n_dropped,
    )


# --- Cox proportional hazards ------------------------------------------------------------

CoxTies = Literal["efron", "breslow"]
#: Ways of handling tied death times in :func:`cox_ph` (R ``coxph``'s ``ties``).
COX_TIES: Final[tuple[str, ...]] = ("efron", "breslow")
_NUMERIC_KINDS: Final = frozenset({"integer", "floating", "mixed-integer-float", "decimal"})


def _covariate_column(
    name: str, column: pd.Series[Any]
) -> tuple[Literal["numeric", "levels"], npt.NDArray[Any], npt.NDArray[np.bool_]]:
    """One covariate as numbers or as level labels (text), and where it is missing."""
    dtype = column.dtype
    missing = np.asarray(pd.isna(column).to_numpy(), dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        raise SchemaError(
            f"covariate {name!r} holds dates or durations; give a number (e.g. days) or text"
        )
    if pd.api.types.is_complex_dtype(dtype):
        raise SchemaError(f"covariate {name!r} holds complex numbers; give real numbers or text")
    if isinstance(dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy()
        used = [c for c in range(len(dtype.categories)) if (codes == c).any()]
        order = np.array([str(dtype.categories[c]) for c in used], dtype=object)
        values = np.array(["" if m else str(v) for v, m in zip(column, missing, strict=True)])
        return "levels", np.concatenate([order, values]), missing
    kind = (
        "boolean"
        if pd.api.types.is_bool_dtype(dtype)
        else "floating"
        if pd.api.types.is_numeric_dtype(dtype)
        else pd.api.types.infer_dtype(column, skipna=True)
    )
    if kind in _NUMERIC_KINDS:
        numbers_ = pd.to_numeric(column, errors="coerce")
        values = np.asarray(numbers_.to_numpy(dtype=float, na_value=np.nan), dtype=np.float64)
        return "numeric", values, missing | np.isnan(values)
    if kind == "empty":
        return "numeric", np.full(len(column), np.nan), np.ones(len(column), dtype=bool)
    values = np.array(["" if m else str(v) for v, m in zip(column, missing, strict=True)])
    return "levels", values, missing


def _design(covariates: object, n: int) -> tuple[FloatArray, list[str], npt.NDArray[np.bool_]]:
    """The Cox design matrix of the rows kept, its term names and which rows are kept."""
    if isinstance(covariates, pd.Series):
        if covariates.name is None:
            raise SchemaError("covariates given as a Series must have a name (the term name)")
        covariates = covariates.to_frame()
    if not isinstance(covariates, pd.DataFrame):
        raise SchemaError(
            f"covariates must be a pandas DataFrame (one column per covariate); "
            f"got {type(covariates).__name__}"
        )
    names = [str(c) for c in covariates.columns]
    if not names:
        raise SchemaError("covariates has no columns; give at least one covariate")
    repeated = sorted({c for c in names if names.count(c) > 1})
    if repeated:
        raise SchemaError(f"covariates has repeated column names: {', '.join(map(repr, repeated))}")
    if len(covariates) != n:
        raise SchemaError(f"time has {n} values but covariates has {len(covariates)} rows")
    columns = []
    keep = np.ones(n, dtype=bool)
    for j, name in enumerate(names):
        kind, values, missing = _covariate_column(name, covariates.iloc[:, j])
        if kind == "numeric":
            bad = ~missing & ~np.isfinite(values.astype(float))
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise OutOfRangeError(
                    f"covariate {name!r} = {float(values[row])!r} (row {row}) is not a "
                    "finite number"
                )
        columns.append((name, kind, values))
        keep &= ~missing
    if not keep.any():
        raise SchemaError("every row has a missing covariate; nothing left to fit")
    blocks: list[FloatArray] = []
    terms: list[str] = []
    for name, kind, values in columns:
        if kind == "numeric":
            x = np.asarray(values, dtype=np.float64)[keep]
            if np.ptp(x) == 0:
                raise SchemaError(
                    f"covariate {name!r} does not vary (every patient kept has {x[0]:g}); "
                    "its hazard ratio cannot be estimated"
                )
            blocks.append(x[:, None])
            terms.append(name)
            continue
        given_order = values[: values.size - n]  # a categorical's own level order
        labels = values[values.size - n :][keep]
        present = set(labels)
        levels = (
            [lev for lev in given_order if lev in present] if given_order.size else sorted(present)
        )
        if len(levels) < 2:
            raise SchemaError(
                f"covariate {name!r} has a single value ({levels[0]!r}) among the patients "
                "kept; it cannot be compared"
            )
        for level in levels[1:]:
            blocks.append((labels == level).astype(np.float64)[:, None])
            terms.append(f"{name}[{level}]")
    x = np.hstack(blocks)
    centred = x - x.mean(axis=0)
    rank = int(np.linalg.matrix_rank(centred))
    if rank < x.shape[1]:
        raise SchemaError(
            f"the covariates are collinear (terms {', '.join(terms)} span only {rank} "
            "dimensions); leave one out"
        )
    return x, terms, keep


@attrs.frozen(kw_only=True)
class CoxPH(ResultMixin):
    """A Cox proportional hazards model (:func:`cox_ph`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per term (index ``term``): ``coef`` (log hazard ratio), ``se``, ``hr``
        (hazard ratio), ``lower``, ``upper`` (its Wald confidence limits), ``z``, ``p``.
    covariance : pandas.DataFrame
        Covariance matrix of the coefficients.
    n : int
        Patients in the model.
    n_events : int
        Deaths among them.
    n_dropped : int
        Patients left out for a missing covariate (R's ``na.omit``).
    loglik : float
        Log partial likelihood at the estimate.
    loglik_null : float
        Log partial likelihood with every coefficient 0.
    statistic, df, p
        Likelihood-ratio test of the model (every coefficient 0):
        ``2 * (loglik - loglik_null)`` on ``df`` (number of terms) degrees of freedom.
    tests : pandas.DataFrame
        The three tests of the model as R's ``summary.coxph`` prints them (index
        ``likelihood_ratio``, ``wald``, ``score``; columns ``statistic``, ``df``, ``p``).
    ties : str
        How tied death times were handled (``"efron"`` or ``"breslow"``).
    conf_level : float
        Confidence level of ``lower`` and ``upper``.
    """

    table: pd.DataFrame = attrs.field(repr=False)
    covariance: pd.DataFrame = attrs.field(repr=False)
    n: int
    n_events: int
    n_dropped: int
    loglik: float
    loglik_null: float
    statistic: float
    df: int
    p: float
    tests: pd.DataFrame = attrs.field(repr=False)
    ties: str
    conf_level: float

    pvalue = renamed("p", "pvalue")

    def to_frame(self) -> pd.DataFrame:
        """The coefficient table (a copy), with ``term`` as a column."""
        return self.table.reset_index()

    def __repr__(self) -> str:
        dropped = f", dropped={self.n_dropped}" if self.n_dropped else ""
        return (
            f"CoxPH(n={self.n}, events={self.n_events}{dropped}, terms={list(self.table.index)!r}"
            f", LR chisq={self.statistic:.4g} on {self.df} df, p={self.p:.4g}, "
            f"ties={self.ties!r})"
        )

    def _repr_html_(self) -> str:
        return f"<p>{self!r}</p>" + self.table.to_html()


def cox_ph(
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    covariates: pd.DataFrame | pd.Series[Any],
    *,
    ties: CoxTies = "efron",
    conf_level: float = 0.95,
) -> CoxPH:
    r"""Cox proportional hazards regression, fitted with statsmodels' ``PHReg``; equal to
    R's ``coxph``.

    Parameters
    ----------
    time, event : array_like
        As in :func:`kaplan_meier`.
    covariates : pandas.DataFrame
        One row per patient (in the order of ``time``; the index is not used), one column
        per covariate. Numeric columns enter as they are (one term, named after the
        column). Text, boolean and categorical columns enter as treatment (dummy) terms
        ``column[level]``, one per level but the reference: the first level in sorted
        order (for a pandas ``Categorical``, the first of its categories, as R takes a
        factor's first level). A named Series is taken as a one-column frame.
    ties : {"efron", "breslow"}
        Approximation of the partial likelihood for tied death times; ``"efron"`` is R's
        default.
    conf_level : float
        Confidence level of the hazard ratios' limits.

    Returns
    -------
    CoxPH
        Patients with a missing covariate (None, NaN, ``pd.NA``) are left out and counted
        in ``n_dropped``, as R's ``coxph`` does (``na.action = na.omit``).

    Raises
    ------
    SchemaError
        ``covariates`` not a DataFrame, of another length, without columns or with
        repeated names; a covariate that does not vary or has a single level; collinear
        covariates; no deaths; an unknown ``ties``.
    OutOfRangeError
        Negative or missing times, events other than 0/1, an infinite covariate,
        ``conf_level`` outside 0..1.

    Warns
    -----
    SSCOutcomesWarning
        When the fit did not converge (typically a coefficient going to infinity, e.g. no
        deaths in a group); the numbers are then not to be trusted, as R warns.

    Notes
    -----
    The coefficients :math:`\beta` maximise the partial likelihood (Cox 1972,
    doi:10.1111/j.2517-6161.1972.tb00899.x), with Efron's (1977,
    doi:10.1080/01621459.1977.10480613) or Breslow's (1974, doi:10.2307/2529620)
    handling of ties; the fit (Newton-Raphson) and the covariance (inverse observed
    information) are statsmodels' ``PHReg``. Hazard ratio :math:`\exp(\beta)`, limits
    :math:`\exp(\beta \pm z\,\mathrm{se})`, :math:`z = \beta / \mathrm{se}`. Tests of
    the model: likelihood ratio :math:`2\{\ell(\hat\beta) - \ell(0)\}`, Wald
    :math:`\hat\beta^\top \hat V^{-1} \hat\beta` and score :math:`U(0)^\top I(0)^{-1}
    U(0)` (which, for one grouping covariate and Breslow ties, is the log-rank test), each
    on as many degrees of freedom as terms.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import cox_ph
    >>> # R: coxph(Surv(time, status) ~ x, data = aml)
    >>> time = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161, 5, 5, 8, 8, 12, 16, 23, 27, 30,
    ...         33, 43, 45]
    >>> status = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]
    >>> arm = pd.DataFrame({"x": ["Maintained"] * 11 + ["Nonmaintained"] * 12})
    >>> fit = cox_ph(time, status, arm)
    >>> fit.table[["coef", "hr", "lower", "upper", "p"]].round(4)
                        coef      hr   lower   upper       p
    term
    x[Nonmaintained]  0.9155  2.4981  0.9159  6.8135  0.0737
    >>> round(fit.statistic, 3), fit.df    # R: Likelihood ratio test = 3.38 on 1 df
    (3.384, 1)
    """
    if not isinstance(ties, str) or ties not in COX_TIES:
        raise SchemaError(f"ties = {ties!r} is not one of {', '.join(map(repr, COX_TIES))}")
    z = _z(conf_level)
    t, e, _ = _inputs(time, event)
    x, terms, keep = _design(covariates, t.size)
    t, e = t[keep], e[keep]
    n_events = int(e.sum())
    if n_events == 0:
        raise SchemaError(
            f"none of the {t.size} patients in the model died; a Cox model needs deaths"
        )
    # statsmodels is imported where it is used: importing sscoutcomes must stay light
    import warnings

    from scipy import stats
    from statsmodels.duration.hazard_regression import PHReg

    from ..errors import SSCOutcomesWarning

    p = len(terms)
    model = PHReg(t, x, status=e, ties=ties)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = model.fit()
            coef = np.asarray(result.params, dtype=np.float64)
            cov = np.asarray(result.cov_params(), dtype=np.float64)
        except (np.linalg.LinAlgError, ValueError, FloatingPointError) as exc:
            raise SchemaError(f"the Cox model could not be fitted: {exc}") from exc
    zero = np.zeros(p)
    loglik = float(model.loglike(coef))
    loglik_null = float(model.loglike(zero))
    se = np.sqrt(np.diag(cov))
    converged = bool(np.all(np.isfinite(coef)) and np.all(np.isfinite(se)))
    if caught or not converged:
        warnings.warn(
            f"the Cox model (terms {', '.join(terms)}) did not converge cleanly "
            f"({'; '.join(str(w.message) for w in caught) or 'non-finite estimates'}): "
            "a coefficient may be infinite (e.g. no deaths in a group)",
            SSCOutcomesWarning,
            stacklevel=2,
        )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        zstat = coef / se
        lr = 2.0 * (loglik - loglik_null)
        try:
            wald = float(coef @ np.linalg.solve(cov, coef))
            info0 = -np.asarray(model.hessian(zero), dtype=np.float64)
            u0 = np.asarray(model.score(zero), dtype=np.float64)
            score = float(u0 @ np.linalg.solve(info0, u0))
        except np.linalg.LinAlgError:
            wald = score = math.nan
        table = pd.DataFrame(
            {
                "coef": coef,
                "se": se,
                "hr": np.exp(coef),
                "lower": np.exp(coef - z * se),
                "upper": np.exp(coef + z * se),
                "z": zstat,
                "p": 2.0 * stats.norm.sf(np.abs(zstat)),
            },
            index=pd.Index(terms, name="term"),
        )
    statistics = np.array([lr, wald, score])
    tests = pd.DataFrame(
        {
            "statistic": statistics,
            "df": np.full(3, p, dtype=np.int64),
            "p": stats.chi2.sf(statistics, p),
        },
        index=pd.Index(["likelihood_ratio", "wald", "score"], name="test"),
    )
    return CoxPH(
        table=table,
        covariance=pd.DataFrame(cov, index=terms, columns=terms),
        n=int(t.size),
        n_events=n_events,
        n_dropped=int((~keep).sum()),
        loglik=loglik,
        loglik_null=loglik_null,
        statistic=float(lr),
        df=p,
        p=float(stats.chi2.sf(lr, p)),
        tests=tests,
        ties=ties,
        conf_level=conf_level,
    )
