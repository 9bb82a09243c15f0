from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangvu.members"
    label = "members"
    verbose_name = "Đảng viên"

    def ready(self):
        from dangvu.core import workdays
        from dangvu.organizations.holdings import register_holding
        from dangvu.organizations.paths import register_path_copy

        from .models import Member
        from .services import MembersHolding, recompute_transfer_deadlines

        register_path_copy(Member, "org_path")
        register_holding(MembersHolding())
        workdays.on_change(recompute_transfer_deadlines)
