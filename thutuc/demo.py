"""Sample data for demonstrations: a believable province after the 2025 two-tier reform.

Everything here is SAMPLE data (the province and its identifiers are invented, in the
official format). `seed(stdout)` is idempotent: it updates rows found by their codes.
"""

from django.contrib.auth.models import Group

from .accounts.roles import Role
from .models import Agency, AgencyLevel, User

DEMO_PASSWORD = "motcua@2026"

# (code, name, level, parent code, address, phone, hotline, email, is_home_affairs)
AGENCIES = [
    (
        "000.00.00.H99",
        "Ủy ban nhân dân tỉnh Minh Sơn",
        AgencyLevel.PROVINCE,
        None,
        "Số 1 đường Lê Lợi, phường Trung Sơn, tỉnh Minh Sơn",
        "0237 3852 001",
        "",
        "ubnd@minhson.gov.vn",
        False,
    ),
    (
        "000.00.06.H99",
        "Trung tâm Phục vụ hành chính công tỉnh Minh Sơn",
        AgencyLevel.ONE_STOP_CENTRE,
        "000.00.00.H99",
        "Số 28 đại lộ Lê Lợi, phường Trung Sơn, tỉnh Minh Sơn",
        "0237 3852 006",
        "1900 8286",
        "hcc@minhson.gov.vn",
        False,
    ),
    (
        "000.00.04.H99",
        "Sở Nội vụ tỉnh Minh Sơn",
        AgencyLevel.DEPARTMENT,
        "000.00.00.H99",
        "Số 10 đường Hạc Thành, phường Trung Sơn, tỉnh Minh Sơn",
        "0237 3852 004",
        "0237 3852 444",
        "sonv@minhson.gov.vn",
        True,
    ),
    (
        "000.00.11.H99",
        "Sở Tư pháp tỉnh Minh Sơn",
        AgencyLevel.DEPARTMENT,
        "000.00.00.H99",
        "Số 12 đường Hạc Thành, phường Trung Sơn, tỉnh Minh Sơn",
        "0237 3852 011",
        "0237 3852 111",
        "stp@minhson.gov.vn",
        False,
    ),
    (
        "000.00.20.H99",
        "Sở Nông nghiệp và Môi trường tỉnh Minh Sơn",
        AgencyLevel.DEPARTMENT,
        "000.00.00.H99",
        "Số 45 đường Trần Phú, phường Bắc Sơn, tỉnh Minh Sơn",
        "0237 3852 020",
        "0237 3852 220",
        "snnmt@minhson.gov.vn",
        False,
    ),
    (
        "000.17.22.H99",
        "Ủy ban nhân dân phường Trung Sơn",
        AgencyLevel.COMMUNE,
        "000.00.00.H99",
        "Số 5 phố Nguyễn Trãi, phường Trung Sơn, tỉnh Minh Sơn",
        "0237 3750 221",
        "0237 3750 222",
        "trungson@minhson.gov.vn",
        False,
    ),
    (
        "000.18.22.H99",
        "Ủy ban nhân dân phường Bắc Sơn",
        AgencyLevel.COMMUNE,
        "000.00.00.H99",
        "Số 80 đường Bà Triệu, phường Bắc Sơn, tỉnh Minh Sơn",
        "0237 3751 331",
        "0237 3751 332",
        "bacson@minhson.gov.vn",
        False,
    ),
    (
        "000.19.23.H99",
        "Ủy ban nhân dân xã Tân Phú",
        AgencyLevel.COMMUNE,
        "000.00.00.H99",
        "Thôn Đông, xã Tân Phú, tỉnh Minh Sơn",
        "0237 3860 441",
        "0237 3860 442",
        "tanphu@minhson.gov.vn",
        False,
    ),
]

# Processing units inside agencies (no identifier of their own: they do not receive dossiers).
UNITS = [
    ("Phòng Hành chính tư pháp", "000.00.11.H99"),
    ("Phòng Bổ trợ tư pháp", "000.00.11.H99"),
    ("Phòng Đất đai", "000.00.20.H99"),
    ("Phòng Cải cách hành chính", "000.00.04.H99"),
    ("Phòng Văn hóa - Xã hội", "000.17.22.H99"),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", "000.17.22.H99"),
]

