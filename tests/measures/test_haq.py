"""Tests for the HAQ-DI and the Scleroderma-HAQ VAS (sscoutcomes.measures.haq).

Reference rules: Bruce & Fries 2003 (doi:10.1186/1477-7525-1-20) -- category score = highest
item; an aid/device for the category or help from another person raises 0/1 to 2; HAQ-DI =
mean of the answered categories, at least 6 of 8; the "alternative" index leaves aids out.
Aid -> category table as in the Stanford scoring instructions (bathtub seat -> hygiene,
which the CLINHAQ sheet leaves out). Steen & Medsger 1997 (PMID 9365087): SHAQ VAS on a
15 cm line scored cm / 5. Khanna 2006 (doi:10.1136/ard.2005.050187): SSc MCID 0.10-0.14.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes.errors import OutOfRangeError, SchemaError
from sscoutcomes.measures.haq import (
    HAQ,
    HAQ_AIDS,
    HAQ_CATEGORIES,
    HAQ_COLUMNS,
    HAQ_DI_IMPROVEMENT_MCID,
    HAQ_DI_IMPROVEMENT_MCID_LOW,
    HAQ_ITEMS,
    HAQ_OUTPUT_COLUMNS,
    HAQ_RESPONDER_DEFINITIONS,
    haq_category_scores,
    haq_di_change_definition,
    haq_disability_index,
    score_haq,
)

ZERO = dict.fromkeys(HAQ_ITEMS, 0)

# ----------------------------------------------------------------------------- strategies
item_scores = st.integers(min_value=0, max_value=3)
optional_items = st.fixed_dictionaries({i: st.none() | item_scores for i in HAQ_ITEMS})
complete_items = st.fixed_dictionaries(dict.fromkeys(HAQ_ITEMS, item_scores))
optional_aids = st.fixed_dictionaries({a: st.none() | st.booleans() for a in HAQ_AIDS})
optional_help = st.fixed_dictionaries({c: st.none() | st.booleans() for c in HAQ_CATEGORIES})


def record_of(items: dict[str, Any], aids: dict[str, Any], help_: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {f"haq_{k}": v for k, v in items.items()}
    row |= {f"haq_aid_{k}": v for k, v in aids.items()}
    row |= {f"haq_help_{k}": v for k, v in help_.items()}
    return row


def frame_of(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A visits frame with every HAQ column, items as float, flags as nullable booleans."""
    frame = pd.DataFrame(rows, columns=[s.name for s in HAQ_COLUMNS if s.name != "haq_di"])
    for spec in HAQ_COLUMNS:
        if spec.name == "haq_di":
            continue
        if spec.dtype == "bool":
            frame[spec.name] = frame[spec.name].astype("boolean")
        else:
            frame[spec.name] = frame[spec.name].astype("float64")
    return frame


def same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or (a is not None and math.isclose(a, b))


# ----------------------------------------------------------------------------- instrument
def test_items_and_categories_as_in_the_questionnaire() -> None:
    # Fries 1980 / Bruce & Fries 2003: 20 items in 8 categories (2,2,3,2,3,2,3,3 items).
    assert HAQ_CATEGORIES == (
        "dressing",
        "arising",
        "eating",
        "walking",
        "hygiene",
        "reach",
        "grip",
        "activities",
    )
    assert len(HAQ_ITEMS) == 20
    counts = [list(HAQ_ITEMS.values()).count(c) for c in HAQ_CATEGORIES]
    assert counts == [2, 2, 3, 2, 3, 2, 3, 3]


def test_canonical_columns_as_in_contributing() -> None:
    names = [s.name for s in HAQ_COLUMNS]
    assert names[:3] == ["haq_dress", "haq_shampoo", "haq_stand"]
    assert "haq_chores" in names
    assert "haq_aid_bathtub_seat" in names
    assert "haq_help_activities" in names
    assert names[-1] == "haq_di"
    assert len(names) == 20 + 13 + 8 + 1


