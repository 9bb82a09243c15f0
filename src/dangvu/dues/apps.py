from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "dangvu.dues"
    label = "dues"
    verbose_name = "Đảng phí"

    def ready(self) -> None:
        from dangvu.organizations.paths import register_path_copy

        from . import jobs  # noqa: F401 (registers the month's opening)
        from .models import Due, Payment

        register_path_copy(Due, "org_path")  # a cell moved takes its dues along (the new superior sees them)
        register_path_copy(Payment, "org_path")
