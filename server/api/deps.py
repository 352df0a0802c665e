"""What routes get injected: the server state, the signed-in user, the client's versions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.sync.protocol import HEADER_APP, HEADER_SCHEMA
from server.auth import authenticate
from server.blob_stores import BlobStore
from server.config import ServerConfig
from server.database.engine import ServerDatabase
from server.devices import ClientVersions
from server.errors import unauthorized
from server.principal import Principal


@dataclass(frozen=True, slots=True)
class ServerState:
    config: ServerConfig
    database: ServerDatabase
    blobs: BlobStore
    server_id: str


def get_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


_bearer = HTTPBearer(auto_error=False, description="The token from /auth/login (valid 30 days)")


def get_principal(
    state: Annotated[ServerState, Depends(get_state)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise unauthorized()
    return authenticate(state.database, f"{credentials.scheme} {credentials.credentials}")


def get_client(request: Request) -> ClientVersions:
    return ClientVersions(
        app_version=request.headers.get(HEADER_APP, ""),
        schema_version=request.headers.get(HEADER_SCHEMA, ""),
    )


State = Annotated[ServerState, Depends(get_state)]
CurrentUser = Annotated[Principal, Depends(get_principal)]
Client = Annotated[ClientVersions, Depends(get_client)]
