"""Which clients this server talks to: protocol version and the range of client schemas."""

from __future__ import annotations

from app.database.schema import SYNC_SCHEMA_REVISION
from app.sync.protocol import MIN_CLIENT_SCHEMA, PROTOCOL_VERSION, ErrorCode
from app.version import app_version

__all__ = ["MAX_SCHEMA", "MIN_SCHEMA", "app_version", "revision_number", "version_problem"]


def revision_number(revision: str) -> int | None:
    """A revision string (``"0003"``) as a number, so ``"0010" > "0009"``; None if not one."""
    text = revision.strip()
    return int(text) if text.isdigit() else None


def _newest(*revisions: str) -> str:
    return max(revisions, key=lambda revision: revision_number(revision) or 0)


MIN_SCHEMA = MIN_CLIENT_SCHEMA
MAX_SCHEMA = _newest(SYNC_SCHEMA_REVISION, MIN_CLIENT_SCHEMA)
"""The newest client schema this build knows (never below the oldest it accepts)."""


def version_problem(protocol: str | None, schema: str | None) -> ErrorCode | None:
    """``upgrade_required`` for a missing or too old client, ``server_outdated`` for a client
    newer than this server; None when they can talk."""
    protocol_number = revision_number(protocol or "")
    schema_number = revision_number(schema or "")
    if protocol_number is None or schema_number is None:
        return ErrorCode.UPGRADE_REQUIRED
    if protocol_number > PROTOCOL_VERSION:
        return ErrorCode.SERVER_OUTDATED
    if protocol_number < PROTOCOL_VERSION:
        return ErrorCode.UPGRADE_REQUIRED
    minimum = revision_number(MIN_SCHEMA) or 0
    maximum = revision_number(MAX_SCHEMA) or 0
    if schema_number < minimum:
        return ErrorCode.UPGRADE_REQUIRED
    if schema_number > maximum:
        return ErrorCode.SERVER_OUTDATED
    return None
