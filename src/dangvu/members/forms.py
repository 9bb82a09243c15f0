"""Forms for the member pages. They parse and present; every rule is checked by the services."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import DATE_HELP, StyledForm, date_field  # noqa: F401  (re-exported)

from .models import Course, EntryKind, Member, SeatRole, Status, TransferKind
from .selectors import AGE_BANDS, PARTY_AGE_BANDS
from .services import LEAVING, PROFILE_FIELDS


class MemberForm(forms.ModelForm):
    """The profile. Uniqueness and the dating rules are the service's (one message per field, in Vietnamese)."""

    joined_on = date_field(
        "Ngày bắt đầu sinh hoạt tại chi bộ", required=False, help_text="dd/mm/yyyy; để trống: ngày vào Đảng"
    )

    class Meta:
        model = Member
        fields = list(PROFILE_FIELDS)
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *a, creating: bool = False, **kw):
        super().__init__(*a, **kw)
        for name in ("birth_date", "admitted_on", "official_on"):
            label = self.fields[name].label
            self.fields[name] = date_field(label[0].upper() + label[1:], required=name != "official_on")
        if not creating:
            del self.fields["joined_on"]
            if self.instance.pk and self.instance.status == Status.PROBATIONARY:
                self.fields["official_on"].disabled = True
                self.fields["official_on"].help_text = "Ghi bằng thao tác «Công nhận chính thức»."
        for name, f in self.fields.items():
            if name in ("full_name", "sex", "birth_date", "admitted_on"):
                f.required = True
            elif name != "joined_on":
                f.required = False
            f.label = f.label[0].upper() + f.label[1:]
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)

    def validate_unique(self):
        pass  # the service reports duplicates with the other member's name

    def _post_clean(self):
        pass  # no model validation here: the service is the one place that checks

    def profile_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in PROFILE_FIELDS}
        if "official_on" in self.fields and self.fields["official_on"].disabled:
            data.pop("official_on", None)
        return data


class FilterForm(StyledForm):
    q = forms.CharField(
        label="Tìm",
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": "Tên (không cần dấu), số thẻ hoặc số CCCD", "type": "search"}
        ),
    )
    status = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[("current", "Đang trong danh sách"), ("left", "Đã ra khỏi danh sách"), ("", "Tất cả")]
        + list(Status.choices),
    )
    sex = forms.ChoiceField(
        label="Giới tính", required=False, choices=[("", "Tất cả"), ("nam", "Nam"), ("nu", "Nữ")]
    )
    # A plain value (filtered exactly); the options are listed only when the whole page is drawn.
    ethnicity = forms.CharField(label="Dân tộc", required=False, max_length=40, widget=forms.Select)
    age = forms.ChoiceField(
        label="Tuổi", required=False, choices=[("", "Tất cả")] + [(k, v[0]) for k, v in AGE_BANDS.items()]
    )
    qualification = forms.ChoiceField(
        label="Chuyên môn",
        required=False,
        choices=[("", "Tất cả"), ("none", "Chưa qua đào tạo")]
        + [(k, v) for k, v in Member._meta.get_field("qualification").choices if k],
    )
    theory = forms.ChoiceField(
        label="Lý luận chính trị",
        required=False,
        choices=[("", "Tất cả"), ("none", "Chưa qua đào tạo")]
        + [(k, v) for k, v in Member._meta.get_field("political_theory").choices if k],
    )
    party_age = forms.ChoiceField(
        label="Tuổi Đảng",
        required=False,
        choices=[("", "Tất cả")] + [(k, v[0]) for k, v in PARTY_AGE_BANDS.items()],
    )
    as_of = date_field("Danh sách tại ngày", required=False, help_text="")

    def offer_ethnicities(self, ethnicities) -> None:
        self.fields["ethnicity"].widget.choices = [("", "Tất cả")] + [(e, e) for e in ethnicities]


class RecogniseForm(StyledForm):
    title = "Công nhận đảng viên chính thức"
    on = date_field("Ngày chính thức")
    decision_number = forms.CharField(label="Số quyết định", max_length=40, required=False)


class ExemptForm(StyledForm):
    title = "Miễn công tác và sinh hoạt đảng"
    on = date_field("Từ ngày")
    reason = forms.CharField(
        label="Lý do",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc; kèm giấy tờ y tế nếu vì sức khỏe.",
    )
    decision_number = forms.CharField(label="Số nghị quyết của chi bộ", max_length=40, required=False)


class ResumeForm(StyledForm):
    title = "Trở lại sinh hoạt"
    on = date_field("Từ ngày")
    reason = forms.CharField(label="Ghi chú", max_length=500, required=False)


