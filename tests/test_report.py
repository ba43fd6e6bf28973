"""The follow-up report equals what the lower-level functions give."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sscoutcomes as ssc
from sscoutcomes.report import REPORT_COLUMNS, FollowUpReport


@pytest.fixture(scope="module")
def demo() -> ssc.Cohort:
    return ssc.load_demo()


@pytest.fixture(scope="module")
def report(demo: ssc.Cohort) -> FollowUpReport:
    return FollowUpReport(demo, ssc.Schedule.years(0, 1, 3, 5))


def test_frame_shape(report: FollowUpReport) -> None:
    table = report.to_frame()
    assert list(table.columns) == list(REPORT_COLUMNS)
    assert {"survival", "mrss", "hrct", "pah", "haq", "vascular", "responders"} <= set(
        table["section"]
    )


def test_mrss_rows_equal_select_and_summarize(demo: ssc.Cohort, report: FollowUpReport) -> None:
    visits = demo.visits.assign(mrss=ssc.score_mrss(demo.visits)["mrss"])
    schedule = ssc.Schedule.years(0, 1, 3, 5)
    sel = schedule.select(visits, "mrss", patients=demo.patients_frame)
    table = report.to_frame()
    for name in schedule.names:
        values = sel.loc[sel["timepoint"] == name, "mrss"].dropna()
        row = table[
            (table["section"] == "mrss")
            & (table["outcome"] == "mRSS")
            & (table["timepoint"] == name)
        ].iloc[0]
        assert row["n"] == len(values)
        assert row["value"] == pytest.approx(values.mean())
        assert row["text"] == f"{values.mean():.2f} ({values.std(ddof=1):.2f}, {len(values)})"


def test_survival_rows_equal_kaplan_meier(demo: ssc.Cohort, report: FollowUpReport) -> None:
    p = demo.patients_frame
    death = pd.to_numeric(p["death_day"]).to_numpy(dtype=float)
    last = pd.to_numeric(p["last_contact_day"]).to_numpy(dtype=float)
    event = ~np.isnan(death)
    km = ssc.kaplan_meier(np.where(event, death, last), event)
    table = report.to_frame()
    surv = table[table["section"] == "survival"]
    assert len(surv) == 3
    for row in surv.itertuples(index=False):
        expected = float(km.survival_at([row.day])["survival"].iloc[0])
        assert row.value == pytest.approx(expected)
        assert 0 <= row.lower <= row.value <= row.upper <= 1


def test_category_rows_add_up(report: FollowUpReport) -> None:
    table = report.to_frame()
    for section, label in (("hrct", "HRCT"), ("pah", "PAH")):
        block = table[table["section"] == section]
        for tp, rows in block.groupby("timepoint", sort=False):
            parts = rows[
                rows["outcome"].isin([f"{label} {c}" for c in ("improved", "stable", "worsened")])
            ]
            assert parts["value"].sum() == pytest.approx(1.0) or parts["n"].iloc[0] == 0, tp


def test_outputs(report: FollowUpReport) -> None:
    md = report.to_markdown()
    assert md.startswith("# Follow-up report")
    html = report.to_html(figures=False)
    assert html.startswith("<!DOCTYPE html>")
    assert "<table>" in html
    text = report.to_text()
    assert "Overall survival" in text
    assert "mRSS" in text
    assert "FollowUpReport(41 patients" in repr(report)


def test_html_embeds_figures(report: FollowUpReport) -> None:
    pytest.importorskip("matplotlib")
    html = report.to_html(figures=True)
    assert html.count("data:image/png;base64,") == 4  # KM, mRSS, HRCT, PAH


def test_input_not_mutated(demo: ssc.Cohort) -> None:
    before_v, before_p = demo.visits, demo.patients_frame
    FollowUpReport(demo, ssc.Schedule.years(0, 1))
    pd.testing.assert_frame_equal(demo.visits, before_v)
    pd.testing.assert_frame_equal(demo.patients_frame, before_p)


def test_bad_inputs() -> None:
    with pytest.raises(ssc.SchemaError, match="Cohort"):
        FollowUpReport(object(), ssc.Schedule.years(0, 1))


def test_numbers_formatted_like_the_paper(report: FollowUpReport) -> None:
    table = report.to_frame()
    mrss = table[(table["section"] == "mrss") & (table["outcome"] == "mRSS")]
    for text in mrss["text"]:
        mean = text.split(" (")[0]
        assert len(mean.split(".")[1]) == 2
    assert not any(isinstance(v, float) and math.isinf(v) for v in table["value"])


def test_hrct_from_extent_when_no_reader_comparison(demo: ssc.Cohort) -> None:
    visits = demo.visits.drop(columns=["hrct_comparison"])
    cohort = ssc.Cohort.from_frames(patients=demo.patients_frame, visits=visits)
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1, 3, 5)).to_frame()
    block = table[(table["section"] == "hrct") & (table["timepoint"] == "5 years")]
    assert not block.empty
    # the categories come from the extents: recompute them with the public kernel
    sel = ssc.Schedule.years(0, 1, 3, 5).select(
        visits[
            visits["patient_id"].isin(
                demo.patients_frame.loc[
                    demo.patients_frame["ild"].fillna(False).astype(bool), "patient_id"
                ]
            )
        ],
        "hrct_extent_pct",
        patients=demo.patients_frame,
    )
    base = sel[sel["timepoint"] == "baseline"].set_index("patient_id")["hrct_extent_pct"]
    at = sel[sel["timepoint"] == "5 years"].set_index("patient_id")["hrct_extent_pct"]
    expected = ssc.hrct_change(None, base.reindex(at.index).to_numpy(), at.to_numpy())
    n = int(pd.Series(expected).notna().sum())
    assert int(block["n"].iloc[0]) == n


def test_survival_from_onset_counts_from_the_onset_date() -> None:
    visits = pd.DataFrame({"patient_id": ["a", "b", "c"], "day": [0, 0, 0], "mrss": [20, 18, 25]})
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b", "c"],
            "index_date": ["2020-01-01"] * 3,
            "onset_date": ["2019-01-01", "2017-01-01", "2019-06-01"],
            "death_day": [None, 200, None],
            "last_contact_day": [800, 200, 800],
        }
    )
    schedule = ssc.Schedule.years(0, 1, 3)
    index = ssc.FollowUpReport(ssc.Cohort.from_frames(visits=visits, patients=patients), schedule)
    onset = ssc.FollowUpReport(
        ssc.Cohort.from_frames(visits=visits, patients=patients, mapping={"origin": "onset"}),
        schedule,
    )
    at_index = index.to_frame().query("section == 'survival'")
    at_onset = onset.to_frame().query("section == 'survival'")
    assert set(at_index["outcome"]) == {"overall survival"}
    assert set(at_onset["outcome"]) == {"overall survival from onset"}
    # b died 200 days after the index date, 3 years + 200 days after onset: from onset
    # all three are alive at 1 year, from the index date b is not
    one_year = {"index": at_index, "onset": at_onset}
    assert one_year["index"].query("timepoint == '1 year'")["value"].iloc[0] < 1.0
    assert one_year["onset"].query("timepoint == '1 year'")["value"].iloc[0] == 1.0
    with pytest.raises(ssc.SchemaError, match="not one of index, diagnosis, onset"):
        ssc.Cohort.from_frames(visits=visits, patients=patients, mapping={"origin": "birth"})


def test_a_baseline_only_schedule_is_a_clear_error_not_a_traceback() -> None:
    cohort = ssc.load_demo()
    with pytest.raises(ssc.SchemaError, match="only a baseline"):
        ssc.FollowUpReport(cohort, ssc.Schedule.years(0))
    with pytest.raises(ssc.SchemaError, match="only a baseline"):
        ssc.hrct_change_from_baseline(cohort, ssc.Schedule.years(0))


def test_the_report_says_which_patients_are_not_yet_due_at_the_cutoff() -> None:
    visits = pd.DataFrame({"patient_id": ["a", "a", "b"], "day": [0, 365, 0], "mrss": [20, 15, 18]})
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b"],
            "index_date": ["2020-01-01", "2024-01-01"],
            "last_contact_day": [400, 150],
        }
    )
    cohort = ssc.Cohort.from_frames(
        visits=visits, patients=patients, mapping={"cutoff": "2024-06-30"}
    )
    frame = ssc.FollowUpReport(cohort, ssc.Schedule.years(0, 1)).to_frame()
    row = frame.query("section == 'mrss' and outcome == 'mRSS' and timepoint == '1 year'")
    assert row["text"].iloc[0].endswith("; 1 not yet due at the data cut-off")
    plain = ssc.FollowUpReport(
        ssc.Cohort.from_frames(visits=visits, patients=patients), ssc.Schedule.years(0, 1)
    ).to_frame()
    plain_row = plain.query("section == 'mrss' and outcome == 'mRSS' and timepoint == '1 year'")
    assert "not yet due" not in plain_row["text"].iloc[0]
