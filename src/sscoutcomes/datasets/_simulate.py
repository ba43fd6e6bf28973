"""Vectorized simulation of fictional SSc cohorts with the canonical columns.

Nothing here is real patient data. The generator draws latent disease courses and turns them
into the columns of :mod:`sscoutcomes.cohort.schema` with plausible ranges, so that every
scoring function, the longitudinal engine, the report and the benchmarks have realistic
input. It is vectorized over visits (no Python loop over patients or visits), so it can make
10^7 visit rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from .._validation import check_number
from ..errors import OutOfRangeError, SchemaError
from ..measures.haq import HAQ_INSTRUMENT, HAQ_ITEMS
from ..measures.lung import HRCTChange
from ..measures.shaq import SHAQ_INSTRUMENT
from ..measures.skin import PROXIMAL_SITES, SKIN_SITES

__all__ = ["MEASURE_GROUPS", "simulate_frames"]

FloatArray = npt.NDArray[np.float64]

#: Measure groups that :func:`simulate_frames` can generate.
MEASURE_GROUPS: Final[tuple[str, ...]] = (
    "skin",
    "haq",
    "shaq",
    "globals",
    "lung",
    "heart",
    "vascular",
    "labs",
)

#: The simulated HAQ-DI items: all of them, named as the HAQ declares them.
HAQ_ITEM_COLUMNS: Final[tuple[str, ...]] = tuple(f"haq_{item}" for item in HAQ_ITEMS)
#: The aids and help the simulator ticks (a choice of the model), checked against the HAQ's
#: declared columns at import.
HAQ_AID_COLUMNS: Final[tuple[str, ...]] = tuple(
    HAQ_INSTRUMENT.spec(f"haq_aid_{aid}").name
    for aid in (
        "cane",
        "dressing_devices",
        "special_utensils",
        "raised_toilet_seat",
        "jar_opener",
    )
)
HAQ_HELP_COLUMNS: Final[tuple[str, ...]] = tuple(
    HAQ_INSTRUMENT.spec(f"haq_help_{category}").name
    for category in ("dressing", "grip", "activities")
)
#: Every SHAQ scale, named as the SHAQ declares them.
SHAQ_COLUMNS: Final[tuple[str, ...]] = tuple(spec.name for spec in SHAQ_INSTRUMENT.columns)

#: Nominal visit days after the index date: baseline, 6 months, 1-5 years.
NOMINAL_DAYS: Final[tuple[int, ...]] = (0, 182, 365, 730, 1095, 1461, 1826)


def _maybe_missing(rng: np.random.Generator, values: FloatArray, rate: float) -> FloatArray:
    out = values.astype(np.float64, copy=True)
    out[rng.random(out.shape) < rate] = np.nan
    return out


def simulate_frames(
    n_patients: int = 41,
    years: int = 5,
    seed: int = 0,
    *,
    measures: Iterable[str] = MEASURE_GROUPS,
    unscheduled_rate: float = 0.3,
    missing_rate: float = 0.03,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate a fictional cohort as ``(patients, visits)`` frames.

    Parameters
    ----------
    n_patients : int
        Number of patients (>= 1).
    years : int
        Years of scheduled follow-up (visits at baseline, 6 months and every year).
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same cohort.
    measures : iterable of str
        Which groups of columns to generate (see ``MEASURE_GROUPS``).
    unscheduled_rate : float
        Expected number of unscheduled visits per patient-year.
    missing_rate : float
        Probability that a measured value is missing.

    Returns
    -------
    tuple of pandas.DataFrame
        Patients (one row each) and visits (one row per visit, sorted by patient and day).

    Examples
    --------
    >>> from sscoutcomes.datasets._simulate import simulate_frames
    >>> patients, visits = simulate_frames(5, years=1, seed=1, measures=["skin"])
    >>> len(patients), visits.columns[:3].tolist()
    (5, ['patient_id', 'day', 'visit'])
    """
    if isinstance(n_patients, bool) or not isinstance(n_patients, (int, np.integer)):
        raise OutOfRangeError(f"n_patients = {n_patients!r} is not a whole number >= 1")
    if n_patients < 1:
        raise OutOfRangeError(f"n_patients = {n_patients} is outside 1..inf")
    if isinstance(years, bool) or not isinstance(years, (int, np.integer)) or not 0 <= years <= 30:
        raise OutOfRangeError(f"years = {years!r} is not a whole number in 0..30")
    check_number("unscheduled_rate", unscheduled_rate, 0, 12, unit="visits per patient-year")
    check_number("missing_rate", missing_rate, 0, 1)
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0
    ):
        raise OutOfRangeError(f"seed = {seed!r} is not a whole number >= 0 (or None)")
    if isinstance(measures, str):
        measures = (measures,)
    if not isinstance(measures, Iterable) or isinstance(measures, (bytes, pd.DataFrame)):
        raise SchemaError(f"measures must be measure group names; got {type(measures).__name__}")
    groups = tuple(measures)
    if not all(isinstance(g, str) for g in groups):
        raise SchemaError(f"measures must be measure group names (text); got {groups!r}")
    unknown = sorted(set(groups) - set(MEASURE_GROUPS))
    if unknown:
        raise SchemaError(f"unknown measure group(s) {unknown}; choose from {MEASURE_GROUPS}")

    rng = np.random.default_rng(seed)
    n = int(n_patients)
    ids = np.array([f"P{i + 1:0{max(3, len(str(n)))}d}" for i in range(n)], dtype=object)

    # ---- patients -------------------------------------------------------------------
    diffuse = rng.random(n) < 0.6
    ild = rng.random(n) < 0.6
    pah = rng.random(n) < 0.2
    female = rng.random(n) < 0.85
    age = np.clip(np.round(rng.normal(40.0, 11.0, n), 1), 18.0, 75.0)
    index_date = pd.Timestamp("2009-06-01") + pd.to_timedelta(rng.integers(0, 8 * 365, n), unit="D")
    duration_days = rng.integers(180, 10 * 365, n)
    onset_date = index_date - pd.to_timedelta(duration_days, unit="D")
    horizon = years * 365 + 60
    # Death: exponential hazard giving ~7 % at 5 years, higher with PAH.
    hazard = np.where(pah, 0.035, 0.01) / 365.0
    death = rng.exponential(1.0 / hazard)
    died = death < horizon
    # Loss to follow-up for a few.
    lost = (~died) & (rng.random(n) < 0.05)
    last_contact = np.where(
        died, np.nan, np.where(lost, rng.integers(200, max(horizon, 201), n), horizon)
    )
    patients = pd.DataFrame(
        {
            "patient_id": pd.array(ids, dtype="string"),
            "sex": pd.array(np.where(female, "female", "male"), dtype="string"),
            "age_at_index": age,
            "index_date": index_date.normalize(),
            "onset_date": onset_date.normalize(),
            "death_day": pd.array(np.where(died, np.floor(death), np.nan), dtype="Int64"),
            "last_contact_day": pd.array(last_contact, dtype="Int64"),
            "ild": pd.array(ild, dtype="boolean"),
            "pah": pd.array(pah, dtype="boolean"),
            "subset": pd.array(np.where(diffuse, "diffuse", "limited"), dtype="string"),
            "anticentromere": pd.array((~diffuse) & (rng.random(n) < 0.45), dtype="boolean"),
            "anti_topoisomerase": pd.array(diffuse & (rng.random(n) < 0.55), dtype="boolean"),
            "anti_rna_polymerase_iii": pd.array(rng.random(n) < 0.08, dtype="boolean"),
        }
    )

    # ---- visit days -------------------------------------------------------------------
    nominal = np.array([d for d in NOMINAL_DAYS if d <= years * 365 + 1], dtype=np.int64)
    k = nominal.size
    pid = np.repeat(np.arange(n), k)
    nom = np.tile(nominal, n)
    jitter = rng.integers(-30, 31, pid.size)
    day = np.where(nom == 0, -rng.integers(0, 15, pid.size), nom + jitter)
    visit = np.tile(np.array(["scheduled"] * k, dtype=object), n)
    # Unscheduled visits.
    n_extra = rng.poisson(unscheduled_rate * max(years, 1), n)
    extra_pid = np.repeat(np.arange(n), n_extra)
    extra_day = rng.integers(20, max(years * 365, 21), extra_pid.size)
    pid = np.concatenate([pid, extra_pid])
    day = np.concatenate([day, extra_day])
    visit = np.concatenate([visit, np.full(extra_pid.size, "unscheduled", dtype=object)])
    # Drop visits after death or last contact; keep one visit per patient and day.
    end = np.where(died, death, last_contact)[pid]
    keep = day <= end
    pid, day, visit = pid[keep], day[keep], visit[keep]
    order = np.lexsort((day, pid))
    pid, day, visit = pid[order], day[order], visit[order]
    first = np.ones(pid.size, dtype=bool)
    first[1:] = (pid[1:] != pid[:-1]) | (day[1:] != day[:-1])
    pid, day, visit = pid[first], day[first], visit[first]
    m = pid.size
    scheduled = visit == "scheduled"
    t_years = np.clip(day, 0, None) / 365.25

    visits: dict[str, object] = {
        "patient_id": pd.array(ids[pid], dtype="string"),
        "day": day.astype(np.int64),
        "visit": pd.array(visit, dtype="string"),
    }

    # ---- latent courses ---------------------------------------------------------------
    # Skin improves after the index treatment, most in the first year, then plateaus.
    base_skin = np.clip(rng.normal(np.where(diffuse, 21.0, 15.0), 6.5, n), 3.0, 45.0)
    improvement = np.clip(rng.normal(0.30, 0.18, n), -0.3, 0.8)
    course = 1.0 - improvement[pid] * (1.0 - np.exp(-t_years[:] * 2.2)) - 0.02 * t_years
    skin_level = np.clip(base_skin[pid] * course + rng.normal(0.0, 1.5, m), 0.0, 51.0)
    disability = np.clip(
        0.25 + skin_level / 30.0 + rng.normal(0.0, 0.3, n)[pid] + rng.normal(0.0, 0.15, m),
        0.0,
        3.0,
    )

    if "skin" in groups:
        proximal = np.isin(np.array(SKIN_SITES), np.array(PROXIMAL_SITES))
        weight = np.where(proximal, 0.55, 1.25)
        weight_rows = np.where(
            diffuse[pid][:, None], weight[None, :], np.where(proximal, 0.02, 1.4)[None, :]
        )
        p = np.clip(skin_level[:, None] / 51.0 * weight_rows, 0.0, 1.0)
        grades = rng.binomial(3, p).astype(np.float64)
        missing_rows = rng.random(m) < missing_rate
        grades[missing_rows, rng.integers(0, len(SKIN_SITES), m)[missing_rows]] = np.nan
        for j, site in enumerate(SKIN_SITES):
            visits[f"mrss_{site}"] = grades[:, j]

    if "haq" in groups:
        item_noise = rng.normal(0.0, 0.55, (m, len(HAQ_ITEM_COLUMNS)))
        items = np.clip(np.rint(disability[:, None] * 0.8 + item_noise - 0.2), 0, 3)
        items = _maybe_missing(rng, items, missing_rate)
        for j, col in enumerate(HAQ_ITEM_COLUMNS):
            visits[col] = items[:, j]
        for col in HAQ_AID_COLUMNS:
            visits[col] = pd.array(rng.random(m) < 0.04 + 0.05 * disability, dtype="boolean")
        for col in HAQ_HELP_COLUMNS:
            visits[col] = pd.array(rng.random(m) < 0.03 + 0.05 * disability, dtype="boolean")

    if "shaq" in groups:
        for col in SHAQ_COLUMNS:
            vas = np.clip(rng.normal(disability * 30.0 + 10.0, 20.0), 0.0, 150.0)
            visits[col] = _maybe_missing(rng, np.round(vas), missing_rate)

    if "globals" in groups:
        visits["patient_global"] = _maybe_missing(
            rng,
            np.clip(np.round(disability * 2.5 + rng.normal(1.0, 1.2, m), 1), 0, 10),
            missing_rate,
        )
        visits["physician_global"] = _maybe_missing(
            rng,
            np.clip(np.round(skin_level / 6.0 + rng.normal(0.5, 1.0, m), 1), 0, 10),
            missing_rate,
        )

    if "lung" in groups:
        fvc_base = np.where(ild, rng.normal(76.0, 14.0, n), rng.normal(93.0, 12.0, n))
        fvc_slope = np.where(ild, rng.normal(0.3, 2.0, n), rng.normal(0.0, 1.0, n))
        fvc = np.clip(fvc_base[pid] + fvc_slope[pid] * t_years + rng.normal(0, 3.0, m), 30, 140)
        dlco_base = np.where(ild, rng.normal(58.0, 13.0, n), rng.normal(78.0, 12.0, n))
        dlco = np.clip(dlco_base[pid] + rng.normal(0, 4.0, m), 20, 130)
        lung_measured = scheduled | (rng.random(m) < 0.5)
        visits["fvc_pct_predicted"] = np.where(lung_measured, np.round(fvc, 1), np.nan)
        visits["dlco_pct_predicted"] = np.where(lung_measured, np.round(dlco, 1), np.nan)
        # HRCT on scheduled yearly visits (and baseline) for patients with ILD.
        yearly = scheduled & ((day <= 0) | (day >= 300))
        scanned = yearly & ild[pid]
        extent_base = np.clip(rng.normal(18.0, 9.0, n), 5.0, 60.0)
        trend = rng.choice(np.array([-1.0, 0.0, 1.0]), n, p=[0.25, 0.47, 0.28])
        extent = np.clip(
            extent_base[pid] + trend[pid] * 2.5 * t_years + rng.normal(0.0, 1.0, m), 0.0, 100.0
        )
        hrct_ild = pd.array(ild[pid], dtype="boolean")
        hrct_ild[~yearly] = pd.NA
        visits["hrct_ild"] = hrct_ild
        visits["hrct_extent_pct"] = np.where(scanned, np.round(extent / 5.0) * 5.0, np.nan)
        pattern = np.where(rng.random(n) < 0.8, "nsip", "uip").astype(object)[pid]
        visits["hrct_pattern"] = pd.array(
            np.where(scanned, pattern, np.array(None, dtype=object)), dtype="string"
        )
        labels = np.array([m.value for m in HRCTChange], dtype=object)
        comparison = labels[(trend[pid] + 1).astype(np.int64)]
        visits["hrct_comparison"] = pd.array(
            np.where(scanned & (day > 0), comparison, np.array(None, dtype=object)),
            dtype="string",
        )

    none = np.array(None, dtype=object)
    if "heart" in groups:
        trv_base = np.where(pah, rng.normal(3.3, 0.35, n), rng.normal(2.4, 0.25, n))
        pah_trend = rng.choice(np.array([-1.0, 0.0, 1.0]), n, p=[0.15, 0.6, 0.25])
        trv = np.clip(
            trv_base[pid]
            + np.where(pah[pid], 0.08 * pah_trend[pid] * t_years, 0.0)
            + rng.normal(0.0, 0.1, m),
            1.5,
            5.0,
        )
        echo = scheduled
        visits["tr_velocity_m_s"] = np.where(echo, np.round(trv, 2), np.nan)
        visits["rap_mmhg"] = np.where(
            echo, rng.choice(np.array([3.0, 8.0, 15.0]), m, p=[0.7, 0.25, 0.05]), np.nan
        )
        visits["lvef_pct"] = np.where(echo, np.round(np.clip(rng.normal(62, 5, m), 30, 80)), np.nan)
        visits["tapse_mm"] = np.where(
            echo, np.round(np.clip(rng.normal(np.where(pah[pid], 17, 22), 3), 8, 35)), np.nan
        )
        labels = np.array([m.value for m in HRCTChange], dtype=object)
        visits["pah_comparison"] = pd.array(
            np.where(
                echo & pah[pid] & (day > 0), labels[(pah_trend[pid] + 1).astype(np.int64)], none
            ),
            dtype="string",
        )

    if "vascular" in groups:
        ray = rng.random(n) < 0.95
        visits["raynauds"] = pd.array(ray[pid], dtype="boolean")
        visits["raynaud_condition_score"] = _maybe_missing(
            rng,
            np.where(ray[pid], np.clip(np.round(rng.normal(4.0, 2.0, m)), 0, 10), 0.0),
            missing_rate,
        )
        ulcer_rate = np.where(rng.random(n) < 0.3, 0.8, 0.05)[pid] * np.exp(-0.3 * t_years)
        visits["digital_ulcers_active"] = rng.poisson(ulcer_rate).astype(np.float64)
        visits["digital_pitting_scars"] = pd.array((rng.random(n) < 0.35)[pid], dtype="boolean")
        visits["digital_gangrene"] = pd.array(rng.random(m) < 0.005, dtype="boolean")
        visits["vasodilator_therapy"] = pd.array(
            ray[pid] & (rng.random(n) < 0.7)[pid], dtype="boolean"
        )

    if "labs" in groups:
        visits["crp_mg_l"] = np.round(np.exp(rng.normal(1.2, 0.9, m)), 1)
        visits["creatinine_mg_dl"] = np.round(np.clip(rng.normal(0.8, 0.15, m), 0.4, 3.0), 2)
        visits["hematocrit_pct"] = np.round(np.clip(rng.normal(39.0, 3.5, m), 22.0, 55.0), 1)
        visits["skin_worsening_patient"] = pd.array(rng.random(m) < 0.12, dtype="boolean")
        visits["tendon_friction_rubs"] = pd.array(
            diffuse[pid] & (rng.random(m) < 0.1), dtype="boolean"
        )
        visits["renal_crisis"] = pd.array(np.zeros(m, dtype=bool), dtype="boolean")
        visits["lv_failure_new"] = pd.array(np.zeros(m, dtype=bool), dtype="boolean")
        visits["pah_new_rhc"] = pd.array(np.zeros(m, dtype=bool), dtype="boolean")

    frame = pd.DataFrame(visits)
    return patients, frame
