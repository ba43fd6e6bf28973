"""Validation helpers shared by every measure: scalar checks for the attrs objects and
lazy, collect-everything checks for the visits frames.

Private module: the public face is the error hierarchy in :mod:`sscoutcomes.errors` and the
column table in :mod:`sscoutcomes.cohort.schema`.
"""

from __future__ import annotations

import difflib
import math
import numbers
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any, Final, Literal, TypeVar, overload

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import FAILURE_CASE_COLUMNS, OutOfRangeError, SchemaError, SSCOutcomesError

__all__ = [
    "ColumnSpec",
    "FailureCollector",
    "any_missing",
    "as_float_array",
    "bool_column",
    "check_number",
    "check_unknown_prefixed",
    "clean_value",
    "float_column",
    "in_range",
    "labelled_categorical",
    "numeric_columns",
    "optional_in_range",
    "read_numeric_columns",
    "row_blocks",
    "scan_blocks",
    "series_to_float",
    "with_missing",
]

FloatArray = npt.NDArray[np.float64]
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


def in_range(
    lo: float,
    hi: float,
    *,
    integer: bool = False,
    unit: str = "",
    label: str | None = None,
    hint: str | None = None,
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator wrapping :func:`check_number`; ``label`` defaults to the field name."""

    def validator(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is int and lo <= value <= hi:
            return  # the common case (a whole number in range), checked cheaply
        check_number(label or attribute.name, value, lo, hi, integer=integer, unit=unit, hint=hint)

    return validator


def optional_in_range(
    lo: float,
    hi: float,
    *,
    integer: bool = False,
    unit: str = "",
    label: str | None = None,
    hint: str | None = None,
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """Like :func:`in_range` but ``None`` (not measured) passes."""
    inner = in_range(lo, hi, integer=integer, unit=unit, label=label, hint=hint)

    def validator(inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None or (type(value) is int and lo <= value <= hi):
            return  # not measured, or the common case checked cheaply
        inner(inst, attribute, value)

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
        self._parts.append(part)

    def add_message(self, message: str, *, schema: bool = True) -> None:
        """Record a failure that is not tied to cells (e.g. a missing column)."""
        self._schema = self._schema or schema
        self._messages.append(message)

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
        for row in cases.head(20).itertuples(index=False):
            where = f"row {row.row!r}"
            if row.patient_id is not None:
                where += f" (patient {row.patient_id!r}, day {row.day!r})"
            lines.append(f"{where}: {row.column} = {row.value!r} {row.reason}")
        if len(cases) > 20:
            lines.append(f"... and {len(cases) - 20} more (see .failure_cases)")
        n = len(cases) + len(self._messages)
        message = f"{n} problem(s) in the {what}:\n  " + "\n  ".join(lines)
        cls: type[SSCOutcomesError] = SchemaError if self._schema else OutOfRangeError
        raise cls(message, failure_cases=cases)


def as_float_array(x: Any, label: str = "value") -> FloatArray:
    """Scalars, sequences, arrays or Series as float64 (``None``/NA/NaN = missing); text or
    other non-numbers raise :class:`SchemaError` naming ``label`` and the value."""
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


def check_array_range(label: str, values: FloatArray, lo: float, hi: float, unit: str = "") -> None:
    """Raise :class:`OutOfRangeError` naming ``label``, the first offending value and the
    range when any non-missing value of ``values`` lies outside ``lo..hi``."""
    if values.size == 0:
        return
    vmin, vmax = np.fmin.reduce(values, axis=None), np.fmax.reduce(values, axis=None)
    if vmin < lo or vmax > hi:
        bad = float(vmin if vmin < lo else vmax)
        raise OutOfRangeError(f"{label} = {bad:g} is outside {_range_text(lo, hi, unit)}")


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
    scratch: FloatArray | None = None,
) -> None:
    """Record out-of-range and non-integer cells of a 1-D ``values`` (NaN = missing).

    The common all-valid case costs a few whole-array reductions and, for integer columns,
    two passes into ``scratch`` (a reusable buffer of the same size, to avoid allocating);
    masks are only built when a reduction shows a failure.
    """
    if values.size == 0:
        return
    if spec.lo is not None and spec.hi is not None:
        lo, hi = spec.lo, spec.hi
        if np.fmin.reduce(values, axis=None) < lo or np.fmax.reduce(values, axis=None) > hi:
            with np.errstate(invalid="ignore"):
                outside = (values < lo) | (values > hi)
            reason = f"is outside {spec.range_text}"
            if spec.hint:
                reason += f" ({spec.hint})"
            collector.add(outside, column, values, reason)
    if spec.integer:
        buf = scratch if scratch is not None and scratch.shape == values.shape else None
        frac = np.rint(values, out=buf)
        np.subtract(values, frac, out=frac)
        if np.fmax.reduce(frac, axis=None) > 0 or np.fmin.reduce(frac, axis=None) < 0:
            with np.errstate(invalid="ignore"):
                fractional = ~np.isnan(values) & (values != np.round(values))
            collector.add(fractional, column, values, f"is not an integer ({spec.range_text})")


def float_column(
    frame: pd.DataFrame,
    spec: ColumnSpec,
    collector: FailureCollector,
    scratch: FloatArray | None = None,
) -> FloatArray:
    """Read one numeric column as float64 (NaN = missing), recording every failing cell.

    Float64 columns are returned without copying (treat the result as read-only).
    """
    series = frame[spec.name]
    values, not_numeric = _as_numeric(series)
    if not_numeric.any():
        collector.add(
            not_numeric, spec.name, series.to_numpy(dtype=object), "is not a number", schema=True
        )
    _check_values(values, spec, collector, spec.name, scratch)
    return values


def numeric_columns(
    frame: pd.DataFrame, specs: Sequence[ColumnSpec], collector: FailureCollector
) -> list[FloatArray]:
    """Read several numeric columns (e.g. the 17 mRSS sites, the 20 HAQ items) as float64
    arrays with one shared scratch buffer, recording every failing cell. This is the
    collecting path; :func:`scan_blocks` is the fast one."""
    scratch = np.empty(len(frame), dtype=np.float64)
    return [float_column(frame, spec, collector, scratch) for spec in specs]


#: Rows per block of the block-wise frame face (:func:`scan_blocks`). 2**16 rows of float64
#: are 512 KiB a column: a block's columns and the kernel's temporaries stay in the
#: processor's cache instead of streaming every intermediate array through memory, and a
#: block is long enough for numpy's per-call costs not to count (measured on the 2-core
#: machine: 2**16 beat 2**15 by 10-15 % for the mRSS, HAQ-DI and sPAP at 10^6 rows).
BLOCK_ROWS: Final = 1 << 16

BoolArray = npt.NDArray[np.bool_]
#: A kernel over one block of rows: (start, stop, the block's columns, their missing masks)
#: -> False to abandon the fast path (the caller then takes the collecting path, which
#: raises). The masks are all ``None`` unless the scan runs in integer mode.
BlockKernel = Callable[[int, int, Sequence[npt.NDArray[Any]], list[BoolArray | None]], bool | None]


class _BlockFailed(Exception):
    """A column of a block failed its check while the kernel read it (integer mode)."""


class CheckedColumns(Sequence[npt.NDArray[Any]]):
    """One block's columns in integer mode, each checked against its spec when the kernel
    first reads it: a formula that goes through the columns one by one (the mRSS sum) then
    checks and adds each column while it is in the processor's fastest cache. A column
    that fails raises :class:`_BlockFailed`, which :func:`scan_blocks` catches; columns the
    kernel did not read are checked after it returns. Slices share the checks done."""

    __slots__ = ("_cells",)

    def __init__(self, cells: list[list[Any]]) -> None:
        self._cells = cells  # [values, check or None once passed]

    def __len__(self) -> int:
        return len(self._cells)

    @overload
    def __getitem__(self, i: int) -> npt.NDArray[Any]: ...
    @overload
    def __getitem__(self, i: slice) -> CheckedColumns: ...
    def __getitem__(self, i: int | slice) -> npt.NDArray[Any] | CheckedColumns:
        if isinstance(i, slice):
            return CheckedColumns(self._cells[i])
        cell = self._cells[i]
        check = cell[1]
        if check is not None:
            if not check(cell[0]):
                raise _BlockFailed
            cell[1] = None
        values: npt.NDArray[Any] = cell[0]
        return values

    def check_all(self) -> None:
        """Check the columns not read yet."""
        for i in range(len(self._cells)):
            self[i]


Storage = tuple[npt.NDArray[Any], BoolArray | None]


def _numeric_storage(series: pd.Series[Any]) -> Storage | None:
    """A numeric column's own storage: (values, missing mask or None), without copying.

    NumPy-backed numbers and booleans give their array; pandas' masked arrays (``Int64``,
    ``Float64``, ``boolean``: what a :class:`~sscoutcomes.Cohort` stores) give their values
    and mask. Anything else (text, objects, Arrow-backed columns) gives ``None``: the caller
    then reads the column cell by cell.
    """
    dtype = series.dtype
    if isinstance(dtype, np.dtype):
        if dtype.kind in "biuf":
            return np.asarray(series.to_numpy(copy=False)), None
        return None
    arr = series.array
    if isinstance(arr, (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)):
        # The masked arrays' buffers (stable across pandas 2.x and 3.x); the public
        # conversion below is the fallback should they ever move.
        data, mask = getattr(arr, "_data", None), getattr(arr, "_mask", None)
        if isinstance(data, np.ndarray) and isinstance(mask, np.ndarray):
            return data, mask
        numpy_dtype = np.dtype(getattr(dtype, "numpy_dtype", np.float64))
        fill: Any = False if numpy_dtype.kind == "b" else 0
        return (
            np.asarray(arr.to_numpy(dtype=numpy_dtype, na_value=fill)),
            np.asarray(arr.isna(), dtype=bool),
        )
    return None


def _block_check(spec: ColumnSpec, integral: bool) -> Callable[[FloatArray, FloatArray], Any]:
    """The check of :func:`scan_blocks` for float64 blocks, worked out once per column: it
    tells whether every non-missing value of a block ``x`` satisfies ``spec`` (the rule of
    :func:`_check_values`; yes/no columns must hold 0 or 1), using ``buf`` (as long as
    ``x``) as scratch. ``integral``: the values came from integer or boolean storage, so
    they are whole numbers already.

    Exact, with few passes over the block (which is in cache after the first): the fraction
    ``x - floor(x)`` is positive for every non-whole value, and the NaN-ignoring ``fmax`` /
    ``fmin`` reductions find a fraction and check the range without building masks.
    """
    lo, hi = _bounds(spec)
    whole = (spec.integer or spec.dtype == "bool") and not integral
    low = -math.inf if lo is None else lo
    high = math.inf if hi is None else hi

    def check(x: FloatArray, buf: FloatArray) -> Any:
        if whole:
            np.floor(x, out=buf)
            with np.errstate(invalid="ignore"):  # inf - inf: NaN, and the range check fails
                np.subtract(x, buf, out=buf)
            if _FMAX(buf) > 0:
                return False
        # NaN-ignoring: an all-missing block gives NaN, and NaN compares false
        return not (_FMIN(x) < low or _FMAX(x) > high)

    return check


_FMIN: Final = np.fmin.reduce
_FMAX: Final = np.fmax.reduce


def _bounds(spec: ColumnSpec) -> tuple[float | None, float | None]:
    """The valid range of a numeric column; yes/no columns hold 0 or 1."""
    return (0.0, 1.0) if spec.dtype == "bool" else (spec.lo, spec.hi)


def with_missing(
    values: npt.NDArray[Any], mask: BoolArray | None, out: FloatArray | None = None
) -> FloatArray:
    """A float64 copy of ``values`` (into ``out`` if given) with NaN where ``mask`` is true
    (or as is: no mask)."""
    if out is None:
        out = np.array(values, dtype=np.float64)
    else:
        np.copyto(out, values)
    if mask is not None:
        np.copyto(out, np.nan, where=mask)
    return out


def any_missing(masks: Iterable[BoolArray | None]) -> BoolArray | None:
    """Rows where any of ``masks`` is true (``None`` when every mask is ``None``)."""
    out: BoolArray | None = None
    for mask in masks:
        if mask is None:
            continue
        if out is None:
            out = mask.copy()
        else:
            np.logical_or(out, mask, out=out)
    return out


def _int_block_check(spec: ColumnSpec, dtype: np.dtype[Any]) -> Callable[[Any], Any]:
    """The range check of :func:`scan_blocks` for blocks of integer or boolean storage of
    ``dtype``, worked out once per column: it tells whether every value of a block lies in
    ``spec``'s range.

    The values under a missing mask are checked too (whatever the storage holds there, 0
    for a Cohort's frames): a stray value there only sends the caller to the collecting
    path, which then finds nothing wrong.
    """
    lo, hi = _bounds(spec)
    if dtype.kind == "b":
        ok = (lo is None or lo <= 0) and (hi is None or hi >= 1)
        return lambda raw: ok
    if lo == 0 and hi is not None and dtype.kind == "i":
        # One reduction: negative values are huge when read as unsigned.
        unsigned, top = np.dtype(dtype.str.replace("i", "u")), hi
        return lambda raw: _MAX(raw.view(unsigned)) <= top
    low = -math.inf if lo is None else lo
    high = math.inf if hi is None else hi
    return lambda raw: _MIN(raw) >= low and _MAX(raw) <= high


_MIN: Final = np.minimum.reduce
_MAX: Final = np.maximum.reduce


def row_blocks(n: int) -> Iterator[slice]:
    """Slices of :data:`BLOCK_ROWS` rows covering ``range(n)``, in order: for array
    functions that check and compute block by block, so that each block is read from
    memory once and worked on in cache."""
    for start in range(0, n, BLOCK_ROWS):
        yield slice(start, min(n, start + BLOCK_ROWS))


def _threads() -> int:
    """Threads for :func:`scan_blocks`: ``SSCOUTCOMES_THREADS`` if set, else up to 4 of the
    machine's processors. NumPy releases the GIL inside its loops, so blocks run in
    parallel; set ``SSCOUTCOMES_THREADS=1`` where the caller already runs one task per
    processor (e.g. Dask's threaded scheduler)."""
    text = os.environ.get("SSCOUTCOMES_THREADS", "").strip()
    if text:
        try:
            wanted = int(text)
        except ValueError:
            raise SchemaError(
                f"SSCOUTCOMES_THREADS = {text!r} is not a whole number of threads (1 or more)"
            ) from None
        if wanted < 1:
            raise SchemaError(f"SSCOUTCOMES_THREADS = {wanted} is below 1")
        return wanted
    return max(1, min(4, os.cpu_count() or 1))


_T = TypeVar("_T")

#: Thread pools of :func:`_executor`, by number of threads.
_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()


def _executor(workers: int) -> ThreadPoolExecutor:
    """A pool of ``workers`` threads, kept for later calls: starting threads costs about
    0.3 ms a call, as much as scoring 10^5 rows. A forked child starts with no pools."""
    with _POOLS_LOCK:
        pool = _POOLS.get(workers)
        if pool is None:
            pool = _POOLS[workers] = ThreadPoolExecutor(workers, thread_name_prefix="sscoutcomes")
        return pool


def _forget_pools() -> None:
    # The threads of the parent's pools do not exist in a forked child.
    global _POOLS_LOCK
    _POOLS.clear()
    _POOLS_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools)


def _runs(n: int) -> list[list[slice]]:
    """The blocks of :func:`row_blocks(n) <row_blocks>` in runs of consecutive blocks, one
    run per thread (:func:`_threads`)."""
    blocks = list(row_blocks(n))
    workers = max(1, min(_threads(), len(blocks)))
    per_worker = max(1, -(-len(blocks) // workers))
    return [blocks[i : i + per_worker] for i in range(0, len(blocks), per_worker)]


def _in_threads(task: Callable[[list[slice]], _T], runs: list[list[slice]]) -> list[_T]:
    """``task(run)`` for each run: the first in this thread, the others in the pool, in
    parallel (one run: no pool at all). Every run ends before this returns or raises; the
    results are in run order, and an exception raised is that of the first run (in order)
    that raised one."""
    if not runs:
        return []
    others = []
    if len(runs) > 1:
        pool = _executor(_threads() - 1)
        others = [pool.submit(task, run) for run in runs[1:]]
    try:
        first = task(runs[0])
    finally:
        wait(others)  # none may still run (or write into an output) after this returns
    return [first, *(other.result() for other in others)]


def map_blocks(n: int, work: Callable[[slice], object]) -> None:
    """Run ``work(rows)`` for each slice of :func:`row_blocks(n) <row_blocks>`, the blocks
    shared out in runs of consecutive blocks among a few threads (:func:`_threads`).

    For array functions that check and compute block by block, each block into its own
    rows of an output. The outcome is that of running the blocks in order: an exception
    ends its run, and the one raised is that of the first failing block.
    """

    def run(blocks: list[slice]) -> None:
        for rows in blocks:
            work(rows)

    _in_threads(run, _runs(n))


def scan_blocks(
    frame: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    kernel: BlockKernel,
    *,
    integers: bool = False,
) -> bool:
    """The fast path of the frame face: run ``kernel`` over blocks of :data:`BLOCK_ROWS` rows.

    Each call gets the block's columns of ``specs``, every cell already checked against its
    spec: as float64 with NaN for missing values (an absent column is all NaN) and masks of
    ``None``; or, with ``integers=True`` and every column in integer or boolean storage (a
    Cohort's ``Int64`` / ``boolean`` columns), as the stored integers with a mask of the
    missing cells each (``None`` where nothing can be missing), which spares formulas that
    add whole numbers the conversion to floats. Reading, checking and scoring a block
    while it is in cache costs about what reading the numbers costs; blocks are shared out
    among a few threads (:func:`_threads`). The arrays passed to the kernel are reused for
    a later block: the kernel writes its results into its own outputs, each block into its
    own rows, so calls may run concurrently.

    Returns ``False`` -- possibly after some blocks ran -- when a column is not plain numeric
    storage, a cell fails its spec, or the kernel returns ``False``. The caller then reads the
    columns with the collecting path (:func:`float_column`, :class:`FailureCollector`), which
    lists every failing cell in one error; so the fast path never decides an error message.
    """
    n = len(frame)
    storage: list[Storage | None] = []
    for spec in specs:
        if spec.name not in frame.columns:
            storage.append(None)
            continue
        column = frame[spec.name]
        if not isinstance(column, pd.Series):
            raise SchemaError(
                f"the visits frame has {column.shape[1]} columns named {spec.name!r}; keep one"
            )
        found = _numeric_storage(column)
        if found is None:
            return False
        storage.append(found)
    as_integers = integers and all(s is None or s[0].dtype.kind in "biu" for s in storage)
    failed = threading.Event()
    runs = _runs(n)
    return all(_in_threads(lambda b: _scan(specs, storage, kernel, b, failed, as_integers), runs))


def _scan(
    specs: Sequence[ColumnSpec],
    storage: Sequence[Storage | None],
    kernel: BlockKernel,
    blocks: Sequence[slice],
    failed: threading.Event,
    as_integers: bool,
) -> bool:
    """:func:`scan_blocks` over the given blocks, with this worker's own buffers (only for
    the columns that need converting to float64)."""
    if not blocks:
        return True
    size = blocks[0].stop - blocks[0].start
    if as_integers:
        zeros, all_missing = np.zeros(size, dtype=np.int8), np.ones(size, dtype=bool)
        zeros.flags.writeable = all_missing.flags.writeable = False
        # Each column's check, worked out once: blocks then cost little Python.
        int_checks = [
            None if found is None else _int_block_check(spec, found[0].dtype)
            for spec, found in zip(specs, storage, strict=True)
        ]
        for rows in blocks:
            if failed.is_set() or not _int_block(
                rows, storage, int_checks, (zeros, all_missing), kernel
            ):
                failed.set()
                return False
        return True
    nans = np.full(size, np.nan)
    nans.flags.writeable = False
    buffers = [
        None
        if found is None or (found[1] is None and found[0].dtype == np.float64)
        else np.empty(size)
        for found in storage
    ]
    scratch = np.empty(size)
    checks = [
        None if found is None else _block_check(spec, found[0].dtype.kind in "biu")
        for spec, found in zip(specs, storage, strict=True)
    ]
    no_masks: list[BoolArray | None] = [None] * len(specs)  # float mode: NaN marks missing
    for rows in blocks:
        if failed.is_set():
            return False
        m = rows.stop - rows.start
        columns: list[npt.NDArray[Any]] = []
        for found, buf, check in zip(storage, buffers, checks, strict=True):
            if found is None or check is None:
                columns.append(nans[:m])
                continue
            values, mask = found
            raw = values[rows]
            if buf is None:
                x = raw  # float64 without a mask: read in place
            else:
                x = buf[:m]
                np.copyto(x, raw, casting="unsafe")
                if mask is not None:
                    np.copyto(x, np.nan, where=mask[rows])
            columns.append(x)
            if not check(x, scratch[:m]):
                failed.set()
                return False
        if kernel(rows.start, rows.stop, columns, no_masks) is False:
            failed.set()
            return False
    return True


def _int_block(
    rows: slice,
    storage: Sequence[Storage | None],
    checks: Sequence[Callable[[Any], Any] | None],
    absent: tuple[npt.NDArray[np.int8], BoolArray],
    kernel: BlockKernel,
) -> bool:
    """One block in integer mode: the kernel reads the stored integers through
    :class:`CheckedColumns` (an absent column is all missing); False when a column fails
    its check or the kernel says so."""
    m = rows.stop - rows.start
    cells: list[list[Any]] = []
    masks: list[BoolArray | None] = []
    for found, check in zip(storage, checks, strict=True):
        if found is None:
            cells.append([absent[0][:m], None])
            masks.append(absent[1][:m])
        else:
            values, mask = found
            cells.append([values[rows], check])
            masks.append(None if mask is None else mask[rows])
    columns = CheckedColumns(cells)
    try:
        if kernel(rows.start, rows.stop, columns, masks) is False:
            return False
        columns.check_all()
    except _BlockFailed:
        return False
    return True


def bool_column(frame: pd.DataFrame, spec: ColumnSpec, collector: FailureCollector) -> FloatArray:
    """Read a yes/no column as float64 1.0 / 0.0 / NaN (missing), recording bad cells.

    Accepted: booleans, 0/1, and the strings true/false, yes/no, y/n, 1/0 (any case).
    """
    series = frame[spec.name]
    if pd.api.types.is_bool_dtype(series.dtype):
        return series_to_float(series)
    if pd.api.types.is_numeric_dtype(series.dtype):
        values = series_to_float(series)
        bad = ~np.isnan(values) & (values != 0.0) & (values != 1.0)
        collector.add(bad, spec.name, values, "is not a yes/no value (0/1, true/false)")
        return np.where(bad, np.nan, values)
    mapping = {
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
    text = series.astype("string").str.strip().str.lower()
    mapped = text.map(mapping, na_action="ignore")
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


def read_numeric_columns(
    frame: pd.DataFrame,
    specs: Iterable[ColumnSpec],
    *,
    what: str = "visits frame",
) -> dict[str, FloatArray]:
    """Read every present column of ``specs`` as float64 and raise once for all bad cells."""
    collector = FailureCollector(frame)
    out: dict[str, FloatArray] = {}
    for spec in specs:
        if spec.name not in frame.columns:
            continue
        if spec.dtype == "bool":
            out[spec.name] = bool_column(frame, spec, collector)
        else:
            out[spec.name] = float_column(frame, spec, collector)
    collector.raise_if_failed(what)
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
        close = difflib.get_close_matches(col, sorted(known_set), n=1)
        parts.append(f"{col!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    raise SchemaError(
        f"unknown column(s) in the {what}: {', '.join(parts)}; "
        f"columns starting with {prefix!r} must be one of the canonical names"
    )


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
