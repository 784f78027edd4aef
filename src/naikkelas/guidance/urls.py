from django.urls import path

from naikkelas.guidance import views

app_name = "guidance"

urlpatterns = [
    path("cek/", views.self_check, name="self_check"),
    path("cek/rencana.pdf", views.self_check_pdf, name="self_check_pdf"),
    path("cek/pajak/", views.tax_calculator, name="tax"),
    path("cek/mitos-fakta/", views.myths, name="myths"),
    path("cek/aturan/", views.rule_list, name="rule_list"),
    path("cek/aturan/<slug:key>/ubah/", views.rule_revise_view, name="rule_revise"),
    path("usaha/<uuid:business_id>/panduan/", views.business_guidance, name="business"),
    path("usaha/<uuid:business_id>/panduan.pdf", views.business_guidance_pdf, name="business_pdf"),
    path("saya/usaha/<uuid:business_id>/panduan/", views.my_guidance, name="my_business"),
    path("saya/usaha/<uuid:business_id>/panduan.pdf", views.my_guidance_pdf, name="my_pdf"),
    path("panduan/temuan/", views.findings, name="findings"),
]
