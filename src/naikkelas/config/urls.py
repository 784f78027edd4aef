from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from naikkelas.accounts.permissions import public
from naikkelas.api.api import api

urlpatterns = [
    path("masuk/", public(auth_views.LoginView.as_view()), name="login"),
    path("keluar/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    # Django's admin keeps its own staff-only gate (only the admin role is staff).
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("akun/", include("naikkelas.accounts.urls")),
    path("", include("naikkelas.privacy.urls")),
    path("", include("naikkelas.registry.urls")),
]
