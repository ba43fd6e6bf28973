"""Write the saved results that ``test_golden.py`` compares against.

Run once, before a refactoring, from the repository root::

    python tests/golden/make_golden.py

Every frame is written as CSV with floats printed to 17 significant digits, so the test
compares bit for bit; ``versions.json`` records the numpy, pandas and scipy the numbers
were computed with (other versions may differ in the last bits of a p-value). The inputs
are the bundled demo cohort and ``simulate_cohort(150, seed=7)``; the outputs are every
score of ``score_visits``, the index scores, change from baseline, HRCT/PAH change, CRISS
over the schedule, responder rates and the report's frame.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import sscoutcomes as ssc

HERE = Path(__file__).parent


def cohorts() -> dict[str, ssc.Cohort]:
    return {"demo": ssc.load_demo(), "sim": ssc.simulate_cohort(150, seed=7)}


def results(cohort: ssc.Cohort) -> dict[str, pd.DataFrame]:
    visits, patients = cohort.visits, cohort.patients_frame
    scored = ssc.score_visits(visits)
    schedule = ssc.Schedule.years(0, 1, 3, 5, window_days=90)
    out: dict[str, pd.DataFrame] = {
        "score_visits": scored,
        "score_mrss": ssc.score_mrss(visits),
        "score_haq": ssc.score_haq(visits),
        "score_haq_min5": ssc.score_haq(visits, min_categories=5),
        "score_shaq": ssc.score_shaq(visits),
        "score_globals": ssc.score_globals(visits),
        "score_pft": ssc.score_pft(visits),
        "score_echo": ssc.score_echo(visits),
        "score_vascular": ssc.score_vascular(visits),
        "score_eustar_activity": ssc.score_eustar_activity(visits),
        "skin_subset": ssc.skin_subset(visits).to_frame(),
        "change": ssc.change_from_baseline(
            scored,
            ["mrss", "haq_di", "fvc_pct_predicted", "dlco_pct_predicted", "patient_global"],
            schedule,
            patients=patients,
        ),
        "hrct_change": ssc.hrct_change_from_baseline(scored, schedule, patients=patients),
        "pah_change": ssc.pah_change_from_baseline(scored, schedule, patients=patients),
        "criss": ssc.criss_from_visits(scored, schedule, patients=patients),
        # the "about" rows hold today's date and the library version: not a result
        "report": ssc.FollowUpReport(cohort, schedule).to_frame().query("section != 'about'"),
    }
    for name in sorted(ssc.RESPONDER_DEFINITIONS):
        rates = ssc.responder_rates(scored, name, schedule, patients=patients)
        out[f"rates_{name}"] = rates.table
    return out


def write(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, float_format="%.17g")


def versions() -> dict[str, str]:
    """The versions of the libraries the saved numbers depend on."""
    import numpy
    import scipy

    return {"numpy": numpy.__version__, "pandas": pd.__version__, "scipy": scipy.__version__}


if __name__ == "__main__":
    import json

    (HERE / "versions.json").write_text(json.dumps(versions(), indent=2) + "\n")
    for cname, cohort in cohorts().items():
        for rname, frame in results(cohort).items():
            write(frame, HERE / f"{cname}_{rname}.csv")
    print("written to", HERE)
