from django.urls import path

from plut.border import views

app_name = "border"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("map/districts.geojson", views.districts_geojson, name="districts_geojson"),
    path("map/markets.geojson", views.markets_geojson, name="markets_geojson"),
    path("trend.json", views.trend_json, name="trend_json"),
    path("indicators.xlsx", views.indicators_xlsx, name="indicators_xlsx"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/import/", views.survey_import, name="survey_import"),
    path("surveys/template.xlsx", views.survey_template, name="survey_template"),
    path("rates/", views.rates, name="rates"),
    path("rates/import/", views.rates_upload, name="rates_import"),
    path("sales/<int:enterprise_id>/new/", views.sale_new, name="sale_new"),
    path("branding/<int:enterprise_id>/refer/", views.branding_refer, name="branding_refer"),
    path("branding.xlsx", views.branding_xlsx, name="branding_xlsx"),
    path("settings/", views.settings_page, name="settings"),
    path("leads/", views.leads, name="leads"),
    path("leads.xlsx", views.leads_xlsx, name="leads_xlsx"),
]
