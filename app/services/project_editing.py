"""Creating and editing projects, and handing a project to another 包抓责任人.

A new project starts at 线索 or 在谈 with its first stage change; its squad defaults to the
current member's squad and its responsible cadre to the current member ("谁签约、谁跟踪、谁落实").
The line of responsible cadres is read back from the record's change history, so a change made
on another laptop and pulled by sync shows with its author and time too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import (
    ChainLinkRow,
    EnterpriseRow,
    HistoryEntry,
    MemberRow,
    ProjectRow,
    SquadRow,
    StageChangeRow,
    TaskRow,
)
from app.database.types import utc_now
from app.domain.errors import ValidationError
from app.domain.project import (
    ProjectDraft,
    check_not_future,
    check_starting_stage,
    validate_project_draft,
)
from app.domain.vocabulary import ProjectStage, TaskStatus
from app.i18n import tr
from app.services.chains import read_link_choices
from app.services.history import HistorySource
from app.services.lookups import member_names
from app.services.member_choices import squad_members
from app.services.project_records import PROJECTS, live_project
from app.services.project_views import Choice, ProjectFormChoices, ResponsibleSpell
from app.services.workspace import Workspace

RESPONSIBLE = "responsible_id"


class ProjectEditingService:
    """New projects, their fields, and their responsible cadre."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today

    # -- reading ---------------------------------------------------------------------------------

    def form_choices(self, project_id: str | None = None) -> ProjectFormChoices:
        """Squads, chain links and members for the editor and the responsible-cadre picker:
        the project's squad's members (the current member's squad for a new project)."""
        member_id = self._workspace.current_member_id()
        with self._database.read() as session:
            me = session.get(MemberRow, member_id) if member_id else None
            if me is not None and me.deleted:
                me = None
            project = live_project(session, project_id) if project_id else None
            squad_id = project.squad_id if project else (me.squad_id if me else None)
            squads = session.execute(
                select(SquadRow.id, SquadRow.name)
                .where(SquadRow.deleted == false())
                .order_by(SquadRow.name, SquadRow.id)
            )
            links = read_link_choices(session)
            return ProjectFormChoices(
                squads=tuple(Choice(sid, name) for sid, name in squads),
                chain_links=tuple(Choice(link.id, link.label) for link in links),
                members=squad_members(
                    session,
                    squad_id,
                    also=[project.responsible_id if project else None, me.id if me else None],
                ),
                current_member_id=me.id if me else None,
                current_squad_id=me.squad_id if me else None,
                today=self._today(),
            )

    def draft_of(self, project_id: str) -> ProjectDraft:
        """The project's fields as the editor fills them in."""
        with self._database.read() as session:
            project = live_project(session, project_id)
            return ProjectDraft(
                name=project.name,
                enterprise_id=project.enterprise_id,
                squad_id=project.squad_id,
                chain_link_id=project.chain_link_id,
                content=project.content,
                site=project.site,
                land_mu=project.land_mu,
                contract_amount=project.contract_amount,
                phase1_amount=project.phase1_amount,
            )

    def responsible_history(self, project_id: str) -> tuple[ResponsibleSpell, ...]:
        """Every cadre who has been responsible for the project, oldest first, from the
        project's change history (local edits, imports and pulled changes alike)."""
        with self._database.read() as session:
            return read_responsible_history(session, live_project(session, project_id))

    # -- writing ---------------------------------------------------------------------------------

    def create(
        self,
        draft: ProjectDraft,
        *,
        stage: ProjectStage = ProjectStage.LEAD,
        stage_on: dt.date | None = None,
        responsible_id: str | None = None,
    ) -> str:
        """A new project at 线索 or 在谈 with its first stage change; its id."""
        clean = validate_project_draft(draft)
        check_starting_stage(stage)
        day = stage_on or self._today()
        check_not_future("stage_on", day, self._today(), tr("阶段日期"))
        member_id = self._workspace.current_member_id()
        with self._database.write(self._workspace.actor()) as session:
            me = _live_member(session, member_id) if member_id else None
            responsible = responsible_id or (me.id if me else None)
            if responsible is not None:
                _member(session, responsible, RESPONSIBLE)
            _check_references(session, clean)
            squad_id = clean.squad_id or (me.squad_id if me else None)
            project = ProjectRow(
                name=clean.name,
                enterprise_id=clean.enterprise_id,
                squad_id=squad_id,
                responsible_id=responsible,
                chain_link_id=clean.chain_link_id,
                stage=stage.value,
                stage_on=day,
                content=clean.content,
                site=clean.site,
                land_mu=clean.land_mu,
                contract_amount=clean.contract_amount,
                phase1_amount=clean.phase1_amount,
            )
            session.add(project)
            session.flush()
            session.add(
                StageChangeRow(
                    project_id=project.id,
                    from_stage=None,
                    to_stage=stage.value,
                    changed_on=day,
                    changed_by_id=member_id,
                    note="",
                )
            )
            return project.id

    def update(self, project_id: str, draft: ProjectDraft) -> None:
        """Change the project's fields (not its stage or responsible cadre) in one unit of work."""
        clean = validate_project_draft(draft)
        with self._database.write(self._workspace.actor()) as session:
            project = live_project(session, project_id)
            _check_references(session, clean)
            project.name = clean.name
            project.enterprise_id = clean.enterprise_id or project.enterprise_id
            project.squad_id = clean.squad_id
            project.chain_link_id = clean.chain_link_id
            project.content = clean.content
            project.site = clean.site
            project.land_mu = clean.land_mu
            project.contract_amount = clean.contract_amount
            project.phase1_amount = clean.phase1_amount

    def change_responsible(self, project_id: str, member_id: str, note: str = "") -> None:
        """Hand the project to another cadre. The change is kept in the project's history; a
        note (why, what was handed over) is kept as a done line of its 责任清单 (交接)."""
        note = note.strip()
        with self._database.write(self._workspace.actor()) as session:
            project = live_project(session, project_id)
            member = _member(session, member_id, RESPONSIBLE)
            if project.responsible_id == member.id:
                raise ValidationError(
                    RESPONSIBLE, tr("{name}已是该项目的包抓责任人", name=member.name)
                )
            before = (
                session.get(MemberRow, project.responsible_id) if project.responsible_id else None
            )
            project.responsible_id = member.id
            if note:
                session.add(
                    TaskRow(
                        title=tr(
                            "包抓责任人交接：{old} → {new}",
                            old=before.name if before else tr("未指定"),
                            new=member.name,
                        )[:200],
                        detail=note,
                        owner_id=member.id,
                        squad_id=project.squad_id or member.squad_id,
                        due_on=self._today(),
                        status=TaskStatus.DONE.value,
                        completed_at=utc_now(),
                        project_id=project.id,
                        enterprise_id=project.enterprise_id,
                    )
                )


