"""Forms of the khieunai pages (public submission and tracking, staff entry and actions,
hotline fast entry, citizen-reception register)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import dates
from core.identity import NameField, PersonalIdField, PhoneField
from thutuc.accounts.roles import Role
from thutuc.accounts.visibility import visible_agency_ids
from thutuc.models import Agency, User

from . import antispam, uploads
from . import consent as personal_data
from .models import CallOutcome, FeedbackChannel, FeedbackKind, TriageClass


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def receiving_agencies():
    return Agency.objects.filter(is_active=True, code__isnull=False).order_by("level", "name")


class SubmitterFields(forms.Form):
    submitter_name = NameField(label=_("Họ và tên"), max_length=255, required=False)
    submitter_id_number = PersonalIdField(label=_("Số định danh cá nhân, CCCD"), required=False)
    submitter_phone = PhoneField(label=_("Số điện thoại"), required=False)
    submitter_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    submitter_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind in (FeedbackKind.COMPLAINT, FeedbackKind.DENUNCIATION):
            who = _("người khiếu nại") if kind == FeedbackKind.COMPLAINT else _("người tố cáo")
            for name in ("submitter_name", "submitter_address"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Bắt buộc đối với %(who)s.") % {"who": who})
            if not (data.get("submitter_phone") or data.get("submitter_email")):
                self.add_error("submitter_phone", _("Cần số điện thoại hoặc thư điện tử để liên hệ."))
        return data


class PublicFeedbackForm(SubmitterFields):
    kind = forms.ChoiceField(
        label=_("Loại đơn"),
        choices=FeedbackKind.choices,
        initial=FeedbackKind.FEEDBACK,
        widget=forms.RadioSelect,
    )
    agency = forms.ModelChoiceField(label=_("Gửi đến cơ quan"), queryset=Agency.objects.none())
    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 7}), max_length=10000)
    related_dossier_code = forms.CharField(
        label=_("Mã hồ sơ liên quan (nếu có)"), max_length=32, required=False
    )
    is_second_instance = forms.BooleanField(
        label=_("Khiếu nại lần hai (đã có quyết định giải quyết lần đầu)"), required=False
    )
    publish_answer = forms.BooleanField(
        label=_("Tôi đồng ý công khai nội dung trả lời (không kèm thông tin cá nhân)"), required=False
    )
    attachments = MultipleFileField(
        label=_("Tệp đính kèm"),
        required=False,
        help_text=_("Tối đa 3 tệp PDF, JPG, PNG hoặc DOCX, mỗi tệp không quá 5 MB."),
    )
    # NĐ 13/2023/NĐ-CP Điều 11: a clear act (a ticked box) after the notice; required only
    # when personal data is given (khieunai/consent.py).
    consent = forms.BooleanField(label=personal_data.CONSENT_LABEL, required=False)
    email_receipt = forms.BooleanField(
        label=_("Gửi mã đơn và mã tra cứu đến thư điện tử tôi đã ghi"), required=False, initial=True
    )
    # Honeypot: hidden from people by CSS, filled by bots.
    website = forms.CharField(label=_("Trang web"), required=False)
    # Not required: a missing token is reported by clean() like an expired one (a hidden
    # field's own "required" error would be shown nowhere).
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = receiving_agencies()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        # The citizen types their own details here: let the browser fill them (WCAG 1.3.5).
        for name, token in (
            ("submitter_name", "name"),
            ("submitter_email", "email"),
            ("submitter_address", "street-address"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = token
        self.fields["attachments"].help_text = _(
            "Tối đa %(n)s tệp PDF, JPG, PNG hoặc DOCX, mỗi tệp không quá %(mb)s MB."
        ) % {"n": uploads.MAX_ATTACHMENTS, "mb": uploads.max_attachment_mb()}
        if not self.is_bound:
            self.initial["form_token"] = antispam.form_token()

    def renew_token(self) -> None:
        """A fresh anti-spam token for the form shown again (each token sends one form)."""
        self.data = self.data.copy()
        self.data["form_token"] = antispam.form_token()

    def clean_attachments(self):
        try:
            return uploads.check_attachments(self.cleaned_data.get("attachments") or [])
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean(self):
        data = super().clean()
        if personal_data.gives_personal_data(data) and not data.get("consent"):
            self.add_error("consent", personal_data.CONSENT_REQUIRED)
        if data.get("website"):
            raise ValidationError(_("Không gửi được đơn. Vui lòng thử lại."), code="spam")
        problem = antispam.token_problem(data.get("form_token", ""))
        if problem:
            # A fresh token: the person can resend the same data after a short moment.
            self.renew_token()
            message = (
                _("Đơn được gửi quá nhanh. Vui lòng kiểm tra lại nội dung rồi bấm Gửi lần nữa.")
                if problem == "too_fast"
                else _("Phiên nhập đã hết hạn. Vui lòng bấm Gửi lần nữa.")
            )
            raise ValidationError(message, code=problem)
        return data


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Mã đơn"), max_length=40)
    pin = forms.CharField(
        label=_("Mã tra cứu"), max_length=16, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    # Asked only while the code is protected after many wrong PINs (core.lookup_guard).
    xac_minh = forms.CharField(
        label=_("4 chữ số cuối số điện thoại hoặc số CCCD"),
        required=False,
        max_length=20,
        help_text=_("Số điện thoại hoặc số CCCD/định danh đã ghi trong đơn."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    needs_second_factor = False

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()


# --- staff -------------------------------------------------------------------------------------


class StaffFeedbackForm(SubmitterFields):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=FeedbackKind.choices)
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[(c.value, c.label) for c in FeedbackChannel if c != FeedbackChannel.ONLINE],
    )
    received_at = dates.PastDateTimeField(
        label=_("Thời điểm tiếp nhận"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=255)
    content = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 6}))
    related_dossier_code = forms.CharField(label=_("Mã hồ sơ liên quan"), max_length=32, required=False)
    is_second_instance = forms.BooleanField(label=_("Khiếu nại lần hai"), required=False)
    publish_answer = forms.BooleanField(label=_("Người gửi đồng ý công khai kết quả"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))


class TriageForm(forms.Form):
    # No class is preselected: the officer chooses (a select defaulting to its first option
    # would have been "not accepted").
    triage = forms.ChoiceField(label=_("Phân loại"), choices=[])
    forwarded_agency = forms.ModelChoiceField(
        label=_("Chuyển đến cơ quan"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("(chọn khi chuyển đơn)"),
        help_text=_(
            "Đơn được vào sổ của cơ quan đó trên cổng, kèm lịch sử; kết quả trả lời được gửi về đây."
        ),
    )
    forwarded_to = forms.CharField(
        label=_("Hoặc cơ quan ngoài hệ thống"),
        max_length=255,
        required=False,
        help_text=_("Chỉ ghi khi cơ quan có thẩm quyền không có trong danh sách trên."),
    )
    note = forms.CharField(
        label=_("Lý do, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    is_remote_area = forms.BooleanField(label=_("Vùng sâu, vùng xa, đi lại khó khăn"), required=False)
    is_second_instance = forms.BooleanField(label=_("Giải quyết lần hai"), required=False)

    def __init__(self, *args, feedback, **kwargs):
        from .services import ALLOWED_TRIAGE

        super().__init__(*args, **kwargs)
        labels = dict(TriageClass.choices)
        if feedback.kind != FeedbackKind.FEEDBACK:
            labels[TriageClass.WITHIN_COMPETENCE] = _("Thụ lý giải quyết")
            labels[TriageClass.NOT_ACCEPTED] = _("Không thụ lý (nêu lý do)")
        self.fields["triage"].choices = [("", _("— Chọn phân loại —"))] + [
            (c.value, labels[c]) for c in ALLOWED_TRIAGE[feedback.kind]
        ]
        self.fields["forwarded_agency"].queryset = receiving_agencies().exclude(pk=feedback.agency_id)
        if feedback.kind != FeedbackKind.COMPLAINT:
            del self.fields["is_second_instance"]
            del self.fields["is_remote_area"]
        else:
            self.initial.setdefault("is_second_instance", feedback.is_second_instance)
        if feedback.kind == FeedbackKind.FEEDBACK:
            del self.fields["is_complex"]


def assignable_users(actor):
    ids = visible_agency_ids(actor)
    qs = User.objects.filter(is_active=True, groups__name__in=[Role.SPECIALIST, Role.LEADER]).distinct()
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    return qs.select_related("agency").order_by("full_name", "username")


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Cán bộ xử lý"), queryset=User.objects.none())
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = assignable_users(actor)
        self.fields["assignee"].label_from_instance = lambda u: f"{u.get_full_name()} — {u.agency or ''}"


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 6}))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class PublishForm(forms.Form):
    public_title = forms.CharField(
        label=_("Tiêu đề công khai"),
        max_length=255,
        help_text=_("Không ghi họ tên, địa chỉ, số điện thoại của người gửi."),
    )


class LinkForm(forms.Form):
    dossier_code = forms.CharField(label=_("Mã hồ sơ"), max_length=32, required=False)
    related_officer = forms.ModelChoiceField(
        label=_("Cán bộ bị phản ánh"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        ids = visible_agency_ids(actor)
        qs = User.objects.filter(is_active=True)
        if ids is not None:
            qs = qs.filter(agency_id__in=ids)
        self.fields["related_officer"].queryset = qs.order_by("full_name", "username")


_DURATION_RE = re.compile(r"^\s*(?:(\d{1,3})\s*[:'phút ]+\s*)?(\d{1,5})\s*(?:s|giây)?\s*$")


def parse_duration(text: str) -> int | None:
    """'3:25' → 205, '90' → 90 seconds, '' → 0."""
    text = (text or "").strip().lower()
    if not text:
        return 0
    match = _DURATION_RE.match(text)
    if not match:
        return None
    minutes, seconds = match.groups()
    return int(minutes or 0) * 60 + int(seconds)


class HotlineCallForm(forms.Form):
    started_at = dates.PastDateTimeField(
        label=_("Thời điểm gọi"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    caller_phone = PhoneField(
        label=_("Số điện thoại"),
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autofocus": True}),
    )
    caller_name = NameField(label=_("Người gọi"), max_length=255, required=False)
    topic = forms.CharField(label=_("Chủ đề"), max_length=255)
    dossier_code = forms.CharField(label=_("Mã hồ sơ"), max_length=32, required=False)
    summary = forms.CharField(label=_("Tóm tắt nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    duration = forms.CharField(
        label=_("Thời lượng (phút:giây)"),
        max_length=12,
        required=False,
        help_text=_("Để trống: tự tính từ lúc mở phiếu."),
    )
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        choices=CallOutcome.choices,
        initial=CallOutcome.ANSWERED,
        widget=forms.RadioSelect,
    )
    transferred_to = forms.CharField(label=_("Chuyển đến"), max_length=255, required=False)
    line = forms.CharField(label=_("Đường dây"), max_length=32, required=False)

    def clean_duration(self):
        seconds = parse_duration(self.cleaned_data.get("duration", ""))
        if seconds is None:
            raise ValidationError(_("Nhập thời lượng dạng phút:giây, ví dụ 3:25."))
        return seconds

    def clean(self):
        data = super().clean()
        if data.get("outcome") == CallOutcome.TRANSFERRED and not (data.get("transferred_to") or "").strip():
            self.add_error("transferred_to", _("Cần ghi cơ quan, đơn vị được chuyển đến."))
        return data


class CitizenReceptionForm(forms.Form):
    received_on = dates.PastDateField(label=_("Ngày tiếp"), widget=forms.DateInput(attrs={"type": "date"}))
    citizen_name = NameField(label=_("Họ và tên"), max_length=255)
    citizen_id_number = PersonalIdField(label=_("Số CCCD"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500)
    people_count = forms.IntegerField(label=_("Số người"), min_value=1, max_value=500, initial=1)
    content = forms.CharField(label=_("Nội dung vụ việc"), widget=forms.Textarea(attrs={"rows": 3}))
    prior_handling = forms.CharField(
        label=_("Quá trình xem xét, giải quyết của cơ quan có thẩm quyền (nếu có)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    request = forms.CharField(
        label=_("Yêu cầu, đề nghị của công dân"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.CharField(label=_("Kết quả tiếp và việc xử lý"), widget=forms.Textarea(attrs={"rows": 2}))
    # One step: the visit also opens the case in the feedback register.
    open_kind = forms.ChoiceField(
        label=_("Nhận đơn, vào sổ xử lý"),
        required=False,
        choices=[("", _("Không (chỉ ghi sổ tiếp công dân)")), *FeedbackKind.choices],
        widget=forms.RadioSelect,
        help_text=_("Chọn loại đơn để vào sổ ngay: công dân nhận mã đơn và mã tra cứu."),
    )
    title = forms.CharField(label=_("Tiêu đề đơn"), max_length=255, required=False)
    phone = PhoneField(label=_("Số điện thoại liên hệ"), required=False)

    def __init__(self, *args, can_open_case: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_open_case:
            for name in ("open_kind", "title", "phone"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if data.get("open_kind") and not (data.get("title") or "").strip():
            self.add_error("title", _("Nhập tiêu đề đơn để vào sổ."))
        return data

