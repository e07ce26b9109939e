"""The permission matrix: one entry per non-admin URL name of the URLconf.

Each entry says how to build the URL for an object of the user's own agency ("own") and
for an object of another agency ("other") — or "any" for a page without an object — and
the status every role must get, in the order of ROLES:

    anonymous, tiepnhan (reception), chuyenvien (specialist), lanhdao (leader),
    giamdoc (centre leader), sonoivu (Sở Nội vụ, sees every agency), quantri (catalogue admin)

A value is one status for both sides, or a pair (own, other). LOGIN is a redirect to the
login page, REDIRECT any other redirect. `post` adds a write: the payload is POSTed as every
role and, whenever the request must not act (refused, or another agency's object for a
unit-level officer), the object's state (`state`) must not have changed.

The admin (/quan-tri/) is not listed here: tests/trust/test_perms_matrix.py derives its
expectations from each registered ModelAdmin and each role's permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .perms_world import ROLES

OK, REDIRECT, BAD, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, CONFLICT = 200, 302, 400, 403, 404, 405, 409
LOGIN = "login"
OWN = (OK, NOT_FOUND)  # own agency's object readable, another agency's a 404
LEAD = (REDIRECT, NOT_FOUND)  # a write on the own agency's object done, another's a 404
HIDDEN = (NOT_FOUND, NOT_FOUND)


def row(*statuses) -> dict[str, Any]:
    """Expected statuses in the order of ROLES."""
    assert len(statuses) == len(ROLES), statuses
    return dict(zip(ROLES, statuses, strict=True))


def everyone(status) -> dict[str, Any]:
    return dict.fromkeys(ROLES, status)


@dataclass(frozen=True)
class Post:
    expect: dict[str, Any]
    data: Callable = lambda w, side, user: {}
    state: Callable | None = None  # (world, side) -> a comparable snapshot of the target
    always_unchanged: bool = False  # e.g. "mark all read" must never touch another's rows


@dataclass(frozen=True)
class Entry:
    expect: dict[str, Any]
    kwargs: Callable = lambda w, side, user: {}
    query: Callable = lambda w, side, user: {}
    sides: tuple[str, ...] = ("own", "other")
    post: Post | None = None
    check: Callable | None = None  # (response, world, role, side) -> None, extra assertions


ANY = ("any",)


# --- object pickers: (world, side, user) -> kwargs ----------------------------------------------


def dossier(which="processing"):
    return lambda w, side, user: {"code": getattr(w.dossiers[side], which).code}


def online_of(w, side, user):
    return {"pk": w.dossiers[side].online.pk}


def _reporting_agency(w, user):
    agency = user.agency if user is not None else None
    while agency is not None and not agency.code:
        agency = agency.parent
    return agency


def report_of(w, side, user):
    if side == "other":
        return w.reports[w.commune.pk]
    agency = _reporting_agency(w, user)
    return w.reports.get(agency.pk if agency else None) or w.reports[w.justice.pk]


def export_of(w, side, user):
    if side == "other":
        return w.exports[w.commune.pk]
    agency = _reporting_agency(w, user)
    return w.exports.get(agency.pk if agency else None) or w.exports[w.justice.pk]


def agency_filter(key):
    """Query string naming the user's own agency, or the other agency."""

    def build(w, side, user):
        if side == "other":
            return {key: w.commune.pk}
        agency = _reporting_agency(w, user) or w.centre
        return {key: agency.pk}

    return build


def stats_query(w, side, user):
    return {"kind": "quarter", "year": 2026, "quarter": 1, "grouping": "field", "role": "competent"} | (
        agency_filter("agency")(w, side, user)
    )


def request_unit_of(w, side, user):
    if side == "other":
        return {"pk": w.request_units[w.commune.pk].pk}
    agency = _reporting_agency(w, user)
    unit = w.request_units.get(agency.pk if agency else None) or w.request_units[w.justice.pk]
    return {"pk": unit.pk}