def test_aid_categories_follow_stanford() -> None:
    # Stanford: cane, walker, crutches, wheelchair -> walking; dressing devices -> dressing;
    # built-up utensils -> eating; special chair -> arising; raised toilet seat, bathtub
    # seat, bathtub bar, long-handled bathroom appliances -> hygiene; long-handled reach ->
    # reach; jar opener -> grip.
    assert dict(HAQ_AIDS) == {
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


# ----------------------------------------------------------------------------- scoring
def test_extremes_of_the_scale() -> None:
    assert HAQ(items=ZERO).disability_index == 0.0
    assert HAQ(items=dict.fromkeys(HAQ_ITEMS, 3)).disability_index == 3.0
    assert haq_disability_index([3] * 20) == 3.0


def test_category_score_is_the_highest_item() -> None:
    # Bruce & Fries 2003: "the highest sub-category score determines the category score".
    haq = HAQ(items=ZERO | {"cut_meat": 1, "lift_cup": 3, "open_carton": 0})
    assert haq.category_scores["eating"] == 3
    assert haq.disability_index == 3 / 8


def test_worked_example_with_aids_and_help() -> None:
    # Dressing 1 (+ help -> 2), walking 1 (+ cane -> 2), grip 2 (jar opener: stays 2),
    # hygiene 0 (+ bathtub seat -> 2), others 0 or 1.
    items = ZERO | {
        "dress": 1,
        "shampoo": 0,
        "stand": 1,
        "walk": 1,
        "climb_steps": 0,
        "open_jars": 2,
        "errands": 1,
    }
    haq = HAQ(
        items=items,
        aids=["cane", "jar_opener", "bathtub_seat"],
        help=["dressing"],
    )
    assert haq.category_scores == {
        "dressing": 2,
        "arising": 1,
        "eating": 0,
        "walking": 2,
        "hygiene": 2,
        "reach": 0,
        "grip": 2,
        "activities": 1,
    }
    assert haq.disability_index == pytest.approx(10 / 8)
    # Without aids and help: 1, 1, 0, 1, 0, 0, 2, 1 -> 6 / 8.
    assert haq.disability_index_unadjusted == pytest.approx(6 / 8)
    # Without aids, help counted: dressing stays 2 -> 7 / 8.
    counted = HAQ(
        items=items,
        aids=["cane", "jar_opener", "bathtub_seat"],
        help=["dressing"],
        unadjusted_variant="without_aids",
    )
    assert counted.disability_index_unadjusted == pytest.approx(7 / 8)
    assert counted.disability_index == haq.disability_index


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(0, 2), (1, 2), (2, 2), (3, 3)],
)
def test_aid_raises_zero_and_one_to_two_only(raw: int, expected: int) -> None:
    haq = HAQ(items=ZERO | {"walk": raw, "climb_steps": 0}, aids={"walker": True})
    assert haq.category_scores["walking"] == expected
    assert haq.category_scores_unadjusted["walking"] == raw


@pytest.mark.parametrize(("raw", "expected"), [(0, 2), (1, 2), (2, 2), (3, 3)])
def test_help_raises_zero_and_one_to_two_only(raw: int, expected: int) -> None:
    haq = HAQ(items=ZERO | {"errands": raw}, help={"activities": True})
    assert haq.category_scores["activities"] == expected


def test_bathtub_seat_counts_for_hygiene_as_stanford_says() -> None:
    # The CLINHAQ sheet would leave hygiene at 0 here; Stanford raises it to 2.
    haq = HAQ(items=ZERO, aids=["bathtub_seat"])
    assert haq.category_scores["hygiene"] == 2
    assert haq.disability_index == 2 / 8


