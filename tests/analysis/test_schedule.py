"""Timepoints, schedules and the visit-selection rule."""

from __future__ import annotations

import math
import warnings
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes.analysis.schedule import (
    FOLLOW_UP_STATUSES,
    Schedule,
    Timepoint,
    timepoint_counts,
)
from sscoutcomes.errors import OutOfRangeError, SchemaError, SSCOutcomesWarning

YEARS = Schedule.years(0, 1, 3, 5, window_days=90)


def frame(rows: list[tuple[str, int, Any]], measure: str = "mrss") -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["patient_id", "day", measure])


def picked(sel: pd.DataFrame, patient: str, timepoint: str, measure: str = "mrss") -> Any:
    row = sel[(sel["patient_id"] == patient) & (sel["timepoint"] == timepoint)]
    assert len(row) == 1
    return row[measure].iloc[0], row[f"day_{measure}"].iloc[0]


# --------------------------------------------------------------------------------------
# Timepoint and Schedule construction
# --------------------------------------------------------------------------------------
def test_years_names_days_and_windows() -> None:
    assert YEARS.names == ("baseline", "1 year", "3 years", "5 years")
    assert [t.target_day for t in YEARS] == [0, 365, 1096, 1826]
    assert (YEARS["baseline"].first_day, YEARS["baseline"].last_day) == (-90, 0)
    assert (YEARS["1 year"].first_day, YEARS["1 year"].last_day) == (275, 455)
    assert YEARS.baseline is YEARS.timepoints[0]
    assert [t.name for t in YEARS.follow_up] == ["1 year", "3 years", "5 years"]
    assert len(YEARS) == 4


def test_months_names() -> None:
    s = Schedule.months(0, 1, 6, 12, 18, 24, window_days=14)
    assert s.names == ("baseline", "1 month", "6 months", "1 year", "18 months", "2 years")
    assert [t.target_day for t in s] == [0, 30, 183, 365, 548, 731]


def test_years_without_zero_has_no_baseline() -> None:
    s = Schedule.years(1, 2)
    assert s.baseline is None
    with pytest.raises(SchemaError, match="no baseline"):
        s.require_baseline()


def test_baseline_look_back_is_a_parameter() -> None:
    s = Schedule.years(0, 1, baseline_window_days=30)
    assert s["baseline"].first_day == -30


def test_asymmetric_window() -> None:
    tp = Timepoint(name="1 year", target_day=365, window_days=[30, 60])
    assert (tp.window_before, tp.window_after, tp.first_day, tp.last_day) == (30, 60, 335, 425)


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"window_days": -1}, OutOfRangeError, "window_days = -1 is outside 0..inf"),
        ({"window_days": 1.5}, OutOfRangeError, "window_days = 1.5 is not an integer"),
        ({"window_days": (10, -2)}, OutOfRangeError, "window_days after = -2"),
        ({"window_days": (1, 2, 3)}, OutOfRangeError, "before, after"),
        ({"target_day": 36.5}, OutOfRangeError, "target_day = 36.5 is not an integer"),
        ({"target_day": "365"}, OutOfRangeError, "target_day = '365' is not a number"),
        ({"name": ""}, SchemaError, "non-empty"),
    ],
)
def test_timepoint_validation(kwargs: dict[str, Any], error: type[Exception], text: str) -> None:
    args: dict[str, Any] = {"name": "1 year", "target_day": 365, "window_days": 90} | kwargs
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)")):
        Timepoint(**args)


def test_baseline_window_cannot_reach_past_day_0() -> None:
    with pytest.raises(OutOfRangeError, match=r"after = 5 is outside 0\.\.0"):
        Timepoint(name="baseline", target_day=0, window_days=(90, 5), is_baseline=True)


def test_schedule_validation() -> None:
    base = Timepoint(name="baseline", target_day=0, is_baseline=True)
    y1 = Timepoint(name="1 year", target_day=365)
    y3 = Timepoint(name="3 years", target_day=1096)
    with pytest.raises(SchemaError, match="unique"):
        Schedule(timepoints=[base, y1, Timepoint(name="1 year", target_day=730)])
    with pytest.raises(SchemaError, match="increasing order"):
        Schedule(timepoints=[base, y3, y1])
    with pytest.raises(SchemaError, match="first timepoint"):
        Schedule(timepoints=[y1, Timepoint(name="b", target_day=400, is_baseline=True)])
    with pytest.raises(SchemaError, match="at least one"):
        Schedule(timepoints=[])
    with pytest.raises(OutOfRangeError, match="schedule years = -1"):
        Schedule.years(0, -1)
    with pytest.raises(SchemaError, match="not in the schedule"):
        YEARS["2 years"]


