"""dangvu apply_decisions: carry out the decisions recorded ahead whose date has come (run it just after midnight;
the first request of the day does the same, so this only matters on a server nobody opens that day)."""

from django.core.management.base import BaseCommand

from dangvu.organizations import ahead


class Command(BaseCommand):
    help = "Thực hiện các quyết định về tổ chức đã ghi trước, nay đến ngày hiệu lực (chạy hằng ngày sau 0 giờ)."

    def handle(self, *args, **options):
        done = ahead.apply_due()
        for p, why in done:
            self.stdout.write(f"Số {p.decision_number} ({p.effective_on:%d/%m/%Y}): "
                              + ("đã có hiệu lực" if not why else f"KHÔNG thực hiện được: {why}"))  # fmt: skip
        self.stdout.write(f"{sum(1 for _, w in done if not w)}/{len(done)} quyết định đã có hiệu lực.")
        if any(w for _, w in done):
            raise SystemExit(1)
