"""Generalized pairwise comparisons: win ratio, net benefit, win odds, Finkelstein-Schoenfeld."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sscoutcomes as ssc
from sscoutcomes.analysis.win_ratio import LEVEL_COLUMNS, Outcome, grcs_outcomes, win_ratio
from sscoutcomes.errors import OutOfRangeError, SchemaError

DEATH = Outcome.time_to_event("death", time="days", event="died")
FVC = Outcome.numeric("FVC", column="fvc", higher_is_better=True)

# Treatment A1-A3, control B1-B3.
HAND = pd.DataFrame(
    {
        "id": ["A1", "A2", "A3", "B1", "B2", "B3"],
        "arm": ["T", "T", "T", "C", "C", "C"],
        "days": [10.0, 4.0, 10.0, 6.0, 10.0, 3.0],
        "died": [0, 1, 0, 1, 0, 0],
        "fvc": [5.0, np.nan, np.nan, -2.0, 1.0, 0.0],
    }
)

# Every pair of the hand example, written out: (i, j, score of i against j, level deciding).
# Level 1 (death, Gehan): i beats j when j died at t_j and i was followed beyond t_j.
# Level 2 (FVC, higher better): a missing FVC leaves the pair unordered (a tie).
PAIRS = [
    # treatment x control
    ("A1", "B1", +1, "death"),  # B1 died day 6, A1 alive at day 10
    ("A1", "B2", +1, "FVC"),  # both alive at 10: unordered; FVC 5 > 1
    ("A1", "B3", +1, "FVC"),  # B3 censored day 3: unordered; FVC 5 > 0
    ("A2", "B1", -1, "death"),  # A2 died day 4, B1 followed to 6
    ("A2", "B2", -1, "death"),  # A2 died day 4, B2 alive at 10
    ("A2", "B3", 0, None),  # B3 censored day 3 before A2's death: unordered; A2 FVC missing
    ("A3", "B1", +1, "death"),  # B1 died day 6, A3 alive at 10
    ("A3", "B2", 0, None),  # both alive: unordered; A3 FVC missing
    ("A3", "B3", 0, None),  # unordered; A3 FVC missing
    # within the treatment arm (only in the Finkelstein-Schoenfeld U_i)
    ("A1", "A2", +1, "death"),
    ("A1", "A3", 0, None),
    ("A2", "A3", -1, "death"),
    # within the control arm
    ("B1", "B2", -1, "death"),  # B1 died day 6, B2 alive at 10
    ("B1", "B3", -1, "FVC"),  # B3 censored at 3 < 6: unordered; FVC -2 < 0
    ("B2", "B3", +1, "FVC"),  # unordered; FVC 1 > 0
]


def test_hand_worked_three_versus_three() -> None:
    res = win_ratio(HAND, arm="arm", treatment="T", outcomes=[DEATH, FVC])
    between = [p for p in PAIRS if p[0].startswith("A") and p[1].startswith("B")]
    wins = sum(1 for p in between if p[2] == 1)
    losses = sum(1 for p in between if p[2] == -1)
    assert (wins, losses) == (4, 2)
    assert (res.wins, res.losses, res.ties) == (4, 2, 3)
    assert res.win_ratio == 2.0
    assert res.net_benefit == pytest.approx(2 / 9)
    assert res.win_odds == pytest.approx((4 + 1.5) / (2 + 1.5))

    # U_i over the pooled sample, from the written-out pairs
    u = dict.fromkeys(HAND["id"], 0)
    for i, j, s, _ in PAIRS:
        u[i] += s
        u[j] -= s
    assert u == {"A1": 4, "A2": -4, "A3": 2, "B1": -3, "B2": 2, "B3": -1}
    var = 3 * 3 / (6 * 5) * sum(v * v for v in u.values())  # = 15
    assert var == pytest.approx(15.0)
    assert res.statistic == pytest.approx(2 / math.sqrt(15))
    assert res.p == pytest.approx(2 * (1 - NormalDist().cdf(2 / math.sqrt(15))))

    table = res.table
    assert list(table.columns) == list(LEVEL_COLUMNS)
    assert table["pairs"].tolist() == [9, 5]
    assert table["wins"].tolist() == [2, 2]
    assert table["losses"].tolist() == [2, 0]
    assert table["unordered"].tolist() == [5, 3]
    assert table["missing"].tolist() == [0, 3]

    # confidence intervals: structural components written out
    win = {"A1": 3, "A2": 0, "A3": 1}  # wins of each treated patient (of 3 controls)
    loss = {"A1": 0, "A2": 2, "A3": 0}
    win_c = {"B1": 2, "B2": 1, "B3": 1}  # wins of treatment against each control (of 3)
    loss_c = {"B1": 1, "B2": 1, "B3": 0}
    c10 = np.cov([np.array(list(win.values())) / 3, np.array(list(loss.values())) / 3])
    c01 = np.cov([np.array(list(win_c.values())) / 3, np.array(list(loss_c.values())) / 3])
    cov = c10 / 3 + c01 / 3
    tw, tl = 4 / 9, 2 / 9
    se = math.sqrt(cov[0, 0] / tw**2 + cov[1, 1] / tl**2 - 2 * cov[0, 1] / (tw * tl))
    z = NormalDist().inv_cdf(0.975)
    assert res.win_ratio_lower == pytest.approx(2 * math.exp(-z * se))
    assert res.win_ratio_upper == pytest.approx(2 * math.exp(z * se))
    se_nb = math.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    nb = 2 / 9
    assert res.net_benefit_lower == pytest.approx(
        math.tanh(math.atanh(nb) - z * se_nb / (1 - nb**2))
    )
    wo = 5.5 / 3.5
    assert res.win_odds_upper == pytest.approx(wo * math.exp(2 * z * se_nb / (1 - nb**2)))
    lo_wo = res.win_odds_lower
    assert res.net_benefit_lower == pytest.approx((lo_wo - 1) / (lo_wo + 1))

    frame = res.to_frame()
    assert list(frame.index) == ["win_ratio", "net_benefit", "win_odds"]
    assert list(frame.columns) == ["estimate", "lower", "upper", "statistic", "p"]
    assert "WinRatio(" in repr(res)
    assert "<table" in res._repr_html_()


def test_threshold_and_direction() -> None:
    frame = pd.DataFrame({"arm": [1, 0], "x": [3.0, 1.0], "t": [10.0, 5.0], "e": [0, 1]})
    lower = Outcome.numeric("x", column="x", higher_is_better=False)
    assert win_ratio(frame, arm="arm", treatment=1, outcomes=[lower]).losses == 1
    big = Outcome.numeric("x", column="x", higher_is_better=True, threshold=2)
    assert win_ratio(frame, arm="arm", treatment=1, outcomes=[big]).ties == 1  # 2 is not > 2
    tte = Outcome.time_to_event("t", time="t", event="e", threshold=5)
    assert win_ratio(frame, arm="arm", treatment=1, outcomes=[tte]).ties == 1
    tte4 = Outcome.time_to_event("t", time="t", event="e", threshold=4.9)
    assert win_ratio(frame, arm="arm", treatment=1, outcomes=[tte4]).wins == 1


def test_missing_event_is_never_a_win() -> None:
    frame = pd.DataFrame({"arm": [1, 0], "t": [10.0, 5.0], "e": [0, None]})
    tte = Outcome.time_to_event("t", time="t", event="e")
    res = win_ratio(frame, arm="arm", treatment=1, outcomes=[tte])
    assert (res.wins, res.losses, res.ties) == (0, 0, 1)
    assert res.table["missing"].tolist() == [1]


def brute_force(frame: pd.DataFrame, treated: str) -> tuple[int, int, float]:
    """Pairwise loop (test reference only) over the two-level DEATH, FVC hierarchy."""
    rows = frame.to_dict("records")

    def score(a: dict[str, float], b: dict[str, float]) -> int:
        if a["died"] == 1 and b["days"] > a["days"]:
            return -1
        if b["died"] == 1 and a["days"] > b["days"]:
            return 1
        if not (math.isnan(a["fvc"]) or math.isnan(b["fvc"])) and a["fvc"] != b["fvc"]:
            return 1 if a["fvc"] > b["fvc"] else -1
        return 0

    u = [sum(score(a, b) for b in rows if b is not a) for a in rows]
    t = [r for r in rows if r["arm"] == treated]
    c = [r for r in rows if r["arm"] != treated]
    w = sum(score(a, b) == 1 for a in t for b in c)
    lo = sum(score(a, b) == -1 for a in t for b in c)
    n, n1 = len(rows), len(t)
    v = n1 * (n - n1) / (n * (n - 1)) * sum(x * x for x in u)
    return w, lo, (w - lo) / math.sqrt(v) if v > 0 else math.nan


patients = st.lists(
    st.tuples(
        st.sampled_from(["T", "C"]),
        st.integers(0, 6).map(float),
        st.sampled_from([0, 1]),
        st.one_of(st.none(), st.integers(-3, 3).map(float)),
    ),
    min_size=2,
    max_size=14,
).filter(lambda rows: len({r[0] for r in rows}) == 2)


def to_frame(rows: list[tuple[str, float, int, float | None]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["arm", "days", "died", "fvc"])
    frame["fvc"] = frame["fvc"].astype(float)
    return frame


@settings(max_examples=60, deadline=None)
@given(patients)
def test_matches_pairwise_loop(rows: list[tuple[str, float, int, float | None]]) -> None:
    frame = to_frame(rows)
    res = win_ratio(frame, arm="arm", treatment="T", outcomes=[DEATH, FVC])
    w, lo, z = brute_force(frame, "T")
    assert (res.wins, res.losses) == (w, lo)
    assert res.statistic == pytest.approx(z, nan_ok=True)
    assert res.table["wins"].sum() == w


@settings(max_examples=60, deadline=None)
@given(patients)
def test_swapping_arms_inverts(rows: list[tuple[str, float, int, float | None]]) -> None:
    frame = to_frame(rows)
    a = win_ratio(frame, arm="arm", treatment="T", outcomes=[DEATH, FVC])
    b = win_ratio(frame, arm="arm", treatment="C", outcomes=[DEATH, FVC])
    assert (a.wins, a.losses, a.ties) == (b.losses, b.wins, b.ties)
    if a.wins and a.losses:
        assert b.win_ratio == pytest.approx(1 / a.win_ratio)
        assert b.win_ratio_lower == pytest.approx(1 / a.win_ratio_upper, nan_ok=True)
    assert b.net_benefit == pytest.approx(-a.net_benefit)
    assert b.net_benefit_lower == pytest.approx(-a.net_benefit_upper, nan_ok=True)
    assert b.win_odds * a.win_odds == pytest.approx(1.0) or {a.win_odds, b.win_odds} == {
        0.0,
        math.inf,
    }
    assert b.statistic == pytest.approx(-a.statistic, nan_ok=True)
    assert b.p == pytest.approx(a.p, nan_ok=True)


@settings(max_examples=30, deadline=None)
@given(patients, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(rows: list[tuple[str, float, int, float | None]], rnd) -> None:  # type: ignore[no-untyped-def]
    frame = to_frame(rows)
    shuffled = frame.sample(frac=1.0, random_state=rnd.randint(0, 1000))
    a = win_ratio(frame, arm="arm", treatment="T", outcomes=[DEATH, FVC])
    b = win_ratio(shuffled, arm="arm", treatment="T", outcomes=[DEATH, FVC])
    assert (a.wins, a.losses, a.ties) == (b.wins, b.losses, b.ties)
    assert a.statistic == pytest.approx(b.statistic, nan_ok=True)
    assert a.win_ratio_lower == pytest.approx(b.win_ratio_lower, nan_ok=True)


def test_chunks_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "arm": rng.integers(0, 2, 60),
            "days": rng.integers(0, 20, 60).astype(float),
            "died": rng.integers(0, 2, 60),
            "fvc": rng.normal(0, 5, 60).round(),
        }
    )
    whole = win_ratio(frame, arm="arm", treatment=1, outcomes=[DEATH, FVC])
    import sscoutcomes.analysis.win_ratio as module

    monkeypatch.setattr(module, "_CHUNK_CELLS", 7 * 60)
    chunked = win_ratio(frame, arm="arm", treatment=1, outcomes=[DEATH, FVC])
    assert whole.to_frame().equals(chunked.to_frame())
    assert whole.table.equals(chunked.table)


def test_input_is_not_mutated() -> None:
    before = HAND.copy(deep=True)
    win_ratio(HAND, arm="arm", treatment="T", outcomes=[DEATH, FVC])
    pd.testing.assert_frame_equal(HAND, before)


@pytest.mark.parametrize(
    ("change", "error", "text"),
    [
        ({"days": [-1.0, 4, 10, 6, 10, 3]}, OutOfRangeError, "time = 'days'.*-1.0.*0..inf"),
        ({"died": [2, 1, 0, 1, 0, 0]}, OutOfRangeError, "event = 'died'.*2.0.*0 or 1"),
        ({"fvc": ["x", 1, 1, 1, 1, 1]}, SchemaError, "column = 'fvc'.*'x'.*not a number"),
        ({"fvc": [math.inf, 1, 1, 1, 1, 1]}, OutOfRangeError, "column = 'fvc'.*inf.*finite"),
        ({"arm": ["T", "T", "T", "C", "C", None]}, SchemaError, "missing in 1 row"),
        ({"arm": ["T", "T", "T", "C", "C", "D"]}, SchemaError, "3 distinct"),
    ],
)
def test_bad_frames(change: dict[str, list[object]], error: type[Exception], text: str) -> None:
    frame = HAND.assign(**change)
    with pytest.raises(error, match=text.replace("(", r"\(")):
        win_ratio(frame, arm="arm", treatment="T", outcomes=[DEATH, FVC])


def test_bad_arguments() -> None:
    with pytest.raises(SchemaError, match="treatment = 'X'"):
        win_ratio(HAND, arm="arm", treatment="X", outcomes=[DEATH])
    with pytest.raises(SchemaError, match="arm = 'nope'"):
        win_ratio(HAND, arm="nope", treatment="T", outcomes=[DEATH])
    with pytest.raises(SchemaError, match="outcomes"):
        win_ratio(HAND, arm="arm", treatment="T", outcomes=[])
    with pytest.raises(OutOfRangeError, match=r"conf_level = 1\.5"):
        win_ratio(HAND, arm="arm", treatment="T", outcomes=[DEATH], conf_level=1.5)
    with pytest.raises(OutOfRangeError, match="threshold = -1"):
        Outcome.numeric("x", column="x", higher_is_better=True, threshold=-1)
    with pytest.raises(SchemaError, match="higher_is_better = 'yes'"):
        Outcome.numeric("x", column="x", higher_is_better="yes")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="kind = 'other'"):
        Outcome(name="x", kind="other")


def test_degenerate_results_are_nan_not_errors() -> None:
    frame = pd.DataFrame({"arm": [1, 0], "x": [1.0, 1.0]})
    res = win_ratio(
        frame,
        arm="arm",
        treatment=1,
        outcomes=[FVC.__class__.numeric("x", column="x", higher_is_better=True)],
    )
    assert res.ties == 1
    assert math.isnan(res.win_ratio)
    assert math.isnan(res.statistic)
    assert res.win_odds == 1.0
    assert math.isnan(res.win_odds_lower)


def test_grcs_preset() -> None:
    levels = grcs_outcomes(fvc_threshold=10, haq_threshold=0.4)
    assert [o.kind for o in levels] == ["time_to_event"] * 2 + ["numeric"] * 3
    assert [o.higher_is_better for o in levels[2:]] == [True, False, False]
    assert levels[2].threshold == 10
    assert levels[3].threshold == 0.4
    rng = np.random.default_rng(5)
    n = 40
    frame = pd.DataFrame(
        {
            "arm": np.repeat(["HSCT", "CYC"], n // 2),
            "death_time": rng.integers(100, 1600, n).astype(float),
            "death": rng.integers(0, 2, n),
            "event_free_time": rng.integers(50, 1600, n).astype(float),
            "event": rng.integers(0, 2, n),
            "fvc_pct_predicted_change": rng.normal(0, 10, n),
            "haq_di_change": rng.normal(0, 0.5, n),
            "mrss_change": rng.normal(-5, 8, n),
        }
    )
    res = ssc.win_ratio(frame, arm="arm", treatment="HSCT", outcomes=levels)
    assert res.wins + res.losses + res.ties == (n // 2) ** 2
    assert res.table["outcome"].tolist() == [
        "death",
        "event-free survival",
        "FVC",
        "HAQ-DI",
        "mRSS",
    ]
    assert res.table["pairs"].iloc[0] == (n // 2) ** 2


def test_import_does_not_pull_scipy() -> None:
    import sys

    assert "sscoutcomes.analysis.win_ratio" in sys.modules
    res = win_ratio(HAND, arm="arm", treatment="T", outcomes=[DEATH, FVC])
    assert 0 < res.p < 1


# ----------------------------------------------------------------------------- rare branches
def test_outcome_of_one_kind_rejects_the_other_kinds_columns() -> None:
    with pytest.raises(
        SchemaError, match=r"^column = 'fvc', higher_is_better = None: a time_to_event"
    ):
        Outcome(name="death", kind="time_to_event", time="days", event="died", column="fvc")
    with pytest.raises(SchemaError, match=r"^time = 'days', event = None: a numeric outcome takes"):
        Outcome(name="FVC", kind="numeric", column="fvc", higher_is_better=True, time="days")


def test_a_single_outcome_is_a_list_of_one() -> None:
    one = win_ratio(HAND, arm="arm", treatment="T", outcomes=FVC)  # type: ignore[arg-type]
    listed = win_ratio(HAND, arm="arm", treatment="T", outcomes=[FVC])
    assert (one.wins, one.losses, one.ties) == (listed.wins, listed.losses, listed.ties)


def test_bad_columns_and_arm_raise_naming_them() -> None:
    repeated = pd.concat([HAND, HAND[["fvc"]]], axis=1)
    with pytest.raises(SchemaError, match=r"^column = 'fvc' is a repeated column name of frame$"):
        win_ratio(repeated, arm="arm", treatment="T", outcomes=[FVC])
    flags = HAND.assign(fvc=[True, False, True, False, True, False])
    with pytest.raises(SchemaError, match=r"^column = 'fvc' holds booleans, not numbers$"):
        win_ratio(flags, arm="arm", treatment="T", outcomes=[FVC])
    with pytest.raises(
        SchemaError, match=r"^arm = 1 is not allowed: give the name of the arm column$"
    ):
        win_ratio(HAND, arm=1, treatment="T", outcomes=[FVC])  # type: ignore[arg-type]
