"""HTTP answers and failures become typed results and one-line problems with a kind."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import requests
from requests.adapters import BaseAdapter

from app.database.schema import SYNC_SCHEMA_REVISION
from app.sync.errors import SyncProblem
from app.sync.protocol import HEADER_APP, HEADER_PROTOCOL, HEADER_SCHEMA, ErrorCode
from app.sync.transport import Transport

URL = "https://sync.example.gov.cn"
Answer = tuple[int, dict[str, str], bytes]


class Canned(BaseAdapter):
    """Answers requests from a function, and remembers them."""

    def __init__(self, answer: Callable[[requests.PreparedRequest], Answer]) -> None:
        super().__init__()
        self.answer = answer
        self.seen: list[requests.PreparedRequest] = []

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> requests.Response:
        self.seen.append(request)
        status, headers, body = self.answer(request)
        response = requests.Response()
        response.status_code = status
        response.headers.update(headers)
        response._content = body
        response.request = request
        response.url = request.url or ""
        return response

    def close(self) -> None:
        pass


def transport_with(
    answer: Callable[[requests.PreparedRequest], Answer],
) -> tuple[Transport, Canned]:
    adapter = Canned(answer)
    session = requests.Session()
    session.mount("https://", adapter)
    return Transport(URL, session=session), adapter


def error(status: int, code: str, message: str = "m", **headers: str) -> Answer:
    return status, headers, json.dumps({"error": code, "message": message}).encode()


LOGIN = {
    "token": "tok",
    "expires_at": "2026-12-28T00:00:00+00:00",
    "server_id": "srv",
    "user": {
        "username": "wang",
        "name": "王芳",
        "role": "member",
        "member_id": "m1",
        "squad_id": "s1",
        "squad_name": "一队",
    },
}


def test_every_call_carries_versions_and_the_token_after_login() -> None:
    def answer(request: requests.PreparedRequest) -> Answer:
        if request.url and request.url.endswith("/auth/login"):
            return 200, {}, json.dumps(LOGIN).encode()
        return 200, {}, json.dumps({"cursor": 0, "tables": {}}).encode()

    transport, adapter = transport_with(answer)
    assert transport.login("wang", "pw", "dev").user.name == "王芳"
    transport.summary()
    login, summary = adapter.seen
    for request in adapter.seen:
        assert request.headers[HEADER_PROTOCOL] == "1"
        assert request.headers[HEADER_SCHEMA] == SYNC_SCHEMA_REVISION
        assert request.headers[HEADER_APP]
    assert "Authorization" not in login.headers
    assert summary.headers["Authorization"] == "Bearer tok"
    assert summary.url == f"{URL}/api/v1/sync/summary"


@pytest.mark.parametrize(
    ("answer", "kind", "words"),
    [
        (error(426, "upgrade_required"), "upgrade", "更新本软件"),
        (error(426, "server_outdated"), "server_outdated", "升级服务器"),
        (error(401, "unauthorized"), "auth", "密码"),
        (error(429, "too_many_attempts", **{"Retry-After": "600"}), "auth", "10 分钟"),
        (error(500, "internal"), "server_error", "HTTP 500"),
        ((502, {}, b"<html>bad gateway</html>"), "server_error", "HTTP 502"),
        ((200, {}, b'{"cursor": "x"}'), "server_error", "协议"),
    ],
)
def test_answers_become_problems(answer: Answer, kind: str, words: str) -> None:
    transport, _ = transport_with(lambda _request: answer)
    with pytest.raises(SyncProblem) as raised:
        transport.summary()
    assert raised.value.kind == kind
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_error_code_is_kept_for_the_engine() -> None:
    transport, _ = transport_with(lambda _request: error(409, "device_reused"))
    with pytest.raises(SyncProblem) as raised:
        transport.summary()
    assert raised.value.code == ErrorCode.DEVICE_REUSED and raised.value.status == 409


@pytest.mark.parametrize(
    ("failure", "kind"),
    [
        (requests.exceptions.ConnectionError("refused"), "offline"),
        (requests.exceptions.ReadTimeout("slow"), "offline"),
        (requests.exceptions.SSLError("self-signed"), "tls"),
    ],
)
def test_network_failures(failure: Exception, kind: str) -> None:
    def answer(_request: requests.PreparedRequest) -> Answer:
        raise failure

    transport, _ = transport_with(answer)
    with pytest.raises(SyncProblem) as raised:
        transport.summary()
    assert raised.value.kind == kind


def test_certificate_checks_cannot_be_switched_off() -> None:
    session = requests.Session()
    session.verify = False
    with pytest.raises(ValueError):
        Transport(URL, session=session)


def test_blob_head_reads_the_upload_headers() -> None:
    sha = "a" * 64

    def answer(request: requests.PreparedRequest) -> Answer:
        if request.url and request.url.endswith("b" * 64):
            return error(404, "not_found")
        headers = {"Upload-Offset": "10", "Upload-Length": "30", "X-Blob-Complete": "0"}
        return 200, headers, b""

    transport, _ = transport_with(answer)
    status = transport.blob_head(sha)
    assert status is not None and (status.received, status.size, status.complete) == (10, 30, False)
    assert transport.blob_head("b" * 64) is None
