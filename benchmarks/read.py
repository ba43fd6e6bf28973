"""Timing of reading a cohort: ``Cohort.read_csv`` on canonical files and on a registry
export read through a column mapping (dd/mm/yyyy dates, its own names, F/M codes).

Not part of the test suite. Run::

    python benchmarks/read.py                  # 13 000 patients, about 10^5 visits
    PYTHONPATH=/path/to/other/checkout/src python benchmarks/read.py   # another version

Each figure is the best of at least ``--repeat`` reads of the same files (written once, in
a temporary directory), after a warm-up (``best_time`` of ``run.py``). The mapping case
runs only where the library has ``ColumnMapping``.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from run import best_time as best

import sscoutcomes as ssc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=13_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cohort = ssc.simulate_cohort(args.patients, seed=1)
    patients, visits = cohort.to_frames()
    with tempfile.TemporaryDirectory() as folder:
        v, p = Path(folder) / "visits.csv", Path(folder) / "patients.csv"
        visits.to_csv(v, index=False)
        patients.to_csv(p, index=False)
        canonical = best(lambda: ssc.Cohort.read_csv(v, p), args.repeat)
        print(f"{ssc.__version__}: {len(visits)} visits of {len(patients)} patients")
        print(f"Cohort.read_csv, canonical files:        {canonical:.2f} s")
        if hasattr(ssc, "ColumnMapping"):
            index = patients.set_index("patient_id")["index_date"]
            export_v = visits.rename(columns={"patient_id": "Patient ID", "mrss_face": "Face"})
            export_v["Visit date"] = (
                visits["patient_id"].map(index) + visits["day"].astype("float64") * pd_day()
            ).dt.strftime("%d/%m/%Y")
            export_v = export_v.drop(columns=["day"])
            export_p = patients.rename(columns={"patient_id": "Patient ID", "sex": "Sex"})
            export_p["Sex"] = export_p["Sex"].map({"female": "F", "male": "M"})
            for column in export_p.columns:  # every date as the registry writes it
                if str(export_p[column].dtype).startswith("datetime64"):
                    export_p[column] = export_p[column].dt.strftime("%d/%m/%Y")
            export_v.to_csv(v, index=False)
            export_p.to_csv(p, index=False)
            mapping = {
                "columns": {
                    "Patient ID": "patient_id",
                    "Face": "mrss_face",
                    "Visit date": "date",
                    "Sex": "sex",
                },
                "date_format": "%d/%m/%Y",
            }
            mapped = best(lambda: ssc.Cohort.read_csv(v, p, mapping=mapping), args.repeat)
            print(f"Cohort.read_csv, export through a mapping: {mapped:.2f} s")


def pd_day() -> object:
    import pandas as pd

    return pd.Timedelta(days=1)


if __name__ == "__main__":
    main()
