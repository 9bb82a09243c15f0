"""dangvu file_minutes: file the minutes closed before this version into the cells' minutes books (once, after
upgrading; closing minutes does it by itself from now on). Idempotent."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from dangvu.dossiers.models import DossierLink, LinkKind
from dangvu.dossiers.services import file_minutes
from dangvu.meetings.models import Meeting, State


class Command(BaseCommand):
    help = "Đưa các biên bản sinh hoạt đã hoàn tất vào sổ biên bản của chi bộ (chạy một lần sau khi nâng cấp)."

    def handle(self, *args, **options):
        actor = get_user_model()(username="tu-dong", is_superuser=True, is_active=True)  # never saved
        filed = set(DossierLink.objects.filter(kind=LinkKind.MINUTES).values_list("ref", flat=True))
        n = 0
        for m in Meeting.objects.filter(state=State.CLOSED).exclude(pk__in=filed).select_related(
            "organisation", "chair"
        ).order_by("date", "pk"):
            n += len(file_minutes(by=actor, meeting=m))
        self.stdout.write(f"Đã đưa {n} biên bản vào sổ.")
