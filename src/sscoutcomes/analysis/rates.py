"""Responder rates along a schedule: responders, non-responders and not evaluable.

:func:`responder_rates` applies a three-valued
:class:`~sscoutcomes.analysis.responders.ResponderDefinition` to every patient at each
follow-up timepoint of a :class:`~sscoutcomes.analysis.schedule.Schedule`, comparing the
value picked by the schedule's rule with the baseline. Patients whose values the rule cannot
evaluate -- a missing baseline or follow-up (including patients who died or were lost before
the window), or a baseline outside the rule's eligibility -- are counted as *not evaluable*,
never as non-responders; the proportion of responders is taken among the evaluable.
Each not-evaluable result carries its reason: the patient died, was lost to follow-up or was
not yet due at the data cut-off before the window (with a patients frame); the baseline or
follow-up value that is missing, by name; or the rule's eligibility (a baseline mRSS below
7, a zero baseline for a percentage change).
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._response import (
    CODE_NON_RESPONDER,
    CODE_NOT_EVALUABLE,
    CODE_RESPONDER,
    STATUS_REASONS,
    ResponderDefinition,
    codes_to_categorical,
)
from .._result import ResultMixin
from ..errors import SchemaError
from .responders import RESPONDER_DEFINITIONS
from .schedule import (
    _STATUS_DIED,
    _STATUS_LOST,
    _STATUS_NOT_YET_DUE,
    DEFAULT_BASELINE_WINDOW_DAYS,
    Schedule,
    Timepoint,
    _Paired,
    _paired_values,
    _status,
    _status_categorical,
    _timepoint_categorical,
    require_schedule,
)

__all__ = ["RATE_COLUMNS", "ResponderRates", "responder_rates"]

#: Columns of :attr:`ResponderRates.table`.
RATE_COLUMNS: tuple[str, ...] = (
    "n_patients",
    "n_evaluable",
    "n_responder",
    "n_non_responder",
    "n_not_evaluable",
    "proportion",
)


@attrs.frozen(kw_only=True, eq=False)
class ResponderRates(ResultMixin):
    """Result of :func:`responder_rates`.

    Attributes
    ----------
    definition : ResponderDefinition
        The rule applied (its ``name`` names the variant and thresholds).
    schedule : Schedule
        The schedule whose baseline and follow-up timepoints were used.
    table : pandas.DataFrame
        One row per evaluated follow-up timepoint (index ``timepoint``) with
        ``n_patients``, ``n_evaluable``, ``n_responder``, ``n_non_responder``,
        ``n_not_evaluable`` and ``proportion`` (responders / evaluable; NaN when no patient
        is evaluable).
    per_patient : pandas.DataFrame
        One row per patient x timepoint: ``patient_id``, ``timepoint``, ``response``
        (``"responder"``, ``"non-responder"``, ``"not evaluable"``), ``reason`` (why a
        result is not evaluable; missing for the evaluable), ``status`` (with a patients
        frame), and per measure ``baseline_<m>``, ``<m>``, ``baseline_day_<m>`` and
        ``day_<m>``.
    reasons : pandas.DataFrame
        The not evaluable counted by reason: ``timepoint``, ``reason``, ``n`` (one row per
        timepoint and reason that occurs; the ``n`` of a timepoint add up to its
        ``n_not_evaluable``).
    """

    definition: ResponderDefinition
    schedule: Schedule
    table: pd.DataFrame
    per_patient: pd.DataFrame
    reasons: pd.DataFrame

    def __repr__(self) -> str:
        return f"ResponderRates({self.definition.name!r})\n{self.table.to_string()}"

    def _repr_html_(self) -> str:
        html = self.table.to_html()
        return f"<p>Responder rates: <code>{self.definition.name}</code></p>{html}"


def _definition(definition: ResponderDefinition | str) -> ResponderDefinition:
    if isinstance(definition, ResponderDefinition):
        return definition
    if isinstance(definition, str):
        try:
            return RESPONDER_DEFINITIONS[definition]
        except KeyError:
            known = ", ".join(sorted(RESPONDER_DEFINITIONS))
            raise SchemaError(
                f"responder definition {definition!r} is unknown; built-in ones: {known}"
            ) from None
    raise SchemaError(
        f"definition must be a ResponderDefinition or its name; got {type(definition).__name__}"
    )


def _schedule_for(definition: ResponderDefinition, baseline_window_days: int) -> Schedule:
    """Baseline plus the definition's own follow-up time (target_day +/- window_days)."""
    if definition.target_day is None or definition.window_days is None:
        raise SchemaError(
            f"definition {definition.name!r} has no published follow-up time "
            f"(target_day/window_days); pass a schedule, e.g. Schedule.years(0, 1)"
        )
    return Schedule(
        timepoints=(
            Timepoint(
                name="baseline",
                target_day=0,
                window_days=baseline_window_days,
                is_baseline=True,
            ),
            Timepoint(
                name=f"day {definition.target_day}",
                target_day=definition.target_day,
                window_days=definition.window_days,
            ),
        )
    )


