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


# ---------------------------------------------------------------------- report coverage
def _cohort(visits: dict[str, list[object]], patients: dict[str, list[object]]) -> ssc.Cohort:
    return ssc.Cohort.from_frames(visits=pd.DataFrame(visits), patients=pd.DataFrame(patients))


def _rows(report: FollowUpReport, section: str) -> pd.DataFrame:
    table = report.to_frame()
    return table[table["section"] == section].set_index(["outcome", "timepoint"])


_RECORDED = "recorded sPAP (change >= 10 mmHg)"
_ESTIMATED = "sPAP estimated from TR velocity and RAP (change >= 10 mmHg)"


def test_frame_columns_keep_their_order_and_end_with_basis_and_source(
    report: FollowUpReport,
) -> None:
    assert REPORT_COLUMNS == (
        "group",
        "section",
        "outcome",
        "timepoint",
        "day",
        "n",
        "statistic",
        "value",
        "sd",
        "lower",
        "upper",
        "p",
        "text",
        "basis",
        "source",
    )
    table = report.to_frame()
    # the demo's readers compared every study: the categories rest on their comparison
    categories = table[table["section"].isin(["hrct", "pah"])]
    assert set(categories["basis"]) == {"reader's comparison"}
    assert set(table.loc[~table["section"].isin(["hrct", "pah"]), "basis"]) == {""}


def test_pah_section_from_recorded_spap_is_labelled() -> None:
    # only the recorded sPAP: a 60 -> 45 improved, b 50 -> 52 stable, c 40 -> 55 worsened
    cohort = _cohort(
        {
            "patient_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "day": [0, 365, -3, 370, 0, 360, 0, 365],
            "spap_mmhg": [60, 45, 50, 52, 40, 55, 45, 80],
        },
        {"patient_id": ["a", "b", "c", "d"], "pah": [True, True, True, False]},
    )
    report = FollowUpReport(cohort, ssc.Schedule.years(0, 1))
    pah = _rows(report, "pah")
    for category, k in (("improved", 1), ("stable", 1), ("worsened", 1)):
        row = pah.loc[(f"PAH {category}", "1 year")]
        assert (row["n"], row["text"]) == (3, f"33.3 % ({k} of 3)")
    assert set(pah["basis"]) == {_RECORDED}
    assert "Basis: recorded sPAP (change >= 10 mmHg)." in report.to_markdown()
    assert "Basis: recorded sPAP" in report.to_html(figures=False)
    assert "PAH was improved or stable at 1 year in 66.7 % (2 of 3)" in report.to_text()
    assert "basis: recorded sPAP (change >= 10 mmHg)." in report.to_text()


def test_pah_section_from_tr_velocity_is_labelled_as_estimated() -> None:
    # sPAP = 4 v^2 + RAP: a 59.84 -> 44.0 improved, b 48.96 -> 44.0 stable
    cohort = _cohort(
        {
            "patient_id": ["a", "a", "b", "b"],
            "day": [0, 365, 0, 365],
            "tr_velocity_m_s": [3.6, 3.0, 3.2, 3.0],
            "rap_mmhg": [8, 8, 8, 8],
        },
        {"patient_id": ["a", "b"], "pah": [True, True]},
    )
    pah = _rows(FollowUpReport(cohort, ssc.Schedule.years(0, 1)), "pah")
    assert pah.loc[("PAH improved", "1 year"), "text"] == "50.0 % (1 of 2)"
    assert pah.loc[("PAH stable", "1 year"), "text"] == "50.0 % (1 of 2)"
    assert set(pah["basis"]) == {_ESTIMATED}


def test_pah_section_counts_each_basis_when_a_timepoint_mixes_them() -> None:
    cohort = _cohort(
        {
            "patient_id": ["a", "a", "b", "b", "c", "c", "d", "d"],
            "day": [0, 365, 0, 365, 0, 365, 0, 365],
            "tr_velocity_m_s": [3.6, 3.0, None, None, 3.2, None, 3.0, None],
            "rap_mmhg": [8, 8, None, None, 8, None, 3, None],
            "spap_mmhg": [None, None, 50, 52, None, 55, None, None],
            "pah_comparison": [None, None, None, None, None, None, None, "worsened"],
        },
        {"patient_id": ["a", "b", "c", "d"], "pah": [True] * 4},
    )
    pah = _rows(FollowUpReport(cohort, ssc.Schedule.years(0, 1)), "pah")
    # a: estimated at both studies, b: recorded at both, c: estimated then recorded,
    # d: no follow-up sPAP but the reader's comparison
    assert pah.loc[("PAH improved or stable", "1 year"), "n"] == 4
    assert pah.loc[("PAH worsened", "1 year"), "text"] == "25.0 % (1 of 4)"
    assert set(pah["basis"]) == {
        "reader's comparison: 1; "
        f"{_ESTIMATED}: 1; {_RECORDED}: 1; "
        "sPAP estimated at one study and recorded at the other (change >= 10 mmHg): 1"
    }


