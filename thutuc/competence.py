"""Which agency is competent for a dossier, and at which administrative level an agency sits.

Since NĐ 118/2025/NĐ-CP a dossier may be filed at any one-stop counter of the province
whatever the applicant's commune (Điều 3 khoản 7, Điều 14 khoản 2, Điều 20; every procedure
by 31/12/2025 under Điều 40 khoản 4): the counter that receives it and the agency competent
to decide it are chosen separately. At intake the officer chooses the competent agency, or
the portal proposes one with `propose_competent_agency` from the procedure's level and the
applicant's commune.

This is the one place that answers those questions from the catalogue as it stands today
(`Procedure.level_list`, `Procedure.competent_agency`, the agency tree with `AgencyLevel`). The
national catalogue will carry richer data (procedures and agencies named generically, per
level): only the functions below need to learn to read it.

`AgencyTree` reads the whole agency table in one query (a province has a few hundred rows),
keeps it in memory while the catalogue's stamp stands (thutuc.stamp), and answers every
question about parents from there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Agency, AgencyLevel, ProcedureLevel
from .models.agency import in_force_q
from .stamp import StampedMemo, current_stamp

# The administrative level (cấp hành chính) of an agency: a department belongs to the
# province, a unit or a one-stop centre to the body above it (a commune's centre is a
# commune's: NĐ 118/2025 Điều 7 khoản 3).
PROVINCE, DISTRICT, COMMUNE, CENTRAL = "province", "district", "commune", "central"
_OWN_LEVEL = {
    AgencyLevel.PROVINCE: PROVINCE,
    AgencyLevel.DEPARTMENT: PROVINCE,
    AgencyLevel.DISTRICT: DISTRICT,
    AgencyLevel.COMMUNE: COMMUNE,
}
_PROCEDURE_LEVEL = {
    ProcedureLevel.CENTRAL: CENTRAL,
    ProcedureLevel.PROVINCE: PROVINCE,
    ProcedureLevel.DISTRICT: DISTRICT,
    ProcedureLevel.COMMUNE: COMMUNE,
}
# The agency levels that can decide a procedure of each level (the choices at intake).
_COMPETENT_LEVELS = {
    COMMUNE: (AgencyLevel.COMMUNE,),
    DISTRICT: (AgencyLevel.DISTRICT,),
    PROVINCE: (AgencyLevel.PROVINCE, AgencyLevel.DEPARTMENT),
    CENTRAL: (AgencyLevel.PROVINCE, AgencyLevel.DEPARTMENT),
}
_MAX_DEPTH = 12  # the tree is shallow; a cycle entered by hand must not loop forever


@dataclass(frozen=True)
class _Node:
    parent_id: int | None
    level: str


class AgencyTree:
    """The agency tree, read once: parent and level of every agency (`load`), or kept in
    memory under the catalogue's stamp (`at`)."""

    def __init__(self, nodes: dict[int, _Node]):
        self.nodes = nodes

    @classmethod
    def load(cls) -> AgencyTree:
        return cls(
            {
                pk: _Node(parent, level)
                # no ORDER BY: a dict keyed by id (the model orders by name)
                for pk, parent, level in Agency.objects.order_by().values_list("pk", "parent_id", "level")
            }
        )

    @classmethod
    def at(cls, stamp: str | None) -> AgencyTree:
        """The whole tree, from this process's memory while the catalogue's `stamp`
        (thutuc.stamp.current_stamp, read first) stands: any write to the agency table
        renews the stamp. Intake asks it for every dossier (issue 21)."""
        return _TREES.get(stamp, "tree", cls.load)

    @classmethod
    def current(cls) -> AgencyTree:
        """The whole tree as it stands: the stamp read, the tree from memory when it stands."""
        return cls.at(current_stamp())

    def ancestors(self, agency_id: int | None):
        """`agency_id` itself, then its parent, and so on up to the root."""
        seen = 0
        while agency_id is not None and agency_id in self.nodes and seen < _MAX_DEPTH:
            yield agency_id
            agency_id = self.nodes[agency_id].parent_id
            seen += 1

    def level(self, agency_id: int | None) -> str:
        """The administrative level of an agency: its own for a province, a department, a
        district or a commune; otherwise that of the nearest body above it (a unit, a
        one-stop centre). An agency with nothing above it counts as provincial."""
        for pk in self.ancestors(agency_id):
            own = _OWN_LEVEL.get(self.nodes[pk].level)
            if own is not None:
                return own
        return PROVINCE

    def commune_of(self, agency_id: int | None) -> int | None:
        """The commune an agency belongs to (itself, or the commune above its unit or its
        one-stop centre), or None."""
        for pk in self.ancestors(agency_id):
            if self.nodes[pk].level == AgencyLevel.COMMUNE:
                return pk
        return None

    def within(self, agency_id: int | None, root_id: int | None) -> bool:
        """Whether `agency_id` is `root_id` or one of the units below it."""
        return root_id is not None and root_id in self.ancestors(agency_id)

    def across_levels(self, first_id: int | None, second_id: int | None) -> bool:
        """Whether two agencies sit at different administrative levels (NĐ 118/2025 Điều 20
        khoản 1: "các cơ quan không cùng cấp hành chính")."""
        return self.level(first_id) != self.level(second_id)


