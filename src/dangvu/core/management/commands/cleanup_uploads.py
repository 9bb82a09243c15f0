"""dangvu cleanup_uploads: remove uploads waiting for a confirmation for more than a day (run it daily)."""

from django.core.management.base import BaseCommand

from dangvu.core import staging


class Command(BaseCommand):
    help = "Xóa các tệp tải lên chờ xác nhận quá một ngày (chạy hằng ngày)."

    def handle(self, *args, **options):
        n = staging.cleanup()
        self.stdout.write(f"Đã xóa {n} tệp chờ xác nhận quá hạn.")
