"""2013 ACR/EULAR classification criteria (van den Hoogen 2013, Table 1 weights)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes import OutOfRangeError, SchemaError
from sscoutcomes.indices.classification import (
    ACR_EULAR_2013_ITEMS,
    classify_acr_eular_2013,
    score_acr_eular_2013,
)

KEYS = [k for subs in ACR_EULAR_2013_ITEMS.values() for k in subs]


def test_weights_as_published() -> None:
    weights = {k: w for subs in ACR_EULAR_2013_ITEMS.values() for k, w in subs.items()}
    assert weights == {
        "skin_thickening_proximal_mcp": 9,
        "puffy_fingers": 2,
        "sclerodactyly": 4,
        "digital_tip_ulcers": 2,
        "fingertip_pitting_scars": 3,
        "telangiectasia": 2,
        "abnormal_nailfold_capillaries": 2,
        "pah": 2,
        "ild": 2,
        "raynauds": 3,
        "anticentromere": 3,
        "anti_topoisomerase": 3,
        "anti_rna_polymerase_iii": 3,
    }
    # items 2-8 reach at most 19
    assert sum(max(s.values()) for s in ACR_EULAR_2013_ITEMS.values()) - 9 == 19


def test_higher_sub_item_only() -> None:
    r = classify_acr_eular_2013(
        puffy_fingers=True,
        sclerodactyly=True,
        digital_tip_ulcers=True,
        fingertip_pitting_scars=True,
        pah=True,
        ild=True,
        anticentromere=True,
        anti_topoisomerase=True,
    )
    assert r.score == 4 + 3 + 2 + 3
    assert r.items["fingertip lesions"] == ("fingertip_pitting_scars", 3)


@pytest.mark.parametrize(
    ("kwargs", "score", "verdict"),
    [
        ({"skin_thickening_proximal_mcp": True}, 9, "classified"),
        (
            {
                "sclerodactyly": True,
                "raynauds": True,
                "telangiectasia": False,
                "puffy_fingers": False,
                "digital_tip_ulcers": False,
                "fingertip_pitting_scars": False,
                "abnormal_nailfold_capillaries": False,
                "pah": False,
                "ild": False,
                "anticentromere": False,
                "anti_topoisomerase": False,
                "anti_rna_polymerase_iii": False,
                "skin_thickening_proximal_mcp": False,
            },
            7,
            "not classified",
        ),
        ({"sclerodactyly": True, "raynauds": True, "telangiectasia": True}, 9, "classified"),
        ({"sclerodactyly": True, "raynauds": True}, 7, "undetermined"),
        (
            {
                "sclerodactyly": True,
                "raynauds": True,
                "anticentromere": True,
                "skin_thickening_sparing_fingers": True,
            },
            10,
            "not applicable",
        ),
    ],
)
def test_threshold_and_verdicts(kwargs: dict[str, bool], score: int, verdict: str) -> None:
    r = classify_acr_eular_2013(**kwargs)
    assert (r.score, r.verdict) == (score, verdict)
    assert r.classified == (verdict == "classified")


def test_bad_input() -> None:
    with pytest.raises(OutOfRangeError, match="raynauds = 1"):
        classify_acr_eular_2013(raynauds=1)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="no 2013 ACR/EULAR"):
        score_acr_eular_2013(pd.DataFrame({"x": [1]}))


patients = st.fixed_dictionaries({k: st.none() | st.booleans() for k in KEYS})


@given(patients)
def test_score_is_the_sum_of_counted_items(p: dict[str, bool | None]) -> None:
    r = classify_acr_eular_2013(**p)
    assert r.score == sum(w for _, w in r.items.values())
    assert set(r.unknown) == {k for k, v in p.items() if v is None}
    if r.verdict == "not classified":
        assert not r.classified


@given(st.lists(patients, min_size=1, max_size=8))
def test_object_face_equals_frame_face(rows: list[dict[str, bool | None]]) -> None:
    frame = pd.DataFrame({k: pd.array([r[k] for r in rows], dtype="boolean") for k in KEYS})
    before = frame.copy()
    out = score_acr_eular_2013(frame)
    pd.testing.assert_frame_equal(frame, before)
    for row, (score, verdict) in zip(rows, out.itertuples(index=False), strict=True):
        r = classify_acr_eular_2013(**row)
        assert (r.score, r.verdict) == (score, verdict)
