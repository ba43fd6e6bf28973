"""Tests for the canonical column schema and lazy frame validation
(sscoutcomes.cohort.schema).

The column names are those of CONTRIBUTING.md ("Canonical columns"); the validation
contract (every failing cell in one error with ``failure_cases``) follows pandera's lazy
validation.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes.cohort.cohort import Cohort
from sscoutcomes.cohort.schema import (
    EVENT_COLUMNS,
    IDENTITY_COLUMNS,
    MEASURE_COLUMN_GROUPS,
    PATIENT_COLUMNS,
    VISIT_COLUMNS,
    column_spec,
    drop_invalid,
    schema_table,
    validate_patients,
    validate_visits,
)
from sscoutcomes.errors import (
    FAILURE_CASE_COLUMNS,
    OutOfRangeError,
    SchemaError,
    SSCOutcomesError,
    SSCOutcomesWarning,
)
from sscoutcomes.measures.skin import SKIN_COLUMNS

DOCS = Path(__file__).resolve().parents[2] / "docs"

#: CONTRIBUTING.md, "events, labs" row.
CONTRIBUTING_EVENTS = {
    "renal_crisis": "bool",
    "lv_failure_new": "bool",
    "pah_new_rhc": "bool",
    "fvc_decline_confirmed": "bool",
    "skin_worsening_patient": "bool",
    "tendon_friction_rubs": "bool",
    "crp_mg_l": "float",
    "creatinine_mg_dl": "float",
    "hematocrit_pct": "float",
    "weight_loss_pct": "float",
    "fingertip_palm_distance_cm": "float",
    "telangiectasia": "bool",
}
#: CONTRIBUTING.md, the patients frame.
CONTRIBUTING_PATIENTS = [
    "patient_id",
    "sex",
    "age_at_index",
    "index_date",
    "onset_date",
    "diagnosis_date",
    "death_day",
    "last_contact_day",
    "death_date",
    "last_contact_date",
    "disease_duration_onset_years",
    "disease_duration_diagnosis_years",
    "ild",
    "pah",
    "subset",
    "anticentromere",
    "anti_topoisomerase",
    "anti_rna_polymerase_iii",
]


def frame(**columns: object) -> pd.DataFrame:
    return pd.DataFrame(columns)


# --------------------------------------------------------------------------------------
# the schema as data
# --------------------------------------------------------------------------------------
def test_visit_columns_are_unique_and_collect_every_measure_group() -> None:
    names = [c.name for c in VISIT_COLUMNS]
    assert len(names) == len(set(names))
    assert names[:3] == ["patient_id", "day", "date"]
    for group in MEASURE_COLUMN_GROUPS:
        for spec in group.columns:
            assert spec in VISIT_COLUMNS
    assert {c.name for c in SKIN_COLUMNS} <= set(names)
    assert [c.name for c in IDENTITY_COLUMNS] == ["patient_id", "day", "date"]


def test_event_columns_match_contributing() -> None:
    assert {c.name: c.dtype for c in EVENT_COLUMNS} == CONTRIBUTING_EVENTS
    assert column_spec("hematocrit_pct").range_text == "0..100 %"
    assert column_spec("crp_mg_l").unit == "mg/L"


def test_patient_columns_exactly_as_contributing() -> None:
    assert sorted(c.name for c in PATIENT_COLUMNS) == sorted(CONTRIBUTING_PATIENTS)
    assert column_spec("sex", "patients").categories == ("female", "male")
    assert column_spec("subset", "patients").categories == ("limited", "diffuse", "sine")


def test_every_prefixed_measure_column_carries_its_group_prefix() -> None:
    for group in MEASURE_COLUMN_GROUPS:
        for prefix in group.prefixes:
            owned = [c.name for c in group.columns if c.name.startswith(prefix)]
            assert owned, (group.name, prefix)


def test_schema_table() -> None:
    table = schema_table()
    assert list(table.columns) == ["name", "dtype", "unit", "range", "description"]
    assert table["name"].tolist() == [c.name for c in VISIT_COLUMNS]
    by_name = table.set_index("name")
    assert by_name.loc["mrss", "range"] == "0..51"
    assert by_name.loc["day", "range"] == "whole numbers"
    assert by_name.loc["renal_crisis", "range"] == "true / false"
    assert by_name.loc["date", "dtype"] == "date"
    assert (table["description"].str.len() > 0).all()
    patients = schema_table("patients")
    assert patients["name"].tolist() == [c.name for c in PATIENT_COLUMNS]
    with pytest.raises(SchemaError, match="frame"):
        schema_table("visit")  # type: ignore[arg-type]


def test_column_spec_suggests_the_closest_name() -> None:
    with pytest.raises(SchemaError, match="did you mean 'mrss_face'"):
        column_spec("mrss_fase")
    with pytest.raises(SchemaError, match="patients column"):
        column_spec("mrss", "patients")


def _load_docs_script() -> object:
    spec = importlib.util.spec_from_file_location(
        "make_schema_table", DOCS / "make_schema_table.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_schema_table_is_current() -> None:
    """docs/guide/schema.rst holds the generated tables; regenerate with
    ``python docs/make_schema_table.py`` when this fails."""
    script = _load_docs_script()
    page = (DOCS / "guide" / "schema.rst").read_text(encoding="utf-8")
    assert script.update(page) == page  # type: ignore[attr-defined]
    for spec in VISIT_COLUMNS + PATIENT_COLUMNS:
        assert f"``{spec.name}``" in page


# --------------------------------------------------------------------------------------
# validate_visits: canonical output, pass-through, no mutation
# --------------------------------------------------------------------------------------
def test_valid_frame_gets_canonical_dtypes_and_keeps_everything_else() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": [1, 1, 2],
            "day": [0.0, 365.0, -3.0],
            "mrss": [18, 13, None],
            "renal_crisis": ["no", "Yes", None],
            "crp_mg_l": ["3.5", "", "12"],
            "date": ["2020-01-01", None, "2021-05-02"],
            "notes": ["a", None, "c"],
            "mrss total": [1, 2, 3],  # not canonical-prefixed: passed through
        },
        index=[10, 11, 12],
    )
    before = visits.copy(deep=True)
    with pytest.warns(SSCOutcomesWarning, match="'mrss total' \\(did you mean 'mrss'\\?\\)"):
        out = validate_visits(visits)
    pd.testing.assert_frame_equal(visits, before)
    assert list(out.columns) == list(visits.columns)
    assert list(out.index) == [10, 11, 12]
    assert out["patient_id"].tolist() == ["1", "1", "2"]
    assert str(out["patient_id"].dtype) == "string"
    assert str(out["day"].dtype) == "Int64"
    assert out["day"].tolist() == [0, 365, -3]
    assert out["mrss"].tolist()[:2] == [18, 13]
    assert out["mrss"].isna().tolist()[2]
    assert str(out["renal_crisis"].dtype) == "boolean"
    assert out["renal_crisis"].tolist()[:2] == [False, True]
    assert np.isnan(out["crp_mg_l"].to_numpy()[1])
    assert out["crp_mg_l"].tolist()[0] == 3.5
    assert str(out["date"].dtype) == "datetime64[ns]"
    assert out["notes"] is not visits["notes"]
    pd.testing.assert_series_equal(out["notes"], visits["notes"])
    pd.testing.assert_series_equal(out["mrss total"], visits["mrss total"])


def test_rows_are_never_reordered() -> None:
    visits = frame(patient_id=["a", "a", "a"], day=[365, 0, 180])
    assert validate_visits(visits)["day"].tolist() == [365, 0, 180]


def test_duplicate_visits_are_reported_with_every_row() -> None:
    visits = frame(patient_id=["a", "a", "b", "a"], day=[0, 30, 0, 30])
    with pytest.raises(SchemaError) as info:
        validate_visits(visits)
    cases = info.value.failure_cases
    assert cases is not None
    assert list(cases.columns) == list(FAILURE_CASE_COLUMNS)
    assert cases["row"].tolist() == [1, 3]
    assert set(cases["patient_id"]) == {"a"}
    assert cases["reason"].str.contains("duplicate").all()


def test_out_of_order_only_fails_when_order_is_required() -> None:
    visits = frame(patient_id=["a", "b", "a", "a", "b"], day=[10, 5, 400, 200, 1])
    validate_visits(visits)
    with pytest.raises(SchemaError) as info:
        validate_visits(visits, require_sorted=True)
    cases = info.value.failure_cases
    assert cases is not None
    assert cases["row"].tolist() == [3, 4]
    assert cases["reason"].str.contains("out of order").all()
    validate_visits(frame(patient_id=["a", "b", "a"], day=[0, -5, 3]), require_sorted=True)


def test_misspelled_canonical_prefixed_column_raises_unknown_is_kept() -> None:
    visits = frame(patient_id=["a"], day=[0], mrss_fingers_rigth=[1], mrss_fingers_left=[9])
    with pytest.raises(SchemaError) as info:
        validate_visits(visits)
    message = str(info.value)
    assert "mrss_fingers_rigth" in message
    assert "did you mean 'mrss_fingers_right'" in message
    assert "mrss_fingers_left = 9" in message  # reported in the same error
    out = validate_visits(frame(patient_id=["a"], day=[0], my_mrss_guess=["x"]))
    assert out["my_mrss_guess"].tolist() == ["x"]


@pytest.mark.parametrize(
    ("day", "reason"),
    [("x", "not a number of days"), (1.5, "not a whole number of days"), (True, "not a number")],
)
def test_days_must_be_whole_numbers(day: object, reason: str) -> None:
    visits = pd.DataFrame({"patient_id": ["a", "a"], "day": pd.Series([0, day], dtype=object)})
    with pytest.raises(SchemaError, match=reason) as info:
        validate_visits(visits)
    cases = info.value.failure_cases
    assert cases is not None
    assert cases["column"].tolist() == ["day"]


def test_missing_day_needs_a_date() -> None:
    with pytest.raises(SchemaError, match="no date"):
        validate_visits(frame(patient_id=["a"], day=[None]))
    out = validate_visits(frame(patient_id=["a"], day=[None], date=["2020-02-01"]))
    assert out["day"].isna().all()
    only_date = validate_visits(frame(patient_id=["a"], date=["2020-02-01"]))
    assert "day" not in only_date.columns


def test_structure_problems() -> None:
    with pytest.raises(SchemaError, match="no 'patient_id'"):
        validate_visits(frame(day=[0]))
    with pytest.raises(SchemaError, match="neither a 'day' nor a 'date'"):
        validate_visits(frame(patient_id=["a"]))
    with pytest.raises(SchemaError, match="repeated column"):
        validate_visits(pd.DataFrame([["a", 0, 1]], columns=["patient_id", "day", "day"]))
    with pytest.raises(SchemaError, match="DataFrame"):
        validate_visits({"patient_id": ["a"]})  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="is missing"):
        validate_visits(frame(patient_id=["a", None, ""], day=[0, 1, 2]))


def test_range_failures_alone_raise_out_of_range() -> None:
    visits = frame(patient_id=["a", "a"], day=[0, 1], hematocrit_pct=[45, 101], mrss=[52, 3])
    with pytest.raises(OutOfRangeError) as info:
        validate_visits(visits)
    assert not isinstance(info.value, SchemaError)
    cases = info.value.failure_cases
    assert cases is not None
    assert sorted(cases["column"]) == ["hematocrit_pct", "mrss"]


def test_dates_and_yes_no_values() -> None:
    visits = frame(
        patient_id=["a", "a", "a"],
        day=[0, 1, 2],
        date=["2020-01-01", "2020-13-01", "2020-01-03T10:30"],
        telangiectasia=["y", "maybe", "0"],
    )
    with pytest.raises(SchemaError) as info:
        validate_visits(visits)
    cases = info.value.failure_cases
    assert cases is not None
    reasons = dict(
        zip(zip(cases["row"], cases["column"], strict=True), cases["reason"], strict=True)
    )
    assert "not a date" in reasons[(1, "date")]
    assert "time of day" in reasons[(2, "date")]
    assert "yes/no" in reasons[(1, "telangiectasia")]
    assert len(cases) == 3


def test_forty_bad_cells_fail_once_listing_all() -> None:
    n = 10
    visits = frame(
        patient_id=[f"p{i}" for i in range(n)],
        day=[0] * n,
        mrss=[60] * n,
        mrss_face=[4] * n,
        hematocrit_pct=[-1] * n,
        renal_crisis=["perhaps"] * n,
    )
    with pytest.raises(SchemaError) as info:
        validate_visits(visits)
    cases = info.value.failure_cases
    assert cases is not None
    assert len(cases) == 40
    # ... and one frame-level problem that score_mrss refuses too: a partial set of sites
    assert str(info.value).startswith("41 problem(s) in the visits frame")
    assert "has 1 of the 17 mRSS site columns" in str(info.value)
    assert "and 20 more" in str(info.value)
    assert set(cases["column"]) == {"mrss", "mrss_face", "hematocrit_pct", "renal_crisis"}


def test_pandas_string_dtypes() -> None:
    dtypes = ["string", "object"]
    if pd.__version__ >= "3":
        dtypes.append("str")
    for dtype in dtypes:
        visits = pd.DataFrame(
            {"patient_id": ["a", "a"], "day": ["0", "365"], "mrss": ["20", ""], "x": ["u", "v"]},
            dtype=dtype,
        )
        out = validate_visits(visits)
        assert out["day"].tolist() == [0, 365]
        assert out["mrss"].tolist()[0] == 20
        assert out["mrss"].isna().tolist()[1]
        assert out["x"].dtype == visits["x"].dtype


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(-100, 100)),
        min_size=1,
        max_size=12,
    )
)
def test_duplicates_found_exactly(rows: list[tuple[str, int]]) -> None:
    visits = pd.DataFrame(rows, columns=["patient_id", "day"])
    counts = visits.value_counts()
    if (counts > 1).any():
        with pytest.raises(SchemaError) as info:
            validate_visits(visits)
        cases = info.value.failure_cases
        assert cases is not None
        assert len(cases) == int(counts[counts > 1].sum())
    else:
        out = validate_visits(visits)
        assert out["day"].tolist() == visits["day"].tolist()


# --------------------------------------------------------------------------------------
# validate_patients
# --------------------------------------------------------------------------------------
def test_validate_patients() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": ["P1", "P2"],
            "sex": [" Female", "male"],
            "subset": ["diffuse", None],
            "index_date": ["2010-03-04", None],
            "death_day": [None, 400.0],
            "anti_topoisomerase": [True, False],
            "centre": ["Leiden", "Bern"],
        }
    )
    before = patients.copy(deep=True)
    out = validate_patients(patients)
    pd.testing.assert_frame_equal(patients, before)
    assert out["sex"].tolist() == ["female", "male"]
    assert str(out["death_day"].dtype) == "Int64"
    assert str(out["anti_topoisomerase"].dtype) == "boolean"
    assert out["index_date"].iloc[0] == pd.Timestamp("2010-03-04")
    pd.testing.assert_series_equal(out["centre"], patients["centre"])


def test_validate_patients_collects_every_failure() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": ["P1", "P1", None],
            "sex": ["x", "male", "female"],
            "death_day": [-1, 2.5, 3],
            "anti_topoisomerse": [True, False, True],
        }
    )
    with pytest.raises(SchemaError) as info:
        validate_patients(patients)
    message = str(info.value)
    assert "did you mean 'anti_topoisomerase'" in message
    cases = info.value.failure_cases
    assert cases is not None
    found = set(zip(cases["row"], cases["column"], strict=True))
    assert found == {
        (0, "patient_id"),
        (1, "patient_id"),
        (2, "patient_id"),
        (0, "sex"),
        (0, "death_day"),
        (1, "death_day"),
    }
    with pytest.raises(SchemaError, match="no 'patient_id'"):
        validate_patients(pd.DataFrame({"sex": ["male"]}))


def test_an_infinite_day_or_death_day_is_refused_not_cast() -> None:
    # inf was accepted and cast to -9223372036854775808, and the visit then vanished
    visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, float("inf")], "mrss": [3, 4]})
    with pytest.raises(SchemaError, match="day = inf is not a whole number of days"):
        validate_visits(visits)
    patients = pd.DataFrame({"patient_id": ["a"], "death_day": [float("inf")]})
    with pytest.raises(OutOfRangeError, match="death_day = inf is not an integer"):
        validate_patients(patients)


# --------------------------------------------------------------------------------------
# drop_invalid
# --------------------------------------------------------------------------------------
def _failure_cases(check: Any, frame: pd.DataFrame) -> pd.DataFrame:
    with pytest.raises(SSCOutcomesError) as info:
        check(frame)
    cases = info.value.failure_cases
    assert cases is not None
    return cases


def test_drop_invalid_blanks_only_the_failing_cells_and_keeps_the_input() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "a", "b"],
            "day": [0, 365, 0],
            "mrss": [18, 60, 3],
            "haq_dress": [1.0, 2.0, 7.0],
            "site": ["x", "y", "z"],
        },
        index=[10, 11, 12],
    )
    before = visits.copy()
    cases = _failure_cases(validate_visits, visits)
    out = drop_invalid(visits, cases)
    pd.testing.assert_frame_equal(visits, before)  # not modified
    assert out.index.tolist() == [10, 11, 12]
    assert out["mrss"].isna().tolist() == [False, True, False]
    assert out["haq_dress"].isna().tolist() == [False, False, True]
    assert out["site"].tolist() == ["x", "y", "z"]
    assert out["mrss"].iloc[0] == 18
    validate_visits(out)


def test_drop_invalid_patients_frame() -> None:
    patients = pd.DataFrame({"patient_id": ["a", "b", "c"], "sex": ["X", "male", "Z"]})
    cases = _failure_cases(validate_patients, patients)
    out = drop_invalid(patients, cases, frame="patients")
    assert out["sex"].isna().tolist() == [True, False, True]
    assert patients["sex"].tolist() == ["X", "male", "Z"]


def test_drop_invalid_removes_visits_that_cannot_be_placed() -> None:
    # a duplicate visit: which of the two is right is unknown, so both go (and are listed)
    visits = pd.DataFrame({"patient_id": ["a", "a", "a"], "day": [0, 0, 365], "mrss": [1, 2, 3]})
    cases = _failure_cases(validate_visits, visits)
    assert set(cases["column"]) == {"day"}
    out = drop_invalid(visits, cases)
    assert out.index.tolist() == [2]
    assert len(visits) == 3


def test_drop_invalid_still_fails_what_blanking_cannot_fix() -> None:
    # blanking a cell the cases do not name leaves the failure in place
    visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 365], "mrss": [60, 70]})
    cases = _failure_cases(validate_visits, visits).iloc[:1]
    with pytest.raises(OutOfRangeError, match=r"is outside 0\.\.51"):
        drop_invalid(visits, cases)


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        (pd.DataFrame({"row": [0]}), "no 'column' column"),
        (pd.DataFrame({"row": [0], "column": ["nope"]}), "'nope' is not a column"),
        (pd.DataFrame({"row": [9], "column": ["mrss"]}), "row 9 is not a row"),
    ],
)
def test_drop_invalid_refuses_cases_that_do_not_fit(cases: pd.DataFrame, message: str) -> None:
    visits = pd.DataFrame({"patient_id": ["a"], "day": [0], "mrss": [60]})
    with pytest.raises(SchemaError, match=message):
        drop_invalid(visits, cases)


# --------------------------------------------------------------------------------------
# common codes, dates where a day is accepted, unknown columns
# --------------------------------------------------------------------------------------
def test_common_codes_are_read_without_a_mapping() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b", "c"],
            "sex": ["F", "m", "U"],
            "subset": ["lcSSc", "DCSSC", "dSSc"],
            "ild": ["Y", "n", "yes"],
            "anticentromere": ["pos", "Negative", "+"],
            "anti_topoisomerase": ["-", "positive", None],
        }
    )
    out = validate_patients(patients)
    assert out["sex"].tolist() == ["female", "male", pd.NA]
    assert out["subset"].tolist() == ["limited", "diffuse", "diffuse"]
    assert out["ild"].tolist() == [True, False, True]
    assert out["anticentromere"].tolist() == [True, False, True]
    assert out["anti_topoisomerase"].tolist() == [False, True, pd.NA]
    with pytest.raises(OutOfRangeError, match=r"sex = 'x' is not one of female, male \(or f, m"):
        validate_patients(pd.DataFrame({"patient_id": ["a"], "sex": ["x"]}))


def test_patient_dates_give_days_and_durations() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b"],
            "index_date": ["2020-01-01", "2020-01-01"],
            "onset_date": ["2018-01-01", None],
            "diagnosis_date": ["2019-01-01", "2019-07-01"],
            "death_date": [None, "2021-01-01"],
            "last_contact_date": ["2022-01-01", "2020-12-31"],
        }
    )
    out = validate_patients(patients)
    assert out["death_day"].tolist() == [pd.NA, 366]
    assert out["last_contact_day"].tolist() == [731, 365]
    assert out["disease_duration_onset_years"].iloc[0] == pytest.approx(730 / 365.25)
    assert np.isnan(out["disease_duration_onset_years"].iloc[1])
    assert out["disease_duration_diagnosis_years"].tolist() == pytest.approx(
        [365 / 365.25, 184 / 365.25]
    )


def test_a_day_and_a_date_that_disagree_are_an_error_naming_both() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": ["a"],
            "index_date": ["2020-01-01"],
            "death_day": [10],
            "death_date": ["2020-01-21"],
        }
    )
    with pytest.raises(
        SchemaError,
        match=r"death_date = '2020-01-21' gives death_day 20 "
        r"\(death_date - index_date\) but death_day = 10",
    ):
        validate_patients(patients)


def test_inconsistent_dates_are_errors() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b"],
            "index_date": ["2020-01-01", "2020-01-01"],
            "death_date": ["2020-06-01", "2019-06-01"],
            "last_contact_date": ["2020-07-01", None],
        }
    )
    with pytest.raises(SchemaError) as info:
        validate_patients(patients)
    message = str(info.value)
    assert "death_day = 152.0 is before the last_contact_day" in message
    assert "death_date = '2019-06-01' is before the index_date" in message
    ok = pd.DataFrame(
        {
            "patient_id": ["a"],
            "last_contact_day": [100],
            "death_date": ["2020-12-01"],
            "index_date": ["2020-01-01"],
        }
    )
    visits = pd.DataFrame({"patient_id": ["a", "a"], "date": ["2020-01-01", "2020-05-01"]})
    with pytest.raises(SchemaError, match="is after the patient's last_contact_day"):
        Cohort.from_frames(patients=ok, visits=visits)
    dead = pd.DataFrame({"patient_id": ["a"], "death_date": ["2020-03-01"]})
    with pytest.raises(SchemaError, match="date = '2020-05-01' is after the patient's death_date"):
        Cohort.from_frames(patients=dead, visits=visits.assign(day=[0, 5]))


def test_unknown_columns_close_to_a_canonical_name_warn() -> None:
    visits = pd.DataFrame(
        {"patient_id": ["a"], "day": [0], "crp_mg_dl": [1.0], "mRSS total": [3], "centre": ["x"]}
    )
    with pytest.warns(SSCOutcomesWarning) as caught:
        out = validate_visits(visits)
    message = str(caught[0].message)
    assert "'crp_mg_dl' (did you mean 'crp_mg_l'?)" in message
    assert "'mRSS total' (did you mean 'mrss'?)" in message
    assert "centre" not in message
    pd.testing.assert_series_equal(out["crp_mg_dl"], visits["crp_mg_dl"])


def test_validate_visits_accepts_score_visits_own_output() -> None:
    import warnings

    import sscoutcomes as ssc

    scored = ssc.score_visits(ssc.load_demo().visits)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "unknown column" warning for the outputs either
        out = validate_visits(scored)
    assert list(out.columns) == list(scored.columns)


def test_mrss_total_suggests_mrss() -> None:
    frame = pd.DataFrame({"patient_id": ["a"], "day": [0], "mrss_total": [3]})
    with pytest.raises(SchemaError, match=r"'mrss_total' \(did you mean 'mrss'\?\)"):
        validate_visits(frame)


def test_a_day_column_of_booleans_is_refused() -> None:
    frame = pd.DataFrame({"patient_id": ["a", "a"], "day": [True, False]})
    with pytest.raises(SchemaError, match=r"^2 problem\(s\) in the visits frame:") as err:
        validate_visits(frame)
    cases = err.value.failure_cases
    assert cases["column"].tolist() == ["day", "day"]
    assert set(cases["reason"]) == {"is not a number"}


def test_patient_ids_stored_as_whole_floats_read_as_text() -> None:
    visits = pd.DataFrame({"patient_id": [7.0, 7.0, 12.0, np.nan], "day": [0, 365, 0, 0]})
    assert validate_visits(visits.iloc[[0]].assign(patient_id=7.5))["patient_id"].tolist() == [
        "7.5"
    ]
    out = validate_visits(visits.iloc[:3])
    assert out["patient_id"].tolist() == ["7", "7", "12"]
    with pytest.raises(SchemaError, match="patient_id"):
        validate_visits(visits)


def test_validate_patients_without_patient_id_names_it() -> None:
    with pytest.raises(SchemaError, match="the patients frame has no 'patient_id' column"):
        validate_patients(pd.DataFrame({"sex": ["female"]}))


def test_blank_failing_cells_refuses_what_it_cannot_blank() -> None:
    from sscoutcomes.cohort.schema import blank_failing_cells

    cases = pd.DataFrame({"row": [0], "column": ["mrss"]})
    with pytest.raises(
        SchemaError, match=r"^the visits frame must be a pandas DataFrame; got list$"
    ):
        blank_failing_cells([1, 2], cases)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match=r"^failure_cases must be a pandas DataFrame; got list$"):
        blank_failing_cells(pd.DataFrame({"mrss": [3]}), [0])  # type: ignore[arg-type]
    twice = pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 1], "mrss": [3, 60]}, index=[0, 0])
    with pytest.raises(
        SchemaError,
        match=r"^the visits frame has repeated index labels, so a failure case's row is "
        r"ambiguous; reset the index first$",
    ):
        blank_failing_cells(twice, cases)
    blanked = blank_failing_cells(
        twice.reset_index(drop=True), pd.DataFrame({"row": [1], "column": ["mrss"]})
    )
    assert blanked["mrss"].isna().tolist() == [False, True]


def test_repeated_patients_columns_are_refused_before_reading_them() -> None:
    frame = pd.DataFrame([["a", "female", "male"]], columns=["patient_id", "sex", "sex"])
    with pytest.raises(
        SchemaError,
        match=r"^1 problem\(s\) in the patients frame:\n  repeated column names: 'sex'; "
        r"keep one of each",
    ):
        validate_patients(frame)


def test_drop_invalid_removes_a_patient_whose_id_failed() -> None:
    patients = pd.DataFrame({"patient_id": ["a", "a", "b"], "sex": ["female", "male", "X"]})
    with pytest.raises(SchemaError) as err:
        validate_patients(patients)
    cases = err.value.failure_cases
    out = drop_invalid(patients, cases, frame="patients")
    assert out["patient_id"].tolist() == ["b"]
    assert out["sex"].isna().tolist() == [True]
