"""ScleroID: the EULAR Systemic Sclerosis Impact of Disease score.

Ten patient-rated dimensions, each a 0-10 numeric rating scale (0 = no impact, 10 = worst),
combined as a weighted sum whose weights add up to 1, so the score is on 0-10 too
(Becker MO et al. Ann Rheum Dis 2022;81:507-515, Table 5, doi:10.1136/annrheumdis-2021-220702):

========================  =======
dimension                 weight
========================  =======
Raynaud's phenomenon      0.117
fatigue                   0.114
hand function             0.109
pain                      0.104
life choices              0.098
upper GI symptoms         0.096
body mobility             0.095
lower GI symptoms         0.093
dyspnoea                  0.091
digital ulcers            0.083
========================  =======

The paper's worked example (9, 3, 4, 0, 7, 2, 6, 4, 0, 3 in that order) scores 3.9.

**Missing data:** the score needs all ten ratings; with one missing it is not evaluable
(``None`` / NaN), never re-weighted or imputed -- no rule for missing dimensions was found in
the primary paper. **Minimal important difference:** none is published in the primary paper;
none is offered here.

References
----------
- Becker MO, Dobrota R, Garaiman A, et al. Development and validation of a patient-reported
  outcome measure for systemic sclerosis: the EULAR Systemic Sclerosis Impact of Disease
  (ScleroID) questionnaire. Ann Rheum Dis 2022;81:507-515.
  doi:10.1136/annrheumdis-2021-220702.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._change import absolute_change
from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_float_array,
    broadcast_together,
    check_array_range,
    check_instance,
    optional_in_range,
    read_columns,
    record_values,
    require_any,
)
from ..errors import OutOfRangeError, SchemaError
from ._instrument import Instrument, frame_face

__all__ = [
    "SCLEROID_COLUMNS",
    "SCLEROID_DIMENSIONS",
    "SCLEROID_WEIGHTS",
    "ScleroID",
    "scleroid_score",
    "score_scleroid",
]

FloatArray = npt.NDArray[np.float64]

#: The reference of the ScleroID (weights from its Table 5).
SCLEROID_REFERENCE: Final = (
    "Becker MO, Dobrota R, Garaiman A, et al. Ann Rheum Dis 2022;81:507-515. "
    "doi:10.1136/annrheumdis-2021-220702"
)

#: The ten dimensions in the paper's order, with their weights (Becker 2022, Table 5; they
#: add up to 1).
SCLEROID_WEIGHTS: Final[Mapping[str, float]] = {
    "raynaud": 0.117,
    "fatigue": 0.114,
    "hand_function": 0.109,
    "pain": 0.104,
    "life_choices": 0.098,
    "upper_gi": 0.096,
    "body_mobility": 0.095,
    "lower_gi": 0.093,
    "dyspnoea": 0.091,
    "digital_ulcers": 0.083,
}
#: The dimension names, in the paper's order.
SCLEROID_DIMENSIONS: Final[tuple[str, ...]] = tuple(SCLEROID_WEIGHTS)
_WEIGHTS: Final = np.array(list(SCLEROID_WEIGHTS.values()), dtype=np.float64)
#: Upper end of each numeric rating scale (0 = no impact).
NRS_MAX: Final = 10

_DESCRIPTIONS: Final = {
    "raynaud": "Raynaud's phenomenon",
    "fatigue": "fatigue",
    "hand_function": "hand function",
    "pain": "pain",
    "life_choices": "life choices",
    "upper_gi": "upper gastrointestinal symptoms",
    "body_mobility": "body mobility",
    "lower_gi": "lower gastrointestinal symptoms",
    "dyspnoea": "dyspnoea",
    "digital_ulcers": "digital ulcers",
}

#: Canonical visits-frame columns -- ``scleroid_<dimension>``, whole numbers 0-10.
SCLEROID_COLUMNS: Final[tuple[ColumnSpec, ...]] = tuple(
    ColumnSpec(
        name=f"scleroid_{d}",
        dtype="int",
        lo=0,
        hi=NRS_MAX,
        integer=True,
        description=f"ScleroID: impact of {_DESCRIPTIONS[d]} (0 none - 10 worst)",
    )
    for d in SCLEROID_DIMENSIONS
)


def _kernel(ratings: FloatArray) -> FloatArray:
    """The formula: the weighted sum over the last axis (10 ratings); NaN when any is
    missing (no re-weighting). Summed term by term in the paper's order, so one
    questionnaire and a frame of them give the same bits (a matrix product may not)."""
    out = ratings[..., 0] * _WEIGHTS[0]
    for i in range(1, _WEIGHTS.size):
        out = out + ratings[..., i] * _WEIGHTS[i]
    return np.asarray(out, dtype=np.float64)


def scleroid_score(ratings: npt.ArrayLike) -> Any:
    """ScleroID from the ten ratings, in the paper's order (:data:`SCLEROID_DIMENSIONS`).

    Parameters
    ----------
    ratings : array_like
        Shape (10,) for one questionnaire or (n, 10) for n; whole numbers 0-10, ``None`` /
        NaN for a missing rating.

    Returns
    -------
    float or numpy.ndarray
        The score (0-10), NaN where a rating is missing.

    Raises
    ------
    SchemaError
        Text, or not 10 ratings per questionnaire.
    OutOfRangeError
        A rating outside 0..10 or not a whole number.

    Examples
    --------
    >>> from sscoutcomes.measures.scleroid import scleroid_score
    >>> round(scleroid_score([9, 3, 4, 0, 7, 2, 6, 4, 0, 3]), 3)   # Becker 2022
    3.9
    """
    a = as_float_array(ratings, "ratings")
    if a.ndim == 0 or a.shape[-1] != len(SCLEROID_DIMENSIONS):
        raise SchemaError(
            f"ratings has shape {a.shape}: give the {len(SCLEROID_DIMENSIONS)} ratings "
            f"({', '.join(SCLEROID_DIMENSIONS)}) along the last axis"
        )
    check_array_range("ratings", a, 0, NRS_MAX)
    known = a[~np.isnan(a)]
    fractional = known[known != np.round(known)]
    if fractional.size:
        raise OutOfRangeError(
            f"ratings = {fractional[0]:g} is not a whole number; each rating is 0..10"
        )
    out = _kernel(a)
    return float(out) if out.ndim == 0 else out


def _rating(name: str) -> Any:
    return attrs.field(
        default=None, validator=optional_in_range(0, NRS_MAX, integer=True, label=name)
    )


@attrs.frozen(kw_only=True, slots=True)
class ScleroID:
    """One ScleroID questionnaire: ten 0-10 ratings (0 = no impact).

    Parameters
    ----------
    raynaud, fatigue, hand_function, pain, life_choices, upper_gi, body_mobility, lower_gi, \
