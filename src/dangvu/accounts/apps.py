from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from dangvu.organizations.paths import register_path_copy

        from .models import RoleGrant

        register_path_copy(RoleGrant, "org_path")
        from dangvu.jobs.registry import set_scope_check

        set_scope_check(_may_read_export)
        user_logged_in.connect(_logged_in, dispatch_uid="dangvu-logged-in")
        user_login_failed.connect(_login_failed, dispatch_uid="dangvu-login-failed")


def _may_read_export(user, org_path: str) -> bool:
    """A job's file stays readable while its owner's grants still cover what it exported (its organisation, or,
    for an export of the whole scope, any grant in force)."""
    from .selectors import _grant_paths, covers

    if not user.is_active:
        return False
    if org_path:
        return covers(user, org_path)
    paths = _grant_paths(user)
    return paths is None or bool(paths)


def _logged_in(sender, request, user, **kwargs):
    """Someone who enrolled a second factor is asked for it at every login, whatever their role."""
    from django_otp import user_has_device

    from dangvu.core import audit

    from .middleware import SESSION_FLAG

    if request is not None and hasattr(request, "session"):
        from .middleware import LANGUAGE_KEY
        from .models import Profile

        request.session[SESSION_FLAG] = user_has_device(user)
        request.session[LANGUAGE_KEY] = Profile.objects.filter(user=user).values_list("language", flat=True).first()
        audit.record(by=user, action="login", obj=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    from dangvu.core import audit

    if request is not None:
        audit.record(
            by=None,
            action="login.failed",
            object_type="auth.user",
            object_id=str(credentials.get("username", ""))[:64],
        )
