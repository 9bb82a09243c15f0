from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dangvu.accounts.services import token_create


class Command(BaseCommand):
    help = "Create an API token for USERNAME; the token is printed once, as the last line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="dòng lệnh")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{username}».")
        _, raw = token_create(user=user, name=name, by=None)
        self.stdout.write("Mã truy cập (chỉ hiện một lần; gửi kèm «Authorization: Bearer <mã>»):")
        self.stdout.write(raw)
