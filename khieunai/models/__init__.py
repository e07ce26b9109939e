from .feedback import (
    Feedback,
    FeedbackAttachment,
    FeedbackChannel,
    FeedbackEvent,
    FeedbackKind,
    FeedbackStatus,
    OPEN_STATUSES,
    RegisterCounter,
    TriageClass,
)
from .registers import CallOutcome, CitizenReception, HotlineCall

__all__ = [
    "Feedback",
    "FeedbackAttachment",
    "FeedbackChannel",
    "FeedbackEvent",
    "FeedbackKind",
    "FeedbackStatus",
    "TriageClass",
    "RegisterCounter",
    "OPEN_STATUSES",
    "CallOutcome",
    "CitizenReception",
    "HotlineCall",
]
