"""Tables from polars and pyarrow are read as pandas (their ``to_pandas()``)."""

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
