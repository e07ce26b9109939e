"""Intake at the counter (DESIGN §5.1, NĐ 118/2025/NĐ-CP Điều 17): accept a complete dossier
(competent agency, code, deadline, transfer deadline, PIN, register entry) or record an
attempt that was not accepted (incomplete → form 02, refused → form 03; no code, no
deadline)."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import pins
from thutuc import deadlines as rules
from thutuc.calendar_store import get_calendar
from thutuc.catalogue.versions import case_version_for, not_receivable_reason, with_terms
from thutuc.competence import AgencyTree, propose_competent_agency
from thutuc.stamp import current_stamp

from ..models import (
    Channel,
    Dossier,
    DossierDocument,
    DossierEvent,
    EventAction,
    IntakeAttempt,
    IntakeOutcome,
    ResultDelivery,
    SequenceKind,
    Status,
)
from ..notifications.applicant import notify_applicant
from .codes import code_agency, format_dossier_code, next_daily_number, next_yearly_number
from .fees import ledger_open
from .routing import is_interagency, step_unit_id

# Prefixes of the attempt slip numbers: BS = phiếu yêu cầu bổ sung (form 02),
# TC = phiếu từ chối tiếp nhận (form 03). One counter per agency and year for both.
ATTEMPT_PREFIX = {IntakeOutcome.INCOMPLETE: "BS", IntakeOutcome.REFUSED: "TC"}


@dataclass(frozen=True)
class Applicant:
    """Chủ hồ sơ and, when someone files on their behalf, the representative."""

    name: str
    applicant_type: str = "person"
    organisation_name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    representative_name: str = ""
    representative_id_number: str = ""
    representative_phone: str = ""

    def model_fields(self) -> dict:
        """The applicant's columns, as a Dossier and an OnlineSubmission both store them."""
        return {
            "applicant_type": self.applicant_type,
            "applicant_name": self.name.strip(),
            "organisation_name": self.organisation_name.strip(),
            "applicant_id_number": self.id_number.strip(),
            "applicant_phone": self.phone.strip(),
            "applicant_email": self.email.strip(),
            "applicant_address": self.address.strip(),
            "representative_name": self.representative_name.strip(),
            "representative_id_number": self.representative_id_number.strip(),
            "representative_phone": self.representative_phone.strip(),
        }


# What the caller hands in, checked by full_clean (lengths, choices, the e-mail address). The
# other columns the service computes itself (code, dates, counters, PIN hash) or takes as
# objects (the related rows): validating them would only cost time (issue 21).
DOSSIER_INPUT_FIELDS = frozenset(
    {
        *Applicant(name="").model_fields(),
        "channel",
        "national_portal_code",
        "summary",
        "number_of_sets",
        "result_delivery",
        "delivery_address",
    }
)
DOCUMENT_INPUT_FIELDS = frozenset({"name", "originals", "certified_copies", "photocopies"})


@functools.cache
def _computed_fields(model, inputs: frozenset) -> tuple[str, ...]:
    return tuple(field.name for field in model._meta.fields if field.name not in inputs)


def _clean_input(obj, inputs: frozenset) -> None:
    """full_clean of the fields the caller gave (uniqueness is the database's job: a race
    would pass a Python check)."""
    obj.full_clean(
        exclude=_computed_fields(type(obj), inputs), validate_unique=False, validate_constraints=False
    )


@dataclass(frozen=True)
class ReceivedDocument:
    """One paper handed in (or missing, for form 02), with its counts."""

    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    procedure_document_id: int | None = None
    print_name: str = ""  # the short name printed on the receipt (the catalogue paper's)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "originals": self.originals,
            "certified_copies": self.certified_copies,
            "photocopies": self.photocopies,
        }


class AlreadySubmitted(Exception):
    """The intake form with this token was already handled: `obj` is what it created."""

    def __init__(self, obj):
        super().__init__(str(obj))
        self.obj = obj


def _check_receivable(*, agency, procedure, case, channel: str | None = None) -> None:
    if agency is None or not agency.can_receive_dossiers:
        raise ValidationError(
            _(
                "Cơ quan %(name)s chưa có mã định danh (hoặc đã ngừng hoạt động) "
                "nên không tiếp nhận được hồ sơ."
            )
            % {"name": agency or "—"},
            code="agency_cannot_receive",
        )
    if not procedure.is_active:
        raise ValidationError(_("Thủ tục này không còn áp dụng."), code="procedure_inactive")
    if case is not None and case.procedure_id != procedure.pk:
        raise ValidationError(_("Trường hợp không thuộc thủ tục đã chọn."), code="case_mismatch")
    if case is not None and channel is not None:
        # No stated time: no appointment can be promised (thutuc.catalogue.rules).
        reason = not_receivable_reason(case, channel)
        if reason:
            raise ValidationError(reason, code="case_not_receivable")


def _existing(model, token):
    if token is None:
        return None
    return model.objects.filter(intake_token=token).first()


