"""Passwords live in the OS keyring or nowhere; the CLI's order is env, keyring, prompt."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import chainer, fail

from app.sync import credentials

from .helpers import MemoryKeyring

URL = "https://sync.example.gov.cn"


@pytest.fixture(autouse=True)
def no_env_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(credentials.PASSWORD_ENV, raising=False)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


class PlaintextKeyring(MemoryKeyring):
    """Looks like keyrings.alt's file backend: must never hold a password."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_saved_in_the_keyring_under_server_and_user(memory_keyring: MemoryKeyring) -> None:
    assert credentials.keyring_problem() == ""
    assert credentials.save_password(URL, "wang", "pw1")
    assert memory_keyring.passwords == {("SquadDesk", f"{URL}|wang"): "pw1"}
    assert credentials.load_password(URL, "wang") == "pw1"
    assert credentials.load_password(URL, "zhao") is None
    credentials.forget_password(URL, "wang")
    credentials.forget_password(URL, "wang")  # forgetting twice is fine
    assert credentials.load_password(URL, "wang") is None


def test_without_a_keyring_nothing_is_saved_and_the_user_is_told(no_keyring: None) -> None:
    problem = credentials.keyring_problem()
    assert "密码库" in problem and "不会被保存" in problem
    assert not credentials.save_password(URL, "wang", "pw1")
    assert credentials.load_password(URL, "wang") is None


def test_a_chainer_with_nothing_to_chain_is_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    previous = keyring.get_keyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())  # type: ignore[no-untyped-call]
    try:
        assert credentials.keyring_problem() != ""
    finally:
        keyring.set_keyring(previous)


def test_a_plaintext_backend_is_never_used() -> None:
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    try:
        assert "明文" in credentials.keyring_problem()
        assert not credentials.save_password(URL, "wang", "pw1")
        assert backend.passwords == {}
    finally:
        keyring.set_keyring(previous)


def test_password_order_env_then_keyring_then_prompt(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def prompt(text: str) -> str:
        asked.append(text)
        return "typed"

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    assert credentials.resolve_password(URL, "wang", prompt) == "typed"
    assert asked and "wang" in asked[0]
    credentials.save_password(URL, "wang", "kept")
    assert credentials.resolve_password(URL, "wang", prompt) == "kept"
    monkeypatch.setenv(credentials.PASSWORD_ENV, "from-env")
    assert credentials.resolve_password(URL, "wang", prompt) == "from-env"
    assert len(asked) == 1


def test_no_prompt_without_a_terminal(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert credentials.resolve_password(URL, "wang", lambda _text: "typed") is None
