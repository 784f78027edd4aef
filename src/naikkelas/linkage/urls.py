from naikkelas.linkage import online_views, views

app_name = "linkage"

urlpatterns = [
    # Review queue, decisions, merge history and unmerge (views.py).
    *views.urlpatterns,
    # The online duplicate check while an officer types a new business (online_views.py).
    *online_views.urlpatterns,
]
