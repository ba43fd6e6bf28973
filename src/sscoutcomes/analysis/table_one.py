"""Table 1: baseline characteristics of a cohort, overall and by group.

:func:`table_one` summarises the patients of a :class:`~sscoutcomes.Cohort` the way the
first table of a clinical paper does, in the layout of the ``tableone`` packages (Pollard
et al. 2018; Yoshida and Bartel, R ``tableone``): one row per continuous variable and one
row per level of a categorical variable, one column per group plus ``Overall``, the
missing counts and, optionally, a p-value per variable.

The variables, in order (:data:`TABLE_ONE_VARIABLES`; those the data do not hold are left
out, a variable that is present but all missing is shown with its missing count):

- ``n`` (patients);
- from the patients frame: age at index, sex, disease duration from onset and from
  diagnosis, cutaneous subset, autoantibodies (anticentromere, anti-topoisomerase I,
  anti-RNA polymerase III and any other ``anti_*`` column), ILD and PAH at baseline;
- at baseline, picked per measure with the library's baseline rule
  (:meth:`Schedule.select <sscoutcomes.analysis.schedule.Schedule.select>`: the last value
  on or before day 0 within the schedule's baseline look-back) and scored from the items
  where only the items are recorded: mRSS, HAQ-DI, FVC and DLCO % predicted.

Continuous variables are shown as mean (SD) -- SD with ``ddof = 1`` -- or, for the names in
``nonnormal``, as median [Q1, Q3] with numpy's ``"linear"`` quantiles (R's ``type = 7``,
the default of pandas and of the Python ``tableone`` package). Categorical variables are
shown as n (%) with the percentage among the patients whose value is known: missing values
are counted in the ``missing`` column, never in a denominator and never as "no".
Yes/no variables show the "yes" row.

References
----------
- Pollard TJ, Johnson AEW, Raffa JD, Mark RG. tableone: An open source Python package for
  producing summary statistics for research papers. JAMIA Open 2018;1:26-31.
  doi:10.1093/jamiaopen/ooy012.
- Hyndman RJ, Fan Y. Sample quantiles in statistical packages. Am Stat 1996;50:361-5.
  doi:10.1080/00031305.1996.10473566.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Iterable, Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .._result import ResultMixin
from .._validation import check_bool
from ..cohort.cohort import Cohort
from ..cohort.schema import PATIENT_COLUMNS
from ..errors import SchemaError
from ..registry import instruments
from ..scoring import score_available
from .schedule import Schedule, require_schedule

__all__ = ["TABLE_ONE_COLUMNS", "TABLE_ONE_VARIABLES", "TableOne", "TableOneVariable", "table_one"]

FloatArray = npt.NDArray[np.float64]
Kind = Literal["continuous", "categorical", "binary"]

#: Label of the column holding every patient.
OVERALL: Final = "Overall"
#: Decimals of a percentage.
PERCENT_DECIMALS: Final = 1

_MEAN_SD: Final = "mean (SD)"
_MEDIAN_IQR: Final = "median [IQR]"
_N_PCT: Final = "n (%)"
_YES: Final = "yes"
_NO: Final = "no"


@attrs.frozen(kw_only=True, slots=True)
class TableOneVariable:
    """One row block of Table 1.

    Attributes
    ----------
    name : str
        The canonical column (patients frame, or visits frame for ``source="baseline"``).
    label : str
        The printed name.
    kind : {"continuous", "categorical", "binary"}
        Binary (yes/no) variables show only their "yes" row.
    source : {"patients", "baseline"}
        A patients column, or a visit measure taken at the schedule's baseline.
    decimals : int
        Decimals of a continuous variable's statistics.
    """

    name: str
    label: str
    kind: Kind
    source: Literal["patients", "baseline"] = "patients"
    decimals: int = 1


#: The variables of :func:`table_one`, in print order. ``anti_*`` columns not listed here
#: are shown after the listed antibodies.
TABLE_ONE_VARIABLES: Final[tuple[TableOneVariable, ...]] = (
    TableOneVariable(name="age_at_index", label="Age at index, years", kind="continuous"),
    TableOneVariable(name="sex", label="Sex", kind="categorical"),
    TableOneVariable(
        name="disease_duration_onset_years",
        label="Disease duration from onset, years",
        kind="continuous",
    ),
    TableOneVariable(
        name="disease_duration_diagnosis_years",
        label="Disease duration from diagnosis, years",
        kind="continuous",
    ),
    TableOneVariable(name="subset", label="Cutaneous subset", kind="categorical"),
    TableOneVariable(name="anticentromere", label="Anticentromere", kind="binary"),
    TableOneVariable(
        name="anti_topoisomerase", label="Anti-topoisomerase I (Scl-70)", kind="binary"
    ),
    TableOneVariable(
        name="anti_rna_polymerase_iii", label="Anti-RNA polymerase III", kind="binary"
    ),
    TableOneVariable(name="ild", label="Interstitial lung disease", kind="binary"),
    TableOneVariable(name="pah", label="Pulmonary arterial hypertension", kind="binary"),
    TableOneVariable(name="mrss", label="mRSS at baseline", kind="continuous", source="baseline"),
    TableOneVariable(
        name="haq_di",
        label="HAQ-DI at baseline",
        kind="continuous",
        source="baseline",
        decimals=2,
    ),
    TableOneVariable(
        name="fvc_pct_predicted",
        label="FVC, % predicted, at baseline",
        kind="continuous",
        source="baseline",
    ),
    TableOneVariable(
        name="dlco_pct_predicted",
        label="DLCO, % predicted, at baseline",
        kind="continuous",
        source="baseline",
    ),
)

_CONTINUOUS_NAMES: Final[tuple[str, ...]] = tuple(
    v.name for v in TABLE_ONE_VARIABLES if v.kind == "continuous"
)

#: Columns of :attr:`TableOne.frame` (``p`` and ``test`` only with ``pvalues=True``).
TABLE_ONE_COLUMNS: Final[tuple[str, ...]] = (
    "variable",
    "label",
    "level",
    "group",
    "n",
    "missing",
    "statistic",
    "mean",
    "sd",
    "median",
    "q1",
    "q3",
    "count",
    "percent",
    "text",
)

_SCHEMA_CATEGORIES: Final[dict[str, tuple[str, ...]]] = {
    c.name: tuple(c.categories) for c in PATIENT_COLUMNS if c.categories
}


# --------------------------------------------------------------------------------------
# result
# --------------------------------------------------------------------------------------
@attrs.frozen(kw_only=True, eq=False)
class TableOne(ResultMixin):
    """Result of :func:`table_one`.

    Attributes
    ----------
    frame : pandas.DataFrame
        Tidy: one row per variable (and level) x group, columns :data:`TABLE_ONE_COLUMNS`
        (``variable``, ``label``, ``level`` (categories; missing for continuous rows),
        ``group`` (``"Overall"`` first), ``n`` (patients with a known value), ``missing``,
        ``statistic`` (``"mean (SD)"``, ``"median [IQR]"``, ``"n (%)"`` or ``"n"``), the
        numbers ``mean``, ``sd``, ``median``, ``q1``, ``q3``, ``count``, ``percent``
        (among ``n``) and the printed ``text``), plus ``p`` and ``test`` with p-values.
    by : str or None
        The grouping column.
    groups : tuple of str
        The group labels, in column order (without ``"Overall"``).
    n_group_missing : int
        Patients whose ``by`` value is missing: left out of the group columns (and the
        tests), kept in ``Overall``.
    nonnormal : tuple of str
        The variables shown as median [IQR].
    schedule : Schedule
        The schedule whose baseline timepoint picked the baseline measures.
    notes : tuple of str
        Sentences printed under the table (the patients without a group).
    """

    frame: pd.DataFrame
    by: str | None
    groups: tuple[str, ...]
    n_group_missing: int
    nonnormal: tuple[str, ...]
    schedule: Schedule
    notes: tuple[str, ...]

    @property
    def has_pvalues(self) -> bool:
        """Whether the table carries p-values."""
        return "p" in self.frame.columns

    def to_frame(self) -> pd.DataFrame:
        """A copy of :attr:`frame` (tidy)."""
        return self.frame.copy()

    def to_wide(self) -> pd.DataFrame:
        """The display table, as ``tableone`` prints it.

        Rows: a two-level index (``variable``: the label with its statistic, e.g.
        ``"Sex, n (%)"``; ``level``: the category, empty for continuous variables and for
        ``n``). Columns: ``Overall``, the groups, ``Missing`` (patients without a value,
        overall) and, with p-values, ``p`` and ``test`` (on the first row of a variable).
        Every cell is text.
        """
        f = self.frame
        columns = [OVERALL, *self.groups, "Missing"]
        if self.has_pvalues:
            columns += ["p", "test"]
        index: list[tuple[str, str]] = []
        rows: list[list[str]] = []
        for _var, block in f.groupby("variable", sort=False):
            first = block.iloc[0]
            title = (
                str(first["label"])
                if first["statistic"] == "n"
                else f"{first['label']}, {first['statistic']}"
            )
            levels = list(dict.fromkeys(_level_text(x) for x in block["level"]))
            for i, level in enumerate(levels):
                sub = block[block["level"].map(_level_text) == level]
                text = dict(zip(sub["group"], sub["text"], strict=True))
                row = [str(text.get(g, "")) for g in (OVERALL, *self.groups)]
                overall = sub[sub["group"] == OVERALL].iloc[0]
                row.append("" if first["statistic"] == "n" or i else str(overall["missing"]))
                if self.has_pvalues:
                    row.append(_format_p(overall["p"]) if i == 0 else "")
                    test = overall["test"]
                    row.append("" if i or test is None or pd.isna(test) else str(test))
                index.append((title, level))
                rows.append(row)
        wide = pd.DataFrame(
            rows,
            index=pd.MultiIndex.from_tuples(index, names=["variable", "level"]),
            columns=pd.Index(columns, dtype=object),
            dtype=object,
        )
        wide.columns.name = f"by {self.by}" if self.by is not None else None
        return wide

    def to_markdown(self) -> str:
        """The display table (:meth:`to_wide`) as a Markdown pipe table, notes below."""
        wide = self.to_wide()
        head = ["variable", "level", *map(str, wide.columns)]
        lines = [
            "| " + " | ".join(_md(h) for h in head) + " |",
            "| --- | --- | "
            + " | ".join("---" if c == "test" else "---:" for c in wide.columns)
            + " |",
        ]
        previous = None
        for (variable, level), row in zip(wide.index, wide.itertuples(index=False), strict=True):
            shown = "" if variable == previous else variable
            previous = variable
            cells = [shown, level, *row]
            lines.append("| " + " | ".join(_md(str(c)) for c in cells) + " |")
        if self.notes:
            lines += ["", *self.notes]
        return "\n".join(lines)

    def to_html(self) -> str:
        """The display table (:meth:`to_wide`) as an HTML ``<table>`` (notes in a
        ``<p>`` after it); every value is escaped."""
        wide = self.to_wide()
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in ("", "", *wide.columns))
        body = []
        previous = None
        for (variable, level), row in zip(wide.index, wide.itertuples(index=False), strict=True):
            shown = "" if variable == previous else variable
            previous = variable
            cells = f"<th>{html.escape(shown)}</th><td>{html.escape(level)}</td>" + "".join(
                f"<td>{html.escape(str(c))}</td>" for c in row
            )
            body.append(f"<tr>{cells}</tr>")
        out = (
            f"<table class='table-one'><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes)
        return out + notes

    def __repr__(self) -> str:
        notes = "".join(f"\n{n}" for n in self.notes)
        return f"TableOne(by={self.by!r})\n{self.to_wide().to_string()}{notes}"

    def _repr_html_(self) -> str:
        return self.to_html()


def _level_text(level: Any) -> str:
    return (
        ""
        if level is None or level is pd.NA or (isinstance(level, float) and level != level)
        else str(level)
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _format_p(p: Any) -> str:
    """``"<0.001"`` or three decimals; empty when not tested."""
    if p is None or p is pd.NA or not math.isfinite(float(p)):
        return ""
    return "<0.001" if p < 0.001 else f"{float(p):.3f}"


# --------------------------------------------------------------------------------------
# the function
# --------------------------------------------------------------------------------------
def table_one(
    cohort: Cohort,
    by: str | None = None,
    *,
    schedule: Schedule | None = None,
    pvalues: bool = False,
    nonnormal: Iterable[str] | None = None,
) -> TableOne:
    """Baseline characteristics of a cohort (Table 1), overall and by group.

    Parameters
    ----------
    cohort : Cohort
        The patients (and their visits, for the baseline measures).
    by : str, optional
        A patients-frame column whose values form the groups (e.g. ``"subset"``, ``"arm"``,
        ``"sex"``). Patients whose value is missing are left out of the group columns and of
        the tests, kept in ``Overall``, and counted (:attr:`TableOne.n_group_missing` and a
        note under the table), as R's ``tableone`` drops ``NA`` strata. The column itself is
        not a row of the table.
    schedule : Schedule, optional
        Its baseline timepoint picks the baseline mRSS, HAQ-DI, FVC and DLCO. Default
        ``Schedule.years(0, 1)``'s baseline: the last value on or before day 0 within 90
        days.
    pvalues : bool, default False
        Add a p-value and the name of its test per variable (needs ``by``).
    nonnormal : iterable of str, optional
        Continuous variables shown as median [Q1, Q3] (and tested with rank tests) instead
        of mean (SD); names from ``age_at_index``, ``disease_duration_onset_years``,
        ``disease_duration_diagnosis_years``, ``mrss``, ``haq_di``, ``fvc_pct_predicted``,
        ``dlco_pct_predicted``. Default none: every continuous variable as mean (SD). No
        normality test decides this: the choice is yours, as in ``tableone``.

    Returns
    -------
    TableOne
        ``.frame`` (tidy), ``.to_wide()`` (the display table), ``.to_markdown()`` and
        ``.to_html()``.

    Raises
    ------
    SchemaError
        ``cohort`` is not a Cohort, ``by`` is not a patients column (or a group is named
        ``"Overall"``), ``nonnormal`` names an unknown variable, ``schedule`` is not a
        Schedule or has no baseline, ``pvalues`` is not True/False or is True without
        ``by``.

    Notes
    -----
    Continuous: mean and SD (``ddof = 1``; NA for one value) or median and quartiles
    (numpy ``"linear"`` method, R ``type = 7``: the default of pandas and of ``tableone``).
    Categorical: count and percentage among the patients with a known value; yes/no
    variables show the "yes" row, other categories every level that occurs (in the
    schema's order). Decimals: 1 (HAQ-DI 2), percentages 1.

    p-values, over the groups (patients without a group left out), as ``tableone`` chooses
    them:

    - mean (SD) variables: Welch's t-test (two groups; each needs two values) or one-way
      ANOVA (more groups);
    - median [IQR] variables: Mann-Whitney U (two groups; exact when both groups have fewer
      than 50 values and there are no ties, else the normal approximation with continuity
      correction, as R's ``wilcox.test``) or Kruskal-Wallis (more groups). ``tableone``
      uses Kruskal-Wallis for two groups as well;
    - categorical: chi-squared test of the levels x groups counts (Yates' continuity
      correction for a 2 x 2 table, the default of ``scipy`` and R's ``chisq.test``); a
      2 x 2 table with an expected count below 5 uses Fisher's exact test, a larger one
      keeps the chi-squared test and says ``"chi-squared (expected count < 5)"``.

    A variable that cannot be tested (a group without values, a single level) has ``p``
    missing and ``test`` saying why (``"not tested: ..."``).

    A variable the data do not hold is left out; one that is held but missing for everybody
    is shown with its missing count. A patients variable is held when the patients frame
    has its column; a baseline measure when the visits have its column, its items
    (``mrss_<site>``, ``haq_<item>``) or inputs from which at least one value is computed
    (e.g. ``fvc_l`` with ``fvc_predicted_l``).

    Examples
    --------
    >>> import sscoutcomes as ssc
    >>> t1 = ssc.table_one(ssc.load_demo(), by="subset", pvalues=True)
    >>> t1.groups
    ('limited', 'diffuse')
    >>> age = t1.frame[t1.frame["variable"] == "age_at_index"]
    >>> age[["group", "n", "missing", "text", "test"]]
         group   n  missing         text          test
    3  Overall  41        0  40.2 (10.2)  Welch t-test
    4  limited  16        0   42.6 (8.7)  Welch t-test
    5  diffuse  25        0  38.6 (11.0)  Welch t-test
    >>> round(float(age["p"].iloc[0]), 3)
    0.204
    >>> t1.to_wide().loc[("Sex, n (%)", "female")].tolist()[:3]
    ['38 (92.7)', '15 (93.8)', '23 (92.0)']
    """
    if not isinstance(cohort, Cohort):
        raise SchemaError(
            f"cohort must be a Cohort (e.g. Cohort.from_frames(visits=..., patients=...)); "
            f"got {type(cohort).__name__}"
        )
    sched = Schedule.years(0, 1) if schedule is None else require_schedule(schedule)
    baseline = sched.require_baseline()
    want_p = check_bool("pvalues", pvalues)
    skewed = _nonnormal_names(nonnormal)
    patients = cohort.patients_frame.reset_index(drop=True)
    if by is not None and not isinstance(by, str):
        raise SchemaError(f"by = {by!r} must be a patients column name (text) or None")
    if by is not None and by not in patients.columns:
        raise SchemaError(
            f"by = {by!r} is not a column of the patients frame; it has "
            f"{', '.join(map(str, patients.columns))}"
        )
    if want_p and by is None:
        raise SchemaError("pvalues = True compares groups: give by (a patients column)")

    variables = [v for v in _variables(patients) if v.name != by]
    values = _baseline_values(cohort, patients, baseline, variables)
    variables = [v for v in variables if v.name in values or v.name in patients.columns]

    n_all = len(patients)
    if by is None:
        groups: tuple[str, ...] = ()
        codes = np.full(n_all, -1, dtype=np.int64)
    else:
        groups, codes = _groups(patients[by], by)
    n_group_missing = int((codes < 0).sum()) if by is not None else 0
    members = [np.ones(n_all, dtype=bool), *[codes == i for i in range(len(groups))]]
    labels = (OVERALL, *groups)

    rows: list[dict[str, Any]] = []
    for label, mask in zip(labels, members, strict=True):
        size = int(mask.sum())
        rows.append(
            _row(
                variable="n",
                label="n",
                group=label,
                n=size,
                missing=0,
                statistic="n",
                count=size,
                text=str(size),
            )
        )
    tests: dict[str, tuple[float, str]] = {}
    for var in variables:
        column = values[var.name] if var.name in values else patients[var.name]
        if var.kind == "continuous":
            x = _floats(column)
            median = var.name in skewed
            for label, mask in zip(labels, members, strict=True):
                rows.append(_continuous_row(var, label, x[mask], median))
            if want_p:
                tests[var.name] = _continuous_test([_present(x[m]) for m in members[1:]], median)
        else:
            cats, lv_codes = _category_codes(column, var)
            shown = [i for i, c in enumerate(cats) if var.kind != "binary" or c == _YES]
            for i in shown:
                for label, mask in zip(labels, members, strict=True):
                    rows.append(_category_row(var, label, cats[i], lv_codes[mask], i))
            if want_p:
                table = np.array(
                    [
                        [int((lv_codes[m] == i).sum()) for m in members[1:]]
                        for i in range(len(cats))
                    ],
                    dtype=np.int64,
                ).reshape(len(cats), len(groups))
                tests[var.name] = _categorical_test(table)

    frame = pd.DataFrame(rows, columns=list(TABLE_ONE_COLUMNS))
    frame = frame.astype(
        {
            "n": "int64",
            "missing": "int64",
            "count": "Int64",
            "mean": "float64",
            "sd": "float64",
            "median": "float64",
            "q1": "float64",
            "q3": "float64",
            "percent": "float64",
        }
    )
    if want_p:
        frame["p"] = [tests.get(v, (math.nan, ""))[0] for v in frame["variable"]]
        frame["test"] = [tests[v][1] if v in tests else None for v in frame["variable"]]
        frame["p"] = frame["p"].astype("float64")
    notes: tuple[str, ...] = ()
    if n_group_missing:
        who = "patient" if n_group_missing == 1 else "patients"
        notes = (
            f"{n_group_missing} {who} without {by} left out of the group columns "
            f"(and the tests); kept in {OVERALL}.",
        )
    return TableOne(
        frame=frame,
        by=by,
        groups=groups,
        n_group_missing=n_group_missing,
        nonnormal=tuple(v for v in _CONTINUOUS_NAMES if v in skewed),
        schedule=sched,
        notes=notes,
    )


# --------------------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------------------
def _nonnormal_names(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, Iterable) or isinstance(value, (bytes, pd.DataFrame, dict)):
        raise SchemaError(f"nonnormal must be a list of variable names; got {type(value).__name__}")
    names = list(value)
    for name in names:
        if not isinstance(name, str) or name not in _CONTINUOUS_NAMES:
            raise SchemaError(
                f"nonnormal: {name!r} is not a continuous variable of Table 1; allowed: "
                f"{', '.join(_CONTINUOUS_NAMES)}"
            )
    return frozenset(names)


def _variables(patients: pd.DataFrame) -> list[TableOneVariable]:
    """The listed variables, with unlisted ``anti_*`` columns after the listed antibodies."""
    listed = {v.name for v in TABLE_ONE_VARIABLES}
    extra = [
        TableOneVariable(
            name=str(c),
            label=str(c),
            kind="binary" if pd.api.types.is_bool_dtype(patients[c].dtype) else "categorical",
        )
        for c in patients.columns
        if isinstance(c, str) and c.startswith("anti_") and c not in listed
    ]
    out: list[TableOneVariable] = []
    for v in TABLE_ONE_VARIABLES:
        out.append(v)
        if v.name == "anti_rna_polymerase_iii":
            out += extra
    return out


def _baseline_values(
    cohort: Cohort,
    patients: pd.DataFrame,
    baseline: Any,
    variables: Sequence[TableOneVariable],
) -> dict[str, pd.Series[Any]]:
    """Baseline value of each baseline measure the visits hold (or can score), per patient
    in the patients frame's order."""
    wanted = [v.name for v in variables if v.source == "baseline"]
    raw = cohort.visits
    unscored = [m for m in wanted if m not in raw.columns]
    visits = score_available(raw, unscored) if unscored else raw
    present = [m for m in wanted if m in visits.columns and _holds(raw, visits, m)]
    if not present:
        return {}
    only_baseline = Schedule(timepoints=(baseline,))
    selected = only_baseline.select(visits, present, patients=patients[["patient_id"]])
    by_id = selected.set_index("patient_id")
    ids = patients["patient_id"]
    return {m: pd.Series(by_id[m].reindex(ids).to_numpy(), index=patients.index) for m in present}


def _holds(raw: pd.DataFrame, scored: pd.DataFrame, measure: str) -> bool:
    """Whether the visits hold ``measure``: its column, its items (``mrss_<site>``,
    ``haq_<item>``: a column with its instrument's prefix) or inputs from which at least one
    value was computed (``fvc_l`` and ``fvc_predicted_l``, ...)."""
    if measure in raw.columns:
        return True
    prefixes = tuple(p for inst in instruments() if measure in inst.outputs for p in inst.prefixes)
    if prefixes and any(str(c).startswith(prefixes) for c in raw.columns):
        return True
    return bool(scored[measure].notna().any())


def _floats(column: pd.Series[Any]) -> FloatArray:
    return np.asarray(
        pd.to_numeric(column, errors="coerce")
        .astype("Float64")
        .to_numpy(dtype=np.float64, na_value=np.nan),
        dtype=np.float64,
    )


def _present(x: FloatArray) -> FloatArray:
    return x[~np.isnan(x)]


def _value_text(value: Any) -> str:
    if isinstance(value, (bool, np.bool_)):
        return _YES if value else _NO
    return str(value)


def _order(values: Sequence[Any], name: str) -> list[Any]:
    """Distinct values in display order: the schema's categories first, yes/no as no, yes,
    else sorted (as text when the values cannot be compared)."""
    known = _SCHEMA_CATEGORIES.get(name, ())
    first = [c for c in known if c in values]
    rest = [v for v in values if v not in known]
    try:
        rest = sorted(rest)
    except TypeError:
        rest = sorted(rest, key=str)
    return first + rest


def _groups(column: pd.Series[Any], by: str) -> tuple[tuple[str, ...], npt.NDArray[np.int64]]:
    """Group labels and each patient's group code (-1: missing)."""
    missing = column.isna().to_numpy(dtype=bool)
    raw = column.to_numpy(dtype=object)
    if isinstance(column.dtype, pd.CategoricalDtype):
        distinct = [c for c in column.cat.categories if (column == c).any()]
    else:
        distinct = _order(list(pd.unique(raw[~missing])), by)
    labels = [_value_text(v) for v in distinct]
    if len(set(labels)) < len(labels):
        clash = [v for v, lab in zip(distinct, labels, strict=True) if labels.count(lab) > 1]
        raise SchemaError(
            f"by = {by!r}: distinct values {', '.join(map(repr, clash))} print the same "
            f"({', '.join(sorted({repr(_value_text(v)) for v in clash}))}); "
            "give each group one spelling"
        )
    if OVERALL in labels:
        raise SchemaError(f"by = {by!r}: a group may not be named {OVERALL!r}")
    position = {v: i for i, v in enumerate(distinct)}
    codes = np.array(
        [-1 if m else position[v] for v, m in zip(raw, missing, strict=True)], dtype=np.int64
    )
    return tuple(labels), codes


def _category_codes(
    column: pd.Series[Any], var: TableOneVariable
) -> tuple[list[str], npt.NDArray[np.int64]]:
    """Level labels and each patient's level code (-1: missing). Yes/no variables always
    have the levels no, yes; a category variable without any known value has the schema's
    categories (so its missing count has a row)."""
    missing = column.isna().to_numpy(dtype=bool)
    raw = column.to_numpy(dtype=object)
    if var.kind == "binary":
        labels = [_NO, _YES]
        distinct: list[Any] = [False, True]
        text = [_value_text(bool(v)) if not m else "" for v, m in zip(raw, missing, strict=True)]
        codes = np.array(
            [-1 if m else labels.index(t) for t, m in zip(text, missing, strict=True)],
            dtype=np.int64,
        )
        return labels, codes
    distinct = _order(list(pd.unique(raw[~missing])), var.name)
    if not distinct:
        distinct = list(_SCHEMA_CATEGORIES.get(var.name, ())) or [None]
    labels = [_level_text(v) if v is not None else "" for v in distinct]
    position = {v: i for i, v in enumerate(distinct)}
    codes = np.array(
        [-1 if m else position[v] for v, m in zip(raw, missing, strict=True)], dtype=np.int64
    )
    return labels, codes


# --------------------------------------------------------------------------------------
# rows
# --------------------------------------------------------------------------------------
def _row(**fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(TABLE_ONE_COLUMNS)
    for key in ("mean", "sd", "median", "q1", "q3", "percent"):
        row[key] = math.nan
    row["count"] = pd.NA
    row.update(fields)
    return row


def _num(x: float, decimals: int) -> str:
    return "NA" if math.isnan(x) else f"{x:.{decimals}f}"


def _continuous_row(
    var: TableOneVariable, group: str, x: FloatArray, median: bool
) -> dict[str, Any]:
    present = _present(x)
    n = int(present.size)
    nan = math.nan
    mean = float(present.mean()) if n else nan
    sd = float(present.std(ddof=1)) if n > 1 else nan
    if n:
        q1, med, q3 = (float(q) for q in np.quantile(present, [0.25, 0.5, 0.75]))
    else:
        q1 = med = q3 = nan
    d = var.decimals
    if median:
        text = f"{_num(med, d)} [{_num(q1, d)}, {_num(q3, d)}]"
    else:
        text = f"{_num(mean, d)} ({_num(sd, d)})"
    return _row(
        variable=var.name,
        label=var.label,
        level=None,
        group=group,
        n=n,
        missing=int(x.size - n),
        statistic=_MEDIAN_IQR if median else _MEAN_SD,
        mean=mean,
        sd=sd,
        median=med,
        q1=q1,
        q3=q3,
        text=text,
    )


def _category_row(
    var: TableOneVariable, group: str, level: str, codes: npt.NDArray[np.int64], i: int
) -> dict[str, Any]:
    known = codes >= 0
    n = int(known.sum())
    count = int((codes == i).sum())
    percent = 100 * count / n if n else math.nan
    return _row(
        variable=var.name,
        label=var.label,
        level=level,
        group=group,
        n=n,
        missing=int(codes.size - n),
        statistic=_N_PCT,
        count=count,
        percent=percent,
        text=f"{count} ({_num(percent, PERCENT_DECIMALS)})",
    )


# --------------------------------------------------------------------------------------
# tests
# --------------------------------------------------------------------------------------
def _not_tested(reason: str) -> tuple[float, str]:
    return math.nan, f"not tested: {reason}"


def _finite(p: Any, test: str) -> tuple[float, str]:
    value = float(p)
    if not math.isfinite(value):
        return _not_tested("the test is undefined for these values (no variation?)")
    return value, test


def _continuous_test(groups: Sequence[FloatArray], median: bool) -> tuple[float, str]:
    """p-value and test name over the groups' known values."""
    if len(groups) < 2:
        return _not_tested("fewer than 2 groups")
    if min(g.size for g in groups) == 0:
        return _not_tested("a group has no values")
    # scipy.stats takes about half a second to import: only tables with p-values pay it
    from scipy import stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if median and len(groups) == 2:
                x, y = groups
                ties = np.unique(np.concatenate([x, y])).size < x.size + y.size
                exact = x.size < 50 and y.size < 50 and not ties
                res = stats.mannwhitneyu(
                    x,
                    y,
                    alternative="two-sided",
                    use_continuity=True,
                    method="exact" if exact else "asymptotic",
                )
                return _finite(res.pvalue, "Mann-Whitney U")
            if median:
                return _finite(stats.kruskal(*groups).pvalue, "Kruskal-Wallis")
            if len(groups) == 2:
                if min(g.size for g in groups) < 2:
                    return _not_tested("a group has fewer than 2 values")
                welch = stats.ttest_ind(*groups, equal_var=False)
                return _finite(welch.pvalue, "Welch t-test")
            if sum(g.size for g in groups) <= len(groups):
                return _not_tested("too few values for an ANOVA")
            return _finite(stats.f_oneway(*groups).pvalue, "one-way ANOVA")
        except ValueError:  # e.g. Kruskal-Wallis with all values identical
            return _not_tested("the test is undefined for these values (no variation?)")


def _categorical_test(table: npt.NDArray[np.int64]) -> tuple[float, str]:
    """p-value and test name of a levels x groups table of counts."""
    if table.shape[1] < 2:
        return _not_tested("fewer than 2 groups")
    if (table.sum(axis=0) == 0).any():
        return _not_tested("a group has no values")
    table = table[table.sum(axis=1) > 0]
    if table.shape[0] < 2:
        return _not_tested("a single level occurs")
    from scipy import stats

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.chi2_contingency(table)
        expected = np.asarray(res.expected_freq)
        if expected.min() < 5:
            if table.shape == (2, 2):
                return _finite(stats.fisher_exact(table).pvalue, "Fisher exact")
            return _finite(res.pvalue, "chi-squared (expected count < 5)")
        name = "chi-squared (Yates)" if table.shape == (2, 2) else "chi-squared"
        return _finite(res.pvalue, name)
