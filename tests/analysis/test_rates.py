"""Responder rates along a schedule."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes._response import ResponderDefinition, response_codes
from sscoutcomes.analysis.change import change_from_baseline
from sscoutcomes.analysis.rates import RATE_COLUMNS, ResponderRates, responder_rates
from sscoutcomes.analysis.responders import RESPONDER_DEFINITIONS
from sscoutcomes.analysis.schedule import Schedule, Timepoint
from sscoutcomes.errors import OutOfRangeError, SchemaError

YEARS = Schedule.years(0, 1, 3)
MCID = RESPONDER_DEFINITIONS["mrss_improvement_5pt"]


def visits_of(rows: list[tuple[str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["patient_id", "day", "mrss"])


COHORT = visits_of(
    [
        ("a", 0, 20),
        ("a", 365, 12),  # -8: responder
        ("a", 1100, 16),  # -4: non-responder
        ("b", -20, 18),
        ("b", 380, 16),  # -2: non-responder
        ("c", 0, 25),
        ("c", 350, None),  # no value: not evaluable
        ("d", 0, 30),
        ("d", 360, 25),  # -5: responder (>= 5)
        ("d", 1090, 20),  # -10: responder
    ]
)


def test_counts_per_timepoint() -> None:
    rates = responder_rates(COHORT, MCID, YEARS)
    assert isinstance(rates, ResponderRates)
    assert list(rates.table.columns) == list(RATE_COLUMNS)
    assert rates.table.index.tolist() == ["1 year", "3 years"]
    year1, year3 = rates.table.loc["1 year"], rates.table.loc["3 years"]
    assert (year1.n_responder, year1.n_non_responder, year1.n_not_evaluable) == (2, 1, 1)
    assert (year1.n_evaluable, year1.n_patients) == (3, 4)
    assert year1.proportion == pytest.approx(2 / 3)
    assert (year3.n_responder, year3.n_non_responder, year3.n_not_evaluable) == (1, 1, 2)
    assert year3.proportion == 0.5
    per = rates.per_patient
    assert per["response"].tolist() == [
        "responder",
        "non-responder",
        "non-responder",
        "not evaluable",
        "not evaluable",
        "not evaluable",
        "responder",
        "responder",
    ]
    assert per.loc[0, "baseline_day_mrss"] == 0
    assert per.loc[2, "baseline_day_mrss"] == -20
    assert "ResponderRates('mrss_improvement_5pt')" in repr(rates)
    assert "<table" in rates._repr_html_()


def test_name_lookup_and_single_timepoint() -> None:
    by_name = responder_rates(COHORT, "mrss_improvement_5pt", YEARS, timepoint="3 years")
    assert by_name.table.index.tolist() == ["3 years"]
    by_object = responder_rates(COHORT, MCID, YEARS, timepoint=YEARS["3 years"])
    pd.testing.assert_frame_equal(by_name.table, by_object.table)
    with pytest.raises(SchemaError, match=r"unknown; built-in ones: .*mrss_improvement_5pt"):
        responder_rates(COHORT, "mrss_improvment_5pt", YEARS)
    with pytest.raises(SchemaError, match="is the baseline"):
        responder_rates(COHORT, MCID, YEARS, timepoint="baseline")
    with pytest.raises(SchemaError, match="not in the schedule"):
        responder_rates(COHORT, MCID, YEARS, timepoint="2 years")
    other = Timepoint(name="1 year", target_day=365, window_days=30)
    with pytest.raises(SchemaError, match="differs"):
        responder_rates(COHORT, MCID, YEARS, timepoint=other)
    with pytest.raises(SchemaError, match="ResponderDefinition or its name"):
        responder_rates(COHORT, 5, YEARS)  # type: ignore[arg-type]


def test_nobody_evaluable_gives_nan_proportion() -> None:
    rates = responder_rates(visits_of([("a", 0, 20)]), MCID, YEARS)
    assert rates.table["n_evaluable"].tolist() == [0, 0]
    assert rates.table["proportion"].isna().all()


@pytest.mark.parametrize(
    ("day", "evaluable"), [(304, True), (303, False), (426, True), (427, False)]
)
def test_default_schedule_is_the_published_follow_up_time(day: int, evaluable: bool) -> None:
    # EUSTAR progressive skin fibrosis: 12 +/- 2 months, here 365 +/- 61 days.
    rule = RESPONDER_DEFINITIONS["mrss_progression_eustar"]
    rates = responder_rates(visits_of([("a", 0, 10), ("a", day, 20)]), rule)
    assert rates.table.index.tolist() == ["day 365"]
    assert rates.table["n_evaluable"].iloc[0] == int(evaluable)
    assert rates.table["n_responder"].iloc[0] == int(evaluable)


def test_definition_without_follow_up_time_needs_a_schedule() -> None:
    with pytest.raises(SchemaError, match="pass a schedule"):
        responder_rates(COHORT, MCID)


def test_baseline_eligibility_is_not_evaluable() -> None:
    rule = RESPONDER_DEFINITIONS["mrss_progression_eustar"]
    visits = visits_of([("a", 0, 6), ("a", 365, 20), ("b", 0, 7), ("b", 365, 20)])
    per = responder_rates(visits, rule, YEARS, timepoint="1 year").per_patient
    assert per["response"].tolist() == ["not evaluable", "responder"]


def test_deaths_count_as_not_evaluable_with_status() -> None:
    patients = pd.DataFrame(
        {"patient_id": ["a", "b", "c", "d", "e"], "death_day": [None, None, 700, None, 100]}
    )
    rates = responder_rates(COHORT, MCID, YEARS, patients=patients)
    year3 = rates.table.loc["3 years"]
    assert (year3.n_patients, year3.n_evaluable, year3.n_not_evaluable) == (5, 2, 3)
    per = rates.per_patient.set_index(["patient_id", "timepoint"])
    assert per.loc[("c", "3 years"), "status"] == "died"
    assert per.loc[("e", "1 year"), "status"] == "died"
    assert per.loc[("e", "1 year"), "response"] == "not evaluable"


# ------------------------------------------------------------------ why not evaluable
def _reason(rates: ResponderRates, patient: str, timepoint: str) -> object:
    per = rates.per_patient.set_index(["patient_id", "timepoint"])
    return per.loc[(patient, timepoint), "reason"]


def test_reason_baseline_below_7_names_the_eligibility() -> None:
    rule = RESPONDER_DEFINITIONS["mrss_progression_eustar"]
    visits = visits_of([("a", 0, 6), ("a", 365, 20), ("b", 0, 7), ("b", 365, 20)])
    rates = responder_rates(visits, rule, YEARS, timepoint="1 year")
    assert _reason(rates, "a", "1 year") == "not eligible: baseline mrss >= 7"
    assert pd.isna(_reason(rates, "b", "1 year"))  # evaluable: no reason


def test_reason_a_zero_baseline_cannot_change_by_a_percentage() -> None:
    rule = RESPONDER_DEFINITIONS["mrss_improvement_25pct"]
    rates = responder_rates(visits_of([("a", 0, 0), ("a", 365, 0)]), rule, YEARS, "1 year")
    assert _reason(rates, "a", "1 year") == (
        "not eligible: baseline mrss above 0 (a percentage of 0 is undefined)"
    )


def test_reason_no_visit_in_the_window_and_no_baseline() -> None:
    visits = visits_of([("a", 0, 20), ("a", 600, 12), ("b", 200, 18), ("b", 365, 16)])
    rates = responder_rates(visits, MCID, YEARS, timepoint="1 year")
    assert _reason(rates, "a", "1 year") == "no mrss in the window"
    assert _reason(rates, "b", "1 year") == "no baseline mrss"


def test_reason_missing_haq_di_at_follow_up() -> None:
    visits = pd.DataFrame(
        {"patient_id": ["a", "a"], "day": [0, 365], "haq_di": [1.25, None], "mrss": [20, 15]}
    )
    rates = responder_rates(visits, "haq_di_improvement_0.14", YEARS, "1 year")
    assert _reason(rates, "a", "1 year") == "no haq_di in the window"


def test_reason_two_measures_names_each_missing_one() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "a"],
            "day": [0, 365],
            "fvc_pct_predicted": [None, 70.0],
            "dlco_pct_predicted": [60.0, None],
        }
    )
    rates = responder_rates(visits, "ppf_physiological_2022", YEARS, "1 year")
    assert _reason(rates, "a", "1 year") == (
        "no baseline fvc_pct_predicted; no dlco_pct_predicted in the window"
    )


def test_reason_died_lost_and_not_yet_due_come_from_the_follow_up_status() -> None:
    visits = visits_of([("a", 0, 20), ("b", 0, 20), ("c", 0, 20), ("d", 0, 20), ("d", 365, 10)])
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b", "c", "d"],
            "death_day": [100, None, None, None],
            "last_contact_day": [100, 150, None, None],
        }
    )
    sched = Schedule.years(0, 1)
    rates = responder_rates(visits, MCID, sched, patients=patients)
    assert _reason(rates, "a", "1 year") == "died before the window"
    assert _reason(rates, "b", "1 year") == "lost to follow-up before the window"
    assert _reason(rates, "c", "1 year") == "no mrss in the window"
    assert pd.isna(_reason(rates, "d", "1 year"))
    # a data cut-off before the window opens: not yet due, not lost
    from sscoutcomes import Cohort

    cohort = Cohort.from_frames(
        visits=visits_of([("a", 0, 20)]),
        patients=pd.DataFrame({"patient_id": ["a"], "index_date": ["2024-01-01"]}),
        mapping={"cutoff": "2024-06-30"},
    )
    rates = responder_rates(cohort, MCID, sched)
    assert _reason(rates, "a", "1 year") == "not yet due at the data cut-off"
    assert rates.reasons.to_dict("records") == [
        {"timepoint": "1 year", "reason": "not yet due at the data cut-off", "n": 1}
    ]


def test_reason_counts_add_up_to_the_not_evaluable() -> None:
    from sscoutcomes import load_demo

    demo = load_demo()
    for name in RESPONDER_DEFINITIONS:
        rates = responder_rates(demo, name, Schedule.years(0, 1, 3, 5))
        by_tp = rates.reasons.groupby("timepoint", observed=True)["n"].sum()
        expected = rates.table["n_not_evaluable"]
        assert by_tp.reindex(expected.index, fill_value=0).tolist() == expected.tolist(), name
        not_evaluable = rates.per_patient["response"] == "not evaluable"
        assert (rates.per_patient["reason"].notna() == not_evaluable).all(), name


def test_values_outside_the_definition_raise() -> None:
    with pytest.raises(OutOfRangeError, match=r"mrss = 60 is outside 0\.\.51"):
        responder_rates(visits_of([("a", 0, 20), ("a", 365, 60)]), MCID, YEARS)


def _both_drop(
    b: Mapping[str, npt.NDArray[np.float64]], f: Mapping[str, npt.NDArray[np.float64]]
) -> npt.NDArray[np.int8]:
    fvc = f["fvc_pct_predicted"] - b["fvc_pct_predicted"]
    dlco = f["dlco_pct_predicted"] - b["dlco_pct_predicted"]
    evaluable = ~np.isnan(fvc) & ~np.isnan(dlco)
    return response_codes((fvc <= -10) & (dlco <= -15), evaluable)


def _lung_decline() -> ResponderDefinition:
    """A rule on two measures: FVC down 10 and DLCO down 15 points."""
    return ResponderDefinition(
        name="test_lung_decline",
        measures=("fvc_pct_predicted", "dlco_pct_predicted"),
        reference="test rule",
        description="FVC -10 and DLCO -15 points",
        rule=_both_drop,
    )


def test_definition_on_two_measures_picks_each_measure_separately() -> None:
    rule = _lung_decline()
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "a", "a"],
            "day": [0, 360, 380],
            "fvc_pct_predicted": [80.0, 70.0, None],
            "dlco_pct_predicted": [60.0, None, 45.0],
        }
    )
    rates = responder_rates(visits, rule, YEARS, timepoint="1 year")
    row = rates.per_patient.iloc[0]
    assert (row.day_fvc_pct_predicted, row.day_dlco_pct_predicted) == (360, 380)
    assert row.response == "responder"


@st.composite
def visit_frames(draw: st.DrawFn) -> pd.DataFrame:
    rows: list[tuple[str, int, float | None]] = []
    for pid in draw(st.lists(st.sampled_from(["p1", "p2", "p3", "p4"]), min_size=1, unique=True)):
        days = draw(st.lists(st.integers(-150, 1300), min_size=1, max_size=8, unique=True))
        rows += [(pid, d, draw(st.none() | st.integers(0, 51))) for d in days]
    return visits_of(rows).astype({"mrss": float})


MRSS_RULES = sorted(n for n, d in RESPONDER_DEFINITIONS.items() if d.measures == ("mrss",))


@given(visit_frames(), st.sampled_from(MRSS_RULES))
def test_rates_agree_with_change_from_baseline(visits: pd.DataFrame, name: str) -> None:
    rule = RESPONDER_DEFINITIONS[name]
    original = visits.copy(deep=True)
    rates = responder_rates(visits, name, YEARS)
    pd.testing.assert_frame_equal(visits, original)
    change = change_from_baseline(visits, "mrss", YEARS)
    expected = rule.evaluate_many(change["baseline"], change["value"])
    assert rates.per_patient["response"].tolist() == list(expected)
    table = rates.table
    assert (table["n_evaluable"] + table["n_not_evaluable"] == table["n_patients"]).all()
    assert (table["n_responder"] + table["n_non_responder"] == table["n_evaluable"]).all()
    for tp, row in table.iterrows():
        if row.n_evaluable:
            assert row.proportion == pytest.approx(row.n_responder / row.n_evaluable)
        else:
            assert math.isnan(row.proportion)
        assert row.n_patients == visits["patient_id"].nunique(), tp


def test_a_definition_refuses_inputs_it_cannot_read() -> None:
    from sscoutcomes._response import Response

    rule = _lung_decline()
    with pytest.raises(
        SchemaError,
        match=r"^follow_up lacks 'dlco_pct_predicted'; this definition needs "
        r"'fvc_pct_predicted', 'dlco_pct_predicted'$",
    ):
        rule.codes({"fvc_pct_predicted": 80, "dlco_pct_predicted": 60}, {"fvc_pct_predicted": 70})
    with pytest.raises(
        SchemaError,
        match=r"^baseline must be a mapping with keys 'fvc_pct_predicted', "
        r"'dlco_pct_predicted' for a definition on several measures$",
    ):
        rule.codes(80, {"fvc_pct_predicted": 70, "dlco_pct_predicted": 45})
    one = RESPONDER_DEFINITIONS["mrss_improvement_5pt"]
    with pytest.raises(
        SchemaError,
        match=r"^evaluate\(\) takes one patient; got 2 values \(use codes\(\) or "
        r"evaluate_many\(\) for arrays\)$",
    ):
        one.evaluate([20, 20], [14, 18])
    assert one.evaluate(20, 14) is Response.RESPONDER
    with pytest.raises(SchemaError, match=r"^measures is empty: a definition reads at least one"):
        ResponderDefinition(
            name="empty", measures=(), reference="r", description="d", rule=_both_drop
        )
    assert Response.from_code(-1) is Response.NOT_EVALUABLE
    with pytest.raises(ValueError, match=r"^response code 2 is not one of 1, 0, -1$"):
        Response.from_code(2)


# ----------------------------------------------------------------------------- rare branches
def test_a_schedule_without_follow_up_raises() -> None:
    with pytest.raises(SchemaError, match=r"^the schedule has no follow-up timepoint$"):
        responder_rates(COHORT, MCID, Schedule.years(0))


def test_registry_repr_lists_every_definition() -> None:
    text = repr(RESPONDER_DEFINITIONS)
    assert text == f"RESPONDER_DEFINITIONS({', '.join(RESPONDER_DEFINITIONS)})"
    assert "mrss_improvement_5pt" in text
