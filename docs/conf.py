"""Sphinx configuration for sscoutcomes."""

from __future__ import annotations

import doctest
import importlib
import zlib
from pathlib import Path
from typing import Any

from sphinx.ext.intersphinx import missing_reference as intersphinx_missing_reference

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
# numpydoc type strings ("DataFrame, optional", "{'a', 'b'}, default 'a'") become links,
# with "optional", "default ..." and value sets rendered as text instead of class names.
# No key may be a name the annotations use (pd.*, np.*, Mapping, Path, Axes): napoleon merges
# these aliases into autodoc_type_aliases, which then garbles those annotations.
napoleon_preprocess_types = True
napoleon_type_aliases = {
    "DataFrame": "pandas.DataFrame",
    "Series": "pandas.Series",
    "Categorical": "pandas.Categorical",
    "ndarray": "numpy.ndarray",
    "array": "numpy.ndarray",
    "dtype": "numpy.dtype",
    "array_like": ":term:`array_like <numpy:array_like>`",
    "array-like": ":term:`array-like <numpy:array_like>`",
    "path-like": ":term:`path-like <python:path-like object>`",
    "path": ":term:`path <python:path-like object>`",
    "PathLike": "os.PathLike",
    "date": "datetime.date",
    "callable": ":func:`callable`",
    "iterable": ":class:`iterable <collections.abc.Iterable>`",
    "sequence": ":class:`sequence <collections.abc.Sequence>`",
    "mapping": ":class:`mapping <collections.abc.Mapping>`",
}
# nitpicky (-n) references that have no target anywhere, on purpose:
nitpick_ignore_regex = [
    # the parts of numpy.typing.ArrayLike once autodoc expands the annotation (private
    # numpy classes, documented nowhere); autodoc_type_aliases cannot keep the alias name
    # here: it breaks the evaluation of the other npt.* annotations of the same signature
    ("py:class", r"numpy\._typing\..*"),
    # the ParamSpec and TypeVar of the frame_face decorator's signature
    ("py:class", r"(~|.*\.)?_[PR]"),
    # the private Protocol in the annotation of VISIT_MEASURES (a measure class)
    ("py:class", r"sscoutcomes\.cohort\.patient\._MeasureType"),
]

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


# --- references to sscoutcomes' own objects -------------------------------------------
# The docs name objects the way users import them (sscoutcomes.Cohort, score_visits); the
# API pages document each under its defining module (sscoutcomes.cohort.cohort.Cohort).
# A reference that Sphinx cannot find is looked up as a Python object (as written, under
# sscoutcomes, or in the referring module, class or the class's defining module) and
# resolved to the documented name of that same object; references to objects documented
# nowhere still warn.
_MISSING = object()
_documented: dict[int, tuple[object, str]] = {}


def _lookup(path: str) -> object:
    """The object a dotted path names (a module, then attributes), or _MISSING."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        except Exception:
            return _MISSING
        for attribute in parts[cut:]:
            obj = getattr(obj, attribute, _MISSING)
            if obj is _MISSING:
                return _MISSING
        return getattr(obj, "__func__", obj)  # a classmethod's function
    return _MISSING


def _preference(name: str) -> tuple[int, int]:
    """Of two documented names of one object, the public one (then the shorter) wins."""
    return sum(part.startswith("_") for part in name.split(".")), len(name)


def _documented_names(env: Any) -> dict[int, tuple[object, str]]:
    """id(object) -> (object, the name it is documented under)."""
    if not _documented:
        for name in sorted(env.get_domain("py").objects):
            obj = _lookup(name)
            if obj is _MISSING or obj is None or isinstance(obj, (bool, int, float, str)):
                continue
            seen = _documented.get(id(obj))
            if seen is None or _preference(name) < _preference(seen[1]):
                _documented[id(obj)] = (obj, name)
    return _documented


def _resolve_public_name(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py" or node["reftype"] == "mod":
        return None
    target = node["reftarget"].lstrip(".~")
    module, cls = node.get("py:module"), node.get("py:class")
    candidates = [target]
    if not target.startswith("sscoutcomes."):
        candidates.append(f"sscoutcomes.{target}")
    if module:
        candidates.append(f"{module}.{target}")
        if cls:
            candidates.append(f"{module}.{cls}.{target}")
            # a class documented where it is re-exported: its defining module's names too
            defined_in = getattr(_lookup(f"{module}.{cls}"), "__module__", None)
            if isinstance(defined_in, str) and defined_in != module:
                candidates.append(f"{defined_in}.{target}")
    documented = _documented_names(env)
    domain = env.get_domain("py")
    for candidate in candidates:
        obj = _lookup(candidate)
        name = documented[id(obj)][1] if id(obj) in documented else None
        if name is None or name == target:
            continue
        for reftype in (node["reftype"], "obj"):
            found = domain.resolve_xref(
                env, node["refdoc"], app.builder, reftype, name, node, contnode
            )
            if found is not None:
                return found
    return None


_MODULE_ALIASES = {"np": "numpy", "npt": "numpy.typing", "pd": "pandas"}
_TYPE_NAMES = {"Axes": "matplotlib.axes.Axes", "PathLike": "os.PathLike"}


def _resolve_class_as_any_type(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Type hints always make :py:class: references; numpy documents some types (sized
    scalar aliases, numpy.typing aliases) as data or attributes: look those up too."""
    if node.get("refdomain") != "py" or node["reftype"] != "class":
        return None
    retry = node.deepcopy()
    retry["reftype"] = "obj"
    # annotations that stay strings (imports under TYPE_CHECKING) keep the module alias
    module, _, rest = retry["reftarget"].partition(".")
    if rest and module in _MODULE_ALIASES:
        retry["reftarget"] = f"{_MODULE_ALIASES[module]}.{rest}"
    retry["reftarget"] = _TYPE_NAMES.get(retry["reftarget"], retry["reftarget"])
    return intersphinx_missing_reference(app, env, retry, contnode)


def _hide_private_bases(app: Any, name: str, obj: Any, options: Any, bases: list[Any]) -> None:
    """Drop bases from private modules from a class's "Bases:" line, except ResultMixin,
    which docs/api/results.rst documents (its to_dict and to_frame)."""
    from sscoutcomes._result import ResultMixin

    bases[:] = [
        base
        for base in bases
        if base is ResultMixin
        or not any(part.startswith("_") for part in getattr(base, "__module__", "").split("."))
        or getattr(sscoutcomes, base.__name__, None) is base
    ] or [object]  # as for a class without bases


def setup(app: Any) -> None:
    # before intersphinx validates the mapping (config-inited, priority 800)
    app.connect("config-inited", _write_fallback_inventories, priority=400)
    # after intersphinx's own missing-reference handler (priority 500)
    app.connect("missing-reference", _resolve_public_name, priority=600)
    app.connect("missing-reference", _resolve_class_as_any_type, priority=700)
    app.connect("autodoc-process-bases", _hide_private_bases)
