from django.conf import settings
from django.conf.urls.i18n import i18n_patterns  # noqa: F401
from django.contrib import admin
from django.urls import include, path

from plut.api.api import api
from plut.clinic import views as clinic_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("plut.accounts.urls")),
    path("registry/", include("plut.enterprises.urls")),
    path("imports/", include("plut.imports.urls")),
    path("clinic/", include("plut.clinic.urls")),
    path("border/", include("plut.border.urls")),
    path("programmes/", include("plut.programmes.urls")),
    path("monitoring/", include("plut.monitoring.urls")),
    path("verify/<str:code>/", clinic_views.letter_verify, name="letter_verify"),
    path("api/v1/", api.urls),
    path("", include("plut.dashboard.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
