"""The dossier lifecycle under NĐ 118/2025/NĐ-CP (issue 16, the rules): each test names the
article it holds, and fails without the rule.

The demo province (tests/conftest.py `province`): the provincial one-stop centre, Sở Tư pháp
with its Phòng Hành chính tư pháp, Sở Nông nghiệp và Môi trường, three communes (phường Trung
Sơn, phường Bắc Sơn, xã Tân Phú). Monday 02/03/2026 is an ordinary working Monday."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from baocao.ii06a import annotate_days, column_q
from baocao.periods import quarter_period
from motcua.alerts import kinds
from motcua.alerts.scan import scan_deadlines
from motcua.models import (
    Apology,
    Channel,
    Dossier,
    DossierEvent,
    EventAction,
    Notification,
    NotificationChannel,
    OnlineSource,
    Outcome,
    ResultDelivery,
    Status,
    SupplementRequest,
)
from motcua.services import transitions as t
from motcua.services.supplement_close import close_unsupplemented
from tests.concurrency import at_once, raised
from tests.factories import UserFactory
from tests.motcua.factories import MONDAY_9AM, LawWorld, papers
from tests.timeutil import at
from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar
from thutuc.deadlines import case_due_at
from thutuc.models import ProcedureStep
from thutuc.models.catalogue import StepRole

from .pdftext import pdf_text

pytestmark = pytest.mark.django_db


def events(dossier, action=None):
    queryset = DossierEvent.objects.filter(dossier=dossier).order_by("at", "pk")
    return list(queryset.filter(action=action) if action else queryset)


# --- receipt regardless of administrative boundary (Điều 3 khoản 7, Điều 14 khoản 2, Điều 20) ---


def test_a_commune_procedure_filed_at_the_provincial_centre_goes_to_the_applicants_commune_nd118_art20(law):
    dossier = law.receive(applicant_commune=law.tan_phu)
    assert dossier.competent_agency == law.tan_phu  # not the catalogue's phường Trung Sơn
    assert dossier.applicant_commune == law.tan_phu
    assert dossier.current_unit == law.centre  # the counter's step: the papers are at the centre
    assert dossier.receiving_agency == law.centre and dossier.register_number == 1
    assert "Ủy ban nhân dân xã Tân Phú" in events(dossier)[0].note
    # routed there: the counter's hand-off goes to Tân Phú, whose officers act on it
    dossier = law.hand_over(dossier, now=at(3, 2, 10))
    assert dossier.current_unit == law.tan_phu
    assert t.may_act(law.tan_phu_specialist, dossier, EventAction.REQUEST_SUPPLEMENT)
    assert not t.may_act(law.trung_son_leader, dossier, EventAction.APPROVE)
    # …and its result comes back to the counter that received it (Điều 20 khoản 1 điểm b)
    dossier = t.dossier_approve(dossier=dossier, actor=law.tan_phu_leader, now=at(3, 3, 9))
    assert dossier.current_unit == law.centre


def test_without_the_applicants_commune_the_counters_commune_decides_nd118_art14_2(law):
    dossier = law.receive(agency=law.bac_son, actor=law.bac_son_reception)
    assert dossier.competent_agency == law.bac_son  # was phường Trung Sơn, the catalogue's one
    assert dossier.current_unit == law.bac_son


def test_the_officers_choice_of_competent_agency_wins_nd118_art20(law):
    dossier = law.receive(
        agency=law.bac_son,
        actor=law.bac_son_reception,
        competent_agency=law.tan_phu,
        applicant_commune=law.bac_son,
    )
    assert dossier.competent_agency == law.tan_phu


def test_the_intake_page_proposes_and_takes_the_competent_agency_nd118_art20(law, client):
    client.force_login(law.reception)
    url = reverse("motcua:intake")
    page = client.get(url, {"thu_tuc": "1.001193"}).content.decode()
    assert 'name="applicant_commune"' in page and 'name="competent_agency"' in page
    assert "hệ thống đề xuất Ủy ban nhân dân phường Trung Sơn" in page
    papers_ = list(law.commune_case.documents.all())
    data = {
        "thu_tuc": "1.001193",
        "action": "accept",
        "applicant_type": "person",
        "applicant_name": "Trần Thị Bình",
        "channel": "direct",
        "number_of_sets": "1",
        "result_delivery": "counter",
        "applicant_commune": str(law.tan_phu.pk),
        "competent_agency": "",
        **{f"doc_{p.pk}": "on" for p in papers_},
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    assert dossier.competent_agency == law.tan_phu and dossier.code.startswith("000.19.23.H99-")


def test_the_competent_agency_is_corrected_by_a_recorded_action_nd118_art20(law):
    dossier = law.receive()  # no commune given at the centre: the catalogue's Trung Sơn
    code = dossier.code
    assert dossier.competent_agency == law.trung_son
    with pytest.raises(t.TransitionError, match="lý do"):
        t.dossier_change_competent(
            dossier=dossier, actor=law.reception, competent_agency=law.tan_phu, reason=""
        )
    dossier = t.dossier_change_competent(
        dossier=dossier,
        actor=law.reception,
        competent_agency=law.tan_phu,
        reason="Người nộp cư trú tại Tân Phú",
    )
    assert dossier.competent_agency == law.tan_phu and dossier.code == code  # one code for life
    [event] = events(dossier, EventAction.CHANGE_COMPETENT)
    assert event.actor == law.reception
    assert (
        "phường Trung Sơn → Ủy ban nhân dân xã Tân Phú" in event.note and "cư trú tại Tân Phú" in event.note
    )
    # already handed over to a wrong agency: its leader sends it on, the right one is told
    other = law.hand_over(law.receive(), now=at(3, 2, 10))
    assert other.current_unit == law.trung_son
    other = t.dossier_change_competent(
        dossier=other, actor=law.trung_son_leader, competent_agency=law.tan_phu, reason="Sai thẩm quyền"
    )
    assert other.current_unit == law.tan_phu and other.transfer_received_at is None
    assert Notification.objects.filter(
        dossier=other, recipient=law.tan_phu_specialist, kind=kinds.HANDOFF_TRANSFER
    ).exists()


def test_an_online_filing_is_routed_to_the_competent_commune_at_acceptance_nd118_art3_7_art20(law, client):
    """Điều 3 khoản 7, Điều 20 with Điều 17 khoản 2, 3: a commune procedure filed on the
    national portal and checked at the provincial centre's online inbox goes to the commune
    the officer names (or the applicant's), its code on that commune's identifier."""
    from motcua.services.intake import Applicant, ReceivedDocument
    from motcua.services.online import online_submission_record

    def filing(code):
        return online_submission_record(
            agency=law.centre,
            procedure=law.commune_case.procedure,
            case=law.commune_case,
            applicant=Applicant(name="Nguyễn Văn An", phone="0912345678"),
            documents=[ReceivedDocument(name=d.name, originals=1) for d in law.commune_case.documents.all()],
            national_portal_code=code,
            source=OnlineSource.PORTAL,
            submitted_at=at(3, 2, 8),
            arrived_at=at(3, 2, 8),
        )

    client.force_login(law.reception)
    first = filing("G22.99-260302-0001")
    url = reverse("motcua:online_accept", args=[first.pk])
    page = client.get(reverse("motcua:online_detail", args=[first.pk])).content.decode()
    assert 'name="tn-applicant_commune"' in page and 'name="tn-competent_agency"' in page
    bad = client.post(url, {"tn-competent_agency": "999999"})
    assert bad.status_code == 400 and not Dossier.objects.exists()
    assert client.post(url, {"tn-applicant_commune": law.tan_phu.pk}).status_code == 302
    dossier = Dossier.objects.get(national_portal_code="G22.99-260302-0001")
    assert dossier.competent_agency == law.tan_phu and dossier.applicant_commune == law.tan_phu
    assert dossier.code.startswith("000.19.23.H99-")
    second = filing("G22.99-260302-0002")
    client.post(reverse("motcua:online_accept", args=[second.pk]), {"tn-competent_agency": law.bac_son.pk})
    assert Dossier.objects.get(national_portal_code="G22.99-260302-0002").competent_agency == law.bac_son


# --- the dossier code (Điều 28 khoản 2 điểm a) ---------------------------------------------------


def test_the_code_is_built_on_the_competent_agencys_identifier_nd118_art28_2a(law):
    at_centre = law.receive(law.province_case)
    at_commune = law.receive(law.province_case, agency=law.bac_son, actor=law.bac_son_reception)
    # two counters, one competent agency: one daily sequence of its identifier
    assert (at_centre.code, at_commune.code) == ("000.00.11.H99-260302-0001", "000.00.11.H99-260302-0002")
    assert law.receive(applicant_commune=law.tan_phu).code == "000.19.23.H99-260302-0001"


def test_an_inter_agency_dossier_takes_the_receiving_counters_identifier_nd118_art28_2a(law):
    # Sở Nông nghiệp và Môi trường decides a step of Sở Tư pháp's case: liên thông
    ProcedureStep.objects.create(
        case=law.province_case,
        order=4,
        name="Xác nhận",
        role=StepRole.SPECIALIST,
        agency=law.environment,
        allotted_time=8,
    )
    assert law.receive(law.province_case).code == "000.00.06.H99-260302-0001"


def test_a_dossier_decided_where_it_is_filed_keeps_its_deadline_and_code_as_before(law):
    """Dossiers these rules do not touch: a commune's own procedure at its own counter."""
    dossier = law.receive(
        agency=law.trung_son, actor=UserFactory(agency=law.trung_son, roles=[Role.RECEPTION])
    )
    assert dossier.competent_agency == dossier.receiving_agency == law.trung_son
    assert dossier.code == "000.17.22.H99-260302-0001"
    assert (
        dossier.due_at
        == dossier.original_due_at
        == case_due_at(get_calendar(law.trung_son), law.commune_case, MONDAY_9AM)
    )


@pytest.mark.django_db(transaction=True)
def test_two_counters_coding_for_one_agency_at_once_get_distinct_numbers_nd118_art28_2b(province):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer")
    law = LawWorld()
    counters = [(law.centre, law.reception), (law.bac_son, law.bac_son_reception)] * 10
    receipts = [lambda a=a, o=o: law.receive(law.province_case, agency=a, actor=o) for a, o in counters]
    errors = raised(at_once(receipts, timeout=60))
    assert errors == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"000.00.11.H99-260302-{n:04d}" for n in range(1, 21)]


