"""The review's own pages. iomborder/urls.py puts them, the consultation's and the reports' under /reviews/, in
one URL namespace ("reviews"), so the templates name every page of a review alike."""

from django.urls import path

from reviews import comparison_views, gap_views, views

urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path("compare/", comparison_views.compare, name="compare"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/edit/", views.review_edit, name="edit"),
    path("<int:pk>/scope/", views.review_scope, name="scope"),
    path("<int:pk>/team/", views.review_team, name="team"),
    path("<int:pk>/transition/", views.review_transition, name="transition"),
    path("<int:pk>/assess/", views.workspace, name="workspace"),
    path("<int:pk>/assess/criteria/", views.workspace_criteria, name="workspace_criteria"),
    path("<int:pk>/assessments/<int:assessment_pk>/", views.assessment_save, name="assessment"),
    path("<int:pk>/assessments/<int:assessment_pk>/evidence/", views.evidence_picker, name="assessment_evidence"),
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
    path("<int:pk>/gap-matrix/", gap_views.gap_matrix, name="gap_matrix"),
    path("<int:pk>/gap-matrix/<int:entry_pk>/", gap_views.gap_entry, name="gap_entry"),
    path("<int:pk>/gap-matrix/<int:entry_pk>/remove/", gap_views.gap_entry_remove, name="gap_entry_remove"),
]
