"""Two-factor authentication is not optional for those who hold it: until the session is verified with a TOTP
code, every page sends them to enrol or verify, and the API (with a session) answers 403."""

from urllib.parse import quote

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from .selectors import needs_two_factor

ERR_2FA = "Tài khoản này cần xác thực hai bước: mở trang web của Đảng vụ để nhập mã từ ứng dụng xác thực."
SESSION_FLAG = "dangvu_otp_enrolled"  # set at login when the user has a confirmed device (see apps.py)
OPEN_PREFIXES = ("/account/2fa/", "/login/", "/logout/", "/static/", "/i18n/")


def must_verify(request) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_verified():
        return False
    return bool(request.session.get(SESSION_FLAG)) or needs_two_factor(user)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(OPEN_PREFIXES) or not must_verify(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": ERR_2FA, "errors": {}}, status=403, json_dumps_params={"ensure_ascii": False}
            )
        url = reverse("accounts:two_factor") + "?next=" + quote(request.get_full_path())
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)


LANGUAGE_KEY = "dangvu_language"  # the account's language, copied into its session at login and when changed


class AccountLanguageMiddleware:
    """The interface speaks the account's own language: Vietnamese by default, another only when the account
    chose it and it is offered (settings.LANGUAGES lists only complete translations). The browser's
    Accept-Language and any language cookie are ignored, so an English office PC still shows Vietnamese. The
    choice is read from the session (set at login from the account's Profile), so it costs no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        offered = {code for code, _ in settings.LANGUAGES}
        session = getattr(request, "session", None)
        chosen = session.get(LANGUAGE_KEY) if session is not None else None
        language = chosen if chosen in offered else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
