"""Tests for the modified Rodnan skin score (sscoutcomes.measures.skin).

Reference rules: Clements 1995 (17 sites, 0-3, total 0-51); LeRoy 1988 (subsets);
Maurer 2015 / Dobrota 2016 / Wyss 2024 (EUSTAR progression / regression: change >5 points
and >=25 %, baseline >= 7); Khanna 2006 (MCID 3.2-5.3, default 5).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sscoutcomes as ssc
from sscoutcomes import (
    RESPONDER_DEFINITIONS,
    SKIN_SITES,
    CutaneousSubset,
    OutOfRangeError,
    Response,
    SchemaError,
    SkinScore,
    absolute_change,
    cutaneous_subset,
    mrss_course,
    mrss_total,
    percent_change,
    score_mrss,
    skin_subset,
)
from sscoutcomes.measures.skin import (
    MRSS_IMPROVEMENT_MCID,
    MRSS_PROGRESSION_EUSTAR,
    MRSS_REGRESSION_EUSTAR,
    mrss_change_definition,
)
from strategies import complete_sites, mrss_totals, optional_mrss, partial_sites


def sites_frame(rows: list[dict[str, int | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{f"mrss_{s}": r.get(s) for s in SKIN_SITES} for r in rows], dtype="float64"
    )


ZERO = dict.fromkeys(SKIN_SITES, 0)


# ----------------------------------------------------------------------------- the sites
def test_seventeen_sites_as_in_design() -> None:
    assert len(SKIN_SITES) == 17
    assert len(set(SKIN_SITES)) == 17
    assert SKIN_SITES[0] == "face"
    assert {"fingers_right", "fingers_left", "feet_right", "feet_left"} <= set(SKIN_SITES)


# ----------------------------------------------------------------------------- totals
def test_extremes_of_the_scale() -> None:
    # Clements 1995: 17 sites x 0-3 -> 0..51.
    assert SkinScore.from_sites(dict.fromkeys(SKIN_SITES, 3)).total == 51
    assert SkinScore.from_sites(ZERO).total == 0
    assert mrss_total([3] * 17) == 51.0


def test_worked_example_limited_disease() -> None:
    # Sclerodactyly (fingers 2/2), hands 1/1, forearms 1/1, face 1: a typical lcSSc record.
    grades = ZERO | {
        "face": 1,
        "fingers_right": 2,
        "fingers_left": 2,
        "hands_right": 1,
        "hands_left": 1,
        "forearms_right": 1,
        "forearms_left": 1,
    }
    score = SkinScore.from_sites(grades)
    assert score.total == 9
    assert score.subset is CutaneousSubset.LIMITED


def test_missing_site_gives_no_total() -> None:
    grades: dict[str, int | None] = {**ZERO, "feet_left": None}
    assert SkinScore.from_sites(grades).total is None
    assert math.isnan(mrss_total([0] * 16 + [np.nan]))


def test_total_only_form_answers_unknown_at_site_level() -> None:
    s = SkinScore.from_total(18)
    assert s.total == 18
    assert s.is_total_only
    assert s.subset is CutaneousSubset.UNKNOWN
    assert all(v is None for v in s.sites.values())


def test_recorded_total_below_the_sum_of_known_sites_is_refused_on_both_faces() -> None:
    # four sites graded 3 (sum 12) and 13 not assessed: the total can be 12..51
    grades = {s: (3 if i < 4 else None) for i, s in enumerate(SKIN_SITES)}
    row = {f"mrss_{s}": g for s, g in grades.items()}
    for total, ok in ((11, False), (12, True), (51, True), (5, False)):
        frame = pd.DataFrame([row | {"mrss": total}])
        if ok:
            kept = SkinScore(**grades, recorded_total=total)
            assert kept.total == total
            assert SkinScore.from_record(row | {"mrss": total}) == kept
            assert score_mrss(frame)["mrss"].tolist() == [float(total)]
            assert kept.to_record()["mrss"] == total
            continue
        with pytest.raises(SchemaError, match=r"outside 12\.\.51"):
            SkinScore(**grades, recorded_total=total)
        with pytest.raises(SchemaError, match=r"outside 12\.\.51"):
            SkinScore.from_record(row | {"mrss": total})
        with pytest.raises(SchemaError, match="outside what the known site grades allow"):
            score_mrss(frame)


def test_recorded_total_above_what_the_missing_sites_allow_is_refused() -> None:
    grades = {s: (0 if i < 16 else None) for i, s in enumerate(SKIN_SITES)}  # 0..3
    assert SkinScore(**grades, recorded_total=3).total == 3
    with pytest.raises(SchemaError, match=r"outside 0\.\.3"):
        SkinScore(**grades, recorded_total=4)
    frame = pd.DataFrame([{f"mrss_{s}": g for s, g in grades.items()} | {"mrss": 4}])
    with pytest.raises(SchemaError, match="outside what the known site grades allow"):
        score_mrss(frame)


def test_recorded_total_with_all_sites_must_equal_their_sum() -> None:
    grades = dict.fromkeys(SKIN_SITES, 1)
    assert SkinScore(**grades, recorded_total=17).total == 17
    with pytest.raises(SchemaError, match="disagrees with the sum of its 17 site grades"):
        SkinScore(**grades, recorded_total=16)


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        (4, r"mrss site 'face' = 4 is outside 0..3"),
        (-1, r"mrss site 'face' = -1 is outside 0..3"),
        (1.5, r"mrss site 'face' = 1.5 is not an integer"),
        ("2", r"mrss site 'face' = '2' is not a number"),
        (True, r"mrss site 'face' = True is not a number"),
        (float("nan"), r"mrss site 'face' = nan is not a number"),
    ],
)
def test_bad_site_values_raise_naming_the_site(value: object, pattern: str) -> None:
    with pytest.raises(OutOfRangeError, match=pattern):
        SkinScore(face=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("total", [-1, 52, 18.5])
def test_bad_totals_raise(total: float) -> None:
    with pytest.raises(OutOfRangeError, match="mrss total"):
        SkinScore.from_total(total)  # type: ignore[arg-type]


def test_unknown_site_name_is_refused_with_suggestion() -> None:
    with pytest.raises(SchemaError, match="did you mean 'mrss_fingers_right'"):
        SkinScore.from_sites({"fingers_rigth": 1})


def test_kernel_rejects_wrong_shape_and_values() -> None:
    with pytest.raises(SchemaError, match="17 site grades"):
        mrss_total([1, 2, 3])
    with pytest.raises(OutOfRangeError, match="'abdomen' = 5"):
        mrss_total([0, 0, 5] + [0] * 14)


@given(complete_sites)
def test_total_is_site_sum_in_range(sites: dict[str, int]) -> None:
    total = SkinScore.from_sites(sites).total
    assert total == sum(sites.values())
    assert total is not None
    assert 0 <= total <= 51


@given(complete_sites, st.sampled_from(SKIN_SITES))
def test_raising_a_site_never_lowers_the_total(sites: dict[str, int], site: str) -> None:
    before = SkinScore.from_sites(sites).total
    raised = sites | {site: min(3, sites[site] + 1)}
    after = SkinScore.from_sites(raised).total
    assert before is not None
    assert after is not None
    assert after >= before


# ----------------------------------------------------------------------------- subsets
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, CutaneousSubset.SINE),
        ({"face": 2}, CutaneousSubset.LIMITED),
        ({"feet_left": 1}, CutaneousSubset.LIMITED),
        ({"forearms_right": 3, "fingers_left": 3}, CutaneousSubset.LIMITED),
        ({"upper_arms_right": 1}, CutaneousSubset.DIFFUSE),
        ({"thighs_left": 1, "fingers_left": 2}, CutaneousSubset.DIFFUSE),
        ({"anterior_chest": 1}, CutaneousSubset.DIFFUSE),
        ({"abdomen": 1}, CutaneousSubset.DIFFUSE),
    ],
)
def test_leroy_subsets(changes: dict[str, int], expected: CutaneousSubset) -> None:
    assert SkinScore.from_sites(ZERO | changes).subset is expected


def test_subset_with_missing_sites() -> None:
    # A positive proximal site decides "diffuse" even when other sites are missing.
    decided: dict[str, int | None] = {**ZERO, "thighs_left": 2, "feet_left": None}
    assert SkinScore.from_sites(decided).subset is CutaneousSubset.DIFFUSE
    # Distal thickening with a proximal site unknown could be either.
    undecided: dict[str, int | None] = {**ZERO, "fingers_left": 2, "abdomen": None}
    assert SkinScore.from_sites(undecided).subset is CutaneousSubset.UNKNOWN
    # All known sites normal but one distal missing: limited or sine, unknown.
    assert SkinScore.from_sites({**ZERO, "feet_left": None}).subset is CutaneousSubset.UNKNOWN


@given(partial_sites)
def test_subset_object_and_vector_agree(sites: dict[str, int | None]) -> None:
    arr = [np.nan if sites[s] is None else sites[s] for s in SKIN_SITES]
    assert SkinScore.from_sites(sites).subset is cutaneous_subset(arr)
    frame_subset = skin_subset(sites_frame([sites])).iloc[0]
    assert frame_subset == SkinScore.from_sites(sites).subset.value


# ----------------------------------------------------------------------------- frame face
@given(st.lists(partial_sites, min_size=1, max_size=8))
def test_object_face_equals_frame_face(rows: list[dict[str, int | None]]) -> None:
    frame = sites_frame(rows)
    before = frame.copy()
    scored = score_mrss(frame)["mrss"]
    pd.testing.assert_frame_equal(frame, before)  # never mutated
    assert scored.index.equals(frame.index)
    for sites, value in zip(rows, scored, strict=True):
        total = SkinScore.from_sites(sites).total
        if total is None:
            assert math.isnan(value)
        else:
            assert value == total


def test_frame_with_totals_only_and_mixed_rows() -> None:
    frame = pd.DataFrame({"patient_id": ["a", "a", "b"], "day": [0, 365, 0], "mrss": [18, None, 7]})
    out = score_mrss(frame)["mrss"]
    assert out.name == "mrss"
    assert out.iloc[0] == 18
    assert math.isnan(out.iloc[1])
    assert out.iloc[2] == 7


def test_frame_sites_fall_back_to_recorded_total() -> None:
    frame = sites_frame([ZERO | {"face": 1}, {}])
    frame["mrss"] = [1.0, 22.0]
    assert score_mrss(frame)["mrss"].tolist() == [1.0, 22.0]


def test_frame_total_that_disagrees_with_sites_raises() -> None:
    frame = sites_frame([ZERO | {"face": 1}])
    frame["mrss"] = [5]
    with pytest.raises(SchemaError, match="disagrees with the sum"):
        score_mrss(frame)


def test_frame_collects_every_bad_cell_once() -> None:
    frame = sites_frame([ZERO, ZERO, ZERO])
    frame.loc[0, "mrss_face"] = 4
    frame.loc[2, "mrss_feet_left"] = 1.5
    frame.loc[1, "mrss_abdomen"] = -1
    frame.insert(0, "patient_id", ["p1", "p2", "p3"])
    with pytest.raises(OutOfRangeError) as info:
        score_mrss(frame)
    cases = info.value.failure_cases
    assert cases is not None
    assert sorted(cases["column"]) == ["mrss_abdomen", "mrss_face", "mrss_feet_left"]
    assert set(cases["patient_id"]) == {"p1", "p2", "p3"}
    assert "mrss_face = 4.0 is outside 0..3" in str(info.value)


def test_frame_text_that_is_not_a_number_is_a_schema_error() -> None:
    frame = pd.DataFrame({"mrss": ["12", "twelve", ""]})
    with pytest.raises(SchemaError, match="'twelve' is not a number") as info:
        score_mrss(frame)
    assert info.value.failure_cases is not None
    assert len(info.value.failure_cases) == 1


def test_frame_with_string_dtype_numbers_is_read() -> None:
    frame = pd.DataFrame({"mrss": pd.array(["12", None, "3"], dtype="string")})
    out = score_mrss(frame)["mrss"]
    assert out.iloc[0] == 12
    assert math.isnan(out.iloc[1])


def test_frame_schema_errors() -> None:
    with pytest.raises(SchemaError, match="no mRSS columns"):
        score_mrss(pd.DataFrame({"day": [0]}))
    partial = sites_frame([ZERO]).drop(columns=["mrss_face", "mrss_abdomen"])
    with pytest.raises(SchemaError, match="15 of the 17"):
        score_mrss(partial)
    typo = sites_frame([ZERO]).rename(columns={"mrss_fingers_right": "mrss_fingers_rigth"})
    with pytest.raises(SchemaError, match="did you mean 'mrss_fingers_right'"):
        score_mrss(typo)


def test_unrelated_columns_are_ignored() -> None:
    frame = pd.DataFrame({"mrss": [3], "site_notes": ["left hand swollen"]})
    assert score_mrss(frame)["mrss"].tolist() == [3.0]


# ----------------------------------------------------------------------------- change
@given(optional_mrss, optional_mrss)
def test_change_is_antisymmetric(a: int | None, b: int | None) -> None:
    x = np.nan if a is None else a
    y = np.nan if b is None else b
    forward = absolute_change(x, y)
    backward = absolute_change(y, x)
    if math.isnan(forward):
        assert math.isnan(backward)
    else:
        assert forward == -backward


@given(mrss_totals)
def test_percent_change_at_zero_baseline_is_undefined_not_infinite(follow: int) -> None:
    assert math.isnan(percent_change(0, follow))


def test_percent_change_worked_example() -> None:
    # Seed study means: 18.68 at baseline, 13.95 at 1 year -> -25.3 %.
    assert percent_change(18.68, 13.95) == pytest.approx(-25.3211, abs=1e-4)
    assert absolute_change(18.68, 13.95) == pytest.approx(-4.73)


# ----------------------------------------------------------------------------- responders
def test_mcid_improvement() -> None:
    assert MRSS_IMPROVEMENT_MCID.evaluate(20, 15) is Response.RESPONDER  # exactly 5
    assert MRSS_IMPROVEMENT_MCID.evaluate(20, 16) is Response.NON_RESPONDER
    assert MRSS_IMPROVEMENT_MCID.evaluate(20, None) is Response.NOT_EVALUABLE
    assert RESPONDER_DEFINITIONS["mrss_improvement_5pt"] is MRSS_IMPROVEMENT_MCID


@pytest.mark.parametrize(
    ("baseline", "follow", "expected"),
    [
        (20, 26, Response.RESPONDER),  # +6 (> 5) and +30 %
        (20, 25, Response.NON_RESPONDER),  # +5 is not > 5 points
        (30, 36, Response.NON_RESPONDER),  # +6 but only +20 %
        (24, 30, Response.RESPONDER),  # +6 and exactly +25 %
        (7, 13, Response.RESPONDER),  # eligible at baseline 7
        (6, 20, Response.NOT_EVALUABLE),  # baseline < 7: outside the EUSTAR population
        (20, None, Response.NOT_EVALUABLE),
    ],
)
def test_eustar_progression_maurer_2015(
    baseline: int, follow: int | None, expected: Response
) -> None:
    assert MRSS_PROGRESSION_EUSTAR.evaluate(baseline, follow) is expected


@pytest.mark.parametrize(
    ("baseline", "follow", "expected"),
    [
        (20, 14, Response.RESPONDER),  # -6 and -30 %
        (20, 15, Response.NON_RESPONDER),  # -5 is not > 5
        (40, 34, Response.NON_RESPONDER),  # -6 but -15 %
        (24, 18, Response.RESPONDER),  # -6 and exactly -25 %
        (5, 0, Response.NOT_EVALUABLE),
    ],
)
def test_eustar_regression_dobrota_2016(baseline: int, follow: int, expected: Response) -> None:
    assert MRSS_REGRESSION_EUSTAR.evaluate(baseline, follow) is expected


def test_course_three_way_wyss_2024() -> None:
    out = list(mrss_course([20, 20, 20, 6, 20], [14, 20, 26, 30, None]))
    assert out == ["regressive", "stable", "progressive", "not evaluable", "not evaluable"]


def test_progression_window_is_published_metadata() -> None:
    assert MRSS_PROGRESSION_EUSTAR.target_day == 365
    assert MRSS_PROGRESSION_EUSTAR.window_days == 61
    assert "10.1136/annrheumdis-2014-205226" in MRSS_PROGRESSION_EUSTAR.reference


@given(mrss_totals, mrss_totals)
def test_progression_and_regression_are_exclusive(b: int, f: int) -> None:
    prog = MRSS_PROGRESSION_EUSTAR.evaluate(b, f)
    reg = MRSS_REGRESSION_EUSTAR.evaluate(b, f)
    assert not (prog is Response.RESPONDER and reg is Response.RESPONDER)
    assert (prog is Response.NOT_EVALUABLE) == (reg is Response.NOT_EVALUABLE)


def test_definition_vectorized_matches_scalar() -> None:
    base = np.array([20, 20, 7, 6, 0])
    follow = np.array([26, 25, 13, 20, 0])
    codes = MRSS_PROGRESSION_EUSTAR.codes(base, follow)
    scalar = [
        MRSS_PROGRESSION_EUSTAR.evaluate(int(b), int(f)).code
        for b, f in zip(base, follow, strict=True)
    ]
    assert codes.tolist() == scalar
    assert list(MRSS_PROGRESSION_EUSTAR.evaluate_many(base, follow))[:2] == [
        "responder",
        "non-responder",
    ]


def test_definition_rejects_out_of_range_totals() -> None:
    with pytest.raises(OutOfRangeError, match="follow-up mrss = 60"):
        MRSS_IMPROVEMENT_MCID.evaluate(20, 60)
    with pytest.raises(SchemaError, match="is not a number"):
        MRSS_IMPROVEMENT_MCID.evaluate("20", 10)


def test_custom_threshold_pair_and_zero_baseline() -> None:
    rule = mrss_change_definition(
        name="mrss_improvement_25pct", direction="improvement", min_percent=25, reference="x"
    )
    assert rule.evaluate(0, 0) is Response.NOT_EVALUABLE
    assert rule.evaluate(4, 3) is Response.RESPONDER
    with pytest.raises(SchemaError, match="direction"):
        mrss_change_definition(name="x", direction="up", min_points=1, reference="x")
    with pytest.raises(SchemaError, match="min_points, min_percent"):
        mrss_change_definition(name="x", direction="improvement", reference="x")


def test_record_round_trip() -> None:
    score = SkinScore.from_sites(ZERO | {"hands_left": 2})
    again = SkinScore.from_record(score.to_record())
    assert again == score
    assert SkinScore.from_record({"mrss": float("nan")}) is None
    assert SkinScore.from_record(SkinScore.from_total(9).to_record()) == SkinScore.from_total(9)
    with pytest.raises(SchemaError, match="disagrees"):
        SkinScore.from_record(score.to_record() | {"mrss": 3})


def test_public_namespace() -> None:
    for name in ssc.__all__:
        assert hasattr(ssc, name), name
    assert len(set(ssc.__all__)) == len(ssc.__all__)


invalid_grades = (
    st.integers(min_value=4, max_value=10**6)
    | st.integers(max_value=-1, min_value=-(10**6))
    | st.floats(min_value=-100, max_value=100, allow_nan=False).filter(lambda x: not x.is_integer())
)


@given(st.sampled_from(SKIN_SITES), invalid_grades)
def test_any_invalid_grade_raises_naming_the_site(site: str, value: float) -> None:
    with pytest.raises(OutOfRangeError, match=f"mrss site '{site}'"):
        SkinScore(**{site: value})  # type: ignore[arg-type]


@given(st.sampled_from(SKIN_SITES), invalid_grades, st.integers(min_value=0, max_value=4))
def test_frame_names_the_bad_column_and_row(site: str, value: float, row: int) -> None:
    frame = sites_frame([ZERO] * 5)
    frame.loc[row, f"mrss_{site}"] = value
    with pytest.raises(OutOfRangeError) as info:
        score_mrss(frame)
    cases = info.value.failure_cases
    assert cases is not None
    # A cell can fail twice (-0.5 is out of range and not whole); it is the only cell.
    assert set(cases["column"]) == {f"mrss_{site}"}
    assert set(cases["row"]) == {row}


# ----------------------------------------------------------------------------- rare branches
def test_cutaneous_subset_of_an_array_of_visits_is_an_array_of_subsets() -> None:
    sites = np.zeros((3, len(SKIN_SITES)))
    sites[1, SKIN_SITES.index("upper_arms_right")] = 1
    sites[2, :] = np.nan
    out = cutaneous_subset(sites)
    assert isinstance(out, np.ndarray)
    assert out.shape == (3,)
    assert out[1] is CutaneousSubset.DIFFUSE
    assert out[0] is cutaneous_subset(sites[0])
    assert out[2] is CutaneousSubset.UNKNOWN  # all missing: never "limited"


def test_mrss_change_definition_description_must_be_text() -> None:
    with pytest.raises(SchemaError, match=r"^description = 5 must be text$"):
        mrss_change_definition(
            name="x",
            direction="improvement",
            min_points=5,
            reference="user-defined",
            description=5,  # type: ignore[arg-type]
        )
