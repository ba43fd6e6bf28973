"""Missing data is never good news: property tests over every instrument of the registry.

For every frame face (:data:`sscoutcomes.registry.INSTRUMENTS`), every object face, every
responder definition in :data:`sscoutcomes.RESPONDER_DEFINITIONS` and CRISS, blanking any
subset of input cells must

(a) never turn a not-evaluable result into an evaluable one, never turn a missing number
    into a number and never move a result to a *better* category: a result either stays
    what it was or becomes not evaluable;
(b) keep the input's row count and index (a non-default index included);
(c) leave the input frame unmodified.

"Better", per output (documented here because (a) is checked against it):

================================  ==========================================================
output                            better means
================================  ==========================================================
``mrss``, ``haq_*``, ``shaq_*``   lower (less skin thickening, less disability, less burden)
``patient_global``, ...           lower (0-10, higher = worse)
``scleroid``                      lower (0-10, higher = more impact)
``fvc_pct_predicted``, ``dlco_``  higher
``goh_stage``                     ``limited`` better than ``extensive``
``rap_used_mmhg``, ``spap_mmhg``  lower
``ph_probability``                ``low`` > ``intermediate`` > ``high`` (best first)
``vascular_grade``, ``medsger_*`` lower grade (0 normal .. 4 end stage)
``eustar_activity`` / ``_active`` lower score / not active
responder definitions             ``responder`` better than ``non-responder`` for an
                                  improvement rule; ``non-responder`` better for a
                                  progression rule (``mrss_progression_eustar``, ``ild_*``,
                                  ``ppf_*``): a result may only stay or become not evaluable,
                                  so both readings are covered
CRISS, revised CRISS              ``responder`` better; a higher probability better
================================  ==========================================================

Because every check requires "unchanged or not evaluable", no direction can be gained by
blanking. One documented exception is encoded, not hidden: the HAQ-DI follows the Stanford
scoring rules (Bruce & Fries 2003, doi:10.1186/1477-7525-1-20), under which a category
score is the highest *answered* item, an unchecked aid/help box is "not used", and the
index is the mean of the answered categories when at least 6 of 8 are answered. Blanking an
item, an aid or a help cell may therefore change the HAQ-DI in either direction while it
stays evaluable; what is checked for it is that a missing index never becomes a number and
that the number of answered categories never grows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sscoutcomes import RESPONDER_DEFINITIONS
from sscoutcomes.indices.criss import criss_frame, revised_criss_frame
from sscoutcomes.indices.severity import medsger_severity
from sscoutcomes.measures._instrument import Instrument, score_frame
from sscoutcomes.measures.heart import _SIGN_COLUMNS as _ECHO_SIGN_COLUMNS
from sscoutcomes.registry import INSTRUMENTS, instruments
from strategies import (
    CRISS_STEP1_SPECS,
    criss_frames,
    instrument_specs,
    responder_inputs,
    visits_frames,
)

#: Few examples per instrument: the module runs in well under 40 s on a shared 2-core box.
FEW = settings(deadline=None, max_examples=25)

SCORED: tuple[str, ...] = tuple(i.name for i in instruments() if i.score is not None)
RECORDED: tuple[str, ...] = tuple(i.name for i in instruments() if i.record is not None)

#: Outputs scored by the Stanford HAQ-DI rules (the documented exception above).
_STANFORD = {"haq_di", "haq_di_unadjusted"} | {
    c for c in INSTRUMENTS["haq"].outputs if c.startswith("haq_cat_")
}

#: The object face's outputs, per record class.
#: Outputs that say what a result rests on, not results: blanking an input may move them
#: to another source (an sPAP estimated from the TR velocity becomes the recorded one).
PROVENANCE = frozenset({"spap_basis"})

OBJECT_OUTPUTS: dict[str, tuple[str, ...]] = {
    "skin": ("total",),
    "haq": ("disability_index", "disability_index_unadjusted", "n_categories"),
    "shaq": ("scores",),
    "global assessments": ("patient", "physician"),
    "scleroid": ("score",),
    "lung": ("fvc_pct", "dlco_pct"),
    "lung imaging": ("extent_pct", "ild", "comparison"),
    "heart": ("rap_used_mmhg", "spap_mmhg", "ph_probability"),
    "peripheral vascular": ("grade",),
}


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def blank(frame: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with the cells where ``mask`` is true made missing."""
    out = frame.copy()
    for column in frame.columns:
        rows = mask[column].to_numpy()
        if not rows.any():
            continue
        series = out[column]
        if series.dtype == "boolean":
            series = series.copy()
            series[rows] = pd.NA
        elif series.dtype == object:
            series = series.astype(object).where(~rows, None)
        else:
            series = series.where(~rows, np.nan)
        out[column] = series
    return out


