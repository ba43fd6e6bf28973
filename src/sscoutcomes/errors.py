"""Exceptions and warnings raised by ``sscoutcomes``.

Every exception subclasses :class:`SSCOutcomesError`, which subclasses
:class:`ValueError`, so ``except ValueError`` keeps working in user code.
A message always names the field, the value that arrived and what is allowed,
e.g. ``mrss site 'face' = 4 is outside 0..3``.

Errors raised while validating a whole frame collect *every* failure before
raising; the failures are available as a :class:`pandas.DataFrame` in
:attr:`SSCOutcomesError.failure_cases` (columns ``row``, ``patient_id``,
``day``, ``column``, ``value``, ``reason``), in the style of pandera's lazy
validation.

Examples
--------
>>> from sscoutcomes.errors import OutOfRangeError, SSCOutcomesError
>>> issubclass(OutOfRangeError, ValueError)
True
>>> try:
...     raise OutOfRangeError("mrss site 'face' = 4 is outside 0..3")
... except SSCOutcomesError as exc:
...     print(exc)
mrss site 'face' = 4 is outside 0..3
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FAILURE_CASE_COLUMNS",
    "NotEvaluableWarning",
    "OptionalDependencyError",
    "OutOfRangeError",
    "SSCOutcomesError",
    "SSCOutcomesWarning",
    "SchemaError",
    "UnitError",
]

#: Columns of :attr:`SSCOutcomesError.failure_cases`.
FAILURE_CASE_COLUMNS: tuple[str, ...] = ("row", "patient_id", "day", "column", "value", "reason")


class SSCOutcomesError(ValueError):
    """Base class of every error raised by ``sscoutcomes``.

    Parameters
    ----------
    message : str
        What went wrong: the field, the value and what is allowed.
    failure_cases : pandas.DataFrame, optional
        For errors found while validating a frame: one row per failing cell
        (columns ``row``, ``patient_id``, ``day``, ``column``, ``value``,
        ``reason``).
    frame : str, optional
        Which frame the failure cases' rows belong to (``"visits frame"``,
        ``"patients frame"``), for errors found while validating one.
    messages : sequence of str, optional
        The problems that are not failing cells (a missing column, a repeated column name),
        for errors found while validating a frame; empty when every problem is a cell of
        ``failure_cases``.

    Attributes
    ----------
    failure_cases : pandas.DataFrame or None
        The failing cells, as given (see Parameters).
    frame : str or None
        Which frame the failure cases' rows belong to, as given.
    messages : tuple of str
        The problems that are not failing cells, as given.

    Examples
    --------
    >>> err = SSCOutcomesError("something is off")
    >>> isinstance(err, ValueError), err.failure_cases is None, err.frame is None
    (True, True, True)
    """

    def __init__(
        self,
        message: str,
        *,
        failure_cases: pd.DataFrame | None = None,
        frame: str | None = None,
        messages: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.failure_cases = failure_cases
        self.frame = frame
        self.messages = tuple(messages)


class OutOfRangeError(SSCOutcomesError):
    """A value lies outside the range its definition allows (or is not an integer where one is
    required).

    Examples
    --------
    >>> from sscoutcomes.measures.skin import SkinScore
    >>> SkinScore.from_total(60)
    Traceback (most recent call last):
    ...
    sscoutcomes.errors.OutOfRangeError: mrss total = 60 is outside 0..51
    """


class SchemaError(SSCOutcomesError):
    """A frame does not follow the column schema: unknown or misspelled columns, missing
    required columns, values that are not numbers, duplicate or unordered visits.

    Examples
    --------
    >>> issubclass(SchemaError, ValueError)
    True
    """


class UnitError(SSCOutcomesError):
    """A value looks as if it was given in the wrong unit (a TR velocity in cm/s, an FVC as a
    fraction instead of % predicted, a CRP in mg/L where mg/dL is expected).

    Examples
    --------
    >>> issubclass(UnitError, SSCOutcomesError)
    True
    """


class OptionalDependencyError(SSCOutcomesError, ImportError):
    """A feature needs an optional dependency (an extra) that is not installed; the message
    names the extra to install. Also an :class:`ImportError`.

    Examples
    --------
    >>> issubclass(OptionalDependencyError, ImportError)
    True
    """


class SSCOutcomesWarning(UserWarning):
    """Computed, but note this: the result is valid yet deserves the reader's attention.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warnings.warn("provisional rule", SSCOutcomesWarning)
    >>> caught[0].category.__name__
    'SSCOutcomesWarning'
    """


class NotEvaluableWarning(SSCOutcomesWarning):
    """Some rows could not be evaluated by a rule (missing inputs it does not allow) and were
    reported as not evaluable.

    Examples
    --------
    >>> issubclass(NotEvaluableWarning, SSCOutcomesWarning)
    True
    """
