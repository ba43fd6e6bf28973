"""Benchmarks: the library's frame face against a plain numpy reference, a per-row loop over
the object face and the obvious pandas code, in one run on the same simulated data.

Not part of the test suite. Run::

    python benchmarks/run.py                 # 10^5 and 10^6 visit rows
    python benchmarks/run.py --rows 10000000 # one size
    python benchmarks/run.py --json results.json
    python benchmarks/run.py --input raw     # plain float64 frames, as read from a CSV

The data are ``simulate_cohort(...).visits`` (the canonical frame a Cohort holds: nullable
integer and boolean columns) or, with ``--input raw``, the same simulation before the Cohort
(float64 with NaN, as ``pandas.read_csv`` gives).

For each case and size it reports rows/s of (a) the library, (b) the numpy reference doing
the same arithmetic on the same arrays (the practical limit), (c) the per-row object loop
(timed on a sample and extrapolated), (d) pandas; the ratios a/b and c/a; and the peak
memory the library allocated while scoring (tracemalloc, which numpy reports to) relative
to the input frame's size.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import CASES, Case

import sscoutcomes
from sscoutcomes.datasets import simulate_cohort, simulate_frames

VISITS_PER_PATIENT = 8.0  # what simulate_frames makes on average over 5 years


@dataclass
class Row:
    case: str
    rows: int
    library_s: float
    numpy_s: float
    loop_s: float | None
    pandas_s: float | None
    ratio_library_numpy: float
    ratio_loop_library: float | None
    peak_mb: float
    input_mb: float
    peak_over_input: float
    extra: dict[str, Any] = field(default_factory=dict)


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of at least ``repeat`` calls (after one warm-up call; more calls for
    fast ones, as :func:`best_times` says)."""
    return best_times([fn], repeat)[0]


def best_times(
    fns: list[Callable[[], object]], repeat: int, min_seconds: float = 0.5, max_rounds: int = 50
) -> list[float]:
    """Best wall time of each of ``fns``, timed in turn, round after round (after one
    warm-up round): at least ``repeat`` rounds, more (up to ``max_rounds``) while the
    rounds took less than ``min_seconds`` in all. On a shared machine a slow spell then
    hits every contender alike, and fast calls get enough tries for a stable best."""
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    spent = 0.0
    rounds = 0
    while rounds < repeat or (spent < min_seconds and rounds < max_rounds):
        for k, fn in enumerate(fns):
            gc.collect()
            t0 = time.perf_counter()
            fn()
            took = time.perf_counter() - t0
            best[k] = min(best[k], took)
            spent += took
        rounds += 1
    return best


