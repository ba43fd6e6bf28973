"""Table 1: hand-computed cohorts, groups with a missing value, p-values against scipy, the
demo cohort and the display forms (and, when installed, the Python ``tableone`` package)."""

from __future__ import annotations

import math
import re
import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sscoutcomes as ssc
from sscoutcomes.analysis.table_one import TABLE_ONE_COLUMNS, TableOne, table_one
from sscoutcomes.errors import SchemaError

# --- a small cohort, computed by hand ----------------------------------------------------
#
# patient  sex     age  subset   ild    baseline mRSS (visits)
# a        female  40   limited  yes    10 (day 0)
# b        female  50   diffuse  no     20 (day -30; day 5 is after the baseline)
# c        male    60   limited  NA     NA (day -100 is outside the 90-day look-back)
# d        NA      NA   diffuse  yes    16 (day 0)
# e        female  30   NA       yes    NA (no visit)
#
# pah is recorded for nobody (present, all missing); fvc_pct_predicted likewise.


@cache
def small() -> ssc.Cohort:
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b", "c", "d", "e"],
            "sex": ["female", "female", "male", None, "female"],
            "age_at_index": [40.0, 50.0, 60.0, None, 30.0],
            "subset": ["limited", "diffuse", "limited", "diffuse", None],
            "ild": [True, False, None, True, True],
            "pah": [None, None, None, None, None],
        }
    )
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "b", "b", "c", "d"],
            "day": [0, -30, 5, -100, 0],
            "mrss": [10, 20, 40, 30, 16],
            "fvc_pct_predicted": [None, None, None, None, None],
        }
    )
    return ssc.Cohort.from_frames(visits=visits, patients=patients)


def cell(
    t1: TableOne, variable: str, group: str = "Overall", level: str | None = None
) -> pd.Series:
    f = t1.frame
    rows = f[(f["variable"] == variable) & (f["group"] == group)]
    if level is not None:
        rows = rows[rows["level"] == level]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_frame_columns_and_order() -> None:
    t1 = table_one(small())
    assert list(t1.frame.columns) == list(TABLE_ONE_COLUMNS)
    assert list(dict.fromkeys(t1.frame["variable"])) == [
        "n",
        "age_at_index",
        "sex",
        "subset",
        "ild",
        "pah",
        "mrss",
        "fvc_pct_predicted",
    ]
    assert set(t1.frame["group"]) == {"Overall"}
    assert t1.groups == ()
    assert t1.n_group_missing == 0
    assert t1.notes == ()


def test_continuous_mean_sd_ddof1() -> None:
    age = cell(table_one(small()), "age_at_index")
    assert (age["n"], age["missing"], age["statistic"]) == (4, 1, "mean (SD)")
    assert age["mean"] == pytest.approx(45.0)
    assert age["sd"] == pytest.approx(math.sqrt(500 / 3))  # 12.9099
    # quartiles, numpy/pandas "linear" (R type 7): 30 40 50 60
    assert (age["median"], age["q1"], age["q3"]) == (45.0, 37.5, 52.5)
    assert age["text"] == "45.0 (12.9)"
    assert pd.isna(age["count"])
    assert math.isnan(age["percent"])


def test_median_iqr_for_nonnormal() -> None:
    age = cell(table_one(small(), nonnormal=["age_at_index"]), "age_at_index")
    assert age["statistic"] == "median [IQR]"
    assert age["text"] == "45.0 [37.5, 52.5]"
    values = pd.Series([40.0, 50.0, 60.0, None, 30.0])
    assert age["q1"] == values.quantile(0.25)
    assert age["q3"] == values.quantile(0.75)


def test_baseline_measure_uses_the_baseline_rule() -> None:
    mrss = cell(table_one(small()), "mrss")
    # a 10 (day 0), b 20 (day -30, not day 5), c none in -90..0, d 16, e no visit
    assert (mrss["n"], mrss["missing"]) == (3, 2)
    assert mrss["mean"] == pytest.approx(46 / 3)
    assert mrss["sd"] == pytest.approx(
        math.sqrt(((10 - 46 / 3) ** 2 + (20 - 46 / 3) ** 2 + (16 - 46 / 3) ** 2) / 2)
    )
    assert (mrss["median"], mrss["q1"], mrss["q3"]) == (16.0, 13.0, 18.0)