def index_query(w, side, user):
    return {"kind": "month", "year": 2026, "month": 1} | agency_filter("agency")(w, side, user)


def notification_of(w, side, user):
    if side == "other":
        return w.notifications["tiepnhanxa"]
    return w.notifications[user.username if user is not None else "tiepnhan"]


def _scan_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.khieunai.factories import pdf_bytes

    return SimpleUploadedFile("ban-quet.pdf", pdf_bytes(), content_type="application/pdf")


# --- state snapshots for the writes ----------------------------------------------------------------


def dossier_state(which="processing"):
    def snapshot(w, side):
        from motcua.models import Dossier, Rating

        d = Dossier.objects.get(pk=getattr(w.dossiers[side], which).pk)
        return (
            d.status,
            d.pin_hash,
            d.assignee_id,
            d.current_unit_id,
            d.due_at,
            d.events.count(),
            Rating.objects.filter(dossier=d).count(),
        )

    return snapshot


def online_state(w, side):
    from motcua.models import OnlineSubmission

    return (
        OnlineSubmission.objects.filter(pk=w.dossiers[side].online.pk).values_list("status", "decision").get()
    )


def ledger_state(w, side):
    from motcua.models import FeeEntry

    return FeeEntry.objects.filter(dossier=w.dossiers[side].processing).count()


