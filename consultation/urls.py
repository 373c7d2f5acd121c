"""The consultation's pages under /reviews/ (namespace "reviews": see reviews/urls.py)."""

from django.urls import path

from consultation import views as consult

urlpatterns = [
    path("<int:pk>/drafts/publish/", consult.draft_publish, name="draft_publish"),
    path("<int:pk>/drafts/compare/", consult.draft_compare, name="draft_compare"),
    path("<int:pk>/drafts/<int:number>/", consult.draft_detail, name="draft"),
    path("<int:pk>/drafts/<int:number>/comments/", consult.comment_create, name="comment_create"),
    path("<int:pk>/drafts/<int:number>/threads/", consult.draft_threads, name="draft_threads"),
    path("<int:pk>/drafts/<int:number>/deadline/", consult.comments_due, name="comments_due"),
    path("<int:pk>/comments/<int:comment_pk>/attachment/", consult.comment_attachment, name="comment_attachment"),
    path("<int:pk>/drafts/<int:number>/comments.xlsx", consult.comment_matrix, name="comment_matrix"),
    path("<int:pk>/threads/<int:comment_pk>/answer/", consult.thread_answer, name="thread_answer"),
    path("<int:pk>/invite/", consult.invite, name="invite"),
    path("<int:pk>/access/<int:user_pk>/withdraw/", consult.withdraw, name="withdraw"),
    path("<int:pk>/validation/<str:step>/", consult.validation_step, name="validation_step"),
    path("<int:pk>/state-validation/", consult.state_validation, name="state_validation"),
]
