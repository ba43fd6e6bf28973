"""Fuzz every public callable of :mod:`sscoutcomes` with garbage: nothing raw escapes.

Every function and class of ``sscoutcomes.__all__`` (classmethods included) and the cheap
methods of the objects they return are called with hypothesis-drawn arguments: for each
parameter either a plausible value (a small valid cohort, its frames, a schedule, a
responder name) or garbage: text (``"abc"``, ``"3"``, ``""``), None, NaN, +/-infinity,
negative and huge numbers, booleans, lists of mixed values, object arrays, empty
DataFrames and DataFrames with a duplicated column name, a duplicated index, text in a
numeric column, ``string``/``object`` dtypes, nullable ``Int64``/``Float64``/``boolean``
dtypes, wrong option types.

Accepted outcomes: a normal return, or an :class:`~sscoutcomes.errors.SSCOutcomesError`.
Signatures are bound before the call (only valid arities are generated), so any other
exception, ``TypeError`` included, is a failure reported with the callable and the input.
Every call also checks that the arguments are not mutated, and the per-row scorers
(``score_*``, ``skin_subset``) that a frame result keeps the input's row count and index.

The default budget is small (a few examples per callable, derandomized, so CI is stable).
Run a larger search with the ``SSC_FUZZ_EXAMPLES`` environment variable::

    SSC_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py

Left out, on purpose: the enumerations and the exception and warning classes (calling an
``Enum`` with an unknown value is Python's own ``ValueError``), the result records that
only the library builds (``Summary``, ``KaplanMeier``, ...: their methods are fuzzed
instead), and the file readers and writers (``read_csv``, ``read_excel``, ``read_parquet``,
``from_toml``, ``to_csv``, ``to_parquet``: their frames are read by ``from_frames``).
"""

from __future__ import annotations

import enum
import functools
import inspect
import math
import os
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sscoutcomes as ssc
from sscoutcomes.errors import SSCOutcomesError

EXAMPLES = int(os.environ.get("SSC_FUZZ_EXAMPLES", "0")) or None
#: Examples per callable in the default (quick) run.
DEFAULT_EXAMPLES = 3

NAN = math.nan
INF = math.inf

# --- plausible values ----------------------------------------------------------------------


@functools.cache
def _cohort() -> ssc.Cohort:
    return ssc.simulate_cohort(n_patients=3, years=1, seed=3)


def _visits() -> pd.DataFrame:
    return _cohort().visits.copy()


def _patients_frame() -> pd.DataFrame:
    return _cohort().patients_frame.copy()


def _baseline_only_cohort() -> ssc.Cohort:
    visits = _visits()
    return ssc.Cohort.from_frames(visits=visits[visits["day"] <= 0], patients=_patients_frame())


def _one_patient_cohort() -> ssc.Cohort:
    visits = _visits()
    first = visits["patient_id"].iloc[0]
    patients = _patients_frame()
    return ssc.Cohort.from_frames(
        visits=visits[visits["patient_id"] == first],
        patients=patients[patients["patient_id"] == first],
    )


def _empty_cohort() -> Any:
    try:
        return ssc.Cohort.from_frames(visits=_visits().iloc[:0], patients=_patients_frame())
    except SSCOutcomesError:
        return _visits().iloc[:0]


COHORTS: list[Callable[[], Any]] = [
    _cohort,
    _baseline_only_cohort,
    _one_patient_cohort,
    _empty_cohort,
]

SCHEDULES: list[Callable[[], Any]] = [
    lambda: ssc.Schedule.years(0, 1, window_days=90),
    lambda: ssc.Schedule.years(0),
    lambda: ssc.Schedule.months(0, 6, 12),
    lambda: ssc.Schedule.years(1, 2),
]

# --- garbage -------------------------------------------------------------------------------

SCALARS: list[Any] = [
    "abc",
    "3",
    "",
    "  ",
    "yes",
    "N",
    None,
    NAN,
    INF,
    -INF,
    -1,
    -2.5,
    0,
    1,
    0.5,
    3,
    60,
    1e300,
    -1e300,
    10**20,
    True,
    False,
    pd.NA,
    np.int64(2),
    np.float64(NAN),
    1 + 2j,
]

