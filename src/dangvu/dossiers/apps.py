from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dangvu.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ, sổ sách"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import Dossier

        register_path_copy(Dossier, "org_path")

        from dangvu.meetings.signals import minutes_closed

        minutes_closed.connect(_file_minutes, dispatch_uid="dossiers.file_minutes")


def _file_minutes(sender, meeting, by, **kw):
    from .services import file_minutes

    file_minutes(by=by, meeting=meeting)
