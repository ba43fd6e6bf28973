"""Score every measure a visits frame carries, in one call.

:func:`score_visits` runs each measure's frame face (:func:`score_mrss`, :func:`score_haq`,
...) on the columns present and returns the visits with the scores added. It computes
nothing itself: every number comes from the measure modules' single formulas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import pandas as pd

from .errors import SchemaError
from .measures.globals import GLOBAL_COLUMNS
from .measures.haq import HAQ_COLUMNS, SHAQ_COLUMNS, score_haq, score_shaq
from .measures.heart import HEART_COLUMNS, score_echo
from .measures.lung import score_pft
from .measures.skin import SKIN_COLUMNS, score_mrss
from .measures.vascular import VASCULAR_COLUMNS, score_vascular

__all__ = ["SCORERS", "score_visits"]


def _mrss(visits: pd.DataFrame) -> pd.DataFrame:
    return score_mrss(visits).to_frame()


def _haq(visits: pd.DataFrame) -> pd.DataFrame:
    return score_haq(visits)


def _shaq(visits: pd.DataFrame) -> pd.DataFrame:
    return score_shaq(visits)


#: (name, input columns that trigger it, scorer) in the order they are applied.
SCORERS: Final[tuple[tuple[str, frozenset[str], Callable[[pd.DataFrame], pd.DataFrame]], ...]] = (
    ("mrss", frozenset(spec.name for spec in SKIN_COLUMNS), _mrss),
    ("haq", frozenset(spec.name for spec in HAQ_COLUMNS), _haq),
    ("shaq", frozenset(spec.name for spec in SHAQ_COLUMNS), _shaq),
    ("vascular", frozenset(spec.name for spec in VASCULAR_COLUMNS), score_vascular),
    (
        "lung",
        frozenset(
            {"fvc_pct_predicted", "dlco_pct_predicted", "fvc_l", "dlco_measured", "hrct_extent_pct"}
        ),
        score_pft,
    ),
    (
        "heart",
        frozenset(s.name for s in HEART_COLUMNS) - {"pah_comparison", "pericardial_effusion"},
        score_echo,
    ),
)

_ = GLOBAL_COLUMNS  # global assessments are recorded values: nothing to score


def score_visits(visits: pd.DataFrame) -> pd.DataFrame:
    """The visits with every computable score added (the input is not modified).

    A score column that is also an input column (a recorded ``mrss`` or ``haq_di`` total)
    is replaced by the scored value, which uses the recorded total where the items are
    missing and is checked against it where both are present.

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit with canonical columns.

    Returns
    -------
    pandas.DataFrame
        A copy of ``visits`` with the score columns of every measure present.

    Raises
    ------
    SchemaError
        When no measure column at all is present, or a measure's own checks fail.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.scoring import score_visits
    >>> out = score_visits(pd.DataFrame({"patient_id": ["a"], "day": [0], "mrss": [12]}))
    >>> out["mrss"].tolist()
    [12.0]
    """
    columns = set(visits.columns)
    parts = [scorer(visits) for _, inputs, scorer in SCORERS if columns & inputs]
    if not parts:
        raise SchemaError(
            "the visits frame has no measure columns to score (e.g. mrss_<site>, mrss, "
            "haq_<item>, fvc_pct_predicted, tr_velocity_m_s)"
        )
    scores = pd.concat(parts, axis=1)
    # a score reported by two measures (SHAQ reports the HAQ-DI beside its scales) is kept
    # once, from the measure that owns it (the first scorer)
    scores = scores.loc[:, ~scores.columns.duplicated()]
    return visits.drop(columns=[c for c in scores.columns if c in columns]).join(scores)
