"""Forms for the dossier pages. They parse and present; every rule is checked by the services."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import StyledForm, date_field

from .models import Field, Keeping, LinkKind, MetaField


class TypeForm(StyledForm):
    code = forms.CharField(label="Mã", max_length=20)
    name = forms.CharField(label="Tên hồ sơ, sổ", max_length=255)
    field = forms.ChoiceField(label="Lĩnh vực", choices=Field.choices)
    keeping = forms.ChoiceField(label="Lập theo", choices=Keeping.choices)
    required_meta = forms.MultipleChoiceField(
        label="Thông tin bắt buộc", choices=MetaField.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    needs_file = forms.BooleanField(
        label="Phải có tệp hoặc liên kết", required=False, initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    link_kind = forms.ChoiceField(
        label="Liên kết được với", choices=[("", "—"), *LinkKind.choices], required=False
    )
    form = forms.CharField(label="Mẫu biểu", max_length=120, required=False)
    retention = forms.CharField(label="Thời hạn bảo quản", max_length=60, required=False)


class NewVersionForm(StyledForm):
    year = forms.IntegerField(label="Áp dụng từ năm", min_value=1930, max_value=2100)
    note = forms.CharField(label="Căn cứ, ghi chú", max_length=500, required=False)


class ImportForm(StyledForm):
    org_type = forms.ModelChoiceField(label="Loại tổ chức", queryset=None)
    year = forms.IntegerField(label="Áp dụng từ năm", min_value=1930, max_value=2100)
    file = forms.FileField(label="Tệp Excel (.xlsx)", required=False)

    def __init__(self, *args, **kwargs):
        from dangvu.organizations.models import OrgType

        super().__init__(*args, **kwargs)
        self.fields["org_type"].queryset = OrgType.objects.all()


class MetaForm(StyledForm):
    title = forms.CharField(label="Tiêu đề", max_length=255)
    number = forms.CharField(label="Số, ký hiệu", max_length=60, required=False)
    issued_on = date_field("Ngày ban hành / mở sổ", required=False)
    signer = forms.CharField(label="Người ký / người giữ sổ", max_length=120, required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UploadForm(StyledForm):
    file = forms.FileField(label="Tệp (PDF, DOCX, XLSX, JPEG, PNG)", required=False)
    title = forms.CharField(label="Tên tệp", max_length=255, required=False)
    replaces = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LinkForm(StyledForm):
    kind = forms.ChoiceField(choices=LinkKind.choices, widget=forms.HiddenInput)
    ref = forms.CharField(label="Hồ sơ trong hệ thống", required=False)


class SearchForm(StyledForm):
    q = forms.CharField(label="Từ khóa (cả nội dung tệp PDF, DOCX)", required=False)
    org = forms.CharField(label="Mã tổ chức", required=False)
    year = forms.IntegerField(label="Năm", required=False, min_value=1930, max_value=2100)
    code = forms.CharField(label="Mã loại hồ sơ", required=False, max_length=20)
    field = forms.ChoiceField(label="Lĩnh vực", choices=[("", "Tất cả"), *Field.choices], required=False)
