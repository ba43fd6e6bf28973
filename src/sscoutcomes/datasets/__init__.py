"""Fictional data: the bundled demo cohort and a simulator for larger ones.

The demo cohort is **fictional**. It is shaped like the 5-year follow-up study of umbilical
cord mesenchymal stem cell transplantation in 41 SSc patients (Alip M et al. Clin Rheumatol
2024;43:1073-82, doi:10.1007/s10067-024-06865-z): 41 patients, visits at baseline,
6 months and 1-5 years with jittered days and some unscheduled visits, a few deaths, ILD and
PAH subgroups, site-level mRSS, HAQ items, lung function, HRCT, echocardiography, vascular
and global assessments. No value in it describes a real person.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..cohort.cohort import Cohort
from ._demo import demo_paths, load_demo_frames
from ._simulate import MEASURE_GROUPS, simulate_frames

__all__ = [
    "MEASURE_GROUPS",
    "demo_paths",
    "load_demo",
    "load_demo_frames",
    "simulate_cohort",
    "simulate_frames",
]


def load_demo() -> Cohort:
    """The bundled fictional demo cohort (41 patients, 5 years) as a validated
    :class:`~sscoutcomes.Cohort`.

    Returns
    -------
    Cohort

    Examples
    --------
    >>> from sscoutcomes import load_demo
    >>> cohort = load_demo()
    >>> len(cohort.patients_frame), int(cohort.patients_frame["death_day"].notna().sum())
    (41, 5)
    """
    visits_path, patients_path = demo_paths()
    return Cohort.read_csv(visits_path, patients_path)


def simulate_cohort(
    n_patients: int = 41,
    years: int = 5,
    seed: int = 0,
    *,
    measures: Iterable[str] = MEASURE_GROUPS,
    unscheduled_rate: float = 0.3,
    missing_rate: float = 0.03,
) -> Cohort:
    """A larger fictional cohort with the same columns as the demo (see
    :func:`simulate_frames` for the parameters), as a validated :class:`~sscoutcomes.Cohort`.

    The same ``seed`` gives the same cohort. For benchmarks on millions of visits use
    :func:`simulate_frames`, which skips building the validated cohort.

    Examples
    --------
    >>> from sscoutcomes import simulate_cohort
    >>> cohort = simulate_cohort(200, years=3, seed=1)
    >>> len(cohort.patients_frame)
    200
    """
    patients, visits = simulate_frames(
        n_patients,
        years,
        seed,
        measures=measures,
        unscheduled_rate=unscheduled_rate,
        missing_rate=missing_rate,
    )
    return Cohort.from_frames(patients=patients, visits=visits)
