"""The canonical column schema of the visits and patients frames, as data.

Every measure module owns its visits-frame columns (``<NAME>_COLUMNS``, a tuple of
:class:`~sscoutcomes._validation.ColumnSpec`); this module collects them, adds the identity
columns (``patient_id``, ``day``, ``date``) and the organ events and laboratory values that
no measure owns, and validates whole frames against the result.

Validation is *lazy*, as in pandera: every failing cell of a frame is collected and raised
once, as one :class:`~sscoutcomes.errors.SchemaError` (or
:class:`~sscoutcomes.errors.OutOfRangeError` when every failure is a value outside its
range) whose ``failure_cases`` table lists ``row``, ``patient_id``, ``day``, ``column``,
``value`` and ``reason``.

Valid ranges are definitional only (grades 0-3, percentages 0-100, counts and
concentrations non-negative); the library invents no plausibility limits.

Examples
--------
>>> from sscoutcomes.cohort.schema import VISIT_COLUMNS, column_spec
>>> column_spec("mrss").range_text
'0..51'
>>> "patient_id" in {c.name for c in VISIT_COLUMNS}
True
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_pandas,
    bool_column,
    check_unknown_prefixed,
    closest_names,
    did_you_mean,
    float_column,
)
from ..errors import FAILURE_CASE_COLUMNS, SchemaError, SSCOutcomesError, SSCOutcomesWarning
from ..measures.events import EVENT_COLUMNS
from ..registry import instruments

__all__ = [
    "COMMON_CODES",
    "EVENT_COLUMNS",
    "IDENTITY_COLUMNS",
    "MEASURE_COLUMN_GROUPS",
    "PATIENT_COLUMNS",
    "PATIENT_PREFIXES",
    "VISIT_COLUMNS",
    "VISIT_COLUMN_GROUPS",
    "VISIT_PREFIXES",
    "ColumnGroup",
    "closest_names",
    "column_spec",
    "drop_invalid",
    "schema_table",
    "validate_patients",
    "validate_visits",
    "visit_column_groups",
    "visit_columns",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@attrs.frozen(kw_only=True)
class ColumnGroup:
    """A named group of canonical columns (one measure module, or identity/events).

    Attributes
    ----------
    name : str
        Group name, e.g. ``"skin"``.
    columns : tuple of ColumnSpec
        The group's columns, in documentation order.
    prefixes : tuple of str
        Column-name prefixes the group owns: a column starting with one of them that is not
        one of the group's names is a misspelling and raises :class:`SchemaError`.
    title : str
        What a reader calls the group (the instrument's title); the name when empty.

    Examples
    --------
    >>> from sscoutcomes.cohort.schema import MEASURE_COLUMN_GROUPS
    >>> skin = MEASURE_COLUMN_GROUPS[0]
    >>> skin.name, skin.prefixes, len(skin.columns)
    ('skin', ('mrss_',), 18)
    """

    name: str
    columns: tuple[ColumnSpec, ...]
    prefixes: tuple[str, ...] = ()
    title: str = ""


def _groups() -> tuple[ColumnGroup, ...]:
    """The column groups of the registered instruments (registry order)."""
    return tuple(
        ColumnGroup(name=inst.name, columns=inst.columns, prefixes=inst.prefixes, title=inst.title)
        for inst in instruments()
        if inst.columns or inst.prefixes
    )


#: The column groups of the built-in instruments, one per instrument that declares columns
#: (:data:`sscoutcomes.registry.INSTRUMENTS`); :func:`visit_column_groups` also has those
#: registered later.
MEASURE_COLUMN_GROUPS: Final[tuple[ColumnGroup, ...]] = _groups()

_INF: Final = math.inf

#: Who and when -- the first columns of every visits frame.
IDENTITY_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(
        name="patient_id",
        dtype="str",
        description="Patient identifier (text; numbers are read as text)",
    ),
    ColumnSpec(
        name="day",
        dtype="int",
        unit="days",
        integer=True,
        description=(
            "Days from the patient's index date (day 0, e.g. treatment); negative before. "
            "May be left empty where the date is given and the patient has an index_date"
        ),
    ),
    ColumnSpec(
        name="date",
        dtype="date",
        description="Calendar date of the visit (ISO 8601, e.g. 2021-03-04); optional",
    ),
)


def visit_column_groups() -> tuple[ColumnGroup, ...]:
    """Every group of the visits frame, in documentation order: the identity columns, then
    one group per registered instrument that declares columns (live: an instrument added
    with :func:`sscoutcomes.registry.register` is included).

    Examples
    --------
    >>> from sscoutcomes.cohort.schema import visit_column_groups
    >>> [g.name for g in visit_column_groups()][:3]
    ['identity', 'skin', 'haq']
    """
    identity = ColumnGroup(name="identity", columns=IDENTITY_COLUMNS, title="who and when")
    return (identity, *_groups())


def visit_columns() -> tuple[ColumnSpec, ...]:
    """The canonical visits-frame columns of every registered instrument (live).

    Examples
    --------
    >>> from sscoutcomes.cohort.schema import visit_columns
    >>> visit_columns()[0].name
    'patient_id'
    """
    return tuple(spec for group in visit_column_groups() for spec in group.columns)


def _visit_prefixes() -> tuple[str, ...]:
    return tuple(p for group in visit_column_groups() for p in group.prefixes)


def _output_names() -> set[str]:
    """The columns the registered instruments' frame faces write."""
    return {name for inst in instruments() for name in inst.outputs}


def _visit_by_name() -> dict[str, ColumnSpec]:
    return {c.name: c for c in visit_columns()}


#: Every group of the visits frame at import (built-in instruments), in documentation order.
VISIT_COLUMN_GROUPS: Final[tuple[ColumnGroup, ...]] = visit_column_groups()

#: The canonical visits-frame columns of the built-in instruments (one row per visit).
VISIT_COLUMNS: Final[tuple[ColumnSpec, ...]] = visit_columns()

#: Prefixes reserved for canonical visits columns (misspellings raise).
VISIT_PREFIXES: Final[tuple[str, ...]] = _visit_prefixes()

#: The canonical patients-frame columns (one row per patient).
PATIENT_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(name="patient_id", dtype="str", description="Patient identifier"),
    ColumnSpec(name="sex", dtype="category", categories=("female", "male"), description="Sex"),
    ColumnSpec(
        name="age_at_index",
        dtype="float",
        unit="years",
        lo=0,
        hi=_INF,
        description="Age at the index date, in years",
    ),
    ColumnSpec(
        name="index_date",
        dtype="date",
        description="Index date (day 0), e.g. the treatment or transplantation date",
    ),
    ColumnSpec(
        name="onset_date",
        dtype="date",
        description="Date of SSc onset (first non-Raynaud symptom)",
    ),
    ColumnSpec(name="diagnosis_date", dtype="date", description="Date of the SSc diagnosis"),
    ColumnSpec(
        name="death_day",
        dtype="int",
        unit="days",
        lo=0,
        hi=_INF,
        integer=True,
        description="Day of death (days from index); empty when alive or unknown",
    ),
    ColumnSpec(
        name="death_date",
        dtype="date",
        description="Date of death; gives death_day (death_date - index_date) when both given",
    ),
    ColumnSpec(
        name="last_contact_day",
        dtype="int",
        unit="days",
        lo=0,
        hi=_INF,
        integer=True,
        description="Day of the last contact (days from index); empty where unknown",
    ),
    ColumnSpec(
        name="last_contact_date",
        dtype="date",
        description=(
            "Date of the last contact; gives last_contact_day (last_contact_date - index_date)"
        ),
    ),
    ColumnSpec(
        name="disease_duration_onset_years",
        dtype="float",
        unit="years",
        description=(
            "Years from onset_date to index_date (365.25 days a year); derived from the dates"
        ),
    ),
    ColumnSpec(
        name="disease_duration_diagnosis_years",
        dtype="float",
        unit="years",
        description=(
            "Years from diagnosis_date to index_date (365.25 days a year); derived from the dates"
        ),
    ),
    ColumnSpec(name="ild", dtype="bool", description="Interstitial lung disease at baseline"),
    ColumnSpec(
        name="pah",
        dtype="bool",
        description="Pulmonary arterial hypertension at baseline",
    ),
    ColumnSpec(
        name="subset",
        dtype="category",
        categories=("limited", "diffuse", "sine"),
        description="Cutaneous subset (LeRoy 1988)",
    ),
    ColumnSpec(name="anticentromere", dtype="bool", description="Anticentromere antibodies"),
    ColumnSpec(
        name="anti_topoisomerase",
        dtype="bool",
        description="Anti-topoisomerase I (Scl-70) antibodies",
    ),
    ColumnSpec(
        name="anti_rna_polymerase_iii",
        dtype="bool",
        description="Anti-RNA polymerase III antibodies",
    ),
)

