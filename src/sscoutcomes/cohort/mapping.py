"""A registry export's column names, codes and date format, declared once.

Registries and trials deliver their own column names (``Patient ID``, ``Visit date``,
``mRSS``), their own codes (``F``/``M``, ``lcSSc``/``dcSSc``, ``Y``/``N``) and dates as
``dd/mm/yyyy``. A :class:`ColumnMapping` says, once, how such an export maps to the canonical
columns of :mod:`sscoutcomes.cohort.schema`; :meth:`Cohort.read_csv
<sscoutcomes.cohort.cohort.Cohort.read_csv>`, :meth:`~sscoutcomes.cohort.cohort.Cohort.read_excel`,
:meth:`~sscoutcomes.cohort.cohort.Cohort.read_parquet` and
:meth:`~sscoutcomes.cohort.cohort.Cohort.from_frames` take it as ``mapping=``. A mapping is
a dict or a TOML file of the same shape:

.. code-block:: toml

    date_format = "%d/%m/%Y"     # strftime; ISO 8601 when absent
    index = "SCT date"           # a patients date column, or "first_visit"
    cutoff = 2024-06-30          # the data cut-off, kept as cohort.cutoff

    [columns]                    # source name -> canonical name
    "Patient ID" = "patient_id"
    "Visit date" = "date"
    "mRSS" = "mrss"

    [values.subset]              # canonical column -> {source code -> canonical value}
    "LC" = "limited"
    "DC" = "diffuse"

Keys: ``columns``, ``values``, ``date_format``, ``index``, ``cutoff``, ``origin`` (the
time origin of survival: ``"index"``, the default, ``"diagnosis"`` or ``"onset"``) and
``date_origin`` (the day 0 of dates written as numbers, e.g. ``1899-12-30`` for spreadsheet
serial numbers).
Errors found while reading mapped data name the source columns as written (the
``source_column`` of ``failure_cases``) and the visit date as written.

Examples
--------
>>> import pandas as pd
>>> from sscoutcomes.cohort.cohort import Cohort
>>> from sscoutcomes.cohort.mapping import ColumnMapping
>>> mapping = ColumnMapping.from_dict({
...     "columns": {"Patient ID": "patient_id", "Visit date": "date", "mRSS": "mrss",
...                 "SCT date": "index_date"},
...     "date_format": "%d/%m/%Y"})
>>> patients = pd.DataFrame({"Patient ID": ["007"], "SCT date": ["01/02/2020"]})
>>> visits = pd.DataFrame({"Patient ID": ["007", "007"],
...                        "Visit date": ["25/01/2020", "01/02/2021"], "mRSS": [22, 14]})
>>> cohort = Cohort.from_frames(visits=visits, patients=patients, mapping=mapping)
>>> cohort.visits[["patient_id", "day", "mrss"]]
  patient_id  day  mrss
0        007   -7    22
1        007  366    14
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import types
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, TypeAlias

import attrs
import numpy as np
import pandas as pd

from .._validation import did_you_mean
from ..errors import SchemaError
from .schema import PATIENT_COLUMNS, column_spec, visit_columns

__all__ = ["MAPPING_KEYS", "ColumnMapping", "MappingLike"]

#: The keys of a mapping (dict or TOML file).
MAPPING_KEYS: Final[tuple[str, ...]] = (
    "columns",
    "values",
    "date_format",
    "index",
    "cutoff",
    "origin",
    "date_origin",
)
#: The time origins of survival a mapping may name: the index date (day 0), the diagnosis
#: date or the onset date (first non-Raynaud manifestation).
SURVIVAL_ORIGINS: Final[tuple[str, ...]] = ("index", "diagnosis", "onset")

#: What ``mapping=`` takes: a :class:`ColumnMapping`, a dict, or the path of a TOML file.
MappingLike: TypeAlias = "ColumnMapping | Mapping[str, Any] | str | os.PathLike[str]"

_FIRST_VISIT: Final = "first_visit"


def _canonical_names() -> dict[str, str]:
    """Every canonical column name -> the frame it belongs to (``visits``/``patients``;
    ``patient_id`` is in both)."""
    names = {c.name: "visits" for c in visit_columns()}
    for c in PATIENT_COLUMNS:
        names[c.name] = "both" if c.name in names else "patients"
    return names


def _as_table(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise SchemaError(
            f"mapping key {key!r} must be a table of names; got {type(value).__name__}"
        )
    return dict(value)


def _to_date(value: Any, key: str) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise SchemaError(f"mapping {key} = {value!r} is not a date (use ISO 8601, e.g. 2024-06-30)")


def _freeze_columns(value: Any) -> Mapping[str, str]:
    return types.MappingProxyType(_as_table(value, "columns"))


def _freeze_values(value: Any) -> Mapping[str, Mapping[str, Any]]:
    table = _as_table(value, "values")
    return types.MappingProxyType(
        {
            column: types.MappingProxyType(_as_table(codes, f"values.{column}"))
            for column, codes in table.items()
        }
    )


def _cutoff(value: Any) -> dt.date | None:
    return _to_date(value, "cutoff")


def _origin(value: Any) -> dt.date | None:
    return _to_date(value, "date_origin")


def _date_format_problem(fmt: Any) -> str | None:
    if not isinstance(fmt, str) or not fmt.strip():
        return f"date_format = {fmt!r} must be a strftime format such as '%d/%m/%Y'"
    sample = dt.date(2021, 11, 23)
    try:
        text = sample.strftime(fmt)
        with warnings.catch_warnings():
            # Python 3.13 warns on a day of month without a year: the very case reported
            # below as "does not give a whole date"
            warnings.simplefilter("ignore", DeprecationWarning)
            back = dt.datetime.strptime(text, fmt).date()
    except ValueError as exc:
        return f"date_format = {fmt!r} is not a valid strftime format ({exc})"
    if back != sample:
        return (
            f"date_format = {fmt!r} does not give a whole date (it reads {text!r} back as "
            f"{back.isoformat()}); it needs a day, a month and a year, e.g. '%d/%m/%Y'"
        )
    return None


def _frozen(value: Any) -> Any:
    """A hashable, order-free form of a :meth:`ColumnMapping.to_dict` value."""
    if isinstance(value, Mapping):
        return frozenset((k, _frozen(v)) for k, v in value.items())
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def _cell_key(value: Any) -> str | None:
    """The text a code table matches a cell by (whole floats without ``.0``)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


