r"""Lungs: pulmonary function (FVC, DLCO), HRCT extent and Goh staging, HRCT change, and the
ILD progression definitions.

Pulmonary function is taken in % predicted (reference equations are outside scope); when
only the measured and predicted values are given, :math:`\%\,\text{pred} = 100 \cdot
\text{measured} / \text{predicted}`. Change is named for what it is, because papers mix the
two: :func:`~sscoutcomes.absolute_change` of two % predicted values is the difference of two
percentages (percentage points), :func:`~sscoutcomes.percent_change` is the change as a
percentage of the baseline value.

References
----------
- Goh NS, Desai SR, Veeraraghavan S, et al. Interstitial lung disease in systemic
  sclerosis: a simple staging system. Am J Respir Crit Care Med 2008;177:1248-54.
  doi:10.1164/rccm.200706-877OC.
- Khanna D, Mittoo S, Aggarwal R, et al. Connective tissue disease-associated interstitial
  lung diseases (CTD-ILD) - report from OMERACT CTD-ILD working group. J Rheumatol
  2015;42:2168-71. doi:10.3899/jrheum.141182.
- Hoffmann-Vold AM, Allanore Y, Alves M, et al. Progressive interstitial lung disease in
  patients with systemic sclerosis-associated interstitial lung disease in the EUSTAR
  database. Ann Rheum Dis 2021;80:219-27. doi:10.1136/annrheumdis-2020-217455.
- Raghu G, Remy-Jardin M, Richeldi L, et al. Idiopathic pulmonary fibrosis (an update) and
  progressive pulmonary fibrosis in adults: an official ATS/ERS/JRS/ALAT clinical practice
  guideline. Am J Respir Crit Care Med 2022;205:e18-e47. doi:10.1164/rccm.202202-0399ST.
- Kafaja S, Clements PJ, Wilhalme H, et al. Reliability and minimal clinically important
  differences of forced vital capacity. Am J Respir Crit Care Med 2018;197:644-52.
  doi:10.1164/rccm.201709-1845OC.
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

from .._change import absolute_change, change_category_codes, percent_change
from .._response import ResponderDefinition, response_codes
from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_float_array,
    broadcast_together,
    check_array_range,
    check_number,
    float_column,
    labelled_categorical,
    read_flags,
    record_values,
)
from ..errors import OutOfRangeError, SchemaError, SSCOutcomesError, UnitError
from ._instrument import Instrument, frame_face

__all__ = [
    "FVC_EUSTAR_CATEGORIES",
    "ILD_PROGRESSION_EUSTAR",
    "ILD_PROGRESSION_OMERACT",
    "LUNG_COLUMNS",
    "LUNG_RESPONDER_DEFINITIONS",
    "PPF_PHYSIOLOGICAL_2022",
    "GohStage",
    "HRCTChange",
    "HRCTPattern",
    "LungImaging",
    "PulmonaryFunction",
    "fvc_eustar_category",
    "goh_stage",
    "hrct_change",
    "ppf_2022",
    "score_pft",
]

FloatArray = npt.NDArray[np.float64]

#: Cut-offs, each with its source.
GOH_LIMITED_BELOW: Final = 10.0  # extent < 10 % -> limited (Goh 2008)
GOH_EXTENSIVE_ABOVE: Final = 30.0  # extent > 30 % -> extensive (Goh 2008)
GOH_FVC_CUTOFF: Final = 70.0  # indeterminate: FVC < 70 % -> extensive (Goh 2008)
HRCT_EXTENT_CHANGE_DEFAULT: Final = 5.0  # documented default of this library
PCT_PREDICTED_RANGE: Final = (10.0, 200.0)
# OMERACT ILD progression (Khanna 2015): relative declines, % of baseline
OMERACT_FVC_DECLINE_PCT: Final = 10.0  # FVC decline >= 10 % -> progression
OMERACT_FVC_DECLINE_MODERATE_PCT: Final = 5.0  # 5 to < 10 % counts with the DLCO decline
OMERACT_DLCO_DECLINE_PCT: Final = 15.0  # DLCO decline >= 15 %
# EUSTAR FVC categories (Hoffmann-Vold 2021, Table 2): change in % predicted points
EUSTAR_FVC_MAJOR_BELOW: Final = -20.0  # < -20 -> major decline
EUSTAR_FVC_SIGNIFICANT_BELOW: Final = -10.0  # -20 to < -10 -> significant decline
EUSTAR_FVC_MODERATE_AT_MOST: Final = -5.0  # -10 to -5 -> moderate; EUSTAR progression
EUSTAR_FVC_IMPROVEMENT_FROM: Final = 5.0  # >= 5 -> improvement (else stable)
# 2022 PPF guideline (Raghu 2022): absolute declines within a year, % predicted points
PPF_FVC_DECLINE: Final = 5.0  # FVC decline >= 5 -> physiological progression
PPF_DLCO_DECLINE: Final = 10.0  # DLCO (Hb-corrected) decline >= 10 -> physiological progression
PPF_CRITERIA_REQUIRED: Final = 2  # at least 2 of the 3 criteria
# Unit guards and tolerances of this library
PCT_FRACTION_MAX: Final = 2.0  # a % predicted in (0, 2] looks like a fraction
FVC_LITRES_MAX: Final = 20.0  # an FVC in litres above this looks like mL or % predicted
FVC_ML_RANGE: Final = (200.0, 8000.0)  # FVC in mL (the range of fvc_l, in mL)
FVC_ML_LITRES_BELOW: Final = 20.0  # an FVC in mL below this looks like litres
PCT_AGREEMENT: Final = 0.5  # given and derived % predicted agree within this many points

_PATTERNS: Final = ("nsip", "uip", "other")


class HRCTPattern(enum.Enum):
    """HRCT pattern of the ILD."""

    NSIP = "nsip"
    UIP = "uip"
    OTHER = "other"


class HRCTChange(enum.Enum):
    """Change between two HRCT scans (or two echo studies)."""

    IMPROVED = "improved"
    STABLE = "stable"
    WORSENED = "worsened"


#: Change labels in code order (0 improved, 1 stable, 2 worsened), from :class:`HRCTChange`.
_CHANGE_LABELS: Final[tuple[str, ...]] = tuple(m.value for m in HRCTChange)


class GohStage(enum.Enum):
    """Goh 2008 staging of SSc-ILD."""

    LIMITED = "limited"
    EXTENSIVE = "extensive"


#: Canonical visits-frame columns of this module (collected by ``cohort.schema``).
LUNG_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(
        name="fvc_pct_predicted",
        dtype="float",
        unit="% predicted",
        lo=PCT_PREDICTED_RANGE[0],
        hi=PCT_PREDICTED_RANGE[1],
        description="forced vital capacity, % predicted",
        hint="give % predicted (e.g. 85), not a fraction or litres",
    ),
    ColumnSpec(
        name="dlco_pct_predicted",
        dtype="float",
        unit="% predicted",
        lo=5.0,
        hi=PCT_PREDICTED_RANGE[1],
        description="DLCO (haemoglobin-corrected where available), % predicted",
        hint="give % predicted (e.g. 60), not a fraction",
    ),
    ColumnSpec(name="fvc_l", dtype="float", unit="L", lo=0.2, hi=8.0, description="measured FVC"),
    ColumnSpec(
        name="fvc_ml",
        dtype="float",
        unit="mL",
        lo=FVC_ML_RANGE[0],
        hi=FVC_ML_RANGE[1],
        description="measured FVC in millilitres (the unit of trial FVC slopes)",
        hint="give mL, e.g. 2800, not litres",
    ),
    ColumnSpec(
        name="fvc_predicted_l", dtype="float", unit="L", lo=0.5, hi=8.0, description="predicted FVC"
    ),
    ColumnSpec(
        name="dlco_measured",
        dtype="float",
        unit="mL/min/mmHg",
        lo=0.5,
        hi=60.0,
        description="measured DLCO",
    ),
    ColumnSpec(
        name="dlco_predicted",
        dtype="float",
        unit="mL/min/mmHg",
        lo=1.0,
        hi=60.0,
        description="predicted DLCO",
    ),
    ColumnSpec(name="hrct_ild", dtype="bool", description="ILD present on HRCT"),
    ColumnSpec(
        name="hrct_extent_pct",
        dtype="float",
        unit="% of lung",
        lo=0.0,
        hi=100.0,
        description="HRCT extent of ILD (visual score)",
    ),
    ColumnSpec(
        name="hrct_pattern", dtype="category", categories=_PATTERNS, description="HRCT pattern"
    ),
    ColumnSpec(
        name="hrct_comparison",
        dtype="category",
        categories=_CHANGE_LABELS,
        description="reader's side-by-side comparison with the baseline scan",
    ),
    ColumnSpec(
        name="respiratory_symptoms_worsened",
        dtype="bool",
        description="worsening respiratory symptoms (PPF criterion 1)",
    ),
    ColumnSpec(
        name="hrct_fibrosis_progression",
        dtype="bool",
        description="radiological progression of fibrosis (PPF criterion 3)",
    ),
)
_SPECS: Final = {spec.name: spec for spec in LUNG_COLUMNS}


def _pct(label: str, value: float) -> float:
    """Validate a % predicted value with a unit hint for fractions."""
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and 0 < value <= PCT_FRACTION_MAX
    ):
        raise UnitError(
            f"{label} = {value!r} looks like a fraction; give % predicted (e.g. 85), "
            f"valid {PCT_PREDICTED_RANGE[0]:g}..{PCT_PREDICTED_RANGE[1]:g}"
        )
    return check_number(
        label,
        value,
        5.0 if label.startswith("dlco") else 10.0,
        PCT_PREDICTED_RANGE[1],
        unit="% predicted",
    )


# --------------------------------------------------------------------------------------
# Goh staging and HRCT change
# --------------------------------------------------------------------------------------
def _goh_codes(extent: FloatArray, fvc: FloatArray) -> FloatArray:
    """1 extensive, 0 limited, NaN not evaluable."""
    with np.errstate(invalid="ignore"):
        out = np.where(
            extent > GOH_EXTENSIVE_ABOVE,
            1.0,
            np.where(
                extent < GOH_LIMITED_BELOW,
                0.0,
                np.where(fvc < GOH_FVC_CUTOFF, 1.0, np.where(fvc >= GOH_FVC_CUTOFF, 0.0, np.nan)),
            ),
        )
    return np.asarray(np.where(np.isnan(extent), np.nan, out), dtype=np.float64)


def _bounds(spec: ColumnSpec) -> tuple[float, float]:
    return (-math.inf if spec.lo is None else spec.lo, math.inf if spec.hi is None else spec.hi)


def goh_stage(extent_pct: Any, fvc_pct_predicted: Any = None) -> Any:
    """Goh 2008 stage of SSc-ILD: limited or extensive.

    HRCT extent > 30 % is extensive and < 10 % limited; in the indeterminate band
    10-30 % (inclusive) FVC < 70 % predicted makes it extensive and FVC >= 70 % limited;
    indeterminate with FVC missing is not evaluable (``None``). Goh's "20 %" is the best
    single cut-off and the readers' visual shortcut, not a second rule.

    Parameters
    ----------
    extent_pct : float or array_like
        HRCT extent, % of lung (0-100).
    fvc_pct_predicted : float or array_like, optional

    Returns
    -------
    GohStage or None, or pandas.Categorical
        A categorical for array inputs.

    Examples
    --------
    >>> from sscoutcomes.measures.lung import goh_stage
    >>> [goh_stage(35).value, goh_stage(5).value, goh_stage(20, 65).value]
    ['extensive', 'limited', 'extensive']
    >>> goh_stage(20, 75).value, goh_stage(20) is None
    ('limited', True)
    """
    extent = as_float_array(extent_pct, "hrct_extent_pct")
    fvc = as_float_array(fvc_pct_predicted, "fvc_pct_predicted")
    for values, spec in (
        (extent, LUNG_IMAGING.spec("hrct_extent_pct")),
        (fvc, PULMONARY_FUNCTION.spec("fvc_pct_predicted")),
    ):
        check_array_range(spec.name, values, *_bounds(spec), spec.unit, spec.hint)
    codes = _goh_codes(*broadcast_together("extent_pct and fvc_pct_predicted", extent, fvc))
    if codes.ndim == 0:
        return None if np.isnan(codes) else (GohStage.EXTENSIVE if codes else GohStage.LIMITED)
    return labelled_categorical(
        np.where(np.isnan(codes), -1, codes).astype(np.int64),
        [GohStage.LIMITED.value, GohStage.EXTENSIVE.value],
    )


def hrct_change(
    comparison: Any = None,
    baseline_extent_pct: Any = None,
    follow_up_extent_pct: Any = None,
    threshold_pct: float = HRCT_EXTENT_CHANGE_DEFAULT,
) -> pd.Categorical:
    """HRCT change between two scans: improved, stable or worsened (NaN = not evaluable).

    The reader's side-by-side comparison is used where given; otherwise the change of extent
    decides: an increase of at least ``threshold_pct`` percentage points is worsened, a
    decrease of at least that much improved, anything smaller stable. The default of 5
    points is this library's documented choice (visual extent is read to the nearest 5 %),
    not a published rule: set it to your protocol's.

    Examples
    --------
    >>> from sscoutcomes.measures.lung import hrct_change
    >>> list(hrct_change(["stable", None, None, None], [20, 20, 20, None], [40, 27, 14, 20]))
    ['stable', 'worsened', 'improved', nan]
    """
    check_number("threshold_pct", threshold_pct, 0, 100)
    codes = change_category_codes(
        comparison,
        np.nan if baseline_extent_pct is None else baseline_extent_pct,
        np.nan if follow_up_extent_pct is None else follow_up_extent_pct,
        threshold_pct,
        "hrct_comparison",
    )
    return labelled_categorical(codes, _CHANGE_LABELS)


# --------------------------------------------------------------------------------------
# objects
# --------------------------------------------------------------------------------------
def _opt_pct(label: str) -> Any:
    def validator(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            _pct(label, value)

    return attrs.field(default=None, validator=validator)


def _opt_range(label: str, lo: float, hi: float, unit: str) -> Any:
    def validator(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            if (
                label.startswith("fvc")
                and isinstance(value, (int, float))
                and value > FVC_LITRES_MAX
            ):
                raise UnitError(f"{label} = {value!r} looks like mL or % predicted; give litres")
            check_number(label, value, lo, hi, unit=unit)

    return attrs.field(default=None, validator=validator)


def _fvc_ml_validator(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and 0 < value < FVC_ML_LITRES_BELOW
    ):
        raise UnitError(f"fvc_ml = {value!r} looks like litres; give mL, e.g. 2800")
    check_number("fvc_ml", value, *FVC_ML_RANGE, unit="mL", hint="give mL, e.g. 2800")


#: The lung function columns (a PulmonaryFunction's fields); the other lung columns are
#: those of the HRCT (LungImaging).
_PFT_NAMES: Final[tuple[str, ...]] = (
    "fvc_pct_predicted",
    "dlco_pct_predicted",
    "fvc_l",
    "fvc_ml",
    "fvc_predicted_l",
    "dlco_measured",
    "dlco_predicted",
)


@attrs.frozen(kw_only=True, slots=True)
class PulmonaryFunction:
    """Pulmonary function tests at one visit.

    Give FVC and DLCO in % predicted, or the measured values with their predicted values
    (then % predicted = 100 * measured / predicted); when both are given they must agree
    within 0.5 points. ``fvc_ml`` is the measured FVC in mL (the unit of trial FVC slopes,
    see :func:`~sscoutcomes.annual_rate`), recorded as given: it is not converted from or
    checked against ``fvc_l``.

    Raises
    ------
    UnitError
        A % predicted given as a fraction (0.85), litres given as mL.
    OutOfRangeError
        Values outside their plausible ranges.

    Examples
    --------
    >>> from sscoutcomes.measures.lung import PulmonaryFunction
    >>> PulmonaryFunction(fvc_l=2.8, fvc_predicted_l=3.5, dlco_pct_predicted=62).fvc_pct
    80.0
    >>> PulmonaryFunction(fvc_pct_predicted=0.85)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.UnitError: fvc_pct_predicted = 0.85 looks like a fraction; ...
    >>> PulmonaryFunction(fvc_ml=2.8)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.UnitError: fvc_ml = 2.8 looks like litres; give mL, e.g. 2800
    """

    fvc_pct_predicted: float | None = _opt_pct("fvc_pct_predicted")
    dlco_pct_predicted: float | None = _opt_pct("dlco_pct_predicted")
    fvc_l: float | None = _opt_range("fvc_l", 0.2, 8.0, "L")
    fvc_ml: float | None = attrs.field(default=None, validator=_fvc_ml_validator)
    fvc_predicted_l: float | None = _opt_range("fvc_predicted_l", 0.5, 8.0, "L")
    dlco_measured: float | None = _opt_range("dlco_measured", 0.5, 60.0, "mL/min/mmHg")
    dlco_predicted: float | None = _opt_range("dlco_predicted", 1.0, 60.0, "mL/min/mmHg")

    def __attrs_post_init__(self) -> None:
        for given, derived, name in (
            (self.fvc_pct_predicted, self._derived("fvc"), "fvc"),
            (self.dlco_pct_predicted, self._derived("dlco"), "dlco"),
        ):
            if given is not None and derived is not None and abs(given - derived) > PCT_AGREEMENT:
                raise SchemaError(
                    f"{name}_pct_predicted = {given} disagrees with 100 * measured / predicted "
                    f"= {derived:.1f}"
                )

    def _derived(self, which: str) -> float | None:
        measured, predicted = (
            (self.fvc_l, self.fvc_predicted_l)
            if which == "fvc"
            else (self.dlco_measured, self.dlco_predicted)
        )
        if measured is None or predicted is None:
            return None
        pct = 100.0 * measured / predicted
        spec = PULMONARY_FUNCTION.spec(f"{which}_pct_predicted")
        check_number(
            f"{which}_pct_predicted (100 x {measured:g} / {predicted:g})",
            pct,
            *_bounds(spec),
            unit=spec.unit,
            hint="check the measured and predicted values and their units",
        )
        return pct

    @property
    def fvc_pct(self) -> float | None:
        """FVC % predicted, given or computed from measured / predicted."""
        return (
            self.fvc_pct_predicted
            if self.fvc_pct_predicted is not None
            else (None if (d := self._derived("fvc")) is None else round(d, 10))
        )

    @property
    def dlco_pct(self) -> float | None:
        """DLCO % predicted, given or computed from measured / predicted."""
        return (
            self.dlco_pct_predicted
            if self.dlco_pct_predicted is not None
            else (None if (d := self._derived("dlco")) is None else round(d, 10))
        )

    def to_record(self) -> dict[str, Any]:
        """Canonical columns of these tests."""
        return {name: getattr(self, name) for name in _PFT_NAMES}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> PulmonaryFunction | None:
        """Rebuild from canonical columns; ``None`` when none is present.

        Examples
        --------
        >>> from sscoutcomes.measures.lung import PulmonaryFunction
        >>> PulmonaryFunction.from_record({"fvc_pct_predicted": 72.0}).fvc_pct
        72.0
        """
        values = record_values(record, PULMONARY_FUNCTION.columns)
        return cls(**values) if values else None


#: The LungImaging field of each HRCT column.
_IMAGING_FIELD_OF: Final = {
    "hrct_ild": "ild",
    "hrct_extent_pct": "extent_pct",
    "hrct_pattern": "pattern",
    "hrct_comparison": "comparison",
    "hrct_fibrosis_progression": "fibrosis_progression",
    "respiratory_symptoms_worsened": "symptoms_worsened",
}


@attrs.frozen(kw_only=True, slots=True)
class LungImaging:
    """One HRCT assessment.

    Parameters
    ----------
    ild : bool or None
        ILD present.
    extent_pct : float or None
        Extent of ILD, % of lung (0-100).
    pattern : HRCTPattern, str or None
    comparison : HRCTChange, str or None
        Reader's comparison with the baseline scan.
    fibrosis_progression : bool or None
        Radiological progression of fibrosis (criterion 3 of the 2022 PPF definition).
    symptoms_worsened : bool or None
        Worsening respiratory symptoms (criterion 1 of the 2022 PPF definition), recorded
        with the scan.

    Examples
    --------
    >>> from sscoutcomes.measures.lung import LungImaging
    >>> LungImaging(ild=True, extent_pct=25, pattern="nsip").goh_stage(65)
    <GohStage.EXTENSIVE: 'extensive'>
    """

    ild: bool | None = attrs.field(default=None)
    extent_pct: float | None = attrs.field(default=None)
    pattern: HRCTPattern | None = attrs.field(default=None)
    comparison: HRCTChange | None = attrs.field(default=None)
    fibrosis_progression: bool | None = attrs.field(default=None)
    symptoms_worsened: bool | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        for label, flag in (
            ("hrct_ild", self.ild),
            ("hrct_fibrosis_progression", self.fibrosis_progression),
            ("respiratory_symptoms_worsened", self.symptoms_worsened),
        ):
            if flag is not None and not isinstance(flag, (bool, np.bool_)):
                raise OutOfRangeError(f"{label} = {flag!r} is not True/False")
        if self.extent_pct is not None:
            check_number("hrct_extent_pct", self.extent_pct, 0, 100, unit="% of lung")
        for name, enum_cls in (("pattern", HRCTPattern), ("comparison", HRCTChange)):
            value = getattr(self, name)
            if value is None or isinstance(value, enum_cls):
                continue
            try:
                object.__setattr__(self, name, enum_cls(str(value).strip().lower()))
            except ValueError:
                allowed = ", ".join(m.value for m in enum_cls)
                raise SchemaError(f"hrct_{name} = {value!r} is not one of {allowed}") from None

    def goh_stage(self, fvc_pct_predicted: float | None = None) -> GohStage | None:
        """Goh stage with the given FVC % predicted (see :func:`goh_stage`)."""
        if self.extent_pct is None:
            return None
        stage = goh_stage(self.extent_pct, fvc_pct_predicted)
        return stage if isinstance(stage, GohStage) or stage is None else None

    def to_record(self) -> dict[str, Any]:
        """Canonical columns of this assessment."""
        return {
            "hrct_ild": self.ild,
            "hrct_extent_pct": self.extent_pct,
            "hrct_pattern": None if self.pattern is None else self.pattern.value,
            "hrct_comparison": None if self.comparison is None else self.comparison.value,
            "hrct_fibrosis_progression": self.fibrosis_progression,
            "respiratory_symptoms_worsened": self.symptoms_worsened,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> LungImaging | None:
        """Rebuild from canonical columns; ``None`` when none is present.

        Examples
        --------
        >>> from sscoutcomes.measures.lung import LungImaging
        >>> LungImaging.from_record({"hrct_extent_pct": 15.0}).extent_pct
        15.0
        """
        values = record_values(record, LUNG_IMAGING.columns, _IMAGING_FIELD_OF)
        return cls(**values) if values else None


# --------------------------------------------------------------------------------------
# frame face
# --------------------------------------------------------------------------------------


def _derived_pct(
    values: Mapping[str, FloatArray],
    which: str,
    measured: str,
    predicted: str,
    collector: FailureCollector,
) -> FloatArray:
    """100 x measured / predicted per row, with the rules of :class:`PulmonaryFunction`:
    outside the % predicted range, or more than :data:`PCT_AGREEMENT` points from a given
    % predicted, is a failure of the row (recorded in ``collector``)."""
    name = f"{which}_pct_predicted"
    with np.errstate(invalid="ignore", divide="ignore"):
        pct = 100.0 * values[measured] / values[predicted]
        lo, hi = _bounds(PULMONARY_FUNCTION.spec(name))
        outside = ~np.isnan(pct) & ((pct < lo) | (pct > hi))
        given = values[name]
        clash = ~outside & ~np.isnan(pct) & ~np.isnan(given)
        clash &= np.abs(given - pct) > PCT_AGREEMENT
    collector.add(
        outside,
        measured,
        values[measured],
        f"gives {name} = 100 x {measured} / {predicted} outside {lo:g}..{hi:g} (check the "
        "measured and predicted values and their units)",
    )
    collector.add(
        clash,
        name,
        given,
        f"disagrees with 100 x {measured} / {predicted} by more than {PCT_AGREEMENT:g} points",
        schema=True,
    )
    return np.where(outside, np.nan, pct)


@frame_face
def score_pft(visits: pd.DataFrame) -> pd.DataFrame:
    """FVC and DLCO % predicted (computed from measured / predicted where only those are
    given) and the Goh stage (where HRCT extent is present) for every visit.

    The input is not modified.

    Returns
    -------
    pandas.DataFrame
        ``fvc_pct_predicted``, ``dlco_pct_predicted``, ``goh_stage`` (categorical),
        aligned to ``visits.index``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures.lung import score_pft
    >>> v = pd.DataFrame({"fvc_l": [2.8, None], "fvc_predicted_l": [3.5, None],
    ...                   "fvc_pct_predicted": [None, 64.0], "hrct_extent_pct": [20, 20]})
    >>> out = score_pft(v)
    >>> out["fvc_pct_predicted"].tolist(), out["goh_stage"].tolist()
    ([80.0, 64.0], ['limited', 'extensive'])
    """
    names = (*_PFT_NAMES, "hrct_extent_pct")
    if not any(n in visits.columns for n in names):
        raise SchemaError(
            "the visits frame has no lung function columns (fvc_pct_predicted, "
            "dlco_pct_predicted, fvc_l with fvc_predicted_l, ...)"
        )
    n = len(visits)
    collector = FailureCollector(visits)
    values = {
        name: float_column(visits, _SPECS[name], collector)
        if name in visits.columns
        else np.full(n, np.nan)
        for name in names
    }
    for name in ("fvc_pct_predicted", "dlco_pct_predicted"):
        v = values[name]
        with np.errstate(invalid="ignore"):
            fraction = ~np.isnan(v) & (v > 0) & (v <= PCT_FRACTION_MAX)
        if fraction.any():
            # the cells are outside the column's range too: raise them as a UnitError that
            # names every one (so they can be listed and dropped like any failing cell)
            try:
                collector.raise_if_failed()
            except SSCOutcomesError as exc:
                raise UnitError(
                    f"{name} has values like {v[fraction][0]:g}: they look like fractions; "
                    f"give % predicted (e.g. 85)\n{exc}",
                    failure_cases=exc.failure_cases,
                    frame=exc.frame,
                    messages=exc.messages,
                ) from None
            raise UnitError(  # pragma: no cover - the column ranges start above 2 %
                f"{name} has values like {v[fraction][0]:g}: they look like fractions; give "
                "% predicted (e.g. 85)"
            )
    derived = {
        "fvc": _derived_pct(values, "fvc", "fvc_l", "fvc_predicted_l", collector),
        "dlco": _derived_pct(values, "dlco", "dlco_measured", "dlco_predicted", collector),
    }
    collector.raise_if_failed()
    fvc = np.where(
        np.isnan(values["fvc_pct_predicted"]), derived["fvc"], values["fvc_pct_predicted"]
    )
    dlco = np.where(
        np.isnan(values["dlco_pct_predicted"]), derived["dlco"], values["dlco_pct_predicted"]
    )
    codes = _goh_codes(values["hrct_extent_pct"], fvc)
    stage = labelled_categorical(
        np.where(np.isnan(codes), -1, codes).astype(np.int64),
        [GohStage.LIMITED.value, GohStage.EXTENSIVE.value],
    )
    return pd.DataFrame(
        {
            "fvc_pct_predicted": fvc,
            "dlco_pct_predicted": dlco,
            "goh_stage": pd.Series(stage, index=visits.index),
        },
        index=visits.index,
    )


# --------------------------------------------------------------------------------------
# ILD progression definitions
# --------------------------------------------------------------------------------------
def _omeract_rule(b: Mapping[str, FloatArray], f: Mapping[str, FloatArray]) -> Any:
    fvc_b, fvc_f, dl_b, dl_f = np.broadcast_arrays(
        b["fvc_pct_predicted"],
        f["fvc_pct_predicted"],
        b["dlco_pct_predicted"],
        f["dlco_pct_predicted"],
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        fvc_decline = -np.asarray(percent_change(fvc_b, fvc_f))
        dlco_decline = -np.asarray(percent_change(dl_b, dl_f))
        big = fvc_decline >= OMERACT_FVC_DECLINE_PCT
        moderate = (fvc_decline >= OMERACT_FVC_DECLINE_MODERATE_PCT) & (
            fvc_decline < OMERACT_FVC_DECLINE_PCT
        )
        responder = big | (moderate & (dlco_decline >= OMERACT_DLCO_DECLINE_PCT))
        fvc_known = ~np.isnan(fvc_decline)
        # DLCO is needed only when the FVC decline is in the 5 - <10 % band
        evaluable = fvc_known & (~moderate | ~np.isnan(dlco_decline))
    return response_codes(responder & evaluable, evaluable)


#: OMERACT ILD progression (Khanna 2015) -- relative declines.
ILD_PROGRESSION_OMERACT: Final = ResponderDefinition(
    name="ild_progression_omeract",
    measures=("fvc_pct_predicted", "dlco_pct_predicted"),
    reference=(
        "Khanna D, Mittoo S, Aggarwal R, et al. Connective tissue disease-associated "
        "interstitial lung diseases (CTD-ILD) - report from OMERACT CTD-ILD working group. "
        "J Rheumatol 2015;42:2168-71. doi:10.3899/jrheum.141182"
    ),
    description=(
        "relative decline in FVC % predicted >= 10 %, or 5 to < 10 % with a relative "
        "decline in DLCO % predicted >= 15 % (no time window in the paper: the schedule "
        "supplies it)"
    ),
    rule=_omeract_rule,
)

#: EUSTAR FVC categories (Hoffmann-Vold 2021), absolute percentage points by default.
FVC_EUSTAR_CATEGORIES: Final[tuple[str, ...]] = (
    "major decline",
    "significant decline",
    "moderate decline",
    "stable",
    "improvement",
)


def fvc_eustar_category(baseline: Any, follow_up: Any, *, relative: bool = False) -> Any:
    """EUSTAR category of the change in FVC % predicted (Hoffmann-Vold 2021).

    The five categories of the paper's Table 2 (overall change from baseline): major
    decline (decline > 20), significant decline (> 10 and <= 20), moderate decline (5 to
    10), stable (change < 5 either way) and improvement (>= 5). Over 12 +/- 3 months the
    paper groups moderate and significant declines as progressive ILD
    (``ild_progression_eustar``). The change is in absolute percentage points by default:
    the paper writes "FVC decline of 5 % to 10 %" without saying relative, EUSTAR analyses
    of the same database report absolute % predicted changes, and ``relative=True`` gives
    the relative reading.

    Examples
    --------
    >>> from sscoutcomes.measures.lung import fvc_eustar_category
    >>> list(fvc_eustar_category([80] * 5, [55, 68, 72, 78, 86]))
    ['major decline', 'significant decline', 'moderate decline', 'stable', 'improvement']
    """
    if not isinstance(relative, bool):
        raise SchemaError(f"relative = {relative!r} must be True or False")
    b = np.atleast_1d(as_float_array(baseline, "baseline"))
    f = np.atleast_1d(as_float_array(follow_up, "follow_up"))
    d = np.asarray(percent_change(b, f) if relative else absolute_change(b, f))
    with np.errstate(invalid="ignore"):
        codes = np.select(
            [
                d < EUSTAR_FVC_MAJOR_BELOW,
                d < EUSTAR_FVC_SIGNIFICANT_BELOW,
                d <= EUSTAR_FVC_MODERATE_AT_MOST,
                d < EUSTAR_FVC_IMPROVEMENT_FROM,
            ],
            [0, 1, 2, 3],
            4,
        )
    codes = np.where(np.isnan(d), -1, codes)
    return labelled_categorical(codes.astype(np.int64), FVC_EUSTAR_CATEGORIES)


def _eustar_rule(b: Mapping[str, FloatArray], f: Mapping[str, FloatArray]) -> Any:
    d = np.asarray(absolute_change(b["fvc_pct_predicted"], f["fvc_pct_predicted"]))
    with np.errstate(invalid="ignore"):
        return response_codes(d <= EUSTAR_FVC_MODERATE_AT_MOST, ~np.isnan(d))


#: EUSTAR ILD progression -- FVC decline of >= 5 points (moderate or significant).
ILD_PROGRESSION_EUSTAR: Final = ResponderDefinition(
    name="ild_progression_eustar",
    measures=("fvc_pct_predicted",),
    reference=(
        "Hoffmann-Vold AM, Allanore Y, Alves M, et al. Progressive interstitial lung "
        "disease in patients with systemic sclerosis-associated interstitial lung disease "
        "in the EUSTAR database. Ann Rheum Dis 2021;80:219-27. "
        "doi:10.1136/annrheumdis-2020-217455"
    ),
    description=(
        "FVC % predicted decline of >= 5 percentage points over 12 +/- 3 months (moderate "
        "or significant decline; absolute change assumed, see fvc_eustar_category)"
    ),
    rule=_eustar_rule,
    target_day=365,
    window_days=91,
)


def _ppf_physiological(b: Mapping[str, FloatArray], f: Mapping[str, FloatArray]) -> Any:
    fvc = np.asarray(absolute_change(b["fvc_pct_predicted"], f["fvc_pct_predicted"]))
    dlco = np.asarray(absolute_change(b["dlco_pct_predicted"], f["dlco_pct_predicted"]))
    with np.errstate(invalid="ignore"):
        met = (fvc <= -PPF_FVC_DECLINE) | (dlco <= -PPF_DLCO_DECLINE)
        known_no = ~np.isnan(fvc) & ~np.isnan(dlco)
    evaluable = met | known_no
    return response_codes(met, evaluable)


#: Physiological progression of the 2022 PPF guideline (criterion 2).
PPF_PHYSIOLOGICAL_2022: Final = ResponderDefinition(
    name="ppf_physiological_2022",
    measures=("fvc_pct_predicted", "dlco_pct_predicted"),
    reference=(
        "Raghu G, Remy-Jardin M, Richeldi L, et al. Idiopathic pulmonary fibrosis (an "
        "update) and progressive pulmonary fibrosis in adults: an official ATS/ERS/JRS/ALAT "
        "clinical practice guideline. Am J Respir Crit Care Med 2022;205:e18-e47. "
        "doi:10.1164/rccm.202202-0399ST"
    ),
    description=(
        "absolute decline in FVC >= 5 % predicted or in DLCO (Hb-corrected) >= 10 % "
        "predicted within 1 year"
    ),
    rule=_ppf_physiological,
    target_day=365,
    window_days=91,
)

#: The built-in lung definitions by name.
LUNG_RESPONDER_DEFINITIONS: Final[dict[str, ResponderDefinition]] = {
    d.name: d for d in (ILD_PROGRESSION_OMERACT, ILD_PROGRESSION_EUSTAR, PPF_PHYSIOLOGICAL_2022)
}


def ppf_2022(
    fvc_baseline: Any,
    fvc_follow_up: Any,
    dlco_baseline: Any,
    dlco_follow_up: Any,
    symptoms_worsened: Any,
    radiological_progression: Any,
) -> pd.Categorical:
    """Progressive pulmonary fibrosis (Raghu 2022, Table 4): at least 2 of 3 criteria within
    the past year -- worsening symptoms, physiological progression, radiological
    progression. Three-valued: with one criterion unknown the result is evaluable only
    when the other two already decide it.

    Examples
    --------
    >>> from sscoutcomes.measures.lung import ppf_2022
    >>> list(ppf_2022([80, 80, 80], [74, 79, 79], [60, 60, 60], [58, 58, 58],
    ...               [True, True, None], [None, False, True]))
    ['responder', 'non-responder', 'not evaluable']
    """

    def flags(x: Any, label: str) -> FloatArray:
        return np.atleast_1d(read_flags(x, label))  # "no" is no; other text raises

    physio = PPF_PHYSIOLOGICAL_2022.codes(
        {"fvc_pct_predicted": fvc_baseline, "dlco_pct_predicted": dlco_baseline},
        {"fvc_pct_predicted": fvc_follow_up, "dlco_pct_predicted": dlco_follow_up},
    )
    c2 = np.where(np.atleast_1d(physio) == -1, np.nan, np.atleast_1d(physio).astype(float))
    c1 = flags(symptoms_worsened, "symptoms_worsened")
    c3 = flags(radiological_progression, "radiological_progression")
    c1, c2, c3 = broadcast_together("the ppf_2022 inputs", c1, c2, c3)
    stack = np.vstack([c1, c2, c3])
    yes = np.nansum(stack == 1, axis=0)
    unknown = np.isnan(stack).sum(axis=0)
    met = yes >= PPF_CRITERIA_REQUIRED
    decided = met | (yes + unknown < PPF_CRITERIA_REQUIRED)
    codes = response_codes(met, decided)
    return labelled_categorical(
        (codes.astype(np.int64) + 1), ("not evaluable", "non-responder", "responder")
    )


#: The declaration of lung function (PFT); its frame face also stages HRCT extent (Goh).
PULMONARY_FUNCTION: Final = Instrument(
    name="lung",
    title="pulmonary function tests",
    columns=tuple(spec for spec in LUNG_COLUMNS if spec.name in _PFT_NAMES),
    score=score_pft,
    kernel=goh_stage,
    outputs=("fvc_pct_predicted", "dlco_pct_predicted", "goh_stage"),
    triggers=(
        "fvc_pct_predicted",
        "dlco_pct_predicted",
        "fvc_l",
        "dlco_measured",
        "hrct_extent_pct",
    ),
    record=PulmonaryFunction,
    field="pft",
    responders=tuple(LUNG_RESPONDER_DEFINITIONS.values()),
    references=(
        "Goh NSL et al. Am J Respir Crit Care Med 2008;177:1248-54. doi:10.1164/rccm.200706-877OC",
        "Khanna D et al. J Rheumatol 2015;42:2168-71. doi:10.3899/jrheum.141182",
        "Raghu G et al. Am J Respir Crit Care Med 2022;205:e18-e47. doi:10.1164/rccm.202202-0399ST",
    ),
)

#: The declaration of lung imaging (HRCT); recorded findings, staged by score_pft.
LUNG_IMAGING: Final = Instrument(
    name="lung imaging",
    title="high-resolution computed tomography of the lungs",
    columns=tuple(spec for spec in LUNG_COLUMNS if spec.name not in _PFT_NAMES),
    prefixes=("hrct_",),
    record=LungImaging,
    field="lung_imaging",
    references=(
        "Goh NSL et al. Am J Respir Crit Care Med 2008;177:1248-54. doi:10.1164/rccm.200706-877OC",
    ),
)
