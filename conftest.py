"""Repository-level pytest configuration: skip the doctests of optional extras that are not
installed (the oldest-dependencies CI job installs only the runtime requirements)."""

from __future__ import annotations

import importlib.util

collect_ignore: list[str] = []
if importlib.util.find_spec("matplotlib") is None:
    collect_ignore.append("src/sscoutcomes/plot.py")