dyspnoea, digital_ulcers : int or None
        The ratings (whole numbers 0-10); ``None`` = not answered.

    Raises
    ------
    OutOfRangeError
        A rating outside 0..10, not a whole number, or not a number.

    Examples
    --------
    >>> from sscoutcomes.measures.scleroid import ScleroID
    >>> s = ScleroID(raynaud=9, fatigue=3, hand_function=4, pain=0, life_choices=7,
    ...              upper_gi=2, body_mobility=6, lower_gi=4, dyspnoea=0, digital_ulcers=3)
    >>> round(s.score, 3)
    3.9
    >>> ScleroID(raynaud=9).score is None          # nine ratings missing: not evaluable
    True
    """

    raynaud: int | None = _rating("scleroid_raynaud")
    fatigue: int | None = _rating("scleroid_fatigue")
    hand_function: int | None = _rating("scleroid_hand_function")
    pain: int | None = _rating("scleroid_pain")
    life_choices: int | None = _rating("scleroid_life_choices")
    upper_gi: int | None = _rating("scleroid_upper_gi")
    body_mobility: int | None = _rating("scleroid_body_mobility")
    lower_gi: int | None = _rating("scleroid_lower_gi")
    dyspnoea: int | None = _rating("scleroid_dyspnoea")
    digital_ulcers: int | None = _rating("scleroid_digital_ulcers")

    @property
    def ratings(self) -> dict[str, int | None]:
        """The ten ratings by dimension, in the paper's order."""
        return {d: getattr(self, d) for d in SCLEROID_DIMENSIONS}

    @property
    def score(self) -> float | None:
        """The ScleroID (0-10); ``None`` when a rating is missing."""
        values = np.array(
            [np.nan if v is None else float(v) for v in self.ratings.values()], dtype=np.float64
        )
        out = float(_kernel(values))
        return None if np.isnan(out) else out

    def change_from(self, baseline: ScleroID) -> float | None:
        """Absolute change of the score from ``baseline`` (negative = improvement).

        Examples
        --------
        >>> from sscoutcomes.measures.scleroid import ScleroID
        >>> low = dict.fromkeys(("raynaud", "fatigue", "hand_function", "pain", "life_choices",
        ...     "upper_gi", "body_mobility", "lower_gi", "dyspnoea", "digital_ulcers"), 2)
        >>> ScleroID(**low).change_from(ScleroID(**{k: 4 for k in low}))
        -2.0
        """
        check_instance("baseline", baseline, ScleroID, "a ScleroID")
        b, f = baseline.score, self.score
        if b is None or f is None:
            return None
        return round(float(absolute_change(b, f)), 12)

    def to_record(self) -> dict[str, int | None]:
        """The canonical columns ``scleroid_<dimension>`` (the score is an output:
        :func:`score_scleroid`)."""
        return {f"scleroid_{d}": v for d, v in self.ratings.items()}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ScleroID | None:
        """Rebuild from canonical columns; ``None`` when no rating is present.

        Examples
        --------
        >>> from sscoutcomes.measures.scleroid import ScleroID
        >>> ScleroID.from_record({"scleroid_pain": 3.0}).pain
        3
        >>> ScleroID.from_record({}) is None
        True
        """
        values = record_values(record, SCLEROID_COLUMNS, _FIELD_OF)
        if not values:
            return None
        whole = {
            k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in values.items()
        }
        return cls(**whole)


