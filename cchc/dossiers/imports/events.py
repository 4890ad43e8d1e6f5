"""The reference reading of one dossiers.csv row: the events that explain it (`events_for`) and
the row as it stood at a moment (`as_of`). Readable rather than fast — the fast path
(`fast.py`) must give exactly what these give after `lifecycle.dossier_replay`, and is checked
against them (tests, and a sample of every import, `fast.Verifier`).

What the exchange format does not say is filled in as follows (docs/dossiers.md, "Imported
dossiers"):

- events are placed in time between receipt and the end: payment right after receipt, the
  supplement pauses spread over the first half, the apology before the end;
- a pause's clock hours are `tam_dung_gio` split evenly; its working hours are not known and
  are recorded as the same number (only the appointment `han_tra`, which never moves, and the
  clock hours enter the indicators);
- the receiving unit is the handling unit; the applicant is not in the format and is recorded
  as "(nhập từ tệp trao đổi)", with no personal data;
- the result is returned online for online dossiers, at the desk otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from cchc.exchange import formats as f
from cchc.exchange.dossiers import DossierRow
from cchc.procedures.models import Procedure

from ..choices import EventKind as E
from ..choices import ReturnMethod
from ..lifecycle import Event

IMPORTED_APPLICANT = "(nhập từ tệp trao đổi)"
RESULT_EVENT = {
    "chap_thuan": E.RESULT_GRANTED,
    "tu_choi": E.RESULT_REFUSED,
    "dung": E.STOPPED,
    "rut": E.WITHDRAWN,
}


def row_of(line: int, v: tuple) -> DossierRow:
    """The `DossierRow` of a checked record (`RowChecker.check`: datetimes as local µs)."""
    at = f.local_us_to_datetime
    return DossierRow(
        line,
        *v[:4],
        at(v[4]),
        at(v[5]),
        None if v[6] is None else at(v[6]),
        None if v[7] is None else at(v[7]),
        None if v[8] is None else at(v[8]),
        v[9],
        v[10],
        f.hours_from_scaled(v[11]),
        *v[12:19],
    )


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
