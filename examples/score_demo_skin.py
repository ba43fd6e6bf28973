"""Score the skin of the bundled (fictional) demo cohort.

Reads the demo visits, computes every visit's modified Rodnan skin score with the same
formula as ``SkinScore(...).total``, and prints the mean (SD, n) of the scheduled visits by
year of follow-up together with the cutaneous subset seen at baseline.

Run: ``python examples/score_demo_skin.py``
"""

from __future__ import annotations

import sscoutcomes as ssc
from sscoutcomes.datasets import load_demo_frames


def main() -> None:
    patients, visits = load_demo_frames()
    scored = visits.assign(
        mrss=ssc.score_mrss(visits)["mrss"],
        subset_at_visit=ssc.skin_subset(visits),
        year=(visits["day"].clip(lower=0) / 365.25).round().astype(int),
    )
    scheduled = scored[scored["visit"] == "scheduled"]
    table = scheduled.groupby("year")["mrss"].agg(["mean", "std", "count"])
    print(f"Demo cohort (fictional): {len(patients)} patients, {len(visits)} visits")
    print("mRSS by year of follow-up, mean (SD, n):")
    for year, row in table.iterrows():
        print(f"  year {year}: {row['mean']:.2f} ({row['std']:.2f}, {int(row['count'])})")
    baseline = scheduled[scheduled["day"] <= 0]
    print("Cutaneous subset at baseline:", baseline["subset_at_visit"].value_counts().to_dict())


if __name__ == "__main__":
    main()
