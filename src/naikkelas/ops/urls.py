from django.urls import path

from naikkelas.ops import views

app_name = "ops"

urlpatterns = [
    # for machines: no trailing slash, never redirected (load balancers, Prometheus)
    path("healthz", views.healthz, name="healthz"),
    path("metrics", views.metrics, name="metrics"),
    path("operasi/tugas/", views.jobs_overview, name="jobs"),
    path("operasi/tugas/<uuid:task_id>/", views.task_detail, name="task_detail"),
    path("operasi/tugas/<uuid:task_id>/ulangi/", views.task_retry, name="task_retry"),
]
