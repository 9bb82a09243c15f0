"""Standard dossiers (hồ sơ, sổ sách): the catalogue of records each organisation type must keep, per year,
and each organisation's dossiers with their files and links to records the system already holds.

A catalogue is versioned by year: the one judging year Y for a type is the latest whose year is <= Y, so last
year's completeness keeps being judged by last year's catalogue. A dossier carries its organisation's path
and a `complete` flag the services recompute on every change, so completeness of a branch is one grouped
range scan.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Field(models.TextChoices):
    ORGANISATION = "to-chuc", "Công tác tổ chức, đảng viên"
    INSPECTION = "kiem-tra", "Công tác kiểm tra, giám sát"
    PROPAGANDA = "tuyen-giao", "Công tác tuyên giáo"
    MASS = "dan-van", "Công tác dân vận"
    CLERICAL = "van-phong", "Văn phòng, lưu trữ"
    FINANCE = "tai-chinh", "Tài chính, tài sản"


class Keeping(models.TextChoices):
    YEAR = "year", "Theo năm"
    TERM = "term", "Theo nhiệm kỳ"
    PERMANENT = "permanent", "Lâu dài"


class MetaField(models.TextChoices):
    """Metadata a dossier type may require to be filled in."""

    NUMBER = "number", "Số, ký hiệu"
    ISSUED_ON = "issued_on", "Ngày ban hành / mở sổ"
    SIGNER = "signer", "Người ký / người giữ sổ"


class LinkKind(models.TextChoices):
    MINUTES = "minutes", "Biên bản sinh hoạt chi bộ trong năm"
    REGISTER = "register", "Sổ danh sách đảng viên (Mẫu 7-HSĐV) trong hệ thống"
    DECISION = "decision", "Quyết định về tổ chức"


class Catalogue(models.Model):
    """The dossier types an organisation type must keep, from `year` until a later catalogue replaces it."""

    org_type = models.ForeignKey(
        "organizations.OrgType",
        on_delete=models.PROTECT,
        related_name="catalogues",
        verbose_name="loại tổ chức",
    )
    year = models.PositiveSmallIntegerField("áp dụng từ năm")
    note = models.CharField("căn cứ, ghi chú", max_length=500, blank=True)
    published_by = models.ForeignKey(
        "organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["org_type__position", "-year"]
        constraints = [models.UniqueConstraint(fields=["org_type", "year"], name="catalogue_type_year_uniq")]

    def __str__(self) -> str:
        return f"{self.org_type.name} ({self.year})"


class DossierType(models.Model):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="types")
    code = models.CharField("mã", max_length=20)
    name = models.CharField("tên hồ sơ, sổ", max_length=255)
    field = models.CharField("lĩnh vực", max_length=12, choices=Field.choices)
    keeping = models.CharField("lập theo", max_length=10, choices=Keeping.choices, default=Keeping.YEAR)
    required_meta = models.JSONField("thông tin bắt buộc", default=list, blank=True)
    needs_file = models.BooleanField("phải có tệp hoặc liên kết", default=True)
    link_kind = models.CharField(
        "liên kết được với", max_length=10, choices=LinkKind.choices, blank=True,
        help_text="Hồ sơ đã có trong hệ thống, dùng thay cho tệp tải lên.",
    )  # fmt: skip
    form = models.CharField("mẫu biểu", max_length=120, blank=True)
    retention = models.CharField("thời hạn bảo quản", max_length=60, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["catalogue", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"], name="dossiertype_code_uniq")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def lacks(self, dossier: "Dossier", has_file: bool) -> list[str]:
        """What a dossier of this type still lacks (labels): required metadata left empty, and a file or a link
        when one is needed. Empty when complete. `has_file`: a current file or a link is there."""
        out = [
            MetaField(m).label
            for m in self.required_meta
            if m in MetaField.values and not getattr(dossier, m)
        ]
        if self.needs_file and not has_file:
            out.append("tệp hoặc liên kết")
        return out


class Dossier(models.Model):
    """One organisation's dossier of one type for a period: a year, a term (year_from..year_to) or for good."""

    # Its own index, though (organisation, code, year_from) begins with it: without it the completeness rollup
    # probes the wide index once per required type instead of once per organisation, 4× slower (bench-dossiers).
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="dossiers"
    )
    org_path = models.CharField(max_length=255, editable=False)
    code = models.CharField(max_length=20)  # the dossier type's code, stable across catalogue versions
    keeping = models.CharField(max_length=10, choices=Keeping.choices)
    field = models.CharField(max_length=12, choices=Field.choices)
    year_from = models.PositiveSmallIntegerField()
    year_to = models.PositiveSmallIntegerField(null=True, blank=True)  # None: kept for good
    title = models.CharField("tiêu đề", max_length=255)
    number = models.CharField("số, ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("ngày", null=True, blank=True)
    signer = models.CharField("người ký / người giữ", max_length=120, blank=True)
    note = models.TextField("ghi chú", blank=True)
    search_text = models.TextField(editable=False, default="")  # search_key of title, number, type, texts
    complete = models.BooleanField(default=False)
    # the catalogue version (its year) that judged `complete`: kept, and re-judged when a catalogue changes
    rules_year = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "code", "-year_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "year_from"], name="dossier_org_code_year_uniq"
            ),
            models.CheckConstraint(
                condition=Q(year_to__isnull=True) | Q(year_to__gte=models.F("year_from")),
                name="dossier_years",
            ),
        ]
        # (org_path, year_from) for subtree scans is created per vendor in a migration (varchar_pattern_ops).

    def __str__(self) -> str:
        return self.title

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)

    @property
    def period(self) -> str:
        if self.year_to is None:
            return f"từ {self.year_from}"
        return str(self.year_from) if self.year_to == self.year_from else f"{self.year_from}–{self.year_to}"


class TextStatus(models.TextChoices):
    """How much of a file's text was read for search (core.docscan's statuses)."""

    OK = "ok", "đã đọc nội dung"
    PARTIAL = "partial", "đã đọc phần đầu (tệp dài)"
    NONE = "none", "không có chữ để đọc (ảnh, bảng tính, bản quét)"
    OVER_BUDGET = "over_budget", "chưa trích được nội dung (tệp quá lớn hoặc quá phức tạp)"
    FAILED = "failed", "chưa trích được nội dung (tệp hỏng)"


class DossierFile(models.Model):
    """A file in a dossier. Replacing keeps the old row (current=False) and its stored file."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    title = models.CharField("tên tệp", max_length=255)
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    text = models.TextField(default="", editable=False)  # search_key of the text inside (PDF, DOCX)
    text_status = models.CharField(max_length=12, choices=TextStatus.choices, default=TextStatus.NONE)
    version = models.PositiveSmallIntegerField(default=1)
    current = models.BooleanField(default=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["dossier", "-current", "title", "-version"]
        indexes = [models.Index(fields=["dossier", "current"], name="dossierfile_current_idx")]

    def __str__(self) -> str:
        return self.title


class DossierLink(models.Model):
    """A record the system already holds, put in a dossier instead of uploading it again."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    ref = models.PositiveIntegerField(null=True, blank=True)  # meeting or decision id; none for the register
    label = models.CharField(max_length=255)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "kind", "label"]
        constraints = [models.UniqueConstraint(fields=["dossier", "kind", "ref"], name="dossierlink_uniq")]

    def __str__(self) -> str:
        return self.label
