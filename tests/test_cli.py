"""The command line: run as a user runs it (through a subprocess) and in-process through
``sscoutcomes.cli.main`` (quicker, for the details of what it prints and writes)."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import sscoutcomes
import sscoutcomes as ssc
from sscoutcomes.cli import main, parse_timepoints
from sscoutcomes.datasets import demo_paths
from sscoutcomes.errors import FAILURE_CASE_COLUMNS, SchemaError


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
    assert lines[0].startswith("group,section,outcome,timepoint")
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


# --------------------------------------------------------------------------------------
# in-process: reading files, printing problems, writing output
# --------------------------------------------------------------------------------------
def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``sscoutcomes ARGS`` in this process: (exit code, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def problems(err: str) -> list[str]:
    """The lines of standard error without the ``sscoutcomes COMMAND:`` prefix."""
    return [
        line.split(": ", 1)[1] if line.startswith("sscoutcomes ") else line
        for line in err.splitlines()
    ]


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"sscoutcomes {sscoutcomes.__version__}"


def test_score_keeps_ids_as_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    visits = write(tmp_path / "v.csv", "patient_id,day,mrss\n007,0,20\n007,365,18\n0042,0,3\n")
    code, out, err = cli(capsys, "score", visits)
    assert code == 0, err
    assert out.splitlines() == [
        "patient_id,day,mrss",
        "007,0,20.0",
        "007,365,18.0",
        "0042,0,3.0",
    ]
    target = tmp_path / "scored.csv"
    assert cli(capsys, "score", visits, "-o", str(target))[0] == 0
    assert pd.read_csv(target, dtype=str)["patient_id"].tolist() == ["007", "007", "0042"]


@pytest.mark.parametrize("command", ["validate", "score", "report"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("patient_id,day,mrss\nA,0,20\n\nA,365\n", "line 4: 2 field(s) where the header has 3"),
        ("patient_id,day,mrss\nA,0,20\nA,365,18,4\n", "line 3: 4 field(s) where the header has 3"),
        (
            "patient_id,day,mrss,mrss\nA,0,20,3\n",
            "line 1: column name 'mrss' appears twice (columns 3 and 4)",
        ),
    ],
    ids=["short row", "long row", "repeated column"],
)
def test_ragged_rows_and_repeated_columns_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, text: str, expected: str
) -> None:
    visits = write(tmp_path / "v.csv", text)
    code, out, err = cli(capsys, command, visits)
    assert code == 2
    assert out == ""
    assert err.startswith(f"sscoutcomes {command}: {visits}, {expected}")
    assert len(err.splitlines()) == 1


def _bad_files(tmp_path: Path) -> tuple[str, str]:
    """Demo files with cell problems in both files, a misspelled column and an mRSS total
    that disagrees with its sites (an instrument's own check)."""
    visits_path, patients_path = demo_paths()
    visits = pd.read_csv(visits_path, dtype={"patient_id": "string"})
    patients = pd.read_csv(patients_path, dtype={"patient_id": "string"})
    visits.loc[3, "haq_dress"] = 9
    visits["mrss"] = visits[[c for c in visits.columns if c.startswith("mrss_")]].sum(axis=1)
    visits.loc[5, "mrss"] = 50
    visits["day"] = visits["day"].astype(object)
    visits.loc[6, "day"] = "soon"
    visits["hrct_extnet"] = 1  # misspelled hrct_extent
    v = tmp_path / "visits.csv"
    visits.to_csv(v, index=False)
    p = tmp_path / "patients.csv"
    patients.to_csv(p, index=False)
    return str(v), str(p)


def test_validate_report_and_score_report_the_same_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits, patients = _bad_files(tmp_path)
    seen = {}
    for command in ("validate", "report", "score"):
        code, out, err = cli(capsys, command, visits, "--patients", patients)
        assert code == 2
        assert out == ""
        seen[command] = problems(err)
    assert seen["validate"] == seen["report"] == seen["score"]
    text = "\n".join(seen["validate"])
    assert seen["validate"][0] == f"4 problem(s) in the visits file {visits}:"
    assert "'hrct_extnet'" in text  # the misspelled column, not a cell
    assert "haq_dress = 9 is outside 0..3" in text
    assert "mrss = 50 disagrees with the sum of the 17 site grades" in text
    assert "line 8, patient 'P001'" in text
    assert "day = 'soon'" in text
    # a file all three accept
    ok_visits, ok_patients = demo_paths()
    for command in ("validate", "report", "score"):
        code, _, err = cli(capsys, command, str(ok_visits), "--patients", str(ok_patients))
        assert code == 0, err


def test_patients_file_problems_are_named_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits_path, patients_path = demo_paths()
    patients = pd.read_csv(patients_path, dtype=str)
    patients.loc[2, "sex"] = "X"
    p = tmp_path / "patients.csv"
    patients.to_csv(p, index=False)
    for command in ("validate", "report", "score"):
        code, _, err = cli(capsys, command, str(visits_path), "--patients", str(p))
        assert code == 2
        assert problems(err) == [
            f"1 problem(s) in the patients file {p}:",
            "  line 4, patient 'P003': sex = 'X' is not one of female, male (or f, m, u)",
        ]


def _many_problems(tmp_path: Path, columns: int) -> str:
    """``columns`` site and item columns, each out of range in two rows (not grouped)."""
    visits_path, _ = demo_paths()
    visits = pd.read_csv(visits_path, dtype={"patient_id": "string"})
    names = [c for c in visits.columns if c.startswith(("mrss_", "haq_"))][:columns]
    assert len(names) == columns
    for name in names:
        visits.loc[[1, 2], name] = 8
    path = tmp_path / "visits.csv"
    visits.to_csv(path, index=False)
    return str(path)


def test_problem_list_stops_at_50_lines_unless_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = _many_problems(tmp_path, 30)  # 60 problems, 60 lines
    code, _, err = cli(capsys, "validate", visits)
    assert code == 2
    lines = err.splitlines()
    assert lines[0] == f"sscoutcomes validate: 60 problem(s) in the visits file {visits}:"
    assert len(lines) == 1 + 50 + 1
    assert all(" is outside 0..3" in line for line in lines[1:51])
    assert lines[-1] == "  ... and 10 more; --all lists every one"
    code, _, err = cli(capsys, "validate", visits, "--all")
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 + 60
    assert "more" not in err


def test_identical_problems_are_grouped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    n = 60
    ids = [f"P{i:03d}" for i in range(n)]
    sex = ["X" if i % 3 == 0 else "Z" if i % 3 == 1 else "female" for i in range(n)]
    sex[2] = "F?"
    patients = pd.DataFrame({"patient_id": ids, "sex": sex})
    p = tmp_path / "patients.csv"
    patients.to_csv(p, index=False)
    visits = pd.DataFrame({"patient_id": ids, "day": 0, "mrss": 10})
    v = tmp_path / "visits.csv"
    visits.to_csv(v, index=False)
    code, _, err = cli(capsys, "validate", str(v), "--patients", str(p))
    assert code == 2
    assert problems(err) == [
        f"41 problem(s) in the patients file {p}:",
        "  sex: 41 rows, values 'X', 'Z', 'F?': is not one of female, male (or f, m, u) "
        "(lines 2, 3, 4, 5, 6, ...)",
    ]
    # --all lists them one by one
    code, _, err = cli(capsys, "validate", str(v), "--patients", str(p), "--all")
    lines = err.splitlines()
    assert len(lines) == 1 + 41
    assert lines[1] == (
        "  line 2, patient 'P000': sex = 'X' is not one of female, male (or f, m, u)"
    )
    assert lines[3] == (
        "  line 4, patient 'P002': sex = 'F?' is not one of female, male (or f, m, u)"
    )


def test_errors_file_holds_every_failure_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = _many_problems(tmp_path, 30)
    target = tmp_path / "errors.csv"
    code, _, _ = cli(capsys, "score", visits, "--errors", str(target))
    assert code == 2
    table = pd.read_csv(target, dtype={"patient_id": str})
    assert list(table.columns) == ["file", "line", *FAILURE_CASE_COLUMNS, "date", "source_column"]
    assert len(table) == 60
    assert set(table["file"]) == {visits}
    assert (table["line"] == table["row"] + 2).all()
    assert set(table["row"]) == {1, 2}
    assert (table["value"] == 8).all()
    assert table["reason"].str.startswith("is outside").all()
    assert table["column"].nunique() == 30
    # valid files: an empty table
    ok, _ = demo_paths()
    assert cli(capsys, "validate", str(ok), "--errors", str(target))[0] == 0
    empty = pd.read_csv(target)
    assert len(empty) == 0
    assert list(empty.columns) == ["file", "line", *FAILURE_CASE_COLUMNS, "date", "source_column"]


@pytest.mark.parametrize("existing", [True, False])
def test_output_is_never_half_written(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    existing: bool,
) -> None:
    visits, _ = demo_paths()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "scored.csv"
    if existing:
        target.write_text("the old file\n")
    real_to_csv = pd.DataFrame.to_csv

    def failing_to_csv(self: pd.DataFrame, path: object = None, **kwargs: object) -> object:
        real_to_csv(self.head(3), path, **kwargs)  # type: ignore[call-overload]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", failing_to_csv)
    code, out, err = cli(capsys, "score", str(visits), "-o", str(target))
    assert out == ""
    assert code == 2
    assert err.strip() == f"sscoutcomes score: cannot write {target}: No space left on device"
    assert "Traceback" not in err
    if existing:
        assert [p.name for p in out_dir.iterdir()] == ["scored.csv"]
        assert target.read_text() == "the old file\n"
    else:
        assert list(out_dir.iterdir()) == []
    monkeypatch.undo()
    assert cli(capsys, "score", str(visits), "-o", str(target))[0] == 0
    assert [p.name for p in out_dir.iterdir()] == ["scored.csv"]
    assert len(pd.read_csv(target)) == len(pd.read_csv(visits))


def test_drop_invalid_blanks_and_lists_the_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(
        tmp_path / "v.csv",
        "patient_id,day,mrss,fvc_pct_predicted,site\n"
        "007,0,20,80,a\n"
        "007,365,60,75,b\n"
        "008,0,12,-4,c\n",
    )
    code, out, err = cli(capsys, "score", visits)
    assert code == 2
    assert out == ""
    code, out, err = cli(capsys, "score", visits, "--drop-invalid")
    assert code == 0, err
    assert problems(err) == [
        f"--drop-invalid blanked 2 invalid cell(s) of the visits file {visits}:",
        "  line 3, patient '007', day 365: mrss = 60 is outside 0..51",
        "  line 4, patient '008', day 0: fvc_pct_predicted = -4 is outside 10..200 % predicted "
        "(give % predicted (e.g. 85), not a fraction or litres)",
    ]
    scored = pd.read_csv(io.StringIO(out), dtype={"patient_id": str})
    assert scored["patient_id"].tolist() == ["007", "007", "008"]
    assert scored["site"].tolist() == ["a", "b", "c"]
    assert scored["mrss"].isna().tolist() == [False, True, False]
    assert scored["fvc_pct_predicted"].isna().tolist() == [False, False, True]
    assert scored.loc[0, "mrss"] == 20
    # validate and report go on with the cleaned data as well
    code, out, err = cli(capsys, "validate", visits, "--drop-invalid")
    assert code == 0, err
    assert out.strip() == f"{visits}: 3 visits of 2 patients, valid after blanking 2 cell(s)"
    assert "mrss = 60 is outside 0..51" in err
    code, out, err = cli(capsys, "report", visits, "--drop-invalid", "--format", "csv")
    assert code == 0, err
    assert out.startswith("group,section,outcome,timepoint")
    assert "mrss = 60 is outside 0..51" in err


def test_drop_invalid_cannot_drop_structural_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    no_id = write(tmp_path / "a.csv", "id,day,mrss\n007,0,60\n")
    code, _, err = cli(capsys, "validate", no_id, "--drop-invalid")
    assert code == 2
    assert "no 'patient_id' column" in err
    # a repeated header: which column is meant is unknown, so nothing can be dropped
    twice = write(tmp_path / "b.csv", "patient_id,day,mrss,mrss\n007,0,20,21\n")
    code, _, err = cli(capsys, "score", twice, "--drop-invalid")
    assert code == 2
    assert "mrss" in err
    assert "Traceback" not in err


def test_drop_invalid_removes_a_visit_that_cannot_be_placed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a duplicate visit: which of the two is right is unknown; both go, and are listed
    twice = write(tmp_path / "b.csv", "patient_id,day,mrss\n007,0,20\n007,0,21\n007,365,9\n")
    code, out, err = cli(capsys, "score", twice, "--drop-invalid")
    assert code == 0, err
    assert "removed 2 visit(s) whose patient, day or date failed" in err
    assert pd.read_csv(io.StringIO(out), dtype={"patient_id": str})["day"].tolist() == [365]


def test_bad_file_through_python_m(tmp_path: Path) -> None:
    visits = _many_problems(tmp_path, 30)
    out = run("score", visits)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stdout == ""
    assert len(out.stderr.splitlines()) == 52


# ------------------------------------------------------------------ --map and init-map
def _export(tmp_path: Path) -> tuple[Path, Path, Path, Any]:
    from cohort.test_mapping import TOML, registry_export

    cohort = ssc.simulate_cohort(12, years=3, seed=4)
    export_p, export_v = registry_export(cohort)
    v, p, m = tmp_path / "visits.csv", tmp_path / "patients.csv", tmp_path / "map.toml"
    export_v.to_csv(v, index=False)
    export_p.to_csv(p, index=False)
    m.write_text(TOML)
    return v, p, m, cohort


def test_a_registry_export_through_map_gives_the_canonical_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    v, p, m, cohort = _export(tmp_path)
    assert cli(capsys, "validate", str(v), "--patients", str(p), "--map", str(m))[0] == 0
    code, out, _ = cli(
        capsys, "report", str(v), "--patients", str(p), "--map", str(m), "--format", "csv"
    )
    assert code == 0
    from_export = pd.read_csv(io.StringIO(out))
    # the same cohort in canonical form, limited to the columns the export carries
    mapped = ssc.Cohort.read_csv(v, p, mapping=m)
    canonical = ssc.FollowUpReport(mapped, ssc.Schedule.years(0, 1, 3, 5, window_days=90))
    expected = canonical.to_frame()
    assert from_export["value"].round(12).tolist() == pytest.approx(
        expected["value"].round(12).tolist(), nan_ok=True
    )
    assert len(mapped.visits) == len(cohort.visits)


def test_map_errors_name_the_source_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    v, p, m, _ = _export(tmp_path)
    visits = pd.read_csv(v, dtype=str)
    visits.loc[0, "mRSS"] = "60"
    visits.to_csv(v, index=False)
    code, _, err = cli(capsys, "validate", str(v), "--patients", str(p), "--map", str(m))
    assert code == 2
    assert "mRSS" in err
    assert "60" in err
    assert "Traceback" not in err


def test_init_map_writes_a_mapping_to_edit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import tomllib

    v, p, _, _ = _export(tmp_path)
    target = tmp_path / "start.toml"
    assert cli(capsys, "init-map", str(v), str(p), "-o", str(target))[0] == 0
    written = tomllib.loads(target.read_text())
    assert written["columns"]["mRSS"] == "mrss"
    assert written["columns"]["Patient ID"] == "patient_id"
    assert '# "Visit date" = ""' in target.read_text()  # no close name: left as a comment


def test_an_export_with_injected_problems_is_refused_naming_each_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from cohort.test_mapping import registry_export

    v, p, m, cohort = _export(tmp_path)
    export_p, export_v = registry_export(cohort)
    export_v, export_p = export_v.astype(object), export_p.astype(object)
    export_v.loc[0, "mRSS"] = 60  # an mRSS of 60
    export_v.loc[1, "FVC %pred"] = 0.82  # FVC as a fraction
    export_v.loc[2, "Visit date"] = "31/02/2015"  # no such date
    export_p.loc[3, "Death date"] = "01/06/2018"  # visits after death
    export_p.loc[3, "Last contact"] = "01/06/2018"
    export_v.to_csv(v, index=False)
    export_p.to_csv(p, index=False)
    for command in ("validate", "report"):
        code, _, err = cli(capsys, command, str(v), "--patients", str(p), "--map", str(m))
        assert code == 2
        assert "Traceback" not in err
        assert "line 2, patient 'P001': mRSS = 60 is outside 0..51" in err
        assert "line 3, patient 'P001': FVC %pred = 0.82 is outside 10..200" in err
        assert "line 4, patient 'P001': Visit date = '31/02/2015' is not a date" in err
        assert "patient 'P004': Visit date = '11/01/2019' is after the patient's death_date" in err


def test_drop_invalid_with_map_drops_the_injected_problems_and_lists_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from cohort.test_mapping import registry_export

    v, p, m, cohort = _export(tmp_path)
    export_p, export_v = registry_export(cohort)
    export_v, export_p = export_v.astype(object), export_p.astype(object)
    export_v.loc[0, "mRSS"] = 60
    export_v.loc[1, "FVC %pred"] = 0.82
    export_v.loc[2, "Visit date"] = "31/02/2015"
    export_p.loc[3, "Death date"] = "01/06/2018"
    export_p.loc[3, "Last contact"] = "01/06/2018"
    export_p.loc[2, "Sex"] = "X"
    export_v.to_csv(v, index=False)
    export_p.to_csv(p, index=False)
    errors = tmp_path / "errors.csv"
    code, out, err = cli(
        capsys, "validate", str(v), "--patients", str(p), "--map", str(m), "--drop-invalid",
        "--errors", str(errors),
    )  # fmt: skip
    assert code == 0, err
    assert "Traceback" not in err
    assert f"blanked 1 invalid cell(s) of the patients file {p}:" in err
    assert "line 4, patient 'P003': Sex = 'X' is not one of female, male" in err
    assert "removed 3 visit(s) whose patient, day or date failed" in err
    assert "line 2, patient 'P001': mRSS = 60 is outside 0..51" in err
    assert "line 3, patient 'P001': FVC %pred = 0.82 is outside 10..200" in err
    assert "line 4, patient 'P001': Visit date = '31/02/2015' is not a date" in err
    assert "Visit date = '11/01/2019' is after the patient's death_date" in err
    assert f"{len(cohort.visits) - 3} visits of 12 patients" in out
    table = pd.read_csv(errors, dtype=str)
    assert set(table["source_column"]) >= {"Sex", "mRSS", "FVC %pred", "Visit date"}
    # the report goes on with the rest, as the library does with drop_invalid=True
    code, out, err = cli(
        capsys, "report", str(v), "--patients", str(p), "--map", str(m), "--drop-invalid",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0, err
    with pytest.warns(ssc.SSCOutcomesWarning, match="removed 3 visit"):
        mapped = ssc.Cohort.read_csv(v, p, mapping=m, drop_invalid=True)
    expected = ssc.FollowUpReport(mapped, ssc.Schedule.years(0, 1, 3, 5, window_days=90))
    assert pd.read_csv(io.StringIO(out))["value"].tolist() == pytest.approx(
        expected.to_frame()["value"].tolist(), nan_ok=True
    )
    assert set(mapped.dropped["action"]) == {"blanked the cell", "removed the visit"}


def test_with_map_patients_problems_are_named_with_the_patients_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    v, p, m, _ = _export(tmp_path)
    patients = pd.read_csv(p, dtype=str)
    patients.loc[2, "Sex"] = "X"
    patients.to_csv(p, index=False)
    code, _, err = cli(capsys, "validate", str(v), "--patients", str(p), "--map", str(m))
    assert code == 2
    assert f"in the patients file {p}" in err
    assert "line 4, patient 'P003': Sex = 'X' is not one of female, male" in err


def test_report_by_a_patients_column(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "report", "--demo", "--by", "subset", "--format", "csv")
    assert code == 0, err
    table = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert {"all", "diffuse", "limited", "limited vs diffuse"} <= set(table["group"])
    code, _, err = cli(capsys, "report", "--demo", "--by", "arm")
    assert code == 2
    assert "by = 'arm' is not a column of the patients frame" in err
    assert "Traceback" not in err


def test_adam_writes_the_datasets(tmp_path: Path) -> None:
    visits, patients = demo_paths()
    out = tmp_path / "adam"
    code = main(
        [
            "adam",
            str(visits),
            "--patients",
            str(patients),
            "--timepoints",
            "0,1y,3y",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["adeff.csv", "adsl.csv", "adtte.csv"]
    eff = pd.read_csv(out / "adeff.csv", keep_default_na=False, na_values=[""])
    assert set(eff["AVISIT"].dropna()) == {"baseline", "1 year", "3 years"}
    cohort = ssc.Cohort.read_csv(visits, patients)
    expected = ssc.to_adam(cohort, ssc.Schedule.months(0, 12, 36))["ADEFF"]
    assert len(eff) == len(expected)
    assert eff["AVAL"].sum() == pytest.approx(expected["AVAL"].sum())


def test_adam_parquet_and_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyarrow")
    assert main(["adam", "--demo", "--format", "parquet", "-o", str(tmp_path)]) == 0
    assert pd.read_parquet(tmp_path / "adtte.parquet")["PARAMCD"].eq("OS").all()
    assert main(["adam", "--demo", "--studyid", " ", "-o", str(tmp_path / "x")]) == 2
    assert "studyid" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_adam_via_subprocess(tmp_path: Path) -> None:
    out = run("adam", "--demo", "-o", str(tmp_path / "adam"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "adam" / "adsl.csv").is_file()


# ------------------------------------------------------------------ bad options and files
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["report", "--demo", "--timepoints", "0,one year"],
            "--timepoints '0,one year': 'one year' is not a number with an optional m or y "
            "suffix (e.g. 0,6m,1y,3y,5y)",
        ),
        (
            ["report", "--demo", "--timepoints", "0,3y,1y"],
            "--timepoints '0,3y,1y': the timepoints must be distinct and increasing "
            "(e.g. 0,6m,1y,3y,5y)",
        ),
        (
            ["report", "--demo", "--timepoints", "0,12m,1y"],
            "--timepoints '0,12m,1y': the timepoints must be distinct and increasing "
            "(e.g. 0,6m,1y,3y,5y)",
        ),
        (
            ["report", "--demo", "--timepoints", "1y,3y"],
            "--timepoints '1y,3y': the first timepoint must be the baseline, 0 "
            "(e.g. 0,6m,1y,3y,5y)",
        ),
        (
            ["report", "--demo", "--timepoints", "0,0.01m"],
            "--timepoints '0,0.01m': timepoints must be in increasing order of target_day: "
            "'baseline' (day 0) comes before '0.01 months' (day 0)",
        ),
        (
            ["report", "--demo", "--timepoints", "0,1y", "--window", "-5"],
            "--window -5 is negative: give the half-width of each window in days, 0 or more",
        ),
        (
            ["adam", "--demo", "--window", "-1", "-o", "unused"],
            "--window -1 is negative: give the half-width of each window in days, 0 or more",
        ),
    ],
)
def test_bad_timepoints_and_window_name_the_option(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    code, out, err = cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert err == f"sscoutcomes {args[0]}: {expected}\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("6m,1y", r"^--timepoints '6m,1y': the first timepoint must be the baseline, 0 "),
        ("0,1w", r"^--timepoints '0,1w': '1w' is not a number with an optional m or y suffix"),
        ("0,1y,6m", r"^--timepoints '0,1y,6m': the timepoints must be distinct and increasing"),
    ],
)
def test_parse_timepoints_raises_the_library_error(text: str, message: str) -> None:
    # a library function: its error is the library's ValueError, whoever calls it
    with pytest.raises(SchemaError, match=message) as info:
        parse_timepoints(text)
    assert isinstance(info.value, ValueError)


def test_missing_files_and_conflicting_inputs_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(tmp_path / "v.csv", "patient_id,day,mrss\n007,0,20\n")
    missing = str(tmp_path / "nowhere.csv")
    cases = [
        (["report", "--demo", visits], "give either --demo or a visits CSV file, not both"),
        (["report"], "give a visits CSV file (or --demo for the bundled demo cohort)"),
        (
            ["adam", "-o", str(tmp_path / "adam")],
            "give a visits CSV file (or --demo for the bundled demo cohort)",
        ),
        (["validate", visits, "--patients", missing], f"no such file: {missing}"),
        (
            ["score", visits, "--map", str(tmp_path / "m.toml")],
            f"no such mapping file: {tmp_path / 'm.toml'}",
        ),
        (["init-map", visits, missing], f"no such file: {missing}"),
    ]
    for args, expected in cases:
        code, out, err = cli(capsys, *args)
        assert (code, out) == (2, ""), args
        assert err == f"sscoutcomes {args[0]}: {expected}\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "{path} is empty: a CSV file needs a header line of column names"),
        (b"\n\n", "{path} is empty: a CSV file needs a header line of column names"),
        (b" \n", "{path} is not readable as CSV: No columns to parse from file"),
        (
            b"patient_id,day\n\xff\xfe,0\n",
            "{path} is not a UTF-8 text file (byte 15: invalid start byte); save it as UTF-8 CSV",
        ),
        (
            b"patient_id,day,note\n007,0," + b"x" * 200_000 + b"\n",
            "{path}, line 2: not readable as CSV: field larger than field limit (131072)",
        ),
        (
            b'patient_id,day,note\n007,0,"a\nb"\n007,365,"unclosed\n008,0,x\n',
            "{path}, line 4: a quoted value is never closed (an unclosed quote?)",
        ),
    ],
    ids=["empty", "blank lines", "blank header", "not utf-8", "huge field", "unclosed quote"],
)
def test_unreadable_csv_files_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    path = tmp_path / "v.csv"
    path.write_bytes(content)
    code, out, err = cli(capsys, "validate", str(path))
    assert (code, out) == (2, "")
    assert err == f"sscoutcomes validate: {expected.format(path=path)}\n"


