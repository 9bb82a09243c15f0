from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo province (`dangvu seed_demo`): on top of every capability, whose own demo data it orchestrates."""

    name = "dangvu.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
