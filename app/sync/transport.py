"""HTTP to the sync server: one ``requests.Session``, verified TLS, typed answers and errors.

Every call carries the protocol, schema and app version headers; every answer is validated with
the wire models of ``app.sync.protocol`` before anyone reads it. Failures become ``SyncProblem``
with a kind (offline, tls, auth, upgrade, …) and the server's error code when it gave one.
Certificates are always verified (``REQUESTS_CA_BUNDLE`` names a private CA); the token lives
only in this object's memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from app.database.schema import SYNC_SCHEMA_REVISION
from app.i18n import tr
from app.sync.errors import ProblemKind, SyncProblem
from app.sync.protocol import (
    API_PREFIX,
    HEADER_APP,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    PROTOCOL_VERSION,
    BlobStatus,
    ErrorBody,
    ErrorCode,
    Health,
    LoginRequest,
    LoginResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    SummaryResponse,
    UserInfo,
)
from app.version import app_version

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 120.0
DOWNLOAD_CHUNK = 256 * 1024
_Model = TypeVar("_Model", bound=BaseModel)


class Transport:
    """The client end of the HTTP API under ``server_url``."""

    def __init__(
        self,
        server_url: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
        schema: str = SYNC_SCHEMA_REVISION,
    ) -> None:
        self.server_url = server_url.rstrip("/")
        self.session = session if session is not None else requests.Session()
        if self.session.verify is False:
            raise ValueError("certificate verification must stay on")
        self.timeout = timeout
        self.token: str | None = None
        self.headers = {
            HEADER_PROTOCOL: str(PROTOCOL_VERSION),
            HEADER_SCHEMA: schema,
            HEADER_APP: app_version(),
        }

    # -- calls ----------------------------------------------------------------------------------

    def health(self) -> Health:
        return self._model(Health, self._call("GET", "/healthz", api=False))

    def login(
        self, username: str, password: str, device_id: str, device_name: str = ""
    ) -> LoginResponse:
        request = LoginRequest(
            username=username, password=password, device_id=device_id, device_name=device_name
        )
        answer = self._model(
            LoginResponse, self._call("POST", "/auth/login", json=request.model_dump(), auth=False)
        )
        self.token = answer.token
        return answer

    def logout(self) -> None:
        if self.token is None:
            return
        try:
            self._call("POST", "/auth/logout")
        finally:
            self.token = None

    def me(self) -> UserInfo:
        return self._model(UserInfo, self._call("GET", "/me"))

    def push(self, request: PushRequest) -> PushResponse:
        body = request.model_dump(mode="json")
        return self._model(PushResponse, self._call("POST", "/sync/push", json=body))

    def pull(self, cursor: int, limit: int) -> PullResponse:
        params = {"cursor": cursor, "limit": limit}
        return self._model(PullResponse, self._call("GET", "/sync/pull", params=params))

    def summary(self) -> SummaryResponse:
        return self._model(SummaryResponse, self._call("GET", "/sync/summary"))

    def blob_head(self, sha256: str) -> BlobStatus | None:
        """What the server holds of a blob; ``None`` when it has none of it."""
        try:
            response = self._call("HEAD", _blob_path(sha256))
        except SyncProblem as problem:
            if problem.status == 404:
                return None
            raise
        try:
            received = int(response.headers.get("Upload-Offset", "0"))
            size = int(response.headers.get("Upload-Length", "0"))
        except ValueError:
            raise _protocol_problem(tr("上传位置不是整数")) from None
        complete = response.headers.get("X-Blob-Complete", "0") == "1"
        return BlobStatus(sha256=sha256, size=size, received=received, complete=complete)

    def blob_patch(self, sha256: str, offset: int, total: int, chunk: bytes) -> BlobStatus:
        headers = {
            "Upload-Offset": str(offset),
            "Upload-Length": str(total),
            "Content-Type": "application/offset+octet-stream",
        }
        response = self._call("PATCH", _blob_path(sha256), data=chunk, headers=headers)
        return self._model(BlobStatus, response)

    def blob_get(self, sha256: str, sink: Callable[[bytes], None]) -> None:
        """Stream a blob's bytes into ``sink`` (the caller checks the hash)."""
        with self._streamed("GET", _blob_path(sha256)) as response:
            try:
                for chunk in response.iter_content(DOWNLOAD_CHUNK):
                    sink(chunk)
            except requests.RequestException as error:
                raise _network_problem(error) from error

    def close(self) -> None:
        self.session.close()

    # -- plumbing -------------------------------------------------------------------------------

    def _url(self, path: str, api: bool) -> str:
        return f"{self.server_url}{API_PREFIX if api else ''}{path}"

    def _request(
        self, method: str, path: str, *, api: bool, auth: bool, stream: bool, **kwargs: Any
    ) -> requests.Response:
        headers = dict(self.headers)
        headers.update(kwargs.pop("headers", {}))
        if auth and self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        try:
            response = self.session.request(
                method,
                self._url(path, api),
                headers=headers,
                timeout=self.timeout,
                stream=stream,
                **kwargs,
            )
        except requests.RequestException as error:
            raise _network_problem(error) from error
        if response.status_code >= 400:
            try:
                raise _http_problem(response)
            finally:
                response.close()
        return response

    def _call(
        self, method: str, path: str, *, api: bool = True, auth: bool = True, **kwargs: Any
    ) -> requests.Response:
        response = self._request(method, path, api=api, auth=auth, stream=False, **kwargs)
        return response

    @contextmanager
    def _streamed(self, method: str, path: str) -> Iterator[requests.Response]:
        response = self._request(method, path, api=True, auth=True, stream=True)
        try:
            yield response
        finally:
            response.close()

    @staticmethod
    def _model(model: type[_Model], response: requests.Response) -> _Model:
        try:
            return model.model_validate_json(response.content)
        except PydanticValidationError as error:
            details = error.errors()
            where = ".".join(str(part) for part in details[0]["loc"]) if details else ""
            reason = details[0]["msg"] if details else ""
            raise _protocol_problem(
                tr("{where}：{reason}", where=where or "-", reason=reason)
            ) from None