def test_overlapping_windows_warn() -> None:
    with pytest.warns(SSCOutcomesWarning, match="overlap"):
        Schedule.months(0, 3, 6, window_days=90)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Schedule.months(0, 3, 6, window_days=30)


# --------------------------------------------------------------------------------------
# the rule at its edges
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "is_baseline"),
    [(-91, False), (-90, True), (-1, True), (0, True), (1, False)],
)
def test_baseline_window_edges(day: int, is_baseline: bool) -> None:
    sel = YEARS.select(frame([("a", day, 20)]), "mrss")
    value, used = picked(sel, "a", "baseline")
    if is_baseline:
        assert (value, used) == (20.0, day)
    else:
        assert math.isnan(value)
        assert math.isnan(used)


def test_baseline_is_last_on_or_before_day_0() -> None:
    visits = frame([("a", -80, 22), ("a", -5, 20), ("a", 0, None), ("a", 3, 19)])
    assert picked(YEARS.select(visits, "mrss"), "a", "baseline") == (20.0, -5)


@pytest.mark.parametrize(
    ("day", "inside"), [(274, False), (275, True), (365, True), (455, True), (456, False)]
)
def test_follow_up_window_edges(day: int, inside: bool) -> None:
    sel = YEARS.select(frame([("a", 0, 20), ("a", day, 15)]), "mrss")
    value, _ = picked(sel, "a", "1 year")
    assert (value == 15.0) if inside else math.isnan(value)


def test_closest_visit_wins_and_ties_go_to_the_earlier() -> None:
    visits = frame([("a", 300, 1), ("a", 350, 2), ("a", 380, 3), ("a", 450, 4)])
    assert picked(YEARS.select(visits, "mrss"), "a", "1 year") == (2.0, 350)
    visits = frame([("a", 300, 1), ("a", 364, 2), ("a", 366, 3)])
    assert picked(YEARS.select(visits, "mrss"), "a", "1 year") == (2.0, 364)
    visits = frame([("a", 300, 1), ("a", 370, 3)])
    assert picked(YEARS.select(visits, "mrss"), "a", "1 year") == (3.0, 370)


def test_rule_is_per_measure() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "a", "a"],
            "day": [360, 370, 400],
            "mrss": [None, 14.0, 12.0],
            "fvc_pct_predicted": [80.0, None, 78.0],
        }
    )
    sel = YEARS.select(visits, ["mrss", "fvc_pct_predicted"])
    assert picked(sel, "a", "1 year") == (14.0, 370)
    assert picked(sel, "a", "1 year", "fvc_pct_predicted") == (80.0, 360)


def test_one_visit_may_serve_two_overlapping_timepoints() -> None:
    with pytest.warns(SSCOutcomesWarning):
        s = Schedule.months(3, 6, window_days=90)
    sel = s.select(frame([("a", 140, 10)]), "mrss")
    assert sel["day_mrss"].tolist() == [140.0, 140.0]


def test_output_shape_types_and_order() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["b", "a", "a"],
            "day": [0, 370, -3],
            "mrss": [12, 15, 20],
            "hrct_pattern": ["uip", None, "nsip"],
            "raynauds": [True, False, True],
            "unrelated": ["x", "y", "z"],
        },
        index=["r1", "r2", "r3"],
    )
    sel = Schedule.years(0, 1).select(visits, ["mrss", "hrct_pattern", "raynauds"])
    assert list(sel.columns) == [
        "patient_id",
        "timepoint",
        "target_day",
        "mrss",
        "day_mrss",
        "hrct_pattern",
        "day_hrct_pattern",
        "raynauds",
        "day_raynauds",
    ]
    assert sel["patient_id"].tolist() == ["a", "a", "b", "b"]
    assert sel["timepoint"].cat.ordered
    assert sel["timepoint"].tolist() == ["baseline", "1 year"] * 2
    assert sel["target_day"].tolist() == [0, 365, 0, 365]
    assert sel["mrss"].tolist()[:3] == [20.0, 15.0, 12.0]
    assert sel["hrct_pattern"].tolist()[0] == "nsip"
    assert pd.isna(sel["hrct_pattern"].iloc[1])
    assert str(sel["raynauds"].dtype) == "boolean"
    assert sel["raynauds"].tolist()[:2] == [True, False]


