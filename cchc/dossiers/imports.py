"""Import dossiers.csv (specs/dossier-exchange.md) into the database.

Each valid row becomes a `Dossier` with the events that explain it (so the database never
holds a dossier its events cannot explain — the rule every other dossier follows), built by the
same `lifecycle.apply` the services use. What the exchange format does not say is filled in as
follows (docs/dossiers.md, "Imported dossiers"):

- events are placed in time between receipt and the end: payment right after receipt, the
  supplement pauses spread over the first half, the apology before the end;
- a pause's clock hours are `tam_dung_gio` split evenly; its working hours are not known and
  are recorded as the same number (only the appointment `han_tra`, which never moves, and the
  clock hours enter the indicators);
- the receiving unit is the handling unit; the applicant is not in the format and is recorded
  as "(nhập từ tệp trao đổi)", with no personal data;
- the result is returned online for online dossiers, at the desk otherwise.

Batches of `batch_size` rows are one transaction each with one audit row; a dossier code
already in the database is left as it is, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from cchc.core.audit import audit_record
from cchc.exchange.dossiers import BadRow, DossierRow, iter_dossiers
from cchc.orgs.models import Unit
from cchc.procedures.models import Procedure

from .choices import EventKind as E
from .choices import ReturnMethod
from .lifecycle import STATE_FIELDS, Event, ReplayError, dossier_replay
from .models import Dossier, DossierEvent

IMPORTED_APPLICANT = "(nhập từ tệp trao đổi)"
RESULT_EVENT = {
    "chap_thuan": E.RESULT_GRANTED,
    "tu_choi": E.RESULT_REFUSED,
    "dung": E.STOPPED,
    "rut": E.WITHDRAWN,
}


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return self.created + self.unchanged + len(self.bad)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _between(a: dt.datetime, b: dt.datetime, k: int, n: int) -> dt.datetime:
    """The k-th of n evenly spaced moments strictly inside [a, b] (a == b gives a)."""
    return a + (b - a) * k / (n + 1) if b > a else a


def as_of(row: DossierRow, now: dt.datetime) -> DossierRow | None:
    """The row as it stood at `now`: None if received later; what happened later is removed
    (used by the demo, whose generated year runs past today)."""
    if row.tiep_nhan_luc > now:
        return None
    if row.ket_thuc_luc and row.ket_thuc_luc > now:
        return replace(
            row, ket_thuc_luc=None, ket_qua=None, tra_kq_luc=None, danh_gia=None, ket_qua_dien_tu=False
        )
    if row.tra_kq_luc and row.tra_kq_luc > now:
        return replace(row, tra_kq_luc=None, danh_gia=None)
    return row


def events_for(row: DossierRow, procedure: Procedure) -> list[Event]:
    start = row.tiep_nhan_luc
    end = row.ket_thuc_luc or max(start, row.han_tra)
    events = [
        Event(
            E.RECEIVED,
            start,
            {
                "due_at": _iso(row.han_tra),
                "duration": str(procedure.processing_time or 0),
                "duration_unit": procedure.time_unit or "working_day",
                "steps": [],
                "fee_due": row.co_nghia_vu_tai_chinh,
                "digitised": row.so_hoa,
                "data_reused": row.tai_su_dung,
            },
        ),
    ]
    if row.thanh_toan_truc_tuyen:
        events.append(Event(E.PAYMENT_MADE, start, {"online": True}))
    n = row.so_lan_bo_sung
    if n:
        half = _between(start, end, 1, 1)
        each = (row.tam_dung_gio / n).quantize(Decimal("0.01"))
        for i in range(n):
            requested, received = (
                _between(start, half, 2 * i + 1, 2 * n),
                _between(start, half, 2 * i + 2, 2 * n),
            )
            events.append(Event(E.SUPPLEMENT_REQUESTED, requested, {"missing": []}))
            events.append(
                Event(
                    E.SUPPLEMENT_RECEIVED,
                    received,
                    {
                        "due_at": _iso(row.han_tra + dt.timedelta(hours=float(each) * (i + 1))),
                        "paused_hours": str(each),
                        "paused_elapsed_hours": str(each),
                    },
                )
            )
    if row.xin_loi:
        new_due = row.han_tra_moi or row.han_tra
        events.append(
            Event(
                E.APOLOGY_SENT,
                _between(events[-1].at, end, 1, 1),
                {"new_due_at": _iso(new_due), "reason": ""},
            )
        )
    if row.ket_qua:
        events.append(Event(RESULT_EVENT[row.ket_qua], row.ket_thuc_luc, {}))
        if row.ket_qua_dien_tu and row.ket_qua in ("chap_thuan", "tu_choi"):
            events.append(Event(E.RESULT_FILE_ATTACHED, row.ket_thuc_luc, {}))
    if row.tra_kq_luc and row.ket_qua in ("chap_thuan", "tu_choi"):
        method = ReturnMethod.ONLINE if row.kenh == "truc_tuyen" else ReturnMethod.DESK
        events.append(Event(E.RETURNED, row.tra_kq_luc, {"method": method}))
    if row.danh_gia and row.ket_qua in ("chap_thuan", "tu_choi"):
        events.append(Event(E.RATED, max(e.at for e in events), {"rating": row.danh_gia}))
    return events


def dossiers_import(
    *,
    actor,
    path: str | Path,
    batch_size: int = 5000,
    strict: bool = False,
    progress: Callable[[int], None] | None = None,
    as_of_time: dt.datetime | None = None,
) -> ImportReport:
    units = dict(Unit.objects.values_list("code", "pk"))
    procedures: dict[str, Procedure] = {}
    for p in Procedure.objects.order_by("pk"):
        procedures.setdefault(p.code, p)
    report = ImportReport()
    batch: list[DossierRow] = []
    for item in iter_dossiers(path, units):
        if isinstance(item, BadRow):
            report.bad.append(item)
            if strict:
                return report
            continue
        if as_of_time is not None:
            item = as_of(item, as_of_time)
            if item is None:
                continue
        batch.append(item)
        if len(batch) >= batch_size:
            _import_batch(actor, Path(path).name, batch, units, procedures, report, strict)
            batch = []
            if progress:
                progress(report.lines)
        if strict and report.bad:
            return report
    if batch:
        _import_batch(actor, Path(path).name, batch, units, procedures, report, strict)
    if progress:
        progress(report.lines)
    return report


@transaction.atomic
def _import_batch(
    actor, filename: str, rows: Iterable[DossierRow], units, procedures, report: ImportReport, strict: bool
) -> None:
    rows = list(rows)
    existing = set(Dossier.objects.filter(code__in=[r.ma_ho_so for r in rows]).values_list("code", flat=True))
    dossiers: list[Dossier] = []
    histories: list[list[Event]] = []
    for row in rows:
        if row.ma_ho_so in existing:
            report.unchanged += 1
            continue
        procedure = procedures.get(row.ma_tthc)
        if procedure is None:
            report.bad.append(
                BadRow(row.line, f"mã thủ tục {row.ma_tthc} không có trong danh mục", "ma_tthc", row.ma_ho_so)
            )
            continue
        events = events_for(row, procedure)
        try:
            state = dossier_replay(events)
        except ReplayError as exc:
            report.bad.append(BadRow(row.line, f"dữ liệu không nhất quán: {exc}", None, row.ma_ho_so))
            continue
        unit_id = units[row.ma_don_vi]
        dossiers.append(
            Dossier(
                code=row.ma_ho_so,
                procedure=procedure,
                handling_unit_id=unit_id,
                receiving_unit_id=unit_id,
                channel=row.kenh,
                applicant_name=IMPORTED_APPLICANT,
                fee_amount=0,
                **{name: getattr(state, name) for name in STATE_FIELDS if name not in ("fee_amount",)},
            )
        )
        histories.append(events)
        existing.add(row.ma_ho_so)
    if strict and report.bad:
        transaction.set_rollback(True)
        return
    Dossier.objects.bulk_create(dossiers, batch_size=2000)
    DossierEvent.objects.bulk_create(
        [
            DossierEvent(dossier=d, sequence=i, kind=e.kind, at=e.at, data=dict(e.data))
            for d, events in zip(dossiers, histories, strict=True)
            for i, e in enumerate(events, start=1)
        ],
        batch_size=5000,
    )
    report.created += len(dossiers)
    if dossiers:
        audit_record(
            actor=actor,
            action="dossiers.import",
            obj=dossiers[0],
            after={
                "file": filename,
                "created": len(dossiers),
                "first": dossiers[0].code,
                "last": dossiers[-1].code,
            },
        )
