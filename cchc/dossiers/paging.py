"""The desk queue's pages: counting every dossier a province coordinator may read (hundreds of
thousands) costs more than the page itself, and nobody pages that far. The count stops at
`CAP`: past it the page says "hơn 10.000 hồ sơ" and the filters narrow the list; the rows of a
page are read in the order of the `dossier_queue_order` index, so a page costs its offset."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

CAP = 10_000


class CappedPaginator(Paginator):
    cap = CAP

    @cached_property
    def count(self) -> int:
        qs: QuerySet = self.object_list  # type: ignore[assignment]  # the queue is a queryset
        n = qs.order_by().values("pk")[: self.cap + 1].count()
        self.capped = n > self.cap
        return min(n, self.cap)

    capped = False

    @property
    def count_label(self) -> str:
        """ "10.000" (Vietnamese thousands separator)."""
        return f"{self.count:,}".replace(",", ".")
