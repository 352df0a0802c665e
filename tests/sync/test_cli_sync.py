"""``squaddesk-cli sync`` as a user runs it: one summary line, or one line naming the problem."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from app import cli
from app.database.opening import open_local_database
from app.services.workspace import DEMO_DATA
from app.sync import state

from .fake_server import SQUAD, FakeServer, FakeTransport


@pytest.fixture(autouse=True)
def no_saved_password(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SQUADDESK_PASSWORD", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    yield
    keyring.set_keyring(previous)


def sync(data_dir: Path, server: str = "https://sync.example.gov.cn", *extra: str) -> int:
    return cli.main(
        ["sync", "--server", server, "--user", "wang", "--data-dir", str(data_dir), *extra]
    )


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_a_sync_prints_one_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    server = FakeServer()
    server.put("squads", SQUAD, {"name": "新材料招商小分队", "region_code": None, "focus": ""})
    monkeypatch.setattr("app.sync.engine.Transport", lambda _url: FakeTransport(server))
    monkeypatch.setenv("SQUADDESK_PASSWORD", "secret")
    assert sync(tmp_path) == 0
    out = capsys.readouterr().out.strip()
    assert out == "已同步：上传 0 条，下载 1 条，冲突 0 条，被拒 0 条"
    database = open_local_database(tmp_path, create=False)
    try:
        saved = state.load(database)
    finally:
        database.dispose()
    assert (saved.server_url, saved.username) == ("https://sync.example.gov.cn", "wang")


def test_plain_http_to_another_machine_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sync(tmp_path / "d", "http://sync.example.gov.cn") == 1
    assert "https://" in one_line(capsys)
    assert not (tmp_path / "d").exists()


def test_no_password_anywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sync(tmp_path) == 1
    assert "SQUADDESK_PASSWORD" in one_line(capsys)


def test_a_demo_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_local_database(tmp_path)
    state.save(database, {DEMO_DATA: "small:42"})
    database.dispose()
    monkeypatch.setenv("SQUADDESK_PASSWORD", "secret")
    assert sync(tmp_path) == 1
    assert "演示" in one_line(capsys)


def test_an_unreachable_server(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SQUADDESK_PASSWORD", "secret")
    assert sync(tmp_path, "http://127.0.0.1:9") == 1
    assert "无法连接服务器" in one_line(capsys)
    database = open_local_database(tmp_path, create=False)
    try:
        assert state.load(database).last_sync_error is not None
    finally:
        database.dispose()
