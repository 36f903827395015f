from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cjm import views
from cjm.health import healthz
from workshops.web.accounts import LoginView, signup
from workshops.web.invites import not_for_guests

# Only the account pages the tool uses: there is no e-mail, so no password reset by mail.
accounts = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password_change/",
        not_for_guests(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("signup/", signup, name="signup"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # AGPL section 13: the source of what runs here, for anyone, logged in or not.
    path("source/", views.source, name="source"),
    path("source/LICENSE", views.license_text, name="source-license"),
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts)),
    path("api/", include("workshops.api.urls")),
    path("api/", include("evidence.api.urls")),
    path("api/", include("documents.api.urls")),
    path("api/", include("notifications.api.urls")),
    path("api/", include("privacy.api_urls")),
    path("api/", include("search.api_urls")),
    path("", include("workshops.web.urls")),
    path("", include("documents.web.urls")),
    path("", include("evidence.web.urls")),
    path("", include("notifications.web.urls")),
    path("", include("privacy.urls")),
    path("", include("search.urls")),
]
