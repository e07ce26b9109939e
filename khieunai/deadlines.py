"""The legal clocks of feedback, complaints and denunciations, as named data.

Each limit keeps the unit the law writes: "ngày làm việc" is working days (the working
calendar skips weekends, Tết and every other day off), plain "ngày" is calendar days
(research/domain.md §4.1 and §8: Luật Khiếu nại 2011 Điều 28/37 say "ngày", the 10-day
acceptance limit is "ngày làm việc" in TT 07/2013/TT-TTCP Điều 5). A calendar-day limit
that ends on a day off runs to the next working day (Bộ luật Dân sự 2015 Điều 148 khoản 2;
thutuc.calendar does this). A new decree means editing this table, not the services.

No ORM here: `compute(limit, start, agency=...)` is the one call into the calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from thutuc import calendar_store
from thutuc.calendar import Unit


@dataclass(frozen=True)
class LegalLimit:
    key: str
    amount: int
    unit: Unit
    basis: str  # the legal text the limit comes from (shown to staff, never printed as "Điều")
    label: str

    @property
    def unit_label(self) -> str:
        return "ngày làm việc" if self.unit is Unit.WORKING_DAYS else "ngày"

    def describe(self) -> str:
        return f"{self.amount} {self.unit_label} ({self.basis})"


WD, CD = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS

# --- Phản ánh, kiến nghị --------------------------------------------------------------------
# NĐ 20/2008/NĐ-CP Điều 9 (amended by NĐ 48/2013): record, study and classify; a
# feedback outside the agency's competence is forwarded within 05 working days.
FEEDBACK_TRIAGE = LegalLimit(
    "feedback_triage", 5, WD, "NĐ 20/2008/NĐ-CP, sửa đổi bởi NĐ 48/2013/NĐ-CP", "Phân loại, chuyển"
)
# NĐ 20/2008 sets no answer limit; ministries and provinces do (Bộ Công Thương: 10 working
# days for complex cases). LOCAL RULE, confirm with the province (research §4.2, open question 5).
FEEDBACK_ANSWER = LegalLimit(
    "feedback_answer", 10, WD, "Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của tỉnh", "Trả lời"
)

# --- Khiếu nại (Luật Khiếu nại 02/2011/QH13) ---------------------------------------------
# Điều 27 + TT 07/2013/TT-TTCP Điều 5: accept (thụ lý) or refuse with reasons, in writing,
# within 10 working days of receipt.
COMPLAINT_ACCEPTANCE = LegalLimit(
    "complaint_acceptance",
    10,
    WD,
    "Luật Khiếu nại 2011; Thông tư 07/2013/TT-TTCP",
    "Thụ lý hoặc từ chối thụ lý",
)
# Điều 28 (first instance) and Điều 37 (second instance), counted from acceptance, in
# calendar days ("ngày"). Keyed by (is_complex, is_remote_area).
COMPLAINT_FIRST_INSTANCE = {
    (False, False): LegalLimit("complaint_first", 30, CD, "Luật Khiếu nại 2011", "Giải quyết lần đầu"),
    (True, False): LegalLimit(
        "complaint_first_complex", 45, CD, "Luật Khiếu nại 2011", "Giải quyết lần đầu, vụ việc phức tạp"
    ),
    (False, True): LegalLimit(
        "complaint_first_remote", 45, CD, "Luật Khiếu nại 2011", "Giải quyết lần đầu, vùng sâu, vùng xa"
    ),
    (True, True): LegalLimit(
        "complaint_first_remote_complex",
        60,
        CD,
        "Luật Khiếu nại 2011",
        "Giải quyết lần đầu, vùng sâu, vùng xa, phức tạp",
    ),
}
COMPLAINT_SECOND_INSTANCE = {
    (False, False): LegalLimit("complaint_second", 45, CD, "Luật Khiếu nại 2011", "Giải quyết lần hai"),
    (True, False): LegalLimit(
        "complaint_second_complex", 60, CD, "Luật Khiếu nại 2011", "Giải quyết lần hai, vụ việc phức tạp"
    ),
    (False, True): LegalLimit(
        "complaint_second_remote", 60, CD, "Luật Khiếu nại 2011", "Giải quyết lần hai, vùng sâu, vùng xa"
    ),
    (True, True): LegalLimit(
        "complaint_second_remote_complex",
        70,
        CD,
        "Luật Khiếu nại 2011",
        "Giải quyết lần hai, vùng sâu, vùng xa, phức tạp",
    ),
}

# --- Tố cáo (Luật Tố cáo 25/2018/QH14) ---------------------------------------------------
# RECALLED, not verified in research/domain.md: classify and decide on acceptance within
# 07 working days of receipt (Điều 24/29); resolve within 30 days of acceptance, a complex
# case may be extended once by 30 days (Điều 30). Confirm before production.
DENUNCIATION_ACCEPTANCE = LegalLimit(
    "denunciation_acceptance", 7, WD, "Luật Tố cáo 2018", "Phân loại, thụ lý tố cáo"
)
DENUNCIATION_RESOLUTION = {
    False: LegalLimit("denunciation", 30, CD, "Luật Tố cáo 2018", "Giải quyết tố cáo"),
    True: LegalLimit(
        "denunciation_complex", 60, CD, "Luật Tố cáo 2018", "Giải quyết tố cáo, phức tạp (gia hạn một lần)"
    ),
}

ALL_LIMITS: dict[str, LegalLimit] = {
    limit.key: limit
    for limit in (
        FEEDBACK_TRIAGE,
        FEEDBACK_ANSWER,
        COMPLAINT_ACCEPTANCE,
        DENUNCIATION_ACCEPTANCE,
        *COMPLAINT_FIRST_INSTANCE.values(),
        *COMPLAINT_SECOND_INSTANCE.values(),
        *DENUNCIATION_RESOLUTION.values(),
    )
}


def triage_limit(kind: str) -> LegalLimit:
    """The limit for the first decision after receipt (classify / accept or refuse)."""
    return {
        "feedback": FEEDBACK_TRIAGE,
        "complaint": COMPLAINT_ACCEPTANCE,
        "denunciation": DENUNCIATION_ACCEPTANCE,
    }[kind]


def resolution_limit(
    kind: str, *, is_complex: bool = False, is_remote_area: bool = False, is_second_instance: bool = False
) -> LegalLimit:
    """The limit for answering / resolving, counted from acceptance (or triage for feedback)."""
    if kind == "complaint":
        table = COMPLAINT_SECOND_INSTANCE if is_second_instance else COMPLAINT_FIRST_INSTANCE
        return table[(bool(is_complex), bool(is_remote_area))]
    if kind == "denunciation":
        return DENUNCIATION_RESOLUTION[bool(is_complex)]
    return FEEDBACK_ANSWER


def compute(limit: LegalLimit, start: dt.datetime, *, agency=None) -> dt.datetime:
    return calendar_store.due_at(start, limit.amount, limit.unit, agency=agency)
