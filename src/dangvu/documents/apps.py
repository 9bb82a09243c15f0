from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "dangvu.documents"
    label = "documents"
    verbose_name = "Văn bản, sổ đăng ký"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import Delivery, Dispatch, HandbookPage, Incoming, Outgoing, Template

        for model in (Outgoing, Incoming, Dispatch, Delivery, Template, HandbookPage):
            register_path_copy(model, "org_path")
        from dangvu.core import ocr

        from .services import index_ocr_text

        ocr.register(Outgoing, on_text=index_ocr_text)

        from dangvu.core import procedures

        from . import handbook

        procedures.register(handbook.link)

        from dangvu.organizations.signals import decision_recorded

        decision_recorded.connect(_decision_recorded, dispatch_uid="documents.decision_recorded")
        ocr.register(Incoming, on_text=index_ocr_text)


def _decision_recorded(sender, event, by, **kw):
    from .services import register_decision

    register_decision(event=event, by=by)
