r"""Summaries for a results table: mean (SD, n), median (IQR), paired change tests and
proportions with confidence intervals, formatted as papers report them.

- Continuous values: n, mean, SD (``ddof = 1``), median, quartiles, min, max. Quartiles use
  numpy's ``"linear"`` method by default, R's ``quantile(type = 7)``; any method of
  :func:`numpy.quantile` can be chosen.
- Paired change among patients with both values: mean change (SD, n), the paired t-test
  (:func:`scipy.stats.ttest_rel`) and the Wilcoxon signed-rank test
  (:func:`scipy.stats.wilcoxon` with zero differences dropped, an exact p-value for fewer
  than 50 pairs without ties or zeros and otherwise the normal approximation with
  continuity correction: the defaults of R's ``wilcox.test(paired = TRUE)``).
- Proportions: Wilson score interval (R ``prop.test(correct = FALSE)``) and Clopper-Pearson
  exact interval (R ``binom.test``):

.. math::

   \text{Wilson: } \frac{\hat p + \frac{z^2}{2n} \pm z \sqrt{\frac{\hat p(1-\hat p)}{n}
   + \frac{z^2}{4n^2}}}{1 + \frac{z^2}{n}}, \qquad
   \text{Clopper-Pearson: } \left[B_{\alpha/2}(k, n-k+1),\ B_{1-\alpha/2}(k+1, n-k)\right].

References
----------
- Wilson EB. Probable inference, the law of succession, and statistical inference. J Am
  Stat Assoc 1927;22:209-12. doi:10.1080/01621459.1927.10502953.
- Clopper CJ, Pearson ES. The use of confidence or fiducial limits illustrated in the case
  of the binomial. Biometrika 1934;26:404-13. doi:10.1093/biomet/26.4.404.
- Newcombe RG. Two-sided confidence intervals for the single proportion: comparison of
  seven methods. Stat Med 1998;17:857-72.
  doi:10.1002/(SICI)1097-0258(19980430)17:8<857::AID-SIM777>3.0.CO;2-E.
- Hyndman RJ, Fan Y. Sample quantiles in statistical packages. Am Stat 1996;50:361-5.
  doi:10.1080/00031305.1996.10473566.
"""

from __future__ import annotations

import math
import warnings
from typing import Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._result import ResultMixin, renamed
from .._validation import as_float_array, check_number, check_open_unit
from ..errors import OutOfRangeError, SchemaError

__all__ = [
    "GroupDifference",
    "HypothesisTest",
    "PairedChange",
    "ProportionCI",
    "Summary",
    "format_mean_sd",
    "format_proportion",
    "mean_difference",
    "paired_change",
    "proportion_ci",
    "proportion_difference",
    "summarize",
]

FloatArray = npt.NDArray[np.float64]
#: Interval methods of :func:`proportion_ci`.
PROPORTION_METHODS: Final[tuple[str, ...]] = ("wilson", "exact")


def _floats(values: npt.ArrayLike, what: str) -> FloatArray:
    """``values`` as a flat float64 array read by :func:`as_float_array` (nullable pandas
    dtypes included, NA/None/NaN missing); text and infinity raise naming ``what``."""
    a = as_float_array(values, what).ravel()
    infinite = np.isinf(a)
    if infinite.any():
        raise OutOfRangeError(f"{what} = {a[infinite][0]} is not a finite number")
    return a


@attrs.frozen(kw_only=True)
class Summary(ResultMixin):
    """Descriptive statistics of the non-missing values (:func:`summarize`)."""

    n: int
    n_missing: int
    mean: float
    sd: float
    median: float
    q1: float
    q3: float
    min: float
    max: float
    quantile_method: str

    def __str__(self) -> str:
        return format_mean_sd(self.mean, self.sd, self.n)


