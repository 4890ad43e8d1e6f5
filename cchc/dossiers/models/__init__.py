from .dossier import PERSONAL_FIELDS, Dossier, DossierEvent, DossierSequence, Handover
from .feedback import FEEDBACK_PERSONAL_FIELDS, Feedback, FeedbackEvent, FeedbackEventKind, FeedbackState
from .payment import Payment, PaymentMethod, PaymentStatus, Rating
from .receipt import ComponentForm, ReceivedComponent

__all__ = [
    "FEEDBACK_PERSONAL_FIELDS",
    "PERSONAL_FIELDS",
    "ComponentForm",
    "Dossier",
    "DossierEvent",
    "DossierSequence",
    "Feedback",
    "FeedbackEvent",
    "FeedbackEventKind",
    "FeedbackState",
    "Handover",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Rating",
    "ReceivedComponent",
]
