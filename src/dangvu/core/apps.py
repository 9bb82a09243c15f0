from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangvu.core"
    label = "core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        from django.apps import apps

        from . import lengths

        lengths.connect({a.label for a in apps.get_app_configs() if a.name.startswith("dangvu.")} | {"auth"})
        # each capability's recomputers of stored verdicts, in its own `recompute.py` (core imports none of them)
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("recompute")
