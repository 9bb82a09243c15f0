from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from dangvu.accounts.services import two_factor_reset


class Command(BaseCommand):
    help = "Remove USERNAME's authenticator devices (a lost phone): they enrol again at their next login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{username}».")
        n = two_factor_reset(user=user, by=None)
        self.stdout.write(f"Đã hủy {n} thiết bị xác thực của {username}; lần đăng nhập tới sẽ đăng ký lại.")
