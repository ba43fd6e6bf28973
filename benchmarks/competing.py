"""Timing of cumulative_incidence and gray_test on 10^5 simulated patients.

Run: ``PYTHONPATH=src python benchmarks/competing.py`` (target: each under 1 s).
"""

from __future__ import annotations

import time

import numpy as np

from sscoutcomes import cumulative_incidence, gray_test


def main(n: int = 100_000) -> None:
    rng = np.random.default_rng(2026)
    t = np.round(rng.exponential(1000.0, n))
    e = rng.choice([0, 1, 2], size=n, p=[0.4, 0.35, 0.25])
    g = rng.choice(["a", "b", "c"], size=n)
    cumulative_incidence([1.0, 2.0], [1, 0])  # warm up: the first call imports scipy
    for name, call in [
        ("cumulative_incidence", lambda: cumulative_incidence(t, e)),
        ("cumulative_incidence by 3 groups", lambda: cumulative_incidence(t, e, g)),
        ("gray_test 3 groups", lambda: gray_test(t, e, g)),
    ]:
        start = time.perf_counter()
        call()
        print(f"{name}: {n} patients in {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
