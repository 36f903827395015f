from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cjm.health import healthz
from workshops.pdf_views import MapExportPDFView
from workshops.views_invites import not_for_guests
from workshops.views import signup

# Only the account pages the tool uses: there is no e-mail, so no password reset by mail.
accounts = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", not_for_guests(auth_views.PasswordChangeView.as_view()),
         name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("signup/", signup, name="signup"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts)),
    # The PDF export lives with the other PDF code, before the API include.
    path("api/maps/<int:map_id>/export.pdf", MapExportPDFView.as_view(), name="api-map-export-pdf"),
    path("api/", include("workshops.api_urls")),
    path("api/", include("evidence.urls")),
    path("", include("workshops.urls")),
]

