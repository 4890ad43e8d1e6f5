"""A stored dossier as a row of dossiers.csv (docs/specs/dossier-exchange.md): every column comes
from the model. Dossiers whose clock never started (refused or incomplete at receipt) have no
`tiep_nhan_luc` and are not rows of the exchange.

`tam_dung_gio` is the clock time of the supplement pauses (`paused_elapsed_hours`), not the
working time they added to the due date (`paused_hours`): the spec subtracts it from the end
datetime, `e(d) = end(d) − tam_dung_gio`, and compares with the appointment given at receipt,
so it must be measured on the same clock as those datetimes (see docs/dossiers.md).

`on_time_q(b)` is the spec's `dung_han` rule on the model's fields, as a query filter.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Q

from cchc.core.workingtime import to_local

from .models import Dossier


def _when(value: dt.datetime | None) -> str:
    return f"{to_local(value):%Y-%m-%d %H:%M:%S}" if value else ""


def _hours(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _flag(value: bool) -> str:
    return "1" if value else "0"


def exchange_record(d: Dossier) -> dict[str, str] | None:
    """The dossier as exchange-format strings, in the column order of
    `cchc.exchange.formats.DOSSIER_COLUMNS`; None when its clock never started."""
    if d.received_at is None:
        return None
    return {
        "ma_ho_so": d.code,
        "ma_tthc": d.procedure.code,
        "ma_don_vi": d.handling_unit.code,
        "kenh": d.channel,
        "tiep_nhan_luc": _when(d.received_at),
        "han_tra": _when(d.due_at),
        "han_tra_moi": _when(d.new_due_at),
        "ket_thuc_luc": _when(d.finished_at),
        "tra_kq_luc": _when(d.returned_at),
        "ket_qua": d.result,
        "so_lan_bo_sung": str(d.supplement_count),
        "tam_dung_gio": _hours(d.paused_elapsed_hours),
        "co_nghia_vu_tai_chinh": _flag(d.fee_due),
        "thanh_toan_truc_tuyen": _flag(d.paid_online),
        "ket_qua_dien_tu": _flag(d.electronic_result),
        "so_hoa": _flag(d.digitised),
        "tai_su_dung": _flag(d.data_reused),
        "xin_loi": _flag(d.apologised),
        "danh_gia": d.rating,
    }


def on_time_q(b: dt.datetime) -> Q:
    """The spec's `dung_han` rule as a filter, for a period ending at ``b`` (aware): at most one
    supplement request, and min(end, b) ≤ `on_time_until` (= the appointment at receipt + the
    paused clock time). Open dossiers, and those finished after the period, are judged at b.
    The one definition on the model's fields: the live indicators, the 766 index and the list of
    dossiers behind a figure all use it."""
    ended = Q(finished_at__lt=b, finished_at__lte=F("on_time_until"))
    judged_at_b = (Q(finished_at__isnull=True) | Q(finished_at__gte=b)) & Q(on_time_until__gte=b)
    return Q(supplement_count__lte=1) & (ended | judged_at_b)
