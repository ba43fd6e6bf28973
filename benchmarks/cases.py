"""Benchmark cases: for each score, the library's frame face, a numpy reference doing the same
arithmetic on the same arrays, a per-row loop over the object face, and pandas code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import sscoutcomes as ssc

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Case:
    name: str
    groups: tuple[str, ...]
    columns: Callable[[pd.DataFrame], list[str]]
    library: Callable[[pd.DataFrame], object]
    arrays: Callable[[pd.DataFrame], Arrays]
    reference: Callable[[Arrays], object]
    loop: Callable[[pd.DataFrame], object] | None = None
    pandas: Callable[[pd.DataFrame], object] | None = None


def _float_arrays(frame: pd.DataFrame) -> Arrays:
    return {c: frame[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in frame.columns}


# ----------------------------------------------------------------------------- mRSS
SITE_COLUMNS = [f"mrss_{s}" for s in ssc.SKIN_SITES]


def _mrss_reference(a: Arrays) -> np.ndarray:
    out = a[SITE_COLUMNS[0]].copy()
    for c in SITE_COLUMNS[1:]:
        out += a[c]
    return out


def _mrss_loop(frame: pd.DataFrame) -> list[int | None]:
    out = []
    for rec in frame.to_dict("records"):
        score = ssc.SkinScore.from_record(rec)
        out.append(None if score is None else score.total)
    return out


MRSS = Case(
    name="mrss total",
    groups=("skin",),
    columns=lambda v: ["patient_id", "day", *SITE_COLUMNS],
    library=ssc.score_mrss,
    arrays=lambda f: _float_arrays(f[SITE_COLUMNS]),
    reference=_mrss_reference,
    loop=_mrss_loop,
    pandas=lambda f: f[SITE_COLUMNS].sum(axis=1, skipna=False),
)

CASES: list[Case] = [MRSS]


def _skin_object() -> Any:
    return ssc.SkinScore(
        face=1,
        anterior_chest=0,
        abdomen=0,
        fingers_right=2,
        fingers_left=2,
        hands_right=1,
        hands_left=1,
        forearms_right=1,
        forearms_left=1,
        upper_arms_right=0,
        upper_arms_left=0,
        thighs_right=0,
        thighs_left=0,
        legs_right=0,
        legs_left=0,
        feet_right=0,
        feet_left=0,
    ).total


#: Object-face targets: name -> (callable building one object and reading its score, n).
OBJECT_CASES: dict[str, tuple[Callable[[], object], int]] = {
    "SkinScore(...).total": (_skin_object, 20_000),
}
