from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from consultation import api as consultation_api
from followup import api as followup_api
from iomborder import search
from iomborder.tokens import TokenDetail, TokenList, TokenSignIn
from reports import api as reports_api
from reviews import api as reviews_api
from reviews import instrument_api, provision_api

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/auth/token/", TokenSignIn.as_view(), name="api-token"),
    path("v1/auth/tokens/", TokenList.as_view(), name="api-tokens"),
    path("v1/auth/tokens/<int:pk>/", TokenDetail.as_view(), name="api-token-detail"),
    path("v1/reviews/", reviews_api.ReviewList.as_view(), name="api-reviews"),
    path("v1/reviews/<int:pk>/", reviews_api.ReviewDetail.as_view(), name="api-review"),
    path("v1/reviews/<int:review_pk>/assessments/", reviews_api.AssessmentList.as_view(), name="api-assessments"),
    path("v1/reviews/<int:review_pk>/history/", reviews_api.HistoryList.as_view(), name="api-history"),
    path(
        "v1/reviews/<int:review_pk>/assessments/<int:pk>/",
        reviews_api.AssessmentDetail.as_view(),
        name="api-assessment",
    ),
    path(
        "v1/reviews/<int:review_pk>/recommendations/",
        reviews_api.RecommendationList.as_view(),
        name="api-recommendations",
    ),
    path(
        "v1/reviews/<int:review_pk>/recommendations/<int:pk>/",
        reviews_api.RecommendationDetail.as_view(),
        name="api-recommendation",
    ),
    path("v1/reviews/<int:review_pk>/reports/", reports_api.ReportRequest.as_view(), name="api-report-request"),
    path("v1/reviews/<int:review_pk>/drafts/", consultation_api.DraftList.as_view(), name="api-drafts"),
    path("v1/reviews/<int:review_pk>/drafts/<int:number>/", consultation_api.DraftDetail.as_view(), name="api-draft"),
    path("v1/reviews/<int:review_pk>/comments/", consultation_api.CommentList.as_view(), name="api-comments"),
    path("v1/reviews/<int:review_pk>/comments/<int:pk>/", consultation_api.CommentDetail.as_view(), name="api-comment"),
    path("v1/reviews/<int:review_pk>/positions/", followup_api.PositionList.as_view(), name="api-positions"),
    path("v1/reviews/<int:review_pk>/actions/", followup_api.ActionList.as_view(), name="api-actions"),
    path("v1/reviews/<int:review_pk>/actions/<int:pk>/", followup_api.ActionDetail.as_view(), name="api-action"),
    path("v1/actions/<int:pk>/progress/", followup_api.ActionProgress.as_view(), name="api-action-progress"),
    path("v1/reviews/<int:review_pk>/follow-up/", followup_api.NextCycle.as_view(), name="api-next-cycle"),
    path("v1/reviews/<int:review_pk>/comparison/", followup_api.CycleComparison.as_view(), name="api-comparison"),
    path(
        "v1/reviews/<int:review_pk>/drafts/<int:number>/word-imports/",
        reports_api.WordImportCreate.as_view(),
        name="api-word-imports",
    ),
    path("v1/word-imports/<int:pk>/", reports_api.WordImportDetail.as_view(), name="api-word-import"),
    path("v1/word-imports/<int:pk>/confirm/", reports_api.WordImportConfirm.as_view(), name="api-word-import-confirm"),
    path("v1/reports/<int:pk>/", reports_api.ReportDetail.as_view(), name="api-report"),
    path("v1/reports/<int:pk>/download/", reports_api.ReportDownload.as_view(), name="api-report-download"),
    path("v1/states/<str:code>/instruments/", instrument_api.InstrumentList.as_view(), name="api-instruments"),
    path(
        "v1/states/<str:code>/instruments/<int:instrument_pk>/provisions/",
        provision_api.ProvisionList.as_view(),
        name="api-provisions",
    ),
    path(
        "v1/states/<str:code>/instruments/<int:instrument_pk>/provisions/<int:pk>/",
        provision_api.ProvisionDetail.as_view(),
        name="api-provision",
    ),
    path("v1/reviews/<int:review_pk>/gap-matrix/", provision_api.GapMatrix.as_view(), name="api-gap-matrix"),
    path(
        "v1/reviews/<int:review_pk>/gap-matrix/<int:pk>/",
        provision_api.GapEntryDetail.as_view(),
        name="api-gap-entry",
    ),
    path(
        "v1/catalogue/standard-provisions/",
        provision_api.StandardProvisionList.as_view(),
        name="api-standard-provisions",
    ),
    path("v1/search/", search.SearchAPI.as_view(), name="api-search"),
    path("v1/comparisons/", provision_api.Comparison.as_view(), name="api-comparisons"),
    path(
        "v1/states/<str:code>/instruments/<int:pk>/", instrument_api.InstrumentDetail.as_view(), name="api-instrument"
    ),
]
