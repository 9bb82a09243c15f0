"""Password rules with Vietnamese messages where Django's Vietnamese catalogue has none."""

from django.contrib.auth import password_validation as pv
from django.utils.translation import get_language


class MinimumLengthValidator(pv.MinimumLengthValidator):
    def get_error_message(self):
        if (get_language() or "vi").startswith("vi"):
            return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."
        return super().get_error_message()

    def get_help_text(self):
        if (get_language() or "vi").startswith("vi"):
            return f"Mật khẩu cần ít nhất {self.min_length} ký tự."
        return super().get_help_text()