def test_empty_visits_frame() -> None:
    empty = frame([]).astype({"day": "int64", "mrss": "float64"})
    sel = YEARS.select(empty, "mrss")
    assert len(sel) == 0
    patients = pd.DataFrame({"patient_id": ["a"]})
    sel = YEARS.select(empty, "mrss", patients=patients)
    assert len(sel) == 4
    assert sel["mrss"].isna().all()


# --------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------
def test_duplicate_visit_days_raise_with_every_case() -> None:
    visits = frame([("a", 0, 20), ("b", 5, 3), ("a", 0, 21), ("b", 5, 3), ("b", 6, 1)])
    with pytest.raises(SchemaError, match="repeats a visit day") as exc:
        YEARS.select(visits, "mrss")
    cases = exc.value.failure_cases
    assert cases is not None
    assert sorted(cases["row"].tolist()) == [0, 1, 2, 3]


@pytest.mark.parametrize(
    ("day", "error", "text"),
    [
        (1.5, OutOfRangeError, "day = 1.5 is not a whole number of days"),
        (None, SchemaError, "day = nan is missing"),
        ("soon", SchemaError, "day = 'soon' is not a number"),
    ],
)
def test_bad_days_raise(day: Any, error: type[Exception], text: str) -> None:
    visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, day], "mrss": [1, 2]})
    with pytest.raises(error, match=text):
        YEARS.select(visits, "mrss")


def test_missing_columns_and_ids_raise() -> None:
    visits = frame([("a", 0, 20)])
    with pytest.raises(SchemaError, match=r"lacks column.*'fvc_pct_predicted'"):
        YEARS.select(visits, ["mrss", "fvc_pct_predicted"])
    with pytest.raises(SchemaError, match=r"lacks column.*'day'"):
        YEARS.select(visits.drop(columns="day"), "mrss")
    with pytest.raises(SchemaError, match="patient_id = None is missing"):
        YEARS.select(frame([(None, 0, 20)]), "mrss")  # type: ignore[list-item]
    with pytest.raises(SchemaError, match="key column"):
        YEARS.select(visits, "day")
    with pytest.raises(SchemaError, match="repeated"):
        YEARS.select(visits, ["mrss", "mrss"])
    with pytest.raises(SchemaError, match="visits DataFrame"):
        YEARS.select([1, 2], "mrss")


# --------------------------------------------------------------------------------------
# deaths, loss to follow-up, cohorts
# --------------------------------------------------------------------------------------
def seeded_visits() -> pd.DataFrame:
    rows = []
    for pid, days in {
        "p1": [0, 365, 1096, 1826],
        "p2": [0, 360, 1100, 1830],
        "p3": [0, 370],
    }.items():
        rows += [(pid, d, 20 - i) for i, d in enumerate(days)]
    return frame(rows)


def test_deaths_reduce_n_and_are_reported() -> None:
    patients = pd.DataFrame({"patient_id": ["p1", "p2", "p3"], "death_day": [None, None, 800.0]})
    sel = YEARS.select(seeded_visits(), "mrss", patients=patients)
    counts = timepoint_counts(sel)
    assert counts["n"].tolist() == [3, 3, 2, 2]
    assert counts["n_died"].tolist() == [0, 0, 1, 1]
    assert counts["n_missing"].tolist() == [0, 0, 0, 0]
    assert counts["n_patients"].tolist() == [3, 3, 3, 3]
    p3 = sel[sel["patient_id"] == "p3"]
    assert p3["status"].tolist() == ["in follow-up", "in follow-up", "died", "died"]
    assert list(sel["status"].cat.categories) == list(FOLLOW_UP_STATUSES)


