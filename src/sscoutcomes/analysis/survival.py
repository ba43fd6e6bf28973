r"""Kaplan-Meier survival, landmark survival and the log-rank test, as R's ``survival``
package computes them.

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
``survdiff`` (``rho = 0``).

References
----------
- Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat
  Assoc 1958;53:457-81. doi:10.1080/01621459.1958.10501452.
- Greenwood M. The natural duration of cancer. Reports on Public Health and Medical
  Subjects 1926;33:1-26.
- Mantel N. Evaluation of survival data and two new rank order statistics arising in its
  consideration. Cancer Chemother Rep 1966;50:163-70. PMID 5910392.
- Therneau TM. A Package for Survival Analysis in R (``survival``), ``survfit`` and
  ``survdiff``; Therneau TM, Grambsch PM. Modeling Survival Data. Springer 2000.
  doi:10.1007/978-1-4757-3294-8.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._validation import FailureCollector, as_float_array, check_number
from ..errors import OutOfRangeError, SchemaError

__all__ = ["CONF_TYPES", "KaplanMeier", "LogRank", "kaplan_meier", "logrank"]

FloatArray = npt.NDArray[np.float64]
ConfType = Literal["log", "log-log", "plain"]
#: Confidence interval transforms, as R's ``conf.type``.
CONF_TYPES: Final[tuple[str, ...]] = ("log", "log-log", "plain")
_TOLERANCE: Final = math.sqrt(np.finfo(float).eps)  # R's all.equal tolerance, used by minmin


def _inputs(
    time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike | None = None
) -> tuple[FloatArray, FloatArray, npt.NDArray[Any] | None]:
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
    if g is not None:
        missing = pd.isna(pd.Series(g)).to_numpy()
        collector.add(missing, "group", g, "is missing")
    collector.raise_if_failed("survival data")
    if t.size == 0:
        raise SchemaError("survival data is empty")
    return t, e, g


def _z(conf_level: float) -> float:
    if not 0 < check_number("conf_level", conf_level, 0, 1) < 1:
        raise OutOfRangeError(f"conf_level = {conf_level!r} is outside 0..1 (exclusive)")
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


@attrs.frozen(kw_only=True)
class KaplanMeier:
    """A Kaplan-Meier estimate (:func:`kaplan_meier`).

    Attributes
    ----------
    table : pandas.DataFrame
        One row per distinct time (deaths or censorings): ``time``, ``n_risk``,
        ``n_event``, ``n_censor``, ``survival``, ``std_err`` (of the survival estimate, as
        R's ``summary.survfit``), ``lower``, ``upper``.
    conf_type : str
        The confidence interval transform.
    conf_level : float
        The confidence level.
    """

    table: pd.DataFrame = attrs.field(repr=False)
    conf_type: str
    conf_level: float

    @property
    def n(self) -> int:
        """Number of patients."""
        return int(self.table["n_risk"].iloc[0]) if len(self.table) else 0

    @property
    def n_events(self) -> int:
        """Number of deaths."""
        return int(self.table["n_event"].sum())

    @property
    def median(self) -> float:
        """Median survival time (NaN when the curve never reaches 0.5), R's rule."""
        t = self.table
        events = t[t["n_event"] > 0]
        return _minmin(events["survival"].to_numpy(float), events["time"].to_numpy(float))

    @property
    def median_ci(self) -> tuple[float, float]:
        """Confidence limits of the median from the limits of the curve (as R prints
        ``0.95LCL`` and ``0.95UCL``)."""
        t = self.table
        events = t[t["n_event"] > 0]
        times = events["time"].to_numpy(float)
        return (
            _minmin(events["lower"].to_numpy(float), times),
            _minmin(events["upper"].to_numpy(float), times),
        )

    def survival_at(self, times: Sequence[float] | npt.ArrayLike) -> pd.DataFrame:
        """Landmark survival: the step function and its limits at the given times.

        Before the first time the survival is 1; after the last observed time it is
        unknown (NaN) unless it has already reached 0.

        Returns
        -------
        pandas.DataFrame
            ``time``, ``n_risk`` (patients with follow-up >= the time), ``survival``,
            ``std_err``, ``lower``, ``upper``.

        Examples
        --------
        >>> from sscoutcomes.analysis.survival import kaplan_meier
        >>> km = kaplan_meier([9, 13, 13, 18, 23], [1, 1, 0, 1, 1])
        >>> km.survival_at([0, 10, 13]).round(4)["survival"].tolist()
        [1.0, 0.8, 0.6]
        """
        at = as_float_array(times, "times").ravel()
        if np.isnan(at).any():
            raise SchemaError("survival_at times must be numbers")
        t = self.table
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
        n0 = self.n
        removed = np.concatenate([[0], np.cumsum((t["n_event"] + t["n_censor"]).to_numpy())])
        first_ge = np.searchsorted(tt, at, side="left")
        n_risk = n0 - removed[first_ge]
        return pd.DataFrame({"time": at, "n_risk": n_risk.astype(np.int64), **cols})

    def __repr__(self) -> str:
        median = self.median
        return (
            f"KaplanMeier(n={self.n}, events={self.n_events}, median="
            f"{'NA' if math.isnan(median) else f'{median:g}'}, conf_type={self.conf_type!r})"
        )

    def _repr_html_(self) -> str:
        return f"<p>{self!r}</p>" + self.table.to_html(index=False)


def kaplan_meier(
    time: npt.ArrayLike,
    event: npt.ArrayLike,
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
    conf_type : {"log", "log-log", "plain"}
        Confidence interval transform; ``"log"`` is R's default.
    conf_level : float
        Confidence level.

    Returns
    -------
    KaplanMeier

    Raises
    ------
    SchemaError
        Lengths differ, missing or non-numeric times, an unknown ``conf_type``.
    OutOfRangeError
        Negative times, events other than 0/1; every failing row is in ``failure_cases``.

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
    """
    if not isinstance(conf_type, str) or conf_type not in CONF_TYPES:
        raise SchemaError(
            f"conf_type = {conf_type!r} is not one of {', '.join(map(repr, CONF_TYPES))}"
        )
    z = _z(conf_level)
    t, e, _ = _inputs(time, event)
    order = np.argsort(t, kind="stable")
    t, e = t[order], e[order]
    times, first = np.unique(t, return_index=True)
    n_at = t.size - first  # at risk at each distinct time
    deaths = np.add.reduceat(e, first)
    counts = np.diff(np.append(first, t.size))
    censor = counts - deaths
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.asarray(np.cumprod(1.0 - deaths / n_at), dtype=np.float64)
        terms = np.where(deaths > 0, deaths / (n_at * (n_at - deaths)), 0.0)
        var_log = np.cumsum(terms)
        se_log = np.asarray(np.sqrt(var_log), dtype=np.float64)
        std_err = np.where(s == 0, np.nan, s * se_log)
    lower, upper = _confint(s, se_log, conf_type, z)
    table = pd.DataFrame(
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
    return KaplanMeier(table=table, conf_type=conf_type, conf_level=conf_level)


@attrs.frozen(kw_only=True)
class LogRank:
    """A log-rank test (:func:`logrank`).

    Attributes
    ----------
    statistic : float
        Chi-square statistic.
    df : int
        Degrees of freedom (groups - 1).
    pvalue : float
        Upper tail probability of the chi-square distribution.
    table : pandas.DataFrame
        Per group: ``group``, ``n``, ``observed``, ``expected``, ``oe2_e`` ((O-E)^2/E) and
        ``oe2_v`` ((O-E)^2/V), as R's ``survdiff`` prints them.
    """

    statistic: float
    df: int
    pvalue: float
    table: pd.DataFrame = attrs.field(repr=False)

    def __repr__(self) -> str:
        return f"LogRank(chisq={self.statistic:.4g}, df={self.df}, p={self.pvalue:.4g})"

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


def logrank(time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike) -> LogRank:
    """Log-rank test of equal survival in two or more groups, equal to R's ``survdiff``.

    Parameters
    ----------
    time, event : array_like
        As in :func:`kaplan_meier`.
    group : array_like
        Group label of each patient (two or more distinct labels).

    Returns
    -------
    LogRank

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
    """
    t, e, g = _inputs(time, event, group)
    assert g is not None  # noqa: S101  (group was given)
    labels, codes = np.unique(g.astype(str), return_inverse=True)
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
    has = d_j > 0
    n_jk, d_jk, n_j, d_j = n_jk[has], d_jk[has], n_j[has], d_j[has]
    expected = (n_jk * (d_j / n_j)[:, None]).sum(axis=0)
    observed = d_jk.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(n_j > 1, d_j * (n_j - d_j) / (n_j * n_j * (n_j - 1)), 0.0)
    # V = sum_i factor_i * (n_i diag(n_ik) - n_ik n_il), as one matrix product
    v = -((n_jk * factor[:, None]).T @ n_jk)
    v[np.diag_indices(k)] += (factor * n_j) @ n_jk
    diff = observed - expected
    # as R's survdiff: the groups with an expected count, less the first of them
    idx = np.flatnonzero(expected > 0)[1:]
    statistic, df = _quadratic_form(v[np.ix_(idx, idx)], diff[idx])
    from scipy import stats

    pvalue = float(stats.chi2.sf(statistic, df)) if df > 0 else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "group": labels,
                "n": np.bincount(codes, minlength=k).astype(np.int64),
                "observed": observed,
                "expected": expected,
                "oe2_e": diff**2 / expected,
                "oe2_v": diff**2 / np.diag(v),
            }
        )
    return LogRank(statistic=statistic, df=df, pvalue=pvalue, table=table)
