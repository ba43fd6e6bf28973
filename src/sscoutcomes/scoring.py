"""Score every measure a visits frame carries, in one call.

:func:`score_visits` runs the frame face of each registered instrument
(:data:`sscoutcomes.registry.INSTRUMENTS`) whose columns are present and returns the visits
with the scores added. It computes nothing itself: every number comes from the instruments'
single formulas, and an instrument added to the registry is scored here without an edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from ._validation import did_you_mean
from .errors import SchemaError
from .measures._instrument import Instrument, as_visits_frame, score_frame
from .registry import instruments

__all__ = ["score_visits"]


def score_visits(visits: Any, *, outputs: Iterable[str] | None = None) -> pd.DataFrame:
    """The visits with every computable score added (the input is not modified).

    Each registered instrument with a frame face (and ``in_score_visits``) is scored when
    the frame holds one of its trigger columns, in registry order. A score column that is
    also an input column (a recorded ``mrss`` or ``haq_di`` total) is replaced by the scored
    value, which uses the recorded total where the items are missing and is checked against
    it where both are present. A score two instruments report (the SHAQ reports the HAQ-DI
    beside its scales) is kept once, from the first.

    Parameters
    ----------
    visits : pandas.DataFrame or Cohort
        One row per visit with canonical columns.
    outputs : iterable of str, optional
        Only the instruments writing one of these columns are scored, and only these columns
        are added (the report uses this for the scores it needs).

    Returns
    -------
    pandas.DataFrame
        A copy of ``visits`` with the score columns of every measure present.

    Raises
    ------
    SchemaError
        When no measure column at all is present, an ``outputs`` name is not a score (the
        closest is suggested), or a measure's own checks fail.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.scoring import score_visits
    >>> out = score_visits(pd.DataFrame({"patient_id": ["a"], "day": [0], "mrss": [12]}))
    >>> out["mrss"].tolist()
    [12.0]
    """
    frame = as_visits_frame(visits)
    return _score(frame, None if outputs is None else _output_names(outputs))


def score_available(visits: Any, outputs: Iterable[str]) -> pd.DataFrame:
    """The visits with those of ``outputs`` added that the frame's columns allow; names
    that are not scores are left to the caller (the analyses ask for a measure the frame
    may hold raw, e.g. ``crp_mg_l``, and report what stays absent themselves)."""
    return _score(as_visits_frame(visits), set(outputs))


def _score(frame: pd.DataFrame, wanted: set[str] | None) -> pd.DataFrame:
    columns = set(frame.columns)
    parts = [
        score_frame(inst, frame)
        for inst in _scoring_instruments()
        if columns & inst.trigger_columns and (wanted is None or wanted & set(inst.outputs))
    ]
    if not parts:
        if wanted is not None:
            return frame.copy()
        raise SchemaError(
            "the visits frame has no measure columns to score (e.g. mrss_<site>, mrss, "
            "haq_<item>, fvc_pct_predicted, tr_velocity_m_s)"
        )
    scores = pd.concat(parts, axis=1)
    scores = scores.loc[:, ~scores.columns.duplicated()]
    if wanted is not None:
        scores = scores.loc[:, [c for c in scores.columns if c in wanted]]
    return frame.drop(columns=[c for c in scores.columns if c in columns]).join(scores)


def _scoring_instruments() -> list[Instrument]:
    """The registered instruments :func:`score_visits` runs, in registry order."""
    return [inst for inst in instruments() if inst.score is not None and inst.in_score_visits]


def _output_names(outputs: object) -> set[str]:
    """``outputs`` of :func:`score_visits` as a set of names (SchemaError for anything else)."""
    if isinstance(outputs, str):
        outputs = (outputs,)
    if not isinstance(outputs, Iterable) or isinstance(outputs, (bytes, pd.DataFrame)):
        raise SchemaError(f"outputs must be output column names; got {type(outputs).__name__}")
    names = list(outputs)
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise SchemaError(f"outputs: {bad[0]!r} is not an output column name")
    known = [o for inst in _scoring_instruments() for o in inst.outputs]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SchemaError(
            f"outputs: {unknown[0]!r} is not a score that score_visits writes"
            f"{did_you_mean(unknown[0], known)}; the scores are: {', '.join(sorted(known))}"
        )
    return set(names)
