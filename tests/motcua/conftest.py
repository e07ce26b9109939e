import pytest

from motcua.services.intake import Applicant, ReceivedDocument

from .factories import CaseFactory, reception_officer
from .fixtures_processing import world  # noqa: F401  (fixtures of the processing tests)


@pytest.fixture
def officer(db):
    return reception_officer()


@pytest.fixture
def case(db, officer):
    case = CaseFactory()
    case.procedure.receiving_agencies.add(officer.agency)
    return case


@pytest.fixture
def receive(officer, case):
    """Accept a dossier with every paper of `case`; keyword arguments override."""
    from motcua.services.intake import dossier_receive

    def _receive(**kwargs):
        the_case = kwargs.pop("case", case)
        params = {
            "procedure": the_case.procedure,
            "case": the_case,
            "agency": officer.agency,
            "actor": officer,
            "applicant": Applicant(name="Nguyễn Văn An", phone="0912345678", email="an@example.vn"),
            "documents": [
                ReceivedDocument(
                    name=d.name,
                    originals=d.originals,
                    certified_copies=d.certified_copies,
                    photocopies=d.photocopies,
                    procedure_document_id=d.pk,
                )
                for d in the_case.documents.all()
            ],
            **kwargs,
        }
        return dossier_receive(**params)

    return _receive
