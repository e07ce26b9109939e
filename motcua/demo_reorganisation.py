"""The demo's two reorganisations (issue 18), carried out through the operation itself
(motcua.services.reorganisation), so that a user sees what one does:

- Huyện Đông Sơn ended on 30/06/2025 with the district level; its open dossiers went by the
  applicant's commune to the three communes formed on 01/07/2025 (xã Đông Tiến takes those
  of the old xã Đông Hòa and xã Đông Ninh, xã Đông Quang those of xã Đông Yên, xã Đông Thịnh
  those without a commune recorded as the main successor, with the district's staff and
  archive);
- in 2026 phường Hạc Thành and phường Lam Sơn merged into phường Hạc Lam: dossiers received
  before the date (some finished, some still open, which moved) and after it (received by
  the new ward).

A few dozen dossiers, through the intake and transition services; idempotent (the first
decision present: nothing is added).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from thutuc.accounts.roles import Role
from thutuc.calendar_store import get_calendar
from thutuc.catalogue import places
from thutuc.catalogue.versions import not_receivable_reason
from thutuc.demo import DEMO_PASSWORD, seed_staff
from thutuc.models import (
    Agency,
    AgencyLevel,
    CentreKind,
    Procedure,
    ProcedureLevel,
    Reorganisation,
    StaffPolicy,
    SuccessionRule,
    SuccessorShare,
    User,
)

from .services import reorganisation, transitions
from .services.intake import Applicant, ReceivedDocument, dossier_receive

PROVINCE_CODE = "000.00.00.H99"
DISTRICT_DECISION = "1680/NQ-UBTVQH15"
DISTRICT_END = dt.date(2025, 7, 1)  # the first day without the district level
WARD_DECISION = "25/NQ-HĐND"

# (code or None, name, level, valid_from, valid_to)
DISTRICT = ("000.30.00.H99", "Ủy ban nhân dân huyện Đông Sơn", AgencyLevel.DISTRICT)
OLD_COMMUNES = ["Ủy ban nhân dân xã Đông Hòa", "Ủy ban nhân dân xã Đông Ninh", "Ủy ban nhân dân xã Đông Yên"]
NEW_COMMUNES = [
    ("000.31.23.H99", "Ủy ban nhân dân xã Đông Thịnh"),
    ("000.32.23.H99", "Ủy ban nhân dân xã Đông Tiến"),
    ("000.33.23.H99", "Ủy ban nhân dân xã Đông Quang"),
]
OLD_WARDS = [
    ("000.34.22.H99", "Ủy ban nhân dân phường Hạc Thành"),
    ("000.35.22.H99", "Ủy ban nhân dân phường Lam Sơn"),
]
NEW_WARD = ("000.36.22.H99", "Ủy ban nhân dân phường Hạc Lam")

NAMES = ["Lê Văn Hòa", "Trịnh Thị Ninh", "Mai Đức Yên", "Đào Thu Trang", "Phan Quốc Việt", "Vũ Thị Lan"]


def _ward_merger_date(today: dt.date) -> dt.date:
    """01/10/2026, or two weeks ago if the demo runs before that day (a decision is carried
    out on or after its effective date)."""
    return min(dt.date(2026, 10, 1), today - dt.timedelta(days=14))


def _agency(code, name, level=AgencyLevel.COMMUNE, **extra) -> Agency:
    province = Agency.objects.get(code=PROVINCE_CODE)
    agency, _ = Agency.objects.update_or_create(
        name=name, defaults={"code": code, "level": level, "parent": province, **extra}
    )
    return agency


def _staff(agency: Agency, slug: str) -> tuple[User, User]:
    made = []
    for role, prefix, title in (
        (Role.RECEPTION, "tiepnhan", "Công chức một cửa"),
        (Role.LEADER, "lanhdao", "Chủ tịch"),
    ):
        user, created = User.objects.get_or_create(
            username=f"{prefix}_{slug}",
            defaults={
                "full_name": f"{title} {agency.name.removeprefix('Ủy ban nhân dân ')}",
                "agency": agency,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            user.groups.set([Group.objects.get(name=str(role))])
        made.append(user)
    return made[0], made[1]


def _case():
    """A commune-level case every counter receives, with a stated time."""
    for procedure in Procedure.objects.filter(
        is_active=True, levels__contains=ProcedureLevel.COMMUNE
    ).order_by("code"):
        if not places.received_anywhere(procedure) or not places.is_received_by_level(procedure):
            continue
        for case in procedure.cases.order_by("pk"):
            if not not_receivable_reason(case):
                return case
    return None


def _dossier(case, agency, reception, leader, *, at, n, commune=None, finished=False, handed=True):
    moment = get_calendar(agency).next_working_moment(at)
    dossier, _pin = dossier_receive(
        procedure=case.procedure,
        case=case,
        agency=agency,
        actor=reception,
        applicant=Applicant(name=NAMES[n % len(NAMES)], phone=f"09120{n:05d}"),
        documents=[
            ReceivedDocument(name=d.name, originals=max(d.originals, 1), procedure_document_id=d.pk)
            for d in case.documents.all()
        ],
        received_at=moment,
        competent_agency=agency,
        applicant_commune=commune,
    )
    if handed or finished:
        dossier = transitions.dossier_transfer(
            dossier=dossier, actor=reception, unit=agency, now=moment + dt.timedelta(hours=1)
        )
    if finished:
        dossier = transitions.dossier_approve(
            dossier=dossier, actor=leader, now=moment + dt.timedelta(days=2)
        )
    return dossier


def seed(stdout=None) -> None:
    def say(text):
        if stdout is not None:
            stdout.write(text)

    if Reorganisation.objects.filter(decision_number=DISTRICT_DECISION).exists():
        say("Sắp xếp tổ chức mẫu đã có sẵn: không thêm gì.")
        return
    case = _case()
    if case is None or not Agency.objects.filter(code=PROVINCE_CODE).exists():
        say("Chưa có thủ tục cấp xã hoặc tỉnh mẫu: chưa tạo ví dụ sắp xếp tổ chức.")
        return
    today = timezone.localdate()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first() or User.objects.get(
        username="quantri"
    )

    # --- the district, split on 01/07/2025 by the applicant's commune ---
    district = _agency(*DISTRICT, centre_kind=CentreKind.NONE)
    old_communes = [
        _agency(None, name, valid_to=DISTRICT_END - dt.timedelta(days=1), is_active=False)
        for name in OLD_COMMUNES
    ]
    new_communes = [
        _agency(code, name, valid_from=DISTRICT_END, centre_kind=CentreKind.COMMUNE)
        for code, name in NEW_COMMUNES
    ]
    reception, leader = _staff(district, "dongson")
    for commune, slug in zip(new_communes, ("dongthinh", "dongtien", "dongquang"), strict=True):
        _staff(commune, slug)
    start = timezone.make_aware(dt.datetime(2025, 6, 2, 8, 30))
    for n in range(12):
        _dossier(
            case,
            district,
            reception,
            leader,
            at=start + dt.timedelta(days=n),
            n=n,
            commune=old_communes[n % 4] if n % 4 < 3 else None,  # not always recorded
            finished=n % 4 == 0,
            handed=n % 3 != 2,
        )
    split = Reorganisation.objects.create(
        decision_number=DISTRICT_DECISION,
        decision_date=dt.date(2025, 6, 16),
        effective_date=DISTRICT_END,
        predecessor=district,
        main_successor=new_communes[0],
        rule=SuccessionRule.BY_COMMUNE,
        note="Kết thúc hoạt động của chính quyền cấp huyện; sắp xếp đơn vị hành chính cấp xã.",
    )
    SuccessorShare.objects.create(reorganisation=split, successor=new_communes[1]).communes.set(
        old_communes[:2]
    )
    SuccessorShare.objects.create(reorganisation=split, successor=new_communes[2]).communes.set(
        old_communes[2:]
    )
    done = reorganisation.apply(reorganisation=split, actor=admin)
    say(f"Sắp xếp mẫu: {district.name} → {', '.join(f'{a.name} ({c})' for a, c in done.counts)}.")

    # --- two wards merged in 2026; dossiers on both sides of the date ---
    effective = _ward_merger_date(today)
    wards = [_agency(code, name, centre_kind=CentreKind.COMMUNE) for code, name in OLD_WARDS]
    merged = _agency(*NEW_WARD, valid_from=effective, centre_kind=CentreKind.COMMUNE)
    before = timezone.make_aware(dt.datetime.combine(effective - dt.timedelta(days=40), dt.time(8, 30)))
    for ward, slug in zip(wards, ("hacthanh", "lamson"), strict=True):
        ward_reception, ward_leader = _staff(ward, slug)
        for n in range(8):
            _dossier(
                case,
                ward,
                ward_reception,
                ward_leader,
                at=before + dt.timedelta(days=3 * n),
                n=n,
                finished=n % 3 == 0,
            )
        merger = Reorganisation.objects.create(
            decision_number=WARD_DECISION,
            decision_date=effective - dt.timedelta(days=20),
            effective_date=effective,
            predecessor=ward,
            main_successor=merged,
            staff_policy=StaffPolicy.MOVE,
        )
        done = reorganisation.apply(reorganisation=merger, actor=admin)
        say(f"Sắp xếp mẫu: {ward.name} → {merged.name} ({done.total} hồ sơ đang giải quyết).")
    # after the date the merged ward receives under its own name (its staff came from the wards)
    merged_reception = User.objects.get(username="tiepnhan_hacthanh")
    merged_leader = User.objects.get(username="lanhdao_hacthanh")
    after = timezone.make_aware(dt.datetime.combine(effective + dt.timedelta(days=2), dt.time(8, 30)))
    for n in range(4):
        moment = after + dt.timedelta(days=2 * n)
        if moment < timezone.now():
            finished = n == 0 and moment + dt.timedelta(days=3) < timezone.now()
            _dossier(case, merged, merged_reception, merged_leader, at=moment, n=n, finished=finished)
    # the new agencies' other officers (specialists), as every agency of the demo has them
    seed_staff()
