"""Forms of the dues pages. They parse and present; every rule is checked by the services."""

from __future__ import annotations

from django import forms

from dangvu.core.forms import StyledForm, date_field

from .models import CashKind, Category, ReliefReason


class BasisForm(StyledForm):
    valid_from = date_field("Từ tháng", help_text="ngày bất kỳ trong tháng, vd 01/11/2026")
    category = forms.ChoiceField(label="Đối tượng", choices=Category.choices)
    amount = forms.IntegerField(label="Tiền lương đóng BHXH, trợ cấp hoặc lương hưu (đồng)", min_value=0,
                                required=False)  # fmt: skip


class ReliefForm(StyledForm):
    reason = forms.ChoiceField(label="Lý do", choices=ReliefReason.choices)
    percent = forms.TypedChoiceField(label="Mức", coerce=int, choices=[(30, "Giảm 30%"), (50, "Giảm 50%"),
                                                                      (70, "Giảm 70%"), (100, "Miễn")])  # fmt: skip
    valid_from = date_field("Từ tháng")
    valid_to = date_field("Đến hết tháng", required=False, help_text="bắt buộc với khó khăn khác (tối đa 12 tháng)")
    decision = forms.CharField(label="Số quyết định, nghị quyết", max_length=80)
    decided_by = forms.CharField(label="Cấp quyết định", max_length=120, required=False)


class ImportForm(StyledForm):
    month = date_field("Áp dụng từ tháng")
    file = forms.FileField(label="Bảng lương (.xlsx, .xls, .csv)",
                           help_text="Cột «Số thẻ đảng viên» hoặc «Số CCCD», «Đối tượng» (không bắt buộc) và "
                                     "«Tiền lương đóng BHXH» (đồng).")  # fmt: skip


class CashForm(StyledForm):
    on = date_field("Ngày")
    kind = forms.ChoiceField(label="Khoản", choices=CashKind.choices)
    amount = forms.IntegerField(label="Số tiền (đồng)", min_value=1)
    note = forms.CharField(label="Nội dung", max_length=255)
