"""In a Jupyter kernel the figures show, and later ``plt`` figures still do.

A notebook is executed headless with nbclient in a real IPython kernel with the kernel's
default (inline) backend: the Kaplan-Meier figure, the report's HTML and a later plain
``plt.plot`` must each leave their output in the notebook, and the backend must stay the
kernel's.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

CELLS = [
    "import matplotlib\nimport sscoutcomes as ssc\nfrom sscoutcomes.plot import plot_kaplan_meier\n"
    "backend = matplotlib.get_backend()\nprint(backend)",
    # a figure made by the library shows in the cell that made it
    "km = ssc.kaplan_meier([100, 400, 800, 1200, 300, 500], [1, 0, 1, 0, 1, 0],\n"
    "                      group=['a', 'a', 'a', 'b', 'b', 'b'])\n"
    "ax = plot_kaplan_meier(km, risk_times=[0, 1, 2, 3])",
    # the report draws its own figures for HTML without touching the kernel's backend
    "report = ssc.FollowUpReport(ssc.load_demo(), ssc.Schedule.years(0, 1))\n"
    "html = report.to_html()\n"
    "print('data:image/png;base64' in html, matplotlib.get_backend() == backend)",
    # and a later plain pyplot figure still shows
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3], [3, 1, 2])\nplt.title('later')",
]


def _outputs(cell: object) -> list[dict[str, object]]:
    return list(cell["outputs"])  # type: ignore[index]


def _has_png(cell: object) -> bool:
    return any("image/png" in out.get("data", {}) for out in _outputs(cell))  # type: ignore[union-attr]


def _stdout(cell: object) -> str:
    return "".join(str(o.get("text", "")) for o in _outputs(cell) if o.get("name") == "stdout")


def test_figures_show_in_a_headless_notebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a kernel spec of this interpreter (the one with sscoutcomes), found first
    spec = tmp_path / "kernels" / "sscoutcomes-test"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "sscoutcomes test", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    # the kernel chooses its own backend (inline) unless MPLBACKEND says otherwise: CI sets
    # MPLBACKEND=Agg for the rest of the suite, so the kernel starts without it
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    client = nbclient.NotebookClient(
        nb,
        timeout=180,
        kernel_name="sscoutcomes-test",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute(env=env)
    first, km_cell, report_cell, later = nb.cells
    assert "inline" in _stdout(first), _stdout(first)
    assert _has_png(km_cell), _outputs(km_cell)
    assert _stdout(report_cell).split() == ["True", "True"]
    assert _has_png(later), _outputs(later)
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in _outputs(c))
