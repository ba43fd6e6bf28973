"""Modified Rodnan skin score (mRSS): 17 body sites graded 0-3, total 0-51.

One formula, one place: :func:`mrss_total` is the only place the total is computed;
:class:`SkinScore` (one assessment) and :func:`score_mrss` (a visits frame) both call it.

References
----------
- Clements P, Lachenbruch P, Siebold J, et al. Inter and intraobserver variability of
  total skin thickness score (modified Rodnan TSS) in systemic sclerosis. J Rheumatol
  1995;22:1281-5. PMID 7562759.
- Khanna D, Furst DE, Clements PJ, et al. Standardization of the modified Rodnan skin
  score for use in clinical trials of systemic sclerosis. J Scleroderma Relat Disord
  2017;2:11-18. doi:10.5301/jsrd.5000231.
- LeRoy EC, Black C, Fleischmajer R, et al. Scleroderma (systemic sclerosis):
  classification, subsets and pathogenesis. J Rheumatol 1988;15:202-5. PMID 3361530.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._change import absolute_change, percent_change
from .._response import ResponderDefinition, response_codes
from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_float_array,
    as_record,
    check_bool,
    check_choice,
    check_grades,
    check_number,
    check_unknown_prefixed,
    float_column,
    labelled_categorical,
    numeric_columns,
    optional_in_range,
    require_all_or_none,
)
from ..errors import OutOfRangeError, SchemaError
from ._instrument import Instrument, frame_face

__all__ = [
    "MRSS_IMPROVEMENT_MCID",
    "MRSS_PROGRESSION_EUSTAR",
    "MRSS_REGRESSION_EUSTAR",
    "SKIN_COLUMNS",
    "SKIN_RESPONDER_DEFINITIONS",
    "SKIN_SITES",
    "CutaneousSubset",
    "SkinCourse",
    "SkinScore",
    "cutaneous_subset",
    "mrss_change_definition",
    "mrss_course",
    "mrss_total",
    "score_mrss",
    "skin_subset",
]

FloatArray = npt.NDArray[np.float64]

#: The 17 mRSS sites, in the order of the Khanna 2017 standardisation form.
SKIN_SITES: Final[tuple[str, ...]] = (
    "face",
    "anterior_chest",
    "abdomen",
    "fingers_right",
    "fingers_left",
    "hands_right",
    "hands_left",
    "forearms_right",
    "forearms_left",
    "upper_arms_right",
    "upper_arms_left",
    "thighs_right",
    "thighs_left",
    "legs_right",
    "legs_left",
    "feet_right",
    "feet_left",
)
SITE_MAX: Final = 3
TOTAL_MAX: Final = 3 * len(SKIN_SITES)  # 51

#: Sites proximal to elbows/knees or on the trunk (LeRoy 1988): involvement -> diffuse.
PROXIMAL_SITES: Final[tuple[str, ...]] = (
    "anterior_chest",
    "abdomen",
    "upper_arms_right",
    "upper_arms_left",
    "thighs_right",
    "thighs_left",
)
#: Distal limb sites and the face: involvement restricted to these -> limited.
DISTAL_SITES: Final[tuple[str, ...]] = tuple(s for s in SKIN_SITES if s not in PROXIMAL_SITES)

_SITE_COLUMNS: Final[tuple[str, ...]] = tuple(f"mrss_{s}" for s in SKIN_SITES)
_PROXIMAL_IDX = np.array([SKIN_SITES.index(s) for s in PROXIMAL_SITES])
_DISTAL_IDX = np.array([SKIN_SITES.index(s) for s in DISTAL_SITES])

#: Canonical visits-frame columns of this measure (collected by ``cohort.schema``).
SKIN_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    *(
        ColumnSpec(
            name=f"mrss_{s}",
            dtype="int",
            description=f"mRSS grade at site {s.replace('_', ' ')} (0 normal - 3 severe)",
            lo=0,
            hi=SITE_MAX,
            integer=True,
        )
        for s in SKIN_SITES
    ),
    ColumnSpec(
        name="mrss",
        dtype="int",
        description="mRSS total (sum of the 17 site grades); for data sets recording only totals",
        lo=0,
        hi=TOTAL_MAX,
        integer=True,
    ),
)
_SITE_SPECS: Final = SKIN_COLUMNS[:-1]
_TOTAL_SPEC: Final = SKIN_COLUMNS[-1]


# --------------------------------------------------------------------------------------
# kernels
# --------------------------------------------------------------------------------------
def _check_site_array(a: FloatArray) -> None:
    """Raise OutOfRangeError naming the first failing site of a (..., 17) array."""
    check_grades(a, SKIN_SITES, "mrss site", 0, SITE_MAX)


def _sum_sites(sites: Sequence[Any]) -> Any:
    """The formula: the sum of the 17 site grades; NaN when any site is missing (no
    pro-rating).

    ``sites`` holds the 17 grades in :data:`SKIN_SITES` order, each a number (one
    assessment) or a float array with NaN for missing grades (one value per visit). Arrays
    are added in place into one new output, never into the caller's arrays.
    """
    total = sites[0] + sites[1]  # a new float (array), never one of the caller's
    for grade in sites[2:]:
        total += grade
    return total


def _total_bounds(sites: Sequence[Any]) -> tuple[FloatArray, FloatArray, FloatArray]:
    """What the site grades allow a recorded total to be: ``(lo, hi, any_known)``, the sum
    of the known grades and that sum plus 3 per missing site (equal when all 17 are known),
    and whether any grade is known (per visit; sites as for :func:`_sum_sites`)."""
    grades = np.stack(np.broadcast_arrays(*[np.asarray(g, dtype=np.float64) for g in sites]))
    known = ~np.isnan(grades)
    lo = np.where(known, grades, 0.0).sum(axis=0)
    hi = lo + 3.0 * (~known).sum(axis=0)
    return lo, hi, known.any(axis=0)


def _columns(a: FloatArray) -> list[FloatArray]:
    """The 17 site columns of a (..., 17) array, as views."""
    return [a[..., i] for i in range(a.shape[-1])]


def mrss_total(sites: npt.ArrayLike) -> FloatArray | float:
    r"""Total mRSS from the 17 site grades.

    Parameters
    ----------
    sites : array_like
        Shape ``(..., 17)``: site grades 0-3 in the order of :data:`SKIN_SITES`; NaN marks a
        site not assessed.

    Returns
    -------
    float or numpy.ndarray
        :math:`\text{mRSS} = \sum_{i=1}^{17} g_i` in 0..51; NaN where any site is missing
        (the total is not pro-rated, Clements 1995).

    Raises
    ------
    OutOfRangeError
        A grade outside 0..3 or not a whole number; the message names the site.

    Notes
    -----
    Clements P et al. J Rheumatol 1995;22:1281-5; Khanna D et al. J Scleroderma Relat
    Disord 2017;2:11-18, doi:10.5301/jsrd.5000231.

    Examples
    --------
    >>> from sscoutcomes import mrss_total
    >>> mrss_total([1, 1, 0, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0])
    12.0
    >>> mrss_total([[3] * 17, [0] * 16 + [float("nan")]])
    array([51., nan])
    """
    a = as_float_array(sites, "sites")
    if a.shape[-1:] != (len(SKIN_SITES),):
        raise SchemaError(
            f"mrss_total needs {len(SKIN_SITES)} site grades in the last axis; got shape {a.shape}"
        )
    _check_site_array(a)
    out = np.asarray(_sum_sites(_columns(a)), dtype=np.float64)
    return float(out) if out.ndim == 0 else out


class CutaneousSubset(enum.Enum):
    """Cutaneous subset from the extent of skin thickening (LeRoy 1988).

    Examples
    --------
    >>> from sscoutcomes import CutaneousSubset
    >>> CutaneousSubset.DIFFUSE.value
    'diffuse'
    """

    #: Thickening proximal to elbows or knees (upper arms, thighs) or on the trunk.
    DIFFUSE = "diffuse"
    #: Thickening restricted to distal limbs (fingers, hands, forearms, legs, feet), with or
    #: without the face.
    LIMITED = "limited"
    #: No skin thickening at any site (SSc sine scleroderma).
    SINE = "sine"
    #: The available sites do not decide (missing sites, or a total-only score).
    UNKNOWN = "unknown"


_SUBSET_BY_CODE: Final = (
    CutaneousSubset.UNKNOWN,
    CutaneousSubset.SINE,
    CutaneousSubset.LIMITED,
    CutaneousSubset.DIFFUSE,
)


def _subset_codes(a: FloatArray) -> npt.NDArray[np.int8]:
    """Codes 0 unknown, 1 sine, 2 limited, 3 diffuse for a (..., 17) site array."""
    prox = a[..., _PROXIMAL_IDX]
    dist = a[..., _DISTAL_IDX]
    prox_pos = (prox > 0).any(axis=-1)
    prox_known = ~np.isnan(prox).any(axis=-1)
    dist_pos = (dist > 0).any(axis=-1)
    dist_known = ~np.isnan(dist).any(axis=-1)
    codes = np.zeros(a.shape[:-1], dtype=np.int8)
    codes = np.where(prox_known & ~prox_pos & dist_known & ~dist_pos, 1, codes)
    codes = np.where(prox_known & ~prox_pos & dist_pos, 2, codes)
    codes = np.where(prox_pos, 3, codes)
    return codes.astype(np.int8)


def cutaneous_subset(sites: npt.ArrayLike) -> CutaneousSubset | npt.NDArray[np.object_]:
    """Cutaneous subset implied by one visit's site grades (LeRoy 1988).

    Any thickening proximal to the elbows or knees or on the trunk (anterior chest,
    abdomen, upper arms, thighs) is diffuse. Otherwise thickening of the distal limbs or the
    face is limited: the face alone does not make a subset diffuse (LeRoy's "with or without
    facial involvement"; the neck is not an mRSS site). No thickening at all is ``SINE``.
    When missing sites could change the answer the result is ``UNKNOWN``.

    The subset is a patient-level classification usually made from the maximal extent; one
    visit gives the extent at that visit.

    Parameters
    ----------
    sites : array_like
        Shape ``(..., 17)``: site grades in the order of :data:`SKIN_SITES`; NaN = not assessed.

    Returns
    -------
    CutaneousSubset or numpy.ndarray of CutaneousSubset

    Examples
    --------
    >>> from sscoutcomes import SKIN_SITES, cutaneous_subset
    >>> grades = dict.fromkeys(SKIN_SITES, 0) | {"fingers_right": 2, "face": 1}
    >>> cutaneous_subset([grades[s] for s in SKIN_SITES])
    <CutaneousSubset.LIMITED: 'limited'>
    """
    a = as_float_array(sites, "sites")
    if a.shape[-1:] != (len(SKIN_SITES),):
        raise SchemaError(
            f"cutaneous_subset needs {len(SKIN_SITES)} site grades in the last axis; "
            f"got shape {a.shape}"
        )
    _check_site_array(a)
    codes = _subset_codes(a)
    if codes.ndim == 0:
        return _SUBSET_BY_CODE[int(codes)]
    lookup = np.array(_SUBSET_BY_CODE, dtype=object)
    return lookup[codes]


# --------------------------------------------------------------------------------------
# object face
# --------------------------------------------------------------------------------------
def _site_validators() -> dict[str, Any]:
    return {
        s: optional_in_range(0, SITE_MAX, integer=True, label=f"mrss site {s!r}")
        for s in SKIN_SITES
    }


_VALIDATORS = _site_validators()


@attrs.frozen(kw_only=True, slots=True)
class SkinScore:
    """One modified Rodnan skin score assessment.

    Give the 17 site grades (0-3) as keywords named as in :data:`SKIN_SITES`; a site left
    out (``None``) was not assessed. For data sets that record only the total use
    :meth:`from_total`: its site-level answers (:attr:`sites`, :attr:`subset`) are unknown,
    never 0.

    Parameters
    ----------
    face, anterior_chest, abdomen, fingers_right, ..., feet_left : int or None
        Site grades: 0 normal, 1 mild, 2 moderate, 3 severe thickening.
    recorded_total : int or None
        The total as recorded: for total-only scores (use :meth:`from_total`), or beside
        incomplete site grades, when it must lie between the sum of the known grades and
        that sum plus 3 per missing site (with all 17 grades it must equal their sum).

    Raises
    ------
    OutOfRangeError
        A grade outside 0..3, not a whole number, or not a number; the message names the
        site.
    SchemaError
        A ``recorded_total`` that the site grades do not allow.

    Notes
    -----
    Clements P et al. J Rheumatol 1995;22:1281-5 (PMID 7562759); Khanna D et al. J
    Scleroderma Relat Disord 2017;2:11-18, doi:10.5301/jsrd.5000231.

    Examples
    --------
    >>> from sscoutcomes import SkinScore
    >>> s = SkinScore(face=1, anterior_chest=0, abdomen=0, fingers_right=2, fingers_left=2,
    ...               hands_right=1, hands_left=1, forearms_right=1, forearms_left=1,
    ...               upper_arms_right=0, upper_arms_left=0, thighs_right=0, thighs_left=0,
    ...               legs_right=0, legs_left=0, feet_right=0, feet_left=0)
    >>> s.total, s.subset
    (9, <CutaneousSubset.LIMITED: 'limited'>)
    >>> SkinScore(face=4)
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.OutOfRangeError: mrss site 'face' = 4 is outside 0..3
    """

    face: int | None = attrs.field(default=None, validator=_VALIDATORS["face"])
    anterior_chest: int | None = attrs.field(default=None, validator=_VALIDATORS["anterior_chest"])
    abdomen: int | None = attrs.field(default=None, validator=_VALIDATORS["abdomen"])
    fingers_right: int | None = attrs.field(default=None, validator=_VALIDATORS["fingers_right"])
    fingers_left: int | None = attrs.field(default=None, validator=_VALIDATORS["fingers_left"])
    hands_right: int | None = attrs.field(default=None, validator=_VALIDATORS["hands_right"])
    hands_left: int | None = attrs.field(default=None, validator=_VALIDATORS["hands_left"])
    forearms_right: int | None = attrs.field(default=None, validator=_VALIDATORS["forearms_right"])
    forearms_left: int | None = attrs.field(default=None, validator=_VALIDATORS["forearms_left"])
    upper_arms_right: int | None = attrs.field(
        default=None, validator=_VALIDATORS["upper_arms_right"]
    )
    upper_arms_left: int | None = attrs.field(
        default=None, validator=_VALIDATORS["upper_arms_left"]
    )
    thighs_right: int | None = attrs.field(default=None, validator=_VALIDATORS["thighs_right"])
    thighs_left: int | None = attrs.field(default=None, validator=_VALIDATORS["thighs_left"])
    legs_right: int | None = attrs.field(default=None, validator=_VALIDATORS["legs_right"])
    legs_left: int | None = attrs.field(default=None, validator=_VALIDATORS["legs_left"])
    feet_right: int | None = attrs.field(default=None, validator=_VALIDATORS["feet_right"])
    feet_left: int | None = attrs.field(default=None, validator=_VALIDATORS["feet_left"])
    recorded_total: int | None = attrs.field(
        default=None,
        validator=optional_in_range(0, TOTAL_MAX, integer=True, label="mrss total"),
    )

    def __attrs_post_init__(self) -> None:
        total = self.recorded_total
        if total is not None and any(getattr(self, s) is not None for s in SKIN_SITES):
            lo, hi, _ = (float(x) for x in _total_bounds(self._site_values()))
            if not lo <= total <= hi:
                raise SchemaError(_bounds_message(total, lo, hi))

    @classmethod
    def from_total(cls, total: int) -> SkinScore:
        """A total-only score, for data sets that record only the mRSS total (0-51).

        Examples
        --------
        >>> from sscoutcomes import SkinScore
        >>> s = SkinScore.from_total(18)
        >>> s.total, s.subset.value, s.sites["face"]
        (18, 'unknown', None)
        """
        check_number("mrss total", total, 0, TOTAL_MAX, integer=True)
        return cls(recorded_total=int(total))

    @classmethod
    def from_sites(cls, sites: Mapping[str, int | None]) -> SkinScore:
        """Build from a mapping of site name to grade; unknown site names raise.

        Examples
        --------
        >>> from sscoutcomes import SKIN_SITES, SkinScore
        >>> SkinScore.from_sites(dict.fromkeys(SKIN_SITES, 1)).total
        17
        """
        sites = as_record(sites, "sites")
        unknown = sorted(map(str, set(sites) - set(SKIN_SITES)))
        if unknown:
            check_unknown_prefixed(
                [f"mrss_{u}" for u in unknown], "mrss_", _SITE_COLUMNS, what="site mapping"
            )
        return cls(**{s: sites.get(s) for s in SKIN_SITES})

    @property
    def is_total_only(self) -> bool:
        """Whether only the total was recorded (site-level answers are unknown)."""
        return self.recorded_total is not None and all(getattr(self, s) is None for s in SKIN_SITES)

    @property
    def sites(self) -> dict[str, int | None]:
        """Site grades by name; ``None`` where not assessed (always for total-only scores)."""
        return {s: getattr(self, s) for s in SKIN_SITES}

    def _site_values(self) -> list[float]:
        return [np.nan if (v := getattr(self, s)) is None else float(v) for s in SKIN_SITES]

    def _site_array(self) -> FloatArray:
        return np.array(self._site_values(), dtype=np.float64)

    @property
    def total(self) -> int | None:
        """Total mRSS (0-51) -- the sum of the 17 grades, else the recorded total, else
        ``None`` (a site is missing: no pro-rating)."""
        t = float(_sum_sites(self._site_values()))
        if t != t:  # NaN != NaN: a site is missing
            return self.recorded_total
        return int(t)

    @property
    def subset(self) -> CutaneousSubset:
        """Extent of thickening at this assessment (see :func:`cutaneous_subset`)."""
        return _SUBSET_BY_CODE[int(_subset_codes(self._site_array()))]

    def to_record(self) -> dict[str, int | None]:
        """The canonical visits-frame columns of this score (``mrss_<site>`` and ``mrss``).

        Examples
        --------
        >>> from sscoutcomes import SkinScore
        >>> SkinScore.from_total(12).to_record()["mrss"]
        12
        """
        record: dict[str, int | None] = {f"mrss_{s}": getattr(self, s) for s in SKIN_SITES}
        record["mrss"] = self.total
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> SkinScore | None:
        """Rebuild from canonical columns; ``None`` when no skin data is present.

        Missing values may be ``None`` or NaN. With all 17 grades the total is their sum and
        a recorded ``mrss`` must equal it; with some grades missing a recorded ``mrss`` is
        kept as the total when the grades allow it (between the sum of the known grades and
        that sum plus 3 per missing site), as :func:`score_mrss` does; otherwise a
        :class:`~sscoutcomes.errors.SchemaError`.

        Examples
        --------
        >>> from sscoutcomes import SkinScore
        >>> SkinScore.from_record({"mrss": 7.0}).total
        7
        """

        def clean(v: Any) -> int | None:
            if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
                return None
            if isinstance(v, (float, np.floating)) and float(v).is_integer():
                return int(v)
            if isinstance(v, np.integer):
                return int(v)
            return v  # type: ignore[no-any-return]  # validated by the constructor

        record = as_record(record)
        sites = {s: clean(record.get(f"mrss_{s}")) for s in SKIN_SITES}
        total = clean(record.get("mrss"))
        if any(v is not None for v in sites.values()):
            score = cls(**sites)
            if total is None:
                return score
            check_number("mrss total", total, 0, TOTAL_MAX, integer=True)
            if score.total is not None:  # all 17 grades: the total is their sum
                if score.total != total:
                    raise SchemaError(_bounds_message(total, score.total, score.total))
                return score
            return cls(**sites, recorded_total=int(total))
        if total is not None:
            return cls.from_total(total)
        return None


def _bounds_message(total: float, lo: float, hi: float) -> str:
    if lo == hi:
        return f"mrss = {total:g} disagrees with the sum of its 17 site grades ({lo:g})"
    return (
        f"mrss = {total:g} is outside {lo:g}..{hi:g}, what its site grades allow (the sum "
        "of the known grades .. that sum + 3 per missing site)"
    )


# --------------------------------------------------------------------------------------
# frame face
# --------------------------------------------------------------------------------------
def _skin_columns(visits: pd.DataFrame) -> tuple[bool, bool]:
    """Whether the frame has the 17 site columns and the total; SchemaError for a partial
    or misspelled set, or neither."""
    check_unknown_prefixed(visits, "mrss_", _SITE_COLUMNS)
    has_sites = require_all_or_none(visits, _SITE_COLUMNS, "mRSS site")
    has_total = "mrss" in visits.columns
    if not has_sites and not has_total:
        raise SchemaError(
            "the visits frame has no mRSS columns: give the 17 site columns "
            f"({', '.join(_SITE_COLUMNS[:2])}, ...) and/or the total 'mrss'"
        )
    return has_sites, has_total


def _read_skin(
    visits: pd.DataFrame,
) -> tuple[list[FloatArray] | None, FloatArray | None]:
    """Validated 17 site columns and the total column, each None when absent (the collecting
    path: every failing cell is listed in one error)."""
    has_sites, has_total = _skin_columns(visits)
    collector = FailureCollector(visits)
    sites = numeric_columns(visits, _SITE_SPECS, collector) if has_sites else None
    total = float_column(visits, _TOTAL_SPEC, collector) if has_total else None
    if sites is not None and total is not None:
        lo, hi, any_known = _total_bounds(sites)
        complete = lo == hi
        with np.errstate(invalid="ignore"):
            outside = any_known & ~np.isnan(total) & ((total < lo) | (total > hi))
        collector.add(
            outside & complete,
            "mrss",
            total,
            "disagrees with the sum of the 17 site grades",
            schema=True,
        )
        collector.add(
            outside & ~complete,
            "mrss",
            total,
            "is outside what the known site grades allow (their sum .. their sum + 3 per "
            "missing site)",
            schema=True,
        )
    collector.raise_if_failed()
    return sites, total


def _mrss_from(from_sites: FloatArray | None, total: FloatArray | None) -> FloatArray:
    """The total of each row: the sum of its sites, else its recorded total."""
    if from_sites is None:
        assert total is not None  # noqa: S101  (guaranteed by _skin_columns)
        return np.array(total, dtype=np.float64)
    if total is not None:
        missing = np.isnan(from_sites)
        if missing.any():
            from_sites[missing] = total[missing]
    return from_sites


@frame_face
def score_mrss(visits: pd.DataFrame) -> pd.DataFrame:
    """mRSS totals for every row of a visits frame.

    Uses the 17 ``mrss_<site>`` columns where a row has all of them and the recorded
    ``mrss`` total where it has only that; a frame may carry either or both (when both are
    present they must agree). Missing data gives NaN, never 0. The input is not modified.

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit with the canonical columns of :mod:`sscoutcomes.cohort.schema`.

    Returns
    -------
    pandas.DataFrame
        One float column ``mrss`` (the totals), aligned to ``visits.index``.

    Raises
    ------
    SchemaError
        No mRSS columns, only some of the 17 site columns, a misspelled ``mrss_`` column,
        text that is not a number, or a total that disagrees with its sites.
    OutOfRangeError
        Grades outside 0..3 or not whole, totals outside 0..51; every failing cell is
        listed in ``failure_cases``.

    Notes
    -----
    Same formula as :func:`mrss_total` (Clements 1995; Khanna 2017,
    doi:10.5301/jsrd.5000231).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import score_mrss
    >>> visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365], "mrss": [18, 13]})
    >>> score_mrss(visits)["mrss"].tolist()
    [18.0, 13.0]
    """
    sites, total = _read_skin(visits)
    result = _mrss_from(None if sites is None else _sum_sites(sites), total)
    return pd.DataFrame({"mrss": result}, index=visits.index, dtype="float64")


@frame_face
def skin_subset(visits: pd.DataFrame) -> pd.Series[str]:
    """Cutaneous subset implied by each visit's site grades (see :func:`cutaneous_subset`).

    Rows without site grades (total-only) are ``"unknown"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import SKIN_SITES, skin_subset
    >>> row = {f"mrss_{s}": 0 for s in SKIN_SITES} | {"mrss_thighs_left": 1}
    >>> skin_subset(pd.DataFrame([row])).tolist()
    ['diffuse']
    """
    sites, _ = _read_skin(visits)
    codes = (
        np.zeros(len(visits), dtype=np.int8)
        if sites is None
        else _subset_codes(np.column_stack(sites))
    )
    cat = labelled_categorical(codes, [s.value for s in _SUBSET_BY_CODE])
    return pd.Series(cat, index=visits.index, name="subset")


# --------------------------------------------------------------------------------------
# responder / progression definitions
# --------------------------------------------------------------------------------------
_KHANNA_2006 = (
    "Khanna D, Furst DE, Hays RD, et al. Minimally important difference in diffuse systemic "
    "sclerosis: results from the D-penicillamine study. Ann Rheum Dis 2006;65:1325-9. "
    "doi:10.1136/ard.2005.050187"
)
_MAURER_2015 = (
    "Maurer B, Graf N, Michel BA, et al. Prediction of worsening of skin fibrosis in patients "
    "with diffuse cutaneous systemic sclerosis using the EUSTAR database. Ann Rheum Dis "
    "2015;74:1124-31. doi:10.1136/annrheumdis-2014-205226"
)
_WU_2019 = (
    "Wu W, Jordan S, Graf N, et al. Progressive skin fibrosis is associated with a decline in "
    "lung function and worse survival in patients with diffuse cutaneous systemic sclerosis "
    "in the EUSTAR cohort. Ann Rheum Dis 2019;78:648-56. doi:10.1136/annrheumdis-2018-213455"
)
_DOBROTA_2016 = (
    "Dobrota R, Maurer B, Graf N, et al. Prediction of improvement in skin fibrosis in diffuse "
    "cutaneous systemic sclerosis: a EUSTAR analysis. Ann Rheum Dis 2016;75:1743-8. "
    "doi:10.1136/annrheumdis-2015-208024"
)
_WYSS_2024 = (
    "Wyss A, Jordan S, Graf N, et al. Does regression of skin thickening predict improvement "
    "of internal organ involvement and survival in patients with diffuse cutaneous systemic "
    "sclerosis? A EUSTAR analysis. Arthritis Res Ther 2024;26:187. "
    "doi:10.1186/s13075-024-03418-2"
)


def mrss_change_definition(
    *,
    name: str,
    direction: str,
    min_points: float | None = None,
    points_strict: bool = False,
    min_percent: float | None = None,
    min_baseline: float | None = None,
    reference: str,
    description: str | None = None,
    target_day: int | None = None,
    window_days: int | None = None,
    provisional: bool = False,
) -> ResponderDefinition:
    """Build an mRSS improvement or worsening rule from a threshold pair.

    A patient responds when the change in the stated ``direction`` reaches ``min_points``
    (strictly greater when ``points_strict``) **and** ``min_percent`` of the baseline (each
    arm optional). A patient whose baseline is below ``min_baseline`` is not evaluable (not
    a non-responder); so is one with a missing value, and one whose baseline is 0 when a
    percentage arm is used.

    Parameters
    ----------
    name : str
        Name naming the variant, e.g. ``"mrss_improvement_25pct"``.
    direction : {"improvement", "worsening"}
        Improvement is a decrease of the mRSS.
    min_points, min_percent : float, optional
        Thresholds on the absolute change (points) and on the change relative to baseline.
    points_strict : bool
        ``True`` for "more than ``min_points``" (EUSTAR's ">5 points").
    min_baseline : float, optional
        Baseline eligibility (EUSTAR: 7).
    reference, description : str
        Primary reference (with DOI) and the rule in words.
    target_day, window_days : int, optional
        The follow-up time the rule was published for.
    provisional : bool
        Mark a rule that the sources do not settle.

    Returns
    -------
    ResponderDefinition

    Examples
    --------
    >>> from sscoutcomes.measures.skin import mrss_change_definition
    >>> rule = mrss_change_definition(name="mrss_improvement_25pct", direction="improvement",
    ...                               min_percent=25, reference="user-defined")
    >>> rule.evaluate(20, 15).value, rule.evaluate(20, 16).value, rule.evaluate(0, 0).value
    ('responder', 'non-responder', 'not evaluable')
    """
    check_choice("direction", direction, ("improvement", "worsening"))
    if min_points is None and min_percent is None:
        raise SchemaError("give min_points, min_percent or both")
    if min_points is not None:
        min_points = check_number("min_points", min_points, 0, TOTAL_MAX)
    if min_percent is not None:
        min_percent = check_number("min_percent", min_percent, 0, 100, unit="%")
    if min_baseline is not None:
        min_baseline = check_number("min_baseline", min_baseline, 0, TOTAL_MAX)
    points_strict = check_bool("points_strict", points_strict)
    if description is not None and not isinstance(description, str):
        raise SchemaError(f"description = {description!r} must be text")
    sign = -1.0 if direction == "improvement" else 1.0

    def rule(b: Mapping[str, FloatArray], f: Mapping[str, FloatArray]) -> npt.NDArray[np.int8]:
        base, follow = np.broadcast_arrays(b["mrss"], f["mrss"])
        for arr, which in ((base, "baseline"), (follow, "follow-up")):
            finite = arr[~np.isnan(arr)]
            if finite.size and (finite.min() < 0 or finite.max() > TOTAL_MAX):
                bad = finite[(finite < 0) | (finite > TOTAL_MAX)][0]
                raise OutOfRangeError(f"{which} mrss = {bad:g} is outside 0..{TOTAL_MAX}")
        evaluable = ~np.isnan(base) & ~np.isnan(follow)
        if min_baseline is not None:
            evaluable &= base >= min_baseline
        moved = sign * absolute_change(base, follow)
        ok = np.ones(base.shape, dtype=bool)
        with np.errstate(invalid="ignore"):
            if min_points is not None:
                ok &= moved > min_points if points_strict else moved >= min_points
            if min_percent is not None:
                # A percentage of a zero baseline is undefined: not evaluable.
                evaluable &= base != 0
                ok &= sign * np.asarray(percent_change(base, follow)) >= min_percent
        return response_codes(ok & evaluable, evaluable)

    arms = []
    if min_points is not None:
        arms.append(f"{'>' if points_strict else '>='}{min_points:g} points")
    if min_percent is not None:
        arms.append(f">={min_percent:g} % of baseline")
    text = description or (
        f"mRSS {'decrease' if sign < 0 else 'increase'} of {' and '.join(arms)}"
        + (
            f"; baseline mRSS >= {min_baseline:g} (otherwise not evaluable)"
            if min_baseline is not None
            else ""
        )
    )
    eligible = []
    if min_baseline is not None:
        eligible.append(f"baseline mrss >= {min_baseline:g}")
    if min_percent is not None and (min_baseline is None or min_baseline <= 0):
        eligible.append("baseline mrss above 0 (a percentage of 0 is undefined)")
    return ResponderDefinition(
        name=name,
        measures=("mrss",),
        reference=reference,
        description=text,
        rule=rule,
        provisional=provisional,
        target_day=target_day,
        window_days=window_days,
        eligibility=" and ".join(eligible) or None,
        parameters={
            "direction": direction,
            "min_points": min_points,
            "points_strict": points_strict,
            "min_percent": min_percent,
            "min_baseline": min_baseline,
        },
    )


#: Improvement of at least the MCID of 5 points (upper end of 3.2-5.3, Khanna 2006).
MRSS_IMPROVEMENT_MCID: Final = mrss_change_definition(
    name="mrss_improvement_5pt",
    direction="improvement",
    min_points=5,
    reference=_KHANNA_2006,
    description="mRSS decrease of >= 5 points (MCID estimate 3.2-5.3 points; default 5)",
)
#: Decrease of >= 25 % and >= 5 points (threshold pair; 5 points = MCID of Khanna 2006).
MRSS_IMPROVEMENT_25PCT_5PT: Final = mrss_change_definition(
    name="mrss_improvement_25pct_5pt",
    direction="improvement",
    min_points=5,
    min_percent=25,
    reference=_KHANNA_2006 + "; 25 % arm as in " + _DOBROTA_2016,
    description="mRSS decrease of >= 5 points and >= 25 % of baseline",
)
#: >= 25 % decrease alone.
MRSS_IMPROVEMENT_25PCT: Final = mrss_change_definition(
    name="mrss_improvement_25pct",
    direction="improvement",
    min_percent=25,
    reference="parameterised threshold; 25 % arm as in " + _DOBROTA_2016,
    description="mRSS decrease of >= 25 % of baseline (not evaluable at baseline 0)",
)
#: EUSTAR progressive skin fibrosis (Maurer 2015) -- increase >5 points and >=25 %.
MRSS_PROGRESSION_EUSTAR: Final = mrss_change_definition(
    name="mrss_progression_eustar",
    direction="worsening",
    min_points=5,
    points_strict=True,
    min_percent=25,
    min_baseline=7,
    reference=_MAURER_2015 + "; 12 +/- 3 month window in " + _WU_2019,
    description=(
        "progressive skin fibrosis: mRSS increase of >5 points and >=25 % from baseline at "
        "12 +/- 2 months; baseline mRSS >= 7 (otherwise not evaluable)"
    ),
    target_day=365,
    window_days=61,
)
#: EUSTAR skin regression / improvement (Dobrota 2016) -- decrease >5 points and >=25 %.
MRSS_REGRESSION_EUSTAR: Final = mrss_change_definition(
    name="mrss_regression_eustar",
    direction="improvement",
    min_points=5,
    points_strict=True,
    min_percent=25,
    min_baseline=7,
    reference=_DOBROTA_2016 + "; three-way grouping in " + _WYSS_2024,
    description=(
        "skin regression: mRSS decrease of >5 points and >=25 % from baseline at 12 +/- 2 "
        "months; baseline mRSS >= 7 (otherwise not evaluable)"
    ),
    target_day=365,
    window_days=61,
)

#: The built-in skin definitions by name.
SKIN_RESPONDER_DEFINITIONS: Final[dict[str, ResponderDefinition]] = {
    d.name: d
    for d in (
        MRSS_IMPROVEMENT_MCID,
        MRSS_IMPROVEMENT_25PCT_5PT,
        MRSS_IMPROVEMENT_25PCT,
        MRSS_PROGRESSION_EUSTAR,
        MRSS_REGRESSION_EUSTAR,
    )
}


class SkinCourse(enum.Enum):
    """Three-way course of skin fibrosis (Wyss 2024): regressive, stable or progressive."""

    REGRESSIVE = "regressive"
    STABLE = "stable"
    PROGRESSIVE = "progressive"
    NOT_EVALUABLE = "not evaluable"


def mrss_course(baseline: npt.ArrayLike, follow_up: npt.ArrayLike) -> pd.Categorical:
    """Classify skin course as regressive, stable, progressive or not evaluable.

    Regressive / progressive follow :data:`MRSS_REGRESSION_EUSTAR` and
    :data:`MRSS_PROGRESSION_EUSTAR` (change >5 points and >=25 %, baseline >= 7); stable is
    evaluable and neither (Wyss A et al. Arthritis Res Ther 2024;26:187,
    doi:10.1186/s13075-024-03418-2).

    Examples
    --------
    >>> from sscoutcomes import mrss_course
    >>> list(mrss_course([20, 20, 20, 5], [12, 18, 27, 20]))
    ['regressive', 'stable', 'progressive', 'not evaluable']
    """
    reg = np.atleast_1d(MRSS_REGRESSION_EUSTAR.codes(baseline, follow_up))
    prog = np.atleast_1d(MRSS_PROGRESSION_EUSTAR.codes(baseline, follow_up))
    codes = np.where(reg == -1, 3, np.where(reg == 1, 0, np.where(prog == 1, 2, 1)))
    return labelled_categorical(codes, [c.value for c in SkinCourse])


#: The declaration of the modified Rodnan skin score.
SKIN: Final = Instrument(
    name="skin",
    title="modified Rodnan skin score",
    columns=SKIN_COLUMNS,
    prefixes=("mrss_",),
    score=score_mrss,
    kernel=mrss_total,
    outputs=("mrss",),
    record=SkinScore,
    field="skin",
    responders=tuple(SKIN_RESPONDER_DEFINITIONS.values()),
    references=(
        "Clements P et al. J Rheumatol 1995;22:1281-5. PMID 7562759",
        "Khanna D et al. J Scleroderma Relat Disord 2017;2:11-18. doi:10.5301/jsrd.5000231",
    ),
)
