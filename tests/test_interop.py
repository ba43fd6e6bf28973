"""Tables from polars, pyarrow and duckdb are read as pandas, converted once at the edge.

polars and pyarrow through their ``to_pandas()``; anything else offering the Arrow
PyCapsule stream (a duckdb relation) through ``pyarrow.table``. Each gives the same
cohort, scores and report as the pandas frames it came from.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import sscoutcomes as ssc


class FakePolarsFrame:
    """Stands for ``polars.DataFrame`` (not installed here): what the library relies on is
    its module and its ``to_pandas()``."""

    __module__ = "polars.dataframe.frame"

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame

    def to_pandas(self) -> pd.DataFrame:
        return self._frame.copy()


def _visits() -> pd.DataFrame:
    return ssc.load_demo().visits


@pytest.mark.parametrize("wrap", ["polars", "pyarrow"])
def test_scoring_validation_cohort_and_schedule_read_polars_and_pyarrow(wrap: str) -> None:
    visits = _visits()
    patients = ssc.load_demo().patients_frame
    table: Any
    if wrap == "pyarrow":
        pa = pytest.importorskip("pyarrow")
        table = pa.Table.from_pandas(visits, preserve_index=False)
        people = pa.Table.from_pandas(patients, preserve_index=False)
    else:
        table, people = FakePolarsFrame(visits), FakePolarsFrame(patients)
    expected = ssc.score_mrss(visits)["mrss"].tolist()
    assert ssc.score_mrss(table)["mrss"].tolist() == pytest.approx(expected, nan_ok=True)
    assert len(ssc.validate_visits(table)) == len(visits)
    cohort = ssc.Cohort.from_frames(visits=table, patients=people)
    assert len(cohort) == len(patients)
    sel = ssc.Schedule.years(0, 1).select(table, "mrss", patients=people)
    assert set(sel["timepoint"].astype(str)) == {"baseline", "1 year"}


def test_other_objects_with_to_pandas_are_still_refused() -> None:
    class Other:
        def to_pandas(self) -> pd.DataFrame:
            return _visits()

    with pytest.raises(ssc.SchemaError, match="must be a pandas DataFrame"):
        ssc.score_mrss(Other())


def test_patient_id_is_the_string_dtype_in_every_output() -> None:
    cohort = ssc.load_demo()
    schedule = ssc.Schedule.years(0, 1)
    scored = cohort.visits.assign(mrss=ssc.score_mrss(cohort.visits)["mrss"])
    outputs = [
        schedule.select(scored, "mrss", patients=cohort.patients_frame),
        ssc.change_from_baseline(cohort, "mrss", schedule),
        ssc.responder_rates(cohort, "mrss_improvement_5pt", schedule).per_patient,
        ssc.criss_from_visits(cohort, schedule),
        ssc.hrct_change_from_baseline(cohort, schedule),
        ssc.score_visits(cohort),
    ]
    for out in outputs:
        assert out["patient_id"].dtype == "string"


def _convert(kind: str, frame: pd.DataFrame) -> Any:
    if kind == "polars":
        pl = pytest.importorskip("polars")
        pytest.importorskip("pyarrow")  # polars converts to pandas through pyarrow
        return pl.from_pandas(frame)
    pa = pytest.importorskip("pyarrow")
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if kind == "pyarrow":
        return table
    duckdb = pytest.importorskip("duckdb")
    return duckdb.from_arrow(table)  # a relation: only __arrow_c_stream__, no to_pandas


@pytest.mark.parametrize("kind", ["polars", "pyarrow", "duckdb"])
def test_real_polars_pyarrow_and_duckdb_give_the_pandas_results(kind: str) -> None:
    demo = ssc.load_demo()
    visits, patients = demo.visits, demo.patients_frame
    table, people = _convert(kind, visits), _convert(kind, patients)
    assert not isinstance(table, pd.DataFrame)
    pd.testing.assert_frame_equal(ssc.score_mrss(table), ssc.score_mrss(visits))
    pd.testing.assert_frame_equal(ssc.score_haq(table), ssc.score_haq(visits))
    cohort = ssc.Cohort.from_frames(visits=table, patients=people)
    pd.testing.assert_frame_equal(cohort.visits, demo.visits)
    pd.testing.assert_frame_equal(cohort.patients_frame, demo.patients_frame)
    schedule = ssc.Schedule.years(0, 1, 3, 5)
    pd.testing.assert_frame_equal(
        schedule.select(table, "mrss", patients=people),
        schedule.select(visits, "mrss", patients=patients),
    )
    got = ssc.FollowUpReport(cohort, schedule).to_frame()
    want = ssc.FollowUpReport(demo, schedule).to_frame()
    # the "about" rows name the input's hash and time of the run; every result is the same
    results = lambda r: r[r["section"] != "about"].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(results(got), results(want))


def test_an_arrow_stream_without_pyarrow_says_what_to_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    class Stream:
        def __arrow_c_stream__(self, requested_schema: object = None) -> object:
            raise AssertionError("not reached")

    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(
        ssc.SchemaError, match=r"Stream \(an Arrow stream\).*install sscoutcomes\[parquet\]"
    ):
        ssc.score_mrss(Stream())
