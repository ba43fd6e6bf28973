"""The ``sscoutcomes`` command (also ``python -m sscoutcomes``).

Sub-commands::

    sscoutcomes report --demo
    sscoutcomes report visits.csv --patients patients.csv --timepoints 0,1y,3y,5y \\
        --format markdown|html|csv|text [-o FILE]
    sscoutcomes validate visits.csv [--patients patients.csv]
    sscoutcomes score visits.csv [--patients patients.csv] -o scored.csv
    sscoutcomes adam visits.csv --patients patients.csv [--timepoints 0,1y,3y,5y] \\
        -o adam/ [--format csv|parquet|xpt]
    sscoutcomes --version

Every command reads its files one way (``patient_id`` as text; a ragged row or a repeated
column name refused with the file and line) and runs the same checks (those of
:class:`~sscoutcomes.cohort.cohort.Cohort` and of every instrument's scoring). Bad input
ends with exit code 2 and the problems on standard error, one line each (identical ones
grouped, the first 50 unless ``--all``), never a traceback; ``--errors FILE`` writes them
all as a table and ``--drop-invalid`` blanks the failing cells and goes on. ``-o`` writes
through a temporary file, so a failed write never leaves a half-written file.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import pandas as pd

from . import __version__
from ._csv import CsvFile, read_csv_file
from ._validation import FailureCollector
from .analysis.schedule import Schedule
from .errors import FAILURE_CASE_COLUMNS, OutOfRangeError, SchemaError, SSCOutcomesError

if TYPE_CHECKING:
    from .cohort.cohort import Cohort
    from .cohort.mapping import ColumnMapping

__all__ = ["main", "parse_timepoints"]

_TIMEPOINT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([my]?)\s*$")
_PROBLEMS = re.compile(r"^(\d+) problem\(s\) in the ")

#: Problems printed without ``--all`` (lines: a group of identical problems is one line).
_LIMIT = 50
#: Problems with the same column and reason print as one line from this many rows on,
_GROUP_MIN = 3
#: with this many distinct values and row lines shown.
_GROUP_VALUES = 3
_GROUP_ROWS = 5


class _UsageError(Exception):
    """Bad command-line input: reported as one line with exit code 2."""


def parse_timepoints(text: str) -> list[float]:
    """Parse ``"0,6m,1y,3y,5y"`` into months from the index date (``[0, 6, 12, 36, 60]``).

    A bare number is years; the suffixes ``m`` and ``y`` give months and years. The
    schedule then places each timepoint with :meth:`sscoutcomes.Schedule.months`.

    Examples
    --------
    >>> from sscoutcomes.cli import parse_timepoints
    >>> parse_timepoints("0,6m,1y,5")
    [0.0, 6.0, 12.0, 60.0]

    Raises
    ------
    SchemaError
        A part that is not a number with an optional suffix, timepoints that are not
        distinct and increasing, or a first timepoint that is not 0.
    """

    def bad(problem: str) -> SchemaError:
        return SchemaError(f"--timepoints {text!r}: {problem} (e.g. 0,6m,1y,3y,5y)")

    months: list[float] = []
    for part in text.split(","):
        match = _TIMEPOINT.match(part)
        if not match:
            raise bad(f"{part.strip()!r} is not a number with an optional m or y suffix")
        value, unit = float(match.group(1)), match.group(2)
        months.append(value if unit == "m" else 12.0 * value)
    if len(set(months)) != len(months) or months != sorted(months):
        raise bad("the timepoints must be distinct and increasing")
    if months[0] != 0:
        raise bad("the first timepoint must be the baseline, 0")
    return months


def _schedule(text: str, window_days: int) -> Schedule:
    try:
        months = parse_timepoints(text)
    except SchemaError as exc:
        raise _UsageError(str(exc)) from None
    try:
        return Schedule.months(*months, window_days=window_days)
    except SSCOutcomesError as exc:
        raise _UsageError(f"--timepoints {text!r}: {str(exc).splitlines()[0]}") from None


class _FileProblems(Exception):
    """A library error found in one of the user's files (printed with the file's lines)."""

    def __init__(self, error: SSCOutcomesError, source: CsvFile, what: str) -> None:
        super().__init__(str(error))
        self.error = error
        self.source = source
        self.what = what


@attrs.frozen(kw_only=True, eq=False)
class _Loaded:
    """A checked cohort, the (cleaned) visits as read, and the cells dropped per file."""

    cohort: Cohort
    visits: pd.DataFrame
    dropped: list[tuple[CsvFile, str, pd.DataFrame]]


def _messages(error: SSCOutcomesError) -> list[str]:
    """The problems of ``error`` that are not failing cells (a missing column, ...)."""
    lines = str(error).splitlines()
    cases = error.failure_cases
    if cases is None:
        return [line.strip() for line in lines if line.strip()]
    match = _PROBLEMS.match(lines[0]) if lines else None
    if match is None:
        return [] if len(cases) else [line.strip() for line in lines if line.strip()]
    count = int(match.group(1)) - len(cases)
    return [line.strip() for line in lines[1 : 1 + count]]


def _absorb(collector: FailureCollector, error: SSCOutcomesError) -> None:
    schema = not isinstance(error, OutOfRangeError)
    for message in _messages(error):
        collector.add_message(message, schema=schema)
    if error.failure_cases is not None and len(error.failure_cases):
        collector.merge(error)


def _check_visits(
    source: CsvFile,
    visits: pd.DataFrame,
    patients: pd.DataFrame | None,
    what: str,
    *,
    instruments: bool,
    mapping: ColumnMapping | None = None,
    patients_source: tuple[CsvFile, str] | None = None,
) -> Cohort:
    """Every check of ``validate``, ``report`` and ``score``: the Cohort's (schema and links to
    the patients) and, with ``instruments`` or on failure, those of every instrument's
    scoring (a recorded total that disagrees with its items, ...), raised together as one
    :class:`_FileProblems`. Problems of the patients frame (found here when a mapping reads
    both files together) are named with ``patients_source``'s file and lines."""
    try:
        return _cohort_checks(visits, patients, what, instruments=instruments, mapping=mapping)
    except SSCOutcomesError as exc:
        if patients_source is not None and exc.frame == "patients frame":
            raise _FileProblems(exc, *patients_source) from None
        raise _FileProblems(exc, source, what) from None


