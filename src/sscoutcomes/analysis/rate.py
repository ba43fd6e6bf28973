r"""Annual rate of change of a measure (e.g. FVC in mL per year), overall or by group.

:func:`annual_rate` fits the linear mixed model used for the FVC endpoint of SSc-ILD trials
(SENSCIS, focuSSced): the measure is a straight line in time for every patient, with a
random intercept and a random slope per patient (unstructured 2 x 2 covariance), a fixed
slope per group, fitted by restricted maximum likelihood (REML):

.. math::

    y_{ij} = \beta_0 + \beta_{0g} + (\beta_1 + \beta_{1g})\, t_{ij} + b_{0i} + b_{1i}\, t_{ij}
    + \varepsilon_{ij}, \qquad (b_{0i}, b_{1i}) \sim N(0, G), \quad
    \varepsilon_{ij} \sim N(0, \sigma^2)

with treatment contrasts against the reference (first) group: R's
``nlme::lme(y ~ years * arm, random = ~ years | patient_id, method = "REML")``. The slope of
group :math:`g` is :math:`\beta_1 + \beta_{1g}` and its difference to the reference group
is :math:`\beta_{1g}`.

Standard errors are those of nlme: :math:`\operatorname{cov}(\hat\beta) = (X^\top
\hat V^{-1} X)^{-1}` at the REML estimates of :math:`G` and :math:`\sigma^2`. Confidence
limits and p-values use the t distribution with nlme's degrees of freedom for terms that
vary within a patient (Pinheiro and Bates 2000, section 2.4.2): the number of observations
minus the number of patients minus the number of slope terms; this is what
``intervals(fit)`` and ``summary(fit)`` report for the slope terms.

The model is fitted by statsmodels' ``MixedLM`` (imported when called). Rows with a missing
measure are dropped (a patient keeps the visits that have a value; the model assumes these
are missing at random) and counted.

References
----------
- Laird NM, Ware JH. Random-effects models for longitudinal data. Biometrics
  1982;38:963-74. doi:10.2307/2529876.
- Pinheiro JC, Bates DM. Mixed-Effects Models in S and S-PLUS. New York: Springer; 2000.
  doi:10.1007/b98882.
- Distler O, Highland KB, Gahlemann M, et al. Nintedanib for systemic sclerosis-associated
  interstitial lung disease. N Engl J Med 2019;380:2518-28. doi:10.1056/NEJMoa1903076.
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._result import ResultMixin
from ..errors import SchemaError, SSCOutcomesError, SSCOutcomesWarning
from .schedule import DAYS_PER_YEAR, _patients_of, _visits_of

__all__ = ["RATE_TABLE_COLUMNS", "AnnualRate", "annual_rate"]

FloatArray = npt.NDArray[np.float64]

#: Columns of :attr:`AnnualRate.table` (one row per group).
RATE_TABLE_COLUMNS: Final[tuple[str, ...]] = (
    "group",
    "n_patients",
    "n_observations",
    "slope",
    "se",
    "df",
    "lower",
    "upper",
    "difference",
    "difference_se",
    "difference_lower",
    "difference_upper",
    "p",
)
#: Group label when ``by`` is None.
OVERALL: Final = "all"
_OPTIMIZERS: Final = (["lbfgs"], ["bfgs", "lbfgs", "cg"])


@attrs.frozen(kw_only=True, slots=True)
class AnnualRate(ResultMixin):
    """Result of :func:`annual_rate`.

    Attributes
    ----------
    measure, time, by : str, str, str or None
        The arguments.
    table : pandas.DataFrame
        One row per group (reference group first): ``n_patients``, ``n_observations``,
        ``slope`` (change per year), ``se``, ``df``, ``lower``, ``upper`` (t-based CI), and
        against the reference group ``difference``, ``difference_se``,
        ``difference_lower``, ``difference_upper`` and ``p`` (NaN on the reference row).
    fixed_effects : pandas.DataFrame
        Every fixed effect as R names it (``(Intercept)``, ``years``, ``armtreatment``,
        ``years:armtreatment``): ``estimate``, ``se``, ``df``, ``statistic`` (t), ``p``.
    variance : pandas.Series
        ``var_intercept``, ``var_slope``, ``cov_intercept_slope`` (the random-effects
        covariance G), ``residual_var`` (sigma squared) and ``reml_loglik``.
    n_dropped : int
        Rows dropped because the measure (or the group) was missing.
    confidence : float
    """

    measure: str
    time: str
    by: str | None
    table: pd.DataFrame
    fixed_effects: pd.DataFrame
    variance: pd.Series
    n_dropped: int
    confidence: float

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy)."""
        return self.table.copy()

    def __repr__(self) -> str:
        return (
            f"AnnualRate(measure={self.measure!r}, by={self.by!r}, "
            f"n_dropped={self.n_dropped})\n{self.table.to_string(index=False)}"
        )

    def _repr_html_(self) -> str:
        return str(self.table.to_html(index=False))


