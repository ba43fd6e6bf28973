"""A cohort: patients and their visits as two validated pandas frames.

:class:`Cohort` holds a patients frame (one row per patient) and a visits frame (one row per
visit) with the canonical columns of :mod:`sscoutcomes.cohort.schema`, validated and with
canonical dtypes. It converts to and from :class:`~sscoutcomes.cohort.patient.Patient`
objects without loss, and reads and writes CSV (and Parquet when pyarrow is installed).

Examples
--------
>>> import pandas as pd
>>> from sscoutcomes.cohort.cohort import Cohort
>>> visits = pd.DataFrame({"patient_id": ["P1", "P1", "P2"], "day": [0, 365, 0],
...                        "mrss": [20, 14, 31]})
>>> cohort = Cohort.from_frames(visits=visits)
>>> cohort
Cohort(2 patients, 3 visits)
>>> [p.change_from_baseline("mrss", 365) for p in cohort.patients()]
[-6.0, None]
"""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import os
import warnings
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._validation import FailureCollector, as_pandas
from ..errors import FAILURE_CASE_COLUMNS, SchemaError, SSCOutcomesError, SSCOutcomesWarning
from .mapping import ColumnMapping, MappingLike
from .patient import Patient, Visit
from .schema import (
    PATIENT_COLUMNS,
    VISIT_COLUMNS,
    _assemble,
    _patient_checks,
    _text_column,
    _visit_checks,
    blank_failing_cells,
    removes_row,
    validate_patients,
)

__all__ = ["Cohort"]

PathLike = str | os.PathLike[str]

_VISIT_ORDER = {spec.name: i for i, spec in enumerate(VISIT_COLUMNS)}
_PATIENT_ORDER = {spec.name: i for i, spec in enumerate(PATIENT_COLUMNS)}
_DROPPED_COLUMNS = (*FAILURE_CASE_COLUMNS, "frame", "action")
_NOTHING_DROPPED = pd.DataFrame({c: pd.Series([], dtype=object) for c in _DROPPED_COLUMNS})
_CSV_ROWS = "rows count data rows from 0 as in pandas.read_csv; file line = row + 2"


def _minimal_patients(visits: pd.DataFrame) -> pd.DataFrame:
    """``patient_id`` of every patient in the visits frame, in order of first appearance."""
    if "patient_id" not in visits.columns or visits.columns.duplicated().any():
        return pd.DataFrame({"patient_id": pd.Series([], dtype="string")})
    ids = _text_column(visits, VISIT_COLUMNS[0]).dropna().drop_duplicates()
    return pd.DataFrame({"patient_id": ids.to_numpy(dtype=object)}, dtype="string")


def _frame_from_records(
    records: list[dict[str, Any]], order: dict[str, int], required: tuple[str, ...]
) -> pd.DataFrame:
    """Canonical columns that hold a value (and the ``required`` ones) in schema order, then
    pass-through columns in first-seen order."""
    seen: dict[str, None] = {}
    for record in records:
        seen.update(dict.fromkeys(record))
    recorded = {c for r in records for c, v in r.items() if v is not None} | set(required)
    canonical = sorted((c for c in seen if c in order and c in recorded), key=order.__getitem__)
    columns = canonical + [c for c in seen if c not in order]
    # canonical columns as objects (validation gives them their dtype); pass-through
    # columns with the dtype pandas infers and NaN for missing, as pandas.read_csv gives
    data = {
        c: (
            pd.Series([r.get(c) for r in records], dtype=object)
            if c in order
            else pd.Series([r.get(c, np.nan) for r in records])
        )
        for c in columns
    }
    return pd.DataFrame(data, index=pd.RangeIndex(len(records)), columns=columns)


