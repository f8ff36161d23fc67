"""The named cast used by permission tests (STYLE.md practice 17).

``build_cast()`` needs the reference data loaded. It creates:

* users ``admin`` (office admin), ``analyst`` (office analyst), ``officer_sambas`` (regency
  officer, 61.01), ``officer_sanggau`` (regency officer, 61.03), ``consultant`` (61.03 and 61.07),
  ``ministry`` (ministry reviewer), ``entrepreneur`` (owns ``ent_sambas``);
* enterprises ``ent_sambas`` (Temajuk, Paloh: a border village of Sambas), ``ent_sanggau``
  (Entikong, a border district of Sanggau), ``ent_pontianak`` (Kota Pontianak, not border).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from plut.accounts.models import Role, User
from plut.accounts.services import user_create
from plut.enterprises.models import Enterprise
from plut.enterprises.services import enterprise_register, figures_record, owner_register
from plut.regions.models import Level, Region

PASSWORD = "cast-password-1"  # noqa: S105


@dataclass
class Cast:
    admin: User
    analyst: User
    officer_sambas: User
    officer_sanggau: User
    consultant: User
    ministry: User
    entrepreneur: User
    ent_sambas: Enterprise
    ent_sanggau: Enterprise
    ent_pontianak: Enterprise

    def users(self) -> dict[str, User]:
        return {k: v for k, v in vars(self).items() if isinstance(v, User)}


def _user(username: str, role: Role, regions: list[str] | None = None) -> User:
    return user_create(
        actor=None,
        username=username,
        role=role,
        region_codes=regions or [],
        password=PASSWORD,
        check_password=False,
    )


def build_cast() -> Cast:
    """Create the cast; see the module docstring."""
    admin = _user("admin", Role.OFFICE_ADMIN)
    entrepreneur = _user("entrepreneur", Role.ENTREPRENEUR)
    village = {r.code: r for r in Region.objects.filter(code__in=["61.01.08.2007", "61.03.21.2003"])}
    pontianak_village = (
        Region.objects.filter(level=Level.VILLAGE, code__startswith="61.71.").order_by("code").first()
    )

    owner1, _ = owner_register(
        actor=admin,
        full_name="Siti Aminah",
        nik_raw="6101084506800001",
        phone_raw="081234567890",
        address="Jl. Temajuk 1",
        user=entrepreneur,
    )
    owner2, _ = owner_register(
        actor=admin, full_name="Budi Santoso", nik_raw="6103211203750002", phone_raw="+60 12-345 6789"
    )
    owner3, _ = owner_register(actor=admin, full_name="Lim Mei Hua", nik_raw="6171015507900003")
    ent_sambas, _ = enterprise_register(
        actor=admin,
        owner=owner1,
        name="Amplang Temajuk",
        region=village["61.01.08.2007"],
        nib_raw="1234567890123",
        kbli_codes=["10750"],
        sells_cross_border=True,
        cross_border_brand="repackaged",
    )
    ent_sanggau, _ = enterprise_register(
        actor=admin, owner=owner2, name="Lada Entikong", region=village["61.03.21.2003"], kbli_codes=["01262"]
    )
    ent_pontianak, _ = enterprise_register(
        actor=admin, owner=owner3, name="Kopi Khatulistiwa", region=pontianak_village, kbli_codes=["56101"]
    )
    figures_record(
        actor=admin, enterprise=ent_sambas, as_of=dt.date(2024, 12, 31), annual_sales_idr=1_500_000_000
    )
    figures_record(
        actor=admin, enterprise=ent_sambas, as_of=dt.date(2025, 12, 31), annual_sales_idr=2_500_000_000
    )
    figures_record(
        actor=admin, enterprise=ent_sanggau, as_of=dt.date(2025, 12, 31), capital_idr=6_000_000_000
    )
    return Cast(
        admin=admin,
        analyst=_user("analyst", Role.OFFICE_ANALYST),
        officer_sambas=_user("officer_sambas", Role.REGENCY_OFFICER, ["61.01"]),
        officer_sanggau=_user("officer_sanggau", Role.REGENCY_OFFICER, ["61.03"]),
        consultant=_user("consultant", Role.CONSULTANT, ["61.03", "61.07"]),
        ministry=_user("ministry", Role.MINISTRY_REVIEWER),
        entrepreneur=entrepreneur,
        ent_sambas=ent_sambas,
        ent_sanggau=ent_sanggau,
        ent_pontianak=ent_pontianak,
    )
