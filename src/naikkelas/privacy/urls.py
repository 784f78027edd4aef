from django.urls import path

from naikkelas.privacy import views

app_name = "privacy"

urlpatterns = [
    path("pemilik/<uuid:owner_id>/persetujuan/", views.consent_view, name="consent"),
    # ``str``, not ``uuid``: a malformed id is a 404 from the view, after the capability check.
    path("persetujuan/<str:consent_id>/bukti/", views.consent_evidence, name="consent_evidence"),
    path(
        "usaha/<uuid:business_id>/pemilik/<uuid:owner_id>/tampilkan/",
        views.person_reveal,
        name="person_reveal",
    ),
    path("privasi/permintaan/", views.request_list, name="request_list"),
    path("privasi/permintaan/<uuid:request_id>/", views.request_detail, name="request_detail"),
    path("saya/", views.my_data, name="my_data"),
    path("saya/unduh/", views.my_data_download, name="my_data_download"),
    path("saya/usaha/<uuid:business_id>/", views.my_business, name="my_business"),
]
