"""`dangvu backup DIR`: the database and every stored file, with a manifest of SHA-256 and row counts."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangvu.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và kho tệp vào một thư mục mới (kèm manifest SHA-256 và số dòng)."

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)

    def handle(self, *args, dir: Path, **options):
        try:
            report = backup(dir)
        except BackupError as e:
            raise CommandError(str(e)) from None
        rows = sum(report.rows.values())
        size = sum(f["size"] for f in report.files.values())
        self.stdout.write(f"Đã sao lưu vào {dir}: {len(report.rows)} bảng, {rows} dòng; {len(report.files)} tệp, "
                          f"{size} byte.")  # fmt: skip
