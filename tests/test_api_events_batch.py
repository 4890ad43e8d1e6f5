"""The API's batch path of dossier events (`cchc.api.events_batch`) against the one-by-one path
(`cchc.api.events.events_apply`, each event through the dossier services with its savepoint):
over generated sequences of events — every kind, valid or not, in order or not, repeated ids,
dossiers already stored — both give the same answers, dossiers, events, hand-overs, audit rows,
received ids, dossier numbers, notifications and live indicator totals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cchc.api.events import events_apply
from cchc.api.events_batch import events_apply_batch
from cchc.api.models import ExternalDossier, ReceivedEvent
from cchc.api.schemas_write import DossierEventIn
from cchc.core.models import AuditEntry
from cchc.dossiers.models import Dossier, DossierEvent, DossierSequence, Handover
from cchc.indicators.models import FIELDS, MeasureTotal

from .api_support import register
from .test_dossiers_support import make_procedure

APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001090012345", "phone": "0912345678"}
BAD_APPLICANT = {"name": "Nguyễn Văn An", "id_number": "123", "phone": "0912345678"}
START = dt.datetime(2026, 3, 2, 8, 0)
# Shrinking a failing sequence replays both paths hundreds of times (minutes): the failure
# prints the whole sequence and the first difference instead.
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
CODES = ("MC-1", "MC-2", "MC-3", "MC-4")


@pytest.fixture
def w(tree, users):
    w = type("W", (), {})()
    w.procedure = make_procedure(tree.agency("STP"))
    w.client, _ = register(tree.province, "write", name="Một cửa điện tử tỉnh")
    w.actor = w.client.as_actor()
    return w


# --- generated events -------------------------------------------------------------------------------

KINDS = ("receipt", "step", "pause", "resume", "apology", "result", "return")


@st.composite
def an_event(draw, n: int, at: dt.datetime) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    e: dict[str, Any] = {
        "event_id": draw(st.sampled_from([f"e{n}", f"e{n}", f"e{n}", f"e{max(0, n - 1)}"])),
        "kind": kind,
        "dossier_code": draw(st.sampled_from(CODES)),
        "at": at.isoformat(),
    }
    if kind == "receipt":
        e |= {
            "procedure_code": draw(st.sampled_from(["1.001193", "1.001193", "9.999"])),
            "handling_unit_code": draw(st.sampled_from(["P75.STP", "P75.STP", "P80", "NOPE"])),
            "channel": draw(st.sampled_from(["truc_tiep", "truc_tuyen"])),
            "applicant": draw(st.sampled_from([APPLICANT, APPLICANT, BAD_APPLICANT])),
        }
        if draw(st.booleans()):
            e["receiving_unit_code"] = "P75.TTPVHCC"
        shape = draw(st.sampled_from(["complete", "complete", "incomplete", "refused", "bad"]))
        if shape == "incomplete":
            e |= {"complete": False, "missing": ["Giấy chứng sinh"]}
        elif shape == "refused":
            e |= {"eligible": False, "reason": "Không thuộc thẩm quyền."}
        elif shape == "bad":
            e |= {"complete": False}
    elif kind == "step":
        e["step"] = draw(st.sampled_from([1, 2, 2, 3, 3, 4]))
        if draw(st.booleans()):
            e["to_unit_code"] = draw(st.sampled_from(["P75.STP", "P75.TTPVHCC", "NOPE"]))
    elif kind == "pause":
        e["missing"] = draw(st.sampled_from([["Giấy chứng sinh"], ["Giấy chứng sinh"], []]))
    elif kind == "apology":
        e |= {
            "new_due_at": (at + dt.timedelta(days=draw(st.integers(-2, 20)))).isoformat(),
            "reason": draw(st.sampled_from(["Chờ xác minh.", ""])),
        }
    elif kind == "result":
        granted = draw(st.sampled_from([True, True, False, None]))
        if granted is not None:
            e["granted"] = granted
        e["reason"] = draw(st.sampled_from(["", "Không đủ điều kiện."]))
    elif kind == "return":
        method = draw(st.sampled_from(["desk", "post", "online", None]))
        if method is not None:
            e["method"] = method
    return e


@st.composite
def sequences(draw, min_size: int = 1, max_size: int = 24) -> list[dict[str, Any]]:
    """Events in mostly increasing time (now and then one earlier than the last), lives of a few
    dossiers interleaved, most of them valid as the one-stop system would send them."""
    size = draw(st.integers(min_size, max_size))
    at = START
    out = []
    for n in range(size):
        at += dt.timedelta(hours=draw(st.sampled_from([-3, 0, 1, 2, 5, 20, 50])))
        out.append(draw(an_event(n, max(at, START))))
    return out


def lives(codes: tuple[str, ...]) -> list[dict[str, Any]]:
    """Whole valid lives (receipt, B2, pause, resume, B3, result, return), interleaved."""
    out = []
    for i, code in enumerate(codes):
        at = START + dt.timedelta(hours=i)
        steps = [
            ("receipt", 0, {}),
            ("step", 2, {"step": 2}),
            ("pause", 20, {"missing": ["Giấy chứng sinh"]}),
            ("resume", 50, {}),
            ("step", 52, {"step": 3}),
            ("result", 70, {"granted": i % 3 != 0, "reason": "" if i % 3 else "Không đủ điều kiện."}),
            ("return", 72, {"method": "desk"}),
        ]
        for j, (kind, hours, extra) in enumerate(steps):
            e = {
                "event_id": f"{code}-{j}",
                "kind": kind,
                "dossier_code": code,
                "at": (at + dt.timedelta(hours=hours)).isoformat(),
            } | extra
            if kind == "receipt":
                e |= {
                    "procedure_code": "1.001193",
                    "handling_unit_code": "P75.STP",
                    "receiving_unit_code": "P75.TTPVHCC",
                    "channel": "truc_tiep",
                    "applicant": APPLICANT,
                }
            out.append(e)
    return sorted(out, key=lambda e: e["at"])


# --- what both paths must leave the same ------------------------------------------------------------


def _events(raw: list[dict[str, Any]]) -> list[DossierEventIn]:
    return [DossierEventIn.model_validate(e) for e in raw]


def snapshot(audit_from: int) -> dict[str, Any]:
    """Everything the events wrote, with ids that differ between two runs named by content."""
    code_of = dict(Dossier.objects.values_list("pk", "code"))
    handovers = {}
    rows = []
    for h in Handover.objects.order_by("dossier__code", "at", "id").values():
        key = (code_of[h.pop("dossier_id")], h["to_step"], h["at"].isoformat())
        handovers[h.pop("id")] = key
        rows.append((key, h))

    def clean(data: Any) -> Any:
        if isinstance(data, dict):
            return {k: (handovers.get(v, v) if k == "handover" else clean(v)) for k, v in data.items()}
        return data

    dossiers = {
        d.pop("code"): {k: v for k, v in d.items() if k not in ("id", "created_at")}
        for d in Dossier.objects.values()
    }
    events = [
        (code_of[e.dossier_id], e.sequence, e.kind, e.at, clean(e.data), e.actor_id)
        for e in DossierEvent.objects.order_by("dossier__code", "sequence")
    ]
    audit = [
        (
            a.action,
            a.object_type,
            code_of.get(int(a.object_id)) if a.object_type == "dossiers.dossier" else a.object_id,
            a.object_repr,
            a.unit_id,
            a.actor_kind,
            a.client_id,
            a.client_name,
            clean(a.before),
            clean(a.after),
        )
        for a in AuditEntry.objects.filter(pk__gt=audit_from).order_by("pk")
    ]
    totals = {
        (t["unit_id"], t["period"]): tuple(t[f] for f in FIELDS)
        for t in MeasureTotal.objects.values("unit_id", "period", *FIELDS)
        if any(t[f] for f in FIELDS)
    }
    return {
        "dossiers": dossiers,
        "events": events,
        "handovers": rows,
        "audit": audit,
        "received": list(
            ReceivedEvent.objects.order_by("pk").values_list(
                "client_id", "event_id", "kind", "dossier_code", "result"
            )
        ),
        "external": {e.code: code_of[e.dossier_id] for e in ExternalDossier.objects.all()},
        "sequences": set(DossierSequence.objects.values_list("scope", "day", "last")),
        "totals": totals,
    }


def _notifications() -> int:
    return sum(
        getattr(func, "__code__", None) is not None and func.__code__.co_filename.endswith("notify.py")
        for _, func, _ in connection.run_on_commit
    )


def run(apply, w, raw: list[dict[str, Any]]) -> tuple[list[dict], dict[str, Any], int]:
    """Apply ``raw`` with ``apply``, look at what it left, and roll it all back."""
    audit_from = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        before = _notifications()
        answers = apply(actor=w.actor, client=w.client, events=_events(raw))
        seen = snapshot(audit_from)
        notified = _notifications() - before
        transaction.set_rollback(True)
    return answers, seen, notified


def assert_same(w, raw: list[dict[str, Any]]) -> list[dict]:
    one_by_one = run(events_apply, w, raw)
    batch = run(events_apply_batch, w, raw)
    assert batch[0] == one_by_one[0], "answers"
    for key, expected in one_by_one[1].items():
        got = batch[1][key]
        if isinstance(expected, list) and got != expected:
            diff = next((i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), None)
            if diff is not None:
                raise AssertionError(
                    f"{key} #{diff}:\nbatch       {got[diff]}\none by one  {expected[diff]}\n{raw}"
                )
        assert got == expected, key
    assert batch[2] == one_by_one[2], "notifications"
    return batch[0]


# --- the properties -----------------------------------------------------------------------------------


@settings(
    max_examples=25,
    deadline=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(raw=sequences())
def test_a_batch_leaves_what_the_events_one_by_one_leave(w, raw):
    assert_same(w, raw)


@settings(
    max_examples=10,
    deadline=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(first=sequences(4, 12), then=sequences(1, 16))
def test_the_same_on_dossiers_already_stored(w, first, then):
    """Dossiers received by an earlier request (either path: they agree) are loaded, locked
    and moved by the batch as by the services."""
    with transaction.atomic():
        events_apply(actor=w.actor, client=w.client, events=_events(first))
        for e in then:
            e["event_id"] = "then-" + e["event_id"]
        assert_same(w, first + then)  # the first part: all duplicates now
        transaction.set_rollback(True)


def test_whole_lives_and_a_refusal_midway(w):
    raw = lives(CODES)
    # an event refused in the middle of a dossier's life leaves nothing: the next ones go on
    raw.insert(
        5, {"event_id": "bad", "kind": "return", "dossier_code": "MC-1", "at": raw[4]["at"], "method": "desk"}
    )
    answers = assert_same(w, raw)
    assert [a["status"] for a in answers].count("applied") == 7 * len(CODES)
    assert next(a for a in answers if a["event_id"] == "bad")["status"] == "rejected"
    assert answers[-1]["state"] == "returned"


def test_a_batch_writes_in_a_few_queries(w, django_assert_max_num_queries):
    raw = lives(tuple(f"MC-{i}" for i in range(30)))
    with django_assert_max_num_queries(40):
        answers = events_apply_batch(actor=w.actor, client=w.client, events=_events(raw))
    assert {a["status"] for a in answers} == {"applied"}
    assert Dossier.objects.count() == 30 and ReceivedEvent.objects.count() == len(raw)
