"""The counter's intake form and the procedure search behind it."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core import dates
from core.identity import NameField, PersonalIdField, PhoneField, validate_personal_id, validate_tax_code
from core.text import fold
from thutuc.catalogue import places
from thutuc.competence import communes, competent_agency_choices
from thutuc.models import Agency, DocumentKind, Procedure

from .models import ApplicantType, Channel, ResultDelivery
from .search import normalize_phone
from .services.intake import Applicant, ReceivedDocument

SEARCH_LIMIT = 20


def receivable_procedures(agency):
    """Active procedures the agency's counter takes in: those naming it as a receiving
    agency, those naming none whose level is the agency's, and at a one-stop centre every
    procedure of the province (thutuc.catalogue.places)."""
    return places.receivable_procedures(agency)


def search_procedures(agency, query: str):
    """Diacritic- and case-insensitive search on code and name ("khai sinh" finds
    "Đăng ký khai sinh"); every word must occur."""
    words = fold(query).split()
    if not words:
        return Procedure.objects.none()
    queryset = receivable_procedures(agency)
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset.select_related("field").order_by("code")[:SEARCH_LIMIT]


# "online": a filing made on the national portal, put into the online inbox to be checked
# there (NĐ 118/2025/NĐ-CP Điều 17 khoản 2; motcua.services.online).
ACTIONS = ("accept", "incomplete", "refuse", "online")


class IntakeForm(forms.Form):
    applicant_type = forms.ChoiceField(
        label=_("Chủ hồ sơ là"),
        choices=ApplicantType.choices,
        initial=ApplicantType.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = NameField(label=_("Họ và tên"), max_length=255)
    organisation_name = NameField(label=_("Tên tổ chức, doanh nghiệp"), max_length=255, required=False)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân / CCCD / mã số thuế"), max_length=32, required=False
    )
    applicant_phone = PhoneField(label=_("Điện thoại"), required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    representative_name = NameField(label=_("Người được ủy quyền nộp thay"), max_length=255, required=False)
    representative_id_number = PersonalIdField(label=_("Số CCCD người nộp thay"), required=False)
    representative_phone = PhoneField(label=_("Điện thoại người nộp thay"), required=False)
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"), choices=Channel.choices, initial=Channel.DIRECT, widget=forms.RadioSelect
    )
    national_portal_code = forms.CharField(
        label=_("Mã hồ sơ trên Cổng DVC quốc gia"), max_length=64, required=False
    )
    submitted_at = dates.PastDateTimeField(
        label=_("Thời điểm nộp trên Cổng DVC quốc gia"),
        required=False,
        help_text=_("Hồ sơ trực tuyến: thời điểm Cổng DVC quốc gia xác nhận đã nộp. Để trống: bây giờ."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    # NĐ 118/2025 Điều 3 khoản 7, Điều 14 khoản 2, Điều 20: filed at any counter of the
    # province; the competent agency is chosen here, or proposed from the procedure's level
    # and the applicant's commune (thutuc.competence.propose_competent_agency).
    applicant_commune = forms.ModelChoiceField(
        label=_("Xã, phường nơi cư trú / đặt trụ sở của người nộp"),
        queryset=communes(),
        required=False,
        empty_label=_("(không ghi)"),
        help_text=_("Với thủ tục cấp xã, hồ sơ được chuyển đến xã, phường này giải quyết."),
    )
    competent_agency = forms.ModelChoiceField(
        label=_("Cơ quan giải quyết"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Theo đề xuất: cấp của thủ tục và xã, phường của người nộp"),
    )
    summary = forms.CharField(
        label=_("Trích yếu nội dung yêu cầu"),
        max_length=500,
        required=False,
        help_text=_("Để trống: dùng tên thủ tục."),
    )
    number_of_sets = forms.IntegerField(label=_("Số bộ hồ sơ"), min_value=1, max_value=99, initial=1)
    result_delivery = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=ResultDelivery.choices,
        initial=ResultDelivery.COUNTER,
        widget=forms.RadioSelect,
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=500, required=False
    )
    missing_other = forms.CharField(
        label=_("Giấy tờ khác cần bổ sung, hoàn thiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một giấy tờ (chỉ dùng khi hồ sơ chưa đầy đủ)."),
    )
    reason = forms.CharField(
        label=_("Lý do (bổ sung / từ chối tiếp nhận)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # One tick for every mandatory paper (static/js/intake-form.js ticks the boxes as well,
    # so that the officer sees it; without JavaScript the server ticks them).
    all_received = forms.BooleanField(
        label=_("Đã nhận đủ"),
        required=False,
        help_text=_("Đánh dấu đã nhận tất cả giấy tờ bắt buộc."),
    )

    def __init__(self, *args, case, action: str = "accept", **kwargs):
        self.papers = list(case.documents.all())
        data = args[0] if args else kwargs.get("data")
        if data is not None and data.get("all_received"):
            data = data.copy()
            for paper in self.papers:
                if paper.mandatory:
                    data[f"doc_{paper.pk}"] = "on"
            args = (data, *args[1:]) if args else args
            if "data" in kwargs:
                kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.case = case
        self.action = action if action in ACTIONS else "accept"
        self.fields["competent_agency"].queryset = competent_agency_choices(case.procedure)
        for paper in self.papers:
            prefix = f"doc_{paper.pk}"
            attrs = {"data-mandatory": "1"} if paper.mandatory else {}
            self.fields[prefix] = forms.BooleanField(
                label=paper.name, required=False, widget=forms.CheckboxInput(attrs=attrs)
            )
            for attr, label in (
                ("originals", _("Bản chính")),
                ("certified_copies", _("Bản sao chứng thực")),
                ("photocopies", _("Bản photo")),
            ):
                self.fields[f"{prefix}_{attr}"] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    max_value=99,
                    initial=getattr(paper, attr),
                    required=False,
                    # no room for a visible label in the table: the title names the
                    # column and the paper (WCAG technique H65)
                    widget=forms.NumberInput(attrs={"class": "count", "title": f"{label}: {paper.name}"}),
                )

    # --- rendering helpers ------------------------------------------------------------
    def paper_rows(self):
        for paper in self.papers:
            prefix = f"doc_{paper.pk}"
            yield {
                "paper": paper,
                "received": self[prefix],
                "counts": [
                    self[f"{prefix}_{attr}"] for attr in ("originals", "certified_copies", "photocopies")
                ],
            }

    # --- validation -------------------------------------------------------------------
    # Phones are kept as digits (and a leading +): "0912 345 678" and "0912.345.678" are one
    # number, and the staff search looks it up exactly (motcua.search).
    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])

    def clean_representative_phone(self):
        return normalize_phone(self.cleaned_data["representative_phone"])

    def _count(self, paper, attr) -> int:
        value = self.cleaned_data.get(f"doc_{paper.pk}_{attr}")
        return getattr(paper, attr) if value is None else value

    def clean(self):
        data = super().clean()
        if data.get("applicant_type") == ApplicantType.ORGANISATION and not data.get("organisation_name"):
            self.add_error("organisation_name", _("Nhập tên tổ chức, doanh nghiệp."))
        if id_number := data.get("applicant_id_number"):
            # A person gives the 12-digit identity number, an organisation its tax code.
            check = (
                validate_tax_code
                if data.get("applicant_type") == ApplicantType.ORGANISATION
                else validate_personal_id
            )
            try:
                check(re.sub(r"\s", "", id_number))
            except forms.ValidationError as error:
                self.add_error("applicant_id_number", error)
        if self.action == "online" and data.get("channel") != Channel.ONLINE:
            self.add_error("channel", _("Chọn kênh “Trực tuyến” cho hồ sơ nộp trên Cổng DVC quốc gia."))
        if data.get("channel") == Channel.ONLINE and not data.get("national_portal_code", "").strip():
            self.add_error("national_portal_code", _("Hồ sơ trực tuyến cần mã hồ sơ trên Cổng DVC quốc gia."))
        if (
            data.get("result_delivery") == ResultDelivery.POST
            and not data.get("delivery_address", "").strip()
        ):
            self.add_error("delivery_address", _("Nhập địa chỉ nhận kết quả qua bưu chính."))
        if (data.get("representative_id_number") or data.get("representative_phone")) and not data.get(
            "representative_name"
        ):
            self.add_error("representative_name", _("Nhập họ tên người nộp thay."))
        missing_mandatory = [p for p in self.papers if p.mandatory and not data.get(f"doc_{p.pk}")]
        if self.action == "accept":
            for paper in missing_mandatory:
                self.add_error(f"doc_{paper.pk}", _("Chưa nhận giấy tờ bắt buộc này."))
            if missing_mandatory:
                raise forms.ValidationError(
                    _(
                        "Hồ sơ còn thiếu giấy tờ bắt buộc: không tiếp nhận được. "
                        "Chọn “Hồ sơ chưa đầy đủ” để in phiếu yêu cầu bổ sung."
                    ),
                    code="missing_papers",
                )
            if not any(data.get(f"doc_{p.pk}") for p in self.papers) and self.papers:
                raise forms.ValidationError(_("Đánh dấu các giấy tờ đã nhận."), code="no_papers")
        elif self.action == "incomplete":
            if not self.missing_documents():
                self.add_error(
                    "missing_other",
                    _("Bỏ chọn các giấy tờ còn thiếu hoặc ghi rõ giấy tờ cần bổ sung, hoàn thiện."),
                )
        elif self.action == "online":
            if not any(data.get(f"doc_{p.pk}") for p in self.papers) and self.papers:
                raise forms.ValidationError(
                    _("Đánh dấu các giấy tờ đã nộp trên Cổng DVC quốc gia."), code="no_papers"
                )
        elif self.action == "refuse" and not data.get("reason", "").strip():
            self.add_error("reason", _("Nhập lý do từ chối tiếp nhận."))
        return data

    # --- values for the services --------------------------------------------------------
    def applicant(self) -> Applicant:
        d = self.cleaned_data
        return Applicant(
            name=d["applicant_name"],
            applicant_type=d["applicant_type"],
            organisation_name=d.get("organisation_name", ""),
            id_number=re.sub(r"\s", "", d.get("applicant_id_number", "")),
            phone=d.get("applicant_phone", ""),
            email=d.get("applicant_email", ""),
            address=d.get("applicant_address", ""),
            representative_name=d.get("representative_name", ""),
            representative_id_number=d.get("representative_id_number", ""),
            representative_phone=d.get("representative_phone", ""),
        )

    def received_documents(self) -> list[ReceivedDocument]:
        return [
            ReceivedDocument(
                name=paper.name,
                originals=self._count(paper, "originals"),
                certified_copies=self._count(paper, "certified_copies"),
                photocopies=self._count(paper, "photocopies"),
                procedure_document_id=paper.pk,
                print_name=paper.print_name,
            )
            for paper in self.papers
            # a paper shown (xuất trình) is checked and handed back: not part of the dossier
            if self.cleaned_data.get(f"doc_{paper.pk}") and paper.kind != DocumentKind.SHOW
        ]

    def missing_documents(self) -> list[ReceivedDocument]:
        """Every paper to bring at once: unchecked mandatory ones and the free-text lines."""
        missing = [
            ReceivedDocument(
                name=paper.name,
                originals=paper.originals,
                certified_copies=paper.certified_copies,
                photocopies=paper.photocopies,
                procedure_document_id=paper.pk,
            )
            for paper in self.papers
            if paper.mandatory and not self.cleaned_data.get(f"doc_{paper.pk}")
        ]
        for line in (self.cleaned_data.get("missing_other") or "").splitlines():
            if line.strip():
                missing.append(ReceivedDocument(name=line.strip()))
        return missing
