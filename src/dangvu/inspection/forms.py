"""Forms of the inspection pages. They only parse; every rule is the service's (one message per field)."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import StyledForm, date_field
from dangvu.organizations.forms import code_field

from .models import (
    Activity,
    AppealOutcome,
    Body,
    ComplaintKind,
    Deferral,
    Form,
    Gravity,
    ItemState,
    Method,
    Source,
)


def _choices(model_choices, empty="— chọn —"):
    return [("", empty), *model_choices]


class ProgrammeForm(StyledForm):
    body = forms.ChoiceField(label="Cơ quan ban hành", choices=_choices(Body.choices))
    year = forms.IntegerField(label="Năm", required=False, help_text="để trống: chương trình cả nhiệm kỳ")
    title = forms.CharField(label="Tên chương trình", max_length=255)
    adopted_on = date_field("Ngày thông qua")
    number = forms.CharField(label="Số (nếu đã có số trên giấy)", max_length=40, required=False,
                             help_text="để trống: lấy số tiếp theo trong sổ (vd: 01-CTr/ĐU)")  # fmt: skip


class SubjectMixin(forms.Form):
    subject_org = code_field("Tổ chức đảng được kiểm tra, giám sát", required=False,
                             help_text="hoặc chọn đảng viên bên dưới")  # fmt: skip
    subject_member = forms.ChoiceField(label="Đảng viên", choices=[], required=False)

    def set_members(self, members):
        self.fields["subject_member"].choices = [("", "—")] + [
            (m.pk, f"{m.full_name} — {m.org.name if m.org_id else ''}") for m in members
        ]


class ItemForm(SubjectMixin, StyledForm):
    activity = forms.ChoiceField(label="Hoạt động", choices=_choices(Activity.choices))
    method = forms.ChoiceField(label="Hình thức", choices=_choices(Method.choices))
    content = forms.CharField(label="Nội dung", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = date_field("Bắt đầu")
    due_on = date_field("Hoàn thành trước")
    carried_by = forms.CharField(label="Người, bộ phận thực hiện", max_length=255)


class ProgressForm(StyledForm):
    state = forms.ChoiceField(label="Tiến độ", choices=_choices([c for c in ItemState.choices if c[0] != "planned"]))
    on = date_field("Ngày", required=False)
    note = forms.CharField(label="Ghi chú (lý do khi không thực hiện)", max_length=500, required=False)


class InspectionForm(SubjectMixin, StyledForm):
    body = forms.ChoiceField(label="Cơ quan tiến hành", choices=_choices(Body.choices))
    activity = forms.ChoiceField(label="Hoạt động", choices=_choices(Activity.choices))
    method = forms.ChoiceField(label="Hình thức", choices=_choices(Method.choices))
    content = forms.CharField(label="Nội dung", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    decided_on = date_field("Ngày quyết định")
    decision_number = forms.CharField(label="Số quyết định (nếu đã có số trên giấy)", max_length=40, required=False,
                                      help_text="để trống: lấy số tiếp theo trong sổ (vd: 05-QĐ/ĐU)")  # fmt: skip
    team = forms.CharField(label="Đoàn (tổ) kiểm tra, giám sát", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    ends_on = date_field("Thời hạn kết thúc")


class ItemInspectionForm(StyledForm):
    """Opening the inspection of a programme item: its subject and content are the item's."""

    body = forms.ChoiceField(label="Cơ quan tiến hành", choices=_choices(Body.choices))
    decided_on = date_field("Ngày quyết định")
    decision_number = forms.CharField(label="Số quyết định (nếu đã có số trên giấy)", max_length=40, required=False)
    team = forms.CharField(label="Đoàn (tổ) kiểm tra, giám sát", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    ends_on = date_field("Thời hạn kết thúc")


class ReportsForm(StyledForm):
    self_report = forms.CharField(label="Báo cáo tự kiểm tra (giải trình) của đối tượng", required=False, max_length=20000,
                                  widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    self_report_on = date_field("Ngày nhận báo cáo", required=False)
    self_report_file = forms.FileField(label="Bản chụp báo cáo (PDF, Word, ảnh)", required=False)
    result_report = forms.CharField(label="Báo cáo kết quả của đoàn", required=False, max_length=20000,
                                    widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    result_on = date_field("Ngày báo cáo kết quả", required=False)


REC_SLOTS = 5


class ConclusionForm(StyledForm):
    concluded_on = date_field("Ngày kết luận")
    conclusion_number = forms.CharField(label="Số kết luận (nếu đã có số trên giấy)", max_length=40, required=False)
    findings = forms.CharField(label="Ưu điểm, khuyết điểm, vi phạm", max_length=20000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    violation = forms.BooleanField(label="Có vi phạm", required=False)
    sent_on = date_field("Ngày gửi kết luận cho đối tượng", required=False)

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        for n in range(REC_SLOTS):
            self.fields[f"rec_{n}_text"] = forms.CharField(label=f"Kiến nghị {n + 1}", max_length=1000, required=False,
                                                           widget=forms.TextInput(attrs={"class": "form-control"}))  # fmt: skip
            self.fields[f"rec_{n}_due"] = date_field(f"Hạn thực hiện kiến nghị {n + 1}", required=False)
            self.fields[f"rec_{n}_due"].widget.attrs["class"] = "form-control"


class RecommendationDoneForm(StyledForm):
    done_on = date_field("Ngày hoàn thành")
    note = forms.CharField(label="Kết quả", max_length=500, required=False)


class DisciplineForm(SubjectMixin, StyledForm):
    body = forms.ChoiceField(label="Cơ quan xem xét, quyết định", choices=_choices(Body.choices))
    conduct = forms.CharField(label="Nội dung vi phạm", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    conduct_from = date_field("Ngày vi phạm (bắt đầu)")
    conduct_to = date_field("Vi phạm kéo dài đến ngày", required=False, help_text="chỉ ghi khi vi phạm kéo dài")
    gravity = forms.ChoiceField(label="Mức độ vi phạm (để tính thời hiệu)", choices=_choices(Gravity.choices))


class DecideForm(StyledForm):
    form = forms.ChoiceField(label="Hình thức kỷ luật", choices=_choices(Form.choices))
    seat = forms.ChoiceField(label="Chức vụ bị cách (khi cách chức)", choices=[], required=False)
    hearing_on = date_field("Ngày gặp, nghe đảng viên trình bày", required=False)
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0)
    votes_base = forms.IntegerField(label="Tổng số thành viên của tổ chức (cơ quan) quyết định", min_value=1)
    decided_on = date_field("Ngày quyết định")
    announced_on = date_field("Ngày công bố (có hiệu lực)", required=False,
                              help_text="dd/mm/yyyy; để trống nếu chưa công bố (ghi khi công bố)")
    number = forms.CharField(label="Số quyết định (nếu đã có số trên giấy)", max_length=40, required=False)
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    def __init__(self, *a, seats=(), **kw):
        kw.setdefault("auto_id", "dec_%s")
        super().__init__(*a, **kw)
        self.fields["seat"].choices = [("", "—")] + [(s.pk, f"{s.get_role_display()} {s.organisation.name}")
                                                     for s in seats]  # fmt: skip


class AnnounceForm(StyledForm):
    announced_on = date_field("Ngày công bố")

    def __init__(self, *a, **kw):
        kw.setdefault("auto_id", "ann_%s")
        super().__init__(*a, **kw)


class DeferForm(StyledForm):
    deferral = forms.ChoiceField(label="Lý do", choices=_choices(Deferral.choices))
    deferred_until = date_field("Đến ngày")

    def __init__(self, *a, **kw):
        kw.setdefault("auto_id", "def_%s")
        super().__init__(*a, **kw)


class DropForm(StyledForm):
    decided_on = date_field("Ngày")
    note = forms.CharField(label="Lý do không kỷ luật", max_length=500)

    def __init__(self, *a, **kw):
        kw.setdefault("auto_id", "drop_%s")
        super().__init__(*a, **kw)


class AppealForm(StyledForm):
    received_on = date_field("Ngày đối tượng nhận quyết định kỷ luật", required=False,
                             help_text="dd/mm/yyyy; để trống: ngày công bố")  # fmt: skip
    filed_on = date_field("Ngày nhận đơn khiếu nại")
    content = forms.CharField(label="Nội dung khiếu nại", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *a, **kw):
        kw.setdefault("auto_id", "ap_%s")
        super().__init__(*a, **kw)


class AnswerForm(StyledForm):
    outcome = forms.ChoiceField(label="Kết quả giải quyết", choices=_choices(AppealOutcome.choices))
    new_form = forms.ChoiceField(label="Hình thức mới (khi thay đổi)", choices=_choices(Form.choices, "—"),
                                 required=False)  # fmt: skip
    decided_on = date_field("Ngày quyết định giải quyết")
    decided_by = forms.CharField(label="Cơ quan giải quyết", max_length=255)
    number = forms.CharField(label="Số quyết định giải quyết", max_length=40, required=False)
    seat = forms.ChoiceField(label="Chức vụ bị cách (khi hình thức mới là cách chức)", choices=[], required=False)
    apology_on = date_field("Ngày xin lỗi, cải chính (khi hủy, QĐ 117)", required=False)
    note = forms.CharField(label="Ghi chú", max_length=500, required=False)

    def __init__(self, *a, seats=(), **kw):
        kw.setdefault("auto_id", "ans_%s")
        super().__init__(*a, **kw)
        self.fields["seat"].choices = [("", "—")] + [(s.pk, f"{s.get_role_display()} {s.organisation.name}")
                                                     for s in seats]  # fmt: skip


class NoticeForm(StyledForm):
    subject_member = forms.ChoiceField(label="Đảng viên", choices=[])
    source = forms.ChoiceField(label="Loại cơ quan", choices=_choices(Source.choices))
    source_name = forms.CharField(label="Cơ quan thông báo", max_length=255)
    measure = forms.CharField(label="Hình thức xử lý, đình chỉ", max_length=500)
    decided_on = date_field("Ngày quyết định (bản án)")
    received_on = date_field("Ngày tổ chức đảng nhận thông báo")
    reference = forms.CharField(label="Số văn bản", max_length=60, required=False)

    def set_members(self, members):
        self.fields["subject_member"].choices = [("", "— chọn —")] + [
            (m.pk, f"{m.full_name} — {m.org.name if m.org_id else ''}") for m in members
        ]


class ComplaintForm(SubjectMixin, StyledForm):
    kind = forms.ChoiceField(label="Loại", choices=_choices(ComplaintKind.choices))
    received_on = date_field("Ngày nhận")
    filer = forms.CharField(label="Người gửi (chỉ người giải quyết thấy)", max_length=255, required=False)
    filer_contact = forms.CharField(label="Địa chỉ, điện thoại người gửi", max_length=255, required=False)
    content = forms.CharField(label="Nội dung", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class CloseForm(StyledForm):
    closed_on = date_field("Ngày kết thúc")
    outcome = forms.CharField(label="Kết quả giải quyết", max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class HandlerForm(StyledForm):
    username = forms.CharField(label="Tên đăng nhập người cùng giải quyết", max_length=150)
