"""CDISC ADaM datasets from a cohort: ``ADSL``, ``ADEFF`` (BDS) and ``ADTTE``.

:func:`to_adam` turns a :class:`~sscoutcomes.Cohort` and a
:class:`~sscoutcomes.Schedule` into three ADaM datasets named and derived as the ADaM
Implementation Guide 1.3 (ADaMIG) and R's admiral name them:

* ``ADSL``, one row per subject: ``STUDYID``, ``USUBJID``, ``SUBJID``, ``SEX``, ``AGE``,
  ``AGEU``, ``SUBSET``, ``ARM``/``TRT01P`` (where the patients frame has ``arm``),
  ``INDEXDT`` (the index date, day 0), ``DTHFL``, ``DTHDT``, ``DTHADY``, ``LSTALVDT``,
  ``LSTALVDY``.
* ``ADEFF``, a Basic Data Structure with one row per subject, parameter and visit:
  ``PARAMCD``/``PARAM`` for every scored measure (:func:`adam_parameters`), ``AVAL`` or
  ``AVALC``, ``ADT``, ``ADY``, ``AVISIT``/``AVISITN`` from the schedule, ``ABLFL``,
  ``BASE``/``BASEC``, ``CHG``, ``PCHG``, ``ANL01FL`` and ``CRITy``/``CRITyFL`` for the
  responder definitions of the parameter.
* ``ADTTE``, one row per subject and time-to-event parameter: overall survival
  (``PARAMCD`` ``"OS"``) with ``AVAL`` in days, ``CNSR``, ``STARTDT``, ``ADT``,
  ``EVNTDESC`` and ``CNSDTDSC``.

:func:`write_adam` writes them as CSV, Parquet (extra ``parquet``) or SAS XPORT version 5
(extra ``xpt``, ``pyreadstat``). The user guide (``docs/guide/adam.rst``) lists every
variable with its source.

Study days
----------
The library counts days from the index date with the index date as day 0 (``day``).
ADaM study days have no day 0: ``ADY = ADT - INDEXDT + 1`` on and after the reference
date, ``ADT - INDEXDT`` before it. So library day ``d >= 0`` is ``ADY = d + 1`` (the index
date is ``ADY`` 1) and day ``d < 0`` is ``ADY = d`` (the day before the index is -1).
Durations are not study days: ``ADTTE.AVAL`` is the library's time in days (``ADT -
STARTDT``, without admiral's default ``+ 1``), so that the Kaplan-Meier estimate from
``ADTTE`` is the report's.

References
----------
CDISC Analysis Data Model Implementation Guide, version 1.3 (2021).
https://www.cdisc.org/standards/foundational/adam

admiral: ADaM in R Asset Library. https://pharmaverse.github.io/admiral/
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._validation import check_choice, unique_columns
from .analysis.responders import RESPONDER_DEFINITIONS
from .analysis.schedule import Schedule, require_schedule
from .errors import OptionalDependencyError, SchemaError
from .registry import instruments
from .scoring import score_available

__all__ = [
    "ADAM_DATASETS",
    "ADAM_FORMATS",
    "ADEFF_VARIABLES",
    "ADSL_VARIABLES",
    "ADTTE_VARIABLES",
    "PARAMETER_CODES",
    "adam_parameters",
    "adam_study_day",
    "to_adam",
    "write_adam",
]

#: The datasets :func:`to_adam` returns, in order.
ADAM_DATASETS: Final[tuple[str, str, str]] = ("ADSL", "ADEFF", "ADTTE")
#: The file formats of :func:`write_adam`.
ADAM_FORMATS: Final[tuple[str, str, str]] = ("csv", "parquet", "xpt")

#: ``PARAMCD`` and ``PARAM`` of each scored output (the column :func:`score_visits` writes).
#: An output registered later without an entry here gets a code made from its name
#: (:func:`adam_parameters`).
PARAMETER_CODES: Final[Mapping[str, tuple[str, str]]] = {
    "mrss": ("MRSS", "Modified Rodnan Skin Score (0-51)"),
    "haq_di": ("HAQDI", "HAQ Disability Index (0-3)"),
    "scleroid": ("SCLEROID", "EULAR ScleroID (0-10)"),
    "haq_di_unadjusted": ("HAQDIUNA", "HAQ Disability Index Without Aids and Help (0-3)"),
    "haq_cat_dressing": ("HAQDRESS", "HAQ Category Score: Dressing and Grooming (0-3)"),
    "haq_cat_arising": ("HAQARISE", "HAQ Category Score: Arising (0-3)"),
    "haq_cat_eating": ("HAQEAT", "HAQ Category Score: Eating (0-3)"),
    "haq_cat_walking": ("HAQWALK", "HAQ Category Score: Walking (0-3)"),
    "haq_cat_hygiene": ("HAQHYGN", "HAQ Category Score: Hygiene (0-3)"),
    "haq_cat_reach": ("HAQREACH", "HAQ Category Score: Reach (0-3)"),
    "haq_cat_grip": ("HAQGRIP", "HAQ Category Score: Grip (0-3)"),
    "haq_cat_activities": ("HAQACTIV", "HAQ Category Score: Activities (0-3)"),
    "haq_n_categories": ("HAQNCAT", "HAQ Number of Categories Answered (0-8)"),
    "haq_di_source": ("HAQDISRC", "HAQ-DI Source (Items or Recorded)"),
    "shaq_pain": ("SHAQPAIN", "SHAQ Pain VAS (0-3)"),
    "shaq_raynauds": ("SHAQRAYN", "SHAQ Raynaud's VAS (0-3)"),
    "shaq_digital_ulcers": ("SHAQDU", "SHAQ Digital Ulcers VAS (0-3)"),
    "shaq_gi": ("SHAQGI", "SHAQ Gastrointestinal VAS (0-3)"),
    "shaq_breathing": ("SHAQBRTH", "SHAQ Breathing VAS (0-3)"),
    "shaq_overall": ("SHAQOVRL", "SHAQ Overall Severity VAS (0-3)"),
    "patient_global": ("PTGLOBAL", "Patient Global Assessment (0-10)"),
    "physician_global": ("PHGLOBAL", "Physician Global Assessment (0-10)"),
    "fvc_pct_predicted": ("FVCPP", "Forced Vital Capacity (% Predicted)"),
    "dlco_pct_predicted": ("DLCOPP", "DLCO (% Predicted)"),
    "goh_stage": ("GOHSTAGE", "Goh ILD Stage (Limited or Extensive)"),
    "rap_used_mmhg": ("RAP", "Right Atrial Pressure Used for sPAP (mmHg)"),
    "spap_mmhg": ("SPAP", "Systolic Pulmonary Artery Pressure (mmHg)"),
    "spap_basis": ("SPAPBAS", "sPAP Basis (Estimated or Recorded)"),
    "ph_probability": ("PHPROB", "Echocardiographic Probability of PH"),
    "vascular_grade": ("VASCGRD", "Peripheral Vascular Severity Grade (0-4)"),
    "medsger_general": ("MSGENRL", "Medsger Severity: General (0-4)"),
    "medsger_peripheral_vascular": ("MSPVASC", "Medsger Severity: Peripheral Vascular (0-4)"),
    "medsger_skin": ("MSSKIN", "Medsger Severity: Skin (0-4)"),
    "medsger_joint_tendon": ("MSJOINT", "Medsger Severity: Joint/Tendon (0-4)"),
    "medsger_muscle": ("MSMUSCLE", "Medsger Severity: Muscle (0-4)"),
    "medsger_gastrointestinal": ("MSGI", "Medsger Severity: Gastrointestinal (0-4)"),
    "medsger_lung": ("MSLUNG", "Medsger Severity: Lung (0-4)"),
    "medsger_heart": ("MSHEART", "Medsger Severity: Heart (0-4)"),
    "medsger_kidney": ("MSKIDNEY", "Medsger Severity: Kidney (0-4)"),
    "eustar_activity": ("EUSTARAI", "Revised EUSTAR Activity Index (0-10)"),
    "eustar_active": ("EUSTARAC", "Active Disease by Revised EUSTAR Index"),
}

#: ADSL variables -- (name, label, source).
ADSL_VARIABLES: Final[tuple[tuple[str, str, str], ...]] = (
    ("STUDYID", "Study Identifier", "to_adam(studyid=...)"),
    ("USUBJID", "Unique Subject Identifier", "patient_id"),
    ("SUBJID", "Subject Identifier for the Study", "patient_id"),
    ("SEX", "Sex", "sex: female -> F, male -> M"),
    ("AGE", "Age", "age_at_index"),
    ("AGEU", "Age Units", "YEARS where AGE is known"),
    ("SUBSET", "Cutaneous Subset of SSc", "subset (limited / diffuse)"),
    ("ARM", "Description of Planned Arm", "arm (only when the patients frame has it)"),
    ("TRT01P", "Planned Treatment for Period 01", "arm (only when the patients frame has it)"),
    ("INDEXDT", "Index Date (Study Day 1)", "index_date"),
    ("DTHFL", "Subject Death Flag", "Y where death_day is known, else blank"),
    ("DTHDT", "Date of Death", "index_date + death_day"),
    ("DTHADY", "Relative Day of Death", "death_day as an ADaM study day"),
    ("LSTALVDT", "Date Last Known Alive", "index_date + (death_day, else last_contact_day)"),
    ("LSTALVDY", "Relative Day Last Known Alive", "death_day, else last_contact_day, as ADY"),
)

#: ADEFF variables -- (name, label, source); ``CRITy``/``CRITyFL`` are numbered per parameter.
ADEFF_VARIABLES: Final[tuple[tuple[str, str, str], ...]] = (
    ("STUDYID", "Study Identifier", "to_adam(studyid=...)"),
    ("USUBJID", "Unique Subject Identifier", "patient_id"),
    ("PARAMCD", "Parameter Code", "adam_parameters()"),
    ("PARAM", "Parameter", "adam_parameters()"),
    ("PARCAT1", "Parameter Category 1", "the instrument's title"),
    ("AVAL", "Analysis Value", "the scored output (numeric parameters)"),
    ("AVALC", "Analysis Value (C)", "the scored output (character parameters)"),
    ("ADT", "Analysis Date", "index_date + day"),
    ("ADY", "Analysis Relative Day", "day + 1 on and after day 0, day before it"),
    ("AVISIT", "Analysis Visit", "the schedule's timepoint name"),
    ("AVISITN", "Analysis Visit (N)", "the timepoint's target day"),
    ("ABLFL", "Baseline Record Flag", "Y on the record Schedule.select picks for the baseline"),
    ("BASE", "Baseline Value", "AVAL of the ABLFL record"),
    ("BASEC", "Baseline Value (C)", "AVALC of the ABLFL record"),
    ("CHG", "Change from Baseline", "AVAL - BASE after the baseline day"),
    ("PCHG", "Percent Change from Baseline", "100 * CHG / BASE (missing when BASE = 0)"),
    ("ANL01FL", "Analysis Flag 01", "Y on the record Schedule.select picks per timepoint"),
    ("CRITy", "Analysis Criterion y", "the responder definition's description"),
    ("CRITyFL", "Criterion y Evaluation Result Flag", "Y / N; blank when not evaluable"),
)

#: ADTTE variables -- (name, label, source).
ADTTE_VARIABLES: Final[tuple[tuple[str, str, str], ...]] = (
    ("STUDYID", "Study Identifier", "to_adam(studyid=...)"),
    ("USUBJID", "Unique Subject Identifier", "patient_id"),
    ("PARAMCD", "Parameter Code", "OS"),
    ("PARAM", "Parameter", "Overall Survival (Days)"),
    ("AVAL", "Analysis Value", "days from the origin to death or last contact"),
    ("CNSR", "Censor", "0 death, 1 censored at last contact"),
    ("STARTDT", "Time-to-Event Origin Date", "index_date (or diagnosis/onset date)"),
    ("ADT", "Analysis Date", "STARTDT + AVAL"),
    ("EVNTDESC", "Event or Censoring Description", "DEATH / ALIVE AT LAST CONTACT"),
    ("CNSDTDSC", "Censor Date Description", "LAST CONTACT DATE where censored"),
)

_LABELS: Final = {
    name: label
    for table in (ADSL_VARIABLES, ADEFF_VARIABLES, ADTTE_VARIABLES)
    for name, label, _ in table
}
_SEX: Final = {"female": "F", "male": "M"}
_PARAMCD_MAX: Final = 8
_OS: Final = ("OS", "Overall Survival (Days)")
_DEATH: Final = "DEATH"
_ALIVE: Final = "ALIVE AT LAST CONTACT"
_CENSOR_DATE: Final = "LAST CONTACT DATE"


# --------------------------------------------------------------------------------------
# parameters
# --------------------------------------------------------------------------------------
def _made_code(output: str, taken: set[str]) -> str:
    """An uppercase code of at most 8 letters and digits from ``output``, not in ``taken``."""
    base = re.sub(r"[^A-Z0-9]", "", output.upper())[:_PARAMCD_MAX] or "PARAM"
    if base[0].isdigit():
        base = ("P" + base)[:_PARAMCD_MAX]
    code, n = base, 1
    while code in taken:
        suffix = str(n)
        code = base[: _PARAMCD_MAX - len(suffix)] + suffix
        n += 1
    return code


def adam_parameters() -> pd.DataFrame:
    """The ADEFF parameters: one row per output of every registered instrument.

    Returns
    -------
    pandas.DataFrame
        ``PARAMCD`` (at most 8 uppercase letters and digits, unique), ``PARAM``,
        ``PARCAT1`` (the instrument's title), ``source`` (the column
        :func:`~sscoutcomes.score_visits` writes, or the recorded column) and
        ``instrument``. Codes come from :data:`PARAMETER_CODES`; an output registered
        without an entry there gets its name in capitals, cut to 8 characters (with a digit
        where that repeats a code).

    Examples
    --------
    >>> from sscoutcomes.adam import adam_parameters
    >>> table = adam_parameters().set_index("source")
    >>> table.loc["mrss", ["PARAMCD", "PARAM"]].tolist()
    ['MRSS', 'Modified Rodnan Skin Score (0-51)']
    >>> bool(table["PARAMCD"].str.len().le(8).all() and table["PARAMCD"].is_unique)
    True
    """
    rows = []
    taken: set[str] = {code for code, _ in PARAMETER_CODES.values()}
    seen: set[str] = set()
    for inst in instruments():
        for output in inst.outputs:
            if output in seen:
                continue
            seen.add(output)
            if output in PARAMETER_CODES:
                code, label = PARAMETER_CODES[output]
            else:
                code = _made_code(output, taken)
                taken.add(code)
                label = f"{inst.title}: {output}"
            rows.append(
                {
                    "PARAMCD": code,
                    "PARAM": label,
                    "PARCAT1": inst.title,
                    "source": output,
                    "instrument": inst.name,
                }
            )
    return pd.DataFrame(rows, columns=["PARAMCD", "PARAM", "PARCAT1", "source", "instrument"])


def adam_study_day(day: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """ADaM study days (no day 0) from the library's days (index date = day 0).

    Parameters
    ----------
    day : array_like of float
        Days from the index date; NaN where unknown.

    Returns
    -------
    numpy.ndarray
        ``day + 1`` where ``day >= 0``, ``day`` where it is negative, NaN where unknown.

    Examples
    --------
    >>> from sscoutcomes.adam import adam_study_day
    >>> adam_study_day([-2, -1, 0, 1, 365]).tolist()
    [-2.0, -1.0, 1.0, 2.0, 366.0]
    """
    values = _float_days("day", day)
    with np.errstate(invalid="ignore"):
        return np.where(values >= 0, values + 1, values)


def _float_days(label: str, value: Any) -> npt.NDArray[np.float64]:
    """A float array of whole days (SchemaError naming ``label`` otherwise)."""
    try:
        series = pd.Series(np.atleast_1d(np.asarray(value, dtype=object)).ravel())
        out = pd.to_numeric(series, errors="raise").to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise SchemaError(f"{label} = {value!r} must be numbers of days") from None
    if out.size and np.isinf(out).any():
        raise SchemaError(f"{label} = {value!r} must be finite numbers of days")
    with np.errstate(invalid="ignore"):
        if (~np.isnan(out) & (out != np.round(out))).any():
            raise SchemaError(f"{label} = {value!r} must be whole numbers of days")
    return out


# --------------------------------------------------------------------------------------
# to_adam
# --------------------------------------------------------------------------------------
def to_adam(cohort: Any, schedule: Schedule, *, studyid: str = "SSC") -> dict[str, pd.DataFrame]:
    """The cohort as CDISC ADaM datasets: ``ADSL``, ``ADEFF`` (BDS) and ``ADTTE``.

    Parameters
    ----------
    cohort : Cohort
        The patients and visits (:class:`sscoutcomes.Cohort`).
    schedule : Schedule
        Baseline and follow-up timepoints; its selection rule (:meth:`Schedule.select`)
        sets ``ABLFL``, ``ANL01FL`` and ``AVISIT``. It needs a baseline.
    studyid : str
        ``STUDYID`` of every row (default ``"SSC"``).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``"ADSL"``, ``"ADEFF"`` and ``"ADTTE"`` (:data:`ADAM_DATASETS`).

    Raises
    ------
    SchemaError
        Not a cohort, not a schedule, a schedule without baseline, an empty ``studyid``,
        or the visits errors of :meth:`Schedule.select`.

    Notes
    -----
    **ADEFF.** Every output of a registered instrument that the scored visits
    (:func:`~sscoutcomes.score_visits`) hold is a parameter (:func:`adam_parameters`):
    numeric outputs in ``AVAL``, categorical ones in ``AVALC``. There is one row per
    visit with a value. ``ABLFL = "Y"`` marks the record the schedule's baseline rule picks
    (the last value on or before the baseline day within the look-back) and ``ANL01FL =
    "Y"`` the record picked at each timepoint (baseline included): one per subject,
    parameter and ``AVISIT``. A visit picked for two timepoints (overlapping windows) is
    one row per timepoint. Other records get the ``AVISIT`` of the window they lie in (the
    closest target, ties to the earlier) or none. ``BASE`` is the baseline ``AVAL`` on
    every record of the subject and parameter; ``CHG = AVAL - BASE`` and ``PCHG = 100 CHG
    / BASE`` are set on the records after the baseline target day only (``PCHG`` missing
    when ``BASE`` is 0).

    ``CRITy`` is the description of the y-th responder definition
    (:data:`~sscoutcomes.RESPONDER_DEFINITIONS`, in its order) that reads the parameter;
    ``CRITyFL`` is ``"Y"`` (responder) or ``"N"`` (non-responder) on the ``ANL01FL``
    records of the follow-up timepoints, evaluated from the schedule's baseline and
    follow-up values exactly as :func:`~sscoutcomes.analysis.rates.responder_rates` does,
    and blank where the result is not evaluable (missing data is never ``"N"``) and on the
    other records.

    **ADTTE.** Overall survival as the report computes it: ``AVAL`` is the death day when
    the patient died (``CNSR`` 0), else the last-contact day (``CNSR`` 1), plus the days
    from the cohort's time origin (:attr:`Cohort.origin`) to the index date. A patient
    with neither day (or with an unknown origin date) has no record: the time is unknown.

    **Study days.** ``ADY`` is the library's ``day + 1`` on and after the index date and
    ``day`` before it (ADaM has no day 0).

    Examples
    --------
    >>> import sscoutcomes as ssc
    >>> adam = ssc.to_adam(ssc.load_demo(), ssc.Schedule.years(0, 1, 3, 5))
    >>> sorted(adam)
    ['ADEFF', 'ADSL', 'ADTTE']
    >>> eff = adam["ADEFF"]
    >>> row = eff[(eff["PARAMCD"] == "MRSS") & (eff["ANL01FL"] == "Y")].iloc[1]
    >>> row["USUBJID"], row["AVISIT"], float(row["AVAL"]), float(row["BASE"]), float(row["CHG"])
    ('P001', '1 year', 13.0, 17.0, -4.0)
    >>> first = adam["ADTTE"].iloc[0]
    >>> first["PARAMCD"], float(first["AVAL"]), int(first["CNSR"]), first["EVNTDESC"]
    ('OS', 1885.0, 1, 'ALIVE AT LAST CONTACT')
    """
    visits = getattr(cohort, "visits", None)
    patients = getattr(cohort, "patients_frame", None)
    if not isinstance(visits, pd.DataFrame) or not isinstance(patients, pd.DataFrame):
        raise SchemaError(
            "to_adam needs a Cohort (an object with 'visits' and 'patients_frame' DataFrames); "
            f"got {type(cohort).__name__}"
        )
    require_schedule(schedule)
    schedule.require_baseline()
    if not isinstance(studyid, str) or not studyid.strip():
        raise SchemaError(f"studyid = {studyid!r} must be non-empty text")
    for frame, what in ((visits, "visits frame"), (patients, "patients frame")):
        unique_columns(frame, what)
        if "patient_id" not in frame.columns:
            raise SchemaError(f"the {what} lacks the 'patient_id' column")
    index = _index_dates(patients)
    adsl = _adsl(patients, index, studyid)
    adeff = _adeff(visits, patients, schedule, index, studyid)
    adtte = _adtte(cohort, patients, index, studyid)
    return {"ADSL": adsl, "ADEFF": adeff, "ADTTE": adtte}


def _index_dates(patients: pd.DataFrame) -> pd.Series[Any]:
    """Index date per patient id (NaT where unknown)."""
    ids = patients["patient_id"].astype(object).to_numpy()
    if "index_date" in patients.columns:
        try:
            dates = pd.to_datetime(patients["index_date"]).dt.normalize()
        except (TypeError, ValueError):
            raw = patients["index_date"]
            coerced = pd.to_datetime(raw, errors="coerce")
            bad = raw[coerced.isna() & raw.notna()]
            example = f", e.g. {bad.iloc[0]!r}" if len(bad) else ""
            raise SchemaError(
                "the patients frame's index_date holds values that are not dates"
                f"{example}; give dates (e.g. '2020-01-31') or leave them empty"
            ) from None
        return pd.Series(dates.to_numpy(), index=pd.Index(ids, dtype=object))
    return pd.Series(pd.NaT, index=pd.Index(ids, dtype=object), dtype="datetime64[ns]")


def _days(patients: pd.DataFrame, column: str) -> npt.NDArray[np.float64]:
    if column not in patients.columns:
        return np.full(len(patients), np.nan)
    return _float_days(f"patients frame {column}", patients[column])


def _dates(index: npt.NDArray[Any], days: npt.NDArray[np.float64]) -> pd.Series[Any]:
    """``index + days`` as dates (NaT where either is unknown)."""
    # only the known days go through pandas: pandas 2.2 converts a float array holding NaN
    # with uninitialised memory at the NaN places and can warn of an overflow there
    known = ~np.isnan(days)
    delta = np.full(days.shape, np.timedelta64("NaT", "ns"))
    delta[known] = pd.to_timedelta(days[known], unit="D").to_numpy(dtype="timedelta64[ns]")
    return pd.Series(pd.DatetimeIndex(index) + delta)


def _text(values: pd.Series[Any]) -> pd.Series[str]:
    """Text with missing values as empty strings (ADaM character variables are blank)."""
    out = values.astype(object).where(values.notna(), "")
    return out.astype(str)


def _adsl(patients: pd.DataFrame, index: pd.Series[Any], studyid: str) -> pd.DataFrame:
    ids = patients["patient_id"].astype(object).to_numpy()
    n = len(patients)
    out: dict[str, Any] = {
        "STUDYID": np.full(n, studyid, dtype=object),
        "USUBJID": ids.astype(str),
        "SUBJID": ids.astype(str),
    }
    if "sex" in patients.columns:
        sex = patients["sex"].astype(object)
        out["SEX"] = _text(sex.map(lambda v: _SEX.get(str(v).lower(), v) if pd.notna(v) else v))
    else:
        out["SEX"] = np.full(n, "", dtype=object)
    age = (
        pd.to_numeric(patients["age_at_index"], errors="coerce").to_numpy(float, na_value=np.nan)
        if "age_at_index" in patients.columns
        else np.full(n, np.nan)
    )
    out["AGE"] = age
    out["AGEU"] = np.where(np.isnan(age), "", "YEARS").astype(object)
    out["SUBSET"] = (
        _text(patients["subset"]).to_numpy()
        if "subset" in patients.columns
        else np.full(n, "", dtype=object)
    )
    if "arm" in patients.columns:
        arm = _text(patients["arm"]).to_numpy()
        out["ARM"] = arm
        out["TRT01P"] = arm
    idx = index.to_numpy(dtype="datetime64[ns]")
    out["INDEXDT"] = idx
    death = _days(patients, "death_day")
    contact = _days(patients, "last_contact_day")
    alive = np.where(np.isnan(death), contact, death)
    out["DTHFL"] = np.where(np.isnan(death), "", "Y").astype(object)
    out["DTHDT"] = _dates(idx, death).to_numpy()
    out["DTHADY"] = adam_study_day(death)
    out["LSTALVDT"] = _dates(idx, alive).to_numpy()
    out["LSTALVDY"] = adam_study_day(alive)
    return pd.DataFrame(out)


def _parameters_present(scored: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`adam_parameters` whose source the scored visits hold a value of."""
    table = adam_parameters()
    present = [
        s in scored.columns and bool(scored[s].notna().any()) for s in table["source"].tolist()
    ]
    return table[np.asarray(present, dtype=bool)].reset_index(drop=True)


