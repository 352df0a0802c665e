"""``/auth/login``, ``/auth/logout`` and ``/me``."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.sync.protocol import API_PREFIX, ErrorBody, LoginRequest, LoginResponse, UserInfo
from server.api.deps import Client, CurrentUser, State
from server.auth import login, logout, user_info

router = APIRouter(prefix=API_PREFIX, tags=["accounts"])
ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody} for status in (401, 409, 422, 426, 429)
}


@router.post("/auth/login", response_model=LoginResponse, responses=ERRORS)
def sign_in(body: LoginRequest, state: State, client: Client) -> LoginResponse:
    return login(state.database, body, client, state.server_id)


@router.post("/auth/logout", status_code=204, responses=ERRORS)
def sign_out(state: State, user: CurrentUser) -> Response:
    logout(state.database, user)
    return Response(status_code=204)


@router.get("/me", response_model=UserInfo, responses=ERRORS)
def me(state: State, user: CurrentUser) -> UserInfo:
    with state.database.read() as connection:
        return user_info(connection, user.username, user.member_id, user.squad_id, user.role.value)
