"""Forms for the congress pages. They parse and present; every rule is checked by the services."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import StyledForm, date_field

from .models import Kind, Position


class CongressForm(StyledForm):
    number = forms.IntegerField(label="Đại hội lần thứ", min_value=1, required=False,
                                help_text="Để trống: tiếp số thứ tự (kể cả khi tổ chức được hợp nhất).")  # fmt: skip
    term_name = forms.CharField(label="Nhiệm kỳ", max_length=40, help_text="vd: 2025–2030")
    kind = forms.ChoiceField(label="Hình thức", choices=Kind.choices)
    starts_on = date_field("Khai mạc")
    ends_on = date_field("Bế mạc")
    place = forms.CharField(label="Địa điểm", max_length=255, required=False)


class DelegateForm(StyledForm):
    member = forms.TypedChoiceField(label="Đại biểu", coerce=int)

    def __init__(self, *a, choices=(), **kw):
        super().__init__(*a, **kw)
        self.fields["member"].choices = list(choices)


class ElectionForm(StyledForm):
    position = forms.ChoiceField(label="Bầu", choices=Position.choices)
    seats = forms.IntegerField(label="Số lượng cần bầu", min_value=1, initial=1)
    held_on = date_field("Ngày bầu")
    candidates = forms.TypedMultipleChoiceField(label="Ứng cử viên (danh sách bầu cử)", coerce=int,
                                                widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *a, choices=(), **kw):
        super().__init__(*a, **kw)
        self.fields["candidates"].choices = list(choices)
        self.fields["candidates"].widget.attrs["class"] = "form-check-input"


class CountForm(StyledForm):
    ballots_issued = forms.IntegerField(label="Số phiếu phát ra", min_value=0)
    ballots_valid = forms.IntegerField(label="Số phiếu hợp lệ", min_value=0)
    ballots_invalid = forms.IntegerField(label="Số phiếu không hợp lệ", min_value=0, initial=0)

    def __init__(self, *a, candidates=(), **kw):
        super().__init__(*a, **kw)
        for c in candidates:
            self.fields[f"c{c.member_id}"] = forms.IntegerField(label=f"Số phiếu bầu: {c.member.full_name}",
                                                                min_value=0)  # fmt: skip
            self.fields[f"c{c.member_id}"].widget.attrs.update({"class": "form-control", "inputmode": "numeric"})
