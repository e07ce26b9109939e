"""One small form per transition of the dossier detail page (motcua.services.transitions)."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.identity import NameField
from thutuc.models import Agency, CaseVersionStep, User

from .models import EventAction, ResultDelivery

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"]


# A later date for the supplement than the decree's 15 days may come from a sector law
# (NĐ 118/2025/NĐ-CP Điều 19 khoản 5: "hoặc theo thời hạn quy định của pháp luật chuyên ngành").
MAX_REPLY_DAYS = 366
# Free lines for items that are not in the catalogue's list of papers.
EXTRA_SUPPLEMENT_ITEMS = 3
COUNT_LABELS = (
    ("originals", _("Bản chính")),
    ("certified_copies", _("Bản sao chứng thực")),
    ("photocopies", _("Bản photo")),
)


def _count_field(label, name, initial=0):
    # no room for a visible label in the table: the title names the column and the paper
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=99,
        initial=initial,
        required=False,
        widget=forms.NumberInput(attrs={"class": "count", "title": f"{label}: {name}"}),
    )


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
        # Only those in force: an agency a reorganisation ended takes nothing more (issue 18).
        units = Agency.objects.in_force().filter(Q(pk__in=roots) | Q(parent_id__in=roots)).order_by("name")
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
    """Form 02 after acceptance: every missing item at once, each with its counts (the
    catalogue's papers to tick, and free lines), the reason, and the date after which the
    dossier is closed (NĐ 118/2025/NĐ-CP Điều 19 khoản 5; one request per dossier)."""

    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    reply_due_at = forms.DateTimeField(
        label=_("Hạn nộp bổ sung theo pháp luật chuyên ngành (nếu dài hơn 15 ngày)"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "Để trống: 15 ngày kể từ khi thông báo. Quá hạn mà người nộp chưa bổ sung, hồ sơ được đóng."
        ),
    )

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        from thutuc.models import ProcedureDocument

        self.papers = (
            list(ProcedureDocument.objects.filter(case_id=dossier.case_id).order_by("order", "pk"))
            if dossier is not None
            else []
        )
        for paper in self.papers:
            self.fields[f"item_{paper.pk}"] = forms.BooleanField(label=paper.name, required=False)
            for attr, label in COUNT_LABELS:
                self.fields[f"item_{paper.pk}_{attr}"] = _count_field(label, paper.name, getattr(paper, attr))
        for number in range(1, EXTRA_SUPPLEMENT_ITEMS + 1):
            name = _("Giấy tờ khác %s") % number
            self.fields[f"extra_{number}"] = forms.CharField(label=name, max_length=500, required=False)
            for attr, label in COUNT_LABELS:
                self.fields[f"extra_{number}_{attr}"] = _count_field(label, name)

    # --- rendering: a table of items (the template), then the plain fields ----------------
    def item_rows(self):
        for paper in self.papers:
            prefix = f"item_{paper.pk}"
            yield {
                "ticked": self[prefix],
                "name": paper.name,
                "counts": [self[f"{prefix}_{a}"] for a, _l in COUNT_LABELS],
            }
        for number in range(1, EXTRA_SUPPLEMENT_ITEMS + 1):
            prefix = f"extra_{number}"
            yield {"name_field": self[prefix], "counts": [self[f"{prefix}_{a}"] for a, _l in COUNT_LABELS]}

    def plain_fields(self):
        return [self["reason"], self["reply_due_at"]]

    def clean_reply_due_at(self):
        from thutuc.deadlines import SUPPLEMENT_CLOSE_AFTER_DAYS

        value = self.cleaned_data.get("reply_due_at")
        if value is None:
            return None
        now = timezone.now()
        if value < now + dt.timedelta(days=SUPPLEMENT_CLOSE_AFTER_DAYS):
            raise forms.ValidationError(
                _(
                    "Hạn nộp bổ sung không sớm hơn %(days)s ngày kể từ hôm nay; "
                    "để trống nếu áp dụng %(days)s ngày."
                )
                % {"days": SUPPLEMENT_CLOSE_AFTER_DAYS}
            )
        if value > now + dt.timedelta(days=MAX_REPLY_DAYS):
            raise forms.ValidationError(
                _("Hạn bổ sung không quá %(days)s ngày kể từ hôm nay.") % {"days": MAX_REPLY_DAYS}
            )
        return value

    def _counts(self, prefix) -> dict:
        return {attr: self.cleaned_data.get(f"{prefix}_{attr}") or 0 for attr, _label in COUNT_LABELS}

    def clean(self):
        data = super().clean()
        items = []
        for paper in self.papers:
            if data.get(f"item_{paper.pk}"):
                items.append({"name": paper.name, **self._counts(f"item_{paper.pk}")})
        for number in range(1, EXTRA_SUPPLEMENT_ITEMS + 1):
            name = (data.get(f"extra_{number}") or "").strip()
            if name:
                items.append({"name": name, **self._counts(f"extra_{number}")})
        for item in items:
            if not any(item[attr] for attr, _label in COUNT_LABELS):
                raise forms.ValidationError(
                    _("Ghi số lượng bản chính, bản sao chứng thực hoặc bản photo cần bổ sung của “%s”.")
                    % item["name"]
                )
        if not items and not self.errors:
            raise forms.ValidationError(
                _("Chọn hoặc ghi đầy đủ các giấy tờ cần bổ sung, hoàn thiện (chỉ yêu cầu một lần).")
            )
        self.items = items
        return data

    def call(self, service, **common):
        return service(
            items=self.items,
            reason=self.cleaned_data["reason"],
            reply_due_at=self.cleaned_data.get("reply_due_at"),
            **common,
        )


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


class WithdrawForm(ReasonForm):
    """Stop at the applicant's request (NĐ 118/2025/NĐ-CP Điều 21): the request, and the fees
    and charges to give back, stated even when nothing is owed (0)."""

    reason = forms.CharField(
        label=_("Nội dung đề nghị dừng giải quyết (rút hồ sơ) của người nộp"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fees_to_refund = forms.DecimalField(
        label=_("Phí, lệ phí hoàn trả (đồng)"),
        min_value=0,
        max_digits=14,
        decimal_places=0,
        help_text=_("Ghi 0 nếu không có khoản nào phải hoàn trả."),
    )
    refund_note = forms.CharField(label=_("Ghi chú hoàn trả"), max_length=500, required=False)

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None and not self.is_bound:
            from .services.fees import ledger_of

            # what the fee ledger shows as paid and not given back yet
            refundable = ledger_of(dossier).refundable
            if refundable:
                self.initial.setdefault("fees_to_refund", refundable)

    def call(self, service, **common):
        return service(
            reason=self.cleaned_data["reason"],
            fees_to_refund=self.cleaned_data["fees_to_refund"],
            refund_note=self.cleaned_data["refund_note"],
            **common,
        )


class ChangeCompetentForm(_ActionForm):
    """Correct the competent agency chosen at intake (NĐ 118/2025/NĐ-CP Điều 20)."""

    competent_agency = forms.ModelChoiceField(
        label=_("Cơ quan giải quyết đúng"), queryset=Agency.objects.none()
    )
    reason = forms.CharField(label=_("Lý do điều chỉnh"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dossier=None, **kwargs):
        super().__init__(*args, dossier=dossier, **kwargs)
        from thutuc.competence import competent_agency_choices

        if dossier is not None:
            self.fields["competent_agency"].queryset = competent_agency_choices(dossier.procedure).exclude(
                pk=dossier.competent_agency_id
            )

    def call(self, service, **common):
        return service(
            competent_agency=self.cleaned_data["competent_agency"],
            reason=self.cleaned_data["reason"],
            **common,
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
        elif dossier.result_delivery == ResultDelivery.ONLINE:
            del self.fields["collected_by_name"], self.fields["postal_tracking_number"]
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
    EventAction.RECEIVE_TRANSFER: NoteForm,
    EventAction.CHANGE_COMPETENT: ChangeCompetentForm,
    EventAction.REQUEST_SUPPLEMENT: SupplementRequestForm,
    EventAction.RECEIVE_SUPPLEMENT: NoteForm,
    EventAction.REQUEST_PAYMENT: RequestPaymentForm,
    EventAction.RECEIVE_PAYMENT: ReceivePaymentForm,
    EventAction.APPROVE: NoteForm,
    EventAction.REFUSE: ReasonForm,
    EventAction.STOP: StopForm,
    EventAction.WITHDRAW: WithdrawForm,
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
            "Dừng giải quyết hồ sơ %(code)s theo đề nghị của người nộp? Hồ sơ kết thúc, không tiếp "
            "tục giải quyết; thông báo dừng được lập. Không hoàn tác được."
        ),
    ),
    EventAction.RETURN_RESULT: ("primary", ""),
    EventAction.TRANSFER: ("primary", ""),
}


def action_look(action: str, code: str) -> tuple[str, str]:
    """(CSS class of the button, confirmation question) of an action on dossier `code`."""
    look, question = ACTION_LOOKS.get(action, ("", ""))
    return look, (str(question) % {"code": code}) if question else ""