def test_pah_section_prefers_the_reader_comparison_to_the_spap() -> None:
    # the sPAP would say improved (60 -> 40); the reader says stable
    cohort = _cohort(
        {
            "patient_id": ["a", "a"],
            "day": [0, 365],
            "spap_mmhg": [60, 40],
            "pah_comparison": [None, "stable"],
        },
        {"patient_id": ["a"], "pah": [True]},
    )
    pah = _rows(FollowUpReport(cohort, ssc.Schedule.years(0, 1)), "pah")
    assert pah.loc[("PAH stable", "1 year"), "text"] == "100.0 % (1 of 1)"
    assert set(pah["basis"]) == {"reader's comparison"}


@pytest.mark.parametrize(
    ("patients", "visits", "reason"),
    [
        ({"patient_id": ["a"]}, {"spap_mmhg": [60, 40]}, "has no 'pah' column"),
        ({"patient_id": ["a"], "pah": [False]}, {"spap_mmhg": [60, 40]}, "no patient has PAH"),
        (
            {"patient_id": ["a"], "pah": [True]},
            {"mrss": [20, 15]},
            "the data hold no pah_comparison, tr_velocity_m_s or spap_mmhg",
        ),
    ],
)
def test_pah_section_says_why_it_is_not_reported(
    patients: dict[str, list[object]], visits: dict[str, list[object]], reason: str
) -> None:
    cohort = _cohort({"patient_id": ["a", "a"], "day": [0, 365], **visits}, patients)
    report = FollowUpReport(cohort, ssc.Schedule.years(0, 1))
    pah = report.to_frame().query("section == 'pah'")
    assert len(pah) == 1
    assert pah["statistic"].iloc[0] == "not reported"
    assert pah["text"].iloc[0].startswith("not reported: ")
    assert reason in pah["text"].iloc[0]
    assert reason in report.to_markdown()
    assert reason in report.to_text()


def test_lung_function_section_gives_fvc_and_dlco_with_change(demo: ssc.Cohort) -> None:
    cohort = _cohort(
        {
            "patient_id": ["a", "a", "b", "b", "c"],
            "day": [0, 365, -10, 380, 0],
            "fvc_pct_predicted": [80.0, 76.0, 70.0, 72.0, 90.0],
            "dlco_pct_predicted": [60.0, 55.0, None, 50.0, 65.0],
        },
        {"patient_id": ["a", "b", "c"]},
    )
    lung = _rows(FollowUpReport(cohort, ssc.Schedule.years(0, 1)), "lung")
    assert lung.loc[("FVC % predicted", "baseline"), "text"] == "80.00 (10.00, 3)"
    assert lung.loc[("FVC % predicted", "1 year"), "text"] == "74.00 (2.83, 2)"
    # changes -4 and +2: mean -1, SD 4.24
    change = lung.loc[("FVC % predicted change from baseline", "1 year")]
    assert change["n"] == 2
    assert change["text"].startswith("-1.00 (4.24, 2); paired t-test p = ")
    assert lung.loc[("DLCO % predicted", "baseline"), "text"] == "62.50 (3.54, 2)"
    assert lung.loc[("DLCO % predicted change from baseline", "1 year"), "n"] == 1
    # the demo's rows equal Schedule.select + the mean of the public frame values
    table = FollowUpReport(demo, ssc.Schedule.years(0, 1, 3, 5)).to_frame()
    sel = ssc.Schedule.years(0, 1, 3, 5).select(demo.visits, "dlco_pct_predicted")
    at5 = sel.loc[sel["timepoint"] == "5 years", "dlco_pct_predicted"].dropna()
    row = table.query(
        "section == 'lung' and outcome == 'DLCO % predicted' and timepoint == '5 years'"
    )
    assert row["n"].iloc[0] == len(at5)
    assert row["value"].iloc[0] == pytest.approx(at5.mean())


def test_lung_function_section_says_which_measure_is_not_reported() -> None:
    cohort = _cohort(
        {"patient_id": ["a", "a"], "day": [0, 365], "fvc_pct_predicted": [80.0, 78.0]},
        {"patient_id": ["a"]},
    )
    lung = FollowUpReport(cohort, ssc.Schedule.years(0, 1)).to_frame().query("section == 'lung'")
    dlco = lung[lung["outcome"] == "DLCO % predicted"]
    assert dlco["text"].tolist() == ["not reported: the data hold no dlco_pct_predicted"]
    assert (lung["outcome"] == "FVC % predicted").sum() == 2


def test_report_warns_when_patients_lack_a_baseline_in_the_window() -> None:
    # every first visit falls a few days after the index date: no baseline for anyone
    cohort = _cohort(
        {
            "patient_id": ["a", "a", "b", "b", "c", "c"],
            "day": [3, 365, 5, 370, 9, 360],
            "mrss": [20, 15, 18, 17, 25, 20],
        },
        {"patient_id": ["a", "b", "c"]},
    )
    with pytest.warns(
        ssc.SSCOutcomesWarning,
        match=r"3 of 3 patients have no visit in the baseline window 'baseline' "
        r"\(days -90\.\.0\): 3 have their first visit after it \(days 3\.\.9\)",
    ):
        report = FollowUpReport(cohort, ssc.Schedule.years(0, 1))
    note = report.to_frame().query("section == 'data'")
    assert note[["timepoint", "n", "value"]].values.tolist() == [["baseline", 3, 3.0]]
    mrss = _rows(report, "mrss")
    assert mrss.loc[("mRSS", "baseline"), "text"] == (
        "not evaluable: no mRSS value in the window (days -90..0)"
    )
    assert mrss.loc[("mRSS change from baseline", "1 year"), "text"] == (
        "not evaluable: no patient has both a baseline and a 1 year value"
    )
    for output in (report.to_text(), report.to_markdown(), report.to_html(figures=False)):
        assert "3 of 3 patients have no visit in the baseline window" in output
        assert "NA (NA, 0)" not in output
    assert report.to_text().startswith("Note: 3 of 3 patients")
    assert "The mRSS, mean (SD, n), was baseline not evaluable; 1 year" in report.to_text()


