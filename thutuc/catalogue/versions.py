"""The case version a dossier is received under (thutuc.models.case_versions).

`case_version_for(case=..., channel=...)` copies what a dossier of `case` received by
`channel` will live by — the procedure's code and name, the case's name, the time for that
channel, the cut-off, the fees, the routing steps — and returns the one version with exactly
those terms, creating it the first time. Intake calls it; so do the legacy import, the demo and
the benchmark seed. Equal terms give the same row, so a catalogue that does not change adds
one version per case, not one per dossier.
"""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal

from django.db import IntegrityError, connection, transaction

from ..models import CaseVersion, CaseVersionStep, ProcedureCase
from ..stamp import StampedMemo
from .rules import case_not_receivable_reason, format_fee_amount


def channel_terms(case: ProcedureCase, channel: str) -> tuple[Decimal | None, str, str]:
    """(time, unit, channel applied) of `case` for a dossier received by `channel`: the
    channel's own time when the catalogue states one for it, else the case's time (channel
    applied ""). Reads `case.channels` (prefetch it for many cases)."""
    for row in terms_rows(case, "channels"):
        if row.channel == channel and row.processing_time is not None:
            return row.processing_time, row.processing_unit, channel
    return case.processing_time, case.processing_unit, ""


def not_receivable_reason(case: ProcedureCase, channel: str = "direct") -> str:
    """'' when a dossier of `case` can be received by `channel`; otherwise why not, in Vietnamese."""
    if not case.is_active:
        return "Trường hợp này của thủ tục đã ngừng áp dụng."
    time, _unit, _channel = channel_terms(case, channel)
    return case_not_receivable_reason(time)


def _fee_values(fee) -> dict:
    return {
        "kind": fee.kind,
        "amount": None if fee.amount is None else str(fee.amount),
        "currency": fee.currency,
        "per_unit": fee.per_unit,
        "cap": None if fee.cap is None else str(fee.cap),
        "description": fee.description,
        "exemptions": fee.exemptions,
        "channel": fee.channel,
        "collected": fee.collected,
        "text": format_fee_amount(fee.amount, fee.currency, fee.per_unit, fee.cap),
    }


def _step_values(step) -> dict:
    return {
        "order": step.order,
        "name": step.name,
        "agency_id": step.agency_id,
        "role": step.role,
        "allotted_time": str(Decimal(step.allotted_time).normalize()),
        "allotted_unit": step.allotted_unit,
    }


TERMS_RELATIONS = ("channels", "fees", "steps")


_TERMS = StampedMemo()


def with_terms(case: ProcedureCase, *, stamp: str | None = None) -> ProcedureCase:
    """A copy of `case` carrying, in `terms_rows`, the rows its terms are made of (intake
    reads them twice: receivable? then the version); the caller's object keeps whatever it
    had cached. With the catalogue's `stamp` (thutuc.stamp.current_stamp, read first) the
    rows come from this process's memory while the stamp stands — they change a few times a
    year and intake needed them for every dossier (issue 21). Otherwise, or on a miss, one
    plain statement per table, unordered (`case_terms` orders fees and steps itself; a case
    has one row per channel): the ORM's prefetch cost three times the queries themselves.
    The rows are shared between intakes: read them, never change them."""
    fresh = copy.copy(case)
    fresh.terms_rows = _TERMS.get(stamp, case.pk, lambda: _read_terms_rows(case.pk))
    return fresh


def _read_terms_rows(case_id: int) -> dict[str, list]:
    quote = connection.ops.quote_name
    rows = {}
    for name in TERMS_RELATIONS:
        model = getattr(ProcedureCase, name).rel.related_model
        table, column = quote(model._meta.db_table), quote(model._meta.get_field("case").column)
        rows[name] = list(model.objects.raw(f"SELECT * FROM {table} WHERE {column} = %s", [case_id]))
    return rows


def terms_rows(case: ProcedureCase, name: str):
    """The case's channels, fees or steps: those `with_terms` read, else the relation
    (prefetched or not)."""
    rows = getattr(case, "terms_rows", None)
    return rows[name] if rows is not None else getattr(case, name).all()