@pytest.mark.parametrize(("aid", "category"), list(HAQ_AIDS.items()))
def test_each_aid_raises_only_its_own_category(aid: str, category: str) -> None:
    haq = HAQ(items=ZERO, aids=[aid])
    raised = {c for c, v in haq.category_scores.items() if v == 2}
    assert raised == {category}


def test_aid_does_not_score_an_unanswered_category() -> None:
    items = ZERO | {"walk": None, "climb_steps": None}
    haq = HAQ(items=items, aids=["cane"], help=["walking"])
    assert haq.category_scores["walking"] is None
    assert haq.n_categories == 7
    assert haq.disability_index == 0.0


def test_partly_answered_category_uses_the_answered_items() -> None:
    haq = HAQ(items=ZERO | {"wash_body": None, "bath": 2, "toilet": None})
    assert haq.category_scores["hygiene"] == 2


def answered(n: int) -> dict[str, int | None]:
    """Items with exactly the first ``n`` categories answered (each scored 1)."""
    keep = set(HAQ_CATEGORIES[:n])
    return {i: (1 if HAQ_ITEMS[i] in keep else None) for i in HAQ_ITEMS}


@pytest.mark.parametrize(("n", "expected"), [(8, 1.0), (7, 1.0), (6, 1.0), (5, None), (0, None)])
def test_six_of_eight_categories_needed(n: int, expected: float | None) -> None:
    haq = HAQ(items=answered(n))
    assert haq.n_categories == n
    assert haq.disability_index == expected
    assert haq.disability_index_unadjusted == expected


def test_min_categories_is_a_parameter() -> None:
    assert HAQ(items=answered(6), min_categories=7).disability_index is None
    assert HAQ(items=answered(7), min_categories=7).disability_index == 1.0
    assert HAQ(items=answered(7), min_categories=8).disability_index is None
    assert HAQ(items=answered(3), min_categories=3).disability_index == 1.0
    with pytest.raises(OutOfRangeError, match="min_categories = 9"):
        HAQ(min_categories=9)
    with pytest.raises(OutOfRangeError, match="min_categories"):
        haq_disability_index([0] * 20, min_categories=0)


def test_mean_over_answered_categories_not_over_eight() -> None:
    # 7 answered categories scored 1 and 2: divided by 7, not 8.
    items = answered(7) | {"dress": 2}
    assert HAQ(items=items).disability_index == pytest.approx(8 / 7)


def test_array_kernel() -> None:
    items = np.array([[0] * 20, [3] * 20, [1] * 5 + [np.nan] * 15])
    out = haq_disability_index(items)
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [0.0, 3.0, np.nan])
    cane = np.array([1.0 if a == "cane" else 0.0 for a in HAQ_AIDS])
    cats = haq_category_scores(np.zeros(20), cane)
    assert cats.tolist() == [0, 0, 0, 2, 0, 0, 0, 0]
    unadjusted = haq_category_scores(np.zeros(20), cane, variant="without_aids_and_help")
    assert unadjusted.tolist() == [0] * 8
    with pytest.raises(SchemaError, match="20 values"):
        haq_disability_index([0] * 19)
    with pytest.raises(SchemaError, match="variant"):
        haq_disability_index([0] * 20, variant="with_aids")  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError, match="haq item 'faucets' = 4"):
        haq_disability_index([0] * 16 + [4, 0, 0, 0])
    with pytest.raises(OutOfRangeError, match="haq aid 'walker' = 2"):
        haq_disability_index([0] * 20, [0, 2] + [0] * 11)


# ----------------------------------------------------------------------------- input errors
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (4, "haq item 'walk' = 4 is outside 0..3"),
        (-1, "haq item 'walk' = -1 is outside 0..3"),
        (1.5, "haq item 'walk' = 1.5 is not an integer"),
        ("2", "haq item 'walk' = '2' is not a number"),
        (True, "haq item 'walk' = True is not a number"),
        (float("nan"), "haq item 'walk' = nan"),
    ],
)
def test_bad_item_values_name_the_item(value: object, message: str) -> None:
    with pytest.raises(OutOfRangeError, match=message.replace(".", r"\.")):
        HAQ(items={"walk": value})