def _is_numeric(column: pd.Series[Any]) -> bool:
    return bool(
        pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype)
    )


def _adeff(
    visits: pd.DataFrame,
    patients: pd.DataFrame,
    schedule: Schedule,
    index: pd.Series[Any],
    studyid: str,
) -> pd.DataFrame:
    outputs = adam_parameters()["source"].tolist()
    scored = score_available(visits, outputs)
    params = _parameters_present(scored)
    columns = _adeff_columns(params)
    if params.empty:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    sources = params["source"].tolist()
    definitions = {
        s: [d for d in RESPONDER_DEFINITIONS.values() if s in d.measures] for s in sources
    }
    needed = list(
        dict.fromkeys(
            [*sources, *(m for ds in definitions.values() for d in ds for m in d.measures)]
        )
    )
    selectable = [m for m in needed if m in scored.columns]
    sel = schedule.select(scored, selectable, patients=patients)
    base_tp = schedule.require_baseline()
    tps = list(schedule)

    day_all = _float_days("visits frame day", scored["day"])
    ids_all = scored["patient_id"].astype(object).to_numpy()
    parts = []
    for rec in params.to_dict("records"):
        source = str(rec["source"])
        column = scored[source]
        has = column.notna().to_numpy(dtype=bool)
        numeric = _is_numeric(column)
        values = column[has]
        part = pd.DataFrame(
            {
                "USUBJID": ids_all[has],
                "PARAMCD": rec["PARAMCD"],
                "PARAM": rec["PARAM"],
                "PARCAT1": rec["PARCAT1"],
                "_source": source,
                "_day": day_all[has],
                "AVAL": (
                    pd.to_numeric(values).to_numpy(dtype=float, na_value=np.nan)
                    if numeric
                    else np.full(int(has.sum()), np.nan)
                ),
                "AVALC": "" if numeric else _avalc(values).to_numpy(),
            }
        )
        parts.append(_visit_rows(part, sel, source, tps))
    long = pd.concat(parts, ignore_index=True)
    long = _baseline(long, base_tp.name, base_tp.target_day)
    long = _criteria(long, sel, schedule, definitions)
    idx = index.reindex(long["USUBJID"].to_numpy(dtype=object)).to_numpy(dtype="datetime64[ns]")
    long["ADT"] = _dates(idx, long["_day"].to_numpy(dtype=float)).to_numpy()
    long["ADY"] = adam_study_day(long["_day"].to_numpy(dtype=float))
    long["STUDYID"] = studyid
    long["USUBJID"] = long["USUBJID"].astype(str)
    long = long.sort_values(
        ["USUBJID", "_order", "_day", "_avisitn_sort"], kind="stable"
    ).reset_index(drop=True)
    return long[columns]


