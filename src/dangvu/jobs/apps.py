from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "dangvu.jobs"
    label = "jobs"
    verbose_name = "Việc chạy nền"

    def ready(self) -> None:
        # each capability's runners, in its own `jobs.py` (this layer imports none of them)
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
