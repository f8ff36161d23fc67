from django.urls import path

from plut.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map.geojson", views.map_geojson, name="map_geojson"),
    path("series.json", views.series_json, name="series_json"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/enter/<int:enterprise_id>/", views.entry, name="entry"),
    path("flags/", views.flags, name="flags"),
    path("flags/<int:pk>/explain/", views.flag_explain, name="flag_explain"),
    path("reach/", views.reach_view, name="reach"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
]