def _adeff_columns(params: pd.DataFrame) -> list[str]:
    n_crit = max(
        (
            sum(1 for d in RESPONDER_DEFINITIONS.values() if s in d.measures)
            for s in params["source"].tolist()
        ),
        default=0,
    )
    crit = [name for y in range(1, n_crit + 1) for name in (f"CRIT{y}", f"CRIT{y}FL")]
    return [
        "STUDYID",
        "USUBJID",
        "PARAMCD",
        "PARAM",
        "PARCAT1",
        "AVAL",
        "AVALC",
        "ADT",
        "ADY",
        "AVISIT",
        "AVISITN",
        "ABLFL",
        "BASE",
        "BASEC",
        "CHG",
        "PCHG",
        "ANL01FL",
        *crit,
    ]


def _avalc(values: pd.Series[Any]) -> pd.Series[str]:
    """Character values: booleans as Y/N, enumerations by their value, others as text."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.map(lambda v: "Y" if bool(v) else "N").astype(str)
    return values.astype(object).map(lambda v: str(getattr(v, "value", v))).astype(str)


def _visit_rows(part: pd.DataFrame, sel: pd.DataFrame, source: str, tps: list[Any]) -> pd.DataFrame:
    """One parameter's records with AVISIT/AVISITN and ANL01FL: the visit the schedule
    picks at a timepoint is one row per timepoint it is picked for; other visits get the
    timepoint of the window they lie in (closest target, ties to the earlier) or none."""
    picked = sel.loc[sel[f"day_{source}"].notna(), ["patient_id", "timepoint", f"day_{source}"]]
    picked = pd.DataFrame(
        {
            "USUBJID": picked["patient_id"].astype(object).to_numpy(),
            "_day": picked[f"day_{source}"].to_numpy(dtype=float),
            "AVISIT": picked["timepoint"].astype(str).to_numpy(),
        }
    )
    key = pd.MultiIndex.from_arrays(
        [part["USUBJID"].to_numpy(dtype=object), part["_day"].to_numpy(dtype=float)]
    )
    chosen = part.merge(picked, on=["USUBJID", "_day"], how="inner")
    chosen["ANL01FL"] = "Y"
    picked_key = pd.MultiIndex.from_arrays(
        [picked["USUBJID"].to_numpy(dtype=object), picked["_day"].to_numpy(dtype=float)]
    )
    rest = part[~key.isin(picked_key)].copy()
    day = rest["_day"].to_numpy(dtype=float)
    best = np.full(len(rest), np.inf)
    name = np.full(len(rest), "", dtype=object)
    for tp in tps:
        inside = (day >= tp.first_day) & (day <= tp.last_day)
        k = 2 * np.abs(day - tp.target_day) + (day > tp.target_day)
        better = inside & (k < best)
        best[better] = k[better]
        name[better] = tp.name
    rest["AVISIT"] = name
    rest["ANL01FL"] = ""
    out = pd.concat([chosen, rest], ignore_index=True)
    target = {tp.name: float(tp.target_day) for tp in tps}
    out["AVISITN"] = out["AVISIT"].map(target).astype(float)
    out["_avisitn_sort"] = out["AVISITN"].fillna(-math.inf)
    out["_order"] = _order(str(part["PARAMCD"].iloc[0]) if len(part) else "")
    return out


_PARAM_ORDER: dict[str, int] = {}


def _order(code: str) -> int:
    """Sort position of a parameter: registry order."""
    if not _PARAM_ORDER:
        _PARAM_ORDER.update({c: i for i, c in enumerate(adam_parameters()["PARAMCD"])})
    return _PARAM_ORDER.get(code, len(_PARAM_ORDER))


def _baseline(long: pd.DataFrame, base_name: str, base_day: int) -> pd.DataFrame:
    """ABLFL, BASE/BASEC on every record of a subject and parameter with a baseline, and
    CHG/PCHG after the baseline day."""
    is_base = (long["AVISIT"] == base_name) & (long["ANL01FL"] == "Y")
    long["ABLFL"] = np.where(is_base, "Y", "")
    base = long.loc[is_base, ["USUBJID", "PARAMCD", "AVAL", "AVALC"]].rename(
        columns={"AVAL": "BASE", "AVALC": "BASEC"}
    )
    long = long.merge(base, on=["USUBJID", "PARAMCD"], how="left")
    long["BASEC"] = long["BASEC"].fillna("").astype(str)
    aval = long["AVAL"].to_numpy(dtype=float)
    base_v = long["BASE"].to_numpy(dtype=float)
    after = long["_day"].to_numpy(dtype=float) > base_day
    chg = np.where(after, aval - base_v, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        pchg = np.where(after & (base_v != 0), 100 * chg / base_v, np.nan)
    long["CHG"] = chg
    long["PCHG"] = pchg
    return long


def _criteria(
    long: pd.DataFrame,
    sel: pd.DataFrame,
    schedule: Schedule,
    definitions: Mapping[str, list[Any]],
) -> pd.DataFrame:
    """CRITy (text on every record of the parameter) and CRITyFL (Y/N on the ANL01FL
    records of the follow-up timepoints; blank when not evaluable and elsewhere)."""
    base_name = schedule.require_baseline().name
    ids = sel["patient_id"].astype(object).to_numpy()
    tp = sel["timepoint"].astype(str).to_numpy()
    base_rows = tp == base_name

    def numbers(m: str) -> npt.NDArray[np.float64]:
        if m not in sel.columns:
            return np.full(len(sel), np.nan)
        return pd.to_numeric(sel[m], errors="coerce").to_numpy(dtype=float, na_value=np.nan)

    codes_by_name: dict[str, pd.Series[Any]] = {}
    for ds in definitions.values():
        for d in ds:
            if d.name in codes_by_name:
                continue
            follow = {m: numbers(m) for m in d.measures}
            base_by_id = {
                m: pd.Series(v[base_rows], index=pd.Index(ids[base_rows], dtype=object))
                for m, v in follow.items()
            }
            base = {m: s.reindex(ids).to_numpy(dtype=float) for m, s in base_by_id.items()}
            codes = np.broadcast_to(d.codes(base, follow), (len(sel),)).copy()
            codes[base_rows] = -1
            codes_by_name[d.name] = pd.Series(
                codes, index=pd.MultiIndex.from_arrays([ids, tp.astype(object)])
            )
    key = pd.MultiIndex.from_arrays(
        [long["USUBJID"].to_numpy(dtype=object), long["AVISIT"].to_numpy(dtype=object)]
    )
    analysed = (long["ANL01FL"] == "Y").to_numpy()
    sources = long["_source"].to_numpy(dtype=object)
    n_crit = max((len(ds) for ds in definitions.values()), default=0)
    for y in range(1, n_crit + 1):
        text = np.full(len(long), "", dtype=object)
        flag = np.full(len(long), "", dtype=object)
        for source, ds in definitions.items():
            if len(ds) < y:
                continue
            d = ds[y - 1]
            rows = sources == source
            text[rows] = d.description
            codes = codes_by_name[d.name].reindex(key).to_numpy(dtype=float, na_value=np.nan)
            on = rows & analysed
            flag[on & (codes == 1)] = "Y"
            flag[on & (codes == 0)] = "N"
        long[f"CRIT{y}"] = text
        long[f"CRIT{y}FL"] = flag
    return long


def _adtte(
    cohort: Any, patients: pd.DataFrame, index: pd.Series[Any], studyid: str
) -> pd.DataFrame:
    """Overall survival, derived as :class:`~sscoutcomes.FollowUpReport` derives it."""
    columns = [name for name, _, _ in ADTTE_VARIABLES]
    origin = str(getattr(cohort, "origin", "index"))
    if "death_day" not in patients.columns:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    death = _days(patients, "death_day")
    last = _days(patients, "last_contact_day")
    event = ~np.isnan(death)
    idx = index.to_numpy(dtype="datetime64[ns]")
    if origin == "index":
        shift = np.zeros(len(patients))
        start = idx
    else:
        column = f"{origin}_date"
        if column not in patients.columns or "index_date" not in patients.columns:
            raise SchemaError(f"survival from {origin} needs the patients' index_date and {column}")
        start_dates = pd.to_datetime(patients[column]).dt.normalize()
        shift = np.asarray(
            (pd.Series(idx) - start_dates.reset_index(drop=True)).dt.days.to_numpy(
                dtype=np.float64, na_value=np.nan
            ),
            dtype=np.float64,
        )
        start = start_dates.to_numpy(dtype="datetime64[ns]")
    time = np.where(event, death, last) + shift
    known = ~np.isnan(time)
    n = int(known.sum())
    start_k = start[known]
    aval = time[known]
    ev = event[known]
    return pd.DataFrame(
        {
            "STUDYID": np.full(n, studyid, dtype=object),
            "USUBJID": patients["patient_id"].astype(str).to_numpy()[known],
            "PARAMCD": np.full(n, _OS[0], dtype=object),
            "PARAM": np.full(n, _OS[1], dtype=object),
            "AVAL": aval.astype(float),
            "CNSR": np.where(ev, 0, 1).astype(np.int64),
            "STARTDT": start_k,
            "ADT": _dates(start_k, aval).to_numpy(),
            "EVNTDESC": np.where(ev, _DEATH, _ALIVE).astype(object),
            "CNSDTDSC": np.where(ev, "", _CENSOR_DATE).astype(object),
        },
        columns=columns,
    )


# --------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------
def _require(module: str, extra: str, what: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise OptionalDependencyError(
            f"{what} needs the optional dependency {module}; install the extra "
            f"{extra!r}: pip install 'sscoutcomes[{extra}]' (or pip install {module})"
        )


def _date_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c].dtype)]


def write_adam(
    adam: Mapping[str, pd.DataFrame],
    directory: str | os.PathLike[str],
    *,
    format: str = "csv",
) -> list[Path]:
    """Write ADaM datasets, one file per dataset (``adsl.csv``, ``adeff.xpt``, ...).

    Parameters
    ----------
    adam : mapping of str to pandas.DataFrame
        The result of :func:`to_adam` (dataset name -> frame); names are 1-8 letters and
        digits, starting with a letter.
    directory : path
        Folder to write into (created when absent).
    format : {"csv", "parquet", "xpt"}
        CSV (dates as ``YYYY-MM-DD``, blanks as empty fields); Parquet (needs the extra
        ``parquet``, pyarrow); SAS XPORT version 5 (needs the extra ``xpt``, pyreadstat;
        dates with the format ``DATE9.``, labels from the variable tables).

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``adam``.

    Raises
    ------
    SchemaError
        Not a mapping of frames, a bad dataset name, an unknown format, or (XPORT) a text
        value longer than 200 bytes or a variable name longer than 8 characters.
    OptionalDependencyError
        The format's extra is not installed.

    Examples
    --------
    >>> import tempfile
    >>> import sscoutcomes as ssc
    >>> adam = ssc.to_adam(ssc.load_demo(), ssc.Schedule.years(0, 1))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in ssc.write_adam(adam, folder)]
    ['adsl.csv', 'adeff.csv', 'adtte.csv']
    """
    if not isinstance(adam, Mapping) or not adam:
        raise SchemaError(
            f"adam must be a mapping of dataset names to DataFrames (the result of to_adam); "
            f"got {type(adam).__name__}"
        )
    for name, frame in adam.items():
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,7}", name):
            raise SchemaError(
                f"dataset name {name!r} must be 1-8 letters and digits, starting with a letter"
            )
        if not isinstance(frame, pd.DataFrame):
            raise SchemaError(f"adam[{name!r}] must be a DataFrame; got {type(frame).__name__}")
        if frame.columns.duplicated().any() or not all(isinstance(c, str) for c in frame.columns):
            raise SchemaError(f"adam[{name!r}] must have unique text column names")
    check_choice("format", format, ADAM_FORMATS)
    if not isinstance(directory, (str, os.PathLike)):
        raise SchemaError(f"directory must be a path; got {type(directory).__name__}")
    if format == "parquet":
        _require("pyarrow", "parquet", "write_adam(format='parquet')")
    elif format == "xpt":
        _require("pyreadstat", "xpt", "write_adam(format='xpt')")
        for name, frame in adam.items():
            _check_xport(name, frame)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in adam.items():
        path = folder / f"{name.lower()}.{format}"
        if format == "csv":
            frame.to_csv(path, index=False, date_format="%Y-%m-%d")
        elif format == "parquet":
            frame.to_parquet(path, index=False)
        else:
            _write_xport(name, frame, path)
        written.append(path)
    return written


def _check_xport(name: str, frame: pd.DataFrame) -> None:
    long_names = [c for c in frame.columns if len(c) > 8]
    if long_names:
        raise SchemaError(
            f"adam[{name!r}]: SAS XPORT v5 variable names are at most 8 characters; "
            f"too long: {', '.join(long_names)}"
        )
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype):
            lengths = values.dropna().astype(str).map(lambda v: len(v.encode("utf-8")))
            if len(lengths) and int(lengths.max()) > 200:
                raise SchemaError(
                    f"adam[{name!r}] {column} = a value of {int(lengths.max())} bytes is "
                    "longer than SAS XPORT v5 allows (200)"
                )


def _label(column: str) -> str:
    """The variable label of ``column`` (at most 40 characters, as XPORT v5 allows)."""
    crit = re.fullmatch(r"CRIT(\d+)(FL)?", column)
    if crit:
        y = crit.group(1)
        label = (
            f"Criterion {y} Evaluation Result Flag" if crit.group(2) else f"Analysis Criterion {y}"
        )
    else:
        label = _LABELS.get(column, column)
    return label[:40]


def _write_xport(name: str, frame: pd.DataFrame, path: Path) -> None:
    import pyreadstat

    out = frame.copy()
    formats = {}
    for column in _date_columns(out):
        # SAS dates: days since 1960-01-01 (missing stays missing, even in an all-missing column)
        days = (out[column] - pd.Timestamp("1960-01-01")) / pd.Timedelta(days=1)
        out[column] = days.to_numpy(dtype=float, na_value=np.nan)
        formats[column] = "DATE9."
    labels = {c: _label(c) for c in out.columns}
    pyreadstat.write_xport(
        out,
        os.fspath(path),
        file_label=name,
        table_name=name,
        column_labels=[labels[c] for c in out.columns],
        variable_format=formats,
    )
