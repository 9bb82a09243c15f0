"""Cell meetings (sinh hoạt chi bộ): the schedule, the record of each meeting, its documents and numbers.

A meeting row carries its organisation's path and the figures the dashboards count (attendance, duration,
the criteria it failed), written by the services whenever the meeting changes, so a branch's month is one
indexed range scan of one table. The criteria are judged by the rule set in force on the meeting's date
(`core.rules`, domain `meetings.quality`) and kept with the meeting (`quality`), with the version used.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangvu.documents.models import DocType, issuer_code  # noqa: F401  (one list of types, in the registry)


class Kind(models.TextChoices):
    REGULAR = "regular", "Sinh hoạt thường kỳ"
    THEMATIC = "thematic", "Sinh hoạt chuyên đề"
    EXTRA = "extra", "Họp bất thường"  # a collective body's meeting called when needed (Điều lệ Art. 24(2))


class Body(models.TextChoices):
    """Who meets. The cell's meeting of all its members (sinh hoạt chi bộ) is what the cell-meeting dashboards
    count; the others are the meetings of a collective body, whose members on a date are the leadership seats."""

    MEMBERS = "members", "Chi bộ (toàn thể đảng viên)"
    COMMITTEE = "committee", "Cấp ủy (chi ủy, ban chấp hành)"
    STANDING = "standing", "Ban Thường vụ"
    COMMISSION = "commission", "Ủy ban Kiểm tra"


BODY_KINDS = {Body.MEMBERS: (Kind.REGULAR, Kind.THEMATIC)}
# a body's name inside a sentence ("Họp Ban Thường vụ…", "…không phải thành viên cấp ủy…")
BODY_NAMES = {Body.MEMBERS: "chi bộ", Body.COMMITTEE: "cấp ủy", Body.STANDING: "Ban Thường vụ",
              Body.COMMISSION: "Ủy ban Kiểm tra"}  # fmt: skip  # the collective bodies: regular and extraordinary


class State(models.TextChoices):
    PLANNED = "planned", "Đã đăng ký lịch"
    HELD = "held", "Đã họp, đang hoàn thiện biên bản"
    CLOSED = "closed", "Đã hoàn tất biên bản"
    CANCELLED = "cancelled", "Đã hủy"


STANDARD_AGENDA = """1. Tuyên bố lý do, giới thiệu đại biểu; cử thư ký ghi biên bản.
2. Báo cáo tình hình đảng viên dự họp (đảng số, có mặt, vắng có lý do, vắng không lý do).
3. Thông qua chương trình và nội dung trọng tâm.
4. Thông tin thời sự; phổ biến văn bản, chỉ đạo của cấp trên.
5. Đánh giá việc thực hiện nghị quyết tháng trước; kết quả lãnh đạo trong tháng.
6. Phương hướng, nhiệm vụ tháng tới.
7. Thảo luận (phát biểu của đảng viên, ý kiến của cấp ủy viên cấp trên dự họp).
8. Kết luận; biểu quyết thông qua nghị quyết.
9. Thu đảng phí.
10. Chấm điểm buổi sinh hoạt; thông qua biên bản; bế mạc."""


class Meeting(models.Model):
    organisation = models.ForeignKey(  # indexed by meeting_org_date_idx
        "organizations.Organisation", on_delete=models.PROTECT, related_name="meetings", verbose_name="chi bộ",
        db_index=False,
    )
    org_path = models.CharField(max_length=255, editable=False)
    body = models.CharField("cơ quan họp", max_length=10, choices=Body.choices, default=Body.MEMBERS)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    combined = models.BooleanField(
        "kết hợp sinh hoạt chuyên đề",
        default=False,
        help_text="Sinh hoạt thường kỳ có lồng ghép chuyên đề trong cùng buổi.",
    )
    topic = models.CharField("chuyên đề", max_length=255, blank=True)
    date = models.DateField("ngày họp")
    month = models.DateField(editable=False)  # the first day of the meeting's month
    planned_time = models.TimeField("giờ bắt đầu dự kiến", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    agenda = models.TextField("chương trình", blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    # The record (biên bản)
    started_at = models.TimeField("bắt đầu", null=True, blank=True)
    ended_at = models.TimeField("kết thúc", null=True, blank=True)
    chair = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="chủ trì",
    )  # fmt: skip
    minute_taker = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="thư ký",
    )  # fmt: skip
    guests = models.CharField("đại biểu dự", max_length=500, blank=True)
    summary = models.TextField("kết quả tháng, nội dung chính", blank=True)
    conclusion = models.TextField("kết luận / nghị quyết", blank=True)
    # The superior-committee member assigned to follow the cell on the meeting's date
    monitor = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="monitored_meetings"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    monitor_attended = models.BooleanField(null=True)
    monitor_report = models.TextField("báo cáo của cấp ủy viên dự họp", blank=True)
    monitor_reported_at = models.DateTimeField(null=True, blank=True)
    # Figures kept by the services (see quality.py)
    duration_minutes = models.PositiveIntegerField(null=True, editable=False)
    present = models.PositiveIntegerField(default=0, editable=False)
    excused = models.PositiveIntegerField(default=0, editable=False)
    absent = models.PositiveIntegerField(default=0, editable=False)
    expected = models.PositiveIntegerField(default=0, editable=False)  # the attendance-rate denominator
    vote_base = models.PositiveIntegerField(default=0, editable=False)  # §1.7 base for resolutions
    quality = models.JSONField(default=list, editable=False)  # [{code, label, met, reason}]
    failed = models.CharField(max_length=255, blank=True, default="", editable=False)  # ",code,code,"
    met_count = models.PositiveSmallIntegerField(default=0, editable=False)
    criteria_count = models.PositiveSmallIntegerField(default=0, editable=False)
    rules_from = models.DateField(null=True, editable=False)  # the version of meetings.quality used
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "buổi sinh hoạt"
        verbose_name_plural = "buổi sinh hoạt"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "body", "month"],
                condition=Q(kind="regular") & ~Q(state="cancelled"),
                name="meeting_one_regular_per_month",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True)
                | Q(started_at__isnull=True)
                | Q(ended_at__gt=models.F("started_at")),
                name="meeting_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "date"], name="meeting_org_date_idx"),
            # the collective bodies' meetings, a few among millions of cell meetings: the dashboard reads them alone
            models.Index(fields=["date"], condition=~Q(body="members"), name="meeting_bodies_date_idx"),
        ]
        # The (org_path, date) index with varchar_pattern_ops is created per vendor in migration 0002.

    def __str__(self) -> str:
        return f"{self.title} {self.date:%d/%m/%Y}"

    @property
    def of_body(self) -> bool:
        """A meeting of a collective body (committee, standing committee, inspection commission)."""
        return self.body != Body.MEMBERS

    @property
    def title(self) -> str:
        """"Sinh hoạt thường kỳ", or a body's "Họp Ban Thường vụ thường kỳ" / "Họp cấp ủy bất thường"."""
        if not self.of_body:
            return self.get_kind_display()
        return f"Họp {BODY_NAMES[self.body]} {'bất thường' if self.kind == Kind.EXTRA else 'thường kỳ'}"

    @property
    def is_thematic(self) -> bool:
        return self.kind == Kind.THEMATIC or self.combined

    @property
    def locked(self) -> bool:
        return self.state in (State.CLOSED, State.CANCELLED)


