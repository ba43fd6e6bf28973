"""2013 ACR/EULAR classification criteria for systemic sclerosis.

=========================================================================  ===========
item (sub-item)                                                            weight
=========================================================================  ===========
skin thickening of the fingers of both hands extending proximal to the     9
MCP joints (sufficient criterion)
skin thickening of the fingers (count the higher only): puffy fingers /    2 / 4
sclerodactyly (distal to the MCP, proximal to the PIP joints)
fingertip lesions (count the higher only): digital tip ulcers / fingertip  2 / 3
pitting scars
telangiectasia                                                             2
abnormal nailfold capillaries                                              2
pulmonary arterial hypertension and/or interstitial lung disease           2
Raynaud's phenomenon                                                       3
SSc-related autoantibodies (anticentromere, anti-topoisomerase I,          3
anti-RNA polymerase III; any)
=========================================================================  ===========

A total of at least 9 classifies a patient as having SSc. The score is reported as the sum
of each item's highest weight, the 9-point item included, as the paper's Table 1 lists the
items separately (items 2-8 reach at most 19; the classification is the same whether or
not the sufficient item is added to them). The criteria do not apply to patients with
skin thickening sparing the fingers or with a scleroderma-like disorder that better
explains the manifestations; the caller flags those and the result says "not applicable".

An item left unknown (``None``) adds no points; the result lists it, and says whether the
unknown items could still change the verdict.

References
----------
- van den Hoogen F, Khanna D, Fransen J, et al. 2013 classification criteria for systemic
  sclerosis: an American College of Rheumatology/European League Against Rheumatism
  collaborative initiative. Ann Rheum Dis 2013;72:1747-55.
  doi:10.1136/annrheumdis-2013-204424. Arthritis Rheum 2013;65:2737-47.
  doi:10.1002/art.38098.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._result import ResultMixin
from .._validation import (
    ColumnSpec,
    FailureCollector,
    bool_column,
    check_instance,
    require_any,
    unique_columns,
)
from ..errors import OutOfRangeError

__all__ = [
    "ACR_EULAR_2013_ITEMS",
    "ACR_EULAR_2013_THRESHOLD",
    "ACREULARClassification",
    "classify_acr_eular_2013",
    "score_acr_eular_2013",
]

FloatArray = npt.NDArray[np.float64]

#: Items -> sub-items (keyword) -> weight; within an item only the highest counts.
ACR_EULAR_2013_ITEMS: Final[Mapping[str, Mapping[str, int]]] = {
    "skin thickening proximal to the MCP joints": {"skin_thickening_proximal_mcp": 9},
    "skin thickening of the fingers": {"puffy_fingers": 2, "sclerodactyly": 4},
    "fingertip lesions": {"digital_tip_ulcers": 2, "fingertip_pitting_scars": 3},
    "telangiectasia": {"telangiectasia": 2},
    "abnormal nailfold capillaries": {"abnormal_nailfold_capillaries": 2},
    "PAH and/or ILD": {"pah": 2, "ild": 2},
    "Raynaud's phenomenon": {"raynauds": 3},
    "SSc-related autoantibodies": {
        "anticentromere": 3,
        "anti_topoisomerase": 3,
        "anti_rna_polymerase_iii": 3,
    },
}
#: Total needed to classify (van den Hoogen 2013).
ACR_EULAR_2013_THRESHOLD: Final = 9
_SUB_ITEMS: Final[tuple[str, ...]] = tuple(
    k for subs in ACR_EULAR_2013_ITEMS.values() for k in subs
)
_EXCLUSIONS: Final[tuple[str, ...]] = ("skin_thickening_sparing_fingers", "better_explained")
_COLUMNS: Final[tuple[ColumnSpec, ...]] = tuple(
    ColumnSpec(name=k, dtype="bool", description=f"2013 ACR/EULAR sub-item {k}")
    for k in (*_SUB_ITEMS, *_EXCLUSIONS)
)


def _score_kernel(values: Mapping[str, FloatArray]) -> tuple[FloatArray, FloatArray]:
    """The formula: (score from known items, highest score the unknown items could add)."""
    first = next(iter(values.values()))
    score = np.zeros(first.shape)
    potential = np.zeros(first.shape)
    for subs in ACR_EULAR_2013_ITEMS.values():
        got = np.zeros(first.shape)
        could = np.zeros(first.shape)
        for key, weight in subs.items():
            v = values[key]
            got = np.maximum(got, np.where(v > 0, float(weight), 0.0))
            could = np.maximum(could, np.where(np.isnan(v), float(weight), 0.0))
        score += got
        potential += np.maximum(could - got, 0.0)
    return score, potential


@attrs.frozen(kw_only=True)
class ACREULARClassification(ResultMixin):
    """Result of :func:`classify_acr_eular_2013`.

    Attributes
    ----------
    score : int
        Sum of each item's highest present sub-item weight.
    classified : bool
        ``score >= 9`` (and the criteria apply).
    items : mapping
        The items that counted -> (sub-item, weight).
    unknown : tuple of str
        Sub-items given as ``None``.
    verdict : str
        ``"classified"``, ``"not classified"``, ``"undetermined"`` (unknown items could
        still reach 9) or ``"not applicable"`` (exclusion flagged).
    """

    score: int
    classified: bool
    items: Mapping[str, tuple[str, int]]
    unknown: tuple[str, ...]
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (``items`` as a plain dict)."""
        return {**super().to_dict(), "items": dict(self.items)}

    def to_frame(self) -> pd.DataFrame:
        """The items that counted, one row each: ``item``, ``sub_item``, ``weight``.

        Examples
        --------
        >>> from sscoutcomes import classify_acr_eular_2013
        >>> res = classify_acr_eular_2013(sclerodactyly=True, raynauds=True, ild=True)
        >>> res.to_frame()
                                     item       sub_item  weight
        0  skin thickening of the fingers  sclerodactyly       4
        1                  PAH and/or ILD            ild       2
        2            Raynaud's phenomenon       raynauds       3
        """
        return pd.DataFrame(
            [(item, sub, weight) for item, (sub, weight) in self.items.items()],
            columns=["item", "sub_item", "weight"],
        ).astype({"item": "string", "sub_item": "string", "weight": "int64"})