def test_unknown_names_raise_naming_them() -> None:
    with pytest.raises(SchemaError, match=r"'climb_stairs' \(did you mean 'climb_steps'\?\)"):
        HAQ(items={"climb_stairs": 1})
    with pytest.raises(SchemaError, match=r"unknown HAQ aid.*'walking_stick'"):
        HAQ(aids=["walking_stick"])
    with pytest.raises(SchemaError, match=r"unknown HAQ aid.*'canes'"):
        HAQ(aids={"canes": True})
    with pytest.raises(SchemaError, match=r"unknown HAQ help category.*'chores'"):
        HAQ(help=["chores"])
    with pytest.raises(OutOfRangeError, match="haq aid 'cane' = 'yes'"):
        HAQ(aids={"cane": "yes"})
    with pytest.raises(OutOfRangeError, match="haq help category 'grip' = 2"):
        HAQ(help={"grip": 2})
    with pytest.raises(SchemaError, match="variant"):
        HAQ(unadjusted_variant="with_aids_and_help")  # type: ignore[arg-type]


def test_aids_as_mapping_or_names_are_the_same() -> None:
    a = HAQ(items=ZERO, aids=["cane"], help=["grip"])
    b = HAQ(items=ZERO, aids={"cane": True, "walker": False}, help={"grip": True})
    assert a.disability_index == b.disability_index == 4 / 8
    assert HAQ(items=ZERO, aids="cane").category_scores["walking"] == 2


# ----------------------------------------------------------------------------- index only
def test_index_only() -> None:
    h = HAQ.from_index(1.375)
    assert h.is_index_only
    assert h.disability_index == 1.375
    assert h.disability_index_unadjusted is None
    assert h.n_categories is None
    assert set(h.category_scores.values()) == {None}
    with pytest.raises(OutOfRangeError, match=r"haq_di = 3.5 is outside 0..3"):
        HAQ.from_index(3.5)


def test_recorded_index_beside_too_few_items_follows_one_rule_on_both_faces() -> None:
    # dressing 3 and arising 3 answered: any index of 6-8 categories is at least 6 / 8
    items = {"dress": 3, "stand": 3}
    row = {"haq_dress": 3, "haq_stand": 3}
    kept = HAQ(items=items, recorded_index=0.75)
    assert kept.disability_index == 0.75
    assert not kept.is_index_only
    assert HAQ.from_record(row | {"haq_di": 0.75}) == kept
    assert score_haq(pd.DataFrame([row | {"haq_di": 0.75}]))["haq_di"].tolist() == [0.75]
    with pytest.raises(SchemaError, match="below what the answered categories allow"):
        HAQ(items=items, recorded_index=0.5)
    with pytest.raises(SchemaError, match="below what the answered categories allow"):
        HAQ.from_record(row | {"haq_di": 0.5})
    with pytest.raises(SchemaError, match="below what the answered categories allow"):
        score_haq(pd.DataFrame([row | {"haq_di": 0.5}]))
    # the boundary: 0.745 is within the rounding tolerance of 0.75, 0.74 is not
    assert HAQ(items=items, recorded_index=0.745).disability_index == 0.745
    with pytest.raises(SchemaError):
        HAQ(items=items, recorded_index=0.74)


def test_change_from_baseline_uses_the_change_kernel() -> None:
    base = HAQ(items=dict.fromkeys(HAQ_ITEMS, 2))
    follow = HAQ(items=dict.fromkeys(HAQ_ITEMS, 1))
    assert follow.change_from(base) == -1.0
    assert follow.change_from(base, unadjusted=True) == -1.0
    assert HAQ.from_index(1.0).change_from(HAQ(items=answered(2))) is None


