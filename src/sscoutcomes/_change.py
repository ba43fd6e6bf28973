"""Change-from-baseline kernels shared by every measure (one formula, one place)."""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._validation import as_float_array, broadcast_together

__all__ = ["absolute_change", "change_category_codes", "percent_change"]

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
    b = as_float_array(baseline, "baseline")
    f = as_float_array(follow_up, "follow_up")
    out = np.subtract(*broadcast_together("baseline and follow_up", f, b))
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
    b = as_float_array(baseline, "baseline")
    f = as_float_array(follow_up, "follow_up")
    f, b = broadcast_together("baseline and follow_up", f, b)
    # 100 * (f - b) / b, evaluated in that order in one output array (no temporaries the
    # size of the data besides the zero-baseline mask).
    out = np.asarray(np.subtract(f, b))  # a 0-d array for scalars: writable in place
    with np.errstate(divide="ignore", invalid="ignore"):
        np.multiply(100.0, out, out=out)
        np.divide(out, b, out=out)
    out[np.broadcast_to(b == 0.0, out.shape)] = np.nan
    if out.ndim == 0:
        return float(out)
    return out


def change_category_codes(
    comparison: npt.ArrayLike | None,
    baseline: npt.ArrayLike,
    follow_up: npt.ArrayLike,
    threshold: float,
    field: str,
) -> npt.NDArray[np.int64]:
    """Codes 0 improved, 1 stable, 2 worsened (the order of
    :class:`~sscoutcomes.HRCTChange`), -1 not evaluable, for a measure where a *rise* is worse
    (HRCT extent, sPAP).

    A reader's comparison (``"improved"``/``"stable"``/``"worsened"``, any case) wins where
    given; otherwise a change of at least ``threshold`` upwards is worsened, downwards
    improved, anything smaller stable; missing values are not evaluable. Text that is not
    one of the three labels raises :class:`~sscoutcomes.errors.SchemaError` naming ``field``.

    Examples
    --------
    >>> from sscoutcomes._change import change_category_codes
    >>> change_category_codes(["stable", None, None], [20, 20, 20], [40, 26, 14], 5, "x")
    array([1, 2, 0])
    """
    from .errors import SchemaError
    from .measures.lung import HRCTChange  # here: measures.lung imports this module

    labels = [m.value for m in HRCTChange]  # codes 0, 1, 2

    base = np.atleast_1d(as_float_array(baseline, f"{field} baseline")).ravel()
    follow = np.atleast_1d(as_float_array(follow_up, f"{field} follow_up")).ravel()
    comp_in = None if comparison is None else np.atleast_1d(np.asarray(comparison, dtype=object))
    n = max(base.size, follow.size, 0 if comp_in is None else comp_in.size)
    sizes = {base.size, follow.size} | ({comp_in.size} if comp_in is not None else set())
    if not sizes <= {1, n}:
        raise SchemaError(
            f"{field}: comparison, baseline and follow_up have lengths {sorted(sizes)}; give "
            "scalars or arrays of one length"
        )
    base, follow = np.broadcast_to(base, (n,)), np.broadcast_to(follow, (n,))
    with np.errstate(invalid="ignore"):
        d = follow - base
        codes = np.where(d >= threshold, 2, np.where(d <= -threshold, 0, 1))
    codes = np.where(np.isnan(d), -1, codes)
    if comparison is not None:
        comp = np.broadcast_to(np.atleast_1d(np.asarray(comparison, dtype=object)).ravel(), (n,))
        for i, c in enumerate(comp):
            if c is not None and not isinstance(c, str) and not pd.isna(c):
                raise SchemaError(f"{field} = {c!r} is not one of {', '.join(labels)}")
            if isinstance(c, str) and c.strip():
                key = c.strip().lower()
                if key not in labels:
                    raise SchemaError(f"{field} = {c!r} is not one of {', '.join(labels)}")
                codes[i] = labels.index(key)
    return codes.astype(np.int64)
