"""Why a sync did not finish: one expected failure type with a kind the UI can act on."""

from __future__ import annotations

from typing import Literal

from app.domain.errors import AppError
from app.sync.protocol import ErrorCode

ProblemKind = Literal[
    "offline",  # the server cannot be reached (no network, refused, timed out, cut)
    "auth",  # wrong user name or password, expired token, too many attempts, no permission
    "password_needed",  # no password given, none saved
    "upgrade",  # this app is older than the server accepts: upgrade the app
    "server_outdated",  # this app is newer than the server understands: upgrade the server
    "other_server",  # the server is not the one this database synced with
    "mass_delete",  # a pull would delete many records: needs the user's confirmation
    "busy",  # another sync of this data dir is running
    "demo",  # demo databases never sync
    "server_error",  # the server failed or answered outside the protocol
    "tls",  # the server's certificate could not be verified
    "not_configured",  # no server address or user name, or an unusable address
]


class SyncProblem(AppError):
    """A sync stopped; ``str(problem)`` is a translated one-line message for the user.

    Nothing is lost: the outbox is intact and calling ``SyncEngine.run`` again retries.
    ``code``/``status`` carry the server's error code and HTTP status when it answered;
    ``table``/``count`` say what a ``mass_delete`` would delete.
    """

    def __init__(
        self,
        kind: ProblemKind,
        message: str,
        *,
        code: ErrorCode | None = None,
        status: int | None = None,
        retry_after: int | None = None,
        table: str = "",
        count: int = 0,
    ) -> None:
        super().__init__(message)
        self.kind: ProblemKind = kind
        self.code = code
        self.status = status
        self.retry_after = retry_after
        self.table = table
        self.count = count
