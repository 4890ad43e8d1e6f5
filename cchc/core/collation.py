"""Vietnamese dictionary order in the database: `order_by(vi("name"))` on PostgreSQL and SQLite.

Both databases know one collation named `vi`:
- PostgreSQL: created by the migration core/0007 from ICU's Vietnamese rules (`provider = icu,
  locale = 'vi'`: ă, â after a, đ after d, …; tones as a second-level difference in the order
  no tone, huyền, hỏi, ngã, sắc, nặng);
- SQLite: a Python comparison registered on every new connection (`connection_created`), built
  on `cchc.core.text.vi_sort_key`, the same order the portal uses in Python.
So a list, a picker (`ModelChoiceField` queryset) or a paginated table orders itself in the
database, pages and all, and the two databases agree (tests/test_vi_order.py).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import Expression, F, OrderBy
from django.db.models.functions import Collate

from .text import vi_sort_key

VI = "vi"


def vi(field: str | Expression) -> Collate:
    """`field` compared in Vietnamese dictionary order (for `order_by`, `Min`, comparisons)."""
    return Collate(F(field) if isinstance(field, str) else field, VI)


def vi_desc(field: str | Expression) -> OrderBy:
    return vi(field).desc()


def _compare(a: str | None, b: str | None) -> int:
    ka, kb = vi_sort_key(a), vi_sort_key(b)
    if ka == kb:  # equal letters and tones: the text itself decides (case), so the order is total
        a, b = a or "", b or ""
        return (a > b) - (a < b)
    return 1 if ka > kb else -1


def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI, _compare)


connection_created.connect(register_sqlite_collation, dispatch_uid="cchc.core.collation.vi")