def _cohort_checks(
    visits: pd.DataFrame,
    patients: pd.DataFrame | None,
    what: str,
    *,
    instruments: bool,
    mapping: ColumnMapping | None = None,
) -> Cohort:
    from .cohort.cohort import Cohort
    from .cohort.schema import instrument_checks

    collector = FailureCollector(visits)
    # the instruments check the frame under its canonical names (a mapping renames them)
    canonical = visits if mapping is None else mapping.apply(visits, patients)[0]
    try:
        cohort = Cohort.from_frames(visits=visits, patients=patients, mapping=mapping)
    except SSCOutcomesError as exc:
        if exc.frame == "patients frame":
            raise  # the patients file's own problems, named with its lines by the caller
        _absorb(collector, exc)
        instrument_checks(canonical, collector)
        collector.raise_if_failed(what)
        raise  # pragma: no cover - the collector holds exc's problems, so it raised
    if instruments:
        instrument_checks(canonical, collector)
        collector.raise_if_failed(what)
    return cohort


def _check_patients(source: CsvFile, patients: pd.DataFrame, what: str) -> pd.DataFrame:
    from .cohort.schema import validate_patients

    try:
        validate_patients(patients)
    except SSCOutcomesError as exc:
        raise _FileProblems(exc, source, what) from None
    return patients


