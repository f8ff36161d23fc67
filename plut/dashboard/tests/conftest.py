"""Fixtures of the dashboard tests: the real reference data, loaded once, and a small registry."""

from __future__ import annotations

import pytest

from plut.accounts.models import Role, User
from plut.enterprises.models import Enterprise, Owner
from plut.regions.models import Region


@pytest.fixture
def reference(reference_data):
    """The shipped reference data (see ``plut/conftest.py``)."""
    return reference_data


def make_enterprise(*, village_code: str, n: int = 1, size_class: str = "micro") -> list[Enterprise]:
    """Create ``n`` enterprises in the village with ``village_code`` (rows written directly)."""
    village = Region.objects.select_related("parent").get(code=village_code)
    district_code = village.parent.code
    from plut.regions.selectors import border_district_codes

    is_border = district_code in border_district_codes()
    owner = Owner.objects.create(full_name=f"Pemilik {village.name}")
    return [
        Enterprise.objects.create(
            name=f"Usaha {village.name} {i}",
            owner=owner,
            region=village,
            region_path=village.path,
            regency_code=district_code[:5],
            district_code=district_code,
            is_border=is_border,
            size_class=size_class,
        )
        for i in range(n)
    ]


@pytest.fixture
def registry(reference, db) -> None:
    """Seven enterprises: 3 in Paloh (Sambas, border), 1 in Sambas town, 2 in Entikong (Sanggau, border), 1 in Pontianak."""
    make_enterprise(village_code="61.01.08.2001", n=3)  # Sebubus, Kec. Paloh (border)
    make_enterprise(village_code="61.01.01.2001", n=1, size_class="small")  # Kec. Sambas
    make_enterprise(village_code="61.03.21.2003", n=2)  # Entikong (border)
    make_enterprise(village_code="61.71.01.1002", n=1, size_class="")  # Kota Pontianak, not yet classified


def _user(username: str, role: Role, region_codes: tuple[str, ...] = ()) -> User:
    user = User.objects.create_user(username=username, password="x", role=role, first_name=username.title())
    user.regions.set(Region.objects.filter(code__in=region_codes))
    return user


@pytest.fixture
def admin_user(reference, db) -> User:
    return _user("admin", Role.OFFICE_ADMIN)


@pytest.fixture
def sambas_officer(reference, db) -> User:
    return _user("petugas.sambas", Role.REGENCY_OFFICER, ("61.01",))


@pytest.fixture
def reviewer(reference, db) -> User:
    return _user("kementerian", Role.MINISTRY_REVIEWER)
