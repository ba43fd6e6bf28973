"""Revised EUSTAR activity index (Valentini 2017)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes import UnitError
from sscoutcomes.indices.activity import (
    EUSTAR_ACTIVITY_WEIGHTS,
    eustar_active,
    eustar_activity_index,
    score_eustar_activity,
)

NONE = {
    "skin_worsening": False,
    "mrss": 10,
    "digital_ulcers": 0,
    "tendon_friction_rubs": False,
    "crp_mg_dl": 0.3,
    "dlco_pct_predicted": 85,
}


def test_weights_as_published() -> None:
    assert dict(EUSTAR_ACTIVITY_WEIGHTS) == {
        "skin_worsening": 1.5,
        "mrss_above_18": 1.5,
        "digital_ulcers": 1.5,
        "tendon_friction_rubs": 2.25,
        "crp_above_1_mg_dl": 2.25,
        "dlco_below_70": 1.0,
    }
    everything = {
        "skin_worsening": True,
        "mrss": 30,
        "digital_ulcers": 3,
        "tendon_friction_rubs": True,
        "crp_mg_dl": 2,
        "dlco_pct_predicted": 50,
    }
    assert eustar_activity_index(**everything) == 10.0


@pytest.mark.parametrize(
    ("changes", "score"),
    [
        ({}, 0.0),
        ({"mrss": 18}, 0.0),
        ({"mrss": 18.01}, 1.5),
        ({"crp_mg_dl": 1.0}, 0.0),
        ({"crp_mg_dl": 1.01}, 2.25),
        ({"dlco_pct_predicted": 70}, 0.0),
        ({"dlco_pct_predicted": 69.99}, 1.0),
        ({"digital_ulcers": 1}, 1.5),
        ({"tendon_friction_rubs": True}, 2.25),
    ],
)
def test_each_cut_off(changes: dict[str, object], score: float) -> None:
    assert eustar_activity_index(**(NONE | changes)) == score


def test_active_at_25_and_missing() -> None:
    assert eustar_active(2.5) is True
    assert eustar_active(2.25) is False
    assert math.isnan(eustar_activity_index(**(NONE | {"mrss": None})))
    assert eustar_active(float("nan")) is None


def test_crp_unit_guard() -> None:
    with pytest.raises(UnitError, match="mg/L"):
        eustar_activity_index(**(NONE | {"crp_mg_dl": 45}))


items = st.fixed_dictionaries(
    {
        "skin_worsening": st.booleans(),
        "mrss": st.integers(0, 51),
        "digital_ulcers": st.integers(0, 5),
        "tendon_friction_rubs": st.booleans(),
        "crp_mg_dl": st.floats(0, 20),
        "dlco_pct_predicted": st.floats(20, 150),
    }
)


@given(items)
def test_score_is_the_sum_of_its_items_and_in_range(x: dict[str, float]) -> None:
    w = EUSTAR_ACTIVITY_WEIGHTS
    expected = (
        w["skin_worsening"] * x["skin_worsening"]
        + w["mrss_above_18"] * (x["mrss"] > 18)
        + w["digital_ulcers"] * (x["digital_ulcers"] > 0)
        + w["tendon_friction_rubs"] * x["tendon_friction_rubs"]
        + w["crp_above_1_mg_dl"] * (x["crp_mg_dl"] > 1)
        + w["dlco_below_70"] * (x["dlco_pct_predicted"] < 70)
    )
    score = eustar_activity_index(**x)
    assert score == pytest.approx(expected)
    assert 0 <= score <= 10


@given(st.lists(items, min_size=1, max_size=6))
def test_object_face_equals_frame_face(rows: list[dict[str, float]]) -> None:
    frame = pd.DataFrame(
        {
            "skin_worsening_patient": [r["skin_worsening"] for r in rows],
            "mrss": [r["mrss"] for r in rows],
            "digital_ulcers_active": [r["digital_ulcers"] for r in rows],
            "tendon_friction_rubs": [r["tendon_friction_rubs"] for r in rows],
            "crp_mg_l": [10 * r["crp_mg_dl"] for r in rows],
            "dlco_pct_predicted": [r["dlco_pct_predicted"] for r in rows],
        }
    )
    before = frame.copy()
    out = score_eustar_activity(frame)
    pd.testing.assert_frame_equal(frame, before)
    for r, value in zip(rows, out["eustar_activity"], strict=True):
        assert eustar_activity_index(**r) == pytest.approx(value)
