"""Write ``demo_survival.csv``: overall survival of the bundled demo cohort, for R.

Time and event follow :class:`sscoutcomes.FollowUpReport` (time origin = index date):
the event is death (``death_day`` known), the time is ``death_day`` for the patients who
died and ``last_contact_day`` for the others; patients with neither are left out.
``tests/analysis/test_survival.py`` checks that this file still equals what
``load_demo()`` gives. Run from this folder: ``PYTHONPATH=../../../src python
export_demo_survival.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import sscoutcomes as ssc


def demo_survival() -> pd.DataFrame:
    """The demo cohort's survival data, one row per patient with a known time."""
    patients = ssc.load_demo().patients_frame
    death = pd.to_numeric(patients["death_day"], errors="coerce").to_numpy(dtype=float)
    last = pd.to_numeric(patients["last_contact_day"], errors="coerce").to_numpy(dtype=float)
    event = ~np.isnan(death)
    time = np.where(event, death, last)
    known = ~np.isnan(time)
    return pd.DataFrame(
        {
            "patient_id": patients["patient_id"].astype(str).to_numpy()[known],
            "time": time[known],
            "event": event[known].astype(int),
            "subset": patients["subset"].astype(str).to_numpy()[known],
            "age_at_index": pd.to_numeric(patients["age_at_index"]).to_numpy(float)[known],
            "sex": patients["sex"].astype(str).to_numpy()[known],
        }
    )


if __name__ == "__main__":
    demo_survival().to_csv(Path(__file__).parent / "demo_survival.csv", index=False)
