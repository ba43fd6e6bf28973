"""Shared hypothesis strategies (as in attrs' tests/strategies.py)."""

from __future__ import annotations

from hypothesis import strategies as st

from sscoutcomes.measures.skin import SKIN_SITES

#: One site grade, 0-3.
site_grades = st.integers(min_value=0, max_value=3)

#: A complete set of 17 site grades as a dict.
complete_sites = st.fixed_dictionaries(dict.fromkeys(SKIN_SITES, site_grades))

#: Site grades where any site may be missing (None).
partial_sites = st.fixed_dictionaries({s: st.none() | site_grades for s in SKIN_SITES})

#: An mRSS total.
mrss_totals = st.integers(min_value=0, max_value=51)

#: An mRSS total or missing.
optional_mrss = st.none() | mrss_totals
