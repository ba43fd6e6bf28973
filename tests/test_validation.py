"""The block-wise fast path of the frame face (``scan_blocks``) against the collecting path.

The fast path must give the same numbers as reading whole columns, for every storage a
visits frame can have (float64 with NaN, a Cohort's nullable ``Int64`` / ``boolean``,
text), across block boundaries and threads, and must hand every failure to the collecting
path so that errors still list every failing cell.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sscoutcomes._validation as validation
from sscoutcomes import SKIN_SITES, SkinScore, estimate_spap, score_haq, score_mrss
from sscoutcomes._validation import ColumnSpec, _executor, _threads, map_blocks, scan_blocks
from sscoutcomes.errors import OutOfRangeError, SchemaError
from sscoutcomes.measures.haq import HAQ_AIDS, HAQ_CATEGORIES, HAQ_ITEMS
from strategies import partial_sites

GRADE = ColumnSpec(name="x", dtype="int", description="a grade", lo=0, hi=3, integer=True)
FLAG = ColumnSpec(name="f", dtype="bool", description="a yes/no flag")
SITE_COLUMNS = [f"mrss_{s}" for s in SKIN_SITES]


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 3 rows shared by 2 threads, so that small frames cross block edges."""
    monkeypatch.setattr(validation, "BLOCK_ROWS", 3)
    monkeypatch.setenv("SSCOUTCOMES_THREADS", "2")


def scan(
    frame: pd.DataFrame, specs: list[ColumnSpec], *, integers: bool = False
) -> tuple[bool, list[npt.NDArray[Any]], list[npt.NDArray[np.bool_] | None]]:
    """Run scan_blocks; return whether it finished and the blocks it saw, concatenated."""
    seen: dict[int, tuple[list[npt.NDArray[Any]], list[Any]]] = {}

    def kernel(start: int, stop: int, columns: list[Any], masks: list[Any]) -> None:
        seen[start] = (
            [c.copy() for c in columns],
            [None if m is None else m.copy() for m in masks],
        )

    ok = scan_blocks(frame, specs, kernel, integers=integers)
    if not ok:
        return ok, [], []
    starts = sorted(seen)
    columns = [np.concatenate([seen[s][0][j] for s in starts]) for j in range(len(specs))]
    masks: list[npt.NDArray[np.bool_] | None] = []
    for j in range(len(specs)):
        parts = [seen[s][1][j] for s in starts]
        masks.append(None if any(p is None for p in parts) else np.concatenate(parts))
    return ok, columns, masks


# ----------------------------------------------------------------------------- storages
@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(
    "column",
    [
        pd.Series([0.0, 1.0, np.nan, 3.0, 2.0, np.nan, 0.0]),
        pd.Series([0, 1, None, 3, 2, None, 0], dtype="Int64"),
        pd.Series([0, 1, None, 3, 2, None, 0], dtype="Float64"),
        pd.Series([0, 1, 1, 3, 2, 2, 0], dtype="int8"),
    ],
    ids=["float64", "Int64", "Float64", "int8"],
)
def test_blocks_read_every_storage_as_the_column(column: pd.Series[Any]) -> None:
    frame = pd.DataFrame({"x": column})
    ok, (values,), _ = scan(frame, [GRADE])
    assert ok
    expected = column.to_numpy(dtype=np.float64, na_value=np.nan)
    np.testing.assert_array_equal(values, expected)


@pytest.mark.usefixtures("small_blocks")
def test_integer_mode_gives_stored_integers_and_masks() -> None:
    frame = pd.DataFrame({"x": pd.Series([0, 1, None, 3, 2], dtype="Int64")})
    ok, (values,), (mask,) = scan(frame, [GRADE], integers=True)
    assert ok
    assert values.dtype.kind == "i"
    assert mask is not None
    assert mask.tolist() == [False, False, True, False, False]
    assert values[~mask].tolist() == [0, 1, 3, 2]


@pytest.mark.usefixtures("small_blocks")
def test_integer_mode_falls_back_to_floats_for_mixed_storage() -> None:
    frame = pd.DataFrame({"x": pd.Series([0, 1, None], dtype="Int64"), "y": [0.0, np.nan, 2.0]})
    spec_y = ColumnSpec(name="y", dtype="int", description="y", lo=0, hi=3, integer=True)
    ok, columns, masks = scan(frame, [GRADE, spec_y], integers=True)
    assert ok
    assert all(c.dtype == np.float64 for c in columns)
    assert masks == [None, None]
    assert math.isnan(columns[0][2])


