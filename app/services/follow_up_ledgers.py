"""What the commitments ledger (政策兑现) and the enterprise problems list (诉求) share: whose
records a list covers (我的 / 本小分队 / 全部), rates shown as "87.5%" or "—", and the choices
their forms offer (members, an enterprise's projects).

Scope 我的 is the records the current member is the person on (promised / owns); 本小分队 adds
those whose person is in the member's squad and those whose enterprise or project belongs to
the squad. With no current member every scope is the whole database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from app.database.tables import EnterpriseRow, MemberRow, ProjectRow
from app.domain.errors import ValidationError
from app.i18n import tr
from app.services.member_choices import MemberChoice, squad_members
from app.services.negotiation_views import ProjectChoice

LIST_LIMIT = 2000
"""At most this many rows are loaded into a list; the total says how many match."""

EMPTY_RATE = "—"


class LedgerScope(StrEnum):
    MINE = "mine"
    SQUAD = "squad"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Rate:
    """A share such as 兑现率: ``numerator`` of ``denominator``; no value when nothing counts."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def text(self) -> str:
        """``87.5%``, or ``—`` when the denominator is zero (never a division by zero)."""
        value = self.value
        return EMPTY_RATE if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True, slots=True)
class FormChoices:
    """Who a form may name (the current member's squad, plus ``also``) and who is working."""

    members: tuple[MemberChoice, ...]
    current_member_id: str | None


def scope_condition(
    session: Session,
    member_id: str | None,
    scope: LedgerScope,
    person: InstrumentedAttribute[str | None],
    enterprise_id: InstrumentedAttribute[str],
    project_id: InstrumentedAttribute[str | None],
) -> ColumnElement[bool]:
    """Rows in ``scope`` for the member, by the row's own columns (no join needed): the person
    on it, and for 本小分队 also its enterprise's or project's squad."""
    member = session.get(MemberRow, member_id) if member_id else None
    if member is None or member.deleted or scope is LedgerScope.ALL:
        return true()
    if scope is LedgerScope.MINE or member.squad_id is None:
        return person == member.id
    squad = member.squad_id
    return or_(
        person == member.id,
        person.in_(select(MemberRow.id).where(MemberRow.squad_id == squad)),
        enterprise_id.in_(select(EnterpriseRow.id).where(EnterpriseRow.squad_id == squad)),
        project_id.in_(select(ProjectRow.id).where(ProjectRow.squad_id == squad)),
    )


@dataclass(frozen=True, slots=True)
class LedgerColumns:
    """Where a ledger (commitments, problems) keeps what its filter reads."""

    id: InstrumentedAttribute[str]
    deleted: InstrumentedAttribute[bool]
    person: InstrumentedAttribute[str | None]
    """Who is answerable: the promiser, the owner."""
    enterprise_id: InstrumentedAttribute[str]
    project_id: InstrumentedAttribute[str | None]
    texts: tuple[InstrumentedAttribute[str], ...]
    """The row's own text a filter looks in (beside enterprise, project and person names)."""


def matching(
    session: Session,
    member_id: str | None,
    scope: LedgerScope,
    text: str,
    columns: LedgerColumns,
    enterprise_id: str | None = None,
    project_id: str | None = None,
) -> tuple[Select[str], ColumnElement[bool]]:
    """The ids query and the condition of a ledger filter (one enterprise's or one project's
    records when given). Only a text filter needs the enterprise, project and person joined;
    the rest reads the row itself."""
    base = select(columns.id)
    condition = and_(
        columns.deleted == false(),
        scope_condition(
            session, member_id, scope, columns.person, columns.enterprise_id, columns.project_id
        ),
        columns.enterprise_id == enterprise_id if enterprise_id else true(),
        columns.project_id == project_id if project_id else true(),
    )
    if text.strip():
        person = aliased(MemberRow)
        base = (
            base.join(EnterpriseRow, EnterpriseRow.id == columns.enterprise_id)
            .outerjoin(ProjectRow, ProjectRow.id == columns.project_id)
            .outerjoin(person, person.id == columns.person)
        )
        condition = and_(
            condition,
            text_condition(
                text,
                *columns.texts,
                EnterpriseRow.name,
                func.coalesce(ProjectRow.name, ""),
                func.coalesce(person.name, ""),
            ),
        )
    return base, condition


def text_condition(
    text: str, *columns: ColumnElement[str] | InstrumentedAttribute[str]
) -> ColumnElement[bool]:
    """Any of ``columns`` holds ``text`` (case-insensitive for Latin letters)."""
    text = text.strip()
    if not text:
        return true()
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(false(), *(column.ilike(pattern, escape="\\") for column in columns))


def form_choices(
    session: Session, member_id: str | None, also: Iterable[str | None] = ()
) -> FormChoices:
    member = session.get(MemberRow, member_id) if member_id else None
    if member is not None and member.deleted:
        member = None
    return FormChoices(
        squad_members(
            session,
            member.squad_id if member else None,
            also=[member_id if member else None, *also],
        ),
        member.id if member else None,
    )


def projects_of(session: Session, enterprise_id: str) -> tuple[ProjectChoice, ...]:
    """The enterprise's live projects by name (what a project combo offers)."""
    query = (
        select(ProjectRow.id, ProjectRow.name)
        .where(ProjectRow.enterprise_id == enterprise_id, ProjectRow.deleted == false())
        .order_by(ProjectRow.name, ProjectRow.id)
    )
    return tuple(ProjectChoice(pid, name) for pid, name in session.execute(query))


def live_enterprise(session: Session, enterprise_id: str | None) -> EnterpriseRow:
    if not enterprise_id:
        raise ValidationError("enterprise_id", tr("请选择企业"))
    enterprise = session.get(EnterpriseRow, enterprise_id)
    if enterprise is None or enterprise.deleted:
        raise ValidationError("enterprise_id", tr("找不到该企业（{id}）", id=enterprise_id))
    return enterprise


def check_project(session: Session, enterprise_id: str, project_id: str | None) -> None:
    """``project_id`` (when given) is a live project of the enterprise."""
    if project_id is None:
        return
    project = session.get(ProjectRow, project_id)
    if project is None or project.deleted or project.enterprise_id != enterprise_id:
        raise ValidationError("project_id", tr("关联项目不属于该企业或已删除"))


def check_member(session: Session, field: str, member_id: str | None) -> None:
    if member_id is None:
        return
    member = session.get(MemberRow, member_id)
    if member is None or member.deleted:
        raise ValidationError(field, tr("所选人员不存在或已停用（{id}）", id=member_id))
