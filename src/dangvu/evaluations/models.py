"""Yearly registration, review, evaluation and classification (kiểm điểm, đánh giá, xếp loại chất lượng).

Each year an organisation registers its goals (`Registration`) and each member submits a commitment
(`Commitment`). At review time (the year, or a quarter where the organisation chooses) a `Review` of a member
(forms 2A/2B/2C) or of an organisation (form 01) goes draft → submitted (self-review with a self-score and a
proposed level) → reviewed (the cell's or the collective's score, level and vote) → decided (the competent level).
A decision is a `Decision` row; a decided level changes only by a new recorded decision, and the old one stays.

Every review carries its organisation's path (subtree rollups are one range scan) and the grassroots organisation
it counted in when it was opened (the quota on "excellent" is per grassroots organisation). The rules (score
bands, the 30% condition, the cap, what discipline caps) are dated data read through `rules.py`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Level(models.TextChoices):
    EXCELLENT = "excellent", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "good", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "completed", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "not_completed", "Không hoàn thành nhiệm vụ"


# Higher is better; comparisons of levels go through this.
RANK = {Level.EXCELLENT: 3, Level.GOOD: 2, Level.COMPLETED: 1, Level.NOT_COMPLETED: 0}
SHORT = {
    Level.EXCELLENT: "HTXSNV",
    Level.GOOD: "HTTNV",
    Level.COMPLETED: "HTNV",
    Level.NOT_COMPLETED: "KHTNV",
}


class Form(models.TextChoices):
    COLLECTIVE = "01", "Mẫu 01 – kiểm điểm tập thể"
    NO_POST = "2A", "Mẫu 2A – đảng viên không giữ chức vụ lãnh đạo, quản lý"
    POST = "2B", "Mẫu 2B – đảng viên giữ chức vụ lãnh đạo, quản lý"
    OUTSIDE = "2C", "Mẫu 2C – đảng viên không làm việc trong hệ thống chính trị"


MEMBER_FORMS = (Form.NO_POST, Form.POST, Form.OUTSIDE)


class Subject(models.TextChoices):
    MEMBER = "member", "Đảng viên"
    ORGANISATION = "organisation", "Tổ chức đảng"


class State(models.TextChoices):
    DRAFT = "draft", "Đang tự kiểm điểm"
    SUBMITTED = "submitted", "Đã nộp bản kiểm điểm"
    REVIEWED = "reviewed", "Đã kiểm điểm, đề xuất mức"
    DECIDED = "decided", "Đã quyết định xếp loại"


class Period(models.TextChoices):
    YEAR = "Y", "Cả năm"
    Q1 = "Q1", "Quý I"
    Q2 = "Q2", "Quý II"
    Q3 = "Q3", "Quý III"
    Q4 = "Q4", "Quý IV"


class Registration(models.Model):
    """An organisation's registration of goals for a year (đăng ký phấn đấu)."""

    organisation = models.ForeignKey(  # indexed by the (organisation, year) constraint
        "organizations.Organisation", on_delete=models.PROTECT, related_name="goal_registrations", db_index=False
    )
    org_path = models.CharField(max_length=255, editable=False)
    year = models.PositiveSmallIntegerField("năm")
    target_level = models.CharField("mức phấn đấu", max_length=16, choices=Level.choices)
    goals = models.TextField("chỉ tiêu, nhiệm vụ đăng ký", help_text="Mỗi dòng một chỉ tiêu.")
    # the number of new members the organisation commits to admit in the year (the admission pipeline counts
    # its branch's against it)
    admissions_target = models.PositiveSmallIntegerField("chỉ tiêu kết nạp đảng viên", null=True, blank=True)
    registered_on = models.DateField("ngày đăng ký")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="registration_org_year_uniq")
        ]

    def __str__(self) -> str:
        return f"Đăng ký phấn đấu {self.year} – {self.organisation}"

    @property
    def goal_lines(self) -> list[str]:
        return [x.strip() for x in self.goals.splitlines() if x.strip()]


class Commitment(models.Model):
    """A member's commitment to self-cultivation for a year (bản cam kết tu dưỡng, rèn luyện, phấn đấu)."""

    # both indexed by the (member, year) constraint and the (organisation, year) index
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="commitments", db_index=False)
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    org_path = models.CharField(max_length=255, editable=False)
    year = models.PositiveSmallIntegerField("năm")
    target_level = models.CharField("mức phấn đấu", max_length=16, choices=Level.choices)
    content = models.TextField("nội dung cam kết")
    submitted_on = models.DateField("ngày nộp")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="commitment_member_year_uniq")]
        indexes = [models.Index(fields=["organisation", "year"], name="commitment_org_year_idx")]

    def __str__(self) -> str:
        return f"Cam kết {self.year} – {self.member}"


