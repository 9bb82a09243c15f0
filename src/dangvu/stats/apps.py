from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "dangvu.stats"
    label = "stats"
    verbose_name = "Thống kê"

    def ready(self) -> None:
        from . import jobs  # noqa: F401 (registers the export job)
