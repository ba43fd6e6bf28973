"""Whole-command timing of ``sscoutcomes score`` against pandas reading and writing the
same CSV file, in one run on the same file.

Not part of the test suite. Run::

    python benchmarks/cli.py                  # 13 000 patients (about 10^5 visits), 5 rounds
    python benchmarks/cli.py --patients 2000 --rounds 9
    python benchmarks/cli.py --import         # also: import sscoutcomes against import pandas

The visits file is ``simulate_cohort(n_patients=..., seed=1).visits.to_csv(index=False)``,
written in a temporary directory. Each round runs both commands as fresh processes, one
after the other (which goes first alternates), so both see the same machine; the report
gives each command's median wall time and the median of the per-round ratios. The
sscoutcomes imported is this checkout's ``src`` (put first on PYTHONPATH).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

PANDAS_ROUND_TRIP = "import pandas as pd; pd.read_csv('visits.csv').to_csv('out.csv', index=False)"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def _seconds(command: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def compare(
    name_a: str,
    command_a: Sequence[str],
    name_b: str,
    command_b: Sequence[str],
    *,
    cwd: Path,
    rounds: int,
) -> None:
    """Time A and B interleaved (after one untimed run of each); print medians and A/B."""
    env = _env()
    _seconds(command_a, cwd, env)
    _seconds(command_b, cwd, env)
    times_a: list[float] = []
    times_b: list[float] = []
    for i in range(rounds):
        if i % 2:
            tb = _seconds(command_b, cwd, env)
            ta = _seconds(command_a, cwd, env)
        else:
            ta = _seconds(command_a, cwd, env)
            tb = _seconds(command_b, cwd, env)
        times_a.append(ta)
        times_b.append(tb)
    ratios = [a / b for a, b in zip(times_a, times_b, strict=True)]
    width = max(len(name_a), len(name_b))
    print(f"  {name_a:<{width}}  median {statistics.median(times_a):7.3f} s")
    print(f"  {name_b:<{width}}  median {statistics.median(times_b):7.3f} s")
    print(
        f"  ratio (median of {rounds} rounds): {statistics.median(ratios):.2f} "
        f"(min {min(ratios):.2f}, max {max(ratios):.2f})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=13_000, help="patients (13000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (5)")
    parser.add_argument(
        "--import",
        dest="imports",
        action="store_true",
        help="also time import sscoutcomes against import pandas",
    )
    args = parser.parse_args(argv)

    sys.path.insert(0, str(SRC))
    from sscoutcomes import simulate_cohort

    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        visits = simulate_cohort(n_patients=args.patients, seed=1).visits
        visits.to_csv(cwd / "visits.csv", index=False)
        print(f"visits.csv: {len(visits)} visits, {visits.shape[1]} columns")
        print("sscoutcomes score visits.csv -o scored.csv / pandas read_csv + to_csv")
        compare(
            "score",
            [python, "-m", "sscoutcomes", "score", "visits.csv", "-o", "scored.csv"],
            "pandas",
            [python, "-c", PANDAS_ROUND_TRIP],
            cwd=cwd,
            rounds=args.rounds,
        )
        if args.imports:
            print("import sscoutcomes / import pandas")
            compare(
                "sscoutcomes",
                [python, "-c", "import sscoutcomes"],
                "pandas",
                [python, "-c", "import pandas"],
                cwd=cwd,
                rounds=max(args.rounds, 9),
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