def _timepoints(schedule: Schedule, timepoint: str | Timepoint | None) -> tuple[Timepoint, ...]:
    if timepoint is None:
        follow = schedule.follow_up
        if not follow:
            raise SchemaError("the schedule has no follow-up timepoint")
        return follow
    name = timepoint.name if isinstance(timepoint, Timepoint) else timepoint
    tp = schedule[name]
    if isinstance(timepoint, Timepoint) and tp != timepoint:
        raise SchemaError(f"timepoint {name!r} differs from the schedule's timepoint of that name")
    if tp.is_baseline:
        raise SchemaError(f"timepoint {name!r} is the baseline; choose a follow-up timepoint")
    return (tp,)


def responder_rates(
    visits: Any,
    definition: ResponderDefinition | str,
    schedule: Schedule | None = None,
    timepoint: str | Timepoint | None = None,
    *,
    patients: pd.DataFrame | None = None,
    baseline_window_days: int = DEFAULT_BASELINE_WINDOW_DAYS,
) -> ResponderRates:
    """Count responders, non-responders and not evaluable patients at follow-up timepoints.

    Parameters
    ----------
    visits : pandas.DataFrame or Cohort
        Visits frame with ``patient_id``, ``day`` and the definition's measure columns
        (``definition.measures``), or an object with a ``visits`` DataFrame attribute (and
        optionally ``patients_frame``).
    definition : ResponderDefinition or str
        The rule, or its name in
        :data:`~sscoutcomes.analysis.responders.RESPONDER_DEFINITIONS`.
    schedule : Schedule, optional
        Baseline and follow-up timepoints. Default: a baseline (look-back
        ``baseline_window_days``) and one timepoint at the definition's published follow-up
        time, ``target_day +/- window_days`` (named e.g. ``"day 365"``).
    timepoint : str or Timepoint, optional
        Evaluate only this follow-up timepoint; default every follow-up timepoint.
    patients : pandas.DataFrame, optional
        ``patient_id``, ``death_day``, ``last_contact_day``: adds a ``status`` column to the
        per-patient results and counts patients without visits (as not evaluable).
    baseline_window_days : int
        Look-back of the baseline when the schedule is built from the definition.

    Returns
    -------
    ResponderRates
        ``.table`` with the counts and proportion per timepoint, ``.per_patient`` with each
        patient's values, response and the reason of each not evaluable result, ``.reasons``
        with the not evaluable counted by reason.

    Raises
    ------
    SchemaError
        Unknown definition name, a schedule without baseline, an unknown or baseline
        ``timepoint``, a definition without follow-up time and no schedule, or the visits
        errors of :meth:`Schedule.select <sscoutcomes.analysis.schedule.Schedule.select>`.
    OutOfRangeError
        Values the definition rejects (e.g. an mRSS above 51).

    Notes
    -----
    Baseline and follow-up values are picked per measure with the schedule's rule
    (baseline: last value on or before day 0 within the look-back; follow-up: closest to
    the target in the window, ties to the earlier visit) and passed to
    :meth:`ResponderDefinition.codes`. ``proportion = n_responder / n_evaluable`` with
    ``n_evaluable = n_responder + n_non_responder``; confidence intervals are left to the
    summary functions.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.analysis.rates import responder_rates
    >>> from sscoutcomes.analysis.schedule import Schedule
    >>> visits = pd.DataFrame({
    ...     "patient_id": ["a", "a", "b", "b", "c", "c", "d"],
    ...     "day": [0, 365, -20, 380, 0, 350, 0],
    ...     "mrss": [20, 12, 18, 16, 25, None, 30],
    ... })
    >>> rates = responder_rates(visits, "mrss_improvement_5pt", Schedule.years(0, 1))
    >>> columns = ["n_patients", "n_evaluable", "n_responder", "n_not_evaluable", "proportion"]
    >>> rates.table[columns].reset_index()
      timepoint  n_patients  n_evaluable  n_responder  n_not_evaluable  proportion
    0    1 year           4            2            1                2         0.5
    >>> rates.per_patient[["patient_id", "baseline_mrss", "mrss", "response", "reason"]]
      patient_id  baseline_mrss  mrss       response                 reason
    0          a           20.0  12.0      responder                   <NA>
    1          b           18.0  16.0  non-responder                   <NA>
    2          c           25.0   NaN  not evaluable  no mrss in the window
    3          d           30.0   NaN  not evaluable  no mrss in the window
    >>> rates.reasons
      timepoint                 reason  n
    0    1 year  no mrss in the window  2
    """
    rule = _definition(definition)
    sched = (
        require_schedule(schedule)
        if schedule is not None
        else _schedule_for(rule, baseline_window_days)
    )
    base_tp = sched.require_baseline()
    follow = _timepoints(sched, timepoint)
    names = rule.measures
    paired = _paired_values(visits, patients, names, base_tp, follow)
    data = paired.data
    n_p, n_t = data.n_patients, len(follow)

    codes = np.empty((n_p, n_t), dtype=np.int8)
    for i in range(n_t):
        fu = {m: paired.value[m][:, i] for m in names}
        codes[:, i] = np.broadcast_to(rule.codes(paired.baseline, fu), (n_p,))

    counts = {
        "n_patients": np.full(n_t, n_p, dtype=np.int64),
        "n_evaluable": (codes != CODE_NOT_EVALUABLE).sum(axis=0),
        "n_responder": (codes == CODE_RESPONDER).sum(axis=0),
        "n_non_responder": (codes == CODE_NON_RESPONDER).sum(axis=0),
        "n_not_evaluable": (codes == CODE_NOT_EVALUABLE).sum(axis=0),
    }
    with np.errstate(invalid="ignore"):  # 0 / 0 -> NaN: nobody evaluable
        proportion = counts["n_responder"] / counts["n_evaluable"]
    table = pd.DataFrame(
        {**{k: v.astype(np.int64) for k, v in counts.items()}, "proportion": proportion},
        index=pd.Index([tp.name for tp in follow], name="timepoint", dtype=object),
        columns=list(RATE_COLUMNS),
    )

    per: dict[str, Any] = {
        "patient_id": pd.array(np.repeat(data.ids.to_numpy(), n_t), dtype="string"),
        "timepoint": _timepoint_categorical(
            [tp.name for tp in follow], np.tile(np.arange(n_t), n_p)
        ),
        "response": codes_to_categorical(codes.ravel()),
    }
    status = _status(data, follow).T if data.has_status else None
    reason = _reasons(rule, paired, codes, status)
    per["reason"] = pd.array(reason.ravel(), dtype="string")
    if status is not None:
        per["status"] = _status_categorical(status.ravel())
    for m in names:
        per[f"baseline_{m}"] = np.repeat(paired.baseline[m], n_t)
        per[m] = paired.value[m].ravel()
        per[f"baseline_day_{m}"] = np.repeat(paired.baseline_day[m], n_t)
        per[f"day_{m}"] = paired.day[m].ravel()
    per_patient = pd.DataFrame(per)
    return ResponderRates(
        definition=rule,
        schedule=sched,
        table=table,
        per_patient=per_patient,
        reasons=_reason_counts(per_patient),
    )