#: Prefixes reserved for canonical patients columns (misspellings raise).
PATIENT_PREFIXES: Final[tuple[str, ...]] = ("anti_",)

_PATIENT_BY_NAME: Final[dict[str, ColumnSpec]] = {c.name: c for c in PATIENT_COLUMNS}

_ANTIBODY_CODES: Final[dict[str, str | None]] = {
    "positive": "true",
    "pos": "true",
    "+": "true",
    "negative": "false",
    "neg": "false",
    "-": "false",
}

#: Codes every reader accepts without a mapping, by column -- the trimmed, lower-cased text
#: of a cell -> the canonical value (``None`` = missing). Yes/no columns also accept
#: true/false, yes/no, y/n and 1/0 (any case).
COMMON_CODES: Final[dict[str, dict[str, str | None]]] = {
    "sex": {
        "female": "female",
        "f": "female",
        "male": "male",
        "m": "male",
        "u": None,
    },
    "subset": {
        "limited": "limited",
        "lcssc": "limited",
        "lssc": "limited",
        "diffuse": "diffuse",
        "dcssc": "diffuse",
        "dssc": "diffuse",
        "sine": "sine",
    },
    "anticentromere": _ANTIBODY_CODES,
    "anti_topoisomerase": _ANTIBODY_CODES,
    "anti_rna_polymerase_iii": _ANTIBODY_CODES,
}

#: Patient day columns that may be given as dates: day column -> date column.
_DAY_DATES: Final[tuple[tuple[str, str], ...]] = (
    ("death_day", "death_date"),
    ("last_contact_day", "last_contact_date"),
)

#: Derived disease durations: column -> the date it counts from (to index_date).
_DURATIONS: Final[tuple[tuple[str, str], ...]] = (
    ("disease_duration_onset_years", "onset_date"),
    ("disease_duration_diagnosis_years", "diagnosis_date"),
)

_DAYS_PER_YEAR: Final = 365.25


def _recode(series: pd.Series[Any], codes: Mapping[str, str | None]) -> pd.Series[Any]:
    """Cells whose trimmed lower-cased text is a key of ``codes`` replaced by the code's
    value (``None`` = missing); other cells unchanged."""
    if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        return series
    text = series.astype("string").str.strip().str.lower()
    hit = text.isin(list(codes)).to_numpy(dtype=bool, na_value=False)
    if not hit.any():
        return series
    out = series.astype(object).copy()
    out[hit] = [codes[t] for t in text[hit]]
    return out


def column_spec(name: str, frame: Literal["visits", "patients"] = "visits") -> ColumnSpec:
    """The :class:`~sscoutcomes._validation.ColumnSpec` of one canonical column.

    Raises
    ------
    SchemaError
        ``name`` is not a canonical column of that frame (the closest name is suggested).

    Examples
    --------
    >>> from sscoutcomes.cohort.schema import column_spec
    >>> column_spec("hematocrit_pct").unit
    '%'
    >>> column_spec("mrs")
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.SchemaError: 'mrs' is not a canonical visits column (did you mean 'mrss'?)
    """
    if not isinstance(frame, str) or frame not in ("visits", "patients"):
        raise SchemaError(f"frame = {frame!r} must be 'visits' or 'patients'")
    if not isinstance(name, str):
        raise SchemaError(f"column name = {name!r} is not text; give a canonical column name")
    table = _visit_by_name() if frame == "visits" else _PATIENT_BY_NAME
    try:
        return table[name]
    except KeyError:
        hint = did_you_mean(name, table)
        raise SchemaError(f"{name!r} is not a canonical {frame} column{hint}") from None


