"""Sign-in: argon2 password hashes, bearer tokens, and the login rate limit.

Tokens are ``secrets.token_urlsafe(32)``; only their SHA-256 is stored, with an expiry (30 days)
and a revocation time. Failed logins are rows of ``login_failures``: five for one user name
within 15 minutes refuse further attempts with 429 and ``Retry-After``, in every worker alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, func, insert, select, update

from app.database.codec import encode
from app.database.types import utc_now
from app.domain.vocabulary import Role
from app.i18n import tr
from app.sync.protocol import ErrorCode, LoginRequest, LoginResponse, UserInfo
from server.database.engine import ServerDatabase
from server.database.tables import login_failures, tokens, users
from server.devices import ClientVersions, bind_device
from server.errors import ApiError, unauthorized
from server.principal import Principal
from server.sync.records import read_records
from server.sync.validation import unstorable

TOKEN_LIFETIME = dt.timedelta(days=30)
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
"""argon2id at OWASP's recommended parameters (19 MiB, 2 passes, 1 lane): about 20 ms of one
core per sign-in. The library default (64 MiB, 3 passes, 4 lanes) costs ~160 ms of CPU over four
cores, which a server signing in a squad of laptops per sync cycle cannot afford; hashes made
with other parameters are re-hashed at the next sign-in."""
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))
"""Verified against when the user name is unknown, so both failures take the same time."""


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _failure_key(username: str) -> str:
    return username.strip().lower()[:50]


@dataclass(frozen=True, slots=True)
class _Account:
    id: str
    username: str
    password_hash: str
    member_id: str
    squad_id: str
    role: str


def login(
    database: ServerDatabase, request: LoginRequest, client: ClientVersions, server_id: str
) -> LoginResponse:
    if any(unstorable(text) for text in (request.username, request.password, request.device_id)):
        raise _wrong_credentials()
    if unstorable(request.device_name):
        raise ApiError(422, ErrorCode.INVALID_REQUEST, tr("设备名称含有无效的字符"))
    key = _failure_key(request.username)
    with database.read() as connection:
        _refuse_when_limited(connection, key)
        row = connection.execute(
            select(users).where(users.c.username == request.username, users.c.active)
        ).first()
    account = (
        None
        if row is None
        else _Account(
            row.id, row.username, row.password_hash, row.member_id, row.squad_id, row.role
        )
    )
    if account is None or not _verify(account.password_hash, request.password):
        if account is None:
            _verify(_DUMMY_HASH, request.password)
        with database.write() as connection:
            now = utc_now()
            connection.execute(
                delete(login_failures).where(
                    login_failures.c.username == key,
                    login_failures.c.failed_at <= now - FAILURE_WINDOW,
                )
            )
            connection.execute(insert(login_failures).values(username=key, failed_at=now))
        raise _wrong_credentials()
    token = secrets.token_urlsafe(32)
    now = utc_now()
    expires = now + TOKEN_LIFETIME
    with database.write() as connection:
        connection.execute(delete(login_failures).where(login_failures.c.username == key))
        bind_device(connection, account.id, request.device_id, request.device_name, client)
        connection.execute(
            insert(tokens).values(
                token_hash=token_digest(token),
                user_id=account.id,
                device_id=request.device_id,
                created_at=now,
                expires_at=expires,
            )
        )
        if HASHER.check_needs_rehash(account.password_hash):
            connection.execute(
                update(users)
                .where(users.c.id == account.id)
                .values(password_hash=hash_password(request.password))
            )
        info = user_info(
            connection, account.username, account.member_id, account.squad_id, account.role
        )
    return LoginResponse(
        token=token, expires_at=str(encode(expires)), server_id=server_id, user=info
    )


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _wrong_credentials() -> ApiError:
    return ApiError(401, ErrorCode.UNAUTHORIZED, tr("用户名或密码不正确"))


def _refuse_when_limited(connection: Connection, key: str) -> None:
    now = utc_now()
    count, oldest = connection.execute(
        select(func.count(), func.min(login_failures.c.failed_at)).where(
            login_failures.c.username == key,
            login_failures.c.failed_at > now - FAILURE_WINDOW,
        )
    ).one()
    if count < MAX_FAILURES or oldest is None:
        return
    if oldest.tzinfo is None:  # SQLite returns the aggregate as naive UTC text
        oldest = oldest.replace(tzinfo=dt.UTC)
    wait = max(1, math.ceil((oldest + FAILURE_WINDOW - now).total_seconds()))
    raise ApiError(
        429,
        ErrorCode.TOO_MANY_ATTEMPTS,
        tr("登录失败次数过多，请在 {minutes} 分钟后重试", minutes=math.ceil(wait / 60)),
        headers={"Retry-After": str(wait)},
        retry_after=wait,
    )


def user_info(
    connection: Connection, username: str, member_id: str, squad_id: str, role: str
) -> UserInfo:
    found = read_records(connection, [member_id, squad_id])
    member, squad = found.get(member_id), found.get(squad_id)
    return UserInfo(
        username=username,
        name=str(member.data.get("name") or username) if member else username,
        role=role,
        member_id=member_id,
        squad_id=squad_id,
        squad_name=str(squad.data.get("name") or "") if squad else "",
    )


def authenticate(database: ServerDatabase, authorization: str | None) -> Principal:
    """The user behind ``Authorization: Bearer <token>``; 401 when missing, expired or revoked."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized()
    digest = token_digest(token.strip())
    query = (
        select(
            tokens.c.expires_at,
            tokens.c.revoked_at,
            tokens.c.device_id,
            users.c.id,
            users.c.username,
            users.c.member_id,
            users.c.squad_id,
            users.c.role,
            users.c.active,
        )
        .join(users, users.c.id == tokens.c.user_id)
        .where(tokens.c.token_hash == digest)
    )
    with database.read() as connection:
        row = connection.execute(query).first()
    if row is None or row.revoked_at is not None or not row.active or row.expires_at <= utc_now():
        raise unauthorized()
    return Principal(
        user_id=row.id,
        username=row.username,
        member_id=row.member_id,
        squad_id=row.squad_id,
        role=Role(row.role),
        device_id=row.device_id,
        token_hash=digest,
    )


def logout(database: ServerDatabase, principal: Principal) -> None:
    with database.write() as connection:
        connection.execute(
            update(tokens)
            .where(tokens.c.token_hash == principal.token_hash, tokens.c.revoked_at.is_(None))
            .values(revoked_at=utc_now())
        )


def revoke_tokens(connection: Connection, user_id: str) -> int:
    """Revoke every live token of a user; returns how many."""
    result = connection.execute(
        update(tokens)
        .where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )
    return int(result.rowcount)
