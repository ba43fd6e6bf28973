"""event_free_survival: hand-made cohorts, each rule at its edge, and the outputs' use."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import sscoutcomes as ssc
from sscoutcomes.errors import OutOfRangeError, SchemaError, SSCOutcomesWarning


def _cohort(visits: dict[str, list[Any]], patients: dict[str, list[Any]] | None = None) -> Any:
    v = pd.DataFrame(visits)
    p = pd.DataFrame(patients) if patients is not None else None
    return ssc.Cohort.from_frames(visits=v, patients=p)


def _row(out: pd.DataFrame, pid: str) -> dict[str, Any]:
    row: dict[str, Any] = out.set_index("patient_id").loc[pid].to_dict()
    return row


def test_event_at_month_6_counts_even_when_month_12_shows_none() -> None:
    c = _cohort(
        {"patient_id": ["A"] * 3, "day": [0, 182, 365], "renal_crisis": ["no", "yes", "no"]}
    )
    r = _row(ssc.event_free_survival(c, events=("renal_crisis",)), "A")
    assert (r["time"], r["event"], r["first_event"], r["day_event"], r["competing"]) == (
        182.0,
        1,
        "renal_crisis",
        182.0,
        1,
    )


def test_death_before_any_organ_event_is_competing_2() -> None:
    c = _cohort(
        {"patient_id": ["A", "A"], "day": [0, 182], "renal_crisis": ["no", "no"]},
        {"patient_id": ["A"], "death_day": [250]},
    )
    r = _row(ssc.event_free_survival(c, events=("renal_crisis",)), "A")
    assert (r["time"], r["event"], r["first_event"], r["competing"]) == (250.0, 1, "death", 2)


def test_missing_flag_censors_at_last_fully_known_visit_and_hides_later_events() -> None:
    c = _cohort(
        {
            "patient_id": ["A"] * 4,
            "day": [0, 100, 200, 300],
            "renal_crisis": ["no", "no", "no", "yes"],
            "pah_new_rhc": ["no", "no", None, "no"],
        },
        {"patient_id": ["A"], "death_day": [400]},
    )
    r = _row(ssc.event_free_survival(c, events=("renal_crisis", "pah_new_rhc")), "A")
    assert (r["time"], r["event"], r["competing"]) == (100.0, 0, 0)
    assert r["first_event"] is None
    assert np.isnan(r["day_event"])


def test_missing_flag_on_the_first_follow_up_censors_at_day_0() -> None:
    c = _cohort({"patient_id": ["A", "A"], "day": [0, 90], "renal_crisis": ["no", None]})
    r = _row(ssc.event_free_survival(c, events=("renal_crisis",)), "A")
    assert (r["time"], r["event"]) == (0.0, 0)


def test_event_at_a_visit_with_another_flag_missing_still_counts() -> None:
    c = _cohort(
        {
            "patient_id": ["A", "A"],
            "day": [0, 90],
            "renal_crisis": ["no", "yes"],
            "pah_new_rhc": ["no", None],
        }
    )
    r = _row(ssc.event_free_survival(c, events=("renal_crisis", "pah_new_rhc")), "A")
    assert (r["time"], r["first_event"]) == (90.0, "renal_crisis")


def test_flag_at_baseline_is_history_not_an_event() -> None:
    c = _cohort({"patient_id": ["A", "A"], "day": [0, 90], "renal_crisis": ["yes", "no"]})
    r = _row(ssc.event_free_survival(c, events=("renal_crisis",)), "A")
    assert (r["time"], r["event"]) == (90.0, 0)


def _fvc(fu: float) -> Any:
    return _cohort({"patient_id": ["A", "A"], "day": [-10, 180], "fvc_pct_predicted": [80.0, fu]})


@pytest.mark.parametrize(
    ("fu", "expected"),
    [(72.0, 1), (72.1, 0), (71.9, 1)],  # 10 % of 80 = 8 points: exactly, just below, above
)
def test_fvc_decline_relative_at_the_threshold(fu: float, expected: int) -> None:
    out = ssc.event_free_survival(_fvc(fu), events=("fvc_decline",), fvc_decline=10)
    assert _row(out, "A")["event"] == expected


@pytest.mark.parametrize(("fu", "expected"), [(70.0, 1), (70.1, 0), (69.9, 1)])
def test_fvc_decline_absolute_at_the_threshold(fu: float, expected: int) -> None:
    out = ssc.event_free_survival(
        _fvc(fu), events=("fvc_decline",), fvc_decline=10, fvc_decline_type="absolute"
    )
    assert _row(out, "A")["event"] == expected


def test_fvc_decline_needs_a_baseline() -> None:
    c = _cohort({"patient_id": ["A", "A"], "day": [-200, 180], "fvc_pct_predicted": [80.0, 50.0]})
    r = _row(ssc.event_free_survival(c, events=("fvc_decline",)), "A")
    assert (r["time"], r["event"]) == (0.0, 0)


@pytest.mark.parametrize(("lvef", "expected"), [(45.0, 0), (44.9, 1)])
def test_lvef_below_is_strict_and_named_with_its_threshold(lvef: float, expected: int) -> None:
    c = _cohort({"patient_id": ["A", "A"], "day": [0, 180], "lvef_pct": [60.0, lvef]})
    r = _row(ssc.event_free_survival(c, events=("lvef_below",), lvef_below=45), "A")
    assert r["event"] == expected
    assert r["first_event"] == ("lvef_below_45" if expected else None)


def test_presets_and_overrides() -> None:
    c = _cohort(
        {
            "patient_id": ["A", "A"],
            "day": [0, 180],
            "lvef_pct": [60.0, 40.0],
            "fvc_pct_predicted": [80.0, 79.0],
            "renal_crisis": ["no", "no"],
            "pah_new_rhc": ["no", "no"],
        }
    )
    assert _row(ssc.event_free_survival(c, preset="eustar"), "A")["first_event"] == "lvef_below_45"
    assert _row(ssc.event_free_survival(c, preset="astis"), "A")["event"] == 0
    out = ssc.event_free_survival(c, preset="astis", lvef_below=45)
    assert _row(out, "A")["first_event"] == "lvef_below_45"
    assert out.attrs["events"] == ("renal_crisis", "lvef_below", "fvc_below")


def test_patient_without_visits_or_follow_up_is_left_out_and_counted() -> None:
    c = _cohort(
        {"patient_id": ["A", "A"], "day": [0, 90], "renal_crisis": ["no", "no"]},
        {"patient_id": ["A", "B", "C"], "death_day": [None, None, 50]},
    )
    with pytest.warns(SSCOutcomesWarning, match="1 patient"):
        out = ssc.event_free_survival(c, events=("renal_crisis",))
    assert out["patient_id"].tolist() == ["A", "C"]
    assert out.attrs["n_left_out"] == 1
    assert _row(out, "C")["competing"] == 2


def test_bad_input_raises_named_errors() -> None:
    c = _cohort({"patient_id": ["A"], "day": [0], "renal_crisis": ["no"]})
    with pytest.raises(SchemaError, match="events"):
        ssc.event_free_survival(c, events=("nope",))
    with pytest.raises(SchemaError, match="lvef_pct"):
        ssc.event_free_survival(c, events=("lvef_below",))
    with pytest.raises(OutOfRangeError, match="fvc_decline"):
        ssc.event_free_survival(c, events=("renal_crisis",), fvc_decline=-1)
    with pytest.raises(SchemaError, match="preset"):
        ssc.event_free_survival(c, preset="other")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="cohort"):
        ssc.event_free_survival(pd.DataFrame())  # type: ignore[arg-type]


def test_feeds_kaplan_meier_and_cumulative_incidence() -> None:
    c = _cohort(
        {
            "patient_id": ["A", "A", "B", "B", "C", "C", "D", "D"],
            "day": [0, 100, 0, 200, 0, 300, 0, 400],
            "renal_crisis": ["no", "yes", "no", "no", "no", "no", "no", "yes"],
        },
        {"patient_id": ["A", "B", "C", "D"], "death_day": [None, 250, None, None]},
    )
    out = ssc.event_free_survival(c, events=("renal_crisis",))
    km = ssc.kaplan_meier(out["time"], out["event"])
    assert km.survival_at([150])["survival"].round(3).tolist() == [0.75]
    ci = ssc.cumulative_incidence(out["time"], out["competing"])
    assert ci.cif_at([400], cause=1).round(3).tolist() == [0.75]
    assert ci.cif_at([400], cause=2).round(3).tolist() == [0.25]


def test_demo_cohort_runs_and_input_is_not_mutated() -> None:
    c = ssc.load_demo()
    before = c.visits.copy()
    out = ssc.event_free_survival(c)
    pd.testing.assert_frame_equal(c.visits, before)
    assert set(out["competing"]) <= {0, 1, 2}
    assert (out["time"] >= 0).all()


# ----------------------------------------------------------------------------- rare branches
def test_events_as_one_name_or_with_repeats_read_as_a_tuple() -> None:
    c = _cohort(
        {"patient_id": ["A"] * 3, "day": [0, 182, 365], "renal_crisis": ["no", "yes", "no"]}
    )
    expected = ssc.event_free_survival(c, events=("renal_crisis",))
    one = ssc.event_free_survival(c, events="renal_crisis")  # type: ignore[arg-type]
    twice = ssc.event_free_survival(c, events=("renal_crisis", "renal_crisis"))
    pd.testing.assert_frame_equal(one, expected)
    pd.testing.assert_frame_equal(twice, expected)


@pytest.mark.parametrize(
    ("events", "shown"),
    [((), r"\(\)"), ([], r"\[\]"), ({"renal_crisis"}, r"\{'renal_crisis'\}"), (5, "5")],
)
def test_events_must_be_a_non_empty_tuple(events: Any, shown: str) -> None:
    c = _cohort({"patient_id": ["A"], "day": [0], "renal_crisis": ["no"]})
    message = rf"^events = {shown} must be a non-empty tuple of event kinds from 'renal_crisis', "
    with pytest.raises(SchemaError, match=message):
        ssc.event_free_survival(c, events=events)