# --- transfer to the competent agency (Điều 18 khoản 2, Điều 20 khoản 1 điểm a) -----------------


def test_transfer_deadline_is_set_at_intake_nd118_art18_2_art20_1a(law):
    # same level (the provincial centre → Sở Tư pháp), received after 15:00: next morning
    assert law.receive(law.province_case, received_at=at(3, 2, 16)).transfer_due_at == at(3, 3, 9)
    # before 15:00: the same working day
    assert law.receive(law.province_case, received_at=at(3, 2, 14)).transfer_due_at == at(3, 2, 17)
    # across levels (the provincial centre → a commune): within one working day
    assert law.receive(received_at=at(3, 2, 16), applicant_commune=law.tan_phu).transfer_due_at == at(
        3, 3, 16
    )
    # an online dossier has no paper to carry
    online = law.receive(law.province_case, channel=Channel.ONLINE, national_portal_code="G22.99-1")
    assert online.transfer_due_at is None


def test_hand_over_and_receipt_are_two_moments_and_lateness_is_recorded_nd118_art18_2(law):
    dossier = law.receive(received_at=at(3, 2, 16), applicant_commune=law.tan_phu)  # due 03/03 16:00
    with pytest.raises(t.TransitionError, match="đang ở trạng thái"):  # not handed over yet
        t.dossier_receive_transfer(dossier=dossier, actor=law.tan_phu_specialist)
    dossier = law.hand_over(dossier, now=at(3, 3, 16, 30))
    assert dossier.handed_over_at == at(3, 3, 16, 30)
    assert "sau thời hạn chuyển" in dossier.transition_warnings[0]
    assert "sau thời hạn chuyển" in events(dossier, EventAction.TRANSFER)[0].note
    assert EventAction.RECEIVE_TRANSFER in {
        a.action for a in t.available_actions(law.tan_phu_specialist, dossier)
    }
    dossier = t.dossier_receive_transfer(dossier=dossier, actor=law.tan_phu_specialist, now=at(3, 4, 8, 15))
    assert (dossier.handed_over_at, dossier.transfer_received_at) == (at(3, 3, 16, 30), at(3, 4, 8, 15))
    assert EventAction.RECEIVE_TRANSFER not in {
        a.action for a in t.available_actions(law.tan_phu_specialist, dossier)
    }
    with pytest.raises(t.TransitionError, match="Đã xác nhận"):
        t.dossier_receive_transfer(dossier=dossier, actor=law.tan_phu_specialist)
    # the control sheet carries both moments on the hand-off's row
    from motcua.selectors_processing import control_sheet_rows, dossier_events

    [row] = control_sheet_rows(dossier, dossier_events(dossier))
    assert (row.event.at, row.received_at) == (at(3, 3, 16, 30), at(3, 4, 8, 15))