def test_report_counts_only_the_patients_without_a_baseline_visit() -> None:
    cohort = _cohort(
        {
            "patient_id": ["a", "a", "b", "b", "c"],
            "day": [-5, 365, 0, 370, 12],
            "mrss": [20, 15, 18, 17, 25],
        },
        {"patient_id": ["a", "b", "c", "d"]},
    )
    with pytest.warns(ssc.SSCOutcomesWarning, match=r"2 of 4 patients .*1 has no visit at all"):
        report = FollowUpReport(cohort, ssc.Schedule.years(0, 1))
    assert "1 has their first visit after it (day 12)" in report.to_markdown()
    assert _rows(report, "mrss").loc[("mRSS", "baseline"), "text"] == "19.00 (1.41, 2)"


def test_report_does_not_warn_when_every_patient_has_a_baseline_visit(demo: ssc.Cohort) -> None:
    # two demo patients miss their baseline mRSS at a baseline visit: the n says so, and no
    # warning about the window is raised (filterwarnings = error would fail here)
    table = FollowUpReport(demo, ssc.Schedule.years(0, 1, 3, 5)).to_frame()
    assert "data" not in set(table["section"])
    assert table.query("section == 'mrss' and timepoint == 'baseline'")["n"].iloc[0] == 39


def test_absent_sections_say_why_in_every_format() -> None:
    cohort = _cohort(
        {"patient_id": ["a", "a"], "day": [0, 365], "mrss": [20, 15]}, {"patient_id": ["a"]}
    )
    report = FollowUpReport(cohort, ssc.Schedule.years(0, 1))
    table = report.to_frame()
    absent = table[table["statistic"] == "not reported"]
    assert set(absent["section"]) == {
        "survival",
        "lung",
        "hrct",
        "pah",
        "haq",
        "vascular",
        "responders",
    }
    assert absent["day"].isna().all()
    assert (absent["n"] == 0).all()
    reasons = dict(zip(absent["outcome"], absent["text"], strict=False))
    assert reasons["overall survival"] == "not reported: the patients frame has no death_day"
    assert reasons["HAQ-DI"] == "not reported: the data hold no haq_di"
    assert reasons["criss"].startswith("not reported: the data hold no fvc_pct_predicted")
    markdown = report.to_markdown()
    html = report.to_html(figures=False)
    text = report.to_text()
    for key in ("survival", "lung", "hrct", "pah", "haq", "vascular", "responders"):
        title = report.title(key)
        assert f"## {title}" in markdown
        assert f"<h2>{title}</h2>" in html
    for reason in absent["text"]:
        assert reason in markdown
        assert reason.removeprefix("not reported: ") in text
    assert "Not reported: overall survival (the patients frame has no death_day)" in text


def test_survival_not_reported_when_no_time_is_known() -> None:
    cohort = _cohort(
        {"patient_id": ["a", "a"], "day": [0, 365], "mrss": [20, 15]},
        {"patient_id": ["a"], "death_day": [None], "last_contact_day": [None]},
    )
    survival = (
        FollowUpReport(cohort, ssc.Schedule.years(0, 1)).to_frame().query("section == 'survival'")
    )
    assert survival["text"].tolist() == [
        "not reported: no patient has a known death or last-contact day"
    ]


def test_titles_and_text_follow_the_schedule_given() -> None:
    cohort = ssc.simulate_cohort(20, seed=3)
    report = FollowUpReport(cohort, ssc.Schedule.months(0, 6, 12, window_days=60))
    outputs = report.to_markdown() + report.to_text() + report.to_html(figures=False)
    assert "years" not in outputs
    results = report.to_frame().query("section != 'about'")
    assert set(results["timepoint"]) == {"baseline", "6 months", "1 year"}
    assert report.title("haq") == "HAQ-DI during the first year (baseline, 6 months and 1 year)"
    longer = FollowUpReport(
        cohort, ssc.Schedule.years(0, 1, 2), first_year=ssc.Schedule.years(0, 1, 2)
    )
    assert longer.title("haq") == "HAQ-DI at baseline, 1 year and 2 years"
    assert (
        longer.title("vascular") == "Peripheral vascular severity at baseline, 1 year and 2 years"
    )
    assert "## HAQ-DI at baseline, 1 year and 2 years" in longer.to_markdown()
    with pytest.raises(ssc.SchemaError, match="not one of"):
        longer.title("skin")


def test_html_figures_without_survival_data() -> None:
    pytest.importorskip("matplotlib")
    cohort = _cohort(
        {"patient_id": ["a", "a"], "day": [0, 365], "mrss": [20, 15]}, {"patient_id": ["a"]}
    )
    html = FollowUpReport(cohort, ssc.Schedule.years(0, 1)).to_html(figures=True)
    assert html.count("data:image/png;base64,") == 1  # the mRSS trajectories only


