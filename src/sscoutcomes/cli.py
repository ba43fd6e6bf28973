"""The ``sscoutcomes`` command (also ``python -m sscoutcomes``).

Sub-commands::

    sscoutcomes report --demo
    sscoutcomes report visits.csv --patients patients.csv --timepoints 0,1y,3y,5y \\
        --format markdown|html|csv|text [-o FILE]
    sscoutcomes validate visits.csv [--patients patients.csv]
    sscoutcomes score visits.csv -o scored.csv

Bad input ends with exit code 2 and a one-line reason on standard error (plus, for
``validate``, the failing cells row by row), never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from .analysis.schedule import Schedule
from .errors import SSCOutcomesError

__all__ = ["main", "parse_timepoints"]

_TIMEPOINT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([my]?)\s*$")


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
    """
    months: list[float] = []
    for part in text.split(","):
        match = _TIMEPOINT.match(part)
        if not match:
            raise _UsageError(
                f"timepoint {part.strip()!r} is not a number with an optional m or y suffix "
                f"(e.g. 0,6m,1y,3y,5y)"
            )
        value, unit = float(match.group(1)), match.group(2)
        months.append(value if unit == "m" else 12.0 * value)
    if len(set(months)) != len(months) or months != sorted(months):
        raise _UsageError(f"timepoints {text!r} must be distinct and increasing")
    if months[0] != 0:
        raise _UsageError("the first timepoint must be the baseline, 0")
    return months


def _schedule(text: str, window_days: int) -> Schedule:
    try:
        return Schedule.months(*parse_timepoints(text), window_days=window_days)
    except SSCOutcomesError as exc:
        raise _UsageError(str(exc).splitlines()[0]) from None


def _read_cohort(visits: str | None, patients: str | None, demo: bool) -> object:
    from .cohort.cohort import Cohort
    from .datasets import load_demo

    if demo:
        if visits is not None:
            raise _UsageError("give either --demo or a visits file, not both")
        return load_demo()
    if visits is None:
        raise _UsageError("give a visits CSV file (or --demo for the bundled demo cohort)")
    for path in (visits, patients):
        if path is not None and not Path(path).is_file():
            raise _UsageError(f"no such file: {path}")
    return Cohort.read_csv(visits, patients)


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        Path(output).write_text(text, encoding="utf-8")


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import FollowUpReport

    cohort = _read_cohort(args.visits, args.patients, args.demo)
    schedule = (
        _schedule(args.timepoints, args.window)
        if args.timepoints
        else Schedule.years(0, 1, 3, 5, window_days=args.window)
    )
    report = FollowUpReport(cohort, schedule)
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
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .cohort.cohort import Cohort

    for path in (args.visits, args.patients):
        if path is not None and not Path(path).is_file():
            raise _UsageError(f"no such file: {path}")
    cohort = Cohort.read_csv(args.visits, args.patients)
    patients, visits = cohort.to_frames()
    print(f"{args.visits}: {len(visits)} visits of {len(patients)} patients, all valid")
    return 0


def _cmd_score(args: argparse.Namespace) -> int:
    import pandas as pd

    from .scoring import score_visits

    if not Path(args.visits).is_file():
        raise _UsageError(f"no such file: {args.visits}")
    try:
        visits = pd.read_csv(args.visits)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise _UsageError(f"{args.visits} is not a readable CSV file: {exc}") from None
    scored = score_visits(visits)
    _write(scored.to_csv(index=False), args.output)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sscoutcomes",
        description=(
            "Longitudinal outcome measures for systemic sclerosis: score visits, validate "
            "a cohort's files, and write a follow-up study's results."
        ),
    )
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
    rep.add_argument("--no-figures", action="store_true", help="HTML without figures")
    rep.add_argument("-o", "--output", help="write to this file instead of standard output")
    rep.set_defaults(func=_cmd_report)

    val = sub.add_parser(
        "validate",
        help="check a visits CSV (and patients CSV) against the schema",
        description="List every schema problem of a cohort's files, row by row.",
    )
    val.add_argument("visits", help="visits CSV")
    val.add_argument("--patients", help="patients CSV")
    val.set_defaults(func=_cmd_validate)

    sco = sub.add_parser(
        "score",
        help="add every computable score to a visits CSV",
        description="Score each visit (mRSS, HAQ-DI, sPAP, ...) and write the scored CSV.",
    )
    sco.add_argument("visits", help="visits CSV")
    sco.add_argument("-o", "--output", help="scored CSV (default: standard output)")
    sco.set_defaults(func=_cmd_score)
    return parser


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
    except SSCOutcomesError as exc:
        lines = str(exc).splitlines()
        print(f"sscoutcomes {args.command}: {lines[0]}", file=sys.stderr)
        if args.command == "validate":
            for line in lines[1:]:
                print(line, file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        print(f"sscoutcomes {args.command}: {exc}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
