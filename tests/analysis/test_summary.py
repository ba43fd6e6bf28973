"""Summaries, paired tests and proportion intervals.

Proportion intervals: Newcombe RG. Stat Med 1998;17:857-72, Table II (methods 3 = Wilson
score without continuity correction, 5 = Clopper-Pearson exact), to its 4 printed decimals;
R's prop.test(correct = FALSE) and binom.test give the same (data/make_reference.R).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from sscoutcomes import (
    OutOfRangeError,
    SchemaError,
    format_mean_sd,
    format_proportion,
    mean_difference,
    paired_change,
    proportion_ci,
    proportion_difference,
    summarize,
)

NEWCOMBE = [
    # k, n, Wilson lower, upper, exact lower, upper
    (81, 263, 0.2553, 0.3662, 0.2527, 0.3676),
    (15, 148, 0.0624, 0.1605, 0.0578, 0.1617),
    (0, 20, 0.0000, 0.1611, 0.0000, 0.1684),
    (1, 29, 0.0061, 0.1718, 0.0009, 0.1776),
    (29, 29, 0.8830, 1.0000, 0.8806, 1.0000),
]


@pytest.mark.parametrize(("k", "n", "wl", "wu", "el", "eu"), NEWCOMBE)
def test_newcombe_1998_table(k: int, n: int, wl: float, wu: float, el: float, eu: float) -> None:
    w = proportion_ci(k, n)
    e = proportion_ci(k, n, method="exact")
    assert (round(w.lower, 4), round(w.upper, 4)) == (wl, wu)
    assert (round(e.lower, 4), round(e.upper, 4)) == (el, eu)


@given(
    st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.sampled_from(["wilson", "exact"]),
)
def test_interval_inside_unit_and_contains_estimate(kn: tuple[int, int], method: str) -> None:
    k, n = kn
    ci = proportion_ci(k, n, method=method)  # type: ignore[arg-type]
    if n == 0:
        assert math.isnan(ci.proportion)
        return
    assert 0 <= ci.lower <= k / n <= ci.upper <= 1


def test_proportion_errors() -> None:
    with pytest.raises(OutOfRangeError, match="k = 5"):
        proportion_ci(5, 4)
    with pytest.raises(OutOfRangeError, match="n = -1"):
        proportion_ci(0, -1)
    with pytest.raises(SchemaError, match="method"):
        proportion_ci(1, 2, method="wald")  # type: ignore[arg-type]


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False) | st.none(), min_size=0, max_size=50))
def test_summary_equals_numpy(values: list[float | None]) -> None:
    s = summarize(values)
    present = np.array([v for v in values if v is not None], dtype=float)
    assert s.n == present.size
    assert s.n_missing == len(values) - present.size
    if present.size:
        assert s.mean == pytest.approx(present.mean(), rel=1e-9, abs=1e-6)
        assert s.median == pytest.approx(np.median(present), rel=1e-9, abs=1e-6)
        assert s.q1 <= s.median <= s.q3
        if present.size > 1:
            assert s.sd == pytest.approx(present.std(ddof=1), rel=1e-9, abs=1e-6)
        else:
            assert math.isnan(s.sd)
    else:
        assert math.isnan(s.mean)


def test_quartiles_r_type_7_and_other_methods() -> None:
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    s = summarize(values)  # R: quantile(1:10) -> 3.25, 5.5, 7.75
    assert (s.q1, s.median, s.q3) == (3.25, 5.5, 7.75)
    t6 = summarize(values, quantile_method="weibull")  # R type 6 -> 2.75, 8.25
    assert (t6.q1, t6.q3) == (2.75, 8.25)
    with pytest.raises(SchemaError):
        summarize(values, quantile_method="nope")


def test_paired_change_matches_scipy_and_r_defaults() -> None:
    b = [20, 18, 25, 16, 30, 22, 19, 27]
    f = [15, 17, 20, 16, 22, 23, 14, 21]
    ch = paired_change(b, f)
    res = stats.ttest_rel(f, b)
    assert ch.t_test.p == pytest.approx(res.pvalue)
    assert ch.mean == pytest.approx(np.mean(np.subtract(f, b)))
    # ties and a zero difference: R uses the normal approximation with continuity
    # correction (zeros dropped)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # older scipy warns that n is small for "approx"
        approx = stats.wilcoxon(
            np.subtract(f, b), zero_method="wilcox", correction=True, method="approx"
        )
    assert ch.wilcoxon.p == pytest.approx(approx.pvalue)
    # no ties, no zeros, n < 50: exact
    exact = paired_change([1, 2, 3, 4, 5], [2, 4, 6, 8, 11])
    assert exact.wilcoxon.p == pytest.approx(0.0625)  # R: wilcox.test(..., paired=TRUE)


def test_paired_change_edge_cases() -> None:
    ch = paired_change([1, None, 3], [1, 5, None])
    assert ch.n == 1
    assert math.isnan(ch.sd)
    assert math.isnan(ch.t_test.p)
    same = paired_change([1, 2, 3], [1, 2, 3])
    assert same.mean == 0
    assert math.isnan(same.wilcoxon.p)
    with pytest.raises(SchemaError):
        paired_change([1, 2], [1])


def test_formats_like_the_seed_study() -> None:
    # Alip 2024: "18.68 (7.26, 41)", "92.7 % (38 of 41)"
    assert format_mean_sd(18.6829, 7.2571, 41) == "18.68 (7.26, 41)"
    assert format_mean_sd(math.nan, math.nan, 0) == "NA (NA, 0)"
    assert format_proportion(38, 41) == "92.7 % (38 of 41)"
    assert format_proportion(18, 25) == "72.0 % (18 of 25)"


@pytest.mark.parametrize(
    ("counts", "lower", "upper"),
    [  # Newcombe 1998, Table II, method 10 (hybrid score, no continuity correction)
        ((56, 70, 48, 80), 0.0524, 0.3339),
        ((9, 10, 3, 10), 0.1705, 0.8090),
        ((6, 7, 2, 7), 0.0582, 0.8062),
        ((5, 56, 0, 29), -0.0381, 0.1926),
        ((0, 10, 0, 20), -0.1611, 0.2775),
        ((0, 10, 0, 10), -0.2775, 0.2775),
        ((10, 10, 0, 20), 0.6791, 1.0000),
        ((10, 10, 0, 10), 0.6075, 1.0000),
    ],
)
def test_proportion_difference_equals_newcombe_table_ii(
    counts: tuple[int, int, int, int], lower: float, upper: float
) -> None:
    from scipy import stats

    from sscoutcomes.analysis.summary import proportion_difference

    d = proportion_difference(*counts)
    assert round(d.lower, 4) == lower
    assert round(d.upper, 4) == upper
    k, n, k0, n0 = counts
    assert d.p == stats.fisher_exact([[k, n - k], [k0, n0 - k0]]).pvalue


def test_mean_difference_equals_welch_and_mann_whitney() -> None:
    from scipy import stats

    from sscoutcomes.analysis.summary import mean_difference

    a, b = [19, 22, 16, 29, 24, None], [20, 11, 17, 12]
    d = mean_difference(a, b)
    ci = stats.ttest_ind(a[:-1], b, equal_var=False).confidence_interval()
    assert (d.estimate, d.n, d.n_reference) == (7.0, 5, 4)
    assert d.lower == pytest.approx(ci.low, rel=1e-12)
    assert d.upper == pytest.approx(ci.high, rel=1e-12)
    assert d.p == stats.mannwhitneyu(a[:-1], b, alternative="two-sided").pvalue
    assert math.isnan(mean_difference([1.0], [2.0, 3.0]).lower)  # one value: no interval


# ----------------------------------------------------------------------------- rare branches
def test_infinite_values_raise_naming_the_input() -> None:
    with pytest.raises(OutOfRangeError, match=r"^values = inf is not a finite number$"):
        mean_difference([1.0, math.inf], [1.0, 2.0])
    with pytest.raises(OutOfRangeError, match=r"^reference = -inf is not a finite number$"):
        mean_difference([1.0, 2.0], [-math.inf])


def test_results_print_as_table_cells() -> None:
    assert str(paired_change([1, 2, 3], [2, 4, 5])) == format_mean_sd(5 / 3, math.sqrt(1 / 3), 3)
    assert str(proportion_ci(3, 10)) == "30.0 % (3 of 10)"


@pytest.mark.parametrize("level", [0, 1, 0.0, 1.0])
def test_conf_level_must_be_strictly_inside_0_1(level: float) -> None:
    message = rf"^conf_level = {level!r} is outside 0\.\.1 \(exclusive\)$"
    with pytest.raises(OutOfRangeError, match=message):
        proportion_ci(3, 10, conf_level=level)
    with pytest.raises(OutOfRangeError, match=message):
        mean_difference([1, 2], [3, 4], conf_level=level)


@pytest.mark.parametrize("level", ["0.95", None, math.nan, 95])
def test_conf_level_that_is_not_a_probability_raises_a_library_error(level: object) -> None:
    # was a bare TypeError ('<' between int and str) for text or None
    with pytest.raises(OutOfRangeError, match=r"^conf_level = "):
        proportion_ci(3, 10, conf_level=level)  # type: ignore[arg-type]


def test_mean_difference_without_spread_or_data_has_no_interval() -> None:
    d = mean_difference([1, 1, 1], [2, 2, 2])  # no spread: no t interval
    assert d.estimate == -1.0
    assert math.isnan(d.lower)
    assert math.isnan(d.upper)
    assert d.p == pytest.approx(stats.mannwhitneyu([1, 1, 1], [2, 2, 2]).pvalue)
    empty = mean_difference([], [2.0, 3.0])
    assert (empty.n, empty.n_reference) == (0, 2)
    assert all(math.isnan(x) for x in (empty.estimate, empty.lower, empty.upper, empty.p))


def test_proportion_difference_with_an_empty_group_is_missing() -> None:
    d = proportion_difference(0, 0, 1, 2)
    assert all(math.isnan(x) for x in (d.estimate, d.lower, d.upper, d.p))
    assert (d.n, d.n_reference) == (0, 2)