class Standing(models.TextChoices):
    REGULAR = "regular", "Sinh hoạt tại chi bộ"
    EXEMPT = "exempt", "Miễn công tác và sinh hoạt"
    AWAY = "away", "Sinh hoạt tạm thời nơi khác"
    GUEST = "guest", "Sinh hoạt tạm thời tại chi bộ"
    SUSPENDED = "suspended", "Đình chỉ sinh hoạt, bị truy tố, tạm giam"


class Rank(models.TextChoices):
    OFFICIAL = "official", "Chính thức"
    PROBATIONARY = "probationary", "Dự bị"


class Presence(models.TextChoices):
    PRESENT = "present", "Có mặt"
    EXCUSED = "excused", "Vắng có lý do"
    ABSENT = "absent", "Vắng không lý do"


class Attendance(models.Model):
    """One line of the roll call: who was summoned, in what standing, and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="attendance")
    rank = models.CharField(max_length=12, choices=Rank.choices)
    standing = models.CharField(max_length=10, choices=Standing.choices, default=Standing.REGULAR)
    presence = models.CharField(max_length=8, choices=Presence.choices, blank=True)
    reason = models.CharField("lý do vắng", max_length=255, blank=True)

    class Meta:
        ordering = ["member__sort_key"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")]
        indexes = [models.Index(fields=["member", "meeting"], name="attendance_member_idx")]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_presence_display()}"


class Speaker(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="speakers")
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("người phát biểu", max_length=120)
    opinion = models.TextField("ý kiến")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class VoteKind(models.TextChoices):
    ORDINARY = "ordinary", "Nghị quyết, kết luận"
    ADMISSION = "admission", "Đề nghị kết nạp đảng viên"
    RECOGNITION = "recognition", "Đề nghị công nhận đảng viên chính thức"


class Vote(models.Model):
    """An item put to the vote (biểu quyết), with its ballots and the base it is judged against."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    kind = models.CharField(
        "loại biểu quyết", max_length=12, choices=VoteKind.choices, default=VoteKind.ORDINARY
    )
    subject = models.CharField("nội dung biểu quyết", max_length=500)
    votes_for = models.PositiveIntegerField("tán thành")
    votes_against = models.PositiveIntegerField("không tán thành", default=0)
    votes_abstain = models.PositiveIntegerField("không biểu quyết", default=0)
    base = models.PositiveIntegerField(editable=False)
    required = models.PositiveIntegerField(editable=False)  # the least number of "for" that passes
    passed = models.BooleanField(editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.subject


class MeetingFile(models.Model):
    """A document for the meeting (draft resolution, report, material), made available before it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    title = models.CharField("tên tài liệu", max_length=255)
    file = models.FileField(upload_to="meetings/%Y/%m/")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Notice(models.Model):
    """A meeting notice sent to one person: a member summoned, or the assigned monitor."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    is_monitor = models.BooleanField(default=False)
    sent_at = models.DateTimeField()
    in_app = models.BooleanField(default=False)
    email = models.CharField(max_length=254, blank=True)  # the address written to, when e-mail is configured

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.member} {self.sent_at:%d/%m/%Y}"


