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

Each index has two faces over one kernel: :func:`criss` and :func:`revised_criss` take one
patient's values (mappings or objects with ``to_record()``) and return a result object
(:class:`CRISSResult`, :class:`RevisedCRISSResult`); :func:`criss_frame` and
:func:`revised_criss_frame` take two DataFrames aligned by index (one row per patient) and
return a DataFrame with that index.

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

from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._change import percent_change
from .._response import (
    CODE_NOT_EVALUABLE,
    STATUS_REASONS,
    ResponderDefinition,
    Response,
    codes_to_categorical,
    response_codes,
)
from .._result import ResultMixin
from .._validation import (
    as_float_array,
    broadcast_together,
    check_array_range,
    check_bool,
    check_choice,
    check_number,
    check_open_unit,
    read_flags,
    unique_columns,
)
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
    "RevisedCRISSResult",
    "criss",
    "criss_frame",
    "criss_from_visits",
    "criss_probability",
    "criss_step1",
    "revised_criss",
    "revised_criss_frame",
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
#: Step 1, ILD arm (Khanna 2016): a relative decline in FVC % predicted of at least this
#: many % of baseline ...
STEP1_FVC_DECLINE_PCT: Final = 15.0
#: ... with FVC below this % predicted at follow-up.
STEP1_FVC_BELOW: Final = 80.0
#: Revised CRISS (Khanna 2021): an item improves by at least this % of its baseline
#: (default of ``cutoff_pct``; larger cut-offs were also reported) ...
RCRISS_CUTOFF_PCT: Final = 20.0
#: ... and at least this many of the five core items must improve (``items_required``).
RCRISS_ITEMS_REQUIRED: Final = 3
#: Revised CRISS: FVC % predicted improves by at least 5 (points for ``"absolute_5"``, % of
#: baseline for ``"relative_5"``).
RCRISS_FVC_GAIN: Final = 5.0
#: Revised CRISS presets: ``"criss20"`` is the primary rule (Khanna 2021: >= 20 % relative
#: improvement in >= 3 of the 5 core measures, FVC relative like the others, no worsening
#: cap); ``"criss25"`` is the later use (DAISY) known only from secondary sources: 25 %, FVC
#: by 5 % of baseline, at most 1 item worsening by the same amounts. Values: cutoff_pct,
#: items_required, fvc_rule, worsening_cap.
RCRISS_PRESETS: Final[dict[str, tuple[float, int, str, int | None]]] = {
    "criss20": (20.0, 3, "percent", None),
    "criss25": (25.0, 3, "relative_5", 1),
}
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
#: The yes/no inputs of step 1's ILD arm.
_ILD_FLAGS: Final = ("fvc_decline_confirmed", "hrct_ild")
#: The yes/no inputs of step 1.
_FLAGS: Final = frozenset((*_EVENTS, *_ILD_FLAGS))


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
    >>> criss_probability(-60, 0, 0, 0, 0)
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.OutOfRangeError: delta_mrss = -60 is outside -51..51
    """
    args = []
    for name, x in zip(
        CRISS_CORE,
        (
            delta_mrss,
            delta_fvc_pct_predicted,
            delta_patient_global,
            delta_physician_global,
            delta_haq_di,
        ),
        strict=True,
    ):
        delta = as_float_array(x, f"delta_{name}")
        lo, hi = _RANGES[name]
        span = hi - lo  # no change can exceed what the instrument's range allows
        check_array_range(f"delta_{name}", delta, -span, span)
        args.append(delta)
    out = _probability_kernel(*broadcast_together("the criss_probability deltas", *args))
    return float(out) if out.ndim == 0 else out


def _step1_kernel(
    renal: FloatArray,
    lv: FloatArray,
    pah: FloatArray,
    confirmed: FloatArray,
    hrct_ild: FloatArray,
    fvc_b: FloatArray,
    fvc_f: FloatArray,
) -> FloatArray:
    """Step 1 as 1.0 (an event), 0.0 (no event: every part known) or NaN (not known: a
    missing part could be an event). Flags are 1/0/NaN; the ILD arm needs all four of its
    parts, so one part known to be false rules it out whatever the others are."""
    with np.errstate(invalid="ignore"):
        decline = -np.asarray(percent_change(fvc_b, fvc_f))
        parts = (
            decline >= STEP1_FVC_DECLINE_PCT,
            confirmed > 0,
            hrct_ild > 0,
            fvc_f < STEP1_FVC_BELOW,
        )
        ild_ruled_out = np.zeros(np.shape(decline), dtype=bool)
        for part, value in zip(parts, (decline, confirmed, hrct_ild, fvc_f), strict=True):
            ild_ruled_out |= ~np.isnan(value) & ~part
        event = parts[0] & parts[1] & parts[2] & parts[3]  # NaN compares false
        no_event = ild_ruled_out
        for flag in (renal, lv, pah):
            event = event | (flag > 0)
            no_event = no_event & (flag == 0)
    return np.where(event, 1.0, np.where(no_event, 0.0, np.nan))


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
    """Whether a CRISS step 1 event occurred (probability forced to 0): ``True``,
    ``False``, or ``None`` when a missing input could be an event.

    Step 1 (Khanna 2016): new scleroderma renal crisis; new left ventricular failure
    requiring treatment; new PAH on right heart catheterisation requiring treatment; or an
    FVC decline of >= 15 % (relative) confirmed by a repeat test, with ILD on HRCT and FVC
    below 80 % predicted. "No event" needs every event flag stated false and the ILD arm
    ruled out by one of its parts; a flag that is missing is not "no event".

    Returns
    -------
    bool or None, or pandas.arrays.BooleanArray
        A nullable boolean array for array inputs.

    Examples
    --------
    >>> from sscoutcomes.indices.criss import criss_step1
    >>> criss_step1(renal_crisis=True), criss_step1(lv_failure_new=False)
    (True, None)
    >>> criss_step1(renal_crisis=False, lv_failure_new=False, pah_new_rhc=False,
    ...             fvc_baseline=85, fvc_follow_up=84)
    False
    >>> criss_step1(fvc_decline_confirmed=True, hrct_ild=True, fvc_baseline=85,
    ...             fvc_follow_up=70)
    True
    """
    flags = [
        read_flags(x, name)
        for x, name in (
            (renal_crisis, "renal_crisis"),
            (lv_failure_new, "lv_failure_new"),
            (pah_new_rhc, "pah_new_rhc"),
            (fvc_decline_confirmed, "fvc_decline_confirmed"),
            (hrct_ild, "hrct_ild"),
        )
    ]
    fvc = [
        as_float_array(x, name)
        for x, name in ((fvc_baseline, "fvc_baseline"), (fvc_follow_up, "fvc_follow_up"))
    ]
    out = _step1_kernel(*broadcast_together("the step 1 inputs", *flags, *fvc))
    if out.ndim == 0:
        return None if np.isnan(out) else bool(out)
    return _nullable_bool(out)


def _nullable_bool(values: FloatArray) -> Any:
    """1/0/NaN as a pandas nullable boolean array (NaN = missing)."""
    return pd.arrays.BooleanArray(values == 1.0, np.isnan(values))


@attrs.frozen(kw_only=True)
class CRISSResult(ResultMixin):
    """CRISS for one patient (:func:`criss`).

    Examples
    --------
    >>> from sscoutcomes.indices.criss import criss
    >>> base = {"mrss": 25, "fvc_pct_predicted": 80, "patient_global": 6,
    ...         "physician_global": 6, "haq_di": 1.5}
    >>> no_events = {"renal_crisis": False, "lv_failure_new": False, "pah_new_rhc": False}
    >>> r = criss(base, base | {"mrss": 10} | no_events)
    >>> r.step1_event, r.response.value
    (False, 'responder')
    >>> criss(base, base | {"mrss": 10}).response.value  # step 1 not known
    'not evaluable'
    >>> criss(base, base | {"mrss": 30}).response.value  # step 1 could only lower it
    'non-responder'
    >>> criss(base, base | {"mrss": 10}).reason
    'step 1 not known: renal_crisis, lv_failure_new, pah_new_rhc not recorded'
    >>> sorted(r.to_dict())
    ['criss_probability', 'criss_reason', 'criss_response', 'criss_step1']
    """

    probability: float
    step1_event: bool | None
    response: Response
    threshold: float
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The values under the column names of :func:`criss_frame` (response as text)."""
        return {
            "criss_probability": self.probability,
            "criss_step1": self.step1_event,
            "criss_response": self.response.value,
            "criss_reason": self.reason,
        }


