from django.utils.translation import gettext_lazy as _

DUE_SOON = "due_soon"
OVERDUE = "overdue"
SUPPLEMENT_OVERDUE = "supplement_overdue"
ESCALATION = "escalation"
APOLOGY_REMINDER = "apology_reminder"
DIGEST = "digest"

LABELS = {
    DUE_SOON: _("Hồ sơ sắp đến hạn"),
    OVERDUE: _("Hồ sơ quá hạn"),
    SUPPLEMENT_OVERDUE: _("Quá hạn bổ sung hồ sơ"),
    ESCALATION: _("Hồ sơ quá hạn kéo dài"),
    APOLOGY_REMINDER: _("Cần ban hành văn bản xin lỗi, hẹn lại"),
    DIGEST: _("Tổng hợp đầu ngày"),
}

# Alerts tied to a deadline of a dossier: resolved once the dossier is no longer open or
# its deadline has moved.
DEADLINE_KINDS = (DUE_SOON, OVERDUE, SUPPLEMENT_OVERDUE, ESCALATION, APOLOGY_REMINDER)
# A newer alert of one of these kinds replaces an older unread one for the same dossier.
SUPERSEDES = {OVERDUE: (DUE_SOON, APOLOGY_REMINDER), ESCALATION: (DUE_SOON, APOLOGY_REMINDER)}
