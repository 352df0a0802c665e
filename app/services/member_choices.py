"""Whom a user may pick: the members of a squad (promised by, reassign to), as frozen choices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import MemberRow, SquadRow


@dataclass(frozen=True, slots=True)
class MemberChoice:
    id: str
    name: str
    squad_name: str = ""


def squad_members(
    session: Session, squad_id: str | None, *, also: Iterable[str | None] = ()
) -> tuple[MemberChoice, ...]:
    """Live members of ``squad_id`` (every live member when it is None), by name, plus the
    members named in ``also`` (e.g. a promiser from another squad) so a picker can show them."""
    query = (
        select(MemberRow.id, MemberRow.name, SquadRow.name)
        .outerjoin(SquadRow, SquadRow.id == MemberRow.squad_id)
        .where(MemberRow.deleted == false())
    )
    if squad_id is not None:
        query = query.where(MemberRow.squad_id == squad_id)
    found = {
        member_id: MemberChoice(member_id, name, squad or "")
        for member_id, name, squad in session.execute(query)
    }
    extra = {member_id for member_id in also if member_id and member_id not in found}
    if extra:
        for member_id, name, squad in session.execute(
            select(MemberRow.id, MemberRow.name, SquadRow.name)
            .outerjoin(SquadRow, SquadRow.id == MemberRow.squad_id)
            .where(MemberRow.id.in_(extra))
        ):
            found[member_id] = MemberChoice(member_id, name, squad or "")
    return tuple(sorted(found.values(), key=lambda choice: (choice.name, choice.id)))
