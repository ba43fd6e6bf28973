"""Shared hypothesis strategies (as in attrs' tests/strategies.py)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from sscoutcomes._response import ResponderDefinition
from sscoutcomes._validation import ColumnSpec
from sscoutcomes.indices.criss import CRISS_CORE
from sscoutcomes.measures._instrument import Instrument
from sscoutcomes.measures.haq import HAQ_ITEMS
from sscoutcomes.measures.heart import (
    _SIGN_COLUMNS,  # the sign measurements, as score_echo reads them
    ECHO,
    echo_signs_two_categories,
    estimate_rap,
)
from sscoutcomes.measures.lung import PULMONARY_FUNCTION
from sscoutcomes.measures.skin import SKIN_SITES
from sscoutcomes.measures.vascular import VASCULAR
from sscoutcomes.registry import instruments

#: One site grade, 0-3.
site_grades = st.integers(min_value=0, max_value=3)

#: A complete set of 17 site grades as a dict.
complete_sites = st.fixed_dictionaries(dict.fromkeys(SKIN_SITES, site_grades))

#: Site grades where any site may be missing (None).
partial_sites = st.fixed_dictionaries({s: st.none() | site_grades for s in SKIN_SITES})

#: An mRSS total.
mrss_totals = st.integers(min_value=0, max_value=51)

#: An mRSS total or missing.
optional_mrss = st.none() | mrss_totals


# --------------------------------------------------------------------------------------
# visits frames for every instrument of the registry
# --------------------------------------------------------------------------------------
#: Upper bound used for a column whose range is open above (e.g. ``crp_mg_l``).
OPEN_RANGE_CAP = 300.0

#: The chance that a generated cell is missing.
P_MISSING = 0.25


def spec_values(spec: ColumnSpec) -> st.SearchStrategy[Any]:
    """Valid values of one column: in its range, whole where it must be, from its
    categories, or yes/no."""
    if spec.dtype == "bool":
        return st.booleans()
    if spec.dtype == "category":
        return st.sampled_from(spec.categories)
    lo = 0.0 if spec.lo is None else float(spec.lo)
    hi = OPEN_RANGE_CAP if spec.hi is None or math.isinf(spec.hi) else float(spec.hi)
    if spec.integer or spec.dtype == "int":
        return st.integers(min_value=math.ceil(lo), max_value=math.floor(hi)).map(float)
    # round to two decimals, as clinical values are recorded (and so exact cut-offs occur)
    return st.floats(min_value=lo, max_value=hi, allow_nan=False).map(
        lambda x: min(max(round(x, 2), lo), hi)
    )


def maybe_missing(values: st.SearchStrategy[Any], p: float = P_MISSING) -> st.SearchStrategy[Any]:
    """``values`` or, with chance about ``p``, ``None``."""
    return st.floats(0, 1).flatmap(lambda u: st.none() if u < p else values)


def _column_cells(
    spec: ColumnSpec, n: int, rng: np.random.Generator, p_missing: float
) -> pd.Series[Any]:
    """``n`` valid cells of one column, each missing with chance ``p_missing`` (numpy, so
    that frames of 40 columns are drawn fast)."""
    missing = rng.random(n) < p_missing
    if spec.dtype == "bool":
        flags = pd.array(rng.random(n) < 0.5, dtype="boolean")
        flags[missing] = pd.NA
        return pd.Series(flags)
    if spec.dtype == "category":
        cells = rng.choice(np.asarray(spec.categories, dtype=object), size=n)
        return pd.Series(np.where(missing, None, cells), dtype="object")
    lo = 0.0 if spec.lo is None else float(spec.lo)
    hi = OPEN_RANGE_CAP if spec.hi is None or math.isinf(spec.hi) else float(spec.hi)
    if spec.integer or spec.dtype == "int":
        values = rng.integers(math.ceil(lo), math.floor(hi), endpoint=True, size=n).astype(float)
    else:
        # recorded to one decimal, with the range's ends and whole numbers now and then
        uniform = np.round(rng.uniform(lo, hi, size=n), 1)
        whole = np.round(rng.uniform(lo, hi, size=n))
        ends = rng.choice(np.array([lo, hi]), size=n)
        pick = rng.integers(0, 10, size=n)
        values = np.clip(np.where(pick == 0, ends, np.where(pick < 4, whole, uniform)), lo, hi)
    return pd.Series(np.where(missing, np.nan, values), dtype="float64")


#: Non-default indexes for the frames: strings, shuffled integers, a date index.
def frame_index(n: int) -> st.SearchStrategy[pd.Index]:
    return st.sampled_from(
        [
            pd.RangeIndex(n),
            pd.Index([f"v{i}" for i in range(n)]),
            pd.Index(list(range(10 * n, 0, -10)), dtype="int64"),
            pd.date_range("2020-01-01", periods=n, freq="D"),
        ]
    )


@st.composite
def spec_frames(
    draw: st.DrawFn,
    specs: Sequence[ColumnSpec],
    *,
    min_rows: int = 1,
    max_rows: int = 4,
    p_missing: float = P_MISSING,
) -> pd.DataFrame:
    """A frame with one column per spec, valid values and missing cells."""
    n = draw(st.integers(min_value=min_rows, max_value=max_rows))
    index = draw(frame_index(n))
    rng = np.random.default_rng(draw(st.integers(min_value=0, max_value=2**32 - 1)))
    data = {spec.name: _column_cells(spec, n, rng, p_missing).set_axis(index) for spec in specs}
    return pd.DataFrame(data, index=index)


def _skin_consistent(frame: pd.DataFrame) -> pd.DataFrame:
    """A recorded total the sites allow: their sum when all 17 are graded, else between the
    sum of the known grades and that sum plus 3 per missing site (the scorers refuse any
    other). Blanking a site only widens that range, so the total stays allowed."""
    sites = frame[[f"mrss_{s}" for s in SKIN_SITES]]
    lo = sites.sum(axis=1)
    hi = lo + 3 * sites.isna().sum(axis=1)
    known = sites.notna().any(axis=1) & frame["mrss"].notna()
    frame.loc[known, "mrss"] = frame.loc[known, "mrss"].clip(lo[known], hi[known])
    return frame


def _haq_consistent(frame: pd.DataFrame) -> pd.DataFrame:
    """A recorded HAQ-DI only on rows without any item (the scorer refuses a clash)."""
    items = frame[[f"haq_{i}" for i in HAQ_ITEMS]]
    frame.loc[items.notna().any(axis=1), "haq_di"] = np.nan
    return frame


def _lung_consistent(frame: pd.DataFrame) -> pd.DataFrame:
    """Measured / predicted pairs give the recorded % predicted exactly (two sources of one
    value must agree; one blanked leaves the other)."""
    for pct, measured, predicted in (
        ("fvc_pct_predicted", "fvc_l", "fvc_predicted_l"),
        ("dlco_pct_predicted", "dlco_measured", "dlco_predicted"),
    ):
        derived = 100.0 * frame[measured] / frame[predicted]
        lo, hi = PULMONARY_FUNCTION.spec(pct).lo, PULMONARY_FUNCTION.spec(pct).hi
        out = ~derived.between(lo, hi)
        frame.loc[out, [measured, predicted]] = np.nan
        both = derived.notna() & ~out
        frame.loc[both & frame[pct].notna(), pct] = derived
    return frame


def _echo_consistent(frame: pd.DataFrame) -> pd.DataFrame:
    """A recorded RAP agrees with the IVC estimate and a recorded sPAP with 4 v^2 + RAP
    (two sources of one value must agree; one blanked leaves the other); a TR velocity
    stated not measurable is not also given."""
    given = frame["tr_velocity_m_s"].notna() & frame["tr_velocity_measurable"].eq(False)
    frame.loc[given.fillna(False).astype(bool), "tr_velocity_measurable"] = True
    rap_ivc = pd.Series(
        estimate_rap(frame["ivc_diameter_cm"].to_numpy(), frame["ivc_collapse_pct"].to_numpy()),
        index=frame.index,
    )
    frame.loc[rap_ivc.notna() & frame["rap_mmhg"].notna(), "rap_mmhg"] = rap_ivc
    rap = frame["rap_mmhg"].fillna(rap_ivc)
    trv = frame["tr_velocity_m_s"]
    spap = 4.0 * trv * trv + rap
    spec = ECHO.spec("spap_mmhg")
    fits = spap.between(spec.lo, spec.hi)
    frame.loc[spap.notna() & ~fits, "spap_mmhg"] = np.nan
    frame.loc[spap.notna() & fits & frame["spap_mmhg"].notna(), "spap_mmhg"] = spap
    # echo signs stated as reported agree with what the sign measurements decide
    measured = echo_signs_two_categories(
        **{c: frame[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in _SIGN_COLUMNS},
        spap_mmhg=spap.fillna(frame["spap_mmhg"]).to_numpy(dtype=np.float64, na_value=np.nan),
    )
    decided = ~pd.isna(measured)
    stated = frame["other_echo_signs"].notna().to_numpy()
    frame.loc[decided & stated, "other_echo_signs"] = measured[decided & stated]
    return frame


#: Per instrument: columns left out of its generated frames and a repair making two
#: sources of one value agree.
_REPAIRS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "skin": _skin_consistent,
    "haq": _haq_consistent,
    "lung": _lung_consistent,
    "heart": _echo_consistent,
}


def instrument_specs(instrument: Instrument) -> tuple[ColumnSpec, ...]:
    """The input columns of an instrument's frame face: its own columns, and for a
    composite index the inputs it reads from the measures' owners."""
    own = tuple(instrument.columns)
    extra: tuple[ColumnSpec, ...] = ()
    if instrument.name == "Medsger severity":
        extra = tuple(s for s in _MEDSGER_INPUTS.values() if s.name not in {c.name for c in own})
        extra += tuple(VASCULAR.columns)
    elif instrument.name == "EUSTAR activity":
        extra = tuple(_ACTIVITY_INPUTS.values())
    return own + extra


