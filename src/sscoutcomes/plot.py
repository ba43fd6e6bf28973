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
    "plot_change_categories",
    "plot_kaplan_meier",
    "plot_trajectories",
    "plot_waterfall",
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
    label: str = "Overall survival",
    time_unit_days: float = 365.25,
    time_label: str = "Years since index",
    risk_times: Sequence[float] | None = None,
    ci: bool = True,
) -> Axes:
    """Kaplan-Meier step curve with its confidence band and a number-at-risk table.

    Parameters
    ----------
    result
        A Kaplan-Meier result (:func:`sscoutcomes.kaplan_meier`) or anything with a
        ``.table`` frame holding ``time``, ``n_risk``, ``survival``, ``lower``, ``upper``.
    ax : matplotlib Axes, optional
        Where to draw.
    label, time_label : str
        Legend label and x-axis label.
    time_unit_days : float
        Days per plotted time unit (365.25 plots years; 1 plots days).
    risk_times : sequence of float, optional
        Times (in plotted units) for the number-at-risk row; default: the x ticks.
    ci : bool
        Draw the confidence band.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from sscoutcomes import kaplan_meier
    >>> from sscoutcomes.plot import plot_kaplan_meier
    >>> km = kaplan_meier([100, 400, 800, 1200, 1900], [1, 0, 1, 0, 0])
    >>> ax = plot_kaplan_meier(km)
    >>> ax.get_ylabel()
    'Survival probability'
    """
    table = getattr(result, "table", result)
    if not isinstance(table, pd.DataFrame):
        raise SchemaError("plot_kaplan_meier needs a Kaplan-Meier result with a .table frame")
    _require(table, ["time", "n_risk", "survival", "lower", "upper"], "the Kaplan-Meier table")
    ax = _axes(ax)
    t = np.concatenate([[0.0], table["time"].to_numpy(dtype=float) / time_unit_days])
    s = np.concatenate([[1.0], table["survival"].to_numpy(dtype=float)])
    (line,) = ax.step(t, s, where="post", label=label)
    if ci:
        lo = np.concatenate([[1.0], table["lower"].to_numpy(dtype=float)])
        hi = np.concatenate([[1.0], table["upper"].to_numpy(dtype=float)])
        ax.fill_between(t, lo, hi, step="post", alpha=0.2, color=line.get_color(), lw=0)
    ax.set_ylim(0.0, 1.05)
    ax.set_xlim(left=0.0)
    ax.set_xlabel(time_label)
    ax.set_ylabel("Survival probability")
    ax.legend(loc="lower left")
    ticks = list(risk_times) if risk_times is not None else [x for x in ax.get_xticks() if x >= 0]
    times = table["time"].to_numpy(dtype=float) / time_unit_days
    at_risk = table["n_risk"].to_numpy(dtype=float)
    n_start = float(at_risk[0]) if at_risk.size else 0.0
    counts = []
    for x in ticks:
        later = np.flatnonzero(times >= x)
        counts.append(int(at_risk[later[0]]) if later.size else 0)
        if x <= 0:
            counts[-1] = int(n_start)
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{x:g}\n{c}" for x, c in zip(ticks, counts, strict=True)])
    ax.set_xlabel(f"{time_label}\n(number at risk below each time)")
    return ax


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
    ax : matplotlib Axes, optional
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
    ax : matplotlib Axes, optional
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
    ax : matplotlib Axes, optional
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
