"""A double click, two tabs, two phones: the same draft submitted at once gives one online
submission (PostgreSQL only: SQLite has no row locks); a save racing the submit never edits
a submitted filing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from motcua.models import OnlineSubmission, PaperFile
from motcua.services import filing as filing_service
from motcua.services.papers import Upload
from tests.concurrency import at_once, raised
from thutuc.models import Agency, OnlineLevel

from .citizen_helpers import PHONE, identity, pdf
from .factories import CaseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_five_submits_of_one_draft_at_once_file_it_once(province):
    centre = Agency.objects.get(code="000.00.06.H99")
    case = CaseFactory(procedure__online_level=OnlineLevel.FULL, documents=[("Tờ khai", 1, 0, 0, True)])
    case.procedure.receiving_agencies.add(centre)
    slot = case.documents.get()
    filing = filing_service.filing_start(identity=identity(), procedure=case.procedure, agency=centre)
    filing = filing_service.filing_save(
        filing=filing,
        identity=identity(),
        data={"applicant_name": "Trần Thị Bình", "applicant_phone": PHONE},
        uploads=[Upload(pdf(), slot.name, slot.pk)],
    )
    results = at_once([lambda: filing_service.filing_submit(filing=filing, identity=identity())] * 5)
    errors = raised(results)
    assert len(errors) == 4 and all(isinstance(e, ValidationError) and e.code == "submitted" for e in errors)
    assert OnlineSubmission.objects.count() == 1
    filing.refresh_from_db()
    assert filing.submission == OnlineSubmission.objects.get()

    late = at_once(
        [
            lambda: filing_service.filing_save(
                filing=filing,
                identity=identity(),
                data={"applicant_name": "Tên khác"},
                uploads=[Upload(pdf(), slot.name, slot.pk)],
            )
        ]
    )
    assert isinstance(late[0], ValidationError) and late[0].code == "submitted"
    filing.refresh_from_db()
    assert filing.applicant_name == "Trần Thị Bình" and PaperFile.objects.count() == 1