# ------------------------------------------------------------------ groups and provenance
@pytest.fixture(scope="module")
def by_subset(demo: ssc.Cohort) -> FollowUpReport:
    return FollowUpReport(demo, ssc.Schedule.years(0, 1, 3, 5), by="subset")


def test_means_carry_sd_n_and_a_t_interval(report: FollowUpReport) -> None:
    from scipy import stats

    rows = report.to_frame().query("section == 'mrss'")
    for row in rows.itertuples(index=False):
        half = stats.t.ppf(0.975, row.n - 1) * row.sd / math.sqrt(row.n)
        assert row.lower == pytest.approx(row.value - half, rel=1e-12)
        assert row.upper == pytest.approx(row.value + half, rel=1e-12)


def test_every_result_names_its_source_and_the_header_is_complete(
    report: FollowUpReport,
) -> None:
    table = report.to_frame()
    results = table[table["section"] != "about"]
    assert (results["source"] != "").all()
    assert "doi:10.5301/jsrd.5000231" in results.loc[results["section"] == "mrss", "source"].iloc[0]
    crit = results.loc[results["outcome"] == "criss", "source"].iloc[0]
    assert "doi:10.1002/art.39501" in crit
    header = report.header
    assert set(header) == {
        "library", "date", "schedule", "first-year schedule", "data cut-off",
        "time origin of survival", "column mapping", "groups", "input data (sha256)",
    }  # fmt: skip
    assert header["schedule"].startswith("baseline day 0 (days -90..0), 1 year day 365")
    assert len(header["input data (sha256)"]) == 64
    for text in (report.to_markdown(), report.to_html(figures=False), report.to_text()):
        assert header["input data (sha256)"] in text
    demo = ssc.load_demo()
    other = demo.visits
    other.loc[other.index[0], "crp_mg_l"] = 99.0
    changed = FollowUpReport(
        ssc.Cohort.from_frames(visits=other, patients=demo.patients_frame),
        ssc.Schedule.years(0, 1, 3, 5),
    )
    assert changed.header["input data (sha256)"] != header["input data (sha256)"]


def test_by_gives_every_section_per_group_as_the_group_alone_would(
    demo: ssc.Cohort, by_subset: FollowUpReport
) -> None:
    table = by_subset.to_frame()
    assert set(table["group"]) == {"all", "diffuse", "limited", "limited vs diffuse"}
    patients = demo.patients_frame
    for group in ("diffuse", "limited"):
        keep = patients["subset"] == group
        ids = set(patients.loc[keep, "patient_id"])
        alone = FollowUpReport(
            ssc.Cohort.from_frames(
                visits=demo.visits[demo.visits["patient_id"].isin(ids)],
                patients=patients[keep],
            ),
            ssc.Schedule.years(0, 1, 3, 5),
        ).to_frame()
        mine = table[table["group"] == group]
        # the annual rate comes from one model of all groups: it is not in a group alone
        mine = mine[mine["outcome"] != "FVC % predicted annual rate of change"]
        alone = alone[~alone["section"].isin(["about", "data"])]
        assert mine["value"].tolist() == pytest.approx(alone["value"].tolist(), nan_ok=True)
        assert mine["text"].tolist() == alone["text"].tolist()
    # all patients: the same rows as without groups
    plain = FollowUpReport(demo, ssc.Schedule.years(0, 1, 3, 5)).to_frame()
    mine = table[table["group"] == "all"]
    assert mine["value"].tolist() == pytest.approx(plain["value"].tolist(), nan_ok=True)


def test_between_group_comparisons_equal_their_tests(
    demo: ssc.Cohort, by_subset: FollowUpReport
) -> None:
    table = by_subset.to_frame()
    comp = table[table["group"] == "limited vs diffuse"]
    patients = demo.patients_frame
    # survival: the log-rank test of the two groups
    death = pd.to_numeric(patients["death_day"]).to_numpy(dtype=float)
    last = pd.to_numeric(patients["last_contact_day"]).to_numpy(dtype=float)
    event = ~np.isnan(death)
    test = ssc.logrank(np.where(event, death, last), event, patients["subset"].astype(str))
    surv = comp[comp["section"] == "comparison: survival"].iloc[0]
    assert surv["p"] == pytest.approx(test.p, rel=1e-12)
    # mRSS at baseline: Welch interval and Mann-Whitney p of the two groups' values
    visits = demo.visits.assign(mrss=ssc.score_mrss(demo.visits)["mrss"])
    sel = ssc.Schedule.years(0, 1, 3, 5).select(visits, "mrss", patients=patients)
    base = sel[sel["timepoint"] == "baseline"].merge(patients[["patient_id", "subset"]])
    d = ssc.mean_difference(
        base.loc[base["subset"] == "limited", "mrss"], base.loc[base["subset"] == "diffuse", "mrss"]
    )
    row = comp[(comp["outcome"] == "mRSS") & (comp["timepoint"] == "baseline")].iloc[0]
    assert (row["value"], row["lower"], row["upper"], row["p"]) == pytest.approx(
        (d.estimate, d.lower, d.upper, d.p), rel=1e-12
    )
    # a responder rate: Newcombe interval and Fisher p of the two groups' counts
    rates = {
        g: ssc.responder_rates(
            ssc.Cohort.from_frames(
                visits=demo.visits[demo.visits["patient_id"].isin(ids)],
                patients=patients[patients["patient_id"].isin(ids)],
            ),
            "mrss_improvement_5pt",
            ssc.Schedule.years(0, 1, 3, 5),
        ).table.loc["1 year"]
        for g, ids in (
            (g, set(patients.loc[patients["subset"] == g, "patient_id"]))
            for g in ("limited", "diffuse")
        )
    }
    d = ssc.proportion_difference(
        int(rates["limited"]["n_responder"]), int(rates["limited"]["n_evaluable"]),
        int(rates["diffuse"]["n_responder"]), int(rates["diffuse"]["n_evaluable"]),
    )  # fmt: skip
    row = comp[(comp["outcome"] == "mrss_improvement_5pt") & (comp["timepoint"] == "1 year")]
    assert (row["value"].iloc[0], row["lower"].iloc[0], row["p"].iloc[0]) == pytest.approx(
        (d.estimate, d.lower, d.p), rel=1e-12
    )
    assert "limited vs diffuse" in by_subset.to_markdown()
    assert "between-group comparisons" in by_subset.to_html(figures=False)
    assert "log-rank" in by_subset.to_text()


