"""Forms for the account, access and audit pages. They parse; the services check every rule."""

from django import forms

from dangvu.core.forms import StyledForm, date_field
from dangvu.organizations.forms import code_field

from .models import Role


class TokenForm(StyledForm):
    name = forms.CharField(
        label="Tên gợi nhớ", max_length=100, help_text="Ví dụ: «máy chủ báo cáo của Ban Tổ chức»."
    )


class TwoFactorForm(StyledForm):
    token = forms.CharField(
        label="Mã 6 số",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )

    def clean_token(self):
        t = self.cleaned_data["token"].strip()
        if not t.isdigit():
            raise forms.ValidationError("Mã gồm 6 chữ số.")
        return t


def _role_field():
    return forms.ChoiceField(label="Vai trò", choices=[("", "— chọn vai trò —"), *Role.choices])


class GrantForm(StyledForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    org = code_field("Trên tổ chức", help_text="Quyền bao trùm tổ chức này và mọi tổ chức trực thuộc.")
    role = _role_field()
    valid_from = date_field("Từ ngày", required=False, help_text="Để trống: từ hôm nay.")
    valid_to = date_field("Đến hết ngày", required=False, help_text="Để trống: không thời hạn.")


class UserCreateForm(StyledForm):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(label="Thư điện tử", required=False)
    password = forms.CharField(
        label="Mật khẩu ban đầu",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Ít nhất 10 ký tự, không phải toàn số, không quá phổ biến; người dùng nên đổi khi đăng nhập.",
    )
    org = code_field("Làm việc tại tổ chức")
    role = _role_field()


class AuditFilterForm(StyledForm):
    org = code_field("Tổ chức", required=False)
    user = forms.CharField(label="Người thực hiện", required=False, max_length=150)
    action = forms.CharField(label="Hành động", required=False, max_length=64)
    object_type = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    date_from = date_field("Từ ngày", required=False, help_text="")
    date_to = date_field("Đến ngày", required=False, help_text="")


ERR_NO_AUDIT_RIGHTS = "Chỉ kiểm tra viên, cán bộ tổ chức hoặc quản trị mới xem nhật ký."


def audit_query(user, data):
    """The audit log filtered by a query (the log page's, or a background export's): the bound form and the
    entries. Another organisation's code is a 404 (and logged), before the role check (403)."""
    from django.core.exceptions import PermissionDenied

    from dangvu.organizations.selectors import org_get

    from . import selectors as sel

    org = org_get(user, data["org"]) if data.get("org") else None
    if not sel.may_read_audit(user):
        raise PermissionDenied(ERR_NO_AUDIT_RIGHTS)
    form = AuditFilterForm(data or None)
    kw = {}
    if form.is_valid():
        d = form.cleaned_data
        kw.update(org=org, username=d["user"].strip(), action=d["action"].strip(), object_type=d["object_type"],
                  object_id=d["object_id"], date_from=d["date_from"], date_to=d["date_to"])  # fmt: skip
    if form.errors:
        return form, sel.audit_list(user).none()
    return form, sel.audit_list(user, **kw)
