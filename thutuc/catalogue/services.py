"""Writes to the catalogue. The Excel import and the demo seed go through here."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from core.text import fold

from ..models import (
    Agency,
    CaseChannel,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureFee,
    ProcedureStep,
)
from ..validators import AGENCY_CODE_RE
from . import excel
from .excel import CatalogueRow
from .rules import validate_step_allotments

# Model field -> Excel column, to report a model's own validation errors in the right column.
_PROCEDURE_COLUMNS = {
    "code": excel.COL_CODE,
    "name": excel.COL_NAME,
    "levels": excel.COL_LEVEL,
    "procedure_type": excel.COL_TYPE,
    "applicants": excel.COL_APPLICANTS,
    "competent_agency_text": excel.COL_COMPETENT_TEXT,
    "implementing_agency_text": excel.COL_IMPLEMENTING_TEXT,
    "authorised_agency_text": excel.COL_AUTHORISED_TEXT,
    "coordinating_agency_text": excel.COL_COORDINATING_TEXT,
    "receiving_address": excel.COL_ADDRESS,
    "online_level": excel.COL_ONLINE,
    "decision_number": excel.COL_DECISION,
    "decision_effective_date": excel.COL_DECISION_DATE,
    "sequence": excel.COL_SEQUENCE,
    "result": excel.COL_RESULT,
    "result_codes": excel.COL_RESULT_CODES,
    "legal_basis": excel.COL_LEGAL,
    "requirements": excel.COL_REQUIREMENTS,
    "related_procedures": excel.COL_RELATED,
    "source_url": excel.COL_SOURCE,
}
_CASE_COLUMNS = {
    "name": excel.COL_CASE_NAME,
    "order": excel.COL_CASE_ORDER,
    "is_active": excel.COL_CASE_ACTIVE,
    "processing_time": excel.COL_TIME,
    "processing_unit": excel.COL_UNIT,
    "cutoff_time": excel.COL_CUTOFF,
    "channel_description": excel.COL_CHANNEL_DESCRIPTION,
    "documents_note": excel.COL_DOCUMENTS_NOTE,
}
_UNIT_WITH_PARENT = re.compile(r"^(?P<name>.+?)\s*\((?P<parent>[^()]+)\)$")


class _Collector:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)

    def add_model_errors(
        self, exc: ValidationError, columns: dict[str, str], default: str, prefix=""
    ) -> None:
        for field_name, messages in exc.message_dict.items():
            column = columns.get(field_name, default)
            for message in messages:
                self.add(column, prefix + message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def resolve_agency(label: str, cache: dict | None = None) -> Agency | None:
    """An agency written as in the file: code, 'Unit name (parent code)' or a unique name.
    Returns None when not found or ambiguous. `cache` memoises lookups within one import."""
    label = label.strip()
    if cache is not None:
        if label not in cache:
            cache[label] = resolve_agency(label)
        return cache[label]
    if AGENCY_CODE_RE.match(label):
        return Agency.objects.filter(code=label).first()
    match = _UNIT_WITH_PARENT.match(label)
    if match:
        found = Agency.objects.filter(name=match["name"], parent__code=match["parent"].strip())
    else:
        found = Agency.objects.filter(name=label)
    found = list(found[:2])
    return found[0] if len(found) == 1 else None


def _changed(instance, values: dict) -> bool:
    changed = False
    for attr, value in values.items():
        if getattr(instance, attr) != value:
            setattr(instance, attr, value)
            changed = True
    return changed


@transaction.atomic
def catalogue_row_apply(
    *,
    row: CatalogueRow,
    case: ProcedureCase | None = None,
    actor=None,
    agency_cache: dict | None = None,
    field_cache: dict | None = None,
) -> ProcedureCase:
    """Create or update one procedure case (and its procedure) from a parsed Excel row.

    Rows that describe the current state save nothing (no updated_at bump). Papers are
    matched by name so that uploaded form templates stay attached; fees and steps are
    replaced when they differ. Raises ValidationError keyed by Excel column; the caller's
    transaction is then rolled back. `agency_cache` and `field_cache` memoise lookups within
    one import (a province's file names the same few agencies and fields on every row)."""
    errors = _Collector()

    field_cache = {} if field_cache is None else field_cache
    if row.field_code not in field_cache:
        field_cache[row.field_code] = Field.objects.filter(code=row.field_code).first()
    field = field_cache[row.field_code]
    if field is None:
        if row.field_name:
            field = Field(code=row.field_code, name=row.field_name)
            try:
                field.full_clean()
                field.save()
                field_cache[row.field_code] = field
            except ValidationError as exc:
                errors.add_model_errors(exc, {"name": excel.COL_FIELD_NAME}, excel.COL_FIELD_CODE)
        else:
            errors.add(
                excel.COL_FIELD_CODE,
                f"Chưa có lĩnh vực mã «{row.field_code}»; ghi tên lĩnh vực ở cột "
                f"«{excel.COL_FIELD_NAME}» để tạo mới.",
            )

    receiving = []
    for code in row.receiving:
        agency = resolve_agency(code, agency_cache)
        if agency is None:
            errors.add(excel.COL_RECEIVING, f"Không có cơ quan mã «{code}» trong danh mục cơ quan.")
        else:
            receiving.append(agency)
    competent = None
    if row.competent:
        competent = resolve_agency(row.competent, agency_cache)
        if competent is None:
            errors.add(excel.COL_COMPETENT, f"Không tìm thấy cơ quan «{row.competent}».")
    step_agencies = []
    for no, step in enumerate(row.steps, 1):
        agency = resolve_agency(step.agency, agency_cache) if step.agency else None
        if step.agency and agency is None:
            errors.add(
                excel.COL_STEPS,
                f"Dòng {no} trong ô: không tìm thấy cơ quan, đơn vị «{step.agency}» "
                "(ghi mã định danh, hoặc «Tên phòng (mã cơ quan cấp trên)»).",
            )
        step_agencies.append(agency)
    try:
        validate_step_allotments(
            row.processing_time, row.processing_unit, [(s.allotted_time, s.allotted_unit) for s in row.steps]
        )
    except ValidationError as exc:
        for message in exc.messages:
            errors.add(excel.COL_STEPS, message)
    errors.raise_if_any()

    # The procedure: created or updated only when something differs.
    procedure = Procedure.objects.select_for_update().filter(code=row.code).first() or Procedure(
        code=row.code
    )
    values = {
        "name": row.name,
        "field_id": field.pk,
        "levels": row.levels,
        "procedure_type": row.procedure_type,
        "applicants": row.applicants,
        "competent_agency_id": competent.pk if competent else None,
        "competent_agency_text": row.competent_text,
        "implementing_agency_text": row.implementing_text,
        "authorised_agency_text": row.authorised_text,
        "coordinating_agency_text": row.coordinating_text,
        "receiving_address": row.receiving_address,
        "online_level": row.online_level,
        "immediate_result": row.immediate_result,
        "is_active": row.is_active,
        "is_sample": row.is_sample,
        "decision_number": row.decision_number,
        "decision_effective_date": row.decision_date,
        "sequence": row.sequence,
        "result": row.result,
        "result_codes": row.result_codes,
        "requirements": row.requirements,
        "legal_basis": row.legal_basis,
        "related_procedures": row.related,
        "source_url": row.source_url,
    }
    new_procedure = procedure.pk is None
    if _changed(procedure, values) or new_procedure:
        procedure.field = field  # its name goes into the search text: no query to read it back
        try:
            procedure.full_clean(exclude=["field", "competent_agency"])  # resolved above
        except ValidationError as exc:
            errors.add_model_errors(exc, _PROCEDURE_COLUMNS, excel.COL_NAME)
            errors.raise_if_any()
        procedure.save()
    if new_procedure:
        if receiving:
            procedure.receiving_agencies.set(receiving)
    elif {a.pk for a in procedure.receiving_agencies.all()} != {a.pk for a in receiving}:
        procedure.receiving_agencies.set(receiving)

    # The case.
    if case is None or case.pk is None:
        case = ProcedureCase.objects.filter(procedure=procedure, order=row.case_order).first() or (
            case or ProcedureCase()
        )
    case.procedure = procedure
    case_values = {
        "order": row.case_order,
        "name": row.case_name,
        "is_active": row.case_active,
        "processing_time": row.processing_time,
        "processing_unit": row.processing_unit,
        "cutoff_time": row.cutoff_time,
        "channel_description": row.channel_description,
        "documents_note": row.documents_note,
    }
    new_case = case.pk is None
    if _changed(case, case_values) or new_case:
        try:
            case.full_clean(exclude=["procedure"])
        except ValidationError as exc:
            errors.add_model_errors(exc, _CASE_COLUMNS, excel.COL_CASE_ORDER)
            errors.raise_if_any()
        case.save()
    if new_case:
        # nothing of a case just created to read back: no query for its parts
        case._prefetched_objects_cache = {name: [] for name in ("documents", "channels", "fees", "steps")}

    _apply_documents(case, row, errors)
    _apply_channels(case, row, errors)
    _apply_fees(case, row, errors)
    _apply_steps(case, row, step_agencies, errors)
    errors.raise_if_any()
    return case


def _apply_documents(case: ProcedureCase, row: CatalogueRow, errors: _Collector) -> None:
    # Matched by kind and name (a name may repeat: taken in order), so that an uploaded
    # form file stays attached to its paper.
    existing: dict[tuple[str, str], list[ProcedureDocument]] = {}
    for d in case.documents.all():
        existing.setdefault((d.kind, fold(d.name)), []).append(d)
    everything = [d for found in existing.values() for d in found]
    keep, created = set(), []
    for order, line in enumerate(row.documents, 1):
        same = existing.get((line.kind, fold(line.name)))
        document = same.pop(0) if same else ProcedureDocument(case=case)
        values = {
            "order": order,
            "kind": line.kind,
            "group": line.group,
            "name": line.name,
            "print_name": line.print_name,
            "template_name": line.template_name,
            "originals": line.originals,
            "certified_copies": line.certified_copies,
            "photocopies": line.photocopies,
            "mandatory": line.mandatory,
            "note": line.note,
        }
        if _changed(document, values) or document.pk is None:
            try:
                document.full_clean(exclude=["case"])
            except ValidationError as exc:
                errors.add_model_errors(exc, {}, excel.COL_DOCUMENTS, prefix=f"Dòng {order} trong ô: ")
                continue
            if document.pk is None:
                created.append(document)
                continue
            document.save()
        keep.add(document.pk)
    ProcedureDocument.objects.bulk_create(created)
    stale = [d.pk for d in everything if d.pk not in keep]
    if stale:
        # Dossiers hold their own copy of each paper (motcua DossierDocument): nothing of
        # theirs is touched by this delete.
        ProcedureDocument.objects.filter(pk__in=stale).delete()


def _apply_channels(case: ProcedureCase, row: CatalogueRow, errors: _Collector) -> None:
    current = [
        excel.ChannelLine(c.channel, c.processing_time, c.processing_unit) for c in case.channels.all()
    ]
    objects = _replace(
        current,
        list(row.channels),
        lambda no, line: CaseChannel(
            case=case,
            channel=line.channel,
            processing_time=line.processing_time,
            processing_unit=line.processing_unit,
        ),
        excel.COL_CHANNELS,
        errors,
    )
    if objects is not None:
        CaseChannel.objects.filter(case=case).delete()
        CaseChannel.objects.bulk_create(objects)


def _replace(current: list, wanted: list, build, column: str, errors: _Collector) -> list | None:
    """The new objects (validated, unsaved) when `wanted` differs from `current`, else None."""
    if current == wanted:
        return
    objects = []
    for no, line in enumerate(wanted, 1):
        obj = build(no, line)
        try:
            obj.full_clean(exclude=["case", "agency"])  # both set from resolved objects
        except ValidationError as exc:
            errors.add_model_errors(exc, {}, column, prefix=f"Dòng {no} trong ô: ")
        objects.append(obj)
    if errors.errors:
        return
    return objects


def _apply_fees(case: ProcedureCase, row: CatalogueRow, errors: _Collector) -> None:
    existing = list(case.fees.all())
    current = [
        excel.FeeLine(
            f.kind,
            f.amount,
            f.description,
            f.collected,
            f.channel,
            f.exemptions,
            f.currency,
            f.per_unit,
            f.cap,
        )
        for f in existing
    ]
    objects = _replace(
        current,
        list(row.fees),
        lambda no, line: ProcedureFee(
            case=case,
            kind=line.kind,
            amount=line.amount,
            currency=line.currency,
            per_unit=line.per_unit,
            cap=line.cap,
            description=line.description,
            exemptions=line.exemptions,
            channel=line.channel,
            collected=line.collected,
        ),
        excel.COL_FEES,
        errors,
    )
    if objects is not None:
        ProcedureFee.objects.filter(case=case).delete()
        ProcedureFee.objects.bulk_create(objects)


def _apply_steps(case: ProcedureCase, row: CatalogueRow, agencies: list, errors: _Collector) -> None:
    existing = list(case.steps.all())
    current = [(s.name, s.agency_id, s.role, s.allotted_time, s.allotted_unit) for s in existing]
    wanted = [
        (line.name, agency.pk if agency else None, line.role, line.allotted_time, line.allotted_unit)
        for line, agency in zip(row.steps, agencies, strict=True)
    ]
    objects = _replace(
        current,
        wanted,
        lambda no, item: ProcedureStep(
            case=case,
            order=no,
            name=item[0],
            agency_id=item[1],
            role=item[2],
            allotted_time=item[3],
            allotted_unit=item[4],
        ),
        excel.COL_STEPS,
        errors,
    )
    if objects is not None:
        ProcedureStep.objects.filter(case=case).delete()
        ProcedureStep.objects.bulk_create(objects)


def catalogue_cases_withdraw(*, listed: dict[str, set[int]]) -> list[tuple[str, int, str]]:
    """Withdraw (is_active=False) the active cases of the procedures in `listed` (code ->
    the case orders a file lists) that are not listed: a case removed from the file must
    not stay beside the new ones, and cannot be deleted (dossiers point at it). Returns
    (code, order, name) of each case withdrawn."""
    withdrawn, stale = [], []
    active = ProcedureCase.objects.filter(procedure__code__in=list(listed), is_active=True)
    for case in active.select_related("procedure").order_by("procedure__code", "order"):
        if case.order not in listed[case.procedure.code]:
            withdrawn.append((case.procedure.code, case.order, case.name or case.procedure.name))
            stale.append(case.pk)
    if stale:
        ProcedureCase.objects.filter(pk__in=stale).update(is_active=False)
    return withdrawn
