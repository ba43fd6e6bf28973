"""Real data in through a declared mapping: a fictional registry export read back."""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscoutcomes import simulate_cohort
from sscoutcomes.cohort.cohort import Cohort
from sscoutcomes.cohort.mapping import ColumnMapping
from sscoutcomes.errors import OutOfRangeError, SchemaError, SSCOutcomesWarning

#: The registry's names of the columns the export holds.
VISIT_NAMES = {
    "patient_id": "Patient ID",
    "mrss": "mRSS",
    "fvc_pct_predicted": "FVC %pred",
    "dlco_pct_predicted": "DLCO %pred",
    "haq_di": "HAQ-DI",
    "digital_pitting_scars": "Pitting scars",
}
PATIENT_NAMES = {
    "patient_id": "Patient ID",
    "sex": "Sex",
    "age_at_index": "Age",
    "subset": "Subset",
    "ild": "ILD",
    "anti_topoisomerase": "Scl-70",
}

MAPPING: dict[str, Any] = {
    "columns": {
        **{v: k for k, v in VISIT_NAMES.items()},
        **{v: k for k, v in PATIENT_NAMES.items()},
        "Visit date": "date",
        "Death date": "death_date",
        "Last contact": "last_contact_date",
        "SCT date": "index_date",
    },
    "values": {"subset": {"LC": "limited", "DC": "diffuse"}},
    "date_format": "%d/%m/%Y",
    "cutoff": "2024-06-30",
}

TOML = """
date_format = "%d/%m/%Y"
cutoff = 2024-06-30

[columns]
"Patient ID" = "patient_id"
"mRSS" = "mrss"
"FVC %pred" = "fvc_pct_predicted"
"DLCO %pred" = "dlco_pct_predicted"
"HAQ-DI" = "haq_di"
"Pitting scars" = "digital_pitting_scars"
"Sex" = "sex"
"Age" = "age_at_index"
"Subset" = "subset"
"ILD" = "ild"
"Scl-70" = "anti_topoisomerase"
"Visit date" = "date"
"Death date" = "death_date"
"Last contact" = "last_contact_date"
"SCT date" = "index_date"

[values.subset]
"LC" = "limited"
"DC" = "diffuse"
"""


def _dates(days: pd.Series, index: pd.Series) -> list[str | None]:
    out: list[str | None] = []
    for d, i in zip(days.tolist(), index.tolist(), strict=True):
        if d is pd.NA or d is None or i is pd.NaT:
            out.append(None)
        else:
            out.append((i + pd.Timedelta(days=int(d))).strftime("%d/%m/%Y"))
    return out


def _yn(series: pd.Series) -> list[str | None]:
    return [None if v is pd.NA else ("Y" if v else "N") for v in series.tolist()]


@pytest.fixture(scope="module")
def canonical() -> Cohort:
    return simulate_cohort(12, years=3, seed=4)


