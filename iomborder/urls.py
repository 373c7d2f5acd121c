from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from iomborder import health, views
from reviews import consultation_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("accounts/preferences/", views.preferences, name="preferences"),
    path("reviews/", include("reviews.urls")),
    path("invitations/<str:token>/", consultation_views.invitation_accept, name="invitation"),
    path("states/", include("frameworks.urls")),
    path("api/", include("iomborder.api_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "iomborder.errors.server_error"
