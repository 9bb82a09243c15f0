from django.core.management.base import BaseCommand

from dangvu.organizations.demo import seed_organisations
from dangvu.organizations.models import Organisation


class Command(BaseCommand):
    help = "Load the demo province (deterministic, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="only when the database has no organisation"
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Dữ liệu đã có; không nạp dữ liệu mẫu.")
            return
        result = seed_organisations()
        if result["skipped"]:
            self.stdout.write("Dữ liệu mẫu đã được nạp trước đó.")
        else:
            self.stdout.write(f"Đã nạp dữ liệu mẫu: {result['organisations']} tổ chức đảng.")
