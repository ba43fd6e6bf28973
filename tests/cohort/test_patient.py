"""Tests for Visit and Patient (sscoutcomes.cohort.patient).

Baseline rule (spec longitudinal.md, "Baseline, timepoints, windows"): the last non-missing
value of the measure on or before day 0 within a look-back window (default 90 days).
Change from baseline: absolute follow-up - baseline; percent 100 * (f - b) / b, undefined
when the baseline is 0.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sscoutcomes.cohort.patient import VISIT_MEASURES, Patient, Visit
from sscoutcomes.cohort.schema import EVENT_COLUMNS, VISIT_COLUMNS
from sscoutcomes.errors import OutOfRangeError, SchemaError
from sscoutcomes.measures.skin import SKIN_SITES, CutaneousSubset, SkinScore


def skin(total: int) -> SkinScore:
    return SkinScore.from_total(total)


# --------------------------------------------------------------------------------------
# Visit
# --------------------------------------------------------------------------------------
def test_visit_needs_day_or_date() -> None:
    with pytest.raises(SchemaError, match="day"):
        Visit()
    assert Visit(date=dt.date(2020, 1, 1)).day is None
    assert Visit(date="2020-01-02").date == dt.date(2020, 1, 2)


@pytest.mark.parametrize("day", [1.5, True, "3"])
def test_visit_day_must_be_whole(day: Any) -> None:
    with pytest.raises(OutOfRangeError, match="day"):
        Visit(day=day)


def test_nan_means_missing() -> None:
    with pytest.raises(SchemaError, match="needs a day"):
        Visit(day=float("nan"))
    assert Visit(day=0, crp_mg_l=float("nan")).crp_mg_l is None


def test_visit_day_accepts_whole_floats_and_numpy() -> None:
    import numpy as np

    assert Visit(day=3.0).day == 3
    assert Visit(day=np.int64(-4)).day == -4
    assert type(Visit(day=np.int64(-4)).day) is int


def test_visit_fields_are_validated_from_the_schema() -> None:
    with pytest.raises(OutOfRangeError, match=r"hematocrit_pct = 100.5 is outside 0..100 %"):
        Visit(day=0, hematocrit_pct=100.5)
    assert Visit(day=0, hematocrit_pct=100).hematocrit_pct == 100.0
    assert Visit(day=0, hematocrit_pct=0).hematocrit_pct == 0.0
    with pytest.raises(OutOfRangeError, match="crp_mg_l"):
        Visit(day=0, crp_mg_l=-0.1)
    with pytest.raises(OutOfRangeError, match="crp_mg_l"):
        Visit(day=0, crp_mg_l=True)
    with pytest.raises(OutOfRangeError, match="renal_crisis = 'yes'"):
        Visit(day=0, renal_crisis="yes")
    with pytest.raises(SchemaError, match="SkinScore"):
        Visit(day=0, skin=18)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="calendar date"):
        Visit(date=dt.datetime(2020, 1, 1, 10, 30))
    with pytest.raises(SchemaError, match="calendar date"):
        Visit(date="01/02/2020")


def test_empty_measure_object_is_none() -> None:
    assert Visit(day=0, skin=SkinScore()).skin is None
    assert Visit(day=0, skin=SkinScore(face=0)).skin == SkinScore(face=0)


def test_visit_extra() -> None:
    v = Visit(day=0, extra={"site": "A", "note": None, "score": float("nan")})
    assert v.extra == {"site": "A"}
    with pytest.raises(SchemaError, match="canonical"):
        Visit(day=0, extra={"mrss": 3})
    with pytest.raises(SchemaError, match="canonical"):
        Visit(day=0, extra={"patient_id": "x"})
    with pytest.raises(SchemaError, match="did you mean 'mrss_face'"):
        Visit(day=0, extra={"mrss_fcae": 1})
    with pytest.raises(SchemaError, match="text"):
        Visit(day=0, extra={1: "a"})  # type: ignore[dict-item]
    assert hash(Visit(day=1, extra={"a": [1]})) == hash(Visit(day=1, extra={"a": [2]}))


def test_visit_record_round_trip_with_skin_and_labs() -> None:
    sites = dict.fromkeys(SKIN_SITES, 1)
    v = Visit(
        day=30,
        date=dt.date(2021, 2, 3),
        skin=SkinScore.from_sites(sites),
        crp_mg_l=5.5,
        renal_crisis=False,
        extra={"site": "B"},
    )
    record = v.to_record()
    assert record["mrss"] == 17
    assert record["mrss_face"] == 1
    assert record["crp_mg_l"] == 5.5
    assert record["renal_crisis"] is False
    assert "hematocrit_pct" not in record
    assert Visit.from_record(record) == v
    assert Visit.from_record({"patient_id": "x", **record}) == v


def test_from_record_refuses_what_it_cannot_keep() -> None:
    # a total beside incomplete sites is kept when the sites allow it (2..50), else refused
    assert Visit.from_record({"day": 0, "mrss_face": 2, "mrss": 30}).skin.total == 30
    with pytest.raises(SchemaError, match=r"mrss = 1 is outside 2\.\.50"):
        Visit.from_record({"day": 0, "mrss_face": 2, "mrss": 1})
    with pytest.raises(SchemaError, match="did you mean"):
        Visit.from_record({"day": 0, "mrss_fase": 2})
    with pytest.raises(SchemaError, match="disagrees"):
        Visit.from_record({"day": 0, **{f"mrss_{s}": 1 for s in SKIN_SITES}, "mrss": 16})


def test_every_canonical_visit_column_is_held_by_a_visit_field() -> None:
    """Guard for merges: a schema group without a Visit field would lose data."""
    record: dict[str, Any] = {}
    derived = {"mrss", "haq_di"}  # totals recomputed from their items by the measure
    for spec in VISIT_COLUMNS:
        if spec.name == "patient_id" or spec.name in derived:
            continue
        if spec.dtype == "bool":
            record[spec.name] = True
        elif spec.dtype == "date":
            record[spec.name] = dt.date(2020, 1, 1)
        elif spec.categories:
            record[spec.name] = spec.categories[0]
        else:
            record[spec.name] = 0 if spec.lo is None else spec.lo
    # measured / predicted pairs must agree with the % predicted at its lower bound
    record |= {"fvc_l": 0.5, "fvc_predicted_l": 5.0, "dlco_measured": 0.5, "dlco_predicted": 10.0}
    kept = Visit.from_record(record).to_record()
    assert set(record) <= {k for k, v in kept.items() if v is not None}
    assert {k for k, v in kept.items() if v is not None} - set(record) <= derived
    fields = {a.name for a in attrs.fields(Visit)}
    assert {name for name, _ in VISIT_MEASURES} <= fields
    assert {c.name for c in EVENT_COLUMNS} <= fields


def test_visit_value() -> None:
    v = Visit(day=0, skin=skin(12))
    assert v.value("mrss") == 12
    assert v.value("mrss_face") is None
    with pytest.raises(SchemaError, match="did you mean"):
        v.value("mrs")


# --------------------------------------------------------------------------------------
# Patient
# --------------------------------------------------------------------------------------
def test_visits_are_sorted_and_unique_by_day() -> None:
    p = Patient(id="P1", visits=[Visit(day=365), Visit(day=-30), Visit(day=0)])
    assert [v.day for v in p.visits] == [-30, 0, 365]
    with pytest.raises(SchemaError, match=r"patient 'P2' has 2 visits on day 0"):
        Patient(id="P2", visits=[Visit(day=0), Visit(day=5), Visit(day=0)])


def test_days_from_dates() -> None:
    index = dt.date(2020, 1, 1)
    p = Patient(id="P1", index_date=index, visits=[Visit(date=dt.date(2019, 12, 1))])
    assert p.visits[0].day == -31
    assert Patient(id="P1", index_date=index, visits=[Visit(day=1, date="2020-01-02")])
    with pytest.raises(SchemaError, match="disagrees with its date"):
        Patient(id="P1", index_date=index, visits=[Visit(day=2, date="2020-01-02")])
    with pytest.raises(SchemaError, match="no index_date"):
        Patient(id="P1", visits=[Visit(date="2020-01-02")])
    with pytest.raises(SchemaError, match="2 visits on day 1"):
        Patient(id="P1", index_date=index, visits=[Visit(day=1), Visit(date="2020-01-02")])


def test_patient_fields() -> None:
    p = Patient(id="P1", sex=" Female", subset="Diffuse", anticentromere=False, death_day=400.0)
    assert p.sex == "female"
    assert p.subset is CutaneousSubset.DIFFUSE
    assert p.death_day == 400
    assert p.autoantibodies == {"anticentromere": False}
    # F/M (any case) are read as female/male; U (unknown) as missing
    assert Patient(id="P1", sex="f").sex == "female"
    assert Patient(id="P1", sex="U").sex is None
    with pytest.raises(OutOfRangeError, match="sex"):
        Patient(id="P1", sex="x")
    with pytest.raises(OutOfRangeError, match="leave it None"):
        Patient(id="P1", subset=CutaneousSubset.UNKNOWN)
    with pytest.raises(OutOfRangeError, match="death_day"):
        Patient(id="P1", death_day=-1)
    with pytest.raises(SchemaError, match="non-empty"):
        Patient(id="")
    with pytest.raises(SchemaError, match="non-empty"):
        Patient(id=7)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="after death_day"):
        Patient(id="P1", death_day=10, visits=[Visit(day=11)])
    assert Patient(id="P1", death_day=10, visits=[Visit(day=10)]).visits[0].day == 10
    with pytest.raises(SchemaError, match="Visit objects"):
        Patient(id="P1", visits=[{"day": 0}])  # type: ignore[list-item]
    with pytest.raises(SchemaError, match="iterable"):
        Patient(id="P1", visits=Visit(day=0))  # type: ignore[arg-type]


def test_patient_record_round_trip() -> None:
    p = Patient(
        id="P1",
        sex="male",
        age_at_index=51.5,
        index_date=dt.date(2011, 5, 6),
        subset=CutaneousSubset.LIMITED,
        ild=True,
        last_contact_day=900,
        extra={"centre": "Bern"},
    )
    record = p.to_record()
    assert record["subset"] == "limited"
    assert record["centre"] == "Bern"
    assert Patient.from_record(record) == p
    with pytest.raises(SchemaError, match="patient_id"):
        Patient.from_record({"sex": "male"})
    with pytest.raises(SchemaError, match="did you mean 'anticentromere'"):
        Patient.from_record({"patient_id": "a", "anti_centromere": True})


# --------------------------------------------------------------------------------------
# baseline and change from baseline
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([-91], None),  # outside the 90-day look-back
        ([-90], 10.0),  # on the window's edge: inside
        ([-91, -90], 10.0),
        ([0], 10.0),  # day 0 counts as baseline
        ([1], None),  # after day 0 never counts
        ([-90, 0, 1], 10.0),
    ],
)
def test_baseline_window_edges(days: list[int], expected: float | None) -> None:
    visits = [Visit(day=d, skin=skin(10)) for d in days]
    assert Patient(id="P", visits=visits).baseline("mrss") == expected


def test_baseline_is_the_last_non_missing_value() -> None:
    p = Patient(
        id="P",
        visits=[
            Visit(day=-90, skin=skin(30)),
            Visit(day=-40, skin=skin(20)),
            Visit(day=-3),  # no skin score: does not count
            Visit(day=0, crp_mg_l=3.0),
            Visit(day=1, skin=skin(5)),
        ],
    )
    assert p.baseline("mrss") == 20.0
    assert p.baseline("crp_mg_l") == 3.0
    assert p.baseline("mrss", window_days=39) is None
    assert p.baseline("mrss", window_days=40) == 20.0
    assert p.baseline("hematocrit_pct") is None
    with pytest.raises(OutOfRangeError, match="window_days"):
        p.baseline("mrss", window_days=-1)
    with pytest.raises(OutOfRangeError, match="window_days"):
        p.baseline("mrss", window_days=1.5)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="not a numeric measure"):
        p.baseline("renal_crisis")
    with pytest.raises(SchemaError, match="did you mean"):
        p.baseline("mrsss")


def test_change_from_baseline() -> None:
    p = Patient(
        id="P",
        visits=[
            Visit(day=-5, skin=skin(20), crp_mg_l=0.0),
            Visit(day=180, skin=skin(15), crp_mg_l=4.0),
            Visit(day=365, crp_mg_l=2.0),
        ],
    )
    assert p.change_from_baseline("mrss", 180) == -5.0
    assert p.change_from_baseline("mrss", 180, percent=True) == -25.0
    assert p.change_from_baseline("mrss", 365) is None  # not measured then
    assert p.change_from_baseline("mrss", 200) is None  # no visit that day
    assert p.change_from_baseline("mrss", -5) == 0.0
    assert p.change_from_baseline("crp_mg_l", 180) == 4.0
    assert p.change_from_baseline("crp_mg_l", 180, percent=True) is None  # baseline 0
    assert p.change_from_baseline("mrss") == {180: -5.0, 365: None}
    assert Patient(id="Q", visits=[Visit(day=10, skin=skin(3))]).change_from_baseline("mrss") == {
        10: None
    }


@given(
    base=st.integers(0, 51),
    follow=st.integers(0, 51),
    base_day=st.integers(-90, 0),
    follow_day=st.integers(1, 2000),
)
def test_change_is_follow_up_minus_baseline(
    base: int, follow: int, base_day: int, follow_day: int
) -> None:
    p = Patient(
        id="P",
        visits=[Visit(day=base_day, skin=skin(base)), Visit(day=follow_day, skin=skin(follow))],
    )
    assert p.change_from_baseline("mrss", follow_day) == follow - base
    pct = p.change_from_baseline("mrss", follow_day, percent=True)
    if base == 0:
        assert pct is None
    else:
        assert pct is not None
        assert math.isclose(pct, 100 * (follow - base) / base)


# --------------------------------------------------------------------------------------
# dates, days of death and last contact, and extra (branches the coverage run found)
# --------------------------------------------------------------------------------------
def test_a_not_a_time_date_is_missing() -> None:
    visit = Visit.from_record({"patient_id": "P1", "day": 0, "date": np.datetime64("NaT", "D")})
    assert visit.date is None
    assert visit.day == 0


def test_extra_none_is_no_extra() -> None:
    assert Patient(id="P1", extra=None).extra == {}  # type: ignore[arg-type]


def test_death_before_last_contact_is_refused() -> None:
    with pytest.raises(
        SchemaError,
        match=r"^patient 'P1': death_day 10 is before last_contact_day 20 "
        r"\(death before last contact\)$",
    ):
        Patient(id="P1", death_day=10, last_contact_day=20)


def test_days_of_death_and_last_contact_are_derived_from_their_dates() -> None:
    p = Patient(
        id="P1",
        index_date=dt.date(2020, 1, 1),
        last_contact_date=dt.date(2020, 12, 31),
        death_date=dt.date(2021, 1, 1),
        death_day=366,
    )
    assert (p.last_contact_day, p.death_day) == (365, 366)


def test_a_death_date_before_the_index_date_is_refused() -> None:
    with pytest.raises(
        SchemaError,
        match=r"^patient 'P1': death_date 2019-12-31 is before the index_date 2020-01-01$",
    ):
        Patient(id="P1", index_date=dt.date(2020, 1, 1), death_date=dt.date(2019, 12, 31))


def test_a_day_that_disagrees_with_its_date_is_refused() -> None:
    with pytest.raises(
        SchemaError,
        match=r"^patient 'P1': last_contact_date 2020-01-11 gives last_contact_day 10 "
        r"\(last_contact_date - index_date\) but last_contact_day = 12; the day and the "
        r"date disagree$",
    ):
        Patient(
            id="P1",
            index_date=dt.date(2020, 1, 1),
            last_contact_date=dt.date(2020, 1, 11),
            last_contact_day=12,
        )


def test_a_visit_after_the_last_contact_is_refused() -> None:
    with pytest.raises(
        SchemaError,
        match=r"^patient 'P1': visit on day 31 is after last_contact_day 30$",
    ):
        Patient(id="P1", last_contact_day=30, visits=[Visit(day=0), Visit(day=31)])
