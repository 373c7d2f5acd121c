"""The reports' pages under /reviews/ (namespace "reviews": see reviews/urls.py)."""

from django.urls import path, re_path

from reports import views

urlpatterns = [
    path("<int:pk>/reports/", views.report_jobs, name="reports"),
    re_path(
        r"^(?P<pk>\d+)/recommendations\.(?P<fmt>xlsx|csv)$", views.recommendations_export, name="recommendations_export"
    ),
    path("<int:pk>/gap-matrix.xlsx", views.gap_matrix_export, name="gap_matrix_export"),
    path("reports/<int:job_pk>/download/", views.report_download, name="report_download"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("<int:pk>/drafts/<int:number>/word/", views.word_upload, name="word_upload"),
    path("<int:pk>/word-imports/<int:import_pk>/", views.word_triage, name="word_triage"),
]
