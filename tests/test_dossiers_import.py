"""dossiers.csv into the database: every row explained by events, re-import changes nothing,
bad rows reported by line, and the export gives the rows back.

The import's fast path (integers, binary COPY on PostgreSQL, a reading child process) is checked
against the reference — `events_for` then `lifecycle.dossier_replay` — on every field and event
of generated files, and `cchc dossiers generate --database` against the CSV of the same seed."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Prefetch

from cchc.core.actors import SYSTEM
from cchc.core.models import AuditEntry
from cchc.dossiers.imports import (
    FastPathMismatch,
    as_of,
    dossiers_import,
    events_for,
    fast,
)
from cchc.dossiers.lifecycle import STATE_FIELDS, Event, dossier_replay
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.dossiers.observers import observers
from cchc.exchange import DossierRow, iter_checked, iter_dossiers
from cchc.exchange import generate as g
from cchc.indicators.models import MeasureTotal
from cchc.indicators.rebuild import rebuild
from cchc.orgs.models import Unit
from cchc.procedures.models import Procedure
from cchc.procedures.services import procedure_save

HEADER = "ma_ho_so,ma_tthc,ma_don_vi,kenh,tiep_nhan_luc,han_tra,han_tra_moi,ket_thuc_luc,tra_kq_luc,ket_qua,so_lan_bo_sung,tam_dung_gio,co_nghia_vu_tai_chinh,thanh_toan_truc_tuyen,ket_qua_dien_tu,so_hoa,tai_su_dung,xin_loi,danh_gia"
ROWS = [
    # granted on time, returned online, rated, paid online
    "HS-1,1.000001,W00001,truc_tuyen,2026-03-02 09:00,2026-03-05 09:00,,2026-03-04 10:00,2026-03-04 11:00,chap_thuan,0,0,1,1,1,1,1,0,hai_long",
    # two supplement requests (late by the rule), apology with a new date, refused
    "HS-2,1.000001,W00001,truc_tiep,2026-03-02 14:00,2026-03-09 14:00,2026-03-12 14:00,2026-03-11 16:00,,tu_choi,2,30.5,0,0,0,0,0,1,",
    # still open
    "HS-3,1.000001,W00002,buu_chinh,2026-03-03 08:00,2026-03-06 08:00,,,,,0,0,0,0,0,0,0,0,",
    # stopped at the applicant's request
    "HS-4,1.000001,W00002,truc_tiep,2026-03-03 08:00,2026-03-06 08:00,,2026-03-04 08:00,,dung,1,2,0,0,0,0,0,0,",
    # bad: unknown unit; bad: end before receipt
    "HS-5,1.000001,W99999,truc_tiep,2026-03-03 08:00,2026-03-06 08:00,,,,,0,0,0,0,0,0,0,0,",
    "HS-6,1.000001,W00001,truc_tiep,2026-03-03 08:00,2026-03-06 08:00,,2026-03-01 08:00,,chap_thuan,0,0,0,0,0,0,0,0,",
    # bad: a procedure that is not in the catalogue
    "HS-7,9.999999,W00001,truc_tiep,2026-03-03 08:00,2026-03-06 08:00,,,,,0,0,0,0,0,0,0,0,",
]
# Rows that take the fast path's rarer branches: thirds of an hour, ISO offsets and fractions,
# an apology without a new date, a zero-length dossier, half-microsecond rounding, results that
# carry a file, a return or a rating they must not keep.
EDGE_ROWS = [
    "E-1,1.000001,W00001,truc_tiep,2026-03-02 09:00,2026-03-10 09:00,,2026-03-09 16:00,2026-03-10 08:00,chap_thuan,3,10,1,0,0,1,0,1,khong_hai_long",
    "E-2,1.000001,W00002,truc_tuyen,2026-03-02T09:00:00.123456+07:00,2026-03-05T02:00Z,,2026-03-04T10:00:00.5+07,,tu_choi,1,0.333,0,0,1,0,1,0,binh_thuong",
    "E-3,1.000001,W00001,truc_tiep,2026-03-02 09:00:00,2026-03-02 09:00:00,,2026-03-02 09:00:00,2026-03-02 09:00:00,chap_thuan,2,0,0,0,1,0,0,1,rat_hai_long",
    "E-4,1.000001,W00001,buu_chinh,2026-03-02 09:00:00.000000,2026-03-03 09:00,,2026-03-02 09:00:00.000003,,dung,1,0.25,1,1,1,1,1,0,hai_long",
    "E-5,1.000001,W00003,truc_tiep,2026-03-02 15:30,2026-03-05 17:00,2026-03-20 17:00,,,,4,99.99,1,0,0,1,1,1,",
    "E-6,1.000001,W00003,truc_tuyen,2026-03-02 15:30,2026-03-05 17:00,,2026-03-06 10:00,2026-03-06 10:00,rut,0,0,0,0,1,0,0,1,hai_long",
]


@pytest.fixture
def procedure(tree):
    return procedure_save(
        actor=SYSTEM,
        code="1.000001",
        name="Đăng ký khai sinh",
        agency=tree.province,
        level="commune",
        processing_time=Decimal(3),
        time_unit="working_day",
    )


@pytest.fixture
def exchange_file(procedure, tmp_path):
    path = tmp_path / "dossiers.csv"
    path.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def write_csv(tmp_path, rows, name="d.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# --- the reference -----------------------------------------------------------------------------------


def stored() -> dict:
    """Every imported dossier as (identity, state fields, events), by code."""
    qs = Dossier.objects.select_related("procedure", "handling_unit", "receiving_unit").prefetch_related(
        Prefetch("events", queryset=DossierEvent.objects.order_by("sequence"))
    )
    out = {}
    for d in qs:
        events = [(e.sequence, e.kind, e.at, e.data) for e in d.events.all()]
        identity = (
            d.procedure.code,
            d.handling_unit.code,
            d.receiving_unit.code,
            d.channel,
            d.applicant_name,
        )
        out[d.code] = (identity, {n: getattr(d, n) for n in STATE_FIELDS}, events)
    return out


def expected(row: DossierRow, procedures: dict[str, Procedure]):
    events = events_for(row, procedures[row.ma_tthc])
    state = dossier_replay(events)
    return events, state


def assert_equals_reference(rows, *, now=None):
    """Each row's dossier in the database is exactly what the reference makes of the row."""
    procedures = {p.code: p for p in Procedure.objects.all()}
    db = stored()
    count = 0
    for row in rows:
        if now is not None:
            row = as_of(row, now)
        identity, fields, events = db[row.ma_ho_so]
        want_events, want = expected(row, procedures)
        assert identity == (row.ma_tthc, row.ma_don_vi, row.ma_don_vi, row.kenh, "(nhập từ tệp trao đổi)")
        assert [(s, k, a) for s, k, a, _ in events] == [
            (i, e.kind, e.at) for i, e in enumerate(want_events, start=1)
        ], row.ma_ho_so
        assert [d for *_, d in events] == [json.loads(json.dumps(e.data)) for e in want_events], row.ma_ho_so
        for name in STATE_FIELDS:
            if name == "fee_amount":
                continue
            assert fields[name] == getattr(want, name), (
                row.ma_ho_so,
                name,
                fields[name],
                getattr(want, name),
            )
        # and the stored events, replayed, give the stored fields
        replayed = dossier_replay(Event(k, a, d, s) for s, k, a, d in events)
        assert all(getattr(replayed, n) == fields[n] for n in STATE_FIELDS), row.ma_ho_so
        count += 1
    return count


