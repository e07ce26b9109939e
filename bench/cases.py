"""The measurements of `manage.py bench`. Each returns Figures; ratios are computed by
the command against the figure named in `floor`."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection
from django.test import Client
from django.utils import timezone

from .measure import Figure, count_queries, time_it

FLOOR = "1. sàn: view Django rỗng"
# A page cannot be cheaper than the base layout it extends: extra floors, printed beside the
# ratios to FLOOR (which stay the targets' reference).
BASE_FLOOR = "1b. sàn: trang tĩnh dùng cùng base.html"
BASE_FLOOR_STAFF = "1c. sàn: trang tĩnh base.html, đã đăng nhập"


def floor(*, samples: int) -> list[Figure]:
    client = Client()
    return [time_it(FLOOR, lambda: client.get("/__bench__/floor"), samples=samples)]


def base_floors(*, samples: int, leader) -> list[Figure]:
    """1b: a minimal template extending base.html, anonymous (the lookup's floor);
    1c: the same page for the worklist's leader (session, roles, header counts)."""
    anonymous, staff = Client(), Client()
    staff.force_login(leader)

    def one(client):
        response = client.get("/__bench__/base")
        assert response.status_code == 200

    return [
        time_it(BASE_FLOOR, lambda: one(anonymous), samples=samples),
        time_it(BASE_FLOOR_STAFF, lambda: one(staff), samples=samples),
    ]


def overdue_scan(*, samples: int) -> list[Figure]:
    """5. the alerts scan without sending (find_alerts), and a raw SQL count of the same rows."""
    from motcua.alerts.scan import find_alerts
    from motcua.models.dossier import CLOCK_RUNNING_STATUSES
    from thutuc.calendar_store import get_calendar

    now = timezone.now()
    limit = get_calendar().add_working_hours(now, 8)
    statuses = [str(s) for s in CLOCK_RUNNING_STATUSES]

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM motcua_dossier WHERE status IN (%s, %s, %s) AND due_at <= %s",
                [*statuses, limit],
            )
            return cursor.fetchone()[0]

    def raw_fetch():
        # the fairer floor of a full scan: fetch the same rows and columns (with the apology
        # flag) as tuples, in raw SQL
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id, d.code, d.due_at, d.step_due_at, d.current_step_id, d.assignee_id,"
                " d.current_unit_id, d.competent_agency_id, d.receiving_agency_id, p.name,"
                " EXISTS (SELECT 1 FROM motcua_apology a WHERE a.dossier_id = d.id)"
                " FROM motcua_dossier d JOIN thutuc_procedure p ON p.id = d.procedure_id"
                " WHERE d.status IN (%s, %s, %s) AND d.due_at <= %s",
                [*statuses, limit],
            )
            return cursor.fetchall()

    floor_name = "5b. sàn: đếm SQL quá hạn/sắp đến hạn"
    fetch_name = "5c. sàn: đọc SQL các dòng đó"
    scan_samples = max(20, samples // 10)
    figures = [
        time_it(floor_name, raw, samples=scan_samples, warmup=3),
        time_it(fetch_name, raw_fetch, samples=scan_samples, warmup=3),
        time_it(
            "5. quét cảnh báo (không gửi)",
            lambda: find_alerts(now=now),
            samples=scan_samples,
            warmup=3,
            floor=floor_name,
        ),
    ]
    scan = figures[2]
    scan.queries = count_queries(lambda: find_alerts(now=now))
    scan.extra["rows"] = raw()
    fetch_ratio = scan.p95_ms / figures[1].p95_ms
    scan.extra["ratio_p95_to_fetch_floor"] = round(fetch_ratio, 2)
    scan.note = f"(so với 5c: {fetch_ratio:.2f}×)"
    return figures


INCREMENTAL_STEP_MINUTES = 15  # the beat interval (ALERT_SCAN_INTERVAL_MINUTES)


def incremental_scan(*, samples: int) -> list[Figure]:
    """5d. the scan as beat runs it: a full scan first (it records every alert), then each
    sample is an incremental scan 15 minutes after the previous one (reads, records the new
    alerts, resolves stale ones, moves the watermark), compared with the count floor 5b.

    As in production, the e-mails and SMS of new alerts are handed to the broker after
    commit (an in-memory one here) and a worker sends them: until issue 21 the bench ran
    Celery eagerly, which sent every message inside the scan."""
    from motcua.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        return _incremental_scan(samples=samples)
    finally:
        app.conf.task_always_eager = eager


def _incremental_scan(*, samples: int) -> list[Figure]:
    from motcua.alerts.scan import scan_deadlines
    from motcua.models import AlertScanState

    # A previous scale's samples moved the watermark hours into the (simulated) future; the
    # scan treats an earlier `now` as time going back and scans in full: start afresh.
    AlertScanState.objects.all().delete()
    start = timezone.now()
    full_started = time.perf_counter()
    scan_deadlines(now=start, full=True)  # the previous run
    full_ms = (time.perf_counter() - full_started) * 1000
    state = {"i": 0, "rows": [], "created": 0}

    def one():
        state["i"] += 1
        moment = start + dt.timedelta(minutes=INCREMENTAL_STEP_MINUTES * state["i"])
        result = scan_deadlines(now=moment, full=False)
        state["rows"].append(result.dossiers)
        state["created"] += result.created

    figure = time_it(
        "5d. quét tăng dần (sau lần quét trước)",
        one,
        samples=max(20, samples // 10),
        warmup=3,
        floor="5b. sàn: đếm SQL quá hạn/sắp đến hạn",
    )
    figure.queries = count_queries(one)
    figure.extra["rows_read_max"] = max(state["rows"])
    figure.extra["rows_read_mean"] = round(sum(state["rows"]) / len(state["rows"]), 1)
    figure.extra["alerts_created"] = state["created"]
    figure.extra["previous_full_scan_ms"] = round(full_ms, 1)
    figure.note = f"(đọc ≤ {max(state['rows'])} hồ sơ/lần; quét đầy đủ trước đó {full_ms:,.0f} ms)"
    return [figure]


def raw_insert_rate(*, rows: int = 1000) -> Figure:
    """6b. plain INSERTs of dossier rows (the floor of intake), in rows per second."""
    from motcua.models import Dossier

    Dossier.objects.filter(register_number__gte=10**8).delete()  # leftovers of an interrupted run
    template = Dossier.objects.order_by("-pk").first()
    values = {
        f.attname: getattr(template, f.attname) for f in Dossier._meta.concrete_fields if f.attname != "id"
    }
    from django.db import transaction

    start_ns = time.time_ns() % 10**9
    start = time.perf_counter()

    created = []
    for i in range(rows):
        with transaction.atomic():
            row = Dossier(**{**values, "code": f"BR-{start_ns}-{i}", "register_number": 10**8 + i})
            row.save(force_insert=True)
            created.append(row.pk)
    elapsed = time.perf_counter() - start
    Dossier.objects.filter(register_number__gte=10**8).delete()
    return Figure(name="6b. sàn: INSERT thô", rate_per_s=rows / elapsed, samples=rows)


def now_local() -> dt.datetime:
    return timezone.localtime()


def _user(username: str):
    from thutuc.models import User

    return User.objects.get(username=username)


def lookup(*, samples: int) -> list[Figure]:
    """2. the citizen's lookup by code + PIN (the QR link), sampled over known-PIN dossiers."""
    from core import pins
    from motcua.models import Dossier

    from .seed import BENCH_PIN, KNOWN_PIN_EVERY

    # Only seeded rows carry the bench PIN: dossiers received by an earlier run's intake
    # measurement have random PINs (a failed lookup is cheaper, and ten of them lock out).
    codes = [
        code
        for code, pin_hash in Dossier.objects.filter(
            pk__in=[i * KNOWN_PIN_EVERY for i in range(1, 400)]
        ).values_list("code", "pin_hash")
        if pins.check_pin(code, BENCH_PIN, pin_hash)
    ]
    client = Client(REMOTE_ADDR="10.9.8.7")
    state = {"i": 0}

    def one():
        code = codes[state["i"] % len(codes)]
        state["i"] += 1
        # the receipt's QR link posts the code + PIN (the PIN rides in the fragment, never a query)
        response = client.post("/tra-cuu/", {"ma": code, "pin": BENCH_PIN})
        # the dossier itself, not the form prefilled with its code after a failure
        assert response.status_code == 200 and b'id="dossier-heading"' in response.content, (
            response.status_code
        )

    figure = time_it("2. tra cứu hồ sơ (mã + mã tra cứu)", one, samples=samples, floor=FLOOR)
    figure.queries = count_queries(one)
    figure.extra["base_floor"] = BASE_FLOOR
    return [figure]


def busiest_leader():
    """The leader of the agency with the most dossiers in its units."""
    from django.db.models import Count

    from motcua.models import Dossier
    from thutuc.accounts.roles import Role
    from thutuc.models import User

    busiest = (
        Dossier.objects.filter(current_unit__isnull=False)
        .values("current_unit__parent_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    leader = (
        User.objects.filter(groups__name=Role.LEADER, agency_id=busiest["current_unit__parent_id"]).first()
        if busiest
        else None
    ) or _user("lanhdao")
    return leader


def worklist(*, samples: int, leader=None) -> list[Figure]:
    """3. a leader's unit worklist, overdue filter, first page, for the largest unit."""
    leader = leader or busiest_leader()
    client = Client()
    client.force_login(leader)

    def one():
        response = client.get("/mot-cua/", {"ds": "don-vi", "loc": "qua-han"})
        assert response.status_code == 200

    figure = time_it("3. danh sách công việc (quá hạn, trang 1)", one, samples=samples, floor=FLOOR)
    figure.queries = count_queries(one)
    figure.extra["leader"] = leader.username
    figure.extra["base_floor"] = BASE_FLOOR_STAFF
    return [figure]


II06A_SQL = """
SELECT
  COUNT(*) FILTER (WHERE total),
  COUNT(*) FILTER (WHERE total AND received_at >= %(start)s AND channel = 'online'),
  COUNT(*) FILTER (WHERE total AND received_at >= %(start)s AND channel <> 'online'),
  COUNT(*) FILTER (WHERE total AND received_at < %(start)s),
  COUNT(*) FILTER (WHERE resolved),
  COUNT(*) FILTER (WHERE resolved AND dated AND finish_day < due_day),
  COUNT(*) FILTER (WHERE resolved AND (NOT dated OR finish_day = due_day)),
  COUNT(*) FILTER (WHERE resolved AND dated AND finish_day > due_day),
  COUNT(*) FILTER (WHERE total AND (finished_at IS NULL OR finished_at >= %(end)s)),
  COUNT(*) FILTER (WHERE total AND (finished_at IS NULL OR finished_at >= %(end)s)
                   AND (status = 'supplement' OR due_day >= %(end_day)s)),
  COUNT(*) FILTER (WHERE total AND (finished_at IS NULL OR finished_at >= %(end)s)
                   AND status <> 'supplement' AND due_day < %(end_day)s)
FROM (
  SELECT d.*, (d.received_at < %(end)s AND (d.finished_at IS NULL OR d.finished_at >= %(start)s)
               AND d.status NOT IN ('submitted', 'not_accepted')) AS total,
         (d.finished_at < %(end)s
          AND d.status IN ('result_ready', 'returned', 'withdrawn', 'stopped')) AS resolved,
         d.status NOT IN ('withdrawn', 'stopped') AS dated,
         (d.finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS finish_day,
         (d.original_due_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS due_day
  FROM motcua_dossier d
  WHERE d.received_at < %(end)s AND (d.finished_at IS NULL OR d.finished_at >= %(start)s)
) AS q
"""


# The same aggregate with the table's rows: one per field (the table groups by field, so
# its floor does too — the province totals alone, 4c, are less work than the table).
II06A_SQL_BY_FIELD = (
    II06A_SQL.replace(
        "SELECT\n  COUNT(*) FILTER (WHERE total),", "SELECT\n  field_id, COUNT(*) FILTER (WHERE total),", 1
    )
    .replace("SELECT d.*,", "SELECT d.*, p.field_id,", 1)
    .replace(
        "FROM motcua_dossier d\n  WHERE",
        "FROM motcua_dossier d JOIN thutuc_procedure p ON p.id = d.procedure_id\n  WHERE",
        1,
    )
    .rstrip()
    + "\nGROUP BY field_id\n"
)


def ii06a(*, samples: int) -> list[Figure]:
    """4. the II.06a quarter table for the whole province, and one hand-written SQL aggregate."""
    from baocao import ii06a as table
    from baocao.periods import quarter_of, quarter_period

    period = quarter_period(*quarter_of(timezone.localdate()))
    scope = table.Scope(agency_ids=None)
    start, end = period.bounds()
    figures = []
    floor_name = "4b. sàn: một câu SQL tổng hợp II.06a theo lĩnh vực"
    params = {"start": start, "end": end, "end_day": period.end}
    if connection.vendor == "postgresql":

        def raw_by_field():
            with connection.cursor() as cursor:
                cursor.execute(II06A_SQL_BY_FIELD, params)
                return cursor.fetchall()

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(II06A_SQL, params)
                return cursor.fetchone()

        figures.append(time_it(floor_name, raw_by_field, samples=max(20, samples // 4), warmup=3))
        figures.append(
            time_it(
                "4c. SQL tổng hợp II.06a, chỉ tổng toàn tỉnh", raw, samples=max(20, samples // 4), warmup=3
            )
        )
    result = table.compute(scope, period, grouping="field")
    figure = time_it(
        "4. biểu II.06a toàn tỉnh (theo lĩnh vực)",
        lambda: table.compute(scope, period, grouping="field"),
        samples=max(20, samples // 4),
        warmup=3,
        floor=floor_name if figures else None,
    )
    figure.queries = count_queries(lambda: table.compute(scope, period, grouping="field"))
    figure.extra["total_col3"] = result.total.counts[3]
    if figures:
        raw_total = raw()[0]
        by_field_total = sum(row[1] for row in raw_by_field())
        if by_field_total != raw_total:
            figure.note = f"(4b lệch 4c: {by_field_total} ≠ {raw_total})"
        figure.extra["sql_floor_col3"] = raw_total
        if raw_total != result.total.counts[3]:
            figure.note = f"(cột 3 lệch: ORM {result.total.counts[3]} ≠ SQL {raw_total})"
    return [*figures, figure]


INTAKE = "6. tiếp nhận qua dịch vụ thật"
INTAKE_EAGER = "6c. tiếp nhận, gửi tin ngay trong tiến trình (Celery eager)"


def intake_rate(*, dossiers: int = 1000, deliver_now: bool = False) -> Figure:
    """6. intake through the real service (code, deadline, register, events, notification).

    As in production, the applicant's SMS/e-mail is recorded and handed to Celery after
    commit (here an in-memory broker: nobody consumes it); a worker sends it. With
    `deliver_now` (6c, how the first runs measured it) the task runs eagerly inside the
    loop: one more transaction per dossier that the officer does not wait for."""
    from motcua.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = deliver_now
    try:
        return _intake_rate(dossiers=dossiers, name=INTAKE_EAGER if deliver_now else INTAKE)
    finally:
        app.conf.task_always_eager = eager


def _intake_rate(*, dossiers: int, name: str) -> Figure:
    from motcua.models import Dossier
    from motcua.services.intake import Applicant, ReceivedDocument, dossier_receive
    from thutuc.models import Agency, ProcedureCase

    officer = _user("tiepnhan")
    agency = Agency.objects.get(pk=officer.agency_id)
    cases = list(ProcedureCase.objects.select_related("procedure").prefetch_related("documents")[:20])
    papers = {
        c.pk: [
            ReceivedDocument(name=d.name, originals=d.originals, procedure_document_id=d.pk)
            for d in c.documents.all()
        ]
        for c in cases
    }
    start = time.perf_counter()
    created = []
    for i in range(dossiers):
        case = cases[i % len(cases)]
        dossier, _pin = dossier_receive(
            procedure=case.procedure,
            case=case,
            agency=agency,
            actor=officer,
            applicant=Applicant(name="Trần Thị Bích", phone="0912345678", id_number="001234567890"),
            documents=papers[case.pk],
        )
        created.append(dossier.pk)
    elapsed = time.perf_counter() - start
    figure = Figure(name=name, rate_per_s=dossiers / elapsed, samples=dossiers)
    figure.extra["dossiers"] = len(created)
    # the rows stay: they are realistic, and the next scale tops up around them
    assert Dossier.objects.filter(pk__in=created).count() == dossiers
    return figure


def receipt_pdf(*, samples: int) -> list[Figure]:
    """7. warm render of the form 01 receipt (view + WeasyPrint)."""
    from motcua.models import Dossier

    officer = _user("tiepnhan")
    dossier = Dossier.objects.filter(receiving_agency_id=officer.agency_id).order_by("-pk").first()
    client = Client()
    client.force_login(officer)
    url = f"/mot-cua/ho-so/{dossier.code}/giay-tiep-nhan.pdf"

    def one():
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"

    return [time_it("7. in giấy tiếp nhận (Mẫu 01, PDF)", one, samples=max(20, samples // 4), warmup=3)]


REGISTER_PDF = "7b. sổ theo dõi 1.000 dòng (PDF A4 ngang)"


def register_pdf(*, rows: int = 1000) -> list[Figure]:
    """7b. the register book as PDF for the busiest counter, filtered by dates to `rows` rows
    (the view refuses more than its limit): the time of one whole request, three times."""
    from django.db.models import Count

    from motcua.models import Dossier

    officer = _user("tiepnhan")
    busiest = (
        Dossier.objects.filter(receiving_agency_id=officer.agency_id)
        .values("register_year")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if not busiest or busiest["n"] < rows:
        return [Figure(name=REGISTER_PDF, note=f"không chạy: sổ có ít hơn {rows:,} dòng")]
    received = list(
        Dossier.objects.filter(receiving_agency_id=officer.agency_id, register_year=busiest["register_year"])
        .order_by("received_at")
        .values_list("received_at", flat=True)[:rows]
    )
    first = timezone.localtime(received[0]).date()
    last = timezone.localtime(received[-1]).date()
    client = Client()
    client.force_login(officer)
    query = {
        "co_quan": officer.agency_id,
        "nam": busiest["register_year"],
        "tu_ngay": first.isoformat(),  # as the browser's date input sends it
        "den_ngay": last.isoformat(),
    }
    count = Dossier.objects.filter(
        receiving_agency_id=officer.agency_id,
        register_year=busiest["register_year"],
        received_at__date__range=(first, last),
    ).count()

    def one():
        response = client.get("/mot-cua/so-theo-doi/so-theo-doi.pdf", query)
        assert response.status_code == 200, response.status_code
        assert response["Content-Type"] == "application/pdf"

    figure = time_it(REGISTER_PDF, one, samples=3, warmup=1)
    figure.extra["rows"] = count
    figure.note = f"({count:,} dòng)"
    return [figure]


# --- 8–10. the staff search box ------------------------------------------------------------------

SEARCH_NAME = "8. tìm hồ sơ theo họ tên (Sở Nội vụ, toàn tỉnh)"
SEARCH_NAME_COUNTER = "8a. tìm hồ sơ theo họ tên (cán bộ một cửa)"
SEARCH_NAME_FLOOR = "8b. sàn: chỉ mục họ tên, chỉ đọc chỉ mục (SQL)"
SEARCH_WORDS = "8c. tìm theo tên đệm và tên, không gõ họ"
SEARCH_WORDS_FLOOR = "8d. sàn: chỉ mục trigram (SQL)"
SEARCH_PHONE = "9. tìm hồ sơ theo số điện thoại"
SEARCH_PHONE_FLOOR = "9b. sàn: chỉ mục số điện thoại, chỉ đọc chỉ mục (SQL)"
SEARCH_TAIL = "10. tìm hồ sơ theo đuôi mã (cán bộ một cửa)"
SEARCH_TAIL_FLOOR = "10b. sàn: chỉ mục mã hồ sơ, chỉ đọc chỉ mục (SQL)"


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


def _cycling(values):
    state = {"i": 0}

    def following():
        value = values[state["i"] % len(values)]
        state["i"] += 1
        return value

    return following


def staff_search(*, samples: int) -> list[Figure]:
    """8–10. the staff search box (`/mot-cua/tim-kiem/?q=`), each page beside its floor: the
    bare index read in raw SQL, without page, scope or sort —
    8b. the candidates of a name typed from its start (id and date, LIMIT cap + 1), an
        index-only range of the covering prefix index: the search's own first query;
    8d. a word inside the names ("van an": no family name), the trigram index;
    9b. a phone (its 0…/+84… forms), an index-only count;
    10b. the codes a tail stands for ("260302-0001": one per agency), an index-only count.

    Names are the seed's full names without diacritics ("nguyen van an": ~0.07 % of the
    dossiers each), phones and code tails those of random seeded dossiers. Sở Nội vụ searches
    the whole province (no scope: the most rows); 8a and 10 are the one-stop centre's officer
    (his scope is added; a tail of his counter opens the dossier at once: 302)."""
    import random

    from core.text import fold
    from motcua.models import Dossier
    from motcua.search import CANDIDATES_CAP, _tail_codes, classify, phone_variants

    from .seed import FAMILY, GIVEN, MIDDLE

    rng = random.Random(13)
    names = [fold(f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}") for _ in range(64)]
    words = [name.split(" ", 1)[1] for name in names]  # "van an"
    top = (
        Dossier.objects.filter(register_number__lt=10**8).order_by("-pk").values_list("pk", flat=True).first()
    )
    picked = list(
        Dossier.objects.filter(pk__in=[rng.randint(1, top) for _ in range(200)]).values_list(
            "code", "applicant_phone"
        )
    )
    phones = [phone for _code, phone in picked if phone][:64]
    tails = [code.split("-", 1)[1] for code, _phone in picked][:64]
    table = Dossier._meta.db_table
    province, counter = Client(), Client()
    province.force_login(_user("sonoivu"))
    counter.force_login(_user("tiepnhan"))

    def page(client, values, expect=(200,)):
        following = _cycling(values)

        def one():
            response = client.get("/mot-cua/tim-kiem/", {"q": following()})
            assert response.status_code in expect, response.status_code

        return one

    def sql(statement, values):
        """`statement(value)` -> (SQL, parameters), run for each value in turn."""
        following = _cycling(values)

        def one():
            with connection.cursor() as cursor:
                cursor.execute(*statement(following()))
                return cursor.fetchall()

        return one

    name_floor = sql(
        lambda name: (
            f"SELECT id, received_at FROM {table} WHERE applicant_search LIKE %s LIMIT {CANDIDATES_CAP + 1}",
            [f" {name}%"],
        ),
        names,
    )
    words_floor = sql(
        lambda words_: (f"SELECT id FROM {table} WHERE applicant_search LIKE %s", [f"% {words_}%"]), words
    )
    phone_floor = sql(
        lambda variants: (
            f"SELECT COUNT(*) FROM {table} WHERE applicant_phone IN ({_in(variants)})",
            variants,
        ),
        [phone_variants(phone) for phone in phones],
    )
    tail_codes = [_tail_codes(classify(tail)[1]) for tail in tails]
    tail_floor = sql(
        lambda codes: (f"SELECT COUNT(*) FROM {table} WHERE code IN ({_in(codes)})", codes), tail_codes
    )
    cases = [
        # (name, what is timed, floor, the same once more for the query count)
        (SEARCH_NAME_FLOOR, name_floor, None),
        (SEARCH_NAME, page(province, names), SEARCH_NAME_FLOOR),
        (SEARCH_NAME_COUNTER, page(counter, names), SEARCH_NAME_FLOOR),
        (SEARCH_WORDS_FLOOR, words_floor, None),
        (SEARCH_WORDS, page(province, words), SEARCH_WORDS_FLOOR),
        (SEARCH_PHONE_FLOOR, phone_floor, None),
        (SEARCH_PHONE, page(province, phones), SEARCH_PHONE_FLOOR),
        (SEARCH_TAIL_FLOOR, tail_floor, None),
        (SEARCH_TAIL, page(counter, tails, expect=(200, 302)), SEARCH_TAIL_FLOOR),
    ]
    figures = []
    for name, one, floor_name in cases:
        figure = time_it(name, one, samples=samples, warmup=5, floor=floor_name)
        if floor_name is not None:
            figure.queries = count_queries(one)
            figure.extra["base_floor"] = BASE_FLOOR_STAFF  # a logged-in page's own cost
        figures.append(figure)
    by_name = {f.name: f for f in figures}
    for floor_name, one, label in (
        (SEARCH_NAME_FLOOR, name_floor, "tên"),
        (SEARCH_WORDS_FLOOR, words_floor, "lần"),
    ):
        found = [len(one()) for _ in range(len(names))]
        mean = sum(found) / len(found)
        by_name[floor_name].extra["matches_mean"] = round(mean, 1)
        by_name[floor_name].note = f"(trung bình {mean:,.0f} hồ sơ khớp mỗi {label})"
    by_name[SEARCH_TAIL_FLOOR].extra["codes_per_tail"] = len(tail_codes[0]) if tail_codes else 0
    return figures


# --- 11. the online inbox ---------------------------------------------------------------------------

ONLINE_INBOX = "11. hộp hồ sơ trực tuyến (cán bộ một cửa, trang 25 hồ sơ chờ)"
ONLINE_SCAN = "11b. quét hạn hồ sơ trực tuyến (cảnh báo 02 giờ, 08 giờ làm việc)"
ONLINE_WAITING = 300


def _waiting_online_filings(officer) -> int:
    """ONLINE_WAITING filings waiting at the officer's counter (added once to the bench data,
    written as the national portal would: recorded, not yet alerted)."""
    from motcua.models import OnlineSource, OnlineSubmission, Status
    from thutuc import deadlines as rules
    from thutuc.calendar_store import get_calendar
    from thutuc.models import ProcedureCase

    waiting = OnlineSubmission.objects.filter(agency_id=officer.agency_id, status=Status.SUBMITTED_ONLINE)
    missing = ONLINE_WAITING - waiting.count()
    if missing > 0:
        case = ProcedureCase.objects.select_related("procedure").order_by("pk").first()
        calendar = get_calendar(officer.agency)
        now = timezone.now()
        rows = []
        for number in range(missing):
            filed = now - dt.timedelta(minutes=7 * number)
            rows.append(
                OnlineSubmission(
                    agency_id=officer.agency_id,
                    procedure=case.procedure,
                    case=case,
                    national_portal_code=f"BENCH-{now:%y%m%d%H%M%S}-{number:05d}",
                    source=OnlineSource.PORTAL,
                    applicant_name=f"Người nộp trực tuyến {number}",
                    submitted_at=filed,
                    arrived_at=filed,
                    alert_due_at=rules.online_alert_due_at(filed),
                    decision_due_at=rules.online_decision_due_at(calendar, filed),
                    alerted_at=filed,
                )
            )
        OnlineSubmission.objects.bulk_create(rows, batch_size=500)
    return waiting.count()


def online_inbox(*, samples: int) -> list[Figure]:
    """11. the online inbox page of a counter with ONLINE_WAITING filings (NĐ 118/2025/NĐ-CP
    Điều 17 khoản 2), and 11b. the scan that alerts them (due soon / overdue, idempotent)."""
    from motcua.alerts.online import scan_online_inbox

    officer = _user("tiepnhan")
    waiting = _waiting_online_filings(officer)
    client = Client()
    client.force_login(officer)

    def one():
        response = client.get("/mot-cua/truc-tuyen/")
        assert response.status_code == 200

    page = time_it(ONLINE_INBOX, one, samples=samples, floor=BASE_FLOOR_STAFF)
    page.queries = count_queries(one)
    page.note = f"({waiting} hồ sơ chờ kiểm tra)"
    scan = time_it(ONLINE_SCAN, scan_online_inbox, samples=max(10, samples // 10), warmup=2)
    scan.queries = count_queries(scan_online_inbox)
    return [page, scan]


PUBLIC_COLD = "13. trang công khai /cong-khai/, lần đầu (chưa có cache)"
PUBLIC_CACHED = "13b. trang công khai /cong-khai/, đã có cache"


def public_dashboard(*, samples: int) -> list[Figure]:
    """13. the public dashboard of the month now running (issue 20): cold (its month's cached
    figures and page fragment deleted before each request: every agency's index computed) and
    cached (what a crowd of visitors gets)."""
    from baocao import views_public

    today = timezone.localdate()
    url = f"/cong-khai/?month={today.month}&year={today.year}"
    client = Client()

    def cold():
        views_public.forget(today.year, today.month)
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def cached():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    first = time_it(PUBLIC_COLD, cold, samples=max(5, samples // 20), warmup=1, floor=BASE_FLOOR)
    first.queries = count_queries(cold)
    cached()
    warm = time_it(PUBLIC_CACHED, cached, samples=samples, floor=BASE_FLOOR)
    warm.queries = count_queries(cached)
    return [first, warm]


ONLINE_FILING = "11c. công dân nộp hồ sơ trực tuyến (bản nháp → hộp hồ sơ trực tuyến, báo cán bộ)"


def online_filing_rate(*, filings: int) -> Figure:
    """11c. citizens' submissions through the real service (motcua.services.filing): lock the
    draft, check its papers, record the online submission, alert the counter (Điều 17 khoản
    2). The drafts and their paper rows are prepared before the clock starts; the files
    themselves are not written (the submit never reads them). Messages are handed to Celery
    after commit, as in production (an in-memory broker here)."""
    from motcua.celery import app
    from motcua.citizen.identity import CitizenIdentity
    from motcua.models import PaperFile, PaperPurpose
    from motcua.services.filing import filing_start, filing_submit, slots
    from thutuc.models import Agency, DocumentKind, OnlineLevel, ProcedureCase

    officer = _user("tiepnhan")
    agency = Agency.objects.get(pk=officer.agency_id)
    case = ProcedureCase.objects.select_related("procedure").order_by("pk").first()
    type(case.procedure).objects.filter(pk=case.procedure_id).update(online_level=OnlineLevel.FULL)
    case.procedure.online_level = OnlineLevel.FULL
    drafts = []
    for number in range(filings):
        who = CitizenIdentity(provider="otp", phone=f"09{number % 10**8:08d}")
        draft = filing_start(identity=who, procedure=case.procedure, case=case, agency=agency)
        draft.applicant_name = f"Người nộp trực tuyến {number}"
        draft.applicant_phone = who.phone
        draft.save(update_fields=["applicant_name", "applicant_phone"])
        PaperFile.objects.bulk_create(
            PaperFile(
                file=f"giay-to/bench/{draft.pk}-{slot.pk}.pdf",
                original_name="to-khai.pdf",
                content_type="application/pdf",
                size=1000,
                sha256="0" * 64,
                name=slot.name,
                procedure_document_id=slot.pk,
                purpose=PaperPurpose.FILED_ONLINE,
                filing=draft,
                owner_phone=who.phone,
            )
            for slot in slots(draft)
            if slot.kind == DocumentKind.FILE
        )
        drafts.append((draft, who))
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        start = time.perf_counter()
        for draft, who in drafts:
            filing_submit(filing=draft, identity=who)
        elapsed = time.perf_counter() - start
    finally:
        app.conf.task_always_eager = eager
    figure = Figure(name=ONLINE_FILING, rate_per_s=filings / elapsed if elapsed else None, samples=filings)
    figure.note = f"({filings} hồ sơ)"
    return figure


def run_all(*, samples: int, intake: int = 1000, catalogue: int = 2600) -> list[Figure]:
    leader = busiest_leader()
    figures = floor(samples=samples)
    figures += base_floors(samples=samples, leader=leader)
    figures += lookup(samples=samples)
    figures += worklist(samples=samples, leader=leader)
    figures += ii06a(samples=samples)
    figures += overdue_scan(samples=samples)
    figures += incremental_scan(samples=samples)
    figures += staff_search(samples=samples)
    figures.append(intake_rate(dossiers=intake))
    figures.append(intake_rate(dossiers=intake, deliver_now=True))
    figures.append(raw_insert_rate(rows=intake))
    figures += receipt_pdf(samples=samples)
    figures += register_pdf()
    figures += online_inbox(samples=samples)
    figures += public_dashboard(samples=samples)
    figures.append(online_filing_rate(filings=max(10, intake // 5)))
    if catalogue:
        from .catalogue import catalogue as real_catalogue

        figures += real_catalogue(samples=samples, procedures=catalogue)
    return figures
