"""Echocardiography: sPAP, RAP (Rudski 2010), ESC/ERS 2022 PH probability, PAH change and
DETECT linear predictors (Coghlan 2014)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes import OutOfRangeError, SchemaError, UnitError
from sscoutcomes.measures.heart import (
    EchoFinding,
    PHProbability,
    detect_pah,
    echo_signs_two_categories,
    estimate_rap,
    estimate_spap,
    pah_change,
    ph_probability,
    score_echo,
)

ORDER = {PHProbability.LOW: 0, PHProbability.INTERMEDIATE: 1, PHProbability.HIGH: 2}


def test_bernoulli_worked_example() -> None:
    # TRV 3.0 m/s, RAP 8 mmHg -> 4 * 9 + 8 = 44 mmHg
    assert estimate_spap(3.0, 8) == 44.0
    assert EchoFinding(tr_velocity_m_s=3.0, rap_mmhg=8).spap_mmhg == 44.0


@pytest.mark.parametrize(
    ("ivc", "collapse", "rap"),
    [
        (2.1, 51, 3.0),
        (2.1, 50, 8.0),
        (2.11, 49, 15.0),
        (2.11, 50, 15.0),
        (2.11, 51, 8.0),
        (1.5, 20, 8.0),
    ],
)
def test_rudski_rap_at_the_boundaries(ivc: float, collapse: float, rap: float) -> None:
    assert estimate_rap(ivc, collapse) == rap


@pytest.mark.parametrize(
    ("trv", "signs", "expected"),
    [
        (2.8, False, PHProbability.LOW),
        (2.8, True, PHProbability.INTERMEDIATE),
        (2.81, False, PHProbability.INTERMEDIATE),
        (3.4, False, PHProbability.INTERMEDIATE),
        (3.4, True, PHProbability.HIGH),
        (3.41, False, PHProbability.HIGH),
        (None, False, None),  # not measured: not evaluable, never the best category
        (None, True, None),
    ],
)
def test_esc_ers_2022_grid(trv: float | None, signs: bool, expected: PHProbability) -> None:
    assert ph_probability(trv, signs) is expected


@pytest.mark.parametrize(
    ("signs", "expected"), [(False, PHProbability.LOW), (True, PHProbability.INTERMEDIATE)]
)
def test_esc_ers_2022_not_measurable_row(signs: bool, expected: PHProbability) -> None:
    # "TRV <= 2.8 m/s or not measurable" applies when the caller states it
    assert ph_probability(None, signs, tr_velocity_measurable=False) is expected


@given(st.floats(0, 5.9), st.floats(0, 5.9), st.booleans())
def test_probability_never_decreases_as_trv_rises(a: float, b: float, signs: bool) -> None:
    lo, hi = sorted((a, b))
    assert ORDER[ph_probability(lo, signs)] <= ORDER[ph_probability(hi, signs)]
    assert ORDER[ph_probability(lo, False)] <= ORDER[ph_probability(lo, True)]


@given(st.floats(0, 5.9), st.floats(0, 5.9), st.floats(0, 30), st.floats(0, 30))
def test_spap_increases_with_trv_and_rap(v1: float, v2: float, r1: float, r2: float) -> None:
    (va, vb), (ra, rb) = sorted((v1, v2)), sorted((r1, r2))
    assert estimate_spap(va, ra) <= estimate_spap(vb, ra) <= estimate_spap(vb, rb)


def test_signs_need_two_categories() -> None:
    assert echo_signs_two_categories(rv_lv_ratio=1.2, pa_diameter_mm=28)
    assert not echo_signs_two_categories(rv_lv_ratio=1.2, lv_eccentricity_index=1.2)
    assert echo_signs_two_categories(tapse_mm=15, spap_mmhg=40, ra_area_cm2=20)  # 0.375 < 0.55
    assert not echo_signs_two_categories()


def test_unit_mistakes_raise() -> None:
    with pytest.raises(UnitError, match="cm/s"):
        estimate_spap(310, 8)
    with pytest.raises(UnitError, match="cm/s"):
        EchoFinding(tr_velocity_m_s=280)
    with pytest.raises(UnitError, match="mm"):
        estimate_rap(21, 40)
    with pytest.raises(OutOfRangeError, match="rap_mmhg = 45"):
        estimate_spap(3, 45)
    # the frame face reports the cell as validate_visits does (same spec, same message)
    cm_s = (
        r"tr_velocity_m_s = 310.0 is outside 0..6 m/s \(give m/s; a value in the hundreds is cm/s\)"
    )
    with pytest.raises(OutOfRangeError, match=cm_s):
        score_echo(pd.DataFrame({"tr_velocity_m_s": [2.5, 310]}))
    with pytest.raises(SchemaError, match="pericardial_effusion"):
        EchoFinding(pericardial_effusion="huge")


def test_pah_change() -> None:
    out = pah_change(
        [None, None, None, "worsened", None], [50, 50, 50, 50, None], [40, 59.9, 60, 50, 40]
    )
    assert list(out)[:4] == ["improved", "stable", "worsened", "worsened"]
    assert pd.isna(list(out)[4])


def test_detect_linear_predictors_by_hand() -> None:
    r = detect_pah(
        fvc_pct_predicted=90,
        dlco_pct_predicted=50,
        telangiectasia=True,
        anticentromere=True,
        nt_probnp_pg_ml=200,
        urate_mg_dl=4.0,
        right_axis_deviation=False,
        ra_area_cm2=15,
        tr_velocity_m_s=2.8,
    )
    spline_urate = (4.0 - 3.3) ** 3 / (7.1 - 3.3) ** 2
    lp1 = (
        -12.488
        + 1.149 * 90 / 50
        + 1.156
        + 0.753
        + 0.915 * math.log10(200)
        + 1.247 * 4.0
        - 1.132 * spline_urate
    )
    assert r.step1_linear_predictor == pytest.approx(lp1)
    k1, k2, k3 = 2.0, 2.5, 3.4
    s = ((2.8 - k1) ** 3 - (2.8 - k2) ** 3 * (k3 - k1) / (k3 - k2)) / (k3 - k1) ** 2
    lp2 = -2.452 + 0.891 * lp1 + 0.075 * 15 + 0.209 * 2.8 + 2.656 * s
    assert r.step2_linear_predictor == pytest.approx(lp2)
    assert r.provisional


rows = st.lists(
    st.tuples(
        st.none() | st.floats(1.0, 5.5),
        st.none() | st.floats(0, 20),
        st.none() | st.floats(0.8, 3.0),
        st.none() | st.floats(0, 100),
    ),
    min_size=1,
    max_size=8,
)


@given(rows)
def test_object_face_equals_frame_face(data: list[tuple[float | None, ...]]) -> None:
    frame = pd.DataFrame(
        data,
        columns=["tr_velocity_m_s", "rap_mmhg", "ivc_diameter_cm", "ivc_collapse_pct"],
        dtype="float64",
    )
    before = frame.copy()
    out = score_echo(frame)
    pd.testing.assert_frame_equal(frame, before)
    for (trv, rap, ivc, col), rec in zip(data, out.to_dict("records"), strict=True):
        e = EchoFinding(
            tr_velocity_m_s=trv, rap_mmhg=rap, ivc_diameter_cm=ivc, ivc_collapse_pct=col
        )
        got = rec["spap_mmhg"]
        assert (e.spap_mmhg is None and math.isnan(got)) or e.spap_mmhg == pytest.approx(got)
        if e.ph_probability is None:
            assert pd.isna(rec["ph_probability"])
        else:
            assert rec["ph_probability"] == e.ph_probability.value


def test_record_round_trip() -> None:
    e = EchoFinding(
        tr_velocity_m_s=3.2,
        rap_mmhg=8,
        lvef_pct=55,
        pericardial_effusion="small",
        pah_comparison="stable",
        recorded_spap_mmhg=50,
    )
    again = EchoFinding.from_record(e.to_record())
    assert again == e
    assert EchoFinding.from_record({"tr_velocity_m_s": np.nan}) is None


def test_spap_over_arrays() -> None:
    trv = np.linspace(0.0, 5.0, 23).reshape(23, 1)
    rap = np.array([3.0, 8.0, 15.0])
    out = estimate_spap(trv, rap)
    assert out.shape == (23, 3)
    np.testing.assert_array_equal(out, 4.0 * trv**2 + rap)
    late = np.linspace(0.0, 5.0, 23)
    late[21] = 310.0
    with pytest.raises(UnitError, match="310"):
        estimate_spap(late, 5.0)
    late[21] = -1.0
    with pytest.raises(OutOfRangeError, match="tr_velocity_m_s = -1"):
        estimate_spap(late, 5.0)
    # A velocity in cm/s is named before a negative one.
    late[2] = 700.0
    with pytest.raises(UnitError, match="700"):
        estimate_spap(late, 5.0)
    assert estimate_spap(np.array([]), 5.0).shape == (0,)


# ------------------------------------------------- missing is never good news (issue 16)
def test_recorded_spap_alone_is_not_evaluable_for_ph_probability() -> None:
    assert EchoFinding(recorded_spap_mmhg=75).ph_probability is None


def test_ph_probability_of_a_missing_tr_velocity_is_not_evaluable() -> None:
    assert ph_probability(None, other_signs=False) is None
    out = ph_probability([None, 2.5, float("nan")], other_signs=False)
    assert list(pd.isna(out)) == [True, False, True]


def test_score_echo_with_only_nt_probnp_is_not_evaluable() -> None:
    out = score_echo(pd.DataFrame({"nt_probnp_pg_ml": [300.0], "tr_velocity_m_s": [None]}))
    assert out["ph_probability"].isna().all()


def test_not_measurable_is_stated_by_the_caller() -> None:
    no_signs = EchoFinding(tr_velocity_measurable=False, other_signs=False)
    assert no_signs.ph_probability is PHProbability.LOW
    stated = EchoFinding(tr_velocity_measurable=False, other_signs=True)
    assert stated.ph_probability is PHProbability.INTERMEDIATE
    assert ph_probability(None, False, tr_velocity_measurable=False) is PHProbability.LOW
    frame = pd.DataFrame(
        {
            "tr_velocity_m_s": [None, None],
            "tr_velocity_measurable": ["N", None],
            "other_echo_signs": ["N", "N"],
        }
    )
    assert score_echo(frame)["ph_probability"].tolist()[0] == "low"
    assert pd.isna(score_echo(frame)["ph_probability"].tolist()[1])


def test_signs_that_were_not_measured_are_not_known_never_absent() -> None:
    # TRV <= 3.4 with no word on the other signs: low or intermediate, not evaluable
    assert EchoFinding(tr_velocity_m_s=2.5, rap_mmhg=3).ph_probability is None
    assert EchoFinding(tr_velocity_measurable=False).ph_probability is None
    assert ph_probability(3.0) is None
    assert ph_probability(3.5) is PHProbability.HIGH  # above 3.4 the signs cannot change it
    frame = pd.DataFrame({"tr_velocity_m_s": [2.5, 3.0, 3.5], "rap_mmhg": [3, 3, 3]})
    out = score_echo(frame)["ph_probability"]
    assert out.isna().tolist() == [True, True, False]
    # stated as absent, or measured enough to rule them out: evaluable
    stated = score_echo(frame.assign(other_echo_signs=False))["ph_probability"]
    assert stated.tolist() == ["low", "intermediate", "high"]
    measured = {
        "rv_lv_ratio": 0.8, "lv_eccentricity_index": 1.0, "tapse_mm": 24,
        "rvot_acceleration_ms": 120, "rvot_notching": False, "pr_velocity_m_s": 1.5,
        "pa_diameter_mm": 22,
    }  # fmt: skip
    assert EchoFinding(tr_velocity_m_s=2.5, rap_mmhg=3, **measured).ph_probability is (
        PHProbability.LOW
    )
    assert score_echo(frame.assign(**measured))["ph_probability"].tolist() == [
        "low",
        "intermediate",
        "high",
    ]


def test_other_signs_no_is_not_read_as_true() -> None:
    assert EchoFinding(tr_velocity_m_s=2.5, other_signs="no").ph_probability is PHProbability.LOW
    assert ph_probability(2.5, other_signs="no") is PHProbability.LOW
    with pytest.raises(SchemaError, match="other_signs = 'maybe' is not a yes/no value"):
        EchoFinding(other_signs="maybe")
    with pytest.raises(SchemaError, match="other_signs = 'abc'"):
        ph_probability(2.5, other_signs="abc")


def test_stated_no_signs_against_measured_signs_is_refused_on_both_faces() -> None:
    signs = {"rv_lv_ratio": 1.2, "pa_diameter_mm": 28.0}  # categories A and B
    with pytest.raises(SchemaError, match="says there are no other echo signs"):
        EchoFinding(tr_velocity_m_s=2.5, other_signs=False, **signs)
    frame = pd.DataFrame([{"tr_velocity_m_s": 2.5, "other_echo_signs": False, **signs}])
    with pytest.raises(SchemaError, match="says there are no other echo signs"):
        score_echo(frame)
    # stated signs beside measurements that show none stand (PA > aortic diameter, ...)
    assert EchoFinding(tr_velocity_m_s=2.5, other_signs=True).ph_probability is (
        PHProbability.INTERMEDIATE
    )


# ----------------------------------------------------------------------------- rare branches
DETECT_STEP1 = {
    "fvc_pct_predicted": 90,
    "dlco_pct_predicted": 50,
    "telangiectasia": True,
    "anticentromere": True,
    "nt_probnp_pg_ml": 200,
    "urate_mg_dl": 4.0,
    "right_axis_deviation": False,
}


def test_detect_flags_must_be_yes_no() -> None:
    with pytest.raises(OutOfRangeError, match=r"^telangiectasia = 1 is not True/False$"):
        detect_pah(**{**DETECT_STEP1, "telangiectasia": 1})  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError, match=r"^right_axis_deviation = None is not True/False$"):
        detect_pah(**{**DETECT_STEP1, "right_axis_deviation": None})  # type: ignore[arg-type]


def test_detect_step2_is_missing_without_both_step2_inputs() -> None:
    full = detect_pah(**DETECT_STEP1, ra_area_cm2=15, tr_velocity_m_s=2.8)  # type: ignore[arg-type]
    for extra in ({}, {"ra_area_cm2": 15}, {"tr_velocity_m_s": 2.8}):
        r = detect_pah(**DETECT_STEP1, **extra)  # type: ignore[arg-type]
        assert r.step2_linear_predictor is None
        assert r.step1_linear_predictor == full.step1_linear_predictor
    assert full.step2_linear_predictor is not None


def test_echo_object_rejects_bad_flags_ivc_in_mm_and_unknown_comparison() -> None:
    with pytest.raises(OutOfRangeError, match=r"^rvot_notching = 'yes' is not True/False$"):
        EchoFinding(rvot_notching="yes")  # type: ignore[arg-type]
    with pytest.raises(UnitError, match=r"ivc_diameter_cm = 18 looks like mm; give cm"):
        EchoFinding(ivc_diameter_cm=18)
    with pytest.raises(SchemaError, match=r"pah_comparison = 'better' is not one of "):
        EchoFinding(pah_comparison="better")
    assert EchoFinding(rvot_notching=np.bool_(True)).rvot_notching
