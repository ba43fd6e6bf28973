"""Change from baseline along a schedule."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes.analysis.change import absolute_change, change_from_baseline, percent_change
from sscoutcomes.analysis.schedule import Schedule
from sscoutcomes.errors import SchemaError

YEARS = Schedule.years(0, 1, 3, 5, window_days=90)
values = st.none() | st.integers(0, 51)


def test_kernels_are_still_exported() -> None:
    assert absolute_change(18, 13) == -5.0
    assert percent_change(20, 15) == -25.0


def test_two_candidate_baselines_use_the_last_on_or_before_day_0() -> None:
    visits = pd.DataFrame(
        {"patient_id": ["a"] * 4, "day": [-60, -5, 2, 365], "mrss": [22, 20, 30, 14]}
    )
    out = change_from_baseline(visits, "mrss", Schedule.years(0, 1))
    row = out.iloc[0]
    assert (row.baseline_day, row.baseline, row.day, row.value) == (-5, 20, 365, 14)
    assert (row.change, row.percent_change) == (-6.0, -30.0)


def test_percent_change_is_nan_at_zero_baseline() -> None:
    visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365], "mrss": [0, 4]})
    row = change_from_baseline(visits, "mrss", Schedule.years(0, 1)).iloc[0]
    assert row.change == 4.0
    assert math.isnan(row.percent_change)


def test_tidy_layout_for_several_measures() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["b", "b", "a", "a", "a"],
            "day": [0, 1100, 0, 370, 400],
            "mrss": [10, 8, 20, None, 15],
            "fvc_pct_predicted": [70, 75, 80, 78, None],
            "note": ["x", "y", "z", "w", "v"],
        }
    )
    out = change_from_baseline(visits, ["mrss", "fvc_pct_predicted"], Schedule.years(0, 1, 3))
    assert list(out.columns) == [
        "patient_id",
        "timepoint",
        "measure",
        "baseline_day",
        "baseline",
        "day",
        "value",
        "change",
        "percent_change",
    ]
    assert out["patient_id"].tolist() == ["a"] * 4 + ["b"] * 4
    assert out["timepoint"].tolist() == ["1 year", "1 year", "3 years", "3 years"] * 2
    assert out["measure"].tolist() == ["mrss", "fvc_pct_predicted"] * 4
    a_year = out.iloc[:2]
    assert a_year["day"].tolist() == [400.0, 370.0]  # per measure
    assert a_year["change"].tolist() == [-5.0, -2.0]
    b_3y = out.iloc[6:]
    assert b_3y["change"].tolist() == [-2.0, 5.0]
    assert out.iloc[4:6]["value"].isna().all()  # a at 3 years: no visit


def test_bad_input_raises() -> None:
    dup = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 0], "mrss": [20, 21]})
    with pytest.raises(SchemaError, match="repeats a visit day"):
        change_from_baseline(dup, "mrss", YEARS)
    text = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365], "mrss": [20, "high"]})
    with pytest.raises(SchemaError, match="mrss = 'high' is not a number"):
        change_from_baseline(text, "mrss", YEARS)
    ok = pd.DataFrame({"patient_id": ["a"], "day": [0], "mrss": [20]})
    with pytest.raises(SchemaError, match="no baseline"):
        change_from_baseline(ok, "mrss", Schedule.years(1, 3))


def test_deaths_leave_change_missing_with_status() -> None:
    visits = pd.DataFrame(
        {"patient_id": ["a", "a", "b", "b"], "day": [0, 365, 0, 370], "mrss": [20, 15, 18, 10]}
    )
    patients = pd.DataFrame({"patient_id": ["a", "b"], "death_day": [None, 600]})
    out = change_from_baseline(visits, "mrss", YEARS, patients=patients)
    b = out[out["patient_id"] == "b"]
    assert b["status"].tolist() == ["in follow-up", "died", "died"]
    assert b["change"].notna().tolist() == [True, False, False]


# --------------------------------------------------------------------------------------
# worked example: a small cohort of the seed study's shape (Alip 2024, doi:
# 10.1007/s10067-024-06865-z: mRSS mean (SD, n) at baseline, 1, 3 and 5 years, n falling
# after deaths). Five hand-made patients; one dies at day 700, before the 3-year window.
# --------------------------------------------------------------------------------------
SEED_LIKE = pd.DataFrame(
    [
        # patient, day, mRSS
        ("s1", -14, 20), ("s1", 180, 17), ("s1", 372, 14), ("s1", 1090, 13), ("s1", 1830, 12),
        ("s2", -30, 19), ("s2", -2, 18), ("s2", 350, 15), ("s2", 1120, 14), ("s2", 1800, 13),
        ("s3", 0, 25), ("s3", 365, 20), ("s3", 690, 22),
        ("s4", -7, 14), ("s4", 400, 10), ("s4", 1096, 9), ("s4", 1900, 8),
        ("s5", -1, 16), ("s5", 330, 11), ("s5", 1050, 12), ("s5", 1750, 11),
    ],
    columns=["patient_id", "day", "mrss"],
)  # fmt: skip
SEED_PATIENTS = pd.DataFrame(
    {"patient_id": ["s1", "s2", "s3", "s4", "s5"], "death_day": [None, None, 700, None, None]}
)


def test_worked_example_means_by_timepoint() -> None:
    sel = YEARS.select(SEED_LIKE, "mrss", patients=SEED_PATIENTS)
    table = sel.groupby("timepoint", observed=False)["mrss"].agg(["mean", "std", "count"])
    # baseline 20, 18, 25, 14, 16 -> mean 93/5 = 18.6; squared deviations sum 71.2 -> SD
    # sqrt(71.2/4); 1 year 14, 15, 20, 10, 11 -> 14.0; 3 years (s3 died) 13, 14, 9, 12 ->
    # 12.0; 5 years 12, 13, 8, 11 -> 11.0.
    assert table["count"].tolist() == [5, 5, 4, 4]
    assert table["mean"].tolist() == pytest.approx([18.6, 14.0, 12.0, 11.0])
    assert table["std"].iloc[0] == pytest.approx(math.sqrt(71.2 / 4))
    # 1 year: deviations 0, 1, 6, -4, -3 -> 62 / 4
    assert table["std"].iloc[1] == pytest.approx(math.sqrt(62 / 4))

    change = change_from_baseline(SEED_LIKE, "mrss", YEARS, patients=SEED_PATIENTS)
    year1 = change[change["timepoint"] == "1 year"]
    # changes -6, -3, -5, -4, -5 -> mean -4.6
    assert year1["change"].tolist() == [-6.0, -3.0, -5.0, -4.0, -5.0]
    assert year1["change"].mean() == pytest.approx(-4.6)
    assert change.groupby("timepoint", observed=False)["change"].count().tolist() == [5, 4, 4]


# --------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------
@st.composite
def visit_frames(draw: st.DrawFn) -> pd.DataFrame:
    rows = []
    for pid in draw(st.lists(st.sampled_from(["p1", "p2", "p3"]), min_size=1, unique=True)):
        days = draw(st.lists(st.integers(-150, 2000), min_size=1, max_size=10, unique=True))
        rows += [(pid, d, draw(values)) for d in days]
    visits = pd.DataFrame(rows, columns=["patient_id", "day", "mrss"]).astype({"mrss": float})
    order = draw(st.permutations(range(len(visits))))
    return visits.iloc[list(order)]


@given(visit_frames())
def test_change_is_follow_up_minus_baseline(visits: pd.DataFrame) -> None:
    original = visits.copy(deep=True)
    out = change_from_baseline(visits, "mrss", YEARS)
    pd.testing.assert_frame_equal(visits, original)
    np.testing.assert_array_equal(out["change"], out["value"] - out["baseline"])
    both = out["baseline"].notna() & out["value"].notna()
    assert (out["change"].notna() == both).all()
    nonzero = both & (out["baseline"] != 0)
    np.testing.assert_allclose(
        out.loc[nonzero, "percent_change"],
        100 * out.loc[nonzero, "change"] / out.loc[nonzero, "baseline"],
    )
    assert out.loc[~nonzero, "percent_change"].isna().all()
    # the baseline and values are the selection's
    sel = YEARS.select(visits, "mrss")
    base = sel[sel["timepoint"] == "baseline"].set_index("patient_id")["mrss"]
    np.testing.assert_array_equal(out["baseline"], base.loc[out["patient_id"]].to_numpy())


@given(visit_frames(), st.randoms(use_true_random=False))
def test_invariant_to_row_order(visits: pd.DataFrame, rnd: Any) -> None:
    a = change_from_baseline(visits, "mrss", YEARS)
    order = list(range(len(visits)))
    rnd.shuffle(order)
    b = change_from_baseline(visits.iloc[order].reset_index(drop=True), "mrss", YEARS)
    pd.testing.assert_frame_equal(a, b)


@given(visit_frames())
def test_sorted_grouped_and_shuffled_inputs_agree(visits: pd.DataFrame) -> None:
    """Sorted visits take the neighbour-comparison path for patient ids; ids grouped out of
    order and shuffled rows take factorization: all give the same result."""
    shuffled = change_from_baseline(visits, "mrss", YEARS)
    ordered = visits.sort_values(["patient_id", "day"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(change_from_baseline(ordered, "mrss", YEARS), shuffled)
    backwards = visits.sort_values(["patient_id", "day"], ascending=[False, True])
    pd.testing.assert_frame_equal(change_from_baseline(backwards, "mrss", YEARS), shuffled)
    assert shuffled["measure"].cat.categories.tolist() == ["mrss"]


def test_sorted_visits_with_patients_frame_adding_a_patient() -> None:
    visits = pd.DataFrame(
        {"patient_id": ["a", "a", "c", "c"], "day": [0, 365, 0, 360], "mrss": [20, 15, 10, 12]}
    )
    patients = pd.DataFrame(
        {"patient_id": ["c", "b", "a"], "death_day": [None, 100, None], "last_contact_day": None}
    )
    out = change_from_baseline(visits, "mrss", Schedule.years(0, 1), patients=patients)
    assert out["patient_id"].tolist() == ["a", "b", "c"]
    assert out["change"].tolist()[0::2] == [-5.0, 2.0]
    assert math.isnan(out["change"].iloc[1])
    assert out["status"].tolist() == ["in follow-up", "died", "in follow-up"]
    same_patients = patients[patients["patient_id"] != "b"]
    out2 = change_from_baseline(visits, "mrss", Schedule.years(0, 1), patients=same_patients)
    assert out2["change"].tolist() == [-5.0, 2.0]


@given(st.integers(0, 51), st.integers(0, 51), st.integers(275, 455))
def test_change_is_antisymmetric(x: int, y: int, day: int) -> None:
    forward = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, day], "mrss": [x, y]})
    backward = forward.assign(mrss=[y, x])
    one = change_from_baseline(forward, "mrss", YEARS).iloc[0]
    two = change_from_baseline(backward, "mrss", YEARS).iloc[0]
    assert one.change == -two.change == y - x


def test_hrct_and_pah_change_over_a_visits_frame() -> None:
    from sscoutcomes import Schedule, hrct_change_from_baseline, pah_change_from_baseline

    v = pd.DataFrame(
        {
            "patient_id": ["a", "a", "b", "b", "c", "c"],
            "day": [0, 365, 0, 370, -5, 360],
            "hrct_extent_pct": [20, 30, 15, 15, 25, None],
            "hrct_comparison": [None, None, None, "improved", None, None],
            "tr_velocity_m_s": [3.4, 2.9, 2.5, 2.5, 3.0, 3.5],
            "rap_mmhg": [8, 8, 3, 3, 8, 8],
        }
    )
    before = v.copy()
    hrct = hrct_change_from_baseline(v, Schedule.years(0, 1))
    pd.testing.assert_frame_equal(v, before)
    assert hrct["change"].tolist()[:2] == ["worsened", "improved"]  # extent; reader wins
    assert pd.isna(hrct["change"].iloc[2])  # no follow-up extent: not evaluable
    assert hrct["source"].tolist() == ["hrct_extent_pct", "reader", "not evaluable"]
    pah = pah_change_from_baseline(v, Schedule.years(0, 1))
    # sPAP 4 v^2 + RAP: a 54.24 -> 41.64 (improved), b 28 -> 28 (stable), c 44 -> 57 (worse)
    assert pah["change"].tolist() == ["improved", "stable", "worsened"]


def test_a_score_the_frame_lacks_is_computed_from_its_items() -> None:
    import sscoutcomes as ssc

    cohort = ssc.load_demo()
    schedule = ssc.Schedule.years(0, 1, 3)
    scored = ssc.score_visits(cohort.visits)
    from_items = ssc.change_from_baseline(cohort, ["mrss", "haq_di"], schedule)
    from_scores = ssc.change_from_baseline(
        scored, ["mrss", "haq_di"], schedule, patients=cohort.patients_frame
    )
    pd.testing.assert_frame_equal(from_items, from_scores)
    rates = ssc.responder_rates(cohort.visits, "mrss_progression_eustar", schedule)
    assert rates.table["n_evaluable"].sum() > 0


# ----------------------------------------------------------------------------- rare branches
def test_pah_change_from_the_readers_comparison_alone() -> None:
    from sscoutcomes.analysis.change import pah_change_from_baseline

    visits = pd.DataFrame(
        {
            "patient_id": ["a", "a", "b", "b"],
            "day": [0, 365, 0, 365],
            "pah_comparison": [None, "worsened", None, None],
        }
    )
    out = pah_change_from_baseline(visits, Schedule.years(0, 1))
    assert out["change"].iloc[0] == "worsened"
    assert out["source"].iloc[0] == "reader"
    assert pd.isna(out["change"].iloc[1])  # nothing recorded: missing, never "stable"
    assert out["source"].iloc[1] == "not evaluable"
    with pytest.raises(
        SchemaError,
        match=r"^the visits frame has neither 'pah_comparison' nor 'spap_mmhg': nothing to compare",
    ):
        pah_change_from_baseline(visits[["patient_id", "day"]], Schedule.years(0, 1))
