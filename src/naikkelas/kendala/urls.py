from django.urls import path

from naikkelas.kendala import owner_views, public_views, views

app_name = "kendala"

urlpatterns = [
    # public: no account
    path("kendala/", public_views.public_report, name="public_report"),
    path("kendala/terima/<str:code>/", public_views.public_done, name="public_done"),
    path("kendala/status/", public_views.public_status, name="public_status"),
    # owners
    path("saya/kendala/", owner_views.my_kendala, name="my_kendala"),
    # officers
    path("kendala/kelola/", views.manage_list, name="manage_list"),
    path("kendala/kelola/catat/", views.manage_create, name="manage_create"),
    path("kendala/kelola/forum/", views.forum, name="forum"),
    path("kendala/kelola/kategori/", views.categories, name="categories"),
    path("kendala/kelola/<uuid:kendala_id>/", views.manage_detail, name="manage_detail"),
    path(
        "kendala/kelola/<uuid:kendala_id>/<slug:action>/",
        views.manage_action,
        name="manage_action",
    ),
    # counts for planning (no personal data)
    path("kendala/laporan/", views.planning, name="planning"),
]