class Cohort:
    """Patients and visits as two validated DataFrames.

    Build one with :meth:`from_frames`, :meth:`from_patients`, :meth:`read_csv` or
    :meth:`read_parquet` (``Cohort(visits=..., patients=...)`` is the same as
    :meth:`from_frames`).

    The frames keep the row order, index and pass-through columns you give; canonical
    columns get canonical dtypes (see :func:`~sscoutcomes.cohort.schema.validate_visits`).
    The frames you pass are never modified, and :attr:`visits`, :attr:`patients_frame` and
    :meth:`to_frames` return frames you may modify without changing the cohort (cheap
    copy-on-write copies; see :attr:`visits`).

    Parameters
    ----------
    visits : pandas.DataFrame
        One row per visit: ``patient_id``, ``day`` and/or ``date``, and canonical measure,
        event and lab columns; other columns are passed through.
    patients : pandas.DataFrame, optional
        One row per patient. Every visit's ``patient_id`` must be in it. When omitted, a
        patients frame with just ``patient_id`` is derived from the visits (in order of
        first appearance).
    require_sorted : bool, default False
        Refuse visits whose rows are out of day order within a patient (by default row
        order does not matter).
    mapping : ColumnMapping, dict or path, optional
        The frames' own column names, codes and date format
        (:class:`~sscoutcomes.cohort.mapping.ColumnMapping`).
    drop_invalid : bool, default False
        Instead of raising, set the cells that fail a check to missing (remove a visit whose
        ``patient_id``, ``day`` or ``date`` fails: it cannot be placed), check again, warn,
        and list what was dropped in :attr:`dropped`. Problems that blanking cannot remove (a
        missing ``patient_id`` column, a repeated column name) still raise.

    Raises
    ------
    SchemaError
        Any problem of either frame (see :func:`~sscoutcomes.cohort.schema.validate_visits`
        and :func:`~sscoutcomes.cohort.schema.validate_patients`), plus visits of unknown
        patients, visits after the patient's ``death_day``, days that disagree with
        ``date - index_date``, and visits with neither a day nor a date from which one can
        be derived. Every failing cell of a frame is reported in one error.
    OutOfRangeError
        When every failure is a value outside its valid range.

    Notes
    -----
    When a visit has a ``date`` and the patient an ``index_date``, an empty ``day`` is
    derived as ``date - index_date`` (in days), and a given ``day`` must agree with it.

    Examples
    --------
    >>> import pandas as pd
    >>> from sscoutcomes.cohort.cohort import Cohort
    >>> patients = pd.DataFrame({"patient_id": ["P1"], "index_date": ["2020-01-01"]})
    >>> visits = pd.DataFrame({"patient_id": ["P1", "P1"],
    ...                        "date": ["2019-12-20", "2021-01-01"], "mrss": [22, 15]})
    >>> Cohort.from_frames(patients=patients, visits=visits).visits["day"].tolist()
    [-12, 366]
    """

    __slots__ = ("_cutoff", "_dropped", "_mapping", "_origin", "_patients", "_visits")

    _patients: pd.DataFrame
    _visits: pd.DataFrame
    _dropped: pd.DataFrame
    _cutoff: dt.date | None
    _origin: str

    def __init__(
        self,
        *,
        visits: pd.DataFrame,
        patients: pd.DataFrame | None = None,
        require_sorted: bool = False,
        mapping: MappingLike | None = None,
        drop_invalid: bool = False,
    ) -> None:
        column_mapping = None if mapping is None else ColumnMapping.coerce(mapping)
        self._patients, self._visits, self._dropped = self._validate_dropping(
            visits,
            patients,
            drop_invalid=drop_invalid,
            require_sorted=require_sorted,
            mapping=column_mapping,
        )
        self._cutoff = None if column_mapping is None else column_mapping.cutoff
        self._origin = "index" if column_mapping is None else column_mapping.origin
        self._mapping = column_mapping

    @classmethod
    def _validate_dropping(
        cls,
        visits: pd.DataFrame,
        patients: pd.DataFrame | None,
        *,
        drop_invalid: bool,
        **options: Any,
    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """:meth:`_validate`; with ``drop_invalid``, failing cells blanked (visits that cannot
        be placed removed) and checked again until the frames pass or a problem is left
        that blanking cannot remove. Also returns what was dropped."""
        if not isinstance(drop_invalid, bool):
            raise SchemaError(f"drop_invalid = {drop_invalid!r} must be True or False")
        dropped: list[pd.DataFrame] = []
        source_columns = options.get("mapping") is not None
        while True:
            try:
                p, v = cls._validate(visits, patients, **options)
            except SSCOutcomesError as exc:
                cases = exc.failure_cases
                if (
                    not drop_invalid
                    or exc.messages
                    or cases is None
                    or not len(cases)
                    or len(dropped) >= 3  # patients, visits, what blanking revealed: no more
                ):
                    raise
                kind: Literal["visits", "patients"] = (
                    "patients" if exc.frame is not None and "patients" in exc.frame else "visits"
                )
                if kind == "patients" and patients is not None:
                    patients = blank_failing_cells(
                        patients, cases, frame="patients", source_columns=source_columns
                    )
                else:
                    visits = blank_failing_cells(
                        visits, cases, frame="visits", source_columns=source_columns
                    )
                row = "the visit" if kind == "visits" else "the patient"
                dropped.append(
                    cases.assign(
                        frame=kind,
                        action=np.where(
                            removes_row(cases["column"], kind), f"removed {row}", "blanked the cell"
                        ),
                    )
                )
                continue
            break
        table = pd.concat(dropped, ignore_index=True) if dropped else _NOTHING_DROPPED
        if dropped:
            action = table["action"]
            removed_visits = table.loc[action == "removed the visit", "row"].nunique()
            removed_patients = table.loc[action == "removed the patient", "row"].nunique()
            patients_text = (
                f", {removed_patients} patient(s) without a valid patient_id"
                if removed_patients
                else ""
            )
            warnings.warn(
                f"drop_invalid: blanked {int((action == 'blanked the cell').sum())} invalid "
                f"cell(s) and removed {removed_visits} visit(s) without a valid patient or "
                f"time{patients_text}; Cohort.dropped lists them row by row",
                SSCOutcomesWarning,
                stacklevel=4,
            )
        return p, v, table

    @staticmethod
    def _validate(
        visits: pd.DataFrame,
        patients: pd.DataFrame | None,
        *,
        require_sorted: bool,
        what_visits: str = "visits frame",
        what_patients: str = "patients frame",
        mapping: ColumnMapping | None = None,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        visits, patients = as_pandas(visits), as_pandas(patients)  # polars, pyarrow
        if not isinstance(visits, pd.DataFrame):
            raise SchemaError(f"visits must be a pandas DataFrame; got {type(visits).__name__}")
        if patients is not None and not isinstance(patients, pd.DataFrame):
            raise SchemaError(
                f"patients must be a pandas DataFrame or None; got {type(patients).__name__}"
            )
        date_format = origin = None
        visit_sources: dict[str, str] | None = None
        patient_sources: dict[str, str] | None = None
        if mapping is not None:
            visits, patients, visit_sources, patient_sources = mapping.apply(visits, patients)
            date_format, origin = mapping.date_format, mapping.date_origin
        if patients is None:
            canonical_patients = validate_patients(_minimal_patients(visits))
        else:
            collector = FailureCollector(patients)
            if patient_sources is not None:
                collector.name_sources(patient_sources)
            canonical = _patient_checks(
                patients, collector, what_patients, date_format=date_format, origin=origin
            )
            collector.raise_if_failed(what_patients)
            canonical_patients = _assemble(patients, canonical)
        collector = FailureCollector(visits)
        if visit_sources is not None:
            collector.name_sources(visit_sources, visit_sources.get("date", "date"))
        canonical = _visit_checks(
            visits,
            collector,
            require_sorted=require_sorted,
            patients=canonical_patients,
            what=what_visits,
            date_format=date_format,
            origin=origin,
        )
        collector.raise_if_failed(what_visits)
        out = _assemble(visits, canonical)
        if "day" not in visits.columns:
            columns = [c for c in out.columns if c != "day"]
            columns.insert(columns.index("patient_id") + 1, "day")
            out = out[columns]
        return canonical_patients, out

    # ----------------------------------------------------------------------------------
    # constructors
    # ----------------------------------------------------------------------------------
    @classmethod
    def from_frames(
        cls,
        *,
        visits: pd.DataFrame,
        patients: pd.DataFrame | None = None,
        require_sorted: bool = False,
        mapping: MappingLike | None = None,
        drop_invalid: bool = False,
    ) -> Cohort:
        """A cohort from a visits frame and (optionally) a patients frame.

        See :class:`Cohort` for the parameters and the checks. ``mapping`` (a
        :class:`~sscoutcomes.cohort.mapping.ColumnMapping`, a dict or the path of a TOML
        file) renames and re-codes the frames' own column names, codes and date format to
        the canonical ones first.

        Examples
        --------
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> patients = pd.DataFrame({"patient_id": ["P1", "P2"], "sex": ["female", "male"]})
        >>> visits = pd.DataFrame({"patient_id": ["P1", "P3"], "day": [0, 0]})
        >>> Cohort.from_frames(patients=patients, visits=visits)
        Traceback (most recent call last):
        ...
        sscoutcomes.errors.SchemaError: 1 problem(s) in the visits frame:
          row 1 (patient 'P3', day 0): patient_id = 'P3' is not in the patients frame
        """
        return cls(
            visits=visits,
            patients=patients,
            require_sorted=require_sorted,
            mapping=mapping,
            drop_invalid=drop_invalid,
        )

    @classmethod
    def from_patients(cls, patients: Iterable[Patient]) -> Cohort:
        """A cohort from :class:`~sscoutcomes.cohort.patient.Patient` objects.

        The frames list patients in the order given and each patient's visits by day.
        Columns: the canonical columns that at least one object records (in schema order),
        then the ``extra`` columns in order of first appearance.

        Raises
        ------
        SchemaError
            Two patients with the same id, or something that is not a ``Patient``.

        Examples
        --------
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> from sscoutcomes.cohort.patient import Patient, Visit
        >>> cohort = Cohort.from_patients([
        ...     Patient(id="P1", sex="female", visits=[Visit(day=0, crp_mg_l=2.0)]),
        ...     Patient(id="P2", visits=[Visit(day=0, extra={"site": "B"})]),
        ... ])
        >>> cohort.visits
          patient_id  day  crp_mg_l site
        0         P1    0       2.0  NaN
        1         P2    0       NaN    B
        >>> cohort.patients() == [
        ...     Patient(id="P1", sex="female", visits=[Visit(day=0, crp_mg_l=2.0)]),
        ...     Patient(id="P2", visits=[Visit(day=0, extra={"site": "B"})])]
        True
        """
        if isinstance(patients, (str, Mapping)) or not isinstance(patients, Iterable):
            raise SchemaError(f"patients = {patients!r:.80} is not a list of Patient objects")
        people = list(patients)
        seen: set[str] = set()
        for p in people:
            if not isinstance(p, Patient):
                raise SchemaError(f"from_patients takes Patient objects; got {p!r}")
            if p.id in seen:
                raise SchemaError(f"patient id {p.id!r} appears more than once")
            seen.add(p.id)
        patient_records = [p.to_record() for p in people]
        visit_records = [{"patient_id": p.id, **v.to_record()} for p in people for v in p.visits]
        if not patient_records:
            patient_records_frame = pd.DataFrame({"patient_id": pd.Series([], dtype="string")})
        else:
            patient_records_frame = _frame_from_records(
                patient_records, _PATIENT_ORDER, ("patient_id",)
            )
        if not visit_records:
            visits_frame = pd.DataFrame(
                {"patient_id": pd.Series([], dtype="string"), "day": pd.Series([], dtype="Int64")}
            )
        else:
            visits_frame = _frame_from_records(visit_records, _VISIT_ORDER, ("patient_id", "day"))
        return cls(visits=visits_frame, patients=patient_records_frame)

    @property
    def cutoff(self) -> dt.date | None:
        """The data cut-off date declared by the column mapping (``None`` when not given).

        Examples
        --------
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> visits = pd.DataFrame({"patient_id": ["a"], "day": [0]})
        >>> Cohort.from_frames(visits=visits, mapping={"cutoff": "2024-06-30"}).cutoff
        datetime.date(2024, 6, 30)
        """
        return self._cutoff

    @property
    def mapping(self) -> ColumnMapping | None:
        """The column mapping the cohort was read with (``None`` for canonical frames); the
        report's header names it.

        Examples
        --------
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> visits = pd.DataFrame({"ID": ["a"], "day": [0]})
        >>> mapping = {"columns": {"ID": "patient_id"}}
        >>> Cohort.from_frames(visits=visits, mapping=mapping).mapping.to_dict()
        {'columns': {'ID': 'patient_id'}}
        """
        return self._mapping

    @property
    def dropped(self) -> pd.DataFrame:
        """What ``drop_invalid=True`` dropped, one row per failing cell: the columns of
        :attr:`~sscoutcomes.errors.SSCOutcomesError.failure_cases` (``row`` is the row of the
        frame as given, ``column`` the canonical name, ``source_column`` the name a mapping
        renamed), ``frame`` (``"visits"`` or ``"patients"``) and ``action`` (``"blanked the
        cell"``; ``"removed the visit"`` when its ``patient_id``, ``day`` or ``date``
        failed; ``"removed the patient"`` when a patient's ``patient_id`` failed, e.g. a
        repeated id). Empty when nothing was dropped.

        Examples
        --------
        >>> import warnings
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> visits = pd.DataFrame({"patient_id": ["a", "a", "a"], "day": [0, 365, None],
        ...                        "mrss": [18, 60, 12]})
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     cohort = Cohort.from_frames(visits=visits, drop_invalid=True)
        >>> cohort.visits["mrss"].tolist()
        [18, <NA>]
        >>> print(cohort.dropped[["row", "column", "value", "action"]].to_string(index=False))
        row column value            action
          1   mrss  60.0  blanked the cell
          2    day   NaN removed the visit
        """
        return self._dropped.copy()

    @property
    def origin(self) -> str:
        """The time origin of survival declared by the column mapping -- ``"index"`` (the
        default: the index date, day 0), ``"diagnosis"`` or ``"onset"``.

        Examples
        --------
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> visits = pd.DataFrame({"patient_id": ["a"], "day": [0]})
        >>> Cohort.from_frames(visits=visits).origin
        'index'
        """
        return self._origin

    # ----------------------------------------------------------------------------------
    # views and conversions
    # ----------------------------------------------------------------------------------
    @property
    def visits(self) -> pd.DataFrame:
        """The visits frame (canonical dtypes), yours to modify -- changing it never changes
        the cohort.

        Under pandas copy-on-write (always on in pandas 3; opt-in on pandas 2.2 with
        ``pd.options.mode.copy_on_write = True``) this is a shallow copy that shares the
        cohort's data until either side writes, so reading it costs no copy. On pandas 2.x
        without copy-on-write a shallow copy would pass writes through to the cohort, so it
        is a deep copy there.
        """
        return _detached(self._visits)

    @property
    def patients_frame(self) -> pd.DataFrame:
        """The patients frame (canonical dtypes), yours to modify; copied as
        :attr:`visits` is."""
        return _detached(self._patients)

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The ``(patients, visits)`` frames, yours to modify; copied as :attr:`visits` is.

        Examples
        --------
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> patients, visits = Cohort.from_frames(
        ...     visits=pd.DataFrame({"patient_id": ["a"], "day": [0]})).to_frames()
        >>> patients.columns.tolist(), visits.columns.tolist()
        (['patient_id'], ['patient_id', 'day'])
        """
        return _detached(self._patients), _detached(self._visits)

    def patients(self) -> list[Patient]:
        """The cohort as :class:`~sscoutcomes.cohort.patient.Patient` objects, in the order
        of the patients frame, each with its visits sorted by day.

        Raises
        ------
        SchemaError
            Rows that no :class:`~sscoutcomes.cohort.patient.Visit` can hold without loss;
            every such row is listed in ``failure_cases``. (The frame checks refuse what the
            objects refuse, so a validated cohort has none.)

        Examples
        --------
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> visits = pd.DataFrame({"patient_id": ["a", "a"], "day": [365, 0],
        ...                        "mrss": [10, 16]})
        >>> [(v.day, v.skin.total) for v in Cohort.from_frames(visits=visits).patients()[0].visits]
        [(0, 16), (365, 10)]
        """
        visits = self._visits
        columns = list(visits.columns)
        values = [visits[c].tolist() for c in columns]
        by_patient: dict[str, list[Visit]] = {}
        collector = FailureCollector(visits)
        for i in range(len(visits)):
            record = {c: v[i] for c, v in zip(columns, values, strict=True)}
            try:
                visit = Visit.from_record(record)
            except SSCOutcomesError as exc:
                mask = np.zeros(len(visits), dtype=bool)
                mask[i] = True
                collector.add(mask, "", [None] * len(visits), str(exc), schema=True)
                continue
            by_patient.setdefault(str(record["patient_id"]), []).append(visit)
        collector.raise_if_failed("visits frame (while building Visit objects)")
        people = self._patients
        pcolumns = list(people.columns)
        pvalues = [people[c].tolist() for c in pcolumns]
        out: list[Patient] = []
        for i in range(len(people)):
            record = {c: v[i] for c, v in zip(pcolumns, pvalues, strict=True)}
            out.append(Patient.from_record(record, by_patient.get(str(record["patient_id"]), ())))
        return out

    # ----------------------------------------------------------------------------------
    # files
    # ----------------------------------------------------------------------------------
    @classmethod
    def read_csv(
        cls,
        visits: PathLike,
        patients: PathLike | None = None,
        *,
        mapping: MappingLike | None = None,
        visits_options: Mapping[str, Any] | None = None,
        patients_options: Mapping[str, Any] | None = None,
        require_sorted: bool = False,
        drop_invalid: bool = False,
        **read_csv_kwargs: Any,
    ) -> Cohort:
        """Read a cohort from a visits CSV file and (optionally) a patients CSV file.

        ``patient_id`` is read as text (``007`` stays ``007``), also under its source name
        when a ``mapping`` renames it.

        Parameters
        ----------
        visits, patients : str or path
            The files.
        mapping : ColumnMapping, dict or path, optional
            The export's own column names, codes and date format
            (:class:`~sscoutcomes.cohort.mapping.ColumnMapping`).
        visits_options, patients_options : mapping, optional
            Keyword arguments for :func:`pandas.read_csv` of one file (e.g.
            ``{"sep": ";"}``); other keyword arguments go to both files.
        require_sorted, drop_invalid : bool, default False
            As for :class:`Cohort`.

        Raises
        ------
        SchemaError
            A file that cannot be parsed, or any schema problem; the message names the file
            and lists every failing cell (``failure_cases``: ``row`` counts data rows from
            0 as :func:`pandas.read_csv` does, so the file line is ``row + 2``).
        OutOfRangeError
            When every failure is a value outside its range.
        FileNotFoundError
            A path that does not exist.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "visits.csv").write_text("patient_id,day,mrss\\n007,0,20\\n007,365,51\\n")
        >>> Cohort.read_csv(folder / "visits.csv").visits["patient_id"].tolist()
        ['007', '007']
        >>> _ = (folder / "bad.csv").write_text("patient_id,day,mrss\\n007,0,20\\n007,x,52\\n")
        >>> Cohort.read_csv(folder / "bad.csv")
        Traceback (most recent call last):
        ...
        sscoutcomes.errors.SchemaError: 2 problem(s) in the visits file 'bad.csv' (rows count ...):
          row 1 (patient '007', day 'x'): day = 'x' is not a number of days
          row 1 (patient '007', day 'x'): mrss = 52.0 is outside 0..51

        A registry's own names and dates, through a mapping:

        >>> _ = (folder / "export.csv").write_text(
        ...     "Patient ID;Visit date;mRSS\\n007;03/04/2021;20\\n")
        >>> Cohort.read_csv(folder / "export.csv", visits_options={"sep": ";"}, mapping={
        ...     "columns": {"Patient ID": "patient_id", "Visit date": "date", "mRSS": "mrss"},
        ...     "index": "first_visit", "date_format": "%d/%m/%Y"}).visits
          patient_id  day       date  mrss
        0        007    0 2021-04-03    20
        """
        column_mapping = None if mapping is None else ColumnMapping.coerce(mapping)
        ids = _id_dtypes(column_mapping)
        visits_frame = _read_csv(visits, {**read_csv_kwargs, **(visits_options or {})}, ids)
        patients_frame = (
            None
            if patients is None
            else _read_csv(patients, {**read_csv_kwargs, **(patients_options or {})}, ids)
        )
        return cls._from_files(
            visits_frame,
            patients_frame,
            visits,
            patients,
            require_sorted=require_sorted,
            drop_invalid=drop_invalid,
            mapping=column_mapping,
        )

    @classmethod
    def _from_files(
        cls,
        visits_frame: pd.DataFrame,
        patients_frame: pd.DataFrame | None,
        visits: PathLike,
        patients: PathLike | None,
        *,
        require_sorted: bool,
        mapping: ColumnMapping | None,
        drop_invalid: bool = False,
        sheets: tuple[str, str] = ("", ""),
    ) -> Cohort:
        p, v, dropped = cls._validate_dropping(
            visits_frame,
            patients_frame,
            drop_invalid=drop_invalid,
            require_sorted=require_sorted,
            what_visits=f"visits file {Path(visits).name!r}{sheets[0]} ({_CSV_ROWS})",
            what_patients=(
                "patients frame"
                if patients is None
                else f"patients file {Path(patients).name!r}{sheets[1]} ({_CSV_ROWS})"
            ),
            mapping=mapping,
        )
        if mapping is None:
            return cls._from_canonical(p, v, dropped=dropped)
        return cls._from_canonical(
            p, v, mapping.cutoff, mapping.origin, dropped=dropped, mapping=mapping
        )

    @classmethod
    def read_excel(
        cls,
        visits: PathLike,
        patients: PathLike | None = None,
        *,
        mapping: MappingLike | None = None,
        visits_sheet: str | int = 0,
        patients_sheet: str | int | None = None,
        visits_options: Mapping[str, Any] | None = None,
        patients_options: Mapping[str, Any] | None = None,
        require_sorted: bool = False,
        drop_invalid: bool = False,
    ) -> Cohort:
        """Read a cohort from xlsx workbooks (needs openpyxl: ``sscoutcomes[excel]``).

        Parameters
        ----------
        visits, patients : str or path
            The workbooks. Without ``patients`` but with a ``patients_sheet``, the patients
            are read from that sheet of the visits workbook.
        mapping : ColumnMapping, dict or path, optional
            As for :meth:`read_csv`.
        visits_sheet, patients_sheet : str or int
            Sheet names or positions (default: the first sheet).
        visits_options, patients_options : mapping, optional
            Keyword arguments for :func:`pandas.read_excel` of one sheet.
        require_sorted, drop_invalid : bool, default False
            As for :class:`Cohort`.

        Raises
        ------
        SchemaError
            openpyxl is not installed (the message says ``pip install
            "sscoutcomes[excel]"``), a file that is not a workbook, a missing sheet, or any
            schema problem (``row`` counts data rows from 0: the sheet row is ``row + 2``).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.xlsx"
        >>> sheet = pd.DataFrame({"ID": ["007"], "Day": [0]})
        >>> sheet.to_excel(path, sheet_name="Visits", index=False)  # doctest: +SKIP
        >>> mapping = {"columns": {"ID": "patient_id", "Day": "day"}}
        >>> Cohort.read_excel(path, visits_sheet="Visits", mapping=mapping)  # doctest: +SKIP
        Cohort(1 patients, 1 visits)
        """
        if importlib.util.find_spec("openpyxl") is None:
            raise SchemaError(
                "Cohort.read_excel needs the optional dependency openpyxl; install it with "
                'pip install "sscoutcomes[excel]" (or pip install openpyxl)'
            )
        column_mapping = None if mapping is None else ColumnMapping.coerce(mapping)
        ids = _id_dtypes(column_mapping)
        visits_frame = _read_excel(visits, visits_sheet, visits_options, ids)
        patients_path = patients
        patients_frame = None
        if patients is not None or patients_sheet is not None:
            patients_path = visits if patients is None else patients
            patients_frame = _read_excel(
                patients_path,
                0 if patients_sheet is None else patients_sheet,
                patients_options,
                ids,
            )
        return cls._from_files(
            visits_frame,
            patients_frame,
            visits,
            patients_path,
            require_sorted=require_sorted,
            drop_invalid=drop_invalid,
            mapping=column_mapping,
            sheets=(
                f" sheet {visits_sheet!r}",
                f" sheet {0 if patients_sheet is None else patients_sheet!r}",
            ),
        )

    def to_csv(self, visits_path: PathLike, patients_path: PathLike) -> None:
        """Write the visits and patients frames as CSV files (dates as ISO 8601, no index).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.cohort import Cohort
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> c = Cohort.from_frames(visits=pd.DataFrame({"patient_id": ["a"], "day": [0]}))
        >>> c.to_csv(folder / "v.csv", folder / "p.csv")
        >>> Cohort.read_csv(folder / "v.csv", folder / "p.csv").visits.equals(c.visits)
        True
        """
        self._visits.to_csv(visits_path, index=False, date_format="%Y-%m-%d")
        self._patients.to_csv(patients_path, index=False, date_format="%Y-%m-%d")

    @classmethod
    def read_parquet(
        cls,
        visits_path: PathLike,
        patients_path: PathLike | None = None,
        *,
        require_sorted: bool = False,
        drop_invalid: bool = False,
        mapping: MappingLike | None = None,
    ) -> Cohort:
        """Read a cohort from Parquet files (needs pyarrow: ``sscoutcomes[parquet]``).

        ``mapping`` renames and re-codes the files' own names and codes as in
        :meth:`read_csv`; ``require_sorted`` and ``drop_invalid`` are as for
        :class:`Cohort`.

        Raises
        ------
        ImportError
            pyarrow is not installed.
        SchemaError, OutOfRangeError
            As for :meth:`from_frames`.
        """
        _require_pyarrow("read_parquet")
        visits = _nan_for_none(pd.read_parquet(visits_path, engine="pyarrow"))
        patients = (
            None
            if patients_path is None
            else _nan_for_none(pd.read_parquet(patients_path, engine="pyarrow"))
        )
        return cls(
            visits=visits,
            patients=patients,
            require_sorted=require_sorted,
            mapping=mapping,
            drop_invalid=drop_invalid,
        )

    def to_parquet(self, visits_path: PathLike, patients_path: PathLike) -> None:
        """Write the visits and patients frames as Parquet files (needs pyarrow).

        Canonical dtypes and the index survive the round trip through
        :meth:`read_parquet`.

        Raises
        ------
        ImportError
            pyarrow is not installed.
        """
        _require_pyarrow("to_parquet")
        self._visits.to_parquet(visits_path, engine="pyarrow")
        self._patients.to_parquet(patients_path, engine="pyarrow")

    @classmethod
    def _from_canonical(
        cls,
        patients: pd.DataFrame,
        visits: pd.DataFrame,
        cutoff: dt.date | None = None,
        origin: str = "index",
        dropped: pd.DataFrame | None = None,
        mapping: ColumnMapping | None = None,
    ) -> Cohort:
        new = cls.__new__(cls)
        new._patients, new._visits, new._cutoff = patients, visits, cutoff
        new._origin = origin
        new._dropped = _NOTHING_DROPPED if dropped is None else dropped
        new._mapping = mapping
        return new

    # ----------------------------------------------------------------------------------
    # dunder
    # ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        """Number of patients."""
        return len(self._patients)

    def __repr__(self) -> str:
        return f"Cohort({len(self._patients)} patients, {len(self._visits)} visits)"

    def _repr_html_(self) -> str:
        head = self._visits.head(10).to_html(max_cols=12, na_rep="")
        return (
            f"<div><p><strong>{html.escape(repr(self))}</strong> &mdash; "
            f"{self._visits.shape[1]} visit columns, {self._patients.shape[1]} patient "
            f"columns</p>{head}</div>"
        )


def _copy_on_write() -> bool:
    """Whether pandas copies on write (pandas 3 always; pandas 2.x when the option is True,
    not when it is False or "warn")."""
    if int(pd.__version__.split(".", 1)[0]) >= 3:
        return True
    return pd.get_option("mode.copy_on_write") is True


def _detached(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for a caller to modify without changing the original: a shallow copy under
    copy-on-write (no data copied until a write), a deep copy otherwise."""
    return frame.copy(deep=not _copy_on_write())


def _id_dtypes(mapping: ColumnMapping | None) -> dict[str, str]:
    """``patient_id`` (and its source name) as text."""
    ids = {"patient_id": "string"}
    if mapping is not None:
        ids[mapping.source_of("patient_id")] = "string"
    return ids


def _with_ids(kwargs: Mapping[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    options = dict(kwargs)
    dtype = options.get("dtype")
    if dtype is None or isinstance(dtype, Mapping):
        options["dtype"] = {**(dtype or {}), **ids}
    return options


def _read_excel(
    path: PathLike, sheet: str | int, kwargs: Mapping[str, Any] | None, ids: dict[str, str]
) -> pd.DataFrame:
    options = _with_ids(kwargs or {}, ids)
    try:
        frame = pd.read_excel(path, sheet_name=sheet, engine="openpyxl", **options)
    except FileNotFoundError:
        raise
    except zipfile.BadZipFile as exc:  # openpyxl: not an xlsx workbook (a zip archive)
        raise SchemaError(
            f"cannot read {os.fspath(path)!r} as an xlsx workbook: {exc} (read_excel takes "
            ".xlsx files; use read_csv for text)"
        ) from exc
    except (ValueError, KeyError, OSError) as exc:
        raise SchemaError(f"cannot read sheet {sheet!r} of {os.fspath(path)!r}: {exc}") from exc
    if not isinstance(frame, pd.DataFrame):
        raise SchemaError(
            f"sheet {sheet!r} of {os.fspath(path)!r} is not one sheet; give one sheet name "
            "(str) or position (int)"
        )
    return frame


def _read_csv(path: PathLike, kwargs: Mapping[str, Any], ids: dict[str, str]) -> pd.DataFrame:
    options = _with_ids(kwargs, ids)
    try:
        frame: pd.DataFrame = pd.read_csv(path, **options)
    except FileNotFoundError:
        raise
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read {os.fspath(path)!r} as CSV: {exc}") from exc
    return frame


def _require_pyarrow(what: str) -> None:
    if importlib.util.find_spec("pyarrow") is None:
        raise ImportError(
            f"Cohort.{what} needs the optional dependency pyarrow; install it with "
            "pip install 'sscoutcomes[parquet]' (or pip install pyarrow)"
        )


def _nan_for_none(frame: pd.DataFrame) -> pd.DataFrame:
    """A missing value of an object (text) column as NaN, as every other reader gives it.

    With pandas 2.x, Parquet gives a pass-through text column's missing value back as
    ``None`` where the frame written had NaN (pandas 3's ``str`` dtype has NaN both ways).
    """
    objects = [c for c in frame.columns if frame[c].dtype == object]
    if not objects:
        return frame
    out = frame.copy()
    for c in objects:
        out[c] = out[c].where(out[c].notna(), np.nan)
    return out
