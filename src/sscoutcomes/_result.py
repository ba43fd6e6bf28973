"""One way to hand a result object over: ``to_dict()`` and ``to_frame()``.

Every result class of the analyses mixes this in: ``to_dict()`` gives its fields (tables
left out), ``to_frame()`` its ``table`` when it has one, else its fields as a one-row
frame, so a notebook or a report can take any result as a DataFrame.
"""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import pandas as pd

__all__ = ["ResultMixin", "renamed"]


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
        """The fields as a dict (DataFrame fields left out: see :meth:`to_frame`; nested
        results as dicts)."""
        names = [field.name for field in attrs.fields(type(self))]  # type: ignore[arg-type]
        out: dict[str, Any] = {}
        for name in names:
            value = getattr(self, name)
            if isinstance(value, pd.DataFrame):
                continue
            out[name] = value.to_dict() if isinstance(value, ResultMixin) else value
        return out

    def to_frame(self) -> pd.DataFrame:
        """The result's ``table`` (a copy) when it has one, else its fields as one row."""
        table = getattr(self, "table", None)
        if isinstance(table, pd.DataFrame):
            return table.copy()
        return pd.DataFrame([self.to_dict()])


def renamed(new: str, old: str) -> property:
    """A read-only alias ``old`` of the attribute path ``new`` that warns when read.

    The library names a p-value ``p`` everywhere (attributes, ``to_dict`` keys and table
    columns); the names used before 0.2 (``pvalue``, ``t_pvalue``, ``wilcoxon_pvalue``, ...)
    still work for one release and say what to use instead.

    Examples
    --------
    >>> import warnings
    >>> from sscoutcomes import paired_change
    >>> ch = paired_change([20, 18, 25, 16, 30], [15, 17, 20, 16, 22])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     ch.t_pvalue == ch.t_test.p
    True
    >>> print(caught[0].message)
    PairedChange.t_pvalue is deprecated and will be removed in 1.0: use .t_test.p
    """

    def read(self: object) -> Any:
        warnings.warn(
            f"{type(self).__name__}.{old} is deprecated and will be removed in 1.0: use .{new}",
            FutureWarning,
            stacklevel=2,
        )
        value: Any = self
        for part in new.split("."):
            value = getattr(value, part)
        return value

    return property(read, doc=f"Deprecated alias of ``{new}`` (will be removed in 1.0).")
