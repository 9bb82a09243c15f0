"""How the API knows who is calling: a bearer token (stored as its SHA-256 only) or the browser's session."""

from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken
from .selectors import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user, api_token = user_for_token(token)
        if user is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = user
        return user


AUTH = [TokenAuth(), django_auth]
