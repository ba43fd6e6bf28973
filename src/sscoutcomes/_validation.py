"""Validation helpers shared by every measure: scalar checks for the attrs objects and
lazy, collect-everything checks for the visits frames.

Private module: the public face is the error hierarchy in :mod:`sscoutcomes.errors` and the
column table in :mod:`sscoutcomes.cohort.schema`.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import FAILURE_CASE_COLUMNS, OutOfRangeError, SchemaError, SSCOutcomesError

__all__ = [
    "ColumnSpec",
    "FailureCollector",
    "as_float_array",
    "as_record",
    "bool_column",
    "broadcast_together",
    "check_grades",
    "check_number",
    "check_unknown_prefixed",
    "clean_value",
    "closest_names",
    "float_column",
    "labelled_categorical",
    "numeric_columns",
    "optional_in_range",
    "read_columns",
    "read_flags",
    "read_numeric_columns",
    "record_values",
    "series_to_float",
    "to_flag",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
DType = Literal["float", "int", "bool", "str", "category", "date"]


def _fmt(x: float) -> str:
    """Format a bound compactly: ``3`` not ``3.0``."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _range_text(lo: float, hi: float, unit: str) -> str:
    text = f"{_fmt(lo)}..{_fmt(hi)}"
    return f"{text} {unit}" if unit else text


def check_number(
    label: str,
    value: object,
    lo: float,
    hi: float,
    *,
    integer: bool = False,
    unit: str = "",
    hint: str | None = None,
) -> float:
    """Check one scalar and return it as a number.

    Raises :class:`OutOfRangeError` naming ``label``, the value and the range when the value is
    not a real number (booleans and strings included), is NaN, is not an integer where one is
    required, or lies outside ``lo..hi`` (inclusive).
    """
    suffix = f" ({hint})" if hint else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise OutOfRangeError(
            f"{label} = {value!r} is not a number; expected {_range_text(lo, hi, unit)}{suffix}"
        )
    x = float(value)
    if math.isnan(x):
        raise OutOfRangeError(
            f"{label} = nan is not a number; leave it out (None) when it was not measured"
        )
    if integer and not x.is_integer():
        raise OutOfRangeError(
            f"{label} = {value!r} is not an integer; expected a whole number in "
            f"{_range_text(lo, hi, unit)}{suffix}"
        )
    if not lo <= x <= hi:
        raise OutOfRangeError(f"{label} = {value!r} is outside {_range_text(lo, hi, unit)}{suffix}")
    return x


def as_pandas(frame: Any) -> Any:
    """Another library's table as a pandas DataFrame, converted once at the edge.

    A polars DataFrame or a pyarrow Table goes through its own ``to_pandas()``; any other
    object offering the Arrow PyCapsule stream interface (``__arrow_c_stream__``: a duckdb
    relation, a pyarrow RecordBatchReader, ...) through ``pyarrow.table(frame)``, which
    needs pyarrow (``sscoutcomes[parquet]``): without it the SchemaError says what to
    pass. Anything else is returned as it is (the caller checks it).

    Examples
    --------
    >>> from sscoutcomes._validation import as_pandas
    >>> frame = pd.DataFrame({"patient_id": ["a"], "day": [0]})
    >>> as_pandas(frame) is frame
    True
    """
    if isinstance(frame, (pd.DataFrame, pd.Series)):
        return frame
    to_pandas = getattr(frame, "to_pandas", None)
    if callable(to_pandas) and type(frame).__module__.split(".")[0] in ("polars", "pyarrow"):
        try:
            converted = to_pandas()
        except ImportError as exc:  # polars converts through pyarrow
            raise SchemaError(
                f"a {type(frame).__name__} is converted with its to_pandas(), which needs "
                f"pyarrow ({exc}): install sscoutcomes[parquet], or pass a pandas DataFrame"
            ) from None
        if isinstance(converted, pd.DataFrame):
            return converted
    if callable(getattr(frame, "__arrow_c_stream__", None)):
        try:
            import pyarrow as pa
        except ImportError:
            raise SchemaError(
                f"a {type(frame).__name__} (an Arrow stream) is read through pyarrow, which "
                "is not installed: install sscoutcomes[parquet], or pass a pandas DataFrame"
            ) from None
        return pa.table(frame).to_pandas()
    return frame


