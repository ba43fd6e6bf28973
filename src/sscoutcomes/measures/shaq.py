"""Scleroderma-HAQ visual analogue scales (SHAQ): six 15 cm lines (pain, Raynaud's
phenomenon, digital ulcers, gastrointestinal, breathing, overall severity), each mark mapped
to 0-3 (cm / 5) and reported beside the HAQ-DI.

One formula, one place: :func:`shaq_vas_score` is the only place a SHAQ line is mapped to
0-3; :class:`SHAQ` (one assessment) and :func:`score_shaq` (a visits frame) both call it.
Steen & Medsger report each scale; there is no composite.

References
----------
- Steen VD, Medsger TA Jr. The value of the Health Assessment Questionnaire and special
  patient-generated scales to demonstrate change in systemic sclerosis patients over time.
  Arthritis Rheum 1997;40:1984-91. PMID 9365087.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_float_array,
    as_record,
    check_number,
    check_unknown_prefixed,
    clean_value,
    float_column,
    require_any,
)
from ..errors import OutOfRangeError
from ._instrument import Instrument, frame_face
from .haq import HAQ_INSTRUMENT, score_haq

__all__ = [
    "SHAQ",
    "SHAQ_COLUMNS",
    "SHAQ_INSTRUMENT",
    "SHAQ_LINE_MM",
    "SHAQ_SCALES",
    "score_shaq",
    "shaq_vas_score",
]

FloatArray = npt.NDArray[np.float64]


#: The six SHAQ visual analogue scales (column ``shaq_<scale>_vas``, mm).
SHAQ_SCALES: Final[tuple[str, ...]] = (
    "pain",
    "raynauds",
    "digital_ulcers",
    "gi",
    "breathing",
    "overall",
)
_SHAQ_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "pain": "pain",
        "raynauds": "Raynaud's phenomenon",
        "digital_ulcers": "digital ulcers",
        "gi": "intestinal (gastrointestinal) problems",
        "breathing": "breathing problems",
        "overall": "overall disease severity",
    }
)
#: Length of the published SHAQ line (15 cm) and the 0-3 score it maps to (cm / 5).
SHAQ_LINE_MM: Final = 150
SHAQ_SCORE_MAX: Final = 3
_SHAQ_LINES: Final[tuple[int, ...]] = (150, 100)

#: Canonical visits-frame columns of the SHAQ (mm on the 150 mm line).
SHAQ_COLUMNS: Final[tuple[ColumnSpec, ...]] = tuple(
    ColumnSpec(
        name=f"shaq_{s}_vas",
        dtype="float",
        description=(
            f"SHAQ visual analogue scale, {_SHAQ_LABELS[s]}: mm from the left end of the "
            "15 cm line (0 none - 150 very severe)"
        ),
        unit="mm",
        lo=0,
        hi=SHAQ_LINE_MM,
    )
    for s in SHAQ_SCALES
)
_SHAQ_OUTPUT: Final[tuple[str, ...]] = tuple(f"shaq_{s}" for s in SHAQ_SCALES)


def _check_line(scale_mm: object) -> int:
    if type(scale_mm) not in (int, float, np.int64, np.float64) or scale_mm not in _SHAQ_LINES:
        raise OutOfRangeError(
            f"SHAQ scale_mm = {scale_mm!r} is not one of 150 (the published 15 cm line) or 100"
        )
    return SHAQ_LINE_MM if scale_mm == SHAQ_LINE_MM else 100


def shaq_vas_score(mm: npt.ArrayLike, *, scale_mm: int = SHAQ_LINE_MM) -> FloatArray | float:
    r"""Map a SHAQ visual analogue scale mark (mm) to its 0-3 score.

    Parameters
    ----------
    mm : float or array_like
        Distance of the mark from the left end of the line, in mm; NaN = not answered.
    scale_mm : {150, 100}
        Length of the line. The published SHAQ line is 15 cm (150 mm); give 100 explicitly for
        forms printed with a 10 cm line.

    Returns
    -------
    float or numpy.ndarray
        :math:`3 \cdot \text{mm} / L`, i.e. cm / 5 on the 15 cm line (Steen & Medsger 1997).

    Raises
    ------
    OutOfRangeError
        A mark outside 0..``scale_mm`` or an unsupported line length.

    Examples
    --------
    >>> from sscoutcomes.measures.shaq import shaq_vas_score
    >>> shaq_vas_score(75)
    1.5
    >>> shaq_vas_score(50, scale_mm=100)
    1.5
    """
    line = _check_line(scale_mm)
    a = as_float_array(mm, "mm")
    finite = a[~np.isnan(a)]
    if finite.size and (finite.min() < 0 or finite.max() > line):
        bad = finite[(finite < 0) | (finite > line)][0]
        raise OutOfRangeError(f"SHAQ VAS = {bad:g} is outside 0..{line} mm")
    out = a * (SHAQ_SCORE_MAX / line)
    return float(out) if out.ndim == 0 else out


def _line_validator(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
    _check_line(value)


def _vas_validator(label: str) -> Any:
    def validator(inst: SHAQ, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is None:
            return
        line = _check_line(inst.scale_mm)
        hint = "a 150 mm line? pass scale_mm=150" if line == 100 else None
        check_number(f"shaq {label} VAS", value, 0, line, unit="mm", hint=hint)

    return validator


@attrs.frozen(kw_only=True, slots=True)
class SHAQ:
    """The six Scleroderma-HAQ visual analogue scales of one questionnaire.

    Each VAS is a mark on a 15 cm line, given here in mm (0-150), scored 0-3 by linear
    scaling (cm / 5). Steen & Medsger report the HAQ-DI and each VAS separately, with no
    composite: use :attr:`scores` beside :attr:`HAQ.disability_index`.

    Parameters
    ----------
    scale_mm : {150, 100}
        Length of the line; 100 only for forms printed with a 10 cm line.
    pain, raynauds, digital_ulcers, gi, breathing, overall : float or None
        Marks in mm; ``None`` = not answered.

    Raises
    ------
    OutOfRangeError
        A mark outside 0..``scale_mm`` (named) or an unsupported line length.

    Notes
    -----
    Steen VD, Medsger TA Jr. Arthritis Rheum 1997;40:1984-91 (PMID 9365087).

    Examples
    --------
    >>> from sscoutcomes.measures.shaq import SHAQ
    >>> s = SHAQ(raynauds=90, digital_ulcers=15, pain=30)
    >>> s.scores["raynauds"], s.scores["digital_ulcers"], s.scores["gi"]
    (1.8, 0.3, None)
    >>> SHAQ(gi=160)
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.OutOfRangeError: shaq gi VAS = 160 is outside 0..150 mm
    """

    scale_mm: int = attrs.field(default=SHAQ_LINE_MM, validator=_line_validator)
    pain: float | None = attrs.field(default=None, validator=_vas_validator("pain"))
    raynauds: float | None = attrs.field(default=None, validator=_vas_validator("raynauds"))
    digital_ulcers: float | None = attrs.field(
        default=None, validator=_vas_validator("digital_ulcers")
    )
    gi: float | None = attrs.field(default=None, validator=_vas_validator("gi"))
    breathing: float | None = attrs.field(default=None, validator=_vas_validator("breathing"))
    overall: float | None = attrs.field(default=None, validator=_vas_validator("overall"))

    @property
    def marks_mm(self) -> dict[str, float | None]:
        """The raw marks in mm by scale name."""
        return {s: getattr(self, s) for s in SHAQ_SCALES}

    @property
    def scores(self) -> dict[str, float | None]:
        """Each VAS on 0-3 (``None`` where not answered); no composite."""
        out: dict[str, float | None] = {}
        for s in SHAQ_SCALES:
            v = getattr(self, s)
            out[s] = None if v is None else float(shaq_vas_score(v, scale_mm=self.scale_mm))
        return out

    def to_record(self) -> dict[str, float | None]:
        """Canonical columns ``shaq_<scale>_vas`` in mm on the 150 mm line.

        A mark on a 100 mm line is stored as the same fraction of the 150 mm line, so the
        0-3 score is kept.

        Examples
        --------
        >>> from sscoutcomes.measures.shaq import SHAQ
        >>> SHAQ(pain=40, scale_mm=100).to_record()["shaq_pain_vas"]
        60.0
        """
        factor = SHAQ_LINE_MM / self.scale_mm
        return {
            f"shaq_{s}_vas": None if (v := getattr(self, s)) is None else float(v) * factor
            for s in SHAQ_SCALES
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> SHAQ | None:
        """Rebuild from ``shaq_<scale>_vas`` columns (mm on the 150 mm line); ``None`` when
        none is present.

        Examples
        --------
        >>> from sscoutcomes.measures.shaq import SHAQ
        >>> SHAQ.from_record({"shaq_gi_vas": 45.0}).scores["gi"]
        0.9
        """
        record = as_record(record)
        marks: dict[str, Any] = {s: clean_value(record.get(f"shaq_{s}_vas")) for s in SHAQ_SCALES}
        if all(v is None for v in marks.values()):
            return None
        return cls(**marks)


@frame_face
def score_shaq(visits: pd.DataFrame, *, scale_mm: int = SHAQ_LINE_MM) -> pd.DataFrame:
    """The six SHAQ VAS scores (0-3) for every row, beside the HAQ-DI when the frame has it.

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit with ``shaq_<scale>_vas`` columns (mm) and optionally HAQ columns.
    scale_mm : {150, 100}
        Length of the line the marks were measured on (default: the published 150 mm).

    Returns
    -------
    pandas.DataFrame
        Aligned to ``visits.index``: ``haq_di`` (only when the frame has HAQ columns, scored
        as by :func:`score_haq`) and ``shaq_<scale>`` on 0-3 for each of :data:`SHAQ_SCALES`;
        NaN where not answered. No composite (Steen & Medsger 1997 report each scale).

    Raises
    ------
    SchemaError
        No SHAQ columns, a misspelled ``shaq_`` column or text that is not a number.
    OutOfRangeError
        Marks outside 0..``scale_mm``; every failing cell is listed in ``failure_cases``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures.shaq import score_shaq
    >>> v = pd.DataFrame({"shaq_raynauds_vas": [90.0, None], "shaq_pain_vas": [30.0, 150]})
    >>> score_shaq(v)[["shaq_raynauds", "shaq_pain"]].to_dict("list")
    {'shaq_raynauds': [1.8, nan], 'shaq_pain': [0.6, 3.0]}
    """
    line = _check_line(scale_mm)
    check_unknown_prefixed(visits, "shaq_", (*(s.name for s in SHAQ_COLUMNS), *_SHAQ_OUTPUT))
    require_any(visits, SHAQ_COLUMNS, "SHAQ")
    collector = FailureCollector(visits)
    hint = "a 150 mm line? pass scale_mm=150" if line == 100 else None
    marks: dict[str, FloatArray] = {}
    for spec in SHAQ_COLUMNS:
        if spec.name in visits.columns:
            marks[spec.name] = float_column(
                visits, attrs.evolve(spec, hi=line, hint=hint), collector
            )
        else:
            marks[spec.name] = np.full(len(visits), np.nan)
    collector.raise_if_failed()
    out = pd.DataFrame(index=visits.index)
    if HAQ_INSTRUMENT.trigger_columns.intersection(visits.columns):
        out["haq_di"] = score_haq(visits)["haq_di"]
    for s, spec in zip(SHAQ_SCALES, SHAQ_COLUMNS, strict=True):
        out[f"shaq_{s}"] = np.asarray(shaq_vas_score(marks[spec.name], scale_mm=line))
    return out


#: The declaration of the Scleroderma-HAQ visual analogue scales.
SHAQ_INSTRUMENT: Final = Instrument(
    name="shaq",
    title="Scleroderma-HAQ visual analogue scales",
    columns=SHAQ_COLUMNS,
    prefixes=("shaq_",),
    score=score_shaq,
    kernel=shaq_vas_score,
    outputs=_SHAQ_OUTPUT,
    record=SHAQ,
    field="shaq",
    references=("Steen VD, Medsger TA Jr. Arthritis Rheum 1997;40:1984-91. PMID 9365087",),
)
