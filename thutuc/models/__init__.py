from .access_log import AccessAction, AccessLog
from .agency import Agency, AgencyLevel, CentreKind
from .calendar import CalendarDay, CalendarDayKind
from .case_versions import CaseVersion, CaseVersionStep
from .catalogue import (
    CaseChannel,
    Currency,
    DocumentKind,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureFee,
    ProcedureLevel,
    ProcedureStep,
    SubmissionChannel,
    TimeUnit,
)
from .imports import ImportJob, ImportJobStatus
from .reorganisation import Reorganisation, StaffPolicy, SuccessionRule, SuccessorShare
from .stamp import CatalogueStamp
from .user import User

__all__ = [
    "AccessAction",
    "AccessLog",
    "Agency",
    "AgencyLevel",
    "CentreKind",
    "Reorganisation",
    "StaffPolicy",
    "SuccessionRule",
    "SuccessorShare",
    "User",
    "CalendarDay",
    "CalendarDayKind",
    "CaseChannel",
    "CatalogueStamp",
    "CaseVersion",
    "CaseVersionStep",
    "Currency",
    "DocumentKind",
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
    "SubmissionChannel",
    "TimeUnit",
]