def unique_columns(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """``frame`` itself; a SchemaError naming its repeated column names, if any.

    Examples
    --------
    >>> from sscoutcomes._validation import unique_columns
    >>> unique_columns(pd.DataFrame([[1, 2]], columns=["mrss", "mrss"]), "visits frame")
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.SchemaError: the visits frame has repeated column names: 'mrss'; keep ...
    """
    repeated = frame.columns[frame.columns.duplicated()].unique().tolist()
    if repeated:
        raise SchemaError(
            f"the {what} has repeated column names: {', '.join(map(repr, repeated))}; "
            "keep one of each"
        )
    return frame


def check_choice(label: str, value: object, allowed: Sequence[str]) -> str:
    """An option that must be one of ``allowed`` (text): SchemaError naming it otherwise."""
    if not isinstance(value, str) or value not in allowed:
        raise SchemaError(f"{label} = {value!r} is not one of {', '.join(map(repr, allowed))}")
    return value


def check_bool(label: str, value: object) -> bool:
    """A yes/no option given as ``True`` or ``False``: SchemaError naming it otherwise."""
    if not isinstance(value, (bool, np.bool_)):
        raise SchemaError(f"{label} = {value!r} must be True or False")
    return bool(value)


def check_instance(label: str, value: object, cls: type | tuple[type, ...], what: str) -> None:
    """An argument that must be a ``what`` (an instance of ``cls``): SchemaError naming it."""
    if not isinstance(value, cls):
        raise SchemaError(f"{label} must be {what}; got {type(value).__name__}")


def optional_in_range(
    lo: float,
    hi: float,
    *,
    integer: bool = False,
    unit: str = "",
    label: str | None = None,
    hint: str | None = None,
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator wrapping :func:`check_number` (``label`` defaults to the field
    name); ``None`` (not measured) passes."""

    def validator(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None or (type(value) is int and lo <= value <= hi):
            return  # not measured, or the common case (a whole number in range)
        check_number(label or attribute.name, value, lo, hi, integer=integer, unit=unit, hint=hint)

    return validator


@attrs.frozen(kw_only=True)
class ColumnSpec:
    """One canonical column of the visits (or patients) frame.

    Attributes
    ----------
    name : str
        Column name.
    dtype : {"float", "int", "bool", "str", "category", "date"}
        Logical type. ``int`` columns may hold missing values (read as float NaN);
        ``date`` columns hold calendar dates (ISO 8601 text or datetimes).
    description : str
        What the column holds.
    unit : str
        Unit, empty when dimensionless.
    lo, hi : float or None
        Inclusive valid range for numeric columns.
    integer : bool
        Whether numeric values must be whole numbers.
    categories : tuple of str
        Allowed values of a ``category`` column.
    hint : str or None
        Extra advice added to range errors (e.g. a likely unit mistake).
    """

    name: str
    dtype: DType
    description: str
    unit: str = ""
    lo: float | None = None
    hi: float | None = None
    integer: bool = False
    categories: tuple[str, ...] = ()
    hint: str | None = None

    @property
    def range_text(self) -> str:
        """The valid range as text (``0..3``), or the categories, or empty."""
        if self.lo is not None and self.hi is not None:
            return _range_text(self.lo, self.hi, self.unit)
        if self.categories:
            return ", ".join(self.categories)
        return ""


class FailureCollector:
    """Collects failing cells of a frame and raises them together as one error."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._parts: list[pd.DataFrame] = []
        self._schema = False
        self._messages: list[str] = []
        self._sources: Mapping[str, str] | None = None
        self._date_label: str | None = None

    def name_sources(self, sources: Mapping[str, str], date_label: str | None = None) -> None:
        """Name columns by their source (``sources``: canonical -> source name, from a
        column mapping) in the error: ``failure_cases`` gets a ``source_column`` column
        and, when the frame has a ``date`` column and ``date_label`` is given, a ``date``
        column with the visit date as written, which the message shows."""
        self._sources = sources
        self._date_label = date_label if "date" in self._frame.columns else None

    def add(
        self,
        mask: npt.NDArray[np.bool_],
        column: str,
        values: Sequence[object] | npt.NDArray[Any] | pd.Series[Any],
        reason: str,
        *,
        schema: bool = False,
    ) -> None:
        """Record the rows where ``mask`` is true as failures of ``column``."""
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        self._schema = self._schema or schema
        frame = self._frame
        vals = np.asarray(values, dtype=object)[idx]
        part = pd.DataFrame(
            {
                "row": frame.index[idx].to_numpy(dtype=object),
                "patient_id": (
                    frame["patient_id"].to_numpy(dtype=object)[idx]
                    if "patient_id" in frame.columns
                    else np.full(idx.size, None, dtype=object)
                ),
                "day": (
                    frame["day"].to_numpy(dtype=object)[idx]
                    if "day" in frame.columns
                    else np.full(idx.size, None, dtype=object)
                ),
                "column": column,
                "value": vals,
                "reason": reason,
            },
            columns=list(FAILURE_CASE_COLUMNS),
        )
        if self._date_label is not None:
            part["date"] = frame["date"].to_numpy(dtype=object)[idx]
        self._parts.append(part)

    def add_message(self, message: str, *, schema: bool = True) -> None:
        """Record a failure that is not tied to cells (e.g. a missing column)."""
        self._schema = self._schema or schema
        self._messages.append(message)

    def merge(self, error: SSCOutcomesError) -> None:
        """Record the failures of another check's error that are not recorded yet (same
        row, column and reason), or its message when it lists no cells."""
        cases = error.failure_cases
        schema = not isinstance(error, OutOfRangeError)
        if cases is None or len(cases) == 0:
            if str(error) not in self._messages:
                self.add_message(str(error), schema=schema)
            return
        seen = {
            (repr(r.row), r.column, r.reason)
            for part in self._parts
            for r in part.itertuples(index=False)
        }
        new = [
            i
            for i, r in enumerate(cases.itertuples(index=False))
            if (repr(r.row), r.column, r.reason) not in seen
        ]
        if new:
            self._schema = self._schema or schema
            self._parts.append(cases.iloc[new].reset_index(drop=True))

    @property
    def failed(self) -> bool:
        """Whether anything was recorded."""
        return bool(self._parts or self._messages)

    def raise_if_failed(self, what: str = "visits frame") -> None:
        """Raise one :class:`SchemaError` (or :class:`OutOfRangeError` when every failure is a
        range failure) listing every recorded failure."""
        if not self.failed:
            return
        cases = (
            pd.concat(self._parts, ignore_index=True)
            if self._parts
            else pd.DataFrame({c: [] for c in FAILURE_CASE_COLUMNS})
        )
        lines = list(self._messages)
        sources = self._sources
        if sources is not None:
            cases["source_column"] = [sources.get(c, c) for c in cases["column"]]
        for row in cases.head(20).itertuples(index=False):
            where = f"row {row.row!r}"
            when = f"day {row.day!r}"
            date = getattr(row, "date", None)
            if self._date_label is not None and isinstance(date, str) and date.strip():
                when = f"{self._date_label} {date!r}"
            if row.patient_id is not None:
                where += f" (patient {row.patient_id!r}, {when})"
            column = str(row.column)
            if sources is not None:
                column = sources.get(column, column)
            lines.append(f"{where}: {column} = {row.value!r} {row.reason}")
        if len(cases) > 20:
            lines.append(f"... and {len(cases) - 20} more (see .failure_cases)")
        n = len(cases) + len(self._messages)
        message = f"{n} problem(s) in the {what}:\n  " + "\n  ".join(lines)
        cls: type[SSCOutcomesError] = SchemaError if self._schema else OutOfRangeError
        raise cls(message, failure_cases=cases, frame=what, messages=self._messages)


def as_float_array(x: Any, label: str = "value") -> FloatArray:
    """Scalars, sequences, arrays or Series as float64 (``None``/NA/NaN = missing); text or
    other non-numbers raise :class:`SchemaError` and infinities :class:`OutOfRangeError`,
    naming ``label`` and the value."""
    return _finite(_as_float_array(x, label), label)


def _finite(a: FloatArray, label: str) -> FloatArray:
    if np.isinf(a).any():
        bad = a[np.isinf(a)].ravel()[0]
        raise OutOfRangeError(f"{label} = {bad} is not a finite number")
    return a


def _as_float_array(x: Any, label: str) -> FloatArray:
    if isinstance(x, (pd.Series, pd.Index)) and (
        pd.api.types.is_numeric_dtype(x.dtype) or pd.api.types.is_bool_dtype(x.dtype)
    ):
        if pd.api.types.is_bool_dtype(x.dtype):
            x = x.astype("float64")
        return np.asarray(x.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    if x is None:
        return np.asarray(np.nan)
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return np.asarray(x, dtype=np.float64)  # numeric arrays: no per-element work
    if isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool):
        return np.asarray(float(x))
    a = np.asarray(x, dtype=object)
    flat: list[float] = []
    for v in a.ravel():
        if v is None or v is pd.NA:
            flat.append(np.nan)
        elif isinstance(v, str) or not isinstance(v, (numbers.Real, np.bool_)):
            raise SchemaError(f"{label} = {v!r} is not a number")
        else:
            flat.append(float(v))
    return np.asarray(flat, dtype=np.float64).reshape(a.shape)


def broadcast_together(labels: str, *arrays: FloatArray) -> list[FloatArray]:
    """``arrays`` broadcast to one shape; :class:`SchemaError` naming ``labels`` and the
    shapes when they do not fit together."""
    try:
        return list(np.broadcast_arrays(*arrays))
    except ValueError:
        shapes = ", ".join(str(a.shape) for a in arrays)
        raise SchemaError(
            f"{labels} have shapes {shapes} that do not broadcast; give scalars or arrays of "
            "one length"
        ) from None


def failing_cells(
    values: FloatArray, lo: float | None, hi: float | None, *, integer: bool = False
) -> tuple[BoolArray | None, BoolArray | None]:
    """The one range check of arrays: the cells of ``values`` (any shape, NaN = missing)
    outside ``lo..hi`` (a bound of ``None`` is open) and, with ``integer``, the cells that
    are not whole numbers (infinity included). Each is ``None`` when no cell fails.

    The common all-valid case costs one NaN-ignoring reduction per rule; a mask is only
    built when its reduction shows a failure.
    """
    if values.size == 0:
        return None, None
    nan = math.nan  # NaN: a bound that needs no reduction never fails
    vmin = float(np.fmin.reduce(values, axis=None)) if lo is not None or integer else nan
    vmax = float(np.fmax.reduce(values, axis=None)) if hi is not None or integer else nan
    outside: BoolArray | None = None
    if (lo is not None and vmin < lo) or (hi is not None and vmax > hi):
        with np.errstate(invalid="ignore"):
            outside = np.zeros(values.shape, dtype=np.bool_)
            if lo is not None:
                outside |= values < lo
            if hi is not None:
                outside |= values > hi
    fractional: BoolArray | None = None
    if integer:
        with np.errstate(invalid="ignore"):  # inf - inf: NaN, which the reduction ignores
            frac = np.rint(values)  # rint(inf) - inf is NaN: infinity is found above
            np.subtract(values, frac, out=frac)
        infinite = math.isinf(vmin) or math.isinf(vmax)
        if infinite or np.fmax.reduce(frac, axis=None) > 0 or np.fmin.reduce(frac, axis=None) < 0:
            with np.errstate(invalid="ignore"):
                fractional = ~np.isnan(values) & ((values != np.round(values)) | np.isinf(values))
    return outside, fractional


def check_array_range(
    label: str,
    values: FloatArray,
    lo: float,
    hi: float,
    unit: str = "",
    hint: str | None = None,
) -> None:
    """Raise :class:`OutOfRangeError` naming ``label``, the most extreme offending value and
    the range (and ``hint``) when any non-missing value of ``values`` lies outside
    ``lo..hi``."""
    outside, _ = failing_cells(values, lo, hi)
    if outside is not None:
        bad_values = values[outside]
        low = float(bad_values.min())
        bad = low if low < lo else float(bad_values.max())
        suffix = f" ({hint})" if hint else ""
        raise OutOfRangeError(f"{label} = {bad:g} is outside {_range_text(lo, hi, unit)}{suffix}")


def clean_value(v: Any) -> Any:
    """A record value with missing markers (None, NA, NaN) as ``None`` and numpy scalars
    as Python scalars, for rebuilding objects from frame rows."""
    if v is None or v is pd.NA or (isinstance(v, (float, np.floating)) and math.isnan(v)):
        return None
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v


def as_record(record: Any, label: str = "record") -> dict[Any, Any]:
    """A record (a mapping, or a row of a frame as a Series) as a dict; :class:`SchemaError`
    naming ``label`` for anything else or for a row with a repeated column name."""
    if isinstance(record, pd.Series):
        if record.index.has_duplicates:
            repeated = sorted({str(k) for k in record.index[record.index.duplicated()]})
            raise SchemaError(
                f"{label} has repeated field(s) {', '.join(map(repr, repeated))}; keep one of each"
            )
        return dict(record.items())
    if isinstance(record, Mapping):
        return dict(record.items())
    raise SchemaError(
        f"{label} = {record!r:.80} is not a mapping; give a dict or a row of a frame (Series)"
    )


def record_values(
    record: Mapping[str, Any],
    specs: Iterable[ColumnSpec],
    field_of: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The values an object face takes from a canonical record (a row of a visits frame):
    each present column of ``specs`` under its field name (``field_of``, else the column
    name), missing values (None, NaN, NA) left out, numpy scalars as Python scalars, 0/1 in
    a yes/no column as a bool and a whole float in a whole-number column as an int. The
    object's own validators then check them."""
    values: dict[str, Any] = {}
    record = as_record(record)
    for spec in specs:
        v = clean_value(record.get(spec.name))
        if v is None:
            continue
        if spec.dtype == "bool" and isinstance(v, (int, float)) and v in (0, 1):
            v = bool(v)
        elif spec.integer and isinstance(v, float) and v.is_integer():
            v = int(v)
        values[spec.name if field_of is None else field_of.get(spec.name, spec.name)] = v
    return values


def series_to_float(series: pd.Series[Any]) -> FloatArray:
    """A numeric or boolean column as a float64 array with NaN for missing values."""
    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype("float64")
    return np.asarray(series.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)


def labelled_categorical(codes: npt.ArrayLike, labels: Sequence[str]) -> pd.Categorical:
    """A categorical from integer codes 0..k-1 into ``labels`` (the label order is kept)."""
    c = np.asarray(codes).astype(np.int64)
    return pd.Categorical.from_codes(c, categories=pd.Index(list(labels), dtype=object))


def _as_numeric(series: pd.Series[Any]) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Return the column as float64 (NaN = missing) and a mask of non-numeric entries."""
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_numeric_dtype(series.dtype):
        return series_to_float(series), np.zeros(len(series), dtype=np.bool_)
    coerced = pd.to_numeric(series, errors="coerce")
    values = np.asarray(coerced.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
    bad: npt.NDArray[np.bool_] = np.isnan(values) & series.notna().to_numpy(dtype=np.bool_)
    # Empty strings count as missing, not as garbage.
    if bad.any():
        text = series.astype("string").str.strip()
        bad &= (text != "").to_numpy(dtype=bool, na_value=False)
    return values, bad


def _check_values(
    values: FloatArray,
    spec: ColumnSpec,
    collector: FailureCollector,
    column: str,
    *,
    whole: bool = False,
) -> None:
    """Record the out-of-range and non-integer cells of a 1-D ``values`` (NaN = missing);
    a range is checked when the spec has both bounds. ``whole``: the values came from
    integer (or boolean) storage, which holds no fractions, so only the range is checked."""
    bounded = spec.lo is not None and spec.hi is not None
    lo, hi = (spec.lo, spec.hi) if bounded else (None, None)
    outside, fractional = failing_cells(values, lo, hi, integer=spec.integer and not whole)
    if outside is not None:
        reason = f"is outside {spec.range_text}"
        if spec.hint:
            reason += f" ({spec.hint})"
        collector.add(outside, column, values, reason)
    if fractional is not None:
        collector.add(fractional, column, values, f"is not an integer ({spec.range_text})")


def _column(frame: pd.DataFrame, name: str) -> pd.Series[Any]:
    """The column ``name``; :class:`SchemaError` when the frame has several of that name."""
    column = frame[name]
    if not isinstance(column, pd.Series):
        raise SchemaError(
            f"the visits frame has {column.shape[1]} columns named {name!r}; keep one"
        )
    return column


def float_column(frame: pd.DataFrame, spec: ColumnSpec, collector: FailureCollector) -> FloatArray:
    """Read one numeric column as float64 (NaN = missing), recording every failing cell.

    Float64 columns are returned without copying (treat the result as read-only).
    """
    series = _column(frame, spec.name)
    values, not_numeric = _as_numeric(series)
    if not_numeric.any():
        collector.add(
            not_numeric, spec.name, series.to_numpy(dtype=object), "is not a number", schema=True
        )
    _check_values(values, spec, collector, spec.name, whole=series.dtype.kind in "iub")
    return values


def numeric_columns(
    frame: pd.DataFrame, specs: Sequence[ColumnSpec], collector: FailureCollector
) -> list[FloatArray]:
    """Read several numeric columns (e.g. the 17 mRSS sites, the 20 HAQ items) as float64
    arrays, recording every failing cell."""
    return [float_column(frame, spec, collector) for spec in specs]


#: The yes/no words every reader accepts (any case, surrounding spaces ignored).
YES_NO: Final[Mapping[str, float]] = MappingProxyType(
    {
        "true": 1.0,
        "false": 0.0,
        "yes": 1.0,
        "no": 0.0,
        "y": 1.0,
        "n": 0.0,
        "1": 1.0,
        "0": 0.0,
        "1.0": 1.0,
        "0.0": 0.0,
        "": np.nan,
    }
)


def read_flags(value: Any, label: str) -> FloatArray:
    """Yes/no values (a scalar or a sequence) as 1.0 / 0.0 / NaN, read exactly as
    :func:`bool_column` reads a column: booleans, 0/1 and the :data:`YES_NO` words; any
    other value raises :class:`SchemaError` naming ``label`` and the value.

    Examples
    --------
    >>> from sscoutcomes._validation import read_flags
    >>> read_flags(["no", "Y", None], "other_signs").tolist()
    [0.0, 1.0, nan]
    """
    a = np.asarray(value, dtype=object)
    frame = pd.DataFrame({label: a.reshape(-1)})
    collector = FailureCollector(frame)
    spec = ColumnSpec(name=label, dtype="bool", description=label)
    out = bool_column(frame, spec, collector)
    collector.raise_if_failed(f"{label} values")
    return out.reshape(a.shape)


def to_flag(value: Any, label: str) -> Any:
    """A yes/no field's value: ``None`` and booleans as they are, 0/1 and the
    :data:`YES_NO` words as ``bool`` (``None`` for an empty word); anything else raises
    :class:`SchemaError` naming the field (for attrs converters)."""
    if value is None or isinstance(value, bool):
        return value
    flags = read_flags(value, label)
    if flags.size != 1:
        raise SchemaError(f"{label} = {value!r:.80} is not one yes/no value")
    flag = float(flags.reshape(()))
    return None if math.isnan(flag) else flag == 1.0


def bool_column(frame: pd.DataFrame, spec: ColumnSpec, collector: FailureCollector) -> FloatArray:
    """Read a yes/no column as float64 1.0 / 0.0 / NaN (missing), recording bad cells.

    Accepted: booleans, 0/1, and the strings true/false, yes/no, y/n, 1/0 (any case).
    """
    series = _column(frame, spec.name)
    if pd.api.types.is_bool_dtype(series.dtype):
        return series_to_float(series)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series_to_float(series)
        outside, fractional = failing_cells(values, 0.0, 1.0, integer=True)  # 0 or 1 only
        bad = (
            fractional
            if outside is None
            else outside
            if fractional is None
            else outside | fractional
        )
        if bad is None:
            return values.copy()
        collector.add(bad, spec.name, values, "is not a yes/no value (0/1, true/false)")
        return np.where(bad, np.nan, values)
    text = series.astype("string").str.strip().str.lower()
    mapped = text.map(YES_NO, na_action="ignore")
    values = np.asarray(
        pd.to_numeric(mapped, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan),
        dtype=np.float64,
    )
    bad = (
        np.isnan(values)
        & text.notna().to_numpy()
        & (text != "").to_numpy(dtype=bool, na_value=False)
    )
    collector.add(
        bad,
        spec.name,
        series.to_numpy(dtype=object),
        "is not a yes/no value (true/false, yes/no, 1/0)",
        schema=True,
    )
    return values


def check_grades(a: FloatArray, names: Sequence[str], label: str, lo: int, hi: int) -> None:
    """Raise :class:`OutOfRangeError` naming the first failing grade of a ``(..., k)`` array
    of whole-number grades ``lo..hi`` (NaN = missing), column ``j`` being ``names[j]``:
    ``mrss site 'face' = 4 is outside 0..3``."""
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(a) & ((a < lo) | (a > hi) | (a != np.round(a)))
    if bad.any():
        pos = np.argwhere(bad)[0]
        value = float(a[tuple(pos)])
        shown = int(value) if value.is_integer() else value
        what = "is outside" if value.is_integer() else "is not an integer in"
        raise OutOfRangeError(f"{label} {names[int(pos[-1])]!r} = {shown} {what} {lo}..{hi}")


def read_columns(
    frame: pd.DataFrame,
    specs: Iterable[ColumnSpec],
    collector: FailureCollector,
    *,
    absent: Literal["nan", "skip"] = "nan",
) -> dict[str, FloatArray]:
    """Read the columns of ``specs`` through their specs as float64 (NaN = missing; yes/no
    columns as 1.0 / 0.0), recording every failing cell in ``collector``. A column the
    frame lacks is all NaN (``absent="nan"``) or left out (``absent="skip"``). The one
    reader of every frame face."""
    out: dict[str, FloatArray] = {}
    for spec in specs:
        if spec.name not in frame.columns:
            if absent == "nan":
                out[spec.name] = np.full(len(frame), np.nan)
        elif spec.dtype == "bool":
            out[spec.name] = bool_column(frame, spec, collector)
        else:
            out[spec.name] = float_column(frame, spec, collector)
    return out


def read_numeric_columns(
    frame: pd.DataFrame,
    specs: Iterable[ColumnSpec],
    *,
    what: str = "visits frame",
) -> dict[str, FloatArray]:
    """Read every present column of ``specs`` as float64 and raise once for all bad cells."""
    collector = FailureCollector(frame)
    out = read_columns(frame, specs, collector, absent="skip")
    collector.raise_if_failed(what)
    return out


def check_open_unit(label: str, value: object) -> float:
    """A level or threshold strictly between 0 and 1 (a confidence level, a probability cut-off)
    as a float; :class:`OutOfRangeError` naming ``label`` and the value otherwise.

    Examples
    --------
    >>> from sscoutcomes._validation import check_open_unit
    >>> check_open_unit("conf_level", 0.95)
    0.95
    >>> check_open_unit("conf_level", 1)
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.OutOfRangeError: conf_level = 1 is outside 0..1 (exclusive)
    """
    x = check_number(label, value, 0, 1)
    if not 0 < x < 1:
        raise OutOfRangeError(f"{label} = {value!r} is outside 0..1 (exclusive)")
    return x


def did_you_mean(name: object, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the known name closest in spelling to ``name``, or ``""``
    when none is close (:func:`difflib.get_close_matches`, its default cutoff 0.6).

    Examples
    --------
    >>> from sscoutcomes._validation import did_you_mean
    >>> did_you_mean("mrsss", ["mrss", "haq_di"]), did_you_mean("centre", ["mrss"])
    (" (did you mean 'mrss'?)", '')
    """
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def closest_names(name: str, known: Iterable[str], n: int = 1) -> list[str]:
    """The canonical names closest to ``name``: close spellings (any case, spaces and
    hyphens read as underscores) and canonical names ``name`` starts with
    (``mrss_total`` -> ``mrss``).

    Examples
    --------
    >>> from sscoutcomes._validation import closest_names
    >>> from sscoutcomes.cohort.schema import visit_columns
    >>> names = [c.name for c in visit_columns()]
    >>> closest_names("crp_mg_dl", names), closest_names("mRSS total", names)
    (['crp_mg_l'], ['mrss'])
    >>> closest_names("centre", names)
    []
    """
    names = list(known)
    text = name.strip().lower().replace(" ", "_").replace("-", "_")
    if text in names and text != name:
        return [text]
    out = difflib.get_close_matches(text, names, n=n, cutoff=0.75)
    if not out:
        starts = [c for c in names if text.startswith(c + "_")]
        out = sorted(starts, key=len, reverse=True)[:n]
    return out


def check_unknown_prefixed(
    frame: pd.DataFrame | Iterable[str],
    prefix: str,
    known: Iterable[str],
    *,
    what: str = "visits frame",
) -> None:
    """Raise :class:`SchemaError` for columns that start with ``prefix`` but are not ``known``
    (a misspelled site or item), suggesting the closest known name."""
    columns = frame.columns if isinstance(frame, pd.DataFrame) else list(frame)
    known_set = set(known)
    unknown = [
        c for c in columns if isinstance(c, str) and c.startswith(prefix) and c not in known_set
    ]
    if not unknown:
        return
    parts = []
    for col in unknown:
        close = closest_names(col, known_set)
        hint = f" (did you mean {close[0]!r}?)" if close else did_you_mean(col, sorted(known_set))
        parts.append(f"{col!r}{hint}")
    raise SchemaError(
        f"unknown column(s) in the {what}: {', '.join(parts)}; "
        f"columns starting with {prefix!r} must be one of the canonical names"
    )


def require_any(
    frame: pd.DataFrame, specs: Sequence[ColumnSpec], group: str, *, what: str = "visits frame"
) -> None:
    """Raise :class:`SchemaError` when the frame has none of the ``specs`` columns, naming
    the group and the columns it could give."""
    if any(spec.name in frame.columns for spec in specs):
        return
    names = [spec.name for spec in specs]
    shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
    raise SchemaError(f"the {what} has no {group} columns: give any of {shown}")


def require_all_or_none(
    frame: pd.DataFrame, names: Sequence[str], group: str, *, what: str = "visits frame"
) -> bool:
    """Return whether all ``names`` are columns; raise when only some are (a partial set)."""
    present = [n for n in names if n in frame.columns]
    if not present:
        return False
    if len(present) < len(names):
        missing = [n for n in names if n not in frame.columns]
        raise SchemaError(
            f"the {what} has {len(present)} of the {len(names)} {group} columns; "
            f"missing: {', '.join(missing)}"
        )
    return True


def mapping_get(values: Mapping[str, Any], key: str) -> Any:
    """Fetch ``key`` from a mapping of inputs with a clear error when absent."""
    try:
        return values[key]
    except KeyError:
        raise SchemaError(
            f"missing input {key!r}; got {', '.join(sorted(map(str, values))) or 'nothing'}"
        ) from None
