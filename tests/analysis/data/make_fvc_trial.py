"""Write fvc_trial.csv: a simulated two-arm FVC trial for tests/analysis/test_rate.py.

60 patients (30 per arm), FVC in mL every 6 months for 2 years (days 0, 183, 365, 548,
730), a random intercept and slope per patient, a placebo decline of 120 mL/year and a
treatment decline of 40 mL/year, and about 8 % of follow-up values missing. Fixed seed, so
re-running writes the same file. Run from this folder:  python make_fvc_trial.py
"""

from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20261202)
rows = []
for i in range(60):
    arm = "placebo" if i < 30 else "treatment"
    intercept = 2800 + rng.normal(0, 450)
    slope = (-120 if arm == "placebo" else -40) + rng.normal(0, 60)
    for day in (0, 183, 365, 548, 730):
        fvc = intercept + slope * day / 365.25 + rng.normal(0, 90)
        if day > 0 and rng.random() < 0.08:
            fvc = np.nan
        rows.append({"patient_id": f"P{i + 1:03d}", "arm": arm, "day": day, "fvc_ml": fvc})
frame = pd.DataFrame(rows)
frame["fvc_ml"] = frame["fvc_ml"].round(0)
frame.to_csv(Path(__file__).parent / "fvc_trial.csv", index=False)
