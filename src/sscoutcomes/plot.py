"""Figures for a follow-up study (optional extra ``plot``: ``pip install "sscoutcomes[plot]"``).

Every function draws on a matplotlib ``Axes`` (a new figure when none is given), returns the
``Axes``, and works without a display (the ``Agg`` backend). They take the library's own
results -- a Kaplan-Meier result, a visits frame, a change table -- so a figure always shows
the same numbers as the tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import SchemaError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "plot_annual_rate",
    "plot_change_categories",
    "plot_cumulative_incidence",
    "plot_kaplan_meier",
    "plot_trajectories",
    "plot_waterfall",
    "plot_win_ratio",
]

_CATEGORY_COLOURS: Mapping[str, str] = {
    "improved": "#4c9a2a",
    "stable": "#9fb7c9",
    "worsened": "#c0392b",
    "not evaluable": "#d9d9d9",
}


def _axes(ax: Axes | None) -> Axes:
    """``ax``, or new axes from pyplot (the backend is the user's: in a notebook the
    figure shows; the library never switches backends)."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - exercised only without matplotlib
        raise ImportError(
            "sscoutcomes figures need matplotlib: pip install 'sscoutcomes[plot]'"
        ) from exc
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=(6.4, 4.2))
    return new_ax


def _require(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{what} lacks column(s) {', '.join(map(repr, missing))}")


def plot_kaplan_meier(
    result: Any,
    *,
    ax: Axes | None = None,
    label: str | None = None,
    time_unit_days: float = 365.25,
    time_label: str = "Years since index",
    risk_times: Sequence[float] | None = None,
    ci: bool = True,
    censor_ticks: bool = True,
    at_risk: bool = True,
) -> Axes:
    """Kaplan-Meier step curves with confidence bands, censoring ticks and a labelled
    number-at-risk row per curve under the axes.

    Parameters
    ----------
    result
        A Kaplan-Meier result (:func:`sscoutcomes.kaplan_meier`, grouped or not) or anything
        with a ``.table`` frame holding ``time``, ``n_risk``, ``n_censor``, ``survival``,
        ``lower``, ``upper`` (and ``group`` for one curve per group).
    ax : matplotlib.axes.Axes, optional
        Where to draw. Calling again on the same axes adds curves and their own
        number-at-risk rows below the ones already there.
    label : str, optional
        Legend label of an ungrouped curve (default ``"Overall survival"``); a grouped fit
        labels each curve with its group.
    time_unit_days : float
        Days per plotted time unit (365.25 plots years; 1 plots days).
    time_label : str
        The x-axis label.
    risk_times : sequence of float, optional
        Times (in plotted units) of the number-at-risk rows; default: the x ticks.
    ci : bool
        Draw the confidence bands.
    censor_ticks : bool
        Mark the censored times on each curve (``|``), as R's ``plot.survfit`` and
        lifelines do.
    at_risk : bool
        Draw the number-at-risk rows (one per curve, labelled and coloured as it).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from sscoutcomes import kaplan_meier
    >>> from sscoutcomes.plot import plot_kaplan_meier
    >>> km = kaplan_meier([100, 400, 800, 1200, 1900, 300], [1, 0, 1, 0, 0, 1],
    ...                   group=["a", "a", "a", "b", "b", "b"])
    >>> ax = plot_kaplan_meier(km)
    >>> [t.get_text() for t in ax.texts if t.get_gid() == "sscoutcomes-at-risk-label"]
    ['a', 'b']
    """
    table = getattr(result, "table", result)
    if not isinstance(table, pd.DataFrame):
        raise SchemaError("plot_kaplan_meier needs a Kaplan-Meier result with a .table frame")
    _require(table, ["time", "n_risk", "survival", "lower", "upper"], "the Kaplan-Meier table")
    if label is not None and not isinstance(label, str):
        raise SchemaError(f"label = {label!r} must be text")
    ax = _axes(ax)
    from matplotlib.colors import to_hex

    if "group" in table.columns:
        curves = [(str(g), block) for g, block in table.groupby("group", sort=False)]
    else:
        curves = [(label or "Overall survival", table)]
    drawn = []
    for name, block in curves:
        t = np.concatenate([[0.0], block["time"].to_numpy(dtype=float) / time_unit_days])
        surv = np.concatenate([[1.0], block["survival"].to_numpy(dtype=float)])
        (line,) = ax.step(t, surv, where="post", label=name)
        colour = to_hex(line.get_color())
        if ci:
            lo = np.concatenate([[1.0], block["lower"].to_numpy(dtype=float)])
            hi = np.concatenate([[1.0], block["upper"].to_numpy(dtype=float)])
            ax.fill_between(t, lo, hi, step="post", alpha=0.2, color=colour, lw=0)
        if censor_ticks and "n_censor" in block.columns:
            censored = block["n_censor"].to_numpy() > 0
            ax.plot(
                block["time"].to_numpy(dtype=float)[censored] / time_unit_days,
                block["survival"].to_numpy(dtype=float)[censored],
                linestyle="none",
                marker="|",
                markersize=8,
                color=colour,
            )
        drawn.append((name, block, colour))
    ax.set_ylim(0.0, 1.05)
    ax.set_xlim(left=0.0)
    ax.set_xlabel(time_label)
    ax.set_ylabel("Survival probability")
    ax.legend(loc="lower left")
    if at_risk:
        ticks = (
            list(risk_times)
            if risk_times is not None
            else [x for x in ax.get_xticks() if 0 <= x <= ax.get_xlim()[1]]
        )
        ax.set_xticks(ticks)
        for name, block, colour in drawn:
            _at_risk_row(ax, block, ticks, time_unit_days, name, colour)
    return ax


def _at_risk_row(
    ax: Axes,
    block: pd.DataFrame,
    ticks: Sequence[float],
    time_unit_days: float,
    name: str,
    colour: str,
) -> None:
    """One number-at-risk row under the axes (text, not tick labels: rows never overwrite
    each other); rows already drawn on ``ax`` push it further down."""
    from matplotlib.transforms import blended_transform_factory

    row = sum(1 for t in ax.texts if t.get_gid() == "sscoutcomes-at-risk-label")
    y = -0.3 - 0.08 * row
    times = block["time"].to_numpy(dtype=float) / time_unit_days
    n_risk = block["n_risk"].to_numpy(dtype=float)
    n_start = int(n_risk[0]) if n_risk.size else 0
    transform = blended_transform_factory(ax.transData, ax.transAxes)
    if row == 0:
        ax.text(-0.06, y + 0.08, "Number at risk", transform=ax.transAxes, fontsize=8,
                ha="left", va="center", gid="sscoutcomes-at-risk-title")  # fmt: skip
    ax.text(-0.06, y, name, transform=ax.transAxes, ha="right", va="center", fontsize=8,
            color=colour, gid="sscoutcomes-at-risk-label")  # fmt: skip
    for x in ticks:
        later = np.flatnonzero(times >= x)
        count = n_start if x <= 0 else (int(n_risk[later[0]]) if later.size else 0)
        ax.text(x, y, str(count), transform=transform, ha="center", va="center", fontsize=8,
                color=colour, gid="sscoutcomes-at-risk")  # fmt: skip


def plot_trajectories(
    visits: pd.DataFrame,
    measure: str = "mrss",
    *,
    summary: pd.DataFrame | None = None,
    ax: Axes | None = None,
    time_unit_days: float = 365.25,
    ylabel: str | None = None,
) -> Axes:
    """Individual trajectories (thin lines) and mean +/- SD per timepoint (error bars).

    Parameters
    ----------
    visits : pandas.DataFrame
        Long frame with ``patient_id``, ``day`` and the ``measure`` column.
    measure : str
        Column to draw.
    summary : pandas.DataFrame, optional
        Per-timepoint ``day``, ``mean`` and ``sd`` columns (e.g. from the report); when
        absent only the individual lines are drawn.
    ax : matplotlib.axes.Axes, optional
    time_unit_days : float
        Days per plotted unit.
    ylabel : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.plot import plot_trajectories
    >>> v = pd.DataFrame({"patient_id": ["a", "a", "b", "b"], "day": [0, 365, 0, 360],
    ...                   "mrss": [20, 14, 10, 9]})
    >>> plot_trajectories(v).get_ylabel()
    'mrss'
    """
    _require(visits, ["patient_id", "day", measure], "the visits frame")
    ax = _axes(ax)
    data = visits[["patient_id", "day", measure]].dropna(subset=[measure])
    data = data.sort_values(["patient_id", "day"], kind="stable")
    for _, block in data.groupby("patient_id", sort=False):
        ax.plot(
            block["day"].to_numpy(dtype=float) / time_unit_days,
            block[measure].to_numpy(dtype=float),
            color="0.7",
            lw=0.7,
            alpha=0.8,
        )
    if summary is not None:
        _require(summary, ["day", "mean", "sd"], "the summary frame")
        ax.errorbar(
            summary["day"].to_numpy(dtype=float) / time_unit_days,
            summary["mean"].to_numpy(dtype=float),
            yerr=summary["sd"].to_numpy(dtype=float),
            color="black",
            marker="o",
            capsize=4,
            lw=2,
            label="mean +/- SD",
        )
        ax.legend(loc="upper right")
    ax.set_xlabel("Years since index" if time_unit_days == 365.25 else "Time")
    ax.set_ylabel(ylabel or measure)
    return ax


def plot_waterfall(
    change: pd.Series[float] | Sequence[float],
    *,
    ax: Axes | None = None,
    threshold: float | None = None,
    ylabel: str = "Change from baseline",
) -> Axes:
    """Waterfall of per-patient change, sorted from largest increase to largest decrease.

    Parameters
    ----------
    change : pandas.Series or sequence of float
        One change per patient; missing values are left out (and counted in the title).
    ax : matplotlib.axes.Axes, optional
    threshold : float, optional
        Draw +/- this value as dashed reference lines (e.g. the MCID).
    ylabel : str

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from sscoutcomes.plot import plot_waterfall
    >>> plot_waterfall([-8, -3, 0, 2, float("nan")], threshold=5).get_title()
    'n = 4 (1 missing)'
    """
    values = pd.Series(change, dtype="float64")
    present = values.dropna().sort_values(ascending=False).to_numpy()
    missing = int(values.isna().sum())
    ax = _axes(ax)
    colours = np.where(present < 0, "#4c9a2a", np.where(present > 0, "#c0392b", "0.6"))
    ax.bar(np.arange(present.size), present, color=colours, width=0.85)
    ax.axhline(0.0, color="black", lw=0.8)
    if threshold is not None:
        for y in (-abs(threshold), abs(threshold)):
            ax.axhline(y, color="0.3", lw=0.8, ls="--")
    ax.set_xticks([])
    ax.set_xlabel("Patients")
    ax.set_ylabel(ylabel)
    ax.set_title(f"n = {present.size}" + (f" ({missing} missing)" if missing else ""))
    return ax


def plot_change_categories(
    counts: pd.DataFrame,
    *,
    ax: Axes | None = None,
    percent: bool = True,
    title: str | None = None,
) -> Axes:
    """Stacked bars of change categories (improved / stable / worsened) per timepoint.

    Parameters
    ----------
    counts : pandas.DataFrame
        One row per timepoint (the index labels the bars), one column per category, counts.
    ax : matplotlib.axes.Axes, optional
    percent : bool
        Stack percentages of each row's total instead of counts.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.plot import plot_change_categories
    >>> c = pd.DataFrame({"improved": [5, 6], "stable": [12, 12], "worsened": [8, 7]},
    ...                  index=["1 year", "5 years"])
    >>> plot_change_categories(c).get_ylabel()
    'Patients (%)'
    """
    if counts.empty:
        raise SchemaError("plot_change_categories needs at least one row of counts")
    data = counts.astype("float64").fillna(0.0)
    if percent:
        totals = data.sum(axis=1).replace(0.0, np.nan)
        data = data.div(totals, axis=0).fillna(0.0) * 100.0
    ax = _axes(ax)
    bottom = np.zeros(len(data))
    x = np.arange(len(data))
    for column in data.columns:
        heights = data[column].to_numpy(dtype=float)
        ax.bar(
            x,
            heights,
            bottom=bottom,
            label=str(column),
            color=_CATEGORY_COLOURS.get(str(column)),
            width=0.6,
        )
        bottom = bottom + heights
    ax.set_xticks(x)
    ax.set_xticklabels([str(i) for i in data.index])
    ax.set_ylabel("Patients (%)" if percent else "Patients")
    ax.legend(loc="upper right", fontsize="small")
    if title:
        ax.set_title(title)
    return ax


def plot_cumulative_incidence(
    result: Any,
    *,
    ax: Axes | None = None,
    cause: int | None = None,
    time_unit_days: float = 365.25,
    time_label: str = "Years since index",
    ci: bool = True,
) -> Axes:
    """Cumulative incidence step curves (one per group and cause) with their confidence
    bands, from :func:`sscoutcomes.cumulative_incidence`.

    Parameters
    ----------
    result
        A cumulative incidence result, or anything with a ``.table`` holding ``cause``,
        ``time``, ``estimate``, ``lower``, ``upper`` (and ``group`` when grouped).
    ax : matplotlib.axes.Axes, optional
    cause : int, optional
        Draw only this cause (default every cause).
    time_unit_days : float
        Days per plotted unit.
    time_label : str
    ci : bool
        Draw the confidence bands.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from sscoutcomes import cumulative_incidence
    >>> from sscoutcomes.plot import plot_cumulative_incidence
    >>> cif = cumulative_incidence([100, 200, 300, 400, 500, 600], [1, 2, 0, 1, 2, 1])
    >>> ax = plot_cumulative_incidence(cif, cause=1)
    >>> [line.get_label() for line in ax.get_lines()]
    ['cause 1']
    """
    table = getattr(result, "table", result)
    if not isinstance(table, pd.DataFrame):
        raise SchemaError("plot_cumulative_incidence needs a result with a .table frame")
    _require(table, ["cause", "time", "estimate", "lower", "upper"], "the table")
    if "group" not in table.columns:  # an ungrouped fit
        table = table.assign(group="all")
    if cause is not None and cause not in set(table["cause"].tolist()):
        raise SchemaError(
            f"cause = {cause!r} is not a cause of the result; it has "
            f"{sorted(set(table['cause'].tolist()))}"
        )
    ax = _axes(ax)
    groups = table["group"].astype(str)
    several = groups.nunique() > 1
    for (group, c), block in table.groupby([groups, "cause"], sort=False):
        if cause is not None and c != cause:
            continue
        t = np.concatenate([[0.0], block["time"].to_numpy(dtype=float) / time_unit_days])
        est = np.concatenate([[0.0], block["estimate"].to_numpy(dtype=float)])
        name = f"{group}, cause {c}" if several else f"cause {c}"
        (line,) = ax.step(t, est, where="post", label=name)
        if ci:
            lo = np.concatenate([[0.0], block["lower"].to_numpy(dtype=float)])
            hi = np.concatenate([[0.0], block["upper"].to_numpy(dtype=float)])
            ax.fill_between(t, lo, hi, step="post", alpha=0.2, color=line.get_color(), lw=0)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlim(left=0.0)
    ax.set_xlabel(time_label)
    ax.set_ylabel("Cumulative incidence")
    ax.legend(loc="upper left")
    return ax


def plot_win_ratio(result: Any, *, ax: Axes | None = None) -> Axes:
    """Wins, losses and unordered pairs at each level of a hierarchy, as stacked bars (one
    bar per level), from :func:`sscoutcomes.win_ratio`.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import Outcome, win_ratio
    >>> from sscoutcomes.plot import plot_win_ratio
    >>> frame = pd.DataFrame({"arm": ["t", "t", "c", "c"], "time": [5, 6, 3, 8],
    ...                       "event": [0, 1, 1, 0]})
    >>> result = win_ratio(frame, arm="arm", treatment="t",
    ...                    outcomes=[Outcome.time_to_event("death", time="time", event="event")])
    >>> ax = plot_win_ratio(result)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['death']
    """
    table = getattr(result, "table", result)
    if not isinstance(table, pd.DataFrame):
        raise SchemaError("plot_win_ratio needs a win-ratio result with a .table frame")
    _require(table, ["outcome", "wins", "losses", "unordered"], "the win-ratio table")
    ax = _axes(ax)
    y = np.arange(len(table))[::-1]
    left = np.zeros(len(table))
    for column, colour in (
        ("wins", _CATEGORY_COLOURS["improved"]),
        ("losses", _CATEGORY_COLOURS["worsened"]),
        ("unordered", _CATEGORY_COLOURS["not evaluable"]),
    ):
        width = table[column].to_numpy(dtype=float)
        ax.barh(y, width, left=left, color=colour, label=column)
        left = left + width
    ax.set_yticks(y)
    ax.set_yticklabels(table["outcome"].astype(str).tolist())
    ax.set_xlabel("Pairs (treatment vs control) reaching the level")
    ax.legend(loc="lower right")
    return ax


def plot_annual_rate(
    visits: Any,
    measure: str,
    result: Any,
    *,
    by: str | None = None,
    ax: Axes | None = None,
    time_unit_days: float = 365.25,
    ylabel: str | None = None,
) -> Axes:
    """Individual trajectories (thin lines) and the fitted mean line of each group from
    :func:`sscoutcomes.annual_rate` (intercept and annual slope of its fixed effects).

    Parameters
    ----------
    visits : pandas.DataFrame or Cohort
        The visits the model was fitted on (``patient_id``, ``day``, ``measure`` and, with
        ``by``, the group column, or a cohort whose patients frame holds it).
    measure : str
    result
        The :func:`~sscoutcomes.annual_rate` result.
    by : str, optional
        The group column the model was fitted with.
    ax : matplotlib.axes.Axes, optional
    time_unit_days : float
        Days per plotted unit (the model's time is in years).
    ylabel : str, optional

    Examples
    --------
    >>> import sscoutcomes as ssc
    >>> from sscoutcomes.plot import plot_annual_rate
    >>> cohort = ssc.simulate_cohort(20, seed=1)
    >>> fit = ssc.annual_rate(cohort, "fvc_pct_predicted")
    >>> ax = plot_annual_rate(cohort, "fvc_pct_predicted", fit)
    >>> ax.get_lines()[-1].get_label()
    'all patients: fitted slope'
    """
    frame = getattr(visits, "visits", visits)
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError("plot_annual_rate needs a visits DataFrame or a Cohort")
    _require(frame, ["patient_id", "day", measure], "the visits frame")
    fixed = getattr(result, "fixed_effects", None)
    if not isinstance(fixed, pd.DataFrame):
        raise SchemaError("plot_annual_rate needs an annual_rate result (.fixed_effects)")
    ax = _axes(ax)
    for _, block in frame.groupby("patient_id", sort=False):
        ax.plot(
            block["day"].to_numpy(dtype=float) / time_unit_days,
            block[measure].to_numpy(dtype=float),
            color="#b0b0b0",
            lw=0.6,
        )
    est = dict(zip(fixed["term"], fixed["estimate"], strict=True))
    intercept, slope = float(est["(Intercept)"]), float(est["years"])
    day = frame["day"].to_numpy(dtype=float)
    years = np.linspace(0.0, np.nanmax(day) / 365.25 if day.size else 1.0, 50)
    table = getattr(result, "table", pd.DataFrame())
    groups = [str(g) for g in table["group"]] if "group" in table.columns else []
    if by is None or len(groups) < 2:
        ax.plot(years * 365.25 / time_unit_days, intercept + slope * years, lw=2.5,
                label="all patients: fitted slope")  # fmt: skip
    else:
        for i, group in enumerate(groups):
            level = f"{by}{group}"
            a = intercept + (float(est.get(level, 0.0)) if i else 0.0)
            b = slope + (float(est.get(f"years:{level}", 0.0)) if i else 0.0)
            ax.plot(years * 365.25 / time_unit_days, a + b * years, lw=2.5,
                    label=f"{group}: fitted slope {b:.2f} per year")  # fmt: skip
    ax.set_xlabel("Years since index")
    ax.set_ylabel(ylabel or measure)
    ax.legend(loc="best")
    return ax
