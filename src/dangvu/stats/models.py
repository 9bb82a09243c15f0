"""Frozen statistics (snapshots at reporting cut-off dates) and committee members' days at the grassroots."""

from django.conf import settings
from django.db import models


class Snapshot(models.Model):
    """The statistics of a subtree as they stood at a cut-off date (30/6, 31/12…), frozen when the report was sent:
    a report sent stays reproducible whatever is corrected later."""

    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    on = models.DateField("ngày chốt số liệu")
    date_from = models.DateField("từ ngày (biến động)")
    data = models.JSONField()
    note = models.CharField("ghi chú", max_length=255, blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on"]
        constraints = [models.UniqueConstraint(fields=["organisation", "on"], name="stats_snapshot_once")]

    def __str__(self) -> str:
        return f"Số liệu {self.organisation} ngày {self.on:%d/%m/%Y}"


class FieldDayState(models.TextChoices):
    PLANNED = "planned", "Đã đăng ký"
    APPROVED = "approved", "Đã duyệt"
    DONE = "done", "Đã thực hiện, có báo cáo"
    CANCELLED = "cancelled", "Hủy"


class FieldDay(models.Model):
    """A committee member's planned day(s) at a grassroots organisation: registered, approved by the standing
    committee, then done with the days spent and a report."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="field_days")
    committee = models.ForeignKey(  # the committee whose member goes (its standing committee approves)
        "organizations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    planned_on = models.DateField("ngày dự kiến")
    purpose = models.CharField("nội dung", max_length=500)
    state = models.CharField(max_length=10, choices=FieldDayState.choices, default=FieldDayState.PLANNED)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    done_on = models.DateField("ngày thực hiện", null=True, blank=True)
    days = models.PositiveSmallIntegerField("số ngày", null=True, blank=True)
    report = models.TextField("báo cáo kết quả", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["planned_on", "pk"]
        indexes = [models.Index(fields=["committee", "planned_on"], name="fieldday_committee_idx")]

    def __str__(self) -> str:
        return f"{self.member} — {self.organisation} ({self.planned_on:%d/%m/%Y})"
