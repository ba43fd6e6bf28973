"""One schema: ``validate_visits`` and every instrument's frame face refuse the same cells
with the same messages, for every column any of them reads (each declared once)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sscoutcomes as ssc
from sscoutcomes.errors import SSCOutcomesError
from sscoutcomes.registry import INSTRUMENTS, instruments

_BASE = ssc.load_demo().visits.head(4).reset_index(drop=True)


def _cases() -> list[tuple[str, str, object]]:
    out: list[tuple[str, str, object]] = []
    for inst in instruments():
        if inst.score is None:
            continue
        for spec in inst.columns:
            if spec.dtype in ("int", "float"):
                if spec.hi is not None and math.isfinite(spec.hi):
                    out.append((inst.name, spec.name, spec.hi + 1))
                if spec.lo is not None and math.isfinite(spec.lo):
                    out.append((inst.name, spec.name, spec.lo - 1))
                out.append((inst.name, spec.name, "abc"))
            elif spec.dtype == "bool":
                out.append((inst.name, spec.name, "maybe"))
    return out


def _failures(call: object) -> tuple[list[tuple[str, str, str]], str] | None:
    try:
        call()  # type: ignore[operator]
    except SSCOutcomesError as exc:
        cases = exc.failure_cases
        listed = (
            []
            if cases is None
            else sorted(map(tuple, cases[["row", "column", "reason"]].astype(str).to_numpy()))
        )
        return listed, type(exc).__name__
    return None


@pytest.mark.parametrize(("instrument", "column", "value"), _cases())
def test_validate_and_the_frame_face_refuse_the_same_cell(
    instrument: str, column: str, value: object
) -> None:
    frame = _BASE.copy()
    if column not in frame.columns:
        frame[column] = pd.Series([None] * len(frame), dtype=object)
    else:
        frame[column] = frame[column].astype(object)
    frame.loc[0, column] = value
    inst = INSTRUMENTS[instrument]
    assert inst.score is not None
    from_validate = _failures(lambda: ssc.validate_visits(frame))
    from_score = _failures(lambda: inst.score(frame))  # type: ignore[misc]
    assert from_score is not None, f"{instrument} accepts {column} = {value!r}"
    assert from_validate == from_score


def test_a_recorded_total_that_disagrees_with_its_sites_is_refused_by_both() -> None:
    frame = _BASE.assign(mrss=np.where(np.arange(len(_BASE)) == 0, 50, np.nan))
    message = "disagrees with the sum of the 17 site grades"
    with pytest.raises(SSCOutcomesError, match=message):
        ssc.score_mrss(frame)
    with pytest.raises(SSCOutcomesError, match=message):
        ssc.validate_visits(frame)
