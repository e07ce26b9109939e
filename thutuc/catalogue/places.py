"""Where a procedure is received: by the agencies its row names, or else by its levels.

The national database names agencies generically ("Ủy ban nhân dân cấp xã", "Sở Tư pháp"),
not by identifier. A procedure whose receiving agencies are left blank is received by every
agency of its level(s) — a procedure of the commune level by every commune — and, like every
procedure with a local level or named agencies, at the one-stop centres (Trung tâm Phục vụ
hành chính công: under NĐ 118/2025/NĐ-CP dossiers are accepted there regardless of
administrative boundaries, "không phụ thuộc địa giới hành chính"). A procedure only of the
ministry level ("Cấp bộ") or of "Cơ quan khác" with no agency named is published for
information and received nowhere in the province.

The competent agency follows the same rule: the one the row names, else it is chosen at
intake (thutuc.competence: the applicant's commune for a commune procedure, else the
receiving agency), which reads `Procedure.level_list` and `Procedure.competent_agency_id`.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import AgencyLevel, CentreKind, Procedure, ProcedureLevel

# Which agencies of the province belong to each procedure level.
AGENCY_LEVELS = {
    ProcedureLevel.COMMUNE.value: (AgencyLevel.COMMUNE.value,),
    ProcedureLevel.DISTRICT.value: (AgencyLevel.DISTRICT.value,),
    ProcedureLevel.PROVINCE.value: (AgencyLevel.PROVINCE.value, AgencyLevel.DEPARTMENT.value),
}
LOCAL_LEVELS = tuple(AGENCY_LEVELS)


def procedure_levels_for(agency_level: str) -> list[str]:
    """The procedure levels an agency of `agency_level` receives by level."""
    return [level for level, agency_levels in AGENCY_LEVELS.items() if agency_level in agency_levels]


def _any_level(levels) -> Q:
    condition = Q(pk__in=[])
    for level in levels:
        condition |= Q(levels__contains=level)
    return condition


def receivable_q(agency) -> Q:
    """Procedures `agency`'s counter receives (a condition on Procedure; join → distinct()).

    By its kind of counter (Agency.centre_kind, issue 18): the provincial centre and its
    branches receive what the centre does; a receiving point only the procedures that name
    it among their receiving agencies; any other counter by its level."""
    named = Q(receiving_agencies__isnull=False)
    if agency.centre_kind == CentreKind.RECEIVING_POINT:
        return Q(receiving_agencies=agency)
    if agency.level == AgencyLevel.ONE_STOP_CENTRE or agency.centre_kind in (
        CentreKind.PROVINCIAL,
        CentreKind.BRANCH,
    ):
        return named | _any_level(LOCAL_LEVELS)
    return Q(receiving_agencies=agency) | (~named & _any_level(procedure_levels_for(agency.level)))


def receivable_procedures(agency):
    """Active procedures the agency's counter takes in."""
    return Procedure.objects.filter(receivable_q(agency), is_active=True).distinct()


def is_received_by_level(procedure: Procedure) -> bool:
    """No agency named: received by the agencies of its levels (and the centres)."""
    return not procedure.receiving_agencies.all()


def received_anywhere(procedure: Procedure) -> bool:
    """Whether any counter of the province receives the procedure."""
    return not is_received_by_level(procedure) or any(level in LOCAL_LEVELS for level in procedure.level_list)


def generic_receiving_description(procedure: Procedure) -> str:
    """Where a procedure received by level is filed, in words ("Ủy ban nhân dân cấp xã …")."""
    places = []
    labels = {
        ProcedureLevel.COMMUNE.value: _("Ủy ban nhân dân cấp xã, phường, đặc khu"),
        ProcedureLevel.DISTRICT.value: _("Ủy ban nhân dân cấp huyện (trước 01/07/2025)"),
        ProcedureLevel.PROVINCE.value: _("các sở, ngành và Ủy ban nhân dân tỉnh"),
    }
    for level in procedure.level_list:
        if level in labels:
            places.append(labels[level])
    if not places:
        return ""
    return "; ".join(places) + "; " + _("hoặc bất kỳ Trung tâm Phục vụ hành chính công nào")
