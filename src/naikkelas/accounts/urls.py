from django.urls import path

from naikkelas.accounts import self_views, views

app_name = "accounts"

urlpatterns = [
    path("pengguna/", views.user_list_view, name="user_list"),
    path("pengguna/undang/", views.user_invite, name="user_invite"),
    path("pengguna/<int:user_id>/", views.user_edit, name="user_edit"),
    path("pengguna/<int:user_id>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("pengguna/<int:user_id>/aktifkan/", views.user_reactivate, name="user_reactivate"),
    path("pengguna/<int:user_id>/dua-langkah/", views.user_totp_reset, name="user_totp_reset"),
    path(
        "pengguna/<int:user_id>/undangan/",
        views.user_invitation_resend,
        name="user_invitation_resend",
    ),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/ekspor/", views.audit_export, name="audit_export"),
    # "Akun saya": every signed-in user's own password, API tokens and two-factor sign-in.
    path("saya/", self_views.account_self, name="self"),
    path("saya/kata-sandi/", self_views.account_password_change, name="self_password"),
    path("saya/token/", self_views.account_token_create, name="self_token_create"),
    path(
        "saya/token/<int:token_id>/cabut/",
        self_views.account_token_revoke,
        name="self_token_revoke",
    ),
    path("saya/dua-langkah/", self_views.account_totp_enrol, name="self_totp_enrol"),
    path(
        "saya/dua-langkah/konfirmasi/",
        self_views.account_totp_confirm,
        name="self_totp_confirm",
    ),
    path(
        "saya/dua-langkah/nonaktifkan/",
        self_views.account_totp_disable,
        name="self_totp_disable",
    ),
]
