from django.urls import path

from naikkelas.reports import views

app_name = "reports"

urlpatterns = [
    path("laporan/", views.overview, name="overview"),
    path("laporan/naik-kelas/", views.naik_kelas, name="naik_kelas"),
    path("laporan/pimpinan/", views.leadership, name="leadership"),
    path("laporan/bulanan.pdf", views.monthly_report, name="monthly"),
    path("laporan/target-sektor/", views.sector_targets, name="sector_targets"),
]