def test_schedule_baseline_window_is_used() -> None:
    wide = ssc.Schedule.years(0, 1, baseline_window_days=120)
    mrss = cell(table_one(small(), schedule=wide), "mrss")
    assert (mrss["n"], mrss["missing"]) == (4, 1)  # c's day -100 now counts


def test_baseline_scored_from_items() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "b"],
            "day": [0, -10],
            **{f"mrss_{site}": [1, 2] for site in ssc.SKIN_SITES},
        }
    )
    t1 = table_one(ssc.Cohort.from_frames(visits=visits))
    mrss = cell(t1, "mrss")
    assert (mrss["n"], mrss["mean"]) == (2, pytest.approx(25.5))  # 17 and 34


def test_categories_percent_among_known_and_missing_counted() -> None:
    t1 = table_one(small())
    female = cell(t1, "sex", level="female")
    male = cell(t1, "sex", level="male")
    assert (female["count"], female["n"], female["missing"]) == (3, 4, 1)
    assert female["percent"] == 75.0
    assert male["percent"] == 25.0
    assert female["text"] == "3 (75.0)"
    assert male["text"] == "1 (25.0)"
    ild = t1.frame[t1.frame["variable"] == "ild"]
    assert ild["level"].tolist() == ["yes"]  # yes/no: the "yes" row
    assert (ild["count"].iloc[0], ild["n"].iloc[0], ild["missing"].iloc[0]) == (3, 4, 1)


def test_present_but_all_missing_is_shown_absent_is_left_out() -> None:
    t1 = table_one(small())
    pah = cell(t1, "pah", level="yes")
    assert (pah["count"], pah["n"], pah["missing"], pah["text"]) == (0, 0, 5, "0 (NA)")
    fvc = cell(t1, "fvc_pct_predicted")
    assert (fvc["n"], fvc["missing"], fvc["text"]) == (0, 5, "NA (NA)")
    shown = set(t1.frame["variable"])
    for absent in (
        "disease_duration_onset_years",
        "anticentromere",
        "haq_di",
        "dlco_pct_predicted",
    ):
        assert absent not in shown


def test_by_group_drops_and_counts_missing_group() -> None:
    t1 = table_one(small(), by="subset")
    assert t1.groups == ("limited", "diffuse")  # schema order
    assert t1.n_group_missing == 1
    assert t1.notes == (
        "1 patient without subset left out of the group columns (and the tests); kept in Overall.",
    )
    n = t1.frame[t1.frame["variable"] == "n"].set_index("group")["n"]
    assert n.to_dict() == {"Overall": 5, "limited": 2, "diffuse": 2}
    assert "subset" not in set(t1.frame["variable"])
    age_l, age_d = cell(t1, "age_at_index", "limited"), cell(t1, "age_at_index", "diffuse")
    assert (age_l["mean"], age_l["sd"]) == (50.0, pytest.approx(math.sqrt(200)))
    assert (age_d["n"], age_d["missing"], age_d["mean"], age_d["text"]) == (1, 1, 50.0, "50.0 (NA)")
    ild_l = cell(t1, "ild", "limited", "yes")
    assert (ild_l["count"], ild_l["n"], ild_l["missing"], ild_l["percent"]) == (1, 1, 1, 100.0)
    # Overall keeps e (no subset): 5 patients, age of 4
    assert cell(t1, "age_at_index")["n"] == 4
    assert t1.to_markdown().endswith(t1.notes[0])


# --- p-values against scipy --------------------------------------------------------------


@cache
def demo() -> ssc.Cohort:
    return ssc.load_demo()


def demo_data() -> pd.DataFrame:
    """The demo's patients with the baseline measures table_one picks (checked below)."""
    cohort = demo()
    patients = cohort.patients_frame.reset_index(drop=True)
    sel = (
        ssc.Schedule.years(0, 1).select(cohort, ["mrss", "haq_di"]).query("timepoint == 'baseline'")
    )
    return patients.merge(sel[["patient_id", "mrss", "haq_di"]], on="patient_id", how="left")


