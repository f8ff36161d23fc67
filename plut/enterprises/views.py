"""Registry pages: the list with filters, and the enterprise page."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from plut.accounts.models import Role
from plut.enterprises import selectors, services
from plut.regions.models import Level, Region


def _require_registry(user) -> None:
    # Ministry reviewers work on proposals only; they never see registry records.
    if not Role(user.role).can_view_registry:
        raise PermissionDenied


@login_required
def enterprise_list(request):
    _require_registry(request.user)
    filterset = selectors.enterprise_filterset(user=request.user, data=request.GET)
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(qs, settings.PLUT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "regencies": Region.objects.filter(level=Level.REGENCY, retired_in__isnull=True),
        "query": request.GET.copy(),
    }
    template = "enterprises/list.html#results" if request.htmx else "enterprises/list.html"
    return render(request, template, context)


@login_required
def enterprise_detail(request, pk: int):
    _require_registry(request.user)
    enterprise = selectors.get_enterprise_for_user(user=request.user, pk=pk)
    context = {
        "enterprise": enterprise,
        "figures": enterprise.figures.order_by("-as_of", "-id"),
        "permits": enterprise.permits.all(),
        "products": enterprise.products.all(),
        "kblis": enterprise.enterprisekbli_set.select_related("kbli"),
        "naik_kelas": services.enterprise_naik_kelas(enterprise=enterprise),
        "can_reveal": Role(request.user.role).can_reveal_personal_data,
    }
    return render(request, "enterprises/detail.html", context)


@login_required
@require_POST
def owner_reveal(request, pk: int):
    _require_registry(request.user)
    enterprise = selectors.get_enterprise_for_user(user=request.user, pk=pk)
    revealed = services.owner_reveal(actor=request.user, owner=enterprise.owner)
    return render(
        request, "enterprises/detail.html#personal", {"enterprise": enterprise, "revealed": revealed}
    )
