"""The Dask recipe of the Performance page, run exactly as the page writes it."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest

import sscoutcomes as ssc

pytest.importorskip("dask.dataframe")

PAGE = Path(__file__).resolve().parents[1] / "docs" / "guide" / "performance.rst"


def _recipe() -> str:
    text = PAGE.read_text(encoding="utf-8").split("Larger than memory: Dask", 1)[1]
    block = re.search(r"\.\. code-block:: python\n\n((?:   .*\n|\n)+)", text)
    assert block is not None, "the Dask code block is missing from the Performance page"
    return "\n".join(line[3:] for line in block.group(1).splitlines())


def test_the_dask_recipe_joins_back_and_equals_pandas() -> None:
    namespace: dict[str, Any] = {}
    with warnings.catch_warnings():
        # dask may warn about its own configuration; the numbers are what is tested
        warnings.simplefilter("ignore")
        exec(compile(_recipe(), str(PAGE), "exec"), namespace)
    visits, scored = namespace["visits"], namespace["scored"]
    assert scored.index.equals(visits.index)
    expected = ssc.score_mrss(visits)["mrss"]
    assert scored["mrss"].equals(expected)
