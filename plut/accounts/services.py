"""Writes on users."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from plut.accounts.models import ApiToken, Role, User
from plut.core.services import audit_log_write
from plut.regions.models import Level, Region


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    role: str,
    region_codes: list[str] | tuple[str, ...] = (),
    email: str = "",
    password: str,
    first_name: str = "",
    check_password: bool = True,
) -> User:
    """Create a user with ``role`` scoped to the regions with ``region_codes`` (Kemendagri codes).

    Raises ``ValidationError`` when the username is taken, a code is unknown, a consultant or
    regency officer has no region, a regency officer is given anything but one regency, or the
    password is weak (Django's password validators).
    """
    role = Role(role)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    regions = list(Region.objects.filter(code__in=region_codes, retired_in__isnull=True))
    missing = sorted(set(region_codes) - {r.code for r in regions})
    if missing:
        raise ValidationError(
            {"regions": _("Unknown region code: %(codes)s.") % {"codes": ", ".join(missing)}}
        )
    if role.is_region_scoped and not regions:
        raise ValidationError({"regions": _("A consultant or regency officer needs at least one region.")})
    if role == Role.REGENCY_OFFICER and (len(regions) != 1 or regions[0].level != Level.REGENCY):
        raise ValidationError({"regions": _("A regency officer is assigned exactly one regency/city.")})
    user = User(username=username, role=role, email=email, first_name=first_name)
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.is_staff = role == Role.OFFICE_ADMIN
    user.full_clean()
    user.save()
    user.regions.set(regions)
    audit_log_write(
        actor=actor, action="user.create", target=user, data={"role": role.value, "regions": region_codes}
    )
    return user


def api_token_create(*, actor, user: User, name: str) -> tuple[str, ApiToken]:
    """Create an API token for ``user``; return the plain token (shown once) and its row."""
    import hashlib
    import secrets

    key = "plut_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[5:13], key_sha256=hashlib.sha256(key.encode()).hexdigest()
    )
    audit_log_write(actor=actor, action="api_token.create", target=token, data={"user": user.username})
    return key, token


def api_token_user(key: str) -> User | None:
    """Return the active user owning the unrevoked token ``key``, or ``None``."""
    import hashlib

    from django.utils import timezone

    token = (
        ApiToken.objects.select_related("user")
        .filter(key_sha256=hashlib.sha256(key.encode()).hexdigest(), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Record use at most every five minutes, and never fail a request over it: on SQLite a long
    # import holds the write lock, and a read-only API call must still be answered.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        from django.db import DatabaseError, transaction

        try:
            with transaction.atomic():
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        except DatabaseError:
            pass
    return token.user
