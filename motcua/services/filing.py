"""A citizen files online on this portal (the online channel of issue 19).

Only a procedure published as an online public service is filed here ("toàn trình" or "một
phần": thutuc.models.OnlineLevel): a draft is started with the applicant's data of the
citizen's latest dossier, saved as often as they like with the papers uploaded into the
case's slots, and submitted once: it becomes an `OnlineSubmission` of source "citizen" in the
receiving counter's online inbox, with its 02-hour alert and 08-working-hour decision clock
(NĐ 118/2025/NĐ-CP Điều 17 khoản 2; motcua.services.online). A second submit of the same
draft (a double click, two tabs) finds it locked and submitted: one submission.

For a "một phần" procedure the papers whose originals the catalogue asks for (and those
shown, "xuất trình") must still be brought to the counter: `originals_to_bring`."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from thutuc.catalogue.places import AGENCY_LEVELS, LOCAL_LEVELS
from thutuc.models import Agency, AgencyLevel, DocumentKind, OnlineLevel, ProcedureDocument

from ..citizen.identity import CitizenIdentity
from ..citizen.selectors import last_applicant, reusable_papers
from ..models import FilingStatus, OnlineFiling, OnlineSource, PaperFile, PaperPurpose
from . import papers as paper_files
from .intake import Applicant, ReceivedDocument
from .online import acknowledge_citizen, online_submission_record

ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "organisation_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
)
EDITABLE_FIELDS = (*APPLICANT_FIELDS, "summary", "result_delivery", "delivery_address", "agency")


def is_filed_online(procedure) -> bool:
    return procedure.is_active and procedure.online_level in ONLINE_LEVELS


def receiving_agencies(procedure):
    """The counters a citizen may file this procedure with: the agencies its row names, or
    those of its levels, and the one-stop centres (thutuc.catalogue.places)."""
    named = list(procedure.receiving_agencies.values_list("pk", flat=True))
    levels = [agency_level for level in procedure.level_list for agency_level in AGENCY_LEVELS.get(level, ())]
    queryset = Agency.objects.filter(is_active=True, code__gt="")
    condition = Q(pk__in=named) if named else Q(level__in=levels)
    if named or any(level in LOCAL_LEVELS for level in procedure.level_list):
        condition |= Q(level=AgencyLevel.ONE_STOP_CENTRE)
    return queryset.filter(condition).order_by("level", "name")


def slots(filing: OnlineFiling) -> list[ProcedureDocument]:
    """The papers of the filing's case, in order: one upload slot each (those filed, not
    only shown)."""
    return list(ProcedureDocument.objects.filter(case_id=filing.case_id).order_by("order", "pk"))


def originals_to_bring(filing: OnlineFiling) -> list[ProcedureDocument]:
    """ "Một phần": the papers whose originals are brought to the counter (shown, or asked
    as originals) — when the result is collected."""
    if filing.procedure.online_level != OnlineLevel.PARTIAL:
        return []
    return [paper for paper in slots(filing) if paper.kind == DocumentKind.SHOW or paper.originals]


def _not_online():
    return ValidationError(
        _("Thủ tục này chưa được cung cấp dịch vụ công trực tuyến; vui lòng nộp hồ sơ tại bộ phận một cửa."),
        code="not_online",
    )


def filing_start(*, identity: CitizenIdentity, procedure, case=None, agency=None) -> OnlineFiling:
    """A new draft of `procedure` (its first active case unless `case`), pre-filled with the
    applicant's data of the citizen's latest dossier."""
    if not is_filed_online(procedure):
        raise _not_online()
    case = case or procedure.cases.filter(is_active=True).order_by("order", "pk").first()
    if case is None or case.procedure_id != procedure.pk or not case.is_active:
        raise ValidationError(_("Thủ tục chưa có trường hợp đang áp dụng để nộp hồ sơ."), code="case")
    choices = receiving_agencies(procedure)
    agency = agency or choices.first()
    if agency is None or not choices.filter(pk=agency.pk).exists():
        raise ValidationError(_("Không có nơi tiếp nhận hồ sơ trực tuyến cho thủ tục này."), code="agency")
    return OnlineFiling.objects.create(
        owner_phone=identity.phone,
        owner_email=identity.email,
        procedure=procedure,
        case=case,
        agency=agency,
        summary=procedure.name[:500],
        **last_applicant(identity),
    )


def _lock_draft(filing: OnlineFiling) -> OnlineFiling:
    locked = (
        OnlineFiling.objects.select_for_update()
        .select_related("procedure", "case", "agency")
        .get(pk=filing.pk)
    )
    if not locked.is_draft:
        raise ValidationError(
            _("Hồ sơ %(code)s đã được nộp lúc %(at)s; không sửa hoặc nộp lại được.")
            % {
                "code": locked.portal_code,
                "at": formats.date_format(timezone.localtime(locked.submitted_at), "H:i d/m/Y"),
            },
            code="submitted",
        )
    return locked


def _owner(identity: CitizenIdentity) -> dict:
    return {"owner_phone": identity.phone, "owner_email": identity.email, "added_by_citizen": identity.masked}


def filing_save(
    *,
    filing: OnlineFiling,
    identity: CitizenIdentity,
    data: dict,
    uploads: Sequence[paper_files.Upload] = (),
) -> OnlineFiling:
    """Save the draft's data (`data`: cleaned fields of EDITABLE_FIELDS) and store the new
    files. Every file is checked before anything is written; all or nothing."""
    paper_files.check_uploads(uploads, already_bytes=paper_files.stored_bytes(filing=filing))
    with transaction.atomic():
        locked = _lock_draft(filing)
        for name in EDITABLE_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.full_clean(exclude=["procedure", "case", "agency", "corrects", "submission"])
        locked.save()
        paper_files.store(uploads, purpose=PaperPurpose.FILED_ONLINE, filing=locked, **_owner(identity))
    return locked


def filing_reuse_paper(
    *, filing: OnlineFiling, identity: CitizenIdentity, paper_id: int, slot: ProcedureDocument
):
    """One click: an already digitised paper of this citizen, still valid, into a slot."""
    source = next((p for p in reusable_papers(identity) if p.pk == paper_id), None)
    if source is None or slot.case_id != filing.case_id:
        raise ValidationError(
            _("Giấy tờ này không dùng lại được (không còn hiệu lực hoặc không phải của bạn).")
        )
    with transaction.atomic():
        locked = _lock_draft(filing)
        return paper_files.reuse(
            source,
            name=slot.name,
            procedure_document_id=slot.pk,
            purpose=PaperPurpose.FILED_ONLINE,
            filing=locked,
            **_owner(identity),
        )


def filing_remove_paper(*, filing: OnlineFiling, paper_id: int) -> None:
    """Take a file off a draft (the stored file is kept if another row uses it)."""
    with transaction.atomic():
        locked = _lock_draft(filing)
        paper = PaperFile.objects.filter(filing=locked, pk=paper_id).first()
        if paper is None:
            raise ValidationError(_("Không tìm thấy tệp này trong hồ sơ."))
        name = paper.file.name
        paper.delete()
        if not PaperFile.objects.filter(file=name).exists():
            transaction.on_commit(lambda: paper.file.storage.delete(name))


def missing_papers(filing: OnlineFiling) -> list[ProcedureDocument]:
    filed = set(PaperFile.objects.filter(filing=filing).values_list("procedure_document_id", flat=True))
    return [p for p in slots(filing) if p.mandatory and p.kind == DocumentKind.FILE and p.pk not in filed]


def filing_submit(*, filing: OnlineFiling, identity: CitizenIdentity):
    """Submit the draft: an `OnlineSubmission` (source citizen) in the counter's inbox, its
    staff alerted (Điều 17 khoản 2). Raises ValidationError (Vietnamese) when something is
    missing or the draft was already submitted."""
    with transaction.atomic():
        locked = _lock_draft(filing)
        if not is_filed_online(locked.procedure):
            raise _not_online()
        problems = []
        if not locked.applicant_name.strip():
            problems.append(_("Ghi họ tên chủ hồ sơ."))
        if not (locked.applicant_phone or locked.applicant_email):
            problems.append(_("Ghi số điện thoại hoặc thư điện tử để nhận thông báo."))
        missing = missing_papers(locked)
        if missing:
            problems.append(
                _("Chưa tải lên: %(papers)s.")
                % {"papers": "; ".join(paper.print_name or paper.name[:120] for paper in missing)}
            )
        if problems:
            raise ValidationError(problems, code="incomplete")
        filed = {}
        for paper in PaperFile.objects.filter(filing=locked).order_by("pk"):
            filed.setdefault(paper.procedure_document_id, paper)
        documents = [
            ReceivedDocument(
                name=slot.name,
                originals=slot.originals,
                certified_copies=slot.certified_copies,
                photocopies=slot.photocopies,
                procedure_document_id=slot.pk,
                print_name=slot.print_name,
            )
            for slot in slots(locked)
            if slot.pk in filed
        ]
        submission = online_submission_record(
            agency=locked.agency,
            procedure=locked.procedure,
            case=locked.case,
            applicant=Applicant(
                name=locked.applicant_name,
                applicant_type=locked.applicant_type,
                organisation_name=locked.organisation_name,
                id_number=locked.applicant_id_number,
                phone=locked.applicant_phone,
                email=locked.applicant_email,
                address=locked.applicant_address,
            ),
            documents=documents,
            national_portal_code=locked.portal_code,
            source=OnlineSource.CITIZEN,
            summary=locked.summary,
            result_delivery=locked.result_delivery,
            delivery_address=locked.delivery_address,
        )
        locked.status = FilingStatus.SUBMITTED
        locked.submission = submission
        locked.submitted_at = submission.submitted_at
        locked.save(update_fields=["status", "submission", "submitted_at", "updated_at"])
        acknowledge_citizen(
            submission,
            phone=locked.owner_phone or locked.applicant_phone,
            email=locked.owner_email or locked.applicant_email,
        )
    return submission


def filing_correct(*, submission, identity: CitizenIdentity) -> OnlineFiling:
    """A filing sent back for a supplement (Điều 17 khoản 2 điểm a) is corrected and filed
    again as a new submission: a new draft with the same data and the same files (reused),
    to which the citizen adds what was asked for. Only one open correction at a time."""
    earlier = getattr(submission, "filing", None)
    if earlier is None or submission.decision != "supplement":
        raise ValidationError(_("Chỉ hồ sơ được yêu cầu bổ sung, hoàn thiện mới nộp lại được."))
    with transaction.atomic():
        existing = OnlineFiling.objects.select_for_update().filter(corrects=submission).first()
        if existing is not None:
            return existing
        draft = OnlineFiling.objects.create(
            owner_phone=identity.phone or earlier.owner_phone,
            owner_email=identity.email or earlier.owner_email,
            procedure=earlier.procedure,
            case=earlier.case,
            agency=earlier.agency,
            corrects=submission,
            **{
                name: getattr(earlier, name)
                for name in (*APPLICANT_FIELDS, "summary", "result_delivery", "delivery_address")
            },
        )
        for paper in PaperFile.objects.filter(filing=earlier).order_by("pk"):
            paper_files.reuse(
                paper,
                name=paper.name,
                procedure_document_id=paper.procedure_document_id,
                purpose=PaperPurpose.FILED_ONLINE,
                filing=draft,
                **_owner(identity),
            )
    return draft
