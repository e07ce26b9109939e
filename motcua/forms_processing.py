"""One small form per transition of the dossier detail page (motcua.services.transitions)."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import dates
from core.identity import NameField
from thutuc.models import Agency, CaseVersionStep, User

from .models import EventAction, ResultDelivery

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]


# The date offered to the citizen to bring the supplement (a local practice, not a legal
# limit: the decree stops the clock while waiting and sets no deadline for the applicant;
# the officer may change it on the form).
SUPPLEMENT_REPLY_WORKING_DAYS = 5
MAX_REPLY_DAYS = 366


def suggested_reply_due_at(dossier, *, now=None) -> dt.datetime:
    from thutuc.calendar import HOURS_PER_WORKING_DAY
    from thutuc.calendar_store import get_calendar

    calendar = get_calendar(dossier.receiving_agency)
    start = (now or timezone.now()).replace(second=0, microsecond=0)
    return calendar.add_working_hours(start, SUPPLEMENT_REPLY_WORKING_DAYS * HOURS_PER_WORKING_DAY)


class _ActionForm(forms.Form):
    def __init__(self, *args, dossier=None, **kwargs):
        self.dossier = dossier
        super().__init__(*args, **kwargs)


class TransferForm(_ActionForm):
    step = forms.ModelChoiceField(
        label=_("Bước xử lý"),
        queryset=CaseVersionStep.objects.none(),
        required=False,
        empty_label=_("(không theo bước)"),
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị nhận"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Để trống: đơn vị của bước xử lý hoặc của cán bộ nhận."),
    )
    recipient = forms.ModelChoiceField(label=_("Cán bộ nhận"), queryset=User.objects.none(), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        from .services.transitions import next_step, route_steps

        # The dossier's own route (its case version), whatever the catalogue says today.
        steps = route_steps(dossier).select_related("agency")
        self.fields["step"].queryset = steps
        following = next_step(dossier)
        if following is not None and not self.is_bound:
            self.initial.setdefault("step", following.pk)
        # The units a dossier may go to: the competent agency and its units, the step agencies,
        # the receiving counter.
        roots = {dossier.competent_agency_id, dossier.receiving_agency_id}
        roots |= {s.agency_id for s in steps if s.agency_id}
        units = Agency.objects.filter(Q(pk__in=roots) | Q(parent_id__in=roots), is_active=True).order_by(
            "name"
        )
        self.fields["unit"].queryset = units
        self.fields["recipient"].queryset = (
            User.objects.filter(agency__in=units, is_active=True, groups__isnull=False)
            .distinct()
            .select_related("agency")
            .order_by("full_name")
        )
        self.fields["recipient"].label_from_instance = lambda u: f"{u.get_full_name()} – {u.agency}"

    def clean(self):
        data = super().clean()
        if not (data.get("step") or data.get("unit") or data.get("recipient")):
            raise forms.ValidationError(_("Chọn bước xử lý, đơn vị hoặc cán bộ nhận hồ sơ."))
        return data

    def call(self, service, **common):
        data = self.cleaned_data
        return service(
            step=data["step"], unit=data["unit"], recipient=data["recipient"], note=data["note"], **common
        )


class SupplementRequestForm(_ActionForm):
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung, hoàn thiện (mỗi dòng một loại)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ghi đầy đủ mọi nội dung cần bổ sung trong một lần."),
    )
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    reply_due_at = forms.DateTimeField(
        label=_("Hạn công dân mang giấy tờ bổ sung đến"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=format_lazy(
            _("Hiển thị cho công dân trên trang tra cứu. Để trống: {days} ngày làm việc kể từ lúc yêu cầu."),
            days=SUPPLEMENT_REPLY_WORKING_DAYS,
        ),
    )

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None and not self.is_bound:
            self.initial.setdefault("reply_due_at", suggested_reply_due_at(dossier))

    def clean_reply_due_at(self):
        value = self.cleaned_data.get("reply_due_at")
        if value is None:
            return None
        now = timezone.now()
        if value <= now:
            raise forms.ValidationError(_("Hạn bổ sung phải sau thời điểm hiện tại."))
        if value > now + dt.timedelta(days=MAX_REPLY_DAYS):
            raise forms.ValidationError(
                _("Hạn bổ sung không quá %(days)s ngày kể từ hôm nay.") % {"days": MAX_REPLY_DAYS}
            )
        return value

    def call(self, service, **common):
        items = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        reply_due_at = self.cleaned_data.get("reply_due_at") or suggested_reply_due_at(self.dossier)
        return service(items=items, reason=self.cleaned_data["reason"], reply_due_at=reply_due_at, **common)


class NoteForm(_ActionForm):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def call(self, service, **common):
        return service(note=self.cleaned_data["note"], **common)


class RequestPaymentForm(NoteForm):
    amount = forms.DecimalField(label=_("Số tiền (đồng)"), required=False, min_value=0, decimal_places=0)

    def call(self, service, **common):
        return service(amount=self.cleaned_data["amount"], note=self.cleaned_data["note"], **common)


class ReceivePaymentForm(NoteForm):
    receipt_number = forms.CharField(label=_("Số biên lai"), max_length=40, required=False)

    def call(self, service, **common):
        return service(
            receipt_number=self.cleaned_data["receipt_number"], note=self.cleaned_data["note"], **common
        )


class ReasonForm(_ActionForm):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))

    def call(self, service, **common):
        return service(reason=self.cleaned_data["reason"], **common)


class StopForm(ReasonForm):
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), max_length=500)

    def call(self, service, **common):
        return service(
            reason=self.cleaned_data["reason"], legal_basis=self.cleaned_data["legal_basis"], **common
        )


class ApologyForm(ReasonForm):
    reason = forms.CharField(label=_("Lý do chậm trả kết quả"), widget=forms.Textarea(attrs={"rows": 2}))
    new_due_at = dates.RangeDateTimeField(
        label=_("Ngày giờ hẹn trả kết quả mới"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def call(self, service, **common):
        return service(
            reason=self.cleaned_data["reason"], new_due_at=self.cleaned_data["new_due_at"], **common
        )


class ReturnResultForm(NoteForm):
    collected_by_name = NameField(label=_("Người nhận kết quả"), max_length=255, required=False)
    originals_returned = forms.BooleanField(label=_("Đã trả lại bản chính"), required=False)
    postal_tracking_number = forms.CharField(label=_("Mã vận đơn bưu chính"), max_length=64, required=False)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier.result_delivery == ResultDelivery.POST:
            del self.fields["collected_by_name"], self.fields["originals_returned"]
            self.fields["postal_tracking_number"].required = True
        else:
            del self.fields["postal_tracking_number"]
            self.fields["collected_by_name"].required = True
            if not self.is_bound:
                self.initial.setdefault("collected_by_name", dossier.applicant_name)

    def call(self, service, **common):
        data = self.cleaned_data
        return service(
            collected_by_name=data.get("collected_by_name", ""),
            originals_returned=data.get("originals_returned", False),
            postal_tracking_number=data.get("postal_tracking_number", ""),
            note=data["note"],
            **common,
        )


ACTION_FORMS: dict[str, type[_ActionForm]] = {
    EventAction.TRANSFER: TransferForm,
    EventAction.REQUEST_SUPPLEMENT: SupplementRequestForm,
    EventAction.RECEIVE_SUPPLEMENT: NoteForm,
    EventAction.REQUEST_PAYMENT: RequestPaymentForm,
    EventAction.RECEIVE_PAYMENT: ReceivePaymentForm,
    EventAction.APPROVE: NoteForm,
    EventAction.REFUSE: ReasonForm,
    EventAction.STOP: StopForm,
    EventAction.WITHDRAW: ReasonForm,
    EventAction.APOLOGISE: ApologyForm,
    EventAction.RETURN_RESULT: ReturnResultForm,
}


# How each action's button looks and what it asks before sending (static/js/confirm.js):
# the consequential ones ask for confirmation, and a destructive one never looks like
# approval — approve is a green button; refuse and stop are white with a red border, each
# with its own mark; withdraw has a dashed border; the rest are ordinary buttons.
# action -> (look, confirmation question or "")
ACTION_LOOKS: dict[str, tuple[str, str]] = {
    EventAction.APPROVE: (
        "approve",
        _(
            "Phê duyệt kết quả hồ sơ %(code)s? Hồ sơ chuyển sang “Đã xử lý xong”; người nộp và "
            "bộ phận một cửa được thông báo."
        ),
    ),
    EventAction.REFUSE: (
        "danger",
        _(
            "Từ chối giải quyết hồ sơ %(code)s? Người nộp nhận văn bản trả lời với lý do đã nhập. "
            "Không hoàn tác được."
        ),
    ),
    EventAction.STOP: (
        "stop",
        _("Dừng giải quyết hồ sơ %(code)s? Thông báo dừng được lập và gửi người nộp. Không hoàn tác được."),
    ),
    EventAction.WITHDRAW: (
        "withdraw",
        _(
            "Rút hồ sơ %(code)s theo đề nghị của người nộp? Hồ sơ kết thúc, không tiếp tục giải "
            "quyết. Không hoàn tác được."
        ),
    ),
    EventAction.RETURN_RESULT: ("primary", ""),
    EventAction.TRANSFER: ("primary", ""),
}


def action_look(action: str, code: str) -> tuple[str, str]:
    """(CSS class of the button, confirmation question) of an action on dossier `code`."""
    look, question = ACTION_LOOKS.get(action, ("", ""))
    return look, (str(question) % {"code": code}) if question else ""
