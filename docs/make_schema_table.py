"""Regenerate the column tables of docs/guide/schema.rst from sscoutcomes.cohort.schema.

Run ``python docs/make_schema_table.py`` (with the package importable) after changing a
``<NAME>_COLUMNS`` table or the schema; tests/cohort/test_schema.py fails while the page is
out of date. Only the part between the BEGIN/END markers is rewritten.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from sscoutcomes.cohort.schema import schema_table, visit_column_groups

PAGE = Path(__file__).resolve().parent / "guide" / "schema.rst"
BEGIN = ".. BEGIN GENERATED SCHEMA TABLES (python docs/make_schema_table.py)"
END = ".. END GENERATED SCHEMA TABLES"
HEADER = ("name", "dtype", "unit", "range", "description")


def _list_table(title: str, rows: pd.DataFrame) -> list[str]:
    lines = [
        f".. list-table:: {title}",
        "   :header-rows: 1",
        "   :widths: 22 8 8 14 48",
        "",
        "   * - " + "\n     - ".join(HEADER),
    ]
    for row in rows.itertuples(index=False):
        cells = [f"``{row.name}``", row.dtype, row.unit or "", row.range, row.description]
        lines.append("   * - " + "\n     - ".join(str(c) for c in cells))
    return [line.rstrip() for line in "\n".join(lines).split("\n")] + [""]


def render() -> str:
    """The generated part of the page (between the markers)."""
    visits = schema_table("visits").set_index("name", drop=False)
    lines: list[str] = []
    for group in visit_column_groups():
        rows = visits.loc[[c.name for c in group.columns]]
        prefixes = ", ".join(f"``{p}``" for p in group.prefixes)
        title = f"Visits frame: {group.title or group.name}"
        lines += _list_table(title + (f" (prefix {prefixes})" if prefixes else ""), rows)
    lines += _list_table("Patients frame", schema_table("patients"))
    return "\n".join(lines)


def update(page: str) -> str:
    """``page`` with the generated part replaced by :func:`render`."""
    head, sep, rest = page.partition(BEGIN + "\n")
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"{PAGE}: markers {BEGIN!r} / {END!r} not found")
    return head + BEGIN + "\n\n" + render() + "\n" + END + tail


def main() -> int:
    text = PAGE.read_text(encoding="utf-8")
    new = update(text)
    if new != text:
        PAGE.write_text(new, encoding="utf-8")
        print(f"updated {PAGE}")
    else:
        print(f"{PAGE} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
