from .access_log import AccessAction, AccessLog
from .agency import Agency, AgencyLevel
from .calendar import CalendarDay, CalendarDayKind
from .catalogue import (
    Field,
    OnlineLevel,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureFee,
    ProcedureLevel,
    ProcedureStep,
    TimeUnit,
)
from .imports import ImportJob, ImportJobStatus
from .user import User

__all__ = [
    "AccessAction",
    "AccessLog",
    "Agency",
    "AgencyLevel",
    "User",
    "CalendarDay",
    "CalendarDayKind",
    "ImportJob",
    "ImportJobStatus",
    "Field",
    "OnlineLevel",
    "Procedure",
    "ProcedureCase",
    "ProcedureDocument",
    "ProcedureFee",
    "ProcedureLevel",
    "ProcedureStep",
    "TimeUnit",
]
