"""Sign-in: argon2 hashes, tokens that expire and can be revoked, the login rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from app.sync.protocol import ErrorBody, ErrorCode, LoginResponse
from server.accounts import revoke_user, set_password
from server.auth import token_digest
from server.database.tables import login_failures, tokens, users

from .harness import PASSWORD, VERSION_HEADERS, Server, api


def test_login_returns_a_token_the_api_accepts(server: Server) -> None:
    added = server.add_user("alice", "新材料小分队")
    response = server.login_raw("alice")
    assert response.status_code == 200
    login = LoginResponse.model_validate(response.json())
    assert login.server_id == server.state.server_id
    assert login.user.member_id == added.member_id
    assert login.user.squad_id == added.squad_id
    assert login.user.squad_name == "新材料小分队"
    assert login.user.role == "member"
    expires = dt.datetime.fromisoformat(login.expires_at)
    assert dt.timedelta(days=29) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=30)
    me = server.client.get(
        api("/me"), headers={**VERSION_HEADERS, "Authorization": f"Bearer {login.token}"}
    )
    assert me.status_code == 200
    assert me.json()["username"] == "alice"


def test_only_an_argon2_hash_of_the_password_and_of_the_token_is_stored(server: Server) -> None:
    server.add_user("alice", "一队")
    laptop = server.laptop("alice")
    with server.state.database.read() as connection:
        stored = connection.scalar(select(users.c.password_hash))
        token_rows = connection.execute(select(tokens.c.token_hash)).scalars().all()
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert token_rows == [token_digest(laptop.token)]


@pytest.mark.parametrize(("name", "password"), [("alice", "wrong"), ("nobody", PASSWORD)])
def test_a_wrong_name_or_password_gets_the_same_401(
    server: Server, name: str, password: str
) -> None:
    server.add_user("alice", "一队")
    response = server.login_raw(name, password)
    assert response.status_code == 401
    body = ErrorBody.model_validate(response.json())
    assert body.error == ErrorCode.UNAUTHORIZED
    assert body.message == "用户名或密码不正确"


def test_five_failures_within_fifteen_minutes_refuse_further_logins(server: Server) -> None:
    server.add_user("alice", "一队")
    for _ in range(5):
        assert server.login_raw("alice", "wrong").status_code == 401
    refused = server.login_raw("alice", PASSWORD)  # even the right password now waits
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    body = ErrorBody.model_validate(refused.json())
    assert body.error == ErrorCode.TOO_MANY_ATTEMPTS
    assert body.retry_after == retry_after
    assert server.login_raw("ALICE ", "wrong").status_code == 429  # same name, other spelling

    with server.state.database.write() as connection:  # the failures age out of the window
        connection.execute(
            update(login_failures).values(
                failed_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16)
            )
        )
    assert server.login_raw("alice").status_code == 200


def test_a_success_clears_earlier_failures(server: Server) -> None:
    server.add_user("alice", "一队")
    for _ in range(4):
        server.login_raw("alice", "wrong")
    assert server.login_raw("alice").status_code == 200
    for _ in range(4):
        server.login_raw("alice", "wrong")
    assert server.login_raw("alice").status_code == 200


def test_an_expired_token_is_refused(server: Server) -> None:
    server.add_user("alice", "一队")
    laptop = server.laptop("alice")
    with server.state.database.write() as connection:
        connection.execute(
            update(tokens).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    response = server.client.get(api("/me"), headers=laptop.headers)
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_logout_and_revocation_stop_a_token_at_once(server: Server) -> None:
    server.add_user("alice", "一队")
    first, second, third = (server.laptop("alice") for _ in range(3))
    assert server.client.post(api("/auth/logout"), headers=first.headers).status_code == 204
    assert server.client.get(api("/me"), headers=first.headers).status_code == 401
    assert server.client.get(api("/me"), headers=second.headers).status_code == 200

    assert revoke_user(server.state.database, "alice") == 2
    assert server.client.get(api("/me"), headers=second.headers).status_code == 401
    assert server.client.get(api("/me"), headers=third.headers).status_code == 401


def test_a_new_password_revokes_tokens_and_replaces_the_old_one(server: Server) -> None:
    server.add_user("alice", "一队")
    laptop = server.laptop("alice")
    assert set_password(server.state.database, "alice", "new secret") == 1
    assert server.client.get(api("/me"), headers=laptop.headers).status_code == 401
    assert server.login_raw("alice", PASSWORD).status_code == 401
    assert server.login_raw("alice", "new secret").status_code == 200


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer not-a-token", "Basic YWxpY2U6eA=="]
)
def test_calls_without_a_valid_token_get_401(server: Server, authorization: str | None) -> None:
    headers = dict(VERSION_HEADERS)
    if authorization is not None:
        headers["Authorization"] = authorization
    for method, path in (("GET", "/me"), ("GET", "/sync/pull"), ("GET", "/sync/summary")):
        response = server.client.request(method, api(path), headers=headers)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"


def test_a_device_id_is_bound_to_its_first_user(server: Server) -> None:
    server.add_user("alice", "一队")
    server.add_user("bob", "一队")
    laptop = server.laptop("alice")
    assert server.login_raw("alice", device_id=laptop.device_id).status_code == 200
    response = server.login_raw("bob", device_id=laptop.device_id)
    assert response.status_code == 409
    assert response.json()["error"] == "device_reused"
