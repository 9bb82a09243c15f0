from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dangvu.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ, sổ sách"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import Dossier

        register_path_copy(Dossier, "org_path")

        from dangvu.core import ocr

        from .models import DossierFile
        from .services import index_ocr_text

        ocr.register(DossierFile, on_text=index_ocr_text)

        from dangvu.meetings.signals import minutes_closed

        minutes_closed.connect(_file_minutes, dispatch_uid="dossiers.file_minutes")

        # a catalogue's types changed: every dossier's completeness (and what rests on it) is judged again by the worker
        from django.db.models.signals import post_delete, post_save

        from .models import DossierType

        post_save.connect(_catalogue_changed, sender=DossierType, dispatch_uid="dossiers.catalogue_saved")
        post_delete.connect(_catalogue_changed, sender=DossierType, dispatch_uid="dossiers.catalogue_deleted")


def _catalogue_changed(sender, **kw):
    from django.db import transaction

    from dangvu.core.recompute import affected_by
    from dangvu.jobs.apps import enqueue_recompute

    transaction.on_commit(lambda: enqueue_recompute(affected_by("dossiers.catalogue")))


def _file_minutes(sender, meeting, by, **kw):
    from .services import file_minutes

    file_minutes(by=by, meeting=meeting)
