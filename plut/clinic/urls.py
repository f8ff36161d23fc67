from django.urls import path

from plut.clinic import views

app_name = "clinic"
urlpatterns = [
    path("", views.home, name="home"),
    path("request/", views.case_request, name="request"),
    path("intake/", views.case_intake, name="intake"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/pick-up/", views.case_pick_up, name="pick_up"),
    path("<int:pk>/areas/", views.case_areas, name="areas"),
    path("<int:pk>/diagnose/", views.case_diagnose, name="diagnose"),
    path("<int:pk>/plan/", views.case_plan, name="plan"),
    path("<int:pk>/agreement/accept/", views.agreement_accept, name="agreement_accept"),
    path("<int:pk>/agreement.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("<int:pk>/sessions/", views.session_create, name="session"),
    path("<int:pk>/referrals/", views.referral_create, name="referral"),
    path("<int:pk>/referrals/<int:referral_pk>/outcome/", views.referral_outcome, name="referral_outcome"),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/cancel/", views.case_cancel, name="cancel"),
    path("<int:pk>/letters/", views.letter_issue, name="letter_issue"),
    path("<int:pk>/letters/<int:letter_pk>.pdf", views.letter_download, name="letter"),
]
