from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "dangvu.meetings"
    label = "meetings"
    verbose_name = "Sinh hoạt chi bộ"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import Meeting, MonthlyReport, WorkingRules

        register_path_copy(Meeting, "org_path")
        register_path_copy(MonthlyReport, "org_path")
        register_path_copy(WorkingRules, "org_path")

        from dangvu.core import ocr

        from .models import MeetingFile

        ocr.register(MeetingFile, on_text=lambda f, text: None)  # the text stays with its copy (core.OcrCopy)
