"""The public procedure catalogue of the province: search, filters, Vietnamese order, pages.

Search folds what is typed (`cchc.core.text.fold`: "cap giay" finds "Cấp giấy") and matches every
word against the stored folded code, name and field (`Procedure.search_text`, kept by the
procedure services). The matching ids come back with their names in one narrow query and are
ordered in Python in Vietnamese dictionary order (`vi_sort_key`; the databases' collations differ
and SQLite has none for Vietnamese); only the page shown is then read in full. On 2,000
procedures both queries take a few milliseconds (bench/portal.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from cchc.core.text import fold, nfc, vi_sort_key
from cchc.orgs.models import Unit
from cchc.procedures.models import Component, Level, OnlineMode, Procedure, Step, format_duration

from .site import BadParameter, page_number

PAGE_SIZE = 20
ORDERS = {"ten": "Tên thủ tục (A–Z)", "ma": "Mã thủ tục"}
MAX_QUERY = 200


@dataclass(frozen=True)
class CatalogueQuery:
    q: str = ""
    field: str = ""
    level: str = ""
    agency: Unit | None = None
    online_mode: str = ""
    order: str = "ten"

    @property
    def active(self) -> bool:
        return bool(self.q or self.field or self.level or self.agency or self.online_mode)


def published(province: Unit) -> QuerySet[Procedure]:
    """The procedures in force of the province's agencies and communes."""
    return Procedure.objects.filter(agency__path__startswith=province.path, valid_to__isnull=True)


def parse_query(params, province: Unit) -> CatalogueQuery:
    """The search and filters of the address; BadParameter (400) for a value the page offers not."""
    q = nfc(params.get("q", ""))[:MAX_QUERY]
    level = params.get("cap", "")
    if level and level not in Level.values:
        raise BadParameter(f"Cấp thực hiện “{level[:30]}” không có: chọn cấp tỉnh, cấp xã hoặc trung ương.")
    mode = params.get("muc_do", "")
    if mode and mode not in OnlineMode.values:
        raise BadParameter(f"Mức độ dịch vụ công trực tuyến “{mode[:30]}” không có.")
    order = params.get("sap_xep", "") or "ten"
    if order not in ORDERS:
        raise BadParameter(f"Cách sắp xếp “{order[:30]}” không có: dùng “ten” hoặc “ma”.")
    agency = None
    raw_agency = params.get("co_quan", "")
    if raw_agency:
        agency = agency_choices(province).filter(pk=raw_agency if raw_agency.isdigit() else -1).first()
        if agency is None:
            raise BadParameter(f"Không có cơ quan thực hiện mã “{raw_agency[:30]}” trong danh mục.")
    field = nfc(params.get("linh_vuc", ""))
    if field and not published(province).filter(field=field).exists():
        raise BadParameter(f"Lĩnh vực “{field[:60]}” không có trong danh mục thủ tục.")
    return CatalogueQuery(q=q, field=field, level=level, agency=agency, online_mode=mode, order=order)


def matching_ids(province: Unit, query: CatalogueQuery) -> list[int]:
    """The ids of the matching procedures, in the order shown (one query)."""
    qs = published(province)
    words = fold(query.q).split()
    for word in words:
        qs = qs.filter(search_text__contains=word)
    if query.field:
        qs = qs.filter(field=query.field)
    if query.level:
        qs = qs.filter(level=query.level)
    if query.agency is not None:
        qs = qs.filter(agency=query.agency)
    if query.online_mode:
        qs = qs.filter(online_mode=query.online_mode)
    rows = list(qs.values_list("id", "code", "name", "search_text"))
    phrase = " ".join(words)

    def key(row):
        pk, code, name, text = row
        together = 0 if len(words) < 2 or phrase in text else 1  # the words side by side first
        if query.order == "ma":
            return (together, code, vi_sort_key(name), pk)
        return (together, vi_sort_key(name), code, pk)

    return [row[0] for row in sorted(rows, key=key)]


def catalogue_page(province: Unit, query: CatalogueQuery, params) -> tuple[Page, list[Procedure]]:
    """The page asked for (`trang`) and its procedures; 404 beyond the last page."""
    number = page_number(params)
    paginator = Paginator(matching_ids(province, query), PAGE_SIZE, allow_empty_first_page=True)
    if number > paginator.num_pages:
        raise Http404(f"Không có trang {number}: danh sách có {paginator.num_pages} trang.")
    page = paginator.page(number)
    ids = list(page.object_list)
    found = {p.pk: p for p in Procedure.objects.filter(pk__in=ids).select_related("agency")}
    return page, [found[pk] for pk in ids if pk in found]


def field_choices(province: Unit) -> list[str]:
    fields = (
        published(province).exclude(field="").order_by("field").values_list("field", flat=True).distinct()
    )
    return sorted(set(fields), key=vi_sort_key)


def agency_choices(province: Unit) -> QuerySet[Unit]:
    """The units that carry out the province's procedures (for the agency filter)."""
    return Unit.objects.filter(Exists(published(province).filter(agency=OuterRef("pk"))))


def sorted_agencies(province: Unit) -> list[Unit]:
    return sorted(agency_choices(province), key=lambda u: vi_sort_key(u.name))


def procedure_detail(province: Unit, pk: int) -> tuple[Procedure, str]:
    """A procedure in force of the province with its components and steps, and the steps' total
    time as read ("" without steps); 404 otherwise."""
    procedure = (
        published(province)
        .select_related("agency")
        .prefetch_related(
            Prefetch("components", queryset=Component.objects.order_by("position", "id")),
            Prefetch("steps", queryset=Step.objects.order_by("position", "id")),
        )
        .filter(pk=pk)
        .first()
    )
    if procedure is None:
        raise Http404("Không tìm thấy thủ tục hành chính này (mã không đúng hoặc thủ tục đã hết hiệu lực).")
    steps = list(procedure.steps.all())
    total = sum((s.time_allowed for s in steps), start=Decimal(0))
    return procedure, format_duration(total, procedure.time_unit) if steps else ""
