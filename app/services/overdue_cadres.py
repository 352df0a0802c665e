"""督办清单 · 按责任人: per cadre, how many overdue items of each list they answer for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database.tables import MemberRow, SquadRow
from app.i18n import tr
from app.services.overdue_views import CadreLoad, OverdueList, OverdueRow


def no_cadre_name() -> str:
    return tr("（未指定责任人）")


def member_squads(session: Session) -> dict[str, str]:
    """Member id → the name of their squad."""
    return {
        member_id: squad_name or ""
        for member_id, squad_name in session.execute(
            select(MemberRow.id, SquadRow.name).outerjoin(
                SquadRow, SquadRow.id == MemberRow.squad_id
            )
        )
    }


def group_by_cadre(
    not_started: Sequence[OverdueRow],
    three_nots: Sequence[OverdueRow],
    commitments: Sequence[OverdueRow],
    problems: Sequence[OverdueRow],
    member_squads: dict[str, str],
) -> tuple[CadreLoad, ...]:
    """Per cadre (and one line for items nobody answers for): the count of each list, most
    items first."""
    counts: dict[str | None, dict[OverdueList, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[str | None, str] = {}
    longest: dict[str | None, int] = defaultdict(int)
    for rows in (not_started, three_nots, commitments, problems):
        for row in rows:
            counts[row.cadre_id][row.list] += 1
            names.setdefault(row.cadre_id, row.cadre_name or no_cadre_name())
            longest[row.cadre_id] = max(longest[row.cadre_id], row.overdue_days)
    loads = [
        CadreLoad(
            cadre_id=cadre_id,
            cadre_name=names[cadre_id],
            squad_name=member_squads.get(cadre_id, "") if cadre_id else "",
            not_started=by_list[OverdueList.NOT_STARTED],
            three_nots=by_list[OverdueList.THREE_NOTS],
            commitments=by_list[OverdueList.COMMITMENTS],
            problems=by_list[OverdueList.PROBLEMS],
            longest_overdue_days=longest[cadre_id],
        )
        for cadre_id, by_list in counts.items()
    ]
    loads.sort(key=lambda load: (load.cadre_id is None, -load.total, load.cadre_name))
    return tuple(loads)
