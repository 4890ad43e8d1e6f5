"""Writes to dossiers and feedback: one function per transition, keyword-only, `actor` first,
one transaction each, checked against the state machine (`cchc.dossiers.lifecycle`) and the
rules, with an event, an audit row and the applicant's notification after the commit.
A refused operation raises ServiceError (or PermissionDenied) and leaves no trace."""

from .closing import (
    dossier_attach_result_file,
    dossier_decide,
    dossier_return,
    dossier_stop,
    dossier_withdraw,
)
from .extras import (
    dossier_mark_digitised,
    dossier_mark_linked_to_data_store,
    dossier_mark_synced,
    dossier_rate,
)
from .feedback import (
    Sender,
    feedback_answer,
    feedback_info_received,
    feedback_publish,
    feedback_rate,
    feedback_receive,
    feedback_refuse,
    feedback_request_info,
)
from .pauses import dossier_apologise, dossier_request_supplement, dossier_supplement_received
from .payments import PaymentStarted, payment_confirm, payment_record_at_desk, payment_start
from .receipt import ReceivedItem, dossier_accept, dossier_receive
from .routing import dossier_handover, dossier_send_back

__all__ = [
    "PaymentStarted",
    "ReceivedItem",
    "Sender",
    "dossier_accept",
    "dossier_apologise",
    "dossier_attach_result_file",
    "dossier_decide",
    "dossier_handover",
    "dossier_mark_digitised",
    "dossier_mark_linked_to_data_store",
    "dossier_mark_synced",
    "dossier_rate",
    "dossier_receive",
    "dossier_request_supplement",
    "dossier_return",
    "dossier_send_back",
    "dossier_stop",
    "dossier_supplement_received",
    "dossier_withdraw",
    "feedback_answer",
    "feedback_info_received",
    "feedback_publish",
    "feedback_rate",
    "feedback_receive",
    "feedback_refuse",
    "feedback_request_info",
    "payment_confirm",
    "payment_record_at_desk",
    "payment_start",
]
