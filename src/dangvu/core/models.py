from django.conf import settings
from django.db import models


class AppendOnly(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không được sửa.")

    def delete(self):
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không được xóa.")


class AuditEntry(models.Model):
    """Append-only record of a write or a sensitive read: who, when, from where, what, before and after.

    The application can only add entries: saving an existing entry, updating or deleting through the ORM
    raise `AppendOnly`. Users are protected from deletion while they have entries (deactivate them instead).
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255, blank=True)
    org_path = models.CharField(max_length=255, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"]),
            models.Index(fields=["user", "at"]),
        ]
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("Nhật ký chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("Nhật ký chỉ được ghi thêm, không được xóa.")


class RuleSet(models.Model):
    """One version of a set of rule parameters (deadlines, thresholds, bands), in force from `valid_from`.

    A record is judged by the version in force on its own date: `core.rules.params(domain, on=date)`.
    Versions are added, never edited in place once used, so past records keep their verdicts.
    """

    domain = models.SlugField(max_length=64)
    valid_from = models.DateField()
    params = models.JSONField()
    source = models.CharField("căn cứ", max_length=500, blank=True)

    class Meta:
        ordering = ["domain", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "valid_from"], name="ruleset_domain_from_uniq")
        ]
        verbose_name = "bộ quy định"
        verbose_name_plural = "bộ quy định"

    def __str__(self) -> str:
        return f"{self.domain} từ {self.valid_from:%d/%m/%Y}"


class Notification(models.Model):
    """An in-app message to one user (a meeting notice, …), shown under the bell until read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_idx")]

    def __str__(self) -> str:
        return self.title


class StagedFile(models.Model):
    """An uploaded file waiting for the user to confirm what it will do (an import's preview).

    The file sits on local disk under MEDIA_ROOT/staged/ until it is used (confirmed), abandoned, or a day old
    (`dangvu cleanup_uploads`). Confirming locks this row and moves it out of `pending` in the same transaction
    as the work, so two clicks (two tabs) on "confirm" do the work once.
    """

    class State(models.TextChoices):
        PENDING = "pending", "đang chờ xác nhận"
        DONE = "done", "đã dùng"
        ABANDONED = "abandoned", "đã hủy"
        EXPIRED = "expired", "quá hạn, đã xóa"

    token = models.CharField(max_length=32, unique=True)
    kind = models.CharField(max_length=32)  # what it is for, e.g. "members.import"
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=64)  # the organisation's code it was uploaded for
    options = models.JSONField(default=dict, blank=True)
    name = models.CharField(max_length=255)  # the file's name as uploaded
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class CalendarDay(models.Model):
    """A day that departs from the usual week (Monday to Friday work, the weekend off): a public holiday or a
    day off swapped in (`off`), or a Saturday or Sunday worked in exchange (`work`), with the announcement that
    set it. Deadlines in working days read this table (core.workdays); administrators correct it each year."""

    class Kind(models.TextChoices):
        OFF = "off", "nghỉ"
        WORK = "work", "làm việc (làm bù)"

    date = models.DateField(unique=True)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    name = models.CharField("tên ngày", max_length=200)
    source = models.CharField("căn cứ", max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "ngày nghỉ, ngày làm bù"
        verbose_name_plural = "lịch ngày nghỉ, ngày làm bù"

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name}"


class OcrCopy(models.Model):
    """The searchable copy of a scanned upload (core.ocr): the original stays as it was; this PDF carries the
    text Tesseract read, which the owning app indexes for search."""

    class State(models.TextChoices):
        DONE = "done", "Đã nhận dạng chữ"
        FAILED = "failed", "Không nhận dạng được"
        UNAVAILABLE = "unavailable", "Máy chủ chưa cài OCR"

    label = models.CharField(max_length=64)  # "documents.incoming"
    object_id = models.BigIntegerField()
    field = models.CharField(max_length=32, default="file")
    source_sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=State.choices)
    file = models.FileField(upload_to="ocr/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    text = models.TextField(blank=True)  # as read (with its diacritics), for display; apps index search_key(text)
    pages = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["label", "object_id", "field", "source_sha256"],
                                               name="ocr_copy_once")]  # fmt: skip

    def __str__(self) -> str:
        return f"OCR {self.label}#{self.object_id}"
