"""``/sync/push``, ``/sync/pull`` and ``/sync/summary``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from app.sync.protocol import (
    API_PREFIX,
    PULL_PAGE_DEFAULT,
    PULL_PAGE_MAX,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
    SummaryResponse,
)
from server.api.deps import Client, CurrentUser, State
from server.sync.pull import pull_page, summary
from server.sync.push import push

router = APIRouter(prefix=f"{API_PREFIX}/sync", tags=["sync"])
ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody} for status in (401, 409, 413, 422, 426)
}


@router.post("/push", response_model=PushResponse, responses=ERRORS)
def push_changes(
    body: PushRequest, state: State, user: CurrentUser, client: Client
) -> PushResponse:
    return push(state.database, user, body, client)


@router.get(
    "/pull",
    response_class=Response,
    responses={200: {"model": PullResponse, "content": {"application/json": {}}}, **ERRORS},
)
def pull(
    state: State,
    user: CurrentUser,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=PULL_PAGE_MAX)] = PULL_PAGE_DEFAULT,
) -> Response:
    body = pull_page(state.database, user, cursor, limit, state.server_id)
    return Response(content=body, media_type="application/json")


@router.get("/summary", response_model=SummaryResponse, responses=ERRORS)
def sync_summary(state: State, user: CurrentUser) -> SummaryResponse:
    return summary(state.database, user)
