"""``import sscoutcomes`` stays light: heavy modules load only in the functions using them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sscoutcomes

HEAVY = ("scipy", "matplotlib", "statsmodels")

_PRINT_LOADED = "import sys; print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"


def _top_level_modules(code: str) -> set[str]:
    """The top-level modules loaded after running ``code`` in a fresh interpreter that
    imports this checkout's sscoutcomes (whatever the installed copy is)."""
    src = str(Path(sscoutcomes.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([src, *filter(None, [env.get("PYTHONPATH")])])
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return set(out.stdout.split())


def test_import_loads_no_heavy_module() -> None:
    loaded = _top_level_modules("import sscoutcomes; " + _PRINT_LOADED)
    assert "sscoutcomes" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded.intersection(HEAVY))


@pytest.mark.parametrize(
    "call",
    [
        "sscoutcomes.proportion_ci(3, 10)",
        "sscoutcomes.paired_change([1.0, 2.0, 4.0], [2.0, 3.5, 4.5])",
        "sscoutcomes.kaplan_meier([1.0, 2.0, 3.0], [1, 0, 1])",
        "sscoutcomes.table_one(sscoutcomes.load_demo(), by='subset', pvalues=True)",
    ],
)
def test_functions_using_scipy_import_it_themselves(call: str) -> None:
    # the check above is only meaningful if the lazy imports are where they are needed
    loaded = _top_level_modules(f"import sscoutcomes; {call}; {_PRINT_LOADED}")
    assert "scipy" in loaded


def test_table_one_without_pvalues_needs_no_scipy() -> None:
    loaded = _top_level_modules(
        "import sscoutcomes; sscoutcomes.table_one(sscoutcomes.load_demo(), by='subset'); "
        + _PRINT_LOADED
    )
    assert "scipy" not in loaded
