"""Score a (simulated, fictional) trial's CRISS at 1 year.

Builds a two-arm trial from the simulator, picks each patient's baseline and 1-year values
with the schedule's visit rule, computes the ACR CRISS probability (step 1 events force 0)
and the responder status per patient, then compares the arms: responders among evaluable
patients with Wilson intervals, and the revised CRISS (provisional) beside it.

Run: ``python examples/criss_trial.py``
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import sscoutcomes as ssc

CORE = ["mrss", "fvc_pct_predicted", "patient_global", "physician_global", "haq_di"]


def main() -> None:
    cohort = ssc.simulate_cohort(120, years=1, seed=7)
    visits = cohort.visits.assign(
        mrss=ssc.score_mrss(cohort.visits)["mrss"], haq_di=ssc.score_haq(cohort.visits)["haq_di"]
    )
    # fictional randomisation, 1:1
    arm = pd.Series(
        np.where(np.arange(len(cohort.patients_frame)) % 2 == 0, "active", "placebo"),
        index=cohort.patients_frame["patient_id"],
    )
    schedule = ssc.Schedule.years(0, 1, window_days=90)
    sel = schedule.select(
        visits,
        [*CORE, "renal_crisis", "lv_failure_new", "pah_new_rhc"],
        patients=cohort.patients_frame,
    )
    base = sel[sel["timepoint"] == "baseline"].set_index("patient_id")
    one = sel[sel["timepoint"] == "1 year"].set_index("patient_id")
    # CRISS over the schedule: step 1 events looked for at every visit up to 1 year
    result = (
        ssc.criss_from_visits(visits, schedule, patients=cohort.patients_frame)
        .set_index("patient_id")
        .drop(columns=["timepoint"])
    )
    rcriss = ssc.revised_criss_frame(base[CORE], one.drop(columns=["timepoint"]))
    table = result.join(rcriss).join(arm.rename("arm"))
    print(table.head().to_string())
    print()
    for name, block in table.groupby("arm"):
        for column in ("criss_response", "rcriss_response"):
            counts = block[column].value_counts()
            k = int(counts.get("responder", 0))
            n = k + int(counts.get("non-responder", 0))
            ci = ssc.proportion_ci(k, n)
            print(
                f"{name:8s} {column:16s} {ssc.format_proportion(k, n):>22s}  "
                f"95 % CI {100 * ci.lower:.1f}-{100 * ci.upper:.1f} %; "
                f"not evaluable {int(counts.get('not evaluable', 0))}"
            )


if __name__ == "__main__":
    main()
