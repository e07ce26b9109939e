from .feedback import (
    EVENT_LABELS,
    OPEN_STATUSES,
    Feedback,
    FeedbackAttachment,
    FeedbackChannel,
    FeedbackEvent,
    FeedbackKind,
    FeedbackStatus,
    RegisterCounter,
    TriageClass,
)
from .registers import CallOutcome, CitizenReception, HotlineCall

__all__ = [
    "EVENT_LABELS",
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
