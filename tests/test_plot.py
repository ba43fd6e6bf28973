"""Figures are produced without a display and written to PNG."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sscoutcomes as ssc

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

from sscoutcomes.plot import (  # noqa: E402
    plot_change_categories,
    plot_kaplan_meier,
    plot_trajectories,
    plot_waterfall,
)


def save(ax: object, path: Path) -> None:
    fig = ax.get_figure()  # type: ignore[attr-defined]
    fig.savefig(path)
    mpl.pyplot.close(fig)
    assert path.stat().st_size > 1000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_all_figures_to_png(tmp_path: Path) -> None:
    cohort = ssc.load_demo()
    p = cohort.patients_frame
    death = pd.to_numeric(p["death_day"]).to_numpy(dtype=float)
    last = pd.to_numeric(p["last_contact_day"]).to_numpy(dtype=float)
    event = ~np.isnan(death)
    km = ssc.kaplan_meier(np.where(event, death, last), event)
    ax = plot_kaplan_meier(km)
    steps = [line for line in ax.get_lines() if line.get_drawstyle() == "steps-post"]
    assert len(steps) == 1
    # the curve is the estimate: x in years, y the survival, starting at (0, 1)
    x, y = steps[0].get_data()
    assert (x[0], y[0]) == (0.0, 1.0)
    np.testing.assert_allclose(y[1:], km.table["survival"].to_numpy()[: len(y) - 1])
    save(ax, tmp_path / "km.png")
    visits = cohort.visits.assign(mrss=ssc.score_mrss(cohort.visits)["mrss"])
    ax = plot_trajectories(visits, "mrss")
    # one line per patient with an mRSS, through that patient's values in time order
    scored = visits.dropna(subset=["mrss"])
    assert len(ax.get_lines()) == scored["patient_id"].nunique()
    first = scored[scored["patient_id"] == scored["patient_id"].min()].sort_values("day")
    np.testing.assert_array_equal(ax.get_lines()[0].get_ydata(), first["mrss"].to_numpy())
    save(ax, tmp_path / "traj.png")
    change = ssc.change_from_baseline(visits, "mrss", ssc.Schedule.years(0, 1))
    ax = plot_waterfall(change["change"], threshold=5)
    # one bar per patient with a change, largest first; the threshold lines at +/-5
    heights = [bar.get_height() for bar in ax.patches]
    expected = change["change"].dropna().sort_values(ascending=False).tolist()
    assert heights == expected
    assert sorted(line.get_ydata()[0] for line in ax.get_lines()) == [-5.0, 0.0, 5.0]
    save(ax, tmp_path / "waterfall.png")
    counts = pd.DataFrame(
        {"improved": [3, 4], "stable": [10, 9], "worsened": [5, 6]}, index=["1 year", "3 years"]
    )
    ax = plot_change_categories(counts)
    # stacked percentages: each column's bars sum to 100 and the legend names the categories
    tops = {}
    for bar in ax.patches:
        tops[bar.get_x()] = max(tops.get(bar.get_x(), 0.0), bar.get_y() + bar.get_height())
    assert list(tops.values()) == pytest.approx([100.0, 100.0])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(counts.columns)
    assert ax.patches[0].get_height() == pytest.approx(100 * 3 / 18)
    save(ax, tmp_path / "bars.png")


def test_plot_errors() -> None:
    with pytest.raises(ssc.SchemaError):
        plot_trajectories(pd.DataFrame({"day": [0]}), "mrss")
    with pytest.raises(ssc.SchemaError):
        plot_change_categories(pd.DataFrame())
    with pytest.raises(ssc.SchemaError):
        plot_kaplan_meier(object())


def test_figures_never_switch_the_matplotlib_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    # a notebook's backend (inline, widget) must stay: switching it hides the figures
    import matplotlib

    import sscoutcomes as ssc

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("matplotlib.use was called")

    monkeypatch.setattr(matplotlib, "use", refuse)
    before = matplotlib.get_backend()
    report = ssc.FollowUpReport(ssc.load_demo(), ssc.Schedule.years(0, 1, 3, 5))
    assert "data:image/png;base64" in report.to_html()
    from sscoutcomes.plot import plot_kaplan_meier

    plot_kaplan_meier(ssc.kaplan_meier([100, 400, 800], [1, 0, 1]))
    assert matplotlib.get_backend() == before


def test_kaplan_meier_groups_each_get_a_labelled_at_risk_row_and_censoring_ticks() -> None:
    km = ssc.kaplan_meier(
        [100, 400, 800, 1200, 1900, 300, 500], [1, 0, 1, 0, 0, 1, 0],
        group=["a", "a", "a", "b", "b", "b", "b"],
    )  # fmt: skip
    ax = plot_kaplan_meier(km, risk_times=[0, 1, 2], time_unit_days=365.25)
    labels = [t for t in ax.texts if t.get_gid() == "sscoutcomes-at-risk-label"]
    assert [t.get_text() for t in labels] == ["a", "b"]
    counts = [t.get_text() for t in ax.texts if t.get_gid() == "sscoutcomes-at-risk"]
    # at risk at 0, 1 and 2 years: a (100, 400, 800) 3, 2, 1; b (300, 500, 1200, 1900) 4, 3, 2
    assert counts == ["3", "2", "1", "4", "3", "2"]
    assert [tick.get_text() for tick in ax.get_xticklabels()] == ["0", "1", "2"]  # untouched
    censored = [line for line in ax.lines if line.get_marker() == "|"]
    assert len(censored) == 2
    # a second curve on the same axes adds its own row below
    plot_kaplan_meier(ssc.kaplan_meier([200, 600], [1, 0]), ax=ax, label="c", risk_times=[0, 1, 2])
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "sscoutcomes-at-risk-label"]
    assert labels == ["a", "b", "c"]


def test_cumulative_incidence_win_ratio_and_annual_rate_figures(tmp_path: Path) -> None:
    from sscoutcomes.plot import plot_annual_rate, plot_cumulative_incidence, plot_win_ratio

    cif = ssc.cumulative_incidence(
        [100, 200, 300, 400, 500, 600, 700, 800], [1, 2, 0, 1, 2, 1, 0, 1],
        group=["a", "a", "a", "a", "b", "b", "b", "b"],
    )  # fmt: skip
    ax = plot_cumulative_incidence(cif)
    assert [line.get_label() for line in ax.get_lines()] == [
        "a, cause 1", "a, cause 2", "b, cause 1", "b, cause 2",
    ]  # fmt: skip
    with pytest.raises(ssc.SchemaError, match="cause = 3"):
        plot_cumulative_incidence(cif, cause=3)
    save(ax, tmp_path / "cif.png")
    frame = pd.DataFrame(
        {"arm": ["t", "t", "t", "c", "c", "c"], "time": [5, 6, 7, 3, 4, 8],
         "event": [0, 1, 0, 1, 1, 0], "fvc": [80, 70, None, 60, 65, 70]}
    )  # fmt: skip
    result = ssc.win_ratio(frame, arm="arm", treatment="t", outcomes=[
        ssc.Outcome.time_to_event("death", time="time", event="event"),
        ssc.Outcome.numeric("fvc", column="fvc", higher_is_better=True),
    ])  # fmt: skip
    ax = plot_win_ratio(result)
    widths = [patch.get_width() for patch in ax.patches]
    table = result.table
    assert widths == [*table["wins"], *table["losses"], *table["unordered"]]
    save(ax, tmp_path / "wins.png")
    cohort = ssc.simulate_cohort(30, seed=1)
    fit = ssc.annual_rate(cohort, "fvc_pct_predicted", by="subset")
    ax = plot_annual_rate(cohort, "fvc_pct_predicted", fit, by="subset")
    labels = [line.get_label() for line in ax.get_lines()][-2:]
    slopes = fit.table.set_index("group")["slope"]
    assert labels == [f"{g}: fitted slope {slopes[g]:.2f} per year" for g in slopes.index]
    save(ax, tmp_path / "rate.png")


def test_plot_errors_name_what_is_missing() -> None:
    from sscoutcomes.plot import plot_annual_rate, plot_cumulative_incidence, plot_win_ratio

    km = ssc.kaplan_meier([100, 400, 800], [1, 0, 1])
    with pytest.raises(ssc.SchemaError, match=r"^label = 3 must be text$"):
        plot_kaplan_meier(km, label=3)  # type: ignore[arg-type]
    with pytest.raises(ssc.SchemaError, match=r"^plot_cumulative_incidence needs a result with a"):
        plot_cumulative_incidence(object())
    with pytest.raises(ssc.SchemaError, match=r"^plot_win_ratio needs a win-ratio result with a"):
        plot_win_ratio(object())
    visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365], "mrss": [20.0, 15.0]})
    with pytest.raises(ssc.SchemaError, match=r"^plot_annual_rate needs a visits DataFrame or a"):
        plot_annual_rate([1, 2], "mrss", object())
    with pytest.raises(ssc.SchemaError, match=r"^plot_annual_rate needs an annual_rate result"):
        plot_annual_rate(visits, "mrss", object())


def test_kaplan_meier_without_bands_ticks_or_at_risk_row() -> None:
    km = ssc.kaplan_meier([100, 400, 800, 900], [1, 0, 1, 0])
    ax = plot_kaplan_meier(km, ci=False, censor_ticks=False, at_risk=False)
    assert len(ax.collections) == 0  # no confidence band
    assert [line for line in ax.lines if line.get_marker() == "|"] == []
    assert [t for t in ax.texts if str(t.get_gid()).startswith("sscoutcomes-at-risk")] == []
    steps = [line for line in ax.get_lines() if line.get_drawstyle() == "steps-post"]
    assert len(steps) == 1
    full = plot_kaplan_meier(km)
    assert len(full.collections) == 1
    mpl.pyplot.close("all")


def test_waterfall_without_threshold_and_counts_not_percent() -> None:
    ax = plot_waterfall([3.0, -5.0, np.nan, 0.0])
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert dashed == []
    assert [p.get_height() for p in ax.patches] == [3.0, 0.0, -5.0]
    with_threshold = plot_waterfall([3.0, -5.0], threshold=5)
    assert len([ln for ln in with_threshold.lines if ln.get_linestyle() == "--"]) == 2
    counts = pd.DataFrame({"improved": [5], "stable": [12], "worsened": [8]}, index=["1 year"])
    ax = plot_change_categories(counts, percent=False)
    assert [p.get_height() for p in ax.patches] == [5.0, 12.0, 8.0]
    assert ax.get_ylabel() != "Patients (%)"
    mpl.pyplot.close("all")


def test_cumulative_incidence_without_bands() -> None:
    from sscoutcomes.plot import plot_cumulative_incidence

    cif = ssc.cumulative_incidence([100, 200, 300, 400, 500, 600], [1, 2, 0, 1, 2, 1])
    ax = plot_cumulative_incidence(cif, ci=False)
    assert [line.get_label() for line in ax.get_lines()] == ["cause 1", "cause 2"]
    assert len(ax.collections) == 0
    assert len(plot_cumulative_incidence(cif).collections) == 2
    mpl.pyplot.close("all")
