"""Tests for Cohort (sscoutcomes.cohort.cohort): frames, objects, files, round trips."""

from __future__ import annotations

import datetime as dt
import importlib.util
import string
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes.cohort.cohort import Cohort
from sscoutcomes.cohort.patient import Patient, Visit
from sscoutcomes.errors import OutOfRangeError, SchemaError, SSCOutcomesWarning
from sscoutcomes.measures.skin import SKIN_SITES, CutaneousSubset, SkinScore

# --------------------------------------------------------------------------------------
# strategies
# --------------------------------------------------------------------------------------
TEXT = st.text(string.ascii_letters + string.digits + " -_é", min_size=0, max_size=6)
grades = st.integers(0, 3)
skin_scores = st.one_of(
    st.none(),
    st.integers(0, 51).map(SkinScore.from_total),
    st.fixed_dictionaries(dict.fromkeys(SKIN_SITES, grades)).map(SkinScore.from_sites),
    st.fixed_dictionaries(dict.fromkeys(SKIN_SITES, st.none() | grades)).map(SkinScore.from_sites),
)
finite = {"allow_nan": False, "allow_infinity": False}
extra_values = st.one_of(
    TEXT, st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, **finite), st.booleans()
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def visits_for(draw: st.DrawFn, index_date: dt.date | None) -> list[Visit]:
    days = draw(st.lists(st.integers(-400, 2000), max_size=4, unique=True))
    out = []
    for day in days:
        date = None
        if index_date is not None and draw(st.booleans()):
            date = index_date + dt.timedelta(days=day)
        out.append(
            Visit(
                day=None if date is not None and draw(st.booleans()) else day,
                date=date,
                skin=draw(skin_scores),
                crp_mg_l=draw(optional(st.floats(0, 500, **finite))),
                hematocrit_pct=draw(optional(st.floats(0, 100, **finite))),
                renal_crisis=draw(optional(st.booleans())),
                tendon_friction_rubs=draw(optional(st.booleans())),
                extra=draw(
                    st.dictionaries(st.sampled_from(["site", "note", "visit_kind"]), extra_values)
                ),
            )
        )
    return out


@st.composite
def patients(draw: st.DrawFn, pid: str) -> Patient:
    index_date = draw(optional(st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))))
    visits = draw(visits_for(index_date))
    days = [
        v.day if v.day is not None else (v.date - index_date).days  # type: ignore[operator]
        for v in visits
    ]
    death = draw(optional(st.integers(0, 500)))
    if death is not None:
        death += max([0, *days])
    # the last contact is on or after the last visit and not after death
    last_contact = draw(optional(st.integers(0, 3000)))
    if last_contact is not None:
        last_contact += max([0, *days])
        if death is not None:
            last_contact = min(last_contact, death)
    return Patient(
        id=pid,
        sex=draw(optional(st.sampled_from(["female", "male"]))),
        age_at_index=draw(optional(st.floats(0, 100, **finite))),
        index_date=index_date,
        onset_date=draw(optional(st.dates(dt.date(1980, 1, 1), dt.date(2030, 1, 1)))),
        subset=draw(optional(st.sampled_from(["limited", "diffuse", "sine"]))),
        anti_topoisomerase=draw(optional(st.booleans())),
        ild=draw(optional(st.booleans())),
        death_day=death,
        last_contact_day=last_contact,
        visits=visits,
        extra=draw(st.dictionaries(st.sampled_from(["centre", "arm"]), extra_values)),
    )


@st.composite
def cohorts(draw: st.DrawFn) -> list[Patient]:
    ids = draw(
        st.lists(
            st.text(string.ascii_uppercase + string.digits, min_size=1, max_size=4),
            max_size=4,
            unique=True,
        )
    )
    return [draw(patients(pid)) for pid in ids]