def _blob_path(sha256: str) -> str:
    return f"/blobs/{quote(sha256, safe='')}"


def _protocol_problem(detail: str) -> SyncProblem:
    return SyncProblem(
        "server_error", tr("服务器的回答不符合同步协议（{detail}），请联系管理员", detail=detail)
    )


def _network_problem(error: requests.RequestException) -> SyncProblem:
    if isinstance(error, requests.exceptions.SSLError):
        return SyncProblem(
            "tls",
            tr(
                "无法验证服务器的安全证书，未发送任何数据（如使用单位自有证书，"
                "请设置 REQUESTS_CA_BUNDLE）"
            ),
        )
    if isinstance(
        error,
        requests.exceptions.InvalidURL
        | requests.exceptions.MissingSchema
        | requests.exceptions.InvalidSchema,
    ):
        return SyncProblem("not_configured", tr("服务器地址无效，请检查同步设置"))
    if isinstance(error, requests.exceptions.Timeout):
        return SyncProblem("offline", tr("连接服务器超时，请检查网络后重试（更改已保留在本机）"))
    return SyncProblem("offline", tr("无法连接服务器，请检查网络后重试（更改已保留在本机）"))


def _http_problem(response: requests.Response) -> SyncProblem:
    status = response.status_code
    body: ErrorBody | None
    try:
        body = ErrorBody.model_validate_json(response.content)
    except (PydanticValidationError, ValueError):
        body = None
    code = body.error if body is not None else None
    message = body.message if body is not None else ""
    retry_after = body.retry_after if body is not None else None
    if retry_after is None:
        header = response.headers.get("Retry-After", "")
        retry_after = int(header) if header.isdigit() else None
    kind, text = _describe(status, code, message, retry_after)
    return SyncProblem(kind, text, code=code, status=status, retry_after=retry_after)


def _describe(
    status: int, code: ErrorCode | None, message: str, retry_after: int | None
) -> tuple[ProblemKind, str]:
    if code == ErrorCode.UPGRADE_REQUIRED:
        return "upgrade", tr("服务器要求更新本软件后才能同步；未同步的更改已保留在本机")
    if code == ErrorCode.SERVER_OUTDATED:
        return "server_outdated", tr(
            "服务器版本过旧，不支持本软件的数据结构，请联系管理员升级服务器；更改已保留在本机"
        )
    if code == ErrorCode.TOO_MANY_ATTEMPTS or status == 429:
        minutes = max(1, -(-(retry_after or 60) // 60))
        return "auth", tr("登录失败次数过多，请 {minutes} 分钟后再试", minutes=minutes)
    if status == 401:
        return "auth", tr("用户名或密码不正确，或登录已过期，请重新登录")
    if status == 403:
        return "auth", tr("服务器拒绝了请求：没有权限（{message}）", message=message or status)
    if status >= 500:
        return "server_error", tr(
            "服务器出错（HTTP {status}），请稍后重试；更改已保留在本机", status=status
        )
    return "server_error", tr(
        "服务器拒绝了请求（HTTP {status}：{message}）", status=status, message=message or "-"
    )
