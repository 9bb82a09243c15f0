from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dangvu.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ, sổ sách"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import Dossier

        register_path_copy(Dossier, "org_path")
