"""The committee's registers: documents issued (văn bản đi), with the one counter every number comes from, and
documents received (văn bản đến). Rules and sources: ../shared/domain/rules.md §6, rules-2026.md §0 and §3."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class DocType(models.TextChoices):
    """Party document types by their abbreviation (rules.md §6.3; HD 36-HD/VPTW 2018, HD 05-HD/VPTW 2026 as tools
    cite it). "QĐ" is both Quyết định and Quy định: one abbreviation, one sequence; never the state's "QyĐ"."""

    RESOLUTION = "NQ", "Nghị quyết"
    MINUTES = "BB", "Biên bản"
    REPORT = "BC", "Báo cáo"
    DECISION = "QĐ", "Quyết định"
    CONCLUSION = "KL", "Kết luận"
    NOTICE = "TB", "Thông báo"
    PROGRAMME = "CTr", "Chương trình"
    DIRECTIVE = "CT", "Chỉ thị"
    GUIDANCE = "HD", "Hướng dẫn"
    PLAN = "KH", "Kế hoạch"
    LETTER = "CV", "Công văn"
    RULES = "QC", "Quy chế"
    CIRCULAR = "TT", "Thông tri"
    SUBMISSION = "TTr", "Tờ trình"
    SCHEME = "ĐA", "Đề án"
    OPTION = "PA", "Phương án"


class Body(models.TextChoices):
    """Who inside the organisation issues: the committee or cell itself (its standing committee issues under the
    same «ĐU»), its inspection commission (a register of its own, «UBKTĐU»), or its congress (one sequence across
    types, «ĐH»)."""

    ORGANISATION = "org", "Cấp ủy / chi bộ"
    STANDING = "standing", "Ban Thường vụ"
    COMMISSION = "commission", "Ủy ban Kiểm tra"
    CONGRESS = "congress", "Đại hội"


SERIES = {Body.COMMISSION: "UBKT", Body.CONGRESS: "ĐH"}


class Status(models.TextChoices):
    ISSUED = "issued", "Đã ban hành"
    VOIDED = "voided", "Đã hủy (giữ số)"


class Origin(models.TextChoices):
    REGISTRY = "registry", "Ghi vào sổ"
    MEETING = "meeting", "Cuộc họp"
    INSPECTION = "inspection", "Kiểm tra, kỷ luật"
    CONGRESS = "congress", "Đại hội"


class Classification(models.TextChoices):
    NORMAL = "", "Thường"
    CONFIDENTIAL = "mat", "Mật"
    SECRET = "toi_mat", "Tối mật"
    TOP_SECRET = "tuyet_mat", "Tuyệt mật"


class Urgency(models.TextChoices):
    NORMAL = "", "Thường"
    URGENT = "khan", "Khẩn"
    VERY_URGENT = "thuong_khan", "Thượng khẩn"
    FLASH = "hoa_toc", "Hỏa tốc"


def issuer_code(org) -> str:
    """The issuer part of a document number (`05-NQ/CB`): a cell's, or a committee's (its standing committee's
    too)."""
    from dangvu.organizations.models import OrgKind

    return org.type.issuer_code or ("CB" if org.type.kind == OrgKind.CELL else "ĐU")


class Outgoing(models.Model):
    """One number of the outgoing register: from 01 per document type within the issuer's term (a congress's
    documents share one sequence). Never reused or freed: a withdrawn document is voided and keeps its number.
    Minutes and resolutions of meetings and the decisions of inspection take theirs here too."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, default="")  # copy of organisation.path, kept by moves
    term = models.ForeignKey(
        "members.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocType.choices)
    body = models.CharField("cơ quan ban hành", max_length=12, choices=Body.choices, default=Body.ORGANISATION)
    # the register inside the organisation: "" (the committee or cell), "UBKT" (its inspection commission), "ĐH"
    series = models.CharField(max_length=8, blank=True, default="")
    number = models.PositiveIntegerField()
    symbol = models.CharField(max_length=40)  # e.g. "03-NQ/CB", "02-QĐ/UBKTĐU", "01-NQ/ĐH"
    issued_on = models.DateField("ngày ban hành")
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.CASCADE, related_name="numbers"
    )
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.REGISTRY)
    subject = models.CharField("trích yếu", max_length=500, blank=True)
    signer = models.CharField("người ký", max_length=120, blank=True)
    recipients = models.CharField("nơi nhận", max_length=1000, blank=True)
    classification = models.CharField("độ mật", max_length=10, choices=Classification.choices, blank=True,
                                      default="")  # fmt: skip
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ISSUED)
    voided_on = models.DateField(null=True, blank=True)
    void_reason = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to="documents/out/%Y/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_kind = models.CharField(max_length=8, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_text = models.TextField(blank=True)
    search_text = models.TextField(blank=True)  # search_key of the number, subject, signer, recipients, file text
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["doc_type", "number"]
        verbose_name = "văn bản đi"
        verbose_name_plural = "sổ văn bản đi"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "term", "doc_type", "series", "number"], name="issued_number_uniq"
            ),
            models.UniqueConstraint(
                fields=["organisation", "doc_type", "series", "number"],
                condition=Q(term__isnull=True),
                name="issued_number_noterm_uniq",
            ),
            models.UniqueConstraint(
                fields=["meeting", "doc_type"], condition=Q(meeting__isnull=False), name="issued_number_meeting_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Số {self.symbol}"

    @property
    def voided(self) -> bool:
        return self.status == Status.VOIDED


class IncomingStatus(models.TextChoices):
    RECEIVED = "received", "Mới đến"
    HANDLING = "handling", "Đang xử lý"
    DONE = "done", "Đã xử lý"


class Incoming(models.Model):
    """One entry of the incoming register: numbered on arrival from 01 each year (số đến). A document classified
    «Mật» or above is recorded without its file unless the installation runs on the Party network."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField()
    arrival_number = models.PositiveIntegerField("số đến")
    received_on = models.DateField("ngày đến")
    sender = models.CharField("nơi gửi", max_length=200)
    their_number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    their_date = models.DateField("ngày văn bản", null=True, blank=True)
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocType.choices, blank=True)
    subject = models.CharField("trích yếu", max_length=500)
    classification = models.CharField("độ mật", max_length=10, choices=Classification.choices, blank=True,
                                      default="")  # fmt: skip
    urgency = models.CharField("độ khẩn", max_length=12, choices=Urgency.choices, blank=True, default="")
    handler = models.CharField("người xử lý", max_length=120, blank=True)
    due_on = models.DateField("hạn xử lý", null=True, blank=True)
    status = models.CharField(max_length=10, choices=IncomingStatus.choices, default=IncomingStatus.RECEIVED)
    done_on = models.DateField(null=True, blank=True)
    outcome = models.CharField("kết quả xử lý", max_length=500, blank=True)
    file = models.FileField(upload_to="documents/in/%Y/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_kind = models.CharField(max_length=8, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_text = models.TextField(blank=True)
    search_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-arrival_number"]
        verbose_name = "văn bản đến"
        verbose_name_plural = "sổ văn bản đến"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "arrival_number"], name="incoming_number_uniq"),
        ]

    def __str__(self) -> str:
        return f"Văn bản đến số {self.arrival_number}/{self.year}"

    @property
    def late(self) -> bool:
        from dangvu.core.dates import today

        return self.status != IncomingStatus.DONE and self.due_on is not None and self.due_on < today()


