from django.utils.translation import gettext_lazy as _

DUE_SOON = "due_soon"
OVERDUE = "overdue"
STEP_DUE_SOON = "step_due_soon"
STEP_OVERDUE = "step_overdue"
SUPPLEMENT_OVERDUE = "supplement_overdue"
# The counter has not handed a paper dossier to the competent agency in time (NĐ 118/2025
# Điều 18 khoản 2, Điều 20 khoản 1 điểm a).
TRANSFER_OVERDUE = "transfer_overdue"
ESCALATION = "escalation"
APOLOGY_REMINDER = "apology_reminder"
# Feedback and complaints (khieunai): recorded by khieunai.alerts, counted here.
FEEDBACK_DUE_SOON = "feedback_due_soon"
FEEDBACK_OVERDUE = "feedback_overdue"
DIGEST = "digest"
# Hand-offs (motcua.notifications.staff): a dossier or a report changed hands.
HANDOFF_TRANSFER = "handoff_transfer"
HANDOFF_ASSIGN = "handoff_assign"
RESULT_TO_RETURN = "result_to_return"
SUPPLEMENT_RECEIVED = "supplement_received"
# the applicant uploaded the papers asked for (motcua.services.dossier_papers)
SUPPLEMENT_UPLOADED = "supplement_uploaded"
REPORT_RETURNED = "report_returned"
REPORT_ACCEPTED = "report_accepted"
REPORT_SUBMITTED = "report_submitted"  # to Sở Nội vụ, when a unit sends its report
REPORT_REMINDER = "report_reminder"  # to a unit that has not sent it, before the deadline
REPORT_REQUESTED = "report_requested"  # to a unit Sở Nội vụ asks for a report
# The online inbox (motcua.alerts.online): a filing from the national portal waits, its 08
# working hours (NĐ 118/2025/NĐ-CP Điều 17 khoản 2) near their end or past.
ONLINE_SUBMITTED = "online_submitted"
ONLINE_DUE_SOON = "online_due_soon"
ONLINE_OVERDUE = "online_overdue"

LABELS = {
    DUE_SOON: _("Hồ sơ sắp đến hạn"),
    OVERDUE: _("Hồ sơ quá hạn"),
    STEP_DUE_SOON: _("Bước xử lý sắp đến hạn"),
    STEP_OVERDUE: _("Bước xử lý quá hạn"),
    SUPPLEMENT_OVERDUE: _("Quá hạn bổ sung hồ sơ"),
    TRANSFER_OVERDUE: _("Hồ sơ chậm chuyển đến cơ quan giải quyết"),
    ESCALATION: _("Hồ sơ quá hạn kéo dài"),
    APOLOGY_REMINDER: _("Cần ban hành văn bản xin lỗi, hẹn lại"),
    FEEDBACK_DUE_SOON: _("Phản ánh, khiếu nại sắp đến hạn"),
    FEEDBACK_OVERDUE: _("Phản ánh, khiếu nại quá hạn"),
    DIGEST: _("Tổng hợp đầu ngày"),
    HANDOFF_TRANSFER: _("Hồ sơ được chuyển đến"),
    HANDOFF_ASSIGN: _("Hồ sơ được phân công"),
    RESULT_TO_RETURN: _("Hồ sơ chờ trả kết quả"),
    SUPPLEMENT_RECEIVED: _("Đã nhận hồ sơ bổ sung"),
    SUPPLEMENT_UPLOADED: _("Công dân đã nộp bổ sung trực tuyến"),
    REPORT_RETURNED: _("Báo cáo bị trả lại"),
    REPORT_ACCEPTED: _("Báo cáo đã được tiếp nhận"),
    REPORT_SUBMITTED: _("Đơn vị đã gửi báo cáo"),
    REPORT_REMINDER: _("Sắp đến hạn gửi báo cáo"),
    REPORT_REQUESTED: _("Yêu cầu báo cáo"),
    ONLINE_SUBMITTED: _("Hồ sơ trực tuyến chờ tiếp nhận"),
    ONLINE_DUE_SOON: _("Hồ sơ trực tuyến sắp hết hạn tiếp nhận"),
    ONLINE_OVERDUE: _("Hồ sơ trực tuyến quá hạn tiếp nhận"),
}

# Kinds about the dossier's own deadline (due_at) and about the current step's (step_due_at).
DOSSIER_DEADLINE_KINDS = (DUE_SOON, OVERDUE, ESCALATION, APOLOGY_REMINDER)
STEP_KINDS = (STEP_DUE_SOON, STEP_OVERDUE)
FEEDBACK_KINDS = (FEEDBACK_DUE_SOON, FEEDBACK_OVERDUE)
# Every alert tied to a deadline: counted in the header, listed in the digest, resolved
# once it no longer holds.
DEADLINE_KINDS = (*DOSSIER_DEADLINE_KINDS, *STEP_KINDS, SUPPLEMENT_OVERDUE, TRANSFER_OVERDUE, *FEEDBACK_KINDS)
HANDOFF_KINDS = (
    HANDOFF_TRANSFER,
    HANDOFF_ASSIGN,
    RESULT_TO_RETURN,
    SUPPLEMENT_RECEIVED,
    SUPPLEMENT_UPLOADED,
    REPORT_RETURNED,
    REPORT_ACCEPTED,
    REPORT_SUBMITTED,
    REPORT_REMINDER,
    REPORT_REQUESTED,
)
# Resolved by the online inbox's own scan once the filing is decided (not by the dossier scan:
# they are about no dossier).
ONLINE_KINDS = (ONLINE_SUBMITTED, ONLINE_DUE_SOON, ONLINE_OVERDUE)
# What the header's unread count counts: the deadline alerts, the hand-offs, the online inbox.
COUNTED_KINDS = (*DEADLINE_KINDS, *HANDOFF_KINDS, *ONLINE_KINDS)
# A newer alert of one of these kinds replaces an older unread one for the same subject.
SUPERSEDES = {
    OVERDUE: (DUE_SOON, APOLOGY_REMINDER),
    ESCALATION: (DUE_SOON, APOLOGY_REMINDER),
    STEP_OVERDUE: (STEP_DUE_SOON,),
    FEEDBACK_OVERDUE: (FEEDBACK_DUE_SOON,),
    ONLINE_OVERDUE: (ONLINE_DUE_SOON,),
}
