from django.apps import AppConfig


class CongressesConfig(AppConfig):
    name = "dangvu.congresses"
    label = "congresses"
    verbose_name = "Đại hội, bầu cử"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import Congress

        register_path_copy(Congress, "org_path")
