"""The catalogue stamp (thutuc/stamp.py, migration thutuc 0013): intake keeps a case's
channels, fees and steps and the agency tree in memory for as long as the stamp stands, so
every kind of write to those tables must renew it — and a change must reach the next dossier
(issue 21)."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from tests.factories import AgencyFactory
from tests.thutuc.factories import CaseFactory, StepFactory
from thutuc.catalogue.versions import case_version_for, with_terms
from thutuc.competence import AgencyTree
from thutuc.models import Agency, AgencyLevel, CaseChannel, Procedure, ProcedureFee, ProcedureStep
from thutuc.stamp import StampedMemo, current_stamp

pytestmark = pytest.mark.django_db


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_kind_of_write_to_a_stamped_table_renews_the_stamp():
    case = CaseFactory()
    step = StepFactory(case=case)
    fee = ProcedureFee.objects.get(case=case)
    agency = AgencyFactory()
    writes = [
        lambda: CaseChannel.objects.create(case=case, channel="online", processing_time=Decimal("2")),
        lambda: CaseChannel.objects.filter(case=case).update(processing_time=Decimal("1")),
        lambda: CaseChannel.objects.filter(case=case).delete(),
        lambda: ProcedureFee.objects.filter(pk=fee.pk).update(amount=Decimal("9000")),
        lambda: _raw("UPDATE thutuc_procedurefee SET description = %s WHERE id = %s", ["x", fee.pk]),
        lambda: ProcedureStep.objects.filter(pk=step.pk).update(name="Thẩm định lại"),
        lambda: step.delete(),
        lambda: Agency.objects.filter(pk=agency.pk).update(parent=None),
        lambda: AgencyFactory(parent=agency),
    ]
    seen = {current_stamp()}
    assert None not in seen
    for write in writes:
        write()
        stamp = current_stamp()
        assert stamp not in seen, write
        seen.add(stamp)


def test_a_write_elsewhere_leaves_the_stamp_alone():
    case = CaseFactory()
    before = current_stamp()
    Procedure.objects.filter(pk=case.procedure_id).update(name="Tên mới")  # read from the case's own row
    assert current_stamp() == before


def test_the_memo_computes_once_per_stamp_and_never_without_one():
    memo, calls = StampedMemo(max_size=2), []

    def compute():
        calls.append(1)
        return len(calls)

    assert memo.get("a", "k", compute) == memo.get("a", "k", compute) == 1
    assert memo.get("b", "k", compute) == 2  # a new stamp: nothing of the old one is used
    assert memo.get("a", "k", compute) == 3  # nor when the old one comes back
    assert memo.get(None, "k", compute) == 4 and memo.get(None, "k", compute) == 5
    memo.get("a", "k2", compute), memo.get("a", "k3", compute)  # full: emptied, still right
    assert memo.get("a", "k3", compute) == 7 and len(calls) == 7


def test_a_fee_changed_after_intake_read_the_case_reaches_the_next_version():
    case = CaseFactory()
    before = ProcedureFee.objects.get(case=case).amount
    first = case_version_for(case=with_terms(case, stamp=current_stamp()), channel="direct")
    ProcedureFee.objects.filter(case=case).update(amount=Decimal("12000"))
    second = case_version_for(case=with_terms(case, stamp=current_stamp()), channel="direct")
    assert Decimal(first.fees[0]["amount"]) == before
    assert second.pk != first.pk and Decimal(second.fees[0]["amount"]) == Decimal("12000")


def test_rows_read_in_a_transaction_that_rolled_back_are_never_served_again():
    case = CaseFactory()
    fee = ProcedureFee.objects.get(case=case)
    try:
        with transaction.atomic():
            ProcedureFee.objects.filter(pk=fee.pk).update(amount=Decimal("99999"))
            inside = with_terms(case, stamp=current_stamp())  # kept under the transaction's token
            assert inside.terms_rows["fees"][0].amount == Decimal("99999")
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    after = with_terms(case, stamp=current_stamp())
    assert after.terms_rows["fees"][0].amount == fee.amount


def test_the_tree_in_memory_follows_a_move():
    province = AgencyFactory(level=AgencyLevel.PROVINCE)
    commune = AgencyFactory(level=AgencyLevel.COMMUNE, parent=province)
    centre = AgencyFactory(level=AgencyLevel.ONE_STOP_CENTRE, parent=province)
    assert AgencyTree.current().commune_of(centre.pk) is None
    assert AgencyTree.current() is AgencyTree.current()  # one read while the stamp stands
    Agency.objects.filter(pk=centre.pk).update(parent=commune)  # the centre moves under the commune
    assert AgencyTree.current().commune_of(centre.pk) == commune.pk
