"""REST API v1, writes: dossier events from the one-stop system (each kind, per-event errors,
batches, idempotency by the sender's event id, the live indicators moved as by the desk, unit
isolation) and progress reports from a document system."""

from __future__ import annotations

import pytest

from cchc.api.models import ExternalDossier, ReceivedEvent
from cchc.core.actors import ActorKind
from cchc.core.models import AuditEntry
from cchc.dossiers.choices import State
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.indicators.models import MeasureTotal
from cchc.indicators.rebuild import rebuild

from .api_support import Api, register
from .test_dossiers_support import make_procedure


@pytest.fixture
def w(tree, users):
    w = type("W", (), {})()
    w.tree = tree
    w.procedure = make_procedure(tree.agency("STP"))
    w.client, token = register(tree.province, "write", name="Một cửa điện tử tỉnh")
    w.api = Api(token)
    return w


APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678"}


def receipt(event_id="r1", code="MC-0001", at="2026-03-02T09:00:00", **kw):
    return {
        "event_id": event_id,
        "kind": "receipt",
        "dossier_code": code,
        "at": at,
        "procedure_code": "1.001193",
        "handling_unit_code": "P75.STP",
        "receiving_unit_code": "P75.TTPVHCC",
        "channel": "truc_tiep",
        "applicant": APPLICANT,
    } | kw


def life(code="MC-0001", prefix=""):
    """A dossier's whole life: receipt, two steps, a pause and its end, the result, the return."""
    return [
        receipt(f"{prefix}r", code),
        {
            "event_id": f"{prefix}s2",
            "kind": "step",
            "dossier_code": code,
            "at": "2026-03-02T11:00:00",
            "step": 2,
        },
        {
            "event_id": f"{prefix}p",
            "kind": "pause",
            "dossier_code": code,
            "at": "2026-03-03T10:00:00",
            "missing": ["Giấy chứng sinh"],
        },
        {"event_id": f"{prefix}q", "kind": "resume", "dossier_code": code, "at": "2026-03-05T14:00:00"},
        {
            "event_id": f"{prefix}s3",
            "kind": "step",
            "dossier_code": code,
            "at": "2026-03-06T10:00:00",
            "step": 3,
        },
        {
            "event_id": f"{prefix}k",
            "kind": "result",
            "dossier_code": code,
            "at": "2026-03-09T08:00:00",
            "granted": True,
        },
        {
            "event_id": f"{prefix}t",
            "kind": "return",
            "dossier_code": code,
            "at": "2026-03-09T09:00:00",
            "method": "desk",
        },
    ]


def test_a_whole_life_through_the_services(w):
    response = w.api.post("/dossier-events", {"events": life()})
    body = response.json()
    assert response.status_code == 200, body
    assert (body["applied"], body["duplicates"], body["rejected"]) == (7, 0, 0)
    assert [r["state"] for r in body["results"]] == [
        "received",
        "in_progress",
        "waiting_supplement",
        "in_progress",
        "in_progress",
        "result_ready",
        "returned",
    ]
    d = Dossier.objects.get(code=body["results"][0]["cchc_code"])
    assert ExternalDossier.objects.get(code="MC-0001").dossier == d
    assert d.state == State.RETURNED and d.result == "chap_thuan" and d.supplement_count == 1
    assert d.handling_unit.code == "P75.STP" and d.receiving_unit.code == "P75.TTPVHCC"
    assert DossierEvent.objects.filter(dossier=d).count() == d.event_count
    entries = AuditEntry.objects.filter(object_type="dossiers.dossier", object_id=str(d.pk))
    assert entries.count() == d.event_count and {e.actor_kind for e in entries} == {ActorKind.API_CLIENT}
    assert {e.client_name for e in entries} == {"Một cửa điện tử tỉnh"}


