"""The database never holds a dossier in a state its events cannot explain.

Seeded random walks drive dossiers through every service, allowed or not: a call that succeeds
must be a transition the state machine allows; a call that is refused must leave no trace; at
the end, replaying the dossier's events (a pure function) gives exactly the stored fields."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from cchc.core.actors import CITIZEN, SYSTEM
from cchc.core.errors import ServiceError
from cchc.dossiers import services
from cchc.dossiers.choices import EventKind, State
from cchc.dossiers.gateways import SimulatedGateway
from cchc.dossiers.lifecycle import TRANSITIONS, Event, ReplayError, allowed, dossier_replay
from cchc.dossiers.models import Dossier
from cchc.dossiers.services._common import state_of

from .test_dossiers_support import local, make_world, pdf, trace

E = EventKind


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


def actions(w):
    """name -> (the event kind it records, how to call it)."""
    officer, desk = w.users.officer, w.desk_officer

    def pay_online(d, at):
        started = services.payment_start(actor=CITIZEN, dossier=d, at=at)
        paid = random.random() < 0.7
        services.payment_confirm(
            reference=started.payment.reference,
            payload=SimulatedGateway().callback(started.payment.reference, paid=paid),
            at=at,
        )

    def apologise(d, at):
        base = d.current_due_at or at
        services.dossier_apologise(
            actor=officer, dossier=d, new_due_at=base + dt.timedelta(days=3), reason="Chậm xác minh", at=at
        )

    return {
        "accept": (E.RECEIVED, lambda d, at: services.dossier_accept(actor=desk, dossier=d, received_at=at)),
        "handover": (
            E.HANDED_OVER,
            lambda d, at: services.dossier_handover(
                actor=w.performer(d), dossier=d, to_step=(d.current_step or 0) + 1, at=at
            ),
        ),
        "send_back": (
            E.HANDED_OVER,
            lambda d, at: services.dossier_send_back(
                actor=w.performer(d), dossier=d, reason="Cần thẩm định lại", at=at
            ),
        ),
        "request_supplement": (
            E.SUPPLEMENT_REQUESTED,
            lambda d, at: services.dossier_request_supplement(
                actor=officer, dossier=d, missing=["Tờ khai"], at=at
            ),
        ),
        "supplement_received": (
            E.SUPPLEMENT_RECEIVED,
            lambda d, at: services.dossier_supplement_received(actor=CITIZEN, dossier=d, at=at),
        ),
        "apologise": (E.APOLOGY_SENT, apologise),
        "grant": (
            E.RESULT_GRANTED,
            lambda d, at: services.dossier_decide(
                actor=w.signer,
                dossier=d,
                granted=True,
                result_file=pdf() if random.random() < 0.5 else None,
                at=at,
            ),
        ),
        "refuse": (
            E.RESULT_REFUSED,
            lambda d, at: services.dossier_decide(
                actor=w.signer, dossier=d, granted=False, reason="Không đủ điều kiện", at=at
            ),
        ),
        "attach": (
            E.RESULT_FILE_ATTACHED,
            lambda d, at: services.dossier_attach_result_file(
                actor=desk, dossier=d, result_file=pdf(), at=at
            ),
        ),
        "return_desk": (
            E.RETURNED,
            lambda d, at: services.dossier_return(actor=desk, dossier=d, method="desk", at=at),
        ),
        "return_online": (
            E.RETURNED,
            lambda d, at: services.dossier_return(actor=desk, dossier=d, method="online", at=at),
        ),
        "stop": (
            E.STOPPED,
            lambda d, at: services.dossier_stop(actor=desk, dossier=d, reason="Theo đề nghị", at=at),
        ),
        "withdraw": (E.WITHDRAWN, lambda d, at: services.dossier_withdraw(actor=CITIZEN, dossier=d, at=at)),
        "pay_online": (E.PAYMENT_STARTED, pay_online),
        "pay_desk": (
            E.PAYMENT_MADE,
            lambda d, at: services.payment_record_at_desk(actor=desk, dossier=d, at=at),
        ),
        "rate": (
            E.RATED,
            lambda d, at: services.dossier_rate(
                dossier=d, rating=random.choice(["hai_long", "khong_hai_long"]), at=at
            ),
        ),
        "digitise": (
            E.DIGITISED,
            lambda d, at: services.dossier_mark_digitised(actor=desk, dossier=d, at=at),
        ),
        "link": (
            E.DATA_STORE_LINKED,
            lambda d, at: services.dossier_mark_linked_to_data_store(actor=desk, dossier=d, at=at),
        ),
        "sync": (E.SYNCED, lambda d, at: services.dossier_mark_synced(actor=SYSTEM, dossier=d, at=at)),
        "intruder": (
            E.HANDED_OVER,
            lambda d, at: services.dossier_handover(actor=w.users.leader, dossier=d, to_step=2, at=at),
        ),
    }


def walk(w, seed: int, steps: int = 40) -> tuple[Dossier, Counter, set]:
    random.seed(seed)
    table = actions(w)
    at = local(
        2026, random.randint(1, 8), random.randint(1, 28), random.randint(7, 17), random.choice([0, 15, 40])
    )
    start = random.random()
    if start < 0.7:
        d = w.receive(at=at)
    elif start < 0.9:
        d = w.receive(at=at, complete=False, missing=["Giấy chứng sinh"])
    else:
        d = w.receive(at=at, eligible=False, reason="Không thuộc thẩm quyền")
    seen, states = Counter(), {d.state}
    for _ in range(steps):
        at = at + dt.timedelta(minutes=random.choice([0, 5, 30, 120, 480, 1440, 2880]))
        name = random.choice(list(table))
        kind, call = table[name]
        d = Dossier.objects.get(pk=d.pk)
        before_state, before = d.state, trace(d)
        try:
            call(d, at)
        except (ServiceError, PermissionDenied):
            assert trace(d) == before, f"seed {seed}: refused {name} left a trace"
            continue
        assert name != "intruder"
        assert allowed(kind, before_state), f"seed {seed}: {name} succeeded in state {before_state}"
        d = Dossier.objects.get(pk=d.pk)
        states.add(d.state)
        seen.update(d.events.order_by("-sequence").values_list("kind", flat=True)[:3])
    return Dossier.objects.get(pk=d.pk), seen, states


def test_replayed_state_equals_the_stored_fields_on_random_walks(w):
    kinds, states = Counter(), set()
    for seed in range(40):
        d, seen, reached = walk(w, seed)
        events = list(d.events.order_by("sequence"))
        assert dossier_replay(events) == state_of(d), f"seed {seed}: replay differs from the stored dossier"
        kinds.update(seen)
        states |= reached
    # the walks went everywhere
    assert set(kinds) >= set(EventKind.values) - {E.RECEIPT_INCOMPLETE, E.REFUSED_AT_RECEIPT}
    assert states == set(State.values)


def test_replay_is_pure(w, django_assert_num_queries):
    d = w.receive(at=local(2026, 3, 2, 9))
    services.dossier_handover(actor=w.desk_officer, dossier=d, to_step=2, at=local(2026, 3, 2, 10))
    events = list(d.events.order_by("sequence"))
    with django_assert_num_queries(0):
        state = dossier_replay(events)
    assert state.state == State.IN_PROGRESS and state.current_step == 2 and state.event_count == 4


def test_replay_refuses_histories_that_cannot_happen():
    t = local(2026, 3, 2, 9)
    received = Event(
        E.RECEIVED,
        t,
        {"due_at": "2026-03-09T09:00:00+07:00", "duration": "5", "duration_unit": "working_day"},
        1,
    )
    with pytest.raises(ReplayError, match="chưa có kết quả"):
        dossier_replay([received, Event(E.RETURNED, t, {"method": "desk"}, 2)])
    with pytest.raises(ReplayError, match="thiếu hoặc lặp"):
        dossier_replay([received, Event(E.DIGITISED, t, {}, 3)])
    with pytest.raises(ReplayError, match="trước sự kiện liền trước"):
        dossier_replay([received, Event(E.DIGITISED, t - dt.timedelta(minutes=1), {}, 2)])
    with pytest.raises(ReplayError, match="chưa được tạo"):
        dossier_replay([Event(E.STOPPED, t, {}, 1)])
    with pytest.raises(ReplayError):
        dossier_replay([])
    apologised = Event(E.APOLOGY_SENT, t, {"new_due_at": "2026-03-13T17:00:00+07:00"}, 2)
    assert dossier_replay([received, apologised]).current_due_at == local(2026, 3, 13, 17)


def test_a_tampered_cache_is_detected(w):
    d = w.receive(at=local(2026, 3, 2, 9))
    Dossier.objects.filter(pk=d.pk).update(due_at=local(2026, 3, 20, 9))  # not through a service
    d.refresh_from_db()
    assert dossier_replay(d.events.order_by("sequence")) != state_of(d)


def transition_table() -> str:
    columns = [None, *State]
    lines = [
        "| event | new | " + " | ".join(f"`{s.value}`" for s in State) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for kind, (states, to) in TRANSITIONS.items():
        cells = []
        for state in columns:
            if state not in states:
                cells.append("—")
                continue
            target = to.get(state, state) if isinstance(to, dict) else (to or state)
            cells.append("=" if target == state else f"→ {target.value}")
        lines.append(f"| `{kind.value}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_the_documented_state_table_is_the_code():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "dossiers.md").read_text()
    documented = doc.split("<!-- transitions:start -->\n")[1].split("\n<!-- transitions:end -->")[0]
    assert documented == transition_table()
