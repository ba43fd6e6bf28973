"""The README's notebook snippet runs as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_notebook_snippet_runs_as_written(capsys: Any) -> None:
    text = README.read_text(encoding="utf-8").split("## In a notebook", 1)[1]
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block is not None, "the README has no python block under 'In a notebook'"
    namespace: dict[str, Any] = {}
    exec(compile(block.group(1), str(README), "exec"), namespace)
    printed = capsys.readouterr().out
    assert printed.strip(), "the snippet prints the report's results paragraph"
    assert len(namespace["report"].to_frame()) > 0
