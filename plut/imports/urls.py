from django.urls import path

from plut.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("upload/", views.batch_upload, name="upload"),
    path("template.xlsx", views.template_download, name="template"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("<int:pk>/commit/", views.batch_commit, name="commit"),
    path("<int:pk>/errors.xlsx", views.batch_error_report, name="error_report"),
    path("<int:pk>/rows/<int:number>/cells.json", views.batch_row_cells, name="row_cells"),
]