def test_patients_without_a_group_are_dropped_from_the_groups_and_counted(
    demo: ssc.Cohort,
) -> None:
    patients = demo.patients_frame
    patients.loc[patients.index[:3], "subset"] = None
    cohort = ssc.Cohort.from_frames(visits=demo.visits, patients=patients)
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1), by="subset").to_frame()
    note = table[(table["section"] == "data") & (table["outcome"] == "patients without a subset")]
    assert note["value"].tolist() == [3.0]
    groups = table[table["group"].isin(["limited", "diffuse"]) & (table["section"] == "survival")]
    assert groups["n"].sum() == len(patients) - 3


def test_by_refuses_what_cannot_group(demo: ssc.Cohort) -> None:
    schedule = ssc.Schedule.years(0, 1)
    with pytest.raises(ssc.SchemaError, match="not a column of the patients frame"):
        FollowUpReport(demo, schedule, by="arm")
    with pytest.raises(ssc.SchemaError, match="a comparison needs at least two"):
        FollowUpReport(
            ssc.Cohort.from_frames(
                visits=demo.visits, patients=demo.patients_frame.assign(one="x")
            ),
            schedule,
            by="one",
        )
    with pytest.raises(ssc.SchemaError, match="one group per patient"):
        FollowUpReport(demo, schedule, by="patient_id")


def test_survival_comparison_gives_the_cox_hazard_ratio(
    demo: ssc.Cohort, by_subset: FollowUpReport
) -> None:
    patients = demo.patients_frame
    death = pd.to_numeric(patients["death_day"]).to_numpy(dtype=float)
    last = pd.to_numeric(patients["last_contact_day"]).to_numpy(dtype=float)
    event = ~np.isnan(death)
    fit = ssc.cox_ph(
        np.where(event, death, last), event, pd.DataFrame({"group": patients["subset"]})
    )
    term = fit.table.loc["group[limited]"]
    table = by_subset.to_frame()
    row = table[table["outcome"] == "overall survival hazard ratio"].iloc[0]
    assert (row["value"], row["lower"], row["upper"], row["p"]) == pytest.approx(
        (term["hr"], term["lower"], term["upper"], term["p"]), rel=1e-12
    )
    assert "coxph" in row["source"]


def test_by_group_gives_the_annual_fvc_rate_of_each_group_and_their_difference(
    demo: ssc.Cohort, by_subset: FollowUpReport
) -> None:
    table = by_subset.to_frame()
    rows = table[table["outcome"] == "FVC % predicted annual rate of change"]
    fit = ssc.annual_rate(demo, "fvc_pct_predicted", by="subset")
    slopes = fit.table.set_index("group")
    for group in ("diffuse", "limited"):
        row = rows[rows["group"] == group].iloc[0]
        assert row["value"] == pytest.approx(slopes.loc[group, "slope"], rel=1e-9)
    comp = rows[rows["group"] == "limited vs diffuse"].iloc[0]
    assert comp["value"] == pytest.approx(slopes.loc["limited", "difference"], rel=1e-9)
    assert comp["p"] == pytest.approx(slopes.loc["limited", "p"], rel=1e-9)
    assert "nlme" in comp["source"]


