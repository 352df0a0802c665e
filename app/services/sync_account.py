"""账户与同步: which server and user this laptop syncs as, the saved password, offline mode."""

from __future__ import annotations

import ipaddress
import socket
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urlsplit

from app.domain.errors import ValidationError
from app.i18n import tr
from app.services.workspace import CURRENT_MEMBER, Workspace
from app.sync import credentials, state
from app.sync.engine import forget_tokens
from app.sync.errors import SyncProblem
from app.sync.local_tx import server_data_transaction
from app.sync.protocol import UserInfo
from app.sync.pull import other_server
from app.sync.transport import Transport

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True, slots=True)
class AccountSettings:
    server_url: str
    username: str
    offline_only: bool
    configured: bool
    keyring_available: bool
    keyring_problem: str  # translated; "" when passwords can be saved
    password_saved: bool


def normalise_server_url(raw: str) -> str:
    """``https://host[:port][/path]`` without a trailing slash, or ``ValidationError``.

    Plain ``http`` is accepted only for this machine (localhost, 127.0.0.1, ::1): anywhere else
    the password and the data would cross the network unencrypted.
    """
    text = raw.strip()
    if not text:
        raise ValidationError("server_url", tr("请填写服务器地址"))
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        raise ValidationError("server_url", tr("服务器地址“{url}”无效", url=text)) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise ValidationError(
            "server_url",
            tr("服务器地址应以 https:// 开头，例如 https://sync.example.gov.cn"),
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValidationError("server_url", tr("服务器地址“{url}”无效", url=text))
    if scheme == "http" and host.lower() not in LOCAL_HOSTS and not _is_loopback(host):
        raise ValidationError(
            "server_url",
            tr("为保护密码和数据，只有本机服务器可以用 http://，其他服务器请使用 https://"),
        )
    return f"{scheme}://{parts.netloc}{parts.path}".rstrip("/")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SyncAccountService:
    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace

    def settings(self) -> AccountSettings:
        saved = state.load(self._workspace.database)
        problem = credentials.keyring_problem()
        password_saved = (
            not problem
            and saved.configured
            and credentials.load_password(saved.server_url, saved.username) is not None
        )
        return AccountSettings(
            server_url=saved.server_url,
            username=saved.username,
            offline_only=saved.offline_only,
            configured=saved.configured,
            keyring_available=not problem,
            keyring_problem=problem,
            password_saved=password_saved,
        )

    def sign_in(self, server_url: str, username: str, password: str, remember: bool) -> UserInfo:
        """Check the account against the server, then remember it (and the password if asked)."""
        url = normalise_server_url(server_url)
        name = username.strip()
        if not name:
            raise ValidationError("username", tr("请填写用户名"))
        if not password:
            raise ValidationError("password", tr("请填写密码"))
        database = self._workspace.database
        if self._workspace.demo_label() is not None:
            raise SyncProblem("demo", tr("演示数据库不能同步（演示数据只在本机使用）"))
        saved = state.load(database)
        with server_data_transaction(database) as connection:
            device_id = state.ensure_device_id(connection)
        transport = Transport(url)
        try:
            answer = transport.login(name, password, device_id, socket.gethostname()[:100])
            with suppress(SyncProblem):  # the token is forgotten anyway
                transport.logout()
        finally:
            transport.close()
        if saved.server_id is not None and saved.server_id != answer.server_id:
            raise other_server()
        if saved.configured and (saved.server_url, saved.username) != (url, name):
            credentials.forget_password(saved.server_url, saved.username)
        state.save(
            database,
            {
                state.SERVER_URL: url,
                state.USERNAME: name,
                state.OFFLINE_ONLY: "0",
                state.SERVER_ID: answer.server_id,
                CURRENT_MEMBER: answer.user.member_id,
            },
        )
        if remember:
            credentials.save_password(url, name, password)
        else:
            credentials.forget_password(url, name)
        return answer.user

    def work_offline(self) -> None:
        state.save(self._workspace.database, {state.OFFLINE_ONLY: "1"})

    def sign_out(self) -> None:
        saved = state.load(self._workspace.database)
        credentials.forget_password(saved.server_url, saved.username)
        forget_tokens()
        state.save(self._workspace.database, {state.USERNAME: None})

    def saved_password(self) -> str | None:
        saved = state.load(self._workspace.database)
        return credentials.saved_password(saved.server_url, saved.username)
