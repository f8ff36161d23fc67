from django.urls import path

from plut.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.home, name="home"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("proposals/<int:pk>/upload/", views.proposal_upload, name="upload"),
    path("proposals/<int:pk>/move/", views.proposal_move, name="move"),
    path("proposals/<int:pk>/documents/<int:doc_pk>/", views.document_download, name="document"),
    path("proposals/<int:pk>/dossier.zip", views.dossier, name="dossier"),
    path("outreach/", views.coverage, name="coverage"),
    path("outreach/<int:pk>/", views.outreach_event, name="outreach_event"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/apply/", views.call_apply, name="call_apply"),
    path("applications/<int:pk>/award/", views.application_award, name="award"),
    path("applications/<int:pk>/score/", views.application_score, name="score"),
    path("applications/<int:pk>/report/", views.application_report, name="report"),
]