class MonthlyReport(models.Model):
    """The cell's monthly written report: results of the month and directions for the next."""

    organisation = models.ForeignKey(  # indexed by the (organisation, month) constraint
        "organizations.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    org_path = models.CharField(max_length=255, editable=False)
    month = models.DateField()
    results = models.TextField("kết quả thực hiện trong tháng")
    directions = models.TextField("phương hướng, nhiệm vụ tháng tới")
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["organisation", "month"], name="report_once_a_month")]

    def __str__(self) -> str:
        return f"Báo cáo tháng {self.month:%m/%Y}"


class DocTemplate(models.Model):
    """An organisation's own .docx template for minutes or resolutions (its subtree uses it)."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    doc_type = models.CharField(max_length=4, choices=DocType.choices)
    file = models.FileField(upload_to="templates/")
    sha256 = models.CharField(max_length=64, blank=True)  # checked before every render; "" for older uploads
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [models.UniqueConstraint(fields=["organisation", "doc_type"], name="template_once")]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} – {self.organisation}"


EVERY_CHOICES = [(1, "Mỗi tháng"), (2, "Hai tháng một lần"), (3, "Mỗi quý"), (6, "Sáu tháng một lần")]


class WorkingRules(models.Model):
    """An organisation's working regulations (quy chế làm việc) as adopted on a date: how often each of its
    collective bodies holds its regular meeting. The latest adopted on or before a date is the one in force; with
    none, the default of the rule set "meetings.bodies" (the 2025 model rules, QĐ 363-QĐ/TW)."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    adopted_on = models.DateField("ngày ban hành")
    document = models.ForeignKey(
        "documents.Outgoing", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="văn bản quy chế (sổ văn bản đi)",
    )  # fmt: skip
    reference = models.CharField("số, ký hiệu văn bản", max_length=60, blank=True)
    committee_every = models.PositiveSmallIntegerField("cấp ủy họp thường kỳ", choices=EVERY_CHOICES, default=1)
    standing_every = models.PositiveSmallIntegerField("Ban Thường vụ họp thường kỳ", choices=EVERY_CHOICES, default=1)
    commission_every = models.PositiveSmallIntegerField("Ủy ban Kiểm tra họp thường kỳ", choices=EVERY_CHOICES,
                                                        default=1)  # fmt: skip
    note = models.CharField("ghi chú", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_on"]
        constraints = [models.UniqueConstraint(fields=["organisation", "adopted_on"], name="workingrules_org_day")]

    def __str__(self) -> str:
        return f"Quy chế làm việc ngày {self.adopted_on:%d/%m/%Y}"

    def every(self, body: str) -> int:
        return getattr(self, f"{body}_every")