# --------------------------------------------------------------------------------------
# round trips
# --------------------------------------------------------------------------------------
@given(cohorts())
def test_objects_frames_objects_loses_nothing(people: list[Patient]) -> None:
    cohort = Cohort.from_patients(people)
    assert cohort.patients() == people
    assert len(cohort) == len(people)
    # and through the canonical frames again
    again = Cohort.from_frames(patients=cohort.patients_frame, visits=cohort.visits)
    assert again.patients() == people


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.sort_values(["patient_id", "day"], kind="stable").reset_index(drop=True)
    # pandas 2.2 keeps text in object columns where None and NaN both mean missing
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].where(out[column].notna(), None)
    return out


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["P1", "P2", "7"]),
            st.integers(-100, 800),
            optional(st.integers(0, 51)),
            optional(st.floats(0, 300, **finite)),
            optional(st.booleans()),
            optional(TEXT),
            optional(st.integers(-5, 5)),
        ),
        max_size=10,
        unique_by=lambda row: (row[0], row[1]),
    )
)
def test_frames_objects_frames_equal(rows: list[tuple[Any, ...]]) -> None:
    visits = pd.DataFrame(
        rows,
        columns=["patient_id", "day", "mrss", "crp_mg_l", "renal_crisis", "note", "count"],
    )
    if visits.empty:
        visits = visits.astype({"day": "int64"})
    before = visits.copy(deep=True)
    cohort = Cohort.from_frames(visits=visits)
    pd.testing.assert_frame_equal(visits, before)
    canonical = cohort.visits
    rebuilt = Cohort.from_patients(cohort.patients()).visits
    kept = [c for c in canonical.columns if canonical[c].notna().any()]
    assert set(rebuilt.columns) <= set(canonical.columns)
    pd.testing.assert_frame_equal(_sorted(rebuilt)[kept], _sorted(canonical)[kept])
    pd.testing.assert_frame_equal(
        cohort.patients_frame, Cohort.from_patients(cohort.patients()).patients_frame
    )


@given(st.permutations(range(6)))
def test_objects_do_not_depend_on_row_order(order: list[int]) -> None:
    visits = pd.DataFrame(
        {"patient_id": list("aaabbb"), "day": [0, 90, 400, -10, 30, 60], "mrss": [9, 8, 7, 6, 5, 4]}
    )
    base = Cohort.from_frames(visits=visits).patients()
    shuffled = Cohort.from_frames(visits=visits.iloc[order]).patients()
    assert sorted(shuffled, key=lambda p: p.id) == sorted(base, key=lambda p: p.id)


# --------------------------------------------------------------------------------------
# from_frames
# --------------------------------------------------------------------------------------
PATIENTS = pd.DataFrame(
    {
        "patient_id": ["P1", "P2", "P3"],
        "sex": ["female", "male", "female"],
        "index_date": ["2020-01-01", "2020-06-01", None],
        "death_day": [None, 100, None],
        "centre": ["Leiden", "Bern", "Bern"],
    }
)


def test_from_frames_links_visits_to_patients() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["P1", "P1", "P2", "P3"],
            "date": ["2019-12-31", "2021-01-01", None, None],
            "day": [None, None, 50, 0],
            "mrss": [20, 15, 30, 5],
            "site_note": ["x", None, "y", "z"],
        },
        index=[5, 6, 7, 8],
    )
    before_v, before_p = visits.copy(deep=True), PATIENTS.copy(deep=True)
    cohort = Cohort.from_frames(patients=PATIENTS, visits=visits)
    pd.testing.assert_frame_equal(visits, before_v)
    pd.testing.assert_frame_equal(PATIENTS, before_p)
    out = cohort.visits
    assert list(out.index) == [5, 6, 7, 8]
    assert out["day"].tolist() == [-1, 366, 50, 0]
    people = cohort.patients()
    assert [p.id for p in people] == ["P1", "P2", "P3"]
    assert people[0].extra == {"centre": "Leiden"}
    assert people[0].change_from_baseline("mrss", 366) == -5.0
    assert people[0].visits[0].date == dt.date(2019, 12, 31)


