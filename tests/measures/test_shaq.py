"""SHAQ visual analogue scales (Steen & Medsger 1997, PMID 9365087): a mark in mm on the
15 cm line maps linearly to 0-3 (cm / 5); each scale is reported, no composite."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes.errors import OutOfRangeError, SchemaError
from sscoutcomes.measures.haq import HAQ_ITEMS
from sscoutcomes.measures.shaq import (
    SHAQ,
    SHAQ_COLUMNS,
    SHAQ_SCALES,
    score_shaq,
    shaq_vas_score,
)

ZERO = dict.fromkeys(HAQ_ITEMS, 0)


def same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or (a is not None and math.isclose(a, b))


def test_canonical_columns() -> None:
    assert [s.name for s in SHAQ_COLUMNS] == [
        "shaq_pain_vas",
        "shaq_raynauds_vas",
        "shaq_digital_ulcers_vas",
        "shaq_gi_vas",
        "shaq_breathing_vas",
        "shaq_overall_vas",
    ]


@pytest.mark.parametrize(("mm", "score"), [(0, 0.0), (50, 1.0), (75, 1.5), (150, 3.0)])
def test_shaq_linear_scaling_cm_over_five(mm: float, score: float) -> None:
    # Steen & Medsger 1997: 15 cm line, 0-3 -> cm / 5.
    assert shaq_vas_score(mm) == pytest.approx(score)
    assert SHAQ(gi=mm).scores["gi"] == pytest.approx(score)


def test_shaq_100_mm_only_when_asked() -> None:
    assert shaq_vas_score(100, scale_mm=100) == 3.0
    assert SHAQ(pain=40, scale_mm=100).scores["pain"] == pytest.approx(1.2)
    with pytest.raises(OutOfRangeError, match=r"shaq pain VAS = 120 is outside 0..100 mm"):
        SHAQ(pain=120, scale_mm=100)
    with pytest.raises(OutOfRangeError, match="scale_mm = 120"):
        SHAQ(scale_mm=120)
    with pytest.raises(OutOfRangeError, match="scale_mm = 10"):
        shaq_vas_score(5, scale_mm=10)
    with pytest.raises(OutOfRangeError, match=r"shaq breathing VAS = 151 is outside 0..150 mm"):
        SHAQ(breathing=151)
    with pytest.raises(OutOfRangeError, match=r"SHAQ VAS = -1 is outside 0..150 mm"):
        shaq_vas_score([10, -1])


def test_shaq_has_no_composite() -> None:
    s = SHAQ(**dict.fromkeys(SHAQ_SCALES, 75.0))
    assert set(s.scores) == set(SHAQ_SCALES)
    assert not any(hasattr(s, name) for name in ("composite", "total", "shaq_score"))


def test_shaq_records() -> None:
    s = SHAQ(pain=30, raynauds=90)
    rec = s.to_record()
    assert rec["shaq_pain_vas"] == 30.0
    assert rec["shaq_gi_vas"] is None
    assert SHAQ.from_record(rec) == s
    assert SHAQ.from_record({"shaq_gi_vas": float("nan")}) is None
    hundred = SHAQ(pain=40, scale_mm=100)
    back = SHAQ.from_record(hundred.to_record())
    assert back is not None
    assert back.scores["pain"] == pytest.approx(hundred.scores["pain"])


def test_score_shaq_beside_haq_di() -> None:
    visits = pd.DataFrame(
        {"haq_di": [1.0, None], "shaq_raynauds_vas": [90.0, None], "shaq_gi_vas": ["", 150]}
    )
    out = score_shaq(visits)
    assert list(out.columns) == ["haq_di", *(f"shaq_{s}" for s in SHAQ_SCALES)]
    np.testing.assert_allclose(out["shaq_raynauds"], [1.8, np.nan])
    np.testing.assert_allclose(out["shaq_gi"], [np.nan, 3.0])
    np.testing.assert_allclose(out["haq_di"], [1.0, np.nan])
    only = score_shaq(pd.DataFrame({"shaq_pain_vas": [50, 100]}), scale_mm=100)
    assert "haq_di" not in only.columns
    np.testing.assert_allclose(only["shaq_pain"], [1.5, 3.0])


def test_score_shaq_errors() -> None:
    with pytest.raises(SchemaError, match="no SHAQ columns"):
        score_shaq(pd.DataFrame({"haq_di": [1.0]}))
    with pytest.raises(SchemaError, match="'shaq_raynaud_vas'"):
        score_shaq(pd.DataFrame({"shaq_raynaud_vas": [1.0]}))
    with pytest.raises(OutOfRangeError, match=r"shaq_pain_vas = 120.0 is outside 0..100 mm"):
        score_shaq(pd.DataFrame({"shaq_pain_vas": [120.0]}), scale_mm=100)
    with pytest.raises(SchemaError, match="is not a number"):
        score_shaq(pd.DataFrame({"shaq_pain_vas": ["a lot"]}))


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                s: st.none() | st.floats(min_value=0, max_value=150, allow_nan=False)
                for s in SHAQ_SCALES
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_shaq_object_face_equals_frame_face(rows: list[dict[str, float | None]]) -> None:
    visits = pd.DataFrame(
        [{f"shaq_{s}_vas": r[s] for s in SHAQ_SCALES} for r in rows], dtype="float64"
    )
    snapshot = visits.copy(deep=True)
    out = score_shaq(visits)
    pd.testing.assert_frame_equal(visits, snapshot)
    for k, r in enumerate(rows):
        scores = SHAQ(**r).scores
        for s in SHAQ_SCALES:
            v = out[f"shaq_{s}"].iloc[k]
            assert same(scores[s], v)
            assert math.isnan(v) or 0.0 <= v <= 3.0


def test_marks_mm_lists_every_scale_in_order() -> None:
    s = SHAQ(pain=30, gi=0)
    assert list(s.marks_mm) == list(SHAQ_SCALES)
    assert s.marks_mm["pain"] == 30
    assert s.marks_mm["gi"] == 0
    assert s.marks_mm["overall"] is None
