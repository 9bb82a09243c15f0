from django.core.management.base import BaseCommand

from dangvu.meetings.docx_build import build_all


class Command(BaseCommand):
    help = "Write the repository's .docx templates for minutes and resolutions (commit the result)."

    def handle(self, *args, **options):
        for path in build_all():
            self.stdout.write(str(path))
