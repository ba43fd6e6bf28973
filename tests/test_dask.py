"""The frame functions run per partition on a Dask DataFrame partitioned by patient."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import sscoutcomes as ssc
from sscoutcomes.datasets import simulate_frames

dd = pytest.importorskip("dask.dataframe")


def test_map_partitions_by_patient_equals_pandas() -> None:
    _, visits = simulate_frames(60, 3, seed=5, measures=["skin"])
    with warnings.catch_warnings():
        # dask may warn about its own configuration; the numbers are what is tested
        warnings.simplefilter("ignore")
        # Partition on patient boundaries: whole patients in each partition.
        ddf = dd.from_pandas(visits.set_index("patient_id", drop=False), npartitions=4, sort=True)
        meta = pd.Series(dtype="float64", name="mrss")
        scored = ddf.map_partitions(ssc.score_mrss, meta=meta).compute()
        # No patient is split across partitions (so per-patient rules stay correct).
        ids = [set(ddf.get_partition(i).compute()["patient_id"]) for i in range(4)]
    assert sum(len(s) for s in ids) == len(set().union(*ids)) == 60
    expected = ssc.score_mrss(visits)
    assert scored.to_numpy().tolist() == pytest.approx(expected.to_numpy().tolist(), nan_ok=True)
