"""``GET /healthz``: is the server up, which database is it, which clients does it take."""

from __future__ import annotations

from fastapi import APIRouter

from app.sync.protocol import PROTOCOL_VERSION, Health
from server.api.deps import State
from server.versions import MAX_SCHEMA, MIN_SCHEMA, app_version

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(state: State) -> Health:
    return Health(
        status="ok",
        server_id=state.database.server_id(),
        protocol=PROTOCOL_VERSION,
        min_schema=MIN_SCHEMA,
        max_schema=MAX_SCHEMA,
        app_version=app_version(),
    )
