"""Forms of the registers. They only parse; every rule is the service's (one message per field)."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import StyledForm, date_field

from .models import Body, Classification, DispatchKind, DocType, IncomingStatus, Urgency


def _choices(model_choices, empty="— chọn —"):
    return [("", empty), *model_choices]


TYPE_CHOICES = [(v, f"{label} ({v})") for v, label in DocType.choices]


class OutgoingForm(StyledForm):
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=_choices(TYPE_CHOICES))
    body = forms.ChoiceField(label="Cơ quan ban hành", choices=Body.choices)
    issued_on = date_field("Ngày ban hành")
    subject = forms.CharField(label="Trích yếu nội dung", max_length=500)
    signer = forms.CharField(label="Người ký", max_length=120, required=False)
    recipients = forms.CharField(label="Nơi nhận", max_length=1000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    classification = forms.ChoiceField(label="Độ mật", choices=Classification.choices, required=False)
    file = forms.FileField(label="Bản đã ký (PDF, DOCX, ảnh)", required=False)

    def set_bodies(self, bodies: list[str]) -> None:
        self.fields["body"].choices = [(b, Body(b).label) for b in bodies]


class VoidForm(StyledForm):
    reason = forms.CharField(label="Lý do hủy", max_length=300)


class IncomingForm(StyledForm):
    received_on = date_field("Ngày đến")
    sender = forms.CharField(label="Nơi gửi (tác giả)", max_length=200)
    their_number = forms.CharField(label="Số, ký hiệu", max_length=60, required=False,
                                   help_text="vd: 35-KH/TU")  # fmt: skip
    their_date = date_field("Ngày văn bản", required=False)
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=_choices(TYPE_CHOICES, "— không rõ —"), required=False)
    subject = forms.CharField(label="Trích yếu nội dung", max_length=500)
    classification = forms.ChoiceField(label="Độ mật", choices=Classification.choices, required=False)
    urgency = forms.ChoiceField(label="Độ khẩn", choices=Urgency.choices, required=False)
    handler = forms.CharField(label="Người xử lý", max_length=120, required=False)
    due_on = date_field("Hạn xử lý", required=False)
    file = forms.FileField(label="Bản quét (PDF, DOCX, ảnh)", required=False)


class HandleForm(StyledForm):
    handler = forms.CharField(label="Người xử lý", max_length=120, required=False)
    due_on = date_field("Hạn xử lý", required=False)
    status = forms.ChoiceField(label="Tình trạng", choices=IncomingStatus.choices)
    outcome = forms.CharField(label="Kết quả xử lý", max_length=500, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)
    year = forms.IntegerField(required=False, min_value=1930, max_value=2100)
    doc_type = forms.ChoiceField(required=False, choices=_choices(TYPE_CHOICES, "mọi loại"))
    status = forms.CharField(required=False, max_length=10)
    all = forms.BooleanField(required=False)
    late = forms.BooleanField(required=False)


SCOPES = [("children", "Các tổ chức trực thuộc trực tiếp"), ("subtree", "Toàn bộ tổ chức trong đảng bộ"),
          ("chosen", "Các tổ chức chọn theo mã")]  # fmt: skip


class DispatchForm(StyledForm):
    kind = forms.ChoiceField(label="Loại", choices=DispatchKind.choices)
    title = forms.CharField(label="Tiêu đề", max_length=300)
    body = forms.CharField(label="Nội dung, yêu cầu", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outgoing = forms.ChoiceField(label="Văn bản gửi kèm (trong sổ văn bản đi)", required=False, choices=[])
    due_on = date_field("Hạn báo cáo", required=False)
    month = forms.ChoiceField(label="Tháng báo cáo (báo cáo tháng của chi bộ)", required=False, choices=[])
    scope = forms.ChoiceField(label="Gửi tới", choices=SCOPES)
    codes = forms.CharField(label="Mã các tổ chức (cách nhau bởi dấu phẩy)", required=False, max_length=4000)

    def set_choices(self, documents, months) -> None:
        self.fields["outgoing"].choices = [("", "— không —"), *[(d.pk, f"{d.symbol}: {d.subject}"[:120])
                                                                for d in documents]]  # fmt: skip
        self.fields["month"].choices = [("", "—"), *[(m.isoformat(), f"{m:%m/%Y}") for m in months]]

    def clean_codes(self) -> list[str]:
        return [c.strip() for c in (self.cleaned_data.get("codes") or "").replace(";", ",").split(",") if c.strip()]

    def clean_month(self):
        import datetime as dt

        raw = self.cleaned_data.get("month")
        return dt.date.fromisoformat(raw) if raw else None


class AnswerForm(StyledForm):
    answer = forms.CharField(label="Nội dung báo cáo", required=False, max_length=20_000,
                             widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip
    file = forms.FileField(label="Tệp báo cáo (PDF, DOCX, ảnh)", required=False)


class TemplateForm(StyledForm):
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=_choices(TYPE_CHOICES))
    name = forms.CharField(label="Tên mẫu", max_length=200)
    file = forms.FileField(label="Tệp mẫu (.docx)")


class DraftForm(StyledForm):
    body = forms.CharField(label="Nội dung văn bản (mỗi đoạn một dòng)", required=False, max_length=30_000,
                           widget=forms.Textarea(attrs={"rows": 10}))  # fmt: skip


class HandbookForm(StyledForm):
    title = forms.CharField(label="Tiêu đề", max_length=200)
    body = forms.CharField(label="Nội dung (Markdown: # tiêu đề, 1. bước, **đậm**, [liên kết](địa chỉ))",
                           widget=forms.Textarea(attrs={"rows": 18}))  # fmt: skip
    note = forms.CharField(label="Ghi chú sửa đổi", max_length=300, required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HandbookFileForm(StyledForm):
    title = forms.CharField(label="Tên biểu mẫu", max_length=200, required=False)
    file = forms.FileField(label="Tệp (PDF, DOCX, XLSX, ảnh)")