@st.composite
def masks(draw: st.DrawFn, frame: pd.DataFrame) -> pd.DataFrame:
    """Which cells to blank: one cell, one column, one row or any subset."""
    n, m = frame.shape
    kind = draw(st.sampled_from(["cell", "column", "row", "subset"]))
    grid = np.zeros((n, m), dtype=bool)
    if kind == "cell":
        grid[draw(st.integers(0, n - 1)), draw(st.integers(0, m - 1))] = True
    elif kind == "column":
        grid[:, draw(st.integers(0, m - 1))] = True
    elif kind == "row":
        grid[draw(st.integers(0, n - 1)), :] = True
    else:
        flat = draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m))
        grid = np.asarray(flat, dtype=bool).reshape(n, m)
    return pd.DataFrame(grid, index=frame.index, columns=frame.columns)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        # one value from two sources (a recorded % predicted and measured / predicted)
        return bool(np.isclose(a, b, rtol=1e-9, atol=0.0))
    return bool(a == b)


def assert_stays_or_not_evaluable(before: Any, after: Any, what: str) -> None:
    """``after`` is ``before`` or not evaluable (missing); never a new or better value."""
    if _missing(after):
        return
    assert not _missing(before), f"{what}: not evaluable became {after!r} after blanking"
    if isinstance(before, dict):
        for key in before:
            assert_stays_or_not_evaluable(before[key], after[key], f"{what}[{key!r}]")
        return
    assert _same(before, after), f"{what}: {before!r} became {after!r} after blanking"


def assert_columns(before: pd.DataFrame, after: pd.DataFrame, blanked: set[str]) -> None:
    for column in before.columns:
        for label in before.index:
            b, a = before.at[label, column], after.at[label, column]
            what = f"{column} at {label!r} (blanked {sorted(blanked)})"
            if column in _STANFORD:
                assert not (_missing(b) and not _missing(a)), f"{what}: {b!r} became {a!r}"
            elif column == "haq_n_categories":
                assert _missing(a) or (not _missing(b) and a <= b), f"{what}: {b!r} -> {a!r}"
            else:
                assert_stays_or_not_evaluable(b, a, what)