def _as_record(x: Any, which: str, frame_face: str) -> dict[str, Any]:
    """One patient's values: a mapping, or an object with ``to_record()``."""
    if isinstance(x, pd.DataFrame):
        raise SchemaError(
            f"{which} is a DataFrame: use {frame_face}() for frames (one row per patient)"
        )
    if isinstance(x, Mapping):
        return dict(x)
    to_record = getattr(x, "to_record", None)
    if callable(to_record):
        return dict(to_record())
    raise SchemaError(
        f"{which} must be a mapping of canonical column -> value or an object with "
        f"to_record(); got {type(x).__name__}"
    )


def _as_frames(baseline: Any, follow_up: Any, face: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two DataFrames with the same index (one row per patient, aligned)."""
    for which, x in (("baseline_frame", baseline), ("follow_up_frame", follow_up)):
        if not isinstance(x, pd.DataFrame):
            raise SchemaError(
                f"{which} must be a DataFrame (one row per patient), got "
                f"{type(x).__name__}: use {face}() for one patient"
            )
    if not baseline.index.equals(follow_up.index):
        raise SchemaError(
            "baseline and follow-up frames must have the same index (one row per patient, aligned)"
        )
    for which, x in (("baseline_frame", baseline), ("follow_up_frame", follow_up)):
        unique_columns(x, which)
    return baseline, follow_up


def _column(data: Mapping[str, Any] | pd.DataFrame, name: str) -> FloatArray:
    """One input as float64 (NaN = missing): yes/no flags as every reader reads them, numbers
    as numbers; text that is neither raises :class:`SchemaError` naming the column."""
    flag = name in _FLAGS
    if isinstance(data, pd.DataFrame):
        if name not in data.columns:
            return np.full(len(data), np.nan)
        column = data[name]
        if flag:
            return read_flags(column.to_numpy(dtype=object), name)
        if pd.api.types.is_bool_dtype(column.dtype):
            column = column.astype("float64")
        return as_float_array(column.to_numpy(dtype=object), name)
    value = data.get(name)
    return read_flags(value, name) if flag else as_float_array(value, name)


def _check(values: FloatArray, name: str, which: str) -> None:
    check_array_range(f"{which} {name}", values, *_RANGES[name])


def _step1_of(
    baseline: Mapping[str, Any] | pd.DataFrame, follow_up: Mapping[str, Any] | pd.DataFrame
) -> FloatArray:
    """Step 1 from the canonical columns (events at follow-up, FVC at both visits)."""
    return _step1_kernel(
        *np.broadcast_arrays(
            *(_column(follow_up, e) for e in _EVENTS),
            _column(follow_up, "fvc_decline_confirmed"),
            _column(follow_up, "hrct_ild"),
            _column(baseline, "fvc_pct_predicted"),
            _column(follow_up, "fvc_pct_predicted"),
        )
    )


def _check_threshold(threshold: float) -> None:
    check_open_unit("threshold", threshold)


def _criss_arrays(
    baseline: Mapping[str, Any] | pd.DataFrame,
    follow_up: Mapping[str, Any] | pd.DataFrame,
    threshold: float,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int8]]:
    """The kernel of both faces: probability, step 1 (1/0/NaN) and response codes.

    A step 1 event makes a non-responder (probability 0). Where step 1 is not known (a
    missing event flag), a step 2 probability below the threshold is still a non-responder
    (step 1 could only lower it), and one at or above it is not evaluable."""
    b = {m: _column(baseline, m) for m in CRISS_CORE}
    f = {m: _column(follow_up, m) for m in CRISS_CORE}
    for m in CRISS_CORE:
        _check(b[m], m, "baseline")
        _check(f[m], m, "follow-up")
    deltas = [f[m] - b[m] for m in CRISS_CORE]
    prob = _probability_kernel(*np.broadcast_arrays(*deltas))
    step1 = _step1_of(baseline, follow_up)
    event, no_event = step1 == 1.0, step1 == 0.0
    prob = np.where(event, 0.0, prob)
    with np.errstate(invalid="ignore"):
        below = prob < threshold
        responder = no_event & (prob >= threshold)
    evaluable = event | responder | below
    codes = response_codes(responder, evaluable)
    return prob, step1, codes


def criss(baseline: Any, follow_up: Any, *, threshold: float = CRISS_THRESHOLD) -> CRISSResult:
    """ACR CRISS for one patient (both steps).

    Parameters
    ----------
    baseline, follow_up : mapping or object
        One patient's canonical columns ``mrss``, ``fvc_pct_predicted``,
        ``patient_global``, ``physician_global``, ``haq_di``: a mapping or an object with
        ``to_record()`` (e.g. a dict or a :class:`~sscoutcomes.Visit`); the follow-up may
        carry the step-1 columns.
    threshold : float
        Improver when the probability is at least this (default 0.60).

    Returns
    -------
    CRISSResult
        Probability (0 after a step-1 event), step-1 event and response. A missing core
        measure is "not evaluable" (unless a step-1 event decides).

    Raises
    ------
    SchemaError
        A DataFrame (use :func:`criss_frame`) or another type without values.
    OutOfRangeError
        A core measure outside its range, or ``threshold`` outside 0..1.

    See Also
    --------
    criss_frame : the same for many patients, one row each.

    Examples
    --------
    >>> from sscoutcomes.indices.criss import criss
    >>> base = {"mrss": 25, "fvc_pct_predicted": 80, "patient_global": 6,
    ...         "physician_global": 6, "haq_di": 1.5}
    >>> after = {"mrss": 15, "fvc_pct_predicted": 82, "patient_global": 4,
    ...          "physician_global": 3, "haq_di": 1.0, "renal_crisis": False,
    ...          "lv_failure_new": False, "pah_new_rhc": False}
    >>> r = criss(base, after)
    >>> round(r.probability, 3), r.response.value
    (0.999, 'responder')
    >>> criss(base, after | {"renal_crisis": True}).probability
    0.0
    """
    _check_threshold(threshold)
    b = _as_record(baseline, "baseline", "criss_frame")
    f = _as_record(follow_up, "follow_up", "criss_frame")
    prob, step1, codes = _criss_arrays(b, f, threshold)
    return CRISSResult(
        probability=float(prob),
        step1_event=None if np.isnan(step1) else bool(step1),
        response=Response.from_code(int(codes)),
        threshold=threshold,
        reason=_criss_reasons(b, f, np.atleast_1d(codes))[0],
    )


def criss_frame(
    baseline_frame: pd.DataFrame,
    follow_up_frame: pd.DataFrame,
    *,
    threshold: float = CRISS_THRESHOLD,
) -> pd.DataFrame:
    """ACR CRISS for many patients: two DataFrames aligned by index, one row per patient.

    The same computation as :func:`criss`, row by row. The inputs are not modified.

    Parameters
    ----------
    baseline_frame, follow_up_frame : pandas.DataFrame
        Canonical columns ``mrss``, ``fvc_pct_predicted``, ``patient_global``,
        ``physician_global``, ``haq_di``; the follow-up frame may carry the step-1
        columns. Both frames must have the same index.
    threshold : float
        Improver when the probability is at least this (default 0.60).

    Returns
    -------
    pandas.DataFrame
        ``criss_probability``, ``criss_step1``, ``criss_response`` (categorical:
        responder / non-responder / not evaluable) and ``criss_reason`` (why a result is
        not evaluable: the core measures missing by name, or the step 1 inputs not
        recorded; missing for the evaluable), aligned to ``follow_up_frame.index``.

    Raises
    ------
    SchemaError
        An input that is not a DataFrame, or frames with different indexes.
    OutOfRangeError
        A core measure outside its range, or ``threshold`` outside 0..1.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.indices.criss import criss_frame
    >>> base = pd.DataFrame({"mrss": [25, 20], "fvc_pct_predicted": [80, 80],
    ...                      "patient_global": [6, 5], "physician_global": [6, 5],
    ...                      "haq_di": [1.5, 1.0]}, index=["a", "b"])
    >>> after = base.assign(mrss=[15, 20], renal_crisis=[False, True],
    ...                     lv_failure_new=False, pah_new_rhc=False)
    >>> out = criss_frame(base, after)
    >>> out["criss_response"].tolist(), out["criss_step1"].tolist()
    (['responder', 'non-responder'], [False, True])
    """
    _check_threshold(threshold)
    b, f = _as_frames(baseline_frame, follow_up_frame, "criss")
    prob, step1, codes = _criss_arrays(b, f, threshold)
    return pd.DataFrame(
        {
            "criss_probability": prob,
            "criss_step1": _nullable_bool(np.asarray(step1, dtype=np.float64)),
            "criss_response": pd.Series(codes_to_categorical(codes), index=f.index),
            "criss_reason": pd.array(_criss_reasons(b, f, codes), dtype="string"),
        },
        index=f.index,
    )


def _core_reason(
    baseline: Mapping[str, Any] | pd.DataFrame,
    follow_up: Mapping[str, Any] | pd.DataFrame,
    shape: tuple[int, ...],
) -> Callable[[int], list[str]]:
    """``reason(i)``: the core measures missing at baseline and at follow-up of result i."""
    no_base = {m: np.broadcast_to(np.isnan(_column(baseline, m)), shape) for m in CRISS_CORE}
    no_follow = {m: np.broadcast_to(np.isnan(_column(follow_up, m)), shape) for m in CRISS_CORE}

    def reason(i: int) -> list[str]:
        parts = []
        lacking = [m for m in CRISS_CORE if no_base[m][i]]
        if lacking:
            parts.append(f"no baseline {', '.join(lacking)}")
        lacking = [m for m in CRISS_CORE if no_follow[m][i]]
        if lacking:
            parts.append(f"no follow-up {', '.join(lacking)}")
        return parts

    return reason


def _criss_reasons(
    baseline: Mapping[str, Any] | pd.DataFrame,
    follow_up: Mapping[str, Any] | pd.DataFrame,
    codes: npt.NDArray[np.int8],
    relative: tuple[str, ...] = (),
) -> npt.NDArray[np.object_]:
    """Why each not-evaluable CRISS result is not evaluable (None for the evaluable): the
    missing core measures by name, a zero baseline of a measure whose change is
    ``relative`` (it has no relative change), and the step 1 inputs not recorded when an
    unknown step 1 is what leaves the result undecided."""
    codes = np.atleast_1d(codes)
    out = np.full(codes.shape, None, dtype=object)
    idx = np.flatnonzero(codes == CODE_NOT_EVALUABLE)
    if not idx.size:
        return out
    shape = codes.shape
    core_reason = _core_reason(baseline, follow_up, shape)
    flags = {e: np.broadcast_to(_column(follow_up, e), shape) for e in (*_EVENTS, *_ILD_FLAGS)}
    # the ILD arm alone (the three events set to "no"): NaN where it is not decided
    ild_open = np.isnan(
        _step1_kernel(
            *np.broadcast_arrays(
                np.zeros(shape),
                np.zeros(shape),
                np.zeros(shape),
                flags["fvc_decline_confirmed"],
                flags["hrct_ild"],
                _column(baseline, "fvc_pct_predicted"),
                _column(follow_up, "fvc_pct_predicted"),
            )
        )
    )
    zero = {m: np.broadcast_to(_column(baseline, m) == 0, shape) for m in relative}
    for i in idx:
        parts = core_reason(int(i))
        zeros = [m for m in relative if zero[m][i]]
        if zeros:
            parts.append(f"baseline {', '.join(zeros)} is 0 (no relative change)")
        if not parts:
            unknown = [e for e in _EVENTS if np.isnan(flags[e][i])]
            if ild_open[i]:
                unknown += [e for e in _ILD_FLAGS if np.isnan(flags[e][i])]
            parts.append(f"step 1 not known: {', '.join(unknown) or 'an event'} not recorded")
        out[i] = "; ".join(parts)
    return out


def _criss_rule(b: Mapping[str, FloatArray], f: Mapping[str, FloatArray]) -> Any:
    for m in CRISS_CORE:  # the ranges criss() checks
        _check(np.asarray(b[m], dtype=np.float64), m, "baseline")
        _check(np.asarray(f[m], dtype=np.float64), m, "follow-up")
    deltas = [np.asarray(f[m]) - np.asarray(b[m]) for m in CRISS_CORE]
    prob = _probability_kernel(*np.broadcast_arrays(*deltas))
    return response_codes(prob >= CRISS_THRESHOLD, ~np.isnan(prob))


#: CRISS step 2 as a responder definition (step-1 events are not among its measures:
#: use :func:`criss` or :func:`criss_frame` when the events are recorded).
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


@attrs.frozen(kw_only=True)
class RevisedCRISSResult(ResultMixin):
    """Revised CRISS for one patient (:func:`revised_criss`).

    Examples
    --------
    >>> from sscoutcomes.indices.criss import revised_criss
    >>> base = {"mrss": 25, "fvc_pct_predicted": 80, "patient_global": 6,
    ...         "physician_global": 6, "haq_di": 1.5}
    >>> r = revised_criss(base, base | {"mrss": 15, "haq_di": 1.0})
    >>> r.items_improved, r.items_evaluable, r.response.value
    (2, 5, 'non-responder')
    >>> r.to_dict()["rcriss_response"]
    'non-responder'
    """

    items_improved: int
    items_evaluable: int
    response: Response
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The values under the column names of :func:`revised_criss_frame` (response as
        text)."""
        return {
            "rcriss_items_improved": self.items_improved,
            "rcriss_items_evaluable": self.items_evaluable,
            "rcriss_response": self.response.value,
            "rcriss_reason": self.reason,
        }


_FVC_RULES: Final = ("absolute_5", "relative_5", "percent")


def _revised_options(
    preset: str | None,
    cutoff_pct: float,
    items_required: int,
    fvc_rule: str,
    worsening_cap: int | None,
) -> tuple[float, int, str, int | None]:
    """The checked options of the revised CRISS: a preset's, or those given (not both)."""
    if preset is not None:
        check_choice("preset", preset, tuple(RCRISS_PRESETS))
        given = (cutoff_pct, items_required, fvc_rule, worsening_cap)
        if given != RCRISS_PRESETS["criss20"]:
            raise SchemaError(
                f"give preset = {preset!r} or the options (cutoff_pct, items_required, "
                "fvc_rule, worsening_cap), not both"
            )
        cutoff_pct, items_required, fvc_rule, worsening_cap = RCRISS_PRESETS[preset]
    _check_revised_options(cutoff_pct, items_required, fvc_rule)
    if worsening_cap is not None:
        check_number("worsening_cap", worsening_cap, 0, len(CRISS_CORE), integer=True)
        worsening_cap = int(worsening_cap)
    return float(cutoff_pct), int(items_required), fvc_rule, worsening_cap


def _check_revised_options(cutoff_pct: float, items_required: int, fvc_rule: str) -> None:
    check_number("items_required", items_required, 1, len(CRISS_CORE), integer=True)
    if not 0 < check_number("cutoff_pct", cutoff_pct, 0, 100) < 100:
        raise OutOfRangeError(f"cutoff_pct = {cutoff_pct!r} is outside 0..100 (exclusive)")
    if not 1 <= items_required <= len(CRISS_CORE):
        raise OutOfRangeError(
            f"items_required = {items_required!r} is outside 1..{len(CRISS_CORE)}"
        )
    check_choice("fvc_rule", fvc_rule, _FVC_RULES)


def _revised_arrays(
    baseline: Mapping[str, Any] | pd.DataFrame,
    follow_up: Mapping[str, Any] | pd.DataFrame,
    *,
    cutoff_pct: float,
    items_required: int,
    fvc_rule: str,
    step1: bool,
    worsening_cap: int | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """The kernel of both faces: items improved, items evaluable and response codes.

    An item worsens when it moves the other way by at least the amount that counts as an
    improvement; with ``worsening_cap`` a responder may have at most that many worsened
    items (an unknown item could be one: the response is then not evaluable)."""
    improved = []
    worsened = []
    known = []
    for m in CRISS_CORE:
        bv, fv = _column(baseline, m), _column(follow_up, m)
        _check(bv, m, "baseline")
        _check(fv, m, "follow-up")
        with np.errstate(invalid="ignore", divide="ignore"):
            if m == "fvc_pct_predicted":
                if fvc_rule == "absolute_5":
                    gain = fv - bv
                    need = RCRISS_FVC_GAIN
                else:
                    gain = np.asarray(percent_change(bv, fv))
                    need = RCRISS_FVC_GAIN if fvc_rule == "relative_5" else cutoff_pct
            else:
                gain = -np.asarray(percent_change(bv, fv))  # NaN at a zero baseline
                need = cutoff_pct
            ok = gain >= need
            bad = gain <= -need
        improved.append(ok & ~np.isnan(gain))
        worsened.append(bad & ~np.isnan(gain))
        known.append(~np.isnan(gain))
    n_improved = np.sum(np.broadcast_arrays(*improved), axis=0)
    n_known = np.sum(np.broadcast_arrays(*known), axis=0)
    n_unknown = len(CRISS_CORE) - n_known
    responder = n_improved >= items_required
    decided = responder | (n_improved + n_unknown < items_required)
    if worsening_cap is not None:
        n_worse = np.sum(np.broadcast_arrays(*worsened), axis=0)
        too_many = n_worse > worsening_cap  # a non-responder whatever the unknown items
        could_be = n_worse + n_unknown > worsening_cap
        decided = (decided & ~(responder & could_be)) | too_many
        responder = responder & ~could_be
    event = np.zeros(np.shape(n_improved))  # step 1 not applied: no event
    if step1:
        event = _step1_of(baseline, follow_up)
    # an event makes a non-responder; an unknown step 1 leaves a responder not evaluable
    codes = response_codes(
        responder & (event == 0), (decided & (event == 0)) | (event == 1) | (decided & ~responder)
    )
    return n_improved, n_known, codes


def _relative_items(fvc_rule: str) -> tuple[str, ...]:
    """The core measures whose revised-CRISS change is relative to baseline."""
    return tuple(m for m in CRISS_CORE if m != "fvc_pct_predicted" or fvc_rule != "absolute_5")


def revised_criss(
    baseline: Any,
    follow_up: Any,
    *,
    cutoff_pct: float = RCRISS_CUTOFF_PCT,
    items_required: int = RCRISS_ITEMS_REQUIRED,
    fvc_rule: Literal["absolute_5", "relative_5", "percent"] = "percent",
    worsening_cap: int | None = None,
    step1: bool = True,
    preset: Literal["criss20", "criss25"] | None = None,
) -> RevisedCRISSResult:
    """Revised CRISS (Khanna 2021) for one patient: improved when at least
    ``items_required`` of the five core items improve by at least ``cutoff_pct`` % of
    their baseline.

    The default is the primary rule (Khanna D et al. Ann Rheum Dis 2021;80:641-650,
    doi:10.1136/annrheumdis-2020-219100, abstract): >= 20 % relative improvement in >= 3 of
    the 5 core measures (mRSS, FVC % predicted, HAQ-DI, patient and clinician globals), FVC
    relative like the others (``fvc_rule="percent"``), no cap on worsening items
    (``preset="criss20"`` is the same). ``preset="criss25"`` is the later use (DAISY):
    25 %, FVC by 5 % of baseline (``"relative_5"``), at most 1 item worsening
    (``worsening_cap=1``) -- known from secondary sources only, **provisional**. An item
    worsens when it moves the other way by the amount that would count as an improvement.
    ``fvc_rule="absolute_5"`` reads the FVC 5 as percentage points. Not in the primary
    abstract: whether step 1 is applied (``step1``, default kept: an event makes a
    non-responder). An item whose baseline is 0 (HAQ-DI 0, a global of 0) cannot improve
    relatively: it is not evaluable.

    Parameters
    ----------
    baseline, follow_up : mapping or object
        One patient's canonical columns (as for :func:`criss`: a mapping, or an object with
        ``to_record()``); the follow-up may carry
        the step-1 columns.
    cutoff_pct : float
        Relative improvement (% of baseline) that counts for an item (default 20).
    items_required : int
        Improved items needed (default 3 of 5).
    fvc_rule : {"percent", "relative_5", "absolute_5"}
        How FVC % predicted improves: by ``cutoff_pct`` % of baseline (default), by 5 % of
        baseline, or by 5 percentage points.
    worsening_cap : int, optional
        At most this many items may worsen for a responder (default: no cap).
    step1 : bool
        Apply CRISS step 1 (an event makes the patient a non-responder).
    preset : {"criss20", "criss25"}, optional
        A named set of the four options above (not together with them).

    Returns
    -------
    RevisedCRISSResult
        Items improved, items evaluable and the response.

    See Also
    --------
    revised_criss_frame : the same for many patients, one row each.

    Examples
    --------
    >>> from sscoutcomes.indices.criss import revised_criss
    >>> base = {"mrss": 25, "fvc_pct_predicted": 80, "patient_global": 6,
    ...         "physician_global": 6, "haq_di": 1.5}
    >>> after = {"mrss": 18, "fvc_pct_predicted": 81, "patient_global": 4,
    ...          "physician_global": 4.5, "haq_di": 1.4, "renal_crisis": False,
    ...          "lv_failure_new": False, "pah_new_rhc": False}
    >>> r = revised_criss(base, after)
    >>> r.items_improved, r.response.value
    (3, 'responder')
    """
    cutoff_pct, items_required, rule, worsening_cap = _revised_options(
        preset, cutoff_pct, items_required, fvc_rule, worsening_cap
    )
    check_bool("step1", step1)
    b = _as_record(baseline, "baseline", "revised_criss_frame")
    f = _as_record(follow_up, "follow_up", "revised_criss_frame")
    n_improved, n_known, codes = _revised_arrays(
        b,
        f,
        cutoff_pct=cutoff_pct,
        items_required=items_required,
        fvc_rule=rule,
        worsening_cap=worsening_cap,
        step1=step1,
    )
    return RevisedCRISSResult(
        items_improved=int(n_improved),
        items_evaluable=int(n_known),
        response=Response.from_code(int(codes)),
        reason=_criss_reasons(b, f, np.atleast_1d(codes), _relative_items(rule))[0],
    )


def revised_criss_frame(
    baseline_frame: pd.DataFrame,
    follow_up_frame: pd.DataFrame,
    *,
    cutoff_pct: float = RCRISS_CUTOFF_PCT,
    items_required: int = RCRISS_ITEMS_REQUIRED,
    fvc_rule: Literal["absolute_5", "relative_5", "percent"] = "percent",
    worsening_cap: int | None = None,
    step1: bool = True,
    preset: Literal["criss20", "criss25"] | None = None,
) -> pd.DataFrame:
    """Revised CRISS for many patients: two DataFrames aligned by index, one row per
    patient.

    The same computation and options as :func:`revised_criss`, row by row. The inputs are
    not modified.

    Parameters
    ----------
    baseline_frame, follow_up_frame : pandas.DataFrame
        Canonical columns as for :func:`criss_frame`; both frames must have the same index.
    cutoff_pct, items_required, fvc_rule, worsening_cap, step1, preset
        As for :func:`revised_criss`.

    Returns
    -------
    pandas.DataFrame
        ``rcriss_items_improved``, ``rcriss_items_evaluable``, ``rcriss_response``
        (categorical) and ``rcriss_reason`` (why a result is not evaluable: the core
        measures missing, a zero baseline of a relative change, or the step 1 inputs not
        recorded; missing for the evaluable), aligned to ``follow_up_frame.index``.

    Raises
    ------
    SchemaError
        An input that is not a DataFrame, or frames with different indexes.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.indices.criss import revised_criss_frame
    >>> base = pd.DataFrame({"mrss": [25, 25], "fvc_pct_predicted": [80, 80],
    ...                      "patient_global": [6, 6], "physician_global": [6, 6],
    ...                      "haq_di": [1.5, 1.5]})
    >>> after = base.assign(mrss=[18, 25], patient_global=[4, 6], physician_global=[4.5, 6],
    ...                     renal_crisis=False, lv_failure_new=False, pah_new_rhc=False)
    >>> revised_criss_frame(base, after)["rcriss_response"].tolist()
    ['responder', 'non-responder']
    """
    cutoff_pct, items_required, rule, worsening_cap = _revised_options(
        preset, cutoff_pct, items_required, fvc_rule, worsening_cap
    )
    check_bool("step1", step1)
    b, f = _as_frames(baseline_frame, follow_up_frame, "revised_criss")
    n_improved, n_known, codes = _revised_arrays(
        b,
        f,
        cutoff_pct=cutoff_pct,
        items_required=items_required,
        fvc_rule=rule,
        worsening_cap=worsening_cap,
        step1=step1,
    )
    return pd.DataFrame(
        {
            "rcriss_items_improved": n_improved,
            "rcriss_items_evaluable": n_known,
            "rcriss_response": pd.Series(codes_to_categorical(codes), index=f.index),
            "rcriss_reason": pd.array(
                _criss_reasons(b, f, codes, _relative_items(rule)), dtype="string"
            ),
        },
        index=f.index,
    )


def criss_from_visits(
    visits: Any,
    schedule: Any,
    *,
    patients: pd.DataFrame | None = None,
    threshold: float = CRISS_THRESHOLD,
) -> pd.DataFrame:
    """CRISS (step 1 and step 2) at every follow-up timepoint of a visits frame.

    Baseline and follow-up values of the five core measures are picked by the schedule's
    visit rule (:meth:`sscoutcomes.Schedule.select`). Step-1 events are looked for over the
    whole interval: every visit from the baseline visit to the follow-up visit, inclusive (a
    renal crisis at month 6 makes a non-responder at month 12 although the month-12 visit
    records none); "no event" needs every visit in the interval to record the flag as false
    (see :func:`criss_step1`). ``visits`` may be a visits frame or a cohort; ``mrss`` and
    ``haq_di`` are scored from their items when the frame does not hold them.

    Returns
    -------
    pandas.DataFrame
        One row per patient x follow-up timepoint: ``patient_id``, ``timepoint``,
        ``criss_probability``, ``criss_step1``, ``criss_response``, ``criss_reason`` (as
        :func:`criss_frame`; with a patients frame, "died before the window", "lost to
        follow-up before the window" or "not yet due at the data cut-off" when that is why
        the follow-up values are missing).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import Schedule
    >>> from sscoutcomes.indices.criss import criss_from_visits
    >>> v = pd.DataFrame({"patient_id": ["a", "a", "a"], "day": [0, 180, 360],
    ...                   "mrss": [25, None, 14], "fvc_pct_predicted": [80, None, 82],
    ...                   "patient_global": [6, None, 4], "physician_global": [6, None, 3],
    ...                   "haq_di": [1.5, None, 1.0], "renal_crisis": [False, False, False],
    ...                   "lv_failure_new": False, "pah_new_rhc": False})
    >>> criss_from_visits(v, Schedule.years(0, 1))["criss_response"].tolist()
    ['responder']
    >>> v.loc[1, "renal_crisis"] = True          # at month 6, gone by month 12
    >>> criss_from_visits(v, Schedule.years(0, 1))["criss_response"].tolist()
    ['non-responder']
    """
    from ..analysis.schedule import (  # analysis builds on indices: imported here
        _patients_of,
        _visits_of,
        require_follow_up,
        require_schedule,
    )

    schedule = require_schedule(schedule)
    schedule.require_baseline()
    require_follow_up(schedule)
    _check_threshold(threshold)
    frame = _visits_of(visits)
    patients = _patients_of(visits, patients)
    sel = schedule.select(frame, list(CRISS_CORE), patients=patients)
    base_name = schedule.require_baseline().name
    base = sel[sel["timepoint"] == base_name].set_index("patient_id")
    day_columns = [f"day_{m}" for m in CRISS_CORE]
    parts = []
    for tp in schedule.follow_up:
        at = sel[sel["timepoint"] == tp.name].set_index("patient_id")
        first = base.reindex(at.index)[day_columns].min(axis=1)
        last = at[day_columns].max(axis=1)
        events = _events_between(frame, first, last)
        out = criss_frame(
            base.reindex(at.index)[list(CRISS_CORE)],
            at[list(CRISS_CORE)].join(events),
            threshold=threshold,
        )
        if "status" in at.columns:  # a follow-up missing because the patient died, ...
            status = at["status"].astype(object).map(STATUS_REASONS)
            gone = at[list(CRISS_CORE)].isna().any(axis=1) & status.notna()
            gone &= out["criss_response"] == "not evaluable"
            out["criss_reason"] = out["criss_reason"].mask(gone, status.astype("string"))
        parts.append(out.assign(timepoint=tp.name).reset_index())
    result = pd.concat(parts, ignore_index=True)
    columns = [
        "patient_id",
        "timepoint",
        "criss_probability",
        "criss_step1",
        "criss_response",
        "criss_reason",
    ]
    out = pd.DataFrame(result[columns])
    out["patient_id"] = out["patient_id"].astype("string")  # as every output: string ids
    return out


def _events_between(
    frame: pd.DataFrame, first: pd.Series[Any], last: pd.Series[Any]
) -> pd.DataFrame:
    """Each step 1 flag of every patient (the index of ``first``) over all the visits from
    its baseline visit (day ``first``) to its follow-up visit (day ``last``), inclusive:
    1.0 when any visit records the event, 0.0 when every visit records its absence, NaN
    otherwise (no visit in the interval, or one that does not say)."""
    ids = frame["patient_id"].astype("string").to_numpy(dtype=object)
    key = pd.Index(first.index.astype("string"))
    pos = key.get_indexer(pd.Index(ids))
    known = pos >= 0
    lo = np.where(known, first.to_numpy(dtype=np.float64)[pos], np.nan)
    hi = np.where(known, last.to_numpy(dtype=np.float64)[pos], np.nan)
    day = as_float_array(frame["day"].to_numpy(dtype=object), "day")
    with np.errstate(invalid="ignore"):
        inside = known & (day >= lo) & (day <= hi)
    rows = pos[inside]
    out: dict[str, FloatArray] = {}
    for name in sorted(_FLAGS):
        values = (
            read_flags(frame[name].to_numpy(dtype=object)[inside], name)
            if name in frame.columns
            else np.full(rows.size, np.nan)
        )
        yes = np.zeros(len(key), dtype=bool)
        seen = np.zeros(len(key), dtype=bool)  # a patient without a visit: not known
        missing = np.zeros(len(key), dtype=bool)
        np.logical_or.at(yes, rows, values == 1.0)
        np.logical_or.at(seen, rows, True)
        np.logical_or.at(missing, rows, np.isnan(values))
        unknown = ~seen | missing
        out[name] = np.where(yes, 1.0, np.where(unknown, np.nan, 0.0))
    return pd.DataFrame(out, index=first.index)


#: The declaration of the ACR CRISS (its inputs are declared by their instruments).
CRISS_INSTRUMENT: Final = Instrument(
    name="CRISS",
    title="ACR Composite Response Index in Systemic Sclerosis",
    kernel=criss_probability,
    responders=(CRISS,),
    references=("Khanna D et al. Arthritis Rheumatol 2016;68:299-311. doi:10.1002/art.39501",),
)
