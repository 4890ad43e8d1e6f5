"""The checklist of components at the desk (receive.html): the rows shown for a procedure and
the desk's ticks read back from the POST. Input only — `services.dossier_receive` judges it.

Field names: `thanh_phan` (one value per ticked component id), `hinh_thuc_<id>` (how it was
handed in), `so_luong_<id>` (how many); `co_thanh_phan=1` says the checklist was on the page
(no ticks then means nothing received, not "no checklist")."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from cchc.procedures.models import Component, Procedure

from .models import ComponentForm
from .services import ReceivedItem


@dataclass(frozen=True)
class Row:
    component: Component
    ticked: bool
    form: str
    count: str

    @property
    def id(self) -> int:
        return self.component.pk

    @property
    def choices(self) -> list[tuple[str, str]]:
        return list(ComponentForm.choices)


def _count(raw: str | None) -> int:
    try:
        return int((raw or "").strip())
    except ValueError:
        return 0  # the service names the component and asks for 1–99


def rows(procedure: Procedure | None, data: QueryDict | None = None) -> list[Row]:
    """The procedure's components, ticked as in `data` (a re-shown form) or all unticked with
    the catalogue's number of copies."""
    if procedure is None:
        return []
    bound = data is not None and data.get("co_thanh_phan") == "1"
    ticked = set(data.getlist("thanh_phan")) if bound and data is not None else set()
    out = []
    for c in procedure.components.order_by("position", "id"):
        form = (
            data.get(f"hinh_thuc_{c.pk}", ComponentForm.ORIGINAL)
            if bound and data is not None
            else ComponentForm.ORIGINAL
        )
        count = (
            data.get(f"so_luong_{c.pk}", str(c.copies or 1))
            if bound and data is not None
            else str(c.copies or 1)
        )
        out.append(Row(c, str(c.pk) in ticked, form, count))
    return out


def rows_for_acceptance(dossier) -> list[Row]:
    """The checklist under "Tiếp nhận (đã bổ sung đủ)": the procedure's components, those received
    at the first receipt ticked as they were handed in (form, count); the desk ticks what the
    supplement brought. The whole list replaces the receipt's (`services.dossier_accept`)."""
    held = {r.component_id: r for r in dossier.received_components.all() if r.component_id}
    out = []
    for c in dossier.procedure.components.order_by("position", "id"):
        r = held.get(c.pk)
        form = r.form if r is not None else ComponentForm.ORIGINAL
        out.append(Row(c, r is not None, form, str(r.count if r is not None else c.copies or 1)))
    return out


def received(procedure: Procedure, data: QueryDict) -> list[ReceivedItem] | None:
    """The ticked components as the service takes them; None when no checklist was shown."""
    if data.get("co_thanh_phan") != "1":
        return None
    by_id = {str(c.pk): c for c in procedure.components.all()}
    items = []
    for raw in data.getlist("thanh_phan"):
        c = by_id.get(raw)
        if c is None:
            continue  # a component of another procedure (the list changed under the page)
        items.append(
            ReceivedItem(
                component=c,
                form=data.get(f"hinh_thuc_{raw}", ComponentForm.ORIGINAL),
                count=_count(data.get(f"so_luong_{raw}")),
            )
        )
    return items


def rows_for_form(form, data: QueryDict | None) -> list[Row]:
    """The checklist under the receipt form: for the procedure chosen in it, if any."""
    procedure = None
    if form.is_bound:
        procedure = (getattr(form, "cleaned_data", None) or {}).get("procedure")
        raw = form.data.get("procedure", "")
        if procedure is None and raw.isdigit():
            procedure = form.fields["procedure"].queryset.filter(pk=int(raw)).first()
    return rows(procedure, data if form.is_bound else None)
