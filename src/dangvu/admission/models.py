"""Growing the Party (phát triển đảng viên): a person from the cell's list of sympathisers (quần chúng ưu tú)
through application, verification, the cell's and the committees' resolutions, the admission decision, the
ceremony and probation, to recognition as an official member. One `Case` per person and attempt; each step
recorded once, in order, with its date, number, signer, deadline and the rules' version that set it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from dangvu.members.models import Qualification, Sex


class Proposer(models.TextChoices):
    YOUTH = "doan-tn", "Đoàn Thanh niên"
    UNION = "cong-doan", "Công đoàn"
    WOMEN = "phu-nu", "Hội Liên hiệp Phụ nữ"
    FARMERS = "nong-dan", "Hội Nông dân"
    VETERANS = "cuu-chien-binh", "Hội Cựu chiến binh"
    FRONT = "mat-tran", "Ban công tác Mặt trận"
    CELL = "chi-bo", "Chi bộ"


class Stage(models.TextChoices):
    """Where a case stands: the last step recorded (or how it ended)."""

    SOURCE = "source", "Quần chúng ưu tú"
    APPLIED = "applied", "Đã có đơn và lý lịch"
    VERIFIED = "verified", "Đã thẩm tra lý lịch"
    INTRODUCED = "introduced", "Đã có giới thiệu, ý kiến đoàn thể"
    CELL = "cell", "Chi bộ đã đề nghị kết nạp"
    GRASSROOTS = "grassroots", "Đảng ủy cơ sở đã đề nghị"
    DECIDED = "decided", "Đã có quyết định kết nạp"
    ADMITTED = "admitted", "Đảng viên dự bị"
    CV_DONE = "cv_done", "Đã hoàn thành lý lịch đảng viên"
    RECOGNITION_PROPOSED = "recog_cell", "Chi bộ đã đề nghị công nhận chính thức"
    RECOGNISED = "recognised", "Đã công nhận chính thức"
    NOT_RECOGNISED = "not_recognised", "Không được công nhận chính thức"
    ENDED = "ended", "Dừng xem xét"


OPEN = [s for s in Stage.values if s not in (Stage.RECOGNISED, Stage.NOT_RECOGNISED, Stage.ENDED)]
BEFORE_ADMISSION = [Stage.SOURCE, Stage.APPLIED, Stage.VERIFIED, Stage.INTRODUCED, Stage.CELL, Stage.GRASSROOTS,
                    Stage.DECIDED]  # fmt: skip


class StepKind(models.TextChoices):
    """The steps, in the order they must be recorded (services.ORDER)."""

    APPLICATION = "application", "Đơn xin vào Đảng và lý lịch (1-KNĐ, 2-KNĐ)"
    VERIFICATION = "verification", "Thẩm tra, kết luận lý lịch"
    INTRODUCTION = "introduction", "Giới thiệu của đảng viên, nghị quyết, ý kiến đoàn thể (3, 4, 5-KNĐ)"
    CELL_RESOLUTION = "cell_resolution", "Nghị quyết chi bộ đề nghị kết nạp (6-KNĐ)"
    GRASSROOTS_RESOLUTION = "grassroots_resolution", "Nghị quyết đảng ủy cơ sở (8-KNĐ)"
    DECISION = "decision", "Quyết định kết nạp (9-KNĐ)"
    CEREMONY = "ceremony", "Lễ kết nạp"
    MEMBER_CV = "member_cv", "Lý lịch đảng viên, phiếu đảng viên"
    RECOGNITION_RESOLUTION = "recognition_resolution", "Nghị quyết chi bộ đề nghị công nhận chính thức"
    RECOGNITION_DECISION = "recognition_decision", "Quyết định công nhận đảng viên chính thức"


class Case(models.Model):
    """One person on the way into the Party: sympathiser first, then each step."""

    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="admission_cases",
        verbose_name="chi bộ", db_index=False,
    )  # fmt: skip
    org_path = models.CharField(max_length=255, editable=False)
    # The person (the same checks as a member's profile)
    full_name = models.CharField("họ và tên", max_length=120)
    birth_name = models.CharField("họ tên khai sinh / tên gọi khác", max_length=120, blank=True)
    sex = models.CharField("giới tính", max_length=3, choices=Sex.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=40, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=60, default="Không", blank=True)
    home_town = models.CharField("quê quán", max_length=255, blank=True)
    birth_place = models.CharField("nơi sinh", max_length=255, blank=True)
    residence = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    general_education = models.CharField("giáo dục phổ thông", max_length=10, blank=True, help_text="vd: 9/12")
    qualification = models.CharField("trình độ chuyên môn", max_length=10, choices=Qualification.choices, blank=True)
    specialty = models.CharField("chuyên ngành", max_length=120, blank=True)
    occupation = models.CharField("nghề nghiệp hiện nay", max_length=120, blank=True)
    # Where they came from
    proposed_by = models.CharField("đoàn thể, tổ chức giới thiệu", max_length=16, choices=Proposer.choices)
    proposed_on = models.DateField("ngày đưa vào danh sách quần chúng ưu tú")
    # The awareness course (lớp bồi dưỡng nhận thức về Đảng), certificate CN-NTVĐ
    course_on = models.DateField("ngày cấp giấy chứng nhận học lớp nhận thức về Đảng", null=True, blank=True)
    course_number = models.CharField("số giấy chứng nhận", max_length=40, blank=True)
    course_issuer = models.CharField("nơi cấp", max_length=160, blank=True)
    # The exceptions the rules allow, recorded with their basis
    area_exception = models.BooleanField(
        "thuộc diện được áp dụng ngoại lệ về học vấn (vùng cao, biên giới, hải đảo, đồng bào dân tộc thiểu số)",
        default=False,
    )
    over60_consent = models.CharField(
        "văn bản đồng ý của ban thường vụ tỉnh ủy (trên 60 tuổi)", max_length=60, blank=True
    )
    over60_consent_on = models.DateField("ngày văn bản đồng ý", null=True, blank=True)
    # Where the case stands
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.SOURCE)
    stage_since = models.DateField()
    ended_reason = models.CharField("lý do dừng", max_length=500, blank=True)
    # the next step and the deadline the rules set for it (stored for the overdue lists; judged again when the
    # rules or the working-day calendar change)
    next_step = models.CharField(max_length=24, blank=True, default="application")
    next_due = models.DateField(null=True, blank=True)
    member = models.OneToOneField(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="admission_case"
    )
    search_text = models.TextField(editable=False, default="")
    sort_key = models.CharField(max_length=255, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key", "pk"]
        verbose_name = "hồ sơ phát triển đảng viên"
        constraints = [
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=Q(citizen_id__isnull=False) & ~Q(stage__in=["ended", "not_recognised", "recognised"]),
                name="admission_case_open_citizen_uniq",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "stage"], name="admission_case_org_idx"),
            models.Index(fields=["sort_key", "id"], name="admission_case_sort_idx"),
            models.Index(fields=["next_due"], name="admission_case_due_idx", condition=Q(next_due__isnull=False)),
        ]
        # (org_path varchar_pattern_ops, stage) is created per vendor in migration 0002.

    def __str__(self) -> str:
        return self.full_name

    @property
    def open(self) -> bool:
        return self.stage in OPEN


class Introducer(models.Model):
    """An official member who introduces the person: worked, studied or lived with them since `since`."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="introducers")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    since = models.DateField("cùng công tác, học tập, cư trú từ ngày")
    assigned_on = models.DateField("ngày phân công")

    class Meta:
        ordering = ["assigned_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "member"], name="introducer_once")]

    def __str__(self) -> str:
        return f"{self.member} giới thiệu {self.case}"


class Step(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=24, choices=StepKind.choices)
    done_on = models.DateField("ngày")
    received_on = models.DateField("ngày chi bộ nhận", null=True, blank=True)  # a decision: when it arrived
    number = models.CharField("số, ký hiệu", max_length=40, blank=True)
    signer = models.CharField("người ký", max_length=120, blank=True)
    note = models.TextField("ghi chú", blank=True)
    # A cell's resolution rests on the vote of its meeting; a committee's on its members' votes
    vote = models.ForeignKey("meetings.Vote", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    votes_for = models.PositiveSmallIntegerField("số tán thành", null=True, blank=True)
    votes_base = models.PositiveSmallIntegerField("số thành viên", null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)  # the deadline the rules set for this step
    rules_from = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="admission_step_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.case}"

    @property
    def late(self) -> bool:
        return bool(self.due_on and self.done_on > self.due_on)


# The papers of an admission file (rules.md §3.3, forms §3.4; HD 12-HD/BTCTW 2022): (code, title, the step whose
# record needs it, only where that step applies / may be absent). The recognition series 10–16 follows the
# numbering third-party guides give; HD 12's appendix is the authority to check it against.
PAPERS = [
    ("CN-NTVĐ", "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng", "application", False),
    ("1-KNĐ", "Đơn xin vào Đảng", "application", False),
    ("2-KNĐ", "Lý lịch của người xin vào Đảng", "application", False),
    ("TTLL", "Văn bản thẩm tra, xác minh lý lịch", "verification", False),
    ("3-KNĐ", "Giấy giới thiệu người vào Đảng", "introduction", False),
    ("4-KNĐ", "Nghị quyết giới thiệu của Đoàn Thanh niên hoặc Công đoàn (nếu có)", "introduction", True),
    ("5-KNĐ", "Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú", "introduction", False),
    ("6-KNĐ", "Nghị quyết của chi bộ đề nghị kết nạp", "cell_resolution", False),
    ("8-KNĐ", "Nghị quyết của đảng ủy cơ sở đề nghị kết nạp", "grassroots_resolution", False),
    ("9-KNĐ", "Quyết định kết nạp đảng viên", "decision", False),
    ("LLĐV", "Lý lịch đảng viên", "member_cv", False),
    ("PĐV", "Phiếu đảng viên", "member_cv", False),
    ("CN-ĐVM", "Giấy chứng nhận học lớp bồi dưỡng lý luận chính trị cho đảng viên mới", "recognition_resolution", False),
    ("10-KNĐ", "Bản tự kiểm điểm của đảng viên dự bị", "recognition_resolution", False),
    ("11-KNĐ", "Bản nhận xét của đảng viên được phân công giúp đỡ", "recognition_resolution", False),
    ("12-KNĐ", "Tổng hợp ý kiến nhận xét của đoàn thể và chi ủy nơi cư trú", "recognition_resolution", False),
    ("14-KNĐ", "Nghị quyết của chi bộ đề nghị công nhận đảng viên chính thức", "recognition_resolution", False),
    ("16-KNĐ", "Quyết định công nhận đảng viên chính thức", "recognition_decision", False),
]
PAPER_CHOICES = [(code, f"{code}: {title}") for code, title, _, _ in PAPERS]


class CaseFile(models.Model):
    """A paper of the case (a signed form, the verification's documents), checked by content, never public."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField("thuộc bước", max_length=24, choices=StepKind.choices, blank=True)
    paper = models.CharField("giấy tờ", max_length=10, choices=PAPER_CHOICES, blank=True)
    title = models.CharField("tên giấy tờ", max_length=255)
    file = models.FileField(upload_to="admission/%Y/%m/")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


# --- villages and residential groups ("bản trắng": villages without a Party member, without a cell) ------------


class UnitKind(models.TextChoices):
    VILLAGE = "thon", "Thôn"
    HAMLET = "ban", "Bản"
    GROUP = "to-dan-pho", "Tổ dân phố"
    OTHER = "khac", "Khu dân cư khác"


class ResidentialUnit(models.Model):
    """A village or residential group of a commune, for the dates it existed: a merger closes the old ones (the day
    before) and opens the new one (`merged_into` keeps the line)."""

    commune = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="residential_units",
        verbose_name="đảng bộ xã, phường",
    )  # fmt: skip
    org_path = models.CharField(max_length=255, editable=False)  # the commune's path (subtree reports)
    name = models.CharField("tên", max_length=120)
    kind = models.CharField("loại", max_length=12, choices=UnitKind.choices, default=UnitKind.VILLAGE)
    valid_from = models.DateField("từ ngày")
    valid_to = models.DateField("đến trước ngày", null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from")
    decision = models.CharField("căn cứ (nghị quyết sáp nhập…)", max_length=120, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "thôn, bản, tổ dân phố"
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], condition=Q(valid_to__isnull=True),
                                    name="unit_current_name_uniq"),  # fmt: skip
        ]
        indexes = [models.Index(fields=["org_path", "valid_from"], name="unit_path_idx")]

    def __str__(self) -> str:
        return self.name


class Coverage(models.Model):
    """A cell covers a village or residential group (a cell may cover several, a unit may share a cell)."""

    unit = models.ForeignKey(ResidentialUnit, on_delete=models.CASCADE, related_name="coverages")
    cell = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "pk"]
        indexes = [models.Index(fields=["unit", "valid_from"], name="coverage_unit_idx")]

    def __str__(self) -> str:
        return f"{self.cell} – {self.unit}"


class Residence(models.Model):
    """Where a member lives, by village or residential group, over time (the indicator counts members in the
    register on the date who live there)."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="residences")
    unit = models.ForeignKey(ResidentialUnit, on_delete=models.PROTECT, related_name="residents")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["valid_from", "pk"]
        indexes = [models.Index(fields=["unit", "valid_from"], name="residence_unit_idx")]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(valid_to__isnull=True), name="residence_one_current")
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.unit}"
