"""Catalogue changes never harm dossiers or their history (issue 17).

An open dossier and a finished one are received through the real services; then every
catalogue object they point at is replaced through the Excel import (procedure renamed, time
changed, papers, fees, channels and steps replaced, the case dropped from the file) and
deleted where the database allows it. The dossiers, their events, their papers and their
printed forms (receipt, control sheet) must be exactly as before, and the open dossier goes on
along the route it was received under. Runs on SQLite and PostgreSQL (where a trigger also
guards the history)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.forms.models import model_to_dict
from django.urls import reverse

from motcua.models import Dossier, DossierDocument, DossierEvent, Status
from motcua.services import transitions as t
from motcua.services.intake import Applicant, ReceivedDocument, dossier_receive
from thutuc.calendar import TZ
from thutuc.catalogue import excel
from thutuc.catalogue.demo import rows_dataset
from thutuc.catalogue.resources import CatalogueResource
from thutuc.models import (
    Agency,
    CaseChannel,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureFee,
    ProcedureStep,
    User,
)

from .pdftext import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)

ROW = {
    excel.COL_CODE: "1.000080",
    excel.COL_NAME: "Đăng ký nhận cha, mẹ, con",
    excel.COL_FIELD_CODE: "HO-TICH",
    excel.COL_FIELD_NAME: "Hộ tịch",
    excel.COL_LEVEL: "Cấp tỉnh",
    excel.COL_COMPETENT: "000.00.11.H99",
    excel.COL_CASE_ORDER: "1",
    excel.COL_TIME: "5",
    excel.COL_UNIT: "ngày làm việc",
    excel.COL_CHANNELS: "Trực tiếp | 5 | ngày làm việc\nTrực tuyến | 3 | ngày làm việc",
    excel.COL_DOCUMENTS: "Tờ khai đăng ký nhận cha, mẹ, con | 1 | 0 | 0 | Bắt buộc\n"
    "Văn bản xác nhận quan hệ cha, con | 1 | 0 | 0 | Bắt buộc",
    excel.COL_SHOWN: "Giấy tờ tùy thân | 1 | 0 | 0 | Bắt buộc",
    excel.COL_FEES: "Lệ phí | 8.000 đồng |  | Thu khi nộp hồ sơ",
    excel.COL_STEPS: "Thẩm định hồ sơ | Phòng Hành chính tư pháp (000.00.11.H99) | Chuyên viên xử lý | 3 | "
    "ngày làm việc\nPhê duyệt kết quả |  | Lãnh đạo | 2 | ngày làm việc",
}


def import_rows(*rows):
    result = CatalogueResource().import_data(rows_dataset(list(rows)), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), [
        r.error_dict for r in result.invalid_rows
    ]
    return result


def snapshot(dossier: Dossier) -> dict:
    dossier = Dossier.objects.get(pk=dossier.pk)
    return {
        "dossier": model_to_dict(dossier, exclude=[]) | {"updated_at": dossier.updated_at},
        "events": list(DossierEvent.objects.filter(dossier=dossier).order_by("pk").values()),
        "documents": list(DossierDocument.objects.filter(dossier=dossier).order_by("pk").values()),
        "route": [
            (s.order, s.name, s.agency_id, s.role, s.allotted_time, s.allotted_unit)
            for s in dossier.case_version.steps.all()
        ],
    }


def printed(client, dossier) -> dict:
    forms = {}
    for name in ("motcua:receipt_pdf", "motcua:dossier_control_sheet"):
        response = client.get(reverse(name, args=[dossier.code]))
        assert response.status_code == 200
        forms[name] = pdf_text(response.content)
    forms["tracking"] = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    # the page's one-time form tokens change on every view: compare the text only
    forms["tracking"] = [line for line in forms["tracking"].splitlines() if "token" not in line]
    return forms


@pytest.fixture
def received(province):
    import_rows(ROW)
    case = ProcedureCase.objects.get(procedure__code="1.000080")
    centre = Agency.objects.get(code="000.00.06.H99")
    users = {u.username: u for u in User.objects.filter(username__in=["tiepnhan", "chuyenvien", "lanhdao"])}
    papers = [
        ReceivedDocument(name=d.name, originals=1, procedure_document_id=d.pk, print_name=d.print_name)
        for d in case.documents.filter(kind="file")
    ]

    def receive(n, channel="direct"):
        dossier, _pin = dossier_receive(
            procedure=case.procedure,
            case=case,
            agency=centre,
            actor=users["tiepnhan"],
            applicant=Applicant(name=f"Nguyễn Văn Thử {n}", phone="0912345678"),
            documents=papers,
            channel=channel,
            national_portal_code="G22.99.0001" if channel == "online" else "",
            received_at=MONDAY + dt.timedelta(minutes=n),
        )
        return dossier

    open_dossier = receive(1)
    t.dossier_transfer(
        dossier=open_dossier,
        actor=users["tiepnhan"],
        step=open_dossier.current_step,  # intake names the first step; the counter hands it there
        recipient=users["chuyenvien"],
        now=MONDAY + dt.timedelta(hours=1),
    )
    finished = receive(2, channel="online")
    later = MONDAY + dt.timedelta(hours=2)
    t.dossier_transfer(
        dossier=finished,
        actor=users["tiepnhan"],
        step=t.next_step(finished),
        recipient=users["chuyenvien"],
        now=later,
    )
    finished.refresh_from_db()
    t.dossier_transfer(
        dossier=finished,
        actor=users["chuyenvien"],
        step=t.next_step(finished),
        recipient=users["lanhdao"],
        now=later,
    )
    finished.refresh_from_db()
    t.dossier_approve(dossier=finished, actor=users["lanhdao"], now=later + dt.timedelta(hours=1))
    finished.refresh_from_db()
    t.dossier_return_result(
        dossier=finished,
        actor=users["tiepnhan"],
        collected_by_name="Nguyễn Văn Thử 2",
        now=later + dt.timedelta(hours=2),
    )
    return {
        "case": case,
        "open": Dossier.objects.get(pk=open_dossier.pk),
        "finished": Dossier.objects.get(pk=finished.pk),
        "users": users,
    }


def test_replacing_and_deleting_every_catalogue_object_leaves_dossiers_and_forms_unchanged(
    received, client, login
):
    login("tiepnhan")
    dossiers = [received["open"], received["finished"]]
    assert received["finished"].status == Status.RETURNED
    assert received["finished"].case_version.processing_time == 3  # received online: 3 days
    before = {d.pk: snapshot(d) for d in dossiers}
    forms_before = {d.pk: printed(client, d) for d in dossiers}

    # 1. The file replaces everything: new name, time, papers, fees, channels and steps, and
    #    the dossiers' case is no longer listed (a new case 2 instead).
    import_rows(
        {
            **ROW,
            excel.COL_NAME: "Đăng ký nhận cha, mẹ, con (đổi tên)",
            excel.COL_CASE_ORDER: "2",
            excel.COL_TIME: "10",
            excel.COL_CHANNELS: "Trực tiếp | 10 | ngày làm việc",
            excel.COL_DOCUMENTS: "Tờ khai mới | 2 | 0 | 0 | Bắt buộc",
            excel.COL_SHOWN: "",
            excel.COL_FEES: "Lệ phí | 50.000 đồng |  | Thu khi trả kết quả",
            excel.COL_STEPS: "Xử lý | Phòng Bổ trợ tư pháp (000.00.11.H99) | Chuyên viên xử lý | 10 | "
            "ngày làm việc",
        }
    )
    old_case = ProcedureCase.objects.get(pk=received["case"].pk)
    assert old_case.is_active is False  # withdrawn, not deleted, not left beside the new one
    # 2. An import of the old case with every part changed (it comes back in force).
    import_rows(
        {
            **ROW,
            excel.COL_TIME: "7",
            excel.COL_CHANNELS: "",
            excel.COL_DOCUMENTS: "Tờ khai khác | 1 | 0 | 0 | Bắt buộc",
            excel.COL_FEES: "Phí | 1.000 đồng |  | Thu khi nộp hồ sơ",
            excel.COL_STEPS: "Một bước | Phòng Bổ trợ tư pháp (000.00.11.H99) | Chuyên viên xử lý | 7 | "
            "ngày làm việc",
        },
        {**ROW, excel.COL_CASE_ORDER: "2", excel.COL_TIME: "10", excel.COL_CHANNELS: "", excel.COL_STEPS: ""},
    )
    # 3. Delete what the database lets go; the case and the procedure are refused, not emptied.
    for model in (ProcedureStep, ProcedureFee, ProcedureDocument, CaseChannel):
        model.objects.filter(case__procedure__code="1.000080").delete()
    with pytest.raises(ProtectedError):
        old_case.delete()
    with pytest.raises(ProtectedError):
        Procedure.objects.get(code="1.000080").delete()
    with pytest.raises(ProtectedError):
        Field.objects.get(code="HO-TICH").delete()

    for dossier in dossiers:
        assert snapshot(dossier) == before[dossier.pk], dossier.code
        after = printed(client, dossier)
        for key in after:
            assert after[key] == forms_before[dossier.pk][key], (
                dossier.code,
                key,
                [line for line in after[key] if line not in forms_before[dossier.pk][key]],
            )
    receipt = forms_before[received["open"].pk]["motcua:receipt_pdf"]
    assert "Đăng ký nhận cha, mẹ, con" in receipt and "(đổi tên)" not in receipt
    assert "5 ngày làm việc" in receipt and "8.000 đồng" in receipt

    # The open dossier goes on along the route it was received under.
    open_dossier = Dossier.objects.get(pk=received["open"].pk)
    following = t.next_step(open_dossier)
    assert following.name == "Phê duyệt kết quả" and following.version_id == open_dossier.case_version_id
    moved = t.dossier_transfer(
        dossier=open_dossier,
        actor=received["users"]["chuyenvien"],
        step=following,
        recipient=received["users"]["lanhdao"],
        now=MONDAY + dt.timedelta(hours=5),
    )
    assert moved.current_step == following
    # a catalogue step (even one of the same case) is not the dossier's
    with pytest.raises(t.TransitionError):
        t.dossier_transfer(
            dossier=moved,
            actor=received["users"]["lanhdao"],
            step=ProcedureStep.objects.filter(case__procedure__code="1.000080").first()
            or ProcedureStep(order=1, name="x", allotted_time=Decimal(1)),
            recipient=received["users"]["chuyenvien"],
        )


def test_the_deadline_rule_stays_the_one_received_under(received):
    """A calendar change recomputes deadlines from the dossier's own terms, not the case's new ones."""
    from motcua.services.deadlines import recompute_open_deadlines

    open_dossier = received["open"]
    due = open_dossier.due_at
    import_rows({**ROW, excel.COL_TIME: "20", excel.COL_CHANNELS: "", excel.COL_STEPS: ""})
    recompute_open_deadlines()
    open_dossier.refresh_from_db()
    assert open_dossier.due_at == due  # still 5 working days from the receipt


def test_no_cascade_or_set_null_reaches_a_dossier_or_a_history_row():
    """Every reference from the dossier, feedback and report apps to the catalogue protects
    its target or is a plain reference: deleting a catalogue row can neither delete nor
    rewrite them."""
    from django.apps import apps
    from django.db import models

    catalogue = {
        apps.get_model("thutuc", name)
        for name in (
            "Field",
            "Procedure",
            "ProcedureCase",
            "ProcedureDocument",
            "ProcedureFee",
            "ProcedureStep",
            "CaseChannel",
            "CaseVersion",
            "CaseVersionStep",
        )
    }
    checked = []
    for app in ("motcua", "khieunai", "baocao"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                if isinstance(field, models.ForeignKey) and field.related_model in catalogue:
                    checked.append(f"{model.__name__}.{field.name}")
                    on_delete = field.remote_field.on_delete
                    assert on_delete is models.PROTECT or (
                        on_delete is models.DO_NOTHING and not field.db_constraint
                    ), f"{model.__name__}.{field.name}"
    assert (
        "DossierEvent.step" in checked
        and "Dossier.current_step" in checked
        and "Dossier.case_version" in checked
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the history trigger is PostgreSQL's")
def test_the_history_trigger_refuses_clearing_a_step(received):
    from django.db import DatabaseError, transaction

    event = DossierEvent.objects.filter(dossier=received["open"]).exclude(step=None).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE motcua_dossierevent SET step_id = NULL WHERE id = %s", [event.pk])
