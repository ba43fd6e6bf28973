"""Revised EUSTAR disease activity index (Valentini 2017).

==============================================================  ======
item                                                            points
==============================================================  ======
patient-assessed worsening of the skin in the previous month     1.5
mRSS > 18                                                        1.5
active digital ulcers                                            1.5
tendon friction rubs                                             2.25
CRP > 1 mg/dL (10 mg/L)                                          2.25
DLCO < 70 % predicted                                            1.0
==============================================================  ======

The index is the sum of the points of the items present, 0-10; disease is active at
>= 2.5. The thresholds are strict as written (mRSS 18 scores 0, CRP exactly 1 mg/dL scores
0, DLCO exactly 70 % scores 0). A missing item gives a missing index (no item is assumed
absent). CRP must come with its unit: the keyword is in mg/dL; the canonical visit column
``crp_mg_l`` is converted explicitly (divided by 10).

References
----------
- Valentini G, Iudici M, Walker UA, et al. The European Scleroderma Trials and Research
  group (EUSTAR) task force for the development of revised activity criteria for systemic
  sclerosis: derivation and validation of a preliminarily revised EUSTAR activity index.
  Ann Rheum Dis 2017;76:270-6. doi:10.1136/annrheumdis-2016-209768.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from .._validation import (
    FailureCollector,
    as_float_array,
    broadcast_together,
    check_array_range,
    check_number,
    read_columns,
)
from ..errors import SchemaError, UnitError
from ..measures._instrument import Instrument, frame_face
from ..measures.events import EVENTS
from ..measures.lung import PULMONARY_FUNCTION
from ..measures.skin import SKIN
from ..measures.vascular import VASCULAR

__all__ = [
    "EUSTAR_ACTIVITY_CUTOFF",
    "EUSTAR_ACTIVITY_WEIGHTS",
    "eustar_active",
    "eustar_activity_index",
    "score_eustar_activity",
]

FloatArray = npt.NDArray[np.float64]

#: Item weights (Valentini 2017).
EUSTAR_ACTIVITY_WEIGHTS: Final[Mapping[str, float]] = {
    "skin_worsening": 1.5,
    "mrss_above_18": 1.5,
    "digital_ulcers": 1.5,
    "tendon_friction_rubs": 2.25,
    "crp_above_1_mg_dl": 2.25,
    "dlco_below_70": 1.0,
}
#: Active disease at >= this score (Valentini 2017).
EUSTAR_ACTIVITY_CUTOFF: Final = 2.5
#: Item cut-offs, strict as written (Valentini 2017): mRSS > 18, CRP > 1 mg/dL,
#: DLCO < 70 % predicted.
MRSS_CUTOFF: Final = 18.0
CRP_CUTOFF_MG_DL: Final = 1.0
DLCO_CUTOFF: Final = 70.0
#: Unit guard of this library: a CRP above this many mg/dL is almost certainly in mg/L.
CRP_MAX_MG_DL: Final = 30.0
#: mg/L per mg/dL (the canonical column ``crp_mg_l`` is divided by this).
MG_L_PER_MG_DL: Final = 10.0


def _kernel(
    skin: FloatArray,
    mrss: FloatArray,
    ulcers: FloatArray,
    rubs: FloatArray,
    crp_mg_dl: FloatArray,
    dlco: FloatArray,
) -> FloatArray:
    """The formula: the sum of the weights of the items present; NaN if any is missing."""
    w = EUSTAR_ACTIVITY_WEIGHTS
    with np.errstate(invalid="ignore"):
        total = (
            w["skin_worsening"] * (skin > 0)
            + w["mrss_above_18"] * (mrss > MRSS_CUTOFF)
            + w["digital_ulcers"] * (ulcers > 0)
            + w["tendon_friction_rubs"] * (rubs > 0)
            + w["crp_above_1_mg_dl"] * (crp_mg_dl > CRP_CUTOFF_MG_DL)
            + w["dlco_below_70"] * (dlco < DLCO_CUTOFF)
        )
    missing = (
        np.isnan(skin)
        | np.isnan(mrss)
        | np.isnan(ulcers)
        | np.isnan(rubs)
        | np.isnan(crp_mg_dl)
        | np.isnan(dlco)
    )
    return np.asarray(np.where(missing, np.nan, total), dtype=np.float64)


def eustar_activity_index(
    *,
    skin_worsening: Any,
    mrss: Any,
    digital_ulcers: Any,
    tendon_friction_rubs: Any,
    crp_mg_dl: Any,
    dlco_pct_predicted: Any,
) -> Any:
    """Revised EUSTAR activity index, 0-10 (scalars or arrays).

    Parameters
    ----------
    skin_worsening : bool
        Patient-assessed worsening of the skin in the previous month.
    mrss : float
        mRSS total, 0-51.
    digital_ulcers : bool or int
        Active digital ulcers (a count > 0 counts).
    tendon_friction_rubs : bool
    crp_mg_dl : float
        CRP in **mg/dL** (1 mg/dL = 10 mg/L).
    dlco_pct_predicted : float

    Raises
    ------
    UnitError
        CRP above 30 mg/dL (almost certainly mg/L).

    Examples
    --------
    >>> from sscoutcomes.indices.activity import eustar_activity_index
    >>> eustar_activity_index(skin_worsening=True, mrss=20, digital_ulcers=0,
    ...                       tendon_friction_rubs=False, crp_mg_dl=0.5,
    ...                       dlco_pct_predicted=65)
    4.0
    """
    crp = as_float_array(crp_mg_dl)
    finite = crp[~np.isnan(crp)]
    if finite.size and finite.max() > CRP_MAX_MG_DL:
        raise UnitError(
            f"crp_mg_dl = {finite.max():g} looks like mg/L; give mg/dL (divide mg/L by 10)"
        )
    args = [
        as_float_array(skin_worsening),
        as_float_array(mrss),
        as_float_array(digital_ulcers),
        as_float_array(tendon_friction_rubs),
        crp,
        as_float_array(dlco_pct_predicted),
    ]
    check_array_range("mrss", args[1], 0, 51)
    check_array_range("crp_mg_dl", crp, 0, CRP_MAX_MG_DL)
    check_array_range("dlco_pct_predicted", args[5], 5, 200)
    out = _kernel(*broadcast_together("the activity index inputs", *args))
    return float(out) if out.ndim == 0 else out


def eustar_active(score: Any, cutoff: float = EUSTAR_ACTIVITY_CUTOFF) -> Any:
    """Active disease: score >= ``cutoff`` (2.5); ``None``/NaN score gives ``None``.

    Examples
    --------
    >>> from sscoutcomes.indices.activity import eustar_active
    >>> eustar_active(2.25), eustar_active(2.5)
    (False, True)
    """
    cutoff = check_number("cutoff", cutoff, 0, 10)
    s = as_float_array(score, "score")
    check_array_range("score", s, 0, 10)
    if s.ndim == 0:
        return None if np.isnan(s) else bool(s >= cutoff)
    active = pd.array(s >= cutoff, dtype="boolean")
    active[np.isnan(s)] = pd.NA
    return active


#: The inputs, read through the specs of the instruments that declare them.
_COLUMNS: Final = {
    "skin_worsening_patient": EVENTS.spec("skin_worsening_patient"),
    "mrss": SKIN.spec("mrss"),
    "digital_ulcers_active": VASCULAR.spec("digital_ulcers_active"),
    "tendon_friction_rubs": EVENTS.spec("tendon_friction_rubs"),
    "crp_mg_l": EVENTS.spec("crp_mg_l"),
    "dlco_pct_predicted": PULMONARY_FUNCTION.spec("dlco_pct_predicted"),
}


@frame_face
def score_eustar_activity(visits: pd.DataFrame) -> pd.DataFrame:
    """Revised EUSTAR activity index for every visit (canonical columns).

    Reads ``skin_worsening_patient``, ``mrss`` (or the site columns, via
    :func:`~sscoutcomes.score_mrss`), ``digital_ulcers_active``, ``tendon_friction_rubs``,
    ``crp_mg_l`` (divided by 10 to mg/dL) and ``dlco_pct_predicted``. The input is not
    modified.

    Returns
    -------
    pandas.DataFrame
        ``eustar_activity`` (0-10, NaN when an item is missing) and ``eustar_active``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.indices.activity import score_eustar_activity
    >>> v = pd.DataFrame({"skin_worsening_patient": [False], "mrss": [25],
    ...                   "digital_ulcers_active": [2], "tendon_friction_rubs": [False],
    ...                   "crp_mg_l": [15.0], "dlco_pct_predicted": [80]})
    >>> score_eustar_activity(v)["eustar_activity"].tolist()
    [5.25]
    """
    from ..measures.skin import score_mrss

    collector = FailureCollector(visits)
    from_sites = any(c.startswith("mrss_") for c in visits.columns)
    specs = [spec for name, spec in _COLUMNS.items() if not (name == "mrss" and from_sites)]
    values = read_columns(visits, specs, collector)
    if from_sites:
        values["mrss"] = np.asarray(score_mrss(visits)["mrss"], dtype=np.float64)
    collector.raise_if_failed()
    if not from_sites and not any(name in visits.columns for name in _COLUMNS):
        raise SchemaError("the visits frame has none of the EUSTAR activity index columns")
    score = _kernel(
        values["skin_worsening_patient"],
        values["mrss"],
        values["digital_ulcers_active"],
        values["tendon_friction_rubs"],
        values["crp_mg_l"] / MG_L_PER_MG_DL,
        values["dlco_pct_predicted"],
    )
    return pd.DataFrame(
        {"eustar_activity": score, "eustar_active": eustar_active(score)},
        index=visits.index,
    )


#: The declaration of the revised EUSTAR activity index (inputs declared by their owners).
ACTIVITY: Final = Instrument(
    name="EUSTAR activity",
    title="revised EUSTAR disease activity index",
    score=score_eustar_activity,
    kernel=eustar_activity_index,
    outputs=("eustar_activity", "eustar_active"),
    references=(
        "Valentini G et al. Ann Rheum Dis 2017;76:270-6. doi:10.1136/annrheumdis-2016-209768",
    ),
    in_score_visits=False,
)
