"""Peripheral vascular involvement: Raynaud's phenomenon, digital ulcers, pitting scars and
gangrene, and the peripheral vascular severity grade (0-4) of the Medsger severity scale.

The grade is the worst applicable item (Medsger TA et al. J Rheumatol 1999;26:2159-67,
PMID 10529133; revised in Clin Exp Rheumatol 2003;21(3 Suppl 29):S42-6, PMID 12889222):

===== ==============================================
grade finding
===== ==============================================
0     no Raynaud's phenomenon (or Raynaud's without vasodilator therapy)
1     Raynaud's phenomenon requiring vasodilators
2     digital pitting scars
3     digital tip ulcerations (active digital ulcers)
4     digital gangrene
===== ==============================================

**Provisional.** These thresholds are the spec's table "as commonly cited"; the 2003 table
itself could not be reached to confirm them. Raynaud's phenomenon without vasodilator
therapy is graded 0 because grade 1 requires vasodilators; that reading is also
unconfirmed. A grade is computed only when no missing finding could raise it (a missing
gangrene item leaves the grade not assessable unless gangrene would not change it).

References
----------
- Medsger TA Jr, Silman AJ, Steen VD, et al. A disease severity scale for systemic
  sclerosis: development and testing. J Rheumatol 1999;26:2159-67. PMID 10529133.
- Medsger TA Jr, Bombardieri S, Czirjak L, et al. Assessment of disease severity and
  prognosis. Clin Exp Rheumatol 2003;21(3 Suppl 29):S42-6. PMID 12889222.
- Merkel PA, Herlyn K, Martin RW, et al. Measuring disease activity and functional status
  in patients with scleroderma and Raynaud's phenomenon. Arthritis Rheum
  2002;46:2410-20. doi:10.1002/art.10486 (Raynaud's Condition Score).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_float_array,
    broadcast_together,
    optional_in_range,
    read_columns,
    record_values,
    require_any,
)
from ..errors import OutOfRangeError
from ._instrument import Instrument, frame_face

__all__ = [
    "VASCULAR_COLUMNS",
    "VASCULAR_GRADES",
    "VascularAssessment",
    "score_vascular",
    "vascular_grade",
]

FloatArray = npt.NDArray[np.float64]

#: Peripheral vascular grades (Medsger 1999/2003, provisional; see the module docstring).
VASCULAR_GRADES: Final[Mapping[int, str]] = {
    0: "no Raynaud's phenomenon (or not requiring vasodilators)",
    1: "Raynaud's phenomenon requiring vasodilators",
    2: "digital pitting scars",
    3: "digital tip ulcerations",
    4: "digital gangrene",
}

#: Canonical visits-frame columns of this measure (collected by ``cohort.schema``).
VASCULAR_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(name="raynauds", dtype="bool", description="Raynaud's phenomenon present"),
    ColumnSpec(
        name="raynaud_condition_score",
        dtype="float",
        description="Raynaud's Condition Score (daily diary, 0 best - 10 worst)",
        lo=0,
        hi=10,
    ),
    ColumnSpec(
        name="digital_ulcers_active",
        dtype="int",
        description="number of active digital ulcers (distal to the PIP joints)",
        lo=0,
        hi=40,
        integer=True,
    ),
    ColumnSpec(
        name="digital_pitting_scars", dtype="bool", description="digital pitting scars present"
    ),
    ColumnSpec(
        name="digital_gangrene",
        dtype="bool",
        description="digital gangrene or auto-amputation",
    ),
    ColumnSpec(
        name="vasodilator_therapy",
        dtype="bool",
        description="Raynaud's phenomenon treated with vasodilators",
    ),
)
_SPECS: Final = {spec.name: spec for spec in VASCULAR_COLUMNS}


def _grade_kernel(
    raynauds: FloatArray,
    vasodilators: FloatArray,
    pitting: FloatArray,
    ulcers: FloatArray,
    gangrene: FloatArray,
) -> FloatArray:
    """The formula: the worst applicable grade; NaN when a missing finding could raise it.

    Inputs are float arrays with 1.0 (present / count > 0), 0.0 (absent) and NaN (unknown).
    """
    with np.errstate(invalid="ignore"):
        ray_level = (raynauds > 0) & (vasodilators > 0)
        ray_unknown = np.isnan(raynauds) | ((raynauds > 0) & np.isnan(vasodilators))
        worst_present = np.maximum.reduce(
            [4.0 * (gangrene > 0), 3.0 * (ulcers > 0), 2.0 * (pitting > 0), 1.0 * ray_level]
        )
        worst_unknown = np.maximum.reduce(
            [
                4.0 * np.isnan(gangrene),
                3.0 * np.isnan(ulcers),
                2.0 * np.isnan(pitting),
                1.0 * ray_unknown,
            ]
        )
    return np.asarray(
        np.where(worst_unknown > worst_present, np.nan, worst_present), dtype=np.float64
    )


def vascular_grade(
    *,
    raynauds: Any,
    vasodilator_therapy: Any,
    digital_pitting_scars: Any,
    digital_ulcers_active: Any,
    digital_gangrene: Any,
) -> float | FloatArray:
    """Peripheral vascular severity grade 0-4 (Medsger), vectorized; provisional.

    Parameters
    ----------
    raynauds, vasodilator_therapy, digital_pitting_scars, digital_gangrene : bool or array
        Findings (``None``/NaN = unknown).
    digital_ulcers_active : int or array
        Count of active digital ulcers (> 0 = grade 3).

    Returns
    -------
    float or numpy.ndarray
        The worst applicable grade; NaN (not assessable) when a missing finding could
        raise it.

    Examples
    --------
    >>> from sscoutcomes.measures.vascular import vascular_grade
    >>> vascular_grade(raynauds=True, vasodilator_therapy=True, digital_pitting_scars=False,
    ...                digital_ulcers_active=2, digital_gangrene=False)
    3.0
    >>> vascular_grade(raynauds=True, vasodilator_therapy=True, digital_pitting_scars=False,
    ...                digital_ulcers_active=0, digital_gangrene=None)
    nan
    """
    out = _grade_kernel(
        *broadcast_together(
            "raynauds, vasodilator_therapy, digital_pitting_scars, digital_ulcers_active and "
            "digital_gangrene",
            as_float_array(raynauds, "raynauds"),
            as_float_array(vasodilator_therapy, "vasodilator_therapy"),
            as_float_array(digital_pitting_scars, "digital_pitting_scars"),
            as_float_array(digital_ulcers_active, "digital_ulcers_active"),
            as_float_array(digital_gangrene, "digital_gangrene"),
        )
    )
    return float(out) if out.ndim == 0 else out


def _flag(name: str) -> Any:
    def validator(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not isinstance(value, (bool, np.bool_)):
            raise OutOfRangeError(f"{name} = {value!r} is not a yes/no value (True/False)")

    return attrs.field(default=None, validator=validator)


@attrs.frozen(kw_only=True, slots=True)
class VascularAssessment:
    """Peripheral vascular findings at one visit, with the Medsger grade they imply.

    Parameters
    ----------
    raynauds : bool or None
        Raynaud's phenomenon.
    raynaud_condition_score : float or None
        Raynaud's Condition Score, 0-10 (Merkel 2002).
    digital_ulcers_active : int or None
        Active digital ulcers (count, 0-40).
    digital_pitting_scars, digital_gangrene, vasodilator_therapy : bool or None

    Examples
    --------
    >>> from sscoutcomes.measures.vascular import VascularAssessment
    >>> v = VascularAssessment(raynauds=True, vasodilator_therapy=True,
    ...                        digital_pitting_scars=True, digital_ulcers_active=0,
    ...                        digital_gangrene=False)
    >>> v.grade, v.grade_label
    (2, 'digital pitting scars')
    """

    raynauds: bool | None = _flag("raynauds")
    raynaud_condition_score: float | None = attrs.field(
        default=None, validator=optional_in_range(0, 10, label="raynaud_condition_score")
    )
    digital_ulcers_active: int | None = attrs.field(
        default=None,
        validator=optional_in_range(0, 40, integer=True, label="digital_ulcers_active"),
    )
    digital_pitting_scars: bool | None = _flag("digital_pitting_scars")
    digital_gangrene: bool | None = _flag("digital_gangrene")
    vasodilator_therapy: bool | None = _flag("vasodilator_therapy")

    @property
    def grade(self) -> int | None:
        """Medsger peripheral vascular grade 0-4; ``None`` when not assessable."""
        g = vascular_grade(
            raynauds=self.raynauds,
            vasodilator_therapy=self.vasodilator_therapy,
            digital_pitting_scars=self.digital_pitting_scars,
            digital_ulcers_active=self.digital_ulcers_active,
            digital_gangrene=self.digital_gangrene,
        )
        return None if np.isnan(g) else int(g)

    @property
    def grade_label(self) -> str | None:
        """The finding behind :attr:`grade`."""
        g = self.grade
        return None if g is None else VASCULAR_GRADES[g]

    def to_record(self) -> dict[str, Any]:
        """Canonical columns of this assessment.

        Examples
        --------
        >>> from sscoutcomes.measures.vascular import VascularAssessment
        >>> VascularAssessment(raynauds=True).to_record()["raynauds"]
        True
        """
        return {spec.name: getattr(self, spec.name) for spec in VASCULAR_COLUMNS}

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> VascularAssessment | None:
        """Rebuild from canonical columns; ``None`` when none is present.

        Examples
        --------
        >>> from sscoutcomes.measures.vascular import VascularAssessment
        >>> VascularAssessment.from_record({"digital_ulcers_active": 1.0}).digital_ulcers_active
        1
        """
        values = record_values(record, VASCULAR_COLUMNS)
        return cls(**values) if values else None


@frame_face
def score_vascular(visits: pd.DataFrame) -> pd.DataFrame:
    """Medsger peripheral vascular grade for every row of a visits frame (provisional).

    Reads ``raynauds``, ``vasodilator_therapy``, ``digital_pitting_scars``,
    ``digital_ulcers_active`` and ``digital_gangrene`` (a missing column is unknown). The
    input is not modified.

    Returns
    -------
    pandas.DataFrame
        ``vascular_grade`` (0-4, NaN where not assessable), aligned to ``visits.index``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures.vascular import score_vascular
    >>> v = pd.DataFrame({"raynauds": [True, False], "vasodilator_therapy": [True, False],
    ...                   "digital_pitting_scars": [False, False],
    ...                   "digital_ulcers_active": [0, 0], "digital_gangrene": [False, False]})
    >>> score_vascular(v)["vascular_grade"].tolist()
    [1.0, 0.0]
    """
    require_any(visits, VASCULAR_COLUMNS, "vascular")
    collector = FailureCollector(visits)
    values = read_columns(visits, VASCULAR_COLUMNS, collector)
    collector.raise_if_failed()
    grade = _grade_kernel(
        values["raynauds"],
        values["vasodilator_therapy"],
        values["digital_pitting_scars"],
        values["digital_ulcers_active"],
        values["digital_gangrene"],
    )
    return pd.DataFrame({"vascular_grade": grade}, index=visits.index, dtype="float64")


#: The declaration of the peripheral vascular findings and grade.
VASCULAR: Final = Instrument(
    name="peripheral vascular",
    title="peripheral vascular involvement (Medsger grade)",
    columns=VASCULAR_COLUMNS,
    score=score_vascular,
    kernel=vascular_grade,
    outputs=("vascular_grade",),
    record=VascularAssessment,
    field="vascular",
    references=(
        "Medsger TA Jr et al. J Rheumatol 1999;26:2159-67. PMID 10529133",
        "Medsger TA Jr et al. Clin Exp Rheumatol 2003;21(3 Suppl 29):S42-6. PMID 12889222",
    ),
)