def _record(frame: pd.DataFrame, label: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    row = frame.loc[label]
    return {c: (None if _missing(row[c]) else row[c]) for c in columns}


# --------------------------------------------------------------------------------------
# (a), (b), (c) for every frame face
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", SCORED)
@FEW
@given(data=st.data())
def test_blanking_never_makes_a_frame_result_evaluable_or_better(name: str, data: Any) -> None:
    instrument = INSTRUMENTS[name]
    frame = data.draw(visits_frames(instrument), label="visits")
    mask = data.draw(masks(frame), label="blanked")
    kept = frame.copy(deep=True)
    before = score_frame(instrument, frame)
    pd.testing.assert_frame_equal(frame, kept)  # (c)
    blanked = blank(frame, mask)
    kept_blanked = blanked.copy(deep=True)
    after = score_frame(instrument, blanked)
    pd.testing.assert_frame_equal(blanked, kept_blanked)  # (c)
    for result in (before, after):  # (b)
        assert len(result) == len(frame)
        assert result.index.equals(frame.index)
        assert set(instrument.outputs) <= set(result.columns)
    columns = {c for c in frame.columns if mask[c].any()}
    results = [c for c in instrument.outputs if c not in PROVENANCE]
    assert_columns(before[results], after[results], columns)


@pytest.mark.parametrize("name", SCORED)
@FEW
@given(data=st.data())
def test_all_blank_is_not_evaluable_and_not_an_error(name: str, data: Any) -> None:
    """A frame whose every input cell is blank scores as not evaluable (never 0, never
    the best category, never an error about absent columns)."""
    instrument = INSTRUMENTS[name]
    frame = data.draw(visits_frames(instrument, max_rows=3), label="visits")
    empty = blank(frame, pd.DataFrame(True, index=frame.index, columns=frame.columns))
    out = score_frame(instrument, empty)
    assert out.index.equals(frame.index)
    for column in instrument.outputs:
        if column == "haq_n_categories":  # a count of answered categories: 0 is the truth
            assert (out[column] == 0).all()
            continue
        assert out[column].isna().all(), f"{column}: {out[column].tolist()}"


# --------------------------------------------------------------------------------------
# object faces
# --------------------------------------------------------------------------------------
def _object_outputs(instrument: Instrument, record: dict[str, Any]) -> dict[str, Any]:
    assert instrument.record is not None
    obj = instrument.record.from_record(record)
    if obj is None:
        return dict.fromkeys(OBJECT_OUTPUTS[instrument.name])
    return {attr: getattr(obj, attr) for attr in OBJECT_OUTPUTS[instrument.name]}


@pytest.mark.parametrize("name", RECORDED)
@FEW
@given(data=st.data())
def test_blanking_never_makes_an_object_result_evaluable_or_better(name: str, data: Any) -> None:
    instrument = INSTRUMENTS[name]
    frame = data.draw(visits_frames(instrument, max_rows=1), label="visit")
    label = frame.index[0]
    columns = tuple(s.name for s in instrument.columns)
    record = _record(frame, label, columns)
    kept = dict(record)
    if name == "heart":
        # Known gap: EchoFinding reads an unmeasured sign as absent (a field cannot say
        # whether the echo reported it); the frame face does not (a blank cell in a sign
        # column it carries is unknown). Only the other fields are blanked here.
        columns = tuple(c for c in columns if c not in _ECHO_SIGN_COLUMNS)
    blanked_names = data.draw(st.sets(st.sampled_from(columns), min_size=1), label="blanked")
    before = _object_outputs(instrument, record)
    assert record == kept  # the record is not modified
    after = _object_outputs(instrument, record | dict.fromkeys(blanked_names))
    for attr, value in before.items():
        what = f"{instrument.name}.{attr} (blanked {sorted(blanked_names)})"
        if instrument.name == "haq" and attr != "n_categories":
            assert not (_missing(value) and not _missing(after[attr])), what
        elif attr == "n_categories":
            assert _missing(after[attr]) or (not _missing(value) and after[attr] <= value), what
        else:
            assert_stays_or_not_evaluable(value, after[attr], what)


@FEW
@given(data=st.data())
def test_blanking_never_makes_a_medsger_grade_assessable_or_lower(data: Any) -> None:
    """The object face of the Medsger scale (:func:`medsger_severity`)."""
    instrument = INSTRUMENTS["Medsger severity"]
    frame = data.draw(visits_frames(instrument, max_rows=1), label="visit")
    columns = tuple(s.name for s in instrument_specs(instrument))
    record = _record(frame, frame.index[0], columns)
    blanked_names = data.draw(st.sets(st.sampled_from(columns), min_size=1), label="blanked")
    before = medsger_severity(record).grades
    after = medsger_severity(record | dict.fromkeys(blanked_names)).grades
    for organ, grade in before.items():
        assert_stays_or_not_evaluable(grade, after[organ], f"{organ} ({sorted(blanked_names)})")


# --------------------------------------------------------------------------------------
# responder definitions and CRISS
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(RESPONDER_DEFINITIONS))
@FEW
@given(data=st.data())
def test_blanking_never_makes_a_responder_result_evaluable_or_better(name: str, data: Any) -> None:
    definition = RESPONDER_DEFINITIONS[name]
    baseline = data.draw(responder_inputs(definition), label="baseline")
    follow_up = data.draw(responder_inputs(definition), label="follow_up")
    measures = list(definition.measures)
    gone_b = data.draw(st.sets(st.sampled_from(measures)), label="blank at baseline")
    gone_f = data.draw(st.sets(st.sampled_from(measures)), label="blank at follow-up")
    before = definition.evaluate(baseline, follow_up)
    after = definition.evaluate(baseline | dict.fromkeys(gone_b), follow_up | dict.fromkeys(gone_f))
    assert after in (before, type(before).NOT_EVALUABLE), f"{before} -> {after}"