def summarize(values: npt.ArrayLike, *, quantile_method: str = "linear") -> Summary:
    """n, mean, SD (ddof = 1), median, quartiles, min and max of the non-missing values.

    Parameters
    ----------
    values : array_like
        Numbers; NaN (or None) are missing and counted in ``n_missing``.
    quantile_method : str
        Method of :func:`numpy.quantile` for the median and quartiles; ``"linear"`` is R's
        default ``type = 7``.

    Returns
    -------
    Summary
        Statistics that need more values than there are are NaN (SD of one value).

    Examples
    --------
    >>> from sscoutcomes import summarize
    >>> s = summarize([18, 20, 25, None, 11])
    >>> s.n, s.n_missing, round(s.mean, 2), round(s.sd, 2), s.median
    (4, 1, 18.5, 5.8, 19.0)
    >>> str(s)
    '18.50 (5.80, 4)'
    """
    if not isinstance(quantile_method, str):
        raise SchemaError(
            f"quantile_method = {quantile_method!r} is not text; give a numpy.quantile method "
            "such as 'linear'"
        )
    a = _floats(values, "values")
    present = a[~np.isnan(a)]
    n = int(present.size)
    if n == 0:
        nan = math.nan
        return Summary(
            n=0,
            n_missing=int(a.size),
            mean=nan,
            sd=nan,
            median=nan,
            q1=nan,
            q3=nan,
            min=nan,
            max=nan,
            quantile_method=quantile_method,
        )
    try:
        q1, med, q3 = np.quantile(present, [0.25, 0.5, 0.75], method=quantile_method)  # type: ignore[call-overload]
    except ValueError as exc:
        raise SchemaError(f"quantile_method = {quantile_method!r}: {exc}") from None
    return Summary(
        n=n,
        n_missing=int(a.size - n),
        mean=float(present.mean()),
        sd=float(present.std(ddof=1)) if n > 1 else math.nan,
        median=float(med),
        q1=float(q1),
        q3=float(q3),
        min=float(present.min()),
        max=float(present.max()),
        quantile_method=quantile_method,
    )


@attrs.frozen(kw_only=True)
class HypothesisTest(ResultMixin):
    """One test's statistic and two-sided p-value (as in :class:`PairedChange`).

    Attributes
    ----------
    method : str
        The test, e.g. ``"paired t"`` or ``"Wilcoxon signed-rank"``.
    statistic : float
        Its statistic (t; Wilcoxon's V, R's name for the sum of positive ranks); NaN
        when it cannot be computed.
    p : float
        Two-sided p-value; NaN when the test cannot be computed.
    """

    method: str
    statistic: float
    p: float


@attrs.frozen(kw_only=True)
class PairedChange(ResultMixin):
    """Change from baseline among patients with both values (:func:`paired_change`).

    Attributes
    ----------
    n : int
        Pairs with both values.
    mean, sd : float
        Mean and standard deviation of the changes (follow-up - baseline).
    t_test, wilcoxon : HypothesisTest
        The paired t-test and the Wilcoxon signed-rank test, each with ``statistic`` and
        ``p``. (``t_statistic``, ``t_pvalue``, ``wilcoxon_statistic`` and
        ``wilcoxon_pvalue`` are deprecated aliases.)
    """

    n: int
    mean: float
    sd: float
    t_test: HypothesisTest
    wilcoxon: HypothesisTest

    t_statistic = renamed("t_test.statistic", "t_statistic")
    t_pvalue = renamed("t_test.p", "t_pvalue")
    wilcoxon_statistic = renamed("wilcoxon.statistic", "wilcoxon_statistic")
    wilcoxon_pvalue = renamed("wilcoxon.p", "wilcoxon_pvalue")

    def __str__(self) -> str:
        return format_mean_sd(self.mean, self.sd, self.n)

    def to_frame(self) -> pd.DataFrame:
        """One row per test: ``n``, ``mean``, ``sd``, ``test``, ``statistic``, ``p``.

        Examples
        --------
        >>> from sscoutcomes import paired_change
        >>> ch = paired_change([20, 18, 25, 16, 30], [15, 17, 20, 16, 22])
        >>> ch.to_frame().round(4)[["n", "test", "statistic", "p"]]
           n                  test  statistic       p
        0  5              paired t    -2.5976  0.0602
        1  5  Wilcoxon signed-rank     0.0000  0.0975
        """
        return pd.DataFrame(
            {
                "n": [self.n] * 2,
                "mean": [self.mean] * 2,
                "sd": [self.sd] * 2,
                "test": [self.t_test.method, self.wilcoxon.method],
                "statistic": [self.t_test.statistic, self.wilcoxon.statistic],
                "p": [self.t_test.p, self.wilcoxon.p],
            }
        )


