"""Nominal timepoints with visit windows, and the one rule that picks a visit for each.

A :class:`Schedule` is an ordered tuple of :class:`Timepoint` objects -- a baseline and
follow-up timepoints such as 1, 3 and 5 years -- each with a target day (days from the
index date, day 0) and a window. :meth:`Schedule.select` picks, for every patient, every
timepoint and every measure, the one visit whose value is used:

* **Follow-up timepoints**: among the patient's visits that *have a value of the measure*
  and lie inside the window ``target_day - before .. target_day + after`` (both ends
  included), the visit closest to the target day; when two visits are equally close (one
  before and one after the target), the earlier one.
* **Baseline**: the last visit with a value of the measure on or before the baseline's
  target day (day 0) within the look-back window (default 90 days: days -90 .. 0). This is
  the same rule with a window that ends at the target: the closest visit on or before day 0
  is the last one.

The rule is applied per measure: a visit that lacks a measure does not count for it, so
the mRSS at one year may come from a different visit than the FVC. A patient who died or
was lost to follow-up before a timepoint's window has no value there; the number of
patients with a value (``n``) falls accordingly (:func:`timepoint_counts`).

The baseline rule is the CDISC baseline convention (SDTMIG ``--BLFL``: the last record with
a non-missing result on or before the reference start date). The closest-to-target rule with
ties to the earlier visit is the library's documented analysis-window convention; it is not
taken from a clinical publication, and statistical analysis plans differ in their
tie-breaks (some take the later visit, or the worst value).

The implementation is vectorized: the visits are sorted once by patient and day, and each
timepoint x measure is one pass of numpy over the sorted blocks (no Python loop over
visits or patients), so registries with millions of visits are handled in seconds.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._selection import DEFAULT_BASELINE_WINDOW_DAYS, selection_key
from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_pandas,
    check_number,
    float_column,
    labelled_categorical,
    read_numeric_columns,
    unique_columns,
)
from ..errors import OutOfRangeError, SchemaError, SSCOutcomesWarning
from ..scoring import score_available

__all__ = [
    "DAYS_PER_YEAR",
    "DEFAULT_BASELINE_WINDOW_DAYS",
    "DEFAULT_WINDOW_DAYS",
    "FOLLOW_UP_STATUSES",
    "Schedule",
    "Timepoint",
    "timepoint_counts",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: Length of a year in days used to place yearly and monthly timepoints (Julian year):
#: year 1 = day 365, year 3 = day 1096, year 5 = day 1826, 6 months = day 183.
DAYS_PER_YEAR: Final = 365.25
#: Default half-width of a follow-up window, in days (year 1 = days 275 .. 455).
DEFAULT_WINDOW_DAYS: Final = 90
#: Follow-up status labels reported per patient and timepoint when death and last-contact
#: days are known: still followed, died before the window, lost before the window.
FOLLOW_UP_STATUSES: Final[tuple[str, str, str, str]] = (
    "in follow-up",
    "died",
    "lost to follow-up",
    "not yet due",
)

_STATUS_IN_FOLLOW_UP, _STATUS_DIED, _STATUS_LOST, _STATUS_NOT_YET_DUE = 0, 1, 2, 3


# --------------------------------------------------------------------------------------
# timepoints and schedules
# --------------------------------------------------------------------------------------
def _check_days(label: str, value: object, lo: float = 0.0) -> int:
    """A whole number of days >= ``lo`` (OutOfRangeError naming ``label`` otherwise)."""
    return int(check_number(label, value, lo, math.inf, integer=True, unit="days"))


def _check_window(inst: Timepoint, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, tuple):
        if len(value) != 2:
            raise OutOfRangeError(
                f"timepoint {inst.name!r}: window_days = {value!r} must be one half-width or a "
                f"(before, after) pair of days"
            )
        _check_days(f"timepoint {inst.name!r} window_days before", value[0])
        after = _check_days(f"timepoint {inst.name!r} window_days after", value[1])
        if inst.is_baseline and after != 0:
            raise OutOfRangeError(
                f"baseline {inst.name!r}: window_days after = {after} is outside 0..0 days "
                f"(the baseline is the last value on or before its target day)"
            )
    else:
        _check_days(f"timepoint {inst.name!r} window_days", value)


def _check_target(inst: Timepoint, _attribute: attrs.Attribute[Any], value: Any) -> None:
    check_number(
        f"timepoint {inst.name!r} target_day", value, -math.inf, math.inf, integer=True, unit="days"
    )


def _check_name(_inst: Timepoint, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SchemaError(f"timepoint name = {value!r} must be a non-empty string")


def _window_converter(value: Any) -> Any:
    """Lists become tuples so a (before, after) pair can be given either way."""
    return tuple(value) if isinstance(value, list) else value


@attrs.frozen(kw_only=True, slots=True)
class Timepoint:
    """A nominal timepoint: a target day with a window of eligible visit days.

    Parameters
    ----------
    name : str
        Label used in results, e.g. ``"baseline"``, ``"6 months"``, ``"1 year"``.
    target_day : int
        Target day counted from the index date (day 0).
    window_days : int or tuple of int
        Either one half-width (the window is ``target_day - w .. target_day + w``) or a
        ``(before, after)`` pair. For a baseline, one number is the look-back
        (``target_day - w .. target_day``) and ``after`` must be 0. Both ends are included.
    is_baseline : bool
        Whether this is the baseline (the reference of change from baseline).

    Raises
    ------
    OutOfRangeError
        A target day or window that is not a whole number of days, a negative window, or a
        baseline window reaching past the target day.

    Examples
    --------
    >>> from sscoutcomes.analysis.schedule import Timepoint
    >>> year1 = Timepoint(name="1 year", target_day=365, window_days=90)
    >>> year1.first_day, year1.last_day
    (275, 455)
    >>> Timepoint(name="1 year", target_day=365, window_days=(30, 60)).first_day
    335
    >>> Timepoint(name="baseline", target_day=0, window_days=90, is_baseline=True).last_day
    0
    """

    name: str = attrs.field(validator=_check_name)
    target_day: int = attrs.field(validator=_check_target)
    window_days: int | tuple[int, int] = attrs.field(
        default=DEFAULT_WINDOW_DAYS, converter=_window_converter, validator=_check_window
    )
    is_baseline: bool = False

    @property
    def window_before(self) -> int:
        """Days before the target day that still count."""
        w = self.window_days
        return int(w[0] if isinstance(w, tuple) else w)

    @property
    def window_after(self) -> int:
        """Days after the target day that still count (0 for a baseline)."""
        w = self.window_days
        if isinstance(w, tuple):
            return int(w[1])
        return 0 if self.is_baseline else int(w)

    @property
    def first_day(self) -> int:
        """First day of the window (included)."""
        return int(self.target_day) - self.window_before

    @property
    def last_day(self) -> int:
        """Last day of the window (included)."""
        return int(self.target_day) + self.window_after


def _to_timepoints(value: Iterable[Timepoint]) -> tuple[Timepoint, ...]:
    if isinstance(value, (str, bytes, Timepoint, pd.DataFrame)) or not isinstance(value, Iterable):
        raise SchemaError(
            f"timepoints must be a sequence of Timepoint objects; got {type(value).__name__}"
        )
    return tuple(value)


def _timepoint_name(months: float) -> str:
    """``"6 months"``, ``"1 year"``, ``"3 years"``, ``"18 months"``, ``"1.5 months"``."""
    if float(months).is_integer():
        m = int(months)
        if m % 12 == 0:
            years = m // 12
            return f"{years} year" if years == 1 else f"{years} years"
        return f"{m} month" if m == 1 else f"{m} months"
    return f"{months:g} months"


def _round_day(x: float) -> int:
    """Round half up (730.5 -> 731) so the placement does not depend on banker's rounding."""
    return math.floor(x + 0.5)


