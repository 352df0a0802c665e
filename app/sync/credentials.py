"""Sync passwords: the OS keyring, or nowhere — never a file.

Entries are service ``SquadDesk``, user ``"{server_url}|{username}"``. A machine without a usable
keyring backend (keyring's ``fail`` backend, a chainer with nothing to chain, or any plaintext /
``keyrings.alt`` file backend, which must never hold a password) is reported with a translated
message, and the password is then asked for at each sync.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from contextlib import suppress

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail

from app.i18n import tr

SERVICE = "SquadDesk"
PASSWORD_ENV = "SQUADDESK_PASSWORD"
_PLAINTEXT_MODULES = ("keyrings.alt", "keyring.backends.null")
_PLAINTEXT_NAMES = ("plaintext", "encrypted", "file", "null")


def account(server_url: str, username: str) -> str:
    return f"{server_url}|{username}"


def keyring_problem() -> str:
    """Why passwords cannot be saved on this machine; ``""`` when the keyring is usable."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the app
        return tr("系统密码库无法使用，密码不会被保存，每次同步时需要输入")
    if _usable(backend):
        return ""
    if _plaintext(backend) or (
        isinstance(backend, chainer.ChainerBackend) and any(map(_plaintext, backend.backends))
    ):
        return tr("本机只有以明文保存密码的密码库，为安全起见不保存密码，每次同步时需要输入")
    return tr("本机没有可用的系统密码库（钥匙串/凭据管理器），密码不会被保存，每次同步时需要输入")


def keyring_available() -> bool:
    return keyring_problem() == ""


def load_password(server_url: str, username: str) -> str | None:
    """The saved password, or ``None`` (none saved, no usable keyring, or the keyring failed)."""
    if not username or not keyring_available():
        return None
    try:
        return keyring.get_password(SERVICE, account(server_url, username))
    except keyring.errors.KeyringError:
        return None


def save_password(server_url: str, username: str, password: str) -> bool:
    """Store the password in the OS keyring; False when there is no usable one or it failed."""
    if not keyring_available():
        return False
    try:
        keyring.set_password(SERVICE, account(server_url, username), password)
    except keyring.errors.KeyringError:
        return False
    return True


def forget_password(server_url: str, username: str) -> None:
    if not username or not keyring_available():
        return
    with suppress(keyring.errors.KeyringError):  # PasswordDeleteError when none was saved
        keyring.delete_password(SERVICE, account(server_url, username))


def saved_password(server_url: str, username: str) -> str | None:
    """``SQUADDESK_PASSWORD`` when set, else the keyring's."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    return load_password(server_url, username)


def resolve_password(
    server_url: str,
    username: str,
    prompt: Callable[[str], str] | None = getpass.getpass,
) -> str | None:
    """For the CLI: ``SQUADDESK_PASSWORD``, else the keyring, else asked on the terminal
    (only when stdin is a terminal); ``None`` when none of them gives one."""
    password = saved_password(server_url, username)
    if password:
        return password
    if prompt is None or not sys.stdin.isatty():
        return None
    try:
        answer = prompt(tr("{user} 在 {server} 的密码：", user=username, server=server_url))
    except EOFError:
        return None
    return answer or None


def _usable(backend: KeyringBackend) -> bool:
    if isinstance(backend, fail.Keyring) or _plaintext(backend):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        return bool(chained) and all(_usable(each) for each in chained)
    return True


def _plaintext(backend: KeyringBackend) -> bool:
    cls = type(backend)
    module = cls.__module__
    if module.startswith(_PLAINTEXT_MODULES):
        return True
    name = cls.__name__.lower()
    return module.startswith("keyrings.") and any(word in name for word in _PLAINTEXT_NAMES)
