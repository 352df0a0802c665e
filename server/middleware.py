"""Request guards in front of every route: client versions and body size (pure ASGI).

- ``/api/v1`` calls must carry ``X-SquadDesk-Protocol`` and ``X-SquadDesk-Schema`` within the
  range this server talks (426 ``upgrade_required`` / ``server_outdated`` otherwise).
- Bodies are limited (16 MiB JSON, 4 MiB per blob chunk): refused from ``Content-Length``
  before anything is read, and counted while streaming for chunked uploads (413).
- Every response names the worker process that served it (``X-SquadDesk-Worker: <pid>``), so
  an operator (and the multi-worker test) can see that ``--workers N`` spreads the load.
"""

from __future__ import annotations

import os

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.i18n import tr
from app.sync.protocol import (
    API_PREFIX,
    BLOB_CHUNK_MAX,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    MAX_JSON_BODY,
    ErrorCode,
)
from server.errors import error_response
from server.versions import MAX_SCHEMA, MIN_SCHEMA, version_problem

BLOB_PREFIX = f"{API_PREFIX}/blobs/"
HEADER_WORKER = "X-SquadDesk-Worker"


class BodyTooLarge(HTTPException):
    """Raised while reading a body that grows past its limit (FastAPI re-raises HTTP errors
    from the body reader, so the 413 handler answers it)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return tr("请求正文超过 {size} MiB 的上限", size=limit // (1024 * 1024))


def body_limit(path: str) -> int:
    return BLOB_CHUNK_MAX if path.startswith(BLOB_PREFIX) else MAX_JSON_BODY


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _naming_worker(send)
        path: str = scope["path"]
        headers = {name.decode("latin-1").lower(): value for name, value in scope["headers"]}
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            problem = version_problem(
                _text(headers.get(HEADER_PROTOCOL.lower())),
                _text(headers.get(HEADER_SCHEMA.lower())),
            )
            if problem is not None:
                await _version_refusal(problem)(scope, receive, send)
                return
        limit = body_limit(path)
        declared = _text(headers.get("content-length"))
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await error_response(413, ErrorCode.BODY_TOO_LARGE, too_large_message(limit))(
                scope, receive, send
            )
            return
        await self.app(scope, _counting(receive, limit), send)


def _text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("latin-1")


def _version_refusal(problem: ErrorCode) -> ASGIApp:
    if problem == ErrorCode.SERVER_OUTDATED:
        message = tr(
            "客户端版本比服务器新（服务器支持数据结构 {minimum}–{maximum}），请升级服务器",
            minimum=MIN_SCHEMA,
            maximum=MAX_SCHEMA,
        )
    else:
        message = tr(
            "客户端版本过旧（服务器支持数据结构 {minimum}–{maximum}），请升级 SquadDesk",
            minimum=MIN_SCHEMA,
            maximum=MAX_SCHEMA,
        )
    return error_response(426, problem, message)


def _naming_worker(send: Send) -> Send:
    worker = (HEADER_WORKER.lower().encode("latin-1"), str(os.getpid()).encode("latin-1"))

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", ()), worker]}
        await send(message)

    return wrapped


def _counting(receive: Receive, limit: int) -> Receive:
    received = 0

    async def wrapped() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped
