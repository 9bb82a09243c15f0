from . import audit


class AuditContextMiddleware:
    """Makes the client address available to audit entries written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit.request_context(audit.client_ip(request)):
            return self.get_response(request)
