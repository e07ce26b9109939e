"""Staff pages: scoping by agency, permissions, actions, denunciation confidentiality,
query counts, hotline fast entry and exports, the citizen-reception register, alerts."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from khieunai import selectors, services
from khieunai.models import CallOutcome, Feedback, FeedbackStatus, HotlineCall, TriageClass
from tests.khieunai.factories import counter_feedback_form, hotline_form, reception_form
from tests.timeutil import local

pytestmark = pytest.mark.django_db


def sheet_text(response) -> str:
    book = load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(cell.value) for row in book.active.iter_rows() for cell in row if cell.value is not None
    )


def test_list_is_scoped_and_constant_in_queries(
    client, login, submit, outsider, django_assert_max_num_queries
):
    for index in range(3):
        submit(title=f"Đơn số {index}")
    login("lanhdao")
    with django_assert_max_num_queries(10):
        first = client.get(reverse("khieunai:staff_list"))
    for index in range(3, 25):
        submit(title=f"Đơn số {index}", kind="complaint" if index % 2 else "denunciation")
    with django_assert_max_num_queries(10):
        many = client.get(reverse("khieunai:staff_list"))
    assert first.status_code == many.status_code == 200
    assert len(many.context["rows"]) == 25
    client.force_login(outsider)
    assert client.get(reverse("khieunai:staff_list")).context["rows"] == []


def triage(client, feedback, triage_class, **fields):
    """Post the triage form of `feedback` (its other fields by name)."""
    data = {"triage-triage": triage_class, **{f"triage-{name}": value for name, value in fields.items()}}
    return client.post(reverse("khieunai:staff_action", args=[feedback.code, "phan-loai"]), data)


def test_other_agency_gets_404(client, submit, outsider):
    feedback = submit()
    client.force_login(outsider)
    assert client.get(reverse("khieunai:staff_detail", args=[feedback.code])).status_code == 404
    response = triage(client, feedback, TriageClass.WITHIN_COMPETENCE)
    assert response.status_code == 404
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.RECEIVED


def test_anonymous_is_sent_to_login_and_citizen_roles_checked(client, login, submit):
    assert client.get(reverse("khieunai:staff_list")).status_code == 302
    feedback = submit()
    login("sonoivu")  # Sở Nội vụ reads everything but acts on nothing
    assert client.get(reverse("khieunai:staff_detail", args=[feedback.code])).status_code == 200
    response = triage(client, feedback, TriageClass.WITHIN_COMPETENCE)
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.RECEIVED
    assert client.get(reverse("khieunai:staff_create")).status_code == 403


def test_triage_and_answer_through_the_pages(client, login, submit):
    feedback = submit(kind="complaint")
    login("lanhdao")
    bad = triage(client, feedback, TriageClass.NOT_ACCEPTED, note="")
    assert bad.status_code == 400 and "Cần nêu rõ lý do không thụ lý." in bad.content.decode()
    ok = triage(client, feedback, TriageClass.WITHIN_COMPETENCE, is_complex="on")
    assert ok.status_code == 302
    feedback.refresh_from_db()
    assert feedback.is_complex and feedback.due_rule == "complaint_first_complex"
    notice = client.get(reverse("khieunai:staff_notice", args=[feedback.code])).content.decode()
    assert (
        "Về việc thụ lý giải quyết khiếu nại" in notice
        and f"{timezone.localtime(feedback.due_at):%d/%m/%Y}" in notice
    )
    client.post(
        reverse("khieunai:staff_action", args=[feedback.code, "tra-loi"]),
        {"answer-answer": "Quyết định số 12"},
    )
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED


def test_reception_enters_counter_feedback(client, login):
    login("tiepnhan")
    response = client.post(reverse("khieunai:staff_create"), counter_feedback_form())
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and feedback.channel == "counter"
    assert feedback.agency.code == "000.00.06.H99" and feedback.created_by.username == "tiepnhan"
    page = client.get(response["Location"]).content.decode()
    assert "Phân loại" not in page.split("kn-actions")[1]  # reception does not triage


@pytest.fixture
def denunciation(submit, users):
    feedback = submit(
        kind="denunciation",
        title="Tố cáo nhận tiền ngoài quy định",
        submitter_name="Hoàng Thị Mai",
        submitter_phone="0977333444",
        submitter_address="Số 9 đường Bà Triệu",
    )
    services.feedback_triage(feedback=feedback, triage=TriageClass.WITHIN_COMPETENCE, actor=users["lanhdao"])
    return feedback


def test_denouncer_visible_to_handlers_only(client, login, users, denunciation, submit):
    detail = reverse("khieunai:staff_detail", args=[denunciation.code])
    login("lanhdao")  # leader of the receiving agency: a handler
    assert "Hoàng Thị Mai" in client.get(detail).content.decode()
    login("sonoivu")  # sees the province, is not a handler
    page = client.get(detail).content.decode()
    assert (
        "Hoàng Thị Mai" not in page and "0977333444" not in page and 'data-testid="identity-hidden"' in page
    )
    listing = client.get(reverse("khieunai:staff_list")).content.decode()
    assert "Tố cáo nhận tiền" in listing and "Hoàng Thị Mai" not in listing
    services.feedback_assign(feedback=denunciation, assignee=users["chuyenvien"], actor=users["lanhdao"])
    login("chuyenvien")  # now the assignee
    assert "Hoàng Thị Mai" in client.get(detail).content.decode()
    # Exports are always masked, even for a handler.
    login("lanhdao")
    export = client.get(reverse("khieunai:staff_list") + "?xuat=xlsx")
    text = sheet_text(export)
    assert denunciation.code in text and "Hoàng Thị Mai" not in text and "được giữ bí mật" in text
    other = submit(title="Phản ánh thường", submitter_name="Đỗ Văn Khoa")
    assert "Đỗ Văn Khoa" in sheet_text(client.get(reverse("khieunai:staff_list") + "?xuat=xlsx"))
    assert other.code


def test_denouncer_hidden_from_public_pages(client, denunciation, users):
    services.feedback_answer(feedback=denunciation, answer="Kết luận tố cáo", actor=users["lanhdao"])
    assert "Kết luận tố cáo" not in client.get(reverse("khieunai:published")).content.decode()
    page = client.post(reverse("khieunai:track"), {"code": denunciation.code, "pin": denunciation.pin})
    assert "Hoàng Thị Mai" not in page.content.decode()


def test_due_soon_or_overdue_selector(submit, users):
    now = local(2026, 3, 10, 9)
    overdue = submit(received_at=local(2026, 2, 12, 14))  # triage due 26/02
    due_soon = submit(received_at=local(2026, 3, 3, 14))  # triage due 10/03 14:00
    later = submit(received_at=local(2026, 3, 9, 14))  # triage due 16/03
    answered = submit(received_at=local(2026, 2, 12, 14))
    services.feedback_triage(feedback=answered, triage=TriageClass.WITHIN_COMPETENCE, actor=users["lanhdao"])
    services.feedback_answer(feedback=answered, answer="Xong", actor=users["lanhdao"])
    found = selectors.feedback_due_soon_or_overdue(now=now, until=now + dt.timedelta(hours=24))
    rows = {f.code: f.is_overdue for f in found}
    assert rows == {overdue.code: True, due_soon.code: False}
    assert later.code not in rows
    wide = selectors.feedback_due_soon_or_overdue(now=now, until=now + dt.timedelta(days=7))
    assert later.code in {f.code for f in wide}


def test_the_lists_due_soon_filter_is_the_alerts_window_in_working_hours(client, login, submit):
    """One working day (ALERT_DUE_SOON_WORKING_HOURS = 8), as the alerts count it: from Friday
    13/03/2026 16:00 it runs to Monday 16/03 16:00 over the weekend (48 calendar hours, the
    list's old window, ended on Sunday)."""
    now = local(2026, 3, 13, 16)
    monday = submit(received_at=local(2026, 3, 9, 15))  # triage due Monday 16/03 15:00
    tuesday = submit(received_at=local(2026, 3, 10, 15))  # triage due Tuesday 17/03 15:00
    user = login("lanhdao")
    codes = {f.code for f in selectors.feedback_list(user, due="due_soon", now=now)}
    assert monday.code in codes and tuesday.code not in codes
    page = client.get(reverse("khieunai:staff_list")).content.decode()
    assert "Sắp đến hạn (trong 1 ngày làm việc)" in page


def test_list_due_filters(client, login, submit):
    old = submit(received_at=timezone.now() - dt.timedelta(days=30))
    fresh = submit()
    login("lanhdao")
    overdue = client.get(reverse("khieunai:staff_list") + "?han=overdue").context["rows"]
    assert [row["feedback"].code for row in overdue] == [old.code]
    assert fresh.code in client.get(reverse("khieunai:staff_list") + "?han=open").content.decode()


# --- hotline --------------------------------------------------------------------------------------


def test_hotline_fast_entry_and_day_view(client, login, django_assert_max_num_queries):
    login("chuyenvien")
    page = client.get(reverse("khieunai:hotline")).content.decode()
    assert "autofocus" in page
    response = client.post(
        reverse("khieunai:hotline"), hotline_form(dossier_code="000.00.11.H99-260101-0001")
    )
    assert response.status_code == 302
    call = HotlineCall.objects.get()
    assert (
        call.duration_seconds == 125 and call.related_dossier is None and call.agency.code == "000.00.11.H99"
    )
    client.post(reverse("khieunai:hotline"), hotline_form(outcome=CallOutcome.GUIDED, duration="45"))
    client.post(reverse("khieunai:hotline"), hotline_form(outcome=CallOutcome.FEEDBACK))
    with django_assert_max_num_queries(11):
        day = client.get(reverse("khieunai:hotline"))
    totals = day.context["totals"]
    assert totals["total"] == 3 and totals[CallOutcome.GUIDED] == 1 and totals[CallOutcome.FEEDBACK] == 1
    assert "không tìm thấy" in day.content.decode()
    bad = client.post(
        reverse("khieunai:hotline"), hotline_form(duration="abc", outcome=CallOutcome.TRANSFERRED)
    )
    assert bad.status_code == 400 and HotlineCall.objects.count() == 3
    assert "phút:giây" in bad.content.decode() and "Cần ghi cơ quan" in bad.content.decode()


def test_dossier_check_json(client, login):
    login("tiepnhan")
    data = client.get(reverse("khieunai:hotline_dossier_check") + "?ma=KHONG-CO").json()
    assert data == {"found": False, "message": "Không tìm thấy hồ sơ"}


def test_call_turned_into_feedback_in_one_click(client, login, users):
    login("tiepnhan")
    client.post(reverse("khieunai:hotline"), hotline_form())
    call = HotlineCall.objects.get()
    url = reverse("khieunai:hotline_to_feedback", args=[call.pk])
    response = client.post(url)
    call.refresh_from_db()
    assert call.feedback is not None and response["Location"].endswith(f"/khieu-nai/{call.feedback.code}/")
    client.post(url)
    assert Feedback.objects.count() == 1


def test_hotline_scoped_by_agency(client, login, outsider):
    login("chuyenvien")
    client.post(reverse("khieunai:hotline"), hotline_form())
    call = HotlineCall.objects.get()
    client.force_login(outsider)
    assert client.get(reverse("khieunai:hotline")).context["totals"]["total"] == 0
    assert client.post(reverse("khieunai:hotline_to_feedback", args=[call.pk])).status_code == 404


def test_hotline_excel_export(client, login):
    login("lanhdao")
    client.post(reverse("khieunai:hotline"), hotline_form())
    today = timezone.localdate().isoformat()
    response = client.get(reverse("khieunai:hotline_export") + f"?tu={today}&den={today}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = sheet_text(response)
    assert "Nhật ký đường dây nóng" in text and "Vũ Văn Hải" in text and "2:05" in text


# --- citizen reception ------------------------------------------------------------------------------


def test_reception_register_entry_list_and_export(client, login, outsider, django_assert_max_num_queries):
    login("tiepnhan")
    data = reception_form(
        prior_handling="UBND xã đã hòa giải",
        request="Đề nghị bồi thường",
        outcome="Hướng dẫn gửi đơn khiếu nại đến UBND tỉnh",
    )
    assert client.post(reverse("khieunai:reception_create"), data).status_code == 302
    assert (
        client.post(reverse("khieunai:reception_create"), {**data, "citizen_name": "Lý Thị Hoa"}).status_code
        == 302
    )
    bad = client.post(reverse("khieunai:reception_create"), {**data, "people_count": 0})
    assert bad.status_code == 200 and "Ngô Văn Tâm" in bad.content.decode()
    with django_assert_max_num_queries(10):  # 9 + the access-log INSERT (tests/trust/test_audit_*)
        page = client.get(reverse("khieunai:reception"))
    assert [e.number for e in page.context["entries"]] == [1, 2]
    text = sheet_text(client.get(reverse("khieunai:reception") + "?xuat=xlsx"))
    assert "Sổ tiếp công dân năm" in text and "Lý Thị Hoa" in text
    client.force_login(outsider)
    assert list(client.get(reverse("khieunai:reception")).context["entries"]) == []


def test_nav_links_for_staff(client, login):
    login("tiepnhan")
    page = client.get(reverse("motcua:staff_home")).content.decode()
    for name in ("staff_list", "hotline", "reception"):
        assert reverse(f"khieunai:{name}") in page