def test_a_mapping_file_that_is_not_utf8_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(tmp_path / "v.csv", "ID,Day\nA,0\n")
    mapping = tmp_path / "export.toml"
    mapping.write_bytes(b'\xff\xfe[columns]\n"ID" = "patient_id"\n')
    code, out, err = cli(capsys, "validate", visits, "--map", str(mapping))
    assert (code, out) == (2, "")
    assert err == (
        "sscoutcomes validate: cannot read the column mapping 'export.toml' as TOML: it is "
        "not UTF-8 text (byte 0: invalid start byte); save it as UTF-8\n"
    )


def test_a_file_that_cannot_be_opened_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sscoutcomes.cli

    visits = write(tmp_path / "v.csv", "patient_id,day\n007,0\n")

    def unreadable(path: str, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(sscoutcomes.cli, "read_csv_file", unreadable)
    code, out, err = cli(capsys, "validate", visits)
    assert (code, out) == (2, "")
    assert err == f"sscoutcomes validate: [Errno 13] Permission denied: '{visits}'\n"


def test_a_patients_file_without_patient_id_cannot_be_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(tmp_path / "v.csv", "patient_id,day,mrss\n007,0,20\n")
    patients = write(tmp_path / "p.csv", "sex\nfemale\n")
    for extra in ([], ["--drop-invalid"]):
        code, out, err = cli(capsys, "validate", visits, "--patients", patients, *extra)
        assert (code, out) == (2, "")
        assert problems(err) == [
            f"1 problem(s) in the patients file {patients}:",
            "  the patients frame has no 'patient_id' column",
        ]


def test_drop_invalid_blanks_the_patients_file_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(tmp_path / "v.csv", "patient_id,day,mrss\n007,0,20\n")
    patients = write(tmp_path / "p.csv", "patient_id,sex\n007,X\n008,female\n")
    code, out, err = cli(capsys, "validate", visits, "--patients", patients)
    assert code == 2
    code, out, err = cli(capsys, "validate", visits, "--patients", patients, "--drop-invalid")
    assert code == 0, err
    assert out == f"{visits}: 1 visits of 2 patients, valid after blanking 1 cell(s)\n"
    assert problems(err) == [
        f"--drop-invalid blanked 1 invalid cell(s) of the patients file {patients}:",
        "  line 2, patient '007': sex = 'X' is not one of female, male (or f, m, u)",
    ]


def test_a_visit_without_day_is_named_by_its_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(
        tmp_path / "v.csv",
        "patient_id,day,date,mrss\n007,,2020-01-01,60\n007,,,20\n007,5,,99\n",
    )
    code, out, err = cli(capsys, "validate", visits)
    assert (code, out) == (2, "")
    assert problems(err) == [
        f"4 problem(s) in the visits file {visits}:",
        "  line 2, patient '007', date '2020-01-01': mrss = 60 is outside 0..51",
        "  line 4, patient '007', day 5: mrss = 99 is outside 0..51",
        "  line 2, patient '007', date '2020-01-01': day = (empty) is missing and the patient "
        "has no index_date to derive it from the date",
        "  line 3, patient '007': day = (empty) is missing and the visit has no date",
    ]


def test_a_group_of_three_identical_problems_lists_every_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(tmp_path / "v.csv", "patient_id,day,mrss\nA,0,60\nA,1,60\nA,2,70\nA,3,1\n")
    code, out, err = cli(capsys, "validate", visits)
    assert (code, out) == (2, "")
    assert problems(err) == [
        f"3 problem(s) in the visits file {visits}:",
        "  mrss: 3 rows, values 60, 70: is outside 0..51 (lines 2, 3, 4)",
    ]


def test_problems_without_a_file_are_listed_by_row() -> None:
    import argparse

    from sscoutcomes.cli import _problem_lines, _report_problems, _show
    from sscoutcomes.errors import SchemaError

    assert _show(np.float64(3.0)) == "3"
    assert _show(np.int64(7)) == "7"
    assert _show(pd.Timestamp("2021-03-04 10:00")) == "2021-03-04"
    assert _show(pd.NaT) == "(empty)"
    cases = pd.DataFrame(
        {
            "row": [4, 5, 9],
            "patient_id": ["a", "a", "b"],
            "day": [0.0, 365.0, 0.0],
            "column": ["mrss"] * 3,
            "value": [60.0, 60.0, 52.0],
            "reason": ["is outside 0..51"] * 3,
        }
    )
    error = SchemaError("3 problem(s) in the visits frame:", failure_cases=cases)
    assert _problem_lines(error, None, show_all=False) == [
        "mrss: 3 rows, values 60, 52: is outside 0..51 (rows 4, 5, 9)"
    ]
    assert _problem_lines(SchemaError("no rows"), None, show_all=False) == ["no rows"]
    err = io.StringIO()
    args = argparse.Namespace(command="report", all=True, errors=None)
    with contextlib.redirect_stderr(err):
        _report_problems(args, error, None, None)
    assert err.getvalue().splitlines() == [
        "sscoutcomes report: 3 problem(s) in the visits frame:",
        "  row 4, patient 'a', day 0: mrss = 60 is outside 0..51",
        "  row 5, patient 'a', day 365: mrss = 60 is outside 0..51",
        "  row 9, patient 'b', day 0: mrss = 52 is outside 0..51",
    ]


def test_output_into_a_missing_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits, _ = demo_paths()
    target = tmp_path / "no" / "scored.csv"
    code, out, err = cli(capsys, "score", str(visits), "-o", str(target))
    assert (code, out) == (2, "")
    assert err == f"sscoutcomes score: cannot write {target}: No such file or directory\n"
    assert not (tmp_path / "no").exists()


def test_an_interrupted_write_leaves_no_temporary_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    visits, _ = demo_paths()
    target = tmp_path / "scored.csv"
    real_to_csv = pd.DataFrame.to_csv

    def interrupted(self: pd.DataFrame, path: object = None, **kwargs: object) -> object:
        real_to_csv(self.head(3), path, **kwargs)  # type: ignore[call-overload]
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    with pytest.raises(KeyboardInterrupt):
        main(["score", str(visits), "-o", str(target)])
    assert list(tmp_path.iterdir()) == []


def test_report_markdown_and_html_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "report", "--demo", "--format", "markdown")
    assert code == 0, err
    assert out.startswith("# Follow-up report")
    code, out, err = cli(capsys, "report", "--demo", "--format", "html", "--no-figures")
    assert code == 0, err
    assert "<table" in out
    assert "<img" not in out