SEQUENCES: list[Callable[[], Any]] = [
    lambda: ["abc"] * 17,
    lambda: ["3"] * 17,
    lambda: [1, "abc", None, NAN],
    lambda: [None, None, None],
    list,
    lambda: [True, False, True],
    lambda: [1.0, 2.0, 3.0],
    lambda: [1, 0, 1],
    lambda: [0, -5, 10**6],
    lambda: ["a", "b", "a"],
    lambda: np.array(["a", 1, None], dtype=object),
    lambda: np.array([[1.0, 2.0], [3.0, NAN]]),
    lambda: np.full(17, 2.0),
    lambda: np.full((2, 17), 1.0),
    lambda: np.full(20, 1.0),
    lambda: np.array([INF, -INF, 1.0]),
    lambda: np.array([], dtype=float),
    lambda: pd.Series(["1", "x", None]),
    lambda: pd.Series([1, None, 3], dtype="Int64"),
    lambda: pd.Series([1.5, None, 2.0], dtype="Float64"),
    lambda: pd.Series([True, None, False], dtype="boolean"),
    lambda: pd.Series(["a", None, "b"], dtype="string"),
    lambda: pd.Series([1.0, 2.0, 3.0], index=[5, 5, 6]),
    lambda: {"a": 1},
    dict,
    lambda: dict.fromkeys(ssc.SKIN_SITES, "abc"),
    lambda: dict.fromkeys(ssc.SKIN_SITES, 1),
    lambda: (1, 2),
    lambda: {1, 2},
    lambda: object(),
]


def _corrupt(frame: pd.DataFrame, how: str, column: str) -> pd.DataFrame:
    """One corruption of a (copied) frame."""
    out = frame.copy()
    if column not in out.columns and len(out.columns):
        column = str(out.columns[0])
    if how == "dup_column" and column in out.columns:
        return pd.concat([out, out[[column]]], axis=1)
    if how == "dup_index":
        out.index = pd.Index([0] * len(out))
    elif how == "str_index":
        out.index = pd.Index([f"r{i}" for i in range(len(out))])
    elif how == "reverse":
        out = out.iloc[::-1]
    elif how == "empty":
        out = out.iloc[:0]
    elif how == "drop" and column in out.columns:
        out = out.drop(columns=column)
    elif how == "object":
        out = out.astype(object)
    elif how == "string":
        out = out.astype("string")
    elif how == "numpy":
        out = out.apply(
            lambda s: (
                s.astype("float64")
                if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)
                else s.astype(object)
            )
        )
    elif how == "nullable":
        out = out.convert_dtypes()
    elif how in ("text", "number_text", "inf", "negative", "huge", "maybe", "none", "blank"):
        value = {
            "text": "abc",
            "number_text": "3",
            "inf": INF,
            "negative": -1,
            "huge": 1e300,
            "maybe": "maybe",
            "none": None,
            "blank": " ",
        }[how]
        if column in out.columns and len(out):
            out[column] = out[column].astype(object)
            out.iloc[0, out.columns.get_loc(column)] = value
    return out


CORRUPTIONS = [
    "dup_column",
    "dup_index",
    "str_index",
    "reverse",
    "empty",
    "drop",
    "object",
    "string",
    "numpy",
    "nullable",
    "text",
    "number_text",
    "inf",
    "negative",
    "huge",
    "maybe",
    "none",
    "blank",
]