# --- distribution down the tree ------------------------------------------------------------------------------


class DispatchKind(models.TextChoices):
    DOCUMENT = "document", "Văn bản gửi để biết, thực hiện"
    REQUEST = "request", "Yêu cầu báo cáo"
    MONTHLY = "monthly", "Báo cáo tháng của chi bộ"


class Dispatch(models.Model):
    """A committee sends a document, or asks for a report, to chosen organisations under it or its whole subtree.
    Each recipient gets a `Delivery`: received and read, answered (a report request), late. A request for the
    cells' monthly report is answered by the monthly report the cell files (meetings)."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=DispatchKind.choices)
    outgoing = models.ForeignKey(Outgoing, null=True, blank=True, on_delete=models.PROTECT, related_name="dispatches")
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    due_on = models.DateField("hạn báo cáo", null=True, blank=True)
    month = models.DateField(null=True, blank=True)  # the month reported on (first day), for the monthly report
    sent_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    recipients_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = "văn bản gửi xuống"
        indexes = [models.Index(fields=["organisation", "sent_on"], name="dispatch_org_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def asks_answer(self) -> bool:
        return self.kind != DispatchKind.DOCUMENT


class Delivery(models.Model):
    """One recipient of a dispatch: when it was received and read, and its answer (text and a file)."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="deliveries")
    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")  # fmt: skip
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip
    answer = models.TextField("nội dung báo cáo", blank=True)
    file = models.FileField(upload_to="documents/answers/%Y/", blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_kind = models.CharField(max_length=8, blank=True)
    file_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["org_path"]
        constraints = [models.UniqueConstraint(fields=["dispatch", "organisation"], name="delivery_once")]
        indexes = [models.Index(fields=["organisation", "dispatch"], name="delivery_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.dispatch} → {self.organisation}"


class Template(models.Model):
    """A .docx template for one document type, kept by an organisation for its subtree: the nearest one up the
    tree is used. Checked at upload and at every render (core.templating: sandboxed, escaped, tags limited)."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255)
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocType.choices)
    name = models.CharField("tên mẫu", max_length=200)
    file = models.FileField(upload_to="documents/templates/")
    sha256 = models.CharField(max_length=64)
    active = models.BooleanField(default=True)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip

    class Meta:
        ordering = ["doc_type", "org_path"]
        constraints = [models.UniqueConstraint(fields=["organisation", "doc_type"], condition=Q(active=True),
                                               name="documents_template_once")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.name} ({self.get_doc_type_display()})"


# --- the procedures handbook -------------------------------------------------------------------------------------


class HandbookPage(models.Model):
    """A page of a committee's procedures handbook (Markdown), read by its whole subtree: for each procedure the
    nearest organisation up the tree that wrote one is read, else the starter page Dangvu ships
    (`organisation` empty), which a committee edits into its own. Every save is a new version."""

    organisation = models.ForeignKey("organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip
    org_path = models.CharField(max_length=255, blank=True, default="")  # "" for the starter pages
    slug = models.SlugField(max_length=80)
    title = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung (Markdown)")
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="handbook_page_once"),
            models.UniqueConstraint(fields=["slug"], condition=Q(organisation__isnull=True),
                                    name="handbook_starter_once"),
        ]  # fmt: skip
        indexes = [models.Index(fields=["slug", "org_path"], name="handbook_slug_idx")]

    def __str__(self) -> str:
        return self.title


class HandbookVersion(models.Model):
    page = models.ForeignKey(HandbookPage, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    note = models.CharField("ghi chú sửa đổi", max_length=300, blank=True)
    edited_at = models.DateTimeField(default=timezone.now)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["page", "version"], name="handbook_version_once")]

    def __str__(self) -> str:
        return f"{self.title} (phiên bản {self.version})"


class HandbookFile(models.Model):
    """A form or a sample attached to a handbook page (checked upload)."""

    page = models.ForeignKey(HandbookPage, on_delete=models.CASCADE, related_name="files")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="documents/handbook/")
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=8)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title
