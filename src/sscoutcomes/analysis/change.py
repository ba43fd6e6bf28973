"""Baselines and change from baseline (absolute and percent).

The kernels :func:`absolute_change` and :func:`percent_change` are the one place change is
computed; measure objects, frames and the longitudinal engine all call them.
:func:`change_from_baseline` applies them to a visits frame along a
:class:`~sscoutcomes.analysis.schedule.Schedule`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._change import absolute_change, percent_change
from ..errors import SchemaError
from ..measures.lung import HRCTChange
from .schedule import (
    Schedule,
    _measure_names,
    _paired_values,
    _patients_of,
    _status,
    _status_categorical,
    _timepoint_categorical,
    _visits_of,
    require_follow_up,
    require_schedule,
)

__all__ = [
    "absolute_change",
    "change_from_baseline",
    "hrct_change_from_baseline",
    "pah_change_from_baseline",
    "percent_change",
]


def change_from_baseline(
    visits: Any,
    measures: str | Sequence[str],
    schedule: Schedule,
    *,
    patients: pd.DataFrame | None = None,
) -> pd.DataFrame:
    r"""Baseline, follow-up value and change from baseline per patient, timepoint and measure.

    Values are picked by the schedule's rule (:meth:`Schedule.select
    <sscoutcomes.analysis.schedule.Schedule.select>`): the baseline is the last non-missing
    value on or before day 0 within the look-back window -- so of two candidate baselines
    (say days -60 and -5) the later one, day -5, is used -- and each follow-up value is the
    one closest to the target day inside the window (ties to the earlier visit).

    Parameters
    ----------
    visits : pandas.DataFrame or Cohort
        Visits frame (``patient_id``, ``day``, numeric measure columns) or an object with a
        ``visits`` DataFrame (and optionally ``patients_frame``) attribute.
    measures : str or sequence of str
        Numeric measure columns, e.g. ``"mrss"`` or ``["mrss", "fvc_pct_predicted"]``.
    schedule : Schedule
        Must contain a baseline timepoint.
    patients : pandas.DataFrame, optional
        ``patient_id``, ``death_day``, ``last_contact_day``: adds a ``status`` column
        (died / lost to follow-up before the window) and lists patients without visits.

    Returns
    -------
    pandas.DataFrame
        One row per patient x follow-up timepoint x measure (sorted in that order):
        ``patient_id``, ``timepoint``, ``measure``, ``baseline_day``, ``baseline``, ``day``,
        ``value``, ``change`` and ``percent_change`` (plus ``status`` with a patients
        frame). ``timepoint`` and ``measure`` are categoricals in schedule and argument
        order. Missing values are NaN; ``percent_change`` is NaN when the baseline is 0.
        The input is not modified and its row order does not matter.

    Raises
    ------
    SchemaError
        No baseline in the schedule, missing columns, text in a measure column, two visits
        of one patient on the same day, visits after death or last contact.
    OutOfRangeError
        Days that are not whole numbers (a missing day is a SchemaError).

    Notes
    -----
    .. math::

       \Delta = x_\text{follow-up} - x_\text{baseline}, \qquad
       \%\Delta = 100\,\frac{x_\text{follow-up} - x_\text{baseline}}{x_\text{baseline}}

    Absolute change is antisymmetric: exchanging baseline and follow-up negates it. The
    baseline rule is the CDISC one (SDTMIG ``--BLFL``: last non-missing record on or before
    the reference date); percent change is missing at a zero baseline as admiral's ``PCHG``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.analysis.change import change_from_baseline
    >>> from sscoutcomes.analysis.schedule import Schedule
    >>> visits = pd.DataFrame({
    ...     "patient_id": ["a", "a", "a", "b", "b"],
    ...     "day": [-60, -5, 370, 0, 360],
    ...     "mrss": [22, 20, 15, 0, 3],
    ... })
    >>> change_from_baseline(visits, "mrss", Schedule.years(0, 1))[
    ...     ["patient_id", "baseline_day", "baseline", "value", "change", "percent_change"]]
      patient_id  baseline_day  baseline  value  change  percent_change
    0          a          -5.0      20.0   15.0    -5.0           -25.0
    1          b           0.0       0.0    3.0     3.0             NaN
    """
    names = _measure_names(measures)
    schedule = require_schedule(schedule)
    base_tp = schedule.require_baseline()
    follow = require_follow_up(schedule)
    paired = _paired_values(visits, patients, names, base_tp, follow)
    data = paired.data
    n_p, n_t, n_m = data.n_patients, len(follow), len(names)
    ids = data.ids
    status = _status(data, follow).T if data.has_status else None  # (n_patients, n_timepoints)
    # Keep only the paired values: the sorted visits are no longer needed, and each
    # measure's values are let go once written (peak memory stays near the output's size).
    per_measure = (paired.baseline_day, paired.baseline, paired.day, paired.value)
    del paired, data

    # The six number columns, shaped (n_patients, n_timepoints, n_measures) and flattened in
    # that order, are written straight into one block that the result frame takes without a
    # copy: the output costs its own size and little more.
    numbers = ("baseline_day", "baseline", "day", "value", "change", "percent_change")
    table = np.empty((len(numbers), n_p * n_t * n_m), dtype=np.float64)
    col = dict(zip(numbers, table, strict=True))
    grids = [col[name].reshape(n_p, n_t, n_m) for name in numbers[:4]]
    for j, m in enumerate(names):
        for grid, values in zip(grids, per_measure, strict=True):
            v = values.pop(m)
            grid[:, :, j] = v[:, None] if v.ndim == 1 else v  # baselines: one per patient
    del grids, per_measure
    col["change"][:] = absolute_change(col["baseline"], col["value"])
    col["percent_change"][:] = percent_change(col["baseline"], col["value"])
    out = pd.DataFrame(table.T, columns=list(numbers), copy=False)
    del table, col
    code = np.int8 if max(n_m, n_t) <= np.iinfo(np.int8).max else np.int64
    measure = pd.Categorical.from_codes(
        np.tile(np.arange(n_m, dtype=code), n_p * n_t),
        categories=pd.Index(list(names), dtype=object),
    )
    timepoint = _timepoint_categorical(
        [tp.name for tp in follow], np.tile(np.repeat(np.arange(n_t, dtype=code), n_m), n_p)
    )
    out.insert(0, "measure", pd.Series(measure, copy=False))
    out.insert(0, "timepoint", pd.Series(timepoint, copy=False))
    out.insert(0, "patient_id", ids.take(np.repeat(np.arange(n_p), n_t * n_m)).array)
    if status is not None:
        out["status"] = _status_categorical(np.repeat(status.ravel(), n_m))
    return out


def _category_change(
    visits: Any,
    schedule: Schedule,
    *,
    comparison: str,
    value: str,
    kernel: Any,
    patients: pd.DataFrame | None,
    threshold: float,
) -> pd.DataFrame:
    """Per patient and follow-up timepoint: the reader's comparison where recorded, else the
    change category of ``value`` versus its baseline by ``kernel``."""
    schedule = require_schedule(schedule)
    schedule.require_baseline()
    require_follow_up(schedule)
    frame = _visits_of(visits)
    patients = _patients_of(visits, patients)
    measures = [c for c in (comparison, value) if c in frame.columns]
    if not measures:
        raise SchemaError(
            f"the visits frame has neither {comparison!r} nor {value!r}: nothing to compare"
        )
    sel = schedule.select(frame, measures, patients=patients)
    base_name = schedule.require_baseline().name
    base = sel[sel["timepoint"] == base_name].set_index("patient_id")
    parts = []
    for tp in schedule.follow_up:
        at = sel[sel["timepoint"] == tp.name].set_index("patient_id")
        read = (
            at[comparison].astype(object).where(at[comparison].notna(), None).to_numpy()
            if comparison in at.columns
            else None
        )
        b = (
            base[value].reindex(at.index).to_numpy(dtype=float)
            if value in at.columns
            else np.full(len(at), np.nan)
        )
        f = at[value].to_numpy(dtype=float) if value in at.columns else np.full(len(at), np.nan)
        category = kernel(read, b, f, threshold)
        parts.append(
            pd.DataFrame(
                {
                    "patient_id": pd.array(at.index.to_numpy(), dtype="string"),
                    "timepoint": tp.name,
                    "baseline": b,
                    "value": f,
                    "change": pd.Categorical(category, categories=[m.value for m in HRCTChange]),
                    "source": np.where(
                        pd.notna(read) if read is not None else np.zeros(len(at), bool),
                        "reader",
                        np.where(
                            pd.isna(np.asarray(category, dtype=object)), "not evaluable", value
                        ),
                    ),
                }
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["timepoint"] = pd.Categorical(
        out["timepoint"], categories=[tp.name for tp in schedule.follow_up], ordered=True
    )
    return out


def hrct_change_from_baseline(
    visits: Any,
    schedule: Schedule,
    *,
    patients: pd.DataFrame | None = None,
    threshold_pct: float = 5.0,
) -> pd.DataFrame:
    """HRCT change (improved / stable / worsened) at every follow-up timepoint.

    The reader's comparison (``hrct_comparison``) is used where recorded; otherwise the
    extent (``hrct_extent_pct``) at the timepoint is compared with the baseline extent by
    :func:`sscoutcomes.hrct_change` (threshold ``threshold_pct`` percentage points).

    Returns
    -------
    pandas.DataFrame
        One row per patient x follow-up timepoint: ``patient_id``, ``timepoint``,
        ``baseline``, ``value`` (extents), ``change`` (categorical, missing = not
        evaluable) and ``source`` (``"reader"``, ``"hrct_extent_pct"`` or
        ``"not evaluable"``).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import Schedule, hrct_change_from_baseline
    >>> v = pd.DataFrame({"patient_id": ["a", "a", "b", "b"], "day": [0, 365, 0, 370],
    ...                   "hrct_extent_pct": [20, 30, 15, 15],
    ...                   "hrct_comparison": [None, None, None, "improved"]})
    >>> hrct_change_from_baseline(v, Schedule.years(0, 1))["change"].tolist()
    ['worsened', 'improved']
    """
    from ..measures.lung import hrct_change

    return _category_change(
        visits,
        schedule,
        comparison="hrct_comparison",
        value="hrct_extent_pct",
        kernel=hrct_change,
        patients=patients,
        threshold=threshold_pct,
    )


def pah_change_from_baseline(
    visits: Any,
    schedule: Schedule,
    *,
    patients: pd.DataFrame | None = None,
    threshold_mmhg: float = 10.0,
) -> pd.DataFrame:
    """PAH change (improved / stable / worsened) at every follow-up timepoint.

    The reader's comparison (``pah_comparison``) is used where recorded; otherwise sPAP (as
    :func:`sscoutcomes.score_echo` gives it: 4 v^2 + RAP, else the recorded value) at the
    timepoint is compared with the baseline by :func:`sscoutcomes.pah_change`.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import Schedule, pah_change_from_baseline
    >>> v = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365],
    ...                   "tr_velocity_m_s": [3.4, 2.9], "rap_mmhg": [8, 8]})
    >>> pah_change_from_baseline(v, Schedule.years(0, 1))["change"].tolist()
    ['improved']
    """
    from ..measures.heart import pah_change, score_echo

    frame = _visits_of(visits)
    patients = _patients_of(visits, patients)
    if "tr_velocity_m_s" in frame.columns or "spap_mmhg" in frame.columns:
        frame = frame.assign(spap_mmhg=score_echo(frame)["spap_mmhg"])
    return _category_change(
        frame,
        schedule,
        comparison="pah_comparison",
        value="spap_mmhg",
        kernel=pah_change,
        patients=patients,
        threshold=threshold_mmhg,
    )