@attrs.frozen(kw_only=True, slots=True)
class Schedule:
    """An ordered set of timepoints: an optional baseline followed by follow-up timepoints.

    Parameters
    ----------
    timepoints : iterable of Timepoint
        In strictly increasing order of target day, with unique names; at most one baseline,
        and it comes first.

    Raises
    ------
    SchemaError
        Duplicate names, unordered timepoints, more than one baseline or a baseline that is
        not first.

    Warns
    -----
    SSCOutcomesWarning
        When the windows of neighbouring timepoints overlap: one visit may then be used
        for two timepoints.

    Notes
    -----
    Visit-selection rule (:meth:`select`): per patient and per measure, a follow-up
    timepoint uses the visit with a value that is closest to the target day inside the
    window (ties go to the earlier visit); the baseline is the last value on or before day 0
    within the look-back window.

    Examples
    --------
    >>> from sscoutcomes.analysis.schedule import Schedule
    >>> schedule = Schedule.years(0, 1, 3, 5, window_days=90)
    >>> schedule.names
    ('baseline', '1 year', '3 years', '5 years')
    >>> [(t.first_day, t.last_day) for t in schedule]
    [(-90, 0), (275, 455), (1006, 1186), (1736, 1916)]
    """

    timepoints: tuple[Timepoint, ...] = attrs.field(converter=_to_timepoints)

    def __attrs_post_init__(self) -> None:
        tps = self.timepoints
        if not tps:
            raise SchemaError("a schedule needs at least one timepoint")
        for tp in tps:
            if not isinstance(tp, Timepoint):
                raise SchemaError(f"schedule entry {tp!r} is not a Timepoint")
        names = [tp.name for tp in tps]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise SchemaError(f"timepoint names must be unique; repeated: {', '.join(dupes)}")
        baselines = [i for i, tp in enumerate(tps) if tp.is_baseline]
        if len(baselines) > 1 or (baselines and baselines[0] != 0):
            raise SchemaError("a schedule has at most one baseline, and it is the first timepoint")
        for a, b in itertools.pairwise(tps):
            if not a.target_day < b.target_day:
                raise SchemaError(
                    f"timepoints must be in increasing order of target_day: {a.name!r} "
                    f"(day {a.target_day}) comes before {b.name!r} (day {b.target_day})"
                )
            if a.last_day >= b.first_day:
                warnings.warn(
                    f"the windows of {a.name!r} (days {a.first_day}..{a.last_day}) and "
                    f"{b.name!r} (days {b.first_day}..{b.last_day}) overlap: one visit may be "
                    f"used for both",
                    SSCOutcomesWarning,
                    stacklevel=3,
                )

    # -- construction ------------------------------------------------------------------
    @classmethod
    def years(
        cls,
        *years: float,
        window_days: int | tuple[int, int] = DEFAULT_WINDOW_DAYS,
        baseline_window_days: int = DEFAULT_BASELINE_WINDOW_DAYS,
    ) -> Schedule:
        """Yearly timepoints; ``0`` is the baseline.

        Parameters
        ----------
        *years : float
            Years after the index date, increasing; ``0`` adds the baseline.
        window_days : int or tuple of int
            Half-width (or ``(before, after)``) of every follow-up window. Default 90.
        baseline_window_days : int
            Look-back of the baseline window. Default 90.

        Notes
        -----
        Target day = ``round(years * 365.25)`` (:data:`DAYS_PER_YEAR`): 1 year = day 365,
        3 years = day 1096, 5 years = day 1826.

        Examples
        --------
        >>> from sscoutcomes.analysis.schedule import Schedule
        >>> [(t.name, t.target_day) for t in Schedule.years(0, 1, 3)]
        [('baseline', 0), ('1 year', 365), ('3 years', 1096)]
        """
        return cls._from_months(
            [_as_offset("years", y) * 12 for y in years], window_days, baseline_window_days
        )

    @classmethod
    def months(
        cls,
        *months: float,
        window_days: int | tuple[int, int] = DEFAULT_WINDOW_DAYS,
        baseline_window_days: int = DEFAULT_BASELINE_WINDOW_DAYS,
    ) -> Schedule:
        """Monthly timepoints; ``0`` is the baseline. Whole years are named in years.

        Target day = ``round(months * 365.25 / 12)``: 6 months = day 183, 12 months = day
        365 (named ``"1 year"``). Choose ``window_days`` narrower than half the spacing of
        the timepoints, otherwise neighbouring windows overlap (a warning says so).

        Examples
        --------
        >>> from sscoutcomes.analysis.schedule import Schedule
        >>> s = Schedule.months(0, 6, 12, 24, window_days=60)
        >>> [(t.name, t.target_day) for t in s]
        [('baseline', 0), ('6 months', 183), ('1 year', 365), ('2 years', 731)]
        """
        return cls._from_months(
            [_as_offset("months", m) for m in months], window_days, baseline_window_days
        )

    @classmethod
    def _from_months(
        cls,
        months: Sequence[float],
        window_days: int | tuple[int, int],
        baseline_window_days: int,
    ) -> Schedule:
        timepoints = []
        for m in months:
            if m == 0:
                timepoints.append(
                    Timepoint(
                        name="baseline",
                        target_day=0,
                        window_days=baseline_window_days,
                        is_baseline=True,
                    )
                )
            else:
                timepoints.append(
                    Timepoint(
                        name=_timepoint_name(m),
                        target_day=_round_day(m * DAYS_PER_YEAR / 12),
                        window_days=window_days,
                    )
                )
        return cls(timepoints=timepoints)

    # -- access ------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Timepoint]:
        return iter(self.timepoints)

    def __len__(self) -> int:
        return len(self.timepoints)

    def __getitem__(self, name: str) -> Timepoint:
        if not isinstance(name, str):
            raise SchemaError(f"a timepoint is looked up by its name (text); got {name!r}")
        for tp in self.timepoints:
            if tp.name == name:
                return tp
        raise SchemaError(
            f"timepoint {name!r} is not in the schedule; it has {', '.join(map(repr, self.names))}"
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Timepoint names in order."""
        return tuple(tp.name for tp in self.timepoints)

    @property
    def baseline(self) -> Timepoint | None:
        """The baseline timepoint, or None when the schedule has none."""
        first = self.timepoints[0]
        return first if first.is_baseline else None

    @property
    def follow_up(self) -> tuple[Timepoint, ...]:
        """The timepoints after the baseline."""
        return tuple(tp for tp in self.timepoints if not tp.is_baseline)

    def require_baseline(self) -> Timepoint:
        """The baseline timepoint; :class:`SchemaError` when the schedule has none."""
        base = self.baseline
        if base is None:
            raise SchemaError(
                "the schedule has no baseline timepoint; include 0 in Schedule.years(0, ...) "
                "or a Timepoint(..., is_baseline=True)"
            )
        return base

    # -- the selection rule ------------------------------------------------------------
    def select(
        self,
        visits: Any,
        measures: str | Sequence[str],
        *,
        patients: pd.DataFrame | None = None,
        cutoff: Any = None,
    ) -> pd.DataFrame:
        """Pick the visit used at each timepoint, per patient and per measure.

        Parameters
        ----------
        visits : pandas.DataFrame or Cohort
            Visits frame (one row per visit: ``patient_id``, ``day`` and measure columns) or
            any object with a ``visits`` DataFrame attribute (a ``Cohort``); such an object's
            ``patients_frame`` is used for deaths and loss to follow-up unless
            ``patients`` is given.
        measures : str or sequence of str
            Columns to pick (any dtype). A score the frame does not hold (``mrss``,
            ``haq_di``, ...) is computed from its items.
        patients : pandas.DataFrame, optional
            One row per patient: ``patient_id`` and optionally ``death_day`` and
            ``last_contact_day`` (days from the index date; empty where unknown).
            Patients listed here without visits appear with missing values.
        cutoff : date or str, optional
            The data cut-off (default: the cohort's, :attr:`sscoutcomes.Cohort.cutoff`). A
            patient whose window opens after it is "not yet due" (administratively
            censored), not "lost to follow-up"; needs the patients' ``index_date``.

        Returns
        -------
        pandas.DataFrame
            One row per patient x timepoint, sorted by ``patient_id`` then schedule order:
            ``patient_id``, ``timepoint`` (ordered categorical), ``target_day``, ``status``
            (only with a patients frame: one of :data:`FOLLOW_UP_STATUSES`), then for each
            measure its value (column named as the measure, missing when no visit
            qualifies) and ``day_<measure>``, the day of the visit used. The input is not
            modified; its row order does not matter.

        Raises
        ------
        SchemaError
            Missing ``patient_id``/``day``/measure columns, missing patient ids, two visits of
            a patient on the same day, visits after the patient's ``death_day`` or
            ``last_contact_day``, visit patients absent from the patients frame.
        OutOfRangeError
            Days that are not whole numbers (a missing day is a SchemaError).

        Examples
        --------
        >>> import pandas as pd
        >>> from sscoutcomes.analysis.schedule import Schedule
        >>> visits = pd.DataFrame({
        ...     "patient_id": ["a", "a", "a", "a", "b", "b"],
        ...     "day": [-30, 0, 350, 380, -10, 400],
        ...     "mrss": [20, None, 15, 14, 12, 9],
        ... })
        >>> sel = Schedule.years(0, 1).select(visits, "mrss")
        >>> sel[["patient_id", "timepoint", "mrss", "day_mrss"]]
          patient_id timepoint  mrss  day_mrss
        0          a  baseline  20.0     -30.0
        1          a    1 year  15.0     350.0
        2          b  baseline  12.0     -10.0
        3          b    1 year   9.0     400.0

        Day 0 of patient ``a`` has no mRSS, so the baseline is day -30; at one year days 350
        and 380 are both 15 days from day 365 and the earlier one is used.
        """
        names = _measure_names(measures)
        data = _prepare(visits, patients, names, cutoff)
        picks = _pick_all(data, self.timepoints, names)
        n_t, n_p = len(self.timepoints), data.n_patients
        out: dict[str, Any] = {
            "patient_id": pd.array(
                data.ids.take(np.repeat(np.arange(n_p), n_t)).to_numpy(), dtype="string"
            ),
            "timepoint": _timepoint_categorical(self.names, np.tile(np.arange(n_t), n_p)),
            "target_day": np.tile(np.array([tp.target_day for tp in self], dtype=np.int64), n_p),
        }
        if data.has_status:
            out["status"] = _status_categorical(_status(data, self.timepoints).T.ravel())
        for m in names:
            pos = picks[m].T.ravel()
            out[m] = _take(data.visits[m], _original_rows(data, pos))
            out[f"day_{m}"] = _days_used(data, pos)
        return pd.DataFrame(out)


def _as_offset(unit: str, value: object) -> float:
    x = check_number(f"schedule {unit}", value, 0.0, math.inf)
    if not math.isfinite(x):
        raise OutOfRangeError(f"schedule {unit} = {value!r} is not a finite number")
    return x


# --------------------------------------------------------------------------------------
# preparation: validation, sorting into patient blocks
# --------------------------------------------------------------------------------------
_DAY_SPEC: Final = ColumnSpec(name="day", dtype="int", description="days from index")


def _visits_of(data: Any) -> pd.DataFrame:
    """The visits frame of ``data``: a DataFrame itself (a polars or pyarrow table
    converted), or its ``visits`` attribute."""
    data = as_pandas(data)
    if isinstance(data, pd.DataFrame):
        return unique_columns(data, "visits frame")
    frame = getattr(data, "visits", None)
    if isinstance(frame, pd.DataFrame):
        return unique_columns(frame, "visits frame")
    raise SchemaError(
        f"expected a visits DataFrame or an object with a 'visits' DataFrame (a Cohort); "
        f"got {type(data).__name__}"
    )


def require_schedule(value: Any, label: str = "schedule") -> Schedule:
    """``value`` when it is a :class:`Schedule`; a SchemaError naming ``label`` otherwise."""
    if not isinstance(value, Schedule):
        raise SchemaError(
            f"{label} must be a Schedule (e.g. Schedule.years(0, 1, 3)); got {type(value).__name__}"
        )
    return value


def require_follow_up(schedule: Schedule) -> tuple[Timepoint, ...]:
    """The schedule's follow-up timepoints; a SchemaError when it has none."""
    follow = schedule.follow_up
    if not follow:
        raise SchemaError(
            f"the schedule has only a baseline ({', '.join(schedule.names)}), no follow-up "
            "timepoint; add one, e.g. Schedule.years(0, 1)"
        )
    return follow


def _patients_of(data: Any, patients: pd.DataFrame | None) -> pd.DataFrame | None:
    """The patients frame: ``patients`` when given, else ``data.patients_frame`` if any."""
    if patients is not None:
        patients = as_pandas(patients)
        if not isinstance(patients, pd.DataFrame):
            raise SchemaError(f"patients must be a DataFrame; got {type(patients).__name__}")
        return unique_columns(patients, "patients frame")
    frame = getattr(data, "patients_frame", None)
    return frame if isinstance(frame, pd.DataFrame) else None


def _measure_names(measures: str | Sequence[str]) -> tuple[str, ...]:
    if not isinstance(measures, (str, list, tuple, pd.Index, np.ndarray)):
        raise SchemaError(
            f"measures must be a column name or a list of them; got {type(measures).__name__}"
        )
    names = (measures,) if isinstance(measures, str) else tuple(measures)
    if not names:
        raise SchemaError("give at least one measure column")
    for m in names:
        if not isinstance(m, str):
            raise SchemaError(f"measure {m!r} is not a column name")
        if m in ("patient_id", "day"):
            raise SchemaError(f"measure {m!r} is a key column, not a measure")
    dupes = sorted({m for m in names if names.count(m) > 1})
    if dupes:
        raise SchemaError(f"measures repeated: {', '.join(dupes)}")
    return names


@attrs.frozen(kw_only=True)
class _Prepared:
    """Visits sorted into patient blocks (sorted by patient, then day)."""

    visits: pd.DataFrame
    ids: pd.Index  # sorted unique patient ids; position = patient code
    rows: IntArray  # original row positions of the visits in sorted order
    code: IntArray  # patient code of each sorted visit
    day: IntArray  # day of each sorted visit
    death_day: FloatArray | None  # per patient code, NaN = unknown
    last_contact_day: FloatArray | None
    cutoff_day: FloatArray | None  # per patient code: the data cut-off, days from index
    has_status: bool

    @property
    def n_patients(self) -> int:
        return len(self.ids)


def _check_ids(frame: pd.DataFrame, what: str) -> None:
    """SchemaError listing every row without a patient id."""
    ids = frame["patient_id"]
    missing = ids.isna().to_numpy(dtype=bool)
    if missing.any():
        collector = FailureCollector(frame)
        collector.add(missing, "patient_id", ids.to_numpy(dtype=object), "is missing", schema=True)
        collector.raise_if_failed(what)


def _prepare(
    data: Any, patients: pd.DataFrame | None, measures: Sequence[str], cutoff: Any = None
) -> _Prepared:
    """Validate the visits (and patients) frame and sort the visits into patient blocks."""
    visits = _visits_of(data)
    pat = _patients_of(data, patients)
    unscored = [m for m in measures if m not in visits.columns]
    if unscored:  # a score the frame does not hold is computed from its items
        visits = score_available(visits, unscored)
    absent = [c for c in ("patient_id", "day", *measures) if c not in visits.columns]
    if absent:
        raise SchemaError(
            f"the visits frame lacks column(s) {', '.join(map(repr, absent))}; it has "
            f"{', '.join(map(str, visits.columns))}"
        )
    _check_ids(visits, "visits frame")
    collector = FailureCollector(visits)
    day_f = float_column(visits, _DAY_SPEC, collector)
    collector.raise_if_failed()
    no_day = np.isnan(day_f)
    with np.errstate(invalid="ignore"):
        fractional = ~no_day & (day_f != np.round(day_f))
    collector.add(no_day, "day", day_f, "is missing (every visit needs its day)", schema=True)
    collector.add(fractional, "day", day_f, "is not a whole number of days from the index date")
    collector.raise_if_failed()
    day_all = day_f.astype(np.int64)

    visit_ids = visits["patient_id"]
    if pat is not None:
        if "patient_id" not in pat.columns:
            raise SchemaError("the patients frame lacks the 'patient_id' column")
        _check_ids(pat, "patients frame")
    codes_all, ids = _patient_codes(visit_ids, None if pat is None else pat["patient_id"])
    code_visits = codes_all[: len(visits)]

    rows = np.lexsort((day_all, code_visits)).astype(np.int64)
    code = code_visits[rows]
    day = day_all[rows]
    dup = np.zeros(len(rows), dtype=bool)
    same = (code[1:] == code[:-1]) & (day[1:] == day[:-1])
    dup[1:] |= same
    dup[:-1] |= same
    if dup.any():
        mask = np.zeros(len(rows), dtype=bool)
        mask[rows[dup]] = True
        collector.add(
            mask,
            "day",
            day_all,
            "repeats a visit day of the same patient (one row per patient and day; merge "
            "the duplicates first)",
            schema=True,
        )
        collector.raise_if_failed()

    death = contact = None
    if pat is not None:
        death, contact = _patient_days(pat, codes_all[len(visits) :], len(ids))
        in_pat = np.zeros(len(ids), dtype=bool)
        in_pat[codes_all[len(visits) :]] = True
        no_pat = ~in_pat[code_visits]
        if no_pat.any():
            collector.add(
                no_pat,
                "patient_id",
                visit_ids.to_numpy(dtype=object),
                "is not in the patients frame",
                schema=True,
            )
        for arr, col in ((death, "death_day"), (contact, "last_contact_day")):
            if arr is None:
                continue
            limit = arr[code_visits]
            with np.errstate(invalid="ignore"):
                after = ~np.isnan(limit) & (day_all > limit)
            collector.add(after, "day", day_all, f"is after the patient's {col}", schema=True)
        collector.raise_if_failed()
    return _Prepared(
        visits=visits,
        ids=ids,
        rows=rows,
        code=code,
        day=day,
        death_day=death,
        cutoff_day=_cutoff_days(data, pat, codes_all[len(visits) :], len(ids), cutoff),
        last_contact_day=contact,
        has_status=pat is not None,
    )


def _patient_codes(
    visit_ids: pd.Series[Any], patient_ids: pd.Series[Any] | None
) -> tuple[IntArray, pd.Index]:
    """Codes of the visits' patient ids, followed by those of the patients frame's ids, and
    the sorted unique ids (position = code)."""
    all_ids = visit_ids.reset_index(drop=True)
    if patient_ids is not None:
        all_ids = pd.concat([all_ids, patient_ids.reset_index(drop=True)], ignore_index=True)
    try:
        codes, uniques = pd.factorize(all_ids, sort=True)
    except TypeError as exc:
        raise SchemaError(f"patient_id values cannot be ordered (mixed types?): {exc}") from None
    return codes.astype(np.int64), pd.Index(uniques, name="patient_id")


def _cutoff_days(
    data: Any,
    pat: pd.DataFrame | None,
    codes: IntArray,
    n_patients: int,
    cutoff: Any,
) -> FloatArray | None:
    """The data cut-off (``cutoff``, else the cohort's) as days from each patient's index
    date; ``None`` without a cut-off. A cut-off needs the patients' ``index_date``."""
    when = cutoff if cutoff is not None else getattr(data, "cutoff", None)
    if when is None:
        return None
    try:
        stamp = pd.Timestamp(when)
    except (TypeError, ValueError):
        raise SchemaError(f"cutoff = {when!r} is not a date (give e.g. '2024-06-30')") from None
    if pat is None or "index_date" not in pat.columns:
        raise SchemaError(
            "a data cut-off needs each patient's index_date (in the patients frame) to know "
            "which timepoints are not yet due"
        )
    index = pd.to_datetime(pat["index_date"]).to_numpy(dtype="datetime64[ns]")
    days = np.full(n_patients, np.nan)
    known = ~np.isnat(index)
    cut = np.asarray(stamp.normalize().to_datetime64(), dtype="datetime64[ns]")
    days[codes[known]] = ((cut - index[known]) / np.timedelta64(1, "D")).astype(np.float64)
    return days


def _patient_days(
    pat: pd.DataFrame, codes: IntArray, n_patients: int
) -> tuple[FloatArray | None, FloatArray | None]:
    """death_day and last_contact_day per patient code (NaN = unknown)."""
    dupes = pd.Series(codes).duplicated(keep=False).to_numpy(dtype=bool)
    collector = FailureCollector(pat)
    if dupes.any():
        collector.add(
            dupes,
            "patient_id",
            pat["patient_id"].to_numpy(dtype=object),
            "appears more than once in the patients frame",
            schema=True,
        )
    out: list[FloatArray | None] = []
    for col in ("death_day", "last_contact_day"):
        if col not in pat.columns:
            out.append(None)
            continue
        values = float_column(pat, ColumnSpec(name=col, dtype="float", description=col), collector)
        per_patient = np.full(n_patients, np.nan)
        per_patient[codes] = values
        out.append(per_patient)
    collector.raise_if_failed("patients frame")
    return out[0], out[1]


# --------------------------------------------------------------------------------------
# the rule
# --------------------------------------------------------------------------------------
def _pick(data: _Prepared, present: BoolArray, tp: Timepoint) -> IntArray:
    """Per patient code: sorted position of the visit used at ``tp`` (-1 when none).

    ``present`` marks (in sorted order) the visits that have a value of the measure.
    Eligible visits lie inside the window. Each gets the key ``2 |day - target| + (day >
    target)``, unique within a patient because days are unique; the minimum per patient
    block is the closest visit, the earlier one on a tie, and for a baseline (window ending
    at the target) the last visit on or before the target.
    """
    out = np.full(data.n_patients, -1, dtype=np.int64)
    day = data.day
    eligible = present & (day >= tp.first_day) & (day <= tp.last_day)
    idx = np.flatnonzero(eligible)
    if idx.size == 0:
        return out
    code = data.code[idx]
    key = selection_key(day[idx], int(tp.target_day))
    start = np.empty(idx.size, dtype=bool)
    start[0] = True
    np.not_equal(code[1:], code[:-1], out=start[1:])
    block_min = np.minimum.reduceat(key, np.flatnonzero(start))
    chosen = key == block_min[np.cumsum(start) - 1]
    out[code[chosen]] = idx[chosen]
    return out


def _pick_all(
    data: _Prepared, timepoints: Sequence[Timepoint], measures: Sequence[str]
) -> dict[str, IntArray]:
    """Per measure: (n_timepoints, n_patients) sorted positions of the visits used (-1 none)."""
    picks: dict[str, IntArray] = {}
    for m in measures:
        present = _in_sorted_order(data, data.visits[m].notna().to_numpy(dtype=bool))
        picks[m] = np.stack([_pick(data, present, tp) for tp in timepoints])
    return picks


def _status(data: _Prepared, timepoints: Sequence[Timepoint]) -> npt.NDArray[np.int8]:
    """(n_timepoints, n_patients) follow-up status codes: died / lost before the window."""
    status = np.full((len(timepoints), data.n_patients), _STATUS_IN_FOLLOW_UP, dtype=np.int8)
    for i, tp in enumerate(timepoints):
        with np.errstate(invalid="ignore"):
            if data.last_contact_day is not None:
                status[i, data.last_contact_day < tp.first_day] = _STATUS_LOST
            if data.cutoff_day is not None:  # the window opens after the data cut-off
                status[i, data.cutoff_day < tp.first_day] = _STATUS_NOT_YET_DUE
            if data.death_day is not None:
                status[i, data.death_day < tp.first_day] = _STATUS_DIED
    return status


def _status_categorical(codes: npt.NDArray[np.int8]) -> pd.Categorical:
    return labelled_categorical(codes, FOLLOW_UP_STATUSES)


def _timepoint_categorical(names: Sequence[str], codes: IntArray) -> pd.Categorical:
    return pd.Categorical.from_codes(
        codes, categories=pd.Index(list(names), dtype=object), ordered=True
    )


def _days_used(data: _Prepared, pos: IntArray) -> FloatArray:
    """Day of the visit at each sorted position (NaN for -1)."""
    return _values_at(data.day.astype(np.float64), pos)


def _numeric_values(data: _Prepared, measures: Sequence[str]) -> dict[str, FloatArray]:
    """The measure columns as float64 in *sorted* visit order (SchemaError for text)."""
    specs = [ColumnSpec(name=m, dtype="float", description=m) for m in measures]
    values = read_numeric_columns(data.visits, specs)
    return {m: _in_sorted_order(data, values[m]) for m in measures}


def _in_sorted_order(data: _Prepared, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Per-visit ``values`` (input row order) in sorted visit order."""
    return values[data.rows]


def _values_at(values: FloatArray, pos: IntArray) -> FloatArray:
    """Values (sorted visit order) at sorted positions ``pos``; NaN where ``pos`` is -1."""
    out = np.full(pos.shape, np.nan)
    hit = pos >= 0
    out[hit] = values[pos[hit]]
    return out


@attrs.frozen(kw_only=True)
class _Paired:
    """Numeric baseline and follow-up values (and the days used) for each measure.

    ``baseline[m]``, ``baseline_day[m]``: shape (n_patients,); ``value[m]``, ``day[m]``:
    shape (n_patients, n_follow_up_timepoints). NaN where no visit qualifies.
    """

    data: _Prepared
    baseline: dict[str, FloatArray]
    baseline_day: dict[str, FloatArray]
    value: dict[str, FloatArray]
    day: dict[str, FloatArray]


def _paired_values(
    visits: Any,
    patients: pd.DataFrame | None,
    measures: Sequence[str],
    baseline: Timepoint,
    follow_up: Sequence[Timepoint],
) -> _Paired:
    """Apply the rule at the baseline and at each follow-up timepoint, numeric measures."""
    data = _prepare(visits, patients, measures)
    picks = _pick_all(data, (baseline, *follow_up), measures)
    values = _numeric_values(data, measures)
    return _Paired(
        data=data,
        baseline={m: _values_at(values[m], picks[m][0]) for m in measures},
        baseline_day={m: _days_used(data, picks[m][0]) for m in measures},
        value={m: _values_at(values[m], picks[m][1:]).T for m in measures},
        day={m: _days_used(data, picks[m][1:]).T for m in measures},
    )


def _original_rows(data: _Prepared, pos: IntArray) -> IntArray:
    """Original row positions of sorted positions ``pos`` (-1 stays -1)."""
    out = np.full(pos.shape, -1, dtype=np.int64)
    hit = pos >= 0
    out[hit] = data.rows[pos[hit]]
    return out


def _take(column: pd.Series[Any], rows: IntArray) -> pd.Series[Any]:
    """Values of ``column`` at original row positions ``rows`` (-1 = missing), keeping the
    dtype where it can hold missing values (booleans become nullable booleans)."""
    col = column.reset_index(drop=True)
    if pd.api.types.is_bool_dtype(col.dtype):
        col = col.astype("boolean")
    return col.reindex(rows).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# counts
# --------------------------------------------------------------------------------------
def timepoint_counts(selection: pd.DataFrame) -> pd.DataFrame:
    """How many patients have a value at each timepoint, and why the others do not.

    Parameters
    ----------
    selection : pandas.DataFrame
        The result of :meth:`Schedule.select`.

    Returns
    -------
    pandas.DataFrame
        One row per timepoint x measure: ``timepoint``, ``measure``, ``n`` (patients with a
        value), ``n_died`` and ``n_lost`` (without a value because they died or were lost
        to follow-up before the window; 0 without a patients frame), ``n_not_yet_due``
        (the window opens after the data cut-off: administratively censored, not lost),
        ``n_missing`` (still followed but no visit with a value in the window) and
        ``n_patients``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.analysis.schedule import Schedule, timepoint_counts
    >>> visits = pd.DataFrame({"patient_id": ["a", "a", "b", "b", "c"],
    ...                        "day": [0, 1100, 0, 1090, 0], "mrss": [20, 12, 15, 11, 25]})
    >>> patients = pd.DataFrame({"patient_id": ["a", "b", "c"], "death_day": [None, None, 400]})
    >>> sel = Schedule.years(0, 3).select(visits, "mrss", patients=patients)
    >>> timepoint_counts(sel)[["timepoint", "n", "n_died", "n_patients"]]
      timepoint  n  n_died  n_patients
    0  baseline  3       0           3
    1   3 years  2       1           3
    """
    if not isinstance(selection, pd.DataFrame):
        raise SchemaError(
            f"expected the result of Schedule.select (a DataFrame); got {type(selection).__name__}"
        )
    unique_columns(selection, "selection")
    measures = [c for c in selection.columns if f"day_{c}" in selection.columns]
    timepoint = selection.get("timepoint")
    if timepoint is None or not isinstance(timepoint.dtype, pd.CategoricalDtype) or not measures:
        raise SchemaError(
            "expected the result of Schedule.select: a categorical 'timepoint' column and "
            "'<measure>' / 'day_<measure>' column pairs"
        )
    codes = timepoint.cat.codes.to_numpy(dtype=np.int64)
    n_t = len(timepoint.cat.categories)
    status = (
        selection["status"].to_numpy(dtype=object)
        if "status" in selection.columns
        else np.full(len(selection), FOLLOW_UP_STATUSES[0], dtype=object)
    )
    died_all = status == FOLLOW_UP_STATUSES[_STATUS_DIED]
    lost_all = status == FOLLOW_UP_STATUSES[_STATUS_LOST]
    due_all = status == FOLLOW_UP_STATUSES[_STATUS_NOT_YET_DUE]

    def count(mask: BoolArray) -> IntArray:
        return np.bincount(codes, weights=mask, minlength=n_t).astype(np.int64)

    total = np.bincount(codes, minlength=n_t).astype(np.int64)
    columns: dict[str, list[IntArray]] = {
        "n": [],
        "n_died": [],
        "n_lost": [],
        "n_not_yet_due": [],
        "n_missing": [],
    }
    for m in measures:
        has_value = selection[m].notna().to_numpy(dtype=bool)
        died, lost = ~has_value & died_all, ~has_value & lost_all
        due = ~has_value & due_all
        columns["n"].append(count(has_value))
        columns["n_died"].append(count(died))
        columns["n_lost"].append(count(lost))
        columns["n_not_yet_due"].append(count(due))
        columns["n_missing"].append(count(~has_value & ~died & ~lost & ~due))
    n_m = len(measures)
    out: dict[str, Any] = {
        "timepoint": pd.Categorical.from_codes(
            np.repeat(np.arange(n_t), n_m), dtype=timepoint.dtype
        ),
        "measure": np.tile(np.array(measures, dtype=object), n_t),
    }
    for name, per_measure in columns.items():
        out[name] = np.stack(per_measure).T.ravel()
    out["n_patients"] = np.repeat(total, n_m)
    return pd.DataFrame(out)
