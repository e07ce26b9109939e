"""Fast, realistic seeding of the benchmark database.

~50 agencies, the demo catalogue, dossiers spread over three years in every status with
their history events. PostgreSQL gets COPY (hundreds of thousands of rows a second);
SQLite (small runs only) gets bulk_create. Seeding is incremental: asking for 1,000,000
after 100,000 adds the missing 900,000, continuing the daily code sequences and the
register numbers, so the larger scale contains the smaller one.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import secrets
from collections import defaultdict

from django.db import connection, transaction
from django.utils import timezone

from core.pins import hash_pin
from motcua.models import Dossier, DossierEvent, DossierSequence, EventAction, Outcome, Status
from motcua.models.dossier import applicant_search_text
from motcua.models.sequences import SequenceKind, YearlySequence
from thutuc.calendar import TZ
from thutuc.models import Agency, AgencyLevel, Procedure, ProcedureCase

BENCH_PIN = "BENCH2"
KNOWN_PIN_EVERY = 997  # every N-th dossier gets the known PIN (the lookup samples them)
AGENCY_COUNT = 50
YEARS = 3

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Quang", "Ngọc", "Đức"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hải",
    "Hương",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Tâm",
]


def ensure_reference_data(stdout=None) -> None:
    """The demo province and catalogue, plus generated communes up to ~50 agencies."""
    import importlib

    for app in ("thutuc",):
        importlib.import_module(f"{app}.demo").seed(stdout=None)
    existing = Agency.objects.exclude(code=None).count()
    province = Agency.objects.filter(level=AgencyLevel.PROVINCE).first()
    for i in range(existing, AGENCY_COUNT):
        Agency.objects.get_or_create(
            code=f"000.{30 + i // 100:02d}.{i % 100:02d}.H99",
            defaults={
                "name": f"Ủy ban nhân dân xã Thử Tải {i}",
                "level": AgencyLevel.COMMUNE,
                "parent": province,
            },
        )
    if not Procedure.objects.exists():
        from thutuc.models import Field

        field, _ = Field.objects.get_or_create(code="HT", defaults={"name": "Hộ tịch"})
        for i in range(30):
            procedure = Procedure.objects.create(
                code=f"1.{900000 + i:06d}",
                name=f"Thủ tục thử tải {i}",
                field=field,
                levels="commune",
                is_sample=True,
            )
            ProcedureCase.objects.create(
                procedure=procedure, processing_time=1 + i % 10, processing_unit="working_days"
            )


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write_rows(model, rows: list[dict]) -> None:
    """Insert rows (dicts by attname, pk included) with COPY or bulk_create."""
    if not rows:
        return
    fields = model._meta.concrete_fields
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write(
                "\t".join(
                    _copy_value(row[f.attname] if f.attname in row else f.get_default()) for f in fields
                )
            )
            buffer.write("\n")
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN", buffer
            )
    else:
        model.objects.bulk_create([model(**row) for row in rows], batch_size=500)


def _reset_sequence(model) -> None:
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
        )


def _plan_status(rng: random.Random, age_days: float) -> str:
    if age_days > 60:
        roll = rng.random()
        if roll < 0.80:
            return Status.RETURNED
        if roll < 0.86:
            return Status.RESULT_READY
        if roll < 0.89:
            return Status.WITHDRAWN
        if roll < 0.91:
            return Status.STOPPED
        if roll < 0.92:
            return Status.PROCESSING  # stragglers: long overdue, still open (1 %)
        return Status.RETURNED
    return rng.choice(
        [
            Status.RECEIVED,
            Status.PROCESSING,
            Status.PROCESSING,
            Status.PROCESSING,
            Status.WAITING_SUPPLEMENT,
            Status.WAITING_PAYMENT,
            Status.RESULT_READY,
            Status.RETURNED,
            Status.RETURNED,
        ]
    )


def sync_register_counters() -> None:
    """The register counters continue after the numbers in the table (intake uses them)."""
    from django.db.models import Max

    rows = (
        Dossier.objects.filter(register_number__lt=10**8)
        .values("receiving_agency_id", "register_year")
        .annotate(m=Max("register_number"))
    )
    with transaction.atomic():
        YearlySequence.objects.filter(kind=SequenceKind.REGISTER).delete()
        YearlySequence.objects.bulk_create(
            [
                YearlySequence(
                    agency_id=r["receiving_agency_id"],
                    year=r["register_year"],
                    kind=SequenceKind.REGISTER,
                    last_number=r["m"],
                )
                for r in rows
            ],
            batch_size=5000,
        )


def seed_dossiers(
    target: int, *, now: dt.datetime | None = None, chunk: int = 50_000, stdout=None, seed: int = 7
) -> int:
    """Add dossiers (with events) until there are `target`. Returns how many were added."""
    now = now or timezone.now()
    current = Dossier.objects.count()
    missing = target - current
    if missing <= 0:
        sync_register_counters()
        return 0
    rng = random.Random(seed + current)
    agencies = list(
        Agency.objects.exclude(code=None).filter(is_active=True).order_by("pk").values_list("pk", "code")
    )
    # a few large agencies (the one-stop centre first) receive most dossiers
    weights = [30 if i == 1 else (8 if i < 6 else 1) for i in range(len(agencies))]
    cases = list(
        ProcedureCase.objects.filter(processing_time__isnull=False, is_active=True)
        .select_related("procedure")
        .values_list("pk", "procedure_id", "processing_time", "procedure__competent_agency_id")
    )
    # the terms each dossier is received under (thutuc.catalogue.versions): one per case
    from thutuc.catalogue.versions import case_version_for

    versions = {
        case.pk: case_version_for(case=case).pk
        for case in ProcedureCase.objects.filter(pk__in=[c[0] for c in cases]).select_related("procedure")
    }
    units = defaultdict(list)
    for pk, parent in Agency.objects.filter(level=AgencyLevel.UNIT).values_list("pk", "parent_id"):
        units[parent].append(pk)
    sequences = {
        (a, d): n for a, d, n in DossierSequence.objects.values_list("agency_id", "day", "last_number")
    }
    register = defaultdict(int)
    if current:
        from django.db.models import Max

        for row in Dossier.objects.values("receiving_agency_id", "register_year").annotate(
            m=Max("register_number")
        ):
            register[(row["receiving_agency_id"], row["register_year"])] = row["m"]
    next_id = (Dossier.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    next_event_id = (DossierEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    span = dt.timedelta(days=365 * YEARS)
    start = now - span
    added = 0
    while added < missing:
        n = min(chunk, missing - added)
        # received moments sorted so that codes and register numbers increase with time
        moments = sorted(start + dt.timedelta(seconds=rng.random() * span.total_seconds()) for _ in range(n))
        dossiers, events = [], []
        for received_at in moments:
            received_at = received_at.astimezone(TZ).replace(microsecond=0)
            hour = 8 + rng.random() * 8.5
            received_at = received_at.replace(hour=int(hour), minute=int((hour % 1) * 60))
            if received_at.weekday() >= 5:
                received_at -= dt.timedelta(days=received_at.weekday() - 4)
            agency_id, agency_code = rng.choices(agencies, weights)[0]
            case_id, procedure_id, days, competent = rng.choice(cases)
            day = received_at.date()
            seq = sequences.get((agency_id, day), 0) + 1
            if seq > 9999:
                continue
            sequences[(agency_id, day)] = seq
            register[(agency_id, day.year)] += 1
            code = f"{agency_code}-{day:%y%m%d}-{seq:04d}"
            working_days = float(days or 1)
            due_at = received_at + dt.timedelta(days=working_days * 7 / 5)
            status = _plan_status(rng, (now - received_at).total_seconds() / 86400)
            finished_at = returned_at = None
            outcome = Outcome.NONE
            if status in (Status.RESULT_READY, Status.RETURNED, Status.WITHDRAWN, Status.STOPPED):
                # 70 % early, 15 % on the day, 15 % late
                roll = rng.random()
                if roll < 0.70:
                    finished_at = received_at + (due_at - received_at) * rng.uniform(0.2, 0.9)
                elif roll < 0.85:
                    finished_at = due_at.replace(hour=8, minute=30) if due_at.hour > 8 else due_at
                else:
                    finished_at = due_at + dt.timedelta(days=rng.uniform(1, 10))
                finished_at = min(finished_at, now)
                outcome = {Status.WITHDRAWN: Outcome.WITHDRAWN, Status.STOPPED: Outcome.STOPPED}.get(
                    status, Outcome.REFUSED if rng.random() < 0.04 else Outcome.APPROVED
                )
                if status == Status.RETURNED:
                    returned_at = min(finished_at + dt.timedelta(days=rng.uniform(0, 4)), now)
            unit = rng.choice(units.get(competent or agency_id) or [None])
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            pin_hash = hash_pin(code, BENCH_PIN) if next_id % KNOWN_PIN_EVERY == 0 else secrets.token_hex(32)
            dossiers.append(
                {
                    "id": next_id,
                    "code": code,
                    "procedure_id": procedure_id,
                    "case_id": case_id,
                    "case_version_id": versions[case_id],
                    "receiving_agency_id": agency_id,
                    "competent_agency_id": competent or agency_id,
                    "current_unit_id": unit,
                    "assignee_id": None,
                    "channel": rng.choices(["direct", "online", "postal"], [60, 35, 5])[0],
                    "applicant_name": name,
                    "applicant_search": applicant_search_text(name),
                    "applicant_id_number": f"0{rng.randrange(10**10, 10**11)}",
                    "applicant_phone": f"09{rng.randrange(10**7, 10**8)}",
                    "applicant_address": "Thôn Đông, xã Tân Phú",
                    "received_at": received_at,
                    "due_at": due_at,
                    "original_due_at": due_at,
                    "status": status,
                    "outcome": outcome,
                    "finished_at": finished_at,
                    "returned_at": returned_at,
                    "pin_hash": pin_hash,
                    "register_year": day.year,
                    "register_number": register[(agency_id, day.year)],
                    "created_at": received_at,
                    "updated_at": finished_at or received_at,
                }
            )
            history = [(received_at, EventAction.RECEIVE, "", Status.RECEIVED)]
            history.append(
                (
                    received_at + dt.timedelta(hours=2),
                    EventAction.TRANSFER,
                    Status.RECEIVED,
                    Status.PROCESSING,
                )
            )
            if finished_at:
                final = {Status.WITHDRAWN: EventAction.WITHDRAW, Status.STOPPED: EventAction.STOP}.get(
                    status, EventAction.APPROVE
                )
                history.append(
                    (
                        finished_at,
                        final,
                        Status.PROCESSING,
                        status if status != Status.RETURNED else Status.RESULT_READY,
                    )
                )
            if returned_at:
                history.append((returned_at, EventAction.RETURN_RESULT, Status.RESULT_READY, Status.RETURNED))
            for at, action, before, after in history:
                events.append(
                    {
                        "id": next_event_id,
                        "dossier_id": next_id,
                        "at": at,
                        "actor_id": None,
                        "action": action,
                        "status_before": before,
                        "status_after": after,
                        "unit_before_id": None,
                        "unit_after_id": unit,
                        "note": "",
                    }
                )
                next_event_id += 1
            next_id += 1
        with transaction.atomic():
            _write_rows(Dossier, dossiers)
            _write_rows(DossierEvent, events)
        added += len(dossiers)
        if stdout is not None:
            stdout.write(f"  … {current + added:,} hồ sơ")
    with transaction.atomic():
        DossierSequence.objects.all().delete()
        DossierSequence.objects.bulk_create(
            [DossierSequence(agency_id=a, day=d, last_number=n) for (a, d), n in sequences.items()],
            batch_size=5000,
        )
    sync_register_counters()
    _reset_sequence(Dossier)
    _reset_sequence(DossierEvent)
    if connection.vendor == "postgresql":
        # The steady state of a live database, which autovacuum keeps: statistics, and the
        # visibility map that lets counts and small lists be index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return added
