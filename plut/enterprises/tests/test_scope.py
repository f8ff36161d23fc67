"""Role and region scoping of the registry: every role, every view and API endpoint, with the denied case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from plut.accounts.services import api_token_create
from plut.core.models import PersonalDataAccess
from plut.enterprises.selectors import enterprise_list

pytestmark = pytest.mark.django_db

# Which cast enterprises each role sees in the registry.
VISIBLE = {
    "admin": {"ent_sambas", "ent_sanggau", "ent_pontianak"},
    "analyst": {"ent_sambas", "ent_sanggau", "ent_pontianak"},
    "officer_sambas": {"ent_sambas"},
    "officer_sanggau": {"ent_sanggau"},
    "consultant": {"ent_sanggau"},
    "ministry": set(),
    "entrepreneur": {"ent_sambas"},
}
ENTERPRISES = ["ent_sambas", "ent_sanggau", "ent_pontianak"]


def _names(cast, keys):
    return {getattr(cast, k).name for k in keys}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_selector_returns_only_the_scope(cast, role):
    user = getattr(cast, role)
    assert {e.name for e in enterprise_list(user=user)} == _names(cast, VISIBLE[role])


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_list_page_shows_only_the_scope(client, cast, role):
    client.force_login(getattr(cast, role))
    response = client.get(reverse("enterprises:list"))
    if role == "ministry":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = {e.name for e in response.context["page"].object_list}
    assert shown == _names(cast, VISIBLE[role])
    for hidden in set(ENTERPRISES) - VISIBLE[role]:
        assert getattr(cast, hidden).name not in response.content.decode()


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("target", ENTERPRISES)
def test_detail_page_by_url(client, cast, role, target):
    client.force_login(getattr(cast, role))
    response = client.get(reverse("enterprises:detail", args=[getattr(cast, target).pk]))
    if role == "ministry":
        expected = 403
    else:
        expected = 200 if target in VISIBLE[role] else 404
    assert response.status_code == expected


@pytest.mark.parametrize("role", sorted(VISIBLE))
@pytest.mark.parametrize("target", ENTERPRISES)
def test_api_detail_by_token(client, cast, role, target):
    key, _ = api_token_create(actor=None, user=getattr(cast, role), name="t")
    response = client.get(
        f"/api/v1/enterprises/{getattr(cast, target).pk}", headers={"authorization": f"Bearer {key}"}
    )
    assert response.status_code == (200 if target in VISIBLE[role] else 404)


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_api_list_by_session(client, cast, role):
    client.force_login(getattr(cast, role))
    response = client.get("/api/v1/enterprises")
    assert response.status_code == 200
    assert {i["name"] for i in response.json()["items"]} == _names(cast, VISIBLE[role])
    assert response.json()["count"] == len(VISIBLE[role])


def test_api_requires_authentication(client, cast):
    assert client.get("/api/v1/enterprises").status_code == 401
    assert client.get(f"/api/v1/enterprises/{cast.ent_sambas.pk}").status_code == 401
    assert (
        client.get("/api/v1/enterprises", headers={"authorization": "Bearer plut_wrong"}).status_code == 401
    )


def test_anonymous_is_sent_to_login(client, cast):
    response = client.get(reverse("enterprises:detail", args=[cast.ent_sambas.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_filters_apply_inside_the_scope(client, cast):
    client.force_login(cast.admin)
    response = client.get(reverse("enterprises:list"), {"border": "true"})
    assert {e.name for e in response.context["page"].object_list} == {"Amplang Temajuk", "Lada Entikong"}
    response = client.get(reverse("enterprises:list"), {"regency": "61.03"})
    assert [e.name for e in response.context["page"].object_list] == ["Lada Entikong"]
    response = client.get(reverse("enterprises:list"), {"size_class": "small"})
    assert [e.name for e in response.context["page"].object_list] == ["Amplang Temajuk"]
    response = client.get(reverse("enterprises:list"), {"has_nib": "true", "sells_cross_border": "true"})
    assert [e.name for e in response.context["page"].object_list] == ["Amplang Temajuk"]
    response = client.get(reverse("enterprises:list"), {"kbli_section": "I"})
    assert [e.name for e in response.context["page"].object_list] == ["Kopi Khatulistiwa"]
    # A Sambas officer asking for Sanggau gets nothing, not Sanggau's rows.
    client.force_login(cast.officer_sambas)
    response = client.get(reverse("enterprises:list"), {"regency": "61.03"})
    assert list(response.context["page"].object_list) == []


def test_nik_is_masked_until_revealed_and_the_reveal_is_logged(client, cast):
    client.force_login(cast.officer_sambas)
    url = reverse("enterprises:detail", args=[cast.ent_sambas.pk])
    page = client.get(url).content.decode()
    assert "************0001" in page
    assert "6101084506800001" not in page
    response = client.post(reverse("enterprises:reveal", args=[cast.ent_sambas.pk]))
    assert "6101084506800001" in response.content.decode()
    assert "+6281234567890" in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.actor, log.subject_id, log.fields) == (
        cast.officer_sambas,
        str(cast.ent_sambas.owner.pk),
        "nik,phone,address",
    )


def test_analyst_may_not_reveal_personal_data(client, cast):
    client.force_login(cast.analyst)
    response = client.post(reverse("enterprises:reveal", args=[cast.ent_sambas.pk]))
    assert response.status_code == 403
    assert PersonalDataAccess.objects.count() == 0


def test_officer_may_not_reveal_outside_the_regency(client, cast):
    client.force_login(cast.officer_sanggau)
    response = client.post(reverse("enterprises:reveal", args=[cast.ent_sambas.pk]))
    assert response.status_code == 404
    assert PersonalDataAccess.objects.count() == 0


def test_api_never_returns_a_clear_nik(client, cast):
    client.force_login(cast.admin)
    body = client.get(f"/api/v1/enterprises/{cast.ent_sambas.pk}").json()
    assert body["owner_nik_masked"] == "************0001"
    assert "6101084506800001" not in str(body)


def test_list_page_query_count_does_not_grow_with_rows(client, cast, django_assert_max_num_queries):
    client.force_login(cast.admin)
    with django_assert_max_num_queries(8):
        client.get(reverse("enterprises:list"))


# Enterprise counts per regency on the dashboard map, per role: (Sambas 61.01, Sanggau 61.03, Kota Pontianak 61.71).
MAP_COUNTS = {
    "admin": (1, 1, 1),
    "analyst": (1, 1, 1),
    "officer_sambas": (1, None, None),
    "officer_sanggau": (None, 1, None),
    "consultant": (None, 1, None),
    "ministry": (None, None, None),
    "entrepreneur": (1, None, None),  # their own enterprise only
}


@pytest.mark.parametrize("role", sorted(MAP_COUNTS))
def test_dashboard_map_counts_follow_the_scope(client, cast, role):
    client.force_login(getattr(cast, role))
    features = client.get(reverse("dashboard:regencies_geojson")).json()["features"]
    counts = {f["properties"]["code"]: f["properties"]["count"] for f in features}
    assert (counts["61.01"], counts["61.03"], counts["61.71"]) == MAP_COUNTS[role]
