"""The staff search box (issue 13 §1): code or its tail, name without diacritics, phone,
identity number; only visible agencies; newest first; one access-log row for a search on
personal data; a fixed number of queries; the indexes that make it fast on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from motcua.models import Dossier, Status
from motcua.search import CODE, NAME, NUMBER, TAIL, classify, phone_variants
from motcua.selectors_processing import visible_dossiers
from motcua.services import transitions as t
from tests.factories import UserFactory
from thutuc.accounts.roles import Role
from thutuc.models import AccessAction, AccessLog

pytestmark = pytest.mark.django_db
SEARCH = reverse("motcua:search")


def found(response):
    return [d.code for d in response.context["search"].dossiers]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("000.00.06.H99-260302-0001", CODE),
        (" 000.00.06.h99-260302-0001 ", CODE),
        ("260302-0001", TAIL),
        ("H99-260302-0001", TAIL),
        ("0912 345 678", NUMBER),
        ("+84912345678", NUMBER),
        ("001090000123", NUMBER),
        ("0101234567-001", NUMBER),
        ("nguyen van an", NAME),
        ("Nguyễn Văn An", NAME),
        ("an", ""),
        ("12", ""),
        ("", ""),
        ("\x00\x00", ""),
    ],
)
def test_the_box_understands_what_was_typed(text, kind):
    assert classify(text)[0] == kind


def test_phone_variants():
    assert phone_variants("0912345678") == ["+84912345678", "0912345678", "84912345678"]
    assert "0912345678" in phone_variants("+84912345678")
    assert "0912345678" in phone_variants("84912345678")


def test_a_whole_code_opens_the_dossier_and_its_tail_too(world, client):
    dossier = world.dossier(processing=True)
    client.force_login(world.specialist)
    response = client.get(SEARCH, {"q": dossier.code})
    assert response.status_code == 302 and response.url == reverse(
        "motcua:dossier_detail", args=[dossier.code]
    )
    tail = dossier.code.split("-", 1)[1]  # "260302-0001": what the citizen reads from the receipt
    response = client.get(SEARCH, {"q": tail})
    assert response.status_code == 302 and response.url.endswith(f"/{dossier.code}/")
    # a code search is no search on personal data: the dossier page logs its own view
    assert not AccessLog.objects.exists()


def test_another_agencys_code_is_not_found_and_says_nothing(world, client):
    elsewhere = world.dossier(
        receiving_agency=world.other_department,
        case=world.other_case,
        received_by=None,
    )
    client.force_login(world.specialist)
    response = client.get(SEARCH, {"q": elsewhere.code})
    assert response.status_code == 200 and found(response) == []
    assert elsewhere.applicant_name not in response.content.decode()
    assert "Không tìm thấy hồ sơ nào" in response.content.decode()


def test_who_handed_a_dossier_on_still_finds_it_by_code(world, client):
    dossier = world.dossier(processing=True, assignee=world.specialist)
    t.dossier_transfer(dossier=dossier, actor=world.specialist, step=world.steps[1])
    client.force_login(world.specialist)  # the dossier is now at Sở Tư pháp, not in his unit
    response = client.get(SEARCH, {"q": dossier.code})
    assert response.status_code == 302
    assert client.get(response.url).status_code == 200


def test_name_without_diacritics_from_the_start_of_a_word_newest_first(world, client):
    now = timezone.now()
    older = world.dossier(applicant_name="Nguyễn Văn An", received_at=now - dt.timedelta(days=40))
    newer = world.dossier(applicant_name="NGUYỄN VĂN AN", received_at=now - dt.timedelta(days=2))
    anh = world.dossier(applicant_name="Nguyễn Văn Anh", received_at=now - dt.timedelta(days=1))
    world.dossier(applicant_name="Trần Thị Bích", received_at=now)
    organisation = world.dossier(
        applicant_name="Lê Hoa", organisation_name="Công ty Đồng Tâm", received_at=now - dt.timedelta(days=3)
    )
    hidden = world.dossier(
        applicant_name="Nguyễn Văn An",
        receiving_agency=world.other_department,
        case=world.other_case,
        received_by=None,
    )
    client.force_login(world.reception)
    response = client.get(SEARCH, {"q": "nguyen van an"})
    assert found(response) == [anh.code, newer.code, older.code]  # "an" also begins "Anh"
    assert hidden.code not in found(response)
    assert found(client.get(SEARCH, {"q": "Văn An"})) == [anh.code, newer.code, older.code]
    assert found(client.get(SEARCH, {"q": "guyen van"})) == []  # not from the middle of a word
    assert found(client.get(SEARCH, {"q": "dong tam"})) == [organisation.code]
    # Sở Nội vụ sees the whole province
    sonoivu = UserFactory(agency=world.centre, roles=[Role.HOME_AFFAIRS])
    client.force_login(sonoivu)
    assert hidden.code in found(client.get(SEARCH, {"q": "nguyen van an"}))


def test_phone_and_identity_number_exactly(world, client):
    by_phone = world.dossier(applicant_phone="0987654321")
    by_id = world.dossier(applicant_id_number="001090000123")
    world.dossier(applicant_phone="0987654322")
    client.force_login(world.reception)
    for typed in ("0987654321", "0987 654 321", "0987.654.321", "+84987654321"):
        assert found(client.get(SEARCH, {"q": typed})) == [by_phone.code], typed
    assert found(client.get(SEARCH, {"q": "001090000123"})) == [by_id.code]
    assert found(client.get(SEARCH, {"q": "098765432"})) == []  # a prefix is not the number


def test_intake_keeps_phones_as_digits_so_that_the_search_finds_them(world):
    from motcua.intake_forms import IntakeForm

    form = IntakeForm({"applicant_phone": "0912 345.678"}, case=world.case)
    form.is_valid()
    assert form.cleaned_data["applicant_phone"] == "0912345678"


def test_a_search_on_personal_data_writes_exactly_one_access_log_row(world, client):
    world.dossier(applicant_name="Phạm Thị Lan", applicant_phone="0977000111")
    client.force_login(world.reception)
    client.get(SEARCH, {"q": "pham thi lan"})
    [row] = AccessLog.objects.all()
    assert row.action == AccessAction.SEARCH and row.user == world.reception and row.row_count == 1
    assert "pham thi lan" in row.label and row.object_type == "motcua.dossier"
    client.get(SEARCH, {"q": "0977000111"})
    assert AccessLog.objects.filter(action=AccessAction.SEARCH).count() == 2
    client.get(SEARCH, {"q": "ab"})  # nothing searched: nothing logged
    assert AccessLog.objects.count() == 2


def test_many_matches_show_the_newest_and_say_there_are_more(world, client, monkeypatch):
    from motcua import search

    monkeypatch.setattr(search, "LIMIT", 3)
    now = timezone.now()
    codes = [
        world.dossier(applicant_name="Hoàng Minh", received_at=now - dt.timedelta(hours=i)).code
        for i in range(5)
    ]
    client.force_login(world.reception)
    response = client.get(SEARCH, {"q": "hoang minh"})
    assert found(response) == codes[:3] and response.context["search"].more


@pytest.mark.parametrize("count", [3, 30])
def test_queries_do_not_grow_with_results(world, client, django_assert_max_num_queries, count):
    for i in range(count):
        world.dossier(applicant_name=f"Đỗ Văn Hùng {i}", processing=True)
    client.force_login(world.leader)
    # session, user, roles, visible agencies, the search, calendars, the access log, header
    with django_assert_max_num_queries(10):
        response = client.get(SEARCH, {"q": "do van hung"})
    assert len(found(response)) == min(count, 20)  # the newest 20, "more" said beneath


def test_bad_input_and_who_may_search(world, client):
    client.force_login(world.reception)
    for junk in ("%", "_", "' OR 1=1 --", "-" * 20):
        assert client.get(SEARCH, {"q": junk}).status_code == 200, junk
    # what no person types answers 400 with the reason in Vietnamese (a query form, issue 14 §5)
    for junk in ("\x00", "a" * 5000):
        response = client.get(SEARCH, {"q": junk})
        assert response.status_code == 400 and "Tìm hồ sơ" in response.content.decode(), junk
    assert found(client.get(SEARCH, {"q": "%%%_%"})) == []
    client.logout()
    assert client.get(SEARCH, {"q": "nguyen"}).status_code == 302
    admin = UserFactory(agency=world.centre, roles=[Role.CATALOGUE_ADMIN])
    client.force_login(admin)
    assert client.get(SEARCH, {"q": "nguyen"}).status_code == 403


def test_the_box_is_in_the_header_of_staff_pages_only(world, client):
    assert f'action="{SEARCH}"' not in client.get("/").content.decode()
    client.force_login(world.specialist)
    html = client.get(reverse("motcua:staff_home")).content.decode()
    assert f'action="{SEARCH}"' in html and 'name="q"' in html


def test_the_folded_names_follow_every_save(world):
    dossier = world.dossier(applicant_name="Đặng Thị Ánh")
    assert dossier.applicant_search == " dang thi anh"
    dossier.applicant_name = "Bùi Quốc Việt"
    dossier.save(update_fields=["applicant_name"])
    dossier.refresh_from_db()
    assert dossier.applicant_search == " bui quoc viet"
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.PROCESSING)  # other fields: untouched
    dossier.refresh_from_db()
    assert dossier.applicant_search == " bui quoc viet"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the name indexes exist on PostgreSQL only")
def test_postgresql_answers_from_the_indexes(world):
    """A name from its start is an index-only range of the covering prefix index (what the
    search reads first: id and date of the candidates), a word inside the names the trigram
    index; phone and identity number their B-tree indexes (province-wide, as Sở Nội vụ
    searches; the bench measures them at a million dossiers)."""
    from motcua.search import matching, name_anywhere

    world.dossier(applicant_name="Nguyễn Văn An", applicant_phone="0912000111")
    everything = Dossier.objects.all()

    def plan(queryset):
        with connection.cursor() as cursor:
            # the planner's statistics of this test's rows, not those left by earlier tests
            # (statistics outlive their rolled-back transactions; the plan depended on the order)
            cursor.execute("ANALYZE motcua_dossier")
            cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()

    prefix = matching(NAME, "nguyen van an", openable=everything, visible=everything)
    assert "Index Only Scan using dossier_applicant_search_prefix" in plan(
        prefix.order_by().values_list("pk", "received_at")
    )
    # the one-stop centre's officer: his scope is in the index too
    scoped = matching(NAME, "nguyen van an", openable=everything, visible=visible_dossiers(world.reception))
    assert "Index Only Scan using dossier_applicant_search_prefix" in plan(
        scoped.order_by().values_list("pk", "received_at")
    )
    assert "dossier_applicant_search_trgm" in plan(name_anywhere("van an", everything))
    kind, value = classify("0912000111")
    phone_plan = plan(matching(kind, value, openable=everything, visible=everything, query="0912000111"))
    assert "dossier_applicant_phone" in phone_plan and "dossier_applicant_id_number" in phone_plan


def test_a_name_matching_too_many_lists_none_and_asks_for_more(world, client, monkeypatch):
    from motcua import search

    monkeypatch.setattr(search, "CANDIDATES_CAP", 3)
    for i in range(4):
        world.dossier(applicant_name=f"Nguyễn Thị Mai {i}")
    world.dossier(applicant_name="Nguyễn Thị Hoa")
    client.force_login(world.reception)
    response = client.get(SEARCH, {"q": "nguyen thi"})
    assert response.context["search"].too_many and found(response) == []
    assert 'data-testid="too-many"' in response.content.decode()
    assert len(found(client.get(SEARCH, {"q": "nguyen thi hoa"}))) == 1