def test_the_live_indicators_move_as_for_the_desk(w):
    """The totals the events left equal a rebuild from the dossiers: the API went through the
    dossier services and their observers, like an officer at the desk."""
    assert not MeasureTotal.objects.exists()
    w.api.post("/dossier-events", {"events": life() + life("MC-0002", "b")[:3]})
    assert MeasureTotal.objects.exists()
    assert rebuild(years=[2026], check=True).differences == []


def test_the_same_event_id_twice_changes_nothing_the_second_time_and_says_so(w):
    first = w.api.post("/dossier-events", {"events": life()}).json()
    audit, events = AuditEntry.objects.count(), DossierEvent.objects.count()
    again = w.api.post("/dossier-events", {"events": life()}).json()
    assert (again["applied"], again["duplicates"], again["rejected"]) == (0, 7, 0)
    assert all(r["status"] == "duplicate" for r in again["results"])
    assert [r["cchc_code"] for r in again["results"]] == [r["cchc_code"] for r in first["results"]]
    assert (AuditEntry.objects.count(), DossierEvent.objects.count(), Dossier.objects.count()) == (
        audit,
        events,
        1,
    )
    assert ReceivedEvent.objects.count() == 7
    # within one batch, too
    batch = [receipt("x1", "MC-0002"), receipt("x1", "MC-0002")]
    body = w.api.post("/dossier-events", {"events": batch}).json()
    assert [r["status"] for r in body["results"]] == ["applied", "duplicate"]


def test_per_event_errors_are_returned_and_leave_nothing(w):
    events = [
        receipt("a", "MC-1"),
        receipt("b", "MC-1"),  # the same dossier code again
        receipt("c", "MC-2", procedure_code="9.999999"),
        receipt("d", "MC-3", applicant={"name": "A", "phone": "12"}),
        receipt("e", "MC-4", handling_unit_code="W09999"),  # another province
        receipt("f", "MC-5", at="2099-01-01T00:00:00"),  # the future
        {
            "event_id": "g",
            "kind": "return",
            "dossier_code": "MC-1",
            "at": "2026-03-02T10:00:00",
            "method": "desk",
        },
        {"event_id": "h", "kind": "step", "dossier_code": "MC-404", "at": "2026-03-02T10:00:00", "step": 2},
        {"event_id": "i", "kind": "apology", "dossier_code": "MC-1", "at": "2026-03-02T10:00:00"},
        {"event_id": "j", "kind": "step", "dossier_code": "MC-1", "at": "2026-03-01T10:00:00", "step": 2},
        {
            "event_id": "k",
            "kind": "result",
            "dossier_code": "MC-1",
            "at": "2026-03-02T10:00:00",
            "granted": False,
        },
    ]
    body = w.api.post("/dossier-events", {"events": events}).json()
    results = {r["event_id"]: r for r in body["results"]}
    assert (body["applied"], body["rejected"]) == (1, 10)
    codes = {k: r["error"]["code"] for k, r in results.items() if r["status"] == "rejected"}
    assert codes == {
        "b": "api_dossier_exists",
        "c": "api_procedure_unknown",
        "d": "dossier_receipt_invalid",
        "e": "api_unit_unknown",
        "f": "moment_in_future",
        "g": "dossier_wrong_state",
        "h": "api_dossier_unknown",
        "i": "api_event_field_missing",
        "j": "moment_before_last_event",
        "k": "refusal_reason_required",
    }
    assert all(results[k]["error"]["message"] for k in codes)
    assert "applicant_phone" in results["d"]["error"]["errors"]
    assert Dossier.objects.count() == 1 and ReceivedEvent.objects.count() == 1
    # a refused event is not remembered: sent again once its cause is fixed, it applies
    fixed = receipt("c", "MC-2")
    assert w.api.post("/dossier-events", {"events": [fixed]}).json()["applied"] == 1


