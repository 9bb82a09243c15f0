"""`dangvu restore DIR`: an empty installation rebuilt from a backup, then checked against its manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangvu.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục một cài đặt trống từ bản sao lưu, rồi đối chiếu số dòng và SHA-256 với manifest."

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)

    def handle(self, *args, dir: Path, **options):
        try:
            report = restore(dir)
        except BackupError as e:
            raise CommandError(str(e)) from None
        if not report.ok:
            raise CommandError("Khôi phục xong nhưng không khớp bản sao lưu:\n" + "\n".join(report.problems))
        self.stdout.write(f"Đã khôi phục từ {dir}: {len(report.rows)} bảng, {sum(report.rows.values())} dòng; "
                          f"{len(report.files)} tệp; mọi số dòng và SHA-256 khớp manifest.")  # fmt: skip
