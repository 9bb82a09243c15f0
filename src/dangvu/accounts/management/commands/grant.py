from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dangvu.accounts.models import Role
from dangvu.accounts.services import grant_create
from dangvu.core.errors import DomainError
from dangvu.organizations.models import Organisation


class Command(BaseCommand):
    help = "Grant ROLE on ORG_CODE (and its whole subtree) to USERNAME."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("org_code")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args, username, org_code, role, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{username}».")
        org = Organisation.objects.filter(code=org_code.upper()).first()
        if org is None:
            raise CommandError(f"Không có tổ chức mã «{org_code}».")
        try:
            g = grant_create(user=user, organisation=org, role=role, by=None)
        except DomainError as e:
            raise CommandError(e.message) from e
        self.stdout.write(f"Đã cấp: {g}")