def registry_export(cohort: Cohort) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cohort as a registry delivers it: its names, dd/mm/yyyy dates, F/M, LC/DC, Y/N."""
    patients, visits = cohort.to_frames()
    index = patients.set_index("patient_id")["index_date"]
    export_p = pd.DataFrame(
        {
            "Patient ID": patients["patient_id"],
            "Sex": patients["sex"].map({"female": "F", "male": "M"}),
            "Age": patients["age_at_index"],
            "SCT date": [d.strftime("%d/%m/%Y") for d in patients["index_date"]],
            "Subset": patients["subset"].map({"limited": "LC", "diffuse": "DC"}),
            "ILD": _yn(patients["ild"]),
            "Scl-70": [
                None if v is pd.NA else ("pos" if v else "neg")
                for v in patients["anti_topoisomerase"].tolist()
            ],
            "Death date": _dates(patients["death_day"], patients["index_date"]),
            "Last contact": _dates(patients["last_contact_day"], patients["index_date"]),
        }
    )
    visit_index = visits["patient_id"].map(index)
    export_v = pd.DataFrame(
        {
            "Patient ID": visits["patient_id"],
            "Visit date": _dates(visits["day"], visit_index),
            "mRSS": _mrss(visits),
            "FVC %pred": visits["fvc_pct_predicted"],
            "DLCO %pred": visits["dlco_pct_predicted"],
            "Pitting scars": _yn(visits["digital_pitting_scars"]),
        }
    )
    return export_p, export_v


def _mrss(visits: pd.DataFrame) -> pd.Series:
    from sscoutcomes import score_mrss

    return score_mrss(visits)["mrss"].astype("Int64")


def expected_frames(cohort: Cohort) -> tuple[pd.DataFrame, pd.DataFrame]:
    patients, visits = cohort.to_frames()
    p = patients[
        [
            "patient_id",
            "sex",
            "age_at_index",
            "index_date",
            "subset",
            "ild",
            "anti_topoisomerase",
            "death_day",
            "last_contact_day",
        ]
    ]
    v = visits[
        ["patient_id", "day", "fvc_pct_predicted", "dlco_pct_predicted", "digital_pitting_scars"]
    ].assign(mrss=_mrss(visits))
    return p, v


def check_same(read: Cohort, cohort: Cohort) -> None:
    p, v = expected_frames(cohort)
    pd.testing.assert_frame_equal(read.patients_frame[list(p.columns)], p)
    pd.testing.assert_frame_equal(read.visits[list(v.columns)], v)


def test_registry_export_through_a_dict_and_a_toml_file(canonical: Cohort, tmp_path: Path) -> None:
    export_p, export_v = registry_export(canonical)
    before = export_v.copy(deep=True)
    read = Cohort.from_frames(visits=export_v, patients=export_p, mapping=MAPPING)
    pd.testing.assert_frame_equal(export_v, before)  # nothing the user passes is mutated
    check_same(read, canonical)
    assert str(read.cutoff) == "2024-06-30"
    toml = tmp_path / "registry.toml"
    toml.write_text(TOML, encoding="utf-8")
    assert ColumnMapping.from_toml(toml) == ColumnMapping.from_dict(MAPPING)
    export_v.to_csv(tmp_path / "visits.csv", index=False, sep=";")
    export_p.to_csv(tmp_path / "patients.csv", index=False)
    from_csv = Cohort.read_csv(
        tmp_path / "visits.csv",
        tmp_path / "patients.csv",
        mapping=toml,
        visits_options={"sep": ";"},
    )
    check_same(from_csv, canonical)
    pd.testing.assert_frame_equal(from_csv.visits, read.visits)
    pd.testing.assert_frame_equal(from_csv.patients_frame, read.patients_frame)


def test_xlsx_round_trip(canonical: Cohort, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    export_p, export_v = registry_export(canonical)
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path) as book:
        export_v.to_excel(book, sheet_name="Visits", index=False)
        export_p.to_excel(book, sheet_name="Patients", index=False)
    read = Cohort.read_excel(
        path, mapping=MAPPING, visits_sheet="Visits", patients_sheet="Patients"
    )
    check_same(read, canonical)


def test_read_excel_without_openpyxl_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "openpyxl" else real(name)
    )
    with pytest.raises(SchemaError, match=r'pip install "sscoutcomes\[excel\]"'):
        Cohort.read_excel("x.xlsx")


def test_parquet_with_a_mapping(canonical: Cohort, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    export_p, export_v = registry_export(canonical)
    export_v.to_parquet(tmp_path / "v.parquet")
    export_p.to_parquet(tmp_path / "p.parquet")
    read = Cohort.read_parquet(tmp_path / "v.parquet", tmp_path / "p.parquet", mapping=MAPPING)
    check_same(read, canonical)


def test_ids_stay_text_under_their_source_name(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text("Patient ID,Visit date\n007,03/04/2021\n")
    read = Cohort.read_csv(
        tmp_path / "v.csv",
        mapping={
            "columns": {"Patient ID": "patient_id", "Visit date": "date"},
            "index": "first_visit",
            "date_format": "%d/%m/%Y",
        },
    )
    assert read.patients_frame["patient_id"].tolist() == ["007"]
    assert read.patients_frame["index_date"].tolist() == [pd.Timestamp("2021-04-03")]


def test_per_file_options(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text("patient_id;day\na;0\n")
    (tmp_path / "p.csv").write_text("patient_id,sex\na,F\n")
    read = Cohort.read_csv(tmp_path / "v.csv", tmp_path / "p.csv", visits_options={"sep": ";"})
    assert read.patients_frame["sex"].tolist() == ["female"]


def test_index_first_visit_and_disease_duration() -> None:
    visits = pd.DataFrame(
        {"ID": ["a", "a", "b"], "When": ["05/01/2020", "01/01/2020", "01/06/2021"]}
    )
    patients = pd.DataFrame({"ID": ["a", "b"], "Onset": ["01/01/2019", None]})
    read = Cohort.from_frames(
        visits=visits,
        patients=patients,
        mapping={
            "columns": {"ID": "patient_id", "When": "date", "Onset": "onset_date"},
            "index": "first_visit",
            "date_format": "%d/%m/%Y",
        },
    )
    assert read.visits["day"].tolist() == [4, 0, 0]
    durations = read.patients_frame["disease_duration_onset_years"]
    assert durations.iloc[0] == pytest.approx(365 / 365.25)
    assert np.isnan(durations.iloc[1])


def test_index_names_a_patients_column() -> None:
    visits = pd.DataFrame({"ID": ["a"], "day": [3]})
    patients = pd.DataFrame({"ID": ["a"], "Transplant": ["2020-01-01"]})
    read = Cohort.from_frames(
        visits=visits,
        patients=patients,
        mapping={"columns": {"ID": "patient_id"}, "index": "Transplant"},
    )
    assert read.patients_frame["index_date"].tolist() == [pd.Timestamp("2020-01-01")]
    with pytest.raises(SchemaError, match="index = 'Transplnt' is not a column of the patients"):
        Cohort.from_frames(
            visits=visits,
            patients=patients,
            mapping={"columns": {"ID": "patient_id"}, "index": "Transplnt"},
        )


# --------------------------------------------------------------------------------------
# the mapping validates itself
# --------------------------------------------------------------------------------------
def test_unknown_key() -> None:
    with pytest.raises(
        SchemaError,
        match=r"'colums' \(did you mean 'columns'\?\); allowed: "
        r"columns, values, date_format, index, cutoff, origin, date_origin",
    ):
        ColumnMapping.from_dict({"colums": {}})


def test_target_that_is_not_canonical_suggests_the_closest() -> None:
    with pytest.raises(
        SchemaError,
        match=r"'FVC' -> 'fvc_pct_pred' is not a canonical column "
        r"\(did you mean 'fvc_pct_predicted'\?\)",
    ):
        ColumnMapping.from_dict({"columns": {"FVC": "fvc_pct_pred"}})


def test_two_sources_to_one_target() -> None:
    with pytest.raises(SchemaError, match="'mRSS' and 'MRSS total' both map to 'mrss'"):
        ColumnMapping.from_dict({"columns": {"mRSS": "mrss", "MRSS total": "mrss"}})


@pytest.mark.parametrize(
    ("fmt", "message"),
    [
        ("%d/%m", "does not give a whole date"),
        ("", "must be a strftime format"),
        ("%Q/%m/%Y", "not a valid strftime format|does not give a whole date"),
    ],
)
def test_bad_date_format(fmt: str, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        ColumnMapping.from_dict({"date_format": fmt})


def test_bad_values_and_cutoff() -> None:
    with pytest.raises(SchemaError) as info:
        ColumnMapping.from_dict(
            {"values": {"sexe": {"1": "female"}, "subset": {"X": "mixed"}}, "cutoff": "soon"}
        )
    message = str(info.value)
    assert "cutoff = 'soon' is not a date" in message


def test_bad_values() -> None:
    with pytest.raises(SchemaError) as info:
        ColumnMapping.from_dict({"values": {"sexe": {"1": "female"}, "subset": {"X": "mixed"}}})
    message = str(info.value)
    assert "values: 'sexe' is not a canonical column (did you mean 'sex'?)" in message
    assert "values.subset: 'X' -> 'mixed' is not one of limited, diffuse, sine" in message


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[columns\n")
    with pytest.raises(SchemaError, match=r"cannot read the column mapping 'bad\.toml' as TOML"):
        ColumnMapping.from_toml(path)
    path.write_text('[columns]\n"ID" = "patient_idd"\n')
    with pytest.raises(SchemaError, match=r"in the column mapping 'bad.toml'"):
        ColumnMapping.from_toml(path)


def test_a_source_and_its_target_in_one_frame() -> None:
    visits = pd.DataFrame({"ID": ["a"], "patient_id": ["a"], "day": [0]})
    with pytest.raises(SchemaError, match="both a source column and its canonical column"):
        Cohort.from_frames(visits=visits, mapping={"columns": {"ID": "patient_id"}})


# --------------------------------------------------------------------------------------
# errors name the source
# --------------------------------------------------------------------------------------
def test_errors_name_the_source_column_and_the_date_as_written() -> None:
    patients = pd.DataFrame({"Patient ID": ["P1"], "SCT date": ["01/01/2020"]})
    visits = pd.DataFrame(
        {
            "Patient ID": ["P1", "P1"],
            "Visit date": ["01/01/2020", "01/01/2021"],
            "FVC %pred": [80.0, -5.0],
        }
    )
    with pytest.raises(OutOfRangeError) as info:
        Cohort.from_frames(visits=visits, patients=patients, mapping=MAPPING)
    message = str(info.value)
    assert "(patient 'P1', Visit date '01/01/2021'): FVC %pred = -5.0 is outside" in message
    cases = info.value.failure_cases
    assert cases is not None
    assert cases["source_column"].tolist() == ["FVC %pred"]
    assert cases["column"].tolist() == ["fvc_pct_predicted"]
    assert cases["date"].tolist() == ["01/01/2021"]


def test_a_date_in_the_wrong_format_names_the_format_and_the_source() -> None:
    patients = pd.DataFrame({"Patient ID": ["P1"], "SCT date": ["2020-01-01"]})
    visits = pd.DataFrame({"Patient ID": ["P1"], "day": [0]})
    with pytest.raises(
        SchemaError,
        match=r"SCT date = '2020-01-01' is not a date \(expected "
        r"the format '%d/%m/%Y'",
    ):
        Cohort.from_frames(visits=visits, patients=patients, mapping=MAPPING)


def test_a_death_date_that_disagrees_with_the_death_day_names_both() -> None:
    patients = pd.DataFrame(
        {
            "Patient ID": ["P1"],
            "SCT date": ["01/01/2020"],
            "Death date": ["11/01/2020"],
            "death_day": [5],
        }
    )
    visits = pd.DataFrame({"Patient ID": ["P1"], "day": [0]})
    with pytest.raises(
        SchemaError,
        match=r"Death date = '11/01/2020' gives death_day 10 "
        r"\(death_date - index_date\) but death_day = 5",
    ):
        Cohort.from_frames(visits=visits, patients=patients, mapping=MAPPING)


def test_a_visit_after_death_names_the_visit_date() -> None:
    patients = pd.DataFrame(
        {"Patient ID": ["P1"], "SCT date": ["01/01/2020"], "Death date": ["11/01/2020"]}
    )
    visits = pd.DataFrame({"Patient ID": ["P1"], "Visit date": ["12/01/2020"]})
    with pytest.raises(SchemaError) as info:
        Cohort.from_frames(visits=visits, patients=patients, mapping=MAPPING)
    assert (
        "(patient 'P1', Visit date '12/01/2020'): Visit date = '12/01/2020' is after the "
        "patient's death_date" in str(info.value)
    )


def _injected() -> tuple[Cohort, pd.DataFrame, pd.DataFrame]:
    cohort = simulate_cohort(12, years=3, seed=4)
    export_p, export_v = registry_export(cohort)
    export_v, export_p = export_v.astype(object), export_p.astype(object)
    export_v.loc[0, "mRSS"] = 60  # an mRSS of 60
    export_v.loc[1, "FVC %pred"] = 0.82  # FVC as a fraction
    export_v.loc[2, "Visit date"] = "31/02/2015"  # no such date
    export_p.loc[3, "Death date"] = "01/06/2018"  # two visits after death
    export_p.loc[3, "Last contact"] = "01/06/2018"
    export_p.loc[2, "Sex"] = "X"
    return cohort, export_v, export_p


def test_drop_invalid_through_a_mapping_blanks_cells_and_removes_unplaced_visits() -> None:
    cohort, export_v, export_p = _injected()
    before_v, before_p = export_v.copy(), export_p.copy()
    with pytest.raises(ValueError, match="Sex = 'X'"):
        Cohort.from_frames(visits=export_v, patients=export_p, mapping=MAPPING)
    with pytest.warns(SSCOutcomesWarning, match="blanked 3 invalid cell.* removed 3 visit"):
        read = Cohort.from_frames(
            visits=export_v, patients=export_p, mapping=MAPPING, drop_invalid=True
        )
    pd.testing.assert_frame_equal(export_v, before_v)  # the input is not modified
    pd.testing.assert_frame_equal(export_p, before_p)
    visits = read.visits
    assert len(visits) == len(cohort.visits) - 3
    assert visits.index.tolist() == [i for i in range(len(cohort.visits)) if i not in (2, 27, 28)]
    assert pd.isna(visits.loc[0, "mrss"])
    assert pd.isna(visits.loc[1, "fvc_pct_predicted"])
    assert pd.isna(read.patients_frame.loc[2, "sex"])
    dropped = read.dropped
    assert dropped.groupby(["frame", "action"]).size().to_dict() == {
        ("patients", "blanked the cell"): 1,
        ("visits", "blanked the cell"): 2,
        ("visits", "removed the visit"): 6,  # 31/02 (date and day), 2 visits x 2 rules
    }
    assert set(dropped["source_column"]) == {"Sex", "mRSS", "FVC %pred", "Visit date", "day"}


def test_drop_invalid_without_failures_drops_nothing_and_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read = Cohort.from_frames(visits=pd.DataFrame({"patient_id": ["a"], "day": [0]}),
                                  drop_invalid=True)  # fmt: skip
    assert read.dropped.empty
    assert simulate_cohort(3, seed=1).dropped.empty


def test_drop_invalid_still_raises_what_blanking_cannot_fix() -> None:
    no_id = pd.DataFrame({"id": ["a"], "day": [0], "mrss": [60]})
    with pytest.raises(SchemaError, match="patient_id"):
        Cohort.from_frames(visits=no_id, drop_invalid=True)
    with pytest.raises(SchemaError, match="drop_invalid = 'yes' must be True or False"):
        Cohort.from_frames(visits=no_id, drop_invalid="yes")  # type: ignore[arg-type]


def test_read_csv_with_drop_invalid(tmp_path: Path) -> None:
    _, export_v, export_p = _injected()
    export_v.to_csv(tmp_path / "v.csv", index=False)
    export_p.to_csv(tmp_path / "p.csv", index=False)
    with pytest.warns(SSCOutcomesWarning):
        read = Cohort.read_csv(tmp_path / "v.csv", tmp_path / "p.csv", mapping=MAPPING,
                               drop_invalid=True)  # fmt: skip
    assert len(read.dropped) == 9


# --------------------------------------------------------------------------------------
# property: canonical -> random names and codes -> read back with the mapping
# --------------------------------------------------------------------------------------
NAME = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz%-", min_size=1, max_size=12)
CODE = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=4)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(NAME, min_size=6, max_size=6, unique_by=lambda s: s.strip().lower()),
    codes=st.lists(CODE, min_size=4, max_size=4, unique=True),
    fmt=st.sampled_from(["%d/%m/%Y", "%Y%m%d", "%m-%d-%Y", "%d.%m.%Y"]),
)
def test_any_mapping_reads_back_the_same_cohort(
    canonical: Cohort, names: list[str], codes: list[str], fmt: str
) -> None:
    patients, visits = canonical.to_frames()
    patients = patients[["patient_id", "sex", "index_date", "subset"]]
    visits = visits[["patient_id", "day", "fvc_pct_predicted"]]
    targets = ["patient_id", "sex", "index_date", "subset", "day", "fvc_pct_predicted"]
    rename = dict(zip(targets, names, strict=True))
    sex_codes = {"female": codes[0], "male": codes[1]}
    subset_codes = {"limited": codes[2], "diffuse": codes[3]}
    export_p = pd.DataFrame(
        {
            rename["patient_id"]: patients["patient_id"],
            rename["sex"]: patients["sex"].map(sex_codes),
            rename["index_date"]: [d.strftime(fmt) for d in patients["index_date"]],
            rename["subset"]: patients["subset"].map(subset_codes),
        }
    )
    export_v = pd.DataFrame(
        {
            rename["patient_id"]: visits["patient_id"],
            rename["day"]: visits["day"],
            rename["fvc_pct_predicted"]: visits["fvc_pct_predicted"],
        }
    )
    mapping = {
        "columns": {v: k for k, v in rename.items()},
        "values": {
            "sex": {v: k for k, v in sex_codes.items()},
            "subset": {v: k for k, v in subset_codes.items()},
        },
        "date_format": fmt,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read = Cohort.from_frames(visits=export_v, patients=export_p, mapping=mapping)
    pd.testing.assert_frame_equal(read.patients_frame[list(patients.columns)], patients)
    pd.testing.assert_frame_equal(read.visits, visits)


def test_a_source_named_like_another_canonical_column_that_is_renamed_away() -> None:
    # found by the property test: the export calls its patient id "day" and its day "AA"
    visits = pd.DataFrame({"day": ["P1", "P1"], "AA": [0, 365], "mRSS": [20, 14]})
    mapping = {"columns": {"day": "patient_id", "AA": "day", "mRSS": "mrss"}}
    read = Cohort.from_frames(visits=visits, mapping=mapping)
    assert read.visits["patient_id"].tolist() == ["P1", "P1"]
    assert read.visits["day"].tolist() == [0, 365]


SERIAL = {
    "columns": {
        "Patient ID": "patient_id",
        "SCT date": "index_date",
        "Visit date": "date",
        "Death date": "death_date",
        "mRSS": "mrss",
    },
    "date_origin": "1899-12-30",
}


def test_spreadsheet_serial_numbers_are_dates_with_a_date_origin() -> None:
    # 43831 is 2020-01-01 in a spreadsheet's day numbers; a blank death date stays unknown
    patients = pd.DataFrame(
        {"Patient ID": ["P1", "P2"], "SCT date": [43831, 43832], "Death date": [np.nan, 44000.0]}
    )
    visits = pd.DataFrame(
        {
            "Patient ID": ["P1", "P1", "P2"],
            "Visit date": [43831.0, 44197.0, 43900.0],
            "mRSS": [10, 12, 5],
        }
    )
    p, v = Cohort.from_frames(visits=visits, patients=patients, mapping=SERIAL).to_frames()
    assert p["index_date"].tolist() == [pd.Timestamp("2020-01-01"), pd.Timestamp("2020-01-02")]
    assert p["death_day"].tolist() == [pd.NA, 168]
    assert v["day"].tolist() == [0, 366, 68]


def test_serial_numbers_in_a_column_that_also_holds_text_and_dates() -> None:
    # a spreadsheet column read cell by cell: a day number, a date cell, an ISO text
    patients = pd.DataFrame(
        {
            "Patient ID": ["P1", "P2", "P3"],
            "SCT date": pd.Series([43831, pd.Timestamp("2020-01-02"), "2020-01-03"], dtype=object),
        }
    )
    visits = pd.DataFrame({"Patient ID": ["P1", "P2", "P3"], "day": [0, 0, 0]})
    p, _ = Cohort.from_frames(visits=visits, patients=patients, mapping=SERIAL).to_frames()
    assert p["index_date"].dt.day.tolist() == [1, 2, 3]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (43831.5, r"SCT date = 43831.5 has a time of day; give a calendar date"),
        (
            np.inf,
            r"SCT date = inf is not a date \(expected a finite number of days since the "
            r"date_origin 1899-12-30\)",
        ),
        (1e12, r"SCT date = 1000000000000.0 is not a date \(expected a finite number of days"),
    ],
)
def test_a_serial_number_that_is_not_a_calendar_date(value: float, message: str) -> None:
    patients = pd.DataFrame({"Patient ID": ["P1"], "SCT date": [value]})
    visits = pd.DataFrame({"Patient ID": ["P1"], "day": [0]})
    with pytest.raises(SchemaError, match=message):
        Cohort.from_frames(visits=visits, patients=patients, mapping=SERIAL)


def test_numbers_without_a_date_origin_say_how_to_read_them() -> None:
    patients = pd.DataFrame({"Patient ID": ["P1"], "SCT date": [43831]})
    visits = pd.DataFrame({"Patient ID": ["P1"], "day": [0]})
    mapping = {k: v for k, v in SERIAL.items() if k != "date_origin"}
    with pytest.raises(
        SchemaError,
        match=r"SCT date = 43831 is not a date \(numbers are dates only with a date_origin, "
        r"1899-12-30 for spreadsheets\)",
    ):
        Cohort.from_frames(visits=visits, patients=patients, mapping=mapping)


def test_text_that_is_not_a_date_with_a_date_origin_names_both_forms() -> None:
    patients = pd.DataFrame({"Patient ID": ["P1"], "SCT date": ["soon"]})
    visits = pd.DataFrame({"Patient ID": ["P1"], "day": [0]})
    with pytest.raises(
        SchemaError,
        match=r"SCT date = 'soon' is not a date \(use ISO 8601, e.g. 2021-03-04, or a finite "
        r"number of days since the date_origin 1899-12-30\)",
    ):
        Cohort.from_frames(visits=visits, patients=patients, mapping=SERIAL)


def test_blank_serials_never_reach_pandas_as_nan(monkeypatch: pytest.MonkeyPatch) -> None:
    # pandas 2.2 converts a float array holding NaN with a unit through uninitialised memory
    # (a spurious "overflow encountered in multiply"); only known numbers are passed to it
    real = pd.to_datetime
    seen: list[np.ndarray] = []

    def checked(arg: Any, *args: Any, **kwargs: Any) -> Any:
        if "unit" in kwargs:
            seen.append(np.asarray(arg, dtype=float))
        return real(arg, *args, **kwargs)

    monkeypatch.setattr(pd, "to_datetime", checked)
    patients = pd.DataFrame(
        {
            "Patient ID": ["P1", "P2"],
            "SCT date": [43831.0, 43832.0],
            "Death date": [np.nan, 44000.0],
        }
    )
    visits = pd.DataFrame({"Patient ID": ["P1", "P2"], "day": [0, 0]})
    Cohort.from_frames(visits=visits, patients=patients, mapping=SERIAL)
    assert seen
    assert all(np.isfinite(a).all() for a in seen)


# --------------------------------------------------------------------------------------
# branches the coverage run found unreached
# --------------------------------------------------------------------------------------
def test_a_cutoff_given_as_a_datetime_is_kept_as_its_date() -> None:
    mapping = ColumnMapping(cutoff=dt.datetime(2024, 6, 30, 0, 0))
    assert mapping.cutoff == dt.date(2024, 6, 30)
    assert type(mapping.cutoff) is dt.date


def test_a_cutoff_that_is_neither_text_nor_a_date_names_the_value() -> None:
    with pytest.raises(
        SchemaError,
        match=r"^mapping cutoff = 20240630 is not a date \(use ISO 8601, e\.g\. 2024-06-30\)$",
    ):
        ColumnMapping.from_dict({"cutoff": 20240630})


def test_a_date_origin_that_is_not_a_date_names_the_key() -> None:
    with pytest.raises(SchemaError, match=r"^mapping date_origin = 1\.5 is not a date"):
        ColumnMapping.from_dict({"date_origin": 1.5})


def test_codes_match_missing_boolean_and_whole_float_cells() -> None:
    mapping = ColumnMapping.from_dict(
        {"values": {"ild": {"True": "false", "1": "true"}, "subset": {"2": "diffuse"}}}
    )
    patients = pd.DataFrame(
        {
            "patient_id": ["a", "b", "c", "d"],
            "ild": pd.Series([True, np.nan, 1.0, "x"], dtype=object),
            "subset": [2.0, np.nan, 2.5, 2.0],
        }
    )
    _, out, _, _ = mapping.apply(pd.DataFrame({"patient_id": ["a"], "day": [0]}), patients)
    assert out is not None
    ild = out["ild"].tolist()
    assert [ild[0], ild[2], ild[3]] == ["false", "true", "x"]
    assert isinstance(ild[1], float)
    assert np.isnan(ild[1])
    subset = out["subset"].tolist()
    assert [subset[0], subset[2], subset[3]] == ["diffuse", 2.5, "diffuse"]
    assert np.isnan(subset[1])


def test_a_code_table_that_matches_no_cell_leaves_the_column_as_it_is() -> None:
    mapping = ColumnMapping.from_dict({"values": {"subset": {"LC": "limited"}}})
    patients = pd.DataFrame({"patient_id": ["a"], "subset": ["diffuse"]})
    _, out, _, _ = mapping.apply(pd.DataFrame({"patient_id": ["a"], "day": [0]}), patients)
    assert out is not None
    pd.testing.assert_frame_equal(out, patients)


def test_a_mapping_is_not_equal_to_a_dict() -> None:
    mapping = ColumnMapping.from_dict({"index": "first_visit"})
    assert mapping != {"index": "first_visit"}
    assert mapping.__eq__({"index": "first_visit"}) is NotImplemented


def test_equal_mappings_hash_alike_whatever_the_order_of_their_tables() -> None:
    first = ColumnMapping.from_dict(
        {"columns": {"ID": "patient_id", "mRSS": "mrss"}, "values": {"sex": {"1": "female"}}}
    )
    second = ColumnMapping.from_dict(
        {"values": {"sex": {"1": "female"}}, "columns": {"mRSS": "mrss", "ID": "patient_id"}}
    )
    assert first == second
    assert hash(first) == hash(second)
    assert len({first, second}) == 1
    assert hash(first) != hash(ColumnMapping.from_dict({"columns": {"ID": "patient_id"}}))


def test_a_column_target_that_is_not_text_is_named() -> None:
    with pytest.raises(SchemaError, match=r"columns: 'ID' -> 1 must map text to text"):
        ColumnMapping.from_dict({"columns": {"ID": 1}})


@pytest.mark.parametrize("index", ["", "  ", 3])
def test_an_index_that_is_not_a_column_name_is_named(index: Any) -> None:
    with pytest.raises(
        SchemaError,
        match=rf"index = {re.escape(repr(index))} must be a patients column name or "
        r"'first_visit'",
    ):
        ColumnMapping.from_dict({"index": index})


def test_a_mapping_file_that_does_not_exist_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "registry.toml"
    with pytest.raises(
        SchemaError,
        match=rf"^no such mapping file: {re.escape(repr(str(missing)))} \(give the path of a "
        r"TOML file, or the mapping as a dict\)$",
    ):
        ColumnMapping.coerce(missing)


def test_a_patients_argument_that_is_not_a_frame_is_named() -> None:
    mapping = ColumnMapping.from_dict({})
    with pytest.raises(
        SchemaError, match=r"^patients must be a pandas DataFrame or None; got list$"
    ):
        mapping.apply(pd.DataFrame({"patient_id": ["a"], "day": [0]}), [])  # type: ignore[arg-type]


def test_first_visit_index_without_visit_dates_says_what_to_map() -> None:
    mapping = ColumnMapping.from_dict({"index": "first_visit"})
    with pytest.raises(
        SchemaError,
        match=r"index = 'first_visit' needs visit dates: the visits frame has no 'date' column",
    ):
        mapping.apply(pd.DataFrame({"patient_id": ["a"], "day": [0]}))


def test_first_visit_index_with_an_index_date_column_names_its_source() -> None:
    mapping = ColumnMapping.from_dict(
        {"index": "first_visit", "columns": {"SCT date": "index_date"}}
    )
    visits = pd.DataFrame({"patient_id": ["a"], "date": ["2020-01-01"]})
    patients = pd.DataFrame({"patient_id": ["a"], "SCT date": ["2020-01-01"]})
    with pytest.raises(
        SchemaError,
        match=r"index = 'first_visit' but the patients frame has an index_date column "
        r"\('SCT date'\); give one or the other",
    ):
        mapping.apply(visits, patients)


def test_first_visit_index_reads_visit_dates_already_parsed() -> None:
    mapping = ColumnMapping.from_dict({"index": "first_visit"})
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "a", "b"],
            "date": pd.to_datetime(["2020-03-01", "2020-01-15", "2021-05-05"]),
        }
    )
    _, patients, _, _ = mapping.apply(visits)
    assert patients is not None
    assert patients["patient_id"].tolist() == ["a", "b"]
    assert patients["index_date"].tolist() == [
        pd.Timestamp("2020-01-15"),
        pd.Timestamp("2021-05-05"),
    ]


def test_an_index_column_without_a_patients_frame_is_named() -> None:
    mapping = ColumnMapping.from_dict({"index": "SCT date"})
    with pytest.raises(
        SchemaError,
        match=r"^index = 'SCT date' names a patients column but no patients frame was given$",
    ):
        mapping.apply(pd.DataFrame({"patient_id": ["a"], "day": [0]}))


def test_an_index_naming_the_index_date_column_keeps_the_patients_frame() -> None:
    mapping = ColumnMapping.from_dict({"index": "SCT date", "columns": {"SCT date": "index_date"}})
    patients = pd.DataFrame({"patient_id": ["a"], "SCT date": ["2020-01-01"]})
    _, out, _, sources = mapping.apply(pd.DataFrame({"patient_id": ["a"], "day": [0]}), patients)
    assert out is not None
    assert out.to_dict("records") == [{"patient_id": "a", "index_date": "2020-01-01"}]
    assert sources == {"index_date": "SCT date"}


def test_an_index_column_next_to_an_index_date_column_is_refused() -> None:
    mapping = ColumnMapping.from_dict({"index": "SCT date"})
    patients = pd.DataFrame(
        {"patient_id": ["a"], "SCT date": ["2020-01-01"], "index_date": ["2020-02-01"]}
    )
    with pytest.raises(
        SchemaError,
        match=r"^index = 'SCT date' but the patients frame also has an index_date column; "
        r"give one or the other$",
    ):
        mapping.apply(pd.DataFrame({"patient_id": ["a"], "day": [0]}), patients)


def test_an_index_naming_a_canonical_date_column_copies_it() -> None:
    mapping = ColumnMapping.from_dict(
        {"index": "Diagnosis", "columns": {"Diagnosis": "diagnosis_date"}}
    )
    patients = pd.DataFrame({"patient_id": ["a"], "Diagnosis": ["2019-04-01"]})
    _, out, _, sources = mapping.apply(pd.DataFrame({"patient_id": ["a"], "day": [0]}), patients)
    assert out is not None
    assert out.to_dict("records") == [
        {"patient_id": "a", "diagnosis_date": "2019-04-01", "index_date": "2019-04-01"}
    ]
    assert sources == {"diagnosis_date": "Diagnosis", "index_date": "Diagnosis"}


def test_a_code_may_map_to_missing_and_number_and_boolean_codes_are_checked() -> None:
    ok = ColumnMapping.from_dict(
        {"values": {"subset": {"NA": ""}, "ild": {"J": True, "N": "false"}, "mrss": {"x": 5}}}
    )
    assert ok.values["subset"] == {"NA": ""}
    with pytest.raises(SchemaError) as info:
        ColumnMapping.from_dict(
            {"values": {"ild": {"Y": "maybe"}, "mrss": {"x": "ten", "y": True}}}
        )
    assert str(info.value).splitlines()[1:] == [
        "  values.ild: 'Y' -> 'maybe' is not true or false (or '' for missing)",
        "  values.mrss: 'x' -> 'ten' is not a number (or '' for missing)",
        "  values.mrss: 'y' -> True is not a number (or '' for missing)",
    ]


def test_a_mapping_holding_an_unhashable_value_still_hashes() -> None:
    # a date column's codes are not checked by type: a list gets through and must hash
    first = ColumnMapping.from_dict({"values": {"onset_date": {"x": ["2020-01-01"]}}})
    second = ColumnMapping.from_dict({"values": {"onset_date": {"x": ["2020-01-01"]}}})
    assert first == second
    assert hash(first) == hash(second)


def test_from_toml_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "export.toml"
    path.write_bytes(b'\xff\xfe[columns]\n"ID" = "patient_id"\n')
    with pytest.raises(
        SchemaError,
        match=r"^cannot read the column mapping 'export.toml' as TOML: it is not UTF-8 text "
        r"\(byte 0: invalid start byte\); save it as UTF-8$",
    ):
        ColumnMapping.from_toml(path)