def test_from_frames_collects_every_link_problem() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["P1", "P9", "P2", "P3", "P1"],
            "date": ["2020-01-11", None, None, "2020-02-01", None],
            "day": [3, 0, 101, None, None],
        }
    )
    with pytest.raises(SchemaError) as info:
        Cohort.from_frames(patients=PATIENTS, visits=visits)
    cases = info.value.failure_cases
    assert cases is not None
    reasons = dict(zip(cases["row"], cases["reason"], strict=True))
    assert "disagrees with date - index_date" in reasons[0]
    assert "not in the patients frame" in reasons[1]
    assert "after the patient's death_day" in reasons[2]
    assert "no index_date" in reasons[3]
    assert "has no date" in reasons[4]
    assert len(cases) == 5


def test_visits_without_any_known_patient() -> None:
    patients = pd.DataFrame(
        {
            "patient_id": pd.Series([], dtype=object),
            "index_date": pd.Series([], dtype=object),
            "death_day": pd.Series([], dtype=float),
        }
    )
    visits = pd.DataFrame({"patient_id": ["a", "b"], "day": [0, 1], "date": ["2020-01-01", None]})
    with pytest.raises(SchemaError) as info:
        Cohort.from_frames(patients=patients, visits=visits)
    cases = info.value.failure_cases
    assert cases is not None
    assert cases["row"].tolist() == [0, 1]


def test_patients_frame_is_derived_when_not_given() -> None:
    visits = pd.DataFrame({"patient_id": ["b", "a", "b"], "day": [0, 0, 5]})
    cohort = Cohort.from_frames(visits=visits)
    assert cohort.patients_frame["patient_id"].tolist() == ["b", "a"]
    assert [len(p.visits) for p in cohort.patients()] == [2, 1]


def test_duplicate_and_unordered_visits() -> None:
    visits = pd.DataFrame({"patient_id": ["a", "a", "a"], "day": [30, 0, 30]})
    with pytest.raises(SchemaError, match="duplicate visit"):
        Cohort.from_frames(visits=visits)
    unordered = pd.DataFrame({"patient_id": ["a", "a"], "day": [30, 0]})
    assert Cohort.from_frames(visits=unordered).visits["day"].tolist() == [30, 0]
    with pytest.raises(SchemaError, match="out of order"):
        Cohort.from_frames(visits=unordered, require_sorted=True)


def test_bad_patients_frame() -> None:
    patients = pd.DataFrame({"patient_id": ["a", "a"], "sex": ["female", "x"]})
    with pytest.raises(SchemaError, match="patients frame"):
        Cohort.from_frames(
            patients=patients, visits=pd.DataFrame({"patient_id": ["a"], "day": [0]})
        )
    with pytest.raises(SchemaError, match="DataFrame"):
        Cohort.from_frames(visits=[1, 2])  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="DataFrame"):
        Cohort.from_frames(visits=pd.DataFrame({"patient_id": ["a"], "day": [0]}), patients=[])  # type: ignore[arg-type]


def test_a_total_beside_incomplete_sites_is_kept_by_the_visit_objects() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "a", "b"],
            "day": [0, 1, 0],
            "mrss_face": [1, None, 2],
            "mrss": [20, 5, 22],
        }
    )
    cohort = Cohort.from_frames(visits=visits)
    totals = [v.skin.total for p in cohort.patients() for v in p.visits]
    assert totals == [20, 5, 22]
    assert Cohort.from_patients(cohort.patients()).visits["mrss"].tolist() == [20, 5, 22]


def test_views_are_copies_and_dunders() -> None:
    cohort = Cohort.from_frames(visits=pd.DataFrame({"patient_id": ["a", "b"], "day": [0, 0]}))
    view = cohort.visits
    view.loc[0, "day"] = 99
    patients, visits = cohort.to_frames()
    patients.loc[0, "patient_id"] = "z"
    assert cohort.visits["day"].tolist() == [0, 0]
    assert cohort.patients_frame["patient_id"].tolist() == ["a", "b"]
    assert visits["day"].tolist() == [0, 0]
    assert len(cohort) == 2
    assert repr(cohort) == "Cohort(2 patients, 2 visits)"
    html = cohort._repr_html_()
    assert "<table" in html
    assert "Cohort(2 patients, 2 visits)" in html


