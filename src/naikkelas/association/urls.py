"""URLs of the association: members, applications and board (``views``), dues
(``dues_urls``), events (``event_urls``), the public card check and the owner's portal."""

from django.urls import include, path

from naikkelas.association import owner_views, public_views, views

app_name = "association"

urlpatterns = [
    path("asosiasi/", views.member_list, name="member_list"),
    path("asosiasi/anggota/<uuid:member_id>/", views.member_detail, name="member_detail"),
    path("asosiasi/anggota/<uuid:member_id>/kartu/", views.member_card, name="member_card"),
    path("asosiasi/anggota/<uuid:member_id>/status/", views.member_status, name="member_status"),
    path("asosiasi/anggota/<uuid:member_id>/berhenti/", views.member_end, name="member_end"),
    path("asosiasi/pengajuan/", views.application_list, name="application_list"),
    path("asosiasi/pengajuan/baru/", views.application_create, name="application_create"),
    path(
        "asosiasi/pengajuan/<uuid:application_id>/putuskan/",
        views.application_decide,
        name="application_decide",
    ),
    path("asosiasi/pengurus/", views.board, name="board"),
    path("asosiasi/jenis/", views.membership_types, name="membership_types"),
    path("asosiasi/dari-register/", views.members_from_register, name="members_from_register"),
    path("asosiasi/laporan/", views.report, name="report"),
    path("anggota/cek/<str:card_code>/", public_views.card_check, name="card_check"),
    path("saya/keanggotaan/", owner_views.my_membership, name="my_membership"),
    path("saya/keanggotaan/<uuid:member_id>/kartu/", owner_views.my_card, name="my_card"),
    path("", include("naikkelas.association.dues_urls")),
    path("", include("naikkelas.association.event_urls")),
]