# ----------------------------------------------------------------------------- records
def test_record_round_trip() -> None:
    haq = HAQ(items=ZERO | {"dress": 2}, aids=["cane"], help=["grip"])
    rec = haq.to_record()
    assert rec["haq_dress"] == 2
    assert rec["haq_aid_cane"] is True
    assert rec["haq_help_grip"] is True
    assert rec["haq_di"] == haq.disability_index
    assert HAQ.from_record(rec) == haq
    # NaN-filled record as it comes back from a frame.
    nan_rec = {k: (np.nan if v is None else v) for k, v in rec.items()}
    assert HAQ.from_record(nan_rec) == haq
    assert HAQ.from_record({"haq_di": 0.5}) == HAQ.from_index(0.5)
    assert HAQ.from_record({"patient_global": 3}) is None


def test_record_with_disagreeing_index_raises() -> None:
    rec = HAQ(items=ZERO).to_record() | {"haq_di": 1.0}
    with pytest.raises(SchemaError, match="disagrees"):
        HAQ.from_record(rec)
    # Rounded to two decimals is fine: 1/3 recorded as 0.33.
    items = {i: (0 if v is not None else None) for i, v in answered(6).items()}
    items |= {"wash_body": 1, "bend_down": 1}  # categories 0,0,0,0,1,1 -> 2/6
    assert HAQ(items=items).disability_index == pytest.approx(2 / 6)
    assert HAQ.from_record(HAQ(items=items).to_record() | {"haq_di": 0.33}) is not None


# ----------------------------------------------------------------------------- frame face
def test_score_haq_columns_and_values() -> None:
    rows = [
        record_of(ZERO | {"walk": 1}, {"cane": True}, {}),
        record_of(answered(5), {}, {}),
        {},
    ]
    visits = frame_of(rows)
    visits["haq_di"] = [np.nan, np.nan, 0.75]
    visits["patient_id"] = ["a", "b", "c"]
    out = score_haq(visits)
    assert tuple(out.columns) == HAQ_OUTPUT_COLUMNS
    assert out.index.equals(visits.index)
    np.testing.assert_allclose(out["haq_di"], [2 / 8, np.nan, 0.75])
    np.testing.assert_allclose(out["haq_di_unadjusted"], [1 / 8, np.nan, np.nan])
    np.testing.assert_allclose(out["haq_n_categories"], [8, 5, np.nan])
    assert out["haq_cat_walking"].tolist()[0] == 2.0
    assert out["haq_di_source"].tolist()[0] == "items"
    assert pd.isna(out["haq_di_source"].tolist()[1])
    assert out["haq_di_source"].tolist()[2] == "recorded index"
    assert "with aids/devices and help" in out.attrs["haq_variants"]["haq_di"]
    assert "without aids/devices and without help" in out.attrs["haq_variants"]["haq_di_unadjusted"]


def test_score_haq_index_only_frame_and_parameters() -> None:
    visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365], "haq_di": [1.25, None]})
    out = score_haq(visits)
    np.testing.assert_allclose(out["haq_di"], [1.25, np.nan])
    assert out["haq_di_unadjusted"].isna().all()
    items = frame_of([record_of(answered(6), {}, {"dressing": True})])
    assert math.isnan(score_haq(items, min_categories=7)["haq_di"].iloc[0])
    out = score_haq(items, unadjusted_variant="without_aids")
    assert out["haq_di_unadjusted"].iloc[0] == pytest.approx(7 / 6)
    assert score_haq(items)["haq_di_unadjusted"].iloc[0] == 1.0


def test_score_haq_items_only_and_subsets_of_columns() -> None:
    # A frame without aid/help columns: nothing to raise, standard == unadjusted.
    visits = pd.DataFrame({f"haq_{i}": [1] for i in HAQ_ITEMS})
    out = score_haq(visits)
    assert out["haq_di"].iloc[0] == out["haq_di_unadjusted"].iloc[0] == 1.0


