"""dangvu import_members FILE.xlsx --org CODE [--dry-run] [--only-valid] [--user USERNAME]

Exit status 0 when the file was imported (or, with --dry-run, would be); 1 when refused. Each problem is
printed as `row N, column C: reason` (N is the spreadsheet's own row number).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dangvu.core.errors import DomainError
from dangvu.members.importer import import_members
from dangvu.organizations.demo import system_user
from dangvu.organizations.models import Organisation


class Command(BaseCommand):
    help = "Nhập danh sách đảng viên từ tệp Excel vào một chi bộ."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="mã chi bộ nhận danh sách")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument(
            "--only-valid", action="store_true", help="ghi các dòng hợp lệ, liệt kê các dòng lỗi"
        )
        parser.add_argument("--user", help="người thực hiện (mặc định: tài khoản hệ thống, toàn quyền)")

    def handle(self, *args, file, org, dry_run, only_valid, user, **opts):
        target = Organisation.objects.select_related("type").filter(code=org.strip().upper()).first()
        if target is None:
            raise CommandError(f"Không có tổ chức mã «{org}».")
        by = get_user_model().objects.get(username=user) if user else system_user()
        try:
            report = import_members(by=by, org=target, source=file, dry_run=dry_run, only_valid=only_valid)
        except DomainError as e:
            raise CommandError(e.message) from None
        for w in report.warnings:
            self.stderr.write(f"warning: {w}")
        for p in report.problems:
            self.stdout.write(str(p))
        converted = {k: v for k, v in report.encodings.items() if k != "unicode"}
        summary = (
            f"{report.rows} rows: {report.created} new, {report.updated} updated, {report.rejected_rows} rejected"
            + (f"; converted to Unicode: {converted}" if converted else "")
        )
        if report.written:
            self.stdout.write(self.style.SUCCESS(f"Imported. {summary}"))
            return
        if dry_run and report.ok:
            self.stdout.write(f"Dry run, nothing written. {summary}")
            return
        raise CommandError(f"Refused, nothing written. {summary}")
