"""The visit-selection rule, in one place: which visit stands for a timepoint.

Among the visits inside a window that record the measure, the one closest to the target
day is used, the earlier one on a tie. A baseline is a window that ends at its target (day
0): the rule then picks the last visit on or before day 0 within the look-back. Both
:meth:`~sscoutcomes.Patient.baseline` (one patient) and :class:`~sscoutcomes.Schedule`
(a whole frame) rank visits with :func:`selection_key`.

Private module: the public face is :class:`~sscoutcomes.Schedule` and
:meth:`~sscoutcomes.Patient.baseline`.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["DEFAULT_BASELINE_WINDOW_DAYS", "baseline_bounds", "pick", "selection_key"]

#: Default look-back window of the baseline, in days (baseline = days -90 .. 0).
DEFAULT_BASELINE_WINDOW_DAYS: Final = 90


def selection_key(day: npt.NDArray[np.int64], target_day: int) -> npt.NDArray[np.int64]:
    """``2 |day - target| + (day > target)``: the smallest key is the visit used.

    Days are unique within a patient, so keys are too: the closest visit wins and, of two
    equally close, the earlier one (its key is one lower).

    Examples
    --------
    >>> import numpy as np
    >>> from sscoutcomes._selection import selection_key
    >>> selection_key(np.array([355, 375, 365]), 365).tolist()
    [20, 21, 0]
    """
    offset = day - target_day
    return 2 * np.abs(offset) + (offset > 0)


def baseline_bounds(window_days: int) -> tuple[int, int]:
    """The first and last day of a baseline window looking back ``window_days`` from day 0.

    Examples
    --------
    >>> from sscoutcomes._selection import baseline_bounds
    >>> baseline_bounds(90)
    (-90, 0)
    """
    return -int(window_days), 0


def pick(days: npt.NDArray[np.int64], target_day: int, first_day: int, last_day: int) -> int:
    """Position in ``days`` (one patient's visits that record the measure) of the visit used
    for a timepoint with that target and window; -1 when none lies in the window.

    Examples
    --------
    >>> import numpy as np
    >>> from sscoutcomes._selection import pick
    >>> pick(np.array([-120, -30, -2, 10]), 0, -90, 0)   # baseline: last on or before day 0
    2
    >>> pick(np.array([-120]), 0, -90, 0)
    -1
    """
    inside = np.flatnonzero((days >= first_day) & (days <= last_day))
    if inside.size == 0:
        return -1
    return int(inside[np.argmin(selection_key(days[inside], target_day))])