def test_two_groups_give_the_hierarchical_composite_win_ratio(
    demo: ssc.Cohort, by_subset: FollowUpReport
) -> None:
    table = by_subset.to_frame()
    row = table[table["section"] == "comparison: composite"].iloc[0]
    assert row["group"] == "limited vs diffuse"
    # the same hierarchy built by hand from the library's own pieces
    patients = demo.patients_frame
    death = pd.to_numeric(patients["death_day"]).to_numpy(dtype=float)
    last = pd.to_numeric(patients["last_contact_day"]).to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "patient_id": patients["patient_id"].astype(str),
            "arm": patients["subset"].astype(str),
            "death": (~np.isnan(death)).astype(float),
            "death_time": np.where(np.isnan(death), last, death),
        }
    )
    efs = ssc.event_free_survival(demo).set_index("patient_id")
    frame["event_free_time"] = efs["time"].reindex(frame["patient_id"]).to_numpy(dtype=float)
    frame["event"] = efs["event"].reindex(frame["patient_id"]).to_numpy(dtype=float)
    schedule = ssc.Schedule.years(0, 1, 3, 5)
    scored = ssc.score_visits(demo)
    for measure, column in (("fvc_pct_predicted", "fvc"), ("haq_di", "haq"), ("mrss", "mrss")):
        wide = schedule.select(scored, measure, patients=patients).pivot(
            index="patient_id", columns="timepoint", values=measure
        )
        change = (wide["5 years"] - wide["baseline"]).astype(float)
        frame[column] = change.reindex(frame["patient_id"]).to_numpy(dtype=float)
    result = ssc.win_ratio(
        frame, arm="arm", treatment="limited",
        outcomes=ssc.grcs_outcomes(fvc="fvc", haq="haq", mrss="mrss"),
    )  # fmt: skip
    assert (row["value"], row["lower"], row["upper"], row["p"]) == pytest.approx(
        (result.win_ratio, result.win_ratio_lower, result.win_ratio_upper, result.p),
        rel=1e-12,
    )
    assert "doi:10.1002/sim.3923" in row["source"]


# ------------------------------------------------------------------ branch coverage
def test_one_responder_name_is_taken_as_a_tuple_of_one(demo: ssc.Cohort) -> None:
    report = FollowUpReport(demo, ssc.Schedule.years(0, 1), responders="criss")
    assert report.responders == ("criss",)
    assert set(report.to_frame().query("section == 'responders'")["outcome"]) == {"criss"}


@pytest.mark.parametrize(
    ("responders", "message"),
    [
        (5, "responders must be names or ResponderDefinitions; got int"),
        ({"criss": 1}, "responders must be names or ResponderDefinitions; got dict"),
        (["criss", 3], "responders: 3 is not a definition name or a ResponderDefinition"),
    ],
)
def test_responders_that_are_not_definitions_are_a_schema_error(
    demo: ssc.Cohort, responders: object, message: str
) -> None:
    with pytest.raises(ssc.SchemaError, match=f"^{message}$"):
        FollowUpReport(demo, ssc.Schedule.years(0, 1), responders=responders)  # type: ignore[arg-type]


@pytest.mark.parametrize("level", [0, 1.0])
def test_a_confidence_level_of_0_or_1_is_out_of_range(demo: ssc.Cohort, level: float) -> None:
    with pytest.raises(
        ssc.OutOfRangeError, match=rf"^conf_level = {level!r} is outside 0\.\.1 \(exclusive\)$"
    ):
        FollowUpReport(demo, ssc.Schedule.years(0, 1), conf_level=level)


def test_a_schedule_without_a_baseline_is_a_schema_error(demo: ssc.Cohort) -> None:
    with pytest.raises(
        ssc.SchemaError, match=r"^the schedule needs a baseline timepoint \(day 0\)$"
    ):
        FollowUpReport(demo, ssc.Schedule.years(1, 3))


def test_by_that_is_not_a_column_name_is_a_schema_error(demo: ssc.Cohort) -> None:
    with pytest.raises(ssc.SchemaError, match=r"^by = 1 must be the name of a patients column$"):
        FollowUpReport(demo, ssc.Schedule.years(0, 1), by=1)  # type: ignore[arg-type]


def test_three_groups_are_each_compared_with_the_first_and_give_no_composite(
    demo: ssc.Cohort,
) -> None:
    patients = demo.patients_frame
    site = [("x", "y", "z")[i % 3] for i in range(len(patients))]
    cohort = ssc.Cohort.from_frames(visits=demo.visits, patients=patients.assign(site=site))
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1), by="site").to_frame()
    assert set(table["group"]) == {"all", "x", "y", "z", "y vs x", "z vs x"}
    # the win ratio is a two-arm comparison: none with three groups
    assert "comparison: composite" not in set(table["section"])
    assert set(table.loc[table["section"] == "comparison: survival", "group"]) == {
        "y vs x",
        "z vs x",
    }


def test_by_without_fvc_gives_no_annual_rate_and_says_what_the_composite_lacks(
    demo: ssc.Cohort,
) -> None:
    cohort = ssc.Cohort.from_frames(
        visits=demo.visits.drop(columns=["fvc_pct_predicted"]), patients=demo.patients_frame
    )
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1), by="subset").to_frame()
    assert not (table["outcome"] == "FVC % predicted annual rate of change").any()
    text = table.loc[table["section"] == "comparison: composite", "text"].iloc[0]
    # event-free survival reads the FVC decline: not evaluable, and its pairs unordered
    assert text.endswith(
        "changes at 1 year (event-free survival not evaluable (the visits have no column "
        "'fvc_pct_predicted', which events = ('renal_crisis', 'fvc_decline', 'lvef_below', "
        "'pah_new_rhc') read; record it or leave that event out); no fvc_pct_predicted)"
    )


