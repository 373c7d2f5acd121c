from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from consultation import urls as consultation_urls
from consultation import views as consultation_views
from followup import urls as followup_urls
from iomborder import health, oidc, search, views
from reports import urls as reports_urls
from reviews import urls as reviews_urls

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),  # before Django's: keeps the choice
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", views.SignInView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/oidc/start/", oidc.StartView.as_view(), name="oidc_start"),
    path("accounts/oidc/callback/", oidc.CallbackView.as_view(), name="oidc_callback"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("accounts/preferences/", views.preferences, name="preferences"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.inbox_open, name="inbox_open"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
    path("accounts/verify-email/<str:token>/", views.verify_email, name="verify_email"),
    path("accounts/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("accounts/sessions/<int:pk>/end/", views.session_end, name="session_end"),
    path("accounts/two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/codes/", views.two_factor_codes, name="two_factor_codes"),
    path("accounts/two-factor/key/", views.security_key_sign_in, name="security_key_sign_in"),
    path("accounts/two-factor/key/begin/", views.security_key_sign_in_begin, name="security_key_sign_in_begin"),
    path("accounts/two-factor/key/new/", views.security_key_register, name="security_key_register"),
    path(
        "accounts/two-factor/key/new/begin/",
        views.security_key_register_begin,
        name="security_key_register_begin",
    ),
    path("accounts/security-keys/<int:pk>/remove/", views.security_key_remove, name="security_key_remove"),
    path("accounts/api-tokens/new/", views.api_token_new, name="api_token_new"),
    path("accounts/api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("accounts/password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # A review's pages, from the four apps that make them, in one namespace.
    path(
        "reviews/",
        include(
            (
                reviews_urls.urlpatterns
                + consultation_urls.urlpatterns
                + reports_urls.urlpatterns
                + followup_urls.urlpatterns,
                "reviews",
            )
        ),
    ),
    path("invitations/<str:token>/", consultation_views.invitation_accept, name="invitation"),
    path("states/", include("reviews.instrument_urls")),
    path("search/", search.search_page, name="search"),
    path("api/", include("iomborder.api_urls")),
]

# No address serves the stored files directly, not even while developing: each download is a view that checks
# who asks (an instrument's file, a comment's attachment, a report, a progress report's evidence).

handler500 = "iomborder.errors.server_error"
handler404 = "iomborder.errors.page_not_found"
handler403 = "iomborder.errors.permission_denied"
