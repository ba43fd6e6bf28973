"""Timing of the Cohort's object face: ``Cohort.patients()`` and ``Cohort.visits``.

Not part of the test suite. Run::

    python benchmarks/cohort.py                  # about 10^5 visits (12 600 patients)
    python benchmarks/cohort.py --patients 1300  # about 10^4 visits

``Cohort.patients()`` builds a :class:`~sscoutcomes.Patient` with its
:class:`~sscoutcomes.Visit` objects (one measure object per instrument recorded) for every
patient, each validated on construction; ``Cohort.visits`` is the validated visits frame.
Each figure is the best of at least ``--repeat`` runs after a warm-up
(``best_time`` of ``run.py``).
"""

from __future__ import annotations

import argparse

from run import best_time as best

from sscoutcomes import simulate_cohort


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=12_600)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cohort = simulate_cohort(args.patients, seed=1)
    n = len(cohort.visits)
    per_patients = best(cohort.patients, args.repeat)
    per_visits = best(lambda: cohort.visits, max(args.repeat, 100))
    print(f"{args.patients} patients, {n} visits")
    print(f"Cohort.patients(): {per_patients:.2f} s ({per_patients / n * 1e6:.1f} us per visit)")
    print(f"Cohort.visits:     {per_visits * 1e3:.3f} ms per access")


if __name__ == "__main__":
    main()