@pytest.mark.usefixtures("small_blocks")
def test_flags_from_booleans_and_numbers() -> None:
    frame = pd.DataFrame({"f": pd.array([True, None, False, True], dtype="boolean")})
    ok, (values,), _ = scan(frame, [FLAG])
    assert ok
    np.testing.assert_array_equal(values, [1.0, np.nan, 0.0, 1.0])
    assert not scan(pd.DataFrame({"f": [0.0, 1.0, 2.0]}), [FLAG])[0]


def test_duplicate_column_names_raise() -> None:
    frame = pd.DataFrame([[1, 2]], columns=["x", "x"])
    with pytest.raises(SchemaError, match="2 columns named 'x'"):
        scan(frame, [GRADE])


def test_text_and_absent_columns() -> None:
    assert not scan(pd.DataFrame({"x": ["1", "2"]}), [GRADE])[0]
    ok, (values,), _ = scan(pd.DataFrame({"other": [1, 2]}), [GRADE])
    assert ok
    assert np.isnan(values).all()


# ----------------------------------------------------------------------------- the checks
@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize(
    "bad",
    [4.0, -1.0, 1.5, 2.9999999999999996, 2.0000000000000004, 1e-300, 2.0**-60, np.inf, -np.inf],
)
def test_every_invalid_value_leaves_the_fast_path(bad: float) -> None:
    values = [0.0, 1.0, 2.0, 3.0, np.nan, 1.0, 2.0]
    for position in range(len(values)):
        frame = pd.DataFrame({"x": [*values[:position], bad, *values[position:]]})
        assert not scan(frame, [GRADE])[0], (bad, position)


@pytest.mark.usefixtures("small_blocks")
def test_negative_zero_is_a_valid_zero() -> None:
    ok, (values,), _ = scan(pd.DataFrame({"x": [1.0, -0.0, 2.0, 0.0]}), [GRADE])
    assert ok
    assert values.tolist() == [1.0, 0.0, 2.0, 0.0]


@pytest.mark.usefixtures("small_blocks")
def test_integer_mode_range_check() -> None:
    for bad in (4, -1, 2**40):
        frame = pd.DataFrame({"x": pd.Series([0, 1, 2, bad, 3], dtype="Int64")})
        assert not scan(frame, [GRADE], integers=True)[0], bad


@pytest.mark.usefixtures("small_blocks")
def test_a_kernel_can_stop_the_scan() -> None:
    calls: list[int] = []

    def kernel(start: int, stop: int, columns: list[Any], masks: list[Any]) -> bool:
        calls.append(start)
        return start < 3

    frame = pd.DataFrame({"x": np.zeros(30)})
    assert not scan_blocks(frame, [GRADE], kernel)
    assert 3 in calls
    assert len(calls) < 10  # the other worker stops too


def test_threads_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSCOUTCOMES_THREADS", raising=False)
    assert 1 <= _threads() <= 4
    monkeypatch.setenv("SSCOUTCOMES_THREADS", "3")
    assert _threads() == 3
    for bad in ("0", "-2", "two", "1.5"):
        monkeypatch.setenv("SSCOUTCOMES_THREADS", bad)
        with pytest.raises(SchemaError, match="SSCOUTCOMES_THREADS"):
            _threads()


@pytest.mark.usefixtures("small_blocks")
def test_integer_mode_checks_the_columns_a_kernel_does_not_read() -> None:
    # In integer mode a column is checked when the kernel first reads it; the ones it
    # never reads are checked after it returns, so a bad cell still ends the fast path.
    frame = pd.DataFrame({"x": pd.array([0, 1, 2, 3, 1, 7, 0], dtype="Int64")})
    read: list[int] = []

    def lazy(start: int, stop: int, columns: Any, masks: Any) -> None:
        read.append(start)

    assert not scan_blocks(frame, [GRADE], lazy, integers=True)
    assert 3 in read  # the kernel ran on the block with the 7 without reading it
    frame.loc[5, "x"] = 2
    assert scan_blocks(frame, [GRADE], lazy, integers=True)


