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


# The demo province's agencies (thutuc/demo.py) the tests name.
DEMO_AGENCIES = {
    "centre": "000.00.06.H99",  # Trung tâm Phục vụ hành chính công
    "justice": "000.00.11.H99",  # Sở Tư pháp
    "land": "000.00.20.H99",  # Sở Nông nghiệp và Môi trường (Phòng Đất đai)
    "commune": "000.19.23.H99",  # UBND xã Tân Phú
}


def demo_agency(name: str) -> Agency:
    """An agency of the demo province (the `province` fixture), by its DEMO_AGENCIES name."""
    return Agency.objects.get(code=DEMO_AGENCIES[name])


def leader_of(agency: Agency, username: str) -> User:
    """A new leader of `agency`, who also handles cases himself (leader and specialist)."""
    return UserFactory(username=username, agency=agency, roles=[Role.LEADER, Role.SPECIALIST])


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
