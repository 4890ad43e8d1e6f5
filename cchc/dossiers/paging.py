"""The dossier lists' pages (the desk queue, the officer's list; docs/decisions.md, "Dossier lists
by keyset"). A province holds millions of dossiers: a page must cost the same on the first page
and far into the list, and the total must not be counted and sorted over every row.

* **Keyset, not offset.** A page is the `size` dossiers after (or before) the last one shown, in
  the queue's order (`-submitted_at`, `-id`), read on the `dossier_queue_order` index: the link
  carries that dossier's key ("sau" / "truoc" = its submission moment in microseconds and its id),
  never a page number. A key that does not parse shows the first page (a stale or edited link).
* **A bounded count.** The count stops at `CAP`: past it the page says "hơn 1.000 hồ sơ" and the
  filters narrow the list.

`submitted_at` is set with a dossier's first event, so it is never empty in practice; the pages
still place a dossier without it where the database's order puts it (first on PostgreSQL, last on
SQLite), each part read on the index with its own query.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connections, transaction
from django.db.models import Q, QuerySet

from cchc.core.numbers import format_count

CAP = 1_000
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICRO = dt.timedelta(microseconds=1)
ORDER = ("-submitted_at", "-id")  # the queue's order, the `dossier_queue_order` index
TOKEN = re.compile(r"^(n|-?\d{1,18})_(\d{1,18})$")


@dataclass(frozen=True)
class Key:
    at: dt.datetime | None
    id: int

    @classmethod
    def of(cls, row) -> Key:
        return cls(row.submitted_at, row.pk)

    @property
    def token(self) -> str:
        at = "n" if self.at is None else str((self.at - EPOCH) // MICRO)
        return f"{at}_{self.id}"

    @classmethod
    def parse(cls, token: str | None) -> Key | None:
        m = TOKEN.match((token or "").strip())
        if m is None:
            return None
        try:
            at = None if m[1] == "n" else EPOCH + int(m[1]) * MICRO
        except OverflowError:
            return None
        return cls(at, int(m[2]))


@dataclass
class KeysetPage:
    rows: list[Any]
    next: str | None  # the token of the page after, if any
    previous: str | None  # the token of the page before, if any
    count: int  # at most CAP
    capped: bool  # more than CAP

    @property
    def count_label(self) -> str:
        """ "1.000" (Vietnamese thousands separator)."""
        return format_count(self.count)

    @property
    def first(self) -> bool:
        return self.previous is None


def bounded_count(qs: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, more than `cap`, by default `CAP`), reading at most `cap` + 1 rows."""
    cap = CAP if cap is None else cap
    bounded = qs.order_by().values("pk")[: cap + 1]
    if connections[qs.db].vendor != "postgresql":
        return min(n := bounded.count(), cap), n > cap
    # PostgreSQL, given a LIMIT, counts a commune's dossiers by a sequential scan that should stop
    # after cap + 1 matches, and reads the whole table when the commune has fewer (the load test's
    # 5.3 s at 4.6 million); in the list's order it visits a table row per index entry. Without
    # sequential scans it takes the units' indexes (a bitmap of the commune's rows) or, for a
    # province, the queue's index, whose first rows match. For this one query only.
    # Put back at once: a savepoint's RELEASE keeps a SET LOCAL until the outer transaction ends
    # (an error rolls the savepoint back, and the setting with it).
    with transaction.atomic(using=qs.db), connections[qs.db].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        n = bounded.count()
        cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
    return min(n, cap), n > cap


def _part(qs: QuerySet, empty: bool, key: Key | None, forward: bool, n: int) -> list:
    """Up to `n` rows of one part (without / with `submitted_at`) beyond `key`, in the direction."""
    if empty:
        part = qs.filter(submitted_at__isnull=True)
        if key is not None:
            part = part.filter(id__lt=key.id) if forward else part.filter(id__gt=key.id)
        return list(part.order_by("-id" if forward else "id")[:n])
    part = qs.filter(submitted_at__isnull=False)
    if key is not None and key.at is not None:
        at = key.at
        # the first condition bounds the index range; the second only sorts out equal moments
        if forward:
            part = part.filter(Q(submitted_at__lte=at) & (Q(submitted_at__lt=at) | Q(id__lt=key.id)))
        else:
            part = part.filter(Q(submitted_at__gte=at) & (Q(submitted_at__gt=at) | Q(id__gt=key.id)))
    order = ("-submitted_at", "-id") if forward else ("submitted_at", "id")
    return list(part.order_by(*order)[:n])


def _walk(qs: QuerySet, key: Key | None, forward: bool, n: int) -> list:
    """Up to `n` rows beyond `key` (from the start when None), walking the parts in the list's
    order (forward) or against it."""
    if key is None and forward:  # the first page: the engine's own order, NULLs where it puts them
        return list(qs.order_by(*ORDER)[:n])
    nulls_first = connections[qs.db].features.nulls_order_largest  # in a descending order
    parts = [True, False] if nulls_first else [False, True]  # is the part without submitted_at
    if not forward:
        parts.reverse()
    if key is not None:
        parts = parts[parts.index(key.at is None) :]
    rows: list = []
    for i, empty in enumerate(parts):
        rows += _part(qs, empty, key if i == 0 else None, forward, n - len(rows))
        if len(rows) >= n:
            break
    return rows


def keyset_page(
    qs: QuerySet, *, after: str | None = None, before: str | None = None, size: int = 25
) -> KeysetPage:
    """The page after the dossier of `after`, or before that of `before`, or the first page."""
    count, capped = bounded_count(qs)
    key_after, key_before = Key.parse(after), Key.parse(before)
    if key_before is not None and key_after is None:
        back = _walk(qs, key_before, forward=False, n=size + 1)
        if len(back) > size:  # a whole page before it, and more
            rows = list(reversed(back[:size]))
            return KeysetPage(rows, Key.of(rows[-1]).token, Key.of(rows[0]).token, count, capped)
        key_after = None  # back at the start: the first page, whole
    rows = _walk(qs, key_after, forward=True, n=size + 1)
    more = len(rows) > size
    rows = rows[:size]
    nxt = Key.of(rows[-1]).token if more else None
    previous = Key.of(rows[0]).token if key_after is not None and rows else None
    if key_after is not None and not rows:  # past the end (a stale link): show the first page
        return keyset_page(qs, size=size)
    return KeysetPage(rows, nxt, previous, count, capped)