# (username, full name, role, agency code or unit name, position, is_staff)
USERS = [
    ("tiepnhan", "Nguyễn Thị Hồng Nhung", Role.RECEPTION, "000.00.06.H99", "Chuyên viên một cửa", False),
    ("chuyenvien", "Trần Văn Đức", Role.SPECIALIST, "Phòng Hành chính tư pháp", "Chuyên viên", False),
    ("lanhdao", "Lê Minh Tuấn", Role.LEADER, "000.00.11.H99", "Phó Giám đốc Sở", False),
    # The head of the one-stop centre: receives the escalations of overdue dossiers.
    ("giamdoc", "Hoàng Văn Bình", Role.LEADER, "000.00.06.H99", "Giám đốc Trung tâm", False),
    ("sonoivu", "Phạm Thu Hà", Role.HOME_AFFAIRS, "000.00.04.H99", "Chuyên viên Phòng CCHC", False),
    ("quantri", "Đỗ Quang Vinh", Role.CATALOGUE_ADMIN, "000.00.06.H99", "Quản trị hệ thống", True),
]


def seed(stdout=None, *, calendar: bool = True, catalogue: bool = True) -> None:
    by_code: dict[str, Agency] = {}
    for code, name, level, parent, address, phone, hotline, email, home_affairs in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "parent": by_code.get(parent),
                "address": address,
                "phone": phone,
                "hotline": hotline,
                "email": email,
                "is_home_affairs": home_affairs,
            },
        )
        by_code[code] = agency
    by_name: dict[str, Agency] = {}
    for name, parent_code in UNITS:
        unit, _ = Agency.objects.update_or_create(
            name=name, parent=by_code[parent_code], defaults={"level": AgencyLevel.UNIT}
        )
        by_name[name] = unit

    for username, full_name, role, where, position, is_staff in USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "agency": by_code.get(where) or by_name[where],
                "position": position,
                "is_staff": is_staff,
                "email": f"{username}@minhson.gov.vn",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=str(role))])

    if stdout is not None:
        stdout.write(f"Cơ quan, đơn vị: {Agency.objects.count()}")
        stdout.write(f"Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):")
        for username, full_name, role, _where, _position, _staff in USERS:
            stdout.write(f"  {username:<12} {role:<20} {full_name}")

    if calendar:
        seed_calendar(stdout)
    if catalogue:
        seed_catalogue(stdout)
        seed_staff(stdout)


def seed_calendar(stdout=None) -> None:
    """The make-up working days (làm bù) around the demo period (idempotent)."""
    from .services import calendar_import_makeup_days

    created = calendar_import_makeup_days(years=range(2024, 2031))
    if stdout is not None:
        stdout.write(f"Ngày làm bù nhập từ gói holidays: {len(created)} ngày mới")


def seed_catalogue(stdout=None) -> None:
    """The sample procedure catalogue (thutuc/catalogue/demo.py)."""
    from .catalogue.demo import seed_catalogue as load

    load(stdout)


# Sample names for the officers of the agencies the README's logins do not cover.
_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
_MIDDLE = ["Thị", "Văn", "Minh", "Thu", "Đức", "Ngọc", "Quang", "Thanh", "Hữu", "Kim", "Hoài", "Bảo"]
_GIVEN = ["Hằng", "Khánh", "Linh", "Phong", "Quỳnh", "Thắng", "Trinh", "Vân", "Hiếu", "Nhàn", "Toàn", "Hương"]
STAFF_PREFIX = {Role.RECEPTION: "mc", Role.SPECIALIST: "cv", Role.LEADER: "ld"}
STAFF_TITLE = {Role.RECEPTION: "Công chức một cửa", Role.SPECIALIST: "Chuyên viên", Role.LEADER: "Lãnh đạo"}


def staff_username(role: str, agency: Agency) -> str:
    from django.utils.text import slugify

    from core.text import fold

    return f"{STAFF_PREFIX[role]}-{slugify(fold(agency.code or agency.name))[:40]}"


