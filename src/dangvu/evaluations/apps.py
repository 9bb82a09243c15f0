from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "dangvu.evaluations"
    label = "evaluations"
    verbose_name = "Kiểm điểm, đánh giá, xếp loại"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import Commitment, Registration, Review

        for model in (Registration, Commitment, Review):
            register_path_copy(model, "org_path")
