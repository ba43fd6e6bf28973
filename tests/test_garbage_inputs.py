"""One regular test per escape point the fuzz test (tests/test_fuzz.py) found and fixed:
garbage raises a library error naming the argument and the value."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sscoutcomes as ssc
from sscoutcomes.errors import OutOfRangeError, SchemaError


def test_mrss_total_refuses_text() -> None:
    with pytest.raises(SchemaError, match=r"sites = 'abc' is not a number"):
        ssc.mrss_total(["abc"] * 17)
    with pytest.raises(SchemaError, match=r"sites = '3' is not a number"):
        ssc.mrss_total(["3"] * 17)


def test_cutaneous_subset_refuses_text() -> None:
    with pytest.raises(SchemaError, match="sites = 'x'"):
        ssc.cutaneous_subset(["x"] * 17)


def test_haq_disability_index_refuses_text_items() -> None:
    with pytest.raises(SchemaError, match="items = 'abc'"):
        ssc.haq_disability_index(["abc"] * 20)


def test_shaq_vas_score_refuses_text() -> None:
    with pytest.raises(SchemaError, match="mm = 'abc'"):
        ssc.shaq_vas_score("abc")


def test_absolute_and_percent_change_refuse_text_and_mismatched_shapes() -> None:
    with pytest.raises(SchemaError, match="follow_up = 'abc'"):
        ssc.absolute_change(1.0, "abc")
    with pytest.raises(SchemaError, match="baseline = 'x'"):
        ssc.percent_change(["x"], [1.0])
    with pytest.raises(SchemaError, match="baseline and follow_up have shapes"):
        ssc.absolute_change([1.0, 2.0], [1.0, 2.0, 3.0])
    assert ssc.absolute_change([1, None], [3, 4]).tolist()[0] == 2.0


def test_hrct_change_refuses_mismatched_lengths_and_non_text_comparison() -> None:
    with pytest.raises(SchemaError, match="lengths"):
        ssc.hrct_change(None, [10.0, 20.0], [10.0, 20.0, 30.0])
    with pytest.raises(SchemaError, match="= 3"):
        ssc.hrct_change([3], [10.0], [12.0])
    with pytest.raises(SchemaError, match="follow_up_spap = 'abc'"):
        ssc.pah_change(None, [30.0], ["abc"])


def test_estimate_rap_refuses_mismatched_shapes() -> None:
    with pytest.raises(SchemaError, match="ivc_diameter_cm and ivc_collapse_pct"):
        ssc.estimate_rap([1.5, 2.0], [40.0, 50.0, 60.0])


def test_criss_probability_refuses_mismatched_shapes() -> None:
    with pytest.raises(SchemaError, match="do not broadcast"):
        ssc.criss_probability([1.0, 2.0], [1.0, 2.0, 3.0], 0, 0, 0)


def test_fvc_eustar_category_refuses_text_and_non_bool_relative() -> None:
    with pytest.raises(SchemaError, match="baseline = 'abc'"):
        ssc.fvc_eustar_category(["abc"], [80.0])
    with pytest.raises(SchemaError, match="relative = 'abc'"):
        ssc.fvc_eustar_category([80.0], [70.0], relative="abc")


def test_eustar_active_checks_cutoff_and_score() -> None:
    with pytest.raises(OutOfRangeError, match="cutoff = 'abc' is not a number"):
        ssc.eustar_active(3.0, cutoff="abc")
    with pytest.raises(OutOfRangeError, match=r"score = 11 is outside 0\.\.10"):
        ssc.eustar_active([11.0])
    assert ssc.eustar_active(3.0) is True


def test_column_spec_and_schema_table_refuse_non_text() -> None:
    with pytest.raises(SchemaError, match="column name = 3 is not text"):
        ssc.column_spec(3)  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="frame = "):
        ssc.column_spec("mrss", frame=pd.DataFrame())  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="frame = "):
        ssc.schema_table(["visits"])  # type: ignore[arg-type]


def test_drop_invalid_refuses_non_text_frame() -> None:
    visits = pd.DataFrame({"patient_id": ["a"], "day": [0]})
    with pytest.raises(SchemaError, match="frame = "):
        ssc.drop_invalid(visits, pd.DataFrame(), frame=pd.DataFrame())  # type: ignore[arg-type]


def test_validate_visits_refuses_non_bool_require_sorted() -> None:
    visits = pd.DataFrame({"patient_id": ["a"], "day": [0]})
    with pytest.raises(SchemaError, match="require_sorted = "):
        ssc.validate_visits(visits, require_sorted=pd.DataFrame())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "cls",
    [
        ssc.SkinScore,
        ssc.HAQ,
        ssc.SHAQ,
        ssc.EchoFinding,
        ssc.GlobalAssessment,
        ssc.LungImaging,
        ssc.PulmonaryFunction,
        ssc.VascularAssessment,
        ssc.Visit,
        ssc.Patient,
    ],
)
def test_from_record_refuses_non_mapping_and_repeated_fields(cls: type) -> None:
    with pytest.raises(SchemaError, match=r"record = 3 is not a mapping"):
        cls.from_record(3)  # type: ignore[attr-defined]
    row = pd.Series([1, 2], index=["patient_global", "patient_global"])
    with pytest.raises(SchemaError, match="repeated field"):
        cls.from_record(row)  # type: ignore[attr-defined]


def test_skin_score_from_sites_refuses_non_mapping() -> None:
    with pytest.raises(SchemaError, match="sites = "):
        ssc.SkinScore.from_sites([1, 2])  # type: ignore[arg-type]


def test_summarize_reads_nullable_dtypes() -> None:
    ints = ssc.summarize(pd.Series([18, None, 20, 25], dtype="Int64"))
    assert (ints.n, ints.n_missing, ints.mean, ints.median) == (3, 1, 21.0, 20.0)
    floats = ssc.summarize(pd.Series([1.5, None, 2.5], dtype="Float64"))
    assert (floats.n, floats.n_missing, floats.mean) == (2, 1, 2.0)
    flags = ssc.summarize(pd.Series([True, None, False, True], dtype="boolean"))
    assert (flags.n, flags.n_missing) == (3, 1)
    assert math.isclose(flags.mean, 2 / 3)
    empty = ssc.summarize(pd.Series([None, None], dtype="string"))
    assert (empty.n, empty.n_missing) == (0, 2)
    with pytest.raises(SchemaError, match="values = 'x' is not a number"):
        ssc.summarize(pd.Series(["x"], dtype="string"))


def test_summarize_on_cohort_columns() -> None:
    visits = ssc.load_demo().visits
    got = ssc.summarize(visits["mrss_face"])  # Int64 in the cohort
    values = visits["mrss_face"].dropna().to_numpy(dtype=float)
    assert got.n == values.size
    assert math.isclose(got.mean, values.mean())
    assert ssc.summarize(visits["raynauds"]).n == visits["raynauds"].notna().sum()


def test_summarize_checks_its_option_and_infinity() -> None:
    with pytest.raises(SchemaError, match="quantile_method = "):
        ssc.summarize([1.0, 2.0], quantile_method=pd.DataFrame())  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError, match="values = inf"):
        ssc.summarize([1.0, math.inf])


def test_format_mean_sd_and_format_proportion_check_their_arguments() -> None:
    with pytest.raises(OutOfRangeError, match="decimals = 'x'"):
        ssc.format_mean_sd(1.0, 1.0, 3, decimals="x")  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError, match="mean and sd = 'abc'"):
        ssc.format_mean_sd("abc", 1.0, 3)  # type: ignore[arg-type]
    with pytest.raises(OutOfRangeError, match=r"k = 5 is outside 0\.\.3"):
        ssc.format_proportion(5, 3)
    with pytest.raises(OutOfRangeError, match="n = 'abc'"):
        ssc.format_proportion(1, "abc")  # type: ignore[arg-type]
    assert ssc.format_mean_sd(None, np.nan, 0) == "NA (NA, 0)"  # type: ignore[arg-type]


def test_kaplan_meier_refuses_text_events_and_unhashable_conf_type() -> None:
    with pytest.raises(OutOfRangeError, match="event = 'abc' is not 0/1"):
        ssc.kaplan_meier([1.0, 2.0], np.array(["abc", "x"]))
    with pytest.raises(SchemaError, match="conf_type = "):
        ssc.kaplan_meier([1.0], [1], conf_type=pd.DataFrame())  # type: ignore[arg-type]
    km = ssc.kaplan_meier([1.0, 2.0], [1, 0])
    with pytest.raises(SchemaError, match="times = 'abc'"):
        km.survival_at(["abc"])


def test_responder_definition_refuses_text_series() -> None:
    definition = ssc.RESPONDER_DEFINITIONS["mrss_improvement_5pt"]
    with pytest.raises(SchemaError, match="baseline 'mrss' = 'x' is not a number"):
        definition.evaluate_many(pd.Series(["x"], dtype="string"), [10.0])
    with pytest.raises(SchemaError, match="baseline 'mrss' = 'x'"):
        ssc.mrss_course(pd.Series(["x"]), [10.0])


def test_shaq_refuses_unhashable_scale() -> None:
    with pytest.raises(OutOfRangeError, match="scale_mm = "):
        ssc.shaq_vas_score(50.0, scale_mm=[150])  # type: ignore[arg-type]


def test_cohort_from_patients_refuses_non_iterable() -> None:
    with pytest.raises(SchemaError, match="patients = None is not a list"):
        ssc.Cohort.from_patients(None)  # type: ignore[arg-type]


def test_echo_finding_refuses_several_values_for_one_flag() -> None:
    with pytest.raises(SchemaError, match=r"other_signs = .* is not one yes/no value"):
        ssc.EchoFinding(other_signs=[True, False])


def test_array_faces_refuse_infinity() -> None:
    with pytest.raises(ssc.OutOfRangeError, match="is not a finite number"):
        ssc.absolute_change(float("inf"), 1)
    with pytest.raises(ssc.OutOfRangeError, match="is not a finite number"):
        ssc.mrss_total([1] * 16 + [float("-inf")])
    assert ssc.absolute_change(3, 1) == -2


def test_kaplan_meier_refuses_text_times() -> None:
    with pytest.raises(ssc.SchemaError, match="is text, not a number of days"):
        ssc.kaplan_meier(["3", 4.0], [1, 0])
