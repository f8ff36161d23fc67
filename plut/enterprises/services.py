"""Writes to the registry. Each function validates, saves, and writes its audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plut.accounts.models import Role
from plut.core.crypto import keyed_hash
from plut.core.services import audit_log_write, personal_data_access_log
from plut.enterprises.models import Enterprise, EnterpriseKbli, FigureSnapshot, Owner, Permit
from plut.enterprises.sizeclass import Regime, SizeClass, classify
from plut.lib import identifiers
from plut.reference.models import Kbli
from plut.regions.models import Level, Region
from plut.regions.selectors import border_district_codes


def _field_error(field: str, exc: identifiers.IdentifierError) -> ValidationError:
    return ValidationError({field: ValidationError(str(exc.message), code=exc.code)})


def owner_register(
    *,
    actor,
    full_name: str,
    nik_raw: str = "",
    nik_from_numeric_cell: bool = False,
    phone_raw: str = "",
    address: str = "",
    sex: str = "",
    user=None,
    is_synthetic: bool = False,
) -> tuple[Owner, list[identifiers.Issue]]:
    """Register a person who owns enterprises; return the owner and the warnings raised.

    The NIK is validated by :func:`plut.lib.identifiers.check_nik` (errors raise
    ``ValidationError`` on field ``nik``); sex and birth date are read from the NIK when given.
    Raises ``ValidationError`` (``nik``, code ``nik.duplicate``) when the NIK is already registered.
    """
    warnings: list[identifiers.Issue] = []
    owner = Owner(
        full_name=full_name.strip(), address=address.strip(), sex=sex, user=user, is_synthetic=is_synthetic
    )
    if nik_raw.strip():
        try:
            checked = identifiers.check_nik(nik_raw, from_numeric_cell=nik_from_numeric_cell)
        except identifiers.IdentifierError as exc:
            raise _field_error("nik", exc) from exc
        warnings += checked.warnings
        owner.nik, owner.nik_raw = checked.value, checked.raw
        owner.nik_hash, owner.nik_last4 = keyed_hash(checked.value), checked.value[-4:]
        owner.birth_date = identifiers.nik_birth_date(checked.value)
        owner.sex = owner.sex or identifiers.nik_sex(checked.value)
        if Owner.objects.filter(nik_hash=owner.nik_hash).exists():
            raise ValidationError(
                {"nik": ValidationError(_("This NIK is already registered."), code="nik.duplicate")}
            )
    if phone_raw.strip():
        try:
            checked = identifiers.check_phone(phone_raw)
        except identifiers.IdentifierError as exc:
            raise _field_error("phone", exc) from exc
        warnings += checked.warnings
        owner.phone, owner.phone_raw, owner.phone_hash = checked.value, checked.raw, keyed_hash(checked.value)
    owner.full_clean()
    with transaction.atomic():
        owner.save()
        audit_log_write(actor=actor, action="owner.register", target=owner, data={"nik": owner.nik_masked})
    return owner, warnings


def _region_fields(region: Region) -> dict:
    codes = region.ancestor_codes()
    district = codes[2] if region.level >= Level.DISTRICT else ""
    return {
        "region_path": region.path,
        "regency_code": codes[1] if len(codes) > 1 else "",
        "district_code": district,
        "is_border": bool(district) and district in border_district_codes(),
    }


@transaction.atomic
def enterprise_register(
    *,
    actor,
    owner: Owner,
    name: str,
    region: Region,
    address: str = "",
    nib_raw: str = "",
    npwp_raw: str = "",
    phone_raw: str = "",
    kbli_codes: Iterable[str] = (),
    sector: str = "",
    established_year: int | None = None,
    sells_cross_border: bool = False,
    cross_border_brand: str = "unknown",
    latitude=None,
    longitude=None,
    is_synthetic: bool = False,
) -> tuple[Enterprise, list[identifiers.Issue]]:
    """Register an enterprise of ``owner`` located in ``region`` (a regency, district or village).

    Identifiers are checked by :mod:`plut.lib.identifiers`; the first KBLI code is the primary one.
    Raises ``ValidationError`` naming the field for a bad identifier, an unknown KBLI code, a
    region outside Kalimantan Barat's regencies, or a region outside ``actor``'s scope.
    Returns the enterprise and the warnings raised while checking identifiers.
    """
    from plut.accounts.scope import can_see_region

    warnings: list[identifiers.Issue] = []
    if region.level < Level.REGENCY:
        raise ValidationError({"region": _("Choose a regency/city, district or village.")})
    if actor is not None and Role(actor.role) != Role.ENTREPRENEUR and not can_see_region(actor, region.path):
        raise PermissionDenied(_("This region is outside your scope."))
    ent = Enterprise(
        owner=owner,
        name=name.strip(),
        region=region,
        address=address.strip(),
        sector=sector,
        established_year=established_year,
        sells_cross_border=sells_cross_border,
        cross_border_brand=cross_border_brand,
        latitude=latitude,
        longitude=longitude,
        is_synthetic=is_synthetic,
        **_region_fields(region),
    )
    for field, raw, check in (
        ("nib", nib_raw, identifiers.check_nib),
        ("npwp", npwp_raw, identifiers.check_npwp),
        ("phone", phone_raw, identifiers.check_phone),
    ):
        if not raw.strip():
            continue
        try:
            checked = check(raw)
        except identifiers.IdentifierError as exc:
            raise _field_error(field, exc) from exc
        warnings += checked.warnings
        setattr(ent, field, checked.value)
        setattr(ent, f"{field}_raw", checked.raw)
    ent.has_nib = bool(ent.nib)
    kblis = []
    for raw in kbli_codes:
        code = raw.strip()
        kbli = Kbli.objects.filter(code=code).first()
        if kbli is None or kbli.level != Kbli.Level.SUBCLASS:
            raise ValidationError(
                {"kbli": _("KBLI code %(code)s is not a 5-digit KBLI 2020 code.") % {"code": code}}
            )
        kblis.append((kbli, raw))
    if kblis:
        ent.primary_kbli, ent.kbli_section = kblis[0][0], kblis[0][0].section
    ent.full_clean()
    ent.save()
    EnterpriseKbli.objects.bulk_create(
        [
            EnterpriseKbli(enterprise=ent, kbli=k, kbli_raw=r, is_primary=i == 0)
            for i, (k, r) in enumerate(kblis)
        ]
    )
    if ent.nib:
        Permit.objects.create(enterprise=ent, kind=Permit.Kind.NIB, number=ent.nib, number_raw=ent.nib_raw)
    audit_log_write(actor=actor, action="enterprise.register", target=ent, data={"region": region.code})
    return ent, warnings


def _amount(value, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: _("Amounts are whole rupiah.")})
    if value < 0:
        raise ValidationError({field: _("Amounts cannot be negative.")})
    return value


@transaction.atomic
def figures_record(
    *,
    actor,
    enterprise: Enterprise,
    as_of: dt.date,
    capital_idr: int | None = None,
    annual_sales_idr: int | None = None,
    assets_idr: int | None = None,
    workers: int | None = None,
    source: str = FigureSnapshot.Source.FORM,
    note: str = "",
) -> FigureSnapshot:
    """Record dated figures (integer rupiah, workers as a head count) and refresh the size class.

    Raises ``ValidationError`` for a non-integer or negative amount, negative workers, or a date
    in the future.
    """
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The date of the figures cannot be in the future.")})
    if workers is not None and workers < 0:
        raise ValidationError({"workers": _("Workers cannot be negative.")})
    snap = FigureSnapshot(
        enterprise=enterprise,
        as_of=as_of,
        capital_idr=_amount(capital_idr, "capital_idr"),
        annual_sales_idr=_amount(annual_sales_idr, "annual_sales_idr"),
        assets_idr=_amount(assets_idr, "assets_idr"),
        workers=workers,
        source=source,
        note=note,
    )
    result = classify(
        capital_idr=snap.capital_idr, annual_sales_idr=snap.annual_sales_idr, regime=enterprise.size_regime
    )
    snap.size_class = result.size_class if result else ""
    snap.full_clean()
    snap.save()
    enterprise_refresh_size_class(enterprise=enterprise)
    audit_log_write(
        actor=actor,
        action="enterprise.figures_record",
        target=enterprise,
        data={"as_of": as_of.isoformat(), "size_class": snap.size_class},
    )
    return snap


def enterprise_refresh_size_class(*, enterprise: Enterprise) -> str:
    """Set ``enterprise.size_class`` from its latest snapshot with figures; return it."""
    latest = (
        enterprise.figures.exclude(size_class="")
        .order_by("-as_of", "-id")
        .values_list("size_class", flat=True)
        .first()
    )
    enterprise.size_class = latest or ""
    Enterprise.objects.filter(pk=enterprise.pk).update(size_class=enterprise.size_class)
    return enterprise.size_class


def enterprise_naik_kelas(*, enterprise: Enterprise) -> dict:
    """Return ``{"baseline": class, "latest": class, "moved_up": bool}`` from the first and last snapshot."""
    classes = list(
        enterprise.figures.exclude(size_class="").order_by("as_of", "id").values_list("size_class", flat=True)
    )
    if not classes:
        return {"baseline": "", "latest": "", "moved_up": False}
    first, last = SizeClass(classes[0]), SizeClass(classes[-1])
    return {"baseline": first.value, "latest": last.value, "moved_up": last.rank > first.rank}


def owner_reveal(*, actor, owner: Owner, purpose: str = "view", channel: str = "web") -> dict[str, str]:
    """Return the owner's NIK, phone and address unmasked and log the access (UU 27/2022).

    Raises ``PermissionDenied`` when the actor's role may not reveal personal data or, for an
    entrepreneur, when the owner is not the actor.
    """
    role = Role(actor.role)
    if not role.can_reveal_personal_data:
        raise PermissionDenied(_("Your role may not see personal data unmasked."))
    if role == Role.ENTREPRENEUR and owner.user_id != actor.pk:
        raise PermissionDenied(_("Your role may not see personal data unmasked."))
    personal_data_access_log(
        actor=actor, subject=owner, fields=["nik", "phone", "address"], purpose=purpose, channel=channel
    )
    return {"nik": owner.nik, "phone": owner.phone, "address": owner.address}


__all__ = [
    "Regime",
    "enterprise_naik_kelas",
    "enterprise_refresh_size_class",
    "enterprise_register",
    "figures_record",
    "owner_register",
    "owner_reveal",
]