class Review(models.Model):
    subject = models.CharField(max_length=12, choices=Subject.choices)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    # A member's review: the organisation the member belonged to in the period; an organisation's: itself.
    organisation = models.ForeignKey(  # indexed by review_org_idx
        "organizations.Organisation", on_delete=models.PROTECT, related_name="reviews", db_index=False
    )
    org_path = models.CharField(max_length=255, editable=False)
    grassroots = models.ForeignKey(  # indexed by review_grassroots_idx
        "organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("năm")
    period = models.CharField("kỳ", max_length=2, choices=Period.choices, default=Period.YEAR)
    form = models.CharField("mẫu", max_length=2, choices=Form.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    rules_from = models.DateField(null=True, blank=True)
    # Step 1: self-review
    tasks_total = models.PositiveSmallIntegerField("số nhiệm vụ được giao", null=True, blank=True)
    tasks_exceeded = models.PositiveSmallIntegerField("số nhiệm vụ vượt yêu cầu", null=True, blank=True)
    strengths = models.TextField("ưu điểm, kết quả đạt được", blank=True)
    shortcomings = models.TextField("hạn chế, khuyết điểm và nguyên nhân", blank=True)
    remedies = models.TextField("phương hướng, biện pháp khắc phục", blank=True)
    self_score = models.DecimalField("điểm tự chấm", max_digits=4, decimal_places=1, null=True, blank=True)
    self_level = models.CharField("tự xếp loại", max_length=16, choices=Level.choices, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    # Step 2: the cell's (the collective's) review and vote
    cell_score = models.DecimalField(
        "điểm chi bộ chấm", max_digits=4, decimal_places=1, null=True, blank=True
    )
    cell_level = models.CharField("mức chi bộ đề xuất", max_length=16, choices=Level.choices, blank=True)
    cell_comment = models.TextField("nhận xét, đánh giá", blank=True)
    votes_for = models.PositiveSmallIntegerField("số phiếu đồng ý mức đề xuất", null=True, blank=True)
    votes_base = models.PositiveSmallIntegerField("số đảng viên biểu quyết", null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    # Step 3: the decision in force (history in Decision)
    score = models.DecimalField("điểm", max_digits=4, decimal_places=1, null=True, blank=True)
    level = models.CharField("mức xếp loại", max_length=16, choices=Level.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decision_number = models.CharField(max_length=40, blank=True)
    # Inputs the system computed when the collective was reviewed (form 01): goals, meetings, dossiers, members
    facts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["org_path", "subject", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "period"],
                condition=Q(subject="member"),
                name="review_member_period_uniq",
            ),
            models.UniqueConstraint(
                fields=["organisation", "year", "period"],
                condition=Q(subject="organisation"),
                name="review_org_period_uniq",
            ),
            models.CheckConstraint(
                condition=Q(subject="organisation", member__isnull=True)
                | Q(subject="member", member__isnull=False),
                name="review_subject_member",
            ),
        ]
        indexes = [
            models.Index(fields=["grassroots", "year", "period"], name="review_grassroots_idx"),
            models.Index(fields=["organisation", "year", "period"], name="review_org_idx"),
        ]
        # (org_path varchar_pattern_ops, year, period) is created per vendor in migration 0002.

    def __str__(self) -> str:
        who = self.member.full_name if self.member_id else self.organisation.name
        return f"Kiểm điểm {self.period_label} – {who}"

    @property
    def period_label(self) -> str:
        return (
            str(self.year) if self.period == Period.YEAR else f"{self.get_period_display()} năm {self.year}"
        )

    @property
    def subject_name(self) -> str:
        return self.member.full_name if self.member_id else self.organisation.name

    @property
    def effective_level(self) -> str:
        """The decided level, else the cell's proposal, else the self-assessment."""
        return self.level or self.cell_level or self.self_level


class Decision(models.Model):
    """A recorded decision classifying a review. A later decision on the same review replaces it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    level = models.CharField(max_length=16, choices=Level.choices)
    score = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    number = models.CharField("số quyết định", max_length=40)
    decided_on = models.DateField("ngày quyết định")
    reason = models.CharField("lý do thay đổi", max_length=500, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.number}: {self.get_level_display()}"
