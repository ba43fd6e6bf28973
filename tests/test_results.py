"""Every result object hands itself over the same way, and names its p-value ``p``."""

from __future__ import annotations

import inspect
import json
import warnings
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

import sscoutcomes as ssc

# public attrs classes that are inputs or settings, not results of a computation
INPUTS = {
    "ColumnMapping", "EchoFinding", "GlobalAssessment", "HAQ", "LungImaging", "Outcome",
    "Patient", "PulmonaryFunction", "ResponderDefinition", "SHAQ", "Schedule", "ScleroID",
    "SkinScore", "Timepoint", "VascularAssessment", "Visit",
}  # fmt: skip


def _arms() -> pd.DataFrame:
    return pd.DataFrame(
        {"arm": ["t", "t", "t", "c", "c", "c"], "time": [5, 6, 7, 3, 4, 8],
         "event": [0, 1, 0, 1, 1, 0], "fvc": [80, 70, None, 60, 65, 70]}
    )  # fmt: skip


def _crisses() -> tuple[dict[str, Any], dict[str, Any]]:
    base = {"mrss": 25, "fvc_pct_predicted": 80, "patient_global": 6,
            "physician_global": 6, "haq_di": 1.5}  # fmt: skip
    after = {"mrss": 15, "fvc_pct_predicted": 82, "patient_global": 4, "physician_global": 3,
             "haq_di": 1.0, "renal_crisis": False, "lv_failure_new": False,
             "pah_new_rhc": False}  # fmt: skip
    return base, after


RESULTS: dict[str, Callable[[], Any]] = {
    "ACREULARClassification": lambda: ssc.classify_acr_eular_2013(
        sclerodactyly=True, raynauds=True, ild=True
    ),
    "AnnualRate": lambda: ssc.annual_rate(ssc.simulate_cohort(30, seed=1), "fvc_pct_predicted"),
    "CRISSResult": lambda: ssc.criss(*_crisses()),
    "CoxPH": lambda: ssc.cox_ph(
        [100, 400, 800, 1200, 1900, 300, 500, 250],
        [1, 0, 1, 0, 1, 1, 0, 1],
        pd.DataFrame({"x": [0, 0, 0, 0, 1, 1, 1, 1]}),
    ),
    "CumulativeIncidence": lambda: ssc.cumulative_incidence([100, 200, 300, 400], [1, 2, 0, 1]),
    "DetectResult": lambda: ssc.detect_pah(
        fvc_pct_predicted=90,
        dlco_pct_predicted=50,
        telangiectasia=True,
        anticentromere=True,
        nt_probnp_pg_ml=200,
        urate_mg_dl=4.0,
        right_axis_deviation=False,
        ra_area_cm2=15,
        tr_velocity_m_s=2.8,
    ),
    "FollowUpReport": lambda: ssc.FollowUpReport(ssc.load_demo(), ssc.Schedule.years(0, 1)),
    "GrayTest": lambda: ssc.gray_test(
        [100, 200, 300, 400, 500, 600, 700, 800],
        [1, 2, 0, 1, 2, 1, 0, 1],
        ["a", "a", "a", "a", "b", "b", "b", "b"],
    ),
    "GroupDifference": lambda: ssc.mean_difference([19, 22, 16, 29, 24], [20, 11, 17, 12]),
    "HypothesisTest": lambda: ssc.paired_change([20, 18, 25], [15, 17, 20]).t_test,
    "KaplanMeier": lambda: ssc.kaplan_meier([100, 400, 800], [1, 0, 1]),
    "LogRank": lambda: ssc.logrank([100, 400, 800, 300], [1, 0, 1, 1], ["a", "a", "b", "b"]),
    "MedsgerSeverity": lambda: ssc.medsger_severity({"mrss": 12}),
    "PairedChange": lambda: ssc.paired_change([20, 18, 25, 16, 30], [15, 17, 20, 16, 22]),
    "ProportionCI": lambda: ssc.proportion_ci(3, 10),
    "ResponderRates": lambda: ssc.responder_rates(
        ssc.load_demo(), "mrss_improvement_25pct", ssc.Schedule.years(0, 1)
    ),
    "RevisedCRISSResult": lambda: ssc.revised_criss(*_crisses()),
    "Summary": lambda: ssc.summarize([1.0, 2.0, 4.0]),
    "TableOne": lambda: ssc.table_one(ssc.load_demo(), by="subset", pvalues=True),
    "WinRatio": lambda: ssc.win_ratio(
        _arms(),
        arm="arm",
        treatment="t",
        outcomes=[
            ssc.Outcome.time_to_event("death", time="time", event="event"),
            ssc.Outcome.numeric("fvc", column="fvc", higher_is_better=True),
        ],
    ),
}


