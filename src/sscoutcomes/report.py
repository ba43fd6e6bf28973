"""A follow-up study's results section from a cohort and a schedule.

:class:`FollowUpReport` computes what the 5-year UMSCT follow-up study reported (Alip M et
al. Clin Rheumatol 2024;43:1073-82, doi:10.1007/s10067-024-06865-z) -- overall survival at
each landmark, mRSS mean (SD, n) per timepoint with change versus baseline and paired
tests, FVC and DLCO % predicted with their change, HRCT change among patients with ILD, PAH
status among patients with PAH, HAQ-DI and peripheral vascular grades over the first year,
and responder rates -- for any cohort with the canonical columns. A section whose inputs
the data do not hold is kept, with a line saying why it is not reported; patients without a
visit in the baseline window are counted in a note and a warning. Every number comes from
the library's public functions (:meth:`Schedule.select`, :func:`score_mrss`,
:func:`kaplan_meier`, :func:`summarize`, :func:`paired_change`, :func:`proportion_ci`,
:func:`responder_rates`, ...); the report only assembles and formats them (means to 2
decimals, percentages to 1).
"""

from __future__ import annotations

import base64
import html
import io
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from ._response import ResponderDefinition
from ._validation import check_choice, check_open_unit
from .analysis.change import hrct_change_from_baseline, pah_change_from_baseline
from .analysis.rates import responder_rates
from .analysis.responders import RESPONDER_DEFINITIONS
from .analysis.schedule import Schedule, Timepoint, require_schedule, timepoint_counts
from .analysis.summary import (
    format_mean_sd,
    format_proportion,
    mean_difference,
    paired_change,
    proportion_ci,
    proportion_difference,
)
from .analysis.summary import summarize as summarize_values
from .analysis.survival import CONF_TYPES, ConfType, kaplan_meier
from .errors import SchemaError, SSCOutcomesError, SSCOutcomesWarning
from .measures.heart import PAH_CHANGE_DEFAULT_MMHG, score_echo
from .measures.lung import HRCT_EXTENT_CHANGE_DEFAULT, HRCTChange
from .scoring import score_available

__all__ = ["REPORT_COLUMNS", "FollowUpReport"]

#: Columns of :meth:`FollowUpReport.to_frame`.
REPORT_COLUMNS: Final[tuple[str, ...]] = (
    "group",
    "section",
    "outcome",
    "timepoint",
    "day",
    "n",
    "statistic",
    "value",
    "sd",
    "lower",
    "upper",
    "p",
    "text",
    "basis",
    "source",
)

#: Section keys (the ``section`` column) and their titles, in the order they are printed;
#: the titles of the first-year sections follow the ``first_year`` schedule
#: (:meth:`FollowUpReport.title`).
_SECTIONS: Final = {
    "data": "Data notes",
    "survival": "Overall survival",
    "mrss": "Modified Rodnan skin score",
    "lung": "Lung function (FVC and DLCO, % predicted)",
    "hrct": "HRCT in patients with ILD",
    "pah": "PAH on echocardiography in patients with PAH",
    "haq": "HAQ-DI",
    "scleroid": "ScleroID (EULAR Systemic Sclerosis Impact of Disease)",
    "vascular": "Peripheral vascular severity",
    "responders": "Responder rates",
    "composite": "Hierarchical composite",
}

_CHANGE_LABELS: Final = tuple(m.value for m in HRCTChange)
#: The scores the report's sections read (computed by their instruments' frame faces).
_REPORT_SCORES: Final = (
    "mrss",
    "haq_di",
    "vascular_grade",
    "fvc_pct_predicted",
    "dlco_pct_predicted",
    "scleroid",
)
#: The ``statistic`` of a row saying that a section (or one of its outcomes) is not reported.
_NOT_REPORTED: Final = "not reported"
#: The ``statistic`` of a row of the "data" section (a note on the data, e.g. a count of
#: patients without a visit in the baseline window).
_NOTE: Final = "count"
#: What a change category rests on (the ``basis`` column of the HRCT and PAH rows).
_READER: Final = "reader's comparison"
_HRCT_EXTENT: Final = f"HRCT extent (change >= {HRCT_EXTENT_CHANGE_DEFAULT:g} points)"
_SPAP_CHANGE: Final = f"change >= {PAH_CHANGE_DEFAULT_MMHG:g} mmHg"
_PAH_BASES: Final = {
    "estimated": f"sPAP estimated from TR velocity and RAP ({_SPAP_CHANGE})",
    "recorded": f"recorded sPAP ({_SPAP_CHANGE})",
    "mixed": f"sPAP estimated at one study and recorded at the other ({_SPAP_CHANGE})",
}
#: The order in which a timepoint's bases are listed.
_BASIS_ORDER: Final = (_READER, _HRCT_EXTENT, *_PAH_BASES.values())


