"""Pure catalogue rules and model validation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from thutuc.catalogue.rules import format_duration, validate_step_allotments
from thutuc.models import ProcedureFee

from .factories import CaseFactory, ProcedureFactory


@pytest.mark.parametrize(
    ("amount", "unit", "text"),
    [
        (Decimal("5.0"), "working_days", "5 ngày làm việc"),
        (Decimal("0.5"), "working_days", "0,5 ngày làm việc"),
        (4, "working_hours", "4 giờ làm việc"),
        (Decimal("30"), "calendar_days", "30 ngày"),
    ],
)
def test_format_duration(amount, unit, text):
    assert format_duration(amount, unit) == text


@pytest.mark.parametrize(
    ("total", "unit", "steps"),
    [
        (
            5,
            "working_days",
            [(4, "working_hours"), (3, "working_days"), (1, "working_days"), (4, "working_hours")],
        ),
        (Decimal("0.5"), "working_days", [(4, "working_hours")]),
        (20, "calendar_days", [(1, "calendar_days"), (19, "calendar_days")]),
        (5, "working_days", []),  # no routing is allowed
    ],
)
def test_step_allotments_that_add_up(total, unit, steps):
    validate_step_allotments(total, unit, steps)


def test_step_allotments_that_do_not_add_up_say_by_how_much():
    with pytest.raises(ValidationError) as exc:
        validate_step_allotments(5, "working_days", [(4, "working_hours"), (4, "working_days")])
    assert exc.value.messages == [
        "Tổng thời gian các bước là 36 giờ làm việc, khác thời hạn giải quyết 5 ngày làm việc "
        "(40 giờ làm việc; 1 ngày làm việc = 8 giờ)."
    ]


@pytest.mark.parametrize(
    ("unit", "steps"),
    [("working_days", [(5, "calendar_days")]), ("calendar_days", [(5, "working_days")])],
)
def test_calendar_days_cannot_be_mixed_with_working_time(unit, steps):
    with pytest.raises(ValidationError) as exc:
        validate_step_allotments(5, unit, steps)
    assert "Không thể cộng ngày theo lịch với ngày/giờ làm việc" in exc.value.messages[0]


@pytest.mark.django_db
def test_procedure_code_format_message():
    procedure = ProcedureFactory.build(code="1.1193", field=ProcedureFactory().field)
    with pytest.raises(ValidationError) as exc:
        procedure.full_clean()
    assert exc.value.message_dict["code"] == [
        "Mã thủ tục phải có dạng n.nnnnnn (mã quốc gia), có thể kèm phần mã địa phương, "
        "ví dụ 1.001193, 1.000948.H38 hoặc 2.001218.000.00.00.H38."
    ]


@pytest.mark.parametrize("code", ["1.001193", "1.000948.H38", "2.001218.000.00.00.H38"])
def test_national_local_and_variant_codes_are_valid(code):
    from thutuc.models.catalogue import validate_procedure_code

    validate_procedure_code(code)


@pytest.mark.parametrize("code", ["1.1193", "1001193", "1.001193.", "1.001193.h38", "1.001193 H38"])
def test_malformed_codes_are_refused(code):
    from thutuc.models.catalogue import validate_procedure_code

    with pytest.raises(ValidationError):
        validate_procedure_code(code)


@pytest.mark.django_db
def test_fee_needs_amount_or_description_and_no_negative_amount():
    case = CaseFactory()
    with pytest.raises(ValidationError) as exc:
        ProcedureFee(case=case).full_clean()
    assert "phải có mức thu hoặc mô tả" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        ProcedureFee(case=case, amount=-1).full_clean()
    assert "amount" in exc.value.message_dict
    ProcedureFee(case=case, description="Miễn phí").full_clean()


@pytest.mark.django_db
def test_case_order_is_unique_within_a_procedure():
    case = CaseFactory(order=1)
    duplicate = CaseFactory.build(procedure=case.procedure, order=1)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "Thủ tục đã có một trường hợp với số thứ tự này." in exc.value.messages
