"""One error body for every failure: ``{"error": ErrorCode, "message": text}`` (``ErrorBody``).

Handlers turn ``ApiError``, FastAPI's validation errors, HTTP errors of the framework (unknown
route, wrong method) and unexpected exceptions into that body. An unexpected exception is
logged with its traceback on the server and answered ``500 internal`` without one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.i18n import tr
from app.sync.protocol import ErrorBody, ErrorCode

log = logging.getLogger("squaddesk.server")

STATUS_CODES: Mapping[int, ErrorCode] = {
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    413: ErrorCode.BODY_TOO_LARGE,
    426: ErrorCode.UPGRADE_REQUIRED,
    429: ErrorCode.TOO_MANY_ATTEMPTS,
}


class ApiError(Exception):
    """An expected failure answered with ``status`` and an ``ErrorBody``."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.retry_after = retry_after

    def response(self) -> JSONResponse:
        return error_response(
            self.status, self.code, self.message, self.headers, retry_after=self.retry_after
        )


def error_response(
    status: int,
    code: ErrorCode,
    message: str,
    headers: Mapping[str, str] | None = None,
    *,
    retry_after: int | None = None,
) -> JSONResponse:
    body = ErrorBody(error=code, message=message, retry_after=retry_after)
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True), status_code=status, headers=headers
    )


def unauthorized() -> ApiError:
    return ApiError(401, ErrorCode.UNAUTHORIZED, tr("未登录或登录已失效，请重新登录"))


def not_found() -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, tr("找不到请求的内容"))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)


async def _on_api_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ApiError)
    return error.response()


async def _on_validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    return error_response(422, ErrorCode.INVALID_REQUEST, validation_message(error.errors()))


def validation_message(errors: Sequence[Any]) -> str:
    """The first problem of a request, naming the field (``changes.3.device_seq``)."""
    if not errors:
        return tr("请求格式不正确")
    first = errors[0]
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query")]
    field = ".".join(location) or tr("请求正文")
    return tr("请求字段 {field} 不正确：{problem}", field=field, problem=first.get("msg", ""))


async def _on_http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, StarletteHTTPException)
    code = STATUS_CODES.get(error.status_code, ErrorCode.INVALID_REQUEST)
    if error.status_code == 413 and isinstance(error.detail, str):
        message = error.detail
    elif error.status_code == 404:
        message = tr("找不到请求的内容")
    elif error.status_code == 405:
        message = tr("不支持此请求方法")
    else:
        message = tr("请求无法处理（HTTP {status}）", status=error.status_code)
    return error_response(error.status_code, code, message, error.headers)


async def _on_unexpected_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return error_response(500, ErrorCode.INTERNAL, tr("服务器内部错误，请稍后重试"))
