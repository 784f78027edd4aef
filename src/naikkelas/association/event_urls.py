"""URLs of the association's events (included by association.urls, namespace ``association``)."""

from django.urls import path

from naikkelas.association import event_views as views

urlpatterns = [
    path("asosiasi/kegiatan/", views.event_list, name="event_list"),
    path("asosiasi/kegiatan/baru/", views.event_create, name="event_create"),
    path("asosiasi/kegiatan/<uuid:event_id>/", views.event_detail, name="event_detail"),
    path("asosiasi/kegiatan/<uuid:event_id>/ubah/", views.event_edit, name="event_edit"),
    path(
        "asosiasi/kegiatan/<uuid:event_id>/daftarkan/",
        views.event_register,
        name="event_register",
    ),
    path(
        "asosiasi/kegiatan/<uuid:event_id>/batalkan/",
        views.event_registration_cancel,
        name="event_registration_cancel",
    ),
    path(
        "asosiasi/kegiatan/<uuid:event_id>/hadir/", views.event_attendance, name="event_attendance"
    ),
    path(
        "asosiasi/kegiatan/<uuid:event_id>/hadir/batalkan/",
        views.event_attendance_clear,
        name="event_attendance_clear",
    ),
    path("asosiasi/kegiatan/<uuid:event_id>/qr/", views.event_qr, name="event_qr"),
    path(
        "asosiasi/kegiatan/<uuid:event_id>/peserta/",
        views.event_participants_export,
        name="event_participants_export",
    ),
    path(
        "asosiasi/kegiatan/<uuid:event_id>/pengingat/",
        views.event_reminders,
        name="event_reminders",
    ),
    path(
        "asosiasi/kegiatan/pendaftaran/<uuid:registration_id>/whatsapp/",
        views.event_whatsapp,
        name="event_whatsapp",
    ),
    path("asosiasi/hadir/<str:code>/", views.event_checkin, name="event_checkin"),
    path("saya/kegiatan/", views.my_events, name="my_events"),
    path(
        "saya/kegiatan/<uuid:event_id>/daftar/", views.my_event_register, name="my_event_register"
    ),
    path("saya/kegiatan/<uuid:event_id>/batal/", views.my_event_cancel, name="my_event_cancel"),
]