# --- small files ---------------------------------------------------------------------------------------


def test_import_explains_every_dossier_by_its_events(exchange_file, users):
    report = dossiers_import(actor=users.admin, path=exchange_file)
    assert report.created == 4 and report.unchanged == 0
    assert sorted(b.line for b in report.bad) == [6, 7, 8]
    assert "W99999" in str(report.bad[0]) or "đơn vị" in str(report.bad[0])
    for dossier in Dossier.objects.all():
        state = dossier_replay(dossier.events.order_by("sequence"))
        assert all(getattr(state, n) == getattr(dossier, n) for n in STATE_FIELDS if n != "fee_amount"), (
            dossier.code
        )
    one, two, three, four = (Dossier.objects.get(code=f"HS-{i}") for i in range(1, 5))
    assert (one.state, one.result, one.paid_online, one.rating, one.electronic_result) == (
        "returned",
        "chap_thuan",
        True,
        "hai_long",
        True,
    )
    assert (two.supplement_count, two.paused_elapsed_hours, two.apologised, two.result) == (
        2,
        Decimal("30.50"),
        True,
        "tu_choi",
    )
    assert two.due_at == dt.datetime(2026, 3, 9, 7, 0, tzinfo=dt.UTC)  # the appointment never moves
    assert three.state == "received" and three.finished_at is None
    assert four.state == "stopped"
    entry = AuditEntry.objects.get(action="dossiers.import")
    assert (
        entry.actor == users.admin and entry.after["created"] == 4 and entry.after["file"] == "dossiers.csv"
    )
    rows = [r for r in iter_dossiers(exchange_file, {"W00001", "W00002"}) if isinstance(r, DossierRow)]
    assert assert_equals_reference([r for r in rows if r.ma_tthc == "1.000001"]) == 4


