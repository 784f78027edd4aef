from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language

from naikkelas.accounts.permissions import public
from naikkelas.accounts.self_views import TwoStepLoginView, login_totp
from naikkelas.api.api import api

urlpatterns = [
    # Django's login (django-axes lockout unchanged); with two-factor on, a second step.
    path("masuk/", public(TwoStepLoginView.as_view()), name="login"),
    path("masuk/kode/", login_totp, name="login_totp"),
    path("keluar/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    # The admin site's own login form would skip the second step: it sends people to ours.
    path(
        "admin/login/",
        public(RedirectView.as_view(pattern_name="login", query_string=True)),
        name="admin_login_redirect",
    ),
    # Django's admin keeps its own staff-only gate (only the admin role is staff).
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # /healthz, /metrics and the background jobs page (/operasi/)
    path("", include("naikkelas.ops.urls")),
    path("akun/", include("naikkelas.accounts.urls")),
    path("impor/", include("naikkelas.intake.urls")),
    path("data-ganda/", include("naikkelas.linkage.urls")),
    # field collection: the OpenRosa server for ODK Collect (/odk/) and its pages (/lapangan/)
    path("", include("naikkelas.fieldwork.urls")),
    path("", include("naikkelas.programs.urls")),
    path("", include("naikkelas.guidance.urls")),
    path("", include("naikkelas.market.urls")),
    path("", include("naikkelas.kendala.urls")),
    path("", include("naikkelas.association.urls")),
    path("", include("naikkelas.reports.urls")),
    path("", include("naikkelas.privacy.urls")),
    path("", include("naikkelas.registry.urls")),
]
