"""Benchmark: generalized pairwise comparisons (win ratio) on 500 vs 500 patients, 5 levels.

Not part of the test suite. Run::

    python benchmarks/win_ratio.py               # 500 vs 500, 5 levels (target: < 1 s)
    python benchmarks/win_ratio.py --n 2000      # patients per arm

The data are simulated per-patient values (two time-to-event levels, three numeric levels
with some missing values, the :func:`~sscoutcomes.grcs_outcomes` hierarchy). Pairs are scored
vectorised; the best of ``--repeat`` runs is reported with the pairs per second.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from sscoutcomes import grcs_outcomes, win_ratio


def simulate(n_per_arm: int, seed: int = 1) -> pd.DataFrame:
    """Per-patient frame with the columns :func:`grcs_outcomes` names by default."""
    rng = np.random.default_rng(seed)
    n = 2 * n_per_arm
    fvc = rng.normal(0, 8, n)
    fvc[rng.random(n) < 0.1] = np.nan
    return pd.DataFrame(
        {
            "arm": np.repeat(["treatment", "control"], n_per_arm),
            "death_time": rng.integers(30, 1640, n).astype(float),
            "death": rng.integers(0, 2, n),
            "event_free_time": rng.integers(30, 1640, n).astype(float),
            "event": rng.integers(0, 2, n),
            "fvc_pct_predicted_change": fvc,
            "haq_di_change": rng.normal(0, 0.5, n).round(3),
            "mrss_change": rng.integers(-20, 10, n).astype(float),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="patients per arm")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    frame = simulate(args.n)
    outcomes = grcs_outcomes(time_threshold=30, fvc_threshold=5, haq_threshold=0.2)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = win_ratio(frame, arm="arm", treatment="treatment", outcomes=outcomes)
        times.append(time.perf_counter() - start)
    best = min(times)
    pairs = (2 * args.n) ** 2
    print(
        f"win_ratio {args.n} vs {args.n}, {len(outcomes)} levels: best {best:.3f} s "
        f"(median {sorted(times)[len(times) // 2]:.3f} s), {pairs / best:.3g} pooled pairs/s"
    )
    print(result)
    print(result.table.to_string())


if __name__ == "__main__":
    main()
