"""The API object: authentication, the OpenAPI document (/api/v1/schema/) and its viewer
(/api/v1/docs/, Swagger UI served from django-ninja's own static files: no CDN), and one error
shape for every refusal: {"code": "...", "message": "...", "errors": {...}}."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from cchc.core.errors import ServiceError

from .auth import ClientAuth, RateLimited, WriteScopeRequired
from .endpoints_read import router as read_router
from .endpoints_write import router as write_router
from .parser import StorableTextParser

api = NinjaAPI(
    title="CCHC API",
    version="1",
    description=(
        "API v1 của hệ thống CCHC cho các hệ thống khác của tỉnh: đọc đơn vị, thủ tục, kế hoạch, "
        "chỉ tiêu, nhiệm vụ, số liệu chỉ số; gửi sự kiện hồ sơ và báo cáo tiến độ. "
        "Xác thực: `Authorization: Bearer <mã truy cập>` (docs/api.md)."
    ),
    auth=ClientAuth(),
    urls_namespace="api_v1",
    openapi_url="/schema/",
    docs_url="/docs/",
    parser=StorableTextParser(),
)
api.add_router("", read_router)
api.add_router("", write_router)


def _error(request: HttpRequest, status: int, code: str, message: str, errors: object = None) -> HttpResponse:
    body: dict[str, object] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(
        request, 401, "api_token_invalid", "Mã truy cập không hợp lệ, đã bị thu hồi hoặc đã hết hạn."
    )


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _error(
        request, 429, "api_rate_limited", "Vượt quá số yêu cầu cho phép trong một phút; thử lại sau."
    )
    response["Retry-After"] = "60"
    return response


@api.exception_handler(WriteScopeRequired)
def _read_only(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, "api_scope_write_required", "Ứng dụng chỉ có quyền đọc, không được ghi.")


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 403, "permission_denied", str(exc) or "Không có quyền.")


@api.exception_handler(ServiceError)
def _refused(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, ServiceError)
    errors = exc.message_dict if hasattr(exc, "error_dict") else None
    message = "; ".join(exc.messages)
    return _error(request, 400, exc.code, message, errors)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, NinjaValidationError)
    errors = {".".join(str(p) for p in e.get("loc", ())): e.get("msg", "") for e in exc.errors}
    return _error(request, 422, "api_request_invalid", "Yêu cầu không hợp lệ: " + ", ".join(errors), errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    assert isinstance(exc, HttpError)
    if isinstance(exc.__cause__, NinjaValidationError):
        # django-ninja wraps whatever the body parser raises in a 400; the parser's own refusal
        # (text the database cannot store) is a validation error like the others
        return _invalid(request, exc.__cause__)
    code = {404: "not_found", 400: "api_request_invalid"}.get(exc.status_code, "api_error")
    return _error(request, exc.status_code, code, str(exc))