def _responder_names(value: Any) -> tuple[str | ResponderDefinition, ...]:
    """The report's responder definitions: names or definitions, as a tuple."""
    if isinstance(value, (str, ResponderDefinition)):
        value = (value,)
    if not isinstance(value, Iterable) or isinstance(value, (bytes, pd.DataFrame, Mapping)):
        raise SchemaError(
            f"responders must be names or ResponderDefinitions; got {type(value).__name__}"
        )
    out = tuple(value)
    for item in out:
        if not isinstance(item, (str, ResponderDefinition)):
            raise SchemaError(
                f"responders: {item!r} is not a definition name or a ResponderDefinition"
            )
    return out


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
    by : str, optional
        A patients column (an arm, the subset, antibody status, ...): every section is
        given for all patients (``group`` ``"all"``) and for each group, followed by the
        between-group comparisons of each group with the first (sorted) one: survival
        (log-rank p), means and mean changes (difference with Welch's t interval,
        Mann-Whitney p) and proportions (difference with Newcombe's interval, Fisher's
        exact p). Patients whose group is missing are left out of the groups (as R drops
        ``NA`` groups) and counted in the "data" section.

    Warns
    -----
    SSCOutcomesWarning
        When patients have no visit in the baseline window (say every first visit falls a
        few days after the index date): the warning names how many and the window, and the
        report says it in its "data" section. Their baselines are missing, never imputed.

    Notes
    -----
    :meth:`to_frame` has one row per result with the columns :data:`REPORT_COLUMNS`.
    ``basis`` says what a change category rests on: ``"reader's comparison"``
    (``hrct_comparison`` / ``pah_comparison``), the HRCT extent, sPAP estimated from TR
    velocity and RAP, or the recorded sPAP (``spap_mmhg``), with the count of each where a
    timepoint mixes them; it is empty for direct measurements. A section (or an outcome)
    whose inputs the data do not hold has one row with ``statistic`` ``"not reported"``
    and the reason in ``text``: sections never vanish. A value with no patient to
    summarise reads "not evaluable: ..." rather than a row of NA.

    Examples
    --------
    >>> from sscoutcomes import FollowUpReport, Schedule, load_demo
    >>> report = FollowUpReport(load_demo(), Schedule.years(0, 1, 3, 5))
    >>> table = report.to_frame()
    >>> sorted(table["section"].unique())[:3]
    ['about', 'haq', 'hrct']
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
        converter=_responder_names,
        kw_only=True,
    )
    conf_type: ConfType = attrs.field(default="log", kw_only=True)
    conf_level: float = attrs.field(default=0.95, kw_only=True)
    by: str | None = attrs.field(default=None, kw_only=True)
    _table: pd.DataFrame = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        require_schedule(self.schedule)
        require_schedule(self.first_year, "first_year")
        check_choice("conf_type", self.conf_type, CONF_TYPES)
        check_open_unit("conf_level", self.conf_level)
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
        groups: list[str] = []
        if self.by is not None:
            groups, missing = self._groups(patients)
        scored = self._scored(visits)
        notes = self._baseline_gaps(visits, patients)
        rows = notes + self._section_rows(scored, patients)
        if self.by is not None:
            if missing:
                rows.append(self._missing_group_note(missing, len(patients)))
            ids = patients["patient_id"].astype(str)
            label = self._group_labels(patients)
            for group in groups:
                members = ids[label == group]
                part = self._section_rows(
                    scored[scored["patient_id"].astype(str).isin(members)],
                    patients[(label == group).to_numpy(dtype=bool)],
                )
                for row in part:
                    row["group"] = group
                rows += part
            rows += self._comparisons(scored, patients, groups, label, rows)
        rows = self._about(visits, patients) + rows
        table = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
        table["day"] = table["day"].astype("Int64")
        table["source"] = [
            self._source(section, outcome)
            for section, outcome in zip(table["section"], table["outcome"], strict=True)
        ]
        object.__setattr__(self, "_table", table)
        for note in notes:
            warnings.warn(note["text"], SSCOutcomesWarning, stacklevel=3)

    def _section_rows(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        """Every section's rows for these visits and patients (one group, or all)."""
        rows: list[dict[str, Any]] = []
        rows += self._survival(patients)
        rows += self._mrss(scored, patients)
        rows += self._lung(scored, patients)
        rows += self._hrct(scored, patients)
        rows += self._pah(scored, patients)
        rows += self._haq(scored, patients)
        if _holds(scored, "scleroid"):  # a newer instrument: reported where recorded
            rows += self._continuous(
                scored, patients, "scleroid", "ScleroID", self.schedule, "scleroid"
            )
        rows += self._vascular(scored, patients)
        rows += self._responder_rows(scored, patients)
        return rows

    # ------------------------------------------------------------------ groups
    def _groups(self, patients: pd.DataFrame) -> tuple[list[str], int]:
        """The group labels (sorted, as text) of the ``by`` column and how many patients
        have no group."""
        by = self.by
        if not isinstance(by, str):
            raise SchemaError(f"by = {by!r} must be the name of a patients column")
        if by not in patients.columns:
            raise SchemaError(
                f"by = {by!r} is not a column of the patients frame; it has "
                f"{', '.join(map(repr, patients.columns))}"
            )
        if by == "patient_id":
            raise SchemaError("by = 'patient_id' would make one group per patient")
        column = patients[by]
        labels = sorted({str(v) for v in column.dropna().tolist()})
        if len(labels) < 2:
            raise SchemaError(
                f"by = {by!r} has {len(labels)} group(s) ({', '.join(labels) or 'none'}); "
                "a comparison needs at least two"
            )
        return labels, int(column.isna().sum())

    def _missing_group_note(self, missing: int, total: int) -> dict[str, Any]:
        return _row(
            "data",
            f"patients without a {self.by}",
            "",
            None,
            total,
            _NOTE,
            float(missing),
            None,
            None,
            None,
            f"{missing} of {total} patients have no {self.by}: they are in the results of "
            "all patients but in no group and no comparison (as R drops NA groups)",
        )

    def _comparisons(
        self,
        scored: pd.DataFrame,
        patients: pd.DataFrame,
        groups: list[str],
        label: pd.Series[Any],
        rows: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        """Each group against the first: survival, means and mean changes, proportions."""
        reference = groups[0]
        out: list[dict[str, Any]] = self._annual_rates(scored, patients, groups)
        if len(groups) == 2:  # two arms: the SCOT-style hierarchical composite
            out += self._composite(scored, patients, groups, label)
        for group in groups[1:]:
            name = f"{group} vs {reference}"
            out += self._survival_comparison(patients, label, group, reference, name)
            out += self._mean_comparisons(scored, patients, label, group, reference, name)
            out += self._proportion_comparisons(rows, group, reference, name)
        for row in out:
            row["group"] = row["group"] if row["group"] != "all" else ""
        return out

    def _annual_rates(
        self, scored: pd.DataFrame, patients: pd.DataFrame, groups: list[str]
    ) -> list[dict[str, Any]]:
        """The annual rate of change of FVC % predicted per group and its difference to the
        first group, from one random intercept and slope model (:func:`annual_rate`)."""
        by = self.by
        if by is None or not _holds(scored, "fvc_pct_predicted"):
            return []
        from .analysis.rate import annual_rate

        outcome = "FVC % predicted annual rate of change"
        statistic = "slope per year; random intercept and slope model (REML), t CI"
        labelled = pd.DataFrame(
            {"patient_id": patients["patient_id"], by: self._group_labels(patients)}
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error", SSCOutcomesWarning)  # no convergence: no estimate
            try:
                fit = annual_rate(
                    scored[["patient_id", "day", "fvc_pct_predicted"]],
                    "fvc_pct_predicted",
                    by=by,
                    patients=labelled,
                    confidence=self.conf_level,
                )
            except (SSCOutcomesError, SSCOutcomesWarning) as exc:
                reason = str(exc).splitlines()[0]
                return [
                    _row("lung", outcome, "", None, 0, statistic, None, None, None, None,
                         f"not evaluable: {reason}")
                ]  # fmt: skip
        rows = []
        table = fit.table.assign(group=fit.table["group"].astype(str)).set_index("group")
        level = f"{100 * self.conf_level:g} %"
        for group in groups:
            if group not in table.index:  # no FVC value in the group: say so, never drop it
                rows.append(
                    _row(
                        "lung", outcome, "", None, 0, statistic, None, None, None, None,
                        f"not evaluable: no patient with {by} = {group!r} has a "
                        "fvc_pct_predicted value",
                        group=group,
                    )
                )  # fmt: skip
                continue
            r = {str(k): v for k, v in table.loc[group].to_dict().items()}
            rows.append(
                _row(
                    "lung", outcome, "", None, int(r["n_patients"]), statistic,
                    float(r["slope"]), float(r["lower"]), float(r["upper"]), None,
                    f"{float(r['slope']):.2f} per year ({level} CI {float(r['lower']):.2f} to "
                    f"{float(r['upper']):.2f}; {int(r['n_patients'])} patients, "
                    f"{int(r['n_observations'])} values)",
                    group=group,
                )
            )  # fmt: skip
            if group == groups[0] or math.isnan(float(r["difference"])):
                continue
            rows.append(
                _row(
                    "comparison: lung", outcome, "", None, int(r["n_patients"]),
                    "difference of slopes; random intercept and slope model, t CI and p",
                    float(r["difference"]), float(r["difference_lower"]),
                    float(r["difference_upper"]), float(r["p"]),
                    f"difference {float(r['difference']):.2f} per year ({level} CI "
                    f"{float(r['difference_lower']):.2f} to {float(r['difference_upper']):.2f})"
                    f", {_p(float(r['p']))}",
                    group=f"{group} vs {groups[0]}",
                )
            )  # fmt: skip
        return rows

    def _composite(
        self,
        scored: pd.DataFrame,
        patients: pd.DataFrame,
        groups: list[str],
        label: pd.Series[Any],
    ) -> list[dict[str, Any]]:
        """The win ratio of the second group against the first on the SCOT-style hierarchy
        (death, event-free survival, then the FVC, HAQ-DI and mRSS changes at the last
        follow-up timepoint); levels whose data are absent leave their pairs unordered."""
        from .analysis.events import event_free_survival
        from .analysis.win_ratio import grcs_outcomes, win_ratio

        ids = patients["patient_id"].astype(str).to_numpy(dtype=object)
        frame = pd.DataFrame({"patient_id": ids, "arm": label.to_numpy(dtype=object)})
        # death is compared on days from the index date (randomisation, treatment start)
        # whatever the time origin of the survival section
        time, died = _death_or_last_contact(patients)
        frame["death"] = died.astype(float) if "death_day" in patients.columns else np.nan
        frame["death_time"] = time
        notes = []
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", SSCOutcomesWarning)
                efs = event_free_survival(self.cohort)
            efs = efs.assign(patient_id=efs["patient_id"].astype(str)).set_index("patient_id")
            frame["event_free_time"] = efs["time"].reindex(ids).to_numpy(dtype=float)
            frame["event"] = efs["event"].reindex(ids).to_numpy(dtype=float)
        except SSCOutcomesError as exc:
            frame["event_free_time"] = frame["event"] = np.nan
            notes.append(f"event-free survival not evaluable ({str(exc).splitlines()[0]})")
        last_tp = self.schedule.follow_up[-1]
        base_name = self.schedule.require_baseline().name
        for measure, column in (
            ("fvc_pct_predicted", "fvc"),
            ("haq_di", "haq"),
            ("mrss", "mrss"),
        ):
            frame[column] = np.nan
            if not _holds(scored, measure):
                notes.append(f"no {measure}")
                continue
            sel = self.schedule.select(scored, measure, patients=patients)
            wide = sel.pivot(index="patient_id", columns="timepoint", values=measure)
            change = (wide[last_tp.name] - wide[base_name]).astype(float)
            change.index = change.index.astype(str)
            frame[column] = change.reindex(ids).to_numpy(dtype=float)
        outcomes = grcs_outcomes(fvc="fvc", haq="haq", mrss="mrss")
        known = frame[frame["arm"].notna()]
        result = win_ratio(
            known, arm="arm", treatment=groups[1], outcomes=outcomes, conf_level=self.conf_level
        )
        level = f"{100 * self.conf_level:g} %"
        text = (
            f"win ratio {result.win_ratio:.2f} ({level} CI {result.win_ratio_lower:.2f}-"
            f"{result.win_ratio_upper:.2f}); net benefit {result.net_benefit:.2f}; "
            f"{result.wins} wins, {result.losses} losses, {result.ties} ties among "
            f"{result.n_treatment * result.n_control} pairs; Finkelstein-Schoenfeld "
            f"{_p(result.p)}; changes at {last_tp.name}"
            + (f" ({'; '.join(notes)})" if notes else "")
        )
        return [
            _row(
                "comparison: composite", "hierarchical composite (SCOT-style win ratio)",
                last_tp.name, last_tp.target_day, result.n_treatment + result.n_control,
                "win ratio; Finkelstein-Schoenfeld test", result.win_ratio,
                result.win_ratio_lower, result.win_ratio_upper, result.p, text,
                group=f"{groups[1]} vs {groups[0]}",
            )
        ]  # fmt: skip

    def _survival_comparison(
        self,
        patients: pd.DataFrame,
        label: pd.Series[Any],
        group: str,
        reference: str,
        name: str,
    ) -> list[dict[str, Any]]:
        pair = label.isin([group, reference]).to_numpy(dtype=bool)
        data = self._survival_data(patients[pair])
        if isinstance(data, str):
            return []
        time, event = data
        in_group = label[pair].to_numpy(dtype=object)
        which = in_group[self._survival_known(patients[pair])]
        if len(set(which)) < 2:  # a group without a known time: say so, never drop it
            lacking = next(g for g in (group, reference) if g not in set(which))
            return [
                _row(
                    "comparison: survival", "overall survival", "", None, len(time),
                    "log-rank test", None, None, None, None,
                    f"not evaluable: no patient with {self.by} = {lacking!r} has "
                    f"{self._known_time}",
                    group=name,
                )
            ]  # fmt: skip
        from .analysis.survival import logrank

        test = logrank(time, event, which)
        if test.df == 0:  # a chi-square of 0 here would read as "no difference"
            text = "not evaluable: no death the groups can be compared on (log-rank df 0)"
        else:
            text = f"log-rank chi-square {test.statistic:.2f} (df {test.df}), {_p(test.p)}"
        rows = [
            _row(
                "comparison: survival", "overall survival", "", None, len(time), "log-rank test",
                None, None, None, test.p, text, group=name,
            )
        ]  # fmt: skip
        rows.append(self._hazard_ratio(time, event, which, group, name))
        return rows

    def _hazard_ratio(
        self,
        time: npt.NDArray[np.float64],
        event: npt.NDArray[np.bool_],
        which: npt.NDArray[Any],
        group: str,
        name: str,
    ) -> dict[str, Any]:
        """The Cox PH hazard ratio of ``group`` against the reference (Efron ties)."""
        from .analysis.survival import cox_ph

        statistic = "hazard ratio; Cox PH (Efron ties), Wald CI and p"
        with warnings.catch_warnings():
            warnings.simplefilter("error", SSCOutcomesWarning)  # no convergence: no estimate
            try:
                fit = cox_ph(
                    time,
                    event,
                    pd.DataFrame({"group": which.astype(str)}),
                    conf_level=self.conf_level,
                )
            except (SSCOutcomesError, SSCOutcomesWarning) as exc:
                reason = str(exc).splitlines()[0]
                return _row(
                    "comparison: survival", "overall survival hazard ratio", "", None, len(time),
                    statistic, None, None, None, None, f"not evaluable: {reason}", group=name,
                )  # fmt: skip
        values = fit.table.loc[[f"group[{group}]"], ["hr", "lower", "upper", "p"]]
        hr, lower, upper, p = (float(x) for x in values.to_numpy(dtype=float)[0])
        level = f"{100 * self.conf_level:g} %"
        text = f"hazard ratio {hr:.2f} ({level} CI {lower:.2f}-{upper:.2f}), {_p(p)}"
        return _row(
            "comparison: survival", "overall survival hazard ratio", "", None, len(time), statistic,
            hr, lower, upper, p, text, group=name,
        )  # fmt: skip

    def _mean_comparisons(
        self,
        scored: pd.DataFrame,
        patients: pd.DataFrame,
        label: pd.Series[Any],
        group: str,
        reference: str,
        name: str,
    ) -> list[dict[str, Any]]:
        out = []
        cutoff = getattr(self.cohort, "cutoff", None)
        of_patient = dict(
            zip(patients["patient_id"].astype(str), label.to_numpy(dtype=object), strict=True)
        )
        for measure, text_label, schedule, section in (
            ("mrss", "mRSS", self.schedule, "mrss"),
            ("fvc_pct_predicted", "FVC % predicted", self.schedule, "lung"),
            ("dlco_pct_predicted", "DLCO % predicted", self.schedule, "lung"),
            ("haq_di", "HAQ-DI", self.first_year, "haq"),
            ("scleroid", "ScleroID", self.schedule, "scleroid"),
        ):
            if not _holds(scored, measure):
                continue
            sel = schedule.select(scored, measure, patients=patients, cutoff=cutoff)
            wide = sel.pivot(index="patient_id", columns="timepoint", values=measure)
            which = np.array([of_patient.get(str(i)) for i in wide.index], dtype=object)
            base = wide[schedule.require_baseline().name].to_numpy(dtype=float)
            for tp in schedule:
                values = wide[tp.name].to_numpy(dtype=float)
                outcomes = [(text_label, values)]
                if not tp.is_baseline:
                    outcomes.append((f"{text_label} change from baseline", values - base))
                for outcome, v in outcomes:
                    d = mean_difference(
                        v[which == group], v[which == reference], conf_level=self.conf_level
                    )
                    text = (
                        f"difference {d.estimate:.2f} ({100 * self.conf_level:g} % CI "
                        f"{d.lower:.2f} to {d.upper:.2f}); Mann-Whitney {_p(d.p)}"
                        if not math.isnan(d.lower)
                        else "not evaluable: fewer than 2 values in a group"
                    )
                    out.append(
                        _row(
                            f"comparison: {section}", outcome, tp.name, tp.target_day,
                            d.n + d.n_reference, "difference of means; Welch t CI; Mann-Whitney",
                            d.estimate, d.lower, d.upper, d.p, text, group=name,
                        )
                    )  # fmt: skip
        return out

    def _proportion_comparisons(
        self, rows: list[dict[str, Any]], group: str, reference: str, name: str
    ) -> list[dict[str, Any]]:
        """Differences of the proportions the group rows report (responders, and HRCT and
        PAH improved or stable), from their counts."""

        def key(row: dict[str, Any]) -> tuple[str, str, str]:
            return (row["section"], row["outcome"], row["timepoint"])

        def wanted(row: dict[str, Any]) -> bool:
            return str(row["statistic"]).startswith("proportion") and (
                row["section"] == "responders" or row["outcome"].endswith("improved or stable")
            )

        ref = {key(r): r for r in rows if r["group"] == reference and wanted(r)}
        out = []
        for row in rows:
            if row["group"] != group or not wanted(row) or key(row) not in ref:
                continue
            other = ref[key(row)]
            k = _count(row)
            k0 = _count(other)
            d = proportion_difference(
                k, int(row["n"]), k0, int(other["n"]), conf_level=self.conf_level
            )
            text = (
                f"difference {100 * d.estimate:.1f} % ({100 * self.conf_level:g} % CI "
                f"{100 * d.lower:.1f} to {100 * d.upper:.1f}); Fisher exact {_p(d.p)}"
                if not math.isnan(d.estimate)
                else "not evaluable: a group has no evaluable patient"
            )
            out.append(
                _row(
                    f"comparison: {row['section']}", row["outcome"], row["timepoint"], row["day"],
                    d.n + d.n_reference, "difference of proportions; Newcombe CI; Fisher exact",
                    d.estimate, d.lower, d.upper, d.p, text, group=name,
                )
            )  # fmt: skip
        return out

    # ------------------------------------------------------------------ provenance
    def _about(self, visits: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        """The report's header as rows of the "about" section: what made it, when, from
        which data, with which schedule, cut-off, time origin, mapping and groups."""
        import datetime as dt

        mapping = getattr(self.cohort, "mapping", None)
        items = {
            "library": f"sscoutcomes {_version()}",
            "date": dt.date.today().isoformat(),
            "schedule": _schedule_text(self.schedule),
            "first-year schedule": _schedule_text(self.first_year),
            "data cut-off": str(getattr(self.cohort, "cutoff", None) or "none"),
            "time origin of survival": self._origin,
            "column mapping": "none" if mapping is None else repr(mapping.to_dict()),
            "groups": "none" if self.by is None else f"by {self.by}",
            "input data (sha256)": _data_hash(visits, patients),
        }
        return [
            _row("about", key, "", None, 0, "header", None, None, None, None, value)
            for key, value in items.items()
        ]

    @property
    def header(self) -> dict[str, str]:
        """The report's header -- library version, date, schedules (targets and windows),
        data cut-off, time origin, column mapping, groups and a hash of the input data.

        Examples
        --------
        >>> from sscoutcomes import FollowUpReport, Schedule, load_demo
        >>> report = FollowUpReport(load_demo(), Schedule.years(0, 1))
        >>> report.header["schedule"]
        'baseline day 0 (days -90..0), 1 year day 365 (days 275..455)'
        """
        about = self._table[self._table["section"] == "about"]
        return dict(zip(about["outcome"], about["text"], strict=True))

    def _header_line(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.header.items())

    def _source(self, section: str, outcome: str) -> str:
        """What a row's numbers rest on: the rule or instrument, its parameters and its
        reference."""
        if section == "about":
            return ""
        comparison = section.startswith("comparison: ")
        section = section.removeprefix("comparison: ")
        if section == "composite":
            return (
                "generalized pairwise comparisons on death, event-free survival (preset "
                "eustar, provisional), then FVC, HAQ-DI and mRSS changes, margins 0 (Buyse M. "
                "Stat Med 2010;29:3245-57. doi:10.1002/sim.3923; Finkelstein DM, Schoenfeld DA. "
                "Stat Med 1999;18:1341-54; SCOT: Sullivan KM et al. N Engl J Med "
                "2018;378:35-47. doi:10.1056/NEJMoa1703327)"
            )
        if outcome == "FVC % predicted annual rate of change":
            return (
                "annual rate of change: linear mixed model with a random intercept and slope "
                "per patient, REML (Laird NM, Ware JH. Biometrics 1982;38:963-74. "
                "doi:10.2307/2529876), fitted by statsmodels MixedLM and checked against R "
                "nlme::lme"
            )
        if comparison and section != "survival":
            return _COMPARISON_SOURCE
        if comparison and outcome.endswith("hazard ratio"):
            return (
                "Cox proportional hazards, Efron ties, Wald interval (Cox DR. J R Stat Soc B "
                "1972;34:187-220. doi:10.1111/j.2517-6161.1972.tb00899.x), fitted by statsmodels "
                "PHReg and checked against R survival::coxph"
            )
        level = f"{100 * self.conf_level:g} %"
        if section == "data":
            return f"library check of the input data (sscoutcomes {_version()})"
        if section == "survival":
            return (
                f"Kaplan-Meier product-limit, Greenwood variance, {self.conf_type} {level} "
                "CI (Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-81. "
                "doi:10.1080/01621459.1958.10501452); log-rank (R survival::survdiff)"
            )
        if section == "responders":
            for item in self.responders:
                definition = RESPONDER_DEFINITIONS[item] if isinstance(item, str) else item
                if definition.name == outcome:
                    return f"{definition.name}: {definition.description} ({definition.reference})"
            return ""
        instrument = _SECTION_INSTRUMENTS.get(section)
        if instrument is None:
            return ""
        from .registry import INSTRUMENTS

        inst = INSTRUMENTS.get(instrument)
        refs = "; ".join(inst.references) if inst is not None else ""
        schedule = self.first_year if section in ("haq", "vascular") else self.schedule
        windows = ", ".join(f"{tp.name} days {tp.first_day}..{tp.last_day}" for tp in schedule)
        rule = {
            "hrct": f"HRCT change: reader's comparison, else extent change >= "
            f"{HRCT_EXTENT_CHANGE_DEFAULT:g} points",
            "pah": f"PAH change: reader's comparison, else sPAP change >= "
            f"{PAH_CHANGE_DEFAULT_MMHG:g} mmHg",
        }.get(section, inst.title if inst is not None else section)
        return f"{rule}; visits {windows}; {refs}"

    # ------------------------------------------------------------------ computation
    @staticmethod
    def _scored(visits: pd.DataFrame) -> pd.DataFrame:
        """The visits with the scores the report needs added (input untouched)."""
        return score_available(visits, _REPORT_SCORES)

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

    def _baseline_gaps(self, visits: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        """One "data" row per baseline window (of ``schedule`` and ``first_year``) that some
        patients have no visit in: their baseline is missing for every measure."""
        ids = pd.Index(
            pd.unique(
                np.concatenate(
                    [
                        patients["patient_id"].dropna().to_numpy(dtype=object),
                        visits["patient_id"].dropna().to_numpy(dtype=object),
                    ]
                )
            )
        )
        day = pd.to_numeric(visits["day"], errors="coerce")
        visit_ids = visits["patient_id"].to_numpy(dtype=object)
        first_visit = day.groupby(visit_ids).min().reindex(ids)
        rows = []
        windows: set[tuple[int, int]] = set()
        for schedule in (self.schedule, self.first_year):
            base = schedule.require_baseline()
            window = (base.first_day, base.last_day)
            if window in windows:
                continue
            windows.add(window)
            inside = day.between(*window).groupby(visit_ids).any()
            lacking = ~inside.reindex(ids, fill_value=False).to_numpy(dtype=bool)
            k = int(lacking.sum())
            if k == 0:
                continue
            firsts = first_visit[lacking].dropna()
            where = []
            after = firsts[firsts > window[1]]
            before = firsts[firsts < window[0]]
            if len(after):
                lo, hi = int(after.min()), int(after.max())
                days = f"day {lo}" if lo == hi else f"days {lo}..{hi}"
                where.append(f"{_have(len(after))} their first visit after it ({days})")
            if len(before):
                where.append(f"{_have(len(before))} visits only before it")
            if len(firsts) < k:
                where.append(f"{_have(k - len(firsts))} no visit at all")
            text = (
                f"{k} of {len(ids)} patients {_have(k, alone=True)} no visit in the baseline "
                f"window '{base.name}' (days {window[0]}..{window[1]}): {'; '.join(where)}. Their "
                f"baseline is missing (the baseline is the last value on or before day "
                f"{base.target_day}), so they are left out of every change from baseline; "
                f"check the index dates or the baseline window"
            )
            rows.append(
                _row(
                    "data",
                    "patients without a visit in the baseline window",
                    base.name,
                    base.target_day,
                    len(ids),
                    _NOTE,
                    float(k),
                    None,
                    None,
                    None,
                    text,
                )
            )
        return rows

    def _group_labels(self, patients: pd.DataFrame) -> pd.Series[Any]:
        """Each patient's group of ``by`` as text (missing: NaN); ``by`` must be set."""
        column = patients[str(self.by)]
        return column.astype(object).map(str).where(column.notna())

    def _survival_times(
        self, patients: pd.DataFrame
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]] | None:
        """(time, event) of every patient: days from the time origin to death or last
        contact, NaN where unknown (or the origin date is); None without ``death_day``."""
        if "death_day" not in patients.columns:
            return None
        day, event = _death_or_last_contact(patients)
        return day + self._origin_shift(patients), event

    def _survival_data(
        self, patients: pd.DataFrame
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]] | str:
        """(time, event) of the patients whose time is known (days from the time origin),
        or the reason why survival cannot be reported."""
        times = self._survival_times(patients)
        if times is None:
            return "the patients frame has no death_day"
        time, event = times
        known = ~np.isnan(time)
        if not known.any():
            return f"no patient has {self._known_time}"
        return time[known], event[known]

    @property
    def _known_time(self) -> str:
        """What a survival time needs: "a known death or last-contact day", and the origin
        date when survival counts from diagnosis or onset."""
        origin = "" if self._origin == "index" else f" and {self._origin}_date"
        return f"a known death or last-contact day{origin}"

    def _survival_known(self, patients: pd.DataFrame) -> npt.NDArray[np.bool_]:
        """Which patients have a known survival time (death or last contact, and the origin
        date when survival counts from diagnosis or onset)."""
        times = self._survival_times(patients)
        if times is None:
            return np.zeros(len(patients), dtype=bool)
        return np.asarray(~np.isnan(times[0]))

    def _survival(self, patients: pd.DataFrame) -> list[dict[str, Any]]:
        data = self._survival_data(patients)
        if isinstance(data, str):
            return [_not_reported("survival", "overall survival", data)]
        time, event = data
        origin = self._origin
        outcome = "overall survival" + ("" if origin == "index" else f" from {origin}")
        km = kaplan_meier(time, event, conf_type=self.conf_type, conf_level=self.conf_level)
        n_total = len(time)
        rows = []
        for tp in self.schedule.follow_up:
            at = km.survival_at([tp.target_day])
            s, lo, hi = (float(at[c].iloc[0]) for c in ("survival", "lower", "upper"))
            by_then = time <= tp.target_day
            deaths = int((event & by_then).sum())
            lost = int((~event & (time < tp.target_day)).sum())
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

    @property
    def _origin(self) -> str:
        return str(getattr(self.cohort, "origin", "index"))

    def _mrss(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        return self._continuous(scored, patients, "mrss", "mRSS", self.schedule, "mrss")

    def _lung(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        rows = []
        for measure, label in (
            ("fvc_pct_predicted", "FVC % predicted"),
            ("dlco_pct_predicted", "DLCO % predicted"),
        ):
            rows += self._continuous(scored, patients, measure, label, self.schedule, "lung")
        return rows

    def _haq(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
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
        if not _holds(scored, measure):
            return [_not_reported(section, label, f"the data hold no {measure}")]
        cutoff = getattr(self.cohort, "cutoff", None)
        sel = schedule.select(scored, measure, patients=patients, cutoff=cutoff)
        wide = sel.pivot(index="patient_id", columns="timepoint", values=measure)
        base_name = schedule.require_baseline().name
        due = timepoint_counts(sel).set_index("timepoint")["n_not_yet_due"]
        rows = []
        for tp in schedule:
            values = wide[tp.name].to_numpy(dtype=float)
            s = summarize_values(values)
            text = (
                format_mean_sd(s.mean, s.sd, s.n)
                if s.n
                else f"not evaluable: no {label} value in the window (days "
                f"{tp.first_day}..{tp.last_day})"
            )
            if int(due.get(tp.name, 0)):  # with a data cut-off: not yet due, not lost
                text += f"; {int(due[tp.name])} not yet due at the data cut-off"
            lower, upper = self._mean_ci(s.mean, s.sd, s.n)
            rows.append(
                _row(
                    section,
                    label,
                    tp.name,
                    tp.target_day,
                    s.n,
                    "mean (SD, n); t CI",
                    s.mean,
                    lower,
                    upper,
                    None,
                    text,
                    sd=s.sd,
                )
            )
            if tp.is_baseline:
                continue
            ch = paired_change(wide[base_name].to_numpy(dtype=float), values)
            lower, upper = self._mean_ci(ch.mean, ch.sd, ch.n)
            rows.append(
                _row(
                    section,
                    f"{label} change from baseline",
                    tp.name,
                    tp.target_day,
                    ch.n,
                    "mean change (SD, n); t CI; paired t-test",
                    ch.mean,
                    lower,
                    upper,
                    ch.t_test.p,
                    f"{format_mean_sd(ch.mean, ch.sd, ch.n)}; paired t-test "
                    f"{_p(ch.t_test.p)}, Wilcoxon {_p(ch.wilcoxon.p)}"
                    if ch.n
                    else f"not evaluable: no patient has both a {base_name} and a {tp.name} value",
                    sd=ch.sd,
                )
            )
        return rows

    def _mean_ci(self, mean: float, sd: float, n: int) -> tuple[float | None, float | None]:
        """The t confidence interval of a mean (``None`` below 2 values)."""
        if n < 2 or math.isnan(mean) or math.isnan(sd):
            return None, None
        from scipy import stats

        half = float(stats.t.ppf(0.5 + self.conf_level / 2, n - 1)) * sd / math.sqrt(n)
        return mean - half, mean + half

    def _categories(
        self,
        scored: pd.DataFrame,
        patients: pd.DataFrame,
        flag: str,
        columns: tuple[str, ...],
        section: str,
        label: str,
        change: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame],
        basis: Callable[[pd.DataFrame, pd.DataFrame, pd.DataFrame], pd.Series[str]],
    ) -> list[dict[str, Any]]:
        """Change categories among the patients with ``flag``, from ``change`` (e.g.
        :func:`hrct_change_from_baseline` on the group's visits and patients): the reader's
        comparison where recorded, else the measured value against the baseline. ``basis``
        gives, per row of that table, what its category rests on."""
        condition = {"ild": "ILD", "pah": "PAH"}.get(flag, flag)
        if flag not in patients.columns:
            reason = f"the patients frame has no {flag!r} column to say who has {condition}"
            return [_not_reported(section, label, reason)]
        if not any(_holds(scored, c) for c in columns):
            return [_not_reported(section, label, f"the data hold no {_or(columns)}")]
        group = patients.loc[(patients[flag] == True).fillna(False).to_numpy(bool), "patient_id"]  # noqa: E712
        if group.empty:
            return [_not_reported(section, label, f"no patient has {condition} at baseline")]
        subset = scored[scored["patient_id"].isin(group)]
        sub_patients = patients[patients["patient_id"].isin(group)]
        table = change(subset, sub_patients)
        table = table.assign(basis=basis(table, subset, sub_patients).to_numpy())
        rows = []
        n_group = len(group)
        for tp in self.schedule.follow_up:
            at = table[(table["timepoint"] == tp.name) & table["change"].notna()]
            values = at["change"].astype(str)
            counts = {c: int((values == c).sum()) for c in _CHANGE_LABELS}
            n = sum(counts.values())
            used = at["basis"].value_counts(sort=False)
            used = used.reindex([b for b in _BASIS_ORDER if b in used.index])
            basis_text = (
                str(used.index[0])
                if len(used) == 1
                else "; ".join(f"{b}: {int(k)}" for b, k in used.items())
            )
            rows += [
                self._proportion_row(section, f"{label} {category}", tp, k, n, basis_text)
                for category, k in counts.items()
            ]
            k = counts["improved"] + counts["stable"]
            row = self._proportion_row(section, f"{label} improved or stable", tp, k, n, basis_text)
            row["text"] += f" (of {n_group} patients in the group)"
            rows.append(row)
        return rows

    def _hrct(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        def change(visits: pd.DataFrame, group: pd.DataFrame) -> pd.DataFrame:
            return hrct_change_from_baseline(
                visits, self.schedule, patients=group, threshold_pct=HRCT_EXTENT_CHANGE_DEFAULT
            )

        def basis(table: pd.DataFrame, _v: pd.DataFrame, _p: pd.DataFrame) -> pd.Series[str]:
            reader = table["source"].astype(str) == "reader"
            labels = np.where(reader, _READER, _HRCT_EXTENT).astype(object)
            return pd.Series(labels, index=table.index, dtype=str)

        return self._categories(
            scored,
            patients,
            "ild",
            ("hrct_comparison", "hrct_extent_pct"),
            "hrct",
            "HRCT",
            change,
            basis,
        )

    def _pah(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        def change(visits: pd.DataFrame, group: pd.DataFrame) -> pd.DataFrame:
            return pah_change_from_baseline(
                visits, self.schedule, patients=group, threshold_mmhg=PAH_CHANGE_DEFAULT_MMHG
            )

        return self._categories(
            scored,
            patients,
            "pah",
            ("pah_comparison", "tr_velocity_m_s", "spap_mmhg"),
            "pah",
            "PAH",
            change,
            self._pah_basis,
        )

    def _pah_basis(
        self, table: pd.DataFrame, visits: pd.DataFrame, patients: pd.DataFrame
    ) -> pd.Series[str]:
        """Per row of :func:`pah_change_from_baseline`'s table: the reader's comparison, or
        whether the two sPAP values compared were estimated from TR velocity and RAP (as
        :func:`score_echo` does where both are known) or taken as recorded."""
        out = pd.Series(_READER, index=table.index, dtype=object)
        from_spap = (table["source"].astype(str) == "spap_mmhg").to_numpy()
        if not from_spap.any():
            return out.astype(str)
        echo = score_echo(visits)
        trv = (
            pd.to_numeric(visits["tr_velocity_m_s"], errors="coerce")
            if "tr_velocity_m_s" in visits.columns
            else pd.Series(np.nan, index=visits.index)
        )
        estimated = (trv.notna() & echo["rap_used_mmhg"].notna()).to_numpy(dtype=bool)
        ids = visits["patient_id"].to_numpy(dtype=object)
        days = pd.to_numeric(visits["day"]).to_numpy(dtype=float)
        frame = pd.DataFrame(
            {"patient_id": ids, "day": days, "spap_mmhg": echo["spap_mmhg"].to_numpy()}
        )
        sel = self.schedule.select(frame, "spap_mmhg", patients=patients)
        sel = sel.assign(
            patient_id=sel["patient_id"].to_numpy(dtype=object),
            timepoint=sel["timepoint"].astype(str),
        ).merge(
            pd.DataFrame({"patient_id": ids, "day_spap_mmhg": days, "estimated": estimated}),
            on=["patient_id", "day_spap_mmhg"],
            how="left",
        )
        used = sel.set_index(["patient_id", "timepoint"])["estimated"]
        rows = table.loc[from_spap]
        ids_used = rows["patient_id"].to_numpy(dtype=object)
        base_name = self.schedule.require_baseline().name

        def flags(timepoints: Any) -> npt.NDArray[np.bool_]:
            key = pd.MultiIndex.from_arrays([ids_used, np.asarray(timepoints, dtype=object)])
            looked_up = used.reindex(key)  # object dtype after a reindex: no fillna downcast
            return np.asarray(looked_up.notna().to_numpy() & (looked_up == True).to_numpy())  # noqa: E712

        at_base = flags(np.full(len(rows), base_name, dtype=object))
        at_follow_up = flags(rows["timepoint"].astype(str).to_numpy())
        out.loc[from_spap] = np.where(
            at_base & at_follow_up,
            _PAH_BASES["estimated"],
            np.where(~at_base & ~at_follow_up, _PAH_BASES["recorded"], _PAH_BASES["mixed"]),
        )
        return out.astype(str)

    def _vascular(self, scored: pd.DataFrame, patients: pd.DataFrame) -> list[dict[str, Any]]:
        if not _holds(scored, "vascular_grade"):
            return [
                _not_reported(
                    "vascular", "peripheral vascular grade", "the data hold no vascular_grade"
                )
            ]
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
            absent = [m for m in definition.measures if not _holds(scored, m)]
            if absent:
                reason = f"the data hold no {_and(absent)}"
                rows.append(_not_reported("responders", definition.name, reason))
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
        self, section: str, outcome: str, tp: Timepoint, k: int, n: int, basis: str = ""
    ) -> dict[str, Any]:
        """One row: k of n with its Wilson interval ("not evaluable" when n is 0)."""
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
            format_proportion(k, n)
            if n
            else f"not evaluable: no patient with a value at {tp.name}",
            basis,
        )

    # ------------------------------------------------------------------ output
    def to_frame(self) -> pd.DataFrame:
        """Every result as one tidy DataFrame (columns :data:`REPORT_COLUMNS`).

        ``group`` is ``"all"``, a group of ``by``, or for a between-group comparison
        (``section`` ``"comparison: <section>"``) ``"<group> vs <reference>"``. Means and
        mean changes have ``value`` (the mean), ``sd``, ``n`` and the t interval in
        ``lower``/``upper``; ``p`` is the p-value of the row's test. Rows of a section the
        data cannot give have ``statistic`` ``"not reported"`` and the reason in ``text``;
        the ``"data"`` section counts the patients without a visit in the baseline window
        (and without a group); the ``"about"`` section is the :attr:`header`; ``basis`` names
        what a change category rests on and ``source`` the rule or instrument, its
        parameters and its reference.
        """
        return self._table.copy()

    def to_dict(self) -> dict[str, Any]:
        """The :attr:`header` and every result row (``to_frame()`` as records), e.g. for JSON.

        Examples
        --------
        >>> from sscoutcomes import FollowUpReport, Schedule, load_demo
        >>> d = FollowUpReport(load_demo(), Schedule.years(0, 1)).to_dict()
        >>> sorted(d), d["rows"][0]["section"]
        (['header', 'rows'], 'about')
        """
        rows = self._table.astype(object).where(self._table.notna(), None)
        return {"header": self.header, "rows": rows.to_dict("records")}

    def title(self, section: str) -> str:
        """The printed title of a section (a key of the ``section`` column).

        The first-year sections (``"haq"``, ``"vascular"``) name the timepoints of the
        ``first_year`` schedule, so a title never promises timepoints the report lacks.

        Examples
        --------
        >>> from sscoutcomes import FollowUpReport, Schedule, load_demo
        >>> report = FollowUpReport(load_demo(), Schedule.years(0, 1, 3, 5))
        >>> report.title("haq")
        'HAQ-DI during the first year (baseline, 6 months and 1 year)'
        """
        if section not in _SECTIONS:
            raise SchemaError(f"section {section!r} is not one of {', '.join(_SECTIONS)}")
        title = _SECTIONS[section]
        if section in ("haq", "vascular"):
            names = _and(self.first_year.names)
            last = max(tp.target_day for tp in self.first_year)
            when = f"during the first year ({names})" if last <= 366 else f"at {names}"
            return f"{title} {when}"
        return title

    def _sections(self) -> list[tuple[str, str, pd.DataFrame]]:
        """(key, title, rows) of every section with rows, in print order; each section's
        between-group comparisons follow it."""
        t = self._table
        out = []
        for key in _SECTIONS:
            block = t[t["section"] == key]
            if not block.empty:
                out.append((key, self.title(key), block))
            block = t[t["section"] == f"comparison: {key}"]
            if not block.empty:
                out.append((key, f"{self.title(key)}: between-group comparisons", block))
        return out

    def to_markdown(self) -> str:
        """The results as Markdown: one table per section, with the basis of its change
        categories and the sections that are not reported."""
        parts = ["# Follow-up report", "", f"_{self._header_line()}_", ""]
        grouped = self.by is not None
        for _key, title, block in self._sections():
            parts += [
                f"## {title}",
                "",
                ("| group " if grouped else "") + "| outcome | timepoint | n | result |",
                ("| --- " if grouped else "") + "| --- | --- | ---: | --- |",
            ]
            for rec in block.itertuples(index=False):
                cell = f"| {rec.group} " if grouped else ""
                parts.append(f"{cell}| {rec.outcome} | {rec.timepoint} | {rec.n} | {rec.text} |")
            parts.append("")
            basis = _basis_line(block)
            if basis:
                parts += [basis, ""]
        return "\n".join(parts)

    def to_html(self, *, figures: bool = True) -> str:
        """The results as a standalone HTML page; with ``figures`` (and matplotlib
        installed) the Kaplan-Meier curve and the mRSS trajectories are embedded as PNG."""
        body = [
            "<h1>Follow-up report</h1>",
            f"<p><small>{html.escape(self._header_line())}</small></p>",
        ]
        grouped = self.by is not None
        for _key, title, block in self._sections():
            body.append(f"<h2>{html.escape(title)}</h2>")
            body.append(
                "<table><thead><tr>"
                + ("<th>group</th>" if grouped else "")
                + "<th>outcome</th><th>timepoint</th><th>n</th>"
                "<th>result</th></tr></thead><tbody>"
            )
            for rec in block.itertuples(index=False):
                cell = f"<td>{html.escape(str(rec.group))}</td>" if grouped else ""
                body.append(
                    f"<tr>{cell}<td>{html.escape(str(rec.outcome))}</td>"
                    f"<td>{html.escape(str(rec.timepoint))}</td><td>{rec.n}</td>"
                    f"<td>{html.escape(str(rec.text))}</td></tr>"
                )
            body.append("</tbody></table>")
            basis = _basis_line(block)
            if basis:
                body.append(f"<p>{html.escape(basis)}</p>")
        if figures:
            body += self._figures_html()
        body.append(f"<p>{html.escape(self.to_text())}</p>")
        return (
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Follow-up report</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:auto}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}"
            "</style></head><body>" + "\n".join(body) + "</body></html>"
        )

    def _results(self) -> pd.DataFrame:
        """The rows holding results (not the "not reported" lines)."""
        t = self._table
        return t[(t["statistic"] != _NOT_REPORTED) & (t["group"] == "all")]

    def _figures_html(self) -> list[str]:
        try:  # a Figure of its own: no pyplot state, no backend switched (notebooks keep theirs)
            from matplotlib.figure import Figure
        except ImportError:
            return ["<p>(Figures need matplotlib: pip install 'sscoutcomes[plot]')</p>"]
        from .plot import plot_change_categories, plot_kaplan_meier, plot_trajectories

        out = []
        patients = self.cohort.patients_frame
        figures: list[tuple[str, Any]] = []
        data = self._survival_data(patients)
        if not isinstance(data, str):
            group = None
            if self.by is not None:  # one curve per group, each with its at-risk row
                labels = self._group_labels(patients).to_numpy(dtype=object)
                group = labels[self._survival_known(patients)]
            km = kaplan_meier(
                *data, group=group, conf_type=self.conf_type, conf_level=self.conf_level
            )
            origin = "" if self._origin == "index" else f" from {self._origin}"
            figures.append(
                (
                    f"Kaplan-Meier estimate of overall survival{origin}",
                    lambda ax: plot_kaplan_meier(km, ax=ax),
                )
            )
        t = self._results()
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
            fig = Figure(figsize=(6.4, 4.2))
            draw(fig.add_subplot())
            out.append(_png(fig, alt))
        return out

    def to_text(self) -> str:
        """A short results paragraph, like a paper's results section, ending with the
        sections that are not reported and why."""
        t = self._results()
        sentences = [f"Note: {text}." for text in t.loc[t["section"] == "data", "text"]]
        surv = t[t["section"] == "survival"]
        if not surv.empty:
            last = surv.iloc[-1]
            sentences.append(f"Overall survival at {last['timepoint']} was {last['text']}.")
        for section, label in (
            ("mrss", "mRSS"),
            ("lung", "FVC % predicted"),
            ("lung", "DLCO % predicted"),
        ):
            block = t[(t["section"] == section) & (t["outcome"] == label)]
            if not block.empty:
                parts = [
                    f"{tp} {text if n else 'not evaluable'}"
                    for tp, text, n in zip(
                        block["timepoint"], block["text"], block["n"], strict=True
                    )
                ]
                sentences.append(f"The {label}, mean (SD, n), was " + "; ".join(parts) + ".")
        for key, label in (("hrct", "HRCT"), ("pah", "PAH")):
            block = t[(t["section"] == key) & (t["outcome"] == f"{label} improved or stable")]
            if not block.empty:
                last = block.iloc[-1]
                if not last["n"]:
                    sentences.append(f"{label} change at {last['timepoint']} was {last['text']}.")
                    continue
                basis = f"; basis: {last['basis']}" if last["basis"] else ""
                sentences.append(
                    f"{label} was improved or stable at {last['timepoint']} in "
                    f"{last['text']}{basis}."
                )
        t = self._table
        absent = t[(t["statistic"] == _NOT_REPORTED) & (t["group"] == "all")]
        if not absent.empty:
            sentences.append(
                "Not reported: "
                + "; ".join(
                    f"{outcome} ({str(text).removeprefix(_NOT_REPORTED + ': ')})"
                    for outcome, text in zip(absent["outcome"], absent["text"], strict=True)
                )
                + "."
            )
        if self.by is not None:
            sentences += self._comparison_sentences()
        sentences.append(f"({self._header_line()}.)")
        return " ".join(sentences)

    def _comparison_sentences(self) -> list[str]:
        """One sentence per between-group comparison with p < 0.05 or of survival."""
        t = self._table
        rows = t[t["section"].str.startswith("comparison: ") & t["p"].notna()]
        out = []
        for section, outcome, timepoint, group, text, p in zip(
            rows["section"], rows["outcome"], rows["timepoint"], rows["group"], rows["text"],
            rows["p"], strict=True,
        ):  # fmt: skip
            if section == "comparison: survival" or float(p) < 0.05:
                when = f" at {timepoint}" if timepoint else ""
                out.append(f"{outcome}{when}, {group}: {text}.")
        return out

    def _repr_html_(self) -> str:
        return self.to_html(figures=False)

    def __repr__(self) -> str:
        return (
            f"FollowUpReport({len(self.cohort.patients_frame)} patients, "
            f"timepoints: {', '.join(self.schedule.names)})"
        )


def _not_reported(section: str, outcome: str, reason: str) -> dict[str, Any]:
    """The row saying that ``outcome`` of ``section`` is not reported, and why."""
    return _row(
        section,
        outcome,
        "",
        None,
        0,
        _NOT_REPORTED,
        None,
        None,
        None,
        None,
        f"{_NOT_REPORTED}: {reason}",
    )


#: The source of the between-group comparisons of means and proportions.
_COMPARISON_SOURCE: Final = (
    "difference of means: Welch t interval (Welch BL. Biometrika 1947;34:28-35. "
    "doi:10.1093/biomet/34.1-2.28), Mann-Whitney U test; difference of proportions: "
    "Newcombe hybrid score interval, method 10 (Newcombe RG. Stat Med 1998;17:873-90. "
    "doi:10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I), Fisher exact test"
)

#: The registry instrument behind each section (its title and references).
_SECTION_INSTRUMENTS: Final = {
    "mrss": "skin",
    "lung": "lung",
    "hrct": "lung imaging",
    "pah": "heart",
    "haq": "haq",
    "scleroid": "scleroid",
    "vascular": "peripheral vascular",
}


def _schedule_text(schedule: Schedule) -> str:
    return ", ".join(
        f"{tp.name} day {tp.target_day} (days {tp.first_day}..{tp.last_day})" for tp in schedule
    )


def _data_hash(visits: pd.DataFrame, patients: pd.DataFrame) -> str:
    """A SHA-256 of the input frames (values, index and column names), to tell data apart."""
    import hashlib

    digest = hashlib.sha256()
    for frame in (visits, patients):
        digest.update(repr(list(map(str, frame.columns))).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def _count(row: Mapping[str, Any]) -> int:
    """The count behind a proportion row (``value`` x ``n``)."""
    n = int(row["n"])
    value = float(row["value"])
    return 0 if n == 0 or math.isnan(value) else round(value * n)


def _version() -> str:
    from . import __version__

    return str(__version__)


def _holds(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``frame`` has ``column`` with at least one value (a scored column whose
    inputs are all missing holds none)."""
    return column in frame.columns and bool(frame[column].notna().any())


def _have(k: int, *, alone: bool = False) -> str:
    """``"1 has"`` / ``"3 have"`` (``alone``: the verb only)."""
    verb = "has" if k == 1 else "have"
    return verb if alone else f"{k} {verb}"


def _and(names: Any) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    names = [str(n) for n in names]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _or(names: Any) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    names = [str(n) for n in names]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _basis_line(block: pd.DataFrame) -> str:
    """ "Basis: ..." for a section whose rows name a basis: once when every timepoint has
    the same, else per timepoint."""
    named = block[block["basis"].fillna("").astype(str) != ""]
    if named.empty:
        return ""
    per_tp = named.groupby("timepoint", sort=False)["basis"].first()
    if per_tp.nunique() == 1:
        return f"Basis: {per_tp.iloc[0]}."
    return "Basis: " + "; ".join(f"{tp}: {b}" for tp, b in per_tp.items()) + "."


def _row(
    section: str,
    outcome: str,
    timepoint: str,
    day: int | None,
    n: int,
    statistic: str,
    value: float | None,
    lower: float | None,
    upper: float | None,
    p: float | None,
    text: str,
    basis: str = "",
    *,
    sd: float | None = None,
    group: str = "all",
) -> dict[str, Any]:
    return {
        "group": group,
        "section": section,
        "outcome": outcome,
        "timepoint": timepoint,
        "day": day,
        "n": n,
        "statistic": statistic,
        "value": np.nan if value is None else value,
        "sd": np.nan if sd is None else sd,
        "lower": np.nan if lower is None else lower,
        "upper": np.nan if upper is None else upper,
        "p": np.nan if p is None else p,
        "text": text,
        "basis": basis,
        "source": "",
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


def _death_or_last_contact(
    patients: pd.DataFrame,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Per patient: the day of death, else of last contact (NaN when neither is known or
    the frame has no ``death_day``), and whether the patient died."""
    n = len(patients)
    if "death_day" not in patients.columns:
        return np.full(n, np.nan), np.zeros(n, dtype=bool)
    death = pd.to_numeric(patients["death_day"], errors="coerce").to_numpy(dtype=float)
    last = (
        pd.to_numeric(patients["last_contact_day"], errors="coerce").to_numpy(dtype=float)
        if "last_contact_day" in patients.columns
        else np.full(n, np.nan)
    )
    died = ~np.isnan(death)
    return np.where(died, death, last), died
