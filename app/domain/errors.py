"""Expected failures. Each carries a message already translated for the user.

Anything that is not an ``AppError`` is a bug and reaches the crash handler.
"""

from __future__ import annotations


class AppError(Exception):
    """An expected failure the user can act on; ``str(error)`` is the message to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(AppError):
    """Bad input for one field; ``field`` names it so a form can point at it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NotFoundError(AppError):
    """A record asked for by id does not exist (or is deleted)."""


class DatabaseProblem(AppError):
    """The local database cannot be used as it is; nothing was changed."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # "corrupt" | "unreadable" | "locked" | "newer" | "not_squaddesk"


class ImportProblem(AppError):
    """An import file was refused as a whole; nothing was written."""