def test_pvalues_two_groups_against_scipy() -> None:
    t1 = table_one(demo(), by="subset", pvalues=True, nonnormal=["mrss"])
    data = demo_data()
    lim, dif = data["subset"] == "limited", data["subset"] == "diffuse"

    age = cell(t1, "age_at_index")
    expected = stats.ttest_ind(
        data.loc[lim, "age_at_index"], data.loc[dif, "age_at_index"], equal_var=False
    )
    assert age["test"] == "Welch t-test"
    assert age["p"] == pytest.approx(expected.pvalue, rel=1e-12)

    mrss = cell(t1, "mrss")
    x = data.loc[lim, "mrss"].dropna().to_numpy()
    y = data.loc[dif, "mrss"].dropna().to_numpy()
    has_ties = np.unique(np.r_[x, y]).size < x.size + y.size
    method = "asymptotic" if has_ties else "exact"  # R wilcox.test: exact under 50 without ties
    expected = stats.mannwhitneyu(x, y, alternative="two-sided", method=method)
    assert mrss["test"] == "Mann-Whitney U"
    assert mrss["p"] == pytest.approx(expected.pvalue, rel=1e-12)
    # the baseline values are those of Schedule.select
    assert mrss["n"] == x.size + y.size

    ild = cell(t1, "ild", level="yes")
    table = pd.crosstab(data["ild"], data["subset"]).to_numpy()
    assert table.shape == (2, 2)
    chi = stats.chi2_contingency(table)
    assert chi.expected_freq.min() >= 5
    assert ild["test"] == "chi-squared (Yates)"
    assert ild["p"] == pytest.approx(chi.pvalue, rel=1e-12)

    aca = cell(t1, "anticentromere", level="yes")
    table = pd.crosstab(data["anticentromere"], data["subset"]).to_numpy()
    assert stats.chi2_contingency(table).expected_freq.min() < 5
    assert aca["test"] == "Fisher exact"
    assert aca["p"] == pytest.approx(stats.fisher_exact(table).pvalue, rel=1e-12)

    # p and test are the same on every row of a variable; absent without pvalues
    assert cell(t1, "age_at_index", "limited")["p"] == age["p"]
    assert "p" not in table_one(demo(), by="subset").frame.columns


def three_groups() -> ssc.Cohort:
    cohort = demo()
    patients = cohort.patients_frame
    patients.loc[patients.index[::4], "subset"] = "sine"
    return ssc.Cohort.from_frames(visits=cohort.visits, patients=patients)


def test_pvalues_three_groups_against_scipy() -> None:
    cohort = three_groups()
    t1 = table_one(cohort, by="subset", pvalues=True, nonnormal=["disease_duration_onset_years"])
    assert t1.groups == ("limited", "diffuse", "sine")
    p = cohort.patients_frame
    groups = [p.loc[p["subset"] == g] for g in t1.groups]

    age = cell(t1, "age_at_index")
    assert age["test"] == "one-way ANOVA"
    assert age["p"] == pytest.approx(stats.f_oneway(*[g["age_at_index"] for g in groups]).pvalue)

    dur = cell(t1, "disease_duration_onset_years")
    assert dur["test"] == "Kruskal-Wallis"
    assert dur["p"] == pytest.approx(
        stats.kruskal(*[g["disease_duration_onset_years"] for g in groups]).pvalue
    )

    sex = cell(t1, "sex", level="female")
    table = pd.crosstab(p["sex"], p["subset"]).to_numpy()
    assert sex["test"] == "chi-squared (expected count < 5)"
    assert sex["p"] == pytest.approx(stats.chi2_contingency(table).pvalue)


def test_untestable_variable_says_why() -> None:
    t1 = table_one(small(), by="subset", pvalues=True)
    fvc = cell(t1, "fvc_pct_predicted")
    assert math.isnan(fvc["p"])
    assert fvc["test"] == "not tested: a group has no values"
    age = cell(t1, "age_at_index")  # diffuse has one age: no Welch test
    assert math.isnan(age["p"])
    assert age["test"] == "not tested: a group has fewer than 2 values"