def test_a_late_transfer_alerts_the_counter_until_handed_over_nd118_art18_2(law):
    dossier = law.receive(law.province_case, received_at=at(3, 2, 9))  # due 02/03 17:00
    scan_deadlines(now=at(3, 2, 16))
    assert not Notification.objects.filter(kind=kinds.TRANSFER_OVERDUE).exists()
    scan_deadlines(now=at(3, 2, 17, 30))
    alerted = set(
        Notification.objects.filter(
            kind=kinds.TRANSFER_OVERDUE, channel=NotificationChannel.IN_APP, dossier=dossier
        ).values_list("recipient", flat=True)
    )
    assert {law.reception.pk, law.centre_leader.pk} <= alerted
    assert law.justice_specialist.pk not in alerted
    law.hand_over(dossier, now=at(3, 3, 8))
    scan_deadlines(now=at(3, 3, 8, 30), full=True)
    assert not Notification.objects.filter(kind=kinds.TRANSFER_OVERDUE, read_at__isnull=True).exists()


# --- one supplement request, complete (Điều 11 khoản 2 điểm c, Điều 17, Điều 19 khoản 5) ----------


def _at_tan_phu(law, **kwargs):
    return law.hand_over(law.receive(applicant_commune=law.tan_phu, **kwargs), now=at(3, 2, 10))