def paired_change(baseline: npt.ArrayLike, follow_up: npt.ArrayLike) -> PairedChange:
    """Mean change (follow-up - baseline) with the paired t-test and Wilcoxon signed-rank.

    Pairs with a missing value are left out. Tests that cannot be computed (fewer than two
    pairs, all differences zero) give NaN.

    Examples
    --------
    >>> from sscoutcomes import paired_change
    >>> ch = paired_change([20, 18, 25, 16, 30], [15, 17, 20, 16, 22])
    >>> ch.n, ch.mean, round(ch.t_test.p, 4), round(ch.wilcoxon.p, 4)
    (5, -3.8, 0.0602, 0.0975)
    """
    b = _floats(baseline, "baseline")
    f = _floats(follow_up, "follow_up")
    if b.shape != f.shape:
        raise SchemaError(f"baseline has {b.size} values but follow_up has {f.size}")
    both = ~np.isnan(b) & ~np.isnan(f)
    b, f = b[both], f[both]
    d = f - b
    n = int(d.size)
    nan = math.nan
    mean = float(d.mean()) if n else nan
    sd = float(d.std(ddof=1)) if n > 1 else nan
    t_stat = t_p = w_stat = w_p = nan
    # scipy.stats takes about half a second to import: only paired tests and intervals pay it
    from scipy import stats

    if n > 1 and sd > 0:
        res = stats.ttest_rel(f, b)
        t_stat, t_p = float(res.statistic), float(res.pvalue)
    if n > 0 and np.any(d != 0):
        nonzero = d[d != 0]
        ties = np.unique(np.abs(nonzero)).size < nonzero.size
        # R wilcox.test(paired = TRUE): exact when n < 50 without ties or zeros, otherwise
        # the normal approximation with continuity correction (zeros dropped).
        exact = nonzero.size == d.size and not ties and n < 50
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # scipy notes when it switches to approximation
            wres = stats.wilcoxon(
                d, zero_method="wilcox", correction=True, method="exact" if exact else "approx"
            )
        w_stat, w_p = float(wres.statistic), float(wres.pvalue)
    return PairedChange(
        n=n,
        mean=mean,
        sd=sd,
        t_test=HypothesisTest(method="paired t", statistic=t_stat, p=t_p),
        wilcoxon=HypothesisTest(method="Wilcoxon signed-rank", statistic=w_stat, p=w_p),
    )


@attrs.frozen(kw_only=True)
class ProportionCI(ResultMixin):
    """A proportion k/n with its confidence interval (:func:`proportion_ci`)."""

    k: int
    n: int
    proportion: float
    lower: float
    upper: float
    method: str
    conf_level: float

    def __str__(self) -> str:
        return format_proportion(self.k, self.n)


