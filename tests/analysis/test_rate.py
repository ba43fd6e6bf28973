"""annual_rate: random intercept and slope model (REML) against R's nlme::lme.

The reference values come from tests/analysis/data/make_reference_rate.R (output beside it:
make_reference_rate.Rout) fitted to fvc_trial.csv (written by make_fvc_trial.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sscoutcomes import annual_rate
from sscoutcomes.errors import OutOfRangeError, SchemaError

DATA = Path(__file__).parent / "data"
TRIAL = pd.read_csv(DATA / "fvc_trial.csv")
REF_FIXED = pd.read_csv(DATA / "ref_lme_fixed.csv").set_index("term")
REF_VAR = pd.read_csv(DATA / "ref_lme_variance.csv").set_index("name")["value"]
RTOL = 1e-3


@pytest.fixture(scope="module")
def fit() -> object:
    patients = TRIAL.drop_duplicates("patient_id")[["patient_id", "arm"]]
    return annual_rate(TRIAL.drop(columns="arm"), "fvc_ml", by="arm", patients=patients)


def test_fixed_effects_equal_nlme(fit: object) -> None:
    fixed = fit.fixed_effects.set_index("term")  # type: ignore[attr-defined]
    ref = REF_FIXED.loc[fixed.index]
    np.testing.assert_allclose(fixed["estimate"], ref["estimate"], rtol=RTOL)
    np.testing.assert_allclose(fixed["se"], ref["se"], rtol=RTOL)
    np.testing.assert_array_equal(fixed["df"], ref["df"])
    np.testing.assert_allclose(fixed["statistic"], ref["t"], rtol=RTOL)
    # p-values far in the tail (1e-97) magnify small differences in t: compare their logs
    np.testing.assert_allclose(np.log(fixed["p"]), np.log(ref["p"]), rtol=RTOL)


def test_group_slopes_and_difference_equal_nlme(fit: object) -> None:
    table = fit.table.set_index("group")  # type: ignore[attr-defined]
    for arm in ("placebo", "treatment"):
        ref = REF_FIXED.loc[f"slope_{arm}"]
        assert table.loc[arm, "slope"] == pytest.approx(ref["estimate"], rel=RTOL)
        assert table.loc[arm, "se"] == pytest.approx(ref["se"], rel=RTOL)
    # the placebo slope is the 'years' term: its CI is nlme's intervals()
    years = REF_FIXED.loc["years"]
    assert table.loc["placebo", "lower"] == pytest.approx(years["lower"], rel=RTOL)
    assert table.loc["placebo", "upper"] == pytest.approx(years["upper"], rel=RTOL)
    diff = REF_FIXED.loc["years:armtreatment"]
    row = table.loc["treatment"]
    assert row["difference"] == pytest.approx(diff["estimate"], rel=RTOL)
    assert row["difference_se"] == pytest.approx(diff["se"], rel=RTOL)
    assert row["difference_lower"] == pytest.approx(diff["lower"], rel=RTOL)
    assert row["difference_upper"] == pytest.approx(diff["upper"], rel=RTOL)
    assert row["p"] == pytest.approx(diff["p"], rel=RTOL)
    assert np.isnan(table.loc["placebo", "difference"])


def test_variance_components_equal_nlme(fit: object) -> None:
    variance = fit.variance  # type: ignore[attr-defined]
    for name in REF_VAR.index:
        assert variance[name] == pytest.approx(REF_VAR[name], rel=RTOL), name


def test_counts(fit: object) -> None:
    table = fit.table  # type: ignore[attr-defined]
    kept = TRIAL.dropna(subset=["fvc_ml"])
    assert fit.n_dropped == TRIAL["fvc_ml"].isna().sum() == 19  # type: ignore[attr-defined]
    assert table["n_observations"].sum() == len(kept) == 281
    assert table["n_patients"].tolist() == [30, 30]


def test_by_in_visits_frame_and_row_order_invariance() -> None:
    a = annual_rate(TRIAL, "fvc_ml", by="arm")
    b = annual_rate(TRIAL.sample(frac=1, random_state=1), "fvc_ml", by="arm")
    pd.testing.assert_frame_equal(a.table, b.table, rtol=1e-4)


def test_overall_slope_equals_nlme_and_input_not_mutated() -> None:
    before = TRIAL.copy()
    fit = annual_rate(TRIAL, "fvc_ml")
    pd.testing.assert_frame_equal(TRIAL, before)
    ref = pd.read_csv(DATA / "ref_lme_overall.csv").set_index("term").loc["years"]
    row = fit.table.iloc[0]
    assert row["group"] == "all"
    assert row["n_patients"] == 60
    assert row["df"] == ref["df"] == 220
    for ours, theirs in (
        ("slope", "estimate"),
        ("se", "se"),
        ("lower", "lower"),
        ("upper", "upper"),
    ):
        assert row[ours] == pytest.approx(ref[theirs], rel=RTOL), ours


def test_cohort_input_takes_by_from_its_patients_frame(fit: object) -> None:
    from sscoutcomes import Cohort

    patients = TRIAL.drop_duplicates("patient_id")[["patient_id", "arm"]]
    cohort = Cohort.from_frames(patients=patients, visits=TRIAL.drop(columns="arm"))
    from_cohort = annual_rate(cohort, "fvc_ml", by="arm")
    pd.testing.assert_frame_equal(from_cohort.table, fit.table, rtol=1e-6)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"measure": "nope"}, SchemaError, "measure = 'nope'"),
        ({"measure": "fvc_ml", "by": "nope"}, SchemaError, "by = 'nope'"),
        ({"measure": "fvc_ml", "time": "nope"}, SchemaError, "time = 'nope'"),
        ({"measure": "fvc_ml", "confidence": 1.5}, OutOfRangeError, "confidence = 1.5"),
        ({"measure": "arm"}, SchemaError, "non-numeric"),
    ],
)
def test_bad_input(kwargs: dict[str, object], error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        annual_rate(TRIAL, **kwargs)  # type: ignore[arg-type]


def test_too_few_patients_in_a_group() -> None:
    small = TRIAL[TRIAL["patient_id"].isin(["P001", "P002", "P031"])]
    with pytest.raises(SchemaError, match="group 'treatment' needs at least 2 patients"):
        annual_rate(small, "fvc_ml", by="arm")


SMALL = TRIAL[TRIAL["patient_id"].isin(["P001", "P002", "P003", "P031", "P032", "P033"])]


def test_repr_and_html() -> None:
    fit = annual_rate(SMALL, "fvc_ml")
    assert repr(fit).startswith("AnnualRate(measure='fvc_ml', by=None, n_dropped=")
    assert "slope" in repr(fit)
    html = fit._repr_html_()
    assert html.startswith("<table")
    assert "<th>slope</th>" in html
    frame = fit.to_frame()
    pd.testing.assert_frame_equal(frame, fit.table)
    assert frame is not fit.table


def test_time_column_in_years_equals_years_from_day() -> None:
    visits = SMALL.assign(t_years=SMALL["day"] / 365.25)
    by_day = annual_rate(visits, "fvc_ml")
    by_column = annual_rate(visits, "fvc_ml", time="t_years")
    assert by_column.time == "t_years"
    assert by_column.fixed_effects["term"].tolist() == ["(Intercept)", "t_years"]
    assert by_column.table["slope"].iloc[0] == pytest.approx(by_day.table["slope"].iloc[0])


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "match"),
    [
        (SMALL, {"measure": "fvc_ml", "time": 1}, SchemaError, "time must be 'years'.*got int"),
        (
            SMALL.drop(columns="day"),
            {"measure": "fvc_ml"},
            SchemaError,
            "time = 'years' is taken from the 'day' column, which is missing",
        ),
        (
            SMALL.assign(t=np.where(np.arange(len(SMALL)) == 2, np.nan, 1.0)),
            {"measure": "fvc_ml", "time": "t"},
            SchemaError,
            r"time column 't' has 1 missing or non-numeric values, e\.g\. nan",
        ),
        (SMALL, {"measure": "day"}, SchemaError, "measure = 'day' is a key column"),
        (SMALL, {"measure": "fvc_ml", "by": "fvc_ml"}, SchemaError, "by = 'fvc_ml' must name"),
        (SMALL, {"measure": "fvc_ml", "by": 3}, SchemaError, "by = 3 must name a group column"),
        (
            SMALL.drop(columns="patient_id"),
            {"measure": "fvc_ml"},
            SchemaError,
            "the visits frame has no 'patient_id' column",
        ),
        (
            SMALL.assign(fvc_ml=SMALL["fvc_ml"].replace(SMALL["fvc_ml"].iloc[0], np.inf)),
            {"measure": "fvc_ml"},
            SchemaError,
            "measure 'fvc_ml' has infinite values",
        ),
        (
            SMALL.assign(arm=np.where(np.arange(len(SMALL)) == 0, "treatment", SMALL["arm"])),
            {"measure": "fvc_ml", "by": "arm"},
            SchemaError,
            "by = 'arm': patient 'P001' is in two groups",
        ),
        (
            SMALL.assign(fvc_ml=2000.0),
            {"measure": "fvc_ml"},
            SchemaError,
            "measure 'fvc_ml' has the same value at every visit",
        ),
    ],
)
def test_more_bad_input(
    frame: pd.DataFrame, kwargs: dict[str, object], error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        annual_rate(frame, **kwargs)  # type: ignore[arg-type]


def test_too_few_observations() -> None:
    # three patients, two of them with one visit: 4 observations - 3 patients - 1 slope = 0
    rows = pd.DataFrame(
        {
            "patient_id": ["a", "a", "b", "c"],
            "day": [0, 365, 0, 0],
            "fvc_ml": [2000.0, 1900.0, 2500.0, 2600.0],
        }
    )
    with pytest.raises(SchemaError, match=r"too few observations \(4\) for 3 patients"):
        annual_rate(rows, "fvc_ml")


def test_repeated_patient_in_patients_frame_is_named() -> None:
    patients = pd.DataFrame({"patient_id": ["P001", "P001"], "arm": ["placebo", "treatment"]})
    with pytest.raises(SchemaError, match=r"repeated patient_id values, e\.g\. 'P001'"):
        annual_rate(SMALL.drop(columns="arm"), "fvc_ml", by="arm", patients=patients)


def test_measure_as_text_numbers_is_read() -> None:
    as_text = SMALL.assign(fvc_ml=SMALL["fvc_ml"].map(lambda v: None if pd.isna(v) else str(v)))
    fit = annual_rate(as_text, "fvc_ml")
    ref = annual_rate(SMALL, "fvc_ml")
    assert fit.table["slope"].iloc[0] == pytest.approx(ref.table["slope"].iloc[0])


def test_categorical_group_order_is_the_categories() -> None:
    arm = pd.Categorical(SMALL["arm"], categories=["unused", "treatment", "placebo"])
    fit = annual_rate(SMALL.assign(arm=arm), "fvc_ml", by="arm")
    assert fit.table["group"].tolist() == ["treatment", "placebo"]


def test_unsortable_group_labels_are_sorted_as_text() -> None:
    arm = SMALL["arm"].map({"placebo": 1, "treatment": "b"}).astype(object)
    fit = annual_rate(SMALL.assign(arm=arm), "fvc_ml", by="arm")
    assert fit.table["group"].tolist() == ["1", "b"]


def test_warns_when_the_model_does_not_converge(monkeypatch: pytest.MonkeyPatch) -> None:
    from statsmodels.regression.mixed_linear_model import MixedLM

    from sscoutcomes.errors import SSCOutcomesWarning

    original = MixedLM.fit

    def unconverged(self: object, *args: object, **kwargs: object) -> object:
        result = original(self, *args, **kwargs)  # type: ignore[arg-type]
        result.converged = False
        return result

    monkeypatch.setattr(MixedLM, "fit", unconverged)
    with pytest.warns(SSCOutcomesWarning, match="the mixed model did not converge"):
        annual_rate(SMALL, "fvc_ml")
