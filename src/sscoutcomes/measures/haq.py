"""Health Assessment Questionnaire disability index (HAQ-DI).

The HAQ-DI is scored item by item from the 20 questions of the Stanford HAQ in 8 categories
(each 0-3), raised for aids/devices and help from another person as the Stanford scoring rules
say, and averaged over the answered categories. The scleroderma VAS of Steen & Medsger (1997)
are reported beside it by :mod:`sscoutcomes.measures.shaq`.

One formula, one place: ``_haq_scores()`` is the only place category scores and the index
are computed; :class:`HAQ` (one questionnaire), :func:`haq_disability_index` (arrays) and
:func:`score_haq` (a visits frame) all call it.

References
----------
- Fries JF, Spitz P, Kraines RG, Holman HR. Measurement of patient outcome in
  arthritis. Arthritis Rheum 1980;23:137-45.
- Bruce B, Fries JF. The Stanford Health Assessment Questionnaire: dimensions and
  practical applications. Health Qual Life Outcomes 2003;1:20.
  doi:10.1186/1477-7525-1-20.
- Steen VD, Medsger TA Jr. The value of the Health Assessment Questionnaire and special
  patient-generated scales to demonstrate change in systemic sclerosis patients over time.
  Arthritis Rheum 1997;40:1984-91. PMID 9365087.
- Khanna D, Furst DE, Hays RD, et al. Minimally important difference in diffuse systemic
  sclerosis: results from the D-penicillamine study. Ann Rheum Dis 2006;65:1325-9.
  doi:10.1136/ard.2005.050187.
- Khanna D, et al. J Rheumatol 2008;35:466-8. PMID 18085737 (HAQ-DI with and without
  aids/devices in SSc: 1.33 vs 1.16).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Final, Literal, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._change import absolute_change
from .._response import ResponderDefinition, response_codes
from .._validation import (
    ColumnSpec,
    FailureCollector,
    as_float_array,
    as_record,
    bool_column,
    check_bool,
    check_choice,
    check_grades,
    check_instance,
    check_number,
    check_unknown_prefixed,
    did_you_mean,
    float_column,
    labelled_categorical,
    optional_in_range,
)
from ..errors import OutOfRangeError, SchemaError
from ._instrument import Instrument, frame_face

__all__ = [
    "HAQ",
    "HAQ_AIDS",
    "HAQ_CATEGORIES",
    "HAQ_COLUMNS",
    "HAQ_DI_IMPROVEMENT_MCID",
    "HAQ_DI_IMPROVEMENT_MCID_LOW",
    "HAQ_ITEMS",
    "HAQ_ITEM_QUESTIONS",
    "HAQ_OUTPUT_COLUMNS",
    "HAQ_RESPONDER_DEFINITIONS",
    "HAQ_VARIANTS",
    "haq_category_scores",
    "haq_di_change_definition",
    "haq_disability_index",
    "score_haq",
]

FloatArray = npt.NDArray[np.float64]
HAQVariant = Literal["with_aids_and_help", "without_aids_and_help", "without_aids"]
UnadjustedVariant = Literal["without_aids_and_help", "without_aids"]

# --------------------------------------------------------------------------------------
# the instrument (Fries 1980; Bruce & Fries 2003)
# --------------------------------------------------------------------------------------
#: The 8 HAQ disability categories, in questionnaire order.
HAQ_CATEGORIES: Final[tuple[str, ...]] = (
    "dressing",
    "arising",
    "eating",
    "walking",
    "hygiene",
    "reach",
    "grip",
    "activities",
)

#: The 20 items (column ``haq_<item>``) and the category each belongs to.
HAQ_ITEMS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "dress": "dressing",
        "shampoo": "dressing",
        "stand": "arising",
        "bed": "arising",
        "cut_meat": "eating",
        "lift_cup": "eating",
        "open_carton": "eating",
        "walk": "walking",
        "climb_steps": "walking",
        "wash_body": "hygiene",
        "bath": "hygiene",
        "toilet": "hygiene",
        "reach_object": "reach",
        "bend_down": "reach",
        "car_doors": "grip",
        "open_jars": "grip",
        "faucets": "grip",
        "errands": "activities",
        "car_in_out": "activities",
        "chores": "activities",
    }
)

#: The question behind each item ("Are you able to ...").
HAQ_ITEM_QUESTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "dress": "dress yourself, including tying shoelaces and doing buttons",
        "shampoo": "shampoo your hair",
        "stand": "stand up from a straight chair",
        "bed": "get in and out of bed",
        "cut_meat": "cut your meat",
        "lift_cup": "lift a full cup or glass to your mouth",
        "open_carton": "open a new milk carton",
        "walk": "walk outdoors on flat ground",
        "climb_steps": "climb up five steps",
        "wash_body": "wash and dry your body",
        "bath": "take a tub bath",
        "toilet": "get on and off the toilet",
        "reach_object": "reach and get down a 5-pound object from just above your head",
        "bend_down": "bend down to pick up clothing from the floor",
        "car_doors": "open car doors",
        "open_jars": "open jars which have been previously opened",
        "faucets": "turn faucets on and off",
        "errands": "run errands and shop",
        "car_in_out": "get in and out of a car",
        "chores": "do chores such as vacuuming or yardwork",
    }
)

#: Aids and devices (column ``haq_aid_<aid>``) and the category each one raises, as in the
#: Stanford scoring rules (Bruce & Fries 2003). The bathtub seat counts for hygiene here; the
#: CLINHAQ scoring sheet (Wolfe) leaves it out.
HAQ_AIDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "cane": "walking",
        "walker": "walking",
        "crutches": "walking",
        "wheelchair": "walking",
        "dressing_devices": "dressing",
        "special_utensils": "eating",
        "special_chair": "arising",
        "raised_toilet_seat": "hygiene",
        "bathtub_seat": "hygiene",
        "bathtub_bar": "hygiene",
        "long_handled_bathroom": "hygiene",
        "long_handled_reach": "reach",
        "jar_opener": "grip",
    }
)

#: The scoring variants and what each one counts. ``with_aids_and_help`` is the standard
#: HAQ-DI; the others are "unadjusted" (Stanford's alternative disability index).
HAQ_VARIANTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "with_aids_and_help": "HAQ-DI with aids/devices and help (standard Stanford scoring)",
        "without_aids_and_help": "HAQ-DI without aids/devices and without help (unadjusted)",
        "without_aids": "HAQ-DI without aids/devices, help from another person counted",
    }
)

ITEM_MAX: Final = 3
#: Category scores of 0 or 1 are raised to this when an aid or help is used.
AID_FLOOR: Final = 2
#: Default minimum number of answered categories (Stanford convention: 6 of 8).
MIN_CATEGORIES_DEFAULT: Final = 6
#: A recorded ``haq_di`` may differ from the item-based index by this much (rounding to two
#: decimals) before the two are reported as disagreeing.
INDEX_TOLERANCE: Final = 0.005 + 1e-9

_ITEM_NAMES: Final[tuple[str, ...]] = tuple(HAQ_ITEMS)
_AID_NAMES: Final[tuple[str, ...]] = tuple(HAQ_AIDS)
_ITEM_COLUMNS: Final[tuple[str, ...]] = tuple(f"haq_{i}" for i in _ITEM_NAMES)
_N_ITEMS: Final = len(_ITEM_NAMES)
#: The items of each category (columns, HAQ_CATEGORIES order) as positions in HAQ_ITEMS: row
#: r holds each category's r-th item, a category of 2 items repeating its last one (the
#: maximum is the same).
_CATEGORY_ITEMS: Final[npt.NDArray[np.intp]] = np.array(
    [
        (*cat_items, *cat_items[-1:] * (3 - len(cat_items)))
        for cat_items in (
            [k for k, i in enumerate(_ITEM_NAMES) if HAQ_ITEMS[i] == c] for c in HAQ_CATEGORIES
        )
    ],
    dtype=np.intp,
).T
#: The flags that raise each category (columns, HAQ_CATEGORIES order) as positions in the
#: 21 flags (the 13 aids of HAQ_AIDS, then the 8 help flags): row 0 is each category's help
#: flag, the other rows its aids, padded by repeating the help flag (the "or" is the same).
#: The aid -> category table of the Stanford rules.
_CATEGORY_FLAGS: Final[npt.NDArray[np.intp]] = np.array(
    [
        (*raising, *raising[:1] * (5 - len(raising)))
        for raising in (
            [len(_AID_NAMES) + k, *(j for j, a in enumerate(_AID_NAMES) if HAQ_AIDS[a] == c)]
            for k, c in enumerate(HAQ_CATEGORIES)
        )
    ],
    dtype=np.intp,
).T

#: Canonical visits-frame columns of the HAQ (collected by ``cohort.schema``).
HAQ_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    *(
        ColumnSpec(
            name=f"haq_{i}",
            dtype="int",
            description=(
                f"HAQ item ({HAQ_ITEMS[i]}): able to {HAQ_ITEM_QUESTIONS[i]}? "
                "(0 without any difficulty - 3 unable to do)"
            ),
            lo=0,
            hi=ITEM_MAX,
            integer=True,
        )
        for i in _ITEM_NAMES
    ),
    *(
        ColumnSpec(
            name=f"haq_aid_{a}",
            dtype="bool",
            description=f"HAQ aid/device used: {a.replace('_', ' ')} (raises {HAQ_AIDS[a]})",
        )
        for a in _AID_NAMES
    ),
    *(
        ColumnSpec(
            name=f"haq_help_{c}",
            dtype="bool",
            description=f"HAQ: usually needs help from another person with {c}",
        )
        for c in HAQ_CATEGORIES
    ),
    ColumnSpec(
        name="haq_di",
        dtype="float",
        description=(
            "HAQ disability index (with aids/devices and help); for data sets recording only "
            "the index"
        ),
        lo=0,
        hi=ITEM_MAX,
    ),
)
_ITEM_SPECS: Final = HAQ_COLUMNS[: len(_ITEM_NAMES)]
#: The 13 aid then the 8 help columns.
_FLAG_SPECS: Final = HAQ_COLUMNS[len(_ITEM_NAMES) : -1]
_INDEX_SPEC: Final = HAQ_COLUMNS[-1]

#: Columns of the frame returned by :func:`score_haq`.
HAQ_OUTPUT_COLUMNS: Final[tuple[str, ...]] = (
    "haq_di",
    "haq_di_unadjusted",
    *(f"haq_cat_{c}" for c in HAQ_CATEGORIES),
    "haq_n_categories",
    "haq_di_source",
)


# --------------------------------------------------------------------------------------
# kernel
# --------------------------------------------------------------------------------------
def _check_variant(variant: object, allowed: Collection[str]) -> None:
    if isinstance(variant, str) and variant in allowed:
        return
    raise SchemaError(f"HAQ variant = {variant!r} is not one of {', '.join(map(repr, allowed))}")


def _check_min_categories(min_categories: object) -> int:
    return int(check_number("min_categories", min_categories, 1, len(HAQ_CATEGORIES), integer=True))


def _check_items_array(a: FloatArray) -> None:
    """Raise OutOfRangeError naming the first failing item of a (..., 20) array."""
    check_grades(a, _ITEM_NAMES, "haq item", 0, ITEM_MAX)


def _check_flags_array(a: FloatArray, names: tuple[str, ...], what: str) -> None:
    """Raise OutOfRangeError naming the first flag that is not 0/1/NaN."""
    bad = ~np.isnan(a) & (a != 0.0) & (a != 1.0)
    if bad.any():
        pos = np.argwhere(bad)[0]
        raise OutOfRangeError(
            f"haq {what} {names[int(pos[-1])]!r} = {float(a[tuple(pos)]):g} is not a yes/no "
            "value (0/1, True/False)"
        )


def _as_array(
    values: npt.ArrayLike | None, width: int, what: str, shape: tuple[int, ...]
) -> FloatArray:
    if values is None:
        return np.zeros((*shape, width), dtype=np.float64)
    a = as_float_array(values, what)
    if a.shape[-1:] != (width,):
        raise SchemaError(f"HAQ {what} need {width} values in the last axis; got shape {a.shape}")
    return a


def _raw_categories(items: FloatArray) -> FloatArray:
    """Category scores before aids and help: the highest answered item of each category
    (``fmax`` skips an unanswered item; NaN when none is answered), 8 along the first axis."""
    raw: FloatArray = items[_CATEGORY_ITEMS[0]]
    for positions in _CATEGORY_ITEMS[1:]:  # one item row at a time: no (3, 8, n) copy
        np.fmax(raw, items[positions], out=raw)
    return raw


def _haq_scores(
    items: FloatArray,
    flags: npt.NDArray[Any],
    variant: HAQVariant,
    min_categories: int,
    *,
    raw: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The formula, the only place category scores and the index are computed.

    ``items`` holds the 20 item scores in :data:`HAQ_ITEMS` order along its first axis
    (0-3, NaN = not answered) and ``flags`` the 13 aid flags (:data:`HAQ_AIDS` order) then
    the 8 help flags (:data:`HAQ_CATEGORIES` order) along its first axis (1 = used, 0 or
    NaN = not used); the other axes (none for one assessment, one value per visit for a
    frame) are the same for both. Returns the category scores (8 along the first axis), the
    index and the number of answered categories (float64).

    Category score = highest answered item (NaN when no item of the category is answered);
    under ``with_aids_and_help`` an aid for the category or help from another person raises
    0 or 1 to 2 (``without_aids`` counts help only; ``without_aids_and_help`` neither); the
    index is the mean of the answered categories when at least ``min_categories`` are
    answered, else NaN. ``raw`` passes in :func:`_raw_categories` of ``items`` when a caller
    scores several variants of the same answers.
    """
    categories = _raw_categories(items) if raw is None else raw
    if variant != "without_aids_and_help":
        # row 0: help from another person; the other rows: the category's aids
        raising = _CATEGORY_FLAGS if variant == "with_aids_and_help" else _CATEGORY_FLAGS[:1]
        raised = np.logical_or.reduce((flags > 0)[raising], axis=0)
        # Items are 0..3, and maximum keeps an unanswered category NaN.
        categories = np.maximum(categories, float(AID_FLOOR) * raised)
    answered = categories == categories  # NaN != NaN: unanswered
    n = np.add.reduce(answered, axis=0, dtype=np.float64)
    total = np.add.reduce(categories, axis=0, where=answered)
    index = total / np.where(n >= min_categories, n, np.nan)  # NaN below min_categories
    return categories, index, n