def classify_acr_eular_2013(
    *,
    skin_thickening_proximal_mcp: bool | None = None,
    puffy_fingers: bool | None = None,
    sclerodactyly: bool | None = None,
    digital_tip_ulcers: bool | None = None,
    fingertip_pitting_scars: bool | None = None,
    telangiectasia: bool | None = None,
    abnormal_nailfold_capillaries: bool | None = None,
    pah: bool | None = None,
    ild: bool | None = None,
    raynauds: bool | None = None,
    anticentromere: bool | None = None,
    anti_topoisomerase: bool | None = None,
    anti_rna_polymerase_iii: bool | None = None,
    skin_thickening_sparing_fingers: bool = False,
    better_explained: bool = False,
) -> ACREULARClassification:
    """Classify one patient by the 2013 ACR/EULAR criteria.

    Each keyword is True (present), False (absent) or None (unknown: adds no points and
    is listed in ``.unknown``). ``skin_thickening_sparing_fingers`` and
    ``better_explained`` flag the patients to whom the criteria do not apply.

    Examples
    --------
    >>> from sscoutcomes.indices.classification import classify_acr_eular_2013
    >>> r = classify_acr_eular_2013(puffy_fingers=True, sclerodactyly=True, raynauds=True,
    ...                             anticentromere=True, telangiectasia=False)
    >>> r.score, r.classified, r.items["skin thickening of the fingers"]
    (10, True, ('sclerodactyly', 4))
    >>> classify_acr_eular_2013(skin_thickening_proximal_mcp=True).verdict
    'classified'
    """
    given = {
        "skin_thickening_proximal_mcp": skin_thickening_proximal_mcp,
        "puffy_fingers": puffy_fingers,
        "sclerodactyly": sclerodactyly,
        "digital_tip_ulcers": digital_tip_ulcers,
        "fingertip_pitting_scars": fingertip_pitting_scars,
        "telangiectasia": telangiectasia,
        "abnormal_nailfold_capillaries": abnormal_nailfold_capillaries,
        "pah": pah,
        "ild": ild,
        "raynauds": raynauds,
        "anticentromere": anticentromere,
        "anti_topoisomerase": anti_topoisomerase,
        "anti_rna_polymerase_iii": anti_rna_polymerase_iii,
    }
    for name, value in (
        *given.items(),
        ("skin_thickening_sparing_fingers", skin_thickening_sparing_fingers),
        ("better_explained", better_explained),
    ):
        if value is not None and not isinstance(value, (bool, np.bool_)):
            raise OutOfRangeError(f"{name} = {value!r} is not True, False or None")
    values = {
        k: np.asarray(np.nan if v is None else float(v), dtype=np.float64) for k, v in given.items()
    }
    score_a, potential_a = _score_kernel(values)
    score = int(score_a)
    counted: dict[str, tuple[str, int]] = {}
    for item, subs in ACR_EULAR_2013_ITEMS.items():
        present = [(w, k) for k, w in subs.items() if given[k]]
        if present:
            weight, key = max(present)
            counted[item] = (key, weight)
    unknown = tuple(k for k, v in given.items() if v is None)
    if skin_thickening_sparing_fingers or better_explained:
        verdict, classified = "not applicable", False
    elif score >= ACR_EULAR_2013_THRESHOLD:
        verdict, classified = "classified", True
    elif score + float(potential_a) >= ACR_EULAR_2013_THRESHOLD:
        verdict, classified = "undetermined", False
    else:
        verdict, classified = "not classified", False
    return ACREULARClassification(
        score=score, classified=classified, items=counted, unknown=unknown, verdict=verdict
    )


