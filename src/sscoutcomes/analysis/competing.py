r"""Cumulative incidence with competing risks (Aalen-Johansen) and Gray's test, as R's
``cmprsk::cuminc`` computes them.

Cumulative incidence
--------------------
Event codes: 0 = censored, 1..k = the cause of the first event. At each distinct time
:math:`t_j` with :math:`n_j` at risk, :math:`d_{cj}` events of cause :math:`c` and
:math:`d_j = \sum_c d_{cj}` events of any cause, with :math:`\hat S(t_{j-1})` the all-cause
Kaplan-Meier estimate just before :math:`t_j`,

.. math::

   \hat F_c(t) = \sum_{t_j \le t} \hat S(t_{j-1}) \frac{d_{cj}}{n_j}
   \quad \text{(Aalen-Johansen)} .

The variance is the one ``cuminc`` returns (``var``; Gray's delta-method estimate, in the
Fortran routine ``cinc``): with :math:`S_j = \hat S(t_j)`, for each cause of the sum
:math:`d` (the events of cause :math:`c`, and separately those of the other causes) a term
:math:`\tau_j = \hat S(t_{j-1})^2 \, w_j \, d / n_j^2` with the ties correction
:math:`w_j = 1 - (d - 1)/(n_j - 1)`, and

.. math::

   \widehat{\operatorname{Var}}\,\hat F_c(t) = V_1 + \hat F_c(t)^2 V_3 - 2 \hat F_c(t) V_2,

where :math:`V_1, V_2, V_3` sum over :math:`t_j \le t` the terms :math:`u^2\tau`,
:math:`u\tau/S_j` and :math:`\tau/S_j^2`, with :math:`u = \hat F_c(t_j)/S_j` for the other
causes and :math:`u = 1 + \hat F_c(t_j)/S_j` for cause :math:`c` (:math:`1/S_j` read as 0
once :math:`S_j = 0`).

Confidence interval
-------------------
``cmprsk`` reports the estimate and its variance only (``print.cuminc``, ``timepoints``);
it prints no interval. The default here is the pointwise log(-log) interval built on that
variance, :math:`\hat F^{\exp(\pm z\,\mathrm{se} / (\hat F \log \hat F))}` (Kalbfleisch and
Prentice; the interval ``tidycmprsk`` adds to ``cuminc``), which stays inside (0, 1);
``conf_type="plain"`` gives :math:`\hat F \pm z\,\mathrm{se}` clipped to [0, 1]. At
:math:`\hat F = 0` the log(-log) interval is undefined (NaN).

Gray's test
-----------
For each cause, the groups' subdistribution hazards are compared with the score
:math:`s_i = \sum_j \{1-\hat F(t_{j-1})\}^\rho \{d_{1ij} - d_{1j} R_{ij}/\sum_r R_{rj}\}`,
:math:`R_{ij} = n_{ij}\{1 - \hat F_i(t_{j-1})\}/\hat S_i(t_{j-1})`, for the first
:math:`g-1` groups, and its variance from Gray (1988, section 2); the statistic
:math:`s^\top V^{-1} s` is referred to :math:`\chi^2_{g-1}`. This is ``cuminc``'s test
(``crstm``), without strata, ``rho = 0`` by default.

References
----------
- Aalen OO, Johansen S. An empirical transition matrix for non-homogeneous Markov chains
  based on censored observations. Scand J Stat 1978;5:141-50. JSTOR 4615704.
- Gray RJ. A class of K-sample tests for comparing the cumulative incidence of a competing
  risk. Ann Stat 1988;16:1141-54. doi:10.1214/aos/1176350951.
- Kalbfleisch JD, Prentice RL. The Statistical Analysis of Failure Time Data, 2nd ed.
  Wiley 2002. doi:10.1002/9781118032985.
- Gray RJ. cmprsk: Subdistribution Analysis of Competing Risks. R package 2.2-11,
  ``cuminc``. https://CRAN.R-project.org/package=cmprsk.
"""

from __future__ import annotations

import numbers
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._result import ResultMixin
from .._validation import FailureCollector, as_float_array, check_choice, check_number
from ..errors import OutOfRangeError, SchemaError
from .survival import _group_codes, _z

