"""The command line, run as a user runs it: through a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sscoutcomes.cli import main, parse_timepoints
from sscoutcomes.datasets import demo_paths


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sscoutcomes", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_help() -> None:
    out = run("--help")
    assert out.returncode == 0
    for command in ("report", "validate", "score"):
        assert command in out.stdout
    sub = run("report", "--help")
    assert sub.returncode == 0
    assert "--timepoints" in sub.stdout


def test_report_demo_text_and_markdown(tmp_path: Path) -> None:
    out = run("report", "--demo")
    assert out.returncode == 0, out.stderr
    assert "Overall survival" in out.stdout
    target = tmp_path / "report.md"
    md = run("report", "--demo", "--format", "markdown", "-o", str(target))
    assert md.returncode == 0, md.stderr
    text = target.read_text()
    assert text.startswith("# Follow-up report")
    assert "| mRSS | baseline |" in text


def test_report_from_files_with_timepoints(tmp_path: Path) -> None:
    visits, patients = demo_paths()
    out = run(
        "report",
        str(visits),
        "--patients",
        str(patients),
        "--timepoints",
        "0,1y,3y",
        "--format",
        "csv",
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("section,outcome,timepoint")
    assert any(",3 years," in line for line in lines)


def test_validate_ok_and_bad_file(tmp_path: Path) -> None:
    visits, patients = demo_paths()
    ok = run("validate", str(visits), "--patients", str(patients))
    assert ok.returncode == 0, ok.stderr
    bad = pd.read_csv(visits)
    bad.loc[0, "mrss_face"] = 7
    bad.loc[3, "mrss_abdomen"] = 9
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    out = run("validate", str(path))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "mrss_face" in out.stderr
    assert "mrss_abdomen" in out.stderr


def test_score_writes_scored_csv(tmp_path: Path) -> None:
    visits, _ = demo_paths()
    target = tmp_path / "scored.csv"
    out = run("score", str(visits), "-o", str(target))
    assert out.returncode == 0, out.stderr
    scored = pd.read_csv(target)
    raw = pd.read_csv(visits)
    assert len(scored) == len(raw)
    assert {"mrss", "haq_di"} <= set(scored.columns)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "missing.csv"],
        ["report"],
        ["report", "--demo", "--timepoints", "1y,0"],
        ["report", "--demo", "--timepoints", "0,one year"],
        ["report", "--demo", "--timepoints", "1y,3y"],
        ["validate", "missing.csv"],
        ["score", "missing.csv"],
    ],
)
def test_bad_input_exits_2_with_one_line(args: list[str]) -> None:
    out = run(*args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_not_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(b"\\x00\\xff\\xfe not a table")
    out = run("score", str(path))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr


def test_parse_timepoints() -> None:
    assert parse_timepoints("0,6m,1y,3y,5y") == [0, 6, 12, 36, 60]
    assert main(["report", "--demo", "--format", "csv", "-o", "/dev/null"]) == 0
