"""Who is calling: the signed-in user behind a bearer token, and what they may read and write."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.vocabulary import Role
from app.sync.protocol import BUREAU_SCOPE


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: str
    username: str
    member_id: str
    squad_id: str
    role: Role
    device_id: str
    token_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def readable_scopes(self) -> tuple[str, ...] | None:
        """The scopes this user reads; None means every scope (an admin)."""
        return None if self.is_admin else (self.squad_id, BUREAU_SCOPE)

    def can_read(self, scope: str) -> bool:
        return self.is_admin or scope in (self.squad_id, BUREAU_SCOPE)