def test_lost_to_follow_up_and_patients_without_visits() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": ["p1", "p2", "p3", "p4"],
            "death_day": [None, None, None, None],
            "last_contact_day": [2000, 1830, 500, None],
        }
    )
    sel = YEARS.select(seeded_visits(), "mrss", patients=patients)
    counts = timepoint_counts(sel)
    assert counts["n"].tolist() == [3, 3, 2, 2]
    assert counts["n_lost"].tolist() == [0, 0, 1, 1]
    assert counts["n_missing"].tolist() == [1, 1, 1, 1]  # p4: never seen
    assert counts["n_patients"].tolist() == [4, 4, 4, 4]


def test_visits_after_death_or_last_contact_raise() -> None:
    patients = pd.DataFrame({"patient_id": ["p1", "p2", "p3"], "death_day": [1000, None, None]})
    with pytest.raises(SchemaError, match="after the patient's death_day"):
        YEARS.select(seeded_visits(), "mrss", patients=patients)
    patients = pd.DataFrame(
        {"patient_id": ["p1", "p2", "p3"], "last_contact_day": [2000, 2000, 300]}
    )
    with pytest.raises(SchemaError, match="after the patient's last_contact_day"):
        YEARS.select(seeded_visits(), "mrss", patients=patients)


def test_patients_frame_problems_raise() -> None:
    with pytest.raises(SchemaError, match="not in the patients frame"):
        YEARS.select(seeded_visits(), "mrss", patients=pd.DataFrame({"patient_id": ["p1"]}))
    dupes = pd.DataFrame({"patient_id": ["p1", "p2", "p3", "p3"]})
    with pytest.raises(SchemaError, match="more than once"):
        YEARS.select(seeded_visits(), "mrss", patients=dupes)
    text = pd.DataFrame({"patient_id": ["p1", "p2", "p3"], "death_day": ["x", None, None]})
    with pytest.raises(SchemaError, match="death_day = 'x' is not a number"):
        YEARS.select(seeded_visits(), "mrss", patients=text)


def test_cohort_like_object_is_accepted() -> None:
    patients = pd.DataFrame({"patient_id": ["p1", "p2", "p3"], "death_day": [None, None, 800]})
    cohort = SimpleNamespace(visits=seeded_visits(), patients_frame=patients)
    from_cohort = YEARS.select(cohort, "mrss")
    explicit = YEARS.select(seeded_visits(), "mrss", patients=patients)
    pd.testing.assert_frame_equal(from_cohort, explicit)
    without = YEARS.select(SimpleNamespace(visits=seeded_visits()), "mrss")
    assert "status" not in without.columns


def test_timepoint_counts_needs_a_selection() -> None:
    with pytest.raises(SchemaError, match=r"Schedule\.select"):
        timepoint_counts(seeded_visits())


# --------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------
#: Days anywhere, or near a target (ties, window edges) where the rule is decided.
near_target = st.builds(
    int.__add__,
    st.sampled_from([t.target_day for t in YEARS]),
    st.integers(-3, 3) | st.sampled_from([-91, -90, -89, 89, 90, 91]) | st.integers(-95, 95),
)
visit_days = st.integers(-200, 2000) | near_target


@st.composite
def visit_frames(draw: st.DrawFn) -> pd.DataFrame:
    """Visits of 1-4 patients on unique days (-200..2000), values sometimes missing."""
    rows = []
    for pid in draw(st.lists(st.sampled_from(["p1", "p2", "p3", "p4"]), min_size=1, unique=True)):
        days = draw(st.lists(visit_days, min_size=1, max_size=12, unique=True))
        for d in days:
            rows.append((pid, d, draw(st.none() | st.integers(0, 51))))
    visits = frame(rows).astype({"mrss": "float64"})
    order = draw(st.permutations(range(len(visits))))
    return visits.iloc[list(order)].reset_index(drop=True)


def reference_pick(visits: pd.DataFrame, pid: str, tp: Timepoint) -> float:
    """Brute force over one patient's visits: the day the rule must use (NaN if none)."""
    mine = visits[(visits["patient_id"] == pid) & visits["mrss"].notna()]
    days = [int(d) for d in mine["day"] if tp.first_day <= d <= tp.last_day]
    if not days:
        return math.nan
    if tp.is_baseline:
        return float(max(d for d in days if d <= tp.target_day))
    return float(min(days, key=lambda d: (abs(d - tp.target_day), d)))