# --- the demo cohort and the display forms -----------------------------------------------


def test_demo_by_subset_is_sensible() -> None:
    t1 = table_one(demo(), by="subset", pvalues=True)
    f = t1.frame
    n = f[f["variable"] == "n"].set_index("group")["n"]
    assert n["Overall"] == len(demo().patients_frame) == n["limited"] + n["diffuse"]
    assert t1.n_group_missing == 0
    # every percentage lies in 0..100 and every count within its n
    cats = f[f["statistic"] == "n (%)"]
    assert cats["percent"].between(0, 100).all()
    assert (cats["count"] <= cats["n"]).all()
    assert (
        (f["n"] + f["missing"])
        .loc[f["variable"] != "n"]
        .eq(f["group"].map(n)[f["variable"] != "n"])
        .all()
    )
    # anti-topoisomerase goes with diffuse, anticentromere with limited disease
    assert (
        cell(t1, "anti_topoisomerase", "diffuse", "yes")["percent"]
        > cell(t1, "anti_topoisomerase", "limited", "yes")["percent"]
    )
    assert (
        cell(t1, "anticentromere", "limited", "yes")["percent"]
        > cell(t1, "anticentromere", "diffuse", "yes")["percent"]
    )
    assert 0 <= cell(t1, "haq_di")["mean"] <= 3
    assert 0 <= cell(t1, "mrss")["mean"] <= 51


def test_wide_layout() -> None:
    t1 = table_one(small(), by="subset", pvalues=True)
    wide = t1.to_wide()
    assert list(wide.columns) == ["Overall", "limited", "diffuse", "Missing", "p", "test"]
    assert wide.index.names == ["variable", "level"]
    assert wide.index[0] == ("n", "")
    assert wide.loc[("n", "")].tolist()[:3] == ["5", "2", "2"]
    assert wide.loc[("Sex, n (%)", "female")].tolist()[:4] == [
        "3 (75.0)",
        "1 (50.0)",
        "1 (100.0)",
        "1",
    ]
    assert wide.loc[("Sex, n (%)", "male"), "Missing"] == ""  # once per variable
    assert wide.loc[("Age at index, years, mean (SD)", ""), "Missing"] == "1"
    no_p = table_one(small()).to_wide()
    assert list(no_p.columns) == ["Overall", "Missing"]


def test_markdown_shape() -> None:
    t1 = table_one(demo(), by="subset", pvalues=True)
    wide = t1.to_wide()
    lines = t1.to_markdown().splitlines()
    assert lines[0] == "| variable | level | Overall | limited | diffuse | Missing | p | test |"
    assert re.fullmatch(r"\| --- \| --- \|( ---: \|)+ --- \|", lines[1])
    body = lines[2:]
    assert len(body) == len(wide)
    assert all(line.count("|") == lines[0].count("|") for line in body)
    assert "| Sex, n (%) | female |" in t1.to_markdown()


def test_html_shape_and_escaping() -> None:
    patients = pd.DataFrame({"patient_id": ["a<b>", "c&d"], "age_at_index": [50.0, 60.0]})
    visits = pd.DataFrame({"patient_id": ["a<b>", "c&d"], "day": [0, 0]})
    t1 = table_one(ssc.Cohort.from_frames(visits=visits, patients=patients), by="patient_id")
    out = t1.to_html()
    assert out.startswith("<table")
    assert out.count("<tr>") == 1 + len(t1.to_wide())
    assert "a&lt;b&gt;" in out
    assert "c&amp;d" in out
    assert "a<b>" not in out
    assert t1._repr_html_() == out
    assert repr(t1).startswith("TableOne(by='patient_id')")
    demo_html = table_one(demo(), by="subset").to_html()
    assert demo_html.count("<tr>") == 1 + len(table_one(demo(), by="subset").to_wide())


