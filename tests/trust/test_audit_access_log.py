"""The access log of personal data: every staff view that shows a full personal record or
exports personal data writes exactly one row (who, when, what), after the permission
check; refused requests and the citizens' own lookups write none; the log is read-only
for everyone and readable only by its auditors."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AppendOnlyError
from khieunai import services as feedback_services
from motcua.models import IntakeAttempt, IntakeOutcome
from motcua.services import transitions as t
from tests.factories import UserFactory
from tests.khieunai.factories import log_call
from tests.motcua.factories import apologise_before_due, papers
from tests.timeutil import earlier_today
from thutuc.accounts.roles import Role
from thutuc.models import AccessAction, AccessLog

from .perms_world import ROLE_USERS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def _supplement(audit):
    return t.dossier_request_supplement(
        dossier=audit.dossier, actor=audit.world.specialist, items=papers("Tờ khai"), reason="Thiếu chữ ký"
    )


def _apologised(audit):
    world = audit.world
    _supplement(audit)
    dossier = t.dossier_receive_supplement(dossier=audit.dossier, actor=world.reception)
    apologise_before_due(dossier, world.leader)
    return dossier


def _stopped(audit):
    return t.dossier_stop(
        dossier=audit.dossier, actor=audit.world.leader, reason="Có tranh chấp", legal_basis="Luật Hộ tịch"
    )


def _attempt(audit):
    world = audit.world
    return IntakeAttempt.objects.create(
        number="PBS-TEST-0001",
        agency=world.centre,
        procedure=world.case.procedure,
        case=world.case,
        outcome=IntakeOutcome.INCOMPLETE,
        applicant_name="Trần Văn Bổ Sung",
        applicant_id_number="001090000999",
        missing_documents=[{"name": "Tờ khai"}],
        at=timezone.now(),
        officer=world.reception,
    )


def _hotline_call(audit):
    return log_call(audit.users["tiepnhan"], started_at=earlier_today())


def _reception_entry(audit):
    return feedback_services.citizen_reception_record(
        agency=audit.users["tiepnhan"].agency,
        received_on=timezone.localdate(),
        citizen_name="Ngô Văn Tâm",
        address="Xóm 2, xã Tân Phú",
        content="Khiếu nại việc thu hồi đất",
        outcome="Hướng dẫn gửi đơn",
        actor=audit.users["tiepnhan"],
    )


def _case(name, username, url, *, action, ref="dossier", kind="motcua.dossier", agency="centre", **extra):
    return pytest.param(
        SimpleNamespace(
            username=username, url=url, action=action, ref=ref, kind=kind, agency=agency, **extra
        ),
        id=name,
    )


def _dossier_page(name, username, url_name, action, **extra):
    """A page at the dossier's code: one row naming the dossier, in the centre's agency."""
    return _case(
        name, username, lambda a, s: reverse(url_name, args=[a.dossier.code]), action=action, **extra
    )


def _feedback_page(name, username, url_name, action, **extra):
    """A page at the feedback's code: one row naming the feedback, in its department."""
    return _case(
        name,
        username,
        lambda a, s: reverse(url_name, args=[a.feedback.code]),
        action=action,
        ref="feedback",
        kind="khieunai.feedback",
        agency="department",
        **extra,
    )


def _listing(name, username, address, action, kind, agency="user", **extra):
    """A list or its export: one row of `kind` for the whole list (no single object), in the
    user's agency unless said, counting the one entry the fixture has."""
    return _case(
        name,
        username,
        lambda a, s: address(),
        action=action,
        ref="",
        kind=kind,
        agency=agency,
        count=1,
        **extra,
    )


VIEW, PRINT, EXPORT = AccessAction.VIEW, AccessAction.PRINT, AccessAction.EXPORT

