"""What each project's dated stage history and funding entries say, as of any date.

The one definition of a milestone every KPI and overdue figure uses:

- **Reached stage S on date D**: D is the date of the project's first stage change into S *or
  any later pipeline stage* (线索 → 在谈 → 签约 → 注册 → 开工 → 竣工 → 投产). A project moved
  straight from 在谈 to 开工 on 5 March was signed, registered and started on 5 March. Exits
  (解约, 暂缓) reach nothing; a project keeps the stages it reached before it left.
- **Stage at a date**: the stage of its last change dated on or before that date (ties: the
  change recorded last). 解约 is terminal in practice, but a later change is honoured if one
  exists; 暂缓 can return.
- **Terminated by a date**: its stage at that date is 解约. ``terminated_on`` is the first
  change into 解约.
- **Funds received by a date** (实际到资累计): the sum of its funding entries dated on or before it.

Only the stage history counts, never the denormalised ``stage`` / ``stage_on`` / ``signed_on``
columns — except for a project with no stage history at all (imported bare), which is read as
one change into its ``stage`` on ``stage_on`` (and into 签约 on ``signed_on`` when set).
Tombstoned projects, changes and funding entries never count.

Everything is loaded in bulk (three queries, whatever the number of projects); the names a list
shows (enterprise, squad, cadre) are read afterwards for only the projects listed
(``load_labels``).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, Select, String, select, type_coerce
from sqlalchemy.orm import Session

from app.database.tables import (
    EnterpriseRow,
    FundingEntryRow,
    MemberRow,
    ProjectRow,
    SquadRow,
    StageChangeRow,
)
from app.domain.money import Money
from app.domain.vocabulary import PIPELINE, ProjectStage


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """One project's milestones and money."""

    project_id: str
    name: str
    enterprise_id: str
    squad_id: str | None
    responsible_id: str | None
    contract_amount: Money | None
    change_days: tuple[str, ...]
    """Stage history, oldest first: ISO dates, parallel to ``change_stages``."""
    change_stages: tuple[ProjectStage, ...]
    reached: tuple[dt.date | None, ...]
    """Indexed by pipeline order: the date each pipeline stage was first reached (or None)."""
    terminated_on: dt.date | None
    funding_dates: tuple[dt.date, ...]
    funding_totals: tuple[int, ...]
    """Cumulative fen received up to and including each of ``funding_dates``."""
    funded_from: dt.date | None
    """The first day the cumulative funds received were above zero."""

    @property
    def signed_on(self) -> dt.date | None:
        return self.reached[_SIGNED_INDEX]

    def reached_on(self, stage: ProjectStage) -> dt.date | None:
        """When the project first reached ``stage`` (or a later pipeline stage); None if never
        (and for the exits)."""
        order = _ORDER.get(stage)
        return None if order is None else self.reached[order]

    def has_reached(self, stage: ProjectStage, by: dt.date) -> bool:
        on = self.reached_on(stage)
        return on is not None and on <= by

    def stage_at(self, day: dt.date) -> ProjectStage | None:
        """Its stage on ``day`` (None before its first recorded change)."""
        index = bisect_right(self.change_days, day.isoformat())
        return self.change_stages[index - 1] if index else None

    def is_terminated(self, by: dt.date) -> bool:
        return self.terminated_on is not None and self.stage_at(by) is ProjectStage.TERMINATED

    def funded_by(self, day: dt.date) -> Money:
        index = bisect_right(self.funding_dates, day)
        return Money(self.funding_totals[index - 1]) if index else Money.zero()


@dataclass(frozen=True, slots=True)
class ProjectLabels:
    """The names a list row shows beside a project."""

    enterprise_name: str
    squad_name: str
    responsible_name: str


_ORDER = {stage: stage.order for stage in PIPELINE}
_STAGES = {stage.value: stage for stage in ProjectStage}
_SIGNED_INDEX = _ORDER[ProjectStage.SIGNED]
_ORDER_OF_VALUE = {stage.value: order for stage, order in _ORDER.items()}
_TERMINATED = ProjectStage.TERMINATED.value
Folded = tuple[
    tuple[str, ...], tuple[ProjectStage, ...], tuple[dt.date | None, ...], dt.date | None
]
History = list[tuple[str, str]]
"""(changed on, to stage) per change, as stored (ISO text, stage key)."""


