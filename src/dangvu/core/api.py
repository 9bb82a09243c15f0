"""Shared API plumbing: JSON without ASCII escapes, error bodies, bounds. (Authentication is access's:
`accounts.api_auth`, wired in by the API root.)"""

import datetime as dt
import json
from typing import Annotated

from django.db import DataError
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from pydantic import AfterValidator

from .errors import Conflict, DomainError, Forbidden, NotFound

ERR_NOT_FOUND = "Không tìm thấy."
# Bounds that keep every number the API takes inside what both databases store (an offset past 2**63 is a 500),
# and the one page size limit of every list.
MAX_OFFSET = 10_000_000
MAX_LIMIT = 500
ERR_TOO_LARGE = "Giá trị số quá lớn."
ERR_PARSE = "Không đọc được nội dung gửi lên (cần JSON hợp lệ, mã hóa UTF-8)."
ERR_AUTH = "Cần đăng nhập hoặc gửi mã truy cập hợp lệ (Authorization: Bearer <mã>)."


class VietnameseJSONRenderer(JSONRenderer):
    encoder_class = NinjaJSONEncoder

    def render(self, request, data, *, response_status):
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


# Every operation may answer these, always with the same error body; the schema says so (see DangvuAPI).
ERROR_RESPONSES = {
    400: "Dữ liệu không hợp lệ theo quy định nghiệp vụ (lý do theo từng trường trong `errors`).",
    401: "Chưa đăng nhập hoặc mã truy cập không hợp lệ.",
    403: "Vai trò của bạn không được làm thao tác này.",
    404: "Không có, hoặc nằm ngoài phạm vi được giao.",
    409: "Xung đột với trạng thái hiện tại (đã làm rồi, vừa thay đổi ở nơi khác, tệp đã bị thay đổi).",
    422: "Sai kiểu dữ liệu hoặc thiếu trường (theo lược đồ).",
}
ERROR_SCHEMA = {
    "title": "ErrorOut",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "title": "Lý do"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}, "title": "Lý do theo trường"},
    },
    "required": ["detail", "errors"],
}


class DangvuAPI(NinjaAPI):
    """The API root. Its OpenAPI document declares, for every operation, the error answers it can give (with
    their body), so that the schema and the behaviour agree (a fuzz run of the schema checks it)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorOut"] = ERROR_SCHEMA
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for op in operations.values():
                responses = op.setdefault("responses", {})
                for code, text in ERROR_RESPONSES.items():
                    responses.setdefault(code, {"description": text, "content": body})
        return schema


def _local_time(value: dt.time) -> dt.time:
    """A time of day with a UTC offset is read as the same instant in Vietnam's time; the stored time is naive
    local time (SQLite cannot store an offset)."""
    if value.tzinfo is None:
        return value
    moment = dt.datetime.combine(dt.date(2000, 1, 1), value)
    return timezone.localtime(moment, timezone.get_default_timezone()).time().replace(tzinfo=None)


LocalTime = Annotated[dt.time, AfterValidator(_local_time)]


def error_body(detail: str, errors: dict | None = None) -> dict:
    return {"detail": detail, "errors": errors or {}}


def install_handlers(api) -> None:
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

    @api.exception_handler(HttpError)
    def http_error(request, exc):  # ninja's own refusals, e.g. a body that is not JSON
        detail = ERR_PARSE if str(exc).startswith("Cannot parse request body") else str(exc)
        return api.create_response(request, error_body(detail), status=exc.status_code)

    @api.exception_handler(OverflowError)
    def overflow(request, exc):  # a number past what SQLite stores (an id in the path, say)
        return api.create_response(request, error_body(ERR_TOO_LARGE), status=400)

    @api.exception_handler(DataError)
    def out_of_range(request, exc):  # the same on PostgreSQL ("value out of range for type bigint")
        return api.create_response(request, error_body(ERR_TOO_LARGE), status=400)

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
    ctx = err.get("ctx", {})

    def num(v) -> str:
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)

    if kind in ("less_than_equal", "less_than"):
        return f"Không được lớn hơn {num(ctx.get('le', ctx.get('lt')))}."
    if kind in ("greater_than_equal", "greater_than"):
        return f"Không được nhỏ hơn {num(ctx.get('ge', ctx.get('gt')))}."
    if kind.startswith("time"):
        return "Giờ không hợp lệ; dùng dạng HH:MM."
    if kind == "literal_error":
        return "Giá trị không nằm trong danh sách cho phép: " + str(err.get("ctx", {}).get("expected", ""))
    return "Giá trị không hợp lệ."
