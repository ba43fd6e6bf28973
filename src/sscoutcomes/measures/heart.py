r"""Heart: echocardiography, pulmonary hypertension probability, PAH change and the DETECT
screening algorithm.

- Estimated systolic pulmonary artery pressure (simplified Bernoulli):
  :math:`\text{sPAP} = 4\,v_\text{TR}^2 + \text{RAP}` (TRV in m/s, pressures in mmHg).
- Right atrial pressure from the inferior vena cava (Rudski 2010): IVC <= 2.1 cm with
  > 50 % collapse on sniff -> 3 mmHg; IVC > 2.1 cm with < 50 % collapse -> 15 mmHg; the
  mixed cases -> 8 mmHg. The source leaves exactly 50 % unclassified: this library reads
  "collapses > 50 %" strictly, so 50 % counts as *not* collapsing (mixed or high).
- ESC/ERS 2022 echocardiographic probability of PH (Humbert 2022): peak TRV <= 2.8 m/s (or
  not measurable) -> low, or intermediate with other echo signs; 2.8 < TRV <= 3.4 ->
  intermediate, or high with other signs; > 3.4 -> high. "Other signs" count only when
  present from at least two of the categories A (ventricles), B (pulmonary artery) and C
  (IVC and right atrium). The tables' "2.9-3.4" leaves 2.81-2.89 unassigned; the bands
  here are closed as ``<= 2.8``, ``(2.8, 3.4]``, ``> 3.4``.

References
----------
- Rudski LG, Lai WW, Afilalo J, et al. Guidelines for the echocardiographic assessment of
  the right heart in adults. J Am Soc Echocardiogr 2010;23:685-713.
  doi:10.1016/j.echo.2010.05.010.
- Humbert M, Kovacs G, Hoeper MM, et al. 2022 ESC/ERS Guidelines for the diagnosis and
  treatment of pulmonary hypertension. Eur Heart J 2022;43:3618-3731.
  doi:10.1093/eurheartj/ehac237.
- Coghlan JG, Denton CP, Grünig E, et al. Evidence-based detection of pulmonary arterial
  hypertension in systemic sclerosis: the DETECT study. Ann Rheum Dis 2014;73:1340-9.
  doi:10.1136/annrheumdis-2013-203301.
- Harrell FE. Regression Modeling Strategies, 2nd ed. Springer 2015 (restricted cubic
  splines). doi:10.1007/978-3-319-19425-7.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._change import change_category_codes
from .._result import ResultMixin
from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_float_array,
    broadcast_together,
    check_array_range,
    check_number,
    labelled_categorical,
    read_columns,
    read_flags,
    record_values,
    require_any,
    to_flag,
)
from ..errors import OutOfRangeError, SchemaError, UnitError
from ._instrument import Instrument, frame_face
from .lung import HRCTChange

__all__ = [
    "DETECT_COEFFICIENTS",
    "HEART_COLUMNS",
    "SPAP_BASES",
    "DetectResult",
    "EchoFinding",
    "PHProbability",
    "PericardialEffusion",
    "detect_pah",
    "echo_signs_two_categories",
    "estimate_rap",
    "estimate_spap",
    "pah_change",
    "ph_probability",
    "score_echo",
]

FloatArray = npt.NDArray[np.float64]

#: Cut-offs with their sources.
TRV_MAX_PLAUSIBLE: Final = 6.0  # m/s; above: likely cm/s (unit guard of this library)
TRV_LOW: Final = 2.8  # ESC/ERS 2022
TRV_HIGH: Final = 3.4  # ESC/ERS 2022
IVC_CUTOFF_CM: Final = 2.1  # Rudski 2010
IVC_COLLAPSE_PCT: Final = 50.0  # Rudski 2010
RAP_VALUES: Final = (3.0, 8.0, 15.0)  # Rudski 2010: normal, intermediate, high
PAH_CHANGE_DEFAULT_MMHG: Final = 10.0  # documented default of this library
IVC_MAX_CM: Final = 5.0  # cm; above: likely mm (unit guard of this library)
# Echo signs of PH (ESC/ERS 2022), by category: A ventricles, B pulmonary artery, C IVC/RA
PH_SIGN_RV_LV_RATIO_ABOVE: Final = 1.0  # A: RV/LV basal diameter ratio > 1.0
PH_SIGN_LV_ECCENTRICITY_ABOVE: Final = 1.1  # A: LV eccentricity index > 1.1
PH_SIGN_TAPSE_SPAP_BELOW: Final = 0.55  # A: TAPSE/sPAP < 0.55 mm/mmHg
PH_SIGN_RVOT_ACT_BELOW_MS: Final = 105.0  # B: RVOT acceleration time < 105 ms
PH_SIGN_PR_VELOCITY_ABOVE: Final = 2.2  # B: early diastolic PR velocity > 2.2 m/s
PH_SIGN_PA_DIAMETER_ABOVE_MM: Final = 25.0  # B: PA diameter > 25 mm
PH_SIGN_RA_AREA_ABOVE_CM2: Final = 18.0  # C: RA end-systolic area > 18 cm^2 (and the IVC)
PH_SIGN_CATEGORIES_REQUIRED: Final = 2  # signs from at least 2 of the 3 categories

#: Change labels in code order (0 improved, 1 stable, 2 worsened), from :class:`HRCTChange`.
_CHANGE_LABELS: Final[tuple[str, ...]] = tuple(m.value for m in HRCTChange)
_EFFUSIONS: Final = ("none", "small", "moderate", "large")


class PHProbability(enum.Enum):
    """ESC/ERS 2022 echocardiographic probability of pulmonary hypertension."""

    LOW = "low"
    INTERMEDIATE = "intermediate"
    HIGH = "high"


class PericardialEffusion(enum.Enum):
    """Pericardial effusion, as recorded."""

    NONE = "none"
    SMALL = "small"
    MODERATE = "moderate"
    LARGE = "large"


def _check_trv(v: FloatArray) -> None:
    if v.size == 0:
        return
    vmax, vmin = np.fmax.reduce(v, axis=None), np.fmin.reduce(v, axis=None)
    if vmax > TRV_MAX_PLAUSIBLE:
        raise UnitError(
            f"tr_velocity_m_s = {vmax:g} is above {TRV_MAX_PLAUSIBLE:g} m/s: it looks "
            "like cm/s (or a pressure); give the peak TR velocity in m/s, e.g. 3.1"
        )
    if vmin < 0:
        raise OutOfRangeError(f"tr_velocity_m_s = {vmin:g} is outside 0..6 m/s")


def _spap_kernel(trv: FloatArray, rap: FloatArray) -> FloatArray:
    """The formula: 4 v^2 + RAP (computed in one new output buffer)."""
    out = np.multiply(trv, trv, dtype=np.float64)
    out *= 4.0
    out += rap
    return out


def estimate_spap(tr_velocity_m_s: Any, rap_mmhg: Any) -> Any:
    """Estimated systolic pulmonary artery pressure, 4 v^2 + RAP (mmHg).

    Raises
    ------
    UnitError
        A TR velocity above 6 m/s (likely cm/s).
    OutOfRangeError
        Negative velocities, RAP outside 0..30 mmHg.

    Examples
    --------
    >>> from sscoutcomes.measures.heart import estimate_spap
    >>> estimate_spap(3.0, 8)
    44.0
    >>> estimate_spap(310, 8)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.UnitError: tr_velocity_m_s = 310 is above 6 m/s: it looks like cm/s ...
    """
    trv, rap = broadcast_together(
        "tr_velocity_m_s and rap_mmhg",
        as_float_array(tr_velocity_m_s, "tr_velocity_m_s"),
        as_float_array(rap_mmhg, "rap_mmhg"),
    )
    _check_spap_inputs(trv, rap)
    out = _spap_kernel(trv, rap)
    return float(out) if out.ndim == 0 else out


def _check_spap_inputs(trv: FloatArray, rap: FloatArray) -> None:
    _check_trv(trv)
    check_array_range("rap_mmhg", rap, 0, 30, "mmHg")


def _rap_kernel(ivc: FloatArray, collapse: FloatArray) -> FloatArray:
    small = ivc <= IVC_CUTOFF_CM
    collapses = collapse > IVC_COLLAPSE_PCT  # exactly 50 % does not count as collapsing
    with np.errstate(invalid="ignore"):
        out = np.where(
            small & collapses,
            RAP_VALUES[0],
            np.where(~small & ~collapses, RAP_VALUES[2], RAP_VALUES[1]),
        )
    return np.asarray(np.where(np.isnan(ivc) | np.isnan(collapse), np.nan, out), dtype=np.float64)


def estimate_rap(ivc_diameter_cm: Any, ivc_collapse_pct: Any) -> Any:
    """Right atrial pressure (mmHg) from IVC diameter and collapse on sniff (Rudski 2010).

    3 mmHg for IVC <= 2.1 cm with > 50 % collapse, 15 mmHg for IVC > 2.1 cm with < 50 %
    (here: <= 50 %) collapse, 8 mmHg otherwise. Secondary indices may justify 3 or 15 in
    the intermediate case: pass the measured RAP to :class:`EchoFinding` to override.

    Examples
    --------
    >>> from sscoutcomes.measures.heart import estimate_rap
    >>> estimate_rap(1.8, 60), estimate_rap(2.5, 30), estimate_rap(1.8, 50)
    (3.0, 15.0, 8.0)
    """
    ivc, collapse = as_float_array(ivc_diameter_cm), as_float_array(ivc_collapse_pct)
    finite = ivc[~np.isnan(ivc)]
    if finite.size and finite.max() > IVC_MAX_CM:
        raise UnitError(f"ivc_diameter_cm = {finite.max():g} looks like mm; give cm (e.g. 1.8)")
    check_array_range("ivc_diameter_cm", ivc, 0.3, 5, "cm")
    check_array_range("ivc_collapse_pct", collapse, 0, 100, "%")
    out = _rap_kernel(*broadcast_together("ivc_diameter_cm and ivc_collapse_pct", ivc, collapse))
    return float(out) if out.ndim == 0 else out


def _signs_kernel(
    rv_lv: FloatArray,
    ecc: FloatArray,
    tapse_spap: FloatArray,
    act: FloatArray,
    notch: FloatArray,
    pr: FloatArray,
    pa: FloatArray,
    ivc: FloatArray,
    collapse: FloatArray,
    ra: FloatArray,
) -> FloatArray:
    with np.errstate(invalid="ignore"):
        a = (
            (rv_lv > PH_SIGN_RV_LV_RATIO_ABOVE)
            | (ecc > PH_SIGN_LV_ECCENTRICITY_ABOVE)
            | (tapse_spap < PH_SIGN_TAPSE_SPAP_BELOW)
        )
        b = (
            (act < PH_SIGN_RVOT_ACT_BELOW_MS)
            | (notch > 0)
            | (pr > PH_SIGN_PR_VELOCITY_ABOVE)
            | (pa > PH_SIGN_PA_DIAMETER_ABOVE_MM)
        )
        c = ((ivc > IVC_CUTOFF_CM) & (collapse < IVC_COLLAPSE_PCT)) | (
            ra > PH_SIGN_RA_AREA_ABOVE_CM2
        )
    n_categories = a.astype(int) + b.astype(int) + c.astype(int)
    return np.asarray(n_categories >= PH_SIGN_CATEGORIES_REQUIRED, dtype=np.float64)


#: Per sign input of :func:`_signs_kernel`, a value that is not a sign.
_NO_SIGN: Final = (0.0, 0.0, np.inf, np.inf, 0.0, 0.0, 0.0, 0.0, 100.0, 0.0)


def _signs_known(*inputs: FloatArray) -> FloatArray:
    """:func:`_signs_kernel` with missing values: 1.0 signs from >= 2 categories, 0.0 fewer
    whatever the missing inputs are, NaN where a missing input decides (missing data never
    removes a sign)."""
    low = _signs_kernel(
        *(np.where(np.isnan(x), n, x) for x, n in zip(inputs, _NO_SIGN, strict=True))
    )
    high = _signs_kernel(*(np.where(np.isnan(x), s, x) for x, s in zip(inputs, _SIGN, strict=True)))
    return np.asarray(np.where(low == high, low, np.nan), dtype=np.float64)


#: Per sign input of :func:`_signs_kernel`, a value that is a sign.
_SIGN: Final = (9.0, 9.0, 0.0, 0.0, 1.0, 9.0, 99.0, 9.0, 0.0, 99.0)


def echo_signs_two_categories(
    *,
    rv_lv_ratio: Any = None,
    lv_eccentricity_index: Any = None,
    tapse_mm: Any = None,
    spap_mmhg: Any = None,
    rvot_acceleration_ms: Any = None,
    rvot_notching: Any = None,
    pr_velocity_m_s: Any = None,
    pa_diameter_mm: Any = None,
    ivc_diameter_cm: Any = None,
    ivc_collapse_pct: Any = None,
    ra_area_cm2: Any = None,
) -> Any:
    """Whether echo signs of PH are present from at least two of the three categories.

    A (ventricles): RV/LV basal diameter ratio > 1.0, LV eccentricity index > 1.1,
    TAPSE/sPAP < 0.55 mm/mmHg. B (pulmonary artery): RVOT acceleration time < 105 ms or
    mid-systolic notching, early diastolic PR velocity > 2.2 m/s, PA diameter > 25 mm.
    C (IVC and RA): IVC > 2.1 cm with < 50 % collapse, RA end-systolic area > 18 cm^2.
    Three-valued: a sign that was not measured (``None`` / NaN) is not known, never
    absent, so the answer is ``None`` (missing) where the unmeasured signs could decide it:
    ``False`` needs enough measurements to rule out signs from two categories.

    Returns
    -------
    bool or None, or pandas.arrays.BooleanArray
        A nullable boolean array for array inputs.

    Examples
    --------
    >>> from sscoutcomes.measures.heart import echo_signs_two_categories
    >>> echo_signs_two_categories(rv_lv_ratio=1.2, pa_diameter_mm=28)
    True
    >>> echo_signs_two_categories(rv_lv_ratio=1.2, lv_eccentricity_index=1.3) is None
    True
    >>> echo_signs_two_categories(rv_lv_ratio=0.8, lv_eccentricity_index=1.0, tapse_mm=22,
    ...                           spap_mmhg=30, rvot_acceleration_ms=120, rvot_notching=False,
    ...                           pr_velocity_m_s=1.5, pa_diameter_mm=22)
    False
    """
    tapse, spap = as_float_array(tapse_mm), as_float_array(spap_mmhg)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = tapse / spap
    out = _signs_known(
        *broadcast_together(
            "the echo signs",
            as_float_array(rv_lv_ratio),
            as_float_array(lv_eccentricity_index),
            ratio,
            as_float_array(rvot_acceleration_ms),
            as_float_array(rvot_notching),
            as_float_array(pr_velocity_m_s),
            as_float_array(pa_diameter_mm),
            as_float_array(ivc_diameter_cm),
            as_float_array(ivc_collapse_pct),
            as_float_array(ra_area_cm2),
        )
    )
    if out.ndim == 0:
        return None if np.isnan(out) else bool(out)
    flags = pd.array(out > 0, dtype="boolean")
    flags[np.isnan(out)] = pd.NA
    return flags


def _prob_kernel(trv: FloatArray, measurable: FloatArray, signs: FloatArray) -> FloatArray:
    """0 low, 1 intermediate, 2 high, -1 not evaluable. A missing TRV is "not measurable"
    (the guideline's row with TRV <= 2.8) only where ``measurable`` is 0, i.e. the caller
    stated it; a TRV that is simply missing leaves the probability not evaluable."""
    with np.errstate(invalid="ignore"):
        band = np.where(trv > TRV_HIGH, 2.0, np.where(trv > TRV_LOW, 1.0, 0.0))
    stated_not_measurable = np.isnan(trv) & (measurable == 0)
    band = np.where(np.isnan(trv) & ~stated_not_measurable, -1.0, band)
    has = signs > 0
    band = np.where(np.isnan(signs) & (band < 2.0), -1.0, band)  # unknown signs decide
    return np.asarray(np.where((band == 2.0) | (band == -1.0), band, band + has), dtype=np.float64)


_PROBS: Final = (PHProbability.LOW, PHProbability.INTERMEDIATE, PHProbability.HIGH)


def ph_probability(
    tr_velocity_m_s: Any, other_signs: Any = None, *, tr_velocity_measurable: Any = None
) -> Any:
    """ESC/ERS 2022 echocardiographic probability of PH.

    Parameters
    ----------
    tr_velocity_m_s : float or array_like
        Peak TR velocity (m/s); ``None`` / NaN = not measured.
    other_signs : bool or array_like, optional
        Echo signs present from at least two categories (see
        :func:`echo_signs_two_categories`); ``None`` / NaN (the default) = not known, which
        leaves a TR velocity of 3.4 m/s or less not evaluable (never read as "no signs"):
        pass ``False`` where the echo found none.
    tr_velocity_measurable : bool or array_like, optional
        ``False`` where the echocardiographer states that the TR velocity could not be
        measured: the guideline then reads it as the "TRV <= 2.8 m/s or not measurable"
        row. A TR velocity that is only missing is never read that way.

    Returns
    -------
    PHProbability or None, or pandas.Categorical
        A categorical for array inputs. ``None`` (missing in a categorical) where it is not
        evaluable: no TR velocity and no statement that it was not measurable.

    Examples
    --------
    >>> from sscoutcomes.measures.heart import ph_probability
    >>> [ph_probability(v, other_signs=False).value for v in (2.5, 2.85, 3.4, 3.5)]
    ['low', 'intermediate', 'intermediate', 'high']
    >>> ph_probability(3.0, other_signs=True).value
    'high'
    >>> ph_probability(2.5) is None, ph_probability(3.5).value  # signs not known
    (True, 'high')
    >>> ph_probability(None, False) is None              # TRV not measured: not evaluable
    True
    >>> ph_probability(None, False, tr_velocity_measurable=False).value
    'low'
    """
    trv = as_float_array(tr_velocity_m_s, "tr_velocity_m_s")
    _check_trv(trv)
    signs = _flags(other_signs, "other_signs")
    measurable = _flags(tr_velocity_measurable, "tr_velocity_measurable")
    codes = _prob_kernel(
        *broadcast_together(
            "tr_velocity_m_s, tr_velocity_measurable and other_signs", trv, measurable, signs
        )
    )
    if codes.ndim == 0:
        return None if codes < 0 else _PROBS[int(codes)]
    return labelled_categorical(codes.astype(np.int64), [p.value for p in _PROBS])


def _flags(value: Any, label: str) -> FloatArray:
    """Yes/no values as 1.0 / 0.0 / NaN (missing); text other than the schema's yes/no
    words raises, so ``"no"`` is never read as true."""
    if isinstance(value, str) or (
        isinstance(value, (list, tuple, np.ndarray)) and any(isinstance(v, str) for v in value)
    ):
        return read_flags(value, label)
    return as_float_array(value, label)


def pah_change(
    comparison: Any = None,
    baseline_spap: Any = None,
    follow_up_spap: Any = None,
    threshold_mmhg: float = PAH_CHANGE_DEFAULT_MMHG,
) -> pd.Categorical:
    """PAH change between two studies: improved, stable or worsened (NaN = not evaluable).

    There is no single standard: the reader's comparison is used where recorded; otherwise
    an sPAP change of at least ``threshold_mmhg`` (default 10 mmHg, this library's
    documented choice) is worsened (up) or improved (down), anything smaller stable.

    Examples
    --------
    >>> from sscoutcomes.measures.heart import pah_change
    >>> list(pah_change([None, None, "worsened"], [50, 50, 50], [38, 55, 50]))
    ['improved', 'stable', 'worsened']
    """
    check_number("threshold_mmhg", threshold_mmhg, 0, 100)
    codes = change_category_codes(
        comparison,
        as_float_array(baseline_spap, "baseline_spap"),
        as_float_array(follow_up_spap, "follow_up_spap"),
        threshold_mmhg,
        "pah_comparison",
    )
    return labelled_categorical(codes, _CHANGE_LABELS)


# --------------------------------------------------------------------------------------
# DETECT
# --------------------------------------------------------------------------------------
#: DETECT logistic models (Coghlan 2014), as given in the spec; spline knots in their units.
DETECT_COEFFICIENTS: Final[Mapping[str, Any]] = {
    "step1_intercept": -12.488,
    "fvc_dlco_ratio": 1.149,
    "telangiectasia": 1.156,
    "anticentromere": 0.753,
    "log10_nt_probnp": 0.915,
    "urate_mg_dl": 1.247,
    "urate_spline": -1.132,
    "right_axis_deviation": 1.850,
    "urate_knots": (3.3, 4.7, 7.1),
    "step2_intercept": -2.452,
    "step1_linear_predictor": 0.891,
    "ra_area_cm2": 0.075,
    "tr_velocity_m_s": 0.209,
    "trv_spline": 2.656,
    "trv_knots": (2.0, 2.5, 3.4),
}


def _rcs3(x: FloatArray, knots: tuple[float, float, float]) -> FloatArray:
    """Restricted cubic spline term for 3 knots, Harrell's normalisation (k3 - k1)^2
    (provisional: the paper does not print the normalisation)."""
    k1, k2, k3 = knots

    def pos3(v: FloatArray) -> FloatArray:
        return np.asarray(np.maximum(v, 0.0) ** 3, dtype=np.float64)

    term = (
        pos3(x - k1) - pos3(x - k2) * (k3 - k1) / (k3 - k2) + pos3(x - k3) * (k2 - k1) / (k3 - k2)
    )
    return np.asarray(term / (k3 - k1) ** 2, dtype=np.float64)


@attrs.frozen(kw_only=True)
class DetectResult(ResultMixin):
    """DETECT linear predictors (:func:`detect_pah`). Provisional: see the docstring."""

    step1_linear_predictor: float
    step2_linear_predictor: float | None
    provisional: bool = True
    note: str = (
        "linear predictors from the published coefficients; the spline normalisation is "
        "Harrell's (unconfirmed) and the nomogram points and referral thresholds are not "
        "implemented"
    )


def detect_pah(
    *,
    fvc_pct_predicted: float,
    dlco_pct_predicted: float,
    telangiectasia: bool,
    anticentromere: bool,
    nt_probnp_pg_ml: float,
    urate_mg_dl: float,
    right_axis_deviation: bool,
    ra_area_cm2: float | None = None,
    tr_velocity_m_s: float | None = None,
) -> DetectResult:
    """DETECT screening for PAH in SSc (Coghlan 2014): Step 1 and Step 2 linear predictors.

    **Provisional.** The linear predictors follow the published coefficients exactly. The
    restricted cubic spline terms of urate and TRV use Harrell's normalisation (division by
    :math:`(k_3 - k_1)^2`), which the paper does not print and which was not confirmed
    against the official calculator. The nomogram points (Step 1 > 300 -> echo; Step 2
    > 35 -> right heart catheterisation) are not published in closed form and are **not
    implemented**; neither are the calculator's missing-data rules. The population is SSc
    with disease duration > 3 years and DLCO < 60 % predicted.

    Examples
    --------
    >>> from sscoutcomes.measures.heart import detect_pah
    >>> r = detect_pah(fvc_pct_predicted=90, dlco_pct_predicted=50, telangiectasia=True,
    ...                anticentromere=True, nt_probnp_pg_ml=200, urate_mg_dl=4.0,
    ...                right_axis_deviation=False, ra_area_cm2=15, tr_velocity_m_s=2.8)
    >>> round(r.step1_linear_predictor, 3), r.provisional
    (-1.444, True)
    """
    c = DETECT_COEFFICIENTS
    fvc = check_number("fvc_pct_predicted", fvc_pct_predicted, 10, 200)
    dlco = check_number("dlco_pct_predicted", dlco_pct_predicted, 5, 200)
    bnp = check_number("nt_probnp_pg_ml", nt_probnp_pg_ml, 1, 100000, unit="pg/mL")
    urate = check_number(
        "urate_mg_dl", urate_mg_dl, 0.5, 20, unit="mg/dL", hint="give mg/dL; umol/L / 59.48 = mg/dL"
    )
    for name, flag in (
        ("telangiectasia", telangiectasia),
        ("anticentromere", anticentromere),
        ("right_axis_deviation", right_axis_deviation),
    ):
        if not isinstance(flag, (bool, np.bool_)):
            raise OutOfRangeError(f"{name} = {flag!r} is not True/False")
    u_spline = float(_rcs3(np.asarray(urate), c["urate_knots"]))
    lp1 = (
        c["step1_intercept"]
        + c["fvc_dlco_ratio"] * fvc / dlco
        + c["telangiectasia"] * telangiectasia
        + c["anticentromere"] * anticentromere
        + c["log10_nt_probnp"] * math.log10(bnp)
        + c["urate_mg_dl"] * urate
        + c["urate_spline"] * u_spline
        + c["right_axis_deviation"] * right_axis_deviation
    )
    lp2 = None
    if ra_area_cm2 is not None and tr_velocity_m_s is not None:
        ra = check_number("ra_area_cm2", ra_area_cm2, 1, 80, unit="cm^2")
        _check_trv(np.asarray([float(tr_velocity_m_s)]))
        trv = float(tr_velocity_m_s)
        lp2 = (
            c["step2_intercept"]
            + c["step1_linear_predictor"] * lp1
            + c["ra_area_cm2"] * ra
            + c["tr_velocity_m_s"] * trv
            + c["trv_spline"] * float(_rcs3(np.asarray(trv), c["trv_knots"]))
        )
    return DetectResult(step1_linear_predictor=float(lp1), step2_linear_predictor=lp2)


# --------------------------------------------------------------------------------------
# object and frame faces
# --------------------------------------------------------------------------------------
HEART_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(
        name="tr_velocity_m_s",
        dtype="float",
        unit="m/s",
        lo=0,
        hi=TRV_MAX_PLAUSIBLE,
        description="peak tricuspid regurgitation velocity",
        hint="give m/s; a value in the hundreds is cm/s",
    ),
    ColumnSpec(
        name="rap_mmhg",
        dtype="float",
        unit="mmHg",
        lo=0,
        hi=30,
        description="right atrial pressure (given or estimated)",
    ),
    ColumnSpec(
        name="ivc_diameter_cm",
        dtype="float",
        unit="cm",
        lo=0.3,
        hi=5,
        description="inferior vena cava diameter",
        hint="give cm, not mm",
    ),
    ColumnSpec(
        name="ivc_collapse_pct",
        dtype="float",
        unit="%",
        lo=0,
        hi=100,
        description="IVC collapse on sniff",
    ),
    ColumnSpec(
        name="spap_mmhg",
        dtype="float",
        unit="mmHg",
        lo=5,
        hi=200,
        description="systolic pulmonary artery pressure as recorded",
    ),
    ColumnSpec(
        name="lvef_pct",
        dtype="float",
        unit="%",
        lo=5,
        hi=90,
        description="left ventricular ejection fraction",
    ),
    ColumnSpec(
        name="tapse_mm",
        dtype="float",
        unit="mm",
        lo=1,
        hi=50,
        description="tricuspid annular plane systolic excursion",
    ),
    ColumnSpec(
        name="pericardial_effusion",
        dtype="category",
        categories=_EFFUSIONS,
        description="pericardial effusion",
    ),
    ColumnSpec(
        name="rv_lv_ratio", dtype="float", lo=0.2, hi=5, description="RV/LV basal diameter ratio"
    ),
    ColumnSpec(
        name="lv_eccentricity_index",
        dtype="float",
        lo=0.5,
        hi=5,
        description="LV eccentricity index",
    ),
    ColumnSpec(
        name="rvot_acceleration_ms",
        dtype="float",
        unit="ms",
        lo=20,
        hi=300,
        description="RVOT acceleration time",
    ),
    ColumnSpec(name="rvot_notching", dtype="bool", description="mid-systolic RVOT notching"),
    ColumnSpec(
        name="pr_velocity_m_s",
        dtype="float",
        unit="m/s",
        lo=0,
        hi=6,
        description="early diastolic pulmonary regurgitation velocity",
    ),
    ColumnSpec(
        name="pa_diameter_mm",
        dtype="float",
        unit="mm",
        lo=5,
        hi=80,
        description="pulmonary artery diameter",
    ),
    ColumnSpec(
        name="ra_area_cm2",
        dtype="float",
        unit="cm^2",
        lo=1,
        hi=80,
        description="right atrial end-systolic area",
    ),
    ColumnSpec(
        name="pah_comparison",
        dtype="category",
        categories=_CHANGE_LABELS,
        description="reader's comparison of PAH with baseline",
    ),
    ColumnSpec(
        name="mpap_mmhg",
        dtype="float",
        unit="mmHg",
        lo=5,
        hi=120,
        description="mean pulmonary artery pressure (right heart catheterisation)",
    ),
    ColumnSpec(
        name="pawp_mmhg",
        dtype="float",
        unit="mmHg",
        lo=0,
        hi=60,
        description="pulmonary arterial wedge pressure (RHC)",
    ),
    ColumnSpec(
        name="pvr_wu",
        dtype="float",
        unit="WU",
        lo=0,
        hi=40,
        description="pulmonary vascular resistance (RHC)",
    ),
    ColumnSpec(
        name="nt_probnp_pg_ml",
        dtype="float",
        unit="pg/mL",
        lo=0,
        hi=100000,
        description="NT-proBNP",
    ),
    ColumnSpec(
        name="urate_mg_dl",
        dtype="float",
        unit="mg/dL",
        lo=0,
        hi=20,
        description="serum urate",
        hint="give mg/dL",
    ),
    ColumnSpec(
        name="right_axis_deviation", dtype="bool", description="right axis deviation on ECG"
    ),
    ColumnSpec(
        name="tr_velocity_measurable",
        dtype="bool",
        description="false where the echocardiographer states that the TR velocity could not "
        "be measured (read as the guideline's 'TRV <= 2.8 m/s or not measurable'); a TR "
        "velocity that is only missing leaves the PH probability not evaluable",
    ),
    ColumnSpec(
        name="other_echo_signs",
        dtype="bool",
        description="echo signs of PH from at least two of the three ESC/ERS 2022 categories, "
        "as reported (true or false decides; blank leaves it to the sign measurements, and "
        "signs that were not measured are not known, never absent)",
    ),
)
_SPECS: Final = {spec.name: spec for spec in HEART_COLUMNS}
_FIELD_OF: Final = {
    "spap_mmhg": "recorded_spap_mmhg",
    "pericardial_effusion": "pericardial_effusion",
    "other_echo_signs": "other_signs",
}


def _opt(name: str) -> Any:
    spec = _SPECS[name]

    def validator(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        if spec.dtype == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise OutOfRangeError(f"{name} = {value!r} is not True/False")
            return
        if (
            name == "tr_velocity_m_s"
            and isinstance(value, (int, float))
            and value > TRV_MAX_PLAUSIBLE
        ):
            _check_trv(np.asarray([float(value)]))
        if name == "ivc_diameter_cm" and isinstance(value, (int, float)) and value > IVC_MAX_CM:
            raise UnitError(f"ivc_diameter_cm = {value!r} looks like mm; give cm (e.g. 1.8)")
        lo = -math.inf if spec.lo is None else spec.lo
        hi = math.inf if spec.hi is None else spec.hi
        check_number(name, value, lo, hi, unit=spec.unit, hint=spec.hint)

    return attrs.field(default=None, validator=validator)


def _measurable_flag(value: Any) -> Any:
    return to_flag(value, "tr_velocity_measurable")


def _signs_flag(value: Any) -> Any:
    return to_flag(value, "other_signs")


@attrs.frozen(kw_only=True, slots=True)
class EchoFinding:
    """One echocardiogram (and, optionally, right heart catheterisation values).

    ``rap_mmhg`` is used when given; otherwise it is estimated from the IVC
    (:func:`estimate_rap`). ``spap_mmhg`` is 4 v^2 + RAP when the TR velocity is known,
    else the recorded sPAP (``recorded_spap_mmhg``).

    Examples
    --------
    >>> from sscoutcomes.measures.heart import EchoFinding
    >>> e = EchoFinding(tr_velocity_m_s=3.1, rap_mmhg=8, other_signs=False)
    >>> round(e.spap_mmhg, 2), e.ph_probability.value
    (46.44, 'intermediate')
    >>> EchoFinding(tr_velocity_m_s=3.1, rap_mmhg=8).ph_probability is None  # signs unknown
    True
    >>> round(EchoFinding(tr_velocity_m_s=2.6, ivc_diameter_cm=2.4, ivc_collapse_pct=30).spap_mmhg,
    ...       2)
    42.04
    """

    tr_velocity_m_s: float | None = _opt("tr_velocity_m_s")
    rap_mmhg: float | None = _opt("rap_mmhg")
    ivc_diameter_cm: float | None = _opt("ivc_diameter_cm")
    ivc_collapse_pct: float | None = _opt("ivc_collapse_pct")
    recorded_spap_mmhg: float | None = _opt("spap_mmhg")
    lvef_pct: float | None = _opt("lvef_pct")
    tapse_mm: float | None = _opt("tapse_mm")
    pericardial_effusion: PericardialEffusion | str | None = attrs.field(default=None)
    rv_lv_ratio: float | None = _opt("rv_lv_ratio")
    lv_eccentricity_index: float | None = _opt("lv_eccentricity_index")
    rvot_acceleration_ms: float | None = _opt("rvot_acceleration_ms")
    rvot_notching: bool | None = _opt("rvot_notching")
    pr_velocity_m_s: float | None = _opt("pr_velocity_m_s")
    pa_diameter_mm: float | None = _opt("pa_diameter_mm")
    ra_area_cm2: float | None = _opt("ra_area_cm2")
    pah_comparison: str | None = attrs.field(default=None)
    mpap_mmhg: float | None = _opt("mpap_mmhg")
    pawp_mmhg: float | None = _opt("pawp_mmhg")
    pvr_wu: float | None = _opt("pvr_wu")
    nt_probnp_pg_ml: float | None = _opt("nt_probnp_pg_ml")
    urate_mg_dl: float | None = _opt("urate_mg_dl")
    right_axis_deviation: bool | None = _opt("right_axis_deviation")
    tr_velocity_measurable: bool | None = attrs.field(default=None, converter=_measurable_flag)
    other_signs: bool | None = attrs.field(default=None, converter=_signs_flag)

    def __attrs_post_init__(self) -> None:
        pe = self.pericardial_effusion
        if pe is not None and not isinstance(pe, PericardialEffusion):
            try:
                object.__setattr__(
                    self, "pericardial_effusion", PericardialEffusion(str(pe).strip().lower())
                )
            except ValueError:
                raise SchemaError(
                    f"pericardial_effusion = {pe!r} is not one of {', '.join(_EFFUSIONS)}"
                ) from None
        pc = self.pah_comparison
        if pc is not None:
            key = str(pc).strip().lower()
            if key not in _CHANGE_LABELS:
                raise SchemaError(
                    f"pah_comparison = {pc!r} is not one of {', '.join(_CHANGE_LABELS)}"
                )
            object.__setattr__(self, "pah_comparison", key)
        if self.other_signs is False and self._measured_signs() is True:
            raise SchemaError(f"other_signs = False {_SIGNS_CLASH}")

    @property
    def rap_used_mmhg(self) -> float | None:
        """The RAP used -- given, else estimated from the IVC, else ``None``."""
        if self.rap_mmhg is not None:
            return float(self.rap_mmhg)
        if self.ivc_diameter_cm is None or self.ivc_collapse_pct is None:
            return None
        return float(
            _rap_kernel(
                np.asarray(float(self.ivc_diameter_cm)), np.asarray(float(self.ivc_collapse_pct))
            )
        )

    @property
    def spap_mmhg(self) -> float | None:
        """Estimated sPAP (4 v^2 + RAP), else the recorded sPAP, else ``None``."""
        rap = self.rap_used_mmhg
        if self.tr_velocity_m_s is not None and rap is not None:
            return float(_spap_kernel(np.asarray(float(self.tr_velocity_m_s)), np.asarray(rap)))
        return None if self.recorded_spap_mmhg is None else float(self.recorded_spap_mmhg)

    @property
    def signs_two_categories(self) -> bool | None:
        """Echo signs from >= 2 categories -- ``other_signs`` when given, else from the sign
        measurements, ``None`` where signs that were not measured could decide it."""
        if self.other_signs is not None:
            return bool(self.other_signs)
        return self._measured_signs()

    def _measured_signs(self) -> bool | None:
        known: bool | None = echo_signs_two_categories(
            rv_lv_ratio=self.rv_lv_ratio,
            lv_eccentricity_index=self.lv_eccentricity_index,
            tapse_mm=self.tapse_mm,
            spap_mmhg=self.spap_mmhg,
            rvot_acceleration_ms=self.rvot_acceleration_ms,
            rvot_notching=self.rvot_notching,
            pr_velocity_m_s=self.pr_velocity_m_s,
            pa_diameter_mm=self.pa_diameter_mm,
            ivc_diameter_cm=self.ivc_diameter_cm,
            ivc_collapse_pct=self.ivc_collapse_pct,
            ra_area_cm2=self.ra_area_cm2,
        )
        return known

    @property
    def ph_probability(self) -> PHProbability | None:
        """ESC/ERS 2022 echocardiographic probability of PH; ``None`` (not evaluable) when
        the TR velocity is missing and not stated to be not measurable
        (``tr_velocity_measurable=False``), and when it is 3.4 m/s or less and the other
        echo signs are not known (give ``other_signs`` or the sign measurements)."""
        signs = self.signs_two_categories
        trv = np.nan if self.tr_velocity_m_s is None else float(self.tr_velocity_m_s)
        measurable = np.nan if self.tr_velocity_measurable is None else 1.0
        if self.tr_velocity_measurable is False:
            measurable = 0.0
        code = int(
            _prob_kernel(
                np.asarray(trv),
                np.asarray(measurable),
                np.asarray(np.nan if signs is None else float(signs)),
            )
        )
        return None if code < 0 else _PROBS[code]

    def to_record(self) -> dict[str, Any]:
        """Canonical columns of this study."""
        out: dict[str, Any] = {}
        for spec in HEART_COLUMNS:
            value = getattr(self, _FIELD_OF.get(spec.name, spec.name))
            if isinstance(value, PericardialEffusion):
                value = value.value
            out[spec.name] = value
        return out

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> EchoFinding | None:
        """Rebuild from canonical columns; ``None`` when none is present.

        Examples
        --------
        >>> from sscoutcomes.measures.heart import EchoFinding
        >>> EchoFinding.from_record({"tr_velocity_m_s": 2.9, "rap_mmhg": 3.0}).spap_mmhg
        36.64
        """
        values = record_values(record, HEART_COLUMNS, _FIELD_OF)
        return cls(**values) if values else None


#: What the sPAP of :func:`score_echo` rests on (its ``spap_basis``): estimated from the TR
#: velocity and the RAP given, or the RAP estimated from the IVC, or as recorded.
SPAP_BASES: Final[tuple[str, ...]] = (
    "TR velocity and RAP",
    "TR velocity and RAP from the IVC",
    "recorded",
)

#: Why a stated "no other echo signs" is refused (both faces).
_SIGNS_CLASH: Final = (
    "says there are no other echo signs, but the sign measurements show signs from at least "
    "two categories"
)

#: The columns behind the inputs of :func:`_signs_kernel` (TAPSE is divided by the sPAP).
_SIGN_COLUMNS: Final = (
    "rv_lv_ratio",
    "lv_eccentricity_index",
    "tapse_mm",
    "rvot_acceleration_ms",
    "rvot_notching",
    "pr_velocity_m_s",
    "pa_diameter_mm",
    "ivc_diameter_cm",
    "ivc_collapse_pct",
    "ra_area_cm2",
)


@frame_face
def score_echo(visits: pd.DataFrame) -> pd.DataFrame:
    """RAP used, sPAP and the ESC/ERS 2022 PH probability for every visit.

    The input is not modified.

    Returns
    -------
    pandas.DataFrame
        ``rap_used_mmhg``, ``spap_mmhg`` (estimated, else recorded), ``spap_basis``
        (categorical, :data:`SPAP_BASES`: what the sPAP rests on -- 4 v^2 + the RAP given,
        4 v^2 + the RAP estimated from the IVC, or the sPAP as recorded; missing with no
        sPAP), ``ph_probability`` (categorical), aligned to the index. The probability is
        missing (not evaluable) where the TR velocity is missing and not stated not
        measurable, and where the TR velocity is 3.4 m/s or less and the other echo signs
        are not known: neither ``other_echo_signs`` states them nor do the sign
        measurements decide (a sign that was not measured, a blank cell or a column the
        frame does not carry, is not known, never absent).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures.heart import score_echo
    >>> out = score_echo(pd.DataFrame({"tr_velocity_m_s": [2.5, 3.6, 2.5],
    ...                                "rap_mmhg": [3, 8, 3],
    ...                                "other_echo_signs": [False, None, None]}))
    >>> out["spap_mmhg"].tolist(), out["ph_probability"].tolist()
    ([28.0, 59.84, 28.0], ['low', 'high', nan])
    """
    require_any(visits, HEART_COLUMNS, "echocardiography")
    collector = FailureCollector(visits)
    v = read_columns(visits, [s for s in HEART_COLUMNS if s.dtype != "category"], collector)
    collector.raise_if_failed()
    trv = v["tr_velocity_m_s"]
    rap = np.where(
        np.isnan(v["rap_mmhg"]),
        _rap_kernel(v["ivc_diameter_cm"], v["ivc_collapse_pct"]),
        v["rap_mmhg"],
    )
    estimated = ~np.isnan(trv) & ~np.isnan(rap)
    spap = np.where(estimated, _spap_kernel(trv, rap), v["spap_mmhg"])
    basis = np.where(
        estimated,
        np.where(np.isnan(v["rap_mmhg"]), 1, 0),
        np.where(np.isnan(v["spap_mmhg"]), -1, 2),
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        inputs = [v[name] for name in _SIGN_COLUMNS]
        inputs[2] = v["tapse_mm"] / spap
    # Signs as reported (other_echo_signs) decide; else the measurements, where a sign that
    # was not measured (a blank cell, or a column the frame does not carry) is not known.
    stated, measured = v["other_echo_signs"], _signs_known(*inputs)
    collector.add(
        (stated == 0) & (measured == 1),
        "other_echo_signs",
        stated.astype(object),
        _SIGNS_CLASH,
        schema=True,
    )
    collector.raise_if_failed()
    signs = np.where(np.isnan(stated), measured, stated)
    codes = _prob_kernel(trv, v["tr_velocity_measurable"], signs)
    prob = labelled_categorical(codes.astype(np.int64), [p.value for p in _PROBS])
    return pd.DataFrame(
        {
            "rap_used_mmhg": rap,
            "spap_mmhg": spap,
            "spap_basis": pd.Series(
                labelled_categorical(basis.astype(np.int64), SPAP_BASES), index=visits.index
            ),
            "ph_probability": pd.Series(prob, index=visits.index),
        },
        index=visits.index,
    )


#: The declaration of echocardiography (sPAP, RAP, ESC/ERS 2022 PH probability).
ECHO: Final = Instrument(
    name="heart",
    title="echocardiography and pulmonary hypertension",
    columns=HEART_COLUMNS,
    score=score_echo,
    kernel=estimate_spap,
    outputs=("rap_used_mmhg", "spap_mmhg", "spap_basis", "ph_probability"),
    triggers=tuple(
        s.name for s in HEART_COLUMNS if s.name not in ("pah_comparison", "pericardial_effusion")
    ),
    record=EchoFinding,
    field="echo",
    references=(
        "Rudski LG et al. J Am Soc Echocardiogr 2010;23:685-713. doi:10.1016/j.echo.2010.05.010",
        "Humbert M et al. Eur Heart J 2022;43:3618-731. doi:10.1093/eurheartj/ehac237",
    ),
)
