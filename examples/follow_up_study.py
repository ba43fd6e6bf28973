"""Reproduce a 5-year follow-up study (shaped like Alip et al. 2024) on the demo cohort.

Loads the bundled, fictional 41-patient cohort, builds the schedule of the seed study
(baseline, 1, 3 and 5 years, +/- 90 days), prints the results paragraph and the Markdown
tables, and writes the HTML report and four figures (Kaplan-Meier curve, mRSS
trajectories, waterfall of mRSS change at 1 year, HRCT change categories) to
``follow_up_output/``.

Run: ``python examples/follow_up_study.py``
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import sscoutcomes as ssc


def main() -> None:
    cohort = ssc.load_demo()
    schedule = ssc.Schedule.years(0, 1, 3, 5, window_days=90)
    report = ssc.FollowUpReport(cohort, schedule)
    print(report.to_text())
    print()
    print(report.to_markdown())

    out = Path("follow_up_output")
    out.mkdir(exist_ok=True)
    (out / "report.html").write_text(report.to_html(), encoding="utf-8")
    report.to_frame().to_csv(out / "report.csv", index=False)

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(install matplotlib for the figures: pip install 'sscoutcomes[plot]')")
        return
    from sscoutcomes.plot import (
        plot_change_categories,
        plot_kaplan_meier,
        plot_trajectories,
        plot_waterfall,
    )

    patients = cohort.patients_frame
    death = pd.to_numeric(patients["death_day"]).to_numpy(dtype=float)
    last = pd.to_numeric(patients["last_contact_day"]).to_numpy(dtype=float)
    km = ssc.kaplan_meier(np.where(np.isnan(death), last, death), ~np.isnan(death))
    visits = cohort.visits.assign(mrss=ssc.score_mrss(cohort.visits)["mrss"])
    table = report.to_frame()
    mrss = table[(table["section"] == "mrss") & (table["outcome"] == "mRSS")]
    sel = schedule.select(visits, "mrss", patients=patients)
    sd = sel.groupby("timepoint", observed=True)["mrss"].std().to_numpy()
    summary = pd.DataFrame(
        {"day": mrss["day"].to_numpy(), "mean": mrss["value"].to_numpy(), "sd": sd}
    )
    change = ssc.change_from_baseline(visits, "mrss", schedule, patients=patients)
    one_year = change[change["timepoint"] == "1 year"]["change"]
    hrct = table[
        (table["section"] == "hrct")
        & table["outcome"].isin(["HRCT improved", "HRCT stable", "HRCT worsened"])
    ]
    counts = hrct.assign(
        category=hrct["outcome"].str.replace("HRCT ", "", regex=False),
        k=(hrct["value"] * hrct["n"]).round(),
    ).pivot(index="timepoint", columns="category", values="k")[["improved", "stable", "worsened"]]

    for name, ax in (
        ("km.png", plot_kaplan_meier(km, risk_times=[0, 1, 2, 3, 4, 5])),
        (
            "mrss_trajectories.png",
            plot_trajectories(visits, "mrss", summary=summary, ylabel="mRSS"),
        ),
        (
            "mrss_waterfall_1y.png",
            plot_waterfall(one_year, threshold=5, ylabel="mRSS change at 1 year"),
        ),
        ("hrct_change.png", plot_change_categories(counts, title="HRCT in ILD patients")),
    ):
        fig = ax.get_figure()
        fig.savefig(out / name, dpi=100, bbox_inches="tight")
        plt.close(fig)
    print(f"wrote {', '.join(sorted(p.name for p in out.iterdir()))} to {out}/")


if __name__ == "__main__":
    main()