def _two_arms(**patients: list[object]) -> ssc.Cohort:
    """Four patients in arms A and B with mRSS and FVC at baseline and 1 year."""
    return _cohort(
        {
            "patient_id": list("aabbccdd"),
            "day": [0, 365] * 4,
            "mrss": [20, 15, 18, 17, 25, 20, 30, 28],
            "fvc_pct_predicted": [80, 78, 70, 71, 90, 85, 60, 61],
        },
        {"patient_id": list("abcd"), "arm": ["A", "A", "B", "B"], **patients},
    )


def test_an_annual_rate_that_cannot_be_fitted_is_not_evaluable_with_the_reason() -> None:
    cohort = _cohort(
        {
            "patient_id": list("aabbcc"),
            "day": [0, 365] * 3,
            "fvc_pct_predicted": [80, 78, None, None, 70, 71],
        },
        {"patient_id": list("abc"), "arm": ["A", "B", "B"]},
    )
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1), by="arm").to_frame()
    rows = table[table["outcome"] == "FVC % predicted annual rate of change"]
    assert rows[["group", "n", "statistic", "text"]].values.tolist() == [
        [
            "",
            0,
            "slope per year; random intercept and slope model (REML), t CI",
            "not evaluable: group 'A' needs at least 2 patients, one with values at 2 or more "
            "times, to estimate a slope; it has 1 patients",
        ]
    ]
    assert rows["value"].isna().all()


def test_a_group_without_fvc_values_has_a_not_evaluable_annual_rate() -> None:
    # fixed: group C (no FVC value) used to vanish from the annual rates without a word
    cohort = _cohort(
        {
            "patient_id": list("aabbccddee"),
            "day": [0, 365] * 5,
            "fvc_pct_predicted": [80, 78, 70, 71, 90, 85, 60, 61, None, None],
        },
        {"patient_id": list("abcde"), "arm": ["A", "A", "B", "B", "C"]},
    )
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1), by="arm").to_frame()
    rows = table[table["outcome"] == "FVC % predicted annual rate of change"].set_index("group")
    assert list(rows.index) == ["A", "B", "B vs A", "C"]
    assert rows.loc["C", "text"] == (
        "not evaluable: no patient with arm = 'C' has a fvc_pct_predicted value"
    )
    assert rows.loc["C", "n"] == 0
    assert math.isnan(rows.loc["C", "value"])
    assert rows.loc["B", "value"] == pytest.approx(
        ssc.annual_rate(cohort, "fvc_pct_predicted", by="arm")
        .table.set_index("group")
        .loc["B", "slope"],
        rel=1e-9,
    )


def test_without_death_day_groups_get_no_survival_comparison_and_the_composite_no_death() -> None:
    cohort = _two_arms(last_contact_day=[400] * 4)
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1), by="arm").to_frame()
    assert "comparison: survival" not in set(table["section"])
    composite = table[table["section"] == "comparison: composite"].iloc[0]
    # no death level; FVC changes a -2, b +1 (A), c -5, d +1 (B): c loses both pairs, d
    # beats a on FVC and, tied with b, on its larger mRSS fall (-2 against -1)
    assert composite["text"] == (
        "win ratio 1.00 (95 % CI 0.02-50.40); net benefit 0.00; 2 wins, 2 losses, 0 ties "
        "among 4 pairs; Finkelstein-Schoenfeld p = 1.000; changes at 1 year (event-free "
        "survival not evaluable (the visits have no column 'lvef_pct', 'pah_new_rhc', "
        "'renal_crisis', which events = ('renal_crisis', 'fvc_decline', 'lvef_below', "
        "'pah_new_rhc') read; record it or leave that event out); no haq_di)"
    )


def test_the_survival_comparison_is_not_evaluable_when_a_group_has_no_known_time() -> None:
    cohort = _two_arms(death_day=[None] * 4, last_contact_day=[400, 500, None, None])
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1), by="arm").to_frame()
    survival = table[table["section"] == "survival"].set_index("group")
    assert survival.loc["B", "text"] == (
        "not reported: no patient has a known death or last-contact day"
    )
    # fixed: the comparison used to vanish without a word
    comparison = table[table["section"] == "comparison: survival"]
    assert comparison[["group", "outcome", "n", "statistic", "text"]].values.tolist() == [
        [
            "B vs A",
            "overall survival",
            2,
            "log-rank test",
            "not evaluable: no patient with arm = 'B' has a known death or last-contact day",
        ]
    ]
    assert comparison[["value", "lower", "upper", "p"]].isna().all(axis=None)


def test_a_hazard_ratio_that_cannot_be_fitted_is_not_evaluable_with_the_reason() -> None:
    # the only death (b, day 500) comes after every arm B patient is censored (day 400)
    cohort = _two_arms(death_day=[None, 500, None, None], last_contact_day=[400, 500, 400, 400])
    table = FollowUpReport(cohort, ssc.Schedule.years(0, 1), by="arm").to_frame()
    row = table[table["outcome"] == "overall survival hazard ratio"].iloc[0]
    assert (row["group"], row["n"]) == ("B vs A", 4)
    assert row["text"] == "not evaluable: the Cox model could not be fitted: Singular matrix"
    # nor is there a log-rank test: no death while both arms were at risk
    logrank = table[table["statistic"] == "log-rank test"].iloc[0]
    assert logrank["text"] == (
        "not evaluable: no death the groups can be compared on (log-rank df 0)"
    )
    assert np.isnan(logrank["p"])
    assert row[["value", "lower", "upper", "p"]].isna().all()


