"""Where a dossier goes: the unit doing each routing step, and whether the case is an
inter-agency (liên thông) one.

The catalogue's routing steps name units of the procedure's own competent agency (or none:
the competent agency itself) and the counter's own steps. Since NĐ 118/2025/NĐ-CP a dossier
is received at any counter of the province and decided by the agency chosen at intake
(Điều 3 khoản 7, Điều 14 khoản 2, Điều 20), so a step is read for *this* dossier:

- a counter step (role "Bộ phận một cửa") is the receiving counter's: the result comes back
  to the counter that received the dossier (Điều 20 khoản 1 điểm b);
- a step without a unit is the dossier's competent agency's;
- a step at a unit of the catalogue's competent agency, for a dossier decided by another
  agency (a commune procedure of another commune), is that other agency's: the catalogue
  cannot name its units;
- any other step (an agency consulted or deciding in turn) keeps its unit.
"""

from __future__ import annotations

from thutuc.competence import AgencyTree
from thutuc.models.catalogue import StepRole


def step_unit_id(step, *, catalogue_competent_id, competent_id, receiving_id, tree: AgencyTree) -> int:
    """The agency id doing `step` for a dossier decided by `competent_id` and received at
    `receiving_id`; `catalogue_competent_id` is the procedure's competent agency."""
    if step.role == StepRole.RECEPTION:
        return receiving_id
    if step.agency_id is None:
        return competent_id
    if competent_id != catalogue_competent_id and tree.within(step.agency_id, catalogue_competent_id):
        return competent_id
    return step.agency_id


def is_interagency(steps, *, catalogue_competent_id, competent_id, tree: AgencyTree) -> bool:
    """Whether the case is processed by more than one agency (liên thông): a step other than
    the counter's is done by an agency outside the competent agency and its units."""
    for step in steps:
        if step.role == StepRole.RECEPTION or step.agency_id is None:
            continue
        if tree.within(step.agency_id, competent_id):
            continue
        if competent_id != catalogue_competent_id and tree.within(step.agency_id, catalogue_competent_id):
            continue
        return True
    return False
