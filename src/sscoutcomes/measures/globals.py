"""Patient and physician global assessments of disease (0-10 rating scales, higher = worse).

Both are core items of the ACR CRISS (Khanna 2016). The object face
(:class:`GlobalAssessment`) and the frame face (:func:`score_globals`) share one reader of
the 0-10 range.

References
----------
- Khanna D, Berrocal VJ, Giannini EH, et al. The American College of Rheumatology
  Provisional Composite Response Index for Clinical Trials in Early Diffuse Cutaneous
  Systemic Sclerosis. Arthritis Rheumatol 2016;68:299-311. doi:10.1002/art.39501.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import pandas as pd

from .._change import absolute_change
from .._validation import (
    ColumnSpec,
    FailureCollector,
    check_instance,
    optional_in_range,
    read_columns,
    record_values,
    require_any,
)
from ._instrument import Instrument, frame_face

__all__ = ["GLOBAL_COLUMNS", "GLOBAL_MAX", "GlobalAssessment", "score_globals"]

#: Upper end of both rating scales (0 = best, 10 = worst).
GLOBAL_MAX: Final = 10

#: Canonical visits-frame columns of the global assessments.
GLOBAL_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(
        name="patient_global",
        dtype="float",
        description="patient global assessment of disease (0 best - 10 worst)",
        lo=0,
        hi=GLOBAL_MAX,
        hint="a 0-100 mm scale? divide by 10",
    ),
    ColumnSpec(
        name="physician_global",
        dtype="float",
        description="physician global assessment of disease (0 best - 10 worst)",
        lo=0,
        hi=GLOBAL_MAX,
        hint="a 0-100 mm scale? divide by 10",
    ),
)


#: The GlobalAssessment field of each column.
_FIELD_OF: Final = {"patient_global": "patient", "physician_global": "physician"}


@attrs.frozen(kw_only=True, slots=True)
class GlobalAssessment:
    """Patient and physician global assessments of disease at one visit.

    Parameters
    ----------
    patient, physician : float or None
        Ratings on 0-10 (0 best, 10 worst); ``None`` = not assessed. Decimals are accepted
        for forms that use a 10 cm line.

    Raises
    ------
    OutOfRangeError
        A rating outside 0..10 or not a number; the message names the rating.

    Notes
    -----
    Used, as changes from baseline, by the ACR CRISS (Khanna D et al. Arthritis Rheumatol
    2016;68:299-311, doi:10.1002/art.39501).

    Examples
    --------
    >>> from sscoutcomes.measures.globals import GlobalAssessment
    >>> g = GlobalAssessment(patient=6, physician=4.5)
    >>> g.to_record()
    {'patient_global': 6.0, 'physician_global': 4.5}
    >>> GlobalAssessment(patient=60)
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.OutOfRangeError: patient_global = 60 is outside 0..10 (...)
    """

    patient: float | None = attrs.field(
        default=None,
        validator=optional_in_range(
            0, GLOBAL_MAX, label="patient_global", hint="a 0-100 mm scale? divide by 10"
        ),
    )
    physician: float | None = attrs.field(
        default=None,
        validator=optional_in_range(
            0, GLOBAL_MAX, label="physician_global", hint="a 0-100 mm scale? divide by 10"
        ),
    )

    def change_from(self, baseline: GlobalAssessment) -> dict[str, float | None]:
        """Absolute change of each rating from ``baseline`` (negative = improvement).

        Examples
        --------
        >>> from sscoutcomes.measures.globals import GlobalAssessment
        >>> GlobalAssessment(patient=3, physician=2).change_from(
        ...     GlobalAssessment(patient=5, physician=None))
        {'patient_global': -2.0, 'physician_global': None}
        """
        check_instance("baseline", baseline, GlobalAssessment, "a GlobalAssessment")
        out: dict[str, float | None] = {}
        for name, b, f in (
            ("patient_global", baseline.patient, self.patient),
            ("physician_global", baseline.physician, self.physician),
        ):
            out[name] = None if b is None or f is None else float(absolute_change(b, f))
        return out

    def to_record(self) -> dict[str, float | None]:
        """The canonical columns ``patient_global`` and ``physician_global``."""
        return {
            "patient_global": None if self.patient is None else float(self.patient),
            "physician_global": None if self.physician is None else float(self.physician),
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> GlobalAssessment | None:
        """Rebuild from canonical columns; ``None`` when neither rating is present.

        Examples
        --------
        >>> from sscoutcomes.measures.globals import GlobalAssessment
        >>> GlobalAssessment.from_record({"patient_global": 7.0, "physician_global": float("nan")})
        GlobalAssessment(patient=7.0, physician=None)
        >>> GlobalAssessment.from_record({}) is None
        True
        """
        values = record_values(record, GLOBAL_COLUMNS, _FIELD_OF)
        return cls(**values) if values else None


@frame_face
def score_globals(visits: pd.DataFrame) -> pd.DataFrame:
    """Validated patient and physician global assessments for every row of a visits frame.

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit with ``patient_global`` and/or ``physician_global`` (0-10).

    Returns
    -------
    pandas.DataFrame
        Float columns ``patient_global`` and ``physician_global`` aligned to
        ``visits.index`` (NaN where missing or where the frame lacks the column). The input
        is not modified.

    Raises
    ------
    SchemaError
        Neither column present, or text that is not a number.
    OutOfRangeError
        Ratings outside 0..10; every failing cell is listed in ``failure_cases``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures.globals import score_globals
    >>> score_globals(pd.DataFrame({"patient_global": [5, None]})).to_dict("list")
    {'patient_global': [5.0, nan], 'physician_global': [nan, nan]}
    """
    require_any(visits, GLOBAL_COLUMNS, "global assessment")
    collector = FailureCollector(visits)
    data = read_columns(visits, GLOBAL_COLUMNS, collector)
    collector.raise_if_failed()
    return pd.DataFrame(data, index=visits.index, dtype="float64")


#: The declaration of the global assessments (recorded values: validated, not scored).
GLOBALS: Final = Instrument(
    name="global assessments",
    title="patient and physician global assessments",
    columns=GLOBAL_COLUMNS,
    score=score_globals,
    outputs=("patient_global", "physician_global"),
    record=GlobalAssessment,
    field="globals",
    references=("Khanna D et al. Arthritis Rheumatol 2016;68:299-311. doi:10.1002/art.39501",),
    in_score_visits=False,
)
