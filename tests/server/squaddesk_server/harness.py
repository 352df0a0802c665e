"""A real server app over a real database, and signed-in laptops talking to it over HTTP."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.exceptions import StarletteDeprecationWarning

from app.domain.ids import new_id
from app.domain.vocabulary import Role
from app.sync.protocol import (
    API_PREFIX,
    HEADER_APP,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    PROTOCOL_VERSION,
    PullResponse,
    PushResponse,
    RecordState,
)
from server.accounts import AddedUser, add_user
from server.api.deps import ServerState
from server.app import create_app
from server.config import ServerConfig
from server.versions import MAX_SCHEMA

with warnings.catch_warnings():  # starlette prefers httpx2; the httpx installed works the same
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PASSWORD = "correct horse"
VALID_USCC = "91110000600037341L"
VERSION_HEADERS = {
    HEADER_PROTOCOL: str(PROTOCOL_VERSION),
    HEADER_SCHEMA: MAX_SCHEMA,
    HEADER_APP: "0.1.0",
}


def api(path: str) -> str:
    return f"{API_PREFIX}{path}"


@dataclass
class Laptop:
    """One signed-in device: its token, device id and next device seq."""

    client: TestClient
    token: str
    device_id: str
    user: dict[str, Any]
    next_seq: int = 1

    @property
    def headers(self) -> dict[str, str]:
        return {**VERSION_HEADERS, "Authorization": f"Bearer {self.token}"}

    @property
    def squad_id(self) -> str:
        return str(self.user["squad_id"])

    @property
    def member_id(self) -> str:
        return str(self.user["member_id"])

    def change(
        self,
        table: str,
        row_id: str,
        op: str,
        fields: Mapping[str, Any],
        base: Mapping[str, Any] | None = None,
        base_version: int = 0,
    ) -> dict[str, Any]:
        """An outbox entry with the next device seq."""
        entry = {
            "change_id": new_id(),
            "device_seq": self.next_seq,
            "table": table,
            "row_id": row_id,
            "op": op,
            "fields": dict(fields),
            "base": {"row_version": base_version, "fields": dict(base or {})},
            "created_at": "2026-11-03T09:00:00+08:00",
        }
        self.next_seq += 1
        return entry

    def push_raw(self, *changes: Mapping[str, Any]) -> Any:
        body = {"device_id": self.device_id, "changes": list(changes)}
        return self.client.post(api("/sync/push"), json=body, headers=self.headers)

    def push(self, *changes: Mapping[str, Any]) -> PushResponse:
        response = self.push_raw(*changes)
        assert response.status_code == 200, response.text
        return PushResponse.model_validate(response.json())

    def push_one(self, *args: Any, **kwargs: Any) -> Any:
        """Push one change; returns its ChangeResult."""
        return self.push(self.change(*args, **kwargs)).results[0]

    def insert(self, table: str, fields: Mapping[str, Any], row_id: str | None = None) -> Any:
        return self.push_one(table, row_id or new_id(), "insert", fields)

    def pull(self, cursor: int = 0, limit: int = 1000) -> PullResponse:
        response = self.client.get(
            api("/sync/pull"), params={"cursor": cursor, "limit": limit}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        return PullResponse.model_validate(response.json())

    def pull_all(self) -> dict[str, RecordState]:
        """Every readable record by id, following has_more from cursor 0."""
        found: dict[str, RecordState] = {}
        cursor = 0
        while True:
            page = self.pull(cursor)
            found.update({record.id: record for record in page.records})
            cursor = page.next_cursor
            if not page.has_more:
                return found


@dataclass
class Server:
    client: TestClient
    config: ServerConfig
    state: ServerState
    devices: Iterator[int] = field(default_factory=itertools.count)

    def add_user(self, name: str, squad: str, role: str = "member") -> AddedUser:
        return add_user(self.state.database, name, squad, Role(role), PASSWORD)

    def login_raw(self, name: str, password: str = PASSWORD, device_id: str | None = None) -> Any:
        body = {
            "username": name,
            "password": password,
            "device_id": device_id or new_id(),
            "device_name": f"laptop {next(self.devices)}",
        }
        return self.client.post(api("/auth/login"), json=body, headers=VERSION_HEADERS)

    def laptop(self, name: str, device_id: str | None = None) -> Laptop:
        device_id = device_id or new_id()
        response = self.login_raw(name, device_id=device_id)
        assert response.status_code == 200, response.text
        body = response.json()
        return Laptop(self.client, body["token"], device_id, body["user"])


@contextmanager
def running_server(database_url: str, data_dir: Path) -> Iterator[Server]:
    config = ServerConfig(database_url=database_url, data_dir=data_dir)
    app = create_app(config)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Server(client, config, app.state.server)


def enterprise(name: str = "兰州新材料有限公司", **fields: Any) -> dict[str, Any]:
    """The fields of an enterprise insert, as a laptop sends them."""
    return {
        "name": name,
        "name_key": name,
        "name_initials": "",
        "uscc": None,
        "squad_id": None,
        "profile": "",
        "intent_level": "unknown",
        **fields,
    }