def test_score_haq_ignores_unrelated_columns_and_keeps_index() -> None:
    visits = frame_of([record_of(ZERO, {}, {})]).assign(mrss=12, note="x")
    visits.index = pd.Index(["v7"])
    out = score_haq(visits)
    assert list(out.index) == ["v7"]
    assert out["haq_di"].iloc[0] == 0.0


def test_score_haq_errors() -> None:
    with pytest.raises(SchemaError, match="no HAQ columns"):
        score_haq(pd.DataFrame({"mrss": [1]}))
    with pytest.raises(SchemaError, match="'haq_wlak'"):
        score_haq(pd.DataFrame({"haq_wlak": [1]}))
    with pytest.raises(SchemaError, match="'haq_aid_walking_stick'"):
        score_haq(pd.DataFrame({"haq_walk": [1], "haq_aid_walking_stick": [True]}))
    bad = pd.DataFrame(
        {
            "patient_id": ["a", "b", "c"],
            "day": [0, 0, 0],
            "haq_walk": [4, 1, 1.5],
            "haq_aid_cane": ["yes", "perhaps", None],
            "haq_di": [0, 3.2, 0],
        }
    )
    with pytest.raises(SchemaError) as info:
        score_haq(bad)
    cases = info.value.failure_cases
    assert cases is not None
    assert set(zip(cases["column"], cases["row"], strict=True)) == {
        ("haq_walk", 0),
        ("haq_walk", 2),
        ("haq_aid_cane", 1),
        ("haq_di", 1),
    }
    only_range = pd.DataFrame({"haq_walk": [4.0]})
    with pytest.raises(OutOfRangeError, match=r"haq_walk = 4.0 is outside 0..3"):
        score_haq(only_range)


def test_score_haq_recorded_index_must_agree_with_items() -> None:
    visits = frame_of([record_of(ZERO, {}, {})])
    visits["haq_di"] = [0.5]
    with pytest.raises(SchemaError, match="disagrees"):
        score_haq(visits)
    visits["haq_di"] = [0.004]
    assert score_haq(visits)["haq_di"].iloc[0] == 0.0


def test_score_haq_accepts_its_own_output_beside_the_input() -> None:
    visits = frame_of([record_of(ZERO | {"dress": 1}, {}, {})])
    both = pd.concat([visits, score_haq(visits).drop(columns="haq_di")], axis=1)
    assert score_haq(both)["haq_di"].iloc[0] == 1 / 8


# ----------------------------------------------------------------------------- responders
def test_mcid_definitions_registered() -> None:
    assert set(HAQ_RESPONDER_DEFINITIONS) == {"haq_di_improvement_0.14", "haq_di_improvement_0.10"}
    assert HAQ_DI_IMPROVEMENT_MCID.measures == ("haq_di",)
    assert "10.1136/ard.2005.050187" in HAQ_DI_IMPROVEMENT_MCID.reference


@pytest.mark.parametrize(
    ("baseline", "follow_up", "expected"),
    [
        (1.25, 1.11, "responder"),  # exactly 0.14 (floating point: 0.1399999...)
        (1.25, 1.12, "non-responder"),  # 0.13
        (1.0, 0.5, "responder"),
        (1.0, 1.5, "non-responder"),  # worsening
        (1.0, None, "not evaluable"),
        (None, 1.0, "not evaluable"),
    ],
)
def test_mcid_014_each_side(baseline: float | None, follow_up: float | None, expected: str) -> None:
    assert HAQ_DI_IMPROVEMENT_MCID.evaluate(baseline, follow_up).value == expected