@pytest.mark.parametrize("background", [True, False], ids=["child-process", "inline"])
def test_edge_rows_equal_the_reference(procedure, users, tmp_path, background):
    path = write_csv(tmp_path, EDGE_ROWS)
    report = dossiers_import(actor=users.admin, path=path, background=background)
    assert (report.created, report.bad) == (len(EDGE_ROWS), [])
    assert report.verified == len(EDGE_ROWS)  # a new shape each: every one was replayed at import
    rows = list(iter_dossiers(path, {"W00001", "W00002", "W00003"}))
    assert assert_equals_reference(rows) == len(EDGE_ROWS)
    e1 = Dossier.objects.get(code="E-1")
    assert e1.paused_elapsed_hours == Decimal("9.99")  # 10 h over 3 pauses, 3.33 each
    assert e1.rating == "khong_hai_long" and e1.new_due_at == e1.due_at  # apology without a new date
    assert Dossier.objects.get(code="E-6").rating == ""  # withdrawn: no rating kept


def test_reimport_changes_nothing(exchange_file, users):
    dossiers_import(actor=users.admin, path=exchange_file)
    before, audit = stored(), AuditEntry.objects.count()
    events = DossierEvent.objects.count()
    again = dossiers_import(actor=users.admin, path=exchange_file)
    assert again.created == 0 and again.unchanged == 4 and len(again.bad) == 3
    assert stored() == before
    assert DossierEvent.objects.count() == events and AuditEntry.objects.count() == audit


def test_a_reimported_code_with_other_content_is_a_conflict_by_line(exchange_file, users, tmp_path, capsys):
    """Issue 17: a code already imported whose row changed in the file was kept silently. It is now
    a conflict: reported with its line, the stored dossier kept as it was (docs/decisions.md)."""
    dossiers_import(actor=users.admin, path=exchange_file)
    before, events = stored(), DossierEvent.objects.count()
    changed = list(ROWS)
    changed[0] = changed[0].replace(",truc_tuyen,", ",truc_tiep,")  # HS-1, line 2: another channel
    changed[2] = changed[2].replace("2026-03-06 08:00", "2026-03-07 08:00")  # HS-3, line 4: new due date
    new_row = "HS-9,1.000001,W00002,truc_tiep,2026-03-03 08:00,2026-03-06 08:00,,,,,0,0,0,0,0,0,0,0,"
    again = dossiers_import(actor=users.admin, path=write_csv(tmp_path, [*changed, new_row], name="v2.csv"))
    assert (again.created, again.unchanged) == (1, 2)  # HS-9 new; HS-2, HS-4 the same rows
    conflicts = [(b.line, b.reason) for b in again.bad if "xung đột" in b.reason]
    assert conflicts == [
        (
            2,
            "ma_ho_so: hồ sơ «HS-1» đã nhập trước đây với nội dung khác; giữ nguyên hồ sơ đã lưu, không ghi đè (xung đột)",
        ),
        (
            4,
            "ma_ho_so: hồ sơ «HS-3» đã nhập trước đây với nội dung khác; giữ nguyên hồ sơ đã lưu, không ghi đè (xung đột)",
        ),
    ]
    assert [b.line for b in again.bad] == [2, 4, 6, 7, 8]  # in file order, with the bad rows
    after = stored()
    assert {code: after[code] for code in before} == before  # nothing written over
    assert DossierEvent.objects.count() == events + Dossier.objects.get(code="HS-9").event_count
    # the command says rows were skipped (exit status 1) and names the line
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        call_command("dossiers_import", str(tmp_path / "v2.csv"))
    assert (
        exc.value.code == 1 and "dòng 2: ma_ho_so: hồ sơ «HS-1» đã nhập trước đây" in capsys.readouterr().err
    )


