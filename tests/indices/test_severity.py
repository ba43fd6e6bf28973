"""Medsger severity scale (provisional thresholds from the spec's table)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes import OutOfRangeError, SchemaError, SkinScore, Visit
from sscoutcomes.indices.severity import MEDSGER_ORGANS, medsger_severity, score_medsger


@pytest.mark.parametrize(
    ("column", "value", "organ", "grade"),
    [
        ("mrss", 0, "skin", 0),
        ("mrss", 1, "skin", 1),
        ("mrss", 14, "skin", 1),
        ("mrss", 15, "skin", 2),
        ("mrss", 29, "skin", 2),
        ("mrss", 30, "skin", 3),
        ("mrss", 39, "skin", 3),
        ("mrss", 40, "skin", 4),
        ("fvc_pct_predicted", 80, "lung", 0),
        ("fvc_pct_predicted", 79.9, "lung", 1),
        ("fvc_pct_predicted", 70, "lung", 1),
        ("fvc_pct_predicted", 69.9, "lung", 2),
        ("fvc_pct_predicted", 50, "lung", 2),
        ("fvc_pct_predicted", 49.9, "lung", 3),
        ("spap_mmhg", 34.9, "lung", 0),
        ("spap_mmhg", 35, "lung", 1),
        ("spap_mmhg", 50, "lung", 2),
        ("spap_mmhg", 65, "lung", 3),
        ("lvef_pct", 50, "heart", 0),
        ("lvef_pct", 49, "heart", 1),
        ("lvef_pct", 44, "heart", 2),
        ("lvef_pct", 40, "heart", 2),
        ("lvef_pct", 39, "heart", 3),
        ("lvef_pct", 29, "heart", 4),
        ("creatinine_mg_dl", 1.4, "kidney", 0),
        ("creatinine_mg_dl", 1.5, "kidney", 2),
        ("creatinine_mg_dl", 2.5, "kidney", 3),
        ("creatinine_mg_dl", 5.0, "kidney", 3),
        ("creatinine_mg_dl", 5.1, "kidney", 4),
        ("weight_loss_pct", 4.9, "general", 0),
        ("weight_loss_pct", 5, "general", 1),
        ("weight_loss_pct", 20, "general", 3),
        ("weight_loss_pct", 20.1, "general", 4),
        ("hematocrit_pct", 37, "general", 0),
        ("hematocrit_pct", 36.9, "general", 1),
        ("hematocrit_pct", 24.9, "general", 4),
        ("fingertip_palm_distance_cm", 0.9, "joint_tendon", 0),
        ("fingertip_palm_distance_cm", 1.0, "joint_tendon", 1),
        ("fingertip_palm_distance_cm", 5.0, "joint_tendon", 4),
        ("oxygen_needed", True, "lung", 4),
        ("heart_failure", True, "heart", 4),
        ("dialysis", True, "kidney", 4),
        ("renal_crisis_history", True, "kidney", 1),
        ("medsger_gi", 3, "gastrointestinal", 3),
    ],
)
def test_each_cut_off(column: str, value: object, organ: str, grade: int) -> None:
    assert medsger_severity({column: value}).grades[organ] == grade


def test_missing_organs_are_not_assessable_never_zero() -> None:
    s = medsger_severity({"mrss": 10})
    assert s.grades["skin"] == 1
    assert all(s.grades[o] is None for o in MEDSGER_ORGANS if o != "skin")
    assert s.assessable == ("skin",)
    assert medsger_severity({}).max_grade is None


def test_worst_item_per_organ_and_visit_object() -> None:
    s = medsger_severity({"fvc_pct_predicted": 85, "dlco_pct_predicted": 45, "spap_mmhg": 40})
    assert s.grades["lung"] == 3
    visit = Visit(day=0, skin=SkinScore.from_total(33))
    assert medsger_severity(visit).grades["skin"] == 3
    with pytest.raises(SchemaError, match="to_record"):
        medsger_severity(42)


def test_vascular_from_findings() -> None:
    s = medsger_severity(
        {
            "raynauds": True,
            "vasodilator_therapy": True,
            "digital_pitting_scars": False,
            "digital_ulcers_active": 1,
            "digital_gangrene": False,
        }
    )
    assert s.grades["peripheral_vascular"] == 3


def test_bad_values_raise() -> None:
    with pytest.raises(OutOfRangeError, match="medsger_gi"):
        score_medsger(pd.DataFrame({"medsger_gi": [5]}))
    with pytest.raises(OutOfRangeError, match="fvc_pct_predicted"):
        score_medsger(pd.DataFrame({"fvc_pct_predicted": [0.8]}))


@given(
    st.sampled_from(["mrss", "spap_mmhg", "creatinine_mg_dl", "weight_loss_pct"]),
    st.integers(0, 30),
    st.integers(0, 30),
)
def test_grades_monotone_in_worsening_inputs(column: str, a: int, b: int) -> None:
    lo, hi = sorted((a, b))
    if column == "spap_mmhg":
        lo, hi = lo + 5, hi + 5
    organ = {
        "mrss": "skin",
        "spap_mmhg": "lung",
        "creatinine_mg_dl": "kidney",
        "weight_loss_pct": "general",
    }[column]
    frame = pd.DataFrame({column: [lo, hi]})
    g = score_medsger(frame)[f"medsger_{organ}"].tolist()
    assert g[0] <= g[1]


@given(st.floats(10, 150), st.floats(10, 150))
def test_lower_fvc_never_lowers_the_lung_grade(a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    g = score_medsger(pd.DataFrame({"fvc_pct_predicted": [hi, lo]}))["medsger_lung"].tolist()
    assert g[0] <= g[1]


def test_frame_not_mutated_and_aligned() -> None:
    frame = pd.DataFrame({"mrss": [3, None]}, index=["a", "b"])
    before = frame.copy()
    out = score_medsger(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert list(out.index) == ["a", "b"]
    assert math.isnan(out.loc["b", "medsger_skin"])


def test_to_record_that_is_not_a_mapping_raises_naming_the_type() -> None:
    class Odd:
        def to_record(self) -> list[int]:
            return [1, 2]

    with pytest.raises(SchemaError, match=r"canonical column -> value .* got Odd$"):
        medsger_severity(Odd())