def proportion_ci(
    k: int,
    n: int,
    *,
    method: Literal["wilson", "exact"] = "wilson",
    conf_level: float = 0.95,
) -> ProportionCI:
    """Proportion ``k / n`` with a Wilson score or Clopper-Pearson exact interval.

    Parameters
    ----------
    k, n : int
        Successes and trials, ``0 <= k <= n``. With ``n = 0`` the proportion and limits
        are NaN.
    method : {"wilson", "exact"}
        Wilson score (R ``prop.test(correct = FALSE)``) or Clopper-Pearson (R
        ``binom.test``).
    conf_level : float

    Examples
    --------
    >>> from sscoutcomes import proportion_ci
    >>> ci = proportion_ci(81, 263)                 # Newcombe 1998, Table II
    >>> round(ci.lower, 4), round(ci.upper, 4)
    (0.2553, 0.3662)
    >>> ci = proportion_ci(81, 263, method="exact")
    >>> round(ci.lower, 4), round(ci.upper, 4)
    (0.2527, 0.3676)
    """
    kk = int(check_number("k", k, 0, math.inf, integer=True))
    nn = int(check_number("n", n, 0, math.inf, integer=True))
    if kk > nn:
        raise OutOfRangeError(f"k = {kk} is outside 0..n (n = {nn})")
    if method not in PROPORTION_METHODS:
        raise SchemaError(f"method = {method!r} is not 'wilson' or 'exact'")
    check_open_unit("conf_level", conf_level)
    if nn == 0:
        nan = math.nan
        return ProportionCI(
            k=kk, n=nn, proportion=nan, lower=nan, upper=nan, method=method, conf_level=conf_level
        )
    from scipy import stats

    p = kk / nn
    alpha = 1 - conf_level
    if method == "wilson":
        z = float(stats.norm.ppf(1 - alpha / 2))
        denom = 1 + z * z / nn
        centre = (p + z * z / (2 * nn)) / denom
        half = z * math.sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / denom
        # At k = 0 and k = n the limits are exactly 0 and 1 (no rounding residue).
        lower = 0.0 if kk == 0 else max(0.0, centre - half)
        upper = 1.0 if kk == nn else min(1.0, centre + half)
    else:
        lower = 0.0 if kk == 0 else float(stats.beta.ppf(alpha / 2, kk, nn - kk + 1))
        upper = 1.0 if kk == nn else float(stats.beta.ppf(1 - alpha / 2, kk + 1, nn - kk))
    return ProportionCI(
        k=kk, n=nn, proportion=p, lower=lower, upper=upper, method=method, conf_level=conf_level
    )


@attrs.frozen(kw_only=True)
class GroupDifference(ResultMixin):
    """A difference between two groups (``group - reference``) with its interval and test.

    Attributes
    ----------
    estimate : float
        Difference of means (:func:`mean_difference`) or of proportions
        (:func:`proportion_difference`); NaN when a group has no value.
    lower, upper : float
        Confidence limits (Welch t; Newcombe's hybrid score interval).
    p : float
        Two-sided p-value of the test named in ``test`` (``pvalue`` is a deprecated alias).
    test : str
        ``"Mann-Whitney"`` or ``"Fisher exact"``.
    n, n_reference : int
        Values (or trials) in the group and in the reference group.
    conf_level : float
    """

    estimate: float
    lower: float
    upper: float
    p: float
    test: str
    n: int
    n_reference: int
    conf_level: float

    pvalue = renamed("p", "pvalue")


def mean_difference(
    values: npt.ArrayLike, reference: npt.ArrayLike, *, conf_level: float = 0.95
) -> GroupDifference:
    """Difference of two means with Welch's t interval, and the Mann-Whitney U test.

    Welch's interval does not assume equal variances (Welch BL. Biometrika 1947;34:28-35,
    doi:10.1093/biomet/34.1-2.28; R ``t.test(x, y)``); the Mann-Whitney test is two-sided
    with scipy's default (exact for small samples without ties, else the normal
    approximation with continuity correction, as R ``wilcox.test``). Missing values are
    left out; with fewer than 2 values in a group the estimate or interval is NaN.

    Examples
    --------
    >>> from sscoutcomes.analysis.summary import mean_difference
    >>> d = mean_difference([19, 22, 16, 29, 24], [20, 11, 17, 12])
    >>> round(d.estimate, 2), round(d.lower, 2), round(d.upper, 2), round(d.p, 4)
    (7.0, -0.26, 14.26, 0.1111)
    """
    a = _floats(values, "values")
    b = _floats(reference, "reference")
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    level = check_open_unit("conf_level", conf_level)
    nan = math.nan
    estimate = float(a.mean() - b.mean()) if a.size and b.size else nan
    lower = upper = p = nan
    if a.size >= 2 and b.size >= 2:
        from scipy import stats

        va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
        se = math.sqrt(va + vb)
        if se > 0:
            df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
            half = float(stats.t.ppf(0.5 + level / 2, df)) * se
            lower, upper = estimate - half, estimate + half
    if a.size and b.size:
        from scipy import stats

        p = float(stats.mannwhitneyu(a, b, alternative="two-sided").pvalue)
    return GroupDifference(
        estimate=estimate,
        lower=lower,
        upper=upper,
        p=p,
        test="Mann-Whitney",
        n=int(a.size),
        n_reference=int(b.size),
        conf_level=level,
    )