def test_mcid_010_each_side() -> None:
    assert HAQ_DI_IMPROVEMENT_MCID_LOW.evaluate(1.0, 0.9).value == "responder"
    assert HAQ_DI_IMPROVEMENT_MCID_LOW.evaluate(1.0, 0.91).value == "non-responder"
    # One step of the 8-category index (0.125) passes 0.10 but not 0.14.
    assert HAQ_DI_IMPROVEMENT_MCID_LOW.evaluate(1.0, 0.875).value == "responder"
    assert HAQ_DI_IMPROVEMENT_MCID.evaluate(1.0, 0.875).value == "non-responder"


def test_change_definition_factory() -> None:
    worse = haq_di_change_definition(
        name="haq_di_worsening_0.14", direction="worsening", min_points=0.14, reference="x"
    )
    assert worse.evaluate(1.0, 1.14).value == "responder"
    assert worse.evaluate(1.0, 1.13).value == "non-responder"
    unadj = haq_di_change_definition(
        name="u",
        direction="improvement",
        min_points=0.5,
        measure="haq_di_unadjusted",
        reference="x",
    )
    assert unadj.evaluate({"haq_di_unadjusted": 2.0}, {"haq_di_unadjusted": 1.5}).value == (
        "responder"
    )
    codes = HAQ_DI_IMPROVEMENT_MCID.codes([1.0, 1.0, np.nan], [0.5, 1.0, 0.5])
    assert codes.tolist() == [1, 0, -1]
    with pytest.raises(OutOfRangeError, match="follow-up haq_di = 4"):
        HAQ_DI_IMPROVEMENT_MCID.evaluate(1.0, 4.0)
    with pytest.raises(OutOfRangeError, match="min_points = 0"):
        haq_di_change_definition(name="z", direction="improvement", min_points=0, reference="x")
    with pytest.raises(SchemaError, match="direction"):
        haq_di_change_definition(
            name="z",
            direction="better",  # type: ignore[arg-type]
            min_points=0.1,
            reference="x",
        )


# ----------------------------------------------------------------------------- properties
@given(optional_items, optional_aids, optional_help)
def test_index_in_range_and_adjusted_at_least_unadjusted(
    items: dict[str, int | None], aids: dict[str, bool | None], help_: dict[str, bool | None]
) -> None:
    haq = HAQ(items=items, aids=aids, help=help_)
    di, un = haq.disability_index, haq.disability_index_unadjusted
    assert (di is None) == (un is None)
    n = haq.n_categories
    assert n is not None
    if n < 6:
        assert di is None
    else:
        assert di is not None
        assert un is not None
        assert 0.0 <= un <= di <= 3.0
    for c, adj in haq.category_scores.items():
        raw = haq.category_scores_unadjusted[c]
        assert (adj is None) == (raw is None)
        if adj is not None and raw is not None:
            assert adj >= raw


@given(complete_items, optional_aids, optional_help, st.sampled_from(list(HAQ_ITEMS)))
def test_raising_an_item_never_lowers_the_score(
    items: dict[str, int],
    aids: dict[str, bool | None],
    help_: dict[str, bool | None],
    item: str,
) -> None:
    before = HAQ(items=items, aids=aids, help=help_)
    after = HAQ(items=items | {item: min(3, items[item] + 1)}, aids=aids, help=help_)
    assert before.disability_index is not None
    assert after.disability_index is not None
    assert after.disability_index >= before.disability_index
    assert after.disability_index_unadjusted is not None
    assert before.disability_index_unadjusted is not None
    assert after.disability_index_unadjusted >= before.disability_index_unadjusted


@given(complete_items, optional_aids, st.sampled_from(list(HAQ_AIDS)))
def test_adding_an_aid_never_lowers_the_score(
    items: dict[str, int], aids: dict[str, bool | None], aid: str
) -> None:
    before = HAQ(items=items, aids=aids)
    after = HAQ(items=items, aids=aids | {aid: True})
    assert before.disability_index is not None
    assert after.disability_index is not None
    assert after.disability_index >= before.disability_index
    assert after.disability_index_unadjusted == before.disability_index_unadjusted


