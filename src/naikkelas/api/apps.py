from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "naikkelas.api"
    label = "api"
    verbose_name = "API"
