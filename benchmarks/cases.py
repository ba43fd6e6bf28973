"""Benchmark cases: for each score, the library's frame face, a numpy reference doing the same
arithmetic on the same arrays, a per-row loop over the object face, and pandas code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import sscoutcomes as ssc

Arrays = dict[str, np.ndarray]


@dataclass(frozen=True)
class Case:
    name: str
    groups: tuple[str, ...]
    columns: Callable[[pd.DataFrame], list[str]]
    library: Callable[[pd.DataFrame], object]
    arrays: Callable[[pd.DataFrame], Arrays]
    reference: Callable[[Arrays], object]
    loop: Callable[[pd.DataFrame], object] | None = None
    pandas: Callable[[pd.DataFrame], object] | None = None


def _float_arrays(frame: pd.DataFrame) -> Arrays:
    """The columns as float64 arrays (NaN = missing), converted before the clock starts: the
    reference gets its inputs for free, whatever storage the frame uses."""
    return {c: frame[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in frame.columns}


# ----------------------------------------------------------------------------- mRSS
SITE_COLUMNS = [f"mrss_{s}" for s in ssc.SKIN_SITES]


def _mrss_reference(a: Arrays) -> np.ndarray:
    out = a[SITE_COLUMNS[0]].copy()
    for c in SITE_COLUMNS[1:]:
        out += a[c]
    return out


def _mrss_loop(frame: pd.DataFrame) -> list[int | None]:
    out = []
    for rec in frame.to_dict("records"):
        score = ssc.SkinScore.from_record(rec)
        out.append(None if score is None else score.total)
    return out


MRSS = Case(
    name="mrss total",
    groups=("skin",),
    columns=lambda v: ["patient_id", "day", *SITE_COLUMNS],
    library=ssc.score_mrss,
    arrays=lambda f: _float_arrays(f[SITE_COLUMNS]),
    reference=_mrss_reference,
    loop=_mrss_loop,
    pandas=lambda f: f[SITE_COLUMNS].sum(axis=1, skipna=False),
)

# ----------------------------------------------------------------------------- HAQ-DI
from sscoutcomes.measures.haq import (  # noqa: E402
    AID_FLOOR,
    HAQ_AIDS,
    HAQ_CATEGORIES,
    HAQ_ITEMS,
)

ITEM_COLUMNS = [f"haq_{i}" for i in HAQ_ITEMS]
AID_COLUMNS = [f"haq_aid_{a}" for a in HAQ_AIDS]
HELP_COLUMNS = [f"haq_help_{c}" for c in HAQ_CATEGORIES]
#: Positions in HAQ_ITEMS of each category's items, and the aid columns raising each category.
CATEGORY_ITEM_IDX = [
    [k for k, i in enumerate(HAQ_ITEMS) if HAQ_ITEMS[i] == c] for c in HAQ_CATEGORIES
]
CATEGORY_AIDS = [[f"haq_aid_{a}" for a in HAQ_AIDS if HAQ_AIDS[a] == c] for c in HAQ_CATEGORIES]


def _haq_columns(v: pd.DataFrame) -> list[str]:
    return [
        c
        for c in ["patient_id", "day", *ITEM_COLUMNS, *AID_COLUMNS, *HELP_COLUMNS]
        if c in v.columns
    ]


def _haq_arrays(f: pd.DataFrame) -> Arrays:
    return _float_arrays(f.drop(columns=["patient_id", "day"]))


def _haq_reference(a: Arrays) -> np.ndarray:
    """Category = max item; aid/help raises 0-1 to 2; mean of >= 6 answered categories."""
    n = len(next(iter(a.values())))
    total = np.zeros(n)
    answered = np.zeros(n)
    for k, idx in enumerate(CATEGORY_ITEM_IDX):
        cat = a[ITEM_COLUMNS[idx[0]]].copy()
        for i in idx[1:]:
            np.fmax(cat, a[ITEM_COLUMNS[i]], out=cat)
        flag = np.zeros(n, dtype=bool)
        for aid in CATEGORY_AIDS[k]:
            if aid in a:
                flag |= a[aid] > 0
        if HELP_COLUMNS[k] in a:
            flag |= a[HELP_COLUMNS[k]] > 0
        cat = np.where(flag & (cat < AID_FLOOR), float(AID_FLOOR), cat)
        ok = ~np.isnan(cat)
        answered += ok
        total += np.where(ok, cat, 0.0)
    return np.where(answered >= 6, total / np.maximum(answered, 1), np.nan)


def _haq_loop(frame: pd.DataFrame) -> list[float | None]:
    out = []
    for rec in frame.to_dict("records"):
        haq = ssc.HAQ.from_record(rec)
        out.append(None if haq is None else haq.disability_index)
    return out


def _haq_pandas(f: pd.DataFrame) -> pd.Series:
    """What a user writes in pandas: category = row max of its items, raised to 2 by an aid
    or help, mean of the answered categories when at least 6 are answered."""
    cats = []
    for k, c in enumerate(HAQ_CATEGORIES):
        raw = f[[ITEM_COLUMNS[i] for i in CATEGORY_ITEM_IDX[k]]].max(axis=1)
        flags = [a for a in CATEGORY_AIDS[k] if a in f]
        if HELP_COLUMNS[k] in f:
            flags.append(HELP_COLUMNS[k])
        if flags:
            used = (f[flags] > 0).any(axis=1)
            raw = raw.mask(used & (raw < AID_FLOOR), float(AID_FLOOR))
        cats.append(raw.astype("float64").rename(c))
    table = pd.concat(cats, axis=1)
    return table.mean(axis=1).where(table.notna().sum(axis=1) >= 6)


HAQ_DI = Case(
    name="HAQ-DI",
    groups=("haq",),
    columns=_haq_columns,
    library=lambda f: ssc.score_haq(f)["haq_di"],
    arrays=_haq_arrays,
    reference=_haq_reference,
    loop=_haq_loop,
    pandas=_haq_pandas,
)


# ----------------------------------------------------------------------------- change
YEARS = ssc.Schedule.years(0, 1, 3, 5, window_days=90)
#: Every scored column of a visits frame (run.py adds mrss, haq_di and spap_mmhg).
SCORED = [
    "mrss",
    "haq_di",
    "fvc_pct_predicted",
    "dlco_pct_predicted",
    "spap_mmhg",
    "patient_global",
    "physician_global",
]


def _change_reference(a: Arrays) -> np.ndarray:
    """Baseline per patient (last value on or before day 0 within 90 days) and change at
    the visit closest to each target (ties to the earlier), for every scored column, on
    visits sorted by patient and day with integer patient codes given."""
    pid, day = a["patient_code"], a["day"]
    n = len(pid)
    starts = np.flatnonzero(np.r_[True, pid[1:] != pid[:-1]])
    patient_of_row = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, n]))
    out = []
    for measure in SCORED:
        value = a[measure]
        has = ~np.isnan(value)
        base_ok = has & (day <= 0) & (day >= -90)
        base_row = np.full(starts.size, -1)
        rows = np.flatnonzero(base_ok)
        base_row[patient_of_row[rows]] = rows  # the last qualifying row wins (sorted by day)
        baseline = np.where(base_row >= 0, value[np.maximum(base_row, 0)], np.nan)
        for target in (365, 1096, 1826):
            dist = np.where(has & (np.abs(day - target) <= 90), np.abs(day - target), np.inf)
            key = dist * 2 + (day > target)  # ties to the earlier visit
            best = np.full(starts.size, np.inf)
            np.minimum.at(best, patient_of_row, key)
            chosen = np.full(starts.size, np.nan)
            hit = (key == best[patient_of_row]) & np.isfinite(key)
            chosen[patient_of_row[hit]] = value[hit]
            out.append(chosen - baseline)
    return np.concatenate(out)


def _change_arrays(f: pd.DataFrame) -> Arrays:
    return {
        "patient_code": pd.factorize(f["patient_id"])[0].astype(np.int64),
        "day": f["day"].to_numpy(dtype=np.float64),
        **{m: f[m].to_numpy(dtype=np.float64, na_value=np.nan) for m in SCORED},
    }


def _change_pandas(f: pd.DataFrame) -> pd.DataFrame:
    """What a user writes in pandas: a baseline per patient, then for each timepoint the
    visit nearest the target inside the window, merged and subtracted, column by column."""
    frames = []
    for measure in SCORED:
        v = f.loc[f[measure].notna(), ["patient_id", "day", measure]]
        base = (
            v[(v["day"] <= 0) & (v["day"] >= -90)]
            .sort_values(["patient_id", "day"])
            .groupby("patient_id")
            .tail(1)
            .set_index("patient_id")[measure]
        )
        for target in (365, 1096, 1826):
            w = v[(v["day"] - target).abs() <= 90].copy()
            w["key"] = (w["day"] - target).abs() * 2 + (w["day"] > target)
            near = w.sort_values("key").groupby("patient_id").head(1).set_index("patient_id")
            frames.append((near[measure] - base.reindex(near.index)).rename(measure))
    return pd.concat(frames)


def _change_loop(f: pd.DataFrame) -> list[float | None]:
    """A per-patient loop over Python values with the library's scalar kernel: the
    baseline (last value in days -90..0) and the visit closest to each target."""
    out: list[float | None] = []
    for _, g in f.groupby("patient_id", sort=False):
        days = g["day"].tolist()
        for measure in SCORED:
            values = [None if pd.isna(v) else float(v) for v in g[measure].tolist()]
            base = None
            for d, v in sorted(zip(days, values, strict=True), key=lambda dv: dv[0]):
                if v is not None and -90 <= d <= 0:
                    base = v
            for target in (365, 1096, 1826):
                best: tuple[tuple[int, bool], float] | None = None
                for d, v in zip(days, values, strict=True):
                    if v is None or abs(d - target) > 90:
                        continue
                    key = (abs(d - target), d > target)
                    if best is None or key < best[0]:
                        best = (key, v)
                out.append(
                    None if base is None or best is None else ssc.absolute_change(base, best[1])
                )
    return out


CHANGE = Case(
    name="change from baseline (all)",
    groups=("skin", "haq", "lung", "heart", "globals"),
    columns=lambda v: ["patient_id", "day", *SCORED],
    library=lambda f: ssc.change_from_baseline(f, SCORED, YEARS),
    arrays=_change_arrays,
    reference=_change_reference,
    loop=_change_loop,
    pandas=_change_pandas,
)

# ----------------------------------------------------------------------------- sPAP
SPAP = Case(
    name="sPAP (4 v^2 + RAP)",
    groups=("heart",),
    columns=lambda v: ["tr_velocity_m_s", "rap_mmhg"],
    library=lambda f: ssc.estimate_spap(f["tr_velocity_m_s"], f["rap_mmhg"]),
    arrays=_float_arrays,
    reference=lambda a: 4.0 * a["tr_velocity_m_s"] ** 2 + a["rap_mmhg"],
    loop=lambda f: [
        ssc.EchoFinding(tr_velocity_m_s=r["tr_velocity_m_s"], rap_mmhg=r["rap_mmhg"]).spap_mmhg
        if r["tr_velocity_m_s"] == r["tr_velocity_m_s"]
        else None
        for r in f.to_dict("records")
    ],
    pandas=lambda f: 4 * f["tr_velocity_m_s"] ** 2 + f["rap_mmhg"],
)


# ----------------------------------------------------------------------------- CRISS
CRISS_COLUMNS = ["d_mrss", "d_fvc", "d_pt", "d_md", "d_haq"]


def _criss_frame(v: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = len(v)
    return pd.DataFrame(
        {
            "d_mrss": rng.normal(-4, 6, n),
            "d_fvc": rng.normal(0, 5, n),
            "d_pt": rng.normal(-1, 2, n),
            "d_md": rng.normal(-1, 2, n),
            "d_haq": rng.normal(-0.1, 0.3, n),
        }
    )


def _criss_reference(a: Arrays) -> np.ndarray:
    logit = (
        -5.54
        - 0.81 * a["d_mrss"]
        + 0.21 * a["d_fvc"]
        - 0.40 * a["d_pt"]
        - 0.44 * a["d_md"]
        - 3.41 * a["d_haq"]
    )
    return 1.0 / (1.0 + np.exp(-logit))


def _criss_pandas(f: pd.DataFrame) -> pd.Series:
    logit = (
        -5.54
        - 0.81 * f["d_mrss"]
        + 0.21 * f["d_fvc"]
        - 0.40 * f["d_pt"]
        - 0.44 * f["d_md"]
        - 3.41 * f["d_haq"]
    )
    return 1.0 / (1.0 + np.exp(-logit))


CRISS_PROBABILITY = Case(
    name="CRISS probability",
    groups=("skin",),
    columns=lambda v: list(v.columns[:1]),
    library=lambda f: ssc.criss_probability(*(f[c].to_numpy() for c in CRISS_COLUMNS)),
    arrays=_float_arrays,
    reference=_criss_reference,
    loop=lambda f: [ssc.criss_probability(*r) for r in f[CRISS_COLUMNS].itertuples(index=False)],
    pandas=_criss_pandas,
)

CASES: list[Case] = [MRSS, HAQ_DI, CHANGE, SPAP, CRISS_PROBABILITY]


def _haq_object() -> Any:
    return ssc.HAQ(items=dict.fromkeys(HAQ_ITEMS, 1), aids=["cane"], help=["grip"]).disability_index


def _skin_object() -> Any:
    return ssc.SkinScore(
        face=1,
        anterior_chest=0,
        abdomen=0,
        fingers_right=2,
        fingers_left=2,
        hands_right=1,
        hands_left=1,
        forearms_right=1,
        forearms_left=1,
        upper_arms_right=0,
        upper_arms_left=0,
        thighs_right=0,
        thighs_left=0,
        legs_right=0,
        legs_left=0,
        feet_right=0,
        feet_left=0,
    ).total


#: Object-face targets: name -> (callable building one object and reading its score, n).
OBJECT_CASES: dict[str, tuple[Callable[[], object], int]] = {
    "SkinScore(...).total": (_skin_object, 2_000),
    "HAQ(...).disability_index": (_haq_object, 1_000),
}
