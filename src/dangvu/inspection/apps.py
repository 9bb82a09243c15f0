from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "dangvu.inspection"
    label = "inspection"
    verbose_name = "Kiểm tra, giám sát, kỷ luật"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import Appeal, Complaint, Discipline, Inspection, Item, Notice, Programme

        for model, fields in ((Programme, ["org_path"]), (Item, ["org_path", "subject_path"]),
                              (Inspection, ["org_path", "subject_path"]), (Discipline, ["org_path", "subject_path"]),
                              (Appeal, ["org_path"]), (Notice, ["org_path"]), (Complaint, ["org_path"])):  # fmt: skip
            for f in fields:
                register_path_copy(model, f)
