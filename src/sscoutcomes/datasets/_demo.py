"""The bundled demo cohort: where it lives and how it was made."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Final

import pandas as pd

from ._simulate import simulate_frames

__all__ = ["DEMO_SEED", "demo_paths", "load_demo_frames", "make_demo_frames", "write_demo"]

#: The seed and size the bundled files were generated with.
DEMO_SEED: Final = 20240041
DEMO_PATIENTS: Final = 41
DEMO_YEARS: Final = 5

_VISITS: Final = "demo_visits.csv"
_PATIENTS: Final = "demo_patients.csv"


def make_demo_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Regenerate the demo cohort's ``(patients, visits)`` frames from their seed."""
    return simulate_frames(DEMO_PATIENTS, DEMO_YEARS, seed=DEMO_SEED)


def demo_paths() -> tuple[Path, Path]:
    """Paths of the bundled ``(visits, patients)`` CSV files."""
    base = files("sscoutcomes.datasets").joinpath("data")
    return Path(str(base.joinpath(_VISITS))), Path(str(base.joinpath(_PATIENTS)))


def write_demo(directory: str | Path) -> tuple[Path, Path]:
    """Write the demo cohort as ``demo_visits.csv`` and ``demo_patients.csv``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    patients, visits = make_demo_frames()
    visits_path, patients_path = out / _VISITS, out / _PATIENTS
    visits.to_csv(visits_path, index=False)
    patients.to_csv(patients_path, index=False, date_format="%Y-%m-%d")
    return visits_path, patients_path


def load_demo_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled demo cohort as raw ``(patients, visits)`` frames read from CSV."""
    visits_path, patients_path = demo_paths()
    return pd.read_csv(patients_path), pd.read_csv(visits_path)
