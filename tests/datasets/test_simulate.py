"""Tests for the fictional data generator and the bundled demo files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sscoutcomes as ssc
from sscoutcomes.datasets import MEASURE_GROUPS, load_demo_frames, simulate_frames
from sscoutcomes.datasets._demo import DEMO_PATIENTS, demo_paths, make_demo_frames, write_demo


def test_same_seed_same_cohort() -> None:
    a = simulate_frames(20, 2, seed=7)
    b = simulate_frames(20, 2, seed=7)
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    c = simulate_frames(20, 2, seed=8)
    assert not a[1]["day"].equals(c[1]["day"])


def test_visits_are_unique_sorted_and_before_death_or_last_contact() -> None:
    patients, visits = simulate_frames(200, 5, seed=3)
    assert not visits.duplicated(["patient_id", "day"]).any()
    key = visits["patient_id"].astype(str) + visits["day"].map("{:+08d}".format)
    assert (
        key.is_monotonic_increasing
        or (visits.groupby("patient_id")["day"].diff().dropna() > 0).all()
    )
    end = patients.set_index("patient_id")
    stop = end["death_day"].fillna(end["last_contact_day"]).astype(float)
    assert (visits["day"].to_numpy() <= stop.loc[visits["patient_id"]].to_numpy()).all()


def test_scores_are_in_range() -> None:
    _, visits = simulate_frames(300, 5, seed=11)
    mrss = ssc.score_mrss(visits)["mrss"]
    assert mrss.dropna().between(0, 51).all()
    assert mrss.notna().mean() > 0.9


def test_measure_selection_and_errors() -> None:
    _, skin_only = simulate_frames(5, 1, seed=0, measures=["skin"])
    assert "haq_dress" not in skin_only.columns
    assert "mrss_face" in skin_only.columns
    with pytest.raises(ssc.SchemaError, match="unknown measure group"):
        simulate_frames(5, 1, measures=["kidney"])
    with pytest.raises(ssc.OutOfRangeError, match="n_patients"):
        simulate_frames(0)
    assert set(MEASURE_GROUPS) >= {"skin", "haq", "lung", "heart"}


def test_bundled_demo_equals_its_recipe() -> None:
    patients, visits = load_demo_frames()
    fresh_patients, fresh_visits = make_demo_frames()
    assert len(patients) == DEMO_PATIENTS == 41
    assert list(visits.columns) == list(fresh_visits.columns)
    np.testing.assert_allclose(
        visits.select_dtypes("number").to_numpy(dtype=float),
        fresh_visits[visits.select_dtypes("number").columns].to_numpy(dtype=float),
        equal_nan=True,
    )
    assert patients["patient_id"].tolist() == fresh_patients["patient_id"].astype(str).tolist()


def test_write_demo_rewrites_the_bundled_files(tmp_path: Path) -> None:
    # the bundled demo is what its recipe writes (nothing edited by hand); the values are
    # compared, as pandas versions write whole floats as "1" or "1.0"
    written = write_demo(tmp_path / "demo")
    for new, bundled in zip(written, demo_paths(), strict=True):
        assert new.name == bundled.name
        pd.testing.assert_frame_equal(pd.read_csv(new), pd.read_csv(bundled), check_dtype=False)


@pytest.mark.parametrize(("years", "shown"), [(31, "31"), (-1, "-1"), (2.5, "2.5"), (True, "True")])
def test_years_must_be_a_whole_number_in_0_30(years: object, shown: str) -> None:
    # 2.5 is inside 0..30: the message says what is wrong (not a whole number)
    with pytest.raises(
        ssc.OutOfRangeError, match=rf"^years = {shown} is not a whole number in 0\.\.30$"
    ):
        simulate_frames(2, years=years)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [-1, 1.5, True, "1"])
def test_seed_must_be_a_whole_number(seed: object) -> None:
    with pytest.raises(
        ssc.OutOfRangeError, match=rf"^seed = {seed!r} is not a whole number >= 0 \(or None\)$"
    ):
        simulate_frames(2, years=1, seed=seed)  # type: ignore[arg-type]


def test_measures_as_one_name_or_bad_types() -> None:
    one = simulate_frames(3, years=1, seed=1, measures="skin")
    listed = simulate_frames(3, years=1, seed=1, measures=["skin"])
    pd.testing.assert_frame_equal(one[0], listed[0])
    pd.testing.assert_frame_equal(one[1], listed[1])
    with pytest.raises(ssc.SchemaError, match=r"^measures must be measure group names; got int$"):
        simulate_frames(3, years=1, measures=5)  # type: ignore[arg-type]
    with pytest.raises(ssc.SchemaError, match=r"^measures must be measure group names; got bytes$"):
        simulate_frames(3, years=1, measures=b"skin")  # type: ignore[arg-type]
    with pytest.raises(
        ssc.SchemaError, match=r"^measures must be measure group names \(text\); got \('skin', 1\)$"
    ):
        simulate_frames(3, years=1, measures=["skin", 1])  # type: ignore[list-item]
