"""URLs of the association's dues (included by association.urls, namespace ``association``)."""

from django.urls import path

from naikkelas.association import dues_views

urlpatterns = [
    path("asosiasi/anggota/<uuid:member_id>/iuran/", dues_views.dues_record, name="dues_record"),
    path("asosiasi/iuran/<uuid:payment_id>/batal/", dues_views.dues_void, name="dues_void"),
    path(
        "asosiasi/iuran/<uuid:payment_id>/kuitansi.pdf",
        dues_views.dues_receipt,
        name="dues_receipt",
    ),
    path("asosiasi/tunggakan/", dues_views.dues_arrears, name="dues_arrears"),
    path("asosiasi/perpanjangan/", dues_views.dues_renewals, name="dues_renewals"),
    path(
        "asosiasi/anggota/<uuid:member_id>/whatsapp/<slug:kind>/",
        dues_views.dues_whatsapp,
        name="dues_whatsapp",
    ),
    path(
        "asosiasi/anggota/<uuid:member_id>/pengingat-email/",
        dues_views.dues_reminder_email,
        name="dues_reminder_email",
    ),
]
