"""Sample data for demonstrations: a believable province after the 2025 two-tier reform.

Everything here is SAMPLE data (the province and its identifiers are invented, in the
official format). `seed(stdout)` is idempotent: it updates rows found by their codes.
"""

from django.contrib.auth.models import Group

from .models import Agency, AgencyLevel, User
from .roles import Role

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
