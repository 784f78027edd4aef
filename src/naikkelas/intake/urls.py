from django.urls import path

from naikkelas.intake import views

app_name = "intake"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("<uuid:batch_id>/", views.batch_detail, name="batch_detail"),
    path("<uuid:batch_id>/lanjutkan/", views.batch_resume, name="batch_resume"),
    path("<uuid:batch_id>/batalkan/", views.batch_undo, name="batch_undo"),
    path("<uuid:batch_id>/baris/", views.row_list, name="row_list"),
    path("<uuid:batch_id>/baris/<int:row_id>/", views.row_fix, name="row_fix"),
]
