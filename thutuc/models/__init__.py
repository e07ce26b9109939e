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

__all__ = [
    "Agency",
    "AgencyLevel",
    "User",
    "CalendarDay",
    "CalendarDayKind",
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
