"""Every score is bit-identical to the values saved before the instrument-registry rewrite.

``make_golden.py`` (beside this file) computed the saved CSVs with the library as it was;
this test recomputes them with the library as it is and compares the CSV text, floats
written to 17 significant digits, so a change in any last bit fails. Only the order of the
columns may differ (``score_visits`` adds the scores in registry order): the computed
columns are put in the saved order when they are the same set.

Bit for bit holds on the numpy, pandas and scipy versions the numbers were saved with
(``versions.json``). With other versions (the oldest-dependencies CI job) floats are
compared to a relative 1e-12 instead: scipy's p-values differ in their last bits between
releases. The report's t intervals (``lower``/``upper`` of its means) rest on scipy's t
quantile, which moves by a few 1e-11 between releases (scipy 1.13 and 1.17): they are
compared to a relative 1e-9 there.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from golden.make_golden import cohorts, results, versions

HERE = Path(__file__).parent
_COHORTS = cohorts()
_SAME_VERSIONS = json.loads((HERE / "versions.json").read_text()) == versions()


def _csv(frame: object) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, float_format="%.17g")  # type: ignore[attr-defined]
    return buffer.getvalue()


@pytest.mark.parametrize("cohort_name", sorted(_COHORTS))
def test_every_result_equals_the_saved_one(cohort_name: str) -> None:
    computed = results(_COHORTS[cohort_name])
    saved = sorted(p.stem.split("_", 1)[1] for p in HERE.glob(f"{cohort_name}_*.csv"))
    assert sorted(computed) == saved
    for name, frame in computed.items():
        expected = (HERE / f"{cohort_name}_{name}.csv").read_text()
        saved_columns = expected.split("\n", 1)[0].split(",")[1:]
        if set(saved_columns) == {str(c) for c in frame.columns}:
            frame = frame[saved_columns]
        text = _csv(frame)
        if _SAME_VERSIONS:
            assert text == expected, f"{cohort_name}: {name} differs from the saved result"
        else:
            _assert_close(text, expected, f"{cohort_name}: {name}")


#: Columns compared to a looser relative tolerance across library versions, and why: the t
#: quantile behind the report's mean intervals changes by ~2.5e-11 between scipy releases.
_QUANTILE_COLUMNS = {"report": {"lower", "upper"}}


def _assert_close(text: str, expected: str, what: str) -> None:
    got = pd.read_csv(io.StringIO(text), index_col=0)
    saved = pd.read_csv(io.StringIO(expected), index_col=0)
    assert list(got.columns) == list(saved.columns), what
    assert got.index.equals(saved.index), what
    loose = _QUANTILE_COLUMNS.get(what.split(": ", 1)[-1], set())
    for column in saved.columns:
        a, b = got[column], saved[column]
        if pd.api.types.is_float_dtype(b.dtype) and pd.api.types.is_float_dtype(a.dtype):
            rtol = 1e-9 if column in loose else 1e-12
            np.testing.assert_allclose(
                a, b, rtol=rtol, atol=0, equal_nan=True, err_msg=f"{what}: {column}"
            )
        else:
            assert a.astype(str).tolist() == b.astype(str).tolist(), f"{what}: {column}"