_FIELD_OF: Final = {f"scleroid_{d}": d for d in SCLEROID_DIMENSIONS}


@frame_face
def score_scleroid(visits: pd.DataFrame) -> pd.DataFrame:
    """The ScleroID for every row of a visits frame.

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit with the ``scleroid_<dimension>`` columns (whole numbers 0-10).

    Returns
    -------
    pandas.DataFrame
        One float column ``scleroid`` aligned to ``visits.index``: NaN where a rating is
        missing (or its column absent). The input is not modified.

    Raises
    ------
    SchemaError
        No ScleroID column, or text that is not a number.
    OutOfRangeError
        Ratings outside 0..10 or not whole; every failing cell is listed in
        ``failure_cases``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures.scleroid import SCLEROID_DIMENSIONS, score_scleroid
    >>> row = dict(zip([f"scleroid_{d}" for d in SCLEROID_DIMENSIONS],
    ...                [9, 3, 4, 0, 7, 2, 6, 4, 0, 3]))
    >>> out = score_scleroid(pd.DataFrame([row, row | {"scleroid_pain": None}]))
    >>> out["scleroid"].round(3).tolist()
    [3.9, nan]
    """
    require_any(visits, SCLEROID_COLUMNS, "ScleroID")
    collector = FailureCollector(visits)
    data = read_columns(visits, SCLEROID_COLUMNS, collector)
    collector.raise_if_failed()
    ratings = np.column_stack(
        broadcast_together(
            "the ScleroID ratings",
            *(np.asarray(data[s.name], dtype=np.float64) for s in SCLEROID_COLUMNS),
        )
    )
    return pd.DataFrame({"scleroid": _kernel(ratings)}, index=visits.index, dtype="float64")


#: The declaration of the ScleroID.
SCLEROID: Final = Instrument(
    name="scleroid",
    title="ScleroID (EULAR Systemic Sclerosis Impact of Disease)",
    columns=SCLEROID_COLUMNS,
    score=score_scleroid,
    kernel=scleroid_score,
    outputs=("scleroid",),
    record=ScleroID,
    field="scleroid",
    references=(SCLEROID_REFERENCE,),
)
