"""One way to hand a result object over: ``to_dict()`` and ``to_frame()``.

Every result class of the analyses mixes this in: ``to_dict()`` gives its fields (tables
left out), ``to_frame()`` its ``table`` when it has one, else its fields as a one-row
frame, so a notebook or a report can take any result as a DataFrame.
"""

from __future__ import annotations

from typing import Any

import attrs
import pandas as pd

__all__ = ["ResultMixin"]


class ResultMixin:
    """``to_dict()`` and ``to_frame()`` for an attrs result class.

    Examples
    --------
    >>> from sscoutcomes import proportion_ci
    >>> ci = proportion_ci(3, 10)
    >>> sorted(ci.to_dict())[:3]
    ['conf_level', 'k', 'lower']
    >>> ci.to_frame()[["k", "n", "proportion"]].to_dict("records")
    [{'k': 3, 'n': 10, 'proportion': 0.3}]
    """

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (DataFrame fields left out: see :meth:`to_frame`)."""
        names = [field.name for field in attrs.fields(type(self))]  # type: ignore[arg-type]
        return {
            name: getattr(self, name)
            for name in names
            if not isinstance(getattr(self, name), pd.DataFrame)
        }

    def to_frame(self) -> pd.DataFrame:
        """The result's ``table`` (a copy) when it has one, else its fields as one row."""
        table = getattr(self, "table", None)
        if isinstance(table, pd.DataFrame):
            return table.copy()
        return pd.DataFrame([self.to_dict()])
