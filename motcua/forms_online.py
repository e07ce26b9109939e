"""The online inbox's forms: accept, ask for a supplement (every item at once, with its
counts), refuse (NĐ 118/2025/NĐ-CP Điều 17 khoản 2)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.params import PageField, QueryForm, choice_field
from thutuc.competence import communes, competent_agency_choices
from thutuc.models import Agency

from .services.intake import ReceivedDocument


class OnlineInboxQuery(QueryForm):
    """?xem=cho|da-xu-ly &trang="""

    xem = choice_field(["cho", "da-xu-ly"], label=_("Danh sách"))
    trang = PageField()


class OnlineAcceptForm(forms.Form):
    """The filing is accepted as filed; the officer may name the competent agency, as at the
    counter (NĐ 118/2025/NĐ-CP Điều 3 khoản 7, Điều 20: filed at any one-stop of the province):
    left blank, the portal proposes it from the procedure's level and the applicant's commune
    (thutuc.competence.propose_competent_agency)."""

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

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competent_agency"].queryset = competent_agency_choices(procedure)


class OnlineSupplementForm(forms.Form):
    """Every paper of the case may be marked missing or to complete; other lines are free
    text. All of it goes on one form 02, at once."""

    missing_other = forms.CharField(
        label=_("Nội dung khác cần bổ sung, hoàn thiện"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một nội dung."),
    )
    reason = forms.CharField(
        label=_("Lý do, hướng dẫn"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, papers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.papers = list(papers)
        for paper in self.papers:
            self.fields[f"missing_{paper.pk}"] = forms.BooleanField(label=paper.name, required=False)

    def paper_fields(self):
        return [self[f"missing_{paper.pk}"] for paper in self.papers]

    def missing_documents(self) -> list[ReceivedDocument]:
        missing = [
            ReceivedDocument(
                name=paper.name,
                originals=paper.originals,
                certified_copies=paper.certified_copies,
                photocopies=paper.photocopies,
                procedure_document_id=paper.pk,
            )
            for paper in self.papers
            if self.cleaned_data.get(f"missing_{paper.pk}")
        ]
        for line in (self.cleaned_data.get("missing_other") or "").splitlines():
            if line.strip():
                missing.append(ReceivedDocument(name=line.strip()[:500]))
        return missing

    def clean(self):
        data = super().clean()
        if not self.errors and not self.missing_documents():
            raise forms.ValidationError(
                _("Đánh dấu giấy tờ cần bổ sung hoặc ghi rõ nội dung cần bổ sung, hoàn thiện."),
                code="nothing",
            )
        return data


class OnlineRefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do từ chối tiếp nhận"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ví dụ: hồ sơ không thuộc thẩm quyền giải quyết của cơ quan; ghi rõ cơ quan có thẩm quyền."
        ),
    )