def test_the_same_values_spelled_otherwise_are_the_same_row(exchange_file, users, tmp_path):
    """The digest is of the checked values: another column order, spaces around values and ISO
    8601 datetimes with an offset give the same row — unchanged, not a conflict."""
    dossiers_import(actor=users.admin, path=exchange_file)
    before = stored()
    records = list(csv.reader(io.StringIO(HEADER + "\n" + "\n".join(ROWS[:4]))))
    header, rows = records[0], records[1:]
    order = list(reversed(range(len(header))))
    spelled = []
    for r in rows:
        r = list(r)
        r[4] = r[4].replace(" ", "T") + ":00+07:00"  # 2026-03-02T09:00:00+07:00
        r[5] = f" {r[5]}\t"
        spelled.append(",".join(r[i] for i in order))
    path = tmp_path / "again.csv"
    path.write_text(",".join(header[i] for i in order) + "\n" + "\n".join(spelled) + "\n", encoding="utf-8")
    again = dossiers_import(actor=users.admin, path=path)
    assert (again.created, again.unchanged, again.bad) == (0, 4, [])
    assert stored() == before


def test_a_code_of_a_dossier_not_imported_is_a_conflict(exchange_file, users):
    dossiers_import(actor=users.admin, path=exchange_file)
    Dossier.objects.filter(code="HS-2").update(import_digest="")  # as a dossier received at the desk
    before = stored()
    again = dossiers_import(actor=users.admin, path=exchange_file)
    assert (again.created, again.unchanged) == (0, 3)
    bad = {b.line: b.reason for b in again.bad}
    assert bad[3] == (
        "ma_ho_so: mã hồ sơ «HS-2» đã có trong cơ sở dữ liệu (không do nhập tệp); giữ nguyên, không ghi đè (xung đột)"
    )
    assert stored() == before


def test_strict_stops_at_a_conflict_and_writes_nothing_of_its_batch(exchange_file, users, tmp_path):
    dossiers_import(actor=users.admin, path=write_csv(tmp_path, ROWS[1:2], name="one.csv"))  # HS-2
    rows = [ROWS[0], ROWS[1].replace(",tu_choi,", ",chap_thuan,"), ROWS[2], ROWS[3]]
    report = dossiers_import(actor=users.admin, path=write_csv(tmp_path, rows), strict=True, batch_size=10)
    assert [(b.line, "xung đột" in b.reason) for b in report.bad] == [(3, True)]
    assert report.created == 0 and sorted(Dossier.objects.values_list("code", flat=True)) == ["HS-2"]


def test_an_import_stopped_midway_resumes_by_importing_again(exchange_file, users):
    """A killed import leaves whole batches only (one transaction each); running it again adds
    the rest and ends exactly as an import that never stopped."""

    class StopThirdBatch:
        def dossier_changed(self, before, after, *, unit_id, channel):
            pass

        def dossiers_added(self, dossiers):
            if any(d.code == "HS-3" for d in dossiers):
                raise KeyboardInterrupt  # Ctrl+C in the middle of the batch of HS-3

    stopping = observers.register(StopThirdBatch())
    try:
        with pytest.raises(KeyboardInterrupt):
            dossiers_import(actor=users.admin, path=exchange_file, batch_size=1)
    finally:
        observers.unregister(stopping)
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["HS-1", "HS-2"]
    resumed = dossiers_import(actor=users.admin, path=exchange_file, batch_size=1)
    assert (resumed.created, resumed.unchanged, len(resumed.bad)) == (2, 2, 3)
    rows = [r for r in iter_dossiers(exchange_file, {"W00001", "W00002"}) if isinstance(r, DossierRow)]
    assert assert_equals_reference([r for r in rows if r.ma_tthc == "1.000001"]) == 4
    assert MeasureTotal.objects.exists() and rebuild(check=True).differences == []  # live totals too


def test_strict_stops_at_the_first_bad_row_and_writes_nothing_of_its_batch(exchange_file, users):
    # batches of 3: HS-1..HS-3 are committed; HS-4 shares its batch with the bad row HS-5
    report = dossiers_import(actor=users.admin, path=exchange_file, strict=True, batch_size=3)
    assert [b.line for b in report.bad] == [6]
    assert report.created == 3
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["HS-1", "HS-2", "HS-3"]
    for dossier in Dossier.objects.all():
        assert dossier.events.count() == dossier.event_count
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("dossiers_import", str(exchange_file), strict=True, batch_size=3, stderr=err)
    assert exc.value.code == 2


