"""sscoutcomes: longitudinal outcome measures for systemic sclerosis.

Scoring, responder definitions and change from baseline for the modified Rodnan skin
score, HAQ-DI, lung function, HRCT, echocardiography and composite indices, with the same
formula behind a one-patient object face and a whole-cohort DataFrame face; cohorts,
schedules, summaries, survival and a follow-up report on top.

Examples
--------
>>> import sscoutcomes as ssc
>>> ssc.SkinScore.from_total(18).total
18
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

# --- CDISC ADaM export -------------------------------------------------------------------
from .adam import (
    to_adam,
    write_adam,
)

# --- change and responders ---------------------------------------------------------------
from .analysis.change import (
    absolute_change,
    change_from_baseline,
    hrct_change_from_baseline,
    pah_change_from_baseline,
    percent_change,
)

# --- competing risks -------------------------------------------------------------------
from .analysis.competing import (
    CumulativeIncidence,
    GrayTest,
    cumulative_incidence,
    gray_test,
)

# --- event-free survival --------------------------------------------------------------
from .analysis.events import (
    EVENT_KINDS,
    EVENT_PRESETS,
    FVC_DECLINE_TYPES,
    event_free_survival,
)

# --- annual rate of change --------------------------------------------------------------
from .analysis.rate import (
    AnnualRate,
    annual_rate,
)

# --- responder rates ---------------------------------------------------------------------
from .analysis.rates import (
    ResponderRates,
    responder_rates,
)

# --- responder definitions ---------------------------------------------------------------
from .analysis.responders import (
    RESPONDER_DEFINITIONS,
    ResponderDefinition,
    Response,
)

# --- schedules ---------------------------------------------------------------------------
from .analysis.schedule import (
    FOLLOW_UP_STATUSES,
    Schedule,
    Timepoint,
    timepoint_counts,
)

# --- summaries ---------------------------------------------------------------------------
from .analysis.summary import (
    GroupDifference,
    HypothesisTest,
    PairedChange,
    ProportionCI,
    Summary,
    format_mean_sd,
    format_proportion,
    mean_difference,
    paired_change,
    proportion_ci,
    proportion_difference,
    summarize,
)

# --- survival ----------------------------------------------------------------------------
from .analysis.survival import (
    CoxPH,
    KaplanMeier,
    LogRank,
    cox_ph,
    kaplan_meier,
    logrank,
)

# --- Table 1 -----------------------------------------------------------------------------
from .analysis.table_one import (
    TableOne,
    table_one,
)

# --- generalized pairwise comparisons ---------------------------------------------------
from .analysis.win_ratio import (
    Outcome,
    WinRatio,
    grcs_outcomes,
    win_ratio,
)

# --- cohorts -----------------------------------------------------------------------------
from .cohort.cohort import (
    Cohort,
)
from .cohort.mapping import ColumnMapping

# --- visits and patients -----------------------------------------------------------------
from .cohort.patient import (
    Patient,
    Visit,
)

# --- schema ------------------------------------------------------------------------------
from .cohort.schema import (
    PATIENT_COLUMNS,
    VISIT_COLUMNS,
    column_spec,
    drop_invalid,
    schema_table,
    validate_patients,
    validate_visits,
)

# --- data sets ---------------------------------------------------------------------------
from .datasets import (
    load_demo,
    simulate_cohort,
)

# --- errors ------------------------------------------------------------------------------
from .errors import (
    OutOfRangeError,
    SchemaError,
    SSCOutcomesError,
    SSCOutcomesWarning,
    UnitError,
)

# --- EUSTAR activity ---------------------------------------------------------------------
from .indices.activity import (
    eustar_active,
    eustar_activity_index,
    score_eustar_activity,
)

# --- 2013 ACR/EULAR classification -------------------------------------------------------
from .indices.classification import (
    ACREULARClassification,
    classify_acr_eular_2013,
    score_acr_eular_2013,
)

# --- CRISS -------------------------------------------------------------------------------
from .indices.criss import (
    CRISSResult,
    RevisedCRISSResult,
    criss,
    criss_frame,
    criss_from_visits,
    criss_probability,
    criss_step1,
    revised_criss,
    revised_criss_frame,
)

# --- Medsger severity --------------------------------------------------------------------
from .indices.severity import (
    MEDSGER_ORGANS,
    MedsgerSeverity,
    medsger_severity,
    score_medsger,
)

# --- global assessments ------------------------------------------------------------------
from .measures.globals import (
    GlobalAssessment,
    score_globals,
)

# --- HAQ -----------------------------------------------------------------------------
from .measures.haq import (
    HAQ,
    HAQ_AIDS,
    HAQ_CATEGORIES,
    HAQ_ITEMS,
    HAQ_VARIANTS,
    haq_category_scores,
    haq_di_change_definition,
    haq_disability_index,
    score_haq,
)

# --- heart -------------------------------------------------------------------------------
from .measures.heart import (
    DetectResult,
    EchoFinding,
    PericardialEffusion,
    PHProbability,
    detect_pah,
    echo_signs_two_categories,
    estimate_rap,
    estimate_spap,
    pah_change,
    ph_probability,
    score_echo,
)

# --- lung --------------------------------------------------------------------------------
from .measures.lung import (
    GohStage,
    HRCTChange,
    HRCTPattern,
    LungImaging,
    PulmonaryFunction,
    fvc_eustar_category,
    goh_stage,
    hrct_change,
    ppf_2022,
    score_pft,
)

# --- SHAQ ------------------------------------------------------------------------------
from .measures.scleroid import (
    SCLEROID_DIMENSIONS,
    SCLEROID_WEIGHTS,
    ScleroID,
    scleroid_score,
    score_scleroid,
)
from .measures.shaq import (
    SHAQ,
    SHAQ_SCALES,
    score_shaq,
    shaq_vas_score,
)

# --- skin --------------------------------------------------------------------------------
from .measures.skin import (
    SKIN_SITES,
    CutaneousSubset,
    SkinCourse,
    SkinScore,
    cutaneous_subset,
    mrss_change_definition,
    mrss_course,
    mrss_total,
    score_mrss,
    skin_subset,
)

# --- peripheral vascular -----------------------------------------------------------------
from .measures.vascular import (
    VASCULAR_GRADES,
    VascularAssessment,
    score_vascular,
    vascular_grade,
)

# --- report ------------------------------------------------------------------------------
from .report import (
    FollowUpReport,
)

# --- scoring -----------------------------------------------------------------------------
from .scoring import (
    score_visits,
)

try:
    __version__ = version("sscoutcomes")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "EVENT_KINDS",
    "EVENT_PRESETS",
    "FOLLOW_UP_STATUSES",
    "FVC_DECLINE_TYPES",
    "HAQ",
    "HAQ_AIDS",
    "HAQ_CATEGORIES",
    "HAQ_ITEMS",
    "HAQ_VARIANTS",
    "MEDSGER_ORGANS",
    "PATIENT_COLUMNS",
    "RESPONDER_DEFINITIONS",
    "SCLEROID_DIMENSIONS",
    "SCLEROID_WEIGHTS",
    "SHAQ",
    "SHAQ_SCALES",
    "SKIN_SITES",
    "VASCULAR_GRADES",
    "VISIT_COLUMNS",
    "ACREULARClassification",
    "AnnualRate",
    "CRISSResult",
    "Cohort",
    "ColumnMapping",
    "CoxPH",
    "CumulativeIncidence",
    "CutaneousSubset",
    "DetectResult",
    "EchoFinding",
    "FollowUpReport",
    "GlobalAssessment",
    "GohStage",
    "GrayTest",
    "GroupDifference",
    "HRCTChange",
    "HRCTPattern",
    "HypothesisTest",
    "KaplanMeier",
    "LogRank",
    "LungImaging",
    "MedsgerSeverity",
    "OutOfRangeError",
    "Outcome",
    "PHProbability",
    "PairedChange",
    "Patient",
    "PericardialEffusion",
    "ProportionCI",
    "PulmonaryFunction",
    "ResponderDefinition",
    "ResponderRates",
    "Response",
    "RevisedCRISSResult",
    "SSCOutcomesError",
    "SSCOutcomesWarning",
    "Schedule",
    "SchemaError",
    "ScleroID",
    "SkinCourse",
    "SkinScore",
    "Summary",
    "TableOne",
    "Timepoint",
    "UnitError",
    "VascularAssessment",
    "Visit",
    "WinRatio",
    "__version__",
    "absolute_change",
    "annual_rate",
    "change_from_baseline",
    "classify_acr_eular_2013",
    "column_spec",
    "cox_ph",
    "criss",
    "criss_frame",
    "criss_from_visits",
    "criss_probability",
    "criss_step1",
    "cumulative_incidence",
    "cutaneous_subset",
    "detect_pah",
    "drop_invalid",
    "echo_signs_two_categories",
    "estimate_rap",
    "estimate_spap",
    "eustar_active",
    "eustar_activity_index",
    "event_free_survival",
    "format_mean_sd",
    "format_proportion",
    "fvc_eustar_category",
    "goh_stage",
    "gray_test",
    "grcs_outcomes",
    "haq_category_scores",
    "haq_di_change_definition",
    "haq_disability_index",
    "hrct_change",
    "hrct_change_from_baseline",
    "kaplan_meier",
    "load_demo",
    "logrank",
    "mean_difference",
    "medsger_severity",
    "mrss_change_definition",
    "mrss_course",
    "mrss_total",
    "pah_change",
    "pah_change_from_baseline",
    "paired_change",
    "percent_change",
    "ph_probability",
    "ppf_2022",
    "proportion_ci",
    "proportion_difference",
    "responder_rates",
    "revised_criss",
    "revised_criss_frame",
    "schema_table",
    "scleroid_score",
    "score_acr_eular_2013",
    "score_echo",
    "score_eustar_activity",
    "score_globals",
    "score_haq",
    "score_medsger",
    "score_mrss",
    "score_pft",
    "score_scleroid",
    "score_shaq",
    "score_vascular",
    "score_visits",
    "shaq_vas_score",
    "simulate_cohort",
    "skin_subset",
    "summarize",
    "table_one",
    "timepoint_counts",
    "to_adam",
    "validate_patients",
    "validate_visits",
    "vascular_grade",
    "win_ratio",
    "write_adam",
]
