"""Kaplan-Meier and log-rank against R's survival package.

Reference values are R's own recorded output in the survival package's test suite
(github.com/therneau/survival): ``tests/doaml.Rout.save`` (``summary(survfit(...))`` and
``survdiff`` on the ``aml`` data) and ``tests/Examples/survival-Ex.Rout.save`` (``survdiff``
on ``ovarian``; the Breslow Cox score test, which equals the log-rank statistic). R prints
3-4 significant digits; those digits are checked to the printed precision. For full
precision, R's own test ``tests/survfit1.R`` (saved output ``tests/survfit1.Rout.save``,
lines 116-126: ``aeq(fit1$surv, ...)``, ``aeq(fit1$std.err, ...)`` ``[1] TRUE``) asserts
that ``survfit`` on ``aml`` equals the hand-coded product-limit estimate and Greenwood
standard error to ``all.equal``'s 1.5e-8; the same closed forms (exact fractions) are
checked here to 1e-10, so the library equals R's ``survfit`` well within 1e-6.
``data/make_reference.R`` reprints everything with 10 digits for anyone with R.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes import OutOfRangeError, SchemaError, cox_ph, kaplan_meier, logrank

DATA = Path(__file__).parent / "data"
AML = pd.read_csv(DATA / "aml.csv")
OVARIAN = pd.read_csv(DATA / "ovarian.csv")


def group(x: str) -> pd.DataFrame:
    return AML[AML["x"] == x]


# tests/doaml.Rout.save, summary(fit), aml$x=Maintained (time, n.risk, n.event, survival,
# std.err, lower 95% CI, upper 95% CI)
R_MAINTAINED = [
    (9, 11, 1, 0.909, 0.0867, 0.7541, 1.000),
    (13, 10, 1, 0.818, 0.1163, 0.6192, 1.000),
    (18, 8, 1, 0.716, 0.1397, 0.4884, 1.000),
    (23, 7, 1, 0.614, 0.1526, 0.3769, 0.999),
    (31, 5, 1, 0.491, 0.1642, 0.2549, 0.946),
    (34, 4, 1, 0.368, 0.1627, 0.1549, 0.875),
    (48, 2, 1, 0.184, 0.1535, 0.0359, 0.944),
]
# same file, aml$x=Nonmaintained
R_NONMAINTAINED = [
    (5, 12, 2, 0.8333, 0.1076, 0.6470, 1.000),
    (8, 10, 2, 0.6667, 0.1361, 0.4468, 0.995),
    (12, 8, 1, 0.5833, 0.1423, 0.3616, 0.941),
    (23, 6, 1, 0.4861, 0.1481, 0.2675, 0.883),
    (27, 5, 1, 0.3889, 0.1470, 0.1854, 0.816),
    (30, 4, 1, 0.2917, 0.1387, 0.1148, 0.741),
    (33, 3, 1, 0.1944, 0.1219, 0.0569, 0.664),
    (43, 2, 1, 0.0972, 0.0919, 0.0153, 0.620),
    (45, 1, 1, 0.0000, math.nan, math.nan, math.nan),
]


def decimals(x: float) -> float:
    """Half a unit of the last printed digit."""
    text = f"{x}"
    return 0.5 * 10 ** -(len(text.split(".")[1]) if "." in text else 0) + 1e-12


@pytest.mark.parametrize(
    ("x", "expected"), [("Maintained", R_MAINTAINED), ("Nonmaintained", R_NONMAINTAINED)]
)
def test_kaplan_meier_equals_r_summary(x: str, expected: list[tuple[float, ...]]) -> None:
    g = group(x)
    km = kaplan_meier(g["time"], g["status"])
    table = km.table[km.table["n_event"] > 0].reset_index(drop=True)
    assert len(table) == len(expected)
    for row, ref in zip(table.itertuples(index=False), expected, strict=True):
        t, n_risk, n_event, surv, se, lo, hi = ref
        assert row.time == t
        assert row.n_risk == n_risk
        assert row.n_event == n_event
        for got, want in (
            (row.survival, surv),
            (row.std_err, se),
            (row.lower, lo),
            (row.upper, hi),
        ):
            if math.isnan(want):
                assert math.isnan(got)
            else:
                assert abs(got - want) <= decimals(want), (t, got, want)


def test_kaplan_meier_exact_products_and_greenwood() -> None:
    # Maintained arm: S = 10/11 * 9/10 * 7/8 * 6/7 * 4/5 * 3/4 * 1/2 at its death times.
    g = group("Maintained")
    km = kaplan_meier(g["time"], g["status"])
    events = km.table[km.table["n_event"] > 0]
    factors = [
        Fraction(10, 11),
        Fraction(9, 10),
        Fraction(7, 8),
        Fraction(6, 7),
        Fraction(4, 5),
        Fraction(3, 4),
        Fraction(1, 2),
    ]
    at_risk = [11, 10, 8, 7, 5, 4, 2]
    s = Fraction(1)
    greenwood = Fraction(0)
    for row, f, n in zip(events.itertuples(index=False), factors, at_risk, strict=True):
        s *= f
        greenwood += Fraction(1, n * (n - 1))
        assert row.survival == pytest.approx(float(s), abs=1e-12)
        se = float(s) * math.sqrt(float(greenwood))
        assert row.std_err == pytest.approx(se, abs=1e-12)
        z = 1.959963984540054
        log_se = math.sqrt(float(greenwood))
        assert row.lower == pytest.approx(float(s) * math.exp(-z * log_se), abs=1e-10)
        assert row.upper == pytest.approx(min(1.0, float(s) * math.exp(z * log_se)), abs=1e-10)


def test_median_and_its_limits_equal_r_print() -> None:
    # doaml.Rout.save, print(fit): median 31 (18, NA) and 23 (8, NA)
    m = kaplan_meier(group("Maintained")["time"], group("Maintained")["status"])
    assert m.median == 31
    lo, hi = m.median_ci
    assert lo == 18
    assert math.isnan(hi)
    n = kaplan_meier(group("Nonmaintained")["time"], group("Nonmaintained")["status"])
    assert n.median == 23
    assert n.median_ci[0] == 8


def test_median_on_a_flat_half_is_the_midpoint() -> None:
    # S drops to exactly 0.5 at t=2 and below it at t=5: R's survmean gives (2 + 5) / 2.
    km = kaplan_meier([1, 2, 5, 6], [0, 1, 1, 0])
    assert km.table.loc[km.table["time"] == 2, "survival"].item() == pytest.approx(2 / 3)
    km = kaplan_meier([1, 2, 5, 6], [1, 1, 1, 0])
    assert km.median == 3.5


def test_log_log_and_plain_intervals() -> None:
    g = group("Maintained")
    km = kaplan_meier(g["time"], g["status"], conf_type="log-log")
    row = km.table[km.table["time"] == 31].iloc[0]
    s, se_log = row.survival, row.std_err / row.survival
    z = 1.959963984540054
    ll = math.log(-math.log(s))
    assert row.lower == pytest.approx(math.exp(-math.exp(ll - z * se_log / math.log(s))))
    assert row.upper == pytest.approx(math.exp(-math.exp(ll + z * se_log / math.log(s))))
    plain = kaplan_meier(g["time"], g["status"], conf_type="plain")
    prow = plain.table[plain.table["time"] == 31].iloc[0]
    assert prow.lower == pytest.approx(max(0.0, s - z * row.std_err))
    assert prow.upper == pytest.approx(min(1.0, s + z * row.std_err))


def test_survdiff_aml_equals_r() -> None:
    # doaml.Rout.save: Expected 10.69 / 7.31, (O-E)^2/E 1.27 / 1.86, (O-E)^2/V 3.4,
    # Chisq = 3.4 on 1 df, p = 0.07
    lr = logrank(AML["time"], AML["status"], AML["x"])
    assert lr.df == 1
    assert lr.statistic == pytest.approx(3.4, abs=0.05)
    assert lr.p == pytest.approx(0.07, abs=0.005)
    t = lr.table.set_index("group")
    assert t.loc["Maintained", "observed"] == 7
    assert t.loc["Maintained", "expected"] == pytest.approx(10.69, abs=0.005)
    assert t.loc["Nonmaintained", "expected"] == pytest.approx(7.31, abs=0.005)
    assert t.loc["Maintained", "oe2_e"] == pytest.approx(1.27, abs=0.005)
    assert t.loc["Nonmaintained", "oe2_e"] == pytest.approx(1.86, abs=0.005)


def test_survdiff_ovarian_equals_r() -> None:
    # survival-Ex.Rout.save: Expected 5.23 / 6.77, (O-E)^2/E 0.596 / 0.461,
    # (O-E)^2/V 1.06; Breslow Cox score test 1.063, p = 0.303
    lr = logrank(OVARIAN["futime"], OVARIAN["fustat"], OVARIAN["rx"])
    assert lr.statistic == pytest.approx(1.063, abs=0.0005)
    assert lr.p == pytest.approx(0.303, abs=0.0005)
    t = lr.table.set_index("group")
    assert t.loc["1", "expected"] == pytest.approx(5.23, abs=0.005)
    assert t.loc["2", "expected"] == pytest.approx(6.77, abs=0.005)
    assert t.loc["1", "oe2_e"] == pytest.approx(0.596, abs=0.0005)
    assert t.loc["2", "oe2_e"] == pytest.approx(0.461, abs=0.0005)


def test_two_group_logrank_equals_scipy() -> None:
    from scipy import stats

    lr = logrank(AML["time"], AML["status"], AML["x"])
    m, n = group("Maintained"), group("Nonmaintained")
    res = stats.logrank(
        stats.CensoredData(
            uncensored=m.loc[m.status == 1, "time"], right=m.loc[m.status == 0, "time"]
        ),
        stats.CensoredData(
            uncensored=n.loc[n.status == 1, "time"], right=n.loc[n.status == 0, "time"]
        ),
    )
    assert lr.statistic == pytest.approx(float(res.statistic) ** 2, rel=1e-9)
    assert lr.p == pytest.approx(float(res.pvalue), rel=1e-9)


def test_three_groups_chi_square_df() -> None:
    rng = np.random.default_rng(1)
    t = rng.exponential(100, 60)
    e = rng.random(60) < 0.7
    g = np.repeat(["a", "b", "c"], 20)
    lr = logrank(t, e, g)
    assert lr.df == 2
    assert 0 <= lr.p <= 1
    assert lr.table["observed"].sum() == e.sum()
    assert lr.table["expected"].sum() == pytest.approx(e.sum())


def test_survival_at_landmarks() -> None:
    g = group("Maintained")
    km = kaplan_meier(g["time"], g["status"])
    at = km.survival_at([0, 9, 12, 31, 160, 200])
    assert at["survival"].iloc[0] == 1.0
    assert at["survival"].iloc[1] == pytest.approx(10 / 11)
    assert at["survival"].iloc[2] == pytest.approx(10 / 11)
    assert at["survival"].iloc[4] == pytest.approx(0.184091, abs=1e-6)
    assert math.isnan(at["survival"].iloc[5])  # beyond the last follow-up
    assert at["n_risk"].tolist()[:3] == [11, 11, 10]


def test_bad_input_names_field_and_row() -> None:
    with pytest.raises(OutOfRangeError) as info:
        kaplan_meier([1, -2, 3], [1, 0, 2])
    cases = info.value.failure_cases
    assert cases is not None
    assert set(zip(cases["column"], cases["row"], strict=True)) == {("time", 1), ("event", 2)}
    with pytest.raises(SchemaError, match="must match"):
        kaplan_meier([1, 2], [1])
    with pytest.raises(SchemaError, match="conf_type"):
        kaplan_meier([1, 2], [1, 0], conf_type="logit")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="two groups"):
        logrank([1, 2], [1, 1], ["a", "a"])
    with pytest.raises(SchemaError, match="not a number"):
        kaplan_meier([1, None], [1, 0])


samples = st.lists(st.tuples(st.integers(0, 50), st.booleans()), min_size=1, max_size=40)


@given(samples, st.sampled_from(["log", "log-log", "plain"]))
def test_km_monotone_in_unit_interval_and_ci_contains_estimate(
    data: list[tuple[int, bool]], conf_type: str
) -> None:
    t = [d[0] for d in data]
    e = [d[1] for d in data]
    km = kaplan_meier(t, e, conf_type=conf_type)  # type: ignore[arg-type]
    s = km.table["survival"].to_numpy()
    assert ((s >= 0) & (s <= 1)).all()
    assert (np.diff(s) <= 1e-15).all()
    ok = ~np.isnan(km.table["lower"].to_numpy())
    lo = km.table["lower"].to_numpy()[ok]
    hi = km.table["upper"].to_numpy()[ok]
    assert (lo <= s[ok] + 1e-12).all()
    assert (s[ok] <= hi + 1e-12).all()


@given(samples, st.randoms(use_true_random=False))
def test_km_invariant_to_row_order(data: list[tuple[int, bool]], rnd: object) -> None:
    shuffled = list(data)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = kaplan_meier([d[0] for d in data], [d[1] for d in data]).table
    b = kaplan_meier([d[0] for d in shuffled], [d[1] for d in shuffled]).table
    pd.testing.assert_frame_equal(a, b)


def test_logrank_with_many_groups_equals_the_pseudo_inverse_formula() -> None:
    # one group per patient: the cost no longer grows with groups squared (see the
    # benchmark); the statistic is the generalized quadratic form of the variance
    rng = np.random.default_rng(7)
    n = 60
    t = rng.exponential(100, n).round() + 1
    e = rng.random(n) < 0.7
    g = np.arange(n)
    result = logrank(t, e, g)
    times = np.unique(t[e])
    observed, expected = np.zeros(n), np.zeros(n)
    v = np.zeros((n, n))
    for s in times:
        at_risk = (t >= s).astype(float)
        deaths = ((t == s) & e).astype(float)
        n_s, d_s = at_risk.sum(), deaths.sum()
        observed += deaths
        expected += at_risk * d_s / n_s
        if n_s > 1:
            f = d_s * (n_s - d_s) / (n_s * n_s * (n_s - 1))
            v += f * (n_s * np.diag(at_risk) - np.outer(at_risk, at_risk))
    keep = np.flatnonzero(expected > 0)[1:]
    diff = (observed - expected)[keep]
    statistic = diff @ np.linalg.pinv(v[np.ix_(keep, keep)]) @ diff
    assert result.statistic == pytest.approx(statistic, rel=1e-9)
    assert result.df == keep.size


# --- by group, G-rho and Cox: R's saved output (data/make_reference_groups.R) -------------

DEMO = pd.read_csv(DATA / "demo_survival.csv")
REF_SURVFIT = pd.read_csv(DATA / "ref_survfit_groups.csv", keep_default_na=False, na_values=["NA"])
REF_SURVDIFF = pd.read_csv(DATA / "ref_survdiff_rho.csv", dtype={"group": str})
TOL = 1e-6


def test_demo_survival_csv_is_what_the_demo_cohort_gives() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("export", DATA / "export_demo_survival.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pd.testing.assert_frame_equal(module.demo_survival(), DEMO, check_dtype=False)


@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
@pytest.mark.parametrize(
    ("data", "frame", "columns"),
    [("demo", DEMO, ("time", "event", "subset")), ("aml", AML, ("time", "status", "x"))],
)
def test_grouped_kaplan_meier_equals_r_survfit(
    conf_type: str, data: str, frame: pd.DataFrame, columns: tuple[str, str, str]
) -> None:
    time, event, by = columns
    km = kaplan_meier(frame[time], frame[event], group=frame[by], conf_type=conf_type)  # type: ignore[arg-type]
    ref = REF_SURVFIT[(REF_SURVFIT["data"] == data) & (REF_SURVFIT["conf_type"] == conf_type)]
    ref = ref.drop(columns=["data", "conf_type"]).reset_index(drop=True)
    assert km.groups == tuple(sorted(frame[by].astype(str).unique()))
    assert km.table["group"].tolist() == ref["group"].tolist()
    for column in ("time", "n_risk", "n_event", "n_censor"):
        assert km.table[column].tolist() == ref[column].tolist(), column
    for column in ("survival", "std_err", "lower", "upper"):
        np.testing.assert_allclose(
            km.table[column].to_numpy(float), ref[column].to_numpy(float), rtol=0, atol=TOL
        )


def test_grouped_fit_equals_one_fit_per_group_and_drops_missing_groups() -> None:
    x = AML["x"].astype(object).copy()
    x.iloc[[0, 15]] = [None, np.nan]
    km = kaplan_meier(AML["time"], AML["status"], group=x)
    assert km.n_dropped == 2
    assert km.n == len(AML) - 2
    assert km.groups == ("Maintained", "Nonmaintained")
    keep = x.notna()
    for label in km.groups:
        rows = keep & (x == label)
        alone = kaplan_meier(AML.loc[rows, "time"], AML.loc[rows, "status"])
        mine = km.table[km.table["group"] == label].drop(columns="group")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), alone.table)
        at = km.survival_at([0, 10, 30, 200], group=label)
        assert at["group"].tolist() == [label] * 4
        pd.testing.assert_frame_equal(at.drop(columns="group"), alone.survival_at([0, 10, 30, 200]))
    both = km.survival_at([10, 30])
    assert both["group"].tolist() == ["Maintained"] * 2 + ["Nonmaintained"] * 2
    summary = km.summary.set_index("group")
    assert (
        summary.loc["Maintained", "median"]
        == kaplan_meier(
            AML.loc[keep & (x == "Maintained"), "time"],
            AML.loc[keep & (x == "Maintained"), "status"],
        ).median
    )


def test_ungrouped_fit_is_unchanged_and_refuses_a_group() -> None:
    km = kaplan_meier(AML["time"], AML["status"])
    assert km.groups == ()
    assert km.n_dropped == 0
    assert "group" not in km.table.columns
    assert list(km.summary.columns) == ["n", "n_event", "median", "lower", "upper"]
    with pytest.raises(SchemaError, match="has no groups"):
        km.survival_at([10], group="Maintained")


def test_grouped_fit_names_unknown_groups_and_has_no_single_median() -> None:
    km = kaplan_meier(AML["time"], AML["status"], group=AML["x"])
    with pytest.raises(SchemaError, match="'Other' is not one of the fitted groups"):
        km.survival_at([10], group="Other")
    with pytest.raises(SchemaError, match="one median per group"):
        _ = km.median
    assert "groups=" in repr(km)
    with pytest.raises(SchemaError, match="all 2 patients"):
        kaplan_meier([1, 2], [1, 0], group=[None, None])
    with pytest.raises(SchemaError, match="conf_type='plain' by name"):
        kaplan_meier([1, 2], [1, 0], "plain")  # type: ignore[arg-type]


def test_numeric_groups_sort_as_numbers() -> None:
    km = kaplan_meier([1, 2, 3, 4], [1, 1, 0, 1], group=[10, 2, 10, 2])
    assert km.groups == ("2", "10")
    assert km.survival_at([1], group=10)["survival"].item() == pytest.approx(0.5)


@pytest.mark.parametrize("rho", [0, 0.5, 1])
@pytest.mark.parametrize(
    ("data", "frame", "columns"),
    [
        ("demo", DEMO, ("time", "event", "subset")),
        ("aml", AML, ("time", "status", "x")),
        ("ovarian", OVARIAN, ("futime", "fustat", "rx")),
    ],
)
def test_logrank_rho_equals_r_survdiff(
    rho: float, data: str, frame: pd.DataFrame, columns: tuple[str, str, str]
) -> None:
    time, event, by = columns
    lr = logrank(frame[time], frame[event], frame[by], rho=rho)
    ref = REF_SURVDIFF[(REF_SURVDIFF["data"] == data) & (REF_SURVDIFF["rho"] == rho)]
    assert lr.rho == rho
    assert lr.df == ref["df"].iloc[0]
    assert lr.statistic == pytest.approx(ref["chisq"].iloc[0], abs=TOL)
    assert lr.p == pytest.approx(ref["p"].iloc[0], abs=TOL)
    assert lr.table["group"].tolist() == ref["group"].tolist()
    assert lr.table["n"].tolist() == ref["n"].tolist()
    for mine, theirs in (("observed", "observed"), ("expected", "expected")):
        np.testing.assert_allclose(lr.table[mine], ref[theirs], rtol=0, atol=TOL)
    np.testing.assert_allclose(
        lr.table["oe2_v"], (ref["observed"] - ref["expected"]) ** 2 / ref["var"], atol=TOL
    )


def test_logrank_drops_missing_groups_and_checks_rho() -> None:
    x = AML["x"].astype(object).copy()
    x.iloc[3] = None
    lr = logrank(AML["time"], AML["status"], x)
    keep = x.notna()
    alone = logrank(AML.loc[keep, "time"], AML.loc[keep, "status"], x[keep])
    assert lr.n_dropped == 1
    assert lr.statistic == alone.statistic
    for bad in (-1, math.nan, math.inf, "1", True):
        with pytest.raises(OutOfRangeError, match="rho"):
            logrank(AML["time"], AML["status"], AML["x"], rho=bad)  # type: ignore[arg-type]


REF_COX = pd.read_csv(DATA / "ref_coxph.csv")
REF_COX_TESTS = pd.read_csv(DATA / "ref_coxph_tests.csv")


def _demo_na() -> pd.DataFrame:
    demo = DEMO.copy()
    demo.loc[[2, 9], "age_at_index"] = np.nan  # R: demo_na$age_at_index[c(3, 10)] <- NA
    return demo


OVARIAN_RX = OVARIAN.assign(rx=OVARIAN["rx"].astype(str))
COX_MODELS = {
    # R model -> (frame, time, event, covariates, R term name -> our term name)
    "demo ~ subset": (DEMO, "time", "event", ["subset"], {"subsetlimited": "subset[limited]"}),
    "demo ~ subset + age_at_index": (
        DEMO,
        "time",
        "event",
        ["subset", "age_at_index"],
        {"subsetlimited": "subset[limited]", "age_at_index": "age_at_index"},
    ),
    "demo_na ~ subset + age_at_index": (
        _demo_na(),
        "time",
        "event",
        ["subset", "age_at_index"],
        {"subsetlimited": "subset[limited]", "age_at_index": "age_at_index"},
    ),
    "aml ~ x": (AML, "time", "status", ["x"], {"xNonmaintained": "x[Nonmaintained]"}),
    "ovarian ~ rx": (OVARIAN_RX, "futime", "fustat", ["rx"], {"rx2": "rx[2]"}),
}


@pytest.mark.parametrize("ties", ["efron", "breslow"])
@pytest.mark.parametrize("model", list(COX_MODELS))
def test_cox_ph_equals_r_coxph(model: str, ties: str) -> None:
    frame, time, event, covariates, names = COX_MODELS[model]
    fit = cox_ph(frame[time], frame[event], frame[covariates], ties=ties)  # type: ignore[arg-type]
    ref = REF_COX[(REF_COX["model"] == model) & (REF_COX["ties"] == ties)]
    ref = ref.assign(term=ref["term"].map(names)).set_index("term")
    assert list(fit.table.index) == list(ref.index)
    assert list(fit.table.columns) == ["coef", "se", "hr", "lower", "upper", "z", "p"]
    for column in fit.table.columns:
        np.testing.assert_allclose(fit.table[column], ref[column], rtol=TOL, atol=TOL)
    tests = REF_COX_TESTS[(REF_COX_TESTS["model"] == model) & (REF_COX_TESTS["ties"] == ties)]
    r = tests.iloc[0]
    assert (fit.n, fit.n_events, fit.n_dropped) == (r["n"], r["n_events"], r["n_dropped"])
    assert fit.loglik == pytest.approx(r["loglik"], abs=TOL)
    assert fit.loglik_null == pytest.approx(r["loglik_null"], abs=TOL)
    assert fit.df == r["lr_df"]
    assert fit.statistic == pytest.approx(r["lr"], abs=TOL)
    assert fit.p == pytest.approx(r["lr_p"], abs=TOL)
    for test, column in (("likelihood_ratio", "lr"), ("wald", "wald"), ("score", "score")):
        assert fit.tests.loc[test, "statistic"] == pytest.approx(r[column], abs=TOL), test
        assert fit.tests.loc[test, "p"] == pytest.approx(r[f"{column}_p"], abs=TOL), test


def test_breslow_score_test_is_the_logrank_test() -> None:
    fit = cox_ph(OVARIAN["futime"], OVARIAN["fustat"], OVARIAN_RX[["rx"]], ties="breslow")
    lr = logrank(OVARIAN["futime"], OVARIAN["fustat"], OVARIAN["rx"])
    assert fit.tests.loc["score", "statistic"] == pytest.approx(lr.statistic, rel=1e-9)


def test_cox_ph_codes_levels_and_checks_its_input() -> None:
    frame = AML.assign(
        flag=AML["x"] == "Maintained",
        x_cat=pd.Categorical(AML["x"], categories=["Nonmaintained", "Maintained"]),
    )
    text = cox_ph(AML["time"], AML["status"], AML[["x"]])
    flag = cox_ph(AML["time"], AML["status"], frame[["flag"]])
    assert list(flag.table.index) == ["flag[True]"]
    assert flag.table["coef"].item() == pytest.approx(-text.table["coef"].item(), rel=1e-9)
    cat = cox_ph(AML["time"], AML["status"], frame["x_cat"])  # a named Series
    assert list(cat.table.index) == ["x_cat[Maintained]"]  # a Categorical's own first level
    assert cat.table["coef"].item() == pytest.approx(flag.table["coef"].item(), rel=1e-9)
    assert repr(text).startswith("CoxPH(n=23, events=18")
    assert text.to_frame().columns[0] == "term"
    with pytest.raises(SchemaError, match="DataFrame"):
        cox_ph(AML["time"], AML["status"], [1, 2])  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="does not vary"):
        cox_ph(AML["time"], AML["status"], pd.DataFrame({"c": [1.0] * len(AML)}))
    with pytest.raises(SchemaError, match="single value"):
        cox_ph(AML["time"], AML["status"], pd.DataFrame({"c": ["a"] * len(AML)}))
    with pytest.raises(SchemaError, match="collinear"):
        cox_ph(AML["time"], AML["status"], frame[["x", "flag"]])
    with pytest.raises(SchemaError, match="23 values but covariates has 2 rows"):
        cox_ph(AML["time"], AML["status"], AML[["x"]].head(2))
    with pytest.raises(SchemaError, match="needs deaths"):
        cox_ph(AML["time"], [0] * len(AML), AML[["x"]])
    with pytest.raises(SchemaError, match="ties"):
        cox_ph(AML["time"], AML["status"], AML[["x"]], ties="exact")  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError, match="'v' = inf"):
        cox_ph([1, 2, 3], [1, 0, 1], pd.DataFrame({"v": [1.0, math.inf, 2.0]}))


def test_cox_ph_warns_when_a_coefficient_runs_away() -> None:
    # no deaths in group b: the likelihood keeps rising as its coefficient goes to -inf
    from sscoutcomes import SSCOutcomesWarning

    with pytest.warns(SSCOutcomesWarning, match="did not converge"):
        cox_ph([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0], pd.DataFrame({"g": list("aaabbb")}))


# --- branches not reached above: empty input, bad options, reprs, degenerate variances ----

AML_TIME = AML["time"].to_numpy()
AML_STATUS = AML["status"].to_numpy()


def test_empty_survival_data() -> None:
    with pytest.raises(SchemaError, match="survival data is empty"):
        kaplan_meier([], [])


@pytest.mark.parametrize("conf_level", [0, 1])
def test_conf_level_bounds_are_excluded(conf_level: float) -> None:
    with pytest.raises(OutOfRangeError, match=rf"conf_level = {conf_level} is outside 0\.\.1"):
        kaplan_meier(AML_TIME, AML_STATUS, conf_level=conf_level)


def test_unknown_conf_type() -> None:
    with pytest.raises(
        SchemaError, match="conf_type = 'logit' is not one of 'log', 'log-log', 'plain'"
    ):
        kaplan_meier(AML_TIME, AML_STATUS, conf_type="logit")  # type: ignore[arg-type]


def test_survival_at_rejects_missing_times() -> None:
    fit = kaplan_meier(AML_TIME, AML_STATUS)
    with pytest.raises(SchemaError, match="survival_at times must be numbers"):
        fit.survival_at([10, np.nan])


def test_grouped_km_repr_and_html() -> None:
    fit = kaplan_meier(AML_TIME, AML_STATUS, group=[*AML["x"].iloc[:-1], None])
    assert repr(fit) == (
        "KaplanMeier(groups=['Maintained', 'Nonmaintained'], n=22, events=17, dropped=1, "
        "conf_type='log')"
    )
    html = fit._repr_html_()
    assert html.startswith(f"<p>{fit!r}</p><table")


def test_logrank_repr_and_html() -> None:
    test = logrank(AML_TIME, AML_STATUS, [*AML["x"].iloc[:-1], None], rho=1)
    assert repr(test).startswith("LogRank(chisq=")
    assert repr(test).endswith(", rho=1, dropped=1)")
    assert test._repr_html_().startswith(f"<p>{test!r}</p><table")


def test_logrank_without_deaths_has_no_degrees_of_freedom() -> None:
    test = logrank([1, 2, 3, 4], [0, 0, 0, 0], ["a", "a", "b", "b"])
    assert test.statistic == 0.0
    assert test.df == 0
    assert math.isnan(test.p)


def test_logrank_zero_variance_has_no_degrees_of_freedom() -> None:
    # everyone at risk dies at one time: the variance matrix is zero (singular), so the
    # generalised inverse has rank 0 and there is nothing to test
    test = logrank([2, 2, 2], [1, 1, 1], ["c", "c", "b"])
    assert test.statistic == 0.0
    assert test.df == 0
    assert math.isnan(test.p)


def test_km_repr_of_one_group() -> None:
    maintained = group("Maintained")
    fit = kaplan_meier(maintained["time"], maintained["status"])
    assert repr(fit) == "KaplanMeier(n=11, events=7, median=31, conf_type='log')"
    no_deaths = kaplan_meier([1, 2, 3], [0, 0, 0], conf_type="plain")
    assert repr(no_deaths) == "KaplanMeier(n=3, events=0, median=NA, conf_type='plain')"


def test_group_length_must_match_time() -> None:
    with pytest.raises(SchemaError, match="time has 2 values but group has 1"):
        kaplan_meier([1, 2], [1, 1], group=["a"])


@pytest.mark.parametrize(
    ("covariates", "error", "match"),
    [
        (
            pd.DataFrame({"d": pd.date_range("2020-01-01", periods=23)}),
            SchemaError,
            "covariate 'd' holds dates or durations",
        ),
        (
            pd.DataFrame({"c": np.ones(23) + 1j}),
            SchemaError,
            "covariate 'c' holds complex numbers",
        ),
        (pd.Series(np.arange(23.0)), SchemaError, "covariates given as a Series must have a name"),
        (pd.DataFrame(index=range(23)), SchemaError, "covariates has no columns"),
        (
            pd.DataFrame([[1.0, 2.0]] * 23, columns=["a", "a"]),
            SchemaError,
            "covariates has repeated column names: 'a'",
        ),
        (
            pd.DataFrame({"x": [None] * 23}, dtype=object),
            SchemaError,
            "every row has a missing covariate; nothing left to fit",
        ),
    ],
)
def test_cox_bad_covariates(covariates: object, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        cox_ph(AML_TIME, AML_STATUS, covariates)  # type: ignore[arg-type]


def test_cox_repr_html() -> None:
    fit = cox_ph(AML_TIME, AML_STATUS, AML[["x"]])
    html = fit._repr_html_()
    assert html.startswith(f"<p>{fit!r}</p><table")
    assert "x[Nonmaintained]" in html


def test_cox_fit_failure_is_a_schema_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from statsmodels.duration.hazard_regression import PHReg

    def fail(self: object, *args: object, **kwargs: object) -> object:
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(PHReg, "fit", fail)
    with pytest.raises(SchemaError, match="the Cox model could not be fitted: Singular matrix"):
        cox_ph(AML_TIME, AML_STATUS, AML[["x"]])


def test_cox_singular_covariance_gives_nan_wald_and_score(monkeypatch: pytest.MonkeyPatch) -> None:
    from statsmodels.duration.hazard_regression import PHReg

    original = PHReg.fit

    def singular(self: object, *args: object, **kwargs: object) -> object:
        result = original(self, *args, **kwargs)  # type: ignore[arg-type]
        result.cov_params = lambda: np.zeros((1, 1))  # type: ignore[method-assign]
        return result

    monkeypatch.setattr(PHReg, "fit", singular)
    fit = cox_ph(AML_TIME, AML_STATUS, AML[["x"]])
    assert math.isnan(fit.tests.loc["wald", "statistic"])
    assert math.isnan(fit.tests.loc["score", "statistic"])
    assert fit.tests.loc["likelihood_ratio", "statistic"] == pytest.approx(3.384, abs=1e-3)