_TREES = StampedMemo(max_size=1)


def procedure_levels(procedure) -> list[str]:
    """The administrative levels of a procedure, highest first (a national record may name
    several: "Cấp tỉnh, Cấp xã"); provincial when it names none the province acts at."""
    levels = [_PROCEDURE_LEVEL[level] for level in procedure.level_list if level in _PROCEDURE_LEVEL]
    return levels or [PROVINCE]


def procedure_level(procedure) -> str:
    """The lowest level a procedure is done at (the commune's for "Cấp tỉnh, Cấp xã": a
    commune decides it for its residents, the officer may choose a department instead)."""
    return procedure_levels(procedure)[-1]


def propose_competent_agency(
    *, procedure, receiving_agency, applicant_commune=None, tree: AgencyTree | None = None
) -> Agency:
    """The agency the portal proposes as competent for a dossier of `procedure` received at
    `receiving_agency` (NĐ 118/2025 Điều 3 khoản 7, Điều 14 khoản 2, Điều 20).

    A commune-level procedure is decided by the applicant's commune; without it, by the
    commune of the counter that received it, then by the procedure's own competent agency
    (the catalogue names one commune for every commune), then by the receiving agency. Any
    other procedure is decided by the agency the catalogue names, else by the receiving one."""
    if procedure_level(procedure) == COMMUNE:
        if applicant_commune is not None:
            return applicant_commune
        tree = tree or AgencyTree.current()
        commune_id = tree.commune_of(receiving_agency.pk)
        if commune_id is not None:
            return (
                receiving_agency if commune_id == receiving_agency.pk else Agency.objects.get(pk=commune_id)
            )
    if procedure.competent_agency_id is not None:
        return procedure.competent_agency
    return receiving_agency


def competent_agency_choices(procedure) -> QuerySet:
    """The agencies an officer may choose as competent for `procedure`: the agencies in force
    today with an identifier at the procedure's level, and the agency the catalogue names."""
    levels = [
        agency_level for level in procedure_levels(procedure) for agency_level in _COMPETENT_LEVELS[level]
    ]
    condition = Q(level__in=levels, code__isnull=False) & in_force_q(timezone.localdate()) & ~Q(code="")
    if procedure.competent_agency_id is not None:
        condition |= Q(pk=procedure.competent_agency_id)
    return Agency.objects.filter(condition).order_by("name")


def communes() -> QuerySet:
    """The communes an applicant may live in (the applicant's commune at intake)."""
    return Agency.objects.in_force().filter(level=AgencyLevel.COMMUNE).order_by("name")