def test_a_failing_batch_leaves_no_trace(exchange_file, users, monkeypatch):
    calls = []

    class FailSecondBatch:  # an observer of the dossier app that breaks on the second batch
        def dossier_changed(self, before, after, *, unit_id, channel):
            pass

        def dossiers_added(self, dossiers):
            calls.append(len(dossiers))
            if len(calls) == 2:
                raise RuntimeError("máy chủ ngừng giữa chừng")

    failing = observers.register(FailSecondBatch())
    try:
        with pytest.raises(RuntimeError):
            dossiers_import(actor=users.admin, path=exchange_file, batch_size=2)
    finally:
        observers.unregister(failing)
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["HS-1", "HS-2"]
    assert DossierEvent.objects.filter(dossier__code__in=["HS-3", "HS-4"]).count() == 0
    assert AuditEntry.objects.filter(action="dossiers.import").count() == 1


def test_a_fast_path_that_disagrees_with_the_reference_stops_the_import(exchange_file, users, monkeypatch):
    original = fast.Builder.build

    def wrong(self, line, values):
        built = original(self, line, values)
        if built.code == "HS-2":
            built.state = (*built.state[:-2], built.state[-2] + 1, built.state[-1])  # one event too many
        return built

    monkeypatch.setattr(fast.Builder, "build", wrong)
    with pytest.raises(FastPathMismatch, match="HS-2"):
        dossiers_import(actor=users.admin, path=exchange_file)
    assert not Dossier.objects.exists()


def test_bad_rows_are_reported_by_line(procedure, users, tmp_path):
    ok = "2026-03-02 09:00,2026-03-05 09:00,,,,,0,0,0,0,0,0,0,0,"
    rows = [
        f"A-1,1.000001,W00001,truc_tiep,{ok}",
        f"A-1,1.000001,W00001,truc_tiep,{ok}",  # line 3: repeats line 2
        f"{'X' * 65},1.000001,W00001,truc_tiep,{ok}",  # line 4: longer than the column
        f"A-2,9.999999,W00001,truc_tiep,{ok}",  # line 5: unknown procedure
        "A-3,1.000001,W00001,truc_tiep,2026-03-02 09:00,2026-03-05 09:00,,,,,101,1,0,0,0,0,0,0,",  # 6
        f'"A-4\nB",1.000001,W00001,truc_tiep,{ok}',  # lines 7–8: a quoted line break is fine
        f"A-5,1.000001,W00001,truc_tiep,{ok}",  # line 9
        "A-6,1.000001,W00001,thu_tay,2026-03-02 09:00,2026-03-05 09:00,,,,,0,0,0,0,0,0,0,0,",  # 10
    ]
    report = dossiers_import(actor=users.admin, path=write_csv(tmp_path, rows))
    bad = {b.line: b for b in report.bad}
    assert sorted(bad) == [3, 4, 5, 6, 10]
    assert "trùng với dòng 2" in bad[3].reason
    assert "dài quá 64" in bad[4].reason
    assert "mã thủ tục 9.999999 không có trong danh mục" in bad[5].reason
    assert "so_lan_bo_sung" in bad[6].reason
    assert "kenh" in bad[10].reason
    assert sorted(Dossier.objects.values_list("code", flat=True)) == ["A-1", "A-4\nB", "A-5"]


def test_file_problems_are_errors_with_exit_status_2(procedure, tmp_path):
    broken = tmp_path / "broken.csv"
    broken.write_text("ma_ho_so,ma_tthc\nX,1\n", encoding="utf-8")
    for path in (broken, tmp_path / "missing.csv"):
        err = io.StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("dossiers_import", str(path), stderr=err)
        assert exc.value.code == 2
    assert not Dossier.objects.exists()