def _dropped(
    problems: _FileProblems,
    kind: Literal["visits", "patients"],
    dropped: list[tuple[CsvFile, str, pd.DataFrame]],
    frame: pd.DataFrame | None = None,
    *,
    mapping: ColumnMapping | None = None,
) -> pd.DataFrame:
    """The file's frame (or ``frame``, the file's frame already cleaned once) with the
    failing cells of ``problems`` blanked and the visits that cannot be placed removed (for
    --drop-invalid); ``problems`` itself when some are not cells (a missing column) or
    blanking fails. Without a mapping the result is checked again here; with one it is
    checked with the other file by the caller."""
    from .cohort.schema import blank_failing_cells, drop_invalid

    error, source = problems.error, problems.source
    cases = error.failure_cases
    if cases is None or not len(cases) or _messages(error):
        raise problems
    current = source.frame if frame is None else frame
    try:
        if mapping is None:
            cleaned = drop_invalid(current, cases, frame=kind)
        else:
            cleaned = blank_failing_cells(current, cases, frame=kind, source_columns=True)
    except SSCOutcomesError as exc:
        raise _FileProblems(
            exc, source, f"{problems.what} after dropping {len(cases)} invalid value(s)"
        ) from None
    dropped.append((source, problems.what, cases))
    return cleaned


def _load(args: argparse.Namespace, *, instruments: bool = True) -> _Loaded:
    """Read and check the command's files the one way every command does."""
    from .datasets import load_demo

    demo = getattr(args, "demo", False)
    if demo:
        if args.visits is not None:
            raise _UsageError("give either --demo or a visits CSV file, not both")
        cohort = load_demo()
        return _Loaded(cohort=cohort, visits=cohort.visits, dropped=[])
    if args.visits is None:
        raise _UsageError("give a visits CSV file (or --demo for the bundled demo cohort)")
    for path in (args.visits, args.patients):
        if path is not None and not Path(path).is_file():
            raise _UsageError(f"no such file: {path}")
    drop = args.drop_invalid
    mapping = _mapping(args)
    id_column = "patient_id" if mapping is None else mapping.source_of("patient_id")
    dropped: list[tuple[CsvFile, str, pd.DataFrame]] = []
    visits_file = read_csv_file(args.visits, id_column=id_column)
    patients: pd.DataFrame | None = None
    patients_source: tuple[CsvFile, str] | None = None
    if args.patients is not None:
        patients_file = read_csv_file(args.patients, id_column=id_column)
        what = f"patients file {args.patients}"
        if mapping is not None:  # checked with the visits, under the mapping's names
            patients = patients_file.frame
            patients_source = (patients_file, what)
        else:
            try:
                patients = _check_patients(patients_file, patients_file.frame, what)
            except _FileProblems as problems:
                if not drop:
                    raise
                patients = _check_patients(
                    patients_file, _dropped(problems, "patients", dropped), what
                )
    what = f"visits file {args.visits}"
    visits = visits_file.frame
    try:
        cohort = _check_visits(
            visits_file,
            visits,
            patients,
            what,
            instruments=instruments,
            mapping=mapping,
            patients_source=patients_source,
        )
    except _FileProblems as problems:
        if not drop:
            raise
        if mapping is None:
            visits = _dropped(problems, "visits", dropped)
            cohort = _check_visits(
                visits_file,
                visits,
                patients,
                f"{what} after --drop-invalid dropped {len(dropped[-1][2])} value(s)",
                instruments=True,
            )
        else:
            cohort = _drop_mapped(
                problems, (visits_file, what), visits, patients, patients_source, dropped, mapping
            )
    if mapping is not None:
        visits = cohort.visits  # canonical names, codes and days
    return _Loaded(cohort=cohort, visits=visits, dropped=dropped)


