"""Region scope: the one place that decides which records a user may see.

Every selector and access helper (lists, details, edits, exports, API, dashboard figures) builds
its filter from :func:`region_q`. Rules (MISSION.md, "Users"):

* office administrator, office analyst — the whole province;
* PLUT consultant, regency officer — the subtrees of the regions assigned to them;
* entrepreneur — only enterprises they own (``Owner.user``);
* ministry reviewer — no registry record (only proposals sent to the ministry);
* an inactive or anonymous user — nothing.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.signals import m2m_changed

from plut.accounts.models import Role, User

# A predicate that matches no row, without a query.
NOTHING = Q(pk__in=[])


def region_paths(user: User) -> list[str]:
    """Return the region paths (e.g. ``["61.01."]``) a region-scoped user may see.

    Read from ``user.scope_paths``, which :func:`_keep_scope_paths` keeps equal to the paths of
    ``user.regions``: no query beyond loading the user (which every request does anyway).
    """
    return list(user.scope_paths)


def scope_paths_refresh(user_ids) -> dict[int, list[str]]:
    """Recompute ``scope_paths`` of the given users from their regions; return them by user id."""
    out = {}
    for user_id in user_ids:
        paths = sorted(
            User.regions.through.objects.filter(user_id=user_id).values_list("region__path", flat=True)
        )
        User.objects.filter(pk=user_id).update(scope_paths=paths)
        out[user_id] = paths
    return out


def _keep_scope_paths(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if not reverse:  # user.regions.add/remove/set/clear: the instance is the user
        if action in ("post_add", "post_remove", "post_clear"):
            instance.scope_paths = scope_paths_refresh([instance.pk])[instance.pk]
        return
    # region.users.add/remove/clear: pk_set holds the users (None on clear: remember them first).
    if action == "pre_clear":
        instance._plut_clearing_users = list(instance.users.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove"):
        scope_paths_refresh(pk_set)
    elif action == "post_clear":
        scope_paths_refresh(getattr(instance, "_plut_clearing_users", []))


m2m_changed.connect(_keep_scope_paths, sender=User.regions.through, dispatch_uid="plut-scope-paths")


def region_q(user: User, *, path_field: str = "region_path", owner_user_field: str | None = None) -> Q:
    """Return the Q filter limiting a queryset of region-bound records to ``user``'s scope.

    ``path_field`` names the record's region path column (``"region_path"`` on Enterprise,
    ``"path"`` on Region). ``owner_user_field`` names the lookup to the owning user for
    entrepreneurs (e.g. ``"owner__user"``); without it entrepreneurs see nothing.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    role = Role(user.role)
    # The province roles see everything; the superuser flag alone grants nothing extra.
    if role.is_province_wide:
        return Q()
    if role.is_region_scoped:
        q = NOTHING
        for path in region_paths(user):
            q |= Q(**{f"{path_field}__startswith": path})
        return q
    if role == Role.ENTREPRENEUR and owner_user_field:
        return Q(**{owner_user_field: user})
    # Ministry reviewers and anything unforeseen: no registry rows.
    return NOTHING


def can_see_region(user: User, region_path: str) -> bool:
    """Return True when a region (by path) lies inside ``user``'s region scope."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    role = Role(user.role)
    if role.is_province_wide:
        return True
    if role.is_region_scoped:
        return any(region_path.startswith(p) for p in region_paths(user))
    return False
