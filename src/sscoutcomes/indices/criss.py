r"""ACR Composite Response Index in Systemic Sclerosis (CRISS) and the revised CRISS.

**Step 1.** A patient who develops, during the trial and attributable to SSc, any of: a new
scleroderma renal crisis; a decline in FVC % predicted of >= 15 % (relative), confirmed by
another FVC within a month, with HRCT confirming ILD and FVC below 80 % predicted; new left
ventricular failure (LVEF <= 45 %) requiring treatment; or new PAH on right heart
catheterisation requiring treatment -- is not improved: probability 0.

**Step 2.** For everyone else, with :math:`\Delta` = follow-up minus baseline,

.. math::

   \operatorname{logit} = -5.54 - 0.81\,\Delta\text{mRSS} + 0.21\,\Delta\text{FVC\%}
   - 0.40\,\Delta\text{PtGlobal} - 0.44\,\Delta\text{MDGlobal} - 3.41\,\Delta\text{HAQ-DI},
   \qquad P = \frac{e^{\text{logit}}}{1 + e^{\text{logit}}},

and the patient is improved when :math:`P \ge 0.60` (the cut-off used in trials; a
parameter here).

The inputs of step 1 are the canonical columns ``renal_crisis``, ``lv_failure_new``,
``pah_new_rhc`` (True when the event occurred during the trial) and, for the ILD arm,
``fvc_decline_confirmed`` (a confirming FVC within a month) and ``hrct_ild`` at follow-up
with the baseline and follow-up ``fvc_pct_predicted``. A missing event flag is read as
"no event" (trial case report forms record events, not their absence); the ILD arm is
triggered only when all its parts are known to hold.

References
----------
- Khanna D, Berrocal VJ, Giannini EH, et al. The American College of Rheumatology
  Provisional Composite Response Index for Clinical Trials in Early Diffuse Cutaneous
  Systemic Sclerosis. Arthritis Rheumatol 2016;68:299-311. doi:10.1002/art.39501.
  Arthritis Care Res 2016;68:167-78. doi:10.1002/acr.22804.
- Khanna D, Huang S, Lin CJF, Spino C. New composite endpoint in early diffuse cutaneous
  systemic sclerosis: revisiting the provisional American College of Rheumatology
  Composite Response Index in Systemic Sclerosis. Ann Rheum Dis 2021;80:641-50.
  doi:10.1136/annrheumdis-2020-219100.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._change import percent_change
from .._response import ResponderDefinition, Response, codes_to_categorical, response_codes
from .._validation import as_float_array, check_array_range
from ..errors import OutOfRangeError, SchemaError
from ..measures._instrument import Instrument
from ..measures.globals import GLOBALS
from ..measures.haq import HAQ_INSTRUMENT
from ..measures.lung import PULMONARY_FUNCTION
from ..measures.skin import SKIN

__all__ = [
    "CRISS",
    "CRISS_COEFFICIENTS",
    "CRISS_CORE",
    "CRISSResult",
    "criss",
    "criss_from_visits",
    "criss_probability",
    "criss_step1",
    "revised_criss",
]

FloatArray = npt.NDArray[np.float64]

#: Step 2 logistic model (Khanna 2016, Table 4 "Application of CRISS in a clinical trial").
CRISS_COEFFICIENTS: Final[Mapping[str, float]] = {
    "intercept": -5.54,
    "mrss": -0.81,
    "fvc_pct_predicted": 0.21,
    "patient_global": -0.40,
    "physician_global": -0.44,
    "haq_di": -3.41,
}
#: Improver when P >= this (the cut-off used in trials).
CRISS_THRESHOLD: Final = 0.60
#: The five core measures (canonical columns).
CRISS_CORE: Final[tuple[str, ...]] = (
    "mrss",
    "fvc_pct_predicted",
    "patient_global",
    "physician_global",
    "haq_di",
)
#: The valid range of each core measure, from the spec of the instrument that declares it.
_RANGES: Final[Mapping[str, tuple[float, float]]] = {
    spec.name: (float(spec.lo), float(spec.hi))
    for spec in (
        SKIN.spec("mrss"),
        PULMONARY_FUNCTION.spec("fvc_pct_predicted"),
        GLOBALS.spec("patient_global"),
        GLOBALS.spec("physician_global"),
        HAQ_INSTRUMENT.spec("haq_di"),
    )
    if spec.lo is not None and spec.hi is not None
}
_EVENTS: Final = ("renal_crisis", "lv_failure_new", "pah_new_rhc")


def _probability_kernel(
    d_mrss: FloatArray, d_fvc: FloatArray, d_pt: FloatArray, d_md: FloatArray, d_haq: FloatArray
) -> FloatArray:
    """The formula (step 2)."""
    c = CRISS_COEFFICIENTS
    logit = (
        c["intercept"]
        + c["mrss"] * d_mrss
        + c["fvc_pct_predicted"] * d_fvc
        + c["patient_global"] * d_pt
        + c["physician_global"] * d_md
        + c["haq_di"] * d_haq
    )
    with np.errstate(over="ignore"):
        return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=np.float64)


def criss_probability(
    delta_mrss: Any,
    delta_fvc_pct_predicted: Any,
    delta_patient_global: Any,
    delta_physician_global: Any,
    delta_haq_di: Any,
) -> Any:
    """CRISS step 2: the predicted probability of improvement from the five changes.

    Deltas are follow-up minus baseline (mRSS points, FVC % predicted points, globals on
    0-10, HAQ-DI 0-3); scalars or arrays; a missing delta gives NaN.

    Examples
    --------
    >>> from sscoutcomes.indices.criss import criss_probability
    >>> round(criss_probability(0, 0, 0, 0, 0), 4)
    0.0039
    >>> round(criss_probability(-10, 5, -2, -2, -0.5), 3)
    0.999
    """
    args = [
        as_float_array(x)
        for x in (
            delta_mrss,
            delta_fvc_pct_predicted,
            delta_patient_global,
            delta_physician_global,
            delta_haq_di,
        )
    ]
    out = _probability_kernel(*np.broadcast_arrays(*args))
    return float(out) if out.ndim == 0 else out


def _step1_kernel(
    renal: FloatArray,
    lv: FloatArray,
    pah: FloatArray,
    confirmed: FloatArray,
    hrct_ild: FloatArray,
    fvc_b: FloatArray,
    fvc_f: FloatArray,
) -> npt.NDArray[np.bool_]:
    with np.errstate(invalid="ignore"):
        decline = -np.asarray(percent_change(fvc_b, fvc_f))
        ild = (decline >= 15) & (confirmed > 0) & (hrct_ild > 0) & (fvc_f < 80)
        return np.asarray((renal > 0) | (lv > 0) | (pah > 0) | ild, dtype=bool)


def criss_step1(
    *,
    renal_crisis: Any = None,
    lv_failure_new: Any = None,
    pah_new_rhc: Any = None,
    fvc_decline_confirmed: Any = None,
    hrct_ild: Any = None,
    fvc_baseline: Any = None,
    fvc_follow_up: Any = None,
) -> Any:
    """Whether a CRISS step 1 event occurred (probability forced to 0).

    Examples
    --------
    >>> from sscoutcomes.indices.criss import criss_step1
    >>> criss_step1(renal_crisis=True), criss_step1(lv_failure_new=False)
    (True, False)
    >>> criss_step1(fvc_decline_confirmed=True, hrct_ild=True, fvc_baseline=85,
    ...             fvc_follow_up=70)
    True
    """
    args = [
        as_float_array(x)
        for x in (
            renal_crisis,
            lv_failure_new,
            pah_new_rhc,
            fvc_decline_confirmed,
            hrct_ild,
            fvc_baseline,
            fvc_follow_up,
        )
    ]
    out = _step1_kernel(*np.broadcast_arrays(*args))
    return bool(out) if out.ndim == 0 else out


@attrs.frozen(kw_only=True)
class CRISSResult:
    """CRISS for one patient (:func:`criss`)."""

    probability: float
    step1_event: bool
    response: Response
    threshold: float


def _as_inputs(x: Any, which: str) -> dict[str, Any] | pd.DataFrame:
    if isinstance(x, pd.DataFrame):
        return x
    if isinstance(x, Mapping):
        return dict(x)
    to_record = getattr(x, "to_record", None)
    if callable(to_record):
        return dict(to_record())
    raise SchemaError(
        f"{which} must be a mapping of canonical column -> value, an object with "
        f"to_record(), or a DataFrame; got {type(x).__name__}"
    )


def _column(data: Mapping[str, Any] | pd.DataFrame, name: str, n: int | None) -> FloatArray:
    if isinstance(data, pd.DataFrame):
        if name not in data.columns:
            return np.full(len(data), np.nan)
        col = data[name]
        if pd.api.types.is_bool_dtype(col.dtype):
            col = col.astype("float64")
        return np.asarray(
            pd.to_numeric(col, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        )
    return as_float_array(data.get(name))


def _check(values: FloatArray, name: str, which: str) -> None:
    check_array_range(f"{which} {name}", values, *_RANGES[name])


def _criss_arrays(
    baseline: Mapping[str, Any] | pd.DataFrame,
    follow_up: Mapping[str, Any] | pd.DataFrame,
    threshold: float,
) -> tuple[FloatArray, npt.NDArray[np.bool_], npt.NDArray[np.int8]]:
    b = {m: _column(baseline, m, None) for m in CRISS_CORE}
    f = {m: _column(follow_up, m, None) for m in CRISS_CORE}
    for m in CRISS_CORE:
        _check(b[m], m, "baseline")
        _check(f[m], m, "follow-up")
    deltas = [f[m] - b[m] for m in CRISS_CORE]
    prob = _probability_kernel(*np.broadcast_arrays(*deltas))
    step1 = _step1_kernel(
        *np.broadcast_arrays(
            *(_column(follow_up, e, None) for e in _EVENTS),
            _column(follow_up, "fvc_decline_confirmed", None),
            _column(follow_up, "hrct_ild", None),
            b["fvc_pct_predicted"],
            f["fvc_pct_predicted"],
        )
    )
    prob = np.where(step1, 0.0, prob)
    evaluable = step1 | ~np.isnan(prob)
    codes = response_codes(~step1 & (prob >= threshold), evaluable)
    return prob, step1, codes


def criss(baseline: Any, follow_up: Any, *, threshold: float = CRISS_THRESHOLD) -> Any:
    """ACR CRISS for one patient (mappings or objects with ``to_record()``) or for many
    (two DataFrames aligned by index, one row per patient).

    Parameters
    ----------
    baseline, follow_up
        Canonical columns ``mrss``, ``fvc_pct_predicted``, ``patient_global``,
        ``physician_global``, ``haq_di``; the follow-up may carry the step-1 columns.
    threshold : float
        Improver when the probability is at least this (default 0.60).

    Returns
    -------
    CRISSResult or pandas.DataFrame
        For frames: ``criss_probability``, ``criss_step1`` and ``criss_response``
        (responder / non-responder / not evaluable), aligned to ``follow_up.index``.
        A missing core measure is "not evaluable" (unless a step-1 event decides).

    Examples
    --------
    >>> from sscoutcomes.indices.criss import criss
    >>> base = {"mrss": 25, "fvc_pct_predicted": 80, "patient_global": 6,
    ...         "physician_global": 6, "haq_di": 1.5}
    >>> after = {"mrss": 15, "fvc_pct_predicted": 82, "patient_global": 4,
    ...          "physician_global": 3, "haq_di": 1.0}
    >>> r = criss(base, after)
    >>> round(r.probability, 3), r.response.value
    (0.999, 'responder')
    >>> criss(base, after | {"renal_crisis": True}).probability
    0.0
    """
    if not 0 < threshold < 1:
        raise OutOfRangeError(f"threshold = {threshold!r} is outside 0..1 (exclusive)")
    b = _as_inputs(baseline, "baseline")
    f = _as_inputs(follow_up, "follow_up")
    frames = isinstance(b, pd.DataFrame), isinstance(f, pd.DataFrame)
    if any(frames) and not all(frames):
        raise SchemaError("give baseline and follow_up both as DataFrames or both per patient")
    if all(frames):
        assert isinstance(b, pd.DataFrame)  # noqa: S101  (narrowing)
        assert isinstance(f, pd.DataFrame)  # noqa: S101
        if not b.index.equals(f.index):
            raise SchemaError(
                "baseline and follow_up frames must have the same index "
                "(one row per patient, aligned)"
            )
        prob, step1, codes = _criss_arrays(b, f, threshold)
        return pd.DataFrame(
            {
                "criss_probability": prob,
                "criss_step1": step1,
                "criss_response": pd.Series(codes_to_categorical(codes), index=f.index),
            },
            index=f.index,
        )
    prob, step1, codes = _criss_arrays(b, f, threshold)
    return CRISSResult(
        probability=float(prob),
        step1_event=bool(step1),
        response=Response.from_code(int(codes)),
        threshold=threshold,
    )


def _criss_rule(b: Mapping[str, FloatArray], f: Mapping[str, FloatArray]) -> Any:
    deltas = [np.asarray(f[m]) - np.asarray(b[m]) for m in CRISS_CORE]
    prob = _probability_kernel(*np.broadcast_arrays(*deltas))
    return response_codes(prob >= CRISS_THRESHOLD, ~np.isnan(prob))


#: CRISS step 2 as a responder definition (step-1 events are not among its measures:
#: use :func:`criss` when the events are recorded).
CRISS: Final = ResponderDefinition(
    name="criss",
    measures=CRISS_CORE,
    reference=(
        "Khanna D, Berrocal VJ, Giannini EH, et al. Arthritis Rheumatol 2016;68:299-311. "
        "doi:10.1002/art.39501"
    ),
    description=(
        "ACR CRISS step 2: predicted probability >= 0.60 from the changes in mRSS, FVC % "
        "predicted, patient and physician global and HAQ-DI (step 1 events not applied "
        "here; use criss() when they are recorded)"
    ),
    rule=_criss_rule,
    target_day=365,
    window_days=91,
)


def revised_criss(
    baseline: Any,
    follow_up: Any,
    *,
    cutoff_pct: float = 20.0,
    items_required: int = 3,
    fvc_rule: Literal["absolute_5", "relative_5", "percent"] = "absolute_5",
    step1: bool = True,
) -> Any:
    """Revised CRISS (Khanna 2021), **provisional**: improved when at least
    ``items_required`` of the five core items improve.

    mRSS, HAQ-DI and the two globals improve when they fall by at least ``cutoff_pct`` %
    of their baseline (not evaluable for an item whose baseline is 0); FVC % predicted
    improves when it rises by at least 5 percentage points (``fvc_rule="absolute_5"``,
    default), 5 % of baseline (``"relative_5"``) or ``cutoff_pct`` % (``"percent"``).
    Unconfirmed in what we could read: whether the FVC threshold is absolute or relative,
    any cap on worsening items, and whether step 1 is kept (``step1``).

    Returns
    -------
    pandas.DataFrame or dict
        ``rcriss_items_improved``, ``rcriss_items_evaluable`` and ``rcriss_response``.

    Examples
    --------
    >>> from sscoutcomes.indices.criss import revised_criss
    >>> base = {"mrss": 25, "fvc_pct_predicted": 80, "patient_global": 6,
    ...         "physician_global": 6, "haq_di": 1.5}
    >>> after = {"mrss": 18, "fvc_pct_predicted": 81, "patient_global": 4,
    ...          "physician_global": 4.5, "haq_di": 1.4}
    >>> revised_criss(base, after)["rcriss_response"]
    'responder'
    """
    if not 0 < cutoff_pct < 100:
        raise OutOfRangeError(f"cutoff_pct = {cutoff_pct!r} is outside 0..100 (exclusive)")
    if not 1 <= items_required <= 5:
        raise OutOfRangeError(f"items_required = {items_required!r} is outside 1..5")
    if fvc_rule not in ("absolute_5", "relative_5", "percent"):
        raise SchemaError(f"fvc_rule = {fvc_rule!r} is not absolute_5, relative_5 or percent")
    b = _as_inputs(baseline, "baseline")
    f = _as_inputs(follow_up, "follow_up")
    frame = isinstance(f, pd.DataFrame)
    improved = []
    known = []
    for m in CRISS_CORE:
        bv, fv = _column(b, m, None), _column(f, m, None)
        _check(bv, m, "baseline")
        _check(fv, m, "follow-up")
        with np.errstate(invalid="ignore", divide="ignore"):
            if m == "fvc_pct_predicted":
                if fvc_rule == "absolute_5":
                    gain = fv - bv
                    ok = gain >= 5
                else:
                    gain = np.asarray(percent_change(bv, fv))
                    ok = gain >= (5.0 if fvc_rule == "relative_5" else cutoff_pct)
            else:
                gain = -np.asarray(percent_change(bv, fv))  # NaN at a zero baseline
                ok = gain >= cutoff_pct
        improved.append(ok & ~np.isnan(gain))
        known.append(~np.isnan(gain))
    n_improved = np.sum(np.broadcast_arrays(*improved), axis=0)
    n_known = np.sum(np.broadcast_arrays(*known), axis=0)
    responder = n_improved >= items_required
    decided = responder | (n_improved + (5 - n_known) < items_required)
    event = np.zeros(np.shape(n_improved), dtype=bool)
    if step1:
        event = _step1_kernel(
            *np.broadcast_arrays(
                *(_column(f, e, None) for e in _EVENTS),
                _column(f, "fvc_decline_confirmed", None),
                _column(f, "hrct_ild", None),
                _column(b, "fvc_pct_predicted", None),
                _column(f, "fvc_pct_predicted", None),
            )
        )
    codes = response_codes(responder & ~event, decided | event)
    if frame:
        assert isinstance(f, pd.DataFrame)  # noqa: S101  (narrowing)
        return pd.DataFrame(
            {
                "rcriss_items_improved": n_improved,
                "rcriss_items_evaluable": n_known,
                "rcriss_response": pd.Series(codes_to_categorical(codes), index=f.index),
            },
            index=f.index,
        )
    return {
        "rcriss_items_improved": int(n_improved),
        "rcriss_items_evaluable": int(n_known),
        "rcriss_response": Response.from_code(int(codes)).value,
    }


def criss_from_visits(
    visits: Any,
    schedule: Any,
    *,
    patients: pd.DataFrame | None = None,
    threshold: float = CRISS_THRESHOLD,
) -> pd.DataFrame:
    """CRISS (step 1 and step 2) at every follow-up timepoint of a visits frame.

    Baseline and follow-up values of the five core measures are picked by the schedule's
    visit rule (:meth:`sscoutcomes.Schedule.select`); step-1 events are taken from the
    visit used at the timepoint. ``visits`` may be a visits frame (with ``mrss`` and
    ``haq_di`` scored, e.g. by :func:`sscoutcomes.score_visits`) or a cohort.

    Returns
    -------
    pandas.DataFrame
        One row per patient x follow-up timepoint: ``patient_id``, ``timepoint``,
        ``criss_probability``, ``criss_step1``, ``criss_response``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import Schedule
    >>> from sscoutcomes.indices.criss import criss_from_visits
    >>> v = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 360], "mrss": [25, 14],
    ...                   "fvc_pct_predicted": [80, 82], "patient_global": [6, 4],
    ...                   "physician_global": [6, 3], "haq_di": [1.5, 1.0]})
    >>> criss_from_visits(v, Schedule.years(0, 1))["criss_response"].tolist()
    ['responder']
    """
    frame = visits.visits if hasattr(visits, "visits") else visits
    if patients is None and hasattr(visits, "patients_frame"):
        patients = visits.patients_frame
    extra = [c for c in (*_EVENTS, "fvc_decline_confirmed", "hrct_ild") if c in frame.columns]
    sel = schedule.select(frame, [*CRISS_CORE, *extra], patients=patients)
    base_name = schedule.require_baseline().name
    base = sel[sel["timepoint"] == base_name].set_index("patient_id")
    parts = []
    for tp in schedule.follow_up:
        at = sel[sel["timepoint"] == tp.name].set_index("patient_id")
        out = criss(
            base.reindex(at.index)[list(CRISS_CORE)], at[[*CRISS_CORE, *extra]], threshold=threshold
        )
        parts.append(out.assign(timepoint=tp.name).reset_index())
    result = pd.concat(parts, ignore_index=True)
    columns = ["patient_id", "timepoint", "criss_probability", "criss_step1", "criss_response"]
    return pd.DataFrame(result[columns])


#: The declaration of the ACR CRISS (its inputs are declared by their instruments).
CRISS_INSTRUMENT: Final = Instrument(
    name="CRISS",
    title="ACR Composite Response Index in Systemic Sclerosis",
    kernel=criss_probability,
    responders=(CRISS,),
    references=("Khanna D et al. Arthritis Rheumatol 2016;68:299-311. doi:10.1002/art.39501",),
)
