"""Shared API plumbing: authentication (bearer token or session), JSON without ASCII escapes, error bodies."""

import json

from django.utils import timezone
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, django_auth

from .errors import Conflict, DomainError, NotFound

ERR_NOT_FOUND = "Không tìm thấy."
ERR_AUTH = "Cần đăng nhập hoặc gửi mã truy cập hợp lệ (Authorization: Bearer <mã>)."


class VietnameseJSONRenderer(JSONRenderer):
    encoder_class = NinjaJSONEncoder

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        from dangvu.accounts.models import ApiToken
        from dangvu.accounts.selectors import user_for_token

        user, api_token = user_for_token(token)
        if user is None:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        request.user = user
        return user


AUTH = [TokenAuth(), django_auth]


def error_body(detail: str, errors: dict | None = None) -> dict:
    return {"detail": detail, "errors": errors or {}}


def install_handlers(api) -> None:
    from dangvu.organizations.services import Forbidden

    @api.exception_handler(Forbidden)
    def forbidden(request, exc):
        return api.create_response(request, error_body(exc.message, exc.errors), status=403)

    @api.exception_handler(DomainError)
    def domain_error(request, exc):
        status = 409 if isinstance(exc, Conflict) else 400
        return api.create_response(request, error_body(exc.message, exc.errors), status=status)

    @api.exception_handler(NotFound)
    def not_found(request, exc):
        return api.create_response(request, error_body(ERR_NOT_FOUND), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(request, error_body(ERR_AUTH), status=401)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = {}
        for err in exc.errors:
            loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
            errors[".".join(loc) or "__all__"] = _vi_validation_message(err)
        return api.create_response(request, error_body("Dữ liệu gửi lên không hợp lệ.", errors), status=422)


def _vi_validation_message(err: dict) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "Trường này là bắt buộc."
    if kind.startswith("date"):
        return "Ngày không hợp lệ; dùng dạng YYYY-MM-DD."
    if kind.startswith(("int", "float")):
        return "Phải là một số."
    if kind == "literal_error":
        return "Giá trị không nằm trong danh sách cho phép: " + str(err.get("ctx", {}).get("expected", ""))
    return "Giá trị không hợp lệ."
