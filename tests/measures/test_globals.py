"""Tests for the patient and physician global assessments (sscoutcomes.measures.globals).

Both are 0-10 ratings, higher = worse, as used by the ACR CRISS (Khanna 2016,
doi:10.1002/art.39501).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes.errors import OutOfRangeError, SchemaError
from sscoutcomes.measures.globals import (
    GLOBAL_COLUMNS,
    GlobalAssessment,
    score_globals,
)

ratings = st.none() | st.floats(min_value=0, max_value=10, allow_nan=False)


def test_columns() -> None:
    assert [c.name for c in GLOBAL_COLUMNS] == ["patient_global", "physician_global"]
    assert all((c.lo, c.hi) == (0, 10) for c in GLOBAL_COLUMNS)


@pytest.mark.parametrize("value", [0, 10, 0.0, 10.0, 4.5])
def test_ends_of_the_scale_are_valid(value: float) -> None:
    g = GlobalAssessment(patient=value, physician=value)
    assert g.patient == value


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("patient", 10.01, r"patient_global = 10\.01 is outside 0\.\.10"),
        ("patient", -0.5, r"patient_global = -0\.5 is outside 0\.\.10"),
        ("physician", 55, r"physician_global = 55 is outside 0\.\.10 \(a 0-100 mm scale"),
        ("physician", "7", r"physician_global = '7' is not a number"),
        ("patient", float("nan"), r"patient_global = nan"),
    ],
)
def test_bad_values_name_the_rating(field: str, value: object, message: str) -> None:
    with pytest.raises(OutOfRangeError, match=message):
        GlobalAssessment(**{field: value})  # type: ignore[arg-type]


def test_change_from_baseline() -> None:
    base = GlobalAssessment(patient=6, physician=5)
    follow = GlobalAssessment(patient=4, physician=None)
    assert follow.change_from(base) == {"patient_global": -2.0, "physician_global": None}


def test_records() -> None:
    g = GlobalAssessment(patient=3, physician=None)
    assert g.to_record() == {"patient_global": 3.0, "physician_global": None}
    assert GlobalAssessment.from_record(g.to_record()) == GlobalAssessment(patient=3.0)
    assert GlobalAssessment.from_record({"patient_global": pd.NA}) is None
    assert GlobalAssessment.from_record({"mrss": 3}) is None
    with pytest.raises(OutOfRangeError, match="physician_global = 11"):
        GlobalAssessment.from_record({"physician_global": 11})


def test_score_globals() -> None:
    visits = pd.DataFrame(
        {"patient_id": ["a", "b"], "physician_global": [2, None], "other": [1, 2]},
        index=[10, 11],
    )
    out = score_globals(visits)
    assert list(out.index) == [10, 11]
    assert list(out.columns) == ["patient_global", "physician_global"]
    np.testing.assert_allclose(out["physician_global"], [2.0, np.nan])
    assert out["patient_global"].isna().all()


def test_score_globals_errors() -> None:
    with pytest.raises(SchemaError, match="no global assessment columns"):
        score_globals(pd.DataFrame({"mrss": [1]}))
    bad = pd.DataFrame(
        {"patient_id": ["a", "b", "c"], "patient_global": [45, 5, 12], "physician_global": 1}
    )
    with pytest.raises(OutOfRangeError) as info:
        score_globals(bad)
    cases = info.value.failure_cases
    assert cases is not None
    assert cases["row"].tolist() == [0, 2]
    with pytest.raises(SchemaError, match="is not a number"):
        score_globals(pd.DataFrame({"patient_global": ["high"]}))


@given(st.lists(st.tuples(ratings, ratings), min_size=1, max_size=6))
def test_object_face_equals_frame_face(rows: list[tuple[float | None, float | None]]) -> None:
    visits = pd.DataFrame(rows, columns=["patient_global", "physician_global"], dtype="float64")
    snapshot = visits.copy(deep=True)
    out = score_globals(visits)
    pd.testing.assert_frame_equal(visits, snapshot)
    for k, (patient, physician) in enumerate(rows):
        rec = GlobalAssessment(patient=patient, physician=physician).to_record()
        for name in ("patient_global", "physician_global"):
            v = out[name].iloc[k]
            expected = rec[name]
            assert (expected is None and math.isnan(v)) or v == expected