def read_responsible_history(session: Session, project: ProjectRow) -> tuple[ResponsibleSpell, ...]:
    """``responsible_history`` inside the caller's session."""
    entries = [
        entry
        for entry in session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.table_name == PROJECTS, HistoryEntry.row_id == project.id)
            .order_by(HistoryEntry.changed_at, HistoryEntry.id)
        )
        if RESPONSIBLE in (entry.changes or {})
    ]
    ids = [project.responsible_id, *(entry.actor_id for entry in entries)]
    for entry in entries:
        ids += [str(value) for value in _pair(entry.changes[RESPONSIBLE]) if value]
    return _spells(project.responsible_id, entries, member_names(session, ids))


def _spells(
    current: str | None, entries: list[HistoryEntry], names: dict[str, str]
) -> tuple[ResponsibleSpell, ...]:
    spells: list[ResponsibleSpell] = []
    for entry in entries:
        old, new = _pair(entry.changes[RESPONSIBLE])
        when = (
            entry.changed_at if entry.changed_at.tzinfo else entry.changed_at.replace(tzinfo=dt.UTC)
        )
        if not spells and entry.op != "insert" and old:
            spells.append(_spell(str(old), None, "", "", names))
        if not spells and not new:
            continue
        if spells:
            last = spells[-1]
            if last.member_id == new:
                continue
            spells[-1] = ResponsibleSpell(
                last.member_id,
                last.member_name,
                last.since,
                when,
                last.changed_by_name,
                last.source,
            )
        source = HistorySource.of(entry.source)
        spells.append(
            _spell(
                str(new) if new else None,
                when,
                names.get(entry.actor_id or "", ""),
                source.label,
                names,
            )
        )
    if not spells and current:
        spells.append(_spell(current, None, "", "", names))
    return tuple(spells)


def _spell(
    member_id: str | None, since: dt.datetime | None, by: str, source: str, names: dict[str, str]
) -> ResponsibleSpell:
    name = names.get(member_id, "") if member_id else tr("未指定")
    return ResponsibleSpell(member_id, name, since, None, by, source)


def _pair(value: object) -> tuple[object, object]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, None


def _live_member(session: Session, member_id: str) -> MemberRow | None:
    member = session.get(MemberRow, member_id)
    return None if member is None or member.deleted else member


def _member(session: Session, member_id: str, field: str) -> MemberRow:
    member = _live_member(session, member_id)
    if member is None:
        raise ValidationError(field, tr("包抓责任人不存在（{id}）", id=member_id))
    return member


def _check_references(session: Session, draft: ProjectDraft) -> None:
    enterprise = session.get(EnterpriseRow, draft.enterprise_id) if draft.enterprise_id else None
    if enterprise is None or enterprise.deleted:
        raise ValidationError("enterprise_id", tr("所选企业不存在或已删除"))
    if draft.squad_id:
        squad = session.get(SquadRow, draft.squad_id)
        if squad is None or squad.deleted:
            raise ValidationError("squad_id", tr("所选小分队不存在"))
    if draft.chain_link_id:
        link = session.get(ChainLinkRow, draft.chain_link_id)
        if link is None or link.deleted:
            raise ValidationError("chain_link_id", tr("所选产业链环节不存在"))
