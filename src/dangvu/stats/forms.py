"""Forms of the statistics pages. They parse and present; every rule is checked by the services."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import StyledForm, date_field


class QueryForm(StyledForm):
    on = date_field("Số liệu đến ngày", required=False)
    date_from = date_field("Biến động từ ngày", required=False)


class SnapshotForm(StyledForm):
    on = date_field("Ngày chốt số liệu", help_text="vd: 30/06/2026 hoặc 31/12/2026")
    date_from = date_field("Biến động từ ngày", required=False, help_text="để trống: từ 01/01 cùng năm")
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)


class FieldDayForm(StyledForm):
    member = forms.TypedChoiceField(label="Cấp ủy viên", coerce=int)
    organisation = forms.TypedChoiceField(label="Về cơ sở", coerce=int)
    planned_on = date_field("Ngày dự kiến")
    purpose = forms.CharField(label="Nội dung làm việc", max_length=500)

    def __init__(self, *a, members=(), orgs=(), **kw):
        super().__init__(*a, **kw)
        self.fields["member"].choices = list(members)
        self.fields["organisation"].choices = list(orgs)


class FieldReportForm(StyledForm):
    done_on = date_field("Ngày thực hiện")
    days = forms.IntegerField(label="Số ngày", min_value=1, max_value=31, initial=1)
    report = forms.CharField(label="Báo cáo kết quả", widget=forms.Textarea(attrs={"rows": 3}))
