"""Visits and patients: the one-patient object face of a cohort.

A :class:`Visit` holds what was measured on one day: one object per measure (today the
skin score; every measure object implements ``to_record()`` / ``from_record()``), organ
events and laboratory values as plain fields, and ``extra`` for columns the library does not
know (passed through untouched). A :class:`Patient` holds the patient-level data and the
visits, sorted and unique by day.

``Visit.to_record()`` / ``Visit.from_record()`` and their :class:`Patient` counterparts map
objects to the canonical columns of :mod:`sscoutcomes.cohort.schema` and back, without loss;
:class:`~sscoutcomes.cohort.cohort.Cohort` is built on them.

Examples
--------
>>> from sscoutcomes.cohort.patient import Patient, Visit
>>> from sscoutcomes.measures.skin import SkinScore
>>> p = Patient(id="P01", visits=[Visit(day=365, skin=SkinScore.from_total(12)),
...                               Visit(day=-10, skin=SkinScore.from_total(20))])
>>> [v.day for v in p.visits]
[-10, 365]
>>> p.baseline("mrss"), p.change_from_baseline("mrss", 365)
(20.0, -8.0)
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import numbers
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, cast, overload

import attrs
import numpy as np
import pandas as pd

from .._change import absolute_change, percent_change
from .._selection import DEFAULT_BASELINE_WINDOW_DAYS, baseline_bounds, pick
from .._validation import (
    as_record,
    check_bool,
    check_number,
    check_unknown_prefixed,
    optional_in_range,
)
from ..errors import OutOfRangeError, SchemaError
from ..measures.skin import CutaneousSubset
from ..registry import BUILT_IN

if TYPE_CHECKING:
    from ..measures.globals import GlobalAssessment
    from ..measures.haq import HAQ
    from ..measures.heart import EchoFinding
    from ..measures.lung import LungImaging, PulmonaryFunction
    from ..measures.scleroid import ScleroID
    from ..measures.shaq import SHAQ
    from ..measures.skin import SkinScore
    from ..measures.vascular import VascularAssessment
from .schema import (
    COMMON_CODES,
    PATIENT_COLUMNS,
    PATIENT_PREFIXES,
    VISIT_COLUMNS,
    VISIT_PREFIXES,
    column_spec,
)

__all__ = ["VISIT_MEASURES", "Patient", "Visit"]


class _MeasureType(Protocol):
    """A measure class: ``from_record(record) -> instance | None``."""

    def from_record(self, record: Mapping[str, Any], /) -> Any: ...


#: The measure objects a :class:`Visit` holds, as ``(field name, class)`` pairs: one per
#: built-in instrument with an object face (:data:`sscoutcomes.registry.INSTRUMENTS`).
VISIT_MEASURES: Final[tuple[tuple[str, _MeasureType], ...]] = tuple(
    (inst.field, inst.record)
    for inst in BUILT_IN
    if inst.field is not None and inst.record is not None
)

#: Plain value fields of a :class:`Visit`: the columns of the built-in instruments that
#: have no object face (organ events, laboratory values, severity-only inputs).
_EVENT_NAMES: Final[tuple[str, ...]] = tuple(
    spec.name for inst in BUILT_IN if inst.record is None for spec in inst.columns
)
_VISIT_NAMES: Final[frozenset[str]] = frozenset(spec.name for spec in VISIT_COLUMNS)
_PATIENT_NAMES: Final[frozenset[str]] = frozenset(spec.name for spec in PATIENT_COLUMNS)
_ANTIBODIES: Final[tuple[str, ...]] = (
    "anticentromere",
    "anti_topoisomerase",
    "anti_rna_polymerase_iii",
)


# --------------------------------------------------------------------------------------
# value cleaning, converters and validators
# --------------------------------------------------------------------------------------
def _is_missing(value: Any) -> bool:
    """None, NaN, pandas NA and NaT are missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return False