def peak_memory(fn: Callable[[], object]) -> float:
    """Peak bytes allocated (tracked by tracemalloc) while ``fn`` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return float(peak)


def run_case(case: Case, visits: pd.DataFrame, repeat: int, loop_sample: int) -> Row:
    if case.name == "CRISS probability":
        from cases import _criss_frame

        frame = _criss_frame(visits)
    else:
        frame = visits[case.columns(visits)]
    input_bytes = float(frame.memory_usage(deep=True, index=False).sum())
    arrays = case.arrays(frame)
    library, reference = best_times(
        [lambda: case.library(frame), lambda: case.reference(arrays)], repeat
    )
    pandas_s = best_time(lambda: case.pandas(frame), repeat) if case.pandas else None
    loop_s = None
    if case.loop is not None:
        sample = frame.iloc[: min(loop_sample, len(frame))]
        per_row = best_time(lambda: case.loop(sample), 1) / max(len(sample), 1)
        loop_s = per_row * len(frame)
    peak = peak_memory(lambda: case.library(frame))
    return Row(
        case=case.name,
        rows=len(frame),
        library_s=library,
        numpy_s=reference,
        loop_s=loop_s,
        pandas_s=pandas_s,
        ratio_library_numpy=library / reference,
        ratio_loop_library=None if loop_s is None else loop_s / library,
        peak_mb=peak / 2**20,
        input_mb=input_bytes / 2**20,
        peak_over_input=peak / input_bytes,
    )


def make_visits(rows: int, groups: list[str], kind: str) -> pd.DataFrame:
    """About ``rows`` simulated visits with the scored columns the change case reads."""
    n_patients = max(1, round(rows / VISITS_PER_PATIENT))
    if kind == "cohort":
        visits = simulate_cohort(n_patients, 5, seed=1, measures=groups, missing_rate=0.01).visits
    else:
        _, visits = simulate_frames(n_patients, 5, seed=1, measures=groups, missing_rate=0.01)
    scored = {}
    if "mrss_face" in visits.columns:
        scored["mrss"] = sscoutcomes.score_mrss(visits)["mrss"]
    if "haq_dress" in visits.columns:
        scored["haq_di"] = sscoutcomes.score_haq(visits)["haq_di"]
    if "tr_velocity_m_s" in visits.columns:
        scored["spap_mmhg"] = sscoutcomes.estimate_spap(
            visits["tr_velocity_m_s"], visits["rap_mmhg"]
        )
    return visits.assign(**scored)


def object_timings(repeat: int = 25) -> dict[str, float]:
    """Microseconds per object for the object-face targets: the best of at least ``repeat``
    batches each (as ``timeit`` reports; a shared machine's noise only ever adds time), the
    cases timed in turn so that a slow spell does not cover all the batches of one."""
    from cases import OBJECT_CASES

    batches = [lambda fn=fn, n=n: [fn() for _ in range(n)] for fn, n in OBJECT_CASES.values()]
    best = best_times(batches, repeat, min_seconds=2.0, max_rounds=100)
    return {
        name: seconds / n * 1e6
        for (name, (_, n)), seconds in zip(OBJECT_CASES.items(), best, strict=True)
    }


def fmt_rate(rows: int, seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{rows / seconds / 1e6:8.2f}M"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows", type=int, action="append", help="visit rows (repeatable); default 1e5 and 1e6"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed repeats (best is kept)")
    parser.add_argument("--loop-sample", type=int, default=2000, help="rows timed in loops")
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--cases", nargs="*", help="only these cases")
    parser.add_argument(
        "--input",
        choices=("cohort", "raw"),
        default="cohort",
        help="cohort: simulate_cohort(...).visits (default); raw: float64 frames",
    )
    args = parser.parse_args(argv)
    sizes = args.rows or [100_000, 1_000_000]
    cases = [c for c in CASES if not args.cases or c.name in args.cases]
    groups = sorted({g for c in cases for g in c.groups})

    rows: list[Row] = []
    header = (
        f"{'case':<28}{'rows':>10}{'library':>11}{'numpy':>11}{'loop':>11}{'pandas':>11}"
        f"{'a/b':>7}{'c/a':>9}{'peak/in':>9}"
    )
    print(
        f"sscoutcomes {sscoutcomes.__version__}, numpy {np.__version__}, "
        f"pandas {pd.__version__}, Python {platform.python_version()}; "
        f"input {args.input}"
    )
    print(
        "rows/s (M = millions); a = library frame face, b = numpy reference, "
        "c = per-row object loop, d = pandas"
    )
    print(header)
    for size in sizes:
        visits = make_visits(size, groups, args.input)
        for case in cases:
            r = run_case(case, visits, args.repeat, args.loop_sample)
            rows.append(r)
            loop_ratio = "-" if r.ratio_loop_library is None else f"{r.ratio_loop_library:8.0f}x"
            print(
                f"{r.case:<28}{r.rows:>10}{fmt_rate(r.rows, r.library_s):>11}"
                f"{fmt_rate(r.rows, r.numpy_s):>11}{fmt_rate(r.rows, r.loop_s):>11}"
                f"{fmt_rate(r.rows, r.pandas_s):>11}{r.ratio_library_numpy:>6.2f}x"
                f"{loop_ratio:>9}{r.peak_over_input:>8.2f}x"
            )
        del visits
        gc.collect()
    objects = object_timings()
    for name, us in objects.items():
        print(f"object face: {name:<40} {us:7.2f} us per object")
    if args.json:
        payload = {
            "versions": {
                "sscoutcomes": sscoutcomes.__version__,
                "numpy": np.__version__,
                "pandas": pd.__version__,
                "python": platform.python_version(),
            },
            "machine": platform.machine(),
            "input": args.input,
            "results": [asdict(r) for r in rows],
            "object_us": objects,
        }
        args.json.write_text(json.dumps(payload, indent=2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
