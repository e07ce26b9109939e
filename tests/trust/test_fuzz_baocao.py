"""Hostile input to the report forms: create a quarterly report, edit its narrative,
return it (Sở Nội vụ)."""

import datetime as dt

import pytest
from hypothesis import given

from baocao import services
from baocao.models import QuarterlyReport, ReportEvent
from thutuc.models import Agency, User

from .fuzz import check_post
from .fuzz_strategies import examples, mutation

MODELS = [QuarterlyReport, ReportEvent]


@pytest.fixture
def leader(province, client):
    user = User.objects.get(username="lanhdao")
    client.force_login(user)
    return user


CREATE = {"year": "number", "quarter": "number"}


@examples(40)
@given(change=mutation(CREATE))
def test_report_create(leader, client, change):
    data = {k: v for k, v in {"year": "2026", "quarter": "1", **change}.items() if v is not None}

    def created(response, before, after):
        assert after["baocao.QuarterlyReport"] == before["baocao.QuarterlyReport"] + 1
        report = QuarterlyReport.objects.order_by("-pk").first()
        assert report.events.exists()

    check_post(
        client,
        "/bao-cao/quy/tao/",
        data,
        kinds=CREATE,
        models=MODELS,
        on_success=created,
        form_key="create_form",
    )


NARRATIVE = {"results": "text", "shortcomings": "text", "causes": "text", "proposals": "text"}


def test_report_edit(leader, client):
    agency = Agency.objects.get(code="000.00.11.H99")
    report = services.report_create(agency=agency, year=2026, quarter=1, actor=leader)

    @examples(40)
    @given(change=mutation(NARRATIVE))
    def run(change):
        data = {k: v for k, v in {"results": "Đạt", **change}.items() if v is not None}

        def state():
            r = QuarterlyReport.objects.get(pk=report.pk)
            return (r.results, r.shortcomings, r.causes, r.proposals, r.status)

        def saved(response, before, after):
            r = QuarterlyReport.objects.get(pk=report.pk)
            for name in NARRATIVE:
                if name in data:
                    sent = data[name][-1] if isinstance(data[name], list) else data[name]
                    assert (
                        getattr(r, name) == sent.strip().replace("\r\n", "\n")
                        or getattr(r, name) == sent.strip()
                    )

        check_post(
            client,
            f"/bao-cao/quy/{report.pk}/sua/",
            data,
            kinds=NARRATIVE,
            models=MODELS,
            state=state,
            on_success=saved,
            form_key="narrative_form",
        )

    run()


RETURN = {"comment": "text"}


def test_report_return(leader, client):
    agency = Agency.objects.get(code="000.00.11.H99")
    client.force_login(User.objects.get(username="sonoivu"))

    @examples(30)
    @given(change=mutation(RETURN))
    def run(change):
        report = QuarterlyReport.objects.filter(agency=agency, year=2026, quarter=1).first()
        if report is None:
            report = services.report_create(agency=agency, year=2026, quarter=1, actor=leader)
        if report.status not in ("submitted", "resubmitted"):
            report = services.report_submit(report=report, actor=leader)

        def state():
            r = QuarterlyReport.objects.get(pk=report.pk)
            return r.status

        data = {k: v for k, v in {"comment": "Thiếu số liệu", **change}.items() if v is not None}
        check_post(
            client,
            f"/bao-cao/quy/{report.pk}/tra-lai/",
            data,
            kinds=RETURN,
            models=MODELS,
            state=state,
            form_key="return_form",
        )

    run()


REQUEST = {
    "kind": "choice",
    "year": "number",
    "number": "number",
    "title": "text",
    "content": "text",
    "due_date": "date",
    "agencies": "id",
}


def test_report_request_create(leader, client):
    from baocao.models import ReportRequest, ReportRequestUnit

    client.force_login(User.objects.get(username="sonoivu"))
    justice = Agency.objects.get(code="000.00.11.H99")

    @examples(40)
    @given(change=mutation(REQUEST))
    def run(change):
        base = {
            "kind": "ad_hoc",
            "title": "Báo cáo đột xuất",
            "content": "Nội dung",
            "due_date": "2026-12-31",
            "agencies": str(justice.pk),
        }
        data = {k: v for k, v in {**base, **change}.items() if v is not None}

        def created(response, before, after):
            assert after["baocao.ReportRequest"] == before["baocao.ReportRequest"] + 1
            assert ReportRequest.objects.order_by("-pk").first().units.exists()

        check_post(
            client,
            "/bao-cao/yeu-cau/tao/",
            data,
            kinds=REQUEST,
            models=[ReportRequest, ReportRequestUnit],
            on_success=created,
        )

    run()


ANSWER = {"answer": "text"}


def test_report_request_answer(leader, client):
    from baocao import requests as request_services
    from baocao.models import ReportRequest, RequestKind

    justice = Agency.objects.get(code="000.00.11.H99")
    request = request_services.request_create(
        kind=RequestKind.AD_HOC,
        title="Báo cáo nhanh",
        content="…",
        due_date=dt.date(2026, 12, 31),
        agencies=[justice],
        actor=User.objects.get(username="sonoivu"),
    )
    unit = request.units.get()

    @examples(30)
    @given(change=mutation(ANSWER))
    def run(change):
        type(unit).objects.filter(pk=unit.pk).update(status="pending", answer="")
        data = {k: v for k, v in {"answer": "Nội dung", **change}.items() if v is not None}

        def state():
            u = type(unit).objects.get(pk=unit.pk)
            return (u.status, u.answer)

        check_post(
            client,
            f"/bao-cao/yeu-cau/don-vi/{unit.pk}/gui/",
            data,
            kinds=ANSWER,
            models=[ReportRequest],
            state=state,
            form_key="answer_form",
        )

    run()