def score_acr_eular_2013(frame: pd.DataFrame) -> pd.DataFrame:
    """The 2013 ACR/EULAR score and verdict for every row of a patients (or visits) frame.

    Columns are named as the keywords of :func:`classify_acr_eular_2013`; a missing
    column or cell is unknown. The input is not modified.

    Returns
    -------
    pandas.DataFrame
        ``acr_eular_score`` (sum of the known items), ``acr_eular_verdict`` (categorical:
        classified / not classified / undetermined / not applicable).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.indices.classification import score_acr_eular_2013
    >>> f = pd.DataFrame({"sclerodactyly": [True, False], "raynauds": [True, True],
    ...                   "anti_topoisomerase": [True, False]})
    >>> score_acr_eular_2013(f)["acr_eular_score"].tolist()
    [10.0, 3.0]
    """
    check_instance("frame", frame, pd.DataFrame, "a pandas DataFrame")
    unique_columns(frame, "frame")
    require_any(frame, _COLUMNS, "2013 ACR/EULAR item", what="frame")
    n = len(frame)
    collector = FailureCollector(frame)
    values = {
        spec.name: (
            bool_column(frame, spec, collector)
            if spec.name in frame.columns
            else np.full(n, np.nan)
        )
        for spec in _COLUMNS
    }
    collector.raise_if_failed("patients frame")
    score, potential = _score_kernel({k: values[k] for k in _SUB_ITEMS})
    excluded = (values["skin_thickening_sparing_fingers"] > 0) | (values["better_explained"] > 0)
    codes = np.where(
        excluded,
        3,
        np.where(
            score >= ACR_EULAR_2013_THRESHOLD,
            0,
            np.where(score + potential >= ACR_EULAR_2013_THRESHOLD, 2, 1),
        ),
    )
    verdict = pd.Categorical.from_codes(
        codes.astype(np.int64),
        categories=pd.Index(
            ["classified", "not classified", "undetermined", "not applicable"], dtype=object
        ),
    )
    return pd.DataFrame({"acr_eular_score": score, "acr_eular_verdict": verdict}, index=frame.index)