def test_survival_from_diagnosis_needs_the_diagnosis_date() -> None:
    cohort = ssc.Cohort.from_frames(
        visits=pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365], "mrss": [20, 15]}),
        patients=pd.DataFrame(
            {
                "patient_id": ["a"],
                "index_date": ["2020-01-01"],
                "death_day": [None],
                "last_contact_day": [400],
            }
        ),
        mapping={"origin": "diagnosis"},
    )
    with pytest.raises(
        ssc.SchemaError,
        match=r"^survival from diagnosis needs the patients' index_date and diagnosis_date$",
    ):
        FollowUpReport(cohort, ssc.Schedule.years(0, 1))


def test_the_data_note_says_who_has_visits_only_before_the_baseline_window() -> None:
    cohort = _cohort(
        {"patient_id": ["a", "a", "b", "b"], "day": [-200, 365, 0, 365], "mrss": [20, 15, 18, 17]},
        {"patient_id": ["a", "b"]},
    )
    with pytest.warns(
        ssc.SSCOutcomesWarning,
        match=r"^1 of 2 patients has no visit in the baseline window 'baseline' "
        r"\(days -90\.\.0\): 1 has visits only before it\. Their baseline is missing",
    ):
        report = FollowUpReport(cohort, ssc.Schedule.years(0, 1))
    note = report.to_frame().query("section == 'data'")
    assert note[["timepoint", "n", "value"]].values.tolist() == [["baseline", 2, 1.0]]
    assert _rows(report, "mrss").loc[("mRSS", "baseline"), "text"] == "18.00 (NA, 1)"


def _pah_cohort(comparison: list[object]) -> ssc.Cohort:
    """Two patients with PAH: recorded sPAP at baseline and 1 year, ``comparison`` read
    at 3 years."""
    return _cohort(
        {
            "patient_id": ["a", "a", "a", "b", "b", "b"],
            "day": [0, 365, 1095] * 2,
            "spap_mmhg": [60, 45, None, 50, 52, None],
            "pah_comparison": comparison,
        },
        {"patient_id": ["a", "b"], "pah": [True, True]},
    )


def test_a_basis_that_differs_between_timepoints_is_given_per_timepoint() -> None:
    report = FollowUpReport(
        _pah_cohort([None, None, "stable", None, None, "worsened"]), ssc.Schedule.years(0, 1, 3)
    )
    pah = _rows(report, "pah")
    assert set(pah.xs("1 year", level="timepoint")["basis"]) == {_RECORDED}
    assert set(pah.xs("3 years", level="timepoint")["basis"]) == {"reader's comparison"}
    assert f"Basis: 1 year: {_RECORDED}; 3 years: reader's comparison." in report.to_markdown()


def test_the_text_says_a_last_timepoint_with_no_category_is_not_evaluable() -> None:
    report = FollowUpReport(_pah_cohort([None] * 6), ssc.Schedule.years(0, 1, 3))
    row = _rows(report, "pah").loc[("PAH improved or stable", "3 years")]
    assert (row["n"], row["text"]) == (
        0,
        "not evaluable: no patient with a value at 3 years (of 2 patients in the group)",
    )
    assert math.isnan(row["value"])
    assert report.to_text().startswith(
        "PAH change at 3 years was not evaluable: no patient with a value at 3 years "
        "(of 2 patients in the group). Not reported: "
    )


def test_html_figures_without_mrss_draw_only_the_change_categories() -> None:
    pytest.importorskip("matplotlib")
    report = FollowUpReport(_pah_cohort([None] * 6), ssc.Schedule.years(0, 1, 3))
    html = report.to_html(figures=True)
    assert html.count("data:image/png;base64,") == 1
    assert "<figcaption>PAH change from baseline</figcaption>" in html


def test_html_figures_say_matplotlib_is_needed_when_it_is_missing(
    report: FollowUpReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    # matplotlib is installed here: a None entry in sys.modules makes its import fail as it
    # would on an installation without the plot extra
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    html = report.to_html(figures=True)
    assert "<p>(Figures need matplotlib: pip install 'sscoutcomes[plot]')</p>" in html
    assert "data:image/png;base64," not in html


def test_html_figures_by_group_draw_one_survival_curve_per_group(
    by_subset: FollowUpReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib")
    import sscoutcomes.plot

    drawn: list[ssc.KaplanMeier] = []
    original = sscoutcomes.plot.plot_kaplan_meier

    def spy(km: ssc.KaplanMeier, **kwargs: object) -> object:
        drawn.append(km)
        return original(km, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sscoutcomes.plot, "plot_kaplan_meier", spy)
    html = by_subset.to_html(figures=True)
    assert html.count("data:image/png;base64,") == 4
    assert [km.groups for km in drawn] == [("diffuse", "limited")]


def test_repr_html_is_the_html_without_figures(report: FollowUpReport) -> None:
    assert report._repr_html_() == report.to_html(figures=False)
    assert report._repr_html_().startswith("<!DOCTYPE html>")
