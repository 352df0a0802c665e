"""Names for codes and ids, shared by the views: regions, industries, members, squads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import MemberRow, SquadRow
from app.domain.industries import industry
from app.domain.regions import region_name
from app.services.weekly_figures_views import SquadOption


def region_label(code: str | None) -> str:
    if not code:
        return ""
    return region_name(code) or code


def industry_label(code: str | None) -> str:
    if not code:
        return ""
    found = industry(code)
    return found.name if found else code


def member_names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    wanted = {member_id for member_id in ids if member_id}
    if not wanted:
        return {}
    rows = session.execute(select(MemberRow.id, MemberRow.name).where(MemberRow.id.in_(wanted)))
    return {row.id: row.name for row in rows}


def squad_names(session: Session) -> dict[str, str]:
    return {row.id: row.name for row in session.execute(select(SquadRow.id, SquadRow.name))}


def split_tags(tags: str) -> tuple[str, ...]:
    return tuple(tag for tag in tags.split(",") if tag)


def as_date(value: object) -> dt.date:
    """A date from SQL results (SQLite hands back aggregate dates as ISO text)."""
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def squad_options(session: Session) -> tuple[SquadOption, ...]:
    """Every live squad by name, for the squad pickers of the reports and the dashboard."""
    return tuple(
        SquadOption(squad_id, name)
        for squad_id, name in session.execute(
            select(SquadRow.id, SquadRow.name)
            .where(SquadRow.deleted == false())
            .order_by(SquadRow.name, SquadRow.id)
        )
    )
