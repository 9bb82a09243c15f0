from . import audit


class AuditContextMiddleware:
    """Makes the client address available to audit entries written during the request, and records every
    refused access (403, or 404 on a known address: a forged id, another organisation's code) by a signed-in
    user, so that probing shows in the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.request_context(audit.client_ip(request)):
            response = self.get_response(request)
            if response.status_code in (403, 404) and getattr(request, "resolver_match", None) is not None:
                user = getattr(request, "user", None)
                if user is not None and user.is_authenticated:
                    audit.record(
                        by=user,
                        action="access.denied",
                        object_type="url",
                        object_id=request.path[:64],
                        after={
                            "method": request.method,
                            "path": request.get_full_path()[:500],
                            "status": response.status_code,
                        },
                    )
            return response


class NoStoreMiddleware:
    """Nothing the application itself answers is kept by a browser or a proxy cache: pages (personal data),
    the API and every download carry `Cache-Control: no-store`. Static files (CSS, scripts) are answered
    before this middleware by WhiteNoise, with their own long cache headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import patch_cache_control

        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True, max_age=0)
        return response


ERR_NUL = "Dữ liệu gửi lên chứa ký tự NUL (0x00); không nhận."


class RejectNulMiddleware:
    """A NUL character (0x00) in an address, a query parameter or a form field, or escaped in a JSON body, is
    refused with 400 before any view runs: PostgreSQL cannot store it in text, and no real input holds one.
    Uploaded files are not looked at (binary files contain NUL bytes by nature)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.http import HttpResponseBadRequest, JsonResponse

            if request.path.startswith("/api/"):
                return JsonResponse({"detail": ERR_NUL, "errors": {"__all__": ERR_NUL}}, status=400,
                                    json_dumps_params={"ensure_ascii": False})  # fmt: skip
            return HttpResponseBadRequest(ERR_NUL, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith("application/json"):
            body = request.body
            return b"\\u0000" in body or b"\x00" in body
        if request.method == "POST" and content_type.startswith(("multipart/form-data",
                                                                 "application/x-www-form-urlencoded")):  # fmt: skip
            return any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.POST.lists())
        return False


class RefusalPageMiddleware:
    """The pages' safety net: a refusal that a view did not turn into a form error (a Conflict raised by a
    second click, say) becomes a page with the Vietnamese reason and 409 or 400, and a number too large for the
    database (an id typed in the address) a 400, never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DataError
        from django.shortcuts import render

        from .errors import Conflict, DomainError

        if isinstance(exception, DomainError):
            status = 409 if isinstance(exception, Conflict) else 400
            return render(request, "refused.html", {"message": exception.message}, status=status)
        if isinstance(exception, OverflowError | DataError):
            return render(request, "refused.html", {"message": "Giá trị số quá lớn."}, status=400)
        return None