def proportion_difference(
    k: int, n: int, k_reference: int, n_reference: int, *, conf_level: float = 0.95
) -> GroupDifference:
    """Difference of two proportions with Newcombe's hybrid score interval and Fisher's
    exact test.

    The interval is method 10 of Newcombe (Stat Med 1998;17:873-890,
    doi:10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I), built from the
    two Wilson score intervals (no continuity correction); Fisher's exact test is two-sided
    (R ``fisher.test``). With ``n`` or ``n_reference`` 0 everything is NaN.

    Examples
    --------
    >>> from sscoutcomes.analysis.summary import proportion_difference
    >>> d = proportion_difference(56, 70, 48, 80)      # Newcombe 1998, Table II (a)
    >>> round(d.estimate, 4), round(d.lower, 4), round(d.upper, 4)
    (0.2, 0.0524, 0.3339)
    """
    a = proportion_ci(k, n, conf_level=conf_level)
    b = proportion_ci(k_reference, n_reference, conf_level=conf_level)
    estimate = lower = upper = p = math.nan
    if a.n and b.n:
        from scipy import stats

        estimate = a.proportion - b.proportion
        lower = estimate - math.hypot(a.proportion - a.lower, b.upper - b.proportion)
        upper = estimate + math.hypot(a.upper - a.proportion, b.proportion - b.lower)
        table = np.array([[a.k, a.n - a.k], [b.k, b.n - b.k]])
        p = float(stats.fisher_exact(table).pvalue)
    return GroupDifference(
        estimate=estimate,
        lower=lower,
        upper=upper,
        p=p,
        test="Fisher exact",
        n=a.n,
        n_reference=b.n,
        conf_level=conf_level,
    )


def format_mean_sd(mean: float, sd: float, n: int, *, decimals: int = 2) -> str:
    """``"mean (SD, n)"`` with the mean and SD to ``decimals`` places (the seed study's
    form, e.g. ``18.68 (7.26, 41)``); missing statistics print as ``NA``.

    Examples
    --------
    >>> from sscoutcomes import format_mean_sd
    >>> format_mean_sd(18.6829, 7.2611, 41)
    '18.68 (7.26, 41)'
    """

    places = int(check_number("decimals", decimals, 0, 15, integer=True))
    count = int(check_number("n", n, 0, math.inf, integer=True))

    def fmt(x: object) -> str:
        if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
            return "NA"
        return f"{check_number('mean and sd', x, -math.inf, math.inf):.{places}f}"

    return f"{fmt(mean)} ({fmt(sd)}, {count})"


def format_proportion(k: int, n: int, *, decimals: int = 1) -> str:
    """``"p % (k of n)"`` with the percentage to ``decimals`` places (e.g.
    ``92.7 % (38 of 41)``).

    Examples
    --------
    >>> from sscoutcomes import format_proportion
    >>> format_proportion(38, 41)
    '92.7 % (38 of 41)'
    >>> format_proportion(0, 0)
    'NA (0 of 0)'
    """
    places = int(check_number("decimals", decimals, 0, 15, integer=True))
    total = int(check_number("n", n, 0, math.inf, integer=True))
    count = int(check_number("k", k, 0, total, integer=True, hint="k of n"))
    if total == 0:
        return f"NA ({count} of {total})"
    return f"{100 * count / total:.{places}f} % ({count} of {total})"