def _plain(value: Any) -> Any:
    """numpy scalars as Python scalars; missing values as None."""
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _to_number(value: Any) -> Any:
    """Numbers (not booleans) as float; anything else is left for the validator."""
    value = _plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Real):
        return float(value)
    return value


def _to_whole(value: Any) -> Any:
    """Whole numbers (also 3.0) as int; anything else is left for the validator."""
    value = _plain(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _to_bool(value: Any) -> Any:
    return _plain(value)


def _to_date(value: Any) -> Any:
    """Dates, datetimes at midnight, pandas Timestamps and ISO 8601 text as ``date``."""
    value = _plain(value)
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return value  # the validator names it
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            return value
        return value.date()
    return value


def _check_bool(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise OutOfRangeError(f"{attribute.name} = {value!r} is not True, False or None")


def _check_date(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise SchemaError(
            f"{attribute.name} = {value!r} is not a calendar date (give a datetime.date or "
            "ISO 8601 text such as '2021-03-04')"
        )


def _check_whole(lo: float | None) -> Any:
    def validator(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise OutOfRangeError(f"{attribute.name} = {value!r} is not a whole number of days")
        if lo is not None and value < lo:
            raise OutOfRangeError(f"{attribute.name} = {value!r} is outside {lo:g}..inf days")

    return validator


def _spec_field(name: str, frame: Literal["visits", "patients"] = "visits") -> Any:
    """An optional attrs field validated by the column's schema entry."""
    spec = column_spec(name, frame)
    if spec.dtype == "bool":
        return attrs.field(default=None, converter=_to_bool, validator=_check_bool)
    if spec.dtype == "float":
        lo = -math.inf if spec.lo is None else spec.lo
        hi = math.inf if spec.hi is None else spec.hi
        return attrs.field(
            default=None,
            converter=_to_number,
            validator=optional_in_range(lo, hi, unit=spec.unit, label=name, hint=spec.hint),
        )
    if spec.dtype == "int" and spec.hi is not None and math.isfinite(spec.hi):
        return attrs.field(
            default=None,
            converter=_to_whole,
            validator=optional_in_range(
                -math.inf if spec.lo is None else spec.lo,
                spec.hi,
                integer=True,
                unit=spec.unit,
                label=name,
                hint=spec.hint,
            ),
        )
    if spec.dtype == "int":
        return attrs.field(default=None, converter=_to_whole, validator=_check_whole(spec.lo))
    if spec.dtype == "date":
        return attrs.field(default=None, converter=_to_date, validator=_check_date)
    raise TypeError(f"no field type for column {name!r} of dtype {spec.dtype!r}")


def _empty_to_none(value: Any) -> Any:
    """A measure object that records nothing (every column missing) is stored as None."""
    to_record = getattr(value, "to_record", None)  # a measure object (duck-typed: cheap)
    if callable(to_record) and all(v is None for v in to_record().values()):
        return None
    return value


def _measure_field(cls: type) -> Any:
    return attrs.field(
        default=None,
        converter=_empty_to_none,
        validator=attrs.validators.optional(_instance_of(cls)),
    )


def _instance_of(cls: type) -> Any:
    def validator(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            raise SchemaError(
                f"{attribute.name} = {value!r} must be a {cls.__name__} (or None); "
                f"got {type(value).__name__}"
            )

    return validator


def _clean_extra(value: Mapping[str, Any] | None) -> dict[str, Any]:
    """Pass-through values as a new dict; missing values (None, NaN, NA) are left out."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SchemaError(f"extra must be a mapping of column name to value; got {value!r}")
    return {k: _plain(v) for k, v in value.items() if not _is_missing(v)}


def _extra_validator(names: frozenset[str], prefixes: tuple[str, ...], what: str) -> Any:
    def validator(inst: Any, attribute: attrs.Attribute[Any], value: Mapping[str, Any]) -> None:
        for key in value:
            if not isinstance(key, str):
                raise SchemaError(f"extra column names must be text; got {key!r}")
            if key in names or key == "patient_id":
                raise SchemaError(
                    f"extra column {key!r} is a canonical {what} column; give it as a field"
                )
        for prefix in prefixes:
            check_unknown_prefixed(list(value), prefix, names, what=f"{what} extra columns")

    return validator


def _day_of(value: Any, label: str) -> int:
    return int(check_number(label, value, -math.inf, math.inf, integer=True))


# --------------------------------------------------------------------------------------
# Visit
# --------------------------------------------------------------------------------------
def _visit_fields() -> dict[str, Any]:
    """The fields of :class:`Visit`, in order: ``day``, ``date``, one measure object per
    entry of :data:`VISIT_MEASURES`, one plain value per column of the instruments without
    an object face, and ``extra``."""
    fields: dict[str, Any] = {
        "day": attrs.field(default=None, converter=_to_whole, validator=_check_whole(None)),
        "date": attrs.field(default=None, converter=_to_date, validator=_check_date),
    }
    for name, cls in VISIT_MEASURES:
        fields[name] = _measure_field(cast(type, cls))
    for name in _EVENT_NAMES:
        fields[name] = _spec_field(name)
    fields["extra"] = attrs.field(
        factory=dict,
        converter=_clean_extra,
        validator=_extra_validator(_VISIT_NAMES, VISIT_PREFIXES, "visits"),
        hash=False,
    )
    return fields


@attrs.frozen(kw_only=True, slots=True, these=_visit_fields())
class Visit:
    """What was measured at one visit. ``None`` always means "not measured".

    Parameters
    ----------
    day : int or None
        Days from the patient's index date (day 0, e.g. treatment); negative before.
        May be ``None`` when ``date`` is given and the patient has an ``index_date``
        (:class:`Patient` then derives it).
    date : datetime.date or None
        Calendar date of the visit (ISO 8601 text is accepted).
    skin : SkinScore or None
        The modified Rodnan skin score. A measure object that records nothing (all its
        values missing) is stored as ``None``.
    renal_crisis, lv_failure_new, pah_new_rhc, fvc_decline_confirmed, \
skin_worsening_patient, tendon_friction_rubs, telangiectasia : bool or None
        Organ events and findings (see :mod:`sscoutcomes.cohort.schema`).
    crp_mg_l, creatinine_mg_dl, hematocrit_pct, weight_loss_pct, \
fingertip_palm_distance_cm : float or None
        Laboratory values and measurements, in the unit their name gives.
    extra : mapping
        Columns the library does not know, passed through untouched. Missing values
        (None, NaN) are left out; canonical names and misspelled canonical-prefixed names
        are refused.

    Raises
    ------
    SchemaError
        Neither ``day`` nor ``date``; a measure field of the wrong type; a canonical name in
        ``extra``.
    OutOfRangeError
        A value outside its range, or a day that is not a whole number.

    Examples
    --------
    >>> from sscoutcomes.cohort.patient import Visit
    >>> from sscoutcomes.measures.skin import SkinScore
    >>> v = Visit(day=180, skin=SkinScore.from_total(14), crp_mg_l=3.2, extra={"site": "A"})
    >>> v.value("mrss"), v.value("crp_mg_l"), v.value("hematocrit_pct")
    (14, 3.2, None)
    >>> Visit(day=0, hematocrit_pct=140)
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.OutOfRangeError: hematocrit_pct = 140.0 is outside 0..100 %
    """

    if TYPE_CHECKING:  # the fields, built from the registry by _visit_fields()
        day: int | None
        date: dt.date | None
        skin: SkinScore | None
        haq: HAQ | None
        shaq: SHAQ | None
        globals: GlobalAssessment | None
        scleroid: ScleroID | None
        pft: PulmonaryFunction | None
        lung_imaging: LungImaging | None
        echo: EchoFinding | None
        vascular: VascularAssessment | None
        extra: Mapping[str, Any]

        def __init__(self, **fields: Any) -> None: ...

    def __attrs_post_init__(self) -> None:
        if self.day is None and self.date is None:
            raise SchemaError("a Visit needs a day (days from the index date) or a date")

    def to_record(self) -> dict[str, Any]:
        """The visit as canonical visits-frame columns (without ``patient_id``).

        Keys: ``day``; ``date`` when known; every column of each measure object present;
        each event or lab value that is not ``None``; then the ``extra`` columns.

        Examples
        --------
        >>> from sscoutcomes.cohort.patient import Visit
        >>> Visit(day=0, renal_crisis=False, extra={"site": "A"}).to_record()
        {'day': 0, 'renal_crisis': False, 'site': 'A'}
        """
        record: dict[str, Any] = {"day": self.day}
        if self.date is not None:
            record["date"] = self.date
        for name, _cls in VISIT_MEASURES:
            measure = getattr(self, name)
            if measure is not None:
                record.update(measure.to_record())
        for name in _EVENT_NAMES:
            value = getattr(self, name)
            if value is not None:
                record[name] = value
        record.update(self.extra)
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Visit:
        """Build a visit from canonical columns (a row of a visits frame).

        Missing values may be ``None``, NaN, ``pd.NA`` or ``NaT``. ``patient_id`` is
        ignored (it belongs to the :class:`Patient`); columns the library does not know go
        to ``extra``.

        Raises
        ------
        SchemaError
            A misspelled canonical-prefixed column, values that contradict each other (a
            recorded mRSS total that its site grades do not allow), or a value no field can
            hold.

        Examples
        --------
        >>> from sscoutcomes.cohort.patient import Visit
        >>> v = Visit.from_record({"patient_id": "P1", "day": 30.0, "mrss": 12.0,
        ...                        "crp_mg_l": float("nan"), "site": "A"})
        >>> v.day, v.skin.total, v.crp_mg_l, v.extra
        (30, 12, None, {'site': 'A'})
        """
        record = as_record(record)
        others = [k for k in record if isinstance(k, str) and k not in _VISIT_NAMES]
        for prefix in VISIT_PREFIXES:
            check_unknown_prefixed(others, prefix, _VISIT_NAMES, what="visit record")
        clean = {k: _plain(v) for k, v in record.items()}
        kwargs: dict[str, Any] = {"day": clean.get("day"), "date": clean.get("date")}
        for name, measure_cls in VISIT_MEASURES:
            kwargs[name] = measure_cls.from_record(clean)
        for name in _EVENT_NAMES:
            kwargs[name] = clean.get(name)
        kwargs["extra"] = {
            k: v
            for k, v in clean.items()
            if k not in _VISIT_NAMES and k != "patient_id" and v is not None
        }
        visit = cls(**kwargs)
        kept = visit.to_record()
        lost = [
            k
            for k, v in clean.items()
            if k in _VISIT_NAMES and k != "patient_id" and v is not None and kept.get(k) is None
        ]
        if lost:
            shown = ", ".join(f"{k} = {clean[k]!r}" for k in lost)
            raise SchemaError(f"{shown} cannot be kept by a Visit: no field holds this combination")
        return visit

    def value(self, column: str) -> Any:
        """The value of one canonical visits column at this visit (``None`` if missing).

        Examples
        --------
        >>> from sscoutcomes.cohort.patient import Visit
        >>> Visit(day=0, crp_mg_l=4.0).value("crp_mg_l")
        4.0
        """
        column_spec(column)
        return self.to_record().get(column)


# --------------------------------------------------------------------------------------
# Patient
# --------------------------------------------------------------------------------------
def _to_id(value: Any) -> Any:
    return _plain(value)


def _check_id(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise SchemaError(f"Patient id = {value!r} must be non-empty text")


def _to_sex(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str):
        text = value.strip().lower()
        return COMMON_CODES["sex"].get(text, text)
    return value


def _check_sex(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    allowed = column_spec("sex", "patients").categories
    if value is not None and value not in allowed:
        raise OutOfRangeError(f"sex = {value!r} is not one of {', '.join(allowed)}")


_SUBSETS: Final[dict[str, CutaneousSubset]] = {
    c.value: c for c in CutaneousSubset if c is not CutaneousSubset.UNKNOWN
}


def _to_subset(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str):
        return _SUBSETS.get(value.strip().lower(), value)
    return value


def _check_subset(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None or (isinstance(value, CutaneousSubset) and value in _SUBSETS.values()):
        return
    raise OutOfRangeError(
        f"subset = {value!r} is not one of {', '.join(_SUBSETS)}; leave it None when unknown"
    )


def _to_visits(value: Iterable[Visit]) -> tuple[Visit, ...]:
    if isinstance(value, (Visit, str, Mapping)) or not isinstance(value, Iterable):
        raise SchemaError(f"visits must be an iterable of Visit objects; got {value!r}")
    return tuple(value)


@attrs.frozen(kw_only=True, slots=True)
class Patient:
    """One patient: patient-level data and the visits, sorted and unique by day.

    Parameters
    ----------
    id : str
        Patient identifier (``patient_id`` in frames).
    sex : {"female", "male"} or None
    age_at_index : float or None
        Age at the index date, in years.
    index_date, onset_date, diagnosis_date : datetime.date or None
        Index date (day 0), SSc onset (first non-Raynaud symptom) and diagnosis.
    subset : CutaneousSubset or str or None
        ``limited``, ``diffuse`` or ``sine``; ``None`` when unknown.
    anticentromere, anti_topoisomerase, anti_rna_polymerase_iii : bool or None
        Autoantibodies (see :attr:`autoantibodies`).
    ild, pah : bool or None
        Interstitial lung disease / pulmonary arterial hypertension at baseline.
    death_day, last_contact_day : int or None
        Days from index of death and of the last contact (0 or more).
    death_date, last_contact_date : datetime.date or None
        The same as dates (a cohort derives the days from them and the index date).
    disease_duration_onset_years, disease_duration_diagnosis_years : float or None
        Years from onset / diagnosis to the index date (a cohort derives them from the
        dates).
    visits : iterable of Visit
        In any order; stored sorted by day. A visit given only a ``date`` gets
        ``day = date - index_date``.
    extra : mapping
        Patient-level columns the library does not know, passed through untouched.

    Raises
    ------
    SchemaError
        Two visits on the same day (the message names the patient and the day), a visit
        without a day when the patient has no ``index_date``, a visit whose day disagrees
        with its date, a visit after ``death_day`` or ``last_contact_day``, or a
        ``death_day`` before the ``last_contact_day``.
    OutOfRangeError
        A value outside its range or category set.

    Examples
    --------
    >>> from sscoutcomes.cohort.patient import Patient, Visit
    >>> import datetime
    >>> p = Patient(id="P07", sex="female", index_date=datetime.date(2020, 1, 1),
    ...             visits=[Visit(date=datetime.date(2020, 12, 31)), Visit(day=0)])
    >>> [v.day for v in p.visits]
    [0, 365]
    >>> Patient(id="P08", visits=[Visit(day=5), Visit(day=5)])
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.SchemaError: patient 'P08' has 2 visits on day 5; visits must be ...
    """

    id: str = attrs.field(converter=_to_id, validator=_check_id)
    sex: str | None = attrs.field(default=None, converter=_to_sex, validator=_check_sex)
    age_at_index: float | None = _spec_field("age_at_index", "patients")
    index_date: dt.date | None = _spec_field("index_date", "patients")  # noqa: RUF009
    onset_date: dt.date | None = _spec_field("onset_date", "patients")  # noqa: RUF009
    diagnosis_date: dt.date | None = _spec_field("diagnosis_date", "patients")  # noqa: RUF009
    subset: CutaneousSubset | None = attrs.field(
        default=None, converter=_to_subset, validator=_check_subset
    )
    anticentromere: bool | None = _spec_field("anticentromere", "patients")
    anti_topoisomerase: bool | None = _spec_field("anti_topoisomerase", "patients")
    anti_rna_polymerase_iii: bool | None = _spec_field("anti_rna_polymerase_iii", "patients")
    ild: bool | None = _spec_field("ild", "patients")
    pah: bool | None = _spec_field("pah", "patients")
    death_day: int | None = _spec_field("death_day", "patients")
    last_contact_day: int | None = _spec_field("last_contact_day", "patients")
    death_date: dt.date | None = _spec_field("death_date", "patients")  # noqa: RUF009
    last_contact_date: dt.date | None = _spec_field("last_contact_date", "patients")  # noqa: RUF009
    disease_duration_onset_years: float | None = _spec_field(
        "disease_duration_onset_years", "patients"
    )
    disease_duration_diagnosis_years: float | None = _spec_field(
        "disease_duration_diagnosis_years", "patients"
    )
    visits: tuple[Visit, ...] = attrs.field(factory=tuple, converter=_to_visits)
    extra: Mapping[str, Any] = attrs.field(
        factory=dict,
        converter=_clean_extra,
        validator=_extra_validator(_PATIENT_NAMES, PATIENT_PREFIXES, "patients"),
        hash=False,
    )

    def __attrs_post_init__(self) -> None:
        self._derive_from_dates()
        death, last = self.death_day, self.last_contact_day
        if death is not None and last is not None and death < last:
            raise SchemaError(
                f"patient {self.id!r}: death_day {death} is before last_contact_day {last} "
                "(death before last contact)"
            )
        object.__setattr__(self, "visits", self._arrange(self.visits))

    def _derive_from_dates(self) -> None:
        """Days of death and last contact, and the disease durations, from the dates and
        the index date (a given day must agree with its date)."""
        index = self.index_date
        if index is None:
            return
        for day_name, date_name in (
            ("death_day", "death_date"),
            ("last_contact_day", "last_contact_date"),
        ):
            date = getattr(self, date_name)
            if date is None:
                continue
            derived = (date - index).days
            given = getattr(self, day_name)
            if derived < 0:
                raise SchemaError(
                    f"patient {self.id!r}: {date_name} {date} is before the index_date {index}"
                )
            if given is None:
                object.__setattr__(self, day_name, derived)
            elif given != derived:
                raise SchemaError(
                    f"patient {self.id!r}: {date_name} {date} gives {day_name} {derived} "
                    f"({date_name} - index_date) but {day_name} = {given}; the day and the "
                    "date disagree"
                )
        for name, start in (
            ("disease_duration_onset_years", self.onset_date),
            ("disease_duration_diagnosis_years", self.diagnosis_date),
        ):
            if start is not None and getattr(self, name) is None:
                object.__setattr__(self, name, (index - start).days / 365.25)

    def _arrange(self, visits: tuple[Visit, ...]) -> tuple[Visit, ...]:
        """Visits with days derived from dates, checked, sorted by day."""
        out: list[Visit] = []
        for visit in visits:
            if not isinstance(visit, Visit):
                raise SchemaError(
                    f"patient {self.id!r}: visits must be Visit objects; got {visit!r}"
                )
            derived: int | None = None
            if visit.date is not None and self.index_date is not None:
                derived = (visit.date - self.index_date).days
            if visit.day is None:
                if derived is None:
                    raise SchemaError(
                        f"patient {self.id!r}: the visit on {visit.date} has no day and the "
                        "patient has no index_date to derive it from"
                    )
                visit = cast(Any, attrs.evolve)(visit, day=derived)  # fields from the registry
            elif derived is not None and derived != visit.day:
                raise SchemaError(
                    f"patient {self.id!r}: visit day {visit.day} disagrees with its date "
                    f"{visit.date} ({derived} days after the index date {self.index_date})"
                )
            if self.death_day is not None and visit.day is not None and visit.day > self.death_day:
                raise SchemaError(
                    f"patient {self.id!r}: visit on day {visit.day} is after death_day "
                    f"{self.death_day}"
                )
            last = self.last_contact_day
            if last is not None and visit.day is not None and visit.day > last:
                raise SchemaError(
                    f"patient {self.id!r}: visit on day {visit.day} is after last_contact_day "
                    f"{last}"
                )
            out.append(visit)
        out.sort(key=lambda v: _day_of(v.day, "day"))
        for first, second in itertools.pairwise(out):
            if first.day == second.day:
                n = sum(v.day == first.day for v in out)
                raise SchemaError(
                    f"patient {self.id!r} has {n} visits on day {first.day}; visits must be "
                    "unique by day"
                )
        return tuple(out)

    @property
    def autoantibodies(self) -> dict[str, bool]:
        """The known autoantibody results by name (unknown ones left out).

        Examples
        --------
        >>> from sscoutcomes.cohort.patient import Patient
        >>> Patient(id="P1", anti_topoisomerase=True, anticentromere=False).autoantibodies
        {'anticentromere': False, 'anti_topoisomerase': True}
        """
        return {name: value for name in _ANTIBODIES if (value := getattr(self, name)) is not None}

    def to_record(self) -> dict[str, Any]:
        """The patient as canonical patients-frame columns (fields that are not ``None``
        and the ``extra`` columns; not the visits).

        Examples
        --------
        >>> from sscoutcomes.cohort.patient import Patient
        >>> Patient(id="P1", subset="diffuse", death_day=400).to_record()
        {'patient_id': 'P1', 'death_day': 400, 'subset': 'diffuse'}
        """
        record: dict[str, Any] = {"patient_id": self.id}
        for spec in PATIENT_COLUMNS[1:]:
            value = getattr(self, spec.name)
            if isinstance(value, CutaneousSubset):
                value = value.value
            if value is not None:
                record[spec.name] = value
        record.update(self.extra)
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any], visits: Iterable[Visit] = ()) -> Patient:
        """Build a patient from canonical patients-frame columns (a row of that frame).

        Examples
        --------
        >>> from sscoutcomes.cohort.patient import Patient
        >>> p = Patient.from_record({"patient_id": "P1", "sex": "male",
        ...                          "death_day": float("nan"), "centre": "Leiden"})
        >>> p.sex, p.death_day, p.extra
        ('male', None, {'centre': 'Leiden'})
        """
        record = as_record(record)
        keys = [k for k in record if isinstance(k, str)]
        for prefix in PATIENT_PREFIXES:
            check_unknown_prefixed(keys, prefix, _PATIENT_NAMES, what="patient record")
        clean = {k: _plain(v) for k, v in record.items()}
        if "patient_id" not in clean:
            raise SchemaError("a patient record needs a 'patient_id'")
        kwargs: dict[str, Any] = {"id": clean["patient_id"], "visits": visits}
        for spec in PATIENT_COLUMNS[1:]:
            kwargs[spec.name] = clean.get(spec.name)
        kwargs["extra"] = {
            k: v for k, v in clean.items() if k not in _PATIENT_NAMES and v is not None
        }
        return cls(**kwargs)

    # ----------------------------------------------------------------------------------
    # baseline and change
    # ----------------------------------------------------------------------------------
    def baseline(
        self, measure: str, window_days: int = DEFAULT_BASELINE_WINDOW_DAYS
    ) -> float | None:
        """Baseline value of a measure: the last non-missing value on or before day 0 within
        the look-back window.

        Parameters
        ----------
        measure : str
            A numeric canonical visits column, e.g. ``"mrss"``, ``"haq_di"`` or
            ``"fvc_pct_predicted"``.
        window_days : int, default 90
            Look-back window: visits on days ``-window_days`` to 0 (inclusive) count.

        Returns
        -------
        float or None
            ``None`` when no visit in the window records the measure.

        Raises
        ------
        SchemaError
            ``measure`` is not a numeric canonical visits column.
        OutOfRangeError
            ``window_days`` is negative or not a whole number.

        Examples
        --------
        >>> from sscoutcomes.cohort.patient import Patient, Visit
        >>> p = Patient(id="P1", visits=[Visit(day=-91, crp_mg_l=9.0),
        ...                              Visit(day=-30, crp_mg_l=4.0), Visit(day=-2)])
        >>> p.baseline("crp_mg_l"), p.baseline("crp_mg_l", window_days=20)
        (4.0, None)
        """
        self._numeric_measure(measure)
        window = check_number("window_days", window_days, 0, math.inf, integer=True)
        recorded = [
            (_day_of(visit.day, "day"), value)
            for visit in self.visits
            if (value := visit.value(measure)) is not None
        ]
        days = np.array([day for day, _ in recorded], dtype=np.int64)
        at = pick(days, 0, *baseline_bounds(int(window)))
        return None if at < 0 else float(recorded[at][1])

    @overload
    def change_from_baseline(
        self,
        measure: str,
        day: int,
        *,
        window_days: int = ...,
        percent: bool = ...,
    ) -> float | None: ...
    @overload
    def change_from_baseline(
        self,
        measure: str,
        day: None = ...,
        *,
        window_days: int = ...,
        percent: bool = ...,
    ) -> dict[int, float | None]: ...
    def change_from_baseline(
        self,
        measure: str,
        day: int | None = None,
        *,
        window_days: int = 90,
        percent: bool = False,
    ) -> float | dict[int, float | None] | None:
        """Change of a measure from its :meth:`baseline`.

        Parameters
        ----------
        measure : str
            A numeric canonical visits column.
        day : int or None
            The visit day to compare with the baseline. ``None``: every visit after day 0.
        window_days : int, default 90
            Baseline look-back window (see :meth:`baseline`).
        percent : bool, default False
            Percent change ``100 * (x - baseline) / baseline`` (``None`` when the baseline
            is 0) instead of the absolute change ``x - baseline``.

        Returns
        -------
        float or None, or dict of int to float or None
            ``None`` when the baseline or the follow-up value is missing (or there is no
            visit on ``day``); with ``day=None`` a mapping from visit day to change.

        Notes
        -----
        Computed by the library's change kernels
        (:func:`~sscoutcomes.analysis.change.absolute_change`,
        :func:`~sscoutcomes.analysis.change.percent_change`).

        Examples
        --------
        >>> from sscoutcomes.cohort.patient import Patient, Visit
        >>> from sscoutcomes.measures.skin import SkinScore
        >>> p = Patient(id="P1", visits=[Visit(day=0, skin=SkinScore.from_total(20)),
        ...                              Visit(day=180, skin=SkinScore.from_total(15)),
        ...                              Visit(day=365)])
        >>> p.change_from_baseline("mrss", 180, percent=True)
        -25.0
        >>> p.change_from_baseline("mrss")
        {180: -5.0, 365: None}
        """
        kernel = percent_change if check_bool("percent", percent) else absolute_change
        base = self.baseline(measure, window_days)

        def change(visit: Visit | None) -> float | None:
            value = None if visit is None else visit.value(measure)
            if base is None or value is None:
                return None
            out = float(kernel(base, float(value)))
            return None if math.isnan(out) else out

        if day is None:
            return {
                _day_of(v.day, "day"): change(v) for v in self.visits if _day_of(v.day, "day") > 0
            }
        target = _day_of(day, "day")
        return change(next((v for v in self.visits if v.day == target), None))

    def _numeric_measure(self, measure: str) -> None:
        spec = column_spec(measure)
        if spec.dtype not in ("float", "int") or spec.name == "day":
            raise SchemaError(
                f"{measure!r} is not a numeric measure column (dtype {spec.dtype}); a baseline "
                "needs a number"
            )