__all__ = [
    "CIF_CONF_TYPES",
    "CumulativeIncidence",
    "GrayTest",
    "cumulative_incidence",
    "gray_test",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
#: Confidence interval transforms of :func:`cumulative_incidence`.
CIF_CONF_TYPES: Final[tuple[str, ...]] = ("log-log", "plain")


def _inputs(
    time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike | None
) -> tuple[FloatArray, IntArray, npt.NDArray[Any] | None]:
    t_raw = np.asarray(time, dtype=object).ravel()
    t_text = np.fromiter((isinstance(v, str) for v in t_raw), dtype=bool, count=t_raw.size)
    t = np.where(
        t_text, np.nan, np.asarray(pd.to_numeric(pd.Series(t_raw), errors="coerce"), dtype=float)
    )
    e_raw = np.asarray(event, dtype=object).ravel()
    e_text = np.fromiter((isinstance(v, str) for v in e_raw), dtype=bool, count=e_raw.size)
    e = np.where(
        e_text, np.nan, np.asarray(pd.to_numeric(pd.Series(e_raw), errors="coerce"), dtype=float)
    )
    if t.size != e.size:
        raise SchemaError(f"time has {t.size} values but event has {e.size}; they must match")
    g = None
    if group is not None:
        g = np.asarray(group, dtype=object).ravel()
        if g.size != t.size:
            raise SchemaError(f"time has {t.size} values but group has {g.size}")
    collector = FailureCollector(pd.DataFrame({"time": t, "event": e}))
    collector.add(t_text, "time", t_raw, "is text, not a number of days", schema=True)
    collector.add(np.isnan(t) & ~t_text, "time", t, "is missing or not a number", schema=True)
    with np.errstate(invalid="ignore"):
        collector.add(~np.isnan(t) & ((t < 0) | np.isinf(t)), "time", t, "is outside 0..inf (days)")
        collector.add(
            np.isnan(e) | (e < 0) | (e != np.round(e)) | np.isinf(e),
            "event",
            e_raw,
            "is not a whole number 0..k (0 = censored, 1..k = cause)",
        )
    if g is not None:
        collector.add(pd.isna(pd.Series(g)).to_numpy(), "group", g, "is missing")
    collector.raise_if_failed("competing risks data")
    if t.size == 0:
        raise SchemaError("competing risks data is empty")
    return t, e.astype(np.intp), g


def _cinc(t: FloatArray, e: IntArray, cause: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Aalen-Johansen estimate and cuminc's variance at the distinct times of one sample.

    Returns the distinct times (all of them, events and censorings), the estimate and the
    variance just after each.
    """
    times, inverse = np.unique(t, return_inverse=True)
    nt = times.size
    d1 = np.bincount(inverse, weights=(e == cause), minlength=nt).astype(np.float64)
    d = np.bincount(inverse, weights=(e > 0), minlength=nt).astype(np.float64)
    d2 = d - d1
    n_at = np.bincount(inverse, minlength=nt).astype(float)
    rs = n_at[::-1].cumsum()[::-1]  # at risk at each time
    s_after = np.cumprod(1.0 - d / rs)
    s_before = np.concatenate(([1.0], s_after[:-1]))
    est = np.cumsum(s_before * d1 / rs)
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_s = np.where(s_after > 0, 1.0 / np.where(s_after > 0, s_after, 1.0), 0.0)

        def tau(dk: FloatArray) -> FloatArray:
            w = np.where(dk > 1, 1.0 - (dk - 1.0) / np.where(rs > 1, rs - 1.0, 1.0), 1.0)
            out: FloatArray = s_before**2 * w * dk / rs**2
            return out

        tau2 = np.where((d2 > 0) & (s_after > 0), tau(d2), 0.0)
        tau1 = np.where(d1 > 0, tau(d1), 0.0)
    u2 = est * inv_s
    u1 = 1.0 + est * inv_s
    v1 = np.cumsum(u2**2 * tau2 + u1**2 * tau1)
    v2 = np.cumsum(inv_s * (u2 * tau2 + u1 * tau1))
    v3 = np.cumsum(inv_s**2 * (tau2 + tau1))
    var = v1 + est**2 * v3 - 2.0 * est * v2
    # cuminc updates the variance only at times with an event of the cause
    has = d1 > 0
    idx = np.maximum.accumulate(np.where(has, np.arange(nt), -1))
    var = np.where(idx >= 0, var[np.maximum(idx, 0)], 0.0)
    return times, est, var


def _conf(
    est: FloatArray, var: FloatArray, conf_type: str, z: float
) -> tuple[FloatArray, FloatArray]:
    se = np.sqrt(np.maximum(var, 0.0))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if conf_type == "log-log":
            f = np.where((est <= 0) | (est >= 1), np.nan, est)
            k = z * se / (f * np.log(f))
            return f ** np.exp(-k), f ** np.exp(k)
        return np.clip(est - z * se, 0.0, 1.0), np.clip(est + z * se, 0.0, 1.0)


@attrs.frozen(slots=True, kw_only=True)
class CumulativeIncidence(ResultMixin):
    """Cumulative incidence curves by cause (and group), from :func:`cumulative_incidence`.

    ``table`` has one row per group, cause and distinct time (events and censorings):
    ``group`` (when grouped), ``cause``, ``time``, ``n_risk``, ``n_event`` (of this cause),
    ``estimate``, ``variance`` (as ``cmprsk::cuminc``), ``std_err``, ``lower``, ``upper``.
    """

    table: pd.DataFrame = attrs.field(repr=False)
    causes: tuple[int, ...]
    groups: tuple[str, ...] | None
    conf_type: str
    conf_level: float

    def to_frame(self) -> pd.DataFrame:
        """The table, as a new DataFrame."""
        return self.table.copy()

    def cif_at(self, t: npt.ArrayLike, group: object = None, cause: object = 1) -> FloatArray:
        """The cumulative incidence of ``cause`` at times ``t`` (0 before the first time;
        NaN after the group's last follow-up time, as R's ``timepoints``).

        Examples
        --------
        >>> from sscoutcomes import cumulative_incidence
        >>> ci = cumulative_incidence([1, 2, 3, 4], [1, 2, 0, 1])
        >>> ci.cif_at([0.5, 1, 3.5]).round(3).tolist()
        [0.0, 0.25, 0.25]
        """
        if (
            isinstance(cause, bool)
            or not isinstance(cause, numbers.Integral)
            or int(cause) not in self.causes
        ):
            raise OutOfRangeError(f"cause = {cause!r} is not one of {list(self.causes)}")
        q = np.atleast_1d(as_float_array(t, "t"))
        rows = self.table[self.table["cause"] == int(cause)]
        if self.groups is not None:
            if group is None:
                raise SchemaError(f"group is required: one of {list(self.groups)}")
            if str(group) not in self.groups:
                raise OutOfRangeError(f"group = {group!r} is not one of {list(self.groups)}")
            rows = rows[rows["group"] == str(group)]
        elif group is not None:
            raise SchemaError("group was given but the curves are not grouped")
        times = rows["time"].to_numpy(dtype=float)
        est = rows["estimate"].to_numpy(dtype=float)
        pos = np.searchsorted(times, q, side="right") - 1
        out = np.where(pos >= 0, est[np.maximum(pos, 0)], 0.0)
        return np.where(np.isnan(q) | (q > times[-1]), np.nan, out)


def cumulative_incidence(
    time: npt.ArrayLike,
    event: npt.ArrayLike,
    group: npt.ArrayLike | None = None,
    *,
    conf_type: Literal["log-log", "plain"] = "log-log",
    conf_level: float = 0.95,
) -> CumulativeIncidence:
    """Aalen-Johansen cumulative incidence of each cause, with cuminc's variance.

    Parameters
    ----------
    time : array_like
        Days (or any unit) from the index date to the first event or censoring; >= 0.
    event : array_like
        0 = censored, 1..k = the cause of the first event (whole numbers).
    group : array_like, optional
        Group label per patient; curves are estimated within each group.
    conf_type : {"log-log", "plain"}
        Pointwise interval transform (see the module notes; cmprsk prints no interval).
    conf_level : float
        Confidence level, 0..1 exclusive.

    Returns
    -------
    CumulativeIncidence
        ``.table`` and ``.cif_at(t, group=, cause=)``.

    Raises
    ------
    SchemaError
        Lengths differ, a time or group is missing, or the data are empty.
    OutOfRangeError
        A negative time, an event code that is not 0..k, or a bad ``conf_level``.

    Notes
    -----
    :math:`\\hat F_c(t) = \\sum_{t_j \\le t} \\hat S(t_{j-1}) d_{cj} / n_j`; the variance and
    interval are described in :mod:`sscoutcomes.analysis.competing`. Equal to R's
    ``cmprsk::cuminc`` (``est``, ``var``) to 1e-6 (tests/analysis/data/make_reference_cmprsk.R).

    References
    ----------
    Aalen OO, Johansen S. Scand J Stat 1978;5:141-50. Gray RJ. Ann Stat 1988;16:1141-54.
    doi:10.1214/aos/1176350951.

    Examples
    --------
    >>> from sscoutcomes import cumulative_incidence
    >>> ci = cumulative_incidence([1, 2, 3, 4, 5], [1, 2, 1, 0, 1])
    >>> ci.table[["cause", "time", "estimate"]].head(3)
       cause  time  estimate
    0      1   1.0       0.2
    1      1   2.0       0.2
    2      1   3.0       0.4
    """
    check_choice("conf_type", conf_type, CIF_CONF_TYPES)
    z = _z(check_number("conf_level", conf_level, 0, 1))
    t, e, g = _inputs(time, event, group)
    causes = tuple(int(c) for c in np.unique(e[e > 0]))
    labels: npt.NDArray[np.str_] | None = None
    if g is not None:
        labels, codes = _group_codes(g)
        parts = [(str(lab), codes == i) for i, lab in enumerate(labels)]
    else:
        parts = [("", np.ones(t.size, dtype=bool))]
    frames = []
    for lab, mask in parts:
        tg, eg = t[mask], e[mask]
        for c in causes:
            times, est, var = _cinc(tg, eg, c)
            inv = np.searchsorted(times, tg)
            n_at = np.bincount(inv, minlength=times.size)
            lower, upper = _conf(est, var, conf_type, z)
            frame = pd.DataFrame(
                {
                    "cause": c,
                    "time": times,
                    "n_risk": n_at[::-1].cumsum()[::-1],
                    "n_event": np.bincount(inv, weights=(eg == c), minlength=times.size).astype(
                        int
                    ),
                    "estimate": est,
                    "variance": var,
                    "std_err": np.sqrt(np.maximum(var, 0.0)),
                    "lower": lower,
                    "upper": upper,
                }
            )
            if g is not None:
                frame.insert(0, "group", lab)
            frames.append(frame)
    if not frames:
        columns = ["cause", "time", "n_risk", "n_event", "estimate", "variance", "std_err"]
        table = pd.DataFrame(
            columns=(["group"] if g is not None else []) + columns + ["lower", "upper"]
        )
    else:
        table = pd.concat(frames, ignore_index=True)
    return CumulativeIncidence(
        table=table,
        causes=causes,
        groups=None if labels is None else tuple(str(x) for x in labels),
        conf_type=conf_type,
        conf_level=float(conf_level),
    )


@attrs.frozen(slots=True, kw_only=True)
class GrayTest(ResultMixin):
    """Gray's test per cause, from :func:`gray_test`: ``table`` with ``cause``,
    ``statistic``, ``df``, ``p``."""

    table: pd.DataFrame
    rho: float

    def to_frame(self) -> pd.DataFrame:
        """The table, as a new DataFrame."""
        return self.table.copy()


def _gray_score(
    t: FloatArray, m: IntArray, codes: IntArray, ng: int, rho: float
) -> tuple[FloatArray, FloatArray]:
    """Gray's score (first ng-1 groups) and its variance; m: 0 censored, 1 cause, 2 other."""
    times, inverse = np.unique(t, return_inverse=True)
    nt = times.size
    key = inverse * ng + codes
    d1 = np.bincount(key, weights=(m == 1), minlength=nt * ng).reshape(nt, ng)
    d2 = np.bincount(key, weights=(m == 2), minlength=nt * ng).reshape(nt, ng)
    n_at = np.bincount(key, minlength=nt * ng).reshape(nt, ng).astype(float)
    rs_all = n_at[::-1].cumsum(axis=0)[::-1]
    keep = (d1 + d2).sum(axis=1) > 0  # only event times enter; censorings shrink rs
    d1, d2, rs = d1[keep], d2[keep], rs_all[keep]
    td = d1 + d2
    on = rs > 0
    safe_rs = np.where(on, rs, 1.0)
    skm = np.cumprod(np.where(on, 1.0 - td / safe_rs, 1.0), axis=0)
    skmm = np.vstack([np.ones((1, ng)), skm[:-1]])
    f1 = np.cumsum(np.where(on, skmm * d1 / safe_rs, 0.0), axis=0)
    f1m = np.vstack([np.zeros((1, ng)), f1[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(on, rs / np.where(skmm > 0, skmm, 1.0), 0.0)
        tr = t1.sum(axis=1)
        tq = (t1 * (1.0 - f1m)).sum(axis=1)
        nd1 = d1.sum(axis=1)
        nd2 = d2.sum(axis=1)
        f = np.cumsum(nd1 / tr)
        fm = np.concatenate(([0.0], f[:-1]))
        fb = (1.0 - fm) ** rho
        a = fb[:, None, None] * (
            np.einsum("ti,ij->tij", t1, np.eye(ng))
            - t1[:, :, None] * t1[:, None, :] / tr[:, None, None]
        )
        c = np.cumsum(a * (nd1 / (tr * (1.0 - fm)))[:, None, None], axis=0)
        score = (
            fb[:, None] * np.where(on, d1 - nd1[:, None] * t1 * (1.0 - f1m) / tq[:, None], 0.0)
        ).sum(axis=0)
        # events of the cause
        pos = np.where(skm > 0, skm, 1.0)
        t4 = np.where(skm > 0, 1.0 - (1.0 - f)[:, None] / pos, 1.0)
        den = tr[:, None] * skmm - 1.0
        t5 = np.where(nd1[:, None] > 1, 1.0 - (nd1[:, None] - 1.0) / den, 1.0)
        t3 = np.where(
            on & (nd1[:, None] > 0), t5 * skmm * nd1[:, None] / (tr[:, None] * safe_rs), 0.0
        )
        v3 = (t4**2 * t3).sum(axis=0)
        t1m = a - t4[:, None, :] * c  # (t, i, k)
        v2 = np.einsum("tik,tk->ik", t1m, t4 * t3)
        v = np.einsum("tik,tjk,tk->ij", t1m, t1m, t3)
        # events of the other causes
        o4 = np.where(skm > 0, (1.0 - f)[:, None] / pos, 0.0)
        w2 = np.where(d2 > 1, 1.0 - (d2 - 1.0) / np.where(rs > 1, rs - 1.0, 1.0), 1.0)
        o3 = np.where((skm > 0) & (d2 > 0), w2 * skmm**2 * d2 / safe_rs**2, 0.0)
        v3 = v3 + (o4**2 * o3).sum(axis=0)
        om = o4[:, None, :] * c
        v2 = v2 - np.einsum("tik,tk->ik", om, o4 * o3)
        v = v + np.einsum("tik,tjk,tk->ij", om, om, o3)
        cf = c[-1]
        v = v + (cf * v3[None, :]) @ cf.T + cf @ v2.T + v2 @ cf.T
    _ = nd2
    return score[: ng - 1], v[: ng - 1, : ng - 1]


def gray_test(
    time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike, *, rho: float = 0.0
) -> GrayTest:
    """Gray's K-sample test of equal cumulative incidence, for each cause.

    Parameters
    ----------
    time, event : array_like
        As :func:`cumulative_incidence` (event 0 = censored, 1..k = cause).
    group : array_like
        Group label per patient (at least two groups).
    rho : float
        Weight power: each time is weighted by :math:`\\{1 - \\hat F(t-)\\}^\\rho`
        (``cuminc``'s ``rho``; 0 by default), 0..10.

    Returns
    -------
    GrayTest
        ``.table`` (``cause``, ``statistic``, ``df``, ``p``). ``statistic`` is NaN where the
        variance is singular (cuminc prints -1).

    Raises
    ------
    SchemaError, OutOfRangeError
        As :func:`cumulative_incidence`; fewer than two groups.

    Notes
    -----
    Score and variance of Gray (1988), computed as ``cmprsk::cuminc`` (no strata); the
    statistic :math:`s^\\top V^{-1} s` on :math:`g - 1` degrees of freedom.

    References
    ----------
    Gray RJ. A class of K-sample tests for comparing the cumulative incidence of a
    competing risk. Ann Stat 1988;16:1141-54. doi:10.1214/aos/1176350951.

    Examples
    --------
    >>> from sscoutcomes import gray_test
    >>> res = gray_test([1, 2, 3, 4, 5, 6], [1, 2, 1, 1, 0, 2], ["a", "a", "a", "b", "b", "b"])
    >>> res.table["cause"].tolist()
    [1, 2]
    """
    rho = check_number("rho", rho, 0, 10)
    t, e, g = _inputs(time, event, group)
    if g is None:
        raise SchemaError("group is required for Gray's test")
    labels, codes = _group_codes(g)
    ng = labels.size
    if ng < 2:
        raise SchemaError(f"group has {ng} level(s); Gray's test needs at least 2")
    from scipy import stats

    order = np.argsort(t, kind="stable")
    t, e, codes = t[order], e[order], codes[order]
    rows = []
    for cause in (int(c) for c in np.unique(e[e > 0])):
        m = np.where(e == cause, 1, np.where(e > 0, 2, 0)).astype(np.intp)
        s, v = _gray_score(t, m, codes, ng, rho)
        stat = float("nan")
        if np.all(np.isfinite(v)) and np.linalg.matrix_rank(v) == ng - 1:
            stat = float(s @ np.linalg.solve(v, s))
        rows.append(
            {
                "cause": cause,
                "statistic": stat,
                "df": ng - 1,
                "p": float(stats.chi2.sf(stat, ng - 1)) if np.isfinite(stat) else float("nan"),
            }
        )
    table = pd.DataFrame(rows, columns=["cause", "statistic", "df", "p"])
    return GrayTest(table=table, rho=float(rho))
