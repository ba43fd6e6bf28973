"""An instrument as a declaration: the one description from which the rest is derived.

An :class:`Instrument` says what an instrument (a measure such as the skin score, or a
composite index) reads and writes: its canonical columns (:class:`ColumnSpec`, the only
place a column is declared), the column prefixes it owns, the record class of its object
face and the :class:`~sscoutcomes.cohort.patient.Visit` field that holds it, its array
kernel, its frame face, the columns that frame face writes, its responder definitions and
its primary references. :mod:`sscoutcomes.registry` collects the declarations in one
registry; the schema's column groups, ``Visit``'s measures, :func:`score_visits`,
``RESPONDER_DEFINITIONS``, the report's scoring step and the simulator's columns are all
derived from it.

:func:`score_frame` is the one frame path every ``score_*`` function is a thin call of: it
accepts a visits frame or a :class:`~sscoutcomes.Cohort`, refuses what no scorer can read
(not a frame, duplicated column names, a duplicated index), never modifies the input and
returns a DataFrame aligned to the input's index.

Examples
--------
>>> from sscoutcomes.measures.skin import SKIN
>>> SKIN.name, SKIN.outputs, SKIN.field
('skin', ('mrss',), 'skin')
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

import attrs
import pandas as pd

from .._response import ResponderDefinition
from .._validation import ColumnSpec, as_pandas, unique_columns
from ..errors import SchemaError

__all__ = [
    "FrameScorer",
    "Instrument",
    "RecordClass",
    "as_visits_frame",
    "frame_face",
    "score_frame",
]

_P = ParamSpec("_P")
_R = TypeVar("_R")


#: The frame face of an instrument -- ``score(visits, **options) -> DataFrame``.
FrameScorer = Callable[..., pd.DataFrame]


class RecordClass(Protocol):
    """A measure class: ``from_record(record) -> instance | None``."""

    def from_record(self, record: Any, /) -> Any: ...


def _names(value: Any) -> tuple[str, ...]:
    return tuple(value)


def _specs(value: Any) -> tuple[ColumnSpec, ...]:
    return tuple(value)


def _definitions(value: Any) -> tuple[ResponderDefinition, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Instrument:
    """The declaration of one instrument (a measure or a composite index).

    Attributes
    ----------
    name : str
        Short name, unique in the registry (``"skin"``, ``"haq"``); also the name of its
        column group in the schema table.
    title : str
        What a reader calls it (``"modified Rodnan skin score"``).
    columns : tuple of ColumnSpec
        The canonical visits-frame columns it owns (its inputs, and recorded totals). Every
        column is declared by exactly one instrument.
    prefixes : tuple of str
        Column prefixes it owns: a column starting with one of them that is not a canonical
        name is a misspelling and raises :class:`~sscoutcomes.errors.SchemaError`.
    score : callable or None
        The frame face, ``score(visits, **options) -> DataFrame`` (a function decorated with
        :func:`~sscoutcomes.measures._instrument.frame_face`, e.g.
        :func:`~sscoutcomes.score_mrss`): reads the instrument's
        columns through their specs, calls :attr:`kernel` and returns the :attr:`outputs`
        aligned to ``visits.index``. ``None`` for an instrument with nothing to compute.
    kernel : callable or None
        The one array function that computes the score (e.g.
        :func:`~sscoutcomes.measures.skin.mrss_total`); the object face and :attr:`score`
        both call it.
    outputs : tuple of str
        The columns :attr:`score` writes.
    triggers : tuple of str
        The columns whose presence makes :func:`~sscoutcomes.score_visits` run
        :attr:`score`; all of :attr:`columns` when not given.
    record : type or None
        The object face (e.g. :class:`~sscoutcomes.SkinScore`), with ``to_record()`` and
        ``from_record(record)``; ``None`` when the instrument has none.
    field : str or None
        The :class:`~sscoutcomes.Visit` field holding :attr:`record`.
    responders : tuple of ResponderDefinition
        The published responder definitions built on the instrument.
    references : tuple of str
        Primary references (with DOI).
    in_score_visits : bool
        Whether :func:`~sscoutcomes.score_visits` adds the outputs (default). False for
        recorded values only validated by their frame face (the global assessments) and for
        composite indices computed on request (:func:`~sscoutcomes.score_medsger`, ...).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes._validation import ColumnSpec
    >>> from sscoutcomes.measures._instrument import Instrument, score_frame
    >>> def double(visits):
    ...     return pd.DataFrame({"toy_double": 2 * visits["toy"]}, index=visits.index)
    >>> toy = Instrument(name="toy", title="a toy score", outputs=("toy_double",),
    ...                  columns=(ColumnSpec(name="toy", dtype="float", lo=0, hi=5,
    ...                                      description="a toy input"),),
    ...                  score=double)
    >>> score_frame(toy, pd.DataFrame({"toy": [1.0, 2.5]}))["toy_double"].tolist()
    [2.0, 5.0]
    """

    name: str
    title: str
    columns: tuple[ColumnSpec, ...] = attrs.field(converter=_specs, default=())
    prefixes: tuple[str, ...] = attrs.field(converter=_names, default=())
    score: FrameScorer | None = None
    kernel: Callable[..., Any] | None = None
    outputs: tuple[str, ...] = attrs.field(converter=_names, default=())
    triggers: tuple[str, ...] = attrs.field(converter=_names, default=())
    record: RecordClass | None = None
    field: str | None = None
    responders: tuple[ResponderDefinition, ...] = attrs.field(converter=_definitions, default=())
    references: tuple[str, ...] = attrs.field(converter=_names, default=())
    in_score_visits: bool = True

    def __attrs_post_init__(self) -> None:
        if (self.record is None) != (self.field is None):
            raise SchemaError(f"instrument {self.name!r}: give both record and field, or neither")
        if self.score is None and self.outputs:
            raise SchemaError(f"instrument {self.name!r} declares outputs but no score function")

    @property
    def trigger_columns(self) -> frozenset[str]:
        """The columns that make :func:`~sscoutcomes.score_visits` score this instrument."""
        return frozenset(self.triggers or (spec.name for spec in self.columns))

    def spec(self, name: str) -> ColumnSpec:
        """The :class:`ColumnSpec` of one of the instrument's columns.

        Composite indices read their inputs through the owner's spec, so that a column has
        one range and one unit everywhere.

        Examples
        --------
        >>> from sscoutcomes.measures.skin import SKIN
        >>> SKIN.spec("mrss").range_text
        '0..51'
        """
        for spec in self.columns:
            if spec.name == name:
                return spec
        raise SchemaError(f"{name!r} is not a column of the instrument {self.name!r}")


def as_visits_frame(visits: Any, what: str = "visits frame") -> pd.DataFrame:
    """The visits frame of ``visits``: a DataFrame as it is (a polars or pyarrow table
    converted with its ``to_pandas()``), a Cohort's ``visits``.

    Raises :class:`SchemaError` for anything else, for duplicated column names and for a
    duplicated index (a result could not be aligned to its rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures._instrument import as_visits_frame
    >>> as_visits_frame([1, 2])
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.SchemaError: the visits frame must be a pandas DataFrame or a Cohort; ...
    """
    frame = visits = as_pandas(visits)  # polars / pyarrow tables read as pandas
    if not isinstance(frame, pd.DataFrame):
        inner = getattr(visits, "visits", None)
        if not isinstance(inner, pd.DataFrame):
            raise SchemaError(
                f"the {what} must be a pandas DataFrame or a Cohort; got {type(visits).__name__}"
            )
        frame = inner
    unique_columns(frame, what)
    if not frame.index.is_unique:
        shown = frame.index[frame.index.duplicated()].unique().tolist()[:5]
        raise SchemaError(
            f"the {what} has a duplicated index ({', '.join(map(repr, shown))}); results are "
            "aligned to the rows by index: give each row its own label (reset_index())"
        )
    return frame


def frame_face(
    score: Callable[Concatenate[pd.DataFrame, _P], _R],
) -> Callable[Concatenate[Any, _P], _R]:
    """Make ``score(frame, **options)`` a frame face: the one frame path of every
    ``score_*`` function.

    The face accepts a visits frame or a :class:`~sscoutcomes.Cohort`, refuses what no
    scorer can read (:func:`as_visits_frame`: not a frame, duplicated column names, a
    duplicated index) and hands ``score`` the frame; ``score`` reads its columns through
    their specs, calls the instrument's kernel and returns a DataFrame aligned to the
    index. The input is never modified.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures._instrument import frame_face
    >>> @frame_face
    ... def score_toy(visits):
    ...     return pd.DataFrame({"toy_double": 2 * visits["toy"]}, index=visits.index)
    >>> score_toy(pd.DataFrame({"toy": [1.0]}, index=["a"]))["toy_double"].tolist()
    [2.0]
    >>> score_toy(pd.DataFrame({"toy": [1.0, 2.0]}, index=["a", "a"]))
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.SchemaError: the visits frame has a duplicated index ('a'); ...
    """

    @functools.wraps(score)
    def face(visits: Any, /, *args: _P.args, **options: _P.kwargs) -> _R:
        return score(as_visits_frame(visits), *args, **options)

    return face


def score_frame(instrument: Instrument, visits: Any, **options: Any) -> pd.DataFrame:
    """Score one instrument over a visits frame (or a Cohort) through its frame face.

    Parameters
    ----------
    instrument : Instrument
        The declaration.
    visits : pandas.DataFrame or Cohort
        One row per visit, canonical columns. Not modified.
    **options
        Passed to the instrument's :attr:`~Instrument.score` (e.g. ``min_categories``).

    Returns
    -------
    pandas.DataFrame
        The instrument's :attr:`~Instrument.outputs`, aligned to the visits' index.

    Raises
    ------
    SchemaError
        ``visits`` is not a frame or a Cohort, has duplicated column names or index labels,
        or the instrument's own checks fail; the instrument has no frame face.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures._instrument import score_frame
    >>> from sscoutcomes.measures.skin import SKIN
    >>> score_frame(SKIN, pd.DataFrame({"mrss": [12, None]}))["mrss"].tolist()
    [12.0, nan]
    """
    if instrument.score is None:
        raise SchemaError(f"instrument {instrument.name!r} has nothing to score")
    return instrument.score(visits, **options)
