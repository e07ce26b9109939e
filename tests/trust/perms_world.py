"""Data of the permission matrix: two "worlds" built once per test module.

World A is the demo province where every demo officer works (the one-stop centre receives,
Sở Tư pháp decides, its Phòng Hành chính tư pháp processes): its objects are the users'
"own agency" objects. World B is xã Tân Phú, with its own officers: its objects are
"another agency's". Every personal value of world B carries MARKER, so a page that lists
rows can be searched for a leak.

The rows are created inside one transaction opened for the module and rolled back at its
end (each test then runs in a savepoint, as in Django's TestCase), so the ~800 requests of
the matrix share one set-up: the module-scoped `perms_world` fixture (tests/trust/conftest.py).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

MARKER = "Xakhac"  # in every personal value of the other agency's objects

# The demo users, one per role (tests/conftest.py `province`), and the matrix's roles: those
# users and anonymous.
ROLE_USERS = ("tiepnhan", "chuyenvien", "lanhdao", "giamdoc", "sonoivu", "quantri")
ROLES = ("anon", *ROLE_USERS)


def build() -> SimpleNamespace:
    from baocao import services as report_services
    from baocao.models import ExportStatus, ReportExport
    from core.pins import hash_pin
    from khieunai.models import (
        CallOutcome,
        CitizenReception,
        Feedback,
        FeedbackAttachment,
        FeedbackChannel,
        FeedbackKind,
        FeedbackStatus,
        HotlineCall,
    )
    from motcua.models import (
        IntakeOutcome,
        Notification,
        NotificationChannel,
        OnlineSource,
        OnlineSubmission,
        Outcome,
        PaperFile,
        PaperPurpose,
        Status,
    )
    from motcua.services import transitions as t
    from motcua.services.intake import Applicant, ReceivedDocument, intake_attempt_record
    from tests.factories import UserFactory
    from tests.motcua.factories import MONDAY_9AM, CaseFactory, DossierFactory, StepFactory
    from thutuc import demo
    from thutuc.accounts.roles import Role
    from thutuc.models import Agency, User
    from thutuc.models.catalogue import StepRole

    demo.seed(catalogue=False)
    users = {u.username: u for u in User.objects.select_related("agency")}
    centre = Agency.objects.get(code="000.00.06.H99")
    justice = Agency.objects.get(code="000.00.11.H99")
    unit = Agency.objects.get(name="Phòng Hành chính tư pháp")
    commune = Agency.objects.get(code="000.19.23.H99")
    # Officers of the other agency, who created its objects.
    xa_reception = UserFactory(username="tiepnhanxa", agency=commune, roles=[Role.RECEPTION])
    xa_leader = UserFactory(username="lanhdaoxa", agency=commune, roles=[Role.LEADER, Role.SPECIALIST])

    # --- catalogue: one procedure per world, routed through a specialist then a leader -------
    bare = {"processing_time": 5, "documents": [], "fees": []}
    own_case = CaseFactory(procedure__competent_agency=justice, **bare)
    own_case.procedure.receiving_agencies.add(centre)
    StepFactory(case=own_case, order=1, agency=unit, role=StepRole.SPECIALIST)
    StepFactory(case=own_case, order=2, agency=None, role=StepRole.LEADER, allotted_time=1)
    other_case = CaseFactory(procedure__competent_agency=commune, **bare)
    other_case.procedure.receiving_agencies.add(commune)
    StepFactory(case=other_case, order=1, agency=commune, role=StepRole.SPECIALIST)
    # form templates: one attached to a procedure in force, one paper without a template
    from thutuc.catalogue.form_templates import FormTemplate, docx_bytes
    from thutuc.models import ProcedureDocument

    own_template = ProcedureDocument.objects.create(case=own_case, name="Tờ khai (theo mẫu)", originals=1)
    own_template.template.save(
        "to-khai.docx", ContentFile(docx_bytes(FormTemplate("Tờ khai", ("Họ và tên",), "docx"))), save=True
    )
    templates = {
        "own": own_template,
        "other": ProcedureDocument.objects.create(case=other_case, name="Giấy tờ không có mẫu", originals=1),
    }

    def dossiers(side: str) -> SimpleNamespace:
        if side == "own":
            where = {"case": own_case, "receiving_agency": centre, "received_by": users["tiepnhan"]}
            where |= {"unit": unit, "actor": users["lanhdao"]}
            officer, name = users["chuyenvien"], "Nguyễn Văn Mình"
        else:
            where = {"case": other_case, "receiving_agency": commune, "received_by": xa_reception}
            where |= {"unit": commune, "actor": xa_leader}
            officer, name = xa_leader, f"Lò Văn {MARKER}"
        # handed to the officer, an apology with a new date, a supplement asked for and received
        waiting = DossierFactory(
            **where, status=Status.WAITING_SUPPLEMENT, apology_days=3, applicant_name=name, assignee=officer
        )
        processing = t.dossier_receive_supplement(
            dossier=waiting, actor=officer, now=MONDAY_9AM + dt.timedelta(hours=4)
        )
        processing.pin = waiting.pin
        # taken in hand by the officer himself (who keeps reading it), then decided by the leader
        taken = {**where, "transferred_by": officer, "assignee": officer, "applicant_name": name}
        decided = {**taken, "finished_at": MONDAY_9AM + dt.timedelta(days=1)}
        return SimpleNamespace(
            processing=processing,
            stopped=DossierFactory(**decided, status=Status.STOPPED),
            refused=DossierFactory(**decided, status=Status.RESULT_READY, outcome=Outcome.REFUSED),
            returned=DossierFactory(
                **where,
                status=Status.RETURNED,
                applicant_name=name,
                finished_at=MONDAY_9AM + dt.timedelta(days=2),
            ),
            attempt=intake_attempt_record(
                procedure=where["case"].procedure,
                case=where["case"],
                agency=where["receiving_agency"],
                actor=where["received_by"],
                applicant=Applicant(name=name),
                outcome=IntakeOutcome.INCOMPLETE,
                missing_documents=[ReceivedDocument(name="Giấy chứng sinh", originals=1)],
                reason="Thiếu giấy tờ",
                at=MONDAY_9AM,
            ),
            online=OnlineSubmission.objects.create(
                agency=where["receiving_agency"],
                procedure=where["case"].procedure,
                case=where["case"],
                national_portal_code=f"G22.99-PERMS-{side}",
                source=OnlineSource.PORTAL,
                applicant_name=name,
                submitted_at=MONDAY_9AM,
                arrived_at=MONDAY_9AM,
                alert_due_at=MONDAY_9AM + dt.timedelta(hours=2),
                decision_due_at=MONDAY_9AM + dt.timedelta(hours=8),
            ),
        )

    own, other = dossiers("own"), dossiers("other")
    # a scanned paper of each side's dossier (downloads: motcua:paper_download)
    for side, bundle in (("own", own), ("other", other)):
        paper = PaperFile(
            original_name=f"ban-quet-{side}.pdf",
            content_type="application/pdf",
            size=15,
            sha256="0" * 64,
            name="Giấy chứng sinh",
            purpose=PaperPurpose.INTAKE_SCAN,
            dossier=bundle.processing,
        )
        paper.file.save(f"perms-{side}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        bundle.paper = paper
    # (the dossiers are numbered by the intake service: a dossier received for real, as the
    # online inbox's acceptance does, continues their register)

    # --- feedback, attachments, hotline, citizen reception ------------------------------------
    now = timezone.now()

    def feedback(side: str, n: int) -> Feedback:
        agency, handling = (centre, unit) if side == "own" else (commune, commune)
        name = "Trần Thị Lành" if side == "own" else f"Đèo Thị {MARKER}"
        item = Feedback.objects.create(
            code=f"PA-PERMS-{side}-{n}",
            kind=FeedbackKind.FEEDBACK,
            channel=FeedbackChannel.ONLINE,
            agency=agency,
            handling_unit=handling,
            title=f"Phản ánh thái độ {name}",
            content="Cán bộ hẹn lại nhiều lần.",
            submitter_name=name,
            submitter_phone="0912000111",
            received_at=now - dt.timedelta(days=1),
            status=FeedbackStatus.RECEIVED,
            pin_hash=hash_pin(f"PA-PERMS-{side}-{n}", "ABC234"),
        )
        attachment = FeedbackAttachment(
            feedback=item, original_name="don.pdf", content_type="application/pdf", size=40
        )
        attachment.file.save(f"perms-{side}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        item.attachment = attachment
        return item

    own_feedback, other_feedback = feedback("own", 1), feedback("other", 1)
    # one triaged case of each side, for the written notice
    own_notice, other_notice = feedback("own", 2), feedback("other", 2)
    Feedback.objects.filter(pk__in=[own_notice.pk, other_notice.pk]).update(
        triaged_at=now, triage="within", status=FeedbackStatus.IN_PROGRESS
    )

    def call(side: str) -> HotlineCall:
        agency, handler = (centre, users["chuyenvien"]) if side == "own" else (commune, xa_reception)
        return HotlineCall.objects.create(
            agency=agency,
            started_at=now - dt.timedelta(minutes=5),
            line="1900 8286",
            caller_name="Vũ Văn Gọi" if side == "own" else f"Vũ Văn {MARKER}",
            caller_phone="0912000222",
            topic="Hỏi tiến độ hồ sơ",
            summary="Công dân hỏi tiến độ",
            handler=handler,
            outcome=CallOutcome.values[0],
        )

    own_call, other_call = call("own"), call("other")
    for side, agency, officer in (("own", centre, users["chuyenvien"]), ("other", commune, xa_reception)):
        CitizenReception.objects.create(
            agency=agency,
            year=timezone.localdate().year,
            number=1,
            received_on=timezone.localdate(),
            citizen_name="Hà Văn Tiếp" if side == "own" else f"Hà Văn {MARKER}",
            address="Thôn Đông",
            content="Đề nghị giải quyết",
            outcome="Đã hướng dẫn",
            officer=officer,
        )

    # --- notifications: one in-app message to every user ----------------------------------------
    notifications = {}
    for user in [*users.values(), xa_reception]:
        notifications[user.username] = Notification.objects.create(
            channel=NotificationChannel.IN_APP,
            kind="dossier_due_soon",
            recipient=user,
            subject=f"Hồ sơ sắp đến hạn ({user.username}, {MARKER if user is xa_reception else 'A'})",
            body="Xem hồ sơ",
        )

    # --- quarterly reports and exports: one per reporting agency ------------------------------
    reports, exports = {}, {}
    for agency, actor in ((justice, users["lanhdao"]), (centre, users["giamdoc"]), (commune, xa_leader)):
        report = report_services.report_create(agency=agency, year=2026, quarter=1, actor=actor)
        if agency == commune:
            report.results = f"Kết quả của {MARKER}"
            report.save(update_fields=["results"])
        reports[agency.pk] = report
        export = ReportExport.objects.create(
            key=f"perms-{agency.pk}",
            format="pdf",
            title=f"bao-cao-{agency.pk}",
            payload={},
            report=report,
            agency=agency,
            requested_by=actor,
            status=ExportStatus.DONE,
        )
        export.file.save(f"perms-{agency.pk}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        exports[agency.pk] = export

    # --- report requests (issue 20): one to the three units, one to the commune only ---------
    from baocao import requests as request_services
    from baocao.models import RequestKind

    def report_request(title, agencies):
        return request_services.request_create(
            kind=RequestKind.AD_HOC,
            title=title,
            content="Báo cáo nhanh",
            due_date=timezone.localdate() + dt.timedelta(days=10),
            agencies=agencies,
            actor=users["sonoivu"],
        )

    shared_request = report_request("Báo cáo chung", [justice, centre, commune])
    commune_request = report_request(f"Báo cáo riêng {MARKER}", [commune])
    request_units = {unit.agency_id: unit for unit in shared_request.units.all()}

    # What a unit-level officer must never read: the marker, and the other agency's codes.
    secrets = [
        MARKER,
        *(d.code for d in vars(other).values() if hasattr(d, "code")),
        other.attempt.number,
        other.online.national_portal_code,
        other_feedback.code,
        other_notice.code,
    ]
    return SimpleNamespace(
        secrets=secrets,
        users=users,
        centre=centre,
        justice=justice,
        unit=unit,
        commune=commune,
        xa_reception=xa_reception,
        xa_leader=xa_leader,
        cases={"own": own_case, "other": other_case},
        templates=templates,
        dossiers={"own": own, "other": other},
        feedback={"own": own_feedback, "other": other_feedback},
        notice={"own": own_notice, "other": other_notice},
        calls={"own": own_call, "other": other_call},
        notifications=notifications,
        reports=reports,
        exports=exports,
        report_requests={"own": shared_request, "other": commune_request},
        request_units=request_units,
    )
