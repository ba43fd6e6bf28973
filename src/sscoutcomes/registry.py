"""The registry of instruments: one line per instrument, everything else derived from it.

:data:`INSTRUMENTS` lists every :class:`~sscoutcomes.measures._instrument.Instrument`
declaration, in documentation order. The schema's column groups
(:func:`~sscoutcomes.schema_table`, :func:`~sscoutcomes.validate_visits`),
:class:`~sscoutcomes.Visit`'s measure fields, :func:`~sscoutcomes.score_visits`,
:data:`~sscoutcomes.RESPONDER_DEFINITIONS`, the report's scoring step and the simulator's
columns are all read from here.

Adding an instrument is: its module (columns, kernel, object, frame face and the
declaration), one line in :data:`INSTRUMENTS`, its tests and its docs page.
:func:`register` adds one at run time (a study's own score); the schema, the scoring and
the responder definitions see it at once. :class:`~sscoutcomes.Visit` is a class built at
import, so an instrument registered later has no ``Visit`` field: its columns pass through
``Visit.extra``.

Examples
--------
>>> from sscoutcomes.registry import INSTRUMENTS
>>> list(INSTRUMENTS)[:3]
['skin', 'haq', 'shaq']
>>> INSTRUMENTS["skin"].outputs
('mrss',)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final

from ._response import ResponderDefinition
from .errors import SchemaError
from .indices.activity import ACTIVITY
from .indices.criss import CRISS_INSTRUMENT
from .indices.severity import SEVERITY
from .measures._instrument import Instrument
from .measures.events import EVENTS
from .measures.globals import GLOBALS
from .measures.haq import HAQ_INSTRUMENT
from .measures.heart import ECHO
from .measures.lung import LUNG_IMAGING, PULMONARY_FUNCTION
from .measures.scleroid import SCLEROID
from .measures.shaq import SHAQ_INSTRUMENT
from .measures.skin import SKIN
from .measures.vascular import VASCULAR

__all__ = [
    "INSTRUMENTS",
    "Instrument",
    "instruments",
    "register",
    "registered",
    "responder_definitions",
    "unregister",
]

_REGISTRY: dict[str, Instrument] = {
    instrument.name: instrument
    for instrument in (
        SKIN,
        HAQ_INSTRUMENT,
        SHAQ_INSTRUMENT,
        GLOBALS,
        SCLEROID,
        PULMONARY_FUNCTION,
        LUNG_IMAGING,
        ECHO,
        VASCULAR,
        EVENTS,
        SEVERITY,
        ACTIVITY,
        CRISS_INSTRUMENT,
    )
}

#: Every registered instrument by name, in documentation order (a read-only live view).
INSTRUMENTS: Final[Mapping[str, Instrument]] = MappingProxyType(_REGISTRY)

#: The instruments in the registry when the package was imported (``Visit``'s fields).
BUILT_IN: Final[tuple[Instrument, ...]] = tuple(_REGISTRY.values())


def instruments() -> tuple[Instrument, ...]:
    """The registered instruments, in order.

    Examples
    --------
    >>> from sscoutcomes.registry import instruments
    >>> instruments()[0].title
    'modified Rodnan skin score'
    """
    return tuple(_REGISTRY.values())


def _owners() -> dict[str, str]:
    return {spec.name: inst.name for inst in _REGISTRY.values() for spec in inst.columns}


def register(instrument: Instrument) -> Instrument:
    """Add an instrument to the registry (at the end) and return it.

    Raises
    ------
    SchemaError
        Not an :class:`Instrument`; its name is taken; one of its columns is declared by
        another instrument (a column is declared once); one of its responder definitions
        has the name of another.

    Examples
    --------
    >>> from sscoutcomes._validation import ColumnSpec
    >>> from sscoutcomes.registry import Instrument, register, unregister
    >>> toy = register(Instrument(name="toy", title="a toy", columns=(
    ...     ColumnSpec(name="toy_score", dtype="float", lo=0, hi=1, description="toy"),)))
    >>> from sscoutcomes import schema_table
    >>> "toy_score" in schema_table()["name"].tolist()
    True
    >>> unregister("toy")
    """
    if not isinstance(instrument, Instrument):
        raise SchemaError(f"register() takes an Instrument; got {type(instrument).__name__}")
    if instrument.name in _REGISTRY:
        raise SchemaError(f"an instrument named {instrument.name!r} is already registered")
    owners = _owners()
    owners.update({"patient_id": "identity", "day": "identity", "date": "identity"})
    clashes = [f"{s.name!r} ({owners[s.name]})" for s in instrument.columns if s.name in owners]
    if clashes:
        raise SchemaError(
            f"instrument {instrument.name!r} declares column(s) already declared by another "
            f"instrument: {', '.join(clashes)}"
        )
    taken = responder_definitions()
    for definition in instrument.responders:
        if definition.name in taken:
            raise SchemaError(
                f"instrument {instrument.name!r}: responder definition {definition.name!r} "
                "is already defined"
            )
    _REGISTRY[instrument.name] = instrument
    return instrument


def unregister(name: str) -> None:
    """Remove an instrument registered with :func:`register` (built-ins stay).

    Examples
    --------
    >>> from sscoutcomes.registry import unregister
    >>> unregister("skin")
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.SchemaError: 'skin' is built in and cannot be removed
    """
    if any(inst.name == name for inst in BUILT_IN):
        raise SchemaError(f"{name!r} is built in and cannot be removed")
    if name not in _REGISTRY:
        raise SchemaError(f"no instrument named {name!r} is registered")
    del _REGISTRY[name]


@contextlib.contextmanager
def registered(instrument: Instrument) -> Iterator[Instrument]:
    """Register ``instrument`` for the duration of a ``with`` block.

    Examples
    --------
    >>> from sscoutcomes._validation import ColumnSpec
    >>> from sscoutcomes.registry import INSTRUMENTS, Instrument, registered
    >>> toy = Instrument(name="toy", title="a toy", columns=(
    ...     ColumnSpec(name="toy_score", dtype="float", lo=0, hi=1, description="toy"),))
    >>> with registered(toy):
    ...     "toy" in INSTRUMENTS
    True
    >>> "toy" in INSTRUMENTS
    False
    """
    register(instrument)
    try:
        yield instrument
    finally:
        unregister(instrument.name)


def responder_definitions() -> dict[str, ResponderDefinition]:
    """Every registered instrument's responder definitions by name, in registry order.

    Examples
    --------
    >>> from sscoutcomes.registry import responder_definitions
    >>> "criss" in responder_definitions()
    True
    """
    return {d.name: d for inst in _REGISTRY.values() for d in inst.responders}
