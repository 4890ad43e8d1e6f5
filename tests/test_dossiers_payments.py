"""Payments through the pluggable gateway (the simulated one by default), at the desk; the
applicant's rating; the facts the 766 index counts."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cchc.core.actors import CITIZEN, SYSTEM
from cchc.core.errors import PermissionDenied, ServiceError
from cchc.dossiers import services
from cchc.dossiers.choices import EventKind
from cchc.dossiers.gateways import GatewayStart, PaymentGateway, SimulatedGateway, get_gateway
from cchc.dossiers.models import Payment, PaymentStatus, Rating

from .conftest import raises_code
from .test_dossiers_support import local, make_procedure, make_world, trace


@pytest.fixture
def w(tree, users):
    return make_world(tree, users)


@pytest.fixture
def d(w):
    return w.receive(at=local(2026, 3, 2, 9))


def test_the_default_gateway_is_the_clearly_labelled_simulation():
    gateway = get_gateway()
    assert isinstance(gateway, SimulatedGateway) and gateway.is_simulated
    assert gateway.label == "Cổng thanh toán mô phỏng — chỉ dùng cho trình diễn"


def test_online_payment_through_the_simulated_gateway(w, d):
    started = services.payment_start(
        actor=CITIZEN, dossier=d, at=local(2026, 3, 2, 10)
    )  # the applicant, online
    payment = started.payment
    assert (
        payment.status == PaymentStatus.PENDING
        and payment.amount == 50_000
        and payment.gateway == "simulated"
    )
    assert payment.reference.startswith("SIM-") and payment.reference in started.redirect_url
    assert "mô phỏng" in started.gateway_label
    callback = SimulatedGateway().callback(payment.reference, paid=True)
    paid = services.payment_confirm(
        reference=payment.reference, payload=callback, at=local(2026, 3, 2, 10, 5)
    )
    assert paid.status == PaymentStatus.PAID and paid.paid_at == local(2026, 3, 2, 10, 5)
    d.refresh_from_db()
    assert d.paid_online and d.fee_due
    assert [e.kind for e in d.events.all()][-2:] == [EventKind.PAYMENT_STARTED, EventKind.PAYMENT_MADE]
    # the gateway repeats its callback: nothing changes
    events = d.events.count()
    assert (
        services.payment_confirm(reference=payment.reference, payload=callback).status == PaymentStatus.PAID
    )
    assert d.events.count() == events
    with raises_code("fee_already_paid"):
        services.payment_start(actor=CITIZEN, dossier=d)


def test_a_forged_callback_is_refused_and_a_failed_one_recorded(w, d):
    payment = services.payment_start(actor=CITIZEN, dossier=d, at=local(2026, 3, 2, 10)).payment
    forged = {"reference": payment.reference, "outcome": "paid", "signature": "0" * 64}
    before = trace(d)
    with raises_code("payment_callback_invalid"):
        services.payment_confirm(reference=payment.reference, payload=forged)
    assert trace(d) == before
    with raises_code("payment_unknown"):
        services.payment_confirm(reference="SIM-UNKNOWN", payload=forged)
    failed = SimulatedGateway().callback(payment.reference, paid=False)
    assert (
        services.payment_confirm(reference=payment.reference, payload=failed).status == PaymentStatus.FAILED
    )
    d.refresh_from_db()
    assert not d.paid_online and d.events.last().kind == EventKind.PAYMENT_FAILED
    # a new attempt is possible after a failure
    assert services.payment_start(actor=CITIZEN, dossier=d).payment.status == PaymentStatus.PENDING


def test_paid_at_the_desk_does_not_count_as_online(w, users, d):
    with pytest.raises(PermissionDenied):
        services.payment_record_at_desk(actor=users.officer_other, dossier=d)
    payment = services.payment_record_at_desk(actor=w.desk_officer, dossier=d, at=local(2026, 3, 2, 9, 30))
    assert payment.status == PaymentStatus.PAID and payment.method == "tai_quay"
    d.refresh_from_db()
    assert not d.paid_online


def test_nothing_to_pay_without_a_fee(w):
    free = make_procedure(w.agency, code="1.000009", name="Thủ tục miễn phí", fee_amount=0)
    d = w.receive(procedure=free, at=local(2026, 3, 2, 9))
    assert not d.fee_due
    with raises_code("no_fee_due"):
        services.payment_start(actor=CITIZEN, dossier=d)
    assert not Payment.objects.exists()


class RecordingGateway(PaymentGateway):
    """A stand-in for a real gateway, to show that the setting selects the implementation."""

    name = "thu-nghiem"
    label = "Cổng thử nghiệm"

    def start(self, payment):
        return GatewayStart(f"TN-{payment.pk}", f"https://cong.example.vn/pay/TN-{payment.pk}")

    def confirm(self, reference, payload=None):
        return "paid" if (payload or {}).get("ok") else "failed"


@override_settings(CCHC_PAYMENT_GATEWAY="tests.test_dossiers_payments.RecordingGateway")
def test_the_gateway_is_chosen_by_setting(w, d):
    started = services.payment_start(actor=CITIZEN, dossier=d, at=local(2026, 3, 2, 10))
    assert started.redirect_url.startswith("https://cong.example.vn/pay/TN-")
    assert (
        services.payment_confirm(reference=started.payment.reference, payload={"ok": True}).status == "paid"
    )


def test_a_payment_made_through_another_gateway_is_not_confirmed_by_this_one(w, d):
    payment = services.payment_start(actor=CITIZEN, dossier=d, at=local(2026, 3, 2, 10)).payment
    with override_settings(CCHC_PAYMENT_GATEWAY="tests.test_dossiers_payments.RecordingGateway"):
        with raises_code("payment_other_gateway"):
            services.payment_confirm(reference=payment.reference, payload={"ok": True})


# --- rating ----------------------------------------------------------------------------------------


def test_rating_once_and_only_after_the_result(w, users, d):
    with raises_code("dossier_wrong_state"):
        services.dossier_rate(dossier=d, rating="hai_long")
    w.decide(d, granted=True, at=local(2026, 3, 5, 9))
    with pytest.raises(ServiceError) as exc:
        services.dossier_rate(dossier=d, rating="tuyet_voi")
    assert "rating" in exc.value.message_dict
    rating = services.dossier_rate(
        dossier=d, rating="rat_hai_long", comment="Nhanh, chu đáo.", at=local(2026, 3, 5, 10)
    )
    assert rating.value == "rat_hai_long" and d.rating == "rat_hai_long"
    assert d.events.last().actor is None
    with raises_code("dossier_already_rated"):
        services.dossier_rate(dossier=d, rating="khong_hai_long")
    assert Rating.objects.count() == 1


# --- facts for the 766 index -----------------------------------------------------------------------


def test_flags_are_recorded_once_as_events(w, d):
    services.dossier_mark_digitised(actor=w.desk_officer, dossier=d, at=local(2026, 3, 2, 10))
    services.dossier_mark_digitised(actor=w.desk_officer, dossier=d, at=local(2026, 3, 2, 11))
    assert d.digitised and d.events.filter(kind=EventKind.DIGITISED).count() == 1
    services.dossier_mark_synced(actor=SYSTEM, dossier=d, at=local(2026, 3, 2, 10, 30))  # the sync job
    assert d.synced_to_national_portal and d.synced_at == local(2026, 3, 2, 10, 30)
    services.dossier_mark_linked_to_data_store(actor=w.desk_officer, dossier=d, at=local(2026, 3, 2, 12))
    assert d.linked_to_personal_data_store
    with pytest.raises(PermissionDenied):
        services.dossier_mark_digitised(actor=CITIZEN, dossier=d)


def test_refused_dossiers_are_synced_too(w):
    d = w.receive(at=local(2026, 3, 2, 9), eligible=False, reason="Không thuộc thẩm quyền")
    services.dossier_mark_synced(actor=SYSTEM, dossier=d, at=local(2026, 3, 2, 9, 5))
    assert d.synced_to_national_portal
    with raises_code("dossier_wrong_state"):
        services.dossier_mark_digitised(actor=w.desk_officer, dossier=d)
