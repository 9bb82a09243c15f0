from django.conf import settings
from django.db import models
from django.db.models import Q


class OrgKind(models.TextChoices):
    COMMITTEE = "committee", "Đảng bộ"
    CELL = "cell", "Chi bộ"


class OrgType(models.Model):
    """A kind of Party organisation, as data: which types it may hold, and which roles it plays."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField("tên loại", max_length=200)
    kind = models.CharField(max_length=16, choices=OrgKind.choices)
    is_grassroots = models.BooleanField("là tổ chức cơ sở đảng", default=False)
    superior_of_grassroots = models.BooleanField(
        "cấp trên trực tiếp của tổ chức cơ sở đảng",
        default=False,
        help_text="Quy tắc về kết nạp, theo dõi chi bộ… dựa vào vai trò này, không dựa vào tên cấp.",
    )
    allowed_children = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="allowed_parents",
        verbose_name="loại được trực thuộc",
    )
    may_be_root = models.BooleanField(default=False)
    # the issuer in a document number (`01-KH/TU`): "TU" a provincial committee, "CB" a cell; empty: "CB" for a
    # cell, "ĐU" for any other committee (rules.md §6.3)
    issuer_code = models.CharField("ký hiệu cơ quan ban hành", max_length=8, blank=True, default="")
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(
        null=True, blank=True, help_text="Ngày cuối cùng loại này còn được lập mới."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = "loại tổ chức"
        verbose_name_plural = "loại tổ chức"

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A node of the Party tree. Never deleted: closing keeps it, with `closed_on` and its successors."""

    code = models.CharField("mã", max_length=32, unique=True)
    name = models.CharField("tên", max_length=255)
    search_text = models.CharField(max_length=255, editable=False)
    sort_key = models.CharField(max_length=1024, editable=False)
    type = models.ForeignKey(
        OrgType, on_delete=models.PROTECT, related_name="organisations", verbose_name="loại"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="trực thuộc",
    )
    # Materialised path (see core.tree): the whole subtree is `path LIKE '<path>%'`, one index range.
    path = models.CharField(max_length=255, unique=True)
    established_on = models.DateField("ngày thành lập")
    closed_on = models.DateField("ngày chấm dứt", null=True, blank=True)

    class Meta:
        ordering = ["sort_key"]
        verbose_name = "tổ chức đảng"
        verbose_name_plural = "tổ chức đảng"
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("established_on")),
                name="org_closed_after_established",
            ),
        ]
        indexes = [
            models.Index(fields=["parent", "sort_key"], name="org_parent_sort_idx"),
            models.Index(fields=["type", "sort_key"], name="org_type_sort_idx"),
        ]
        # The (path, type) index for subtree counts by type is created per vendor in a migration
        # (varchar_pattern_ops on PostgreSQL, which the ORM cannot express portably).

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def depth(self) -> int:
        from dangvu.core.tree import depth

        return depth(self.path)


class OrgVersion(models.Model):
    """How an organisation stood (name, type, place in the tree) from `valid_from` until `valid_to` (exclusive).

    "The tree on date D" is the versions with valid_from <= D < valid_to (or no valid_to).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="versions")
    name = models.CharField(max_length=255)
    search_text = models.CharField(max_length=255, default="")
    type = models.ForeignKey(OrgType, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255, db_index=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["organisation", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="orgversion_order",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "valid_to"], name="orgversion_current_idx")]

    def __str__(self) -> str:
        return f"{self.name} [{self.valid_from} – {self.valid_to or ''})"


class EventKind(models.TextChoices):
    ESTABLISH = "establish", "Thành lập"
    RENAME = "rename", "Đổi tên"
    MOVE = "move", "Điều chuyển trực thuộc"
    MERGE = "merge", "Hợp nhất, sáp nhập"
    SPLIT = "split", "Chia tách"
    DISSOLVE = "dissolve", "Giải thể"


class OrgEvent(models.Model):
    """A recorded decision that changed the tree."""

    kind = models.CharField("loại quyết định", max_length=16, choices=EventKind.choices)
    effective_on = models.DateField("ngày hiệu lực", db_index=True)
    decision_number = models.CharField("số quyết định", max_length=64)
    issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    note = models.TextField("ghi chú", blank=True)
    details = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        verbose_name = "quyết định về tổ chức"
        verbose_name_plural = "quyết định về tổ chức"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – Số {self.decision_number}"


class LinkRole(models.TextChoices):
    SUBJECT = "subject", "Tổ chức được quyết định"
    SOURCE = "source", "Tổ chức nguồn"
    TARGET = "target", "Tổ chức đích"


class OrgEventLink(models.Model):
    event = models.ForeignKey(OrgEvent, on_delete=models.CASCADE, related_name="links")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="event_links")
    role = models.CharField(max_length=16, choices=LinkRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation", "role"], name="event_link_unique")
        ]
        indexes = [models.Index(fields=["organisation", "role"], name="event_link_org_idx")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.organisation}"


class AheadState(models.TextChoices):
    PENDING = "pending", "Chờ đến ngày hiệu lực"
    APPLIED = "applied", "Đã có hiệu lực"
    CANCELLED = "cancelled", "Đã hủy"
    FAILED = "failed", "Không thực hiện được"


class PendingDecision(models.Model):
    """A decision recorded before its effective date (issued in June, in force on 1 July). Checked in full when it
    is recorded; carried out on its date by `ahead.apply_due` (the first request of the day, or the
    `apply_decisions` command), which records the OrgEvent as if it had been entered that morning."""

    kind = models.CharField("loại quyết định", max_length=16, choices=EventKind.choices)
    effective_on = models.DateField("ngày hiệu lực")
    decision_number = models.CharField("số quyết định", max_length=64)
    issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    data = models.JSONField("nội dung quyết định")  # what decisions.build_plan takes, organisations by code
    lines = models.JSONField("những thay đổi", default=list)  # as described on the confirmation page
    new_codes = models.JSONField(default=list, blank=True)  # codes it will create: reserved until then
    # the organisations whose grants gave the recorder the authority (empty: a superuser); on its date the decision
    # still acts only inside them
    authority = models.JSONField(default=list, blank=True)
    orgs = models.ManyToManyField(Organisation, related_name="pending_decisions", verbose_name="tổ chức liên quan")
    # the existing organisations it changes (not a new one's parent): no other decision may change them meanwhile
    subjects = models.ManyToManyField(Organisation, related_name="pending_changes", blank=True)
    state = models.CharField("trạng thái", max_length=16, choices=AheadState.choices, default=AheadState.PENDING)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    event = models.OneToOneField(OrgEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="ahead")
    done_at = models.DateTimeField(null=True, blank=True)  # applied, cancelled or failed
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_number = models.CharField("số quyết định hủy", max_length=64, blank=True)
    cancel_reason = models.TextField("lý do hủy", blank=True)
    failure = models.TextField("lý do không thực hiện được", blank=True)

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["state", "effective_on"], name="pending_decision_due_idx")]
        verbose_name = "quyết định chờ hiệu lực"
        verbose_name_plural = "quyết định chờ hiệu lực"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – Số {self.decision_number} (hiệu lực {self.effective_on:%d/%m/%Y})"
