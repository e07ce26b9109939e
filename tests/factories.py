"""Factories shared by every app's tests: agencies and staff accounts (thutuc's agency tree
and users). The catalogue's factories are in tests/thutuc/factories.py, the dossiers' in
tests/motcua/factories.py, feedback and calls in tests/khieunai/factories.py, ratings and
reports in tests/baocao/factories.py."""

import factory
from django.contrib.auth.models import Group

from thutuc.accounts.roles import Role
from thutuc.models import Agency, AgencyLevel, User


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"{n % 1000:03d}.{n // 1000 % 100:02d}.01.H98")
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân xã Thử Nghiệm {n}")
    level = AgencyLevel.COMMUNE

    class Params:
        unit = factory.Trait(code=None, level=AgencyLevel.UNIT, name=factory.Sequence(lambda n: f"Phòng {n}"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    full_name = factory.Sequence(lambda n: f"Cán Bộ Số {n}")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password("mat-khau-thu-nghiem")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get(name=str(role)) for role in extracted])


def reception_officer(agency=None, **kwargs) -> User:
    """A new reception officer (one-stop counter) of `agency` (a new commune if none)."""
    return UserFactory(agency=agency or AgencyFactory(), roles=[Role.RECEPTION], **kwargs)


def officer_of(agency: Agency, role: str) -> User:
    """An active officer holding `role` who works in `agency` or in an agency above it (a
    department's leader acts on its units' dossiers); a new one of `agency` if there is none."""
    chain, current = [], agency
    while current is not None:
        chain.append(current.pk)
        current = current.parent
    for agency_id in chain:
        found = (
            User.objects.filter(agency_id=agency_id, is_active=True, groups__name=str(role))
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
    return UserFactory(agency=agency, roles=[role])
