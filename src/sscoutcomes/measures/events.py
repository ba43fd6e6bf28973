"""Organ events and laboratory values: recorded facts that no single instrument owns.

They are read by the composite indices (CRISS step 1, the revised EUSTAR activity index,
the Medsger severity scale) and by the event-free analyses. Each column is declared here
once, with its unit and valid range; the schema, :class:`~sscoutcomes.Visit`'s fields and
every index read them from :data:`EVENTS`.

Ranges are definitional (non-negative concentrations, percentages 0-100), plus two unit
guards where a value above the bound can only be the other unit: serum creatinine above
30 mg/dL (a value in umol/L) and a fingertip-to-palm distance above 20 cm (a value in mm).

Examples
--------
>>> from sscoutcomes.measures.events import EVENTS
>>> EVENTS.spec("creatinine_mg_dl").range_text
'0..30 mg/dL'
"""

from __future__ import annotations

import math
from typing import Final

from .._validation import ColumnSpec
from ._instrument import Instrument

__all__ = ["EVENTS", "EVENT_COLUMNS"]

_INF: Final = math.inf

#: Organ events and laboratory values (recorded; nothing to score).
EVENT_COLUMNS: Final[tuple[ColumnSpec, ...]] = (
    ColumnSpec(
        name="renal_crisis",
        dtype="bool",
        description="New scleroderma renal crisis",
    ),
    ColumnSpec(
        name="lv_failure_new",
        dtype="bool",
        description="New left ventricular failure requiring treatment",
    ),
    ColumnSpec(
        name="pah_new_rhc",
        dtype="bool",
        description="New pulmonary arterial hypertension on right heart catheterisation "
        "requiring treatment",
    ),
    ColumnSpec(
        name="fvc_decline_confirmed",
        dtype="bool",
        description="Decline in FVC % predicted confirmed by a repeat test (as the CRISS "
        "step 1 rule requires it)",
    ),
    ColumnSpec(
        name="skin_worsening_patient",
        dtype="bool",
        description="Patient-reported worsening of the skin during the previous month",
    ),
    ColumnSpec(
        name="tendon_friction_rubs",
        dtype="bool",
        description="Tendon friction rubs present",
    ),
    ColumnSpec(
        name="crp_mg_l",
        dtype="float",
        unit="mg/L",
        lo=0,
        hi=_INF,
        description="C-reactive protein in mg/L (1 mg/dL = 10 mg/L)",
    ),
    ColumnSpec(
        name="creatinine_mg_dl",
        dtype="float",
        unit="mg/dL",
        lo=0,
        hi=30,
        hint="give mg/dL, not umol/L",
        description="Serum creatinine in mg/dL (1 mg/dL = 88.4 umol/L)",
    ),
    ColumnSpec(
        name="hematocrit_pct",
        dtype="float",
        unit="%",
        lo=0,
        hi=100,
        description="Haematocrit in %",
    ),
    ColumnSpec(
        name="weight_loss_pct",
        dtype="float",
        unit="%",
        lo=0,
        hi=100,
        description="Weight loss in % of usual body weight (0 when none)",
    ),
    ColumnSpec(
        name="fingertip_palm_distance_cm",
        dtype="float",
        unit="cm",
        lo=0,
        hi=20,
        hint="give cm, not mm",
        description="Fingertip-to-palm distance in flexion, in cm",
    ),
    ColumnSpec(
        name="telangiectasia",
        dtype="bool",
        description="Telangiectasia present",
    ),
)

#: The declaration -- recorded columns only (no score, no object face).
EVENTS: Final = Instrument(
    name="events and labs",
    title="organ events and laboratory values",
    columns=EVENT_COLUMNS,
)
