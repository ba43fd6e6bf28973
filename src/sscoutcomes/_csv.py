"""The one way the command line reads a CSV file.

:func:`read_csv_file` reads ``patient_id`` as text (``007`` stays ``007``) and refuses what
:func:`pandas.read_csv` would silently repair: a row with more or fewer fields than the
header (pandas pads a short row with missing values and may shift a long one) and a
repeated column name (pandas renames the second ``mrss`` to ``mrss.1``). The refusal is one
line naming the file, the line number and the problem. It also records the file line of
each data row, so a problem of data row ``r`` can be shown as "line N".

Examples
--------
>>> import pathlib, tempfile
>>> from sscoutcomes._csv import read_csv_file
>>> path = pathlib.Path(tempfile.mkdtemp()) / "visits.csv"
>>> _ = path.write_text("patient_id,day,mrss\\n007,0,20\\n\\n007,365,18\\n")
>>> table = read_csv_file(path)
>>> table.frame["patient_id"].tolist(), table.line(1)
(['007', '007'], 4)
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from .errors import SchemaError

__all__ = ["CsvFile", "read_csv_file"]

_ENCODING = "utf-8-sig"  # UTF-8, with or without a byte-order mark


@attrs.frozen(kw_only=True, eq=False)
class CsvFile:
    """A CSV file as read by :func:`read_csv_file`.

    Attributes
    ----------
    path : pathlib.Path
        The file.
    frame : pandas.DataFrame
        Its rows (index ``0..n-1``), ``patient_id`` as text.
    lines : numpy.ndarray
        The file line (from 1, the header is line 1) on which each data row starts.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sscoutcomes._csv import read_csv_file
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = path.write_text("patient_id\\nA\\n")
    >>> read_csv_file(path).lines.tolist()
    [2]
    """

    path: Path
    frame: pd.DataFrame
    lines: npt.NDArray[np.int64]

    def line(self, row: object) -> int | None:
        """The file line of data row ``row`` (an index label of :attr:`frame`), or None.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from sscoutcomes._csv import read_csv_file
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
        >>> _ = path.write_text("patient_id\\nA\\nB\\n")
        >>> table = read_csv_file(path)
        >>> table.line(1), table.line(7), table.line("x")
        (3, None, None)
        """
        if (
            isinstance(row, (int, np.integer))
            and not isinstance(row, bool)
            and 0 <= int(row) < len(self.lines)
        ):
            return int(self.lines[int(row)])
        return None


def _scan(path: Path) -> npt.NDArray[np.int64]:
    """Check the header and the field count of every row; the start line of each data row."""
    name = os.fspath(path)
    starts: list[int] = []
    try:
        with path.open(newline="", encoding=_ENCODING) as handle:
            reader = csv.reader(handle)
            header: list[str] | None = None
            previous = 0
            for fields in reader:
                start, previous = previous + 1, reader.line_num
                if not fields:  # a blank line, which pandas skips too
                    continue
                if header is None:
                    header = fields
                    _check_header(name, header, start)
                    continue
                if len(fields) != len(header):
                    raise SchemaError(
                        f"{name}, line {start}: {len(fields)} field(s) where the header has "
                        f"{len(header)} (a missing or extra separator, or an unclosed quote?)"
                    )
                starts.append(start)
    except UnicodeDecodeError as exc:
        raise SchemaError(
            f"{name} is not a UTF-8 text file (byte {exc.start}: {exc.reason}); save it as "
            "UTF-8 CSV"
        ) from None
    except csv.Error as exc:
        raise SchemaError(f"{name}, line {reader.line_num}: not readable as CSV: {exc}") from None
    if header is None:
        raise SchemaError(f"{name} is empty: a CSV file needs a header line of column names")
    return np.asarray(starts, dtype=np.int64)


def _check_header(name: str, header: list[str], line: int) -> None:
    seen: dict[str, int] = {}
    for i, column in enumerate(header, start=1):
        if column in seen:
            raise SchemaError(
                f"{name}, line {line}: column name {column!r} appears twice (columns "
                f"{seen[column]} and {i}); each column needs its own name"
            )
        seen[column] = i


def read_csv_file(path: str | os.PathLike[str], *, id_column: str = "patient_id") -> CsvFile:
    """Read a CSV file with ``patient_id`` (or ``id_column``, its name in an export) as text,
    refusing ragged rows and repeated names.

    Parameters
    ----------
    path : str or path-like
        A comma-separated UTF-8 file with a header line.

    Returns
    -------
    CsvFile
        The rows as a frame and the file line of each row.

    Raises
    ------
    SchemaError
        One line naming the file, the line and the problem: a row with more or fewer fields
        than the header, a column name that appears twice, an empty file, text that is not
        UTF-8.
    FileNotFoundError
        No such file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from sscoutcomes._csv import read_csv_file
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "visits.csv"
    >>> _ = path.write_text("patient_id,day,mrss\\n007,0,20\\n007,365\\n")
    >>> read_csv_file(path)
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.SchemaError: .../visits.csv, line 3: 2 field(s) where the header has 3 ...
    """
    file = Path(path)
    lines = _scan(file)
    try:
        frame = pd.read_csv(file, dtype={id_column: "string"}, encoding=_ENCODING)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        if "EOF inside string" in str(exc):
            # pandas' "row N" counts rows, not file lines; the csv module read the open
            # quote up to the end of the file, so the quote is in the last row _scan found
            line = int(lines[-1]) if len(lines) else 1
            raise SchemaError(
                f"{os.fspath(file)}, line {line}: a quoted value is never closed (an "
                "unclosed quote?)"
            ) from None
        raise SchemaError(f"{os.fspath(file)} is not readable as CSV: {exc}") from None
    if len(frame) != len(lines):  # pragma: no cover - the scan and pandas agree on rows
        raise SchemaError(
            f"{os.fspath(file)}: pandas read {len(frame)} rows where the file has "
            f"{len(lines)}; check for unusual quoting"
        )
    return CsvFile(path=file, frame=frame, lines=lines)
