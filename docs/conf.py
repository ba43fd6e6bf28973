"""Sphinx configuration for sscoutcomes."""

from __future__ import annotations

import doctest
import zlib
from pathlib import Path
from typing import Any

import sscoutcomes

project = "sscoutcomes"
author = "sscoutcomes developers"
copyright = "2026, sscoutcomes developers"
release = sscoutcomes.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "matplotlib.sphinxext.plot_directive",
]
plot_include_source = False
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]
autosummary_generate = False
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
napoleon_use_rtype = False

doctest_default_flags = (
    doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE | doctest.DONT_ACCEPT_TRUE_FOR_1
)
doctest_global_setup = """
import numpy as np
import pandas as pd
import sscoutcomes as ssc
"""
suppress_warnings = ["ref.python", "duplicate_declaration.py"]
exclude_patterns = ["_build", "_inventories"]
html_theme = "alabaster"
html_static_path: list[str] = ["_static"]

# --- links to other projects' docs ------------------------------------------------------
# Read the Docs (online) uses the live objects.inv of each project. CI builds offline with
# -n -W: there the remote fetch fails (after intersphinx_timeout seconds) and Sphinx falls
# back to the second location, logging only an info line. That fallback is compiled at
# build time from docs/_inventories/<project>.txt (plain text, committed): the objects these
# docs reference, with the URIs of each project's current docs layout.
_INVENTORY_SOURCES = Path(__file__).parent / "_inventories"
_INTERSPHINX_URLS = {
    "python": "https://docs.python.org/3/",
    "numpy": "https://numpy.org/doc/stable/",
    "pandas": "https://pandas.pydata.org/docs/",
    "scipy": "https://docs.scipy.org/doc/scipy/",
    "matplotlib": "https://matplotlib.org/stable/",
}
# the local paths are filled in by _write_fallback_inventories, before intersphinx reads them
intersphinx_mapping: dict[str, tuple[str, tuple[str | None, ...]]] = {
    name: (url, (None,)) for name, url in _INTERSPHINX_URLS.items()
}
intersphinx_timeout = 5


def _write_fallback_inventories(app: Any, config: Any) -> None:
    """Compile docs/_inventories/*.txt into objects.inv files under the doctree directory."""
    target = Path(app.doctreedir) / "intersphinx-fallback"
    target.mkdir(parents=True, exist_ok=True)
    mapping = dict(config.intersphinx_mapping)
    for name, url in _INTERSPHINX_URLS.items():
        lines = (_INVENTORY_SOURCES / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        body = "".join(f"{line}\n" for line in lines if line.strip() and not line.startswith("#"))
        header = (
            "# Sphinx inventory version 2\n"
            f"# Project: {name}\n"
            "# Version: \n"
            "# The remainder of this file is compressed using zlib.\n"
        )
        inventory = target / f"{name}.inv"
        inventory.write_bytes(header.encode() + zlib.compress(body.encode()))
        mapping[name] = (url, (None, str(inventory)))
    config.intersphinx_mapping = mapping


def setup(app: Any) -> None:
    # before intersphinx validates the mapping (config-inited, priority 800)
    app.connect("config-inited", _write_fallback_inventories, priority=400)