@attrs.frozen(kw_only=True, eq=False)
class ColumnMapping:
    """How a registry export maps to the canonical columns: names, codes, date format.

    Build one with :meth:`from_dict` or :meth:`from_toml` (or directly with the keywords
    below); it validates itself when built.

    Parameters
    ----------
    columns : mapping of str to str
        Source column name (as written in the export) -> canonical column name.
    values : mapping of str to mapping
        Canonical column -> {source code -> canonical value}. Codes are matched on the
        trimmed text of a cell (exactly, then ignoring case); an empty string as the
        value means missing. Common codes (F/M, lcSSc/dcSSc, Y/N, pos/neg) need no entry.
    date_format : str, optional
        strftime format of the dates written as text (e.g. ``"%d/%m/%Y"``); ISO 8601
        when absent.
    index : str, optional
        The patients column holding each patient's index date (day 0), as written or its
        canonical name, or ``"first_visit"``: the date of each patient's first visit.
    cutoff : datetime.date or str, optional
        The data cut-off date, kept as :attr:`Cohort.cutoff
        <sscoutcomes.cohort.cohort.Cohort.cutoff>`.
    origin : {"index", "diagnosis", "onset"}
        The time origin of survival (default ``"index"``): times to death or last contact
        count from the index date, the diagnosis date or the onset date (kept as
        :attr:`Cohort.origin <sscoutcomes.cohort.cohort.Cohort.origin>`).
    date_origin : datetime.date or str, optional
        Day 0 of dates written as numbers of days (``1899-12-30`` for spreadsheet serial
        numbers); text in the same column is still read with ``date_format``. Without it
        numbers in date columns are not dates (the error says so).

    Raises
    ------
    SchemaError
        A target that is not a canonical column (the closest name is suggested), two
        sources for one target, a ``values`` column that is not canonical or a code whose
        value is not one the column allows, a date format that does not give a whole date,
        a date that is not a date. Every problem is listed in one error.

    Examples
    --------
    >>> from sscoutcomes.cohort.mapping import ColumnMapping
    >>> m = ColumnMapping.from_dict({"columns": {"Patient ID": "patient_id", "mRSS": "mrss"},
    ...                              "date_format": "%d/%m/%Y"})
    >>> m.source_of("mrss")
    'mRSS'
    >>> ColumnMapping.from_dict({"columns": {"CRP": "crp_mg_dl", "ID": "patient_id",
    ...                                      "Pat": "patient_id"}})
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.SchemaError: 2 problem(s) in the column mapping:
      columns: 'CRP' -> 'crp_mg_dl' is not a canonical column (did you mean 'crp_mg_l'?)
      columns: 'ID' and 'Pat' both map to 'patient_id'; map one source to each column
    """

    columns: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze_columns)
    values: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, converter=_freeze_values)
    date_format: str | None = None
    index: str | None = None
    cutoff: dt.date | None = attrs.field(default=None, converter=_cutoff)
    origin: str = "index"
    date_origin: dt.date | None = attrs.field(default=None, converter=_origin)
    source: str = "column mapping"

    def __attrs_post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise SchemaError(
                f"{len(problems)} problem(s) in the {self.source}:\n  " + "\n  ".join(problems)
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ColumnMapping):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        # order-free, as __eq__ is: equal mappings whose tables were written in another
        # order hash alike
        return hash(_frozen(self.to_dict()))

    def _problems(self) -> list[str]:
        canonical = _canonical_names()
        known = sorted(canonical)
        problems: list[str] = []
        if not isinstance(self.origin, str) or self.origin not in SURVIVAL_ORIGINS:
            problems.append(
                f"origin = {self.origin!r} is not one of {', '.join(SURVIVAL_ORIGINS)} "
                "(the time origin of survival; dates written as numbers take date_origin)"
            )
        by_target: dict[str, list[str]] = {}
        pairs: list[tuple[Any, Any]] = list(self.columns.items())  # from TOML: any type
        for source, target in pairs:
            if not isinstance(source, str) or not isinstance(target, str):
                problems.append(f"columns: {source!r} -> {target!r} must map text to text")
                continue
            if target not in canonical:
                problems.append(
                    f"columns: {source!r} -> {target!r} is not a canonical column"
                    f"{did_you_mean(target, known)}"
                )
                continue
            by_target.setdefault(target, []).append(source)
        for target, sources in by_target.items():
            if len(sources) > 1:
                both = " and ".join(map(repr, sources))
                problems.append(
                    f"columns: {both} both map to {target!r}; map one source to each column"
                )
        for column, codes in self.values.items():
            if column not in canonical:
                problems.append(
                    f"values: {column!r} is not a canonical column{did_you_mean(column, known)}"
                )
                continue
            spec = column_spec(column, "patients" if canonical[column] == "patients" else "visits")
            for code, value in codes.items():
                problem = _value_problem(spec.dtype, spec.categories, value)
                if problem:
                    problems.append(f"values.{column}: {code!r} -> {value!r} {problem}")
        if self.date_format is not None:
            problem = _date_format_problem(self.date_format)
            if problem:
                problems.append(problem)
        if self.index is not None and (not isinstance(self.index, str) or not self.index.strip()):
            problems.append(
                f"index = {self.index!r} must be a patients column name or 'first_visit'"
            )
        return problems

    # ----------------------------------------------------------------------------------
    # constructors
    # ----------------------------------------------------------------------------------
    @classmethod
    def from_dict(
        cls, mapping: Mapping[str, Any], *, source: str = "column mapping"
    ) -> ColumnMapping:
        """A mapping from a dict with the keys of :data:`MAPPING_KEYS`.

        Raises
        ------
        SchemaError
            An unknown key (the closest key is suggested), or any problem listed under
            :class:`ColumnMapping`.

        Examples
        --------
        >>> from sscoutcomes.cohort.mapping import ColumnMapping
        >>> ColumnMapping.from_dict({"colums": {"ID": "patient_id"}})
        Traceback (most recent call last):
        ...
        sscoutcomes.errors.SchemaError: unknown key(s) in the column mapping: 'colums' ...
        """
        if not isinstance(mapping, Mapping):
            raise SchemaError(
                f"a column mapping must be a dict (or a TOML file); got {type(mapping).__name__}"
            )
        unknown = [k for k in mapping if k not in MAPPING_KEYS]
        if unknown:
            parts = [f"{k!r}{did_you_mean(str(k), list(MAPPING_KEYS))}" for k in unknown]
            raise SchemaError(
                f"unknown key(s) in the {source}: {', '.join(parts)}; "
                f"allowed: {', '.join(MAPPING_KEYS)}"
            )
        return cls(
            columns=mapping.get("columns", {}),
            values=mapping.get("values", {}),
            date_format=mapping.get("date_format"),
            index=mapping.get("index"),
            cutoff=mapping.get("cutoff"),
            origin=mapping.get("origin", "index"),
            date_origin=mapping.get("date_origin"),
            source=source,
        )

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> ColumnMapping:
        """A mapping from a TOML file of the same shape as :meth:`from_dict` takes.

        Raises
        ------
        SchemaError
            A path that is not a file, a file that is not valid TOML, or any problem of
            :meth:`from_dict` (the message names the file).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from sscoutcomes.cohort.mapping import ColumnMapping
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "registry.toml"
        >>> text = 'date_format = "%d/%m/%Y"\\n[columns]\\n"Patient ID" = "patient_id"\\n'
        >>> _ = path.write_text(text)
        >>> ColumnMapping.from_toml(path).columns["Patient ID"]
        'patient_id'
        """
        name = f"column mapping {Path(path).name!r}"
        if not Path(path).is_file():
            raise SchemaError(
                f"no such mapping file: {os.fspath(path)!r} (give the path of a TOML file, "
                "or the mapping as a dict)"
            )
        with open(path, "rb") as handle:
            try:
                data = tomllib.load(handle)
            except tomllib.TOMLDecodeError as exc:
                raise SchemaError(f"cannot read the {name} as TOML: {exc}") from exc
            except UnicodeDecodeError as exc:  # TOML is UTF-8 text
                raise SchemaError(
                    f"cannot read the {name} as TOML: it is not UTF-8 text (byte "
                    f"{exc.start}: {exc.reason}); save it as UTF-8"
                ) from None
        return cls.from_dict(data, source=name)

    @classmethod
    def coerce(cls, mapping: Any) -> ColumnMapping:
        """A :class:`ColumnMapping` from a mapping, a dict or the path of a TOML file.

        Examples
        --------
        >>> from sscoutcomes.cohort.mapping import ColumnMapping
        >>> ColumnMapping.coerce({"date_format": "%d.%m.%Y"}).date_format
        '%d.%m.%Y'
        """
        if isinstance(mapping, ColumnMapping):
            return mapping
        if isinstance(mapping, (str, os.PathLike)):
            return cls.from_toml(mapping)
        return cls.from_dict(mapping)

    def to_dict(self) -> dict[str, Any]:
        """The mapping as a plain dict (the keys that are set), as :meth:`from_dict` takes.

        Examples
        --------
        >>> from sscoutcomes.cohort.mapping import ColumnMapping
        >>> ColumnMapping.from_dict({"index": "first_visit"}).to_dict()
        {'index': 'first_visit'}
        """
        out: dict[str, Any] = {}
        if self.columns:
            out["columns"] = dict(self.columns)
        if self.values:
            out["values"] = {k: dict(v) for k, v in self.values.items()}
        for key in ("date_format", "index", "cutoff", "date_origin"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.origin != "index":
            out["origin"] = self.origin
        return out

    def source_of(self, column: str) -> str:
        """The source name of a canonical column (the column itself when not renamed).

        Examples
        --------
        >>> from sscoutcomes.cohort.mapping import ColumnMapping
        >>> m = ColumnMapping.from_dict({"columns": {"FVC %pred": "fvc_pct_predicted"}})
        >>> m.source_of("fvc_pct_predicted"), m.source_of("mrss")
        ('FVC %pred', 'mrss')
        """
        for source, target in self.columns.items():
            if target == column:
                return source
        return column

    # ----------------------------------------------------------------------------------
    # applying
    # ----------------------------------------------------------------------------------
    def apply(
        self, visits: pd.DataFrame, patients: pd.DataFrame | None = None
    ) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, str], dict[str, str]]:
        """Rename and re-code a visits frame (and patients frame) to canonical names and
        codes; the dates stay as written (the schema reads them with ``date_format``).

        Returns
        -------
        tuple
            ``(visits, patients, visit_sources, patient_sources)``: new frames (the ones
            passed are not modified) and, per frame, canonical name -> source name of the
            columns that were renamed.

        Raises
        ------
        SchemaError
            A frame holding both a source column and its canonical target, an ``index``
            column the patients frame lacks, ``index = "first_visit"`` without visit dates
            or together with an ``index_date`` column.

        Examples
        --------
        >>> import pandas as pd
        >>> from sscoutcomes.cohort.mapping import ColumnMapping
        >>> m = ColumnMapping.from_dict({"columns": {"ID": "patient_id", "Sex": "sex"},
        ...                              "values": {"sex": {"1": "female", "2": "male"}}})
        >>> visits, patients, _, sources = m.apply(
        ...     pd.DataFrame({"ID": ["a"], "day": [0]}),
        ...     pd.DataFrame({"ID": ["a"], "Sex": [2]}))
        >>> patients.to_dict("records"), sources
        ([{'patient_id': 'a', 'sex': 'male'}], {'patient_id': 'ID', 'sex': 'Sex'})
        """
        if not isinstance(visits, pd.DataFrame):
            raise SchemaError(f"visits must be a pandas DataFrame; got {type(visits).__name__}")
        if patients is not None and not isinstance(patients, pd.DataFrame):
            raise SchemaError(
                f"patients must be a pandas DataFrame or None; got {type(patients).__name__}"
            )
        new_visits, visit_sources = self._rename(visits, "visits")
        new_patients: pd.DataFrame | None = None
        patient_sources: dict[str, str] = {}
        if patients is not None:
            new_patients, patient_sources = self._rename(patients, "patients")
        new_visits = self._recode(new_visits)
        if new_patients is not None:
            new_patients = self._recode(new_patients)
        if self.index is not None:
            new_patients = self._set_index(new_visits, new_patients, patient_sources)
        return new_visits, new_patients, visit_sources, patient_sources

    def _rename(self, frame: pd.DataFrame, what: str) -> tuple[pd.DataFrame, dict[str, str]]:
        renames = {s: t for s, t in self.columns.items() if s in frame.columns and s != t}
        # a target the frame holds clashes unless that column is itself renamed away
        clash = [
            f"{s!r} and {t!r}"
            for s, t in renames.items()
            if t in frame.columns and t not in renames
        ]
        if clash:
            raise SchemaError(
                f"the {what} frame has both a source column and its canonical column: "
                f"{'; '.join(clash)}; drop one (the {self.source} maps the first to the second)"
            )
        out = frame.rename(columns=renames)
        return out, {t: s for s, t in renames.items()}

    def _recode(self, frame: pd.DataFrame) -> pd.DataFrame:
        changed: dict[str, pd.Series[Any]] = {}
        for column, codes in self.values.items():
            if column not in frame.columns or not codes:
                continue
            exact = {str(k).strip(): v for k, v in codes.items()}
            folded = {k.lower(): v for k, v in exact.items()}
            raw = frame[column].to_numpy(dtype=object)
            out = np.empty(len(raw), dtype=object)
            hit = False
            for i, cell in enumerate(raw):
                key = _cell_key(cell)
                if key is not None and (key in exact or key.lower() in folded):
                    value = exact[key] if key in exact else folded[key.lower()]
                    out[i] = None if value == "" else value
                    hit = True
                else:
                    out[i] = cell
            if hit:
                changed[column] = pd.Series(out, index=frame.index, dtype=object)
        return frame.assign(**changed) if changed else frame

    def _set_index(
        self,
        visits: pd.DataFrame,
        patients: pd.DataFrame | None,
        sources: dict[str, str],
    ) -> pd.DataFrame:
        index = str(self.index)
        if index == _FIRST_VISIT:
            if "date" not in visits.columns:
                raise SchemaError(
                    "index = 'first_visit' needs visit dates: the visits frame has no 'date' "
                    f"column (map the visit date column to 'date' in the {self.source})"
                )
            if patients is not None and "index_date" in patients.columns:
                raise SchemaError(
                    "index = 'first_visit' but the patients frame has an index_date column "
                    f"({sources.get('index_date', 'index_date')!r}); give one or the other"
                )
            first = self._first_visits(visits)
            if patients is None:
                ids = visits["patient_id"].astype("string").str.strip().dropna().drop_duplicates()
                patients = pd.DataFrame({"patient_id": ids.to_numpy(dtype=object)})
            keys = patients["patient_id"].astype("string").str.strip()
            dates = keys.map(first).to_numpy(dtype="datetime64[ns]")
            return patients.assign(index_date=pd.Series(dates, index=patients.index))
        if patients is None:
            raise SchemaError(
                f"index = {index!r} names a patients column but no patients frame was given"
            )
        column = self.columns.get(index, index)
        if column not in patients.columns:
            raise SchemaError(
                f"index = {index!r} is not a column of the patients frame"
                f"{did_you_mean(index, [str(c) for c in patients.columns])}; give the column "
                "holding each patient's index date, or 'first_visit'"
            )
        if column == "index_date":
            return patients
        if "index_date" in patients.columns:
            raise SchemaError(
                f"index = {index!r} but the patients frame also has an index_date column; "
                "give one or the other"
            )
        sources["index_date"] = sources.get(column, column)
        if column in _canonical_names():
            return patients.assign(index_date=patients[column])
        return patients.rename(columns={column: "index_date"})

    def _first_visits(self, visits: pd.DataFrame) -> pd.Series[Any]:
        """The first visit date of each patient (dates that cannot be read are left out;
        the schema reports them)."""
        dates = visits["date"]
        if pd.api.types.is_datetime64_any_dtype(dates.dtype):
            parsed = dates
        else:
            fmt = self.date_format or "ISO8601"
            parsed = pd.to_datetime(dates.astype(object), errors="coerce", format=fmt)
        ids = visits["patient_id"].astype("string").str.strip()
        frame = pd.DataFrame({"p": ids.to_numpy(dtype=object), "d": parsed.to_numpy()})
        return frame.dropna().groupby("p")["d"].min()


def _value_problem(dtype: str, categories: tuple[str, ...], value: Any) -> str | None:
    """Why a code table's value does not fit its column (None when it does)."""
    if value == "":
        return None
    if dtype == "category":
        if not isinstance(value, str) or value.strip().lower() not in categories:
            return f"is not one of {', '.join(categories)} (or '' for missing)"
    elif dtype == "bool":
        if not isinstance(value, bool) and str(value).strip().lower() not in ("true", "false"):
            return "is not true or false (or '' for missing)"
    elif dtype in ("float", "int") and (
        isinstance(value, bool) or not isinstance(value, (int, float))
    ):
        return "is not a number (or '' for missing)"
    return None
