from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangvu.dues"
    label = "dues"
    verbose_name = "Đảng phí"

    def ready(self) -> None:
        from . import jobs  # noqa: F401 (registers the books' export)
