"""Factories of the quarterly reports' data: ratings (through the rating service).

The dossiers are DossierFactory's (tests/motcua/factories.py, through the intake and
transition services): a report scenario gives its receipt, deadline (`**lasting(r, d)`),
status and finishing moment. The catalogue's, agencies', feedback's and calls' factories are
re-exported from their homes for the report tests."""

import factory

from motcua.models import Channel, Rating, RatingValue, Status
from motcua.services.rating import dossier_rate
from tests.factories import AgencyFactory, UserFactory
from tests.khieunai.factories import FeedbackFactory, HotlineCallFactory
from tests.motcua.factories import DossierFactory, lasting
from tests.thutuc.factories import CaseFactory, FieldFactory, ProcedureCaseFactory, ProcedureFactory
from tests.timeutil import local

__all__ = [
    "AgencyFactory",
    "CaseFactory",
    "DossierFactory",
    "FeedbackFactory",
    "FieldFactory",
    "HotlineCallFactory",
    "ProcedureCaseFactory",
    "ProcedureFactory",
    "RatingFactory",
    "UserFactory",
    "lasting",
    "local",
    "returned_early_and_late",
]


class RatingFactory(factory.Factory):
    """A citizen's rating of a returned dossier, through motcua.services.rating."""

    class Meta:
        model = Rating

    dossier = factory.SubFactory(DossierFactory, status=Status.RETURNED)
    value = RatingValue.SATISFIED
    comment = ""
    at = factory.LazyAttribute(lambda o: o.dossier.returned_at)

    @classmethod
    def _create(cls, model_class, *, dossier, value, comment, at):
        return dossier_rate(dossier=dossier, value=value, comment=comment, now=at)


def returned_early_and_late(agency, early_field, late_field):
    """Two dossiers of Q1/2026 received by `agency` Monday 05/01/2026 09:00 (due 12/01 09:00)
    and returned: one filed online in `early_field`, finished early on 08/01; one at the
    counter in `late_field`, finished late on 20/01."""
    received = local(2026, 1, 5, 9)
    early = DossierFactory(
        receiving_agency=agency,
        case__procedure__field=early_field,
        channel=Channel.ONLINE,
        status=Status.RETURNED,
        received_at=received,
        finished_at=local(2026, 1, 8, 9),
    )
    late = DossierFactory(
        receiving_agency=agency,
        case__procedure__field=late_field,
        status=Status.RETURNED,
        received_at=received,
        finished_at=local(2026, 1, 20, 9),
    )
    return early, late


def quarterly_export_request(username="lanhdao") -> dict:
    """The leader `username` creates and submits the agency's report of Q1/2026, then asks
    for its Excel file: the keyword arguments of baocao.services.export_request."""
    from baocao import services
    from thutuc.models import User

    leader = User.objects.get(username=username)
    report = services.report_create(agency=leader.agency, year=2026, quarter=1, actor=leader)
    payload = services.report_submit(report=report, actor=leader).snapshot
    return {
        "payload": payload,
        "fmt": "xlsx",
        "title": "Báo cáo quý I",
        "actor": leader,
        "report": report,
        "agency": leader.agency,
    }
