"""``HEAD``/``PATCH``/``GET /blobs/{sha256}``: resumable upload and download of attachment bytes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.i18n import tr
from app.sync.protocol import API_PREFIX, BlobStatus, ErrorBody, ErrorCode
from server.api.deps import CurrentUser, State
from server.blobs import blob_status, readable_blob, upload_chunk
from server.errors import ApiError, not_found

router = APIRouter(prefix=f"{API_PREFIX}/blobs", tags=["blobs"])
Sha = Annotated[
    str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content, lower-case hex")
]
OCTET_STREAM = "application/octet-stream"
ERRORS: dict[int | str, dict[str, object]] = {
    status: {"model": ErrorBody} for status in (401, 404, 409, 413, 422, 426)
}


def _status_headers(status: BlobStatus) -> dict[str, str]:
    return {
        "Upload-Offset": str(status.received),
        "Upload-Length": str(status.size),
        "X-Blob-Complete": "1" if status.complete else "0",
        "Cache-Control": "no-store",
    }


@router.head("/{sha256}", responses=ERRORS)
def blob_head(sha256: Sha, state: State, _user: CurrentUser) -> Response:
    status = blob_status(state.database, sha256)
    if status is None:
        raise not_found()
    return Response(status_code=200, headers=_status_headers(status))


@router.patch("/{sha256}", response_model=BlobStatus, responses=ERRORS)
async def blob_patch(
    sha256: Sha,
    request: Request,
    state: State,
    user: CurrentUser,
    upload_offset: Annotated[str, Header()],
    upload_length: Annotated[str, Header()],
) -> Response:
    offset = _header_number("Upload-Offset", upload_offset)
    length = _header_number("Upload-Length", upload_length)
    chunk = await request.body()
    status = await run_in_threadpool(
        upload_chunk, state.database, state.blobs, user, sha256, offset, length, chunk
    )
    return Response(
        content=status.model_dump_json(),
        media_type="application/json",
        headers=_status_headers(status),
    )


@router.get("/{sha256}", response_class=FileResponse, responses=ERRORS)
def blob_get(sha256: Sha, state: State, user: CurrentUser) -> Response:
    """The bytes: a file from the filesystem store, the object's body streamed from S3."""
    reading = readable_blob(state.database, state.blobs, user, sha256)
    if reading.path is not None:
        return FileResponse(reading.path, media_type=OCTET_STREAM)
    return StreamingResponse(
        reading.chunks,
        media_type=OCTET_STREAM,
        headers={"Content-Length": str(reading.size)},
    )


def _header_number(name: str, value: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise ApiError(
            422,
            ErrorCode.INVALID_REQUEST,
            tr("请求头 {name} 应为非负整数（{value}）", name=name, value=text[:40]),
        )
    return int(text)