def _range_column(spec: ColumnSpec) -> str:
    text = spec.range_text
    if text:
        return text
    return {
        "int": "whole numbers",
        "float": "numbers",
        "bool": "true / false",
        "str": "text",
        "category": "text",
        "date": "ISO 8601 date",
    }[spec.dtype]


def schema_table(frame: Literal["visits", "patients"] = "visits") -> pd.DataFrame:
    """The documented column table of the visits (or patients) frame.

    Parameters
    ----------
    frame : {"visits", "patients"}
        Which frame.

    Returns
    -------
    pandas.DataFrame
        One row per canonical column with ``name``, ``dtype``, ``unit``, ``range`` and
        ``description``, in documentation order.

    Examples
    --------
    >>> from sscoutcomes.cohort.schema import schema_table
    >>> table = schema_table()
    >>> list(table.columns)
    ['name', 'dtype', 'unit', 'range', 'description']
    >>> table.set_index("name").loc["mrss_face", "range"]
    '0..3'
    >>> schema_table("patients")["name"].head(3).tolist()
    ['patient_id', 'sex', 'age_at_index']
    """
    if not isinstance(frame, str) or frame not in ("visits", "patients"):
        raise SchemaError(f"frame = {frame!r} must be 'visits' or 'patients'")
    specs = visit_columns() if frame == "visits" else PATIENT_COLUMNS
    return pd.DataFrame(
        {
            "name": [s.name for s in specs],
            "dtype": [s.dtype for s in specs],
            "unit": [s.unit for s in specs],
            "range": [_range_column(s) for s in specs],
            "description": [s.description for s in specs],
        }
    )


# --------------------------------------------------------------------------------------
# lazy frame validation
# --------------------------------------------------------------------------------------
def _missing_mask(series: pd.Series[Any]) -> BoolArray:
    """Missing cells: NA/NaN/None and empty (whitespace-only) text."""
    missing = series.isna().to_numpy(dtype=bool)
    if not (pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series)):
        text = series.astype("string").str.strip()
        missing = missing | (text == "").to_numpy(dtype=bool, na_value=False)
    return missing


def _integer_column(
    frame: pd.DataFrame, spec: ColumnSpec, collector: FailureCollector
) -> FloatArray:
    """Read a whole-number column without a range (``day``): numbers only, whole days."""
    series = frame[spec.name]
    raw = series.to_numpy(dtype=object)
    if pd.api.types.is_bool_dtype(series.dtype):
        collector.add(np.ones(len(series), bool), spec.name, raw, "is not a number", schema=True)
        return np.full(len(series), np.nan)
    coerced = pd.to_numeric(series, errors="coerce")
    values = np.array(coerced.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    not_number = np.isnan(values) & ~_missing_mask(series)
    if series.dtype == object:
        not_number = not_number | np.array([isinstance(x, (bool, np.bool_)) for x in raw], bool)
    collector.add(not_number, spec.name, raw, "is not a number of days", schema=True)
    with np.errstate(invalid="ignore"):
        fractional = ~np.isnan(values) & ((values != np.round(values)) | np.isinf(values))
    collector.add(fractional, spec.name, raw, "is not a whole number of days", schema=True)
    values[not_number | fractional] = np.nan
    return values


def _category_column(
    frame: pd.DataFrame, spec: ColumnSpec, collector: FailureCollector
) -> pd.Series[Any]:
    """Read a text category: trimmed, lower-cased, empty = missing, other values fail."""
    series = frame[spec.name]
    text = series.astype("string").str.strip().str.lower()
    text = text.mask(text == "")
    bad = (text.notna() & ~text.isin(list(spec.categories))).to_numpy(dtype=bool, na_value=False)
    codes = COMMON_CODES.get(spec.name)
    also = f" (or {', '.join(c for c in codes if c not in spec.categories)})" if codes else ""
    collector.add(
        bad,
        spec.name,
        series.to_numpy(dtype=object),
        f"is not one of {', '.join(spec.categories)}{also}",
    )
    return text.mask(bad)


def _text_column(frame: pd.DataFrame, spec: ColumnSpec) -> pd.Series[Any]:
    """Read a text column; numbers that are whole are written without ``.0``."""
    series = frame[spec.name]
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=np.float64, na_value=np.nan)
        finite = values[~np.isnan(values)]
        if np.all(finite == np.round(finite)):
            series = series.astype("Int64")
    text = series.astype("string")
    return text.mask(text.str.strip() == "")


