from django.apps import AppConfig


class AdmissionConfig(AppConfig):
    name = "dangvu.admission"
    label = "admission"
    verbose_name = "Phát triển đảng viên"

    def ready(self):
        from dangvu.core import workdays
        from dangvu.organizations.holdings import register_holding
        from dangvu.organizations.paths import register_path_copy

        from .models import Case, ResidentialUnit
        from .services import CasesHolding, recompute_deadlines
        from .villages import UnitsHolding

        register_path_copy(Case, "org_path")
        register_path_copy(ResidentialUnit, "org_path")
        register_holding(CasesHolding())
        register_holding(UnitsHolding())
        workdays.on_change(recompute_deadlines)
