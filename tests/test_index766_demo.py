"""`cchc.index766.demo.load_demo_facts`: deterministic demo values for the 766 facts, written so
that every dossier's events still explain it, loaded twice without change, and scored."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from cchc.core.models import AuditEntry
from cchc.dossiers.lifecycle import STATE_FIELDS, dossier_replay
from cchc.dossiers.models import Dossier, DossierEvent, Feedback
from cchc.index766.demo import applicant_type, demo_periods, load_demo_facts
from cchc.index766.models import CertifiedCopyOffer, Snapshot
from cchc.orgs.models import Membership, Role
from cchc.procedures.models import Procedure

from .test_dossiers_support import local, make_world


@pytest.fixture
def w(tree, users):
    Membership.objects.get_or_create(user=users.coordinator, unit=tree.province, role=Role.COORDINATOR)
    return make_world(tree, users)


def _dossiers(w, count: int) -> list[Dossier]:
    """Dossiers through the services, received this year, some finished."""
    rng = random.Random(7)
    today = timezone.localdate()
    made = []
    for i in range(count):
        start = local(today.year, 1, 5, 8) + dt.timedelta(
            days=rng.randrange(0, max(1, (today.timetuple().tm_yday - 30)))
        )
        d = w.receive(at=start, channel=rng.choice(["truc_tiep", "truc_tuyen"]))
        if i % 3:
            w.decide(d, granted=True, at=start + dt.timedelta(days=2))
        made.append(d)
    return made


def _state(d: Dossier) -> dict:
    return {name: getattr(d, name) for name in STATE_FIELDS}


def _snapshot_of_everything() -> tuple:
    return (
        sorted(Dossier.objects.values_list("code", "vneid_authenticated", "linked_to_personal_data_store",
                                           "synced_to_national_portal", "synced_at", "event_count")),
        sorted(DossierEvent.objects.values_list("dossier__code", "sequence", "kind", "at")),
        sorted(Procedure.objects.values_list("code", "applicant_type", "published_on", "made_public_on")),
        sorted(CertifiedCopyOffer.objects.values_list("unit__code", "offered", "since")),
        Feedback.objects.count(),
    )  # fmt: skip


def test_demo_facts_keep_every_dossier_explained_by_its_events(tree, w):
    _dossiers(w, 60)
    report = load_demo_facts(tree.province, feedback_share=0.2)
    assert report["synced_realtime"] > 40 and report["vneid_or_linked"] > 5
    assert report["feedback"] > 3 and report["certified_copies"] == 3
    for d in Dossier.objects.all():
        events = list(d.events.order_by("sequence"))
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        replayed = dossier_replay(events)
        stored = _state(d)
        assert {k: getattr(replayed, k) for k in STATE_FIELDS} == stored, d.code
    synced = Dossier.objects.filter(synced_to_national_portal=True)
    realtime = [d for d in synced if d.synced_at == d.received_at]
    assert len(realtime) >= 0.85 * Dossier.objects.count()
    assert Feedback.objects.exclude(sender_rating="").exists()
    assert AuditEntry.objects.filter(action="index766.demo_facts").count() == 1
    # the index was computed for the year, its quarters and months, with meaningful figures
    year = Snapshot.objects.get(unit=tree.province, period=str(timezone.localdate().year))
    assert year.indicators["synced_dossiers"]["points"] is not None
    assert year.indicators["population_data"]["numerator"] > 0
    assert set(Snapshot.objects.values_list("period", flat=True)) == set(demo_periods(timezone.localdate()))


def test_demo_facts_are_deterministic_and_load_once(tree, w):
    _dossiers(w, 30)
    load_demo_facts(tree.province, compute=False, feedback_share=0.2)
    first = _snapshot_of_everything()
    again = load_demo_facts(tree.province, compute=False, feedback_share=0.2)
    assert again["feedback"] == again["certified_copies"] == again["vneid_or_linked"] == 0
    assert _snapshot_of_everything()[:4] == first[:4] and _snapshot_of_everything()[4] == first[4]


def test_applicant_type_from_the_name():
    rng = random.Random(1)
    kinds = {applicant_type("Đăng ký thành lập doanh nghiệp tư nhân", random.Random(s)) for s in range(40)}
    assert kinds <= {"organisation", "both", ""} and "organisation" in kinds
    assert {applicant_type("Đăng ký khai sinh", random.Random(s)) for s in range(40)} <= {"citizen", ""}
    assert applicant_type("Cấp phép khác", rng) in {"citizen", "organisation", "both", ""}
