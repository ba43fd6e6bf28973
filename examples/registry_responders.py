"""A registry analysis: responder rates over time in a large (simulated, fictional) cohort.

Simulates 5,000 patients followed for 5 years, scores every visit, and reports at 1, 3 and
5 years the proportion of evaluable patients with an mRSS improvement of at least the MCID,
with EUSTAR progressive skin fibrosis, and with a HAQ-DI improvement of at least 0.14 --
counting responders, non-responders and patients who are not evaluable separately.

Run: ``python examples/registry_responders.py``
"""

from __future__ import annotations

import time

import sscoutcomes as ssc


def main() -> None:
    t0 = time.perf_counter()
    cohort = ssc.simulate_cohort(5000, years=5, seed=2026)
    visits = cohort.visits.assign(
        mrss=ssc.score_mrss(cohort.visits)["mrss"], haq_di=ssc.score_haq(cohort.visits)["haq_di"]
    )
    schedule = ssc.Schedule.years(0, 1, 3, 5, window_days=90)
    print(f"{len(cohort.patients_frame)} patients, {len(visits)} visits (fictional)")
    for name in ("mrss_improvement_5pt", "mrss_progression_eustar", "haq_di_improvement_0.14"):
        rates = ssc.responder_rates(visits, name, schedule, patients=cohort.patients_frame)
        print(f"\n{name}: {rates.definition.description}")
        table = rates.table[["n_evaluable", "n_responder", "n_not_evaluable", "proportion"]]
        print(table.to_string(float_format=lambda x: f"{100 * x:.1f} %"))
    print(f"\ndone in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
