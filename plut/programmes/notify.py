"""Notifications of proposal state changes to the people who must act next.

The channel is pluggable: ``settings.PLUT_PROGRAMMES_NOTIFICATION_CHANNEL`` names a class with a
``send(*, recipients, subject, body)`` method (default :class:`EmailChannel`). Messages are sent
only after the transaction commits (``transaction.on_commit``), so a refused or rolled-back change
never notifies anyone.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from plut.accounts.models import Role, User
from plut.accounts.scope import can_see_region

DEFAULT_CHANNEL = "plut.programmes.notify.EmailChannel"


class Channel(Protocol):
    def send(self, *, recipients: list[User], subject: str, body: str) -> None: ...


class EmailChannel:
    """E-mail to each recipient with an address (``settings.DEFAULT_FROM_EMAIL`` as sender)."""

    def send(self, *, recipients: list[User], subject: str, body: str) -> None:
        addresses = sorted({u.email for u in recipients if u.email})
        if addresses:
            send_mail(subject, body, None, addresses, fail_silently=False)


def get_channel() -> Channel:
    return import_string(getattr(settings, "PLUT_PROGRAMMES_NOTIFICATION_CHANNEL", DEFAULT_CHANNEL))()


def users_for(actor_kind: str, proposal) -> list[User]:
    """Return the active users of one actor kind (``regency``, ``office``, ``ministry``) for a proposal."""
    if actor_kind == "office":
        return list(User.objects.filter(role=Role.OFFICE_ADMIN, is_active=True).order_by("pk"))
    if actor_kind == "ministry":
        return list(User.objects.filter(role=Role.MINISTRY_REVIEWER, is_active=True).order_by("pk"))
    officers = User.objects.filter(role=Role.REGENCY_OFFICER, is_active=True).prefetch_related("regions")
    return [u for u in officers.order_by("pk") if can_see_region(u, proposal.region_path)]


def notify_on_commit(
    *, proposal, actor, from_status: str, to_status: str, note: str, next_actor_kinds: set[str]
):
    """Schedule a message to the users who act next (the regency's officers when nobody does)."""
    kinds = next_actor_kinds or {"regency"}
    recipients = {u.pk: u for kind in sorted(kinds) for u in users_for(kind, proposal)}
    recipients.pop(getattr(actor, "pk", None), None)
    if not recipients:
        return
    label = proposal.Status(to_status).label
    subject = _("Proposal “%(title)s”: %(status)s") % {"title": proposal.title, "status": label}
    body = _(
        "The proposal “%(title)s” (%(regency)s) is now: %(status)s.\nBy: %(actor)s\nComment: %(note)s\n"
    ) % {
        "title": proposal.title,
        "regency": proposal.regency.name,
        "status": label,
        "actor": actor.get_full_name() or actor.get_username(),
        "note": note or "-",
    }
    users = list(recipients.values())
    transaction.on_commit(lambda: get_channel().send(recipients=users, subject=subject, body=body))
