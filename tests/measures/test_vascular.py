"""Peripheral vascular findings and the Medsger peripheral vascular grade (provisional)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes import OutOfRangeError, SchemaError
from sscoutcomes.measures.vascular import VascularAssessment, score_vascular, vascular_grade

NONE = {
    "raynauds": False,
    "vasodilator_therapy": False,
    "digital_pitting_scars": False,
    "digital_ulcers_active": 0,
    "digital_gangrene": False,
}


@pytest.mark.parametrize(
    ("changes", "grade"),
    [
        ({}, 0),
        ({"raynauds": True}, 0),  # Raynaud's without vasodilators
        ({"raynauds": True, "vasodilator_therapy": True}, 1),
        ({"digital_pitting_scars": True}, 2),
        ({"digital_ulcers_active": 1}, 3),
        ({"digital_ulcers_active": 3, "digital_pitting_scars": True}, 3),
        ({"digital_gangrene": True, "digital_ulcers_active": 2}, 4),
    ],
)
def test_worst_applicable_item(changes: dict[str, object], grade: int) -> None:
    assert VascularAssessment(**(NONE | changes)).grade == grade  # type: ignore[arg-type]


def test_missing_findings() -> None:
    # gangrene unknown could raise the grade: not assessable
    assert VascularAssessment(**(NONE | {"digital_gangrene": None})).grade is None  # type: ignore[arg-type]
    # gangrene present decides whatever else is unknown
    assert VascularAssessment(digital_gangrene=True).grade == 4
    # ulcers present, gangrene known absent, lower items unknown: 3
    assert VascularAssessment(digital_gangrene=False, digital_ulcers_active=1).grade == 3
    assert math.isnan(
        vascular_grade(
            raynauds=None,
            vasodilator_therapy=None,
            digital_pitting_scars=False,
            digital_ulcers_active=0,
            digital_gangrene=False,
        )
    )


def test_bad_values() -> None:
    with pytest.raises(OutOfRangeError, match=r"digital_ulcers_active = 1\.5"):
        VascularAssessment(digital_ulcers_active=1.5)  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError, match="raynaud_condition_score = 11"):
        VascularAssessment(raynaud_condition_score=11)
    with pytest.raises(OutOfRangeError, match="raynauds = 'yes'"):
        VascularAssessment(raynauds="yes")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="no vascular columns"):
        score_vascular(pd.DataFrame({"day": [0]}))


flags = st.none() | st.booleans()
findings = st.fixed_dictionaries(
    {
        "raynauds": flags,
        "vasodilator_therapy": flags,
        "digital_pitting_scars": flags,
        "digital_ulcers_active": st.none() | st.integers(0, 10),
        "digital_gangrene": flags,
    }
)


@given(st.lists(findings, min_size=1, max_size=10))
def test_object_face_equals_frame_face(rows: list[dict[str, object]]) -> None:
    frame = pd.DataFrame(
        {
            k: pd.array(
                [r[k] for r in rows], dtype="boolean" if k != "digital_ulcers_active" else "Int64"
            )
            for k in rows[0]
        }
    )
    before = frame.copy()
    scored = score_vascular(frame)["vascular_grade"]
    pd.testing.assert_frame_equal(frame, before)
    for row, value in zip(rows, scored, strict=True):
        g = VascularAssessment(**row).grade  # type: ignore[arg-type]
        assert (g is None and math.isnan(value)) or g == value


@given(findings, st.sampled_from(["digital_pitting_scars", "digital_gangrene", "raynauds"]))
def test_adding_a_finding_never_lowers_the_grade(row: dict[str, object], key: str) -> None:
    before = VascularAssessment(**row).grade  # type: ignore[arg-type]
    after = VascularAssessment(**(row | {key: True})).grade  # type: ignore[arg-type]
    if before is not None and after is not None:
        assert after >= before


def test_record_round_trip() -> None:
    v = VascularAssessment(raynauds=True, digital_ulcers_active=2, raynaud_condition_score=4.5)
    assert VascularAssessment.from_record(v.to_record()) == v
    assert VascularAssessment.from_record({"raynauds": np.nan}) is None
