"""Lung function, HRCT and ILD progression (Goh 2008; Khanna 2015 OMERACT; Hoffmann-Vold
2021 EUSTAR; Raghu 2022 PPF)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes import (
    OutOfRangeError,
    Response,
    SchemaError,
    UnitError,
    absolute_change,
    percent_change,
)
from sscoutcomes.measures.lung import (
    ILD_PROGRESSION_EUSTAR,
    ILD_PROGRESSION_OMERACT,
    PPF_PHYSIOLOGICAL_2022,
    GohStage,
    LungImaging,
    PulmonaryFunction,
    fvc_eustar_category,
    goh_stage,
    hrct_change,
    ppf_2022,
    score_pft,
)


@pytest.mark.parametrize(
    ("extent", "fvc", "stage"),
    [
        (9.99, None, GohStage.LIMITED),
        (10, 69.99, GohStage.EXTENSIVE),
        (10, 70, GohStage.LIMITED),
        (30, 69.99, GohStage.EXTENSIVE),
        (30, 70, GohStage.LIMITED),
        (30.01, 95, GohStage.EXTENSIVE),
        (20, None, None),
        (0, None, GohStage.LIMITED),
    ],
)
def test_goh_every_boundary(extent: float, fvc: float | None, stage: GohStage | None) -> None:
    assert goh_stage(extent, fvc) is stage


@given(st.floats(0, 100), st.none() | st.floats(10, 150))
def test_goh_agrees_with_its_definition(extent: float, fvc: float | None) -> None:
    stage = goh_stage(extent, fvc)
    if extent > 30:
        assert stage is GohStage.EXTENSIVE
    elif extent < 10:
        assert stage is GohStage.LIMITED
    elif fvc is None:
        assert stage is None
    else:
        assert stage is (GohStage.EXTENSIVE if fvc < 70 else GohStage.LIMITED)
    frame = score_pft(pd.DataFrame({"hrct_extent_pct": [extent], "fvc_pct_predicted": [fvc]}))
    value = frame["goh_stage"].iloc[0]
    assert (stage is None and pd.isna(value)) or value == stage.value  # type: ignore[union-attr]


def test_absolute_and_relative_change_are_distinct() -> None:
    # FVC 80 -> 72 % predicted: -8 percentage points, -10 % relative
    assert absolute_change(80, 72) == -8
    assert percent_change(80, 72) == -10


@pytest.mark.parametrize(
    ("fvc", "dlco", "expected"),
    [
        ((80, 72), (60, 60), Response.RESPONDER),  # -10 % relative FVC
        ((80, 72.1), (60, 60), Response.NON_RESPONDER),  # -9.9 % and no DLCO decline
        ((80, 76), (60, 51), Response.RESPONDER),  # -5 % FVC and -15 % DLCO
        ((80, 76), (60, 51.1), Response.NON_RESPONDER),  # DLCO -14.8 %
        ((80, 76.1), (60, 40), Response.NON_RESPONDER),  # FVC -4.9 %
        ((80, 76), (60, None), Response.NOT_EVALUABLE),  # DLCO needed in the 5-10 % band
        ((80, 70), (60, None), Response.RESPONDER),  # FVC arm decides alone
        ((80, None), (60, 40), Response.NOT_EVALUABLE),
    ],
)
def test_omeract_relative_declines(
    fvc: tuple[float, float | None], dlco: tuple[float, float | None], expected: Response
) -> None:
    b = {"fvc_pct_predicted": fvc[0], "dlco_pct_predicted": dlco[0]}
    f = {"fvc_pct_predicted": fvc[1], "dlco_pct_predicted": dlco[1]}
    assert ILD_PROGRESSION_OMERACT.evaluate(b, f) is expected


def test_eustar_categories_at_each_cut_off() -> None:
    follow = [59.9, 60, 69.9, 70, 75, 75.1, 84.9, 85, None]  # from baseline 80
    out = list(fvc_eustar_category([80] * 9, follow))
    assert out[:8] == [
        "major decline",  # -20.1
        "significant decline",  # -20: > 10 and <= 20
        "significant decline",  # -10.1
        "moderate decline",  # -10
        "moderate decline",  # -5
        "stable",  # -4.9
        "stable",  # +4.9
        "improvement",  # +5
    ]
    assert pd.isna(out[8])
    assert ILD_PROGRESSION_EUSTAR.evaluate(80, 75) is Response.RESPONDER
    assert ILD_PROGRESSION_EUSTAR.evaluate(80, 75.1) is Response.NON_RESPONDER
    assert list(fvc_eustar_category([80], [72], relative=True)) == ["moderate decline"]


def test_ppf_physiological_and_two_of_three() -> None:
    b = {"fvc_pct_predicted": 80, "dlco_pct_predicted": 60}
    assert (
        PPF_PHYSIOLOGICAL_2022.evaluate(b, {"fvc_pct_predicted": 75, "dlco_pct_predicted": 60})
        is Response.RESPONDER
    )
    assert (
        PPF_PHYSIOLOGICAL_2022.evaluate(b, {"fvc_pct_predicted": 75.1, "dlco_pct_predicted": 50.1})
        is Response.NON_RESPONDER
    )
    assert (
        PPF_PHYSIOLOGICAL_2022.evaluate(b, {"fvc_pct_predicted": 79, "dlco_pct_predicted": 50})
        is Response.RESPONDER
    )
    out = list(
        ppf_2022(
            [80] * 4,
            [74, 79, 79, 79],
            [60] * 4,
            [58] * 4,
            [True, True, None, False],
            [None, True, True, None],
        )
    )
    assert out == ["responder", "responder", "not evaluable", "non-responder"]


def test_hrct_change_reader_wins_then_threshold() -> None:
    out = hrct_change(
        ["worsened", None, None, None, None], [20, 20, 20, 20, None], [20, 25, 15, 24, 30]
    )
    assert list(out)[:4] == ["worsened", "worsened", "improved", "stable"]
    assert pd.isna(list(out)[4])
    assert list(hrct_change(None, [20], [23], threshold_pct=3)) == ["worsened"]
    with pytest.raises(SchemaError, match="better"):
        hrct_change(["better"])


def test_unit_errors_and_ranges() -> None:
    with pytest.raises(UnitError, match="fraction"):
        PulmonaryFunction(fvc_pct_predicted=0.85)
    with pytest.raises(UnitError, match="litres"):
        PulmonaryFunction(fvc_l=2800)
    with pytest.raises(OutOfRangeError, match="fvc_pct_predicted = 250"):
        PulmonaryFunction(fvc_pct_predicted=250)
    with pytest.raises(UnitError, match="fractions"):
        score_pft(pd.DataFrame({"fvc_pct_predicted": [0.8, 85]}))
    with pytest.raises(SchemaError, match="disagrees"):
        PulmonaryFunction(fvc_pct_predicted=90, fvc_l=2.8, fvc_predicted_l=3.5)
    with pytest.raises(SchemaError, match="hrct_pattern"):
        LungImaging(pattern="honeycomb")


def test_measured_over_predicted() -> None:
    pft = PulmonaryFunction(fvc_l=2.8, fvc_predicted_l=3.5, dlco_measured=12, dlco_predicted=24)
    assert pft.fvc_pct == pytest.approx(80)
    assert pft.dlco_pct == pytest.approx(50)


@given(
    st.lists(
        st.tuples(
            st.none() | st.floats(20, 150),
            st.none() | st.floats(10, 150),
            st.none() | st.floats(0, 100),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_object_face_equals_frame_face(rows: list[tuple[float | None, ...]]) -> None:
    frame = pd.DataFrame(
        rows,
        columns=["fvc_pct_predicted", "dlco_pct_predicted", "hrct_extent_pct"],
        dtype="float64",
    )
    before = frame.copy()
    out = score_pft(frame)
    pd.testing.assert_frame_equal(frame, before)
    for (fvc, dlco, extent), rec in zip(rows, out.to_dict("records"), strict=True):
        pft = PulmonaryFunction(fvc_pct_predicted=fvc, dlco_pct_predicted=dlco)
        assert (pft.fvc_pct is None and math.isnan(rec["fvc_pct_predicted"])) or (
            pft.fvc_pct == rec["fvc_pct_predicted"]
        )
        stage = LungImaging(extent_pct=extent).goh_stage(fvc)
        assert (stage is None and pd.isna(rec["goh_stage"])) or stage.value == rec["goh_stage"]  # type: ignore[union-attr]


def test_record_round_trips() -> None:
    pft = PulmonaryFunction(fvc_pct_predicted=72.5, dlco_pct_predicted=55)
    assert PulmonaryFunction.from_record(pft.to_record()) == pft
    img = LungImaging(ild=True, extent_pct=15, pattern="nsip", comparison="stable")
    assert LungImaging.from_record(img.to_record()) == img
    assert LungImaging.from_record({"hrct_extent_pct": float("nan")}) is None


# ------------------------------------------------- missing is never good news (issue 16)
def test_goh_stage_refuses_fvc_as_a_fraction_and_a_negative_fvc() -> None:
    with pytest.raises(OutOfRangeError, match=r"fvc_pct_predicted = 0\.75 .*not a fraction"):
        goh_stage(20, 0.75)
    with pytest.raises(OutOfRangeError, match="fvc_pct_predicted = -10 is outside"):
        goh_stage(20, -10)
    with pytest.raises(SchemaError, match="hrct_extent_pct = 'abc' is not a number"):
        goh_stage("abc", 80)


def test_fvc_8_l_of_a_predicted_0_5_l_is_not_1600_percent() -> None:
    with pytest.raises(OutOfRangeError, match=r"100 x 8 / 0\.5\) = 1600\.0 is outside 10\.\.200"):
        _ = PulmonaryFunction(fvc_l=8, fvc_predicted_l=0.5).fvc_pct
    assert PulmonaryFunction(fvc_l=3, fvc_predicted_l=4).fvc_pct == 75.0


def test_ppf_2022_reads_no_as_not_met() -> None:
    physiological_only = ppf_2022([80], [70], [60], [50], ["no"], ["no"])
    assert physiological_only.tolist() == ["non-responder"]
    with pytest.raises(SchemaError, match="symptoms_worsened = 'maybe' is not a yes/no value"):
        ppf_2022([80], [70], [60], [50], ["maybe"], ["no"])


# --- fvc_ml: FVC in millilitres, with a litres guard --------------------------------------


def test_fvc_ml_object_refuses_litres_and_out_of_range() -> None:
    assert PulmonaryFunction(fvc_ml=2800).fvc_ml == 2800
    with pytest.raises(UnitError, match=r"fvc_ml = 2\.8 looks like litres; give mL"):
        PulmonaryFunction(fvc_ml=2.8)
    with pytest.raises(OutOfRangeError, match=r"fvc_ml = 9000 is outside 200\.\.8000"):
        PulmonaryFunction(fvc_ml=9000)


def test_fvc_ml_frame_refuses_litres_by_its_range() -> None:
    from sscoutcomes import Cohort

    visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365], "fvc_ml": [2.8, 2700.0]})
    with pytest.raises(OutOfRangeError, match=r"fvc_ml = 2\.8 is outside 200\.\.8000 mL \(give mL"):
        Cohort.from_frames(visits=visits)


def test_fvc_ml_round_trips_through_a_record() -> None:
    pft = PulmonaryFunction(fvc_ml=2750.0, fvc_pct_predicted=80.0)
    assert pft.to_record()["fvc_ml"] == 2750.0
    assert PulmonaryFunction.from_record(pft.to_record()) == pft