@st.composite
def visits_frames(
    draw: st.DrawFn,
    instrument: Instrument,
    *,
    min_rows: int = 1,
    max_rows: int = 4,
    p_missing: float = P_MISSING,
) -> pd.DataFrame:
    """A visits frame carrying every input column of ``instrument``: valid values in
    range, each cell missing with chance ``p_missing``, under a varied (often
    non-default) index; cells that hold one value twice (a total and its items) agree."""
    frame = draw(
        spec_frames(
            instrument_specs(instrument),
            min_rows=min_rows,
            max_rows=max_rows,
            p_missing=p_missing,
        )
    )
    repair = _REPAIRS.get(instrument.name)
    return frame if repair is None else repair(frame)


def _medsger_inputs() -> dict[str, ColumnSpec]:
    from sscoutcomes.indices.severity import _INPUT_SPECS

    return dict(_INPUT_SPECS)


def _activity_inputs() -> dict[str, ColumnSpec]:
    from sscoutcomes.indices.activity import _COLUMNS

    return dict(_COLUMNS)


_MEDSGER_INPUTS = _medsger_inputs()
_ACTIVITY_INPUTS = _activity_inputs()

#: The CRISS core measures with their owners' specs.
CRISS_SPECS: tuple[ColumnSpec, ...] = tuple(
    next(s for inst in instruments() for s in inst.columns if s.name == m) for m in CRISS_CORE
)
#: CRISS step-1 inputs read at follow-up.
CRISS_STEP1_SPECS: tuple[ColumnSpec, ...] = tuple(
    next(s for inst in instruments() for s in inst.columns if s.name == m)
    for m in ("renal_crisis", "lv_failure_new", "pah_new_rhc", "fvc_decline_confirmed", "hrct_ild")
)


@st.composite
def criss_frames(
    draw: st.DrawFn, *, max_rows: int = 4, p_missing: float = P_MISSING
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A baseline and a follow-up frame for CRISS (same index; the follow-up carries the
    step-1 columns), with missing cells."""
    base = draw(spec_frames(CRISS_SPECS, max_rows=max_rows, p_missing=p_missing))
    n = len(base)
    follow = draw(
        spec_frames(CRISS_SPECS + CRISS_STEP1_SPECS, min_rows=n, max_rows=n, p_missing=p_missing)
    )
    return base, follow.set_axis(base.index)


def responder_inputs(
    definition: ResponderDefinition, *, p_missing: float = P_MISSING
) -> st.SearchStrategy[dict[str, float | None]]:
    """One patient's inputs to a responder definition (measure -> value or None)."""
    specs = {s.name: s for inst in instruments() for s in inst.columns}
    return st.fixed_dictionaries(
        {m: maybe_missing(spec_values(specs[m]), p_missing) for m in definition.measures}
    )
