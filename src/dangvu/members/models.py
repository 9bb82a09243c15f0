"""The member registry: profiles, memberships over time, status history, transfers, committees.

The member row carries its *current* home organisation and that organisation's path (kept in step by the
lifecycle services and by `organizations.paths`), so a subtree's list, filters and counts are one indexed
scan of one table; `Membership` keeps every stay in every organisation, so the register of any organisation on
any date is a query, and a closed or merged organisation keeps its past members.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    PROBATIONARY = "probationary", "Đảng viên dự bị"
    OFFICIAL = "official", "Đảng viên chính thức"
    EXEMPT = "exempt", "Miễn công tác và sinh hoạt"
    TEMP_AWAY = "temp_away", "Sinh hoạt tạm thời nơi khác"
    TRANSFERRED_OUT = "transferred_out", "Đã chuyển sinh hoạt đi"
    STRUCK_OFF = "struck_off", "Đã xóa tên"
    EXPELLED = "expelled", "Đã khai trừ"
    RESIGNED = "resigned", "Xin ra khỏi Đảng"
    DECEASED = "deceased", "Từ trần"


# In the home organisation's total (đảng số): still members there, whatever they are doing now.
IN_REGISTER = (Status.PROBATIONARY, Status.OFFICIAL, Status.EXEMPT, Status.TEMP_AWAY)
LEFT = (Status.TRANSFERRED_OUT, Status.STRUCK_OFF, Status.EXPELLED, Status.RESIGNED, Status.DECEASED)


class Sex(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class Qualification(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so-cap", "Sơ cấp"
    INTERMEDIATE = "trung-cap", "Trung cấp"
    COLLEGE = "cao-dang", "Cao đẳng"
    BACHELOR = "dai-hoc", "Đại học"
    MASTER = "thac-si", "Thạc sĩ"
    DOCTOR = "tien-si", "Tiến sĩ"


class Theory(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ELEMENTARY = "so-cap", "Sơ cấp"
    INTERMEDIATE = "trung-cap", "Trung cấp"
    ADVANCED = "cao-cap", "Cao cấp"
    BACHELOR = "cu-nhan", "Cử nhân"


class Forces(models.TextChoices):
    NONE = "", "—"
    ARMY = "quan-doi", "Quân đội"
    POLICE = "cong-an", "Công an"
    RETIRED = "nghi-huu", "Nghỉ hưu"


class Member(models.Model):
    # Identity (lý lịch đảng viên; columns 2–4 of Mẫu 7-HSĐV)
    full_name = models.CharField("họ và tên", max_length=120)
    birth_name = models.CharField("họ tên khai sinh / tên gọi khác", max_length=120, blank=True)
    sex = models.CharField("giới tính", max_length=3, choices=Sex.choices)
    birth_date = models.DateField("ngày sinh")
    ethnicity = models.CharField("dân tộc", max_length=40, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=60, default="Không", blank=True)
    home_town = models.CharField("quê quán", max_length=255, blank=True)
    birth_place = models.CharField("nơi sinh", max_length=255, blank=True)
    residence = models.CharField("nơi ở hiện nay", max_length=255, blank=True)
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    email = models.EmailField(
        "thư điện tử", blank=True, help_text="Nhận thông báo họp chi bộ qua thư điện tử."
    )
    # The member's own login, set by an officer: in-app notices reach the member through it
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="tài khoản Đảng vụ", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="member",
    )  # fmt: skip
    # Education (column 5)
    general_education = models.CharField(
        "giáo dục phổ thông", max_length=10, blank=True, help_text="vd: 12/12"
    )
    qualification = models.CharField(
        "trình độ chuyên môn", max_length=10, choices=Qualification.choices, blank=True
    )
    specialty = models.CharField("chuyên ngành", max_length=120, blank=True)
    political_theory = models.CharField(
        "lý luận chính trị", max_length=10, choices=Theory.choices, blank=True
    )
    foreign_language = models.CharField("ngoại ngữ", max_length=60, blank=True)
    # Work (column 6, 9)
    occupation_before = models.CharField("nghề nghiệp khi vào Đảng", max_length=120, blank=True)
    occupation = models.CharField("nghề nghiệp hiện nay", max_length=120, blank=True)
    position = models.CharField("chức vụ", max_length=160, blank=True)
    forces = models.CharField(
        "quân đội, công an, nghỉ hưu", max_length=10, choices=Forces.choices, blank=True
    )
    # Party (columns 7–8)
    admitted_on = models.DateField("ngày vào Đảng")
    official_on = models.DateField("ngày chính thức", null=True, blank=True)
    card_number = models.CharField("số thẻ đảng viên", max_length=20, null=True, blank=True, unique=True)
    cv_number = models.CharField("số lý lịch", max_length=20, blank=True)
    badge_number = models.CharField("số huy hiệu Đảng", max_length=20, null=True, blank=True, unique=True)
    notes = models.TextField("ghi chú", blank=True)
    # Current state, kept by the services
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROBATIONARY)
    status_since = models.DateField()
    org = models.ForeignKey(  # indexed by (org, status)
        "organizations.Organisation",
        db_index=False,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name="tổ chức đang sinh hoạt chính thức",
    )
    org_path = models.CharField(max_length=255, blank=True, default="", editable=False)
    host_org = models.ForeignKey(  # indexed by member_host_idx
        "organizations.Organisation",
        db_index=False,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guests",
        verbose_name="nơi sinh hoạt tạm thời",
    )
    left_on = models.DateField("ngày ra khỏi danh sách", null=True, blank=True)
    search_text = models.CharField(max_length=255, editable=False, default="")
    sort_key = models.CharField(max_length=1024, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_key", "pk"]
        verbose_name = "đảng viên"
        verbose_name_plural = "đảng viên"
        indexes = [
            models.Index(fields=["sort_key", "id"], name="member_sort_idx"),
            models.Index(fields=["org", "status"], name="member_org_status_idx"),
            models.Index(fields=["host_org"], name="member_host_idx"),
            models.Index(fields=["birth_date"], name="member_birth_idx"),
            models.Index(fields=["admitted_on"], name="member_admitted_idx"),
        ]
        # The (org_path, status) index with varchar_pattern_ops and the trigram index on search_text are
        # created per vendor in migration 0002.

    def __str__(self) -> str:
        return self.full_name

    @property
    def in_register(self) -> bool:
        return self.status in IN_REGISTER


class Reason(models.TextChoices):
    ADMITTED = "admitted", "Kết nạp"
    IMPORTED = "imported", "Nhập từ danh sách"
    CREATED = "created", "Ghi vào danh sách"
    TRANSFER_IN = "transfer_in", "Chuyển sinh hoạt đến"
    TRANSFER_OUT = "transfer_out", "Chuyển sinh hoạt đi"
    TEMPORARY = "temporary", "Sinh hoạt tạm thời"
    RETURN = "return", "Trở lại sinh hoạt"
    MERGE = "merge", "Hợp nhất tổ chức"
    SPLIT = "split", "Chia tách tổ chức"
    DISSOLVE = "dissolve", "Giải thể tổ chức"
    STRUCK_OFF = "struck_off", "Xóa tên"
    EXPELLED = "expelled", "Khai trừ"
    RESIGNED = "resigned", "Xin ra khỏi Đảng"
    DECEASED = "deceased", "Từ trần"


class MembershipKind(models.TextChoices):
    OFFICIAL = "official", "Chính thức"
    TEMPORARY = "temporary", "Tạm thời"


class Membership(models.Model):
    """A stay of a member in an organisation, [valid_from, valid_to). Official stays never overlap."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    kind = models.CharField(max_length=10, choices=MembershipKind.choices, default=MembershipKind.OFFICIAL)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    start_reason = models.CharField(max_length=16, choices=Reason.choices)
    end_reason = models.CharField(max_length=16, choices=Reason.choices, blank=True)
    start_event = models.ForeignKey(
        "organizations.OrgEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_event = models.ForeignKey(
        "organizations.OrgEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["valid_from", "pk"]
        indexes = [
            models.Index(fields=["organisation", "valid_from"], name="membership_org_idx"),
            models.Index(fields=["member", "valid_from"], name="membership_member_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"],
                condition=Q(valid_to__isnull=True),
                name="membership_one_current_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.organisation} từ {self.valid_from:%d/%m/%Y}"


class StatusChange(models.Model):
    """The member's status over time, [valid_from, valid_to)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(max_length=16, choices=Status.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    reason = models.CharField("lý do", max_length=500, blank=True)
    decision_number = models.CharField("số quyết định / nghị quyết", max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["valid_from", "pk"]
        indexes = [models.Index(fields=["member", "valid_from"], name="status_member_idx")]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_status_display()} từ {self.valid_from:%d/%m/%Y}"


class TransferKind(models.TextChoices):
    OFFICIAL = "official", "Chuyển sinh hoạt chính thức"
    TEMPORARY = "temporary", "Chuyển sinh hoạt tạm thời"
    STUDY = "study", "Sinh hoạt tạm thời khi đi học"


class TransferState(models.TextChoices):
    PENDING = "pending", "Đã giới thiệu, chờ nơi đến tiếp nhận"
    RECEIVED = "received", "Đã tiếp nhận"
    LEFT = "left", "Đã chuyển ra ngoài hệ thống"
    RETURNED = "returned", "Đã trở về"
    CANCELLED = "cancelled", "Đã hủy"


class Transfer(models.Model):
    """A transfer of Party activity (chuyển sinh hoạt đảng), with its letter and the deadlines of the rules."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers")
    kind = models.CharField(max_length=10, choices=TransferKind.choices)
    state = models.CharField(max_length=10, choices=TransferState.choices)
    from_org = models.ForeignKey(
        "organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_text = models.CharField("nơi đi (ngoài hệ thống)", max_length=255, blank=True)
    to_org = models.ForeignKey(
        "organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_text = models.CharField("nơi đến (ngoài hệ thống)", max_length=255, blank=True)
    reason = models.CharField("lý do", max_length=255)
    event_on = models.DateField("ngày có quyết định / chuyển nơi ở, nơi làm việc")
    letter_number = models.CharField("số giấy giới thiệu", max_length=40, blank=True)
    letter_on = models.DateField("ngày giới thiệu")
    start_deadline = models.DateField("hạn làm thủ tục chuyển")
    present_deadline = models.DateField("hạn nộp giấy giới thiệu ở nơi đến", null=True, blank=True)
    rules_from = models.DateField(null=True, blank=True)  # the version of the rules that set the deadlines
    until = models.DateField("sinh hoạt tạm thời đến ngày", null=True, blank=True)
    received_on = models.DateField("ngày tiếp nhận", null=True, blank=True)
    returned_on = models.DateField("ngày trở về", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-letter_on", "-pk"]
        indexes = [
            models.Index(fields=["to_org", "state"], name="transfer_to_idx"),
            models.Index(fields=["from_org", "state"], name="transfer_from_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member}"

    @property
    def started_late(self) -> bool:
        return self.letter_on > self.start_deadline

    @property
    def presented_late(self) -> bool:
        return bool(self.received_on and self.present_deadline and self.received_on > self.present_deadline)


class EntryKind(models.TextChoices):
    WORK = "work", "Quá trình công tác"
    TRAINING = "training", "Đào tạo, bồi dưỡng"
    REWARD = "reward", "Khen thưởng"
    DISCIPLINE = "discipline", "Kỷ luật"


class Course(models.TextChoices):
    """The courses a training line may record (the theory levels are Theory's values)."""

    NEW_MEMBER = "dang-vien-moi", "Bồi dưỡng lý luận chính trị cho đảng viên mới"
    ELEMENTARY = "so-cap", "Sơ cấp lý luận chính trị"
    INTERMEDIATE = "trung-cap", "Trung cấp lý luận chính trị"
    ADVANCED = "cao-cap", "Cao cấp lý luận chính trị"
    BACHELOR = "cu-nhan", "Cử nhân lý luận chính trị"
    REFRESHER = "cap-nhat", "Bồi dưỡng, cập nhật kiến thức"


THEORY_ORDER = [Theory.ELEMENTARY, Theory.INTERMEDIATE, Theory.ADVANCED, Theory.BACHELOR]


class ProfileEntry(models.Model):
    """A line of the CV: work history, training, a reward or a discipline. A training line may name its course
    (the new-member course that recognition asks for, a theory level that the profile's level follows)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=EntryKind.choices)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày", null=True, blank=True)
    description = models.CharField("nội dung", max_length=500)
    decision_number = models.CharField("số quyết định", max_length=40, blank=True)
    course = models.CharField("khóa học", max_length=16, choices=Course.choices, blank=True)
    issuer = models.CharField("cơ sở đào tạo", max_length=160, blank=True)
    certificate = models.CharField("số chứng chỉ, bằng", max_length=40, blank=True)

    class Meta:
        ordering = ["kind", "start", "pk"]
        indexes = [models.Index(fields=["member", "kind", "start"], name="entry_member_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class Term(models.Model):
    """A term (nhiệm kỳ) of an organisation's elected leadership."""

    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="terms"
    )
    name = models.CharField("nhiệm kỳ", max_length=40, help_text="vd: 2025–2030")
    starts_on = models.DateField("bắt đầu")
    ends_on = models.DateField("kết thúc", null=True, blank=True)
    # the congress that opened the term, "lần thứ n": continued across a merge, from 1 for a new organisation
    congress_number = models.PositiveSmallIntegerField("đại hội lần thứ", null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "starts_on"], name="term_org_start_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} nhiệm kỳ {self.name}"


class SeatRole(models.TextChoices):
    SECRETARY = "secretary", "Bí thư"
    DEPUTY = "deputy", "Phó Bí thư"
    STANDING = "standing", "Ủy viên Ban Thường vụ"
    MEMBER = "member", "Cấp ủy viên"
    INSPECTION_CHAIR = "insp_chair", "Chủ nhiệm Ủy ban Kiểm tra"
    INSPECTION_MEMBER = "insp_member", "Ủy viên Ủy ban Kiểm tra"


class Seat(models.Model):
    """A member's seat in a term's leadership, [valid_from, valid_to)."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="seats")
    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(max_length=12, choices=SeatRole.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["role", "valid_from"]
        indexes = [models.Index(fields=["organisation", "role", "valid_to"], name="seat_org_role_idx")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.member}"


class MonitorAssignment(models.Model):
    """A committee member of a superior organisation assigned to follow (phụ trách) an organisation below it."""

    organisation = models.ForeignKey(
        "organizations.Organisation", on_delete=models.PROTECT, related_name="monitor_assignments"
    )
    monitor = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="monitoring")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    decision_number = models.CharField("số quyết định phân công", max_length=40, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["organisation", "valid_to"], name="monitor_org_idx")]

    def __str__(self) -> str:
        return f"{self.monitor} phụ trách {self.organisation}"