def test_empty_cohort() -> None:
    cohort = Cohort.from_patients([])
    assert len(cohort) == 0
    assert cohort.patients() == []
    assert list(cohort.visits.columns) == ["patient_id", "day"]
    assert Cohort.from_patients([Patient(id="a")]).patients() == [Patient(id="a")]


def test_from_patients_refuses_duplicates() -> None:
    with pytest.raises(SchemaError, match="more than once"):
        Cohort.from_patients([Patient(id="a"), Patient(id="a")])
    with pytest.raises(SchemaError, match="Patient objects"):
        Cohort.from_patients(["a"])  # type: ignore[list-item]


def test_canonical_dtypes_from_objects() -> None:
    cohort = Cohort.from_patients(
        [
            Patient(
                id="a",
                sex="male",
                subset=CutaneousSubset.SINE,
                index_date=dt.date(2020, 1, 1),
                visits=[Visit(day=0, skin=SkinScore.from_total(3), renal_crisis=True)],
            )
        ]
    )
    patients, visits = cohort.to_frames()
    assert {
        c: str(t)
        for c, t in visits.dtypes.items()
        if c in ("patient_id", "day", "mrss", "renal_crisis")
    } == {
        "patient_id": "string",
        "day": "Int64",
        "mrss": "Int64",
        "renal_crisis": "boolean",
    }
    assert str(patients["index_date"].dtype) == "datetime64[ns]"
    assert patients["subset"].tolist() == ["sine"]


def test_pandas_string_dtype_frames() -> None:
    visits = pd.DataFrame(
        {
            "patient_id": ["a", "a"],
            "day": ["0", "365"],
            "mrss": ["20", "14"],
            "renal_crisis": ["no", "yes"],
        },
        dtype="string",
    )
    people = Cohort.from_frames(visits=visits).patients()
    assert people[0].change_from_baseline("mrss", 365) == -6.0
    assert people[0].visits[1].renal_crisis is True


# --------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------
def test_csv_round_trip(tmp_path: Path) -> None:
    people = [
        Patient(
            id="007",
            sex="female",
            index_date=dt.date(2015, 3, 1),
            death_day=800,
            visits=[
                Visit(day=-3, date=dt.date(2015, 2, 26), skin=SkinScore.from_total(25)),
                Visit(day=365, skin=SkinScore.from_total(19), crp_mg_l=4.5, extra={"note": "ok"}),
            ],
        ),
        Patient(id="012", visits=[Visit(day=0, renal_crisis=True)]),
    ]
    cohort = Cohort.from_patients(people)
    cohort.to_csv(tmp_path / "v.csv", tmp_path / "p.csv")
    back = Cohort.read_csv(tmp_path / "v.csv", tmp_path / "p.csv")
    assert back.patients() == people
    pd.testing.assert_frame_equal(back.visits, cohort.visits)
    pd.testing.assert_frame_equal(back.patients_frame, cohort.patients_frame)


