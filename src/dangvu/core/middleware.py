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