def _score_arrays(
    items: FloatArray,
    aids: FloatArray,
    help_: FloatArray,
    *,
    variant: HAQVariant,
    min_categories: int,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`_haq_scores` over ``(..., 20)``, ``(..., 13)`` and ``(..., 8)`` arrays.
    Returns category scores (..., 8), the index (...) and the answered count (...)."""
    shape = items.shape[:-1]
    flags = np.concatenate([aids, help_], axis=-1)
    cats, index, answered = _haq_scores(
        items.reshape(-1, items.shape[-1]).T,
        flags.reshape(-1, flags.shape[-1]).T,
        variant=variant,
        min_categories=min_categories,
    )
    return (
        cats.T.reshape((*shape, len(HAQ_CATEGORIES))),
        index.reshape(shape),
        answered.reshape(shape),
    )


def _prepare(
    items: npt.ArrayLike,
    aids: npt.ArrayLike | None,
    help_: npt.ArrayLike | None,
    variant: str,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    _check_variant(variant, HAQ_VARIANTS)
    it = as_float_array(items, "items")
    if it.shape[-1:] != (len(_ITEM_NAMES),):
        raise SchemaError(
            f"HAQ items need {len(_ITEM_NAMES)} values in the last axis (in the order of "
            f"HAQ_ITEMS); got shape {it.shape}"
        )
    shape = it.shape[:-1]
    ai = _as_array(aids, len(_AID_NAMES), "aids", shape)
    he = _as_array(help_, len(HAQ_CATEGORIES), "help flags", shape)
    _check_items_array(it)
    _check_flags_array(ai, _AID_NAMES, "aid")
    _check_flags_array(he, HAQ_CATEGORIES, "help")
    lead = np.broadcast_shapes(shape, ai.shape[:-1], he.shape[:-1])
    return (
        np.broadcast_to(it, (*lead, it.shape[-1])),
        np.broadcast_to(ai, (*lead, ai.shape[-1])),
        np.broadcast_to(he, (*lead, he.shape[-1])),
    )


def haq_category_scores(
    items: npt.ArrayLike,
    aids: npt.ArrayLike | None = None,
    help: npt.ArrayLike | None = None,
    *,
    variant: HAQVariant = "with_aids_and_help",
) -> FloatArray:
    """The 8 HAQ category scores from the 20 item scores, aids and help.

    Parameters
    ----------
    items : array_like
        Shape ``(..., 20)``: item scores 0-3 in the order of :data:`HAQ_ITEMS`; NaN = not answered.
    aids : array_like, optional
        Shape ``(..., 13)``: aid/device flags (1 used, 0 or NaN not used) in the order of
        :data:`HAQ_AIDS`.
    help : array_like, optional
        Shape ``(..., 8)``: help-from-another-person flags in the order of :data:`HAQ_CATEGORIES`.
    variant : {"with_aids_and_help", "without_aids_and_help", "without_aids"}
        Which adjustments count (see :data:`HAQ_VARIANTS`).

    Returns
    -------
    numpy.ndarray
        Shape ``(..., 8)``: highest item score per category, raised from 0 or 1 to 2 by an
        aid for that category or by help; NaN where no item of the category is answered.

    Raises
    ------
    OutOfRangeError
        An item outside 0..3 or not whole, or a flag that is not 0/1; names the item or aid.

    Notes
    -----
    Bruce B, Fries JF. Health Qual Life Outcomes 2003;1:20, doi:10.1186/1477-7525-1-20.

    Examples
    --------
    >>> from sscoutcomes.measures.haq import HAQ_AIDS, HAQ_ITEMS, haq_category_scores
    >>> items = [1] + [0] * 19
    >>> haq_category_scores(items).tolist()
    [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    >>> cane = [1.0 if a == "cane" else 0.0 for a in HAQ_AIDS]
    >>> haq_category_scores(items, cane).tolist()
    [1.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0]
    """
    it, ai, he = _prepare(items, aids, help, variant)
    cats, _, _ = _score_arrays(it, ai, he, variant=variant, min_categories=1)
    return cats


def haq_disability_index(
    items: npt.ArrayLike,
    aids: npt.ArrayLike | None = None,
    help: npt.ArrayLike | None = None,
    *,
    variant: HAQVariant = "with_aids_and_help",
    min_categories: int = MIN_CATEGORIES_DEFAULT,
) -> FloatArray | float:
    r"""HAQ disability index from item scores, aids and help (vectorized).

    Parameters
    ----------
    items, aids, help : array_like
        As in :func:`haq_category_scores`.
    variant : {"with_aids_and_help", "without_aids_and_help", "without_aids"}
        ``with_aids_and_help`` is the standard HAQ-DI; the others are the unadjusted
        ("alternative") index.
    min_categories : int
        Minimum number of answered categories (1-8; Stanford convention 6).

    Returns
    -------
    float or numpy.ndarray
        :math:`\text{HAQ-DI} = \frac{1}{|A|}\sum_{c \in A} s_c` over the set :math:`A` of
        answered categories, in 0..3; NaN when :math:`|A| <` ``min_categories`` (never 0).

    Raises
    ------
    OutOfRangeError
        A bad item or flag (named), or ``min_categories`` outside 1..8.

    Notes
    -----
    Bruce B, Fries JF. Health Qual Life Outcomes 2003;1:20, doi:10.1186/1477-7525-1-20.

    Examples
    --------
    >>> from sscoutcomes.measures.haq import haq_disability_index
    >>> haq_disability_index([2] * 10 + [1] * 10)  # categories 2,2,2,2,2,1,1,1
    1.625
    >>> haq_disability_index([1] * 7 + [float("nan")] * 13)  # 3 categories answered
    nan
    """
    mc = _check_min_categories(min_categories)
    it, ai, he = _prepare(items, aids, help, variant)
    _, index, _ = _score_arrays(it, ai, he, variant=variant, min_categories=mc)
    return float(index) if index.ndim == 0 else index


# --------------------------------------------------------------------------------------
# object face
# --------------------------------------------------------------------------------------
def _unknown_names(given: Iterable[str], known: tuple[str, ...], what: str) -> None:
    """Raise SchemaError naming the names of ``given`` not in ``known`` (with a suggestion)."""
    unknown = [g for g in given if g not in known]
    if not unknown:
        return
    parts = []
    for name in unknown:
        parts.append(f"{name!r}{did_you_mean(name, known)}")
    raise SchemaError(f"unknown HAQ {what}(s): {', '.join(parts)}; known: {', '.join(known)}")


#: An unanswered mapping of each converter's names, in questionnaire order: a converter
#: copies it and fills in what was given, so a longer result means an unknown name.
_UNANSWERED_ITEMS: Final[dict[str, Any]] = dict.fromkeys(_ITEM_NAMES)
_UNANSWERED_AIDS: Final[dict[str, Any]] = dict.fromkeys(_AID_NAMES)
_UNANSWERED_HELP: Final[dict[str, Any]] = dict.fromkeys(HAQ_CATEGORIES)
_INT_ONLY: Final = {int}
#: The item answers (with :data:`_INT_ONLY`, the whole-number check of the common case).
_ITEM_VALUES: Final = frozenset(range(ITEM_MAX + 1))
_NAME_COLLECTIONS: Final = (list, tuple, set, frozenset)


def _is_missing(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, (float, np.floating)) and math.isnan(v))


def _convert_items(values: Mapping[str, Any] | None) -> Mapping[str, int | None]:
    values = {} if values is None else values
    if type(values) is not dict and not isinstance(values, Mapping):
        raise SchemaError(f"HAQ items must be a mapping of item name to 0-3; got {values!r}")
    out: dict[str, Any] = _UNANSWERED_ITEMS.copy()  # in questionnaire order
    out.update(values)
    if len(out) != len(_ITEM_NAMES):
        _unknown_names(values, _ITEM_NAMES, "item")
    answers = values.values()
    if _ITEM_VALUES.issuperset(answers) and set(map(type, answers)) == _INT_ONLY:
        return MappingProxyType(out)  # the common case (whole numbers 0-3), checked cheaply
    for name, v in values.items():
        if v is None or v is pd.NA:
            out[name] = None
        elif type(v) is not int or not 0 <= v <= ITEM_MAX:
            out[name] = int(check_number(f"haq item {name!r}", v, 0, ITEM_MAX, integer=True))
    return MappingProxyType(out)


def _flag(v: object, what: str, name: str) -> bool | None:
    if v is None or v is pd.NA:
        return None
    if v is True or v is False:
        return v
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, numbers.Real) and float(v) in (0.0, 1.0):
        return bool(float(v))
    raise OutOfRangeError(f"haq {what} {name!r} = {v!r} is not a yes/no value (True/False)")


def _convert_flags(
    values: Mapping[str, Any] | Iterable[str] | None,
    unanswered: dict[str, Any],
    known: tuple[str, ...],
    what: str,
    plural: str,
) -> Mapping[str, bool | None]:
    out: dict[str, Any] = unanswered.copy()  # in questionnaire order
    if values is None:
        return MappingProxyType(out)
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (Mapping, Iterable)) or isinstance(values, pd.DataFrame):
        raise SchemaError(
            f"HAQ {plural} must be a mapping of name to yes/no, or the names ticked; got {values!r}"
        )
    names_only = type(values) in _NAME_COLLECTIONS or (
        type(values) is not dict and not isinstance(values, Mapping)
    )
    if names_only:
        values = list(cast("Iterable[Any]", values))
        bad = [v for v in values if not isinstance(v, str)]
        if bad:
            raise SchemaError(
                f"HAQ {plural} given as names: {bad[0]!r} is not a name (give the names "
                "ticked, or a mapping of name to yes/no)"
            )
    given: Mapping[str, Any] = (
        dict.fromkeys(values, True) if names_only else cast("Mapping[str, Any]", values)
    )
    out.update(given)
    if len(out) != len(known):
        _unknown_names(given, known, what)
    if not names_only:  # a mapping: its values must be yes/no
        for k, v in given.items():
            if v is not True and v is not False:
                out[k] = _flag(v, what, k)
    return MappingProxyType(out)


def _convert_aids(values: Mapping[str, Any] | Iterable[str] | None) -> Mapping[str, bool | None]:
    return _convert_flags(values, _UNANSWERED_AIDS, _AID_NAMES, "aid", "aids")


def _convert_help(values: Mapping[str, Any] | Iterable[str] | None) -> Mapping[str, bool | None]:
    return _convert_flags(
        values, _UNANSWERED_HELP, HAQ_CATEGORIES, "help category", "help categories"
    )


def _validate_unadjusted(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
    _check_variant(value, ("without_aids_and_help", "without_aids"))


def _validate_min_categories(_inst: Any, _attr: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is int and 1 <= value <= len(HAQ_CATEGORIES):
        return  # the common case, checked cheaply
    _check_min_categories(value)


def _answered_repr(values: Mapping[str, object]) -> str:
    """Show only the answered entries of an items/aids/help mapping."""
    return repr({k: v for k, v in values.items() if v is not None})


def _none_if_nan(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


@attrs.frozen(kw_only=True, slots=True)
class HAQ:
    """One HAQ disability questionnaire, scored item by item.

    Parameters
    ----------
    items : mapping of str to int or None
        Item scores 0 (without any difficulty), 1 (with some), 2 (with much), 3 (unable to
        do), keyed by the names of :data:`HAQ_ITEMS`; an item left out was not answered.
    aids : mapping of str to bool, or iterable of str
        Aids/devices used, keyed by the names of :data:`HAQ_AIDS` (or just the names of the
        aids used).
    help : mapping of str to bool, or iterable of str
        Categories (:data:`HAQ_CATEGORIES`) for which the patient usually needs help from
        another person.
    min_categories : int
        Answered categories needed for an index (default 6 of 8, the Stanford convention;
        some tools use 7 or 8).
    unadjusted_variant : {"without_aids_and_help", "without_aids"}
        What :attr:`disability_index_unadjusted` leaves out: aids and help (default) or aids
        only. The sources do not settle whether the "alternative" index ignores help too.
    recorded_index : float or None
        The HAQ-DI as recorded: for index-only data (use :meth:`from_index`), or beside
        items too few to give an index, when it must be at least the sum of the answered
        category scores / 8 (with enough items it must agree with their index).

    Raises
    ------
    OutOfRangeError
        An item outside 0..3 or not whole, an aid/help flag that is not yes/no; the message
        names the item or aid.
    SchemaError
        An unknown item, aid or category name (with a suggestion), or a ``recorded_index``
        the items do not allow.

    Notes
    -----
    Category score = highest item of the category; an aid/device for the category or help
    from another person raises 0 or 1 to 2 (2 and 3 stay). HAQ-DI = mean of the answered
    categories, defined when at least ``min_categories`` are answered. A category with no
    answered item is missing even when an aid or help is ticked. Bruce B, Fries JF. Health
    Qual Life Outcomes 2003;1:20, doi:10.1186/1477-7525-1-20.

    Examples
    --------
    >>> from sscoutcomes.measures.haq import HAQ, HAQ_ITEMS
    >>> items = dict.fromkeys(HAQ_ITEMS, 0) | {"dress": 1, "walk": 1, "open_jars": 2}
    >>> haq = HAQ(items=items, aids=["cane"], help=["dressing"])
    >>> haq.category_scores["walking"], haq.category_scores["dressing"]
    (2, 2)
    >>> haq.disability_index, haq.disability_index_unadjusted
    (0.75, 0.5)
    >>> HAQ(items={"dress": 4})
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.OutOfRangeError: haq item 'dress' = 4 is outside 0..3
    """

    items: Mapping[str, int | None] = attrs.field(
        factory=dict, converter=_convert_items, hash=False, repr=_answered_repr
    )
    aids: Mapping[str, bool | None] = attrs.field(
        factory=dict, converter=_convert_aids, hash=False, repr=_answered_repr
    )
    help: Mapping[str, bool | None] = attrs.field(
        factory=dict, converter=_convert_help, hash=False, repr=_answered_repr
    )
    min_categories: int = attrs.field(
        default=MIN_CATEGORIES_DEFAULT, validator=_validate_min_categories
    )
    unadjusted_variant: UnadjustedVariant = attrs.field(
        default="without_aids_and_help", validator=_validate_unadjusted
    )
    recorded_index: float | None = attrs.field(
        default=None, validator=optional_in_range(0, ITEM_MAX, label="haq_di")
    )

    def __attrs_post_init__(self) -> None:
        recorded = self.recorded_index
        if recorded is not None and self._has_answers():
            cats, index, _ = self._score("with_aids_and_help")
            if _index_clash(index, recorded, cats):
                raise SchemaError(f"haq_di = {recorded:g} {_CLASH_REASON}")

    def _has_answers(self) -> bool:
        return any(
            v is not None for v in (*self.items.values(), *self.aids.values(), *self.help.values())
        )

    @classmethod
    def from_index(cls, index: float) -> HAQ:
        """An index-only HAQ, for data sets that record only the HAQ-DI (0-3).

        Its item-level answers (:attr:`category_scores`, :attr:`disability_index_unadjusted`)
        are unknown (``None``), never 0.

        Examples
        --------
        >>> from sscoutcomes.measures.haq import HAQ
        >>> h = HAQ.from_index(1.25)
        >>> h.disability_index, h.disability_index_unadjusted, h.category_scores["grip"]
        (1.25, None, None)
        """
        x = check_number("haq_di", index, 0, ITEM_MAX)
        return cls(recorded_index=x)

    @property
    def is_index_only(self) -> bool:
        """Whether only the index was recorded."""
        return self.recorded_index is not None and not self._has_answers()

    @property
    def variant(self) -> str:
        """Name of the variant behind :attr:`disability_index` (``"with_aids_and_help"``)."""
        return "with_aids_and_help"

    def _score(self, variant: HAQVariant) -> tuple[FloatArray, float, int]:
        # The kernel on this one assessment (a 1-row call): None (not answered) reads as NaN.
        answers = np.array(
            (*self.items.values(), *self.aids.values(), *self.help.values()), dtype=np.float64
        )
        cats, index, n = _haq_scores(
            answers[:_N_ITEMS], answers[_N_ITEMS:], variant, self.min_categories
        )
        return cats, float(index), int(n)

    def _categories(self, variant: HAQVariant) -> dict[str, int | None]:
        cats = self._score(variant)[0].tolist()
        return {c: None if v != v else int(v) for c, v in zip(HAQ_CATEGORIES, cats, strict=True)}

    @property
    def category_scores(self) -> dict[str, int | None]:
        """Category scores 0-3 with aids and help (standard scoring); ``None`` where no item
        of the category is answered (always for index-only data)."""
        return self._categories("with_aids_and_help")

    @property
    def category_scores_unadjusted(self) -> dict[str, int | None]:
        """Category scores under ``unadjusted_variant``."""
        return self._categories(self.unadjusted_variant)

    @property
    def n_categories(self) -> int | None:
        """Number of answered categories (``None`` for index-only data)."""
        if self.is_index_only:
            return None
        return self._score("with_aids_and_help")[2]

    @property
    def disability_index(self) -> float | None:
        """Standard HAQ-DI (with aids/devices and help), 0-3; ``None`` when fewer than
        ``min_categories`` categories are answered."""
        if self.is_index_only:
            return self.recorded_index
        index = _none_if_nan(self._score("with_aids_and_help")[1])
        return self.recorded_index if index is None else index

    @property
    def disability_index_unadjusted(self) -> float | None:
        """HAQ-DI without aids/devices (and, by default, without help) -- see
        ``unadjusted_variant``. ``None`` for index-only data."""
        if self.is_index_only:
            return None
        return _none_if_nan(self._score(self.unadjusted_variant)[1])

    def change_from(self, baseline: HAQ, *, unadjusted: bool = False) -> float | None:
        """Absolute change of the HAQ-DI from ``baseline`` (negative = improvement).

        Examples
        --------
        >>> from sscoutcomes.measures.haq import HAQ
        >>> HAQ.from_index(0.875).change_from(HAQ.from_index(1.25))
        -0.375
        """
        check_instance("baseline", baseline, HAQ, "a HAQ")
        if check_bool("unadjusted", unadjusted):
            b, f = baseline.disability_index_unadjusted, self.disability_index_unadjusted
        else:
            b, f = baseline.disability_index, self.disability_index
        if b is None or f is None:
            return None
        return float(absolute_change(b, f))

    def to_record(self) -> dict[str, float | int | bool | None]:
        """The canonical visits-frame columns (items, aids, help and ``haq_di``).

        Examples
        --------
        >>> from sscoutcomes.measures.haq import HAQ
        >>> rec = HAQ.from_index(1.5).to_record()
        >>> rec["haq_di"], rec["haq_dress"]
        (1.5, None)
        """
        record: dict[str, float | int | bool | None] = {
            f"haq_{k}": v for k, v in self.items.items()
        }
        record.update({f"haq_aid_{k}": v for k, v in self.aids.items()})
        record.update({f"haq_help_{k}": v for k, v in self.help.items()})
        record["haq_di"] = self.disability_index
        return record

    @classmethod
    def from_record(
        cls,
        record: Mapping[str, Any],
        *,
        min_categories: int = MIN_CATEGORIES_DEFAULT,
        unadjusted_variant: UnadjustedVariant = "without_aids_and_help",
    ) -> HAQ | None:
        """Rebuild from canonical columns; ``None`` when the record has no HAQ data.

        Missing values may be ``None`` or NaN. Items win over a recorded ``haq_di``, which
        must then agree with the item-based index (to rounding, 0.005); when too few
        categories are answered for an index, a recorded ``haq_di`` is kept as the index
        if the answered items allow it (at least the sum of their category scores / 8), as
        :func:`score_haq` does.

        Examples
        --------
        >>> from sscoutcomes.measures.haq import HAQ
        >>> HAQ.from_record({"haq_di": 0.625}).disability_index
        0.625
        >>> HAQ.from_record({"mrss": 12}) is None
        True
        """

        def clean(v: Any) -> Any:
            if _is_missing(v):
                return None
            if isinstance(v, (float, np.floating)) and float(v).is_integer():
                return int(v)
            if isinstance(v, np.integer):
                return int(v)
            return v

        record = as_record(record)
        items = {i: clean(record.get(f"haq_{i}")) for i in _ITEM_NAMES}
        aids = {a: clean(record.get(f"haq_aid_{a}")) for a in _AID_NAMES}
        help_ = {c: clean(record.get(f"haq_help_{c}")) for c in HAQ_CATEGORIES}
        recorded = clean(record.get("haq_di"))
        if any(v is not None for v in (*items.values(), *aids.values(), *help_.values())):
            haq = cls(
                items=items,
                aids=aids,
                help=help_,
                min_categories=min_categories,
                unadjusted_variant=unadjusted_variant,
            )
            computed = haq.disability_index
            if recorded is not None:
                check_number("haq_di", recorded, 0, ITEM_MAX)
                if computed is not None and abs(computed - float(recorded)) > INDEX_TOLERANCE:
                    raise SchemaError(
                        f"haq_di = {recorded} disagrees with the HAQ-DI from its items "
                        f"({computed:g}); drop one of them"
                    )
                if computed is None:  # too few items for an index: keep the recorded one
                    return attrs.evolve(haq, recorded_index=float(recorded))
            return haq
        if recorded is not None:
            return cls.from_index(recorded)
        return None


# --------------------------------------------------------------------------------------
# frame face
# --------------------------------------------------------------------------------------
_HAQ_INPUT_SET: Final[frozenset[str]] = frozenset(spec.name for spec in HAQ_COLUMNS)
_HAQ_KNOWN: Final[tuple[str, ...]] = (
    *(spec.name for spec in HAQ_COLUMNS),
    *HAQ_OUTPUT_COLUMNS,
)


def _haq_columns(visits: pd.DataFrame) -> bool:
    """Check the frame's HAQ columns (a misspelled ``haq_`` column, or none at all raise
    SchemaError); return whether it records ``haq_di``."""
    check_unknown_prefixed(visits, "haq_", _HAQ_KNOWN)
    columns = set(visits.columns)
    has_answers = bool(columns & {s.name for s in (*_ITEM_SPECS, *_FLAG_SPECS)})
    has_index = "haq_di" in columns
    if not has_answers and not has_index:
        raise SchemaError(
            "the visits frame has no HAQ columns: give the item columns "
            f"({', '.join(_ITEM_COLUMNS[:2])}, ...) with the aid/help columns, and/or 'haq_di'"
        )
    return has_index


def _read_haq(
    visits: pd.DataFrame,
) -> tuple[FloatArray, npt.NDArray[np.bool_], FloatArray | None]:
    """The validated answers of every row: items as a (20, n) float array (NaN where not
    answered or the column is absent), the 13 aid then 8 help flags as a (21, n) bool array
    (False where not ticked, missing or absent) and the recorded index (or None). Every
    failing cell is listed in one error."""
    has_index = _haq_columns(visits)
    collector = FailureCollector(visits)
    n = len(visits)
    items = np.full((len(_ITEM_SPECS), n), np.nan)
    for spec, row in zip(_ITEM_SPECS, items, strict=True):
        if spec.name in visits.columns:
            row[:] = float_column(visits, spec, collector)
    flags = np.zeros((len(_FLAG_SPECS), n), dtype=bool)
    for spec, row in zip(_FLAG_SPECS, flags, strict=True):
        if spec.name in visits.columns:
            np.greater(bool_column(visits, spec, collector), 0, out=row)
    index = float_column(visits, _INDEX_SPEC, collector) if has_index else None
    collector.raise_if_failed()
    return items, flags, index


def _index_clash(index: Any, recorded: Any, cats: Any) -> npt.NDArray[np.bool_]:
    """Rows whose recorded ``haq_di`` the items do not allow (both faces' one rule): it
    must agree with the index computed from the items (within :data:`INDEX_TOLERANCE`);
    with too few categories answered for an index, it must be at least the sum of the
    answered category scores / 8 (the other categories can only add to the mean).
    ``cats`` holds the 8 category scores along its first axis (NaN = not answered)."""
    index, recorded = np.asarray(index, dtype=np.float64), np.asarray(recorded, dtype=np.float64)
    lowest = np.nansum(np.asarray(cats, dtype=np.float64), axis=0) / len(HAQ_CATEGORIES)
    with np.errstate(invalid="ignore"):
        computed = ~np.isnan(index)
        clash = computed & (np.abs(index - recorded) > INDEX_TOLERANCE)
        clash |= ~computed & (recorded < lowest - INDEX_TOLERANCE)
    return np.asarray(clash & ~np.isnan(recorded), dtype=np.bool_)


#: The reason given for a recorded ``haq_di`` that :func:`_index_clash` refuses.
_CLASH_REASON: Final = (
    "disagrees with the HAQ-DI computed from the items, or is below what the answered "
    "categories allow (their sum / 8) when too few are answered (drop one of them)"
)


def _frame_scores(
    items: FloatArray,
    flags: npt.NDArray[np.bool_],
    recorded: FloatArray | None,
    *,
    min_categories: int,
    unadjusted_variant: HAQVariant,
) -> tuple[dict[str, FloatArray], npt.NDArray[np.int8], npt.NDArray[np.bool_]]:
    """The numeric output columns of :func:`score_haq`, the source codes (-1 none, 0 items,
    1 recorded index) and the rows whose recorded index disagrees with their items (an
    error for the caller to raise), for the (20, n) items and (21, n) flags of n rows."""
    raw = _raw_categories(items)
    cats, index, answered = _haq_scores(
        items, flags, variant="with_aids_and_help", min_categories=min_categories, raw=raw
    )
    _, unadjusted, _ = _haq_scores(
        items, flags, variant=unadjusted_variant, min_categories=min_categories, raw=raw
    )
    source = np.where(np.isnan(index), -1, 0).astype(np.int8)
    clash = np.zeros(np.shape(index), dtype=bool)
    if recorded is not None:
        clash = _index_clash(index, recorded, cats)
        use_recorded = np.isnan(index) & ~np.isnan(recorded)
        index = np.where(use_recorded, recorded, index)
        source[use_recorded] = 1
        answered = np.where(use_recorded & (answered == 0), np.nan, answered)
    return (
        {
            "haq_di": index,
            "haq_di_unadjusted": unadjusted,
            **{f"haq_cat_{c}": cats[k] for k, c in enumerate(HAQ_CATEGORIES)},
            "haq_n_categories": answered,
        },
        source,
        clash,
    )


@frame_face
def score_haq(
    visits: pd.DataFrame,
    *,
    min_categories: int = MIN_CATEGORIES_DEFAULT,
    unadjusted_variant: UnadjustedVariant = "without_aids_and_help",
) -> pd.DataFrame:
    """HAQ-DI, unadjusted HAQ-DI and the 8 category scores for every row of a visits frame.

    Reads the item columns ``haq_<item>``, the aid columns ``haq_aid_<aid>`` and the help
    columns ``haq_help_<category>`` (any subset: a missing item column is an unanswered
    item, a missing or empty aid/help cell counts as not used), and ``haq_di`` for rows that
    record only the index. The input is not modified.

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit with canonical columns.
    min_categories : int
        Answered categories needed for an index (default 6 of 8).
    unadjusted_variant : {"without_aids_and_help", "without_aids"}
        What ``haq_di_unadjusted`` leaves out.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``visits.index`` with columns ``haq_di`` (standard, with aids/devices and
        help), ``haq_di_unadjusted``, ``haq_cat_<category>`` (standard category scores),
        ``haq_n_categories`` (answered categories; NaN for index-only rows) and
        ``haq_di_source`` (``"items"``, ``"recorded index"`` or missing). The variants used
        are stored in ``result.attrs["haq_variants"]``. Scores that the rules cannot compute
        are NaN, never 0.

    Raises
    ------
    SchemaError
        No HAQ columns, a misspelled ``haq_`` column, text that is not a number or yes/no, or
        a recorded ``haq_di`` that disagrees with its items.
    OutOfRangeError
        Items outside 0..3 or not whole, an index outside 0..3; every failing cell is listed
        in ``failure_cases``.

    Notes
    -----
    Same formula as :class:`HAQ` and :func:`haq_disability_index` (Bruce & Fries 2003,
    doi:10.1186/1477-7525-1-20).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.measures.haq import HAQ_ITEMS, score_haq
    >>> row = {f"haq_{i}": 1 for i in HAQ_ITEMS} | {"haq_aid_cane": True}
    >>> out = score_haq(pd.DataFrame([row, {"haq_di": 0.5}]))
    >>> out["haq_di"].tolist(), out["haq_di_unadjusted"].tolist()
    ([1.125, 0.5], [1.0, nan])
    """
    mc = _check_min_categories(min_categories)
    _check_variant(unadjusted_variant, ("without_aids_and_help", "without_aids"))
    items, flags, recorded = _read_haq(visits)
    scores, source, clash = _frame_scores(
        items,
        flags,
        recorded,
        min_categories=mc,
        unadjusted_variant=unadjusted_variant,
    )
    collector = FailureCollector(visits)
    collector.add(
        clash,
        "haq_di",
        recorded if recorded is not None else np.full(len(visits), np.nan),
        _CLASH_REASON,
        schema=True,
    )
    collector.raise_if_failed()
    names = HAQ_OUTPUT_COLUMNS[:-1]
    # One (columns, rows) array: the result frame takes it as its block without a copy.
    table = np.stack([scores[name] for name in names])
    out = pd.DataFrame(table.T, index=visits.index, columns=list(names), copy=False)
    out["haq_di_source"] = pd.Series(
        labelled_categorical(source, ("items", "recorded index")), index=visits.index
    )
    out.attrs["haq_variants"] = {
        "haq_di": HAQ_VARIANTS["with_aids_and_help"],
        "haq_di_unadjusted": HAQ_VARIANTS[unadjusted_variant],
        "min_categories": mc,
    }
    return out


# --------------------------------------------------------------------------------------
# responder definitions (Khanna 2006)
# --------------------------------------------------------------------------------------
_KHANNA_2006: Final = (
    "Khanna D, Furst DE, Hays RD, et al. Minimally important difference in diffuse systemic "
    "sclerosis: results from the D-penicillamine study. Ann Rheum Dis 2006;65:1325-9. "
    "doi:10.1136/ard.2005.050187"
)
#: Tolerance for comparing a change with its threshold (HAQ-DI changes are short decimals).
_CHANGE_EPS: Final = 1e-9


def haq_di_change_definition(
    *,
    name: str,
    direction: Literal["improvement", "worsening"],
    min_points: float,
    measure: Literal["haq_di", "haq_di_unadjusted"] = "haq_di",
    reference: str,
    description: str | None = None,
    provisional: bool = False,
    target_day: int | None = None,
    window_days: int | None = None,
) -> ResponderDefinition:
    """Build a HAQ-DI improvement or worsening rule from a threshold in points.

    A patient responds when the HAQ-DI moves by at least ``min_points`` in ``direction``
    (improvement = decrease). A missing baseline or follow-up is not evaluable, never a
    non-response.

    Parameters
    ----------
    name : str
        Name naming the variant, e.g. ``"haq_di_improvement_0.14"``.
    direction : {"improvement", "worsening"}
    min_points : float
        Threshold on the absolute change (0 < ``min_points`` <= 3).
    measure : {"haq_di", "haq_di_unadjusted"}
        Which index the rule reads.
    reference, description : str
        Primary reference (with DOI) and the rule in words.
    provisional : bool
        Mark a rule the sources do not settle.
    target_day, window_days : int, optional
        The follow-up time the rule was published for.

    Returns
    -------
    ResponderDefinition

    Examples
    --------
    >>> from sscoutcomes.measures.haq import haq_di_change_definition
    >>> rule = haq_di_change_definition(name="haq_di_improvement_0.25",
    ...                                 direction="improvement", min_points=0.25,
    ...                                 reference="user-defined")
    >>> rule.evaluate(1.5, 1.25).value, rule.evaluate(1.5, 1.375).value
    ('responder', 'non-responder')
    """
    check_choice("direction", direction, ("improvement", "worsening"))
    check_choice("measure", measure, ("haq_di", "haq_di_unadjusted"))
    threshold = check_number("min_points", min_points, 0, ITEM_MAX)
    if threshold == 0:
        raise OutOfRangeError("min_points = 0 is not a change; give a threshold in (0, 3]")
    sign = -1.0 if direction == "improvement" else 1.0

    def rule(b: Mapping[str, FloatArray], f: Mapping[str, FloatArray]) -> npt.NDArray[np.int8]:
        base, follow = np.broadcast_arrays(b[measure], f[measure])
        for arr, which in ((base, "baseline"), (follow, "follow-up")):
            finite = arr[~np.isnan(arr)]
            if finite.size and (finite.min() < 0 or finite.max() > ITEM_MAX):
                bad = finite[(finite < 0) | (finite > ITEM_MAX)][0]
                raise OutOfRangeError(f"{which} {measure} = {bad:g} is outside 0..{ITEM_MAX}")
        evaluable = ~np.isnan(base) & ~np.isnan(follow)
        with np.errstate(invalid="ignore"):
            moved = sign * np.asarray(absolute_change(base, follow))
            ok = moved >= threshold - _CHANGE_EPS
        return response_codes(ok & evaluable, evaluable)

    text = description or (
        f"{measure} {'decrease' if sign < 0 else 'increase'} of >= {threshold:g} points"
    )
    return ResponderDefinition(
        name=name,
        measures=(measure,),
        reference=reference,
        description=text,
        rule=rule,
        provisional=provisional,
        target_day=target_day,
        window_days=window_days,
        parameters={"direction": direction, "min_points": threshold, "measure": measure},
    )


#: HAQ-DI improvement of at least 0.14 (upper end of the SSc MCID 0.10-0.14, Khanna 2006).
HAQ_DI_IMPROVEMENT_MCID: Final = haq_di_change_definition(
    name="haq_di_improvement_0.14",
    direction="improvement",
    min_points=0.14,
    reference=_KHANNA_2006,
    description=(
        "HAQ-DI decrease of >= 0.14 (SSc MCID estimate 0.10-0.14, Khanna 2006; the 0.22 "
        "often quoted is a rheumatoid arthritis figure)"
    ),
)
#: HAQ-DI improvement of at least 0.10 (lower end of the SSc MCID range, Khanna 2006).
HAQ_DI_IMPROVEMENT_MCID_LOW: Final = haq_di_change_definition(
    name="haq_di_improvement_0.10",
    direction="improvement",
    min_points=0.10,
    reference=_KHANNA_2006,
    description="HAQ-DI decrease of >= 0.10 (lower end of the SSc MCID estimate 0.10-0.14)",
)

#: The built-in HAQ definitions by name.
HAQ_RESPONDER_DEFINITIONS: Final[dict[str, ResponderDefinition]] = {
    d.name: d for d in (HAQ_DI_IMPROVEMENT_MCID, HAQ_DI_IMPROVEMENT_MCID_LOW)
}


#: The declaration of the HAQ-DI.
HAQ_INSTRUMENT: Final = Instrument(
    name="haq",
    title="Health Assessment Questionnaire Disability Index",
    columns=HAQ_COLUMNS,
    prefixes=("haq_",),
    score=score_haq,
    kernel=haq_disability_index,
    outputs=HAQ_OUTPUT_COLUMNS,
    record=HAQ,
    field="haq",
    responders=tuple(HAQ_RESPONDER_DEFINITIONS.values()),
    references=(
        "Bruce B, Fries JF. Health Qual Life Outcomes 2003;1:20. doi:10.1186/1477-7525-1-20",
    ),
)
