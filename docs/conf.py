"""Sphinx configuration for sscoutcomes."""

from __future__ import annotations

import doctest

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
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path: list[str] = ["_static"]
