"""Render the demo report by group in a real headless browser and save a screenshot.

Run ``python docs/make_report_screenshot.py`` (needs matplotlib and a Chromium on the
path: ``apt-get install chromium``). It writes ``docs/_static/report_by_subset.png`` (shown
on the examples page), after checking in the browser's own DOM that the sections, the
between-group comparisons and the figures rendered.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import sscoutcomes as ssc

STATIC = Path(__file__).resolve().parent / "_static"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def main() -> int:
    browser = next((b for b in BROWSERS if shutil.which(b)), None)
    if browser is None:
        print("no Chromium on the path (apt-get install chromium)", file=sys.stderr)
        return 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ssc.SSCOutcomesWarning)
        report = ssc.FollowUpReport(ssc.load_demo(), ssc.Schedule.years(0, 1, 3, 5), by="subset")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
    with tempfile.TemporaryDirectory() as profile:
        page = Path(profile) / "report_by_subset.html"
        page.write_text(report.to_html(), encoding="utf-8")
        dom = subprocess.run(
            [browser, *flags, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        wanted = [ssc.FollowUpReport.title(report, key) for key in ("survival", "mrss", "haq")]
        wanted += ["between-group comparisons", "limited vs diffuse", "data:image/png"]
        missing = [w for w in wanted if w not in dom]
        if missing:
            print(f"the browser's page lacks: {missing}", file=sys.stderr)
            return 1
        subprocess.run(
            [
                browser,
                *flags,
                f"--user-data-dir={profile}",
                f"--screenshot={STATIC / 'report_by_subset.png'}",
                "--window-size=1100,2400",
                page.as_uri(),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
    print(f"wrote {STATIC / 'report_by_subset.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
