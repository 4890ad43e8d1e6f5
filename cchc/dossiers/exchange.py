"""A stored dossier as a row of dossiers.csv (specs/dossier-exchange.md): every column comes
from the model. Dossiers whose clock never started (refused or incomplete at receipt) have no
`tiep_nhan_luc` and are not rows of the exchange.

`tam_dung_gio` is the clock time of the supplement pauses (`paused_elapsed_hours`), not the
working time they added to the due date (`paused_hours`): the spec subtracts it from the end
datetime, `e(d) = end(d) − tam_dung_gio`, and compares with the appointment given at receipt,
so it must be measured on the same clock as those datetimes (see docs/dossiers.md).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from cchc.core.workingtime import to_local

from .models import Dossier

COLUMNS = (
    "ma_ho_so",
    "ma_tthc",
    "ma_don_vi",
    "kenh",
    "tiep_nhan_luc",
    "han_tra",
    "han_tra_moi",
    "ket_thuc_luc",
    "tra_kq_luc",
    "ket_qua",
    "so_lan_bo_sung",
    "tam_dung_gio",
    "co_nghia_vu_tai_chinh",
    "thanh_toan_truc_tuyen",
    "ket_qua_dien_tu",
    "so_hoa",
    "tai_su_dung",
    "xin_loi",
    "danh_gia",
)


def _when(value: dt.datetime | None) -> str:
    return f"{to_local(value):%Y-%m-%d %H:%M:%S}" if value else ""


def _hours(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _flag(value: bool) -> str:
    return "1" if value else "0"


def exchange_record(d: Dossier) -> dict[str, str] | None:
    """The dossier as exchange-format strings; None when its clock never started."""
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


def on_time_by_exchange_rule(d: Dossier, *, period_end: dt.datetime) -> bool:
    """The spec's `dung_han` rule for a dossier handled in a period ending at `period_end`:
    at most one supplement request, and end − paused clock time ≤ the appointment at receipt."""
    end = d.finished_at if d.finished_at is not None and d.finished_at < period_end else period_end
    effective_end = end - dt.timedelta(hours=float(d.paused_elapsed_hours))
    return d.supplement_count <= 1 and effective_end <= d.due_at
