from django.urls import path, re_path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/edit/", views.review_edit, name="edit"),
    path("<int:pk>/scope/", views.review_scope, name="scope"),
    path("<int:pk>/team/", views.review_team, name="team"),
    path("<int:pk>/transition/", views.review_transition, name="transition"),
    path("<int:pk>/assess/", views.workspace, name="workspace"),
    path("<int:pk>/assessments/<int:assessment_pk>/", views.assessment_save, name="assessment"),
    path("<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("<int:pk>/recommendations/new/", views.recommendation_form, name="recommendation_create"),
    path("<int:pk>/recommendations/<int:recommendation_pk>/", views.recommendation_form, name="recommendation_edit"),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/move/", views.recommendation_move, name="recommendation_move"
    ),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/delete/",
        views.recommendation_delete,
        name="recommendation_delete",
    ),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/reports/", views.report_jobs, name="reports"),
    re_path(
        r"^(?P<pk>\d+)/recommendations\.(?P<fmt>xlsx|csv)$", views.recommendations_export, name="recommendations_export"
    ),
    path("reports/<int:job_pk>/download/", views.report_download, name="report_download"),
    path("portfolio/", views.portfolio, name="portfolio"),
]
