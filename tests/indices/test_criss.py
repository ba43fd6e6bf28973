"""ACR CRISS (Khanna 2016) and the provisional revised CRISS (Khanna 2021)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes import RESPONDER_DEFINITIONS, OutOfRangeError, Response, SchemaError, Visit
from sscoutcomes.indices.criss import (
    CRISS_COEFFICIENTS,
    CRISSResult,
    RevisedCRISSResult,
    criss,
    criss_frame,
    criss_probability,
    criss_step1,
    revised_criss,
    revised_criss_frame,
)

BASE = {
    "mrss": 25,
    "fvc_pct_predicted": 80,
    "patient_global": 6,
    "physician_global": 6,
    "haq_di": 1.5,
}
#: A follow-up that states every step 1 event flag as absent.
NO_EVENTS = {"renal_crisis": False, "lv_failure_new": False, "pah_new_rhc": False}


def test_published_coefficients() -> None:
    assert dict(CRISS_COEFFICIENTS) == {
        "intercept": -5.54,
        "mrss": -0.81,
        "fvc_pct_predicted": 0.21,
        "patient_global": -0.40,
        "physician_global": -0.44,
        "haq_di": -3.41,
    }


def test_worked_examples_by_hand() -> None:
    # no change at all: P = 1 / (1 + exp(5.54))
    assert criss_probability(0, 0, 0, 0, 0) == pytest.approx(1 / (1 + math.exp(5.54)))
    # dMRSS -10, dFVC +5, dPt -2, dMD -2, dHAQ -0.5: logit = 6.995
    logit = -5.54 + 8.1 + 1.05 + 0.8 + 0.88 + 1.705
    assert criss_probability(-10, 5, -2, -2, -0.5) == pytest.approx(1 / (1 + math.exp(-logit)))


def test_threshold_at_060() -> None:
    # choose dMRSS so that P is just above / below 0.60 with the other deltas 0
    logit_60 = math.log(0.6 / 0.4)
    d = (logit_60 + 5.54) / 0.81
    above = BASE | {"mrss": BASE["mrss"] - d - 1e-6} | NO_EVENTS
    below = BASE | {"mrss": BASE["mrss"] - d + 1e-6} | NO_EVENTS
    assert criss(BASE, above).response is Response.RESPONDER
    assert criss(BASE, below).response is Response.NON_RESPONDER


@pytest.mark.parametrize("event", ["renal_crisis", "lv_failure_new", "pah_new_rhc"])
def test_any_step1_event_forces_zero(event: str) -> None:
    after = BASE | {"mrss": 5, "haq_di": 0.2, event: True}
    r = criss(BASE, after)
    assert r.probability == 0.0
    assert r.step1_event
    assert r.response is Response.NON_RESPONDER


def test_ild_arm_of_step1() -> None:
    kw = {"fvc_decline_confirmed": True, "hrct_ild": True}
    assert criss_step1(fvc_baseline=85, fvc_follow_up=72, **kw)  # -15.3 %, < 80
    assert not criss_step1(fvc_baseline=85, fvc_follow_up=73, **kw)  # -14.1 %
    assert not criss_step1(fvc_baseline=100, fvc_follow_up=84, **kw)  # -16 % but >= 80
    # a fall that qualifies but is not confirmed: not known, never "no event"
    assert criss_step1(fvc_baseline=85, fvc_follow_up=70, hrct_ild=True) is None


def test_missing_component_is_not_evaluable() -> None:
    r = criss(BASE, BASE | {"haq_di": None})
    assert r.response is Response.NOT_EVALUABLE
    assert math.isnan(r.probability)
    assert criss(BASE, BASE | {"haq_di": None, "renal_crisis": True}).probability == 0


def test_visit_objects_and_errors() -> None:
    v0 = Visit.from_record({"day": 0} | BASE)
    v1 = Visit.from_record({"day": 365} | BASE | {"mrss": 10})
    assert criss(v0, v1).probability > 0.6
    with pytest.raises(OutOfRangeError, match="haq_di = 4"):
        criss(BASE, BASE | {"haq_di": 4})


def test_each_face_takes_its_own_input_type() -> None:
    frame = pd.DataFrame([BASE])
    with pytest.raises(SchemaError, match="use criss_frame"):
        criss(frame, BASE)
    with pytest.raises(SchemaError, match="use criss_frame"):
        criss(BASE, frame)
    with pytest.raises(SchemaError, match="use revised_criss_frame"):
        revised_criss(frame, frame)
    with pytest.raises(SchemaError, match="must be a DataFrame"):
        criss_frame(frame, BASE)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="must be a DataFrame"):
        revised_criss_frame(BASE, frame)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="same index"):
        criss_frame(frame, frame.set_axis([7]))
    with pytest.raises(SchemaError, match="same index"):
        revised_criss_frame(frame, frame.set_axis([7]))
    with pytest.raises(SchemaError, match="to_record"):
        criss(25, 15)
    # one type out whatever the values
    assert isinstance(criss(BASE, BASE), CRISSResult)
    assert isinstance(revised_criss(BASE, BASE), RevisedCRISSResult)


#: The largest change each core measure allows (its range's width): mRSS, FVC, globals, HAQ.
SPANS = (51, 190, 10, 10, 3)
deltas = st.tuples(*(st.floats(-span + 1, span - 1) for span in SPANS))


@given(deltas, st.integers(0, 4), st.floats(0.01, 1))
def test_probability_in_unit_interval_and_monotone(
    d: tuple[float, ...], k: int, step: float
) -> None:
    p = criss_probability(*d)
    assert 0 <= p <= 1
    improved = list(d)
    # direction of improvement: mRSS, globals, HAQ down; FVC up
    improved[k] += step if k == 1 else -step
    assert criss_probability(*improved) >= p


@pytest.mark.parametrize(("k", "span"), [(0, 51), (1, 190), (2, 10), (3, 10), (4, 3)])
def test_criss_probability_refuses_changes_no_instrument_allows(k: int, span: int) -> None:
    changes = [0.0] * 5
    changes[k] = span  # exactly at the limit: allowed
    criss_probability(*changes)
    changes[k] = span + 0.5
    with pytest.raises(OutOfRangeError, match=f"is outside -{span}..{span}"):
        criss_probability(*changes)
    changes[k] = -(span + 0.5)
    with pytest.raises(OutOfRangeError, match=f"is outside -{span}..{span}"):
        criss_probability(*changes)


# HAQ-DI is a mean of eight category scores 0-3: multiples of 1/8
haq = st.integers(0, 24).map(lambda k: k / 8)
rows = st.lists(
    st.tuples(
        st.integers(0, 51),
        st.integers(0, 51),
        haq,
        haq,
        st.one_of(st.none(), st.floats(0, 10)),
        st.booleans(),
        st.sampled_from([None, 70.0, 79.0, 85.0]),
        st.sampled_from([80.0, 85.0, 100.0]),
    ),
    min_size=1,
    max_size=6,
)


def _frames(rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:  # type: ignore[type-arg]
    base = pd.DataFrame(
        [BASE | {"mrss": r[0], "haq_di": r[2], "fvc_pct_predicted": r[7]} for r in rows]
    )
    follow = pd.DataFrame(
        [
            BASE
            | {
                "mrss": r[1],
                "haq_di": r[3],
                "patient_global": r[4],
                "renal_crisis": r[5],
                "fvc_pct_predicted": r[6],
                "fvc_decline_confirmed": True,
                "hrct_ild": True,
            }
            for r in rows
        ],
        index=pd.Index([f"p{i}" for i in range(len(rows))]),
    )
    return base.set_axis(follow.index), follow


@given(rows, st.floats(0.05, 0.95))
def test_criss_object_face_equals_frame_face(rows: list[tuple], threshold: float) -> None:  # type: ignore[type-arg]
    base, follow = _frames(rows)
    b0, f0 = base.copy(), follow.copy()
    out = criss_frame(base, follow, threshold=threshold)
    pd.testing.assert_frame_equal(base, b0)
    pd.testing.assert_frame_equal(follow, f0)
    assert out.index.equals(follow.index)
    for pid, rec in zip(out.index, out.to_dict("records"), strict=True):
        one = criss(base.loc[pid].to_dict(), follow.loc[pid].to_dict(), threshold=threshold)
        assert one.to_dict() == rec or (
            math.isnan(one.probability) and math.isnan(rec["criss_probability"])
        )
        assert one.response.value == rec["criss_response"]
        assert one.step1_event == rec["criss_step1"]


@given(
    rows,
    st.floats(1, 99),
    st.integers(1, 5),
    st.sampled_from(["absolute_5", "relative_5", "percent"]),
    st.booleans(),
    st.none() | st.integers(0, 5),
)
def test_revised_criss_object_face_equals_frame_face(
    rows: list[tuple],  # type: ignore[type-arg]
    cutoff: float,
    items: int,
    fvc_rule: str,
    step1: bool,
    cap: int | None,
) -> None:
    base, follow = _frames(rows)
    options = {
        "cutoff_pct": cutoff,
        "items_required": items,
        "fvc_rule": fvc_rule,
        "step1": step1,
        "worsening_cap": cap,
    }
    out = revised_criss_frame(base, follow, **options)  # type: ignore[arg-type]
    assert out.index.equals(follow.index)
    for pid, rec in zip(out.index, out.to_dict("records"), strict=True):
        one = revised_criss(base.loc[pid].to_dict(), follow.loc[pid].to_dict(), **options)  # type: ignore[arg-type]
        assert one.to_dict() == rec


def test_responder_definition_is_step2() -> None:
    rule = RESPONDER_DEFINITIONS["criss"]
    assert rule.evaluate(BASE, BASE | {"mrss": 10}) is Response.RESPONDER
    assert rule.evaluate(BASE, BASE) is Response.NON_RESPONDER


def test_revised_criss_provisional_rule() -> None:
    after = {
        "mrss": 18,
        "fvc_pct_predicted": 81,
        "patient_global": 4,
        "physician_global": 4.5,
        "haq_di": 1.4,
        **NO_EVENTS,
    }
    r = revised_criss(BASE, after)
    assert r.items_improved == 3  # mRSS -28 %, Pt -33 %, MD -25 %
    assert r.items_evaluable == 5
    assert r.response is Response.RESPONDER
    assert r.to_dict() == {
        "rcriss_items_improved": 3,
        "rcriss_items_evaluable": 5,
        "rcriss_response": "responder",
        "rcriss_reason": None,
    }
    assert revised_criss(BASE, after, items_required=4).response is Response.NON_RESPONDER
    zero = BASE | {"haq_di": 0}
    z = revised_criss(zero, zero | {"mrss": 30})
    assert z.items_evaluable == 4  # HAQ-DI 0 at baseline: not evaluable
    assert revised_criss(BASE, after | {"renal_crisis": True}).response is (Response.NON_RESPONDER)
    assert (
        revised_criss(BASE, after | {"renal_crisis": True}, step1=False).response
        is Response.RESPONDER
    )
    frame = revised_criss_frame(pd.DataFrame([BASE]), pd.DataFrame([after]))
    assert frame["rcriss_response"].tolist() == ["responder"]
    assert np.isfinite(frame["rcriss_items_improved"]).all()


def test_criss_from_visits_uses_the_schedule() -> None:
    from sscoutcomes import Schedule, criss_from_visits

    v = pd.DataFrame(
        {
            "patient_id": ["a", "a", "a", "b", "b"],
            "day": [0, 340, 400, 0, 365],
            "mrss": [25, 14, 30, 20, 20],
            "fvc_pct_predicted": [80, 82, 70, 80, 80],
            "patient_global": [6, 4, 8, 5, 5],
            "physician_global": [6, 3, 8, 5, 5],
            "haq_di": [1.5, 1.0, 2.0, 1.0, 1.0],
            "renal_crisis": [False, False, False, False, True],
            "lv_failure_new": False,
            "pah_new_rhc": False,
        }
    )
    out = criss_from_visits(v, Schedule.years(0, 1))
    # patient a: day 340 is 25 days from 365, day 400 is 35: day 340 is used
    expected = criss(v.iloc[0].to_dict(), v.iloc[1].to_dict())
    assert out.loc[0, "criss_probability"] == pytest.approx(expected.probability)
    assert out["criss_response"].tolist() == ["responder", "non-responder"]
    assert bool(out.loc[1, "criss_step1"])


# ------------------------------------------------- missing is never good news (issue 16)
def _trial(renal_month_6: object) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "patient_id": ["a"] * 3,
            "day": [0, 182, 365],
            "mrss": [25, None, 10],
            "fvc_pct_predicted": [80, None, 82],
            "patient_global": [6, None, 3],
            "physician_global": [6, None, 3],
            "haq_di": [1.5, None, 1.0],
            "renal_crisis": [False, renal_month_6, False],
            "lv_failure_new": False,
            "pah_new_rhc": False,
        }
    )


def test_renal_crisis_at_month_6_and_none_at_month_12_is_a_non_responder() -> None:
    from sscoutcomes import Schedule, criss_from_visits

    schedule = Schedule.years(0, 1)
    assert criss_from_visits(_trial(False), schedule)["criss_response"].tolist() == ["responder"]
    out = criss_from_visits(_trial(True), schedule)
    assert out["criss_response"].tolist() == ["non-responder"]
    assert out["criss_probability"].tolist() == [0.0]
    # a visit in the interval that does not say: step 1 not known, not evaluable
    unknown = criss_from_visits(_trial(None), schedule)
    assert unknown["criss_response"].tolist() == ["not evaluable"]
    assert pd.isna(unknown.loc[0, "criss_step1"])


def test_fvc_78_to_60_with_ild_and_no_confirmation_is_not_a_responder() -> None:
    base = BASE | {"fvc_pct_predicted": 78}
    after = BASE | {"fvc_pct_predicted": 60, "mrss": 5, "hrct_ild": True} | NO_EVENTS
    r = criss(base, after)  # the confirmation column is absent
    assert r.step1_event is None
    assert r.response is Response.NOT_EVALUABLE
    confirmed = criss(base, after | {"fvc_decline_confirmed": True})
    assert confirmed.response is Response.NON_RESPONDER
    assert confirmed.probability == 0.0


def test_renal_crisis_yes_as_text_is_an_event_in_frames() -> None:
    base = pd.DataFrame([BASE])
    for text in ("yes", "Y", "TRUE"):
        after = pd.DataFrame([BASE | {"mrss": 5, "renal_crisis": text}])
        assert criss_frame(base, after)["criss_response"].tolist() == ["non-responder"]
    after = pd.DataFrame([BASE | {"mrss": 5}]).astype({"mrss": "float64"})
    after["renal_crisis"] = pd.array(["yes"], dtype="string")
    assert criss_frame(base, after)["criss_step1"].tolist() == [True]


def test_a_core_value_abc_is_an_error_not_a_missing_value() -> None:
    with pytest.raises(SchemaError, match="mrss = 'abc' is not a number"):
        criss(BASE, BASE | {"mrss": "abc"})
    with pytest.raises(SchemaError, match="renal_crisis = 'maybe' is not a yes/no value"):
        criss(BASE, BASE | {"renal_crisis": "maybe"})


def test_the_criss_responder_definition_refuses_a_baseline_mrss_of_1000() -> None:
    rule = RESPONDER_DEFINITIONS["criss"]
    with pytest.raises(OutOfRangeError, match=r"baseline mrss = 1000 is outside 0\.\.51"):
        rule.evaluate(BASE | {"mrss": 1000}, BASE)
    with pytest.raises(OutOfRangeError, match=r"follow-up haq_di = 4 is outside 0\.\.3"):
        rule.evaluate(BASE, BASE | {"haq_di": 4})


# ------------------------------------------------------------------ why not evaluable
def test_criss_reason_names_the_missing_core_measures() -> None:
    r = criss(BASE, BASE | {"mrss": None, "haq_di": None} | NO_EVENTS)
    assert r.response is Response.NOT_EVALUABLE
    assert r.reason == "no follow-up mrss, haq_di"
    r = criss(BASE | {"fvc_pct_predicted": None}, BASE | NO_EVENTS)
    assert r.reason == "no baseline fvc_pct_predicted"
    assert criss(BASE, BASE | {"mrss": 10} | NO_EVENTS).reason is None  # evaluable


def test_criss_reason_names_the_step1_inputs_not_recorded() -> None:
    after = BASE | {"mrss": 10, "renal_crisis": False, "lv_failure_new": False}
    assert criss(BASE, after).reason == "step 1 not known: pah_new_rhc not recorded"
    # the ILD arm is open (FVC 78 -> 60 % with ILD): its unrecorded confirmation is named
    base = BASE | {"fvc_pct_predicted": 78}
    after = BASE | {"fvc_pct_predicted": 60, "mrss": 5, "hrct_ild": True} | NO_EVENTS
    assert criss(base, after).reason == "step 1 not known: fvc_decline_confirmed not recorded"


def test_criss_frame_and_revised_frame_carry_the_reason() -> None:
    base = pd.DataFrame([BASE, BASE, BASE], index=["x", "y", "z"])
    after = pd.DataFrame(
        [BASE | {"mrss": 10} | NO_EVENTS, BASE | {"mrss": None} | NO_EVENTS, BASE | {"mrss": 10}],
        index=["x", "y", "z"],
    )
    out = criss_frame(base, after)
    assert out["criss_reason"].tolist()[1:] == [
        "no follow-up mrss",
        "step 1 not known: renal_crisis, lv_failure_new, pah_new_rhc not recorded",
    ]
    assert pd.isna(out.loc["x", "criss_reason"])
    # two items improved and HAQ-DI from a zero baseline: a third could still come from it
    zero = pd.DataFrame([BASE | {"haq_di": 0.0}])
    after = pd.DataFrame([BASE | {"haq_di": 0.0, "mrss": 10, "patient_global": 3} | NO_EVENTS])
    revised = revised_criss_frame(zero, after)
    assert revised["rcriss_response"].tolist() == ["not evaluable"]
    assert revised["rcriss_reason"].tolist() == ["baseline haq_di is 0 (no relative change)"]


def test_criss_from_visits_reason_says_the_patient_died() -> None:
    from sscoutcomes import Schedule, criss_from_visits

    visits = _trial(False)
    patients = pd.DataFrame({"patient_id": ["a", "b"], "death_day": [None, 100]})
    extra = visits.iloc[[0]].assign(patient_id="b")
    out = criss_from_visits(pd.concat([visits, extra], ignore_index=True), Schedule.years(0, 1),
                            patients=patients)  # fmt: skip
    reasons = out.set_index("patient_id")["criss_reason"]
    assert pd.isna(reasons["a"])
    assert reasons["b"] == "died before the window"


# ------------------------------------------------------------------ revised CRISS as published
def test_revised_criss_default_is_the_primary_rule_fvc_relative() -> None:
    # FVC 80 -> 96 is +20 % of baseline (improved at 20 %), +16 points
    after = BASE | {"mrss": 20, "patient_global": 4.8, "fvc_pct_predicted": 96} | NO_EVENTS
    r = revised_criss(BASE, after)
    assert r.items_improved == 3  # mRSS -20 %, patient global -20 %, FVC +20 %
    assert r.response is Response.RESPONDER
    assert revised_criss(BASE, after, preset="criss20") == r
    # FVC 80 -> 95.9 is +19.9 %: just below the cut-off
    below = revised_criss(BASE, after | {"fvc_pct_predicted": 95.9})
    assert below.items_improved == 2
    assert below.response is Response.NON_RESPONDER


def test_revised_criss_25_preset_and_its_worsening_cap() -> None:
    improved = BASE | {"mrss": 18.75, "patient_global": 4.5, "physician_global": 4.5}  # -25 %
    ok = revised_criss(BASE, improved | NO_EVENTS, preset="criss25")
    assert ok.response is Response.RESPONDER
    # one item worsening by 25 % is allowed, two are not
    one = improved | {"haq_di": 1.875}  # +25 %
    assert revised_criss(BASE, one | NO_EVENTS, preset="criss25").response is Response.RESPONDER
    two = one | {"fvc_pct_predicted": 76}  # -5 % of baseline
    assert revised_criss(BASE, two | NO_EVENTS, preset="criss25").response is (
        Response.NON_RESPONDER
    )
    # a missing item that could be the second worsening: not evaluable
    unknown = one | {"fvc_pct_predicted": None}
    r = revised_criss(BASE, unknown | NO_EVENTS, preset="criss25")
    assert r.response is Response.NOT_EVALUABLE
    assert r.reason == "no follow-up fvc_pct_predicted"
    rows = [one | NO_EVENTS, two | NO_EVENTS, unknown | NO_EVENTS]
    frame = revised_criss_frame(pd.DataFrame([BASE] * 3), pd.DataFrame(rows), preset="criss25")
    assert frame["rcriss_response"].tolist() == ["responder", "non-responder", "not evaluable"]


def test_revised_criss_preset_or_options_not_both() -> None:
    with pytest.raises(SchemaError, match="not both"):
        revised_criss(BASE, BASE | NO_EVENTS, preset="criss25", cutoff_pct=30)
    with pytest.raises(SchemaError, match="preset = 'criss30'"):
        revised_criss(BASE, BASE | NO_EVENTS, preset="criss30")  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError, match="worsening_cap"):
        revised_criss(BASE, BASE | NO_EVENTS, worsening_cap=7)


# ----------------------------------------------------------------------------- rare branches
def test_step1_of_arrays_is_a_nullable_boolean_array() -> None:
    out = criss_step1(
        renal_crisis=[False, False, np.nan],
        lv_failure_new=False,
        pah_new_rhc=False,
        fvc_decline_confirmed=True,
        hrct_ild=True,
        fvc_baseline=[80, 80, 80],
        fvc_follow_up=[60, 80, 80],
    )
    assert isinstance(out, pd.api.extensions.ExtensionArray)
    assert [bool(out[0]), bool(out[1])] == [True, False]
    assert out[2] is pd.NA  # a missing event is not "no event"


def test_frame_reads_a_boolean_number_column_as_0_1_and_range_checks_it() -> None:
    base = pd.DataFrame([BASE])
    follow = pd.DataFrame([{**BASE, **NO_EVENTS}])
    follow["fvc_pct_predicted"] = True
    with pytest.raises(
        OutOfRangeError, match=r"follow-up fvc_pct_predicted = 1 is outside 10\.\.200"
    ):
        criss_frame(base, follow)


@pytest.mark.parametrize("threshold", [0, 1, 0.0, 1.0])
def test_threshold_must_be_strictly_inside_0_1(threshold: float) -> None:
    with pytest.raises(
        OutOfRangeError, match=rf"^threshold = {threshold!r} is outside 0\.\.1 \(exclusive\)$"
    ):
        criss(BASE, {**BASE, **NO_EVENTS}, threshold=threshold)


@pytest.mark.parametrize("cutoff", [0, 100])
def test_revised_cutoff_must_be_strictly_inside_0_100(cutoff: float) -> None:
    with pytest.raises(
        OutOfRangeError, match=rf"^cutoff_pct = {cutoff!r} is outside 0\.\.100 \(exclusive\)$"
    ):
        revised_criss(BASE, {**BASE, **NO_EVENTS}, cutoff_pct=cutoff)
    with pytest.raises(OutOfRangeError, match=r"items_required = 6 is outside 1\.\.5"):
        revised_criss(BASE, {**BASE, **NO_EVENTS}, items_required=6)
