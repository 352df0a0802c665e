"""Sync test set-up: laptops are real SQLite files copied from one migrated template."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.database.opening import database_path, open_local_database
from app.database.unit_of_work import Database
from app.services.workspace import Workspace

from .fake_server import MEMBER_A, MEMBER_B, SQUAD, FakeServer, FakeTransport
from .helpers import Laptop, MakeWorkspace, MemoryKeyring


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated database file (migrations run once per session)."""
    root = tmp_path_factory.mktemp("template")
    open_local_database(root).dispose()
    return database_path(root)


@pytest.fixture
def make_workspace(template_database: Path, tmp_path: Path) -> Iterator[MakeWorkspace]:
    """``make("a")``: a laptop's workspace in ``tmp_path/a``, closed after the test."""
    opened: list[Database] = []

    def make(name: str) -> Workspace:
        data_dir = tmp_path / name
        data_dir.mkdir()
        shutil.copyfile(template_database, database_path(data_dir))
        database = open_local_database(data_dir, create=False)
        opened.append(database)
        return Workspace(database, data_dir)

    yield make
    for database in opened:
        database.dispose()


@pytest.fixture
def server() -> FakeServer:
    server = FakeServer()
    server.put("squads", SQUAD, {"name": "新材料招商小分队", "region_code": None, "focus": ""})
    for member, name in ((MEMBER_A, "王芳"), (MEMBER_B, "赵强")):
        server.put(
            "members",
            member,
            {
                "name": name,
                "username": None,
                "squad_id": SQUAD,
                "role": "member",
                "title": "",
                "phone": "",
            },
        )
    return server


@pytest.fixture
def laptops(make_workspace: MakeWorkspace, server: FakeServer) -> Iterator[tuple[Laptop, Laptop]]:
    a = Laptop(make_workspace("a"), FakeTransport(server), "wang")
    b = Laptop(make_workspace("b"), FakeTransport(server), "zhao")
    a.sync()
    b.sync()
    yield a, b