# (who, the request, what the row must say). `url(audit, setup)` builds the address from the
# fixture and what `setup(audit)` returned; `ref` names the expected object reference.
CASES = [
    _dossier_page("dossier-detail", "chuyenvien", "motcua:dossier_detail", VIEW),
    _dossier_page("control-sheet", "lanhdao", "motcua:dossier_control_sheet", PRINT),
    _dossier_page("receipt-pdf", "tiepnhan", "motcua:receipt_pdf", PRINT),
    _dossier_page("receipt-reissue", "tiepnhan", "motcua:receipt_reissue", PRINT, method="post", status=302),
    _case(
        "supplement-pdf",
        "chuyenvien",
        lambda a, s: reverse("motcua:dossier_supplement_pdf", args=[a.dossier.code, s.pk]),
        action=PRINT,
        setup=_supplement,
    ),
    _dossier_page("apology-pdf", "lanhdao", "motcua:dossier_apology_pdf", PRINT, setup=_apologised),
    _dossier_page("stop-notice-pdf", "lanhdao", "motcua:dossier_stop_pdf", PRINT, setup=_stopped),
    _case(
        "intake-attempt-pdf",
        "tiepnhan",
        lambda a, s: reverse("motcua:intake_attempt_pdf", args=[s.number]),
        action=PRINT,
        setup=_attempt,
        ref="attempt",
        kind="motcua.intakeattempt",
    ),
    _listing(
        "register-xlsx",
        "tiepnhan",
        lambda: reverse("motcua:register_xlsx"),
        EXPORT,
        "motcua.dossier",
        "centre",
    ),
    _listing(
        "register-pdf", "tiepnhan", lambda: reverse("motcua:register_pdf"), EXPORT, "motcua.dossier", "centre"
    ),
    _feedback_page(
        "feedback-detail",
        "lanhdao",
        "khieunai:staff_detail",
        VIEW,
        label="danh tính người tố cáo được hiển thị",
    ),
    _feedback_page(
        "feedback-detail-masked",
        "sonoivu",
        "khieunai:staff_detail",
        VIEW,
        label="danh tính người tố cáo được giữ bí mật",
    ),
    _feedback_page("feedback-notice", "lanhdao", "khieunai:staff_notice", PRINT),
    _listing(
        "feedback-list-xlsx",
        "lanhdao",
        lambda: reverse("khieunai:staff_list") + "?xuat=xlsx",
        EXPORT,
        "khieunai.feedback",
    ),
    _listing(
        "hotline-xlsx",
        "tiepnhan",
        lambda: reverse("khieunai:hotline_export"),
        EXPORT,
        "khieunai.hotlinecall",
        setup=_hotline_call,
    ),
    _listing(
        "citizen-reception-list",
        "tiepnhan",
        lambda: reverse("khieunai:reception"),
        VIEW,
        "khieunai.citizenreception",
        setup=_reception_entry,
    ),
    _listing(
        "citizen-reception-xlsx",
        "tiepnhan",
        lambda: reverse("khieunai:reception") + "?xuat=xlsx",
        EXPORT,
        "khieunai.citizenreception",
        setup=_reception_entry,
    ),
]


def _accesslog_queries(context):
    return [q["sql"] for q in context.captured_queries if "accesslog" in q["sql"].lower()]