def case_terms(case: ProcedureCase, channel: str) -> dict:
    """The plain, canonical content of a version (what its digest is computed from)."""
    time, unit, applied = channel_terms(case, channel)
    if time is None:
        raise ValueError(case_not_receivable_reason(time))
    # in the catalogue's order (the models' Meta.ordering: by id within a case)
    fees = sorted(
        (f for f in terms_rows(case, "fees") if not f.channel or f.channel == channel), key=lambda f: f.pk
    )
    steps = sorted(terms_rows(case, "steps"), key=lambda s: (s.order, s.pk))
    return {
        "procedure_code": case.procedure.code,
        "procedure_name": case.procedure.name,
        "case_name": case.name,
        "channel": applied,
        "processing_time": str(Decimal(time).normalize()),
        "processing_unit": unit,
        "cutoff_time": case.cutoff_time.strftime("%H:%M") if case.cutoff_time else None,
        "fees": [_fee_values(f) for f in fees],
        "steps": [_step_values(s) for s in steps],
    }


def terms_digest(terms: dict) -> str:
    return hashlib.sha256(json.dumps(terms, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def case_version_for(*, case: ProcedureCase, channel: str = "direct") -> CaseVersion:
    """The version of `case` for a dossier received by `channel` (created when new).

    Raises ValueError when the case has no stated time for that channel (callers check
    `not_receivable_reason` first and say so in Vietnamese)."""
    if getattr(case, "terms_rows", None) is None and not all(
        name in getattr(case, "_prefetched_objects_cache", {}) for name in TERMS_RELATIONS
    ):
        case = with_terms(case)
    terms = case_terms(case, channel)
    digest = terms_digest(terms)
    found = _BY_DIGEST.get(digest)
    if found is not None:
        return found
    found = CaseVersion.objects.filter(digest=digest).prefetch_related("steps").first()
    if found is not None:
        _remember(_BY_DIGEST, digest, found)
        return found
    try:
        with transaction.atomic():
            version = CaseVersion.objects.create(
                digest=digest,
                procedure_code=terms["procedure_code"],
                procedure_name=terms["procedure_name"],
                case_name=terms["case_name"],
                channel=terms["channel"],
                processing_time=Decimal(terms["processing_time"]),
                processing_unit=terms["processing_unit"],
                cutoff_time=case.cutoff_time,
                fees=terms["fees"],
            )
            CaseVersionStep.objects.bulk_create(
                [
                    CaseVersionStep(
                        version=version,
                        order=step["order"],
                        name=step["name"],
                        agency_id=step["agency_id"],
                        role=step["role"],
                        allotted_time=Decimal(step["allotted_time"]),
                        allotted_unit=step["allotted_unit"],
                    )
                    for step in terms["steps"]
                ]
            )
    except IntegrityError:
        # Another intake created the same version a moment ago (the digest is unique).
        return CaseVersion.objects.get(digest=digest)
    return version


# Case versions never change once written (append-only): the tracking page, opened by every
# citizen's QR code, reads its dossier's version from this process's memory instead of
# joining it (issue 21: the join was half the lookup's cost). Only committed rows are kept:
# a version read inside a transaction might still be rolled back and its id used again.
# Intake finds its version by the digest of the terms (content-addressed: the same terms are
# the same version for ever) and keeps it with its steps the same way.
_VERSIONS: dict[int, CaseVersion] = {}
_BY_DIGEST: dict[str, CaseVersion] = {}
_MEMO_MAX = 4096


def _remember(memo: dict, key, version: CaseVersion) -> None:
    if transaction.get_connection().in_atomic_block:
        return
    if len(memo) >= _MEMO_MAX:
        memo.clear()
    memo[key] = version


def committed_case_version(pk: int) -> CaseVersion:
    version = _VERSIONS.get(pk)
    if version is None:
        version = CaseVersion.objects.get(pk=pk)
        _remember(_VERSIONS, pk, version)
    return version


def committed_case_versions(pks) -> dict[int, CaseVersion]:
    """{pk: version} for many ids: from memory, the missing ones in one query (a list page)."""
    found = {pk: _VERSIONS[pk] for pk in pks if pk in _VERSIONS}
    missing = [pk for pk in set(pks) if pk not in found]
    if missing:
        for version in CaseVersion.objects.filter(pk__in=missing):
            _remember(_VERSIONS, version.pk, version)
            found[version.pk] = version
    return found
