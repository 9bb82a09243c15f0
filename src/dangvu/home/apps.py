from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "dangvu.home"
    label = "home"
    verbose_name = "Tổng quan"
