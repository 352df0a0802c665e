"""Fixtures: a real server process per server database (SQLite, and PostgreSQL when
``SQUADDESK_TEST_DATABASE_URL`` is set), users in two squads, laptops, a fault proxy, the
invariant checker.

The ``server`` fixture is one server per database kind for the whole session (tests make their
own records and check only their own devices' changes); tests that kill, empty or mass-delete on
the server take ``own_server`` instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from throwaway_postgres import PG_URL_ENV

from sync_faults.invariants import Checker
from sync_faults.laptops import Laptop
from sync_faults.proxy import FaultProxy
from sync_faults.servers import ServerProcess, postgres_database

SQUAD_A = "一队"
SQUAD_B = "二队"
USERS = (
    ("alice", SQUAD_A, "member"),
    ("bob", SQUAD_A, "member"),
    ("carol", SQUAD_A, "leader"),
    ("dave", SQUAD_B, "member"),
)

DB_KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here and item.fspath.basename != "test_proxy.py":
            item.add_marker(pytest.mark.slow)


@dataclass
class ServerSetup:
    """A running server, its database and the invariant checker for it."""

    process: ServerProcess
    database_url: str
    kind: str
    checker: Checker = field(init=False)

    def __post_init__(self) -> None:
        self.checker = Checker(self.database_url, self.process.data_dir)

    @property
    def url(self) -> str:
        return self.process.url


def _database_url(kind: str, directory: Path, stack: ExitStack) -> str:
    if kind == "postgres":
        if not os.environ.get(PG_URL_ENV):
            pytest.skip(f"{PG_URL_ENV} not set")
        return stack.enter_context(postgres_database())
    return f"sqlite:///{directory / 'squaddesk-server.db'}"


def start_server(kind: str, directory: Path, stack: ExitStack) -> ServerSetup:
    url = _database_url(kind, directory, stack)
    process = ServerProcess(directory, url)
    process.cli("migrate")
    with ThreadPoolExecutor(max_workers=len(USERS)) as pool:
        list(pool.map(lambda user: process.add_user(*user), USERS))
    process.start()
    stack.callback(process.stop)
    setup = ServerSetup(process, url, kind)
    stack.callback(setup.checker.dispose)
    return setup


@pytest.fixture(scope="session", params=DB_KINDS)
def shared_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerSetup]:
    with ExitStack() as stack:
        yield start_server(request.param, tmp_path_factory.mktemp("server"), stack)


@pytest.fixture
def server(shared_server: ServerSetup) -> ServerSetup:
    if not shared_server.process.alive:  # a previous test's failure must not spread
        shared_server.process.start()
    return shared_server


@pytest.fixture(scope="module", params=DB_KINDS)
def module_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServerSetup]:
    with ExitStack() as stack:
        yield start_server(request.param, tmp_path_factory.mktemp("own-server"), stack)


@pytest.fixture
def own_server(module_server: ServerSetup) -> ServerSetup:
    """A server for one test module alone: its tests may kill and restart it."""
    if not module_server.process.alive:
        module_server.process.start()
    return module_server


ProxyFactory = Callable[[ServerSetup], FaultProxy]


@pytest.fixture
def proxy_for() -> Iterator[ProxyFactory]:
    proxies: list[FaultProxy] = []

    def make(setup: ServerSetup) -> FaultProxy:
        proxy = FaultProxy(setup.process.port).start()
        proxies.append(proxy)
        return proxy

    yield make
    for proxy in proxies:
        proxy.stop()


LaptopFactory = Callable[..., Laptop]


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[LaptopFactory]:
    """``laptop(server, "alice", url=None)``: a new, empty client data dir for that user."""
    made: list[Laptop] = []

    def make(setup: ServerSetup, username: str, url: str | None = None) -> Laptop:
        new = Laptop(tmp_path / f"laptop-{len(made)}-{username}", username, url or setup.url)
        made.append(new)
        return new

    yield make
    for each in made:
        each.close()
