"""What every call goes through: version headers, body limits, one error body for everything."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.sync.protocol import (
    BLOB_CHUNK_MAX,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    MAX_JSON_BODY,
    MIN_CLIENT_SCHEMA,
    ErrorBody,
    Health,
)
from server.api import sync as sync_routes
from server.versions import MAX_SCHEMA

from .harness import VERSION_HEADERS, Server, api


def test_health_and_openapi_need_no_headers(server: Server) -> None:
    health = Health.model_validate(server.client.get("/healthz").json())
    assert health.status == "ok"
    assert health.server_id == server.state.server_id
    assert (health.min_schema, health.max_schema) == (MIN_CLIENT_SCHEMA, MAX_SCHEMA)
    spec = server.client.get("/openapi.json").json()
    assert {"/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/auth/login"} <= set(spec["paths"])


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "upgrade_required"),
        ({HEADER_SCHEMA: "0002"}, "upgrade_required"),
        ({HEADER_SCHEMA: "latest"}, "upgrade_required"),
        ({HEADER_SCHEMA: f"{int(MAX_SCHEMA) + 1:04d}"}, "server_outdated"),
        ({HEADER_PROTOCOL: "2"}, "server_outdated"),
        ({HEADER_PROTOCOL: "0"}, "upgrade_required"),
    ],
)
def test_clients_outside_the_version_range_get_426(
    server: Server, headers: dict[str, str], code: str
) -> None:
    sent = {**VERSION_HEADERS, **headers} if headers else {}
    for method, path in (("POST", "/auth/login"), ("GET", "/sync/pull"), ("GET", "/me")):
        response = server.client.request(method, api(path), headers=sent, json={})
        assert response.status_code == 426
        body = ErrorBody.model_validate(response.json())
        assert body.error == code
        assert MIN_CLIENT_SCHEMA in body.message


def test_an_oversized_json_body_gets_413_before_it_is_read(server: Server) -> None:
    body = b"{" + b" " * MAX_JSON_BODY + b"}"
    response = server.client.post(
        api("/sync/push"),
        content=body,
        headers={**VERSION_HEADERS, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


def _stream(total: int) -> Iterator[bytes]:
    block = b" " * 65536
    sent = 0
    while sent < total:
        yield block
        sent += len(block)


def test_a_streamed_body_is_cut_off_at_the_limit(server: Server) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    headers = {**alice.headers, "Upload-Offset": "0", "Upload-Length": str(BLOB_CHUNK_MAX * 2)}
    response = server.client.patch(
        api(f"/blobs/{'a' * 64}"), content=_stream(BLOB_CHUNK_MAX + 65536), headers=headers
    )
    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"
    json_headers = {**alice.headers, "Content-Type": "application/json"}
    pushed = server.client.post(
        api("/sync/push"), content=_stream(MAX_JSON_BODY + 65536), headers=json_headers
    )
    assert pushed.status_code == 413


def test_a_malformed_request_gets_422_naming_the_field(server: Server) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")
    change = alice.change("enterprises", "x", "insert", {})
    change["device_seq"] = 0
    response = alice.push_raw(change)
    assert response.status_code == 422
    body = ErrorBody.model_validate(response.json())
    assert body.error == "invalid_request"
    assert "changes.0.device_seq" in body.message
    not_json = server.client.post(
        api("/sync/push"),
        content=b"{",
        headers={**alice.headers, "Content-Type": "application/json"},
    )
    assert not_json.status_code == 422
    too_many = server.client.get(api("/sync/pull"), params={"limit": 5001}, headers=alice.headers)
    assert too_many.status_code == 422
    assert "limit" in too_many.json()["message"]


def test_unknown_routes_and_methods_get_the_error_body(server: Server) -> None:
    missing = server.client.get(api("/nothing"), headers=VERSION_HEADERS)
    assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    wrong = server.client.delete(api("/sync/push"), headers=VERSION_HEADERS)
    assert wrong.status_code == 405
    assert ErrorBody.model_validate(wrong.json()).message


def test_an_unexpected_failure_is_a_500_without_details(
    server: Server, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    server.add_user("alice", "一队")
    alice = server.laptop("alice")

    def broken(*_args: object) -> None:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(sync_routes, "summary", broken)
    response = server.client.get(api("/sync/summary"), headers=alice.headers)
    assert response.status_code == 500
    body = ErrorBody.model_validate(response.json())
    assert body.error == "internal"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert "secret detail" in caplog.text
