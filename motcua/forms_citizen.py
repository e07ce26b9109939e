"""The citizen's forms: sign-in by one-time code, an online filing (the applicant and one
upload slot per paper), a supplement's files; and the counter's scan upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.dates import RangeDateField
from core.identity import NameField, PhoneField
from core.params import QueryForm

from .citizen.identity import Contact, parse_contact
from .models import ApplicantType, OnlineFiling, PaperPurpose, ResultDelivery
from .search import normalize_phone
from .services.papers import Upload

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def _file_field(label, help_text=""):
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class NextQuery(QueryForm):
    """?next=: where to go once signed in (followed only when it is a page of this site)."""

    next = forms.CharField(required=False, max_length=500)


class ContactForm(forms.Form):
    contact = forms.CharField(
        label=_("Số điện thoại di động hoặc thư điện tử"),
        max_length=254,
        help_text=_("Mã đăng nhập một lần được gửi đến đây qua SMS hoặc thư điện tử."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )

    def clean_contact(self) -> Contact:
        return parse_contact(self.cleaned_data["contact"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã đăng nhập"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class StartForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Trường hợp"), queryset=None, empty_label=None)
    agency = forms.ModelChoiceField(label=_("Nơi tiếp nhận hồ sơ"), queryset=None, empty_label=None)

    def __init__(self, *args, procedure, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = procedure.cases.filter(is_active=True).order_by("order", "pk")
        self.fields["agency"].queryset = agencies


class FilingForm(forms.ModelForm):
    """The draft's data (nothing required to save a draft: `filing_submit` says what is
    missing) and one file input per paper of the case (`slot_<id>`)."""

    applicant_type = forms.ChoiceField(
        label=_("Chủ hồ sơ là"), choices=ApplicantType.choices, widget=forms.RadioSelect
    )
    applicant_name = NameField(label=_("Họ và tên chủ hồ sơ"), max_length=255, required=False)
    organisation_name = NameField(label=_("Tên tổ chức, doanh nghiệp"), max_length=255, required=False)
    applicant_phone = PhoneField(label=_("Điện thoại"), required=False)
    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"), choices=ResultDelivery.choices, widget=forms.RadioSelect
    )
    # which button: save the draft, or save and submit
    hanh_dong = forms.ChoiceField(
        choices=[("luu", _("Lưu nháp")), ("nop", _("Nộp hồ sơ"))], required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = OnlineFiling
        fields = [
            "agency",
            "applicant_type",
            "applicant_name",
            "organisation_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "summary",
            "result_delivery",
            "delivery_address",
        ]
        labels = {"agency": _("Nơi tiếp nhận hồ sơ"), "applicant_id_number": _("Số định danh cá nhân / CCCD")}

    def __init__(self, *args, agencies, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = None
        self.slots = list(slots)
        for slot in self.slots:
            self.fields[f"slot_{slot.pk}"] = _file_field(slot.print_name or slot.name[:200])

    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])

    def slot_field(self, slot):
        return self[f"slot_{slot.pk}"]

    def uploads(self) -> list[Upload]:
        return [
            Upload(file=self.cleaned_data[f"slot_{slot.pk}"], name=slot.name, procedure_document_id=slot.pk)
            for slot in self.slots
            if self.cleaned_data.get(f"slot_{slot.pk}")
        ]

    def data_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReuseForm(forms.Form):
    """The "Dùng lại" button: "<slot id>-<paper id>"."""

    chon = forms.RegexField(
        regex=r"^\d{1,9}-\d{1,9}$", error_messages={"invalid": _("Giấy tờ không hợp lệ.")}
    )

    def ids(self) -> tuple[int, int]:
        slot, paper = self.cleaned_data["chon"].split("-")
        return int(slot), int(paper)


class SupplementUploadForm(forms.Form):
    """One file input per item the supplement request lists."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for index, item in enumerate(self.items):
            self.fields[f"item_{index}"] = _file_field(item["name"][:200])

    def uploads(self) -> list[Upload]:
        return [
            Upload(file=self.cleaned_data[f"item_{index}"], name=item["name"])
            for index, item in enumerate(self.items)
            if self.cleaned_data.get(f"item_{index}")
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.uploads():
            raise ValidationError(_("Chọn ít nhất một tệp giấy tờ bổ sung."))
        return data


class ScanForm(forms.Form):
    """The counter attaches a scan: a paper of the dossier (at intake) or the result."""

    purpose = forms.ChoiceField(
        label=_("Bản quét"),
        choices=[
            (PaperPurpose.INTAKE_SCAN.value, _("Giấy tờ khi tiếp nhận")),
            (PaperPurpose.RESULT_SCAN.value, _("Kết quả khi trả")),
        ],
        initial=PaperPurpose.INTAKE_SCAN,
    )
    paper = forms.ChoiceField(label=_("Giấy tờ"))
    file = forms.FileField(
        label=_("Tệp bản quét (PDF, JPG, PNG)"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    valid_until = RangeDateField(
        label=_("Giấy tờ có giá trị đến"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Để trống nếu giấy tờ không có thời hạn; hết hạn thì không được dùng lại."),
    )

    RESULT = "__result__"

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {str(d.pk): d for d in documents}
        self.fields["paper"].choices = [(self.RESULT, _("Kết quả giải quyết"))] + [
            (pk, (d.print_name or d.name)[:120]) for pk, d in self.documents.items()
        ]

    def upload(self) -> Upload:
        choice = self.cleaned_data["paper"]
        document = self.documents.get(choice)
        if document is None:
            return Upload(file=self.cleaned_data["file"], name=str(_("Kết quả giải quyết")))
        return Upload(
            file=self.cleaned_data["file"],
            name=document.name,
            procedure_document_id=document.procedure_document_id,
        )
