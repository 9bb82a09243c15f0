"""Party dues (QĐ 01-QĐ/TW 2026; QĐ 342-QĐ/TW before it): what each member owes per month, what they paid, the
reliefs decided, and the reports sent upward and locked. Amounts are integer VND (no floats anywhere)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Category(models.TextChoices):
    INSURED = "insured", "Hưởng lương, đóng BHXH bắt buộc (1% tiền lương đóng BHXH)"
    BENEFIT = "benefit", "Nghỉ ốm đau, thai sản hưởng trợ cấp BHXH (1% trợ cấp)"
    PENSION = "pension", "Hưởng lương hưu (0,5% lương hưu)"
    STUDENT = "student", "Học sinh, sinh viên (mức cố định)"
    OTHER = "other", "Đảng viên khác trong nước (mức cố định)"


class Basis(models.Model):
    """What a member's dues are computed from, from a month on (until the next basis): the category and, for
    the percentage categories, the amount (salary subject to social insurance, benefit, pension) in VND."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dues_bases")
    valid_from = models.DateField("từ tháng")  # the first day of a month
    category = models.CharField("đối tượng", max_length=10, choices=Category.choices)
    amount = models.PositiveBigIntegerField("tiền lương, trợ cấp, lương hưu (đồng)", default=0)
    source = models.CharField(max_length=20, default="manual")  # manual | import
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "valid_from"], name="dues_basis_once")]
        indexes = [models.Index(fields=["member", "-valid_from"], name="dues_basis_member_idx")]

    def __str__(self) -> str:
        return f"{self.member} từ {self.valid_from:%m/%Y}: {self.get_category_display()}"


class ReliefReason(models.TextChoices):
    POOR = "poor", "Hộ nghèo"
    NEAR_POOR = "near_poor", "Hộ cận nghèo"
    ILLNESS = "illness", "Mắc bệnh hiểm nghèo (danh mục Bộ Y tế)"
    SOCIAL_PENSION = "social_pension", "Hưởng trợ cấp hưu trí xã hội"
    HARDSHIP = "hardship", "Khó khăn khác (giảm hoặc miễn tối đa 12 tháng)"


class Relief(models.Model):
    """An exemption (100%) or a reduction (30, 50 or 70%) decided for a member, [valid_from, valid_to] by month,
    with its decision. Fifty years of Party age exempt by rule, without a row."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dues_reliefs")
    reason = models.CharField("lý do", max_length=16, choices=ReliefReason.choices)
    percent = models.PositiveSmallIntegerField("mức giảm (%)")  # 30, 50, 70 or 100 (exempt)
    valid_from = models.DateField("từ tháng")
    valid_to = models.DateField("đến hết tháng", null=True, blank=True)
    decision = models.CharField("quyết định, nghị quyết", max_length=80)
    decided_by = models.CharField("cấp quyết định", max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["member", "valid_from"], name="dues_relief_member_idx")]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_reason_display()} {self.percent}%"


class Due(models.Model):
    """What a member owes for a month, computed when the month's sheet is opened (and again when a basis or a
    relief changes an unlocked month), by the rules in force for that month."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dues")
    month = models.DateField()  # the first day of the month
    org = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")  # the cell
    org_path = models.CharField(max_length=255)
    category = models.CharField(max_length=10, choices=Category.choices)
    base = models.PositiveBigIntegerField(default=0)
    amount = models.PositiveBigIntegerField()  # after reliefs, rounded by the rule
    relief = models.PositiveSmallIntegerField(default=0)  # percent relieved (100: exempt)
    exempt_reason = models.CharField(max_length=80, blank=True)
    rule_from = models.DateField()  # the version of "dues.rates" that computed it
    paid = models.PositiveBigIntegerField(default=0)  # the sum of the month's payments (kept by the services)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_due_once")]
        indexes = [models.Index(fields=["month", "org_path"], name="dues_due_month_path_idx")]

    def __str__(self) -> str:
        return f"{self.member} {self.month:%m/%Y}: {self.amount}"

    @property
    def owed(self) -> int:
        return max(0, self.amount - self.paid)


class Method(models.TextChoices):
    CASH = "cash", "Tiền mặt (tại buổi sinh hoạt)"
    PORTAL = "portal", "Cổng Dịch vụ công"
    BANK = "bank", "Chuyển khoản"


class Payment(models.Model):
    """Money received from a member for a month (partial, full or in advance). A locked month takes a payment
    only as a correction, with its reason."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues_payments")
    month = models.DateField()  # the month it pays for
    org_path = models.CharField(max_length=255)  # the cell's, when recorded
    amount = models.BigIntegerField()  # a correction may be negative
    paid_on = models.DateField("ngày nộp")
    method = models.CharField(max_length=8, choices=Method.choices, default=Method.CASH)
    reference = models.CharField("mã giao dịch", max_length=60, blank=True)
    correction = models.BooleanField(default=False)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    batch = models.CharField(max_length=40, blank=True)  # the form that sent it: a second click is refused
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "pk"]
        indexes = [models.Index(fields=["month", "org_path"], name="dues_payment_month_path_idx"),
                   models.Index(fields=["member", "month"], name="dues_payment_member_idx")]  # fmt: skip
        constraints = [models.UniqueConstraint(fields=["reference"], condition=~Q(reference=""),
                                               name="dues_payment_reference_once"),
                       models.UniqueConstraint(fields=["batch", "member"], condition=~Q(batch=""),
                                               name="dues_payment_batch_once")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.member} {self.month:%m/%Y}: {self.amount}"


class ReportState(models.TextChoices):
    DRAFT = "draft", "Đang lập"
    APPROVED = "approved", "Đã duyệt, khóa sổ"


class Report(models.Model):
    """An organisation's dues report for a month or a quarter: the figures frozen when the committee signs it off;
    the months it covers are then locked for every cell below (a change is a recorded correction)."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField()
    figures = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.APPROVED)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["organisation", "start"], name="dues_report_once")]

    def __str__(self) -> str:
        return f"Báo cáo đảng phí {self.organisation} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class CashKind(models.TextChoices):
    OTHER_INCOME = "in_other", "Thu khác"
    GRANT = "in_grant", "Kinh phí cấp trên hỗ trợ"
    CONGRESS = "out_congress", "Chi đại hội"
    REWARD = "out_reward", "Chi khen thưởng"
    SUPPORT = "out_support", "Chi hỗ trợ, thăm hỏi"
    ALLOWANCE = "out_allowance", "Chi phụ cấp"
    OTHER_SPENDING = "out_other", "Chi khác"


class CashEntry(models.Model):
    """A grassroots committee's income besides the dues it keeps, or its spending (book S01-TCĐ). The dues kept
    are not typed: they come from the dues' own figures."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("ngày")
    kind = models.CharField("khoản", max_length=16, choices=CashKind.choices)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    note = models.CharField("nội dung", max_length=255)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]
        indexes = [models.Index(fields=["organisation", "on"], name="dues_cash_org_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} ({self.on:%d/%m/%Y})"

    @property
    def income(self) -> bool:
        return self.kind.startswith("in_")
