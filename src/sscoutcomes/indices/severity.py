"""Medsger disease severity scale: nine organ systems graded 0 (normal) to 4 (end stage).

Each organ takes the worst applicable item. An organ whose inputs are all missing, or one
of whose recorded items is missing and could raise its grade, is "not assessable" (``None``
/ NaN), never graded from the rest. The thresholds live in one table,
:data:`MEDSGER_TABLE`, each row naming its source.

**Provisional.** The nine organs and the 0-4 grading are confirmed from the 1999 abstract
(Medsger 1999). The item thresholds are the spec's table "as commonly cited"; the revised
2003 table (Medsger 2003) could not be reached to confirm them, so every row's source says
"secondary". Ranges printed with shared end points (e.g. weight loss "10-15 %" and
"15-20 %") are read as half-open intervals ``[lower, upper)``, except that the top grade
starts strictly above the last printed value where the table says ">" (weight loss
> 20 %, creatinine > 5.0).

Inputs are canonical visit columns where they exist (``weight_loss_pct``,
``hematocrit_pct``, ``mrss``, ``fingertip_palm_distance_cm``, ``fvc_pct_predicted``,
``dlco_pct_predicted``, ``spap_mmhg``, ``lvef_pct``, ``creatinine_mg_dl``,
``vascular_grade`` or the vascular findings) plus the severity-only inputs of
:data:`SEVERITY_COLUMNS` (``oxygen_needed``, ``ecg_conduction_defect``, ``arrhythmia``,
``heart_failure``, ``renal_crisis_history``, ``dialysis``, and the clinician-recorded
grades ``medsger_muscle`` and ``medsger_gi``, which have no objective threshold).

References
----------
- Medsger TA Jr, Silman AJ, Steen VD, et al. A disease severity scale for systemic
  sclerosis: development and testing. J Rheumatol 1999;26:2159-67. PMID 10529133.
- Medsger TA Jr, Bombardieri S, Czirjak L, et al. Assessment of disease severity and
  prognosis. Clin Exp Rheumatol 2003;21(3 Suppl 29):S42-6. PMID 12889222.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._result import ResultMixin
from .._validation import ColumnSpec, FailureCollector, read_columns
from ..errors import SchemaError
from ..measures._instrument import Instrument, frame_face
from ..measures.events import EVENTS
from ..measures.heart import ECHO
from ..measures.lung import PULMONARY_FUNCTION
from ..measures.skin import SKIN, SKIN_COLUMNS, score_mrss
from ..measures.vascular import VASCULAR_COLUMNS, score_vascular

__all__ = [
    "MEDSGER_ORGANS",
    "MEDSGER_TABLE",
    "SEVERITY_COLUMNS",
    "MedsgerItem",
    "MedsgerSeverity",
    "medsger_severity",
    "score_medsger",
]

FloatArray = npt.NDArray[np.float64]
_SECONDARY: Final = (
    "secondary: the spec's table as commonly cited (Medsger 1999/2003); 2003 table not reached"
)

#: The nine organ systems, in the order of the scale.
MEDSGER_ORGANS: Final[tuple[str, ...]] = (
    "general",
    "peripheral_vascular",
    "skin",
    "joint_tendon",
    "muscle",
    "gastrointestinal",
    "lung",
    "heart",
    "kidney",
)


@attrs.frozen(kw_only=True)
class MedsgerItem:
    """One row of the scale: how a column maps to a grade.

    ``kind`` is ``"higher_is_worse"`` (grade k + 1 from ``cuts[k]`` upwards; the last cut
    is exclusive when ``strict_top``), ``"lower_is_worse"`` (grade k + 1 below
    ``cuts[k]``), ``"flag"`` (True gives ``grade``) or ``"grade"`` (a recorded 0-4 grade).
    """

    organ: str
    column: str
    kind: str
    cuts: tuple[float, ...] = ()
    grade: int = 0
    strict_top: bool = False
    source: str = _SECONDARY

    @property
    def top_grade(self) -> int:
        """The highest grade this item can give (what a missing value could hide)."""
        if self.kind == "grade":
            return 4
        if self.kind == "flag":
            return self.grade
        return len(self.cuts)


#: The thresholds, one row per item (provisional; see the module docstring).
MEDSGER_TABLE: Final[tuple[MedsgerItem, ...]] = (
    # general: weight loss 5-10 / 10-15 / 15-20 / > 20 %; haematocrit 33-37 / 29-33 / 25-29 / < 25
    MedsgerItem(
        organ="general",
        column="weight_loss_pct",
        kind="higher_is_worse",
        cuts=(5, 10, 15, 20),
        strict_top=True,
    ),
    MedsgerItem(
        organ="general", column="hematocrit_pct", kind="lower_is_worse", cuts=(37, 33, 29, 25)
    ),
    MedsgerItem(organ="peripheral_vascular", column="vascular_grade", kind="grade"),
    # skin: mRSS 0 / 1-14 / 15-29 / 30-39 / >= 40
    MedsgerItem(organ="skin", column="mrss", kind="higher_is_worse", cuts=(1, 15, 30, 40)),
    # joint/tendon: fingertip-to-palm distance 0-0.9 / 1.0-1.9 / 2.0-3.9 / 4.0-4.9 / >= 5.0 cm
    MedsgerItem(
        organ="joint_tendon",
        column="fingertip_palm_distance_cm",
        kind="higher_is_worse",
        cuts=(1.0, 2.0, 4.0, 5.0),
    ),
    MedsgerItem(organ="muscle", column="medsger_muscle", kind="grade"),
    MedsgerItem(organ="gastrointestinal", column="medsger_gi", kind="grade"),
    # lung: FVC or DLCO >= 80 / 70-79 / 50-69 / < 50 % predicted; sPAP 35-49 / 50-64 / >= 65
    MedsgerItem(organ="lung", column="fvc_pct_predicted", kind="lower_is_worse", cuts=(80, 70, 50)),
    MedsgerItem(
        organ="lung", column="dlco_pct_predicted", kind="lower_is_worse", cuts=(80, 70, 50)
    ),
    MedsgerItem(organ="lung", column="spap_mmhg", kind="higher_is_worse", cuts=(35, 50, 65)),
    MedsgerItem(organ="lung", column="oxygen_needed", kind="flag", grade=4),
    # heart: conduction defect / LVEF 45-49 (1); arrhythmia / LVEF 40-44 (2); LVEF 30-39 (3);
    # congestive heart failure / LVEF < 30 (4)
    MedsgerItem(organ="heart", column="lvef_pct", kind="lower_is_worse", cuts=(50, 45, 40, 30)),
    MedsgerItem(organ="heart", column="ecg_conduction_defect", kind="flag", grade=1),
    MedsgerItem(organ="heart", column="arrhythmia", kind="flag", grade=2),
    MedsgerItem(organ="heart", column="heart_failure", kind="flag", grade=4),
    # kidney: history of renal crisis with creatinine < 1.5 (1); 1.5-2.4 (2); 2.5-5.0 (3);
    # > 5.0 or dialysis (4)
    MedsgerItem(
        organ="kidney",
        column="creatinine_mg_dl",
        kind="higher_is_worse",
        cuts=(np.inf, 1.5, 2.5, 5.0),
        strict_top=True,
    ),
    MedsgerItem(organ="kidney", column="renal_crisis_history", kind="flag", grade=1),
    MedsgerItem(organ="kidney", column="dialysis", kind="flag", grade=4),
)

#: Inputs used only by the severity scale (declared here, once).
SEVERITY_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(name="oxygen_needed", dtype="bool", description="supplemental oxygen needed"),
    ColumnSpec(name="ecg_conduction_defect", dtype="bool", description="ECG conduction defect"),
    ColumnSpec(name="arrhythmia", dtype="bool", description="arrhythmia requiring treatment"),
    ColumnSpec(name="heart_failure", dtype="bool", description="congestive heart failure"),
    ColumnSpec(
        name="renal_crisis_history", dtype="bool", description="history of scleroderma renal crisis"
    ),
    ColumnSpec(name="dialysis", dtype="bool", description="on dialysis"),
    ColumnSpec(
        name="medsger_muscle",
        dtype="int",
        lo=0,
        hi=4,
        integer=True,
        description="Medsger muscle grade recorded by the clinician (0-4)",
    ),
    ColumnSpec(
        name="medsger_gi",
        dtype="int",
        lo=0,
        hi=4,
        integer=True,
        description="Medsger gastrointestinal grade recorded by the clinician (0-4)",
    ),
    ColumnSpec(
        name="vascular_grade",
        dtype="int",
        lo=0,
        hi=4,
        integer=True,
        description="Medsger peripheral vascular grade (0-4), recorded or from "
        "score_vascular; read when the vascular findings are absent",
    ),
)

#: Every input, read through the spec of the instrument that declares it.
_INPUT_SPECS: Final[dict[str, ColumnSpec]] = {
    spec.name: spec
    for spec in (
        *SEVERITY_COLUMNS,
        EVENTS.spec("weight_loss_pct"),
        EVENTS.spec("hematocrit_pct"),
        SKIN.spec("mrss"),
        EVENTS.spec("fingertip_palm_distance_cm"),
        PULMONARY_FUNCTION.spec("fvc_pct_predicted"),
        PULMONARY_FUNCTION.spec("dlco_pct_predicted"),
        ECHO.spec("spap_mmhg"),
        ECHO.spec("lvef_pct"),
        EVENTS.spec("creatinine_mg_dl"),
    )
}


def _item_grade(item: MedsgerItem, x: FloatArray) -> FloatArray:
    """Grade 0-4 of one item for values ``x`` (NaN stays NaN)."""
    with np.errstate(invalid="ignore"):
        if item.kind == "grade":
            return x.astype(np.float64)
        if item.kind == "flag":
            return np.where(np.isnan(x), np.nan, np.where(x > 0, float(item.grade), 0.0))
        grade = np.zeros(x.shape)
        n = len(item.cuts)
        for k, cut in enumerate(item.cuts):
            g = float(k + 1)  # crossing cut k gives grade k + 1
            top = k == n - 1 and item.strict_top
            if item.kind == "lower_is_worse":
                hit = x < cut
            elif top:
                hit = x > cut
            else:
                hit = x >= cut
            grade = np.where(hit, g, grade)
        return np.where(np.isnan(x), np.nan, grade)


def _organ_grades(values: Mapping[str, FloatArray], n: int) -> dict[str, FloatArray]:
    """The formula: per organ, the worst grade over its items that have a value; not
    assessable (NaN) where an item the frame carries is missing and could give a higher
    grade than the worst known one (missing data never lowers a grade)."""
    out: dict[str, FloatArray] = {}
    for organ in MEDSGER_ORGANS:
        items = [i for i in MEDSGER_TABLE if i.organ == organ and i.column in values]
        if not items:
            out[organ] = np.full(n, np.nan)
            continue
        grades = [np.broadcast_to(_item_grade(i, values[i.column]), (n,)) for i in items]
        stacked = np.vstack(grades)
        with np.errstate(invalid="ignore"):
            worst = np.fmax.reduce(stacked, axis=0)
            hidden = np.fmax.reduce(
                np.vstack(
                    [
                        np.where(np.isnan(g), float(i.top_grade), np.nan)
                        for i, g in zip(items, grades, strict=True)
                    ]
                ),
                axis=0,
            )
            out[organ] = np.where(hidden > np.nan_to_num(worst, nan=-1.0), np.nan, worst)
    return out


@attrs.frozen(kw_only=True)
class MedsgerSeverity(ResultMixin):
    """Medsger grades of one visit (:func:`medsger_severity`); provisional."""

    grades: Mapping[str, int | None]

    @property
    def assessable(self) -> tuple[str, ...]:
        """Organs with a grade."""
        return tuple(o for o, g in self.grades.items() if g is not None)

    @property
    def max_grade(self) -> int | None:
        """The worst organ grade (``None`` when no organ is assessable)."""
        values = [g for g in self.grades.values() if g is not None]
        return max(values) if values else None

    def to_dict(self) -> dict[str, Any]:
        """The organ grades as a plain dict (``None``: not assessable)."""
        return dict(self.grades)

    def to_frame(self) -> pd.DataFrame:
        """One row per organ: ``organ`` and ``grade`` (``<NA>``: not assessable).

        Examples
        --------
        >>> from sscoutcomes import medsger_severity
        >>> frame = medsger_severity({"mrss": 12}).to_frame()
        >>> frame[frame["organ"] == "skin"]
          organ  grade
        2  skin      1
        """
        return pd.DataFrame(
            {
                "organ": pd.array(list(self.grades), dtype="string"),
                "grade": pd.array(list(self.grades.values()), dtype="Int64"),
            }
        )


def _record(visit: Any) -> Mapping[str, Any]:
    if isinstance(visit, Mapping):
        return visit
    to_record = getattr(visit, "to_record", None)
    if callable(to_record):
        record = to_record()
        if isinstance(record, Mapping):
            return record
    raise SchemaError(
        "medsger_severity takes a mapping of canonical column -> value or an object with "
        f"to_record(); got {type(visit).__name__}"
    )


def medsger_severity(visit: Any) -> MedsgerSeverity:
    """Medsger severity grades 0-4 for the nine organs of one visit (provisional).

    Parameters
    ----------
    visit : mapping or object
        Canonical column -> value: a mapping or an object with ``to_record()`` (e.g. a
        :class:`sscoutcomes.Visit`, or a dict). The mRSS total and the vascular grade are
        computed from their items when given.

    Returns
    -------
    MedsgerSeverity
        ``.grades`` maps organ -> grade, ``None`` where not assessable.

    Examples
    --------
    >>> from sscoutcomes.indices.severity import medsger_severity
    >>> s = medsger_severity({"mrss": 22, "fvc_pct_predicted": 72, "spap_mmhg": 52,
    ...                       "lvef_pct": 60, "creatinine_mg_dl": 0.8})
    >>> s.grades["skin"], s.grades["lung"], s.grades["heart"], s.grades["kidney"]
    (2, 2, 0, 0)
    >>> s.grades["muscle"] is None
    True
    """
    record = dict(_record(visit))
    frame = pd.DataFrame([{k: (None if v is None else v) for k, v in record.items()}])
    row = score_medsger(frame).iloc[0]
    return MedsgerSeverity(
        grades={
            organ: None if pd.isna(row[f"medsger_{organ}"]) else int(row[f"medsger_{organ}"])
            for organ in MEDSGER_ORGANS
        }
    )


@frame_face
def score_medsger(visits: pd.DataFrame) -> pd.DataFrame:
    """Medsger grades for every row of a visits frame (provisional).

    Uses the columns of :data:`MEDSGER_TABLE` that are present; the mRSS total is scored
    from the site columns (:func:`~sscoutcomes.score_mrss`) and the vascular grade from the
    vascular findings (:func:`~sscoutcomes.score_vascular`) when those columns are present.
    An organ is graded from its items with a value unless a blank cell of an item column
    the frame carries could give a higher grade: then it is not assessable (NaN). A column
    the frame does not carry is not part of the assessment. The input is not modified.

    Returns
    -------
    pandas.DataFrame
        ``medsger_<organ>`` for the nine organs (0-4, NaN = not assessable), aligned to
        ``visits.index``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.indices.severity import score_medsger
    >>> v = pd.DataFrame({"mrss": [10, 41], "creatinine_mg_dl": [1.6, 5.1]})
    >>> score_medsger(v)[["medsger_skin", "medsger_kidney"]].to_numpy().tolist()
    [[1.0, 2.0], [4.0, 4.0]]
    """
    n = len(visits)
    collector = FailureCollector(visits)
    values: dict[str, FloatArray] = {}
    columns = set(visits.columns)
    skin_columns = {spec.name for spec in SKIN_COLUMNS}
    if columns & skin_columns:
        values["mrss"] = np.asarray(score_mrss(visits)["mrss"], dtype=np.float64)
    vascular_columns = {spec.name for spec in VASCULAR_COLUMNS}
    if "vascular_grade" not in columns and columns & vascular_columns:
        values["vascular_grade"] = np.asarray(
            score_vascular(visits)["vascular_grade"], dtype=np.float64
        )
    unread = [spec for name, spec in _INPUT_SPECS.items() if name not in values]
    values.update(read_columns(visits, unread, collector, absent="skip"))
    collector.raise_if_failed()
    grades = _organ_grades(values, n)
    return pd.DataFrame(
        {f"medsger_{organ}": grades[organ] for organ in MEDSGER_ORGANS},
        index=visits.index,
        dtype="float64",
    )


#: The declaration of the Medsger severity scale (its own inputs; the rest from owners).
SEVERITY: Final = Instrument(
    name="Medsger severity",
    title="Medsger disease severity scale (provisional)",
    columns=SEVERITY_COLUMNS,
    score=score_medsger,
    kernel=_organ_grades,
    outputs=tuple(f"medsger_{organ}" for organ in MEDSGER_ORGANS),
    references=(
        "Medsger TA Jr et al. J Rheumatol 1999;26:2159-67. PMID 10529133",
        "Medsger TA Jr et al. Clin Exp Rheumatol 2003;21(3 Suppl 29):S42-6. PMID 12889222",
    ),
    in_score_visits=False,
)
