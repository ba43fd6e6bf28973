"""Every score is bit-identical to the values saved before the instrument-registry rewrite.

``make_golden.py`` (beside this file) computed the saved CSVs with the library as it was;
this test recomputes them with the library as it is and compares the CSV text, floats
written to 17 significant digits, so a change in any last bit fails.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from golden.make_golden import cohorts, results

HERE = Path(__file__).parent
_COHORTS = cohorts()


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
        assert _csv(frame) == expected, f"{cohort_name}: {name} differs from the saved result"