def _is_number(value: Any) -> bool:
    """A real number that is not a truth value (a cell of an object column)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _serial_dates(values: npt.NDArray[Any], origin: Any) -> npt.NDArray[np.datetime64]:
    """Numbers of days since ``origin`` as dates (NaT where not finite or out of range)."""
    serial = np.asarray(values, dtype=float)
    finite = np.isfinite(serial)
    out = np.full(serial.shape, np.datetime64("NaT", "ns"))
    # only finite numbers go through pandas: pandas 2.2 converts a float array holding NaN
    # with uninitialised memory at the NaN places (a spurious overflow error)
    out[finite] = pd.to_datetime(
        serial[finite], errors="coerce", unit="D", origin=pd.Timestamp(origin)
    ).to_numpy(dtype="datetime64[ns]")
    return out


def _date_column(
    frame: pd.DataFrame,
    spec: ColumnSpec,
    collector: FailureCollector,
    date_format: str | None = None,
    origin: Any = None,
) -> pd.Series[Any]:
    """Read a calendar-date column as datetime64[ns]; text that is not a date fails.

    Text is read with ``date_format`` (a strftime format; ISO 8601 when ``None``); numbers
    are days since ``origin`` when one is given (``1899-12-30`` for spreadsheet serials)."""
    series = frame[spec.name]
    raw = series.to_numpy(dtype=object)
    missing = _missing_mask(series)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        parsed = series
        number = np.zeros(len(series), dtype=bool)
    else:
        parsed = pd.Series(pd.NaT, index=series.index, dtype="datetime64[ns]")
        is_text = np.zeros(len(series), dtype=bool)
        if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(
            series.dtype
        ):
            number = ~missing
        else:  # cell by cell: text, numbers and dates (a spreadsheet's column)
            is_text = ~missing & np.array([isinstance(x, str) for x in raw], dtype=bool)
            number = np.zeros(len(series), dtype=bool)
            rest = ~missing & ~is_text
            if rest.any():
                number[rest] = [_is_number(x) for x in raw[rest]]
        other = ~missing & ~number & ~is_text  # date and datetime objects
        if origin is not None and number.any():
            parsed[number] = _serial_dates(raw[number], origin)
        for mask, fmt in ((is_text, date_format or "ISO8601"), (other, "ISO8601")):
            if mask.any():
                part = pd.to_datetime(
                    pd.Series(raw[mask], dtype=object), errors="coerce", format=fmt
                )
                if getattr(part.dt, "tz", None) is not None:
                    part = part.dt.tz_localize(None)  # the calendar date as written
                parsed[mask] = part.to_numpy(dtype="datetime64[ns]")
    bad = parsed.isna().to_numpy(dtype=bool) & ~missing
    if date_format is None:
        expected = "use ISO 8601, e.g. 2021-03-04"
    else:
        expected = (
            f"expected the format {date_format!r}, e.g. "
            f"{pd.Timestamp(2021, 3, 4).strftime(date_format)}"
        )
    if origin is not None:
        expected += f", or a finite number of days since the date_origin {origin}"
    collector.add(bad & ~number, spec.name, raw, f"is not a date ({expected})", schema=True)
    if origin is None:
        expected = "numbers are dates only with a date_origin, 1899-12-30 for spreadsheets"
    else:
        expected = f"expected a finite number of days since the date_origin {origin}"
    collector.add(bad & number, spec.name, raw, f"is not a date ({expected})", schema=True)
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    with_time = (parsed.notna() & (parsed != parsed.dt.normalize())).to_numpy(dtype=bool)
    collector.add(with_time, spec.name, raw, "has a time of day; give a calendar date", schema=True)
    return parsed.mask(with_time).astype("datetime64[ns]")


def _int_series(values: FloatArray, index: pd.Index[Any]) -> pd.Series[Any]:
    mask = np.isnan(values)
    ints = np.where(mask, 0.0, values).astype(np.int64)
    return pd.Series(pd.arrays.IntegerArray(ints, mask), index=index)


def _bool_series(values: FloatArray, index: pd.Index[Any]) -> pd.Series[Any]:
    mask = np.isnan(values)
    return pd.Series(pd.arrays.BooleanArray(values == 1.0, mask), index=index)


def _read_columns(
    frame: pd.DataFrame,
    specs: Iterable[ColumnSpec],
    collector: FailureCollector,
    *,
    skip: Iterable[str] = (),
    date_format: str | None = None,
    origin: Any = None,
) -> dict[str, pd.Series[Any]]:
    """Read, check and canonicalise every present column of ``specs``."""
    out: dict[str, pd.Series[Any]] = {}
    skipped = set(skip)
    original = frame
    for spec in specs:
        frame = original
        if spec.name not in frame.columns or spec.name in skipped:
            continue
        codes = COMMON_CODES.get(spec.name)
        if codes is not None:
            recoded = _recode(frame[spec.name], codes)
            if recoded is not frame[spec.name]:
                frame = pd.DataFrame({spec.name: recoded}, index=frame.index)
        if spec.dtype == "bool":
            out[spec.name] = _bool_series(bool_column(frame, spec, collector), frame.index)
        elif spec.dtype == "float":
            values = float_column(frame, spec, collector)
            out[spec.name] = pd.Series(values, index=frame.index, dtype="float64")
        elif spec.dtype == "int":
            values = float_column(frame, spec, collector)
            with np.errstate(invalid="ignore"):
                values = np.where(
                    np.isfinite(values) & (values == np.round(values)), values, np.nan
                )
            out[spec.name] = _int_series(values, frame.index)
        elif spec.dtype == "category":
            out[spec.name] = _category_column(frame, spec, collector)
        elif spec.dtype == "date":
            out[spec.name] = _date_column(frame, spec, collector, date_format, origin)
        else:
            out[spec.name] = _text_column(frame, spec)
    return out


def _check_structure(
    frame: pd.DataFrame,
    collector: FailureCollector,
    prefixes: Sequence[str],
    known: Iterable[str],
    what: str,
) -> bool:
    """Duplicate column names and misspelled canonical-prefixed columns; False when the
    frame cannot be read column by column."""
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(f"the {what} must be a pandas DataFrame; got {type(frame).__name__}")
    dup = frame.columns[frame.columns.duplicated()].unique().tolist()
    if dup:
        collector.add_message(
            f"repeated column names: {', '.join(map(repr, dup))}; keep one of each"
        )
        return False
    known_names = list(known)
    for prefix in prefixes:
        try:
            check_unknown_prefixed(frame, prefix, known_names, what=what)
        except SchemaError as exc:
            collector.add_message(str(exc))
    _warn_unknown(frame.columns, known_names, prefixes, what)
    return True


def _warn_unknown(
    columns: Iterable[Any], known: Sequence[str], prefixes: Sequence[str], what: str
) -> None:
    """Warn about the columns the library does not know that look like a canonical name
    (they are still passed through untouched)."""
    known_set = set(known)
    parts = []
    for column in columns:
        if not isinstance(column, str) or column in known_set or column.startswith(tuple(prefixes)):
            continue
        close = closest_names(column, known)
        if close:
            parts.append(f"{column!r} (did you mean {close[0]!r}?)")
    if parts:
        warnings.warn(
            f"the {what} has column(s) the library does not know: {', '.join(parts)}; "
            "they are passed through untouched (rename them, or map them with a "
            "ColumnMapping, to use them as canonical columns)",
            SSCOutcomesWarning,
            stacklevel=5,
        )


def _assemble(frame: pd.DataFrame, canonical: Mapping[str, pd.Series[Any]]) -> pd.DataFrame:
    """A new frame: canonical columns replaced, every other column passed through."""
    data = {name: canonical.get(name, frame[name]) for name in frame.columns}
    for name, series in canonical.items():
        if name not in data:
            data[name] = series
    out = pd.DataFrame(data, index=frame.index)
    out.columns = pd.Index(list(data), dtype=object)
    return out


def _patient_ids(
    frame: pd.DataFrame, collector: FailureCollector, what: str
) -> pd.Series[Any] | None:
    if "patient_id" not in frame.columns:
        collector.add_message(f"the {what} has no 'patient_id' column")
        return None
    ids = _text_column(frame, IDENTITY_COLUMNS[0])
    missing = ids.isna().to_numpy(dtype=bool)
    collector.add(
        missing, "patient_id", frame["patient_id"].to_numpy(dtype=object), "is missing", schema=True
    )
    return ids


def _visit_checks(
    frame: pd.DataFrame,
    collector: FailureCollector,
    *,
    require_sorted: bool,
    patients: pd.DataFrame | None,
    what: str,
    date_format: str | None = None,
    origin: Any = None,
) -> dict[str, pd.Series[Any]]:
    """Every check of a visits frame; returns the canonical columns (failures recorded)."""
    if not isinstance(require_sorted, bool):
        raise SchemaError(f"require_sorted = {require_sorted!r} must be True or False")
    by_name = _visit_by_name()
    known = [*by_name, *_output_names()]  # score_visits' own outputs pass too
    if not _check_structure(frame, collector, _visit_prefixes(), known, what):
        return {}
    ids = _patient_ids(frame, collector, what)
    has_day, has_date = "day" in frame.columns, "date" in frame.columns
    if not (has_day or has_date):
        collector.add_message(f"the {what} has neither a 'day' nor a 'date' column")
    n = len(frame)
    day = _integer_column(frame, IDENTITY_COLUMNS[1], collector) if has_day else np.full(n, np.nan)
    canonical = _read_columns(
        frame,
        by_name.values(),
        collector,
        skip=("patient_id", "day"),
        date_format=date_format,
        origin=origin,
    )
    if ids is not None:
        canonical["patient_id"] = ids
    date = canonical.get("date")
    raw_day = frame["day"].to_numpy(dtype=object) if has_day else np.full(n, None, dtype=object)
    if patients is not None and ids is not None:
        day = _patient_links(frame, collector, ids, day, date, patients, raw_day)
    elif has_day or has_date:
        no_day = np.isnan(day) & (_missing_mask(frame["day"]) if has_day else True)
        if date is not None:
            no_day &= date.isna().to_numpy(dtype=bool)
        collector.add(no_day, "day", raw_day, "is missing and the visit has no date", schema=True)
    if ids is not None and (has_day or has_date):
        _order_checks(collector, ids, day, raw_day, require_sorted=require_sorted)
    canonical["day"] = _int_series(day, frame.index)
    return canonical


def _patient_links(
    frame: pd.DataFrame,
    collector: FailureCollector,
    ids: pd.Series[Any],
    day: FloatArray,
    date: pd.Series[Any] | None,
    patients: pd.DataFrame,
    raw_day: npt.NDArray[Any],
) -> FloatArray:
    """Checks against the (canonical) patients frame; derives days from dates."""
    known = pd.Index(patients["patient_id"].astype("string"))
    pos = known.get_indexer(pd.Index(ids))
    unknown = (pos < 0) & ids.notna().to_numpy(dtype=bool)
    collector.add(
        unknown,
        "patient_id",
        ids.to_numpy(dtype=object),
        "is not in the patients frame",
        schema=True,
    )
    matched = pos >= 0
    day = day.copy()
    # position -1 (unknown patient) picks the appended missing value
    if "index_date" in patients.columns:
        index_dates = patients["index_date"].to_numpy(dtype="datetime64[ns]")
        index_date = np.append(index_dates, np.datetime64("NaT", "ns"))[pos]
    else:
        index_date = np.full(len(frame), np.datetime64("NaT", "ns"), dtype="datetime64[ns]")
    if date is not None:
        visit_date = date.to_numpy(dtype="datetime64[ns]")
        known_both = ~np.isnat(visit_date) & ~np.isnat(index_date)
        derived = np.full(len(frame), np.nan)
        derived[known_both] = (
            (visit_date[known_both] - index_date[known_both]) / np.timedelta64(1, "D")
        ).astype(np.float64)
        clash = known_both & ~np.isnan(day) & (derived != day)
        collector.add(
            clash,
            "day",
            raw_day,
            "disagrees with date - index_date of the patient",
            schema=True,
        )
        fill = np.isnan(day) & known_both
        day[fill] = derived[fill]
    if "day" in frame.columns:
        no_day = np.isnan(day) & _missing_mask(frame["day"])
    else:
        no_day = np.isnan(day)
    if date is not None:
        dated = date.notna().to_numpy(dtype=bool)
        collector.add(
            no_day & dated & matched,
            "day",
            raw_day,
            "is missing and the patient has no index_date to derive it from the date",
            schema=True,
        )
        no_day &= ~dated
    collector.add(
        no_day & matched, "day", raw_day, "is missing and the visit has no date", schema=True
    )
    for bound in ("death_day", "last_contact_day"):  # no visit after death or last contact
        if bound not in patients.columns:
            continue
        per_patient = patients[bound].to_numpy(dtype=np.float64, na_value=np.nan)
        bound_of_row = np.append(per_patient, np.nan)[pos]  # -1 (unknown patient): NaN
        with np.errstate(invalid="ignore"):
            after = day > bound_of_row
        bound_date = bound.replace("_day", "_date")
        if date is not None and bound_date in patients.columns:
            # a dated visit of a patient with that date is reported once, by the dates below
            dates = patients[bound_date].to_numpy(dtype="datetime64[ns]")
            has_date = ~np.isnat(np.append(dates, np.datetime64("NaT", "ns"))[pos])
            after &= ~(date.notna().to_numpy(dtype=bool) & has_date)
        collector.add(after, "day", raw_day, f"is after the patient's {bound}", schema=True)
    if date is not None:
        visit_date = date.to_numpy(dtype="datetime64[ns]")
        for column in ("death_date", "last_contact_date"):
            if column not in patients.columns:
                continue
            limit = np.append(
                patients[column].to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns")
            )[pos]
            known_both = ~np.isnat(visit_date) & ~np.isnat(limit)
            after = np.zeros(len(frame), dtype=bool)
            after[known_both] = visit_date[known_both] > limit[known_both]
            collector.add(
                after,
                "date",
                frame["date"].to_numpy(dtype=object),
                f"is after the patient's {column}",
                schema=True,
            )
    return day


def _order_checks(
    collector: FailureCollector,
    ids: pd.Series[Any],
    day: FloatArray,
    raw_day: npt.NDArray[Any],
    *,
    require_sorted: bool,
) -> None:
    keys = pd.DataFrame({"p": ids.to_numpy(dtype=object), "d": day})
    valid = keys["p"].notna().to_numpy(dtype=bool) & ~np.isnan(day)
    dup = keys.duplicated(keep=False).to_numpy(dtype=bool) & valid
    collector.add(
        dup,
        "day",
        raw_day,
        "is a duplicate visit: the patient has another row on this day",
        schema=True,
    )
    if require_sorted:
        running = keys.groupby("p", sort=False)["d"].cummax()
        previous = running.groupby(keys["p"], sort=False).shift(1).to_numpy(dtype=np.float64)
        with np.errstate(invalid="ignore"):
            early = valid & (day < previous)
        collector.add(
            early,
            "day",
            raw_day,
            "is out of order: earlier than a previous row of the same patient",
            schema=True,
        )


def validate_visits(visits: Any, *, require_sorted: bool = False) -> pd.DataFrame:
    """Check a visits frame against the schema and return it with canonical dtypes.

    Every problem is collected and raised once. The frame you pass is not modified; the
    result is a new frame with the same index, row order and columns, in which the canonical
    columns have canonical dtypes (see Notes) and every other column is passed through
    untouched.

    Parameters
    ----------
    visits : pandas.DataFrame or Cohort
        One row per visit: ``patient_id``, ``day`` (and/or ``date``) and any canonical
        columns (:func:`schema_table`); a Cohort's visits frame.
    require_sorted : bool, default False
        Also fail rows whose ``day`` is earlier than a previous row of the same patient.
        By default row order does not matter and rows are never reordered.

    Returns
    -------
    pandas.DataFrame
        The canonical copy.

    Raises
    ------
    SchemaError
        Missing ``patient_id`` or both ``day`` and ``date``; duplicate or misspelled
        canonical-prefixed columns; text that is not a number, date or yes/no value; days
        that are not whole numbers; a visit with neither day nor date; two rows of one
        patient on the same day (duplicate visits); with ``require_sorted``, rows out of
        order. All failures are in ``failure_cases``.
    OutOfRangeError
        When every failure is a value outside its valid range or category set.

    Notes
    -----
    Canonical dtypes: ``patient_id`` and text columns ``string`` (categories trimmed and
    lower-cased); ``day`` and other whole-number columns ``Int64``; numbers ``float64``
    (NaN = missing); yes/no columns ``boolean``; dates ``datetime64[ns]``. Whole-number
    patient identifiers read as floats are written without ``.0``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.cohort.schema import validate_visits
    >>> visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0.0, 365.0],
    ...                        "mrss": [18, 13], "site": ["Leiden", "Leiden"]})
    >>> out = validate_visits(visits)
    >>> out[["patient_id", "day", "mrss"]].dtypes.astype(str).tolist()
    ['string', 'Int64', 'Int64']
    >>> out["site"].equals(visits["site"])  # not canonical: passed through untouched
    True
    >>> bad = pd.DataFrame({"patient_id": ["a", "a", "b"], "day": [0, 0, "x"],
    ...                     "mrss": [18, 60, 3]})
    >>> try:
    ...     validate_visits(bad)
    ... except ValueError as err:
    ...     print(err.failure_cases[["row", "column", "reason"]].to_string(index=False))
    row column                                                        reason
      2    day                                       is not a number of days
      1   mrss                                              is outside 0..51
      0    day is a duplicate visit: the patient has another row on this day
      1    day is a duplicate visit: the patient has another row on this day
    """
    visits = as_pandas(visits)  # polars, pyarrow
    what = "visits frame"
    if not isinstance(visits, pd.DataFrame) and isinstance(
        getattr(visits, "visits", None), pd.DataFrame
    ):
        visits = visits.visits  # a Cohort
    collector = FailureCollector(visits)
    canonical = _visit_checks(
        visits, collector, require_sorted=require_sorted, patients=None, what=what
    )
    if canonical:
        instrument_checks(visits, collector)
    collector.raise_if_failed(what)
    if "day" not in visits.columns:
        canonical.pop("day", None)
    return _assemble(visits, canonical)


def instrument_checks(visits: pd.DataFrame, collector: FailureCollector) -> None:
    """Run the frame face of every registered instrument whose columns the frame holds and
    record what it refuses that the column checks have not already recorded: the checks
    that span columns (a recorded mRSS total that disagrees with its sites, a recorded
    HAQ-DI that disagrees with its items, a partial set of site columns). So
    :func:`validate_visits` refuses exactly what the ``score_*`` functions refuse, with the
    same messages."""
    present = set(visits.columns)
    for inst in instruments():
        if inst.score is None or not present & inst.trigger_columns:
            continue
        try:
            inst.score(visits)
        except SSCOutcomesError as exc:
            collector.merge(exc)


def validate_patients(patients: pd.DataFrame) -> pd.DataFrame:
    """Check a patients frame against the schema and return it with canonical dtypes.

    One row per patient; ``patient_id`` is required and unique. Every problem is collected
    and raised once; the frame you pass is not modified; unknown columns pass through
    untouched (see :func:`validate_visits` for the canonical dtypes).

    Parameters
    ----------
    patients : pandas.DataFrame
        Canonical patient columns (:func:`schema_table` with ``"patients"``).

    Returns
    -------
    pandas.DataFrame
        The canonical copy, same index and row order.

    Raises
    ------
    SchemaError
        No ``patient_id`` column, missing or repeated identifiers, misspelled ``anti_``
        columns, values that are not numbers, dates or yes/no values.
    OutOfRangeError
        When every failure is a value outside its range or category set.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.cohort.schema import validate_patients
    >>> patients = pd.DataFrame({"patient_id": ["a", "b"], "sex": ["Female", "male"],
    ...                          "death_day": [None, 400]})
    >>> out = validate_patients(patients)
    >>> out["sex"].tolist(), out["death_day"].tolist()
    (['female', 'male'], [<NA>, 400])
    """
    patients = as_pandas(patients)  # polars, pyarrow
    what = "patients frame"
    collector = FailureCollector(patients)
    canonical = _patient_checks(patients, collector, what)
    collector.raise_if_failed(what)
    return _assemble(patients, canonical)


def _patient_checks(
    frame: pd.DataFrame,
    collector: FailureCollector,
    what: str,
    date_format: str | None = None,
    origin: Any = None,
) -> dict[str, pd.Series[Any]]:
    if not _check_structure(frame, collector, PATIENT_PREFIXES, _PATIENT_BY_NAME, what):
        return {}
    ids = _patient_ids(frame, collector, what)
    canonical = _read_columns(
        frame,
        PATIENT_COLUMNS,
        collector,
        skip=("patient_id",),
        date_format=date_format,
        origin=origin,
    )
    _patient_dates(frame, canonical, collector)
    if ids is not None:
        canonical["patient_id"] = ids
        dup = ids.duplicated(keep=False).to_numpy(dtype=bool) & ids.notna().to_numpy(dtype=bool)
        collector.add(
            dup,
            "patient_id",
            ids.to_numpy(dtype=object),
            "appears in more than one row",
            schema=True,
        )
    return canonical


def drop_invalid(
    visits: pd.DataFrame,
    failure_cases: pd.DataFrame,
    *,
    frame: Literal["visits", "patients"] = "visits",
    require_sorted: bool = False,
) -> pd.DataFrame:
    """The frame with the cells a validation refused set to missing, checked again.

    The cells are those named by ``failure_cases`` (the
    :attr:`~sscoutcomes.errors.SSCOutcomesError.failure_cases` of the error
    :func:`validate_visits`, :func:`validate_patients` or
    :class:`~sscoutcomes.cohort.cohort.Cohort` raised): ``row`` is the index label, ``column``
    the column. A visit whose ``patient_id``, ``day`` or ``date`` failed (an unknown patient,
    no such date, a visit after death, a duplicate visit) cannot be placed and is removed as
    a whole, and so is a patient whose ``patient_id`` failed (a repeated or missing id); every
    other cell, row and column is kept as it is. The result is validated
    again, so problems that blanking a cell cannot remove (a missing ``patient_id`` column, a
    misspelled column) still raise. For frames read through a column mapping, and to keep
    a record of what was dropped, use ``drop_invalid=True`` on
    :class:`~sscoutcomes.cohort.cohort.Cohort` and its readers.

    Parameters
    ----------
    visits : pandas.DataFrame
        The frame that failed (not modified).
    failure_cases : pandas.DataFrame
        The failures to drop: at least the columns ``row`` and ``column``.
    frame : {"visits", "patients"}, default "visits"
        Which schema to check the result against (:func:`validate_visits` or
        :func:`validate_patients`).
    require_sorted : bool, default False
        Passed to :func:`validate_visits`.

    Returns
    -------
    pandas.DataFrame
        A new frame, same index, row order, columns and (where missing values allow it)
        dtypes, with those cells missing (a whole-number column holding a blanked cell becomes
        ``float64`` with NaN, as :func:`pandas.read_csv` reads an empty cell).

    Raises
    ------
    SchemaError
        ``failure_cases`` lacks ``row`` or ``column``, names a column or row the frame does
        not have, or the frame's index has repeated labels; or the result still fails
        validation (its ``failure_cases`` list what is left).
    OutOfRangeError
        The result still fails, and only with values outside their range.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.cohort.schema import drop_invalid, validate_visits
    >>> visits = pd.DataFrame({"patient_id": ["a", "a", "b"], "day": [0, 365, 0],
    ...                        "mrss": [18, 60, 3]})
    >>> try:
    ...     validate_visits(visits)
    ... except ValueError as err:
    ...     cases = err.failure_cases
    >>> print(cases[["row", "column", "value", "reason"]].to_string(index=False))
    row column value           reason
      1   mrss  60.0 is outside 0..51
    >>> drop_invalid(visits, cases)["mrss"].tolist()
    [18.0, nan, 3.0]
    >>> visits["mrss"].tolist()  # the input is not modified
    [18, 60, 3]
    """
    if not isinstance(frame, str) or frame not in ("visits", "patients"):
        raise SchemaError(f"frame = {frame!r} must be 'visits' or 'patients'")
    out = blank_failing_cells(visits, failure_cases, frame=frame)
    if frame == "visits":
        validate_visits(out, require_sorted=require_sorted)
    else:
        validate_patients(out)
    return out


#: Visits-frame columns whose failure leaves a visit that cannot be placed (no patient or no
#: time): dropping invalid data removes such a visit as a whole instead of blanking the cell.
UNPLACED_COLUMNS: Final = ("patient_id", "day", "date")


def removes_row(
    columns: pd.Series[Any], frame: Literal["visits", "patients"]
) -> npt.NDArray[np.bool_]:
    """Which failing cells, by canonical ``column``, remove their whole row when invalid
    data is dropped instead of being blanked: in a visits frame a ``patient_id``, ``day``
    or ``date`` (:data:`UNPLACED_COLUMNS`), in a patients frame a ``patient_id``. A blank
    there would only fail again.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.cohort.schema import removes_row
    >>> columns = pd.Series(["mrss", "day", "patient_id"])
    >>> removes_row(columns, "visits").tolist(), removes_row(columns, "patients").tolist()
    ([False, True, True], [False, False, True])
    """
    whole_row = UNPLACED_COLUMNS if frame == "visits" else ("patient_id",)
    return np.asarray(columns.isin(whole_row).to_numpy(dtype=bool))


def blank_failing_cells(
    frame_data: pd.DataFrame,
    failure_cases: pd.DataFrame,
    *,
    frame: Literal["visits", "patients"] = "visits",
    source_columns: bool = False,
) -> pd.DataFrame:
    """``frame_data`` with the cells of ``failure_cases`` set to missing, not validated.

    In a visits frame a failing ``patient_id``, ``day`` or ``date`` (:data:`UNPLACED_COLUMNS`)
    removes the visit as a whole: a visit without a patient or a time cannot be used, and a
    blank there would only fail again; in a patients frame a failing ``patient_id`` removes the
    patient's row for the same reason. With ``source_columns`` the cells are those of the
    ``source_column`` of ``failure_cases`` (the frame's own names, before a column mapping
    renamed them); see :func:`drop_invalid` for the checks on ``failure_cases``.
    """
    what = f"{frame} frame"
    if not isinstance(frame_data, pd.DataFrame):
        raise SchemaError(f"the {what} must be a pandas DataFrame; got {type(frame_data).__name__}")
    if not isinstance(failure_cases, pd.DataFrame):
        raise SchemaError(
            f"failure_cases must be a pandas DataFrame; got {type(failure_cases).__name__}"
        )
    lacking = [c for c in ("row", "column") if c not in failure_cases.columns]
    if lacking:
        raise SchemaError(
            f"failure_cases has no {', '.join(map(repr, lacking))} column; it needs the "
            f"columns of SSCOutcomesError.failure_cases ({', '.join(FAILURE_CASE_COLUMNS)})"
        )
    if len(failure_cases) and not frame_data.index.is_unique:
        raise SchemaError(
            f"the {what} has repeated index labels, so a failure case's row is ambiguous; "
            "reset the index first"
        )
    canonical = failure_cases["column"]
    names = canonical
    if source_columns and "source_column" in failure_cases.columns:
        names = failure_cases["source_column"].where(
            failure_cases["source_column"].notna(), canonical
        )
    unplaced = removes_row(canonical, frame)
    out = frame_data.copy()
    for column, rows_of in failure_cases["row"][~unplaced].groupby(
        names[~unplaced], sort=False, dropna=False
    ):
        if column not in out.columns:
            raise SchemaError(
                f"failure case column {column!r} is not a column of the {what} "
                f"(its columns: {', '.join(map(repr, out.columns))})"
            )
        blank = np.zeros(len(out), dtype=bool)
        blank[_positions(out, rows_of, what)] = True
        out[column] = out[column].mask(blank)
    if unplaced.any():
        drop = np.zeros(len(out), dtype=bool)
        drop[_positions(out, failure_cases["row"][unplaced], what)] = True
        out = out[~drop]
    return out


def _positions(frame_data: pd.DataFrame, rows: pd.Series[Any], what: str) -> npt.NDArray[Any]:
    labels = pd.Index(rows.unique())
    pos = frame_data.index.get_indexer(labels)
    if (pos < 0).any():
        unknown = labels[pos < 0].tolist()[0]
        raise SchemaError(f"failure case row {unknown!r} is not a row (index label) of the {what}")
    return pos


def _days_between(later: pd.Series[Any], earlier: pd.Series[Any]) -> FloatArray:
    """``later - earlier`` in days (NaN where either is missing)."""
    delta = later.to_numpy(dtype="datetime64[ns]") - earlier.to_numpy(dtype="datetime64[ns]")
    out = np.full(len(delta), np.nan)
    known = ~np.isnat(delta)
    out[known] = delta[known] / np.timedelta64(1, "D")
    return out


def _patient_dates(
    frame: pd.DataFrame, canonical: dict[str, pd.Series[Any]], collector: FailureCollector
) -> None:
    """Days from dates (death, last contact), the disease durations, and the order of
    death and last contact; failures recorded."""
    index = canonical.get("index_date")
    for day_column, date_column in _DAY_DATES:
        date = canonical.get(date_column)
        if date is None or index is None:
            continue
        derived = _days_between(date, index)
        given = canonical.get(day_column)
        day = (
            np.full(len(frame), np.nan)
            if given is None
            else given.to_numpy(dtype=np.float64, na_value=np.nan)
        )
        raw_date = frame[date_column].to_numpy(dtype=object)
        with np.errstate(invalid="ignore"):
            clash = ~np.isnan(derived) & ~np.isnan(day) & (derived != day)
        for i in np.flatnonzero(clash):
            mask = np.zeros(len(frame), dtype=bool)
            mask[i] = True
            collector.add(
                mask,
                date_column,
                raw_date,
                f"gives {day_column} {derived[i]:.0f} ({date_column} - index_date) but "
                f"{day_column} = {day[i]:.0f}; the day and the date disagree",
                schema=True,
            )
        with np.errstate(invalid="ignore"):
            before = derived < 0
        collector.add(before, date_column, raw_date, "is before the index_date", schema=True)
        fill = np.isnan(day) & ~np.isnan(derived) & ~before
        day[fill] = derived[fill]
        canonical[day_column] = _int_series(day, frame.index)
    for column, start in _DURATIONS:
        date = canonical.get(start)
        if column in canonical or date is None or index is None:
            continue
        canonical[column] = pd.Series(
            _days_between(index, date) / _DAYS_PER_YEAR, index=frame.index, dtype="float64"
        )
    death, last = canonical.get("death_day"), canonical.get("last_contact_day")
    if death is not None and last is not None:
        d = death.to_numpy(dtype=np.float64, na_value=np.nan)
        c = last.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            early = d < c
        collector.add(
            early,
            "death_day",
            d,
            "is before the last_contact_day of the patient (death before last contact)",
            schema=True,
        )