@given(
    st.lists(st.tuples(optional_items, optional_aids, optional_help), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=8),
)
def test_object_face_equals_frame_face(
    rows: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]], min_categories: int
) -> None:
    visits = frame_of([record_of(*r) for r in rows])
    snapshot = visits.copy(deep=True)
    out = score_haq(visits, min_categories=min_categories)
    pd.testing.assert_frame_equal(visits, snapshot)  # never mutated
    for k, (items, aids, help_) in enumerate(rows):
        haq = HAQ(items=items, aids=aids, help=help_, min_categories=min_categories)
        assert same(haq.disability_index, out["haq_di"].iloc[k])
        assert same(haq.disability_index_unadjusted, out["haq_di_unadjusted"].iloc[k])
        assert out["haq_n_categories"].iloc[k] == haq.n_categories
        for c in HAQ_CATEGORIES:
            v = haq.category_scores[c]
            assert same(None if v is None else float(v), out[f"haq_cat_{c}"].iloc[k])
        # and the array kernel agrees too
        arr = [np.nan if items[i] is None else items[i] for i in HAQ_ITEMS]
        flags = [1.0 if aids[a] else 0.0 for a in HAQ_AIDS]
        helps = [1.0 if help_[c] else 0.0 for c in HAQ_CATEGORIES]
        kernel = haq_disability_index(arr, flags, helps, min_categories=min_categories)
        assert isinstance(kernel, float)
        assert same(haq.disability_index, kernel)


@given(st.lists(st.tuples(optional_items, optional_aids, optional_help), min_size=1, max_size=4))
def test_record_round_trip_property(
    rows: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]],
) -> None:
    for items, aids, help_ in rows:
        haq = HAQ(items=items, aids=aids, help=help_)
        back = HAQ.from_record(haq.to_record())
        if any(v is not None for v in (*items.values(), *aids.values(), *help_.values())):
            assert back == haq
        else:
            assert back is None


# ----------------------------------------------------------------------------- rare branches
def test_kernel_flag_arrays_of_the_wrong_width_name_the_input() -> None:
    with pytest.raises(
        SchemaError, match=r"HAQ aids need 13 values in the last axis; got shape \(12,\)"
    ):
        haq_disability_index([0] * 20, [0] * 12)
    with pytest.raises(
        SchemaError, match=r"HAQ help flags need 8 values in the last axis; got shape \(7,\)"
    ):
        haq_disability_index([0] * 20, None, [0] * 7)


def test_flags_as_numbers_or_numpy_booleans_read_as_yes_no() -> None:
    haq = HAQ(items=ZERO, aids={"cane": 1, "walker": 0.0}, help={"grip": np.bool_(True)})
    assert haq.aids["cane"] is True
    assert haq.aids["walker"] is False
    assert haq.help["grip"] is True
    assert haq.category_scores["walking"] == 2
    assert haq.category_scores["grip"] == 2


def test_flags_given_as_none_are_all_unanswered() -> None:
    haq = HAQ(items=ZERO, aids=None, help=None)  # type: ignore[arg-type]
    assert set(haq.aids.values()) == {None}
    assert set(haq.help.values()) == {None}
    assert haq.disability_index == 0.0


def test_flag_names_that_are_not_text_raise() -> None:
    with pytest.raises(SchemaError, match=r"HAQ aids given as names: 1 is not a name"):
        HAQ(aids=[1])  # type: ignore[list-item]
    with pytest.raises(
        SchemaError, match=r"HAQ help categories given as names: None is not a name"
    ):
        HAQ(help=("grip", None))  # type: ignore[arg-type]


def test_repr_shows_only_the_answered_entries_and_variant_names_the_index() -> None:
    haq = HAQ(items={"dress": 1}, aids=["cane"])
    text = repr(haq)
    assert "items={'dress': 1}, aids={'cane': True}, help={}" in text
    assert haq.variant == "with_aids_and_help"