class LeaveForm(StyledForm):
    title = "Ra khỏi danh sách (xóa tên, khai trừ, xin ra, từ trần)"
    status = forms.ChoiceField(label="Hình thức", choices=[(s, Status(s).label) for s in LEAVING])
    on = date_field("Ngày")
    reason = forms.CharField(
        label="Lý do", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision_number = forms.CharField(label="Số quyết định", max_length=40, required=False)


class TransferForm(StyledForm):
    title = "Chuyển sinh hoạt đảng"
    kind = forms.ChoiceField(label="Loại", choices=TransferKind.choices)
    to_org = forms.CharField(
        label="Đến chi bộ trong hệ thống",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"class": "org-code", "anywhere": "cells",
                                      "placeholder": "gõ tên chi bộ để tìm (không cần dấu), rồi chọn"}),
    )  # fmt: skip
    to_text = forms.CharField(label="Hoặc nơi đến ngoài hệ thống", max_length=255, required=False)
    reason = forms.CharField(
        label="Lý do",
        max_length=255,
        required=False,
        help_text="vd: chuyển công tác, nghỉ hưu về nơi cư trú, đi học",
    )
    event_on = date_field("Ngày có quyết định / chuyển nơi ở, nơi làm việc")
    letter_on = date_field("Ngày giới thiệu")
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=40, required=False)
    until = date_field(
        "Sinh hoạt tạm thời đến ngày",
        required=False,
        help_text="chỉ với chuyển tạm thời: 3 tháng đến dưới 1 năm; đi học đến 2 năm",
    )


class ReceiveForm(StyledForm):
    on = date_field("Ngày tiếp nhận")


class TermForm(StyledForm):
    name = forms.CharField(
        label="Nhiệm kỳ", max_length=40, widget=forms.TextInput(attrs={"placeholder": "2025–2030"})
    )
    starts_on = date_field("Bắt đầu", help_text="ngày sau ngày bế mạc đại hội (dd/mm/yyyy)")
    ends_on = date_field("Kết thúc", required=False)
    congress_number = forms.IntegerField(label="Đại hội lần thứ", required=False, min_value=1, max_value=200,
                                         help_text="để trống: lần tiếp theo (sau hợp nhất: nối tiếp số lớn nhất "
                                                   "của các tổ chức hợp nhất; tổ chức mới: lần thứ nhất)")  # fmt: skip


class SeatForm(StyledForm):
    member = forms.TypedChoiceField(label="Đảng viên", coerce=int)
    role = forms.ChoiceField(label="Chức danh", choices=SeatRole.choices)
    valid_from = date_field("Từ ngày", required=False, help_text="dd/mm/yyyy; để trống: đầu nhiệm kỳ")

    def __init__(self, *a, candidates=(), **kw):
        super().__init__(*a, **kw)
        from .selectors import member_choices

        self.fields["member"].choices = [("", "— chọn —"), *member_choices(m.pk for m in candidates)]


class MonitorForm(StyledForm):
    monitor = forms.TypedChoiceField(label="Cấp ủy viên cấp trên", coerce=int)
    valid_from = date_field("Từ ngày")
    decision_number = forms.CharField(label="Số quyết định phân công", max_length=40, required=False)

    def __init__(self, *a, candidates=(), **kw):
        super().__init__(*a, **kw)
        self.fields["monitor"].choices = [("", "— chọn —")] + [
            (s.member.pk, f"{s.member.full_name} — {s.get_role_display()} {s.organisation.name}")
            for s in candidates
        ]


class EntryForm(StyledForm):
    # discipline lines are written by the discipline decisions (inspection app), not by hand
    kind = forms.ChoiceField(label="Loại", choices=[c for c in EntryKind.choices if c[0] != EntryKind.DISCIPLINE])
    start = date_field("Từ ngày")
    end = date_field("Đến ngày", required=False)
    description = forms.CharField(label="Nội dung", max_length=500, required=False)
    decision_number = forms.CharField(label="Số quyết định", max_length=40, required=False)
    course = forms.ChoiceField(label="Khóa học (đào tạo, bồi dưỡng)", choices=[("", "—"), *Course.choices],
                               required=False)  # fmt: skip
    issuer = forms.CharField(label="Cơ sở đào tạo", max_length=160, required=False)
    certificate = forms.CharField(label="Số chứng chỉ", max_length=40, required=False)


class ArrivalForm(StyledForm):
    """On the new-member form: a member arriving from an organisation outside the system."""

    from_text = forms.CharField(
        label="Chuyển đến từ (ngoài hệ thống)",
        max_length=255,
        required=False,
        help_text="để trống nếu không phải chuyển sinh hoạt đến",
    )
    letter_on = date_field("Ngày giấy giới thiệu", required=False)
    letter_number = forms.CharField(label="Số giấy giới thiệu", max_length=40, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label="Tệp danh sách (.xlsx, .xls hoặc .csv)")
    only_valid = forms.BooleanField(
        label="Chỉ nhập các dòng hợp lệ (bỏ qua các dòng lỗi)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


EVENT_FORMS = {
    "recognise": RecogniseForm,
    "exempt": ExemptForm,
    "resume": ResumeForm,
    "leave": LeaveForm,
    "transfer": TransferForm,
}


def filters_from(data) -> tuple[FilterForm, object]:
    """The list's filters from a query (a QueryDict or a plain dict): the bound form (to redisplay) and the
    selector's `Filters`. Pages and background exports read them the same way."""
    from django.http import QueryDict

    from .selectors import Filters

    if not isinstance(data, QueryDict):
        q = QueryDict(mutable=True)
        for k, v in dict(data).items():
            q.setlist(k, v if isinstance(v, list) else [v])
        data = q
    else:
        data = data.copy()
    data.setdefault("status", "current")  # the register by default, and the select says so
    form = FilterForm(data)
    f = Filters()
    if form.is_valid():
        f = Filters(**{k: v or "" for k, v in form.cleaned_data.items() if k != "as_of"},
                    as_of=form.cleaned_data.get("as_of"))  # fmt: skip
    return form, f
