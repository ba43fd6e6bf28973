"""Who and when: visits, patients, cohorts and the canonical column schema.

Examples
--------
>>> from sscoutcomes.cohort import Cohort, Patient, Visit
>>> Cohort.from_patients([Patient(id="P1", visits=[Visit(day=0)])])
Cohort(1 patients, 1 visits)
"""

from __future__ import annotations

from .cohort import Cohort
from .mapping import ColumnMapping
from .patient import VISIT_MEASURES, Patient, Visit
from .schema import (
    PATIENT_COLUMNS,
    VISIT_COLUMNS,
    ColumnGroup,
    column_spec,
    drop_invalid,
    schema_table,
    validate_patients,
    validate_visits,
)

__all__ = [
    "PATIENT_COLUMNS",
    "VISIT_COLUMNS",
    "VISIT_MEASURES",
    "Cohort",
    "ColumnGroup",
    "ColumnMapping",
    "Patient",
    "Visit",
    "column_spec",
    "drop_invalid",
    "schema_table",
    "validate_patients",
    "validate_visits",
]