def _time_years(visits: pd.DataFrame, time: Any) -> FloatArray:
    if not isinstance(time, str):
        raise SchemaError(f"time must be 'years' or a column name; got {type(time).__name__}")
    if time == "years":
        if "day" not in visits.columns:
            raise SchemaError("time = 'years' is taken from the 'day' column, which is missing")
        source = "day"
    elif time in visits.columns:
        source = time
    else:
        raise SchemaError(f"time = {time!r} is not 'years' nor a column of the visits frame")
    values = pd.to_numeric(visits[source], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        raise SchemaError(
            f"time column {source!r} has {int(bad.sum())} missing or non-numeric values, "
            f"e.g. {visits[source].to_numpy()[bad].tolist()[0]!r}"
        )
    return values / DAYS_PER_YEAR if time == "years" else values


def _group_column(visits: pd.DataFrame, patients: pd.DataFrame | None, by: str) -> pd.Series:
    if by in visits.columns:
        return visits[by]
    if patients is None or by not in patients.columns:
        raise SchemaError(
            f"by = {by!r} is neither a column of the visits frame nor of the patients frame"
        )
    repeated = patients["patient_id"].duplicated()
    if repeated.any():
        raise SchemaError(
            f"the patients frame has repeated patient_id values, e.g. "
            f"{patients['patient_id'][repeated].iloc[0]!r}; each patient must appear once"
        )
    lookup = patients.set_index("patient_id")[by]
    return pd.Series(visits["patient_id"].map(lookup).to_numpy(), index=visits.index)


def _group_levels(column: pd.Series) -> list[Any]:
    present = column.dropna()
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [c for c in column.cat.categories if (present == c).any()]
    values = list(pd.unique(present))
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _fixed_cov(
    x: FloatArray, z: FloatArray, starts: npt.NDArray[np.intp], g: FloatArray, sigma2: float
) -> FloatArray:
    r"""nlme's :math:`(X^\top V^{-1} X)^{-1}`, with :math:`V_i = Z_i G Z_i^\top + \sigma^2 I`.

    Per patient :math:`V_i^{-1} = \sigma^{-2} (I - Z_i (\sigma^2 I + G Z_i^\top Z_i)^{-1}
    G Z_i^\top)`, summed over patients without a Python loop (valid for a singular G).
    """
    ztz = np.add.reduceat(z[:, :, None] * z[:, None, :], starts, axis=0)
    ztx = np.add.reduceat(z[:, :, None] * x[:, None, :], starts, axis=0)
    m = sigma2 * np.eye(2) + g @ ztz
    inner = np.linalg.solve(m, g @ ztx)
    info = (x.T @ x - np.einsum("ikp,ikq->pq", ztx, inner)) / sigma2
    return np.asarray(np.linalg.inv(info), dtype=np.float64)


def _fit(y: FloatArray, x: FloatArray, z: FloatArray, patient: npt.NDArray[Any]) -> Any:
    """The REML fit of statsmodels' MixedLM with the highest restricted likelihood.

    The measure is divided by its standard deviation for the optimiser (REML is equivariant
    to scale; the estimates are scaled back by the caller), and two optimiser chains are
    tried; the converged fit with the higher likelihood is kept.
    """
    from statsmodels.regression.mixed_linear_model import MixedLM

    model = MixedLM(y, x, groups=patient, exog_re=z)
    best: Any = None
    for method in _OPTIMIZERS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                result = model.fit(reml=True, method=method)
            except (np.linalg.LinAlgError, ValueError):  # pragma: no cover - optimiser
                continue
        if not np.isfinite(result.llf):  # pragma: no cover - optimiser
            continue
        if (
            best is None
            or (result.converged and not best.converged)
            or (result.converged == best.converged and result.llf > best.llf)
        ):
            best = result
    if best is None:  # pragma: no cover - every optimiser failed
        raise SSCOutcomesError("the mixed model could not be fitted (singular data)")
    if not best.converged:
        warnings.warn(
            "the mixed model did not converge; the estimates may be unreliable",
            SSCOutcomesWarning,
            stacklevel=3,
        )
    return best


def annual_rate(
    frame: Any,
    measure: str,
    time: str = "years",
    by: str | None = None,
    *,
    patients: pd.DataFrame | None = None,
    confidence: float = 0.95,
) -> AnnualRate:
    r"""Annual rate of change of ``measure``: a random intercept and slope model (REML).

    Fits ``measure ~ time * group`` with a random intercept and slope per patient
    (unstructured covariance) by REML, as ``nlme::lme(y ~ years * arm, random = ~ years |
    patient_id, method = "REML")``, and reports each group's slope (change per year), its
    standard error and t-based confidence interval, and the difference to the reference
    group (the first group: the first category of a categorical column, else the smallest
    value).

    Parameters
    ----------
    frame : pandas.DataFrame or Cohort
        A visits frame (``patient_id``, ``day``, the measure) or a Cohort.
    measure : str
        The column, e.g. ``"fvc_ml"`` or ``"fvc_pct_predicted"``.
    time : str, default "years"
        ``"years"``: ``day / 365.25``; or a numeric column of the visits frame in years.
    by : str, optional
        The group column (e.g. ``"arm"``), in the visits frame or the patients frame.
    patients : pandas.DataFrame, optional
        The patients frame (default: the Cohort's).
    confidence : float, default 0.95

    Returns
    -------
    AnnualRate
        ``.table`` per group, ``.fixed_effects``, ``.variance``, ``.n_dropped``.

    Raises
    ------
    SchemaError
        A missing column, a non-numeric measure or time, a patient in two groups, too
        few patients or visits to estimate a slope.
    OutOfRangeError
        ``confidence`` outside (0, 1).

    Notes
    -----
    The slope of group :math:`g` is :math:`\hat\beta_1 + \hat\beta_{1g}` with standard
    error :math:`\sqrt{c^\top \widehat{\operatorname{cov}}(\hat\beta) c}`,
    :math:`\widehat{\operatorname{cov}}(\hat\beta) = (X^\top \hat V^{-1} X)^{-1}` (nlme's);
    the limits are :math:`\hat\beta \pm t_{df,(1+\text{confidence})/2}\,\text{se}` with
    nlme's within-patient degrees of freedom (observations - patients - groups).
    Equal to ``nlme::lme`` to 1e-3 (relative) on the simulated trial of the tests.

    References
    ----------
    Laird NM, Ware JH. Random-effects models for longitudinal data. Biometrics
    1982;38:963-74. doi:10.2307/2529876.
    Pinheiro JC, Bates DM. Mixed-Effects Models in S and S-PLUS. Springer; 2000.
    doi:10.1007/b98882.

    Examples
    --------
    Twenty-four patients with FVC at days 0, 183, 365 and 730, twelve per arm:

    >>> import numpy as np
    >>> import pandas as pd
    >>> from sscoutcomes import annual_rate
    >>> rng = np.random.default_rng(5)
    >>> visits = pd.DataFrame({"patient_id": np.repeat(np.arange(24), 4).astype(str),
    ...                        "day": np.tile([0, 183, 365, 730], 24),
    ...                        "arm": np.repeat(["placebo", "active"], 48)})
    >>> slope = (np.where(visits["arm"] == "placebo", -120, -40)
    ...          + np.repeat(rng.normal(0, 40, 24), 4))
    >>> visits["fvc_ml"] = (np.repeat(rng.normal(2800, 400, 24), 4)
    ...                     + slope * visits["day"] / 365.25 + rng.normal(0, 80, 96)).round()
    >>> fit = annual_rate(visits, "fvc_ml", by="arm")
    >>> fit.table[["group", "n_patients", "slope", "difference"]].round(0)
         group  n_patients  slope  difference
    0   active          12  -58.0         NaN
    1  placebo          12 -129.0       -70.0
    """
    from scipy import stats

    visits = _visits_of(frame)
    pats = _patients_of(frame, patients)
    if not isinstance(measure, str) or measure not in visits.columns:
        raise SchemaError(f"measure = {measure!r} is not a column of the visits frame")
    if measure in ("patient_id", "day"):
        raise SchemaError(f"measure = {measure!r} is a key column, not a measure")
    if by is not None and (not isinstance(by, str) or by in ("patient_id", measure)):
        raise SchemaError(f"by = {by!r} must name a group column (e.g. 'arm')")
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, (int, float))
        or not 0 < confidence < 1
    ):
        from ..errors import OutOfRangeError

        raise OutOfRangeError(f"confidence = {confidence!r} is outside 0..1 (exclusive)")
    if "patient_id" not in visits.columns:
        raise SchemaError("the visits frame has no 'patient_id' column")

    t_all = _time_years(visits, time)
    raw = visits[measure]
    if raw.dtype == bool or (raw.dtype.kind not in "iuf" and not raw.isna().all()):
        y_try = pd.to_numeric(raw, errors="coerce")
        bad = y_try.isna() & raw.notna()
        if bad.any():
            raise SchemaError(
                f"measure {measure!r} has non-numeric values, e.g. {raw[bad].iloc[0]!r}"
            )
    y_all = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    if np.isinf(y_all).any():
        raise SchemaError(f"measure {measure!r} has infinite values")
    group_col = (
        pd.Series(OVERALL, index=visits.index, dtype=object)
        if by is None
        else _group_column(visits, pats, by)
    )
    keep = ~np.isnan(y_all) & group_col.notna().to_numpy(dtype=bool)
    keep &= visits["patient_id"].notna().to_numpy(dtype=bool)
    n_dropped = int((~keep).sum())
    levels = _group_levels(group_col[keep])
    ids = visits["patient_id"].to_numpy(dtype=object)[keep]
    codes = pd.Categorical(group_col[keep].astype(object), categories=levels).codes.astype(np.int64)
    order = np.lexsort((t_all[keep], pd.factorize(ids)[0]))
    y, t, ids, codes = y_all[keep][order], t_all[keep][order], ids[order], codes[order]

    per_patient = pd.DataFrame({"id": ids, "g": codes, "t": t})
    agg = per_patient.groupby("id", sort=False).agg(
        g_min=("g", "min"), g_max=("g", "max"), t_n=("t", "nunique")
    )
    if (agg["g_min"] != agg["g_max"]).any():
        raise SchemaError(
            f"by = {by!r}: patient {agg.index[agg.g_min != agg.g_max][0]!r} is in two groups"
        )
    k = len(levels)
    for code, level in enumerate(levels):
        in_group = agg[agg["g_min"] == code]
        if (in_group["t_n"] >= 2).sum() < 1 or len(in_group) < 2:
            raise SchemaError(
                f"group {level!r} needs at least 2 patients, one with values at 2 or more "
                f"times, to estimate a slope; it has {len(in_group)} patients"
            )
    n_obs, n_pat = len(y), len(agg)
    df_within = n_obs - n_pat - k
    if df_within < 1 or n_pat < 3:
        raise SchemaError(
            f"too few observations ({n_obs}) for {n_pat} patients to estimate the slopes"
        )

    dummies = (codes[:, None] == np.arange(1, k)[None, :]).astype(float)
    x = np.column_stack([np.ones(n_obs), t, dummies, dummies * t[:, None]])
    z = np.column_stack([np.ones(n_obs), t])
    sd = float(np.std(y))
    if not sd > 0:
        raise SchemaError(f"measure {measure!r} has the same value at every visit")
    fit = _fit(y / sd, x, z, ids)
    beta = np.asarray(fit.fe_params, dtype=float) * sd
    g = np.asarray(fit.cov_re, dtype=float) * sd**2
    sigma2 = float(fit.scale) * sd**2
    loglik = float(fit.llf) - (n_obs - x.shape[1]) * math.log(sd)
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    cov = _fixed_cov(x, z, starts, g, sigma2)
    se = np.sqrt(np.diag(cov))

    tname = "years" if time == "years" else time
    labels = [str(level) for level in levels]
    gname = "" if by is None else by
    names = ["(Intercept)", tname]
    names += [f"{gname}{lab}" for lab in labels[1:]]
    names += [f"{tname}:{gname}{lab}" for lab in labels[1:]]
    df_between = n_pat - k
    dfs = np.array([df_within, df_within] + [df_between] * (k - 1) + [df_within] * (k - 1))
    stat = beta / se
    fixed = pd.DataFrame(
        {
            "term": names,
            "estimate": beta,
            "se": se,
            "df": dfs,
            "statistic": stat,
            "p": 2 * stats.t.sf(np.abs(stat), dfs),
        }
    )

    q = float(stats.t.ppf((1 + confidence) / 2, df_within))
    rows = []
    counts = per_patient.groupby("g").agg(n_obs=("t", "size"), n_pat=("id", "nunique"))
    n_obs_of = counts["n_obs"].to_numpy(dtype=np.int64)
    n_pat_of = counts["n_pat"].to_numpy(dtype=np.int64)
    for code, label in enumerate(labels):
        c = np.zeros(len(beta))
        c[1] = 1.0
        if code:
            c[1 + (k - 1) + code] = 1.0  # the time:group term
        slope = float(c @ beta)
        s = math.sqrt(float(c @ cov @ c))
        row: dict[str, Any] = {
            "group": label,
            "n_patients": int(n_pat_of[code]),
            "n_observations": int(n_obs_of[code]),
            "slope": slope,
            "se": s,
            "df": df_within,
            "lower": slope - q * s,
            "upper": slope + q * s,
            "difference": np.nan,
            "difference_se": np.nan,
            "difference_lower": np.nan,
            "difference_upper": np.nan,
            "p": np.nan,
        }
        if code:
            j = 1 + (k - 1) + code
            d, ds = float(beta[j]), float(se[j])
            row.update(
                difference=d,
                difference_se=ds,
                difference_lower=d - q * ds,
                difference_upper=d + q * ds,
                p=float(2 * stats.t.sf(abs(d / ds), df_within)),
            )
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(RATE_TABLE_COLUMNS))
    variance = pd.Series(
        {
            "var_intercept": g[0, 0],
            "var_slope": g[1, 1],
            "cov_intercept_slope": g[0, 1],
            "residual_var": sigma2,
            "reml_loglik": loglik,
        },
        dtype=float,
    )
    return AnnualRate(
        measure=measure,
        time=time,
        by=by,
        table=table,
        fixed_effects=fixed,
        variance=variance,
        n_dropped=n_dropped,
        confidence=float(confidence),
    )
