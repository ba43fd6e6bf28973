"""A follow-up study's results section from a cohort and a schedule.

:class:`FollowUpReport` computes what the 5-year UMSCT follow-up study reported (Alip M et
al. Clin Rheumatol 2024;43:1073-82, doi:10.1007/s10067-024-06865-z) -- overall survival at
each landmark, mRSS mean (SD, n) per timepoint with change versus baseline and paired
tests, HRCT change among patients with ILD, PAH status among patients with PAH, HAQ-DI and
peripheral vascular grades over the first year, and responder rates -- for any cohort with
the canonical columns. Every number comes from the library's public functions
(:meth:`Schedule.select`, :func:`score_mrss`, :func:`kaplan_meier`, :func:`summarize`,
:func:`paired_change`, :func:`proportion_ci`, :func:`responder_rates`, ...); the report only
assembles and formats them (means to 2 decimals, percentages to 1).
"""

from __future__ import annotations

import base64
import html
import io
import math
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from ._response import ResponderDefinition
from .analysis.change import hrct_change_from_baseline, pah_change_from_baseline
from .analysis.rates import responder_rates
from .analysis.responders import RESPONDER_DEFINITIONS
from .analysis.schedule import Schedule, Timepoint, timepoint_counts
from .analysis.summary import format_mean_sd, format_proportion, paired_change, proportion_ci
from .analysis.summary import summarize as summarize_values
from .analysis.survival import CONF_TYPES, ConfType, kaplan_meier
from .errors import SchemaError
from .measures.lung import HRCTChange
from .scoring import score_visits

__all__ = ["REPORT_COLUMNS", "FollowUpReport"]

#: Columns of :meth:`FollowUpReport.to_frame`.
REPORT_COLUMNS: Final[tuple[str, ...]] = (
    "section",
    "outcome",
    "timepoint",
    "day",
    "n",
    "statistic",
    "value",
    "lower",
    "upper",
    "p_value",
    "text",
)

_SECTIONS: Final = {
    "survival": "Overall survival",
    "mrss": "Modified Rodnan skin score",
    "hrct": "HRCT in patients with ILD",
    "pah": "PAH on echocardiography in patients with PAH",
    "haq": "HAQ-DI during the first year",
    "vascular": "Peripheral vascular severity during the first year",
    "responders": "Responder rates",
}

_CHANGE_LABELS: Final = tuple(m.value for m in HRCTChange)
#: The scores the report's sections read (computed by their instruments' frame faces).
_REPORT_SCORES: Final = ("mrss", "haq_di", "vascular_grade")


