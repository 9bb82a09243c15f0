from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "dangvu.admission"
    label = "admission"
    verbose_name = "Phát triển đảng viên"

    def ready(self):
        from dangvu.core import workdays
        from dangvu.organizations.holdings import register_holding
        from dangvu.organizations.paths import register_path_copy

        from .models import Case
        from .services import CasesHolding, recompute_deadlines

        register_path_copy(Case, "org_path")
        register_holding(CasesHolding())
        workdays.on_change(recompute_deadlines)
