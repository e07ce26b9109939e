from .agency import Agency, AgencyLevel, User
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

__all__ = [
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