def facts_from_history(
    changes: Sequence[tuple[str, str]],
    days: Mapping[str, dt.date] | None = None,
    *,
    signed_only: bool = False,
) -> Folded | None:
    """(change days, change stages, reached dates by pipeline order, first 解约) from a history
    of (ISO day, stage key) already sorted oldest first (same-day changes in recorded order).
    Unknown stage keys are skipped. ``days`` parses ISO days (a caching ``_Days``). With
    ``signed_only``, None for a history that never reaches 签约."""
    day = _Days() if days is None else days
    reached: list[str | None] = [None] * len(PIPELINE)
    terminated_on: str | None = None
    for on, to_stage in changes:
        order = _ORDER_OF_VALUE.get(to_stage)
        if order is not None:
            while order >= 0 and reached[order] is None:  # oldest first: the first is the min
                reached[order] = on
                order -= 1
        elif to_stage == _TERMINATED and terminated_on is None:
            terminated_on = on
    if signed_only and reached[_SIGNED_INDEX] is None:
        return None
    known = [(on, _STAGES[to_stage]) for on, to_stage in changes if to_stage in _STAGES]
    return (
        tuple([on for on, _stage in known]),
        tuple([stage for _on, stage in known]),
        tuple([None if on is None else day[on] for on in reached]),
        None if terminated_on is None else day[terminated_on],
    )


def load_project_facts(
    session: Session,
    *,
    squad_id: str | None = None,
    responsible_id: str | None = None,
    signed_only: bool = False,
    project_ids: Collection[str] | None = None,
) -> tuple[ProjectFacts, ...]:
    """Facts of every live project (of one squad / one responsible cadre / the given projects
    when given); with ``signed_only``, only the projects that have reached 签约."""
    connection = session.connection()
    projects = ProjectRow.__table__.c
    scope: list[ColumnElement[bool]] = [projects.deleted.is_not(True)]
    if project_ids is not None:
        scope.append(projects.id.in_(sorted(project_ids)))
    if squad_id is not None:
        scope.append(projects.squad_id == squad_id)
    if responsible_id is not None:
        scope.append(projects.responsible_id == responsible_id)
    rows = driver_rows(
        connection,
        select(
            projects.id,
            projects.name,
            projects.enterprise_id,
            projects.squad_id,
            projects.responsible_id,
            type_coerce(projects.contract_amount, BigInteger),
            type_coerce(projects.stage_on, String),
            type_coerce(projects.signed_on, String),
            projects.stage,
        ).where(*scope),
    )
    narrowed = len(scope) > 1  # a squad or cadre: walk its projects' rows by index
    history: dict[str, History] = {row[0]: [] for row in rows}
    changes = StageChangeRow.__table__.c
    query = (
        select(changes.project_id, type_coerce(changes.changed_on, String), changes.to_stage)
        .where(changes.deleted.is_not(True))
        .order_by(changes.project_id, changes.changed_on, changes.created_at, changes.id)
    )
    if narrowed:
        query = query.join(ProjectRow.__table__, projects.id == changes.project_id).where(*scope)
    for project_id, changed_on, to_stage in driver_rows(connection, query):
        known = history.get(project_id)
        if known is not None:
            known.append((changed_on, to_stage))
    money = _funding_entries(connection, history, scope if narrowed else None)
    day = _Days()
    facts: list[ProjectFacts] = []
    for (
        project_id,
        name,
        enterprise_id,
        squad,
        responsible,
        contract,
        stage_on,
        signed_on,
        stage,
    ) in rows:
        moves = history[project_id]  # oldest first, same-day changes in recorded order
        if not moves:
            moves = _bare_history(stage, stage_on, signed_on)
        folded = facts_from_history(moves, day, signed_only=signed_only)
        if folded is None:
            continue
        days, stages, reached, terminated_on = folded
        funding_dates, funding_totals, funded_from = _cumulative(money.get(project_id), day)
        facts.append(
            ProjectFacts(
                project_id=project_id,
                name=name,
                enterprise_id=enterprise_id,
                squad_id=squad,
                responsible_id=responsible,
                contract_amount=None if contract is None else Money(int(contract)),
                change_days=days,
                change_stages=stages,
                reached=reached,
                terminated_on=terminated_on,
                funding_dates=funding_dates,
                funding_totals=funding_totals,
                funded_from=funded_from,
            )
        )
    return tuple(facts)


