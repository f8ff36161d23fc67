from django.urls import path

from plut.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("map/regencies.geojson", views.regencies_geojson, name="regencies_geojson"),
    path("map/districts.geojson", views.districts_geojson, name="districts_geojson"),
    path("map/posts.geojson", views.posts_geojson, name="posts_geojson"),
    path("prices.json", views.prices_json, name="prices_json"),
]