def test_csv_with_forty_bad_cells_fails_once_listing_all(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    n = 50
    visits = pd.DataFrame(
        {
            "patient_id": [f"P{i:02d}" for i in range(n)],
            "day": [0] * n,
            "mrss": rng.integers(0, 52, n),
            "hematocrit_pct": rng.uniform(30, 45, n).round(1),
            "renal_crisis": ["no"] * n,
        }
    )
    bad_rows = rng.choice(n, size=40, replace=False)
    column_cycle = ["mrss", "hematocrit_pct", "renal_crisis", "day"]
    bad_value = {"mrss": 99, "hematocrit_pct": 140.0, "renal_crisis": "sometimes", "day": "x"}
    expected = set()
    visits = visits.astype(object)
    for k, row in enumerate(bad_rows):
        column = column_cycle[k % 4]
        visits.loc[row, column] = bad_value[column]
        expected.add((int(row), column))
    path = tmp_path / "visits.csv"
    visits.to_csv(path, index=False)
    with pytest.raises(SchemaError) as info:
        Cohort.read_csv(path)
    cases = info.value.failure_cases
    assert cases is not None
    assert len(cases) == 40
    assert set(zip(cases["row"].astype(int), cases["column"], strict=True)) == expected
    message = str(info.value)
    assert message.startswith("40 problem(s) in the visits file 'visits.csv'")
    assert "file line = row + 2" in message
    lines = path.read_text().splitlines()
    first = cases.iloc[0]
    assert lines[int(first["row"]) + 2 - 1].startswith(str(first["patient_id"]))


def test_read_csv_problems(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Cohort.read_csv(tmp_path / "missing.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(SchemaError, match="cannot read"):
        Cohort.read_csv(empty)
    visits = tmp_path / "v.csv"
    visits.write_text("patient_id;day\na;0\n")
    assert len(Cohort.read_csv(visits, sep=";")) == 1
    patients = tmp_path / "p.csv"
    patients.write_text("patient_id,sex\na,unknown\n")
    with pytest.raises(OutOfRangeError, match=r"patients file 'p\.csv'"):
        Cohort.read_csv(visits, patients, sep=None, engine="python")


def test_parquet_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    people = [
        Patient(
            id="a",
            index_date=dt.date(2020, 1, 1),
            ild=True,
            visits=[Visit(day=0, date=dt.date(2020, 1, 1), skin=SkinScore.from_total(5))],
        ),
        Patient(id="b", visits=[Visit(day=3, extra={"note": "x"})]),
    ]
    cohort = Cohort.from_patients(people)
    cohort.to_parquet(tmp_path / "v.parquet", tmp_path / "p.parquet")
    back = Cohort.read_parquet(tmp_path / "v.parquet", tmp_path / "p.parquet")
    assert back.patients() == people
    pd.testing.assert_frame_equal(back.visits, cohort.visits)
    # the pass-through text column's missing value stays NaN (pandas 2.x with pyarrow read
    # it back as None)
    note = back.visits["note"]
    assert note.isna().tolist() == [True, False]
    assert note.iloc[0] is not None


def test_parquet_needs_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name == "pyarrow" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    cohort = Cohort.from_frames(visits=pd.DataFrame({"patient_id": ["a"], "day": [0]}))
    with pytest.raises(ImportError, match=r"sscoutcomes\[parquet\]"):
        cohort.to_parquet(tmp_path / "v.parquet", tmp_path / "p.parquet")
    with pytest.raises(ImportError, match="pyarrow"):
        Cohort.read_parquet(tmp_path / "v.parquet")


# ------------------------------------------------------------------ frames handed out
def _mutate(frame: pd.DataFrame) -> None:
    """Write to ``frame`` every way a user might: a cell, a whole column, a new column."""
    frame.iloc[0, frame.columns.get_loc("day")] = 99_999
    frame.loc[:, "patient_id"] = "changed"
    frame["added"] = 1
    del frame[frame.columns[-2]]


def test_mutating_handed_out_frames_leaves_the_cohort_unchanged() -> None:
    import sscoutcomes as ssc

    cohort = ssc.load_demo()
    patients_before, visits_before = cohort.to_frames()
    patients_before, visits_before = patients_before.copy(), visits_before.copy()
    visits = cohort.visits
    _mutate(visits)
    _, visits_again = cohort.to_frames()
    _mutate(visits_again)
    patients = cohort.patients_frame
    patients.iloc[0, 0] = "changed"
    patients["added"] = 1
    pd.testing.assert_frame_equal(cohort.visits, visits_before)
    pd.testing.assert_frame_equal(cohort.patients_frame, patients_before)
    assert cohort.patients()[0].id == patients_before["patient_id"].iloc[0]


def test_visits_copy_is_shallow_only_under_copy_on_write(monkeypatch: pytest.MonkeyPatch) -> None:
    from sscoutcomes.cohort import cohort as cohort_module

    cohort = Cohort.from_frames(
        visits=pd.DataFrame({"patient_id": ["a", "a"], "day": [0, 30], "crp_mg_l": [1.0, 2.0]})
    )
    held = cohort._visits["crp_mg_l"].to_numpy()
    monkeypatch.setattr(cohort_module, "_copy_on_write", lambda: True)
    assert np.shares_memory(cohort.visits["crp_mg_l"].to_numpy(), held)
    # pandas 2.x without copy-on-write: a shallow copy would write through, so a deep copy
    monkeypatch.setattr(cohort_module, "_copy_on_write", lambda: False)
    assert not np.shares_memory(cohort.visits["crp_mg_l"].to_numpy(), held)


def test_copy_on_write_follows_the_pandas_version(monkeypatch: pytest.MonkeyPatch) -> None:
    from sscoutcomes.cohort import cohort as cohort_module

    monkeypatch.setattr(pd, "__version__", "3.0.0")
    assert cohort_module._copy_on_write()
    options = {"mode.copy_on_write": "warn"}
    monkeypatch.setattr(pd, "__version__", "2.2.3")
    monkeypatch.setattr(pd, "get_option", options.__getitem__)
    assert not cohort_module._copy_on_write()
    options["mode.copy_on_write"] = True
    assert cohort_module._copy_on_write()


# ------------------------------------------------------------------ workbooks refused
def _workbook(tmp_path: Path) -> Path:
    pytest.importorskip("openpyxl")
    path = tmp_path / "export.xlsx"
    pd.DataFrame({"patient_id": ["a"], "day": [0]}).to_excel(path, sheet_name="Visits", index=False)
    return path


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"visits_sheet": "Nope"}, r"cannot read sheet 'Nope' of '.*export\.xlsx': Worksheet "),
        ({"visits_sheet": 5}, r"cannot read sheet 5 of '.*export\.xlsx': Worksheet index 5"),
        ({"patients_sheet": "Nope"}, r"cannot read sheet 'Nope' of '.*export\.xlsx'"),
    ],
)
def test_read_excel_names_a_missing_sheet(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    path = _workbook(tmp_path)
    with pytest.raises(SchemaError, match=message):
        Cohort.read_excel(path, **options)


def test_read_excel_refuses_more_than_one_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    with pytest.raises(
        SchemaError,
        match=r"sheet None of '.*export\.xlsx' is not one sheet; give one sheet name \(str\) "
        r"or position \(int\)$",
    ):
        Cohort.read_excel(path, visits_sheet=None)  # type: ignore[arg-type]


def test_read_excel_refuses_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "export.xlsx"
    path.write_text("patient_id,day\na,0\n")
    with pytest.raises(
        SchemaError,
        match=r"cannot read '.*export\.xlsx' as an xlsx workbook: File is not a zip file "
        r"\(read_excel takes \.xlsx files; use read_csv for text\)$",
    ):
        Cohort.read_excel(path)


def test_read_excel_reads_a_named_sheet(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    cohort = Cohort.read_excel(path, visits_sheet="Visits")
    assert cohort.visits[["patient_id", "day"]].to_dict("records") == [
        {"patient_id": "a", "day": 0}
    ]


def test_drop_invalid_removes_a_repeated_patient_and_says_so() -> None:
    patients = pd.DataFrame({"patient_id": ["A", "A", "B"], "sex": ["female", "male", "female"]})
    visits = pd.DataFrame({"patient_id": ["A", "B"], "day": [0, 0], "mrss": [10, 12]})
    with pytest.warns(
        SSCOutcomesWarning,
        match=r"^drop_invalid: blanked 0 invalid cell\(s\) and removed 1 visit\(s\) without a "
        r"valid patient or time, 2 patient\(s\) without a valid patient_id; ",
    ):
        cohort = Cohort.from_frames(visits=visits, patients=patients, drop_invalid=True)
    assert cohort.patients_frame["patient_id"].tolist() == ["B"]
    assert cohort.visits["patient_id"].tolist() == ["B"]
    dropped = cohort.dropped
    assert list(zip(dropped["frame"], dropped["row"], dropped["action"], strict=True)) == [
        ("patients", 0, "removed the patient"),
        ("patients", 1, "removed the patient"),
        ("visits", 0, "removed the visit"),
    ]
