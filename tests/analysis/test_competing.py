"""Cumulative incidence and Gray's test against R's cmprsk::cuminc.

Reference values: ``data/make_reference_cmprsk.R`` (its output ``.Rout`` beside it) ran
``cuminc`` on ``survival::mgus2`` (progression vs death without progression; overall, by
sex, by age group, rho 0 and 1) and on a simulated 3-arm sample with ties, and saved ``est``
and ``var`` at every time of each curve (``ref_cuminc.csv``) and Gray's test
(``ref_gray.csv``) with 15 digits. The tests compare to 1e-6 and never need R.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sscoutcomes import OutOfRangeError, SchemaError, cumulative_incidence, gray_test

DATA = Path(__file__).parent / "data"
MGUS2 = pd.read_csv(DATA / "mgus2_cr.csv")
SIM3 = pd.read_csv(DATA / "sim3_cr.csv")
REF = pd.read_csv(DATA / "ref_cuminc.csv", skipinitialspace=True)
GRAY = pd.read_csv(DATA / "ref_gray.csv", skipinitialspace=True)
CASES = [("mgus2", "none"), ("mgus2", "sex"), ("mgus2", "age_group"), ("sim3", "arm")]


def _data(name: str) -> pd.DataFrame:
    return MGUS2 if name == "mgus2" else SIM3


@pytest.mark.parametrize(("data", "grouping"), CASES)
def test_cuminc_estimate_and_variance_equal_r(data: str, grouping: str) -> None:
    d = _data(data)
    group = None if grouping == "none" else d[grouping]
    fit = cumulative_incidence(d["time"], d["event"], group)
    ref = REF[(REF["data"] == data) & (REF["grouping"] == grouping)]
    assert len(ref) > 20
    for (grp, cause), rows in ref.groupby(["group", "cause"]):
        g = None if grouping == "none" else str(grp)
        times = rows["time"].to_numpy(dtype=float)
        est = fit.cif_at(times, group=g, cause=int(cause))
        np.testing.assert_allclose(est, rows["est"], rtol=0, atol=1e-6)
        tab = fit.table[fit.table["cause"] == int(cause)]
        if g is not None:
            tab = tab[tab["group"] == g]
        pos = np.searchsorted(tab["time"].to_numpy(), times, side="right") - 1
        var = np.where(pos >= 0, tab["variance"].to_numpy()[np.maximum(pos, 0)], 0.0)
        np.testing.assert_allclose(var, rows["var"], rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize(
    ("data", "grouping", "rho"),
    [("mgus2", "sex", 0), ("mgus2", "age_group", 0), ("mgus2", "age_group", 1), ("sim3", "arm", 0)],
)
def test_gray_test_equals_r(data: str, grouping: str, rho: float) -> None:
    d = _data(data)
    res = gray_test(d["time"], d["event"], d[grouping], rho=rho).table
    ref = GRAY[(GRAY["data"] == data) & (GRAY["grouping"] == grouping) & (GRAY["rho"] == rho)]
    assert res["cause"].tolist() == ref["cause"].tolist()
    np.testing.assert_allclose(res["statistic"], ref["stat"], rtol=1e-6)
    big = ref["p"].to_numpy() > 1e-10
    np.testing.assert_allclose(res["p"].to_numpy()[big], ref["p"].to_numpy()[big], rtol=1e-6)
    assert res["df"].tolist() == ref["df"].tolist()


def test_without_competing_events_is_one_minus_km() -> None:
    from sscoutcomes import kaplan_meier

    t = [1, 2, 2, 3, 5, 8, 9]
    e = [1, 0, 1, 1, 0, 1, 0]
    ci = cumulative_incidence(t, e)
    km = kaplan_meier(t, e)
    np.testing.assert_allclose(
        ci.cif_at([1, 2, 3, 8]), 1 - km.survival_at([1, 2, 3, 8])["survival"].to_numpy()
    )


def test_cif_sum_plus_survival_is_one() -> None:
    d = SIM3
    ci = cumulative_incidence(d["time"], d["event"])
    tt = np.array([1.0, 5.0, 10.0, 20.0])
    from sscoutcomes import kaplan_meier

    km = kaplan_meier(d["time"], (d["event"] > 0).astype(int))
    total = ci.cif_at(tt, cause=1) + ci.cif_at(tt, cause=2)
    np.testing.assert_allclose(total, 1 - km.survival_at(tt)["survival"].to_numpy(), atol=1e-12)


def test_confidence_interval_contains_estimate() -> None:
    ci = cumulative_incidence(MGUS2["time"], MGUS2["event"]).table
    inside = ci[(ci["estimate"] > 0) & (ci["estimate"] < 1)]
    assert (inside["lower"] <= inside["estimate"]).all()
    assert (inside["upper"] >= inside["estimate"]).all()
    plain = cumulative_incidence(MGUS2["time"], MGUS2["event"], conf_type="plain").table
    assert (plain["lower"] >= 0).all()
    assert (plain["upper"] <= 1).all()


def test_bad_input_is_named() -> None:
    with pytest.raises(OutOfRangeError, match="event"):
        cumulative_incidence([1, 2], [1, -1])
    with pytest.raises(OutOfRangeError, match="time"):
        cumulative_incidence([-1, 2], [1, 0])
    with pytest.raises(SchemaError, match="match"):
        cumulative_incidence([1, 2], [1])
    with pytest.raises(SchemaError, match="at least 2"):
        gray_test([1, 2], [1, 0], ["a", "a"])
    fit = cumulative_incidence([1, 2, 3], [1, 2, 0], ["a", "b", "a"])
    with pytest.raises(OutOfRangeError, match="cause"):
        fit.cif_at(1, group="a", cause=3)
    with pytest.raises(OutOfRangeError, match="group"):
        fit.cif_at(1, group="z")


def test_row_order_does_not_matter() -> None:
    d = SIM3.sample(frac=1.0, random_state=1)
    a = gray_test(SIM3["time"], SIM3["event"], SIM3["arm"]).table
    b = gray_test(d["time"], d["event"], d["arm"]).table
    np.testing.assert_allclose(a["statistic"], b["statistic"])


# ----------------------------------------------------------------------------- rare branches
def test_empty_data_raises() -> None:
    with pytest.raises(SchemaError, match=r"^competing risks data is empty$"):
        cumulative_incidence([], [])


def test_cif_at_checks_the_group_against_the_curves() -> None:
    grouped = cumulative_incidence([1, 2, 3, 4], [1, 2, 1, 0], ["a", "a", "b", "b"])
    with pytest.raises(SchemaError, match=r"^group is required: one of \['a', 'b'\]$"):
        grouped.cif_at([1.0])
    plain = cumulative_incidence([1, 2, 3, 4], [1, 2, 1, 0])
    with pytest.raises(SchemaError, match=r"^group was given but the curves are not grouped$"):
        plain.cif_at([1.0], group="a")


def test_no_events_give_an_empty_table_with_every_column() -> None:
    ci = cumulative_incidence([1, 2, 3], [0, 0, 0])
    assert ci.table.empty
    assert list(ci.table.columns) == [
        "cause", "time", "n_risk", "n_event", "estimate", "variance", "std_err", "lower", "upper",
    ]  # fmt: skip
    assert ci.causes == ()
    grouped = cumulative_incidence([1, 2, 3], [0, 0, 0], ["a", "a", "b"])
    assert grouped.table.columns[0] == "group"
    assert grouped.table.empty


def test_gray_test_needs_groups() -> None:
    with pytest.raises(SchemaError, match=r"^group is required for Gray's test$"):
        gray_test([1, 2, 3], [1, 0, 1], None)  # type: ignore[arg-type]


def test_gray_test_without_variance_is_not_evaluable() -> None:
    # every patient has the event of interest: the score has no variance, so no statistic
    # (missing, never p = 1)
    res = gray_test([5, 6, 1, 2], [1, 1, 1, 1], ["a", "a", "b", "b"])
    assert res.table["cause"].tolist() == [1]
    assert np.isnan(res.table["statistic"].iloc[0])
    assert np.isnan(res.table["p"].iloc[0])