@pytest.mark.parametrize("case", CASES)
def test_each_personal_data_view_writes_exactly_one_row_saying_who_and_what(audit, client, case):
    setup = getattr(case, "setup", None)
    made = setup(audit) if setup else None
    user = audit.users[case.username]
    client.force_login(user)
    url = case.url(audit, made)
    started = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, getattr(case, "method", "get"))(url, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == getattr(case, "status", 200)
    touching = _accesslog_queries(queries)
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("INSERT"), touching
    row = AccessLog.objects.get()
    references = {"dossier": audit.dossier.code, "feedback": audit.feedback.code, "": ""}
    references["attempt"] = getattr(made, "number", "")
    agencies = {
        "centre": audit.world.centre.pk,
        "department": audit.world.department.pk,
        "user": user.agency_id,
    }
    assert (row.user_id, row.username, row.action) == (user.pk, user.username, case.action)
    assert (row.object_type, row.object_ref) == (case.kind, references[case.ref])
    assert row.agency_id == agencies[case.agency]
    assert row.path == url and row.client_address == "203.0.113.7"
    assert started <= row.at <= timezone.now()
    assert row.row_count == getattr(case, "count", None)
    if hasattr(case, "label"):
        assert case.label in row.label


def test_refused_accesses_write_nothing(audit, client):
    """Another agency (404), no role (403), not logged in (302): no row."""
    dossier, feedback = audit.dossier, audit.feedback
    pages = [
        reverse("motcua:dossier_detail", args=[dossier.code]),
        reverse("motcua:dossier_control_sheet", args=[dossier.code]),
        reverse("motcua:receipt_pdf", args=[dossier.code]),
        reverse("khieunai:staff_detail", args=[feedback.code]),
        reverse("khieunai:staff_notice", args=[feedback.code]),
    ]
    outsider = UserFactory(agency=audit.world.other_department, roles=[Role.LEADER, Role.SPECIALIST])
    client.force_login(outsider)
    assert {client.get(page).status_code for page in pages} == {404}
    client.force_login(UserFactory(agency=audit.world.centre))  # staff account without a role
    assert {client.get(page).status_code for page in pages} == {403}
    client.force_login(audit.users["tiepnhan"])  # reception: no reissue of another agency's PIN
    assert client.post(reverse("motcua:receipt_reissue", args=["KHONG-CO"])).status_code == 404
    client.logout()
    assert {client.get(page).status_code for page in pages} == {302}
    assert not AccessLog.objects.exists()


def test_citizens_public_lookups_are_not_staff_accesses(audit, client):
    dossier, feedback = audit.dossier, audit.feedback
    found = client.post(reverse("motcua:tracking"), {"ma": dossier.code, "pin": dossier.pin})
    assert found.status_code == 200 and dossier.code in found.content.decode()
    mine = client.post(reverse("khieunai:track"), {"code": feedback.code, "pin": feedback.pin})
    assert mine.status_code == 200 and feedback.code in mine.content.decode()
    assert not AccessLog.objects.exists()


def test_the_log_itself_cannot_be_edited_or_deleted(audit, client):
    client.force_login(audit.users["chuyenvien"])
    client.get(reverse("motcua:dossier_detail", args=[audit.dossier.code]))
    row = AccessLog.objects.get()
    row.username = "người khác"
    for attempt in (
        row.save,
        row.delete,
        lambda: AccessLog.objects.update(username="x"),
        lambda: AccessLog.objects.all().delete(),
    ):
        with pytest.raises(AppendOnlyError, match="chỉ được ghi thêm"):
            attempt()
    assert AccessLog.objects.get().username == "chuyenvien"


# --- who reads the log: the admin changelist -------------------------------------------------------


def _log_rows(audit, client):
    """One access to the centre's dossier by its specialist, one to another agency's data."""
    client.force_login(audit.users["chuyenvien"])
    client.get(reverse("motcua:dossier_detail", args=[audit.dossier.code]))
    client.force_login(audit.users["lanhdao"])
    client.get(reverse("khieunai:staff_detail", args=[audit.feedback.code]))
    return AccessLog.objects.get(username="chuyenvien"), AccessLog.objects.get(username="lanhdao")


@pytest.mark.parametrize("username", [*ROLE_USERS, "root", "giamdoc-staff"])
def test_only_the_auditors_read_the_log_and_nobody_writes_it(audit, superuser, client, username):
    centre_row, department_row = _log_rows(audit, client)
    if username == "giamdoc-staff":
        user = audit.users["giamdoc"]
        user.is_staff = True  # an auditor account: leader role + staff status (docs/trust-audit.md)
        user.save(update_fields=["is_staff"])
    else:
        user = audit.users.get(username) or superuser
    client.force_login(user)
    changelist = reverse("admin:thutuc_accesslog_changelist")
    change = reverse("admin:thutuc_accesslog_change", args=[centre_row.pk])
    writes = {
        reverse("admin:thutuc_accesslog_add"): {"username": "x"},
        change: {"username": "x", "_save": "1"},
        reverse("admin:thutuc_accesslog_delete", args=[centre_row.pk]): {"post": "yes"},
    }
    listing = client.get(changelist)
    written = {url: client.post(url, data).status_code for url, data in writes.items()}
    if not user.is_staff:
        assert listing.status_code == 302 and set(written.values()) == {302}
    elif username == "quantri":  # staff, but not an auditor
        assert listing.status_code == 403 and set(written.values()) == {403}
    else:
        assert listing.status_code == 200 and set(written.values()) == {403}
        shown = {row.pk for row in listing.context["cl"].result_list}
        if user.is_superuser:
            assert shown == {centre_row.pk, department_row.pk}
        else:  # the centre's leader: the accesses to the centre's data only
            assert shown == {centre_row.pk}
            assert (
                client.get(reverse("admin:thutuc_accesslog_change", args=[department_row.pk])).status_code
                == 302
            )
        page = client.get(change)
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert AccessLog.objects.count() == 2 and AccessLog.objects.get(pk=centre_row.pk).username == "chuyenvien"


def test_the_auditor_filters_by_user_action_date_and_searches_by_code(audit, superuser, client):
    centre_row, department_row = _log_rows(audit, client)
    client.force_login(superuser)
    changelist = reverse("admin:thutuc_accesslog_changelist")

    def shown(query):
        response = client.get(changelist + query)
        assert response.status_code == 200
        return {row.pk for row in response.context["cl"].result_list}

    assert shown(f"?q={audit.dossier.code}") == {centre_row.pk}
    assert shown(f"?user__id__exact={audit.users['lanhdao'].pk}") == {department_row.pk}
    assert shown("?action__exact=view") == {centre_row.pk, department_row.pk}
    assert shown("?action__exact=export") == set()
    today = timezone.localdate()
    assert shown(f"?at__year={today.year}&at__month={today.month}&at__day={today.day}") == {
        centre_row.pk,
        department_row.pk,
    }


def test_a_staff_download_of_a_citizens_file_is_logged_the_citizens_own_is_not(audit, client):
    from django.core.files.base import ContentFile

    from khieunai.models import FeedbackAttachment

    item = FeedbackAttachment(
        feedback=audit.feedback, original_name="bang-chung.pdf", content_type="application/pdf", size=9
    )
    item.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    address = reverse("khieunai:attachment", args=[item.pk])
    citizen = Client()
    citizen.post(reverse("khieunai:track"), {"code": audit.feedback.code, "pin": audit.feedback.pin})
    assert citizen.get(address).status_code == 200  # the citizen, after code + PIN
    assert not AccessLog.objects.exists()
    client.force_login(audit.users["sonoivu"])  # sees the province, is not a handler of the denunciation
    assert client.get(address).status_code == 403
    client.force_login(audit.users["chuyenvien"])  # a unit below: does not see the department's case
    assert client.get(address).status_code == 404
    assert not AccessLog.objects.exists()
    client.force_login(audit.users["lanhdao"])
    assert client.get(address).status_code == 200
    row = AccessLog.objects.get()
    assert (row.username, row.action, row.object_ref, row.label) == (
        "lanhdao",
        AccessAction.DOWNLOAD,
        audit.feedback.code,
        "bang-chung.pdf",
    )