def _funding_entries(
    connection: Connection, wanted: Container[str], scope: list[ColumnElement[bool]] | None
) -> dict[str, list[tuple[str, int]]]:
    """Project id → its funding entries (ISO day, fen), for the wanted projects."""
    money: dict[str, list[tuple[str, int]]] = {}
    funding = FundingEntryRow.__table__.c
    query = select(
        funding.project_id,
        type_coerce(funding.received_on, String),
        type_coerce(funding.amount, BigInteger),
    ).where(funding.deleted.is_not(True))
    if scope is not None:
        projects = ProjectRow.__table__.c
        query = query.join(ProjectRow.__table__, projects.id == funding.project_id).where(*scope)
    for project_id, received_on, amount in driver_rows(connection, query):
        if project_id in wanted:
            money.setdefault(project_id, []).append((received_on, int(amount or 0)))
    return money


def _cumulative(
    entries: list[tuple[str, int]] | None, day: Mapping[str, dt.date]
) -> tuple[tuple[dt.date, ...], tuple[int, ...], dt.date | None]:
    """(dates, cumulative fen, first day the total was above zero) of funding entries."""
    if not entries:
        return (), (), None
    entries.sort()
    running = 0
    totals: list[int] = []
    first: str | None = None
    for on, fen in entries:
        running += fen
        totals.append(running)
        if first is None and running > 0:
            first = on
    return (
        tuple([day[on] for on, _fen in entries]),
        tuple(totals),
        None if first is None else day[first],
    )


def load_labels(session: Session, facts: Iterable[ProjectFacts]) -> dict[str, ProjectLabels]:
    """Project id → enterprise, squad and responsible cadre names, for the given projects only
    (the enterprise table is large; squads and members are small)."""
    wanted = {fact.project_id: fact for fact in facts}
    squads = {key: name for key, name in session.execute(select(SquadRow.id, SquadRow.name))}
    members = {key: name for key, name in session.execute(select(MemberRow.id, MemberRow.name))}
    enterprises = enterprise_names(session, {fact.enterprise_id for fact in wanted.values()})
    return {
        project_id: ProjectLabels(
            enterprise_name=enterprises.get(fact.enterprise_id, ""),
            squad_name=squads.get(fact.squad_id, "") if fact.squad_id else "",
            responsible_name=members.get(fact.responsible_id, "") if fact.responsible_id else "",
        )
        for project_id, fact in wanted.items()
    }


def enterprise_names(session: Session, ids: Iterable[str]) -> dict[str, str]:
    """Enterprise id → registered name, read by primary key in chunks."""
    wanted = sorted(ids)
    names: dict[str, str] = {}
    enterprises = EnterpriseRow.__table__.c
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        query = select(enterprises.id, enterprises.name).where(enterprises.id.in_(chunk))
        names.update(driver_rows(session.connection(), query))
    return names


CHUNK = 500
"""Ids per ``IN (…)`` list: well under SQLite's bound-parameter limit."""


def driver_rows(connection: Connection, query: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The query's rows as plain tuples straight from the database driver, inside the
    session's transaction. For the bulk reads here (~100,000 rows) SQLAlchemy's per-row result
    handling costs about as much as SQLite's own work; these columns need none (dates come as
    ISO text, money as integer fen)."""
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    params = compiled.construct_params()
    names = compiled.positiontup or ()
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(compiled), [params[name] for name in names])
        return list(cursor.fetchall())
    finally:
        cursor.close()


class _Days(dict[str, dt.date]):
    """ISO text → date, each distinct day parsed once."""

    def __missing__(self, key: str) -> dt.date:
        value = self[key] = dt.date.fromisoformat(key)
        return value


def _bare_history(
    stage: str | None, stage_on: str | None, signed_on: str | None
) -> list[tuple[str, str]]:
    """A project without stage history, read from its denormalised columns."""
    changes: list[tuple[str, str]] = []
    if signed_on:
        changes.append((signed_on[:10], ProjectStage.SIGNED.value))
    if stage and stage_on:
        changes.append((stage_on[:10], stage))
    changes.sort(key=lambda change: change[0])  # same day: the current stage last
    return changes
