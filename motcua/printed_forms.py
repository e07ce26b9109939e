"""The printed forms of the one-stop mechanism, numbered as Thông tư 03/2025/TT-VPCP
(Phụ lục I, seven forms), and what every one of them shares: the letterhead of the body
that issues the act, the national motto, the signature block.

    01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả          issued by the receiving one-stop
    02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ           the one-stop at intake; the competent
                                                          agency after acceptance (NĐ 118/2025
                                                          Điều 19 khoản 5), through the one-stop
    03 Phiếu từ chối tiếp nhận giải quyết hồ sơ         the one-stop at intake (Điều 17 khoản 1
                                                          điểm c); the competent agency after
                                                          appraisal (Điều 19 khoản 3)
    04 Văn bản xin lỗi và đề nghị gia hạn thời gian     the competent agency (Điều 19 khoản 6)
       giải quyết
    05 Thông báo dừng giải quyết hồ sơ                  the competent agency (Điều 21)
    06 Phiếu kiểm soát quá trình giải quyết hồ sơ       the receiving one-stop
    07 Sổ theo dõi hồ sơ                                the receiving one-stop

The layouts of TT 03's appendix could not be found in a public copy (docs/legal-sources.md):
each form follows the decree's words about it and the structure of its TT 01/2018
predecessor, and says which in a comment of its template."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thutuc.models import AgencyLevel
from thutuc.titles import SignatureBlock, blank_signature, official_signature


@dataclass(frozen=True)
class PrintedForm:
    number: str
    title: str

    @property
    def label(self) -> str:
        """ "Mẫu số 06": how the UI, the access log and the form's corner name it."""
        return f"Mẫu số {self.number}"

    def __str__(self) -> str:
        return f"{self.title} ({self.label})"


