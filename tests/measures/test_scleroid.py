"""ScleroID (Becker 2022): weights, worked example, bounds, missing data, both faces."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sscoutcomes as ssc
from sscoutcomes.errors import OutOfRangeError, SchemaError
from sscoutcomes.measures.scleroid import (
    SCLEROID_DIMENSIONS,
    SCLEROID_WEIGHTS,
    ScleroID,
    scleroid_score,
    score_scleroid,
)

EXAMPLE = [9, 3, 4, 0, 7, 2, 6, 4, 0, 3]  # Becker 2022: the worked example scores 3.9
COLUMNS = [f"scleroid_{d}" for d in SCLEROID_DIMENSIONS]


def test_weights_are_table_5_and_add_up_to_one() -> None:
    assert list(SCLEROID_WEIGHTS.values()) == [
        0.117, 0.114, 0.109, 0.104, 0.098, 0.096, 0.095, 0.093, 0.091, 0.083,
    ]  # fmt: skip
    assert math.isclose(sum(SCLEROID_WEIGHTS.values()), 1.0, abs_tol=1e-12)
    assert SCLEROID_DIMENSIONS[0] == "raynaud"
    assert SCLEROID_DIMENSIONS[-1] == "digital_ulcers"


def test_worked_example_of_the_paper_is_3_9_on_every_face() -> None:
    assert scleroid_score(EXAMPLE) == pytest.approx(3.9, abs=1e-12)
    obj = ScleroID(**dict(zip(SCLEROID_DIMENSIONS, EXAMPLE, strict=True)))
    assert obj.score == pytest.approx(3.9, abs=1e-12)
    frame = pd.DataFrame([dict(zip(COLUMNS, EXAMPLE, strict=True))])
    assert score_scleroid(frame)["scleroid"].tolist() == pytest.approx([3.9], abs=1e-12)
    assert ssc.score_visits(frame)["scleroid"].tolist() == pytest.approx([3.9], abs=1e-12)


@pytest.mark.parametrize(("value", "ok"), [(0, True), (10, True), (-1, False), (11, False)])
def test_each_rating_is_0_to_10_from_both_sides(value: int, ok: bool) -> None:
    ratings = [5] * 10
    ratings[3] = value
    frame = pd.DataFrame([dict(zip(COLUMNS, ratings, strict=True))])
    if ok:
        expected = 5 * (1 - SCLEROID_WEIGHTS["pain"]) + value * SCLEROID_WEIGHTS["pain"]
        assert scleroid_score(ratings) == pytest.approx(expected)
        assert ScleroID(pain=value).pain == value
        assert score_scleroid(frame)["scleroid"].iloc[0] == pytest.approx(expected)
        return
    with pytest.raises(OutOfRangeError):
        scleroid_score(ratings)
    with pytest.raises(OutOfRangeError, match="scleroid_pain"):
        ScleroID(pain=value)
    with pytest.raises(OutOfRangeError, match="scleroid_pain"):
        score_scleroid(frame)


def test_ratings_must_be_whole_numbers_and_numbers() -> None:
    with pytest.raises(OutOfRangeError, match="not a whole number"):
        scleroid_score([5.5] + [5] * 9)
    with pytest.raises(OutOfRangeError, match="scleroid_fatigue"):
        ScleroID(fatigue=2.5)
    with pytest.raises(SchemaError, match="is not a number"):
        scleroid_score(["3"] + [5] * 9)
    with pytest.raises(SchemaError, match="give the 10 ratings"):
        scleroid_score([5] * 9)


@pytest.mark.parametrize("missing", SCLEROID_DIMENSIONS)
def test_any_one_missing_rating_is_not_evaluable(missing: str) -> None:
    ratings = dict(zip(SCLEROID_DIMENSIONS, EXAMPLE, strict=True))
    ratings[missing] = None
    assert ScleroID(**ratings).score is None
    row = {f"scleroid_{d}": v for d, v in ratings.items()}
    assert math.isnan(score_scleroid(pd.DataFrame([row]))["scleroid"].iloc[0])
    assert math.isnan(scleroid_score([np.nan if v is None else v for v in ratings.values()]))


RATINGS = st.lists(st.none() | st.integers(0, 10), min_size=10, max_size=10)


@given(st.lists(RATINGS, min_size=1, max_size=6))
def test_object_face_equals_frame_face_and_the_array_face(rows: list[list[int | None]]) -> None:
    frame = pd.DataFrame(
        [dict(zip(COLUMNS, r, strict=True)) for r in rows], index=range(5, 5 + len(rows))
    )
    out = score_scleroid(frame)["scleroid"]
    assert out.index.equals(frame.index)
    arrays = scleroid_score(np.array([[np.nan if v is None else v for v in r] for r in rows]))
    for r, frame_value, array_value in zip(rows, out, arrays, strict=True):
        obj = ScleroID(**dict(zip(SCLEROID_DIMENSIONS, r, strict=True))).score
        if obj is None:
            assert math.isnan(frame_value)
            assert math.isnan(array_value)
        else:
            assert frame_value == obj
            assert array_value == obj
            assert 0.0 <= obj <= 10.0


@given(st.lists(st.integers(0, 9), min_size=10, max_size=10), st.integers(0, 9))
def test_monotone_in_each_dimension(ratings: list[int], which: int) -> None:
    higher = list(ratings)
    higher[which] += 1
    assert scleroid_score(higher) > scleroid_score(ratings)


def test_visit_round_trip_and_change_from_baseline() -> None:
    visit = ssc.Visit(
        day=0, scleroid=ScleroID(**dict(zip(SCLEROID_DIMENSIONS, EXAMPLE, strict=True)))
    )
    assert ssc.Visit.from_record(visit.to_record()) == visit
    visits = pd.DataFrame(
        [
            {"patient_id": "a", "day": 0, **dict(zip(COLUMNS, EXAMPLE, strict=True))},
            {"patient_id": "a", "day": 365, **dict.fromkeys(COLUMNS, 2)},
        ]
    )
    change = ssc.change_from_baseline(visits, "scleroid", ssc.Schedule.years(0, 1))
    assert change["change"].tolist() == pytest.approx([2.0 - 3.9])


def test_the_report_has_a_scleroid_row_when_present() -> None:
    import warnings

    demo = ssc.load_demo()
    visits = demo.visits
    rng = np.random.default_rng(1)
    for column in COLUMNS:
        visits[column] = rng.integers(0, 11, len(visits))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ssc.SSCOutcomesWarning)
        cohort = ssc.Cohort.from_frames(visits=visits, patients=demo.patients_frame)
        table = ssc.FollowUpReport(cohort, ssc.Schedule.years(0, 1)).to_frame()
        plain = ssc.FollowUpReport(demo, ssc.Schedule.years(0, 1)).to_frame()
    rows = table[table["section"] == "scleroid"]
    assert rows["outcome"].tolist() == ["ScleroID", "ScleroID", "ScleroID change from baseline"]
    assert "doi:10.1136/annrheumdis-2021-220702" in rows["source"].iloc[0]
    assert "scleroid" not in set(plain["section"])  # absent data: no section


def test_change_from_is_missing_when_either_score_is_missing() -> None:
    full = ScleroID(**dict.fromkeys(SCLEROID_DIMENSIONS, 4))
    part = ScleroID(raynaud=2)
    assert part.score is None
    assert full.change_from(part) is None
    assert part.change_from(full) is None
    assert full.change_from(full) == 0.0
