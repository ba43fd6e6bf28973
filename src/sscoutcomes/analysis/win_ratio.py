"""Generalized pairwise comparisons: win ratio, net benefit, win odds and the
Finkelstein-Schoenfeld test over a hierarchy of outcomes.

Every patient of the treatment arm is compared with every patient of the control arm on an
ordered list of :class:`Outcome` levels (Buyse 2010). At each level a pair is a *win* for the
treated patient, a *loss*, or unordered; an unordered pair -- including every pair in which
either patient's value at that level is missing -- goes on to the next level. Pairs still
unordered after the last level are *ties*. A missing value therefore never counts as good:
it can only send the pair to the next level.

References
----------
Buyse M. Generalized pairwise comparisons of prioritized outcomes in the two-sample problem.
Stat Med 2010;29:3245-57. doi:10.1002/sim.3923

Finkelstein DM, Schoenfeld DA. Combining mortality and longitudinal measures in clinical
trials. Stat Med 1999;18:1341-54.
doi:10.1002/(SICI)1097-0258(19990615)18:11<1341::AID-SIM129>3.0.CO;2-7

Pocock SJ, Ariti CA, Collier TJ, Wang D. The win ratio: a new approach to the analysis of
composite endpoints in clinical trials based on clinical priorities. Eur Heart J
2012;33:176-82. doi:10.1093/eurheartj/ehr352

Bebu I, Lachin JM. Large sample inference for a win ratio analysis of a composite outcome
based on prioritized components. Biostatistics 2016;17:178-87. doi:10.1093/biostatistics/kxv032

DeLong ER, DeLong DM, Clarke-Pearson DL. Comparing the areas under two or more correlated
receiver operating characteristic curves: a nonparametric approach. Biometrics
1988;44:837-45. doi:10.2307/2531595

Sullivan KM, Goldmuntz EA, Keyes-Elstein L, et al. Myeloablative autologous stem-cell
transplantation for severe scleroderma. N Engl J Med 2018;378:35-47.
doi:10.1056/NEJMoa1703327
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._result import ResultMixin, renamed
from ..errors import OutOfRangeError, SchemaError

__all__ = [
    "LEVEL_COLUMNS",
    "Outcome",
    "WinRatio",
    "grcs_outcomes",
    "win_ratio",
]

#: Columns of :attr:`WinRatio.table` (one row per level, treatment x control pairs).
LEVEL_COLUMNS: tuple[str, ...] = (
    "outcome",
    "kind",
    "threshold",
    "pairs",
    "wins",
    "losses",
    "unordered",
    "missing",
)

_KINDS = ("time_to_event", "numeric")

#: Largest number of pair cells scored at once (rows of a chunk x all patients).
_CHUNK_CELLS = 1 << 22

FloatArray = npt.NDArray[np.float64]


def _check_name(argument: str, value: object, *, optional: bool = False) -> None:
    if optional and value is None:
        return
    if not isinstance(value, str) or not value.strip():
        raise SchemaError(f"{argument} = {value!r} is not allowed: give a non-empty column name")


def _check_threshold(value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(float(value))
        or float(value) < 0
    ):
        raise OutOfRangeError(
            f"threshold = {value!r} is outside 0..inf (a finite number >= 0 is allowed)"
        )
    return float(value)


@attrs.frozen(kw_only=True)
class Outcome:
    """One level of a generalized pairwise comparison.

    Build it with :meth:`Outcome.time_to_event` or :meth:`Outcome.numeric`.

    Parameters
    ----------
    name : str
        Label of the level in :attr:`WinRatio.table`.
    kind : {"time_to_event", "numeric"}
        How a pair is compared at this level.
    time, event : str or None
        Columns of the follow-up time (>= 0) and the event flag (0/1) of a time-to-event level.
    column : str or None
        Column of the value of a numeric level.
    higher_is_better : bool or None
        Direction of a numeric level.
    threshold : float
        Smallest difference (strictly exceeded) that decides a pair; >= 0.

    Raises
    ------
    SchemaError
        A column name is not a non-empty string, the kind is unknown, or the columns do not
        fit the kind.
    OutOfRangeError
        The threshold is not a finite number >= 0.

    Notes
    -----
    The comparison rules are those of Buyse (2010), doi:10.1002/sim.3923.

    Examples
    --------
    >>> Outcome.numeric("FVC", column="fvc", higher_is_better=True, threshold=5).kind
    'numeric'
    """

    name: str
    kind: str
    time: str | None = None
    event: str | None = None
    column: str | None = None
    higher_is_better: bool | None = None
    threshold: float = 0.0

    def __attrs_post_init__(self) -> None:
        _check_name("name", self.name)
        if not isinstance(self.kind, str) or self.kind not in _KINDS:
            raise SchemaError(f"kind = {self.kind!r} is not one of {', '.join(_KINDS)}")
        object.__setattr__(self, "threshold", _check_threshold(self.threshold))
        if self.kind == "time_to_event":
            _check_name("time", self.time)
            _check_name("event", self.event)
            if self.column is not None or self.higher_is_better is not None:
                raise SchemaError(
                    f"column = {self.column!r}, higher_is_better = {self.higher_is_better!r}: "
                    "a time_to_event outcome takes time= and event= only"
                )
        else:
            _check_name("column", self.column)
            if not isinstance(self.higher_is_better, bool | np.bool_):
                raise SchemaError(
                    f"higher_is_better = {self.higher_is_better!r} is not allowed: "
                    "give True or False"
                )
            object.__setattr__(self, "higher_is_better", bool(self.higher_is_better))
            if self.time is not None or self.event is not None:
                raise SchemaError(
                    f"time = {self.time!r}, event = {self.event!r}: "
                    "a numeric outcome takes column= only"
                )

    @classmethod
    def time_to_event(cls, name: str, *, time: str, event: str, threshold: float = 0) -> Outcome:
        """A time-to-event level compared as in Gehan's test.

        Patient ``i`` beats ``j`` when ``j`` had the event (``event == 1``) at ``t_j`` and
        ``i`` was still event-free (with or without a later event) at
        ``t_i > t_j + threshold``. A pair whose order is unknown (both censored, or censored
        before the other's event, or within the threshold) or with a missing time or event
        is unordered and goes to the next level.

        Parameters
        ----------
        name : str
            Label of the level.
        time : str
            Column of the follow-up time (>= 0), in any unit the threshold shares.
        event : str
            Column of the event flag: 1/True = event, 0/False = censored.
        threshold : float, default 0
            Margin (strictly exceeded) by which ``i`` must outlast ``j``'s event.

        Returns
        -------
        Outcome

        Notes
        -----
        Buyse M. Stat Med 2010;29:3245-57, doi:10.1002/sim.3923.

        Examples
        --------
        >>> Outcome.time_to_event("death", time="days", event="died").kind
        'time_to_event'
        """
        return cls(name=name, kind="time_to_event", time=time, event=event, threshold=threshold)

    @classmethod
    def numeric(
        cls, name: str, *, column: str, higher_is_better: bool, threshold: float = 0
    ) -> Outcome:
        """A numeric level: the better value wins when the difference exceeds the threshold.

        Parameters
        ----------
        name : str
            Label of the level.
        column : str
            Column of the value (e.g. a change from baseline).
        higher_is_better : bool
            Direction.
        threshold : float, default 0
            Patient ``i`` beats ``j`` when the difference in the better direction is strictly
            greater than ``threshold``; a missing value leaves the pair unordered.

        Returns
        -------
        Outcome

        Notes
        -----
        Buyse M. Stat Med 2010;29:3245-57, doi:10.1002/sim.3923.

        Examples
        --------
        >>> Outcome.numeric("mRSS", column="mrss_change", higher_is_better=False).threshold
        0.0
        """
        return cls(
            name=name,
            kind="numeric",
            column=column,
            higher_is_better=higher_is_better,
            threshold=threshold,
        )


def grcs_outcomes(
    *,
    death_time: str = "death_time",
    death: str = "death",
    event_free_time: str = "event_free_time",
    event: str = "event",
    fvc: str = "fvc_pct_predicted_change",
    haq: str = "haq_di_change",
    mrss: str = "mrss_change",
    time_threshold: float = 0,
    fvc_threshold: float = 0,
    haq_threshold: float = 0,
    mrss_threshold: float = 0,
) -> list[Outcome]:
    """The SCOT-style global rank composite hierarchy as :class:`Outcome` levels.

    The hierarchy of the SCOT trial's primary endpoint (Sullivan 2018): death, then
    event-free survival, then forced vital capacity, HAQ-DI and the modified Rodnan skin
    score. The arguments name the columns of a per-patient frame (one row per patient), e.g.
    the follow-up values or changes from baseline at the trial's 54-month time point.

    Parameters
    ----------
    death_time, death : str
        Columns of the time to death or last contact and the death flag (1 = died).
    event_free_time, event : str
        Columns of the event-free survival time and its flag (1 = death or organ failure,
        as the protocol defines it).
    fvc : str
        FVC column; higher is better.
    haq : str
        HAQ-DI column; lower is better.
    mrss : str
        mRSS column; lower is better.
    time_threshold, fvc_threshold, haq_threshold, mrss_threshold : float, default 0
        Margins of each level. **The SCOT abstract does not state them**: take them from the
        trial protocol or your own analysis plan; the defaults (0) order any difference.

    Returns
    -------
    list of Outcome
        Five levels, in priority order.

    Notes
    -----
    Sullivan KM et al. N Engl J Med 2018;378:35-47, doi:10.1056/NEJMoa1703327. The
    comparison rules are Buyse's (doi:10.1002/sim.3923); ties and missing values go to the
    next level.

    Examples
    --------
    >>> [o.name for o in grcs_outcomes()]
    ['death', 'event-free survival', 'FVC', 'HAQ-DI', 'mRSS']
    """
    return [
        Outcome.time_to_event("death", time=death_time, event=death, threshold=time_threshold),
        Outcome.time_to_event(
            "event-free survival", time=event_free_time, event=event, threshold=time_threshold
        ),
        Outcome.numeric("FVC", column=fvc, higher_is_better=True, threshold=fvc_threshold),
        Outcome.numeric("HAQ-DI", column=haq, higher_is_better=False, threshold=haq_threshold),
        Outcome.numeric("mRSS", column=mrss, higher_is_better=False, threshold=mrss_threshold),
    ]


# --- result ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class WinRatio(ResultMixin):
    """Result of :func:`win_ratio`.

    Attributes
    ----------
    n_treatment, n_control : int
        Patients per arm.
    wins, losses, ties : int
        Treatment x control pairs won, lost and tied (unordered at every level).
    win_ratio, win_ratio_lower, win_ratio_upper : float
        ``wins / losses`` and its confidence interval.
    net_benefit, net_benefit_lower, net_benefit_upper : float
        ``(wins - losses) / (n_treatment * n_control)`` and its confidence interval.
    win_odds, win_odds_lower, win_odds_upper : float
        ``(wins + ties / 2) / (losses + ties / 2)`` and its confidence interval.
    statistic, p : float
        Finkelstein-Schoenfeld Z and its two-sided p-value (``pvalue`` is a deprecated
        alias of ``p``).
    conf_level : float
        Confidence level of the intervals.
    table : pandas.DataFrame
        One row per level (columns :data:`LEVEL_COLUMNS`): pairs reaching the level, wins,
        losses, pairs passed on (``unordered``), and of those, pairs with a missing value.

    Examples
    --------
    >>> frame = pd.DataFrame({"arm": ["a", "a", "b", "b"], "x": [3.0, 2.0, 1.0, 2.5]})
    >>> res = win_ratio(frame, arm="arm", treatment="a",
    ...                 outcomes=[Outcome.numeric("x", column="x", higher_is_better=True)])
    >>> res.wins, res.losses, res.ties
    (3, 1, 0)
    """

    n_treatment: int
    n_control: int
    wins: int
    losses: int
    ties: int
    win_ratio: float
    win_ratio_lower: float
    win_ratio_upper: float
    net_benefit: float
    net_benefit_lower: float
    net_benefit_upper: float
    win_odds: float
    win_odds_lower: float
    win_odds_upper: float
    statistic: float
    p: float
    conf_level: float
    table: pd.DataFrame = attrs.field(eq=False)

    pvalue = renamed("p", "pvalue")

    def to_frame(self) -> pd.DataFrame:
        """The three summary measures as a tidy frame.

        Returns
        -------
        pandas.DataFrame
            Index ``win_ratio``, ``net_benefit``, ``win_odds``; columns ``estimate``,
            ``lower``, ``upper``, ``statistic`` and ``p`` (the Finkelstein-Schoenfeld
            test, the same for the three rows).

        Examples
        --------
        >>> frame = pd.DataFrame({"arm": [1, 1, 0, 0], "x": [3.0, 2.0, 1.0, 2.5]})
        >>> res = win_ratio(frame, arm="arm", treatment=1,
        ...                 outcomes=[Outcome.numeric("x", column="x", higher_is_better=True)])
        >>> float(res.to_frame().loc["win_ratio", "estimate"])
        3.0
        """
        return pd.DataFrame(
            {
                "estimate": [self.win_ratio, self.net_benefit, self.win_odds],
                "lower": [self.win_ratio_lower, self.net_benefit_lower, self.win_odds_lower],
                "upper": [self.win_ratio_upper, self.net_benefit_upper, self.win_odds_upper],
                "statistic": [self.statistic] * 3,
                "p": [self.p] * 3,
            },
            index=pd.Index(["win_ratio", "net_benefit", "win_odds"], name="measure"),
        )

    def __repr__(self) -> str:
        pct = f"{100 * self.conf_level:g}%"
        return (
            f"WinRatio(n={self.n_treatment} vs {self.n_control}, wins={self.wins}, "
            f"losses={self.losses}, ties={self.ties}, win_ratio={self.win_ratio:.3g} "
            f"({pct} CI {self.win_ratio_lower:.3g}-{self.win_ratio_upper:.3g}), "
            f"net_benefit={self.net_benefit:.3g}, win_odds={self.win_odds:.3g}, "
            f"Z={self.statistic:.3g}, p={self.p:.3g})"
        )

    def _repr_html_(self) -> str:
        return str(self.to_frame().to_html())


# --- input -------------------------------------------------------------------------------


def _column(frame: pd.DataFrame, name: str, argument: str) -> pd.Series:
    if name not in frame.columns:
        raise SchemaError(f"{argument} = {name!r} is not a column of frame")
    col: Any = frame[name]
    if isinstance(col, pd.DataFrame):
        raise SchemaError(f"{argument} = {name!r} is a repeated column name of frame")
    series: pd.Series = col
    return series


def _numbers(frame: pd.DataFrame, name: str, argument: str, *, low: float) -> FloatArray:
    col = _column(frame, name, argument)
    if pd.api.types.is_bool_dtype(col.dtype) and argument != "event":
        raise SchemaError(f"{argument} = {name!r} holds booleans, not numbers")
    as_object = col.astype(object)
    missing = pd.isna(as_object).to_numpy(dtype=bool)
    values = pd.to_numeric(
        as_object.where(~missing, np.nan).map(
            lambda v: v if isinstance(v, numbers.Real) else np.nan
        ),
        errors="coerce",
    ).to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.isnan(values) & ~missing
    if bad.any():
        raise SchemaError(
            f"{argument} = {name!r}: value {as_object[bad].iloc[0]!r} is not a number"
        )
    out_of_range = ~np.isnan(values) & ((values < low) | ~np.isfinite(values))
    if out_of_range.any():
        allowed = "finite numbers" if low == -math.inf else f"finite numbers in {low:g}..inf"
        raise OutOfRangeError(
            f"{argument} = {name!r}: value {float(values[out_of_range][0])!r} is outside "
            f"the allowed range ({allowed})"
        )
    return values


def _event(frame: pd.DataFrame, name: str) -> FloatArray:
    values = _numbers(frame, name, "event", low=-math.inf)
    bad = ~np.isnan(values) & (values != 0) & (values != 1)
    if bad.any():
        raise OutOfRangeError(
            f"event = {name!r}: value {float(values[bad][0])!r} is outside the allowed 0 or 1"
        )
    return values


def _prepare(frame: pd.DataFrame, outcome: Outcome) -> tuple[FloatArray, FloatArray]:
    """Per-level arrays: (time, event) or (value, nan placeholder)."""
    if outcome.kind == "time_to_event":
        return (
            _numbers(frame, str(outcome.time), "time", low=0.0),
            _event(frame, str(outcome.event)),
        )
    values = _numbers(frame, str(outcome.column), "column", low=-math.inf)
    return (values if outcome.higher_is_better else -values), values


def _arms(frame: pd.DataFrame, arm: object, treatment: object) -> npt.NDArray[np.bool_]:
    if not isinstance(arm, str):
        raise SchemaError(f"arm = {arm!r} is not allowed: give the name of the arm column")
    col = _column(frame, arm, "arm")
    values = col.astype(object)
    missing = pd.isna(values).to_numpy(dtype=bool)
    if missing.any():
        raise SchemaError(
            f"arm column {arm!r} is missing in {int(missing.sum())} row(s); "
            "drop those patients or assign an arm"
        )
    levels = pd.unique(values.to_numpy())
    if len(levels) != 2:
        raise SchemaError(
            f"arm column {arm!r} has {len(levels)} distinct value(s); exactly 2 are allowed"
        )
    try:
        is_treated = (values == treatment).to_numpy(dtype=bool)
    except (TypeError, ValueError) as exc:  # pragma: no cover - exotic comparisons
        raise SchemaError(f"treatment = {treatment!r} cannot be compared with {arm!r}") from exc
    if not is_treated.any():
        raise SchemaError(
            f"treatment = {treatment!r} is not a value of arm column {arm!r} "
            f"(allowed: {', '.join(map(repr, levels))})"
        )
    return is_treated


# --- pairs -------------------------------------------------------------------------------


def _level_pairs(
    outcome: Outcome,
    a: FloatArray,
    b: FloatArray,
    rows: slice,
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Wins, losses and missing of rows ``rows`` against all patients at one level."""
    thr = outcome.threshold
    if outcome.kind == "time_to_event":
        t, e = a, b
        ok = ~np.isnan(t) & ~np.isnan(e)
        missing = ~(ok[rows, None] & ok[None, :])
        diff = t[rows, None] - t[None, :]
        with np.errstate(invalid="ignore"):
            win = (e[None, :] == 1) & (diff > thr)
            loss = (e[rows, None] == 1) & (-diff > thr)
        win &= ~missing
        loss &= ~missing
        return win, loss, missing
    x = a
    ok = ~np.isnan(x)
    missing = ~(ok[rows, None] & ok[None, :])
    with np.errstate(invalid="ignore"):
        diff = x[rows, None] - x[None, :]
        return diff > thr, -diff > thr, missing


def win_ratio(
    frame: pd.DataFrame,
    *,
    arm: str,
    treatment: Any,
    outcomes: Sequence[Outcome],
    conf_level: float = 0.95,
) -> WinRatio:
    r"""Win ratio, net benefit and win odds of prioritized outcomes, with the
    Finkelstein-Schoenfeld test.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per patient: the arm column and the columns the outcomes name.
    arm : str
        Column of the arm; exactly two distinct values, none missing.
    treatment : object
        The value of ``arm`` that marks the treatment arm; the other value is the control.
    outcomes : sequence of Outcome
        Levels in priority order (see :meth:`Outcome.time_to_event`, :meth:`Outcome.numeric`,
        :func:`grcs_outcomes`).
    conf_level : float, default 0.95
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    WinRatio

    Raises
    ------
    SchemaError
        Missing or repeated columns, text in a numeric column, an arm column without exactly
        two arms, a ``treatment`` that is not one of them, an empty ``outcomes``.
    OutOfRangeError
        A negative or infinite time, an event flag other than 0/1, an infinite value,
        ``conf_level`` outside (0, 1).

    Notes
    -----
    Every pair (i, j) of the pooled sample gets a score :math:`s_{ij} \in \{1, -1, 0\}` from
    the first level that orders it (Buyse 2010); over treatment x control pairs,
    :math:`W = \sum s_{ij}^{+}`, :math:`L = \sum s_{ij}^{-}`, :math:`T = n_1 n_0 - W - L`,
    win ratio :math:`W / L` (Pocock 2012), net benefit :math:`(W - L)/(n_1 n_0)`, win odds
    :math:`(W + T/2)/(L + T/2)`.

    *Test* (Finkelstein & Schoenfeld 1999): with :math:`U_i = \sum_{j \ne i} s_{ij}` over the
    pooled sample (within-arm pairs included),

    .. math::

       Z = \frac{\sum_{i \in \text{treatment}} U_i}
       {\sqrt{\frac{n_1 n_0}{N (N - 1)} \sum_{i=1}^{N} U_i^2}},

    the permutation variance; ``p`` is two-sided from the normal distribution. The
    numerator equals :math:`W - L`. Z is NaN when every :math:`U_i` is 0.

    *Intervals*: the win and loss proportions :math:`\theta_w = W/(n_1 n_0)`,
    :math:`\theta_l = L/(n_1 n_0)` are two-sample U-statistics; their variances and
    covariance are estimated from the structural components (DeLong 1988), the large-sample
    (non-null) U-statistic variance of Bebu & Lachin (2016):
    :math:`\widehat{\operatorname{Var}}(\hat\theta) = S_{10}/n_1 + S_{01}/n_0`, with
    :math:`S_{10}` the sample variance (divisor :math:`n_1 - 1`) over treated patients of
    their proportion of wins (losses) against the control arm, :math:`S_{01}` likewise over
    controls. Then, by the delta method,

    - win ratio: :math:`\log(W/L) \pm z\,\mathrm{se}`,
      :math:`\mathrm{se}^2 = V_w/\theta_w^2 + V_l/\theta_l^2 - 2C_{wl}/(\theta_w\theta_l)`;
    - win odds: :math:`\log \mathrm{WO} \pm z\,\mathrm{se}`,
      :math:`\mathrm{se} = 2\,\mathrm{se}(\Delta)/(1 - \Delta^2)` with
      :math:`\Delta` the net benefit and
      :math:`\mathrm{se}(\Delta)^2 = V_w + V_l - 2C_{wl}`;
    - net benefit: the win-odds interval mapped back by :math:`\Delta = (\mathrm{WO}-1)/
      (\mathrm{WO}+1)`, i.e. :math:`\tanh(\operatorname{atanh}\Delta \pm z\,\mathrm{se}(
      \Delta)/(1-\Delta^2))`, which stays inside (-1, 1).

    Intervals are NaN when an arm has one patient, or (win ratio) when W or L is 0, or (net
    benefit, win odds) when :math:`|\Delta| = 1`.

    The pairs are scored vectorised, in blocks of rows against all patients (memory
    :math:`O(N)` per block row, time :math:`O(N^2)` per level).

    References
    ----------
    Buyse M. Stat Med 2010;29:3245-57, doi:10.1002/sim.3923. Finkelstein DM, Schoenfeld DA.
    Stat Med 1999;18:1341-54,
    doi:10.1002/(SICI)1097-0258(19990615)18:11<1341::AID-SIM129>3.0.CO;2-7.
    Pocock SJ et al. Eur Heart J 2012;33:176-82, doi:10.1093/eurheartj/ehr352. Bebu I,
    Lachin JM. Biostatistics 2016;17:178-87, doi:10.1093/biostatistics/kxv032. DeLong ER et
    al. Biometrics 1988;44:837-45, doi:10.2307/2531595.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "arm": ["T", "T", "T", "C", "C", "C"],
    ...     "days": [900, 400, 900, 600, 900, 300],
    ...     "died": [0, 1, 0, 1, 0, 0],
    ...     "fvc": [5.0, None, None, -2.0, 1.0, 0.0],
    ... })
    >>> res = win_ratio(frame, arm="arm", treatment="T", outcomes=[
    ...     Outcome.time_to_event("death", time="days", event="died"),
    ...     Outcome.numeric("FVC", column="fvc", higher_is_better=True),
    ... ])
    >>> res.wins, res.losses, res.ties, res.win_ratio
    (4, 2, 3, 2.0)
    >>> round(res.statistic, 4)
    0.5164
    >>> res.table[["outcome", "pairs", "wins", "losses", "missing"]]
      outcome  pairs  wins  losses  missing
    0   death      9     2       2        0
    1     FVC      5     2       0        3
    """
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"frame = {type(frame).__name__} is not allowed: give a DataFrame")
    level: object = conf_level
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < float(level) < 1:
        raise OutOfRangeError(f"conf_level = {level!r} is outside (0, 1)")
    given: object = outcomes
    if isinstance(given, Outcome):
        given = [given]
    if (
        isinstance(given, str | bytes)
        or not isinstance(given, Sequence)
        or not len(given)
        or not all(isinstance(o, Outcome) for o in given)
    ):
        raise SchemaError(f"outcomes = {given!r} is not allowed: give a non-empty list of Outcome")
    outcomes = list(given)
    is_treated = _arms(frame, arm, treatment)
    prepared = [_prepare(frame, o) for o in outcomes]

    order = np.argsort(~is_treated, kind="stable")  # treated first
    n1 = int(is_treated.sum())
    n = len(order)
    n0 = n - n1
    levels = [(o, a[order], b[order]) for o, (a, b) in zip(outcomes, prepared, strict=True)]

    k = len(outcomes)
    reach = np.zeros(k, dtype=np.int64)
    wins_at = np.zeros(k, dtype=np.int64)
    losses_at = np.zeros(k, dtype=np.int64)
    missing_at = np.zeros(k, dtype=np.int64)
    u = np.zeros(n, dtype=np.float64)
    win_row = np.zeros(n1, dtype=np.float64)  # wins of each treated patient vs controls
    loss_row = np.zeros(n1, dtype=np.float64)
    win_col = np.zeros(n0, dtype=np.float64)  # wins of treatment against each control
    loss_col = np.zeros(n0, dtype=np.float64)
    step = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, n, step):
        rows = slice(start, min(start + step, n))
        score = np.zeros((rows.stop - start, n), dtype=np.int8)
        decided = np.zeros_like(score, dtype=bool)
        t_rows = slice(0, max(0, min(n1, rows.stop) - start))  # treated rows of the block
        for lev, (outcome, a, b) in enumerate(levels):
            win, loss, missing = _level_pairs(outcome, a, b, rows)
            open_ = ~decided
            new_win = win & open_
            new_loss = loss & open_
            if t_rows.stop:
                block = (t_rows, slice(n1, n))
                reach[lev] += int(open_[block].sum())
                wins_at[lev] += int(new_win[block].sum())
                losses_at[lev] += int(new_loss[block].sum())
                missing_at[lev] += int((missing & open_)[block].sum())
            score[new_win] = 1
            score[new_loss] = -1
            decided |= new_win | new_loss
        u[rows] = score.sum(axis=1, dtype=np.int64)
        if t_rows.stop:
            sub = score[t_rows, n1:]
            win_row[start : start + t_rows.stop] = (sub == 1).sum(axis=1)
            loss_row[start : start + t_rows.stop] = (sub == -1).sum(axis=1)
            win_col += (sub == 1).sum(axis=0)
            loss_col += (sub == -1).sum(axis=0)

    wins = int(wins_at.sum())
    losses = int(losses_at.sum())
    pairs = n1 * n0
    ties = pairs - wins - losses

    # Finkelstein-Schoenfeld
    var0 = n1 * n0 / (n * (n - 1)) * float(np.sum(u**2)) if n > 1 else 0.0
    z = (wins - losses) / math.sqrt(var0) if var0 > 0 else math.nan
    p = math.erfc(abs(z) / math.sqrt(2)) if math.isfinite(z) else math.nan

    # estimates
    with np.errstate(divide="ignore", invalid="ignore"):
        wr = float(np.float64(wins) / np.float64(losses)) if losses or wins else math.nan
        wo = (
            float(np.float64(wins + ties / 2) / np.float64(losses + ties / 2))
            if pairs
            else math.nan
        )
    nb = (wins - losses) / pairs if pairs else math.nan

    # U-statistic (structural components) variances
    zq = NormalDist().inv_cdf(0.5 + float(level) / 2)
    wr_lo = wr_hi = nb_lo = nb_hi = wo_lo = wo_hi = math.nan
    if n1 > 1 and n0 > 1:
        th_w, th_l = wins / pairs, losses / pairs
        c10 = np.cov(np.vstack([win_row / n0, loss_row / n0]), ddof=1)
        c01 = np.cov(np.vstack([win_col / n1, loss_col / n1]), ddof=1)
        cov = c10 / n1 + c01 / n0
        v_w, v_l, c_wl = float(cov[0, 0]), float(cov[1, 1]), float(cov[0, 1])
        if th_w > 0 and th_l > 0:
            se = math.sqrt(max(0.0, v_w / th_w**2 + v_l / th_l**2 - 2 * c_wl / (th_w * th_l)))
            wr_lo, wr_hi = wr * math.exp(-zq * se), wr * math.exp(zq * se)
        if abs(nb) < 1:
            se_nb = math.sqrt(max(0.0, v_w + v_l - 2 * c_wl))
            half = zq * se_nb / (1 - nb**2)
            nb_lo, nb_hi = math.tanh(math.atanh(nb) - half), math.tanh(math.atanh(nb) + half)
            wo_lo, wo_hi = wo * math.exp(-2 * half), wo * math.exp(2 * half)

    table = pd.DataFrame(
        {
            "outcome": [o.name for o in outcomes],
            "kind": [o.kind for o in outcomes],
            "threshold": [o.threshold for o in outcomes],
            "pairs": reach,
            "wins": wins_at,
            "losses": losses_at,
            "unordered": reach - wins_at - losses_at,
            "missing": missing_at,
        },
        columns=list(LEVEL_COLUMNS),
    )
    return WinRatio(
        n_treatment=n1,
        n_control=n0,
        wins=wins,
        losses=losses,
        ties=ties,
        win_ratio=wr,
        win_ratio_lower=wr_lo,
        win_ratio_upper=wr_hi,
        net_benefit=nb,
        net_benefit_lower=nb_lo,
        net_benefit_upper=nb_hi,
        win_odds=wo,
        win_odds_lower=wo_lo,
        win_odds_upper=wo_hi,
        statistic=z,
        p=p,
        conf_level=float(level),
        table=table,
    )