RECEIPT = PrintedForm("01", _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"))
SUPPLEMENT = PrintedForm("02", _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"))
REFUSAL = PrintedForm("03", _("Phiếu từ chối tiếp nhận giải quyết hồ sơ"))
APOLOGY = PrintedForm("04", _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"))
STOP_NOTICE = PrintedForm("05", _("Thông báo dừng giải quyết hồ sơ"))
CONTROL_SHEET = PrintedForm("06", _("Phiếu kiểm soát quá trình giải quyết hồ sơ"))
REGISTER = PrintedForm("07", _("Sổ theo dõi hồ sơ"))
FORMS = {
    form.number: form
    for form in (RECEIPT, SUPPLEMENT, REFUSAL, APOLOGY, STOP_NOTICE, CONTROL_SHEET, REGISTER)
}


# --- the letterhead ---------------------------------------------------------------------------------

NBSP = "\u00a0"
# Words of agency names that are never split across two lines (a Vietnamese word is often
# two syllables: "hành chính", "Minh Sơn"). Their spaces become non-breaking; a line may
# break only between words. Place names (after tỉnh, xã, phường…) are kept whole.
COMPOUNDS = (
    "bộ phận",
    "tiếp nhận",
    "trả kết quả",
    "kết quả",
    "trung tâm",
    "phục vụ",
    "hành chính công",
    "hành chính",
    "ủy ban",
    "nhân dân",
    "tư pháp",
    "nội vụ",
    "nông nghiệp",
    "môi trường",
    "tài chính",
    "xây dựng",
    "công thương",
    "giáo dục",
    "đào tạo",
    "y tế",
    "văn hóa",
    "thể thao",
    "du lịch",
    "khoa học",
    "công nghệ",
    "giao thông",
    "vận tải",
    "lao động",
    "thương binh",
    "xã hội",
    "dân tộc",
    "tôn giáo",
    "ngoại vụ",
    "thanh tra",
    "văn phòng",
    "đất đai",
    "đăng ký",
    "chi nhánh",
    "ban quản lý",
    "khu công nghiệp",
    "kinh tế",
    "hạ tầng",
    "đô thị",
    "cộng hòa",
    "chủ nghĩa",
    "việt nam",
    "độc lập",
    "tự do",
    "hạnh phúc",
)
_PLACE = re.compile(
    r"\b(?:tỉnh|thành phố|phường|xã|đặc khu|quận|huyện|thị xã|thị trấn)\s+(\w)", re.IGNORECASE
)
_COMPOUND_RE = re.compile(
    r"\b(" + "|".join(re.escape(c) for c in sorted(COMPOUNDS, key=len, reverse=True)) + r")\b", re.IGNORECASE
)


def _place(text: str) -> re.Match | None:
    """The place name ending an agency's name: "tỉnh Minh Sơn", "phường Trung Sơn" (the word
    after it is a proper noun, capitalised: "Xã hội" in "Văn hóa - Xã hội" is no place)."""
    for match in _PLACE.finditer(text or ""):
        if match.group(1).isupper():
            return match
    return None


def unbreakable_words(text: str) -> str:
    """`text` with the spaces inside its words made non-breaking, so that a line wraps only
    between words: between "Trung tâm" and "Phục vụ", never inside "hành chính" or inside
    the place name "tỉnh Minh Sơn"."""
    text = " ".join((text or "").split())
    place = _place(text)
    tail = ""
    if place:
        text, tail = text[: place.start()], text[place.start() :].replace(" ", NBSP)
    text = _COMPOUND_RE.sub(lambda m: m.group(0).replace(" ", NBSP), text)
    return (text + tail).strip()


@dataclass(frozen=True)
class Issuer:
    """The two lines of a letterhead (Nghị định 30/2020/NĐ-CP, Phụ lục I: the governing body,
    then the issuing body in bold) and the agency behind it (address, phone, calendar)."""

    parent: str
    name: str
    agency: object

    @property
    def parent_line(self) -> str:
        return unbreakable_words(self.parent)

    @property
    def name_line(self) -> str:
        return unbreakable_words(self.name)


def _shared_place(name: str, parent: str) -> str:
    """ "Sở Tư pháp tỉnh Minh Sơn" under "Ủy ban nhân dân tỉnh Minh Sơn" → "Sở Tư pháp": the
    second line does not repeat the place the first line names."""
    place = _place(parent)
    where = parent[place.start() :] if place else ""
    if where and name.lower().endswith(where.lower()) and len(name) > len(where):
        return name[: -len(where)].strip()
    return name


def one_stop_issuer(agency) -> Issuer:
    """The one-stop (Bộ phận Một cửa, NĐ 118/2025/NĐ-CP Điều 3 khoản 3) of the receiving
    agency, which issues forms 01, 02 and 03 at intake, 06 and 07: the centre itself; the
    commune's Trung tâm Phục vụ hành chính công (Điều 7 khoản 3); the Bộ phận Tiếp nhận và
    Trả kết quả of any other agency (Điều 7 khoản 1)."""
    if agency.level == AgencyLevel.ONE_STOP_CENTRE:
        parent = agency.parent.name if agency.parent_id else ""
        return Issuer(parent, _shared_place(agency.name, parent), agency)
    if agency.level in (AgencyLevel.COMMUNE, AgencyLevel.DISTRICT, AgencyLevel.PROVINCE):
        return Issuer(agency.name, "Trung tâm Phục vụ hành chính công", agency)
    return Issuer(agency.name, "Bộ phận Tiếp nhận và Trả kết quả", agency)


def agency_issuer(agency) -> Issuer:
    """An agency issuing an act in its own name (the competent agency: forms 02 after
    acceptance, 03 after appraisal, 04, 05): its governing body, then itself."""
    parent = agency.parent.name if agency.parent_id else ""
    if agency.level in (AgencyLevel.PROVINCE, AgencyLevel.COMMUNE, AgencyLevel.DISTRICT):
        parent = ""  # a people's committee heads its own letterhead
    return Issuer(parent, _shared_place(agency.name, parent), agency)


def signature(agency, signer, *, personal_title: str = "") -> SignatureBlock:
    """The signature of an act of `agency` by `signer`: in the agency's name when the signer
    heads it or deputises (thutuc.titles: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"); otherwise the signer
    in their own capacity under `personal_title` ("Người hướng dẫn"), or the agency's block
    left blank to sign by hand."""
    official = official_signature(agency, signer)
    if official is not None:
        return official
    if personal_title:
        return person_signature(personal_title, signer)
    return blank_signature(agency)


def place_name(agency) -> str:
    """'…, tỉnh Minh Sơn' → 'Minh Sơn': the place printed before the date of a form."""
    tail = (agency.address or "").rsplit(",", 1)[-1].strip()
    for prefix in ("thành phố ", "tỉnh ", "phường ", "xã ", "đặc khu "):
        if tail.lower().startswith(prefix):
            return tail[len(prefix) :]
    return tail


def letterhead(issuer: Issuer, *, form: PrintedForm, number: str = "", when=None) -> dict:
    """The context every form template's header reads (templates/pdf/_header.html)."""
    return {
        "issuer": issuer,
        "form": form,
        "number": number,
        "place": place_name(issuer.agency),
        "when": when,
        # one line each, never wrapped
        "motto": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".replace(" ", NBSP),
        "motto_line": "Độc lập - Tự do - Hạnh phúc".replace(" ", NBSP),
    }


# --- what each form shows ---------------------------------------------------------------------------


def person_signature(title: str, user=None) -> SignatureBlock:
    """A signature by a person in their own capacity (the applicant, the receiving officer)."""
    return SignatureBlock((title,), user.get_full_name() if user is not None else "")


def delivery_options(chosen: str) -> list[dict]:
    """Form 01's "Đăng ký nhận kết quả tại": every way, the chosen one ticked (NĐ 118/2025/NĐ-CP
    Điều 15 and Điều 22 khoản 3: at the one-stop, by post, electronically on the national portal)."""
    from .models import ResultDelivery

    labels = {
        ResultDelivery.COUNTER: _("Bộ phận Một cửa"),
        ResultDelivery.POST: _("Bưu chính"),
        ResultDelivery.ONLINE: _("Cổng Dịch vụ công quốc gia (kết quả điện tử)"),
    }
    return [{"value": value, "label": label, "chosen": value == chosen} for value, label in labels.items()]


def printed_papers(documents) -> list:
    """The papers (DossierDocument) with the short name they are printed under (`print_name`):
    the catalogue's short name the paper was received with (kept on the dossier's paper), else
    one derived from its full name."""
    from thutuc.catalogue.print_names import print_name

    papers = list(documents)
    for doc in papers:
        doc.print_name = print_name(doc.name, short_name=getattr(doc, "print_name", "") or "")
    return papers


def receipt_number(dossier) -> str:
    """Form 01's "Số": the dossier's line in the counter's register book of the year (unique per
    counter and year, never renumbered; motcua.register)."""
    return f"{dossier.register_number:02d}/TNHS"


def _applicant(obj) -> dict:
    return {
        "name": obj.applicant_name,
        "organisation": getattr(obj, "organisation_name", ""),
        "address": obj.applicant_address,
        "phone": obj.applicant_phone,
        "email": obj.applicant_email,
    }


def _procedure_name(procedure, case) -> str:
    return f"{procedure.name} ({case.name})" if case is not None and case.name else procedure.name


def _dossier_procedure_name(dossier) -> str:
    """As the dossier was received (its case version), whatever the catalogue says today."""
    name, case = dossier.procedure_name, dossier.case_name
    return f"{name} ({case})" if case else name


def supplement_items(items) -> list[dict]:
    """The items of a supplement request, whatever their shape: a name (requests recorded
    before counts were kept) or {"name", "originals", "certified_copies", "photocopies"}.
    Counts that were not given stay blank (None), not 0."""
    from thutuc.catalogue.print_names import print_name

    rows = []
    for item in items or ():
        row = dict(item) if isinstance(item, dict) else {"name": str(item)}
        row.setdefault("name", "")
        for count in ("originals", "certified_copies", "photocopies"):
            row[count] = row.get(count) or None
        row["print_name"] = print_name(row["name"], short_name=row.get("short_name", ""))
        rows.append(row)
    return rows


def one_stop_label(agency) -> str:
    """The one-stop of `agency` by its full name, in a sentence ("… liên hệ …")."""
    if agency.level == AgencyLevel.ONE_STOP_CENTRE:
        return agency.name
    return f"{one_stop_issuer(agency).name} – {agency.name}"


def _contact(agency) -> dict:
    return {"name": one_stop_label(agency), "phone": agency.phone, "hotline": agency.hotline}


def supplement_at_intake(attempt) -> dict:
    """Form 02 of a dossier not accepted at the counter or from the online inbox: issued by
    the receiving one-stop (NĐ 118/2025/NĐ-CP Điều 17 khoản 1 điểm c, khoản 2 điểm a)."""
    from .models import Channel

    issuer = one_stop_issuer(attempt.agency)
    online = attempt.channel == Channel.ONLINE
    return {
        **letterhead(issuer, form=SUPPLEMENT, number=attempt.number, when=timezone.localtime(attempt.at)),
        "attempt": attempt,
        "applicant": _applicant(attempt),
        "procedure_name": _procedure_name(attempt.procedure, attempt.case),
        "items": supplement_items(attempt.missing_documents),
        "reason": attempt.reason,
        "submit_to": (
            _("nộp lại hồ sơ đã hoàn thiện trên Cổng Dịch vụ công quốc gia")
            if online
            else one_stop_label(attempt.agency)
        ),
        "after_acceptance": False,
        "contact": _contact(attempt.agency),
        "sig": person_signature(_("Người hướng dẫn"), attempt.officer),
    }


def supplement_after_acceptance(dossier, request) -> dict:
    """Form 02 after acceptance: the competent agency, through the one-stop (NĐ 118/2025/NĐ-CP
    Điều 19 khoản 5: one complete request, every item with its counts, the time counted again
    from the start, closure after 15 days), signed by whoever asked for it (in the agency's name
    when a leader). The issuer is the agency recorded on the request (`issuing_agency`, the
    competent agency when it was made), else the dossier's competent agency."""
    agency = request.issuing_agency or dossier.competent_agency
    issuer = agency_issuer(agency)
    return {
        **letterhead(
            issuer, form=SUPPLEMENT, number=request.number, when=timezone.localtime(request.requested_at)
        ),
        "dossier": dossier,
        "dossier_code": dossier.code,
        "received_at": timezone.localtime(dossier.received_at),
        "applicant": _applicant(dossier),
        "procedure_name": _dossier_procedure_name(dossier),
        "items": supplement_items(request.item_rows),
        "reason": request.reason,
        # the dossier is closed if the supplement has not come by then (Điều 19 khoản 5)
        "reply_due_at": timezone.localtime(request.close_at),
        "submit_to": one_stop_label(dossier.receiving_agency),
        "after_acceptance": True,
        "contact": _contact(dossier.receiving_agency),
        "recipients": [
            _("Ông/Bà %(name)s") % {"name": dossier.applicant_name},
            one_stop_label(dossier.receiving_agency),
            _("Lưu: VT"),
        ],
        "sig": signature(agency, request.requested_by, personal_title=_("Người hướng dẫn")),
    }


def refusal_at_intake(attempt) -> dict:
    """Form 03 at the counter or from the online inbox, by the receiving one-stop."""
    return {
        **letterhead(
            one_stop_issuer(attempt.agency),
            form=REFUSAL,
            number=attempt.number,
            when=timezone.localtime(attempt.at),
        ),
        "attempt": attempt,
        "applicant": _applicant(attempt),
        "procedure_name": _procedure_name(attempt.procedure, attempt.case),
        "reason": attempt.reason,
        "after_appraisal": False,
        "contact": _contact(attempt.agency),
        "applicant_sig": person_signature(_("Người nộp hồ sơ")),
        "sig": person_signature(_("Người tiếp nhận hồ sơ"), attempt.officer),
    }


def refusal_after_appraisal(dossier, event) -> dict:
    """Form 03 after appraisal: the competent agency returns the dossier with its written
    reasons, through the one-stop, the notice entered as the dossier's result (NĐ 118/2025/NĐ-CP
    Điều 19 khoản 3). `event` is the refusal in the history (who refused). The notice's number
    is the one the refusal recorded (`refusal_notice_number`; a dossier refused before numbers
    were kept leaves it to the clerk: "Số: ……"), its date the refusal's."""
    when = timezone.localtime(dossier.finished_at or event.at)
    return {
        **letterhead(
            agency_issuer(dossier.competent_agency),
            form=REFUSAL,
            number=dossier.refusal_notice_number,
            when=when,
        ),
        "dossier": dossier,
        "dossier_code": dossier.code,
        "received_at": timezone.localtime(dossier.received_at),
        "applicant": _applicant(dossier),
        "procedure_name": _dossier_procedure_name(dossier),
        "reason": dossier.outcome_reason,
        "after_appraisal": True,
        "contact": _contact(dossier.receiving_agency),
        "recipients": [
            _("Ông/Bà %(name)s") % {"name": dossier.applicant_name},
            one_stop_label(dossier.receiving_agency),
            _("Lưu: VT"),
        ],
        "sig": signature(dossier.competent_agency, event.actor),
    }


def promised_delivery(dossier) -> str:
    """How the result will reach the applicant, by the delivery chosen at intake (form 04)."""
    from .models import ResultDelivery

    if dossier.result_delivery == ResultDelivery.POST:
        return _("gửi qua dịch vụ bưu chính công ích đến địa chỉ %(address)s") % {
            "address": dossier.delivery_address
        }
    if dossier.result_delivery == ResultDelivery.ONLINE:
        return _("trả kết quả điện tử trên Cổng Dịch vụ công quốc gia")
    return _("tại %(where)s") % {"where": one_stop_label(dossier.receiving_agency)}


def apology_context(dossier, apology) -> dict:
    """Form 04: the competent agency to the one-stop and the applicant (NĐ 118/2025/NĐ-CP Điều 19
    khoản 6), signed by the leader who issued it, in the agency's name. The agency is the one
    recorded on the apology (`issuing_agency`), else the dossier's competent agency."""
    agency = apology.issuing_agency or dossier.competent_agency
    return {
        **letterhead(
            agency_issuer(agency),
            form=APOLOGY,
            number=apology.number,
            when=timezone.localtime(apology.issued_at),
        ),
        "dossier": dossier,
        "apology": apology,
        "one_stop": one_stop_label(dossier.receiving_agency),
        "previous_due": timezone.localtime(apology.previous_due_at),
        "new_due": timezone.localtime(apology.new_due_at),
        "delivery": promised_delivery(dossier),
        "sig": signature(agency, apology.issued_by),
    }


def stop_notice_context(dossier, event) -> dict:
    """Form 05: the competent agency stops processing (NĐ 118/2025/NĐ-CP Điều 21), on its own
    decision (status stopped, event STOP) or at the applicant's request until the decision
    (status withdrawn, event WITHDRAW), then with the fees and charges to refund and how
    (`fee_refund_amount`, `fee_refund_note`, khoản 1)."""
    from .models import Status

    return {
        **letterhead(
            agency_issuer(dossier.competent_agency),
            form=STOP_NOTICE,
            number=dossier.stop_notice_number,
            when=timezone.localtime(dossier.finished_at or (event.at if event else timezone.now())),
        ),
        "dossier": dossier,
        "one_stop": one_stop_label(dossier.receiving_agency),
        "receiving": dossier.receiving_agency,
        "at_applicants_request": dossier.status == Status.WITHDRAWN,
        "fees_to_refund": dossier.fee_refund_amount,
        "refund_note": dossier.fee_refund_note,
        "sig": signature(dossier.competent_agency, event.actor if event else None),
    }


def coordinating_agencies(dossier, rows) -> list:
    """The agencies that take part beside the lead one (NĐ 118/2025/NĐ-CP Điều 20 khoản 2):
    those the catalogue names for the procedure (`Procedure.coordinating_agencies`, when the
    catalogue has them), else the agencies the dossier was handed to outside the lead agency
    and the one-stop."""
    named = getattr(dossier.procedure, "coordinating_agencies", None)
    if named is not None and hasattr(named, "all"):
        return [str(agency) for agency in named.all()]
    lead, one_stop = dossier.competent_agency_id, dossier.receiving_agency_id
    seen = []
    for row in rows:
        unit = row.event.unit_after
        if unit is None or unit.pk in (lead, one_stop) or unit.parent_id == lead or str(unit) in seen:
            continue
        seen.append(str(unit))
    return seen


def control_sheet_context(dossier, rows, *, consultations=None) -> dict:
    """Form 06: the lead and coordinating agencies, each hand-over and its receipt (the
    receipt's own moment is `ControlRow.received_at`, the competent agency's acknowledgement of
    a transfer, NĐ 118/2025/NĐ-CP Điều 18 khoản 2), the
    consultations (`consultations`: who, on what, sent and due when, answered when)."""
    if consultations is None:
        related = getattr(dossier, "consultations", None)
        consultations = list(related.all()) if related is not None and hasattr(related, "all") else []
    return {
        **letterhead(
            one_stop_issuer(dossier.receiving_agency),
            form=CONTROL_SHEET,
            number=None,
            when=timezone.localtime(dossier.received_at),
        ),
        "dossier": dossier,
        "receipt_number": receipt_number(dossier),
        "lead_agency": dossier.competent_agency,
        "coordinating": coordinating_agencies(dossier, rows),
        "rows": rows,
        "consultations": consultations,
    }
