"""Responder definitions: the three-valued :class:`ResponderDefinition` and the registry of
built-in, published definitions :data:`RESPONDER_DEFINITIONS` (name -> definition).

Each definition carries its primary reference; see the user guide pages of each measure.

Examples
--------
>>> from sscoutcomes import RESPONDER_DEFINITIONS
>>> RESPONDER_DEFINITIONS["mrss_progression_eustar"].evaluate(10, 17).value
'responder'
"""

from __future__ import annotations

from typing import Final

from .._response import ResponderDefinition, Response
from ..indices.criss import CRISS
from ..measures.haq import HAQ_RESPONDER_DEFINITIONS
from ..measures.lung import LUNG_RESPONDER_DEFINITIONS
from ..measures.skin import SKIN_RESPONDER_DEFINITIONS

__all__ = ["RESPONDER_DEFINITIONS", "ResponderDefinition", "Response"]

#: Built-in definitions by name. Each is a :class:`ResponderDefinition` with its reference.
RESPONDER_DEFINITIONS: Final[dict[str, ResponderDefinition]] = {
    **SKIN_RESPONDER_DEFINITIONS,
    **HAQ_RESPONDER_DEFINITIONS,
    **LUNG_RESPONDER_DEFINITIONS,
    CRISS.name: CRISS,
}
