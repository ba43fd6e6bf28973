"""Baselines and change from baseline (absolute and percent).

The kernels :func:`absolute_change` and :func:`percent_change` are the one place change is
computed; measure objects, frames and the longitudinal engine all call them.
"""

from __future__ import annotations

from .._change import absolute_change, percent_change

__all__ = ["absolute_change", "percent_change"]
