from .citizen import CitizenLoginCode, ContactKind, FilingStatus, OnlineFiling
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
from .papers import PaperFile, PaperPurpose
from .processing import Apology, Rating, RatingValue, SupplementRequest
from .results import ElectronicResult
from .sandbox import SandboxTransaction
from .sequences import SequenceKind, YearlySequence
from .succession import DossierSuccession

__all__ = [
    "ApplicantType",
    "Channel",
    "Dossier",
    "DossierDocument",
    "DossierSequence",
    "DossierSuccession",
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
    "CitizenLoginCode",
    "ContactKind",
    "FilingStatus",
    "OnlineFiling",
    "PaperFile",
    "PaperPurpose",
    "Apology",
    "Rating",
    "RatingValue",
    "SupplementRequest",
    "SequenceKind",
    "YearlySequence",
]