def online_decision(data=None) -> Entry:
    """A decision on an online filing (accept, supplement, refuse) posted with `data`: the
    reception officers decide their own agency's filings (302; another agency's: 404), every
    other role is refused, a visitor is sent to log in; it is never a page to GET (405)."""
    return Entry(
        row(LOGIN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        kwargs=online_of,
        post=Post(
            row(LOGIN, (REDIRECT, NOT_FOUND), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            data=lambda w, side, user: dict(data or {}),
            state=online_state,
        ),
    )


def feedback_state(w, side):
    from khieunai.models import Feedback

    f = Feedback.objects.get(pk=w.feedback[side].pk)
    return (f.status, f.triage, f.assignee_id, f.answer, f.events.count())


def call_state(w, side):
    from khieunai.models import Feedback, HotlineCall

    return (HotlineCall.objects.get(pk=w.calls[side].pk).feedback_id, Feedback.objects.count())


def report_state(w, side):
    from baocao.models import QuarterlyReport, ReportExport

    pk = w.reports[w.commune.pk].pk if side == "other" else None
    reports = QuarterlyReport.objects.filter(pk=pk) if pk else QuarterlyReport.objects.all()
    return (
        sorted(reports.values_list("pk", "status", "results", "version")),
        ReportExport.objects.count(),
    )


def request_state(w, side):
    from baocao.models import ReportRequest, ReportRequestUnit

    return (
        ReportRequest.objects.count(),
        sorted(ReportRequestUnit.objects.values_list("pk", "status", "answer", "reviewed_at")),
    )


def notification_state(w, side):
    from motcua.models import Notification

    return Notification.objects.get(pk=w.notifications["tiepnhanxa"].pk).read_at


# --- extra checks ----------------------------------------------------------------------------------


def dossier_check_json(response, w, role, side):
    found = response.json()["found"]
    assert found is (side == "own" or role == "sonoivu"), (role, side, response.json())


def search_finds_nothing_of_another_agency(response, w, role, side):
    """A code of another agency's dossier: no result, nothing of it shown (the unit-level
    officers); the own agency's code opens the dossier (a redirect, checked by the status)."""
    if response.status_code == 200:
        assert response.context["search"].dossiers == [], (role, side)
        assert w.dossiers[side].processing.applicant_name not in response.content.decode()


def statistics_not_computed(response, w, role, side):
    if side == "other" and role != "sonoivu":
        assert "table" not in response.context, "another agency's statistics were computed"


def lateness_not_computed(response, w, role, side):
    if side == "other" and role != "sonoivu":
        assert "result" not in response.context, "another agency's late steps were computed"


# --- the matrix ------------------------------------------------------------------------------------
#                 anonymous  tiepnhan   chuyenvien  lanhdao    giamdoc    sonoivu    quantri

MATRIX: dict[str, Entry] = {
    # public pages
    "home": Entry(everyone(OK), sides=ANY),
    "healthz": Entry(everyone(OK), sides=ANY),
    "login": Entry(row(OK, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT), sides=ANY),
    "logout": Entry(everyone(NOT_ALLOWED), sides=ANY),  # POST only
    "password_change": Entry(row(LOGIN, OK, OK, OK, OK, OK, OK), sides=ANY),
    "password_change_done": Entry(row(LOGIN, OK, OK, OK, OK, OK, OK), sides=ANY),
    "motcua:tracking": Entry(everyone(OK), sides=ANY),
    "motcua:tracking_rate": Entry(everyone(NOT_ALLOWED), sides=ANY),  # POST only, code + PIN
    # paying and downloading need the dossier opened by code + PIN in this session
    "motcua:tracking_pay": Entry(everyone(NOT_ALLOWED), sides=ANY),  # POST only
    "motcua:result_download_citizen": Entry(everyone(FORBIDDEN), kwargs=dossier()),
    # the payment gateway's callback without a signature, the sandbox's checkout page without a
    # signed order, an unknown verification token
    "payment_return": Entry(everyone(BAD), sides=ANY),
    "payment_notify": Entry(everyone(BAD), sides=ANY),
    "payment_sandbox": Entry(everyone(BAD), sides=ANY, kwargs=lambda w, side, user: {"reference": "TT0"}),
    "result_verify": Entry(everyone(NOT_FOUND), sides=ANY, kwargs=lambda w, side, user: {"token": "x" * 32}),
    "thutuc:procedure_list": Entry(everyone(OK), sides=ANY),
    "thutuc:procedure_detail": Entry(
        everyone(OK), kwargs=lambda w, side, user: {"code": w.cases[side].procedure.code}
    ),
    # a form template of a procedure in force is public; a paper without one, or of a
    # withdrawn procedure, is not found
    "thutuc:document_template": Entry(
        everyone((OK, NOT_FOUND)),
        kwargs=lambda w, side, user: {"pk": w.templates[side].pk},
    ),
    "khieunai:submit": Entry(everyone(OK), sides=ANY),
    "khieunai:submitted": Entry(everyone(REDIRECT), sides=ANY),  # nothing submitted in this session
    "khieunai:track": Entry(everyone(OK), sides=ANY),
    "khieunai:published": Entry(everyone(OK), sides=ANY),
    "khieunai:attachment": Entry(
        row(HIDDEN, OWN, OWN, OWN, OWN, OK, HIDDEN),
        kwargs=lambda w, side, user: {"pk": w.feedback[side].attachment.pk},
    ),
    # counter (motcua)
    "motcua:staff_home": Entry(row(LOGIN, OK, OK, OK, OK, OK, OK), sides=ANY),
    "motcua:intake": Entry(row(LOGIN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN), sides=ANY),
    "motcua:intake_done": Entry(row(LOGIN, OWN, HIDDEN, HIDDEN, OWN, OK, FORBIDDEN), kwargs=dossier()),
    "motcua:intake_attempt": Entry(
        row(LOGIN, OWN, HIDDEN, HIDDEN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"number": w.dossiers[side].attempt.number},
    ),
    "motcua:intake_attempt_pdf": Entry(
        row(LOGIN, OWN, HIDDEN, HIDDEN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"number": w.dossiers[side].attempt.number},
    ),
    "motcua:receipt_pdf": Entry(row(LOGIN, OWN, HIDDEN, HIDDEN, OWN, OK, FORBIDDEN), kwargs=dossier()),
    # the online inbox: read by the staff who see the counter, decided by its reception officers
    "motcua:online_inbox": Entry(row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN), sides=ANY),
    "motcua:online_detail": Entry(row(LOGIN, OWN, HIDDEN, HIDDEN, OWN, OK, FORBIDDEN), kwargs=online_of),
    "motcua:online_accept": online_decision(),
    "motcua:online_supplement": online_decision({"bs-missing_other": "Ảnh 4x6", "bs-reason": "Thiếu ảnh"}),
    "motcua:online_refuse": online_decision({"tc-reason": "Không thuộc thẩm quyền"}),
    # the citizen's pages (/cong-dan/): no staff role opens them; without a citizen's session
    # they send to the citizen's sign-in (tests/motcua/test_citizen_filing.py: whose they are)
    "motcua:citizen_login": Entry(everyone(OK), sides=ANY),
    "motcua:citizen_code": Entry(everyone(REDIRECT), sides=ANY),  # no code asked for
    "motcua:citizen_logout": Entry(everyone(NOT_ALLOWED), sides=ANY),  # POST only
    "motcua:citizen_home": Entry(everyone(REDIRECT), sides=ANY),
    "motcua:filing_new": Entry(
        everyone(REDIRECT), kwargs=lambda w, side, user: {"code": w.cases[side].procedure.code}
    ),
    "motcua:filing_edit": Entry(everyone(REDIRECT), kwargs=lambda w, side, user: {"pk": 1}, sides=ANY),
    "motcua:filing_reuse": Entry(everyone(NOT_ALLOWED), kwargs=lambda w, side, user: {"pk": 1}, sides=ANY),
    "motcua:filing_remove": Entry(
        everyone(NOT_ALLOWED), kwargs=lambda w, side, user: {"pk": 1, "paper_pk": 1}, sides=ANY
    ),
    "motcua:filing_correct": Entry(everyone(NOT_ALLOWED), kwargs=lambda w, side, user: {"pk": 1}, sides=ANY),
    "motcua:citizen_supplement": Entry(everyone(REDIRECT), kwargs=dossier()),
    "motcua:citizen_pay": Entry(everyone(NOT_ALLOWED), kwargs=dossier()),  # POST only
    "motcua:citizen_result": Entry(everyone(REDIRECT), kwargs=dossier()),
    "motcua:citizen_file": Entry(
        everyone(REDIRECT), kwargs=lambda w, side, user: {"pk": w.dossiers[side].paper.pk}
    ),
    # a paper's file: whoever opens the dossier downloads it (logged); the counter scans
    "motcua:paper_download": Entry(
        row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"pk": w.dossiers[side].paper.pk},
    ),
    "motcua:dossier_scan": Entry(
        everyone(NOT_ALLOWED),
        kwargs=dossier(),
        post=Post(
            row(
                LOGIN,
                (REDIRECT, NOT_FOUND),
                (FORBIDDEN, NOT_FOUND),
                (FORBIDDEN, NOT_FOUND),
                (FORBIDDEN, NOT_FOUND),
                FORBIDDEN,
                FORBIDDEN,
            ),
            data=lambda w, side, user: {"purpose": "result", "paper": "__result__", "file": _scan_file()},
            state=lambda w, side: w.dossiers[side].processing.paper_files.count(),
        ),
    ),
    "motcua:receipt_print": Entry(row(LOGIN, OWN, HIDDEN, HIDDEN, OWN, OK, FORBIDDEN), kwargs=dossier()),
    # the staff search with a dossier's code: one's own opens it (302), another agency's is
    # not found (200, no result), Sở Nội vụ finds both; the catalogue admin opens no dossier
    "motcua:search": Entry(
        row(
            LOGIN,
            (REDIRECT, OK),
            (REDIRECT, OK),
            (REDIRECT, OK),
            (REDIRECT, OK),
            REDIRECT,
            FORBIDDEN,
        ),
        query=lambda w, side, user: {"q": w.dossiers[side].processing.code},
        check=search_finds_nothing_of_another_agency,
    ),
    "motcua:receipt_reissue": Entry(
        row(LOGIN, NOT_ALLOWED, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        kwargs=dossier(),
        post=Post(
            row(LOGIN, (REDIRECT, NOT_FOUND), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            state=dossier_state(),
        ),
    ),
    "motcua:register": Entry(
        row(LOGIN, OWN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN), query=agency_filter("co_quan")
    ),
    "motcua:register_xlsx": Entry(
        row(LOGIN, OWN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN), query=agency_filter("co_quan")
    ),
    "motcua:register_pdf": Entry(
        row(LOGIN, OWN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN), query=agency_filter("co_quan")
    ),
    "motcua:dossier_detail": Entry(row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN), kwargs=dossier()),
    "motcua:dossier_action": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: dossier()(w, side, user) | {"action": "refuse"},
        post=Post(
            # refusal: only a leader of the unit holding the dossier; every other officer who
            # sees it gets 409 (not theirs to do), another agency's dossier does not exist
            row(
                LOGIN,
                (CONFLICT, NOT_FOUND),
                (CONFLICT, NOT_FOUND),
                (REDIRECT, NOT_FOUND),
                (CONFLICT, NOT_FOUND),
                CONFLICT,
                FORBIDDEN,
            ),
            data=lambda w, side, user: {"refuse-reason": "Không đủ điều kiện theo quy định"},
            state=dossier_state(),
        ),
    ),
    # the fee ledger (docs/fees.md): written by the counter that received the dossier and by
    # leaders who see it; the accountant's list for those holding motcua.view_feeentry
    "motcua:dossier_fee": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: dossier()(w, side, user) | {"what": "mien-giam"},
        post=Post(
            # the world's dossier owes nothing: those with the right get the ledger's refusal
            # (409, nothing written), the others 403/404 before it is read
            row(
                LOGIN,
                (CONFLICT, NOT_FOUND),
                (FORBIDDEN, NOT_FOUND),
                (CONFLICT, NOT_FOUND),
                (CONFLICT, NOT_FOUND),
                FORBIDDEN,
                FORBIDDEN,
            ),
            data=lambda w, side, user: {"fee-mien-giam-amount": "1", "fee-mien-giam-reason": "Hộ nghèo"},
            state=ledger_state,
        ),
    ),
    "motcua:fee_report": Entry(
        row(LOGIN, OWN, FORBIDDEN, OWN, OWN, FORBIDDEN, FORBIDDEN), query=agency_filter("co_quan")
    ),
    "motcua:fee_report_xlsx": Entry(
        row(LOGIN, OWN, FORBIDDEN, OWN, OWN, FORBIDDEN, FORBIDDEN), query=agency_filter("co_quan")
    ),
    # the electronic result: attached by the same people (no file posted: the form's 400),
    # downloaded by whoever sees the dossier (none here has one: 404)
    "motcua:result_upload": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=dossier(),
        post=Post(
            row(
                LOGIN,
                (BAD, NOT_FOUND),
                (FORBIDDEN, NOT_FOUND),
                (BAD, NOT_FOUND),
                (BAD, NOT_FOUND),
                FORBIDDEN,
                FORBIDDEN,
            ),
            state=dossier_state(),
        ),
    ),
    "motcua:result_download": Entry(
        row(LOGIN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, NOT_FOUND, FORBIDDEN), kwargs=dossier()
    ),
    "motcua:dossier_control_sheet": Entry(row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN), kwargs=dossier()),
    "motcua:dossier_supplement_pdf": Entry(
        row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {
            "code": w.dossiers[side].processing.code,
            "pk": w.dossiers[side].processing.supplement_requests.get().pk,
        },
    ),
    "motcua:dossier_apology_pdf": Entry(row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN), kwargs=dossier()),
    "motcua:dossier_refusal_pdf": Entry(
        row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN), kwargs=dossier("refused")
    ),
    "motcua:dossier_stop_pdf": Entry(
        row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN), kwargs=dossier("stopped")
    ),
    "motcua:rating_on_behalf": Entry(
        row(LOGIN, OWN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
        kwargs=dossier("returned"),
        post=Post(
            row(LOGIN, (REDIRECT, NOT_FOUND), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
            data=lambda w, side, user: {"value": "satisfied", "comment": "Cán bộ nhiệt tình"},
            state=dossier_state("returned"),
        ),
    ),
    "motcua:notifications": Entry(row(LOGIN, OK, OK, OK, OK, OK, OK), sides=ANY),
    "motcua:notification_read": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: {"pk": notification_of(w, side, user).pk},
        post=Post(row(LOGIN, *[(REDIRECT, NOT_FOUND)] * 6), state=notification_state),
    ),
    "motcua:notification_read_all": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        sides=ANY,
        post=Post(row(LOGIN, *[REDIRECT] * 6), state=notification_state, always_unchanged=True),
    ),
    # feedback, complaints, denunciations (khieunai)
    "khieunai:staff_list": Entry(row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN), sides=ANY),
    "khieunai:staff_create": Entry(row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN), sides=ANY),
    "khieunai:staff_detail": Entry(
        row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"code": w.feedback[side].code},
    ),
    "khieunai:staff_notice": Entry(
        row(LOGIN, OWN, OWN, OWN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"code": w.notice[side].code},
    ),
    "khieunai:staff_action": Entry(
        everyone(NOT_ALLOWED),
        kwargs=lambda w, side, user: {"code": w.feedback[side].code, "action": "phan-loai"},
        post=Post(
            # the handlers classify; reception and Sở Nội vụ are sent back to the page (302,
            # nothing saved); another agency's case does not exist for a unit officer
            row(
                LOGIN,
                (REDIRECT, NOT_FOUND),
                (REDIRECT, NOT_FOUND),
                (REDIRECT, NOT_FOUND),
                (REDIRECT, NOT_FOUND),
                REDIRECT,
                FORBIDDEN,
            ),
            data=lambda w, side, user: {"triage-triage": "within", "triage-note": "Thuộc thẩm quyền"},
            state=feedback_state,
        ),
    ),
    "khieunai:hotline": Entry(row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN), sides=ANY),
    "khieunai:hotline_dossier_check": Entry(
        row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN),
        query=lambda w, side, user: {"ma": w.dossiers[side].processing.code},
        check=dossier_check_json,
    ),
    "khieunai:hotline_export": Entry(row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN), sides=ANY),
    "khieunai:hotline_to_feedback": Entry(
        everyone(NOT_ALLOWED),
        kwargs=lambda w, side, user: {"pk": w.calls[side].pk},
        post=Post(
            # the call was taken at the centre by chuyenvien: the centre's officers and the
            # handler convert it; lanhdao sees it (his specialist's call) but may not turn it
            # into the centre's feedback (403 from the service)
            row(
                LOGIN,
                (REDIRECT, NOT_FOUND),
                (REDIRECT, NOT_FOUND),
                (FORBIDDEN, NOT_FOUND),
                (REDIRECT, NOT_FOUND),
                FORBIDDEN,
                FORBIDDEN,
            ),
            state=call_state,
        ),
    ),
    "khieunai:reception": Entry(row(LOGIN, OK, OK, OK, OK, OK, FORBIDDEN), sides=ANY),
    "khieunai:reception_create": Entry(row(LOGIN, OK, OK, OK, OK, FORBIDDEN, FORBIDDEN), sides=ANY),
    # reports (baocao)
    "baocao:index": Entry(row(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN), sides=ANY),
    "baocao:statistics": Entry(
        # another agency in the filter: the form refuses it (200 with the error, no figures)
        row(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
        query=stats_query,
        check=statistics_not_computed,
    ),
    "baocao:drill_down": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN),
        query=lambda w, side, user: stats_query(w, side, user) | {"col": 3},
    ),
    "baocao:statistics_export": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: {"fmt": "xlsx"},
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, LEAD, LEAD, REDIRECT, FORBIDDEN),
            data=stats_query,
            state=report_state,
        ),
    ),
    "baocao:report_create": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        sides=ANY,
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, REDIRECT, REDIRECT, FORBIDDEN, FORBIDDEN),
            data=lambda w, side, user: {"year": 2026, "quarter": 2},
            state=report_state,
        ),
    ),
    "baocao:report_detail": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"pk": report_of(w, side, user).pk},
    ),
    "baocao:report_edit": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: {"pk": report_of(w, side, user).pk},
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, LEAD, LEAD, FORBIDDEN, FORBIDDEN),
            data=lambda w, side, user: (
                {"results": "Sửa bởi người khác", "shortcomings": "", "causes": ""} | {"proposals": ""}
            ),
            state=report_state,
        ),
    ),
    "baocao:report_submit": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: {"pk": report_of(w, side, user).pk},
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, LEAD, LEAD, FORBIDDEN, FORBIDDEN),
            state=report_state,
        ),
    ),
    "baocao:report_accept": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: {"pk": report_of(w, side, user).pk},
        # a draft cannot be accepted: Sở Nội vụ is sent back to the report with a message
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN), state=report_state
        ),
    ),
    "baocao:report_return": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: {"pk": report_of(w, side, user).pk},
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, BAD, FORBIDDEN),
            data=lambda w, side, user: {"comment": "Bổ sung số liệu"},
            state=report_state,
        ),
    ),
    "baocao:report_export": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: {"pk": report_of(w, side, user).pk, "fmt": "pdf"},
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, LEAD, LEAD, REDIRECT, FORBIDDEN),
            state=report_state,
        ),
    ),
    # service quality (issue 20): the index, late steps, the public dashboard, report requests
    "baocao:public_dashboard": Entry(everyone(OK), sides=ANY),
    "baocao:service_index": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN), query=index_query
    ),
    "baocao:service_index_dossiers": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN),
        query=lambda w, side, user: index_query(w, side, user) | {"measure": "received"},
    ),
    "baocao:lateness": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN),
        query=stats_query,
        check=lateness_not_computed,
    ),
    "baocao:lateness_dossiers": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN),
        query=lambda w, side, user: stats_query(w, side, user) | {"measure": "late"},
    ),
    "baocao:requests": Entry(row(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, FORBIDDEN), sides=ANY),
    "baocao:request_create": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        sides=ANY,
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN),
            data=lambda w, side, user: {
                "kind": "ad_hoc",
                "title": "Đột xuất",
                "content": "Nội dung",
                "due_date": "2026-12-31",
                "agencies": [w.justice.pk],
            },
            state=request_state,
        ),
    ),
    "baocao:request_detail": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"pk": w.report_requests[side].pk},
    ),
    "baocao:request_submit": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=request_unit_of,
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, LEAD, LEAD, FORBIDDEN, FORBIDDEN),
            data=lambda w, side, user: {"answer": "Nội dung báo cáo"},
            state=request_state,
        ),
    ),
    "baocao:request_review": Entry(
        row(LOGIN, *[NOT_ALLOWED] * 6),
        kwargs=lambda w, side, user: request_unit_of(w, side, user) | {"verdict": "accept"},
        # a unit that has not answered cannot be accepted: Sở Nội vụ is sent back with a message
        post=Post(
            row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, REDIRECT, FORBIDDEN), state=request_state
        ),
    ),
    "baocao:export_status": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"pk": export_of(w, side, user).pk},
    ),
    "baocao:export_download": Entry(
        row(LOGIN, FORBIDDEN, FORBIDDEN, OWN, OWN, OK, FORBIDDEN),
        kwargs=lambda w, side, user: {"pk": export_of(w, side, user).pk},
    ),
}


def expected(spec, side: str):
    """The status for one side from a matrix value (one status, or an (own, other) pair)."""
    if isinstance(spec, tuple):
        return spec[0] if side in ("own", "any") else spec[1]
    return spec
