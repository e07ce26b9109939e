from .dossier import (
    NATIONAL_STATUS_CODE,
    ApplicantType,
    Channel,
    Dossier,
    DossierDocument,
    DossierSequence,
    Outcome,
    ResultDelivery,
    Status,
)
from .events import DossierEvent, EventAction
from .fees import FeeEntry, FeeEntryKind, OnlinePayment, OnlinePaymentStatus, PaymentMethod
from .intake import IntakeAttempt, IntakeOutcome
from .notifications import AlertScanState, Notification, NotificationChannel
from .online import OnlineDecision, OnlineSource, OnlineSubmission
from .processing import Apology, Rating, RatingValue, SupplementRequest
from .results import ElectronicResult
from .sandbox import SandboxTransaction
from .sequences import SequenceKind, YearlySequence

__all__ = [
    "ApplicantType",
    "Channel",
    "Dossier",
    "DossierDocument",
    "DossierSequence",
    "NATIONAL_STATUS_CODE",
    "Outcome",
    "ResultDelivery",
    "Status",
    "DossierEvent",
    "EventAction",
    "FeeEntry",
    "FeeEntryKind",
    "OnlinePayment",
    "OnlinePaymentStatus",
    "PaymentMethod",
    "ElectronicResult",
    "SandboxTransaction",
    "IntakeAttempt",
    "IntakeOutcome",
    "AlertScanState",
    "Notification",
    "NotificationChannel",
    "OnlineDecision",
    "OnlineSource",
    "OnlineSubmission",
    "Apology",
    "Rating",
    "RatingValue",
    "SupplementRequest",
    "SequenceKind",
    "YearlySequence",
]
