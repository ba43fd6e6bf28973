"""The instrument registry: a new instrument is its declaration and one registration.

A toy instrument is added through :func:`sscoutcomes.registry.registered` alone; nothing
else is edited. The schema table lists its columns, ``validate_visits`` checks them with
their declared range, ``score_visits`` adds its output, and ``responder_rates`` uses its
responder definition by name.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import sscoutcomes as ssc
from sscoutcomes._response import ResponderDefinition, response_codes
from sscoutcomes._validation import ColumnSpec, FailureCollector, float_column
from sscoutcomes.errors import OutOfRangeError, SchemaError
from sscoutcomes.measures._instrument import Instrument, frame_face, score_frame
from sscoutcomes.registry import INSTRUMENTS, register, registered, unregister

_TOY_COLUMNS = (
    ColumnSpec(name="toy_a", dtype="int", lo=0, hi=10, integer=True, description="toy item a"),
    ColumnSpec(name="toy_b", dtype="int", lo=0, hi=10, integer=True, description="toy item b"),
)


def _toy_kernel(a: Any, b: Any) -> Any:
    return np.asarray(a, dtype=float) + np.asarray(b, dtype=float)


@frame_face
def score_toy(visits: pd.DataFrame) -> pd.DataFrame:
    collector = FailureCollector(visits)
    a, b = (float_column(visits, spec, collector) for spec in _TOY_COLUMNS)
    collector.raise_if_failed()
    return pd.DataFrame({"toy_sum": _toy_kernel(a, b)}, index=visits.index)


def _improved_by_3(base: Any, follow: Any) -> Any:
    b, f = base["toy_sum"], follow["toy_sum"]
    evaluable = ~np.isnan(b) & ~np.isnan(f)
    with np.errstate(invalid="ignore"):
        return response_codes(b - f >= 3, evaluable)


TOY_IMPROVEMENT = ResponderDefinition(
    name="toy_improvement_3pt",
    measures=("toy_sum",),
    reference="a test fixture (no publication)",
    description="toy_sum decrease of 3 points or more",
    rule=_improved_by_3,
)

TOY = Instrument(
    name="toy",
    title="a toy instrument",
    columns=_TOY_COLUMNS,
    prefixes=("toy_",),
    score=score_toy,
    kernel=_toy_kernel,
    outputs=("toy_sum",),
    responders=(TOY_IMPROVEMENT,),
    references=("a test fixture",),
)


def _visits() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "patient_id": ["p1", "p1", "p2", "p2", "p3", "p3"],
            "day": [0, 365, 0, 360, 0, 370],
            "toy_a": [5, 2, 4, 4, None, 1],
            "toy_b": [5, 4, 4, 3, 3, 1],
        }
    )


def test_a_registered_instrument_is_listed_in_the_schema_table() -> None:
    with registered(TOY):
        table = ssc.schema_table().set_index("name")
        assert table.loc["toy_a", "range"] == "0..10"
        assert ssc.column_spec("toy_b").description == "toy item b"
    assert "toy_a" not in ssc.schema_table()["name"].tolist()


def test_a_registered_instrument_is_validated_with_its_declared_range() -> None:
    bad = _visits().assign(toy_a=[5, 2, 11, 4, None, 1])
    with registered(TOY):
        out = ssc.validate_visits(_visits())
        assert str(out["toy_a"].dtype) == "Int64"
        with pytest.raises(OutOfRangeError, match=r"toy_a = 11.0 is outside 0..10") as err:
            ssc.validate_visits(bad)
        assert err.value.failure_cases["patient_id"].tolist() == ["p2"]
        with pytest.raises(SchemaError, match="toy_c"):  # its prefix is owned
            ssc.validate_visits(_visits().assign(toy_c=1))


def test_a_registered_instrument_is_scored_by_score_visits() -> None:
    with registered(TOY):
        scored = ssc.score_visits(_visits())
    assert scored["toy_sum"].tolist()[:4] == [10.0, 6.0, 8.0, 7.0]
    assert np.isnan(scored["toy_sum"].iloc[4])  # a missing item is missing, never 0
    with pytest.raises(SchemaError, match="no measure columns"):
        ssc.score_visits(_visits())  # unregistered again: nothing to score


def test_a_registered_instrument_is_usable_in_responder_rates() -> None:
    schedule = ssc.Schedule.years(0, 1, window_days=30)
    with registered(TOY):
        assert "toy_improvement_3pt" in ssc.RESPONDER_DEFINITIONS
        scored = ssc.score_visits(_visits())
        rates = ssc.responder_rates(scored, "toy_improvement_3pt", schedule)
        row = rates.table.iloc[0]
        # p1: 10 -> 6 responder; p2: 8 -> 7 non-responder; p3: baseline missing
        assert (row["n_responder"], row["n_evaluable"], row["n_not_evaluable"]) == (1, 2, 1)
    assert "toy_improvement_3pt" not in ssc.RESPONDER_DEFINITIONS


def test_register_refuses_a_column_declared_twice_and_a_taken_name() -> None:
    clash = Instrument(name="clash", title="clash", columns=(ssc.column_spec("mrss"),))
    with pytest.raises(SchemaError, match=r"'mrss' \(skin\)"):
        register(clash)
    with pytest.raises(SchemaError, match="already registered"):
        register(Instrument(name="skin", title="again"))
    with pytest.raises(SchemaError, match="built in"):
        unregister("haq")
    assert next(iter(INSTRUMENTS)) == "skin"


def test_every_declared_column_has_one_owner() -> None:
    names = [spec.name for inst in INSTRUMENTS.values() for spec in inst.columns]
    assert len(names) == len(set(names))


def test_every_visit_measure_field_comes_from_the_registry() -> None:
    from sscoutcomes.cohort.patient import VISIT_MEASURES

    declared = [(i.field, i.record) for i in INSTRUMENTS.values() if i.record is not None]
    assert list(VISIT_MEASURES) == declared
    fields = {f.name for f in __import__("attrs").fields(ssc.Visit)}
    plain = {s.name for i in INSTRUMENTS.values() if i.record is None for s in i.columns}
    assert {name for name, _ in declared} | plain <= fields


# --------------------------------------------------------------------------------------
# refused registrations, declarations and score_visits outputs
# --------------------------------------------------------------------------------------
def test_register_refuses_what_is_not_an_instrument() -> None:
    with pytest.raises(SchemaError, match=r"^register\(\) takes an Instrument; got str$"):
        register("toy")  # type: ignore[arg-type]


def test_register_refuses_a_responder_definition_whose_name_is_taken() -> None:
    other = Instrument(
        name="toy_twin",
        title="another toy",
        columns=(ColumnSpec(name="toy_c", dtype="float", lo=0, hi=1, description="toy c"),),
        responders=(TOY_IMPROVEMENT,),
    )
    with (
        registered(TOY),
        pytest.raises(
            SchemaError,
            match=r"^instrument 'toy_twin': responder definition 'toy_improvement_3pt' is "
            r"already defined$",
        ),
    ):
        register(other)
    assert "toy_twin" not in INSTRUMENTS


def test_unregister_names_an_instrument_that_is_not_registered() -> None:
    with pytest.raises(SchemaError, match=r"^no instrument named 'toy' is registered$"):
        unregister("toy")


def test_an_instrument_needs_both_record_and_field_or_neither() -> None:
    with pytest.raises(
        SchemaError, match=r"^instrument 'toy': give both record and field, or neither$"
    ):
        Instrument(name="toy", title="a toy", field="toy")


def test_an_instrument_with_outputs_needs_a_score_function() -> None:
    with pytest.raises(
        SchemaError, match=r"^instrument 'toy' declares outputs but no score function$"
    ):
        Instrument(name="toy", title="a toy", outputs=("toy_sum",))


def test_spec_names_a_column_the_instrument_does_not_declare() -> None:
    assert TOY.spec("toy_a") is _TOY_COLUMNS[0]
    with pytest.raises(SchemaError, match=r"^'toy_z' is not a column of the instrument 'toy'$"):
        TOY.spec("toy_z")


def test_score_frame_refuses_an_instrument_without_a_score_function() -> None:
    bare = Instrument(name="bare", title="nothing to score", columns=_TOY_COLUMNS)
    with pytest.raises(SchemaError, match=r"^instrument 'bare' has nothing to score$"):
        score_frame(bare, _visits())


def test_score_visits_takes_one_output_name_as_text() -> None:
    with registered(TOY):
        scored = ssc.score_visits(_visits(), outputs="toy_sum")
    assert list(scored.columns) == [*_visits().columns, "toy_sum"]
    np.testing.assert_array_equal(scored["toy_sum"], [10.0, 6.0, 8.0, 7.0, np.nan, 2.0])


@pytest.mark.parametrize(
    ("outputs", "message"),
    [
        (3, r"^outputs must be output column names; got int$"),
        (b"toy_sum", r"^outputs must be output column names; got bytes$"),
        (["toy_sum", 3], r"^outputs: 3 is not an output column name$"),
    ],
)
def test_score_visits_refuses_outputs_that_are_not_names(outputs: Any, message: str) -> None:
    with pytest.raises(SchemaError, match=message):
        ssc.score_visits(_visits(), outputs=outputs)


def test_score_visits_refuses_an_output_that_is_not_a_score() -> None:
    visits = pd.DataFrame({"patient_id": ["a"], "day": [0], "mrss": [12]})
    with pytest.raises(
        SchemaError,
        match=r"^outputs: 'mrsss' is not a score that score_visits writes \(did you mean "
        r"'mrss'\?\); the scores are: .*\bhaq_di\b.*\bmrss\b",
    ):
        ssc.score_visits(visits, outputs=["mrss", "mrsss"])
    # a raw measure is not a score either: it is read, not written
    with pytest.raises(SchemaError, match=r"^outputs: 'crp_mg_l' is not a score"):
        ssc.score_visits(visits, outputs="crp_mg_l")


def test_score_visits_adds_nothing_for_a_score_whose_columns_are_absent() -> None:
    visits = pd.DataFrame({"patient_id": ["a"], "day": [0], "mrss": [12]})
    out = ssc.score_visits(visits, outputs="haq_di")
    pd.testing.assert_frame_equal(out, visits)
    assert out is not visits