@pytest.mark.usefixtures("small_blocks")
def test_integer_mode_stops_a_kernel_at_the_bad_column() -> None:
    good = pd.array([0, 1, 2, 3, 1, 2], dtype="Int64")
    bad = pd.array([0, 1, 2, 3, -1, 2], dtype="Int64")
    frame = pd.DataFrame({"x": good, "y": bad})
    second = ColumnSpec(name="y", dtype="int", description="a grade", lo=0, hi=3, integer=True)
    reached: list[tuple[int, int]] = []

    def kernel(start: int, stop: int, columns: Any, masks: Any) -> None:
        for j, column in enumerate(columns):
            assert column.dtype.kind == "i"  # the stored integers
            reached.append((start, j))

    assert not scan_blocks(frame, [GRADE, second], kernel, integers=True)
    assert (3, 0) in reached
    assert (3, 1) not in reached  # "y" of rows 3-5 is never handed out


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("n", [0, 1, 3, 4, 10, 31])
def test_map_blocks_runs_every_row_once(n: int) -> None:
    seen = np.zeros(n, dtype=np.int64)

    def work(rows: slice) -> None:
        seen[rows] += 1

    map_blocks(n, work)
    np.testing.assert_array_equal(seen, np.ones(n, dtype=np.int64))


@pytest.mark.usefixtures("small_blocks")
def test_map_blocks_raises_the_error_of_the_first_failing_block() -> None:
    # 30 rows = 10 blocks of 3 in two runs of 5; rows 25 and 7 fail, in the second and the
    # first run: the error is row 7's, as a loop in row order would give.
    def work(rows: slice) -> None:
        for bad in (25, 7):
            if rows.start <= bad < rows.stop:
                raise SchemaError(f"row {bad}")

    with pytest.raises(SchemaError, match="row 7"):
        map_blocks(30, work)


def test_thread_pools_are_kept_between_calls() -> None:
    assert _executor(2) is _executor(2)
    assert _executor(3) is not _executor(2)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
# Forking a process that has threads is the very case under test (Python 3.12+ warns).
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_threads_work_in_a_forked_child(monkeypatch: pytest.MonkeyPatch) -> None:
    # The parent's pool threads do not exist in a forked child: it must start its own
    # (a pool inherited as is would wait forever for them).
    monkeypatch.setenv("SSCOUTCOMES_THREADS", "2")
    trv = np.full(200_000, 3.0)
    expected = float(estimate_spap(trv, 8.0)[-1])  # the parent's pool now exists
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        got = pool.apply_async(_spap_last, (trv,)).get(timeout=60)
    assert got == expected


def _spap_last(trv: npt.NDArray[np.float64]) -> float:
    return float(estimate_spap(trv, 8.0)[-1])


# ----------------------------------------------------------------------------- mRSS
def _site_frame(rows: list[dict[str, int | None]], storage: str) -> pd.DataFrame:
    data: dict[str, Any] = {"patient_id": [f"p{k}" for k in range(len(rows))]}
    for s in SKIN_SITES:
        values = [r[s] for r in rows]
        if storage == "Int64":
            data[f"mrss_{s}"] = pd.array(values, dtype="Int64")
        elif storage == "object":
            data[f"mrss_{s}"] = pd.Series(
                [None if v is None else str(v) for v in values], dtype=object
            )
        else:
            data[f"mrss_{s}"] = np.array([np.nan if v is None else v for v in values], dtype=float)
    return pd.DataFrame(data)


@pytest.mark.usefixtures("small_blocks")
@given(st.lists(partial_sites, min_size=1, max_size=14))
def test_mrss_blocks_agree_with_objects_for_every_storage(
    rows: list[dict[str, int | None]],
) -> None:
    expected = [SkinScore.from_sites(r).total for r in rows]
    for storage in ("float64", "Int64", "object"):
        out = score_mrss(_site_frame(rows, storage))
        got = [None if math.isnan(v) else v for v in out]
        assert got == expected, storage


