from django.urls import path

from naikkelas.registry import export_views, views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("ringkasan/", views.dashboard, name="dashboard"),
    path("usaha/", views.business_list_view, name="business_list"),
    path("usaha/ekspor/", export_views.business_export, name="business_export"),
    path("usaha/baru/", views.business_create, name="business_create"),
    path("usaha/<uuid:business_id>/", views.business_detail, name="business_detail"),
    path("usaha/<uuid:business_id>/ubah/", views.business_edit, name="business_edit"),
    path("usaha/<uuid:business_id>/data-tahunan/", views.figure_set, name="figure_set"),
    path("usaha/<uuid:business_id>/izin/", views.permit_add, name="permit_add"),
    path(
        "usaha/<uuid:business_id>/izin/<uuid:permit_id>/hapus/",
        views.permit_remove,
        name="permit_remove",
    ),
    path("usaha/<uuid:business_id>/saluran/", views.channel_add, name="channel_add"),
    path(
        "usaha/<uuid:business_id>/saluran/<uuid:channel_id>/hapus/",
        views.channel_remove,
        name="channel_remove",
    ),
    path("usaha/<uuid:business_id>/tutup/", views.business_close, name="business_close"),
    path("usaha/<uuid:business_id>/buka/", views.business_reopen, name="business_reopen"),
]