def test_every_public_result_class_is_checked_here() -> None:
    classes = {
        name
        for name in ssc.__all__
        if inspect.isclass(getattr(ssc, name)) and attrs.has(getattr(ssc, name))
    }
    assert classes - INPUTS == set(RESULTS)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_to_dict_and_to_frame(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ssc.SSCOutcomesWarning)
        result = RESULTS[name]()
    assert type(result).__name__ == name
    d = result.to_dict()
    assert isinstance(d, dict)
    assert d
    assert not any(isinstance(v, pd.DataFrame) for v in d.values())
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame.columns)
    # the frame is the caller's: changing it leaves the result alone
    before = result.to_frame()
    del frame[frame.columns[0]]
    frame.columns = [f"renamed {c}" for c in frame.columns]
    pd.testing.assert_frame_equal(result.to_frame(), before)
    # one p-value name: never pvalue / p_value / p-val
    for names in (d, frame.columns):
        assert not {"pvalue", "p_value", "p-val", "t_pvalue", "wilcoxon_pvalue"} & set(names)


def test_to_dict_round_trips_through_json_where_it_is_plain() -> None:
    d = ssc.paired_change([20, 18, 25, 16, 30], [15, 17, 20, 16, 22]).to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["t_test"]["method"] == "paired t"
    assert d["wilcoxon"]["p"] == pytest.approx(0.0975, abs=1e-4)
    report = RESULTS["FollowUpReport"]().to_dict()
    assert json.loads(json.dumps(report, default=str))["header"] == report["header"]
    # a missing value is None in the records, never NaN
    assert all(
        not (isinstance(v, float) and np.isnan(v)) for row in report["rows"] for v in row.values()
    )


@pytest.mark.parametrize(
    ("make", "old", "new"),
    [
        (RESULTS["PairedChange"], "t_pvalue", ("t_test", "p")),
        (RESULTS["PairedChange"], "wilcoxon_pvalue", ("wilcoxon", "p")),
        (RESULTS["PairedChange"], "t_statistic", ("t_test", "statistic")),
        (RESULTS["PairedChange"], "wilcoxon_statistic", ("wilcoxon", "statistic")),
        (RESULTS["GroupDifference"], "pvalue", ("p",)),
        (RESULTS["LogRank"], "pvalue", ("p",)),
        (RESULTS["CoxPH"], "pvalue", ("p",)),
        (RESULTS["WinRatio"], "pvalue", ("p",)),
    ],
)
def test_old_p_value_names_still_work_and_say_what_to_use(
    make: Callable[[], Any], old: str, new: tuple[str, ...]
) -> None:
    result = make()
    expected: Any = result
    for part in new:
        expected = getattr(expected, part)
    with pytest.warns(FutureWarning, match=rf"{old} is deprecated .* use \.{'.'.join(new)}"):
        value = getattr(result, old)
    assert value == expected or (np.isnan(value) and np.isnan(expected))
    assert old not in result.to_dict()


def test_paired_change_frame_is_one_row_per_test() -> None:
    ch = RESULTS["PairedChange"]()
    frame = ch.to_frame()
    assert frame["test"].tolist() == ["paired t", "Wilcoxon signed-rank"]
    assert frame["p"].tolist() == [ch.t_test.p, ch.wilcoxon.p]
    assert (frame["n"] == ch.n).all()


def test_classification_and_medsger_frames_are_tidy() -> None:
    res = RESULTS["ACREULARClassification"]()
    frame = res.to_frame()
    assert frame["weight"].sum() == res.score
    assert list(frame.columns) == ["item", "sub_item", "weight"]
    grades = ssc.medsger_severity({"mrss": 12}).to_frame()
    assert grades.set_index("organ")["grade"].isna().sum() == len(grades) - 1  # only skin known