def test_export_gives_the_rows_back(exchange_file, users):
    dossiers_import(actor=users.admin, path=exchange_file)
    out = io.StringIO()
    call_command("dossiers_export", stdout=out)
    exported = {r["ma_ho_so"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    source = {r["ma_ho_so"]: r for r in csv.DictReader(io.StringIO(HEADER + "\n" + "\n".join(ROWS[:4])))}
    assert set(exported) == set(source)
    for code, row in source.items():
        for column in (
            "ma_tthc",
            "ma_don_vi",
            "kenh",
            "ket_qua",
            "so_lan_bo_sung",
            "co_nghia_vu_tai_chinh",
            "thanh_toan_truc_tuyen",
            "so_hoa",
            "tai_su_dung",
            "xin_loi",
            "danh_gia",
        ):
            assert exported[code][column] == row[column], (code, column)
        assert exported[code]["tiep_nhan_luc"].startswith(row["tiep_nhan_luc"])
        assert exported[code]["han_tra"].startswith(row["han_tra"])
        assert Decimal(exported[code]["tam_dung_gio"]) == Decimal(row["tam_dung_gio"])


# --- generated files -----------------------------------------------------------------------------------

CATALOGUE = [  # (generator's procedure, unit of the catalogue, its processing time and unit)
    (g.Procedure("1.001193", "Đăng ký khai sinh", "Hộ tịch", "STP", "commune"), None, "5", "working_day"),
    (
        g.Procedure("2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", "STP", "commune"),
        None,
        "4",
        "working_hour",
    ),
    (
        g.Procedure("2.001035", "Chứng thực hợp đồng", "Chứng thực", "STP", "commune"),
        None,
        None,
        "working_day",
    ),
    (
        g.Procedure("1.012793", "Đăng ký biến động đất đai", "Đất đai", "SNNMT", "province"),
        "SNNMT",
        "10.5",
        "working_day",
    ),
    (
        g.Procedure("2.002083", "Đăng ký doanh nghiệp", "Doanh nghiệp", "STC", "province"),
        "STC",
        "3",
        "calendar_day",
    ),
    (g.Procedure("1.004222", "Đăng ký thường trú", "Cư trú", "", "central_local"), "", "7", "working_day"),
]


@pytest.fixture
def generated(tree, tmp_path):
    """A 2,500-row generated file for the test province, and its procedures in the catalogue."""
    for p, agency, time, unit in CATALOGUE:
        procedure_save(
            actor=SYSTEM,
            code=p.code,
            name=p.name,
            agency=tree.province if agency in (None, "") else tree.agency(agency),
            level=p.level,
            processing_time=Decimal(time) if time else None,
            time_unit=unit,
        )
    units = [
        (u.code, u.name, u.parent.code if u.parent else "")
        for u in Unit.objects.filter(path__startswith=tree.province.path).order_by("path")
    ]
    path = tmp_path / "generated.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        g.generate(out, count=2500, seed=3, units=units, catalogue=[c[0] for c in CATALOGUE], jobs=1)
    return path, units


def test_generated_file_equals_the_reference_and_keeps_the_live_totals(generated, users):
    path, units = generated
    codes = {code for code, _, _ in units}
    report = dossiers_import(actor=users.admin, path=path, batch_size=700)
    assert report.created == 2500 and report.bad == [] and report.events == DossierEvent.objects.count()
    assert AuditEntry.objects.filter(action="dossiers.import").count() == 4  # one per batch
    rows = [r for r in iter_dossiers(path, codes)]
    assert assert_equals_reference(rows) == 2500
    assert len({r.ma_don_vi for r in rows}) > 3 and len({r.ma_tthc for r in rows}) == len(CATALOGUE)
    # the live indicator totals were moved batch by batch exactly as a full recomputation gives them
    assert rebuild(check=True).differences == []


def test_as_of_imports_rows_as_they_stood(generated, users):
    path, units = generated
    now = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
    report = dossiers_import(actor=users.admin, path=path, as_of_time=now)
    rows = [r for r in iter_dossiers(path, {c for c, _, _ in units}) if r.tiep_nhan_luc <= now]
    assert report.created == len(rows) == Dossier.objects.count()
    assert assert_equals_reference(rows, now=now) == len(rows)
    assert not Dossier.objects.filter(finished_at__gt=now).exists()
    assert not Dossier.objects.filter(returned_at__gt=now).exists()
    assert Dossier.objects.filter(finished_at__isnull=True).count() > 10  # still open at the end of June


def test_every_generated_row_is_verified_when_asked(generated):
    """The verifier itself, on every row: the fast path gives the reference's events and state."""
    path, units = generated
    procs = {p.code: fast.Proc.of(p) for p in Procedure.objects.all()}
    unit_ids = dict(Unit.objects.values_list("code", "pk"))
    builder, verifier = fast.Builder(procs, unit_ids), fast.Verifier(every=1)
    for line, values in iter_checked(path, unit_ids):
        verifier.maybe_check(values, builder.build(line, values))
    assert verifier.checked == 2500 and len(verifier.shapes) > 30


def test_same_rows_through_the_child_process_or_inline(generated, users):
    path, _ = generated
    dossiers_import(actor=users.admin, path=path, batch_size=900, background=True)
    first = stored()
    Dossier.objects.all().delete()
    dossiers_import(actor=users.admin, path=path, batch_size=900, background=False)
    assert stored() == first and len(first) == 2500


# --- cchc dossiers generate --database ----------------------------------------------------------------


def test_generate_database_equals_the_csv_and_is_reproducible(tree, users, tmp_path):
    """Same seed → the same dossiers as importing the CSV of that seed, and again the same."""
    for code in ("1.001193", "2.000635", "1.004873", "2.001035"):  # the most common commune procedures
        procedure_save(
            actor=SYSTEM,
            code=code,
            name=f"Thủ tục {code}",
            agency=tree.province,
            level="commune",
            processing_time=Decimal(3),
            time_unit="working_day",
        )
    orgs = tmp_path / "orgs.csv"
    orgs.write_text(
        "ma_don_vi,ten_don_vi,ma_don_vi_cha\nP75,Tỉnh Đồng Nai,\nW00001,Phường Đồng Xoài,P75\n"
        "W00002,Phường Biên Hòa,P75\nW00003,Xã Lộc Ninh,P75\n",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "dossiers_generate", count=1500, seed="9", orgs=str(orgs), database=True, stdout=out, stderr=err
    )
    first = stored()
    assert 500 < len(first) < 1500  # rows of procedures the catalogue lacks are skipped and counted
    assert f"Đã sinh và nhập {len(first):,} hồ sơ".replace(",", ".") in out.getvalue()
    assert "không có trong danh mục" in err.getvalue()

    csv_path = tmp_path / "same.csv"
    call_command(
        "dossiers_generate", count=1500, seed="9", orgs=str(orgs), out=str(csv_path), quiet=True, jobs=2
    )
    Dossier.objects.all().delete()
    dossiers_import(actor=users.admin, path=csv_path)
    assert stored() == first

    Dossier.objects.all().delete()
    call_command(
        "dossiers_generate",
        count=1500,
        seed="9",
        orgs=str(orgs),
        database=True,
        quiet=True,
        stdout=io.StringIO(),
    )
    assert stored() == first
    call_command(
        "dossiers_generate", count=1500, seed="9", orgs=str(orgs), database=True, quiet=True, stdout=out
    )
    assert "0 hồ sơ" in out.getvalue().splitlines()[-1] and stored() == first  # again: nothing changes

    Dossier.objects.all().delete()
    call_command(
        "dossiers_generate",
        count=1500,
        seed="10",
        orgs=str(orgs),
        database=True,
        quiet=True,
        stdout=io.StringIO(),
    )
    assert stored().keys() != first.keys()


def test_generate_database_refuses_what_it_cannot_do(db, tmp_path):
    for options in (
        {"database": True, "out": str(tmp_path / "x.csv")},
        {"database": True, "province": "P01"},
    ):
        err = io.StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("dossiers_generate", count=10, seed="1", quiet=True, stderr=err, **options)
        assert exc.value.code == 2
    assert not Dossier.objects.exists()


def test_command_exit_status_says_rows_were_skipped(exchange_file, users, tmp_path):
    """0: every row in; 1: the good rows in, bad rows skipped (listed on stderr); 2: stopped."""
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("dossiers_import", str(exchange_file), stderr=err)
    assert exc.value.code == 1
    assert Dossier.objects.count() == 4


def test_a_utf16_file_is_named_as_such(tmp_path, users):
    from cchc.exchange.errors import ExchangeError

    path = tmp_path / "dossiers.csv"
    path.write_text("ma_ho_so,ma_tthc\r\nHS-1,1.0001\r\n", encoding="utf-16")
    with pytest.raises(ExchangeError, match="UTF-16"):
        dossiers_import(actor=users.admin, path=path)
