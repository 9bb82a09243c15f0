"""`dangvu recompute [--domain D …] [--dry-run]`: judge every stored verdict again by the rules in force on its
record's date, print what changed (and, without --dry-run, write it)."""

from django.core.management.base import BaseCommand, CommandError

from dangvu.core import audit, recompute


class Command(BaseCommand):
    help = "Tính lại các kết luận đã lưu (chất lượng sinh hoạt, mức đầy đủ hồ sơ, hạn chuyển sinh hoạt) theo quy định hiện hành."

    def add_arguments(self, parser):
        parser.add_argument(
            "--domain", action="append", dest="domains", help=", ".join(sorted(recompute.REGISTRY))
        )
        parser.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
        parser.add_argument("--show", type=int, default=20, help="changes printed per domain (default 20)")

    def handle(self, *args, domains=None, dry_run=False, show=20, **options):
        unknown = set(domains or []) - set(recompute.REGISTRY)
        if unknown:
            raise CommandError(
                f"Không có miền «{', '.join(sorted(unknown))}»; có: {', '.join(sorted(recompute.REGISTRY))}."
            )
        for r in recompute.run(domains, dry_run=dry_run):
            verb = "sẽ đổi" if dry_run else "đã đổi"
            self.stdout.write(
                f"{recompute.REGISTRY[r.domain].label}: {r.checked} đã xét, {verb} {r.changed_records}."
            )
            for c in r.changes[:show]:
                self.stdout.write(f"  {c}")
            if len(r.changes) > show:
                self.stdout.write(f"  … và {len(r.changes) - show} thay đổi khác.")
            if not dry_run and r.changes:
                audit.record(by=None, action="rules.recompute", object_type="core.ruleset",
                             after={"domain": r.domain, "checked": r.checked, "changed": r.changed_records})  # fmt: skip