def needed_staff() -> list[tuple[str, Agency]]:
    """(role, agency) for every agency that receives or processes dossiers in the
    catalogue: the receiving agencies need a reception officer, every routing step's unit
    an officer of the step's role. A blank step unit is the competent agency; a procedure
    named with no competent agency is resolved by the agency of its level that receives it
    (thutuc.catalogue.places), so each of those needs the step's role."""
    from .catalogue import places
    from .models import Procedure, ProcedureLevel, ProcedureStep
    from .models.catalogue import StepRole

    role_of = {
        StepRole.RECEPTION: Role.RECEPTION,
        StepRole.SPECIALIST: Role.SPECIALIST,
        StepRole.LEADER: Role.LEADER,
    }
    needed: dict[tuple[str, int], Agency] = {}
    counters = [
        agency
        for agency in Agency.objects.filter(is_active=True).exclude(code=None)
        if places.receivable_procedures(agency).exists()
    ]
    for agency in counters:
        needed[(Role.RECEPTION, agency.pk)] = agency
    steps = ProcedureStep.objects.filter(
        case__procedure__is_active=True, case__is_active=True
    ).select_related("agency", "case__procedure__competent_agency")
    # A commune procedure is decided by the commune it is filed for (NĐ 118/2025 Điều 20,
    # thutuc.competence): each commune that receives it does the competent agency's steps —
    # the communes it names, or every commune when it is received by level.
    every_commune = [a for a in counters if a.level == AgencyLevel.COMMUNE]
    communes_of = {
        procedure.pk: [
            a for a in procedure.receiving_agencies.all() if a.level == AgencyLevel.COMMUNE and a.is_active
        ]
        or every_commune
        for procedure in Procedure.objects.filter(
            levels__contains=ProcedureLevel.COMMUNE, is_active=True
        ).prefetch_related("receiving_agencies")
    }
    for step in steps:
        procedure = step.case.procedure
        unit = step.agency or procedure.competent_agency
        if unit is not None:
            units = [unit]
        else:  # resolved where it is received: the counters of the procedure's levels
            levels = procedure.level_list
            units = [a for a in counters if set(places.procedure_levels_for(a.level)) & set(levels)]
        for unit in units:
            if unit.is_active:
                needed[(role_of[step.role], unit.pk)] = unit
        competent_step = step.agency_id is None or step.agency_id == procedure.competent_agency_id
        if step.role != StepRole.RECEPTION and competent_step:
            for commune in communes_of.get(procedure.pk, ()):
                needed[(role_of[step.role], commune.pk)] = commune
    return sorted(((role, agency) for (role, _pk), agency in needed.items()), key=lambda x: (x[1].pk, x[0]))


def seed_staff(stdout=None) -> None:
    """A sample officer for each (role, agency) the catalogue's routing needs and no demo
    account covers yet, so that every agency that receives or processes dossiers has staff.
    Idempotent (usernames are derived from the agency)."""
    from .accounts.roles import user_roles
    from .titles import deputy_title

    created = 0
    for number, (role, agency) in enumerate(needed_staff()):
        if any(role in user_roles(u) for u in User.objects.filter(agency=agency, is_active=True)):
            continue
        name = f"{_FAMILY[number % 12]} {_MIDDLE[(number * 5) % 12]} {_GIVEN[(number * 7) % 12]}"
        user, was_created = User.objects.get_or_create(
            username=staff_username(role, agency),
            defaults={
                "full_name": name,
                "agency": agency,
                # a leader signs acts as a deputy head (thutuc.titles: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC")
                "position": (
                    deputy_title(agency) if role == Role.LEADER else f"{STAFF_TITLE[role]} – {agency.name}"
                )[:150],
                "email": f"{staff_username(role, agency)}@minhson.gov.vn",
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        user.groups.add(Group.objects.get(name=str(role)))
    if stdout is not None:
        stdout.write(f"Cán bộ mẫu của các cơ quan, đơn vị tiếp nhận, xử lý hồ sơ: {created} tài khoản mới")
