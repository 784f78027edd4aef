from django.urls import path

from naikkelas.programs import owner_views, views

app_name = "programs"

urlpatterns = [
    path("program/", views.programme_index, name="programme_list"),
    path("program/<uuid:programme_id>/", views.programme_detail, name="programme_detail"),
    path("program/keadilan/", views.fairness_cumulative, name="fairness"),
    path("program/angkatan/<uuid:cycle_id>/", views.cycle_detail, name="cycle_detail"),
    path("program/angkatan/<uuid:cycle_id>/ubah/", views.cycle_edit, name="cycle_edit"),
    path(
        "program/angkatan/<uuid:cycle_id>/langkah/<slug:action>/",
        views.cycle_action,
        name="cycle_action",
    ),
    path("program/angkatan/<uuid:cycle_id>/syarat/", views.rule_add, name="rule_add"),
    path(
        "program/angkatan/<uuid:cycle_id>/syarat/<int:index>/hapus/",
        views.rule_remove,
        name="rule_remove",
    ),
    path("program/angkatan/<uuid:cycle_id>/sesi/", views.session_add, name="session_add"),
    path(
        "program/angkatan/<uuid:cycle_id>/sesi/<uuid:session_id>/kehadiran/",
        views.attendance,
        name="attendance",
    ),
    path("program/angkatan/<uuid:cycle_id>/nominasi/", views.nominate, name="nominate"),
    path("program/nominasi/", views.nominate_chosen, name="nominate_chosen"),
    path(
        "program/angkatan/<uuid:cycle_id>/keadilan/",
        views.cycle_fairness_view,
        name="cycle_fairness",
    ),
    path(
        "program/angkatan/<uuid:cycle_id>/pendaftar.<slug:fmt>",
        views.cycle_export,
        name="cycle_export",
    ),
    path(
        "program/angkatan/<uuid:cycle_id>/<slug:kind>.pdf",
        views.participants_pdf,
        name="participants_pdf",
    ),
    path(
        "program/pendaftar/<uuid:application_id>/<slug:action>/",
        views.application_change,
        name="application_change",
    ),
    path(
        "program/pendaftar/<uuid:application_id>/whatsapp",
        views.whatsapp,
        name="whatsapp",
    ),
    path(
        "program/peserta/<uuid:enrolment_id>/<slug:action>/",
        views.enrolment_change,
        name="enrolment_change",
    ),
    path("program/seleksi/<uuid:run_id>/", views.run_detail, name="run_detail"),
    path("program/bantuan/<uuid:business_id>/", views.aid_add, name="aid_add"),
    path(
        "program/usaha/<uuid:business_id>/nominasi/",
        views.nominate_business,
        name="nominate_business",
    ),
    path("saya/program/", owner_views.my_programmes, name="my_programmes"),
    path("saya/program/<uuid:cycle_id>/daftar/", owner_views.my_apply, name="my_apply"),
]