@given(visit_frames())
def test_chosen_visit_is_inside_window_and_closest(visits: pd.DataFrame) -> None:
    original = visits.copy(deep=True)
    sel = YEARS.select(visits, "mrss")
    pd.testing.assert_frame_equal(visits, original)  # never mutated
    assert len(sel) == visits["patient_id"].nunique() * len(YEARS)
    for row in sel.itertuples(index=False):
        tp = YEARS[row.timepoint]
        expected = reference_pick(visits, row.patient_id, tp)
        if math.isnan(expected):
            assert math.isnan(row.day_mrss)
            assert math.isnan(row.mrss)
            continue
        assert row.day_mrss == expected
        assert tp.first_day <= row.day_mrss <= tp.last_day
        source = visits[(visits["patient_id"] == row.patient_id) & (visits["day"] == expected)]
        assert row.mrss == source["mrss"].iloc[0]


@given(
    st.sampled_from(YEARS.follow_up),
    st.integers(1, 90),
    st.lists(st.integers(-200, 200), max_size=6),
    st.booleans(),
)
def test_ties_go_to_the_earlier_visit(
    tp: Timepoint, offset: int, others: list[int], later_first: bool
) -> None:
    farther = {tp.target_day + x for x in others if abs(x) > offset}
    pair = [tp.target_day + offset, tp.target_day - offset]
    days = (pair if later_first else pair[::-1]) + sorted(farther - set(pair))
    visits = frame([("a", d, i) for i, d in enumerate(days)])
    assert picked(YEARS.select(visits, "mrss"), "a", tp.name)[1] == tp.target_day - offset


@given(visit_frames(), st.randoms(use_true_random=False))
def test_invariant_to_row_order_and_index(visits: pd.DataFrame, rnd: Any) -> None:
    patients = pd.DataFrame(
        {"patient_id": ["p1", "p2", "p3", "p4", "p5"], "death_day": [None, 3000, None, 2500, 10]}
    )
    a = YEARS.select(visits, "mrss", patients=patients)
    order = list(range(len(visits)))
    rnd.shuffle(order)
    shuffled = visits.iloc[order]
    shuffled.index = [f"row{i}" for i in rnd.sample(range(10_000), len(order))]
    b = YEARS.select(shuffled, "mrss", patients=patients.iloc[::-1])
    pd.testing.assert_frame_equal(a, b)


def same_day(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_vectorized_on_a_large_frame() -> None:
    rng = np.random.default_rng(1)
    n_patients, per = 20_000, 10
    visits = pd.DataFrame(
        {
            "patient_id": np.repeat([f"p{i:05d}" for i in range(n_patients)], per),
            "day": rng.integers(-200, 2000, size=n_patients * per),
            "mrss": np.where(rng.random(n_patients * per) < 0.2, np.nan, 10.0),
        }
    ).drop_duplicates(["patient_id", "day"])
    sel = YEARS.select(visits, "mrss")
    assert len(sel) == n_patients * 4
    for row in sel.iloc[::997].itertuples(index=False):
        expected = reference_pick(visits, row.patient_id, YEARS[row.timepoint])
        assert same_day(expected, row.day_mrss)


# ------------------------------------------------------------------ one baseline rule
@given(
    days=st.lists(st.integers(-200, 60), min_size=1, max_size=8, unique=True),
    values=st.lists(st.one_of(st.none(), st.integers(0, 51)), min_size=8, max_size=8),
    window=st.integers(0, 150),
)
def test_patient_baseline_and_schedule_pick_the_same_visit(
    days: list[int], values: list[int | None], window: int
) -> None:
    from sscoutcomes import Patient, Schedule, SkinScore, Visit

    visits = [
        Visit(day=d, skin=None if v is None else SkinScore.from_total(v))
        for d, v in zip(days, values, strict=False)
    ]
    patient = Patient(id="p", visits=visits)
    frame = pd.DataFrame(
        {
            "patient_id": ["p"] * len(days),
            "day": days,
            "mrss": [values[i] for i in range(len(days))],
        }
    )
    schedule = Schedule.years(0, 1, baseline_window_days=window)
    chosen = schedule.select(frame, "mrss")
    from_schedule = chosen.loc[chosen["timepoint"] == "baseline", "mrss"].iloc[0]
    from_patient = patient.baseline("mrss", window_days=window)
    if from_patient is None:
        assert pd.isna(from_schedule)
    else:
        assert from_schedule == from_patient


# ------------------------------------------------------------------ data cut-off
def test_patients_not_yet_due_at_the_cutoff_are_not_lost_to_follow_up() -> None:
    from sscoutcomes import Cohort, Schedule, timepoint_counts

    visits = pd.DataFrame({"patient_id": ["a", "a", "b"], "day": [0, 365, 0], "mrss": [20, 15, 18]})
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b"],
            "index_date": ["2020-01-01", "2024-01-01"],
            "last_contact_day": [400, 150],
        }
    )
    cohort = Cohort.from_frames(visits=visits, patients=patients, mapping={"cutoff": "2024-06-30"})
    schedule = Schedule.years(0, 1)
    sel = schedule.select(cohort, "mrss")
    status = sel.set_index(["patient_id", "timepoint"])["status"]
    # b's 1-year window opens on day 275, after the cut-off (day 181 for b): not yet due
    assert status[("b", "1 year")] == "not yet due"
    assert status[("a", "1 year")] == "in follow-up"
    counts = timepoint_counts(sel).set_index("timepoint")
    assert counts.loc["1 year", "n_not_yet_due"] == 1
    assert counts.loc["1 year", "n_lost"] == 0
    # without a cut-off the same patient is lost to follow-up
    plain = schedule.select(visits, "mrss", patients=cohort.patients_frame)
    assert plain.set_index(["patient_id", "timepoint"])["status"][("b", "1 year")] == (
        "lost to follow-up"
    )
    # a cut-off given to select wins over the cohort's
    later = schedule.select(cohort, "mrss", cutoff="2026-01-01")
    assert later.set_index(["patient_id", "timepoint"])["status"][("b", "1 year")] == (
        "lost to follow-up"
    )


