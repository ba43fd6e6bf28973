"""Event-free and progression-free survival: time-to-event data derived from a cohort.

:func:`event_free_survival` gives, per patient, the time from the index date (day 0) to the
first of death or any listed organ event, in the form :func:`~sscoutcomes.kaplan_meier`
(``time``, ``event``) and :func:`~sscoutcomes.cumulative_incidence` (``time``,
``competing``) read.

Event kinds
-----------
Each kind is one row of :data:`EVENT_KINDS`: the visits column it reads and the rule.

======================  =======================  ==============================================
kind                    column                   an event at a follow-up visit (day > 0) when
======================  =======================  ==============================================
``renal_crisis``        ``renal_crisis``         the flag is yes
``lv_failure_new``      ``lv_failure_new``       the flag is yes
``pah_new_rhc``         ``pah_new_rhc``          the flag is yes (new PAH on right heart catheter)
``lvef_below``          ``lvef_pct``             LVEF < ``lvef_below`` (%)
``fvc_below``           ``fvc_pct_predicted``    FVC < ``fvc_below`` (% predicted)
``fvc_decline``         ``fvc_pct_predicted``    FVC fell from baseline by >= ``fvc_decline``
======================  =======================  ==============================================

The FVC baseline is the last FVC on or before day 0 within the look-back window
(``baseline_window_days``, 90 by default): the baseline rule of
:class:`~sscoutcomes.Schedule`. The decline is relative (``(base - fvc) / base``, in %) or
absolute (``base - fvc``, in percentage points), compared with a 1e-9 tolerance so that a
decline of exactly the threshold counts.

Presets
-------
:data:`EVENT_PRESETS` holds two definitions, each with its source and how firm it is:

- ``"eustar"`` -- organ progression as in EUSTAR cohort analyses: new renal crisis,
  FVC decline >= 10 % relative, LVEF < 45 %, new PAH on right heart catheterisation. The
  FVC rule is firm (relative decline >= 10 %: Hoffmann-Vold AM et al. Ann Rheum Dis
  2021;80:219-27, doi:10.1136/annrheumdis-2020-217455); the set of organs and the LVEF
  cut-off of 45 % are **provisional** (a common EUSTAR choice, to be checked against the
  paper a study follows).
- ``"astis"`` -- event-free survival of the ASTIS trial (van Laar JM et al. JAMA
  2014;311:2490-8, doi:10.1001/jama.2014.6368): survival without persistent major organ
  failure of heart, lung or kidney. The proxies are **provisional**, written from memory of
  the trial's definitions and not checked against its protocol: kidney = renal crisis
  (the trial counted dialysis / renal failure), heart = LVEF < 30 %, lung = FVC < 50 %
  predicted. "Persistent" (confirmed on a later visit) is not checked: one visit counts.

Unknowns
--------
Missing is never good news. A visit at which a listed event's flag (or the measure its rule
reads, or the FVC baseline) is missing does not show the patient event-free: the patient is
censored at the last follow-up visit up to which every listed event was known (day 0 when
there is none). An event seen at a visit before the first such visit counts; a death after
it does not (an organ event may have come first, unseen).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from .._selection import DEFAULT_BASELINE_WINDOW_DAYS
from .._validation import check_choice, check_instance, check_number, read_flags
from ..cohort.cohort import Cohort
from ..errors import SchemaError, SSCOutcomesWarning

__all__ = [
    "EVENT_KINDS",
    "EVENT_PRESETS",
    "FVC_DECLINE_TYPES",
    "event_free_survival",
]

FloatArray = npt.NDArray[np.float64]

#: Event kind -> (visits column, rule); the rules are "flag" (yes = event), "below" (value below
#: a threshold), "decline" (FVC decline from baseline).
EVENT_KINDS: Final[dict[str, tuple[str, str]]] = {
    "renal_crisis": ("renal_crisis", "flag"),
    "lv_failure_new": ("lv_failure_new", "flag"),
    "pah_new_rhc": ("pah_new_rhc", "flag"),
    "lvef_below": ("lvef_pct", "below"),
    "fvc_below": ("fvc_pct_predicted", "below"),
    "fvc_decline": ("fvc_pct_predicted", "decline"),
}

#: How an FVC decline is measured -- relative (% of baseline) or absolute (points).
FVC_DECLINE_TYPES: Final[tuple[str, ...]] = ("relative", "absolute")

#: Preset definitions -- events, thresholds, source and how firm each part is.
EVENT_PRESETS: Final[dict[str, dict[str, Any]]] = {
    "eustar": {
        "events": ("renal_crisis", "fvc_decline", "lvef_below", "pah_new_rhc"),
        "fvc_decline": 10.0,
        "fvc_decline_type": "relative",
        "lvef_below": 45.0,
        "fvc_below": 50.0,
        "source": "Hoffmann-Vold AM et al. Ann Rheum Dis 2021;80:219-27, "
        "doi:10.1136/annrheumdis-2020-217455 (FVC decline >= 10 % relative)",
        "firmness": "FVC rule firm; organ set and LVEF < 45 % provisional",
    },
    "astis": {
        "events": ("renal_crisis", "lvef_below", "fvc_below"),
        "fvc_decline": 10.0,
        "fvc_decline_type": "relative",
        "lvef_below": 30.0,
        "fvc_below": 50.0,
        "source": "van Laar JM et al. JAMA 2014;311:2490-8, doi:10.1001/jama.2014.6368",
        "firmness": "provisional: proxies of persistent major organ failure from memory "
        "(renal crisis, LVEF < 30 %, FVC < 50 % predicted); persistence not checked",
    },
}

_TOL: Final = 1e-9


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _label(kind: str, lvef_below: float, fvc_below: float) -> str:
    if kind == "lvef_below":
        return f"lvef_below_{_fmt(lvef_below)}"
    if kind == "fvc_below":
        return f"fvc_below_{_fmt(fvc_below)}"
    return kind


def _events_tuple(events: object) -> tuple[str, ...]:
    if isinstance(events, str):
        events = (events,)
    if not isinstance(events, (tuple, list)) or not events:
        raise SchemaError(
            f"events = {events!r:.80} must be a non-empty tuple of event kinds from "
            f"{', '.join(map(repr, EVENT_KINDS))}"
        )
    out: list[str] = []
    for kind in events:
        check_choice("events", kind, tuple(EVENT_KINDS))
        if kind not in out:
            out.append(kind)
    return tuple(out)


def _days(values: Any, label: str) -> FloatArray:
    return np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype=float)


def _fvc_baseline(visits: pd.DataFrame, fvc: FloatArray, window: int) -> FloatArray:
    """Each visit's patient's baseline FVC: last non-missing on or before day 0 within the
    look-back window (NaN when none)."""
    day = visits["_day"].to_numpy()
    ok = (day <= 0) & (day >= -window) & ~np.isnan(fvc)
    base = pd.DataFrame({"pid": visits["_pid"].to_numpy()[ok], "day": day[ok], "fvc": fvc[ok]})
    last = base.sort_values("day", kind="stable").groupby("pid", sort=False)["fvc"].last()
    return np.asarray(visits["_pid"].map(last), dtype=float)


def event_free_survival(
    cohort: Cohort,
    *,
    events: Sequence[str] | None = None,
    fvc_decline: float | None = None,
    fvc_decline_type: Literal["relative", "absolute"] | None = None,
    lvef_below: float | None = None,
    fvc_below: float | None = None,
    preset: Literal["eustar", "astis"] | None = None,
    baseline_window_days: int = DEFAULT_BASELINE_WINDOW_DAYS,
) -> pd.DataFrame:
    """Time to the first of death or any listed organ event, one row per patient.

    Parameters
    ----------
    cohort : Cohort
        Visits with ``patient_id``, ``day`` and the columns the listed events read (see
        :data:`EVENT_KINDS`); patients with ``death_day`` and ``last_contact_day``.
    events : sequence of str, optional
        Organ event kinds, in order of precedence when two happen at one visit: any of
        ``"renal_crisis"``, ``"lv_failure_new"``, ``"pah_new_rhc"``, ``"lvef_below"``,
        ``"fvc_below"``, ``"fvc_decline"``. Default: the preset's, else the ``"eustar"`` set.
        Death always counts.
    fvc_decline : float, optional
        FVC decline from baseline that counts (>=), 0..100; default 10 (Hoffmann-Vold 2021).
    fvc_decline_type : {"relative", "absolute"}, optional
        Relative (% of the baseline value, default) or absolute (% predicted points).
    lvef_below : float, optional
        LVEF (%) below which (<) an echo counts as an event, 5..90; default 45 (30 for
        ``"astis"``).
    fvc_below : float, optional
        FVC (% predicted) below which (<) a visit counts, 0..200; default 50.
    preset : {"eustar", "astis"}, optional
        A documented definition (:data:`EVENT_PRESETS`); explicit arguments override it.
    baseline_window_days : int
        Look-back of the FVC baseline (days before day 0), default 90.

    Returns
    -------
    pandas.DataFrame
        ``patient_id``, ``time`` (days from day 0 to the first event or censoring),
        ``event`` (1 organ event or death, 0 censored), ``first_event`` (``"death"``, an
        event kind such as ``"renal_crisis"``, ``"fvc_decline"`` or ``"lvef_below_45"``;
        None when censored), ``day_event`` (NaN when censored) and ``competing`` (0
        censored, 1 organ event first, 2 death without a prior organ event). ``attrs``
        records the definition and ``n_left_out``.

    Raises
    ------
    SchemaError
        ``cohort`` is not a Cohort, an unknown event kind or preset, or the visits lack a
        column a listed event reads; a flag that is not yes/no.
    OutOfRangeError
        A threshold outside its range.

    Warns
    -----
    SSCOutcomesWarning
        Patients with no visit and neither death nor last contact are left out.

    Notes
    -----
    Organ events are looked for at every follow-up visit (day > 0) over the whole follow-up;
    a flag at or before day 0 is history, not an event. A visit at which any listed event is
    unknown (flag or measure missing, or no FVC baseline for ``fvc_decline``) ends what is
    known: the patient is censored at the last visit before it (day 0 when none), and a
    later death is not counted. Otherwise death is the event when it comes before any organ
    event; an organ event on the day of death counts as the organ event. A patient with no
    event is censored at the last follow-up visit (day 0 when none): organ status after it
    was not assessed, whatever the last contact.

    References
    ----------
    - van Laar JM et al. JAMA 2014;311:2490-8. doi:10.1001/jama.2014.6368 (ASTIS).
    - Hoffmann-Vold AM et al. Ann Rheum Dis 2021;80:219-27.
      doi:10.1136/annrheumdis-2020-217455 (FVC decline >= 10 % relative).

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes import Cohort, event_free_survival
    >>> visits = pd.DataFrame({"patient_id": ["A", "A", "A", "B", "B"],
    ...                        "day": [0, 182, 365, 0, 182],
    ...                        "renal_crisis": ["no", "yes", "no", "no", "no"]})
    >>> patients = pd.DataFrame({"patient_id": ["A", "B"], "death_day": [None, 300]})
    >>> cohort = Cohort.from_frames(visits=visits, patients=patients)
    >>> event_free_survival(cohort, events=("renal_crisis",))[
    ...     ["patient_id", "time", "event", "first_event", "competing"]]
      patient_id   time  event   first_event  competing
    0          A  182.0      1  renal_crisis          1
    1          B  300.0      1         death          2
    """
    check_instance("cohort", cohort, Cohort, "a Cohort")
    if preset is not None:
        check_choice("preset", preset, tuple(EVENT_PRESETS))
    spec = EVENT_PRESETS[preset if preset is not None else "eustar"]
    kinds = _events_tuple(spec["events"] if events is None else events)
    decline = check_number(
        "fvc_decline", spec["fvc_decline"] if fvc_decline is None else fvc_decline, 0, 100
    )
    decline_type = check_choice(
        "fvc_decline_type",
        spec["fvc_decline_type"] if fvc_decline_type is None else fvc_decline_type,
        FVC_DECLINE_TYPES,
    )
    lvef = check_number(
        "lvef_below", spec["lvef_below"] if lvef_below is None else lvef_below, 5, 90
    )
    fvc_lo = check_number(
        "fvc_below", spec["fvc_below"] if fvc_below is None else fvc_below, 0, 200
    )
    window = int(check_number("baseline_window_days", baseline_window_days, 0, 36525, integer=True))

    raw = cohort.visits
    needed = {EVENT_KINDS[k][0] for k in kinds}
    absent = sorted(needed - set(raw.columns))
    if absent:
        raise SchemaError(
            f"the visits have no column {', '.join(map(repr, absent))}, which events = "
            f"{kinds!r} read; record it or leave that event out"
        )
    visits = pd.DataFrame(
        {"_pid": raw["patient_id"].astype(str).to_numpy(), "_day": _days(raw["day"], "day")}
    )
    keep = ~np.isnan(visits["_day"].to_numpy())
    values: dict[str, FloatArray] = {}
    for column in needed:
        if EVENT_KINDS.get(column, ("", ""))[1] == "flag":
            values[column] = read_flags(raw[column].to_numpy(dtype=object), column)
        else:
            values[column] = np.asarray(pd.to_numeric(raw[column], errors="coerce"), dtype=float)
    visits = visits[keep].reset_index(drop=True)
    values = {c: v[keep] for c, v in values.items()}
    day = visits["_day"].to_numpy()
    follow = day > 0

    positive = np.zeros((day.size, len(kinds)), dtype=bool)
    known = np.ones((day.size, len(kinds)), dtype=bool)
    for j, kind in enumerate(kinds):
        column, rule = EVENT_KINDS[kind]
        v = values[column]
        if rule == "flag":
            positive[:, j] = v == 1.0
            known[:, j] = ~np.isnan(v)
        elif rule == "below":
            cut = lvef if kind == "lvef_below" else fvc_lo
            with np.errstate(invalid="ignore"):
                positive[:, j] = v < cut
            known[:, j] = ~np.isnan(v)
        else:
            base = _fvc_baseline(visits, v, window)
            with np.errstate(invalid="ignore", divide="ignore"):
                drop = base - v if decline_type == "absolute" else (base - v) / base * 100.0
                positive[:, j] = drop >= decline - _TOL
            known[:, j] = ~np.isnan(v) & ~np.isnan(base) & (base > 0)
    any_pos = positive.any(axis=1) & follow
    unknown = ~known.all(axis=1) & ~any_pos & follow
    first_kind = np.argmax(positive, axis=1)

    fu = pd.DataFrame(
        {
            "pid": visits["_pid"],
            "day": day,
            "pos": any_pos,
            "unknown": unknown,
            "kind": first_kind,
        }
    )[follow]
    pos_rows = fu[fu["pos"]].sort_values("day", kind="stable").groupby("pid").first()
    first_unknown = fu[fu["unknown"]].groupby("pid")["day"].min()
    fu = fu.assign(stop=fu["pid"].map(first_unknown).fillna(np.inf))
    last_known = fu[fu["day"] < fu["stop"]].groupby("pid")["day"].max()

    patients = cohort.patients_frame
    pids = patients["patient_id"].astype(str).to_numpy()
    death = (
        _days(patients["death_day"], "death_day")
        if "death_day" in patients
        else np.full(pids.size, np.nan)
    )
    contact = (
        _days(patients["last_contact_day"], "last_contact_day")
        if "last_contact_day" in patients
        else np.full(pids.size, np.nan)
    )
    has_visit = np.isin(pids, visits["_pid"].to_numpy())
    left_out = ~has_visit & np.isnan(death) & np.isnan(contact)
    labels = [_label(k, lvef, fvc_lo) for k in kinds]

    rows: list[tuple[str, float, int, str | None, float, int]] = []
    for pid, d in zip(pids[~left_out], death[~left_out], strict=True):
        e_day = float(pos_rows["day"].get(pid, math.nan))
        u_day = float(first_unknown.get(pid, math.inf))
        censor = float(last_known.get(pid, 0.0))
        if not math.isnan(e_day) and e_day < u_day and (math.isnan(d) or e_day <= d):
            kind = labels[int(pos_rows["kind"][pid])]
            rows.append((pid, e_day, 1, kind, e_day, 1))
        elif not math.isnan(d) and d < u_day:
            rows.append((pid, d, 1, "death", d, 2))
        else:
            rows.append((pid, censor, 0, None, math.nan, 0))
    out = pd.DataFrame(
        rows, columns=["patient_id", "time", "event", "first_event", "day_event", "competing"]
    )
    out = out.astype({"time": float, "event": int, "day_event": float, "competing": int})
    out["first_event"] = out["first_event"].astype(object)
    n_left = int(left_out.sum())
    if n_left:
        warnings.warn(
            f"{n_left} patient(s) left out of event-free survival: no visit and neither "
            f"death_day nor last_contact_day ({', '.join(pids[left_out][:5])}"
            f"{', ...' if n_left > 5 else ''})",
            SSCOutcomesWarning,
            stacklevel=2,
        )
    out.attrs = {
        "events": kinds,
        "preset": preset,
        "fvc_decline": decline,
        "fvc_decline_type": decline_type,
        "lvef_below": lvef,
        "fvc_below": fvc_lo,
        "baseline_window_days": window,
        "n_left_out": n_left,
    }
    return out