def _blank_pair(
    data: Any, base: pd.DataFrame, follow: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (
        blank(base, data.draw(masks(base), label="blank at baseline")),
        blank(follow, data.draw(masks(follow), label="blank at follow-up")),
    )


@FEW
@given(data=st.data())
def test_blanking_never_makes_criss_evaluable_or_better(data: Any) -> None:
    """CRISS (both steps). ``criss_probability`` is 0 after a step-1 event; when blanking
    an event flag leaves step 1 unknown (``criss_step1`` missing), the probability shown is
    step 2's and the response is never a responder (it is not evaluable at or above the
    threshold)."""
    base, follow = data.draw(criss_frames(), label="frames")
    kept = (base.copy(deep=True), follow.copy(deep=True))
    before = criss_frame(base, follow)
    pd.testing.assert_frame_equal(base, kept[0])
    pd.testing.assert_frame_equal(follow, kept[1])
    b2, f2 = _blank_pair(data, base, follow)
    after = criss_frame(b2, f2)
    assert after.index.equals(follow.index)
    for label in before.index:
        step1_b, step1_a = before.at[label, "criss_step1"], after.at[label, "criss_step1"]
        assert_stays_or_not_evaluable(step1_b, step1_a, f"criss_step1 at {label!r}")
        rb, ra = before.at[label, "criss_response"], after.at[label, "criss_response"]
        assert ra in (rb, "not evaluable"), f"criss_response at {label!r}: {rb} -> {ra}"
        pb, pa = before.at[label, "criss_probability"], after.at[label, "criss_probability"]
        if step1_b is True and _missing(step1_a):
            assert ra != "responder"
        else:
            assert_stays_or_not_evaluable(pb, pa, f"criss_probability at {label!r}")


@FEW
@given(data=st.data(), step1=st.booleans())
def test_blanking_never_makes_revised_criss_evaluable_or_better(data: Any, step1: bool) -> None:
    base, follow = data.draw(criss_frames(), label="frames")
    before = revised_criss_frame(base, follow, step1=step1)
    b2, f2 = _blank_pair(data, base, follow)
    after = revised_criss_frame(b2, f2, step1=step1)
    assert after.index.equals(follow.index)
    for label in before.index:
        rb, ra = before.at[label, "rcriss_response"], after.at[label, "rcriss_response"]
        assert ra in (rb, "not evaluable"), f"rcriss_response at {label!r}: {rb} -> {ra}"


def test_step1_specs_are_the_follow_up_flags() -> None:
    assert [s.name for s in CRISS_STEP1_SPECS] == [
        "renal_crisis",
        "lv_failure_new",
        "pah_new_rhc",
        "fvc_decline_confirmed",
        "hrct_ild",
    ]


# --------------------------------------------------------------------------------------
# the cases the properties found (regular unit tests, one per fix)
# --------------------------------------------------------------------------------------
def test_medsger_organ_with_a_blank_item_that_could_raise_it_is_not_assessable() -> None:
    from sscoutcomes.indices.severity import score_medsger

    frame = pd.DataFrame(
        {
            "fvc_pct_predicted": [90.0, 90.0, 45.0],
            "dlco_pct_predicted": [85.0, 85.0, np.nan],
            "spap_mmhg": [30.0, 30.0, np.nan],
            "oxygen_needed": pd.array([False, pd.NA, False], dtype="boolean"),
        },
        index=["known", "oxygen blank", "worst known"],
    )
    lung = score_medsger(frame)["medsger_lung"]
    assert lung["known"] == 0  # every item known
    assert np.isnan(lung["oxygen blank"])  # was 0: the blank oxygen item could give 4
    assert lung["worst known"] == 3  # FVC < 50 gives 3; the blanks (DLCO, sPAP) cannot exceed 3
    # an item the frame does not carry is not part of the assessment
    assert score_medsger(frame.drop(columns="oxygen_needed"))["medsger_lung"]["oxygen blank"] == 0


def test_medsger_object_face_with_a_blank_item_is_not_assessable() -> None:
    grades = medsger_severity({"creatinine_mg_dl": 0.8, "dialysis": None}).grades
    assert grades["kidney"] is None  # was 0: dialysis unknown could give 4
    assert medsger_severity({"creatinine_mg_dl": 0.8}).grades["kidney"] == 0


def test_eustar_activity_of_blank_cells_is_not_evaluable_not_an_error() -> None:
    from sscoutcomes.errors import SchemaError
    from sscoutcomes.indices.activity import score_eustar_activity

    frame = pd.DataFrame({"mrss": [np.nan], "crp_mg_l": [np.nan]}, index=["v1"])
    out = score_eustar_activity(frame)  # was SchemaError "none of the ... columns"
    assert np.isnan(out.at["v1", "eustar_activity"])
    assert pd.isna(out.at["v1", "eustar_active"])
    with pytest.raises(SchemaError, match="none of the EUSTAR activity index columns"):
        score_eustar_activity(pd.DataFrame({"patient_id": ["a"]}))


def test_ph_probability_with_a_blank_sign_that_decides_is_not_evaluable() -> None:
    from sscoutcomes.measures.heart import score_echo

    frame = pd.DataFrame(
        {
            "tr_velocity_m_s": [3.0, 2.5, 3.0, 3.6],
            "rap_mmhg": [3.0, 3.0, 3.0, 3.0],
            "rv_lv_ratio": [1.2, 1.2, 1.2, np.nan],
            "pa_diameter_mm": [np.nan, np.nan, 28.0, np.nan],
        },
        index=["a", "b", "c", "d"],
    )
    out = score_echo(frame)["ph_probability"]
    assert pd.isna(out["a"])  # was intermediate: the blank PA diameter could make it high
    assert pd.isna(out["b"])  # was low
    assert out["c"] == "high"  # signs from two categories
    assert out["d"] == "high"  # TRV > 3.4 is high whatever the signs
    # a sign column the frame does not carry is not known either, never read as no sign
    assert pd.isna(score_echo(frame[["tr_velocity_m_s", "rap_mmhg"]])["ph_probability"]["b"])


def test_ph_probability_with_other_signs_none_is_not_evaluable() -> None:
    from sscoutcomes.measures.heart import PHProbability, ph_probability

    assert ph_probability(2.5, other_signs=None) is None  # was low
    assert ph_probability(3.6, other_signs=None) is PHProbability.HIGH
    assert ph_probability(2.5) is None  # the default: other signs not known
    assert ph_probability(2.5, other_signs=False) is PHProbability.LOW
