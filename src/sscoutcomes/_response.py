"""Three-valued responder definitions (responder / non-responder / not evaluable).

The core type lives here, below the measures, so each measure module can define its own
published definitions; :mod:`sscoutcomes.analysis.responders` re-exports it and collects the
built-ins into :data:`~sscoutcomes.analysis.responders.RESPONDER_DEFINITIONS`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from ._validation import as_float_array, broadcast_together, labelled_categorical
from .errors import SchemaError

__all__ = [
    "CODE_NON_RESPONDER",
    "CODE_NOT_EVALUABLE",
    "CODE_RESPONDER",
    "ResponderDefinition",
    "Response",
    "response_codes",
]

FloatArray = npt.NDArray[np.float64]
CodeArray = npt.NDArray[np.int8]
Inputs = Mapping[str, FloatArray]
Rule = Callable[[Inputs, Inputs], CodeArray]

CODE_RESPONDER = np.int8(1)
CODE_NON_RESPONDER = np.int8(0)
CODE_NOT_EVALUABLE = np.int8(-1)


#: Why a result at a timepoint is not evaluable when its follow-up value is missing, by
#: follow-up status (the ``reason`` of responder and index results).
STATUS_REASONS: Final[dict[str, str]] = {
    "died": "died before the window",
    "lost to follow-up": "lost to follow-up before the window",
    "not yet due": "not yet due at the data cut-off",
}


class Response(enum.Enum):
    """Outcome of a responder definition for one patient.

    Missing data is never a non-response by accident: a patient whose inputs the rule cannot
    evaluate is ``NOT_EVALUABLE``.

    Examples
    --------
    >>> from sscoutcomes import Response
    >>> Response.RESPONDER.value
    'responder'
    >>> Response.from_code(-1)
    <Response.NOT_EVALUABLE: 'not evaluable'>
    """

    RESPONDER = "responder"
    NON_RESPONDER = "non-responder"
    NOT_EVALUABLE = "not evaluable"

    @property
    def code(self) -> int:
        """Integer code used in arrays -- 1 responder, 0 non-responder, -1 not evaluable."""
        return {"responder": 1, "non-responder": 0, "not evaluable": -1}[self.value]

    @classmethod
    def from_code(cls, code: int) -> Response:
        """The response for an integer code (1, 0 or -1)."""
        try:
            return {1: cls.RESPONDER, 0: cls.NON_RESPONDER, -1: cls.NOT_EVALUABLE}[int(code)]
        except KeyError:
            raise ValueError(f"response code {code!r} is not one of 1, 0, -1") from None


#: Category labels, in code order -1, 0, 1.
RESPONSE_LABELS: tuple[str, str, str] = ("not evaluable", "non-responder", "responder")


def response_codes(responder: npt.ArrayLike, evaluable: npt.ArrayLike) -> CodeArray:
    """Combine a responder mask and an evaluable mask into int8 codes (1 / 0 / -1).

    Examples
    --------
    >>> from sscoutcomes._response import response_codes
    >>> response_codes([True, False, True], [True, True, False])
    array([ 1,  0, -1], dtype=int8)
    """
    r = np.asarray(responder, dtype=bool)
    e = np.asarray(evaluable, dtype=bool)
    return np.where(e, r.astype(np.int8), CODE_NOT_EVALUABLE).astype(np.int8)


def codes_to_categorical(codes: npt.ArrayLike) -> pd.Categorical:
    """Turn int8 response codes into a categorical with the three response labels."""
    c = np.asarray(codes, dtype=np.int8)
    return labelled_categorical(c.astype(np.int64) + 1, RESPONSE_LABELS)


def _as_inputs(value: Any, measures: tuple[str, ...], which: str) -> dict[str, FloatArray]:
    """Normalise a scalar, an array or a mapping of them into a mapping of float arrays."""
    if isinstance(value, Mapping):
        missing = [m for m in measures if m not in value]
        if missing:
            raise SchemaError(
                f"{which} lacks {', '.join(map(repr, missing))}; this definition needs "
                f"{', '.join(map(repr, measures))}"
            )
        items = {m: value[m] for m in measures}
    elif len(measures) == 1:
        items = {measures[0]: value}
    else:
        raise SchemaError(
            f"{which} must be a mapping with keys {', '.join(map(repr, measures))} "
            f"for a definition on several measures"
        )
    return {key: as_float_array(v, f"{which} {key!r}") for key, v in items.items()}


def _text_field(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise SchemaError(f"{attribute.name} = {value!r} must be text")


def _measures(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (tuple, list)) or not all(isinstance(m, str) for m in value):
        raise SchemaError(f"measures = {value!r} must be column names (text)")
    if not value:
        raise SchemaError("measures is empty: a definition reads at least one column")
    return tuple(value)


@attrs.frozen(kw_only=True)
class ResponderDefinition:
    """A published (or user-defined) responder, progression or improvement rule.

    Parameters
    ----------
    name : str
        Short unique name; names the variant (thresholds) used, e.g.
        ``"mrss_improvement_5pt"``.
    measures : tuple of str
        Canonical column names the rule reads from baseline and follow-up
        (e.g. ``("mrss",)``, or ``("fvc_pct_predicted", "dlco_pct_predicted")``).
    reference : str
        Primary reference with DOI.
    description : str
        The rule in words, as applied.
    rule : callable
        ``rule(baseline, follow_up) -> int8 codes`` over mappings of float arrays
        (NaN = missing); the single vectorized implementation.
    provisional : bool
        True when the spec marks the rule as not settled in the sources.
    target_day, window_days : int or None
        The follow-up time the rule was published for (e.g. 365 +/- 60 days), a default
        for schedule-based evaluation.
    parameters : mapping
        The thresholds the rule was built with (for reports).
    eligibility : str, optional
        Who the rule can evaluate beyond having the values, in words (e.g. ``"baseline
        mrss >= 7"``): the reason given for a patient whose values are all present but whose
        result is not evaluable (:func:`~sscoutcomes.analysis.rates.responder_rates`).

    Examples
    --------
    >>> from sscoutcomes import RESPONDER_DEFINITIONS
    >>> rule = RESPONDER_DEFINITIONS["mrss_improvement_5pt"]
    >>> rule.evaluate(20, 14)
    <Response.RESPONDER: 'responder'>
    >>> rule.evaluate(20, None)
    <Response.NOT_EVALUABLE: 'not evaluable'>
    """

    name: str = attrs.field(validator=_text_field)
    measures: tuple[str, ...] = attrs.field(converter=_measures)
    reference: str = attrs.field(validator=_text_field)
    description: str = attrs.field(validator=_text_field)
    rule: Rule = attrs.field(repr=False, eq=False)
    provisional: bool = False
    target_day: int | None = None
    window_days: int | None = None
    parameters: Mapping[str, object] = attrs.field(factory=dict, eq=False)
    eligibility: str | None = None

    def __attrs_post_init__(self) -> None:
        if not callable(self.rule):
            raise SchemaError(f"rule = {self.rule!r} must be a function of (baseline, follow_up)")

    def codes(self, baseline: Any, follow_up: Any) -> CodeArray:
        """Vectorized evaluation: int8 codes 1 (responder), 0 (non-responder), -1 (not
        evaluable), broadcast over the inputs.

        Examples
        --------
        >>> from sscoutcomes import RESPONDER_DEFINITIONS
        >>> RESPONDER_DEFINITIONS["mrss_improvement_5pt"].codes([20, 20, 0], [14, 18, None])
        array([ 1,  0, -1], dtype=int8)
        """
        b = _as_inputs(baseline, self.measures, "baseline")
        f = _as_inputs(follow_up, self.measures, "follow_up")
        names = list(self.measures)
        together = broadcast_together(
            "baseline and follow_up", *(b[m] for m in names), *(f[m] for m in names)
        )
        b = dict(zip(names, together[: len(names)], strict=True))
        f = dict(zip(names, together[len(names) :], strict=True))
        return np.asarray(self.rule(b, f), dtype=np.int8)

    def evaluate_many(self, baseline: Any, follow_up: Any) -> pd.Categorical:
        """Vectorized evaluation as a categorical of ``"responder"``, ``"non-responder"``
        and ``"not evaluable"``.

        Examples
        --------
        >>> from sscoutcomes import RESPONDER_DEFINITIONS
        >>> rule = RESPONDER_DEFINITIONS["mrss_improvement_5pt"]
        >>> list(rule.evaluate_many([20, 20], [14, 18]))
        ['responder', 'non-responder']
        """
        return codes_to_categorical(np.atleast_1d(self.codes(baseline, follow_up)))

    def evaluate(self, baseline: Any, follow_up: Any) -> Response:
        """Evaluate one patient: a :class:`Response`.

        ``baseline`` and ``follow_up`` are numbers (``None`` = missing) for a rule on one
        measure, or mappings from measure name to number.
        """
        codes = np.atleast_1d(self.codes(baseline, follow_up))
        if codes.size != 1:
            raise SchemaError(
                f"evaluate() takes one patient; got {codes.size} values (use codes() or "
                f"evaluate_many() for arrays)"
            )
        return Response.from_code(int(codes[0]))
