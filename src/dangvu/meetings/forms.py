"""Forms for the meeting pages. They parse and present; every rule is checked by the services."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import StyledForm, date_field
from dangvu.members.selectors import member_choices

from .models import BODY_KINDS, EVERY_CHOICES, STANDARD_AGENDA, DocType, Kind, VoteKind

TIME_HELP = "hh:mm"


def time_field(label: str, required: bool = False) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=["%H:%M", "%H.%M", "%Hh%M", "%H giờ %M"],
        help_text=TIME_HELP,
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": TIME_HELP, "inputmode": "numeric"}),
    )


class ScheduleForm(StyledForm):
    kind = forms.ChoiceField(label="Loại buổi sinh hoạt", choices=[(k, Kind(k).label) for k in BODY_KINDS["members"]])
    date = date_field("Ngày họp")
    planned_time = time_field("Giờ bắt đầu")
    place = forms.CharField(label="Địa điểm", required=False, max_length=255)
    topic = forms.CharField(
        label="Chuyên đề", required=False, max_length=255, help_text="Bắt buộc với sinh hoạt chuyên đề."
    )
    combined = forms.BooleanField(
        label="Kết hợp sinh hoạt chuyên đề trong buổi thường kỳ", required=False,
        help_text="Từ 28/10/2025 buổi kết hợp phải họp ít nhất 120 phút.",
    )  # fmt: skip
    agenda = forms.CharField(
        label="Chương trình", required=False, initial=STANDARD_AGENDA, widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Theo trình tự chuẩn; sửa cho phù hợp với buổi họp.",
    )  # fmt: skip

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.fields["combined"].widget.attrs["class"] = "form-check-input"


class BodyScheduleForm(StyledForm):
    """A collective body's meeting: regular (monthly) or extraordinary; no thematic meeting, no standard agenda."""

    kind = forms.ChoiceField(label="Loại cuộc họp", choices=[(Kind.REGULAR, "Họp thường kỳ"),
                                                              (Kind.EXTRA, Kind.EXTRA.label)])  # fmt: skip
    date = date_field("Ngày họp")
    planned_time = time_field("Giờ bắt đầu")
    place = forms.CharField(label="Địa điểm", required=False, max_length=255)
    agenda = forms.CharField(label="Nội dung họp", required=False, widget=forms.Textarea(attrs={"rows": 6}))


class WorkingRulesForm(StyledForm):
    adopted_on = date_field("Ngày ban hành")
    document = forms.TypedChoiceField(label="Văn bản quy chế trong sổ văn bản đi", required=False, coerce=int,
                                      empty_value=None)  # fmt: skip
    reference = forms.CharField(label="hoặc số, ký hiệu (ban hành ngoài Dangvu)", required=False, max_length=60)
    committee_every = forms.TypedChoiceField(label="Cấp ủy họp thường kỳ", choices=EVERY_CHOICES, coerce=int)
    standing_every = forms.TypedChoiceField(label="Ban Thường vụ họp thường kỳ", choices=EVERY_CHOICES, coerce=int)
    commission_every = forms.TypedChoiceField(label="Ủy ban Kiểm tra họp thường kỳ", choices=EVERY_CHOICES,
                                              coerce=int)  # fmt: skip
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)

    def __init__(self, *a, documents=(), **kw):
        super().__init__(*a, **kw)
        self.fields["document"].choices = [("", "—")] + [(d.pk, f"Số {d.symbol} ngày {d.issued_on:%d/%m/%Y}")
                                                         for d in documents]  # fmt: skip


class RecordForm(StyledForm):
    started_at = time_field("Bắt đầu lúc")
    ended_at = time_field("Kết thúc lúc")
    chair = forms.TypedChoiceField(label="Chủ trì", required=False, coerce=int, empty_value=None)
    minute_taker = forms.TypedChoiceField(label="Thư ký", required=False, coerce=int, empty_value=None)
    guests = forms.CharField(label="Đại biểu cấp trên dự", required=False, max_length=500)
    summary = forms.CharField(
        label="Kết quả tháng, nội dung chính", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    conclusion = forms.CharField(
        label="Kết luận / nghị quyết", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Mỗi ý một dòng; có kết luận thì khi hoàn tất, nghị quyết được cấp số.",
    )  # fmt: skip

    def __init__(self, *a, people=(), **kw):
        super().__init__(*a, **kw)
        choices = [("", "—"), *member_choices(p.member_id for p in people)]
        self.fields["chair"].choices = choices
        self.fields["minute_taker"].choices = choices


class SpeakerForm(StyledForm):
    member = forms.TypedChoiceField(label="Đảng viên", required=False, coerce=int, empty_value=None)
    name = forms.CharField(label="hoặc tên người phát biểu (khách)", required=False, max_length=120)
    opinion = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *a, people=(), **kw):
        super().__init__(*a, **kw)
        self.fields["member"].choices = [("", "—"), *member_choices(p.member_id for p in people)]


class VoteForm(StyledForm):
    kind = forms.ChoiceField(label="Loại biểu quyết", choices=VoteKind.choices)
    subject = forms.CharField(label="Nội dung biểu quyết", max_length=500)
    votes_for = forms.IntegerField(label="Tán thành", min_value=0)
    votes_against = forms.IntegerField(label="Không tán thành", min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label="Không biểu quyết", min_value=0, initial=0)


class FileForm(StyledForm):
    title = forms.CharField(label="Tên tài liệu", required=False, max_length=255)
    file = forms.FileField(label="Tệp (PDF, Word, Excel, ảnh)")


class CancelForm(StyledForm):
    reason = forms.CharField(label="Lý do hủy", max_length=255)


class ReportForm(StyledForm):
    results = forms.CharField(label="Kết quả thực hiện trong tháng", widget=forms.Textarea(attrs={"rows": 6}))
    directions = forms.CharField(
        label="Phương hướng, nhiệm vụ tháng tới", widget=forms.Textarea(attrs={"rows": 6})
    )


class MonitorForm(StyledForm):
    attended = forms.TypedChoiceField(
        label="Cấp ủy viên theo dõi đã dự họp", choices=[("1", "Có dự"), ("0", "Không dự")],
        coerce=lambda v: v == "1",
    )  # fmt: skip
    report = forms.CharField(
        label="Báo cáo sau khi dự họp", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Nhận xét buổi sinh hoạt, kiến nghị với cấp ủy cấp trên.",
    )  # fmt: skip


class TemplateForm(StyledForm):
    doc_type = forms.ChoiceField(
        label="Loại văn bản", choices=[(DocType.MINUTES, "Biên bản"), (DocType.RESOLUTION, "Nghị quyết")]
    )
    file = forms.FileField(label="Mẫu .docx")


class PeriodForm(StyledForm):
    period = forms.CharField(label="Kỳ", required=False, help_text="Tháng (2026-03) hoặc quý (2026-Q1)")