@pytest.mark.usefixtures("small_blocks")
def test_mrss_ignores_values_stored_under_a_missing_mask() -> None:
    n = 7
    data = {}
    for s in SKIN_SITES:
        stored = np.ones(n, dtype=np.int64)
        mask = np.zeros(n, dtype=bool)
        data[f"mrss_{s}"] = pd.arrays.IntegerArray(stored, mask)
    face_values = np.array([1, 99, 1, 1, -5, 1, 1], dtype=np.int64)  # 99 and -5 are masked
    data["mrss_face"] = pd.arrays.IntegerArray(face_values, face_values != 1)
    out = score_mrss(pd.DataFrame(data))
    assert [None if math.isnan(v) else v for v in out] == [17, None, 17, 17, None, 17, 17]


def _bad_site_frame() -> pd.DataFrame:
    rows = [dict.fromkeys(SKIN_SITES, 1) for _ in range(10)]
    frame = _site_frame(rows, "float64")
    frame.loc[8, "mrss_face"] = 4.0
    frame.loc[9, "mrss_feet_left"] = 0.5
    frame.loc[1, "mrss_abdomen"] = -1.0
    return frame


def test_mrss_errors_list_every_cell_whatever_the_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(OutOfRangeError) as whole:
        score_mrss(_bad_site_frame().assign(mrss_face=lambda f: f["mrss_face"].astype(object)))
    with pytest.raises(OutOfRangeError) as one_block:
        score_mrss(_bad_site_frame())
    monkeypatch.setattr(validation, "BLOCK_ROWS", 3)
    monkeypatch.setenv("SSCOUTCOMES_THREADS", "2")
    with pytest.raises(OutOfRangeError) as blocks:
        score_mrss(_bad_site_frame())
    pd.testing.assert_frame_equal(one_block.value.failure_cases, blocks.value.failure_cases)
    assert len(blocks.value.failure_cases) == 3
    assert sorted(blocks.value.failure_cases["row"]) == [1, 8, 9]
    assert len(whole.value.failure_cases) == 3  # the text path lists the same cells


# ----------------------------------------------------------------------------- HAQ-DI
haq_rows = st.lists(
    st.tuples(
        st.fixed_dictionaries({i: st.none() | st.integers(0, 3) for i in HAQ_ITEMS}),
        st.fixed_dictionaries({a: st.none() | st.booleans() for a in HAQ_AIDS}),
        st.fixed_dictionaries({c: st.none() | st.booleans() for c in HAQ_CATEGORIES}),
    ),
    min_size=1,
    max_size=10,
)


def _haq_frame(rows: list[tuple[dict[str, Any], ...]], storage: str) -> pd.DataFrame:
    columns: dict[str, list[Any]] = {}
    for items, aids, help_ in rows:
        for i, v in items.items():
            columns.setdefault(f"haq_{i}", []).append(v)
        for a, v in aids.items():
            columns.setdefault(f"haq_aid_{a}", []).append(v)
        for c, v in help_.items():
            columns.setdefault(f"haq_help_{c}", []).append(v)
    data: dict[str, Any] = {}
    for name, values in columns.items():
        flag = name.startswith(("haq_aid_", "haq_help_"))
        if storage == "masked":
            data[name] = pd.array(values, dtype="boolean" if flag else "Int64")
        elif storage == "object":
            data[name] = pd.Series(["" if v is None else str(v) for v in values], dtype=object)
        else:
            data[name] = np.array([np.nan if v is None else float(v) for v in values])
    return pd.DataFrame(data)


@pytest.mark.usefixtures("small_blocks")
@given(haq_rows)
def test_haq_blocks_agree_for_every_storage(rows: list[tuple[dict[str, Any], ...]]) -> None:
    reference = score_haq(_haq_frame(rows, "object"))  # the collecting path
    for storage in ("float64", "masked"):
        out = score_haq(_haq_frame(rows, storage))
        pd.testing.assert_frame_equal(out, reference, check_like=False)
        assert out.attrs == reference.attrs


@pytest.mark.usefixtures("small_blocks")
def test_haq_recorded_index_clash_in_a_later_block_is_listed() -> None:
    rows = [(dict.fromkeys(HAQ_ITEMS, 1), dict.fromkeys(HAQ_AIDS), dict.fromkeys(HAQ_CATEGORIES))]
    frame = _haq_frame(rows * 8, "float64")
    frame["haq_di"] = [1.0] * 7 + [2.0]
    with pytest.raises(SchemaError, match="disagrees with the HAQ-DI") as err:
        score_haq(frame)
    assert err.value.failure_cases["row"].tolist() == [7]
