from django.urls import path

from naikkelas.accounts import views

app_name = "accounts"

urlpatterns = [
    path("pengguna/", views.user_list_view, name="user_list"),
    path("pengguna/undang/", views.user_invite, name="user_invite"),
    path("pengguna/<int:user_id>/", views.user_edit, name="user_edit"),
    path("pengguna/<int:user_id>/nonaktifkan/", views.user_deactivate, name="user_deactivate"),
    path("pengguna/<int:user_id>/aktifkan/", views.user_reactivate, name="user_reactivate"),
    path(
        "pengguna/<int:user_id>/undangan/",
        views.user_invitation_resend,
        name="user_invitation_resend",
    ),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/ekspor/", views.audit_export, name="audit_export"),
]