# --------------------------------------------------------------------------------------
# rare input errors
# --------------------------------------------------------------------------------------
def test_schedule_entries_must_be_timepoints() -> None:
    with pytest.raises(SchemaError, match=r"^schedule entry 'baseline' is not a Timepoint$"):
        Schedule(timepoints=[YEARS["1 year"], "baseline"])  # type: ignore[list-item]


@pytest.mark.parametrize("maker", [Schedule.years, Schedule.months])
def test_infinite_offsets_raise(maker: Any) -> None:
    unit = maker.__name__
    with pytest.raises(OutOfRangeError, match=rf"^schedule {unit} = inf is not a finite number$"):
        maker(0, math.inf)


def test_select_rejects_bad_patients_measures_ids_and_cutoffs() -> None:
    visits = frame([("a", 0, 10.0), ("b", 0, 12.0)])
    with pytest.raises(SchemaError, match=r"^patients must be a DataFrame; got list$"):
        YEARS.select(visits, "mrss", patients=["a", "b"])  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match=r"^give at least one measure column$"):
        YEARS.select(visits, [])
    with pytest.raises(SchemaError, match=r"^measure 1 is not a column name$"):
        YEARS.select(visits, ["mrss", 1])  # type: ignore[list-item]
    with pytest.raises(SchemaError, match=r"^the patients frame lacks the 'patient_id' column$"):
        YEARS.select(visits, "mrss", patients=pd.DataFrame({"id": ["a", "b"]}))
    mixed = frame([(1, 0, 10.0), (pd.Timestamp("2020-01-01"), 0, 12.0)])  # no order
    with pytest.raises(
        SchemaError, match=r"^patient_id values cannot be ordered \(mixed types\?\)"
    ):
        YEARS.select(mixed, "mrss")
    with pytest.raises(
        SchemaError, match=r"^cutoff = 'soon' is not a date \(give e\.g\. '2024-06-30'\)$"
    ):
        YEARS.select(visits, "mrss", cutoff="soon")
    with pytest.raises(SchemaError, match=r"^a data cut-off needs each patient's index_date"):
        YEARS.select(visits, "mrss", cutoff="2024-06-30")
    no_index = pd.DataFrame({"patient_id": ["a", "b"]})
    with pytest.raises(SchemaError, match=r"^a data cut-off needs each patient's index_date"):
        YEARS.select(visits, "mrss", patients=no_index, cutoff="2024-06-30")
