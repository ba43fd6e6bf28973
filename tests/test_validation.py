"""Scores of a visits frame read the same for every storage a frame can have (float64 with
NaN, a Cohort's nullable ``Int64`` / ``boolean``, text), and their errors list every failing
cell.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sscoutcomes as ssc
from sscoutcomes import SKIN_SITES, SkinScore, score_haq, score_mrss
from sscoutcomes.errors import OutOfRangeError, SchemaError
from sscoutcomes.measures.haq import HAQ_AIDS, HAQ_CATEGORIES, HAQ_ITEMS
from strategies import partial_sites


def test_duplicate_column_names_raise() -> None:
    frame = pd.DataFrame([[1, 2]], columns=["mrss", "mrss"])
    with pytest.raises(SchemaError, match="repeated column names: 'mrss'"):
        score_mrss(frame)
    with pytest.raises(SchemaError, match="repeated column names: 'mrss'"):
        score_haq(frame)


def test_a_duplicated_index_raises_instead_of_multiplying_rows() -> None:
    frame = pd.DataFrame({"mrss": [3, 4]}, index=["a", "a"])
    with pytest.raises(SchemaError, match="duplicated index \\('a'\\)"):
        score_mrss(frame)
    with pytest.raises(SchemaError, match="duplicated index"):
        ssc.score_visits(frame)


def test_every_frame_face_accepts_a_cohort() -> None:
    cohort = ssc.load_demo()
    for face in (ssc.score_mrss, ssc.score_haq, ssc.score_shaq, ssc.score_pft, ssc.score_echo):
        assert face(cohort).equals(face(cohort.visits))
    assert ssc.score_visits(cohort).equals(ssc.score_visits(cohort.visits))
    assert ssc.validate_visits(cohort).equals(ssc.validate_visits(cohort.visits))
    assert ssc.skin_subset(cohort).equals(ssc.skin_subset(cohort.visits))


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


@given(st.lists(partial_sites, min_size=1, max_size=14))
def test_mrss_agrees_with_objects_for_every_storage(
    rows: list[dict[str, int | None]],
) -> None:
    expected = [SkinScore.from_sites(r).total for r in rows]
    for storage in ("float64", "Int64", "object"):
        out = score_mrss(_site_frame(rows, storage))["mrss"]
        got = [None if math.isnan(v) else v for v in out]
        assert got == expected, storage


def test_mrss_ignores_values_stored_under_a_missing_mask() -> None:
    n = 7
    data = {}
    for s in SKIN_SITES:
        stored = np.ones(n, dtype=np.int64)
        mask = np.zeros(n, dtype=bool)
        data[f"mrss_{s}"] = pd.arrays.IntegerArray(stored, mask)
    face_values = np.array([1, 99, 1, 1, -5, 1, 1], dtype=np.int64)  # 99 and -5 are masked
    data["mrss_face"] = pd.arrays.IntegerArray(face_values, face_values != 1)
    out = score_mrss(pd.DataFrame(data))["mrss"]
    assert [None if math.isnan(v) else v for v in out] == [17, None, 17, 17, None, 17, 17]


def _bad_site_frame() -> pd.DataFrame:
    rows = [dict.fromkeys(SKIN_SITES, 1) for _ in range(10)]
    frame = _site_frame(rows, "float64")
    frame.loc[8, "mrss_face"] = 4.0
    frame.loc[9, "mrss_feet_left"] = 0.5
    frame.loc[1, "mrss_abdomen"] = -1.0
    return frame


def test_mrss_errors_list_every_cell_whatever_the_storage() -> None:
    with pytest.raises(OutOfRangeError) as text:
        score_mrss(_bad_site_frame().assign(mrss_face=lambda f: f["mrss_face"].astype(object)))
    with pytest.raises(OutOfRangeError) as numbers:
        score_mrss(_bad_site_frame())
    assert len(numbers.value.failure_cases) == 3
    assert sorted(numbers.value.failure_cases["row"]) == [1, 8, 9]
    assert len(text.value.failure_cases) == 3  # the text path lists the same cells


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


@given(haq_rows)
def test_haq_agrees_for_every_storage(rows: list[tuple[dict[str, Any], ...]]) -> None:
    reference = score_haq(_haq_frame(rows, "object"))  # text
    for storage in ("float64", "masked"):
        out = score_haq(_haq_frame(rows, storage))
        pd.testing.assert_frame_equal(out, reference, check_like=False)
        assert out.attrs == reference.attrs


def test_haq_recorded_index_clash_in_a_later_row_is_listed() -> None:
    rows = [(dict.fromkeys(HAQ_ITEMS, 1), dict.fromkeys(HAQ_AIDS), dict.fromkeys(HAQ_CATEGORIES))]
    frame = _haq_frame(rows * 8, "float64")
    frame["haq_di"] = [1.0] * 7 + [2.0]
    with pytest.raises(SchemaError, match="disagrees with the HAQ-DI") as err:
        score_haq(frame)
    assert err.value.failure_cases["row"].tolist() == [7]


def test_as_pandas_without_pyarrow_says_what_to_pass() -> None:
    from sscoutcomes._validation import as_pandas

    class DataFrame:  # what polars' DataFrame looks like to as_pandas
        __module__ = "polars.dataframe.frame"

        def to_pandas(self) -> pd.DataFrame:
            raise ImportError("No module named 'pyarrow'")

    with pytest.raises(
        SchemaError,
        match=r"^a DataFrame is converted with its to_pandas\(\), which needs pyarrow "
        r"\(No module named 'pyarrow'\): install sscoutcomes\[parquet\], or pass a pandas "
        r"DataFrame$",
    ):
        as_pandas(DataFrame())

    class Table:  # a to_pandas() that gives no pandas frame: returned as it is
        __module__ = "pyarrow.lib"

        def to_pandas(self) -> list[int]:
            return [1]

    table = Table()
    assert as_pandas(table) is table


def test_failing_cells_with_one_open_bound() -> None:
    from sscoutcomes._validation import failing_cells

    values = np.array([[-1.0, 0.5], [np.nan, 7.0]])
    outside, fractional = failing_cells(values, None, 5.0)
    assert outside is not None
    assert outside.tolist() == [[False, False], [False, True]]
    assert fractional is None
    outside, fractional = failing_cells(values, 0.0, None, integer=True)
    assert outside is not None
    assert fractional is not None
    assert outside.tolist() == [[True, False], [False, False]]
    assert fractional.tolist() == [[False, True], [False, False]]


def test_a_repeated_column_name_is_refused_by_the_column_readers() -> None:
    from sscoutcomes._validation import FailureCollector, bool_column
    from sscoutcomes.cohort.schema import column_spec

    spec = column_spec("raynauds")
    frame = pd.DataFrame([[1, 0]], columns=["raynauds", "raynauds"])
    with pytest.raises(
        SchemaError, match=r"^the visits frame has 2 columns named 'raynauds'; keep one$"
    ):
        bool_column(frame, spec, FailureCollector(frame))


def test_a_yes_no_column_of_numbers_other_than_0_and_1_is_refused() -> None:
    frame = pd.DataFrame({"patient_id": ["a", "a", "a"], "day": [0, 1, 2], "raynauds": [1, 2, 0.5]})
    with pytest.raises(OutOfRangeError, match=r"^2 problem\(s\) in the visits frame:") as err:
        ssc.validate_visits(frame)
    cases = err.value.failure_cases
    assert cases["row"].tolist() == [1, 2]
    assert cases["column"].tolist() == ["raynauds", "raynauds"]
    assert set(cases["reason"]) == {"is not a yes/no value (0/1, true/false)"}


def test_mapping_get_names_the_missing_input_and_what_was_given() -> None:
    from sscoutcomes._validation import mapping_get

    assert mapping_get({"mrss": 3}, "mrss") == 3
    with pytest.raises(SchemaError, match=r"^missing input 'haq_di'; got fvc, mrss$"):
        mapping_get({"mrss": 3, "fvc": 80}, "haq_di")
    with pytest.raises(SchemaError, match=r"^missing input 'haq_di'; got nothing$"):
        mapping_get({}, "haq_di")
