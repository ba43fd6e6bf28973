"""Change-from-baseline kernels shared by every measure (one formula, one place)."""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

__all__ = ["absolute_change", "percent_change"]

FloatArray = npt.NDArray[np.float64]


@overload
def absolute_change(baseline: float, follow_up: float) -> float: ...
@overload
def absolute_change(baseline: npt.ArrayLike, follow_up: npt.ArrayLike) -> FloatArray | float: ...
def absolute_change(baseline: npt.ArrayLike, follow_up: npt.ArrayLike) -> FloatArray | float:
    r"""Absolute change from baseline, ``follow_up - baseline``.

    Missing values (NaN) propagate. For the mRSS and HAQ-DI a negative change is an
    improvement; for FVC % predicted a positive change is.

    Parameters
    ----------
    baseline, follow_up : float or array_like
        Values on the same scale; arrays broadcast.

    Returns
    -------
    float or numpy.ndarray
        :math:`\Delta = x_\text{follow-up} - x_\text{baseline}`; antisymmetric:
        ``absolute_change(a, b) == -absolute_change(b, a)``.

    Examples
    --------
    >>> from sscoutcomes import absolute_change
    >>> absolute_change(18, 13)
    -5.0
    >>> absolute_change([20, 10], [15, float("nan")])
    array([-5., nan])
    """
    b = np.asarray(baseline, dtype=np.float64)
    f = np.asarray(follow_up, dtype=np.float64)
    out = f - b
    if out.ndim == 0:
        return float(out)
    return out


@overload
def percent_change(baseline: float, follow_up: float) -> float: ...
@overload
def percent_change(baseline: npt.ArrayLike, follow_up: npt.ArrayLike) -> FloatArray | float: ...
def percent_change(baseline: npt.ArrayLike, follow_up: npt.ArrayLike) -> FloatArray | float:
    r"""Percent change from baseline, ``100 * (follow_up - baseline) / baseline``.

    Undefined -- NaN, never infinite -- when the baseline is 0 (as in admiral's ``PCHG``).
    This is the *relative* change; for % predicted lung function the difference of two
    percentages is :func:`absolute_change` (percentage points).

    Parameters
    ----------
    baseline, follow_up : float or array_like
        Values on the same ratio scale; arrays broadcast.

    Returns
    -------
    float or numpy.ndarray
        :math:`100\,(x_\text{follow-up} - x_\text{baseline}) / x_\text{baseline}`,
        NaN where the baseline is 0 or either value is missing.

    Examples
    --------
    >>> from sscoutcomes import percent_change
    >>> percent_change(20, 15)
    -25.0
    >>> percent_change(0, 4)
    nan
    """
    b = np.asarray(baseline, dtype=np.float64)
    f = np.asarray(follow_up, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(b == 0.0, np.nan, 100.0 * (f - b) / b)
    if out.ndim == 0:
        return float(out)
    return out