def dossier_receive(
    *,
    procedure,
    case,
    agency,
    actor,
    applicant: Applicant,
    documents: Sequence[ReceivedDocument],
    channel: str = Channel.DIRECT,
    national_portal_code: str = "",
    summary: str = "",
    number_of_sets: int = 1,
    result_delivery: str = ResultDelivery.COUNTER,
    delivery_address: str = "",
    received_at: dt.datetime | None = None,
    intake_token: uuid.UUID | None = None,
    competent_agency=None,
    applicant_commune=None,
) -> tuple[Dossier, str]:
    """Accept a complete dossier. Returns the dossier and its plain PIN, which exists only
    here: it is printed on the receipt and only its hash is stored.

    The dossier is decided by `competent_agency` — the officer's choice, else the portal's
    proposal from the procedure's level and the `applicant_commune` (NĐ 118/2025 Điều 3
    khoản 7, Điều 14 khoản 2, Điều 20: filed at any counter of the province) — and routed
    there; its code is built on that agency's identifier (Điều 28 khoản 2 điểm a); a paper
    dossier must reach it by `transfer_due_at` (Điều 18 khoản 2, Điều 20 khoản 1 điểm a).

    Raises ValidationError for a rule broken, AlreadySubmitted when `intake_token` was used."""
    # The catalogue's stamp first, then the rows kept under it: the case's channels, fees and
    # steps (for the checks and the version) and the agency tree (for the routing).
    stamp = current_stamp()
    case = with_terms(case, stamp=stamp)
    _check_receivable(agency=agency, procedure=procedure, case=case, channel=channel)
    if channel == Channel.ONLINE and not national_portal_code.strip():
        raise ValidationError(_("Hồ sơ trực tuyến cần mã hồ sơ trên Cổng DVC quốc gia."), code="portal_code")
    if result_delivery == ResultDelivery.POST and not delivery_address.strip():
        raise ValidationError(_("Nhận kết quả qua bưu chính cần địa chỉ nhận."), code="delivery_address")
    # A form sent twice is caught by the unique token when its dossier is inserted (below):
    # no query ahead of every intake for the rare replay, whose transaction rolls back.

    received_at = received_at or timezone.now()
    local = timezone.localtime(received_at)
    calendar = get_calendar(agency)
    # The terms the dossier lives by from now on, whatever the catalogue becomes.
    version = case_version_for(case=case, channel=channel)
    due_at = rules.case_due_at(calendar, version, received_at)
    steps = sorted(version.steps.all(), key=lambda step: (step.order, step.pk))
    tree = AgencyTree.at(stamp)
    competent = competent_agency or propose_competent_agency(
        procedure=procedure, receiving_agency=agency, applicant_commune=applicant_commune, tree=tree
    )
    if not competent.is_in_force(local.date()):
        raise ValidationError(
            _("Cơ quan %(name)s đã ngừng hoạt động: chọn cơ quan giải quyết khác.") % {"name": competent},
            code="competent_inactive",
        )
    routing = {
        "catalogue_competent_id": procedure.competent_agency_id,
        "competent_id": competent.pk,
        "tree": tree,
    }
    first_step = steps[0] if steps else None
    current_unit_id = (
        step_unit_id(first_step, receiving_id=agency.pk, **routing) if first_step else competent.pk
    )
    step_due_at = rules.step_due_at(calendar, first_step, received_at) if first_step else None
    interagency = is_interagency(steps, **routing)
    code_owner = code_agency(competent=competent, receiving=agency, interagency=interagency)
    # A paper dossier is carried to the competent agency (no deadline for an online one).
    transfer_due_at = (
        None
        if channel == Channel.ONLINE
        else rules.transfer_due_at(
            calendar, received_at, across_levels=tree.across_levels(agency.pk, competent.pk)
        )
    )
    pin = pins.new_pin()
    try:
        with transaction.atomic():
            number = next_daily_number(agency_id=code_owner.pk, day=local.date())
            code = format_dossier_code(code_owner.code, local.date(), number)
            dossier = Dossier(
                code=code,
                procedure=procedure,
                case=case,
                case_version=version,
                receiving_agency=agency,
                competent_agency=competent,
                applicant_commune=applicant_commune,
                current_unit_id=current_unit_id,
                current_step=first_step,
                step_due_at=step_due_at,
                transfer_due_at=transfer_due_at,
                channel=channel,
                national_portal_code=national_portal_code.strip(),
                **applicant.model_fields(),
                summary=(summary or version.procedure_name).strip()[:500],
                number_of_sets=number_of_sets,
                result_delivery=result_delivery,
                delivery_address=delivery_address.strip(),
                received_at=received_at,
                received_by=actor,
                due_at=due_at,
                original_due_at=due_at,
                status=Status.RECEIVED,
                pin_hash=pins.hash_pin(code, pin),
                register_year=local.year,
                register_number=next_yearly_number(
                    agency_id=agency.pk, year=local.year, kind=SequenceKind.REGISTER
                ),
                intake_token=intake_token,
            )
            _clean_input(dossier, DOSSIER_INPUT_FIELDS)
            dossier.save()
            rows = [
                DossierDocument(
                    dossier=dossier,
                    procedure_document_id=doc.procedure_document_id,
                    name=doc.name,
                    print_name=doc.print_name[:150],
                    originals=doc.originals,
                    certified_copies=doc.certified_copies,
                    photocopies=doc.photocopies,
                )
                for doc in documents
            ]
            for row in rows:
                _clean_input(row, DOCUMENT_INPUT_FIELDS)
            DossierDocument.objects.bulk_create(rows)
            ledger_open(dossier=dossier, at=received_at, actor=actor)
            DossierEvent.objects.create(
                dossier=dossier,
                at=received_at,
                actor=actor,
                action=EventAction.RECEIVE,
                status_after=Status.RECEIVED,
                unit_before=agency,
                unit_after_id=current_unit_id,
                step=first_step,
                step_due_at=step_due_at,
                due_at_after=due_at,
                note=_("Tiếp nhận %(channel)s; cơ quan giải quyết: %(competent)s")
                % {"channel": Channel(channel).label.lower(), "competent": competent.name},
            )
            notify_applicant(dossier, "accepted", pin=pin, new_dossier=True)
    except IntegrityError:
        # The form was sent before, or twice at the same moment (the second waits on the
        # unique token, then lands here once the first has committed): its counters' numbers
        # went back with the rollback.
        if (existing := _existing(Dossier, intake_token)) is not None:
            raise AlreadySubmitted(existing) from None
        raise
    return dossier, pin


