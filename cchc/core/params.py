"""Query-string parameters read without ever turning bad input into a server error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import overload

# A database integer (PostgreSQL bigint, SQLite INTEGER): a larger id would fail in the query.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


@overload
def int_param(
    params: Mapping[str, str], name: str, default: int, *, minimum: int = ..., maximum: int = ...
) -> int: ...
@overload
def int_param(
    params: Mapping[str, str], name: str, default: None = None, *, minimum: int = ..., maximum: int = ...
) -> int | None: ...
def int_param(
    params: Mapping[str, str],
    name: str,
    default: int | None = None,
    *,
    minimum: int = _INT_MIN,
    maximum: int = _INT_MAX,
) -> int | None:
    """The integer in ``params[name]`` (``request.GET``), or ``default`` when the parameter is
    missing, empty, not a whole number, or outside [minimum, maximum]."""
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return value if minimum <= value <= maximum else default