@attrs.frozen(kw_only=False)
class FollowUpReport:
    """The results of a longitudinal follow-up study, as tables and text.

    Parameters
    ----------
    cohort : Cohort
        The patients and visits (:class:`sscoutcomes.Cohort`), or any object with
        ``visits`` and ``patients_frame`` DataFrames.
    schedule : Schedule
        Baseline and follow-up timepoints with their windows (e.g.
        ``Schedule.years(0, 1, 3, 5)``). Survival is given at each follow-up target day.
    first_year : Schedule, optional
        Timepoints for HAQ-DI and vascular severity; default baseline, 6 and 12 months
        (the seed study's "during the first year").
    responders : sequence of str or ResponderDefinition
        Definitions whose rates are reported at every follow-up timepoint.
    conf_type : {"log", "log-log", "plain"}
        Kaplan-Meier confidence interval transform (R's default "log").
    conf_level : float
        Confidence level of every interval.

    Examples
    --------
    >>> from sscoutcomes import FollowUpReport, Schedule, load_demo
    >>> report = FollowUpReport(load_demo(), Schedule.years(0, 1, 3, 5))
    >>> table = report.to_frame()
    >>> sorted(table["section"].unique())[:3]
    ['haq', 'hrct', 'mrss']
    """

    cohort: Any
    schedule: Schedule
    first_year: Schedule = attrs.field(
        factory=lambda: Schedule.months(0, 6, 12, window_days=60), kw_only=True
    )
    responders: tuple[str | ResponderDefinition, ...] = attrs.field(
        default=(
            "mrss_improvement_5pt",
            "mrss_progression_eustar",
            "haq_di_improvement_0.14",
            "criss",
        ),
        converter=tuple,
        kw_only=True,
    )
    conf_type: ConfType = attrs.field(
        default="log", kw_only=True, validator=attrs.validators.in_(CONF_TYPES)
    )
    conf_level: float = attrs.field(default=0.95, kw_only=True)
    _table: pd.DataFrame = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        visits = getattr(self.cohort, "visits", None)
        patients = getattr(self.cohort, "patients_frame", None)
        if not isinstance(visits, pd.DataFrame) or not isinstance(patients, pd.DataFrame):
            raise SchemaError(
                "FollowUpReport needs a Cohort (an object with 'visits' and "
                "'patients_frame' DataFrames)"
            )
        if self.schedule.baseline is None:
            raise SchemaError("the schedule needs a baseline timepoint (day 0)")
        if not self.schedule.follow_up:
            raise SchemaError(
                "the schedule has only a baseline: a follow-up report needs at least one "
                "follow-up timepoint (e.g. Schedule.years(0, 1))"
            )
        rows: list[dict[str, Any]] = []
        scored = self._scored(visits)
        rows += self._survival(patients)
        rows += self._mrss(scored, patients)
        rows += self._hrct(scored, patients)
        rows += self._pah(scored, patients)
        rows += self._haq(scored, patients)
        rows += self._vascular(scored, patients)
        rows += self._responder_rows(scored, patients)
        table = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
        object.__setattr__(self, "_table", table)

    # ------------------------------------------------------------------ computation
    @staticmethod
    def _scored(visits: pd.DataFrame) -> pd.DataFrame:
        """The visits with the scores the report needs added (input untouched)."""
        return score_visits(visits, outputs=_REPORT_SCORES)

    def _origin_shift(self, patients: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Days from the time origin of survival to the index date, per patient: 0 for the
        index date (the default), else index_date - diagnosis_date (or onset_date); NaN
        where that date is unknown (the patient's time is then unknown)."""
        origin = getattr(self.cohort, "origin", "index")
        if origin == "index":
            return np.zeros(len(patients))
        column = f"{origin}_date"
        if column not in patients.columns or "index_date" not in patients.columns:
            raise SchemaError(f"survival from {origin} needs the patients' index_date and {column}")
        index = pd.to_datetime(patients["index_date"])
        start = pd.to_datetime(patients[column])
        return np.asarray((index - start).dt.days.to_numpy(dtype=np.float64, na_value=np.nan))

    def _survival(self, patients: pd.DataFrame) -> list[dict[str, Any]]:
        if "death_day" not in patients.columns:
            return []
        death = pd.to_numeric(patients["death_day"], errors="coerce").to_numpy(dtype=float)
        last = (
            pd.to_numeric(patients["last_contact_day"], errors="coerce").to_numpy(dtype=float)
            if "last_contact_day" in patients.columns
            else np.full(len(patients), np.nan)
        )
        event = ~np.isnan(death)
        time = np.where(event, death, last) + self._origin_shift(patients)
        known = ~np.isnan(time)
        if not known.any():
            return []
        origin = getattr(self.cohort, "origin", "index")
        outcome = "overall survival" + ("" if origin == "index" else f" from {origin}")
        km = kaplan_meier(
            time[known], event[known], conf_type=self.conf_type, conf_level=self.conf_level
        )
        n_total = int(known.sum())
        rows = []
        for tp in self.schedule.follow_up:
            at = km.survival_at([tp.target_day])
            s, lo, hi = (float(at[c].iloc[0]) for c in ("survival", "lower", "upper"))
            by_then = time[known] <= tp.target_day
            deaths = int((event[known] & by_then).sum())
            lost = int((~event[known] & (time[known] < tp.target_day)).sum())
            level = f"{100 * self.conf_level:g} %"
            estimate = f"{100 * s:.1f} %" + (
                "" if math.isnan(lo) else f" ({level} CI {100 * lo:.1f}-{100 * hi:.1f})"
            )
            died = f"{deaths} death" + ("" if deaths == 1 else "s")
            text = (
                f"{estimate}; {n_total - deaths} of {n_total} alive ({died})"
                if lost == 0
                else f"{estimate}; {died} among {n_total}, {lost} censored before {tp.name}"
            )
            rows.append(
                _row(
                    "survival",
                    outcome,
                    tp.name,
                    tp.target_day,
                    n_total,
                    "Kaplan-Meier",
                    s,
                    lo,
                    hi,
                    None,
                    text,
                )
            )
        return rows

    def _mrss(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        if "mrss" not in scored.columns:
            return []
        return self._continuous(scored, patients, "mrss", "mRSS", self.schedule, "mrss")

    def _haq(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        if "haq_di" not in scored.columns:
            return []
        return self._continuous(scored, patients, "haq_di", "HAQ-DI", self.first_year, "haq")

    def _continuous(
        self,
        scored: pd.DataFrame,
        patients: pd.DataFrame,
        measure: str,
        label: str,
        schedule: Schedule,
        section: str,
    ) -> list[dict[str, Any]]:
        cutoff = getattr(self.cohort, "cutoff", None)
        sel = schedule.select(scored, measure, patients=patients, cutoff=cutoff)
        wide = sel.pivot(index="patient_id", columns="timepoint", values=measure)
        base_name = schedule.require_baseline().name
        due = timepoint_counts(sel).set_index("timepoint")["n_not_yet_due"]
        rows = []
        for tp in schedule:
            values = wide[tp.name].to_numpy(dtype=float)
            s = summarize_values(values)
            text = format_mean_sd(s.mean, s.sd, s.n)
            if int(due.get(tp.name, 0)):  # with a data cut-off: not yet due, not lost
                text += f"; {int(due[tp.name])} not yet due at the data cut-off"
            rows.append(
                _row(
                    section,
                    label,
                    tp.name,
                    tp.target_day,
                    s.n,
                    "mean (SD, n)",
                    s.mean,
                    None,
                    None,
                    None,
                    text,
                )
            )
            if tp.is_baseline:
                continue
            ch = paired_change(wide[base_name].to_numpy(dtype=float), values)
            rows.append(
                _row(
                    section,
                    f"{label} change from baseline",
                    tp.name,
                    tp.target_day,
                    ch.n,
                    "mean change (SD, n); paired t-test",
                    ch.mean,
                    None,
                    None,
                    ch.t_pvalue,
                    f"{format_mean_sd(ch.mean, ch.sd, ch.n)}; paired t-test "
                    f"{_p(ch.t_pvalue)}, Wilcoxon {_p(ch.wilcoxon_pvalue)}",
                )
            )
        return rows

    def _categories(
        self,
        scored: pd.DataFrame,
        patients: pd.DataFrame,
        flag: str,
        columns: tuple[str, str],
        section: str,
        label: str,
        change: Any,
    ) -> list[dict[str, Any]]:
        """Change categories among the patients with ``flag``, from ``change`` (e.g.
        :func:`hrct_change_from_baseline`): the reader's comparison where recorded, else
        the measured value against the baseline."""
        if not any(c in scored.columns for c in columns) or flag not in patients.columns:
            return []
        group = patients.loc[patients[flag].fillna(False).astype(bool), "patient_id"]
        if group.empty:
            return []
        subset = scored[scored["patient_id"].isin(group)]
        sub_patients = patients[patients["patient_id"].isin(group)]
        table = change(subset, self.schedule, patients=sub_patients)
        rows = []
        n_group = len(group)
        for tp in self.schedule.follow_up:
            values = table.loc[table["timepoint"] == tp.name, "change"].dropna().astype(str)
            counts = {c: int((values == c).sum()) for c in _CHANGE_LABELS}
            n = sum(counts.values())
            rows += [
                self._proportion_row(section, f"{label} {category}", tp, k, n)
                for category, k in counts.items()
            ]
            k = counts["improved"] + counts["stable"]
            row = self._proportion_row(section, f"{label} improved or stable", tp, k, n)
            row["text"] += f" (of {n_group} patients in the group)"
            rows.append(row)
        return rows

    def _hrct(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        return self._categories(
            scored,
            patients,
            "ild",
            ("hrct_comparison", "hrct_extent_pct"),
            "hrct",
            "HRCT",
            hrct_change_from_baseline,
        )

    def _pah(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        return self._categories(
            scored,
            patients,
            "pah",
            ("pah_comparison", "tr_velocity_m_s"),
            "pah",
            "PAH",
            pah_change_from_baseline,
        )

    def _vascular(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        if "vascular_grade" not in scored.columns:
            return []
        sel = self.first_year.select(scored, "vascular_grade", patients=patients)
        rows = []
        for tp in self.first_year:
            grades = sel.loc[sel["timepoint"] == tp.name, "vascular_grade"].dropna()
            n = len(grades)
            rows += [
                self._proportion_row(
                    "vascular",
                    f"peripheral vascular grade {grade}",
                    tp,
                    int((grades == grade).sum()),
                    n,
                )
                for grade in range(5)
            ]
        return rows

    def _responder_rows(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        rows = []
        for item in self.responders:
            definition = RESPONDER_DEFINITIONS[item] if isinstance(item, str) else item
            if not all(m in scored.columns for m in definition.measures):
                continue
            rates = responder_rates(scored, definition, self.schedule, patients=patients)
            for rec in rates.table.reset_index().to_dict("records"):
                n_eval = int(rec["n_evaluable"])
                k = int(rec["n_responder"])
                not_evaluable = int(rec["n_not_evaluable"])
                ci = proportion_ci(k, n_eval, method="wilson", conf_level=self.conf_level)
                rows.append(
                    _row(
                        "responders",
                        definition.name,
                        str(rec["timepoint"]),
                        self.schedule[str(rec["timepoint"])].target_day,
                        n_eval,
                        "proportion of evaluable",
                        ci.proportion,
                        ci.lower,
                        ci.upper,
                        None,
                        f"{format_proportion(k, n_eval)}; not evaluable {not_evaluable}",
                    )
                )
        return rows

    def _proportion_row(
        self, section: str, outcome: str, tp: Timepoint, k: int, n: int
    ) -> dict[str, Any]:
        """One row: k of n with its Wilson interval."""
        ci = proportion_ci(k, n, method="wilson", conf_level=self.conf_level)
        return _row(
            section,
            outcome,
            tp.name,
            tp.target_day,
            n,
            "proportion",
            ci.proportion,
            ci.lower,
            ci.upper,
            None,
            format_proportion(k, n),
        )

    # ------------------------------------------------------------------ output
    def to_frame(self) -> pd.DataFrame:
        """Every result as one tidy DataFrame (columns :data:`REPORT_COLUMNS`)."""
        return self._table.copy()

    def to_markdown(self) -> str:
        """The results as Markdown: one table per section."""
        parts = ["# Follow-up report", ""]
        for key, title in _SECTIONS.items():
            block = self._table[self._table["section"] == key]
            if block.empty:
                continue
            parts += [
                f"## {title}",
                "",
                "| outcome | timepoint | n | result |",
                "| --- | --- | ---: | --- |",
            ]
            for rec in block.itertuples(index=False):
                parts.append(f"| {rec.outcome} | {rec.timepoint} | {rec.n} | {rec.text} |")
            parts.append("")
        return "\n".join(parts)

    def to_html(self, *, figures: bool = True) -> str:
        """The results as a standalone HTML page; with ``figures`` (and matplotlib
        installed) the Kaplan-Meier curve and the mRSS trajectories are embedded as PNG."""
        body = ["<h1>Follow-up report</h1>"]
        for key, title in _SECTIONS.items():
            block = self._table[self._table["section"] == key]
            if block.empty:
                continue
            body.append(f"<h2>{html.escape(title)}</h2>")
            body.append(
                "<table><thead><tr><th>outcome</th><th>timepoint</th><th>n</th>"
                "<th>result</th></tr></thead><tbody>"
            )
            for rec in block.itertuples(index=False):
                body.append(
                    f"<tr><td>{html.escape(str(rec.outcome))}</td>"
                    f"<td>{html.escape(str(rec.timepoint))}</td><td>{rec.n}</td>"
                    f"<td>{html.escape(str(rec.text))}</td></tr>"
                )
            body.append("</tbody></table>")
        if figures:
            body += self._figures_html()
        body.append(f"<p>{html.escape(self.to_text())}</p>")
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Follow-up report</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
            "</style></head><body>" + "\n".join(body) + "</body></html>"
        )

    def _figures_html(self) -> list[str]:
        try:
            import matplotlib

            matplotlib.use("Agg", force=False)
            import matplotlib.pyplot as plt
        except ImportError:
            return ["<p>(Figures need matplotlib: pip install 'sscoutcomes[plot]')</p>"]
        from .plot import plot_change_categories, plot_kaplan_meier, plot_trajectories

        out = []
        patients = self.cohort.patients_frame
        death = pd.to_numeric(patients.get("death_day"), errors="coerce").to_numpy(dtype=float)
        last = pd.to_numeric(patients.get("last_contact_day"), errors="coerce").to_numpy(
            dtype=float
        )
        event = ~np.isnan(death)
        time = np.where(event, death, last)
        known = ~np.isnan(time)
        figures: list[tuple[str, Any]] = []
        if known.any():
            km = kaplan_meier(
                time[known], event[known], conf_type=self.conf_type, conf_level=self.conf_level
            )
            figures.append(
                (
                    "Kaplan-Meier estimate of overall survival",
                    lambda ax: plot_kaplan_meier(km, ax=ax),
                )
            )
        t = self._table
        mrss = t[(t["section"] == "mrss") & (t["outcome"] == "mRSS")]
        if not mrss.empty:
            visits = self.cohort.visits
            scored = self._scored(visits)
            sel = self.schedule.select(scored, "mrss", patients=patients)
            sd = sel.groupby("timepoint", observed=True)["mrss"].std()
            summary = pd.DataFrame(
                {
                    "day": mrss["day"].to_numpy(),
                    "mean": mrss["value"].to_numpy(),
                    "sd": sd.reindex(mrss["timepoint"]).to_numpy(),
                }
            )
            figures.append(
                (
                    "mRSS: individual trajectories and mean +/- SD per timepoint",
                    lambda ax: plot_trajectories(
                        scored, "mrss", summary=summary, ax=ax, ylabel="mRSS"
                    ),
                )
            )
        for key, label in (("hrct", "HRCT"), ("pah", "PAH")):
            block = t[
                (t["section"] == key) & t["outcome"].isin([f"{label} {c}" for c in _CHANGE_LABELS])
            ]
            if block.empty:
                continue
            counts = block.assign(
                category=block["outcome"].str.removeprefix(f"{label} "),
                k=(block["value"].fillna(0) * block["n"]).round(),
            ).pivot_table(index="timepoint", columns="category", values="k", sort=False)
            counts = counts.reindex(columns=list(_CHANGE_LABELS))
            figures.append(
                (
                    f"{label} change from baseline",
                    lambda ax, c=counts, lab=label: plot_change_categories(
                        c, ax=ax, title=f"{lab} change from baseline"
                    ),
                )
            )
        for alt, draw in figures:
            fig, ax = plt.subplots(figsize=(6.4, 4.2))
            draw(ax)
            out.append(_png(fig, alt))
            plt.close(fig)
        return out

    def to_text(self) -> str:
        """A short results paragraph, like a paper's results section."""
        t = self._table
        sentences = []
        surv = t[t["section"] == "survival"]
        if not surv.empty:
            last = surv.iloc[-1]
            sentences.append(f"Overall survival at {last['timepoint']} was {last['text']}.")
        mrss = t[(t["section"] == "mrss") & (t["outcome"] == "mRSS")]
        if not mrss.empty:
            parts = [f"{r.timepoint} {r.text}" for r in mrss.itertuples(index=False)]
            sentences.append("The mRSS, mean (SD, n), was " + "; ".join(parts) + ".")
        for key, label in (("hrct", "HRCT"), ("pah", "PAH")):
            block = t[(t["section"] == key) & (t["outcome"] == f"{label} improved or stable")]
            if not block.empty:
                last = block.iloc[-1]
                sentences.append(
                    f"{label} was improved or stable at {last['timepoint']} in {last['text']}."
                )
        return " ".join(sentences)

    def _repr_html_(self) -> str:
        return self.to_html(figures=False)

    def __repr__(self) -> str:
        return (
            f"FollowUpReport({len(self.cohort.patients_frame)} patients, "
            f"timepoints: {', '.join(self.schedule.names)})"
        )


def _row(
    section: str,
    outcome: str,
    timepoint: str,
    day: int,
    n: int,
    statistic: str,
    value: float | None,
    lower: float | None,
    upper: float | None,
    p_value: float | None,
    text: str,
) -> dict[str, Any]:
    return {
        "section": section,
        "outcome": outcome,
        "timepoint": timepoint,
        "day": day,
        "n": n,
        "statistic": statistic,
        "value": np.nan if value is None else value,
        "lower": np.nan if lower is None else lower,
        "upper": np.nan if upper is None else upper,
        "p_value": np.nan if p_value is None else p_value,
        "text": text,
    }


def _p(p: float | None) -> str:
    """``p = 0.012`` / ``p < 0.001`` / ``p = NA``."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p = NA"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _png(fig: Any, alt: str) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        f"<figure><img alt='{html.escape(alt)}' src='data:image/png;base64,{data}'/>"
        f"<figcaption>{html.escape(alt)}</figcaption></figure>"
    )
