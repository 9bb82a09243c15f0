from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self):
        from dangvu.organizations.paths import register_path_copy

        from .models import RoleGrant

        register_path_copy(RoleGrant, "org_path")
