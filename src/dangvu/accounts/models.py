import hashlib
import secrets

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Xem"
    SECRETARY = "secretary", "Bí thư / cán bộ nghiệp vụ"
    OFFICER = "officer", "Cán bộ tổ chức"
    INSPECTOR = "inspector", "Kiểm tra viên"
    ADMIN = "admin", "Quản trị"


# Who may record lifecycle decisions (establish, move, merge, split, dissolve) on a subtree.
DECISION_ROLES = (Role.OFFICER, Role.ADMIN)
# Who may edit members, meetings and dossiers of a subtree.
EDIT_ROLES = (Role.SECRETARY, Role.OFFICER, Role.ADMIN)


class RoleGrant(models.Model):
    """A role on one organisation, covering its whole subtree, for a period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, db_index=True)  # copy of organisation.path, kept by moves
    role = models.CharField(max_length=16, choices=Role.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "quyền"
        verbose_name_plural = "quyền"
        indexes = [models.Index(fields=["user", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for scripts. Only its SHA-256 is stored; the token is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_raw() -> str:
        return "dv_" + secrets.token_urlsafe(32)


class Profile(models.Model):
    """What an account chooses for itself: the interface language (Vietnamese unless the account chooses another
    that is offered; the browser's language is never followed)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField("ngôn ngữ giao diện", max_length=8, default="vi")

    class Meta:
        verbose_name = "thiết lập tài khoản"
        verbose_name_plural = "thiết lập tài khoản"

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
