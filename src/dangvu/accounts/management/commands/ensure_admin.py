import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the administrator once (password generated, printed once and kept in var/admin-login.txt)."

    def handle(self, *args, **options):
        User = get_user_model()
        creds = settings.VAR_DIR / "admin-login.txt"
        if not User.objects.filter(username="admin").exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", "admin@localhost", password, first_name="Quản trị")
            creds.write_text(f"admin\n{password}\n")
            creds.chmod(0o600)
        if creds.exists():
            username, password = creds.read_text().split()[:2]
            self.stdout.write(
                f"\n  Dangvu: http://127.0.0.1:8000/\n  Đăng nhập / login: {username} / {password}\n"
                f"  (lưu tại {creds}; lần đầu đăng nhập, quản trị phải bật xác thực hai bước bằng ứng dụng\n"
                f"   xác thực trên điện thoại / an administrator enrols a TOTP app at first login)\n"
            )
        demo = settings.VAR_DIR / "demo-logins.txt"
        if demo.exists():
            self.stdout.write(
                "  Tài khoản mẫu / demo accounts (cán bộ tổ chức cũng phải bật xác thực hai bước):"
            )
            for line in demo.read_text().splitlines():
                username, password, role, org = line.split("\t")
                self.stdout.write(f"    {username} / {password}  ({role}, {org})")
            self.stdout.write("")
        else:
            self.stdout.write("Tài khoản admin đã có (mật khẩu không lưu trong var/).")