def test_input_is_not_modified() -> None:
    cohort = small()
    before = [f.copy() for f in cohort.to_frames()]
    table_one(cohort, by="subset", pvalues=True)
    for a, b in zip(before, cohort.to_frames(), strict=True):
        pd.testing.assert_frame_equal(a, b)


# --- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cohort": pd.DataFrame()}, "cohort must be a Cohort"),
        ({"by": "arm"}, "by = 'arm' is not a column of the patients frame"),
        ({"by": 3}, "by = 3 must be a patients column name"),
        ({"nonnormal": ["sex"]}, "nonnormal: 'sex' is not a continuous variable"),
        ({"nonnormal": 5}, "nonnormal must be a list of variable names"),
        ({"pvalues": True}, "pvalues = True compares groups"),
        ({"by": "subset", "pvalues": "yes"}, "pvalues = 'yes' must be True or False"),
        ({"schedule": ssc.Schedule.years(1)}, "the schedule has no baseline"),
        ({"schedule": "baseline"}, "schedule must be a Schedule"),
    ],
)
def test_bad_input_raises_library_errors(kwargs: dict[str, object], message: str) -> None:
    args = {"cohort": small(), **kwargs}
    cohort = args.pop("cohort")
    with pytest.raises(SchemaError, match=re.escape(message)):
        table_one(cohort, **args)  # type: ignore[arg-type]


def test_exported() -> None:
    assert ssc.table_one is table_one
    assert ssc.TableOne is TableOne


# --- the reference implementation, when installed ----------------------------------------