def _drop_mapped(
    problems: _FileProblems,
    visits_source: tuple[CsvFile, str],
    visits: pd.DataFrame,
    patients: pd.DataFrame | None,
    patients_source: tuple[CsvFile, str] | None,
    dropped: list[tuple[CsvFile, str, pd.DataFrame]],
    mapping: ColumnMapping,
) -> Cohort:
    """--drop-invalid under --map: the two files are checked together, so a round blanks
    the file whose problems were found (the patients file's come first) and checks both
    again, until they pass or a problem is left that blanking cannot remove."""
    visits_file, what = visits_source
    for _ in range(3):  # the patients file, the visits file, what blanking revealed
        if patients_source is not None and problems.source is patients_source[0]:
            patients = _dropped(problems, "patients", dropped, patients, mapping=mapping)
        else:
            visits = _dropped(problems, "visits", dropped, visits, mapping=mapping)
        try:
            return _check_visits(
                visits_file,
                visits,
                patients,
                f"{what} after --drop-invalid dropped "
                f"{sum(len(cases) for _, _, cases in dropped)} value(s)",
                instruments=True,
                mapping=mapping,
                patients_source=patients_source,
            )
        except _FileProblems as again:
            problems = again
    raise problems


def _mapping(args: argparse.Namespace) -> ColumnMapping | None:
    """The ``--map`` TOML file as a checked :class:`ColumnMapping` (or ``None``)."""
    from .cohort.mapping import ColumnMapping

    path = getattr(args, "map", None)
    if path is None:
        return None
    if not Path(path).is_file():
        raise _UsageError(f"no such mapping file: {path}")
    return ColumnMapping.from_toml(path)


# ------------------------------------------------------------------------------------------
# printing problems
# ------------------------------------------------------------------------------------------
def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _show(value: object) -> str:
    """A cell as the user wrote it: text quoted, whole numbers without ``.0``."""
    if isinstance(value, np.generic):
        value = value.item()
    if _is_missing(value):
        return "(empty)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return repr(value)


def _where(case: Any, source: CsvFile | None) -> str:
    """``line 7, patient '007', day 365`` (the date where the day is empty)."""
    line = None if source is None else source.line(case.row)
    parts = [f"line {line}" if line is not None else f"row {_show(case.row)}"]
    if not _is_missing(case.patient_id):
        parts.append(f"patient {_show(case.patient_id)}")
    if not _is_missing(case.day):
        parts.append(f"day {_show(case.day)}")
    elif source is not None and "date" in source.frame.columns:
        pos = (
            source.frame.index.get_indexer(pd.Index([case.row]))[0]
            if source.frame.index.is_unique
            else -1
        )
        if pos >= 0 and not _is_missing(source.frame["date"].iloc[pos]):
            parts.append(f"date {_show(source.frame['date'].iloc[pos])}")
    return ", ".join(parts)


def _column_as_written(case: Any) -> str:
    """The column as the file names it: the source column a mapping renamed, if any."""
    written = getattr(case, "source_column", None)
    return str(case.column) if _is_missing(written) or not written else str(written)


def _case_line(case: Any, source: CsvFile | None) -> str:
    column = _column_as_written(case)
    return f"{_where(case, source)}: {column} = {_show(case.value)} {case.reason}"


def _group_line(cases: pd.DataFrame, source: CsvFile | None) -> str:
    """``sex: 44 rows, values 'X', 'Z': is not one of female, male (lines 2, 3, 5, ...)``."""
    first = next(cases.itertuples(index=False))
    values = list(dict.fromkeys(_show(v) for v in cases["value"]))
    shown = ", ".join(values[:_GROUP_VALUES]) + (", ..." if len(values) > _GROUP_VALUES else "")
    lines = [source.line(r) if source is not None else None for r in cases["row"]]
    if all(line is not None for line in lines):
        where = "lines " + ", ".join(str(line) for line in lines[:_GROUP_ROWS])
    else:
        where = "rows " + ", ".join(_show(r) for r in cases["row"].iloc[:_GROUP_ROWS])
    if len(cases) > _GROUP_ROWS:
        where += ", ..."
    noun = "value" if len(values) == 1 else "values"
    column = _column_as_written(first)
    return f"{column}: {len(cases)} rows, {noun} {shown}: {first.reason} ({where})"