def test_adam_output_that_is_a_file_or_under_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "adam.csv"
    target.write_text("not a folder\n")
    code, out, err = cli(capsys, "adam", "--demo", "-o", str(target))
    assert (code, out) == (2, "")
    assert (
        err
        == f"sscoutcomes adam: -o {target} is a file: give a folder to write the datasets into\n"
    )
    under = target / "adam"
    code, out, err = cli(capsys, "adam", "--demo", "-o", str(under))
    assert (code, out) == (2, "")
    assert err == f"sscoutcomes adam: cannot write {under}: Not a directory\n"
    assert target.read_text() == "not a folder\n"


def test_score_lists_an_instrument_problem_and_drops_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = [f"mrss_{site}" for site in ssc.SKIN_SITES]
    ones = ",".join(["1"] * len(sites))
    visits = write(
        tmp_path / "v.csv",
        f"patient_id,day,mrss,{','.join(sites)}\n007,0,20,{ones}\n007,365,17,{ones}\n",
    )
    code, out, err = cli(capsys, "score", visits)
    assert (code, out) == (2, "")
    assert problems(err) == [
        f"1 problem(s) in the visits file {visits}:",
        "  line 2, patient '007', day 0: mrss = 20 disagrees with the sum of the 17 site grades",
    ]
    code, out, err = cli(capsys, "score", visits, "--drop-invalid")
    assert code == 0, err
    assert pd.read_csv(io.StringIO(out))["mrss"].tolist() == [17, 17]
    assert problems(err) == [
        f"--drop-invalid blanked 1 invalid cell(s) of the visits file {visits}:",
        "  line 2, patient '007', day 0: mrss = 20 disagrees with the sum of the 17 site grades",
    ]


