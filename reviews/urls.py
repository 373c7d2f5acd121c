from django.urls import path, re_path

from reviews import consultation_views as consult
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
    path("<int:pk>/recommendations/bin/", views.recommendation_bin, name="recommendation_bin"),
    path(
        "<int:pk>/recommendations/<int:recommendation_pk>/restore/",
        views.recommendation_restore,
        name="recommendation_restore",
    ),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/reports/", views.report_jobs, name="reports"),
    re_path(
        r"^(?P<pk>\d+)/recommendations\.(?P<fmt>xlsx|csv)$", views.recommendations_export, name="recommendations_export"
    ),
    path("reports/<int:job_pk>/download/", views.report_download, name="report_download"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("<int:pk>/drafts/publish/", consult.draft_publish, name="draft_publish"),
    path("<int:pk>/drafts/compare/", consult.draft_compare, name="draft_compare"),
    path("<int:pk>/drafts/<int:number>/", consult.draft_detail, name="draft"),
    path("<int:pk>/drafts/<int:number>/comments/", consult.comment_create, name="comment_create"),
    path("<int:pk>/drafts/<int:number>/comments.xlsx", consult.comment_matrix, name="comment_matrix"),
    path("<int:pk>/threads/<int:comment_pk>/answer/", consult.thread_answer, name="thread_answer"),
    path("<int:pk>/invite/", consult.invite, name="invite"),
    path("<int:pk>/access/<int:user_pk>/withdraw/", consult.withdraw, name="withdraw"),
    path("<int:pk>/validation/<str:step>/", consult.validation_step, name="validation_step"),
    path("<int:pk>/state-validation/", consult.state_validation, name="state_validation"),
]
