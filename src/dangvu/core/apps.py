from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangvu.core"
    label = "core"
    verbose_name = "Lõi"
