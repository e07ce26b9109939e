from .feedback import (
    Feedback,
    FeedbackAttachment,
    FeedbackChannel,
    FeedbackEvent,
    FeedbackKind,
    FeedbackStatus,
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
    "CallOutcome",
    "CitizenReception",
    "HotlineCall",
]
