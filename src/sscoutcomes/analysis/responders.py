"""Responder definitions: the three-valued :class:`ResponderDefinition` and the registry of
built-in, published definitions :data:`RESPONDER_DEFINITIONS` (name -> definition).

Each definition is declared by its instrument (:data:`sscoutcomes.registry.INSTRUMENTS`)
and carries its primary reference; see the user guide pages of each measure.
:data:`RESPONDER_DEFINITIONS` is a read-only live view of the registry: the definitions of
an instrument added with :func:`sscoutcomes.registry.register` appear in it.

Examples
--------
>>> from sscoutcomes import RESPONDER_DEFINITIONS
>>> RESPONDER_DEFINITIONS["mrss_progression_eustar"].evaluate(10, 17).value
'responder'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from .._response import ResponderDefinition, Response
from ..registry import responder_definitions

__all__ = ["RESPONDER_DEFINITIONS", "ResponderDefinition", "Response"]


class _Definitions(Mapping[str, ResponderDefinition]):
    """Every registered instrument's responder definitions, looked up when read."""

    def __getitem__(self, name: str) -> ResponderDefinition:
        return responder_definitions()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(responder_definitions())

    def __len__(self) -> int:
        return len(responder_definitions())

    def __repr__(self) -> str:
        return f"RESPONDER_DEFINITIONS({', '.join(self)})"


#: Built-in definitions by name. Each is a :class:`ResponderDefinition` with its reference.
RESPONDER_DEFINITIONS: Final[Mapping[str, ResponderDefinition]] = _Definitions()
