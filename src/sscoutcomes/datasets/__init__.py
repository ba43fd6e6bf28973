"""Fictional data: the bundled demo cohort and a simulator for larger ones.

The demo cohort is **fictional**. It is shaped like the 5-year follow-up study of umbilical
cord mesenchymal stem cell transplantation in 41 SSc patients (Alip M et al. Clin Rheumatol
2024;43:1073-82, doi:10.1007/s10067-024-06865-z): 41 patients, visits at baseline,
6 months and 1-5 years with jittered days and some unscheduled visits, a few deaths, ILD and
PAH subgroups, site-level mRSS, HAQ items, lung function, HRCT, echocardiography, vascular
and global assessments. No value in it describes a real person.
"""

from __future__ import annotations

from ._demo import load_demo_frames
from ._simulate import MEASURE_GROUPS, simulate_frames

__all__ = ["MEASURE_GROUPS", "load_demo_frames", "simulate_frames"]