def test_matches_python_tableone_package() -> None:
    tableone = pytest.importorskip("tableone")
    data = demo_data()
    for col in ("ild", "pah", "anticentromere", "sex", "subset"):
        data[col] = data[col].astype(object)
    columns = [
        "age_at_index",
        "sex",
        "disease_duration_onset_years",
        "ild",
        "pah",
        "anticentromere",
        "mrss",
        "haq_di",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = tableone.TableOne(
            data,
            columns=columns,
            categorical=["sex", "ild", "pah", "anticentromere"],
            nonnormal=["disease_duration_onset_years"],
            groupby="subset",
            pval=True,
            include_null=False,
            decimals={"haq_di": 2},
        ).tableone
    ref.columns = ref.columns.droplevel(0)
    ours = table_one(demo(), by="subset", pvalues=True, nonnormal=["disease_duration_onset_years"])
    wide = ours.to_wide()

    def strip(text: str) -> str:
        return text.replace(", ", ",")

    for group in ("Overall", "limited", "diffuse"):
        assert (
            strip(wide.loc[("Age at index, years, mean (SD)", ""), group])
            == ref.loc[("age_at_index, mean (SD)", ""), group]
        )
        assert (
            wide.loc[("mRSS at baseline, mean (SD)", ""), group]
            == ref.loc[("mrss, mean (SD)", ""), group]
        )
        assert (
            wide.loc[("HAQ-DI at baseline, mean (SD)", ""), group]
            == ref.loc[("haq_di, mean (SD)", ""), group]
        )
        assert (
            strip(wide.loc[("Disease duration from onset, years, median [IQR]", ""), group])
            == ref.loc[("disease_duration_onset_years, median [Q1,Q3]", ""), group]
        )
        assert wide.loc[("Sex, n (%)", "female"), group] == ref.loc[("sex, n (%)", "female"), group]
        assert (
            wide.loc[("Interstitial lung disease, n (%)", "yes"), group]
            == ref.loc[("ild, n (%)", "True"), group]
        )
    for ours_row, ref_row in (
        (("Age at index, years, mean (SD)", ""), ("age_at_index, mean (SD)", "")),
        (("Sex, n (%)", "female"), ("sex, n (%)", "female")),
        (("Interstitial lung disease, n (%)", "yes"), ("ild, n (%)", "False")),
        (("Anticentromere, n (%)", "yes"), ("anticentromere, n (%)", "False")),
        (("mRSS at baseline, mean (SD)", ""), ("mrss, mean (SD)", "")),
    ):
        assert wide.loc[ours_row, "p"] == ref.loc[ref_row, "P-Value"]
        assert wide.loc[ours_row, "Missing"] == str(ref.loc[ref_row, "Missing"])


# --- branches not reached above: odd group columns and tests that cannot be run ----------


def six(**columns: object) -> ssc.Cohort:
    patients = pd.DataFrame(
        {
            "patient_id": list("abcdef"),
            "age_at_index": [40.0, 41.0, 42.0, 43.0, 44.0, 45.0],
            **columns,
        }
    )
    visits = pd.DataFrame({"patient_id": list("abcdef"), "day": [0] * 6, "mrss": [10] * 6})
    return ssc.Cohort.from_frames(visits=visits, patients=patients)


def test_nonnormal_may_be_one_name() -> None:
    age = cell(table_one(small(), nonnormal="age_at_index"), "age_at_index")
    assert age["statistic"] == "median [IQR]"
    assert age["text"] == "45.0 [37.5, 52.5]"


def test_groups_of_mixed_types_are_sorted_as_text() -> None:
    t1 = table_one(six(arm=[1, "x", 1, "x", 1, "x"]), by="arm")
    assert t1.groups == ("1", "x")
    assert cell(t1, "age_at_index", "1")["mean"] == pytest.approx(42.0)


def test_categorical_groups_keep_their_order_and_drop_unused() -> None:
    arm = pd.Categorical(["b", "a"] * 3, categories=["z", "b", "a"])
    t1 = table_one(six(arm=arm), by="arm")
    assert t1.groups == ("b", "a")
    assert cell(t1, "n", "b")["count"] == 3


@pytest.mark.parametrize(
    ("arm", "match"),
    [
        ([True, "yes"] * 3, r"by = 'arm': distinct values True, 'yes' print the same \('yes'\)"),
        (["Overall", "b"] * 3, "by = 'arm': a group may not be named 'Overall'"),
    ],
)
def test_group_labels_must_be_distinct_and_not_overall(arm: list[object], match: str) -> None:
    with pytest.raises(SchemaError, match=match):
        table_one(six(arm=arm), by="arm")


def test_category_without_any_value_lists_the_schema_categories() -> None:
    t1 = table_one(six(sex=[None] * 6))
    rows = t1.frame[t1.frame["variable"] == "sex"]
    assert rows["level"].tolist() == ["female", "male"]
    assert rows["count"].tolist() == [0, 0]
    assert rows["missing"].tolist() == [6, 6]


def test_tests_not_run_say_why() -> None:
    one_group = table_one(six(arm=["a"] * 6, sex=["female"] * 6), by="arm", pvalues=True)
    assert cell(one_group, "age_at_index")["test"] == "not tested: fewer than 2 groups"
    assert cell(one_group, "sex", level="female")["test"] == "not tested: fewer than 2 groups"

    no_variation = table_one(six(arm=["a", "b"] * 3), by="arm", pvalues=True)
    mrss = cell(no_variation, "mrss")
    assert mrss["test"] == "not tested: the test is undefined for these values (no variation?)"
    assert math.isnan(mrss["p"])

    singletons = table_one(six(arm=list("abcdef")), by="arm", pvalues=True)
    assert cell(singletons, "age_at_index")["test"] == "not tested: too few values for an ANOVA"

    kruskal = table_one(six(arm=list("abcabc")), by="arm", pvalues=True, nonnormal=["mrss"])
    assert (
        cell(kruskal, "mrss")["test"]
        == "not tested: the test is undefined for these values (no variation?)"
    )


def test_a_test_that_raises_is_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # scipy < 1.15 raises for Kruskal-Wallis on identical values (later versions return nan)
    def identical(*groups: object) -> object:
        raise ValueError("All numbers are identical in kruskal")

    monkeypatch.setattr(stats, "kruskal", identical)
    t1 = table_one(six(arm=list("abcabc")), by="arm", pvalues=True, nonnormal=["mrss"])
    mrss = cell(t1, "mrss")
    assert mrss["test"] == "not tested: the test is undefined for these values (no variation?)"
    assert math.isnan(mrss["p"])
