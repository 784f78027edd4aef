from naikkelas.fieldwork.openrosa_views import urlpatterns as openrosa_urlpatterns

app_name = "fieldwork"
urlpatterns = [*openrosa_urlpatterns]
