"""Inspection, supervision and discipline (QĐ 296-QĐ/TW, 30/5/2025): the yearly (or term) programmes and their
items, the inspections and supervisions opened by a numbered decision and closed by a numbered conclusion with
recommendations followed up to done, discipline of members and organisations with its limits (who may decide
which form, the vote, the limitation period, deferral), appeals with the restoration of QĐ 117-QĐ/TW, notices of
discipline from outside the Party and the register of denunciations and complaints.

Confidential: only inspector, officer and administrator roles on the subtree read these records (every read is
audited). A record is scoped by the organisation that owns it (`org_path`: the body that adopts, opens or
decides) and, for the subject's side, by `subject_path` (the subject organisation's, or the member's organisation
when the record was made); both are path copies, rewritten when the tree moves. A subject organisation since
merged, split or dissolved stays the record's subject; its successors show it (`selectors.lineage`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Body(models.TextChoices):
    """The collective that adopts a programme, opens an inspection or decides a discipline."""

    CELL = "cell", "Chi bộ"
    COMMITTEE = "committee", "Cấp ủy (ban chấp hành)"
    STANDING = "standing", "Ban thường vụ"
    COMMISSION = "commission", "Ủy ban kiểm tra"


class Activity(models.TextChoices):
    INSPECTION = "inspection", "Kiểm tra"
    SUPERVISION = "supervision", "Giám sát"


class Method(models.TextChoices):
    REGULAR = "regular", "Thường xuyên"
    THEMATIC = "thematic", "Chuyên đề"
    SIGNS = "signs", "Khi có dấu hiệu vi phạm"


class ItemState(models.TextChoices):
    PLANNED = "planned", "Chưa thực hiện"
    UNDER_WAY = "under_way", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"
    DROPPED = "dropped", "Không thực hiện"


class Programme(models.Model):
    """A body's inspection and supervision programme for a year (or for its whole term when `year` is empty)."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)  # fmt: skip
    org_path = models.CharField(max_length=255, editable=False)
    body = models.CharField("cơ quan ban hành", max_length=12, choices=Body.choices)
    year = models.PositiveSmallIntegerField("năm", null=True, blank=True)
    term = models.ForeignKey("members.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="nhiệm kỳ")  # fmt: skip
    title = models.CharField("tên chương trình", max_length=255)
    adopted_on = models.DateField("ngày thông qua")
    number = models.CharField("số", max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-adopted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "body", "year"], condition=Q(year__isnull=False),
                                    name="programme_year_once"),
            models.UniqueConstraint(fields=["organisation", "body", "term"], condition=Q(year__isnull=True),
                                    name="programme_term_once"),
            models.CheckConstraint(condition=Q(year__isnull=False) | Q(term__isnull=False), name="programme_period"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        return f"năm {self.year}" if self.year else f"nhiệm kỳ {self.term.name}"


class Item(models.Model):
    """One line of a programme: who or what is inspected or supervised, on what, when and by whom."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    org_path = models.CharField(max_length=255, editable=False)  # the programme's
    activity = models.CharField("hoạt động", max_length=12, choices=Activity.choices)
    method = models.CharField("hình thức", max_length=10, choices=Method.choices, default=Method.REGULAR)
    subject_org = models.ForeignKey("organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="tổ chức đảng được kiểm tra")  # fmt: skip
    subject_member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name="đảng viên được kiểm tra")  # fmt: skip
    subject_path = models.CharField(max_length=255, editable=False)
    content = models.TextField("nội dung")
    starts_on = models.DateField("bắt đầu")
    due_on = models.DateField("hoàn thành trước")
    carried_by = models.CharField("người, bộ phận thực hiện", max_length=255)
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.PLANNED)
    done_on = models.DateField(null=True, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} {self.subject_label}"

    @property
    def subject_label(self) -> str:
        return self.subject_member.full_name if self.subject_member_id else self.subject_org.name


class Inspection(models.Model):
    """An inspection or a supervision: opened by a numbered decision, closed by a numbered conclusion."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False)  # fmt: skip
    org_path = models.CharField(max_length=255, editable=False)
    body = models.CharField("cơ quan tiến hành", max_length=12, choices=Body.choices)
    activity = models.CharField("hoạt động", max_length=12, choices=Activity.choices)
    method = models.CharField("hình thức", max_length=10, choices=Method.choices)
    item = models.OneToOneField(Item, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspection")
    subject_org = models.ForeignKey("organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    subject_member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")  # fmt: skip
    subject_path = models.CharField(max_length=255, editable=False)
    content = models.TextField("nội dung")
    decision_number = models.CharField("số quyết định", max_length=40)
    decided_on = models.DateField("ngày quyết định")
    team = models.TextField("đoàn (tổ) kiểm tra, giám sát")
    ends_on = models.DateField("thời hạn kết thúc")
    self_report = models.TextField("báo cáo tự kiểm tra (giải trình) của đối tượng", blank=True)
    self_report_on = models.DateField(null=True, blank=True)
    self_report_file = models.FileField(upload_to="inspection/%Y/%m/", blank=True, max_length=255)
    self_report_sha256 = models.CharField(max_length=64, blank=True)
    self_report_kind = models.CharField(max_length=8, blank=True)
    result_report = models.TextField("báo cáo kết quả của đoàn", blank=True)
    result_on = models.DateField(null=True, blank=True)
    conclusion_number = models.CharField("số kết luận", max_length=40, blank=True)
    concluded_on = models.DateField("ngày kết luận", null=True, blank=True)
    findings = models.TextField("ưu điểm, khuyết điểm, vi phạm", blank=True)
    violation = models.BooleanField("có vi phạm", default=False)
    sent_on = models.DateField("ngày gửi kết luận cho đối tượng", null=True, blank=True)
    notice_number = models.CharField("số thông báo kết luận", max_length=40, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_activity_display()} {self.subject_label} ({self.decision_number})"

    @property
    def subject_label(self) -> str:
        return self.subject_member.full_name if self.subject_member_id else self.subject_org.name

    @property
    def concluded(self) -> bool:
        return self.concluded_on is not None


class Recommendation(models.Model):
    """What the conclusion asks the subject to do, by when; followed up until done."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="recommendations")
    text = models.CharField("kiến nghị", max_length=1000)
    due_on = models.DateField("hạn thực hiện")
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    note = models.CharField("kết quả thực hiện", max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_on__isnull=True), name="recommendation_open_idx")]

    def __str__(self) -> str:
        return self.text


class Form(models.TextChoices):
    """The forms of discipline (QĐ 296 Art. 9; organisations: QĐ 296 Chapter III)."""

    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    REMOVAL = "removal", "Cách chức"
    EXPULSION = "expulsion", "Khai trừ"
    DISSOLUTION = "dissolution", "Giải tán"


MEMBER_FORMS = (Form.REPRIMAND, Form.WARNING, Form.REMOVAL, Form.EXPULSION)
ORG_FORMS = (Form.REPRIMAND, Form.WARNING, Form.DISSOLUTION)
SEVERITY = {Form.REPRIMAND: 1, Form.WARNING: 2, Form.REMOVAL: 3, Form.EXPULSION: 4, Form.DISSOLUTION: 4}


class Gravity(models.TextChoices):
    """How grave the conduct is: what sets the limitation period (rules "inspection.discipline")."""

    REPRIMAND = "reprimand", "Đến mức khiển trách"
    WARNING = "warning", "Đến mức cảnh cáo, cách chức"
    EXPULSION = "expulsion", "Đến mức khai trừ (giải tán)"
    UNLIMITED = "unlimited", "Không áp dụng thời hiệu (chính trị nội bộ, an ninh, quốc phòng, đối ngoại, văn bằng giả)"


class DisciplineState(models.TextChoices):
    OPEN = "open", "Đang xem xét"
    DEFERRED = "deferred", "Chưa xem xét kỷ luật (hoãn)"
    DECIDED = "decided", "Đã thi hành kỷ luật"
    NOT_DISCIPLINED = "not_disciplined", "Không kỷ luật"
    ANNULLED = "annulled", "Đã hủy quyết định"


# Discipline that counts (for evaluations, the reports): in force, whatever appeal changed its form
IN_FORCE = (DisciplineState.DECIDED,)


class Deferral(models.TextChoices):
    PREGNANCY = "pregnancy", "Đang mang thai"
    CHILD = "child", "Đang nuôi con dưới 12 tháng tuổi"
    HOSPITAL = "hospital", "Đang ốm nặng, điều trị nội trú"


class Discipline(models.Model):
    """A discipline case: a member or an organisation, the conduct, the body that decides and, once decided, the
    form, the vote, the number and the date it took effect (the announcement)."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False, verbose_name="tổ chức quyết định")  # fmt: skip
    org_path = models.CharField(max_length=255, editable=False)
    body = models.CharField("cơ quan quyết định", max_length=12, choices=Body.choices)
    subject_member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")  # fmt: skip
    subject_org = models.ForeignKey("organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    subject_path = models.CharField(max_length=255, editable=False)
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="disciplines")  # fmt: skip
    notice = models.ForeignKey("Notice", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")
    conduct = models.TextField("nội dung vi phạm")
    conduct_from = models.DateField("ngày vi phạm")
    conduct_to = models.DateField("vi phạm kéo dài đến ngày", null=True, blank=True)
    gravity = models.CharField("mức độ", max_length=10, choices=Gravity.choices)
    state = models.CharField(max_length=16, choices=DisciplineState.choices, default=DisciplineState.OPEN)
    deferral = models.CharField("lý do chưa xem xét", max_length=10, choices=Deferral.choices, blank=True)
    deferred_until = models.DateField("chưa xem xét đến ngày", null=True, blank=True)
    hearing_on = models.DateField("ngày gặp, nghe đảng viên trình bày", null=True, blank=True)
    form = models.CharField("hình thức kỷ luật", max_length=12, choices=Form.choices, blank=True)
    votes_for = models.PositiveIntegerField("số tán thành", null=True, blank=True)
    votes_base = models.PositiveIntegerField("số thành viên", null=True, blank=True)
    decided_on = models.DateField("ngày quyết định", null=True, blank=True)
    announced_on = models.DateField("ngày công bố (có hiệu lực)", null=True, blank=True)
    number = models.CharField("số quyết định", max_length=40, blank=True)
    seat = models.ForeignKey("members.Seat", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="chức vụ bị cách")  # fmt: skip
    limitation_until = models.DateField("hết thời hiệu", null=True, blank=True)
    cv_entry = models.OneToOneField("members.ProfileEntry", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="discipline")  # the CV's line while the discipline is in force
    rules_from = models.DateField(null=True, blank=True)  # the rules' version that judged it
    legacy = models.BooleanField(default=False)  # moved from a CV line: the deciding body was not recorded
    outcome_note = models.CharField("ghi chú", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-conduct_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(subject_member__isnull=True, subject_org__isnull=False)
                                   | Q(subject_member__isnull=False, subject_org__isnull=True),
                                   name="discipline_one_subject"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["subject_member", "announced_on"], name="discipline_member_idx"),
        ]

    def __str__(self) -> str:
        form = f"{self.get_form_display()} " if self.form else ""
        return f"Kỷ luật {form}{self.subject_label}".strip()

    @property
    def subject_label(self) -> str:
        return self.subject_member.full_name if self.subject_member_id else self.subject_org.name


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Giữ nguyên"
    CHANGED = "changed", "Thay đổi hình thức"
    ANNULLED = "annulled", "Hủy quyết định"


class Appeal(models.Model):
    """An appeal against a discipline (within the rules' days of the announcement) and its answer; on annulment
    the apology and restoration of QĐ 117-QĐ/TW."""

    discipline = models.ForeignKey(Discipline, on_delete=models.CASCADE, related_name="appeals")
    org_path = models.CharField(max_length=255, editable=False)  # the discipline's
    received_on = models.DateField("ngày đối tượng nhận quyết định kỷ luật")  # the appeal's days count from it
    filed_on = models.DateField("ngày nhận đơn khiếu nại")
    content = models.TextField("nội dung khiếu nại")
    answer_due = models.DateField("hạn giải quyết")
    rules_from = models.DateField(null=True, blank=True)
    outcome = models.CharField("kết quả", max_length=10, choices=AppealOutcome.choices, blank=True)
    decided_on = models.DateField("ngày quyết định giải quyết", null=True, blank=True)
    decided_by = models.CharField("cơ quan giải quyết", max_length=255, blank=True)
    number = models.CharField("số quyết định giải quyết", max_length=40, blank=True)
    old_form = models.CharField(max_length=12, choices=Form.choices, blank=True)
    new_form = models.CharField("hình thức mới", max_length=12, choices=Form.choices, blank=True)
    apology_on = models.DateField("ngày xin lỗi, cải chính (QĐ 117)", null=True, blank=True)
    restored = models.CharField("đã khôi phục", max_length=500, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"Khiếu nại ngày {self.filed_on:%d/%m/%Y}"


class Source(models.TextChoices):
    STATE = "state", "Cơ quan nhà nước"
    COURT = "court", "Tòa án (bản án)"
    FRONT = "front", "Mặt trận Tổ quốc"
    MASS = "mass", "Tổ chức chính trị - xã hội"


class Notice(models.Model):
    """A body outside the Party disciplined or suspended a member and notified the member's Party organisation
    (within the rules' days); it leads to the Party's own handling (a discipline case)."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)  # the member's organisation when received
    source = models.CharField("loại cơ quan", max_length=6, choices=Source.choices)
    source_name = models.CharField("cơ quan thông báo", max_length=255)
    measure = models.CharField("hình thức xử lý, đình chỉ", max_length=500)
    decided_on = models.DateField("ngày quyết định (bản án)")
    received_on = models.DateField("ngày tổ chức đảng nhận thông báo")
    due_on = models.DateField(editable=False)  # the rules' deadline for the notice
    late = models.BooleanField(default=False, editable=False)
    rules_from = models.DateField(null=True, blank=True)
    reference = models.CharField("số văn bản", max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"Thông báo của {self.source_name} về {self.member.full_name}"


class ComplaintKind(models.TextChoices):
    DENUNCIATION = "denunciation", "Tố cáo"
    COMPLAINT = "complaint", "Khiếu nại"


class Complaint(models.Model):
    """A denunciation or complaint received by a body: who it is about, the deadline, the outcome. Who filed it is
    shown only to the users handling it (`handlers`)."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+",
                                     db_index=False, verbose_name="cơ quan tiếp nhận")  # fmt: skip
    org_path = models.CharField(max_length=255, editable=False)
    kind = models.CharField("loại", max_length=12, choices=ComplaintKind.choices)
    received_on = models.DateField("ngày nhận")
    filer = models.CharField("người gửi", max_length=255, blank=True)
    filer_contact = models.CharField("địa chỉ, điện thoại người gửi", max_length=255, blank=True)
    subject_member = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")  # fmt: skip
    subject_org = models.ForeignKey("organizations.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    content = models.TextField("nội dung")
    due_on = models.DateField("hạn giải quyết")
    rules_from = models.DateField(null=True, blank=True)
    outcome = models.TextField("kết quả giải quyết", blank=True)
    closed_on = models.DateField("ngày kết thúc", null=True, blank=True)
    handlers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ngày {self.received_on:%d/%m/%Y}"

    @property
    def subject_label(self) -> str:
        if self.subject_member_id:
            return self.subject_member.full_name
        return self.subject_org.name if self.subject_org_id else ""