def test_a_batch_of_the_wrong_shape_is_refused_whole(w):
    for body in (
        {"events": []},
        {"events": [{"event_id": "x", "kind": "explode", "dossier_code": "A", "at": "2026-03-02T09:00:00"}]},
        {"events": [receipt() for _ in range(1001)]},
        {"events": [receipt(at="hôm qua")]},
        {"nothing": 1},
    ):
        response = w.api.post("/dossier-events", body)
        assert response.status_code == 422 and response.json()["code"] == "api_request_invalid"
    assert not Dossier.objects.exists()
    bad_json = w.api.http.post(
        "/api/v1/dossier-events", "{not json", content_type="application/json", headers=w.api.headers
    )
    assert bad_json.status_code in (400, 422)


def test_dossiers_of_another_province_are_out_of_reach(w, tree):
    make_procedure(tree.other_commune, code="2.000001", name="Thủ tục của tỉnh khác", level="commune")
    w.api.post("/dossier-events", {"events": [receipt("r", "MC-1")]})
    other, token = register(tree.other_province, "write", name="Một cửa Tây Ninh")
    api = Api(token)
    body = api.post(
        "/dossier-events",
        {
            "events": [
                {
                    "event_id": "s",
                    "kind": "step",
                    "dossier_code": "MC-1",
                    "at": "2026-03-02T11:00:00",
                    "step": 2,
                },
                receipt("r2", "MC-9", handling_unit_code="P75.STP", receiving_unit_code="P75.TTPVHCC"),
            ]
        },
    ).json()
    assert [r["error"]["code"] for r in body["results"]] == ["api_dossier_unknown", "api_unit_unknown"]
    assert Dossier.objects.get().event_count == 2  # received + B1 started, nothing more


def test_a_commune_client_cannot_act_for_the_province(w, tree):
    commune, token = register(tree.communes[0], "write", name="Một cửa phường")
    body = Api(token).post("/dossier-events", {"events": [receipt()]}).json()
    assert body["results"][0]["error"]["code"] == "api_unit_unknown"


def test_events_continue_a_dossier_imported_from_the_exchange_file(w):
    """A dossier imported by `cchc dossiers import` keeps the sender's code: later events find it."""
    body = w.api.post("/dossier-events", {"events": [receipt("r", "MC-7")]}).json()
    cchc_code = body["results"][0]["cchc_code"]
    step = {
        "event_id": "s",
        "kind": "step",
        "dossier_code": cchc_code,
        "at": "2026-03-02T11:00:00",
        "step": 2,
    }
    assert w.api.post("/dossier-events", {"events": [step]}).json()["applied"] == 1


# --- progress reports ---------------------------------------------------------------------------------


def test_progress_updates(w, issued_plan, tree):
    assignment = issued_plan.tasks.get(number="1").assignments.get()
    foreign = register(tree.other_province, "write", name="Văn bản Tây Ninh")[1]
    updates = [
        {"assignment_id": assignment.pk, "percent": 100, "narrative": "Đã hoàn thành rà soát."},
        {"assignment_id": assignment.pk, "percent": 50, "narrative": "   "},
        {"assignment_id": 2**31 - 1, "percent": 10, "narrative": "Không có"},
    ]
    body = w.api.post("/progress-updates", {"updates": updates}).json()
    assert (body["applied"], body["rejected"]) == (1, 2)
    assert [r["status"] for r in body["results"]] == ["applied", "rejected", "rejected"]
    assert body["results"][1]["error"]["code"] == "progress_report_invalid"
    assert body["results"][2]["error"]["code"] == "api_assignment_unknown"
    assignment.refresh_from_db()
    assert assignment.percent == 100 and assignment.completed_on is not None and assignment.updates_count == 1
    refused = Api(foreign).post("/progress-updates", {"updates": updates[:1]}).json()
    assert refused["results"][0]["error"]["code"] == "api_assignment_unknown"
    assert (
        Api(foreign)
        .post("/progress-updates", {"updates": [{"assignment_id": 1, "percent": 101, "narrative": "x"}]})
        .status_code
        == 422
    )