def _problem_lines(
    error: SSCOutcomesError, source: CsvFile | None, *, show_all: bool, group: bool = True
) -> list[str]:
    """One line per problem, or per group of problems with the same column and reason;
    the first :data:`_LIMIT` lines and a count of the rest unless ``show_all``."""
    lines = _messages(error)
    cases = error.failure_cases
    if cases is None or not len(cases):
        return lines
    entries: list[tuple[str, int]] = [(line, 1) for line in lines]
    if show_all or not group:
        entries += [(_case_line(c, source), 1) for c in cases.itertuples(index=False)]
    else:
        keys = list(zip(cases["column"].astype(str), cases["reason"].astype(str), strict=True))
        sizes = pd.Series(keys, dtype=object).value_counts(sort=False).to_dict()
        done: set[tuple[str, str]] = set()
        for i, case in enumerate(cases.itertuples(index=False)):
            key = keys[i]
            if sizes[key] < _GROUP_MIN:
                entries.append((_case_line(case, source), 1))
            elif key not in done:
                done.add(key)
                members = [j for j, k in enumerate(keys) if k == key]
                entries.append((_group_line(cases.iloc[members], source), len(members)))
    if show_all or len(entries) <= _LIMIT:
        return [line for line, _ in entries]
    rest = sum(n for _, n in entries[_LIMIT:])
    return [line for line, _ in entries[:_LIMIT]] + [f"... and {rest} more; --all lists every one"]


def _problem_count(error: SSCOutcomesError) -> int:
    cases = error.failure_cases
    return len(_messages(error)) + (0 if cases is None else len(cases))


_ERROR_COLUMNS = (*FAILURE_CASE_COLUMNS, "date", "source_column")