_STATUS_REASONS: dict[int, str] = {
    _STATUS_DIED: STATUS_REASONS["died"],
    _STATUS_LOST: STATUS_REASONS["lost to follow-up"],
    _STATUS_NOT_YET_DUE: STATUS_REASONS["not yet due"],
}


def _reasons(
    rule: ResponderDefinition,
    paired: _Paired,
    codes: npt.NDArray[np.int8],
    status: npt.NDArray[np.int8] | None,
) -> npt.NDArray[np.object_]:
    """(n_patients, n_timepoints) reasons for the not-evaluable codes (None elsewhere): the
    follow-up status when a follow-up value is missing because the patient died, was lost
    or was not yet due; else the missing baseline and follow-up values by name; else the
    rule's eligibility."""
    out = np.full(codes.shape, None, dtype=object)
    names = rule.measures
    no_base = {m: np.isnan(paired.baseline[m]) for m in names}
    for i, j in zip(*np.nonzero(codes == CODE_NOT_EVALUABLE), strict=True):
        no_follow = [m for m in names if np.isnan(paired.value[m][i, j])]
        if no_follow and status is not None and int(status[i, j]) in _STATUS_REASONS:
            out[i, j] = _STATUS_REASONS[int(status[i, j])]
            continue
        parts = []
        lacking = [m for m in names if no_base[m][i]]
        if lacking:
            parts.append(f"no baseline {', '.join(lacking)}")
        if no_follow:
            parts.append(f"no {', '.join(no_follow)} in the window")
        if parts:
            out[i, j] = "; ".join(parts)
        else:
            out[i, j] = (
                f"not eligible: {rule.eligibility}"
                if rule.eligibility
                else "not evaluable by the rule with these values"
            )
    return out


def _reason_counts(per_patient: pd.DataFrame) -> pd.DataFrame:
    """Not evaluable per timepoint and reason, in timepoint order, most frequent first."""
    known = per_patient[per_patient["reason"].notna()]
    counts = (
        known.groupby(["timepoint", "reason"], observed=True, sort=False)
        .size()
        .rename("n")
        .reset_index()
    )
    counts["n"] = counts["n"].astype(np.int64)
    order = counts["timepoint"].cat.codes.to_numpy()
    rank = np.lexsort((counts["reason"].to_numpy(dtype=object), -counts["n"].to_numpy(), order))
    return counts.iloc[rank].reset_index(drop=True)