def test_a_second_supplement_request_is_refused_nd118_art11_2c_art19_5(law):
    dossier = _at_tan_phu(law)
    first = t.dossier_request_supplement(
        dossier=dossier,
        actor=law.tan_phu_specialist,
        items=papers("Tờ khai"),
        reason="Thiếu chữ ký",
        now=at(3, 3),
    )
    t.dossier_receive_supplement(dossier=dossier, actor=law.reception, now=at(3, 4))
    dossier.refresh_from_db()
    assert EventAction.REQUEST_SUPPLEMENT not in {
        a.action for a in t.available_actions(law.tan_phu_specialist, dossier)
    }
    with pytest.raises(t.TransitionError) as refused:
        t.dossier_request_supplement(
            dossier=dossier, actor=law.tan_phu_specialist, items=papers("Ảnh"), reason="Mờ", now=at(3, 5)
        )
    assert "một lần" in str(refused.value) and first.number in str(refused.value)
    assert SupplementRequest.objects.filter(dossier=dossier).count() == 1


def test_the_request_lists_every_item_with_counts_nd118_art19_5(law):
    dossier = _at_tan_phu(law)
    for items, message in (
        (["Tờ khai"], "số lượng bản"),  # a bare name
        (papers("Tờ khai", originals=0), "Ghi số lượng"),  # no copy asked for
    ):
        with pytest.raises(t.TransitionError, match=message):
            t.dossier_request_supplement(
                dossier=dossier, actor=law.tan_phu_specialist, items=items, reason="Thiếu"
            )
    request = t.dossier_request_supplement(
        dossier=dossier,
        actor=law.tan_phu_specialist,
        items=[*papers("Tờ khai"), *papers("Bản sao sổ hộ khẩu", originals=0, certified_copies=2)],
        reason="Thiếu",
    )
    assert request.items[1] == {
        "name": "Bản sao sổ hộ khẩu",
        "originals": 0,
        "certified_copies": 2,
        "photocopies": 0,
    }
    assert (
        "Bản sao sổ hộ khẩu (2 bản sao chứng thực)" in events(dossier, EventAction.REQUEST_SUPPLEMENT)[0].note
    )


