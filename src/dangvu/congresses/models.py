"""Congresses (đại hội) of an organisation, one per term, and their elections: seats, candidates, ballots, votes,
and who is elected by the rule in force. Confirming a congress opens the new term and gives the elected their
seats through the leadership services (members.services), so a term is defined in one place (members.Term)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Kind(models.TextChoices):
    MEMBERS = "members", "Đại hội đảng viên"
    DELEGATES = "delegates", "Đại hội đại biểu"


class State(models.TextChoices):
    PREPARING = "preparing", "Đang chuẩn bị, đang họp"
    CONFIRMED = "confirmed", "Đã xác nhận kết quả, bắt đầu nhiệm kỳ mới"


class Congress(models.Model):
    organisation = models.ForeignKey("organizations.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    number = models.PositiveSmallIntegerField("đại hội lần thứ")
    term_name = models.CharField("nhiệm kỳ", max_length=40, help_text="vd: 2025–2030")
    kind = models.CharField("hình thức", max_length=10, choices=Kind.choices, default=Kind.MEMBERS)
    starts_on = models.DateField("khai mạc")
    ends_on = models.DateField("bế mạc")
    place = models.CharField("địa điểm", max_length=255, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREPARING)
    term = models.ForeignKey("members.Term", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # no secretary elected (after the third ballot): the one the superior committee appointed, and its decision
    appointed_secretary = models.ForeignKey("members.Member", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+")  # fmt: skip
    appointment_ref = models.CharField("quyết định chỉ định bí thư", max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="congress_org_number"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="congress_ends_after_start"),
        ]
        indexes = [models.Index(fields=["org_path", "starts_on"], name="congress_path_idx")]

    def __str__(self) -> str:
        return f"Đại hội lần thứ {self.number}, nhiệm kỳ {self.term_name}"


class Attendee(models.Model):
    """A member summoned (a members' congress) or a delegate (a delegates' congress), and whether they came."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="attendees")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    official = models.BooleanField(default=True)  # probationary members attend but do not vote or stand
    present = models.BooleanField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["congress", "member"], name="attendee_once")]

    def __str__(self) -> str:
        return str(self.member)


class Position(models.TextChoices):
    COMMITTEE = "committee", "Cấp ủy (ban chấp hành, chi ủy)"
    STANDING = "standing", "Ban Thường vụ"
    SECRETARY = "secretary", "Bí thư"
    DEPUTY = "deputy", "Phó Bí thư"


class Election(models.Model):
    """One ballot (lần bầu) for a position: the seats, the candidates, then the count."""

    congress = models.ForeignKey(Congress, on_delete=models.CASCADE, related_name="elections")
    position = models.CharField("bầu", max_length=10, choices=Position.choices)
    round = models.PositiveSmallIntegerField("lần bầu", default=1)
    held_on = models.DateField("ngày bầu")
    seats = models.PositiveSmallIntegerField("số lượng cần bầu")
    ballots_issued = models.PositiveIntegerField("số phiếu phát ra", null=True)
    ballots_valid = models.PositiveIntegerField("số phiếu hợp lệ", null=True)
    ballots_invalid = models.PositiveIntegerField("số phiếu không hợp lệ", null=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    need = models.PositiveIntegerField(null=True)  # the least votes that elects (rule in force on held_on)
    rules_from = models.DateField(null=True)
    note = models.CharField(max_length=300, blank=True)  # e.g. a tie at the last seat
    minutes = models.ForeignKey("documents.Outgoing", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["congress", "position", "round"], name="election_round")]

    def __str__(self) -> str:
        return f"Bầu {self.get_position_display().lower()} (lần {self.round})"

    @property
    def counted(self) -> bool:
        return self.counted_at is not None


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    votes = models.PositiveIntegerField(null=True)
    elected = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="candidate_once")]

    def __str__(self) -> str:
        return str(self.member)