def intake_attempt_record(
    *,
    procedure,
    case,
    agency,
    actor,
    applicant: Applicant,
    outcome: str,
    missing_documents: Sequence[ReceivedDocument] = (),
    reason: str = "",
    channel: str = Channel.DIRECT,
    at: dt.datetime | None = None,
    intake_token: uuid.UUID | None = None,
) -> IntakeAttempt:
    """Record a dossier not accepted at the counter. Incomplete: every missing paper is
    listed at once ("một lần đầy đủ"); refused: the reason is required."""
    _check_receivable(agency=agency, procedure=procedure, case=case)
    outcome = IntakeOutcome(outcome)
    if outcome == IntakeOutcome.INCOMPLETE and not missing_documents:
        raise ValidationError(_("Cần liệt kê đầy đủ các giấy tờ phải bổ sung."), code="no_missing_documents")
    if outcome == IntakeOutcome.REFUSED and not reason.strip():
        raise ValidationError(_("Cần ghi rõ lý do từ chối tiếp nhận."), code="no_reason")
    if (existing := _existing(IntakeAttempt, intake_token)) is not None:
        raise AlreadySubmitted(existing)
    at = at or timezone.now()
    local = timezone.localtime(at)
    try:
        with transaction.atomic():
            number = next_yearly_number(
                agency_id=agency.pk, year=local.year, kind=SequenceKind.INTAKE_ATTEMPT
            )
            attempt = IntakeAttempt(
                number=f"{agency.code}-{ATTEMPT_PREFIX[outcome]}{local:%y}-{number:04d}",
                agency=agency,
                procedure=procedure,
                case=case,
                outcome=outcome,
                channel=channel,
                applicant_name=applicant.name.strip(),
                applicant_id_number=applicant.id_number.strip(),
                applicant_phone=applicant.phone.strip(),
                applicant_email=applicant.email.strip(),
                applicant_address=applicant.address.strip(),
                missing_documents=[doc.as_dict() for doc in missing_documents],
                reason=reason.strip(),
                at=at,
                officer=actor,
                intake_token=intake_token,
            )
            attempt.full_clean(
                exclude=["agency", "procedure", "case", "officer"],
                validate_unique=False,
                validate_constraints=False,
            )
            attempt.save()
    except IntegrityError:
        if (existing := _existing(IntakeAttempt, intake_token)) is not None:
            raise AlreadySubmitted(existing) from None
        raise
    return attempt


def dossier_reissue_pin(*, dossier: Dossier, actor) -> str:
    """A new lookup PIN for a reprinted receipt: the old one stops working. Logged."""
    pin = pins.new_pin()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        locked.pin_hash = pins.hash_pin(locked.code, pin)
        locked.save(update_fields=["pin_hash", "updated_at"])
        DossierEvent.objects.create(
            dossier=locked,
            at=timezone.now(),
            actor=actor,
            action=EventAction.REISSUE_PIN,
            status_before=locked.status,
            status_after=locked.status,
            note=_("In lại giấy tiếp nhận với mã tra cứu mới; mã cũ hết hiệu lực."),
        )
    dossier.pin_hash = locked.pin_hash
    return pin