@st.composite
def _frames(draw: st.DrawFn, base: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    frame = base()
    for _ in range(draw(st.integers(0, 2))):
        column = draw(st.sampled_from([str(c) for c in frame.columns] or ["x"]))
        frame = _corrupt(frame, draw(st.sampled_from(CORRUPTIONS)), column)
    return frame


def _build(make: Callable[[], Any]) -> st.SearchStrategy[Any]:
    return st.builds(make)


def _fresh(values: list[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


visits_frames = _frames(_visits)
patients_frames = _frames(_patients_frame) | st.none()
cohorts = st.sampled_from(COHORTS).map(lambda make: make())
schedules = st.sampled_from(SCHEDULES).map(lambda make: make())
scalars = st.sampled_from(SCALARS)
sequences = st.sampled_from(SEQUENCES).map(lambda make: make())
garbage = st.one_of(
    scalars,
    sequences,
    st.builds(pd.DataFrame),
    visits_frames,
    st.builds(lambda: pd.DataFrame({"a": [1, 1], "b": ["x", "y"]})),
)


def _rows() -> st.SearchStrategy[Any]:
    """A visit as a record (dict or Series row of a possibly corrupted frame)."""
    return visits_frames.filter(lambda f: len(f) > 0).flatmap(
        lambda f: st.sampled_from([f.iloc[0], f.iloc[0].to_dict()])
    )


def _records() -> st.SearchStrategy[Any]:
    return _rows() | st.fixed_dictionaries({}, optional=dict.fromkeys(ssc.VISIT_COLUMNS, scalars))


def _patients_list() -> list[ssc.Patient]:
    return _cohort().patients()


def _visit() -> ssc.Visit:
    return _cohort().patients()[0].visits[0]


def _win_frame() -> pd.DataFrame:
    """One row per patient, two arms: what :func:`~sscoutcomes.win_ratio` compares."""
    return pd.DataFrame(
        {
            "arm": ["T", "T", "T", "C", "C", "C"],
            "days": [10.0, 4.0, 10.0, 6.0, 10.0, 3.0],
            "died": [0, 1, 0, 1, 0, 0],
            "fvc": [5.0, NAN, NAN, -2.0, 1.0, 0.0],
        }
    )


def _win_outcomes() -> list[ssc.Outcome]:
    return [
        ssc.Outcome.time_to_event("death", time="days", event="died"),
        ssc.Outcome.numeric("FVC", column="fvc", higher_is_better=True, threshold=1),
    ]


def _definition() -> ssc.ResponderDefinition:
    return ssc.RESPONDER_DEFINITIONS["mrss_improvement_5pt"]


#: Plausible values by parameter name (tried beside garbage).
PLAUSIBLE: dict[str, st.SearchStrategy[Any]] = {
    "visits": visits_frames | cohorts,
    "frame": visits_frames | st.sampled_from(["visits", "patients"]) | _frames(_win_frame),
    "baseline_frame": visits_frames,
    "follow_up_frame": visits_frames,
    "selection": schedules.flatmap(
        lambda s: st.just(s.select(_cohort(), "mrss")) if len(s.timepoints) else st.none()
    ),
    "cohort": cohorts,
    "patients": patients_frames | st.builds(_patients_list),
    "schedule": schedules,
    "first_year": schedules,
    "definition": st.sampled_from(list(ssc.RESPONDER_DEFINITIONS)) | st.builds(_definition),
    "timepoint": st.sampled_from(["baseline", "1 year", "6 months"]),
    "measures": st.sampled_from(["mrss", "haq_di", ["mrss", "fvc_pct_predicted"], "nope", []]),
    "measure": st.sampled_from(["mrss", "haq_di", "nope"]),
    "outputs": st.sampled_from([["mrss"], ["haq_di", "criss"], [], ["nope"]]),
    "record": _records(),
    "visit": _rows() | st.builds(_visit),
    "baseline": _rows() | sequences,
    "follow_up": _rows() | sequences,
    "failure_cases": st.builds(lambda: pd.DataFrame({"row": [0], "column": ["mrss_face"]})),
    "mapping": st.sampled_from([{}, {"columns": {"id": "patient_id"}}, {"columns": 3}]),
    "responders": st.sampled_from([(), ("criss",), ("nope",), "criss"]),
    "conf_type": st.sampled_from(["log", "log-log", "plain", "logit"]),
    "method": st.sampled_from(["wilson", "exact", "wald"]),
    "fvc_rule": st.sampled_from(["absolute_5", "relative_5", "percent", "other"]),
    "variant": st.sampled_from([*ssc.HAQ_VARIANTS, "other"]),
    "unadjusted_variant": st.sampled_from([*ssc.HAQ_VARIANTS, "other"]),
    "direction": st.sampled_from(["improvement", "worsening", "progression", "sideways"]),
    "quantile_method": st.sampled_from(["linear", "hazen", "weibull", "other"]),
    "items": sequences | st.builds(lambda: dict.fromkeys(ssc.HAQ_ITEMS, 1)),
    "sites": sequences,
    "timepoints": st.builds(lambda: ssc.Schedule.years(0, 1).timepoints) | sequences,
    "by": st.sampled_from(["subset", "sex", "ild", "patient_id", "index_date", "nope"]),
    "pvalues": st.booleans(),
    "nonnormal": st.sampled_from([["mrss"], "age_at_index", ["haq_di", "nope"], []]),
    "group": st.sampled_from([["a", "b", "a"], [1, None, 2], ["a", "b", "a", "b"]]),
    "rho": st.sampled_from([0, 1, 0.5, -1, 1e300]),
    "time": st.sampled_from(["years", "day", "nope"]),
    "confidence": st.sampled_from([0.95, 0.9, 1.0]),
    "ties": st.sampled_from(["efron", "breslow", "exact"]),
    "arm": st.sampled_from(["arm", "nope", "died"]),
    "treatment": st.sampled_from(["T", "C", "X", 1]),
    "outcomes": st.builds(_win_outcomes)
    | st.builds(lambda: _win_outcomes()[:1])
    | st.builds(lambda: ssc.grcs_outcomes(mrss="fvc"))
    | st.just([]),
    "kind": st.sampled_from(["time_to_event", "numeric", "other"]),
    "events": st.sampled_from(
        [("renal_crisis",), ("fvc_decline", "lvef_below"), tuple(ssc.EVENT_KINDS), ("nope",), ()]
    ),
    "preset": st.sampled_from([None, "eustar", "astis", "other"]),
    "fvc_decline_type": st.sampled_from(["relative", "absolute", "other"]),
    "higher_is_better": st.booleans(),
    "covariates": st.builds(
        lambda: pd.DataFrame({"x": [1.0, None, 3.0, 0.5], "arm": ["a", "b", "a", None]})
    )
    | st.builds(lambda: pd.DataFrame({"arm": pd.Categorical(["a", "b", "a"])})),
}


def _strategy_for(name: str) -> st.SearchStrategy[Any]:
    plausible = PLAUSIBLE.get(name)
    return garbage if plausible is None else plausible | garbage


# --- targets -------------------------------------------------------------------------------

SKIP_CLASSES = {
    "ACREULARClassification",
    "AnnualRate",
    "CRISSResult",
    "CoxPH",
    "CumulativeIncidence",
    "GrayTest",
    "DetectResult",
    "KaplanMeier",
    "LogRank",
    "MedsgerSeverity",
    "PairedChange",
    "ProportionCI",
    "ResponderRates",
    "RevisedCRISSResult",
    "Summary",
    "TableOne",
    "WinRatio",
}
SKIP_METHODS = {"read_csv", "read_excel", "read_parquet", "from_toml", "to_csv", "to_parquet"}


def _public_targets() -> dict[str, Callable[..., Any]]:
    targets: dict[str, Callable[..., Any]] = {}
    for name in ssc.__all__:
        obj = getattr(ssc, name)
        if inspect.isclass(obj):
            if issubclass(obj, (BaseException, Warning, enum.Enum)) or name in SKIP_CLASSES:
                continue
            targets[name] = obj
            for attr, raw in vars(obj).items():
                if (
                    isinstance(raw, classmethod)
                    and not attr.startswith("_")
                    and attr not in SKIP_METHODS
                ):
                    targets[f"{name}.{attr}"] = getattr(obj, attr)
        elif callable(obj):
            targets[name] = obj
    return targets


def _km() -> Any:
    return ssc.kaplan_meier([1.0, 2.0, 3.0, 4.0], [1, 0, 1, 1])


def _table_one() -> Any:
    return ssc.table_one(_cohort(), by="subset", pvalues=True)


def _cuminc() -> Any:
    return ssc.cumulative_incidence([1.0, 2.0, 3.0, 4.0], [1, 2, 0, 1], group=["a", "b", "a", "b"])


def _km_grouped() -> Any:
    return ssc.kaplan_meier([1.0, 2.0, 3.0, 4.0], [1, 0, 1, 1], group=["a", "b", "a", None])


def _method_targets() -> dict[str, Callable[..., Any]]:
    """Methods of objects the library hands out (built lazily, when called)."""

    def method(make: Callable[[], Any], attr: str) -> Callable[..., Any]:
        sample = getattr(make(), attr)

        @functools.wraps(sample)
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(make(), attr)(*args, **kwargs)

        call.__signature__ = inspect.signature(sample)  # type: ignore[attr-defined]
        return call

    def patient() -> ssc.Patient:
        return _cohort().patients()[0]

    return {
        "KaplanMeier.survival_at": method(_km, "survival_at"),
        "CumulativeIncidence.cif_at": method(_cuminc, "cif_at"),
        "KaplanMeier.survival_at (grouped)": method(_km_grouped, "survival_at"),
        "Schedule.select": method(SCHEDULES[0], "select"),
        "Schedule.__getitem__": method(SCHEDULES[0], "__getitem__"),
        "Cohort.patients": method(_cohort, "patients"),
        "Cohort.to_frames": method(_cohort, "to_frames"),
        "Patient.baseline": method(patient, "baseline"),
        "Patient.change_from_baseline": method(patient, "change_from_baseline"),
        "Visit.value": method(_visit, "value"),
        "ResponderDefinition.evaluate": method(_definition, "evaluate"),
        "ResponderDefinition.evaluate_many": method(_definition, "evaluate_many"),
        "ResponderDefinition.codes": method(_definition, "codes"),
        "TableOne.to_wide": method(_table_one, "to_wide"),
        "TableOne.to_markdown": method(_table_one, "to_markdown"),
        "TableOne.to_html": method(_table_one, "to_html"),
        "WinRatio.to_frame": method(
            lambda: ssc.win_ratio(_win_frame(), arm="arm", treatment="T", outcomes=_win_outcomes()),
            "to_frame",
        ),
        "ColumnMapping.apply": method(lambda: ssc.ColumnMapping.coerce({}), "apply"),
        "ColumnMapping.source_of": method(lambda: ssc.ColumnMapping.coerce({}), "source_of"),
        "LungImaging.goh_stage": method(lambda: ssc.LungImaging(extent_pct=30.0), "goh_stage"),
        "HAQ.change_from": method(lambda: ssc.HAQ.from_index(1.0), "change_from"),
        "GlobalAssessment.change_from": method(
            lambda: ssc.GlobalAssessment(patient=1.0), "change_from"
        ),
    }


TARGETS: dict[str, Callable[..., Any]] = {**_public_targets(), **_method_targets()}

#: Slow callables get fewer examples in the default run.
SLOW = {"FollowUpReport": 1, "simulate_cohort": 2, "load_demo": 1, "EchoFinding": 2}

PER_ROW = {name for name in TARGETS if name.startswith("score_")} | {"skin_subset"}


@st.composite
def _arguments(draw: st.DrawFn, signature: inspect.Signature) -> inspect.BoundArguments:
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in signature.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            continue
        if p.kind is p.VAR_POSITIONAL:
            args.extend(draw(st.lists(_strategy_for(p.name), max_size=3)))
            continue
        if p.default is not p.empty and not draw(st.booleans()):
            if p.kind is p.POSITIONAL_ONLY:
                break
            continue  # leave the optional argument out
        value = draw(_strategy_for(p.name))
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and not kwargs:
            args.append(value)
        else:
            kwargs[p.name] = value
    return signature.bind(*args, **kwargs)


# --- checks --------------------------------------------------------------------------------


def _snapshot(x: Any) -> Any:
    if isinstance(x, pd.DataFrame | pd.Series):
        return ("pandas", x.copy(deep=True))
    if isinstance(x, np.ndarray):
        return ("ndarray", x.copy())
    if isinstance(x, ssc.Cohort):
        return ("cohort", *map(_snapshot, x.to_frames()))
    if isinstance(x, dict):
        return ("dict", {k: _snapshot(v) for k, v in x.items()})
    if isinstance(x, list):
        return ("list", [_snapshot(v) for v in x])
    return ("other", x)


def _same(a: Any, b: Any) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "pandas":
        x, y = a[1], b[1]
        if type(x) is not type(y):
            return False
        try:
            if isinstance(x, pd.DataFrame):
                pd.testing.assert_frame_equal(x, y, check_exact=True)
            else:
                pd.testing.assert_series_equal(x, y, check_exact=True)
        except AssertionError:
            return False
        return True
    if a[0] == "ndarray":
        x, y = a[1], b[1]
        if x.shape != y.shape or x.dtype != y.dtype:
            return False
        if x.dtype.kind == "f":
            return bool(np.array_equal(x, y, equal_nan=True))
        return all(
            u is v or u == v or (u != u and v != v)
            for u, v in zip(x.ravel(), y.ravel(), strict=True)
        )
    if a[0] == "cohort":
        return _same(a[1], b[1]) and _same(a[2], b[2])
    if a[0] == "dict":
        return a[1].keys() == b[1].keys() and all(_same(a[1][k], b[1][k]) for k in a[1])
    if a[0] == "list":
        return len(a[1]) == len(b[1]) and all(_same(u, v) for u, v in zip(a[1], b[1], strict=True))
    return (
        a[1] is b[1] or bool(a[1] == b[1])
        if not isinstance(a[1], float)
        else (a[1] == b[1] or (a[1] != a[1] and b[1] != b[1]))
    )


def _describe(bound: inspect.BoundArguments) -> str:
    def show(v: Any) -> str:
        if isinstance(v, pd.DataFrame):
            dup = v.columns[v.columns.duplicated()].tolist()
            return (
                f"DataFrame(shape={v.shape}, dup_columns={dup}, "
                f"dup_index={v.index.has_duplicates}, dtypes={v.dtypes.value_counts().to_dict()})"
            )
        text = repr(v)
        return text if len(text) < 200 else text[:200] + "..."

    return ", ".join(f"{k}={show(v)}" for k, v in bound.arguments.items())


def check_call(name: str, target: Callable[..., Any], bound: inspect.BoundArguments) -> Any:
    """Call ``target`` with ``bound``; fail unless it returns or raises a library error,
    leaves its arguments unchanged and (per-row scorers) keeps the rows."""
    before = {k: _snapshot(v) for k, v in bound.arguments.items()}
    result = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = target(*bound.args, **bound.kwargs)
            if isinstance(result, ssc.FollowUpReport):
                result.to_frame()
                result.to_text()
        except SSCOutcomesError:
            pass
        except Exception as exc:
            raise AssertionError(
                f"{name}({_describe(bound)}) raised {type(exc).__name__}: {exc}"
            ) from exc
    for key, snap in before.items():
        assert _same(snap, _snapshot(bound.arguments[key])), (
            f"{name} mutated its argument {key!r}: {_describe(bound)}"
        )
    if name in PER_ROW and isinstance(result, pd.DataFrame | pd.Series):
        visits = bound.arguments.get("visits", bound.arguments.get("frame"))
        if isinstance(visits, ssc.Cohort):
            visits = visits.visits
        if isinstance(visits, pd.DataFrame):
            assert len(result) == len(visits), f"{name} changed the row count"
            assert result.index.equals(visits.index), f"{name} changed the index"
    return result


#: Escape points the fuzz test still finds (open: see the issue "Missing, partial or
#: malformed data never becomes a result"); they run and report, but do not fail the suite.
KNOWN_ESCAPES: set[str] = set()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason="known escape point, not fixed yet"))
        if n in KNOWN_ESCAPES
        else n
        for n in sorted(TARGETS)
    ],
)
def test_public_callable_raises_only_library_errors(name: str) -> None:
    target = TARGETS[name]
    signature = inspect.signature(target)
    examples = EXAMPLES or SLOW.get(name, DEFAULT_EXAMPLES)

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=EXAMPLES is None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data: st.DataObject) -> None:
        bound = data.draw(_arguments(signature), label="arguments")
        check_call(name, target, bound)

    run()


def test_every_public_callable_is_fuzzed() -> None:
    public = {n for n in ssc.__all__ if callable(getattr(ssc, n))}
    skipped = {
        n
        for n in public
        if n in SKIP_CLASSES
        or (
            inspect.isclass(getattr(ssc, n))
            and issubclass(getattr(ssc, n), (BaseException, Warning, enum.Enum))
        )
    }
    assert public - skipped <= set(TARGETS)
