from django.urls import include, path

from naikkelas.fieldwork.openrosa_views import urlpatterns as openrosa_urlpatterns
from naikkelas.fieldwork.views import public_urlpatterns
from naikkelas.fieldwork.views import urlpatterns as page_urlpatterns

app_name = "fieldwork"
urlpatterns = [
    # the OpenRosa server phones talk to (device key or Basic; no session)
    path("odk/", include(openrosa_urlpatterns)),
    # pages for signed-in staff
    path("lapangan/", include(page_urlpatterns)),
    # owners registering themselves (public)
    path("", include(public_urlpatterns)),
]