def test_init_map_notes_the_columns_already_canonical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(tmp_path / "v.csv", "patient_id,Sex,mrss\n007,f,2\n")
    code, out, err = cli(capsys, "init-map", visits)
    assert code == 0, err
    assert '# "patient_id" is already canonical' in out.splitlines()
    assert '"Sex" = "sex"' in out.splitlines()
    assert '# "mrss" is already canonical' in out.splitlines()


def test_drop_invalid_removes_a_repeated_patient_and_their_visits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(tmp_path / "v.csv", "patient_id,day,mrss\nA,0,20\nB,0,12\n")
    patients = write(tmp_path / "p.csv", "patient_id,sex\nA,female\nA,male\nB,female\n")
    code, out, err = cli(capsys, "validate", visits, "--patients", patients, "--drop-invalid")
    assert code == 0, err
    assert out == f"{visits}: 1 visits of 1 patients, valid after blanking 3 cell(s)\n"
    assert problems(err) == [
        f"--drop-invalid blanked 2 invalid cell(s) of the patients file {patients} and removed "
        "2 patient(s) whose patient_id failed:",
        "  line 2, patient 'A': patient_id = 'A' appears in more than one row",
        "  line 3, patient 'A': patient_id = 'A' appears in more than one row",
        f"--drop-invalid blanked 1 invalid cell(s) of the visits file {visits} and removed "
        "1 visit(s) whose patient, day or date failed:",
        "  line 2, patient 'A', day 0: patient_id = 'A' is not in the patients frame",
    ]


def test_a_misspelled_column_alone_cannot_be_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    visits = write(tmp_path / "v.csv", "patient_id,day,mrss_fcae\nA,0,1\n")
    for extra in ([], ["--drop-invalid"]):
        code, out, err = cli(capsys, "validate", visits, *extra)
        assert (code, out) == (2, "")
        assert problems(err) == [
            f"1 problem(s) in the visits file {visits}:",
            "  unknown column(s) in the visits frame: 'mrss_fcae' (did you mean 'mrss_face'?); "
            "columns starting with 'mrss_' must be one of the canonical names",
        ]
