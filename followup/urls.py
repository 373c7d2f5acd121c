"""The follow-up's pages under /reviews/ (namespace "reviews": see iomborder/urls.py)."""

from django.urls import path

from followup import plan_views, views

urlpatterns = [
    path("follow-up/", plan_views.portfolio, name="followup_portfolio"),
    path("<int:pk>/follow-up/", plan_views.dashboard, name="followup"),
    path("<int:pk>/follow-up/period/", plan_views.reporting_period, name="reporting_period"),
    path("<int:pk>/follow-up/next-cycle/", plan_views.next_cycle, name="next_cycle"),
    path("<int:pk>/follow-up/plan.xlsx", plan_views.plan_download, name="plan_download"),
    path("<int:pk>/follow-up/upload/", plan_views.plan_upload, name="plan_upload"),
    path("<int:pk>/follow-up/report/", plan_views.followup_report, name="followup_report"),
    path("<int:pk>/follow-up/comparison/", plan_views.cycle_comparison, name="cycle_comparison"),
    path("<int:pk>/follow-up/actions/new/", plan_views.action_form, name="action_create"),
    path("<int:pk>/follow-up/actions/<int:action_pk>/", plan_views.action_progress, name="action_progress"),
    path("<int:pk>/follow-up/actions/<int:action_pk>/edit/", plan_views.action_form, name="action_edit"),
    path("<int:pk>/follow-up/actions/<int:action_pk>/cancel/", plan_views.action_cancel, name="action_cancel"),
    path("<int:pk>/follow-up/progress/<int:report_pk>/review/", plan_views.progress_review, name="progress_review"),
    path(
        "<int:pk>/follow-up/progress/<int:report_pk>/evidence/", plan_views.progress_evidence, name="progress_evidence"
    ),
    path("<int:pk>/follow-up/positions/", views.positions, name="positions"),
    path("<int:pk>/follow-up/workshop/<int:number>/", views.workshop, name="workshop"),
]