def test_the_request_is_issued_by_the_competent_agency_through_the_one_stop_nd118_art19_5(law, client):
    dossier = _at_tan_phu(law)
    request = t.dossier_request_supplement(
        dossier=dossier, actor=law.tan_phu_specialist, items=papers("Tờ khai"), reason="Thiếu chữ ký"
    )
    assert request.issuing_agency == law.tan_phu
    client.force_login(law.tan_phu_specialist)
    response = client.get(reverse("motcua:dossier_supplement_pdf", args=[dossier.code, request.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "ỦY BAN NHÂN DÂN XÃ TÂN" in text  # the letterhead: the competent agency
    assert "Ủy ban nhân dân xã Tân Phú yêu cầu Ông/Bà bổ sung" in text
    assert "Trung tâm Phục vụ hành chính công tỉnh Minh Sơn" in text  # through the one-stop
    assert "Bản chính" in text and "tính lại từ đầu" in text


def test_forms_02_and_04_keep_the_agency_that_issued_them_nd118_art19_5_art19_6(law, client):
    """Điều 19 khoản 5, 6: form 02 and form 04 are the competent agency's acts; once issued,
    a later correction of the competent agency does not rewrite their letterhead."""
    dossier = _at_tan_phu(law)
    request = t.dossier_request_supplement(
        dossier=dossier, actor=law.tan_phu_specialist, items=papers("Tờ khai"), reason="Thiếu chữ ký"
    )
    Apology.objects.create(
        dossier=dossier,
        number="01/XL",
        reason="Cần xác minh",
        previous_due_at=dossier.due_at,
        new_due_at=dossier.due_at + dt.timedelta(days=2),
        issued_at=at(3, 3),
        issued_by=law.tan_phu_leader,
        issuing_agency=law.tan_phu,
    )
    Dossier.objects.filter(pk=dossier.pk).update(competent_agency=law.bac_son)  # corrected later
    client.force_login(law.reception)
    for url in (
        reverse("motcua:dossier_supplement_pdf", args=[dossier.code, request.pk]),
        reverse("motcua:dossier_apology_pdf", args=[dossier.code]),
    ):
        text = " ".join(pdf_text(client.get(url).content).split())
        assert "ỦY BAN NHÂN DÂN XÃ TÂN" in text and "BẮC SƠN" not in text.upper(), url


def test_the_closing_date_is_never_sooner_than_15_days_nd118_art19_5(law):
    dossier = _at_tan_phu(law)
    with pytest.raises(t.TransitionError, match="15 ngày"):
        t.dossier_request_supplement(
            dossier=dossier,
            actor=law.tan_phu_specialist,
            items=papers("Tờ khai"),
            reason="Thiếu",
            reply_due_at=at(3, 9),
            now=at(3, 3),
        )


def test_fifteen_days_without_the_supplement_close_the_dossier_and_tell_the_citizen_nd118_art19_5(law):
    dossier = _at_tan_phu(law)
    asked = at(3, 3, 10)
    t.dossier_request_supplement(
        dossier=dossier,
        actor=law.tan_phu_specialist,
        items=papers("Tờ khai"),
        reason="Thiếu chữ ký",
        now=asked,
    )
    assert close_unsupplemented(now=asked + dt.timedelta(days=15, minutes=-1)) == 0
    assert close_unsupplemented(now=asked + dt.timedelta(days=15)) == 1
    dossier.refresh_from_db()
    assert (dossier.status, dossier.outcome, dossier.national_status_code) == (
        Status.STOPPED,
        Outcome.CLOSED,
        8,
    )
    assert dossier.finished_at == asked + dt.timedelta(days=15)
    assert dossier.current_unit == law.centre  # the papers go back to the counter
    [event] = events(dossier, EventAction.CLOSE)
    assert event.actor is None and "01/BS-" in event.note and "18/03/2026" in event.note
    told = Notification.objects.filter(dossier=dossier, kind="closed")
    assert {n.channel for n in told} == {NotificationChannel.EMAIL, NotificationChannel.SMS}
    assert "Lý do: Quá thời hạn bổ sung" in told.get(channel=NotificationChannel.EMAIL).body
    assert Notification.objects.filter(
        dossier=dossier, recipient=law.reception, kind=kinds.RESULT_TO_RETURN
    ).exists()
    assert close_unsupplemented(now=asked + dt.timedelta(days=16)) == 0  # a second run does nothing


def test_a_supplement_received_in_time_or_a_longer_sector_period_keeps_the_dossier_open_nd118_art19_5(law):
    brought = _at_tan_phu(law)
    t.dossier_request_supplement(
        dossier=brought, actor=law.tan_phu_specialist, items=papers("Tờ khai"), reason="Thiếu", now=at(3, 3)
    )
    t.dossier_receive_supplement(dossier=brought, actor=law.reception, now=at(3, 10))
    sector = _at_tan_phu(law)
    t.dossier_request_supplement(
        dossier=sector,
        actor=law.tan_phu_specialist,
        items=papers("Tờ khai"),
        reason="Thiếu",
        reply_due_at=at(4, 30, 17),
        now=at(3, 3),
    )
    assert close_unsupplemented(now=at(4, 1)) == 0
    assert close_unsupplemented(now=at(4, 30, 17)) == 1
    brought.refresh_from_db()
    assert brought.status == Status.PROCESSING


def test_no_member_of_staff_closes_a_dossier_by_hand_nd118_art19_5(law):
    dossier = _at_tan_phu(law)
    admin = UserFactory(agency=None, is_superuser=True)
    assert not t.may_act(admin, dossier, EventAction.CLOSE)
    assert EventAction.CLOSE not in t.SERVICES


def test_a_closed_dossier_counts_as_resolved_on_time_in_ii06a(law):
    """docs/baocao.md: closed for want of a supplement = stopped (8), resolved on time."""
    dossier = _at_tan_phu(law)
    t.dossier_request_supplement(
        dossier=dossier, actor=law.tan_phu_specialist, items=papers("Tờ khai"), reason="Thiếu", now=at(3, 3)
    )
    period = quarter_period(2026, 2)  # 15/03 – 14/06/2026: the closing falls in it
    now = at(7, 1)

    def counted(column):
        return (
            annotate_days(Dossier.objects.filter(pk=dossier.pk))
            .filter(column_q(column, period, now=now))
            .exists()
        )

    assert counted(12) and not counted(7)  # waiting: in progress, within deadline
    close_unsupplemented(now=at(3, 18, 10))
    assert [column for column in (7, 8, 9, 10, 11, 12, 13) if counted(column)] == [7, 9]


# --- refusal after appraisal (Điều 19 khoản 3) --------------------------------------------------------


def test_refusal_after_appraisal_has_its_own_notice_recorded_as_the_result_nd118_art19_3(law, client):
    dossier = _at_tan_phu(law)
    client.force_login(law.tan_phu_leader)
    assert client.get(reverse("motcua:dossier_refusal_pdf", args=[dossier.code])).status_code == 404
    dossier = t.dossier_refuse(
        dossier=dossier,
        actor=law.tan_phu_leader,
        reason="Người được khai sinh đã có Giấy khai sinh",
        now=at(3, 3),
    )
    assert (dossier.status, dossier.outcome) == (Status.RESULT_READY, Outcome.REFUSED)
    assert dossier.refusal_notice_number == f"TCGQ-{dossier.code}" and not dossier.refused_after_deadline
    page = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    assert reverse("motcua:dossier_refusal_pdf", args=[dossier.code]) in page
    text = " ".join(
        pdf_text(client.get(reverse("motcua:dossier_refusal_pdf", args=[dossier.code])).content).split()
    )
    # TT 03/2025 form 03, issued here by the competent agency after appraisal
    assert "Mẫu số 03" in text and "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert f"Số: {dossier.refusal_notice_number}" in text and "Qua thẩm định" in text
    assert "ỦY BAN NHÂN DÂN XÃ TÂN" in text and "đã có Giấy khai sinh" in text and "Nơi nhận" in text


# --- apology and request for more time (Điều 19 khoản 6) ---------------------------------------------


def _at_the_unit(law, **kwargs):
    dossier = law.receive(law.province_case, **kwargs)  # due Monday 16/03 09:00 (10 working days)
    return law.hand_over(dossier, now=at(3, 2, 10))


def test_the_apology_is_counted_in_days_nd118_art19_6(law):
    dossier = _at_the_unit(law)
    assert dossier.due_at == at(3, 16, 9)
    # Friday 13/03 10:00, the working day before a Monday 09:00 deadline: in time, although
    # only 7 working hours remain
    apology = t.dossier_apologise(
        dossier=dossier,
        actor=law.justice_leader,
        reason="Chờ xác minh",
        new_due_at=at(3, 20),
        now=at(3, 13, 10),
    )
    assert apology.late_notice is False and apology.dossier.transition_warnings == []


def test_the_apology_is_written_once_by_the_competent_agency_nd118_art19_6(law):
    dossier = _at_the_unit(law)
    assert dossier.current_unit == law.unit  # held by Phòng Hành chính tư pháp
    assert EventAction.APOLOGISE not in {a.action for a in t.available_actions(law.centre_leader, dossier)}
    with pytest.raises(t.TransitionError, match="không có quyền"):
        t.dossier_apologise(
            dossier=dossier, actor=law.centre_leader, reason="Chậm", new_due_at=at(3, 20), now=at(3, 12)
        )
    apology = t.dossier_apologise(
        dossier=dossier, actor=law.justice_leader, reason="Chậm", new_due_at=at(3, 20), now=at(3, 12)
    )
    assert apology.issuing_agency == law.justice
    with pytest.raises(t.TransitionError, match="một lần"):
        t.dossier_apologise(dossier=dossier, actor=law.justice_leader, reason="Lại", new_due_at=at(3, 27))


def test_the_apology_promises_the_delivery_the_citizen_chose_with_its_recipients_nd118_art19_6(law, client):
    dossier = _at_the_unit(
        law, result_delivery=ResultDelivery.POST, delivery_address="Số 7 đường Lê Lợi, phường Trung Sơn"
    )
    t.dossier_apologise(
        dossier=dossier, actor=law.justice_leader, reason="Chậm", new_due_at=at(3, 20), now=at(3, 12)
    )
    mail = Notification.objects.get(dossier=dossier, kind="apology", channel=NotificationChannel.EMAIL)
    assert (
        "bưu chính" in mail.body and "Số 7 đường Lê Lợi" in mail.body and "bộ phận một cửa" not in mail.body
    )
    assert "Sở Tư pháp tỉnh Minh Sơn thành thật xin lỗi" in mail.body
    client.force_login(law.justice_leader)
    text = " ".join(
        pdf_text(client.get(reverse("motcua:dossier_apology_pdf", args=[dossier.code])).content).split()
    )
    # TT 03/2025 form 04 on the competent agency's letterhead (its governing body above it)
    assert "Mẫu số 04" in text and "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN" in text
    assert "THỜI GIAN GIẢI QUYẾT" in text and "SỞ TƯ PHÁP" in text
    assert "Sở Tư pháp thành thật xin lỗi" in text
    assert "Nơi nhận" in text and "Trung tâm Phục vụ hành chính công tỉnh Minh Sơn" in text
    assert "bưu chính công ích đến địa chỉ Số 7 đường Lê Lợi" in text


# --- stop at the applicant's request (Điều 21) ----------------------------------------------------------


def test_a_stop_at_the_applicants_request_records_fees_and_prints_form_05_nd118_art21(law, client):
    from motcua.services.fees import fee_record_payment, ledger_of

    dossier = _at_the_unit(law)
    # the fee collected at filing, recorded in the dossier's fee ledger (docs/fees.md): what a
    # refund may give back
    fee_record_payment(
        dossier=dossier, amount=200000, method="cash", receipt_number="BL-21", actor=law.reception
    )
    client.force_login(law.reception)
    url = reverse("motcua:dossier_action", args=[dossier.code, EventAction.WITHDRAW])
    form = client.get(reverse("motcua:dossier_detail", args=[dossier.code])).content.decode()
    assert (
        'name="withdraw-fees_to_refund"' in form and 'value="200000"' in form
    )  # the fee collected at filing
    refused = client.post(url, {"withdraw-reason": "Đơn đề nghị dừng"})
    assert refused.status_code == 400 and Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING
    done = client.post(
        url,
        {
            "withdraw-reason": "Đơn đề nghị dừng ngày 05/03",
            "withdraw-fees_to_refund": "200000",
            "withdraw-refund_note": "Trả tiền mặt",
        },
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.status, dossier.fee_refund_amount) == (Status.WITHDRAWN, Decimal("200000"))
    assert "200.000 đồng" in events(dossier, EventAction.WITHDRAW)[0].note
    assert ledger_of(dossier).refunded == Decimal("200000")
    text = " ".join(
        pdf_text(client.get(reverse("motcua:dossier_stop_pdf", args=[dossier.code])).content).split()
    )
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text and "Theo đề nghị của Ông/Bà" in text
    assert "200000 đồng" in text.replace(".", "") and "Trả tiền mặt" in text


def test_the_applicant_may_stop_until_the_decision_only_nd118_art21(law):
    dossier = t.dossier_approve(dossier=_at_the_unit(law), actor=law.justice_leader, now=at(3, 5))
    with pytest.raises(t.TransitionError, match="đang ở trạng thái"):
        t.dossier_withdraw(
            dossier=dossier, actor=law.reception, reason="Muốn dừng", fees_to_refund=Decimal(0)
        )