def _errors_table(items: Sequence[tuple[CsvFile | None, pd.DataFrame]]) -> pd.DataFrame:
    """The failure cases of every file, with the file and the file line of each row, the
    visit date as written and the column as the file names it (empty without a mapping)."""
    parts = []
    for source, cases in items:
        part = cases.reindex(columns=list(_ERROR_COLUMNS))
        part.insert(0, "line", [None if source is None else source.line(r) for r in part["row"]])
        part.insert(0, "file", None if source is None else os.fspath(source.path))
        parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["file", "line", *_ERROR_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def _write_errors(args: argparse.Namespace, table: pd.DataFrame) -> None:
    target = getattr(args, "errors", None)
    if target is not None:
        _write_atomic(target, lambda path: table.to_csv(path, index=False))


def _print_dropped(args: argparse.Namespace, loaded: _Loaded) -> None:
    """What --drop-invalid dropped, row by row, on standard error."""
    from .cohort.schema import removes_row

    for source, what, cases in loaded.dropped:
        kind: Literal["visits", "patients"] = "visits" if what.startswith("visits") else "patients"
        removed = cases.loc[removes_row(cases["column"], kind), "row"].nunique()
        also = (
            f" and removed {removed} visit(s) whose patient, day or date failed"
            if kind == "visits"
            else f" and removed {removed} patient(s) whose patient_id failed"
        )
        print(
            f"sscoutcomes {args.command}: --drop-invalid blanked {len(cases)} invalid "
            f"cell(s) of the {what}{also if removed else ''}:",
            file=sys.stderr,
        )
        error = SSCOutcomesError("dropped", failure_cases=cases)
        for line in _problem_lines(error, source, show_all=args.all, group=False):
            print(f"  {line}", file=sys.stderr)


def _report_problems(
    args: argparse.Namespace,
    error: SSCOutcomesError,
    source: CsvFile | None,
    what: str | None,
) -> None:
    if what is None:
        header = str(error).splitlines()[0] if str(error) else type(error).__name__
        if error.failure_cases is not None and len(error.failure_cases):
            header = header.rstrip(":") + ":"
    else:
        header = f"{_problem_count(error)} problem(s) in the {what}:"
    print(f"sscoutcomes {args.command}: {header}", file=sys.stderr)
    if what is not None or error.failure_cases is not None:
        for line in _problem_lines(error, source, show_all=args.all):
            print(f"  {line}", file=sys.stderr)
    cases = error.failure_cases
    _write_errors(args, _errors_table([] if cases is None else [(source, cases)]))


# ------------------------------------------------------------------------------------------
# writing
# ------------------------------------------------------------------------------------------
def _write_atomic(target: str, write: Callable[[str], None]) -> None:
    """Write ``target`` through ``write(temporary_path)`` in the same directory, then move it
    onto the target: the target is either the old file or the whole new one, never half.
    A target that exists but is no regular file (``/dev/null``, a pipe) is written in place."""
    real = os.path.realpath(target)
    if os.path.exists(real) and not os.path.isfile(real):
        write(real)
        return
    folder, name = os.path.split(real)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder or ".")
    except OSError as exc:
        raise _UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
    try:
        os.close(fd)
        if os.path.exists(real):
            mode = stat.S_IMODE(os.stat(real).st_mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        write(tmp)
        os.replace(tmp, real)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        if isinstance(exc, OSError):
            raise _UsageError(f"cannot write {target}: {exc.strerror or exc}") from exc
        raise


def _write(text: str, output: str | None) -> None:
    if not text.endswith("\n"):
        text += "\n"
    if output is None:
        sys.stdout.write(text)
    else:

        def write_text(path: str) -> None:
            Path(path).write_text(text, encoding="utf-8")

        _write_atomic(output, write_text)


# ------------------------------------------------------------------------------------------
# commands
# ------------------------------------------------------------------------------------------
def _finish(args: argparse.Namespace, loaded: _Loaded) -> None:
    """Print what --drop-invalid blanked and write --errors (empty when nothing failed)."""
    _print_dropped(args, loaded)
    _write_errors(args, _errors_table([(src, cases) for src, _, cases in loaded.dropped]))


def _report_schedule(args: argparse.Namespace) -> Schedule:
    """The schedule of ``--timepoints`` and ``--window`` (default 0, 1, 3 and 5 years)."""
    if args.window < 0:
        raise _UsageError(
            f"--window {args.window} is negative: give the half-width of each window in "
            "days, 0 or more"
        )
    return (
        _schedule(args.timepoints, args.window)
        if args.timepoints
        else Schedule.years(0, 1, 3, 5, window_days=args.window)
    )


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import FollowUpReport

    schedule = _report_schedule(args)
    loaded = _load(args)
    report = FollowUpReport(loaded.cohort, schedule, by=args.by)
    fmt = args.format
    if fmt == "markdown":
        text = report.to_markdown()
    elif fmt == "html":
        text = report.to_html(figures=not args.no_figures)
    elif fmt == "csv":
        text = report.to_frame().to_csv(index=False)
    else:
        text = report.to_text()
    _write(text, args.output)
    _finish(args, loaded)
    return 0


def _cmd_adam(args: argparse.Namespace) -> int:
    from .adam import to_adam, write_adam

    if os.path.exists(args.output) and not os.path.isdir(args.output):
        raise _UsageError(f"-o {args.output} is a file: give a folder to write the datasets into")
    schedule = _report_schedule(args)
    loaded = _load(args)
    adam = to_adam(loaded.cohort, schedule, studyid=args.studyid)
    try:
        written = write_adam(adam, args.output, format=args.format)
    except OSError as exc:
        raise _UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    for path in written:
        print(path, file=sys.stderr)
    _finish(args, loaded)
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    loaded = _load(args)
    patients, visits = loaded.cohort.to_frames()
    _finish(args, loaded)
    blanked = sum(len(cases) for _, _, cases in loaded.dropped)
    state = f"valid after blanking {blanked} cell(s)" if loaded.dropped else "all valid"
    print(f"{args.visits}: {len(visits)} visits of {len(patients)} patients, {state}")
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    from .scoring import score_visits

    loaded = _load(args, instruments=False)
    try:
        scored = score_visits(loaded.visits)
    except SSCOutcomesError:
        # an instrument's own check failed: check again as validate does, which lists every
        # problem (or, with --drop-invalid, blanks them too)
        loaded = _load(args, instruments=True)
        scored = score_visits(loaded.visits)
    output = args.output
    if output is None:
        scored.to_csv(sys.stdout, index=False)
    else:
        _write_atomic(output, lambda path: scored.to_csv(path, index=False))
    _finish(args, loaded)
    return 0


def _add_file_options(sub: argparse.ArgumentParser) -> None:
    """The options every command that reads files has."""
    sub.add_argument(
        "--map",
        metavar="TOML",
        help="a mapping file: the export's column names, codes and date format -> canonical "
        "(write a starting one with `sscoutcomes init-map`)",
    )
    sub.add_argument(
        "--drop-invalid",
        action="store_true",
        help="blank (set missing) the cells that fail a check instead of stopping, list them "
        "on standard error, and go on with the rest",
    )
    sub.add_argument(
        "--all",
        action="store_true",
        help=f"list every problem (default: the first {_LIMIT}, identical ones grouped)",
    )
    sub.add_argument(
        "--errors",
        metavar="FILE",
        help="write every failing cell (file, line, row, patient_id, day, column, value, "
        "reason) to this CSV file",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sscoutcomes",
        description=(
            "Longitudinal outcome measures for systemic sclerosis: score visits, validate "
            "a cohort's files, and write a follow-up study's results."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser(
        "report",
        help="a follow-up study's results (survival, mRSS, HRCT, PAH, HAQ-DI, ...)",
        description="Write a follow-up study's results from a visits CSV (or the demo).",
    )
    rep.add_argument("visits", nargs="?", help="visits CSV (one row per visit)")
    rep.add_argument("--patients", help="patients CSV (one row per patient)")
    rep.add_argument("--demo", action="store_true", help="use the bundled fictional cohort")
    rep.add_argument(
        "--timepoints",
        help="comma-separated timepoints in months (m) or years (y, the default unit), "
        "baseline first: 0,6m,1y,3y,5y (default 0,1y,3y,5y)",
    )
    rep.add_argument(
        "--window", type=int, default=90, help="half-width of each window in days (90)"
    )
    rep.add_argument(
        "--format",
        choices=("text", "markdown", "html", "csv"),
        default="text",
        help="output format (text)",
    )
    rep.add_argument(
        "--by",
        help="a patients column (arm, subset, ...): every section per group and the "
        "between-group comparisons",
    )
    rep.add_argument("--no-figures", action="store_true", help="HTML without figures")
    rep.add_argument("-o", "--output", help="write to this file instead of standard output")
    _add_file_options(rep)
    rep.set_defaults(func=_cmd_report)

    adm = sub.add_parser(
        "adam",
        help="CDISC ADaM datasets (ADSL, ADEFF, ADTTE) from a cohort's files",
        description="Write the ADaM datasets ADSL, ADEFF (BDS) and ADTTE of a cohort, one "
        "file each, into a folder; AVISIT and the analysis flags follow the timepoints.",
    )
    adm.add_argument("visits", nargs="?", help="visits CSV (one row per visit)")
    adm.add_argument("--patients", help="patients CSV (one row per patient)")
    adm.add_argument("--demo", action="store_true", help="use the bundled fictional cohort")
    adm.add_argument(
        "--timepoints",
        help="comma-separated timepoints in months (m) or years (y, the default unit), "
        "baseline first: 0,6m,1y,3y,5y (default 0,1y,3y,5y)",
    )
    adm.add_argument(
        "--window", type=int, default=90, help="half-width of each window in days (90)"
    )
    adm.add_argument(
        "--format",
        choices=("csv", "parquet", "xpt"),
        default="csv",
        help="file format (csv); parquet needs pyarrow, xpt (SAS XPORT v5) pyreadstat",
    )
    adm.add_argument("--studyid", default="SSC", help="STUDYID of every row (SSC)")
    adm.add_argument("-o", "--output", required=True, help="folder to write the datasets into")
    _add_file_options(adm)
    adm.set_defaults(func=_cmd_adam)

    val = sub.add_parser(
        "validate",
        help="check a visits CSV (and patients CSV) against the schema",
        description="List every schema problem of a cohort's files, row by row.",
    )
    val.add_argument("visits", help="visits CSV")
    val.add_argument("--patients", help="patients CSV")
    _add_file_options(val)
    val.set_defaults(func=_cmd_validate)

    sco = sub.add_parser(
        "score",
        help="add every computable score to a visits CSV",
        description="Score each visit (mRSS, HAQ-DI, sPAP, ...) and write the scored CSV.",
    )
    sco.add_argument("visits", help="visits CSV")
    sco.add_argument("--patients", help="patients CSV (checked as validate and report check it)")
    sco.add_argument("-o", "--output", help="scored CSV (default: standard output)")
    _add_file_options(sco)
    sco.set_defaults(func=_cmd_score)

    ini = sub.add_parser(
        "init-map",
        help="write a starting mapping TOML for a registry export",
        description="List every column of the export's files with the closest canonical "
        "name, as a mapping TOML file to edit and pass to --map.",
    )
    ini.add_argument("files", nargs="+", help="the export's CSV files (visits, patients)")
    ini.add_argument("-o", "--output", help="TOML file (default: standard output)")
    ini.set_defaults(func=_cmd_init_map)
    return parser


def _cmd_init_map(args: argparse.Namespace) -> int:
    """Write a starting mapping: every source column with the closest canonical name."""
    import json

    from .cohort.schema import PATIENT_COLUMNS, closest_names, visit_columns

    known = [s.name for s in visit_columns()] + [s.name for s in PATIENT_COLUMNS]
    lines = [
        "# A mapping for sscoutcomes (--map): edit it, then check it with",
        "# `sscoutcomes validate VISITS --patients PATIENTS --map THIS_FILE`.",
        "# Uncomment and set the date format of the export (strftime; ISO 8601 when absent):",
        '# date_format = "%d/%m/%Y"',
        '# index = "index_date"      # or "first_visit"',
        '# cutoff = "2024-06-30"     # the data cut-off date',
        "",
        "[columns]  # source name = canonical name",
    ]
    seen: set[str] = set()
    for path in args.files:
        if not Path(path).is_file():
            raise _UsageError(f"no such file: {path}")
        lines.append(f"# {Path(path).name}")
        for column in read_csv_file(path).frame.columns:
            name = str(column)
            if name in seen:
                continue
            seen.add(name)
            if name in known:
                lines.append(f"# {json.dumps(name)} is already canonical")
                continue
            close = closest_names(name, known)
            if close:
                lines.append(f"{json.dumps(name)} = {json.dumps(close[0])}")
            else:
                lines.append(f'# {json.dumps(name)} = ""  # no close canonical name: kept as is')
    lines += [
        "",
        "[values]  # canonical column -> {source code = canonical value}, e.g.",
        '# sex = { "1" = "female", "2" = "male" }',
        "",
    ]
    _write("\n".join(lines), args.output)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 2 bad input).

    Examples
    --------
    >>> from sscoutcomes.cli import main
    >>> main(["report", "--demo", "--format", "csv", "-o", "/dev/null"])
    0
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except _UsageError as exc:
        print(f"sscoutcomes {args.command}: {exc}", file=sys.stderr)
        return 2
    except _FileProblems as exc:
        _report_problems(args, exc.error, exc.source, exc.what)
        return 2
    except SSCOutcomesError as exc:
        _report_problems(args, exc, None, None)
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        print(f"sscoutcomes {args.command}: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
