"""A real, nearly empty local database for the search tests, and ways to fill it.

Rows are written the ways the app writes them: enterprises through ``EnterpriseService``
(which fills the pinyin initials), everything else through ORM units of work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import ContactRow, NegotiationNoteRow, ProjectRow, VisitRow
from app.search.results import SearchKind, SearchResults
from app.search.service import SearchService
from app.services.enterprises import EnterpriseService
from app.services.workspace import Workspace

ACTOR = Actor(member_id=None)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path / "data")
    yield Workspace(database, tmp_path / "data")
    database.dispose()


@pytest.fixture
def search(workspace: Workspace) -> SearchService:
    return SearchService(workspace)


def add_enterprise(workspace: Workspace, name: str, **fields: Any) -> str:
    return EnterpriseService(workspace).create({"name": name, **fields})


def add_row(workspace: Workspace, row: Any) -> str:
    with workspace.database.write(ACTOR) as session:
        session.add(row)
        session.flush()
        return str(row.id)


def add_contact(workspace: Workspace, enterprise_id: str, name: str, **fields: Any) -> str:
    return add_row(workspace, ContactRow(enterprise_id=enterprise_id, name=name, **fields))


def add_visit(workspace: Workspace, enterprise_id: str, on: dt.date, **fields: Any) -> str:
    return add_row(workspace, VisitRow(enterprise_id=enterprise_id, visited_on=on, **fields))


def add_note(workspace: Workspace, enterprise_id: str, on: dt.date, **fields: Any) -> str:
    row = NegotiationNoteRow(enterprise_id=enterprise_id, held_on=on, **fields)
    return add_row(workspace, row)


def add_project(workspace: Workspace, enterprise_id: str, name: str, **fields: Any) -> str:
    return add_row(workspace, ProjectRow(enterprise_id=enterprise_id, name=name, **fields))


def found(results: SearchResults, kind: SearchKind) -> list[str]:
    """Titles of the hits of ``kind``, in order."""
    group = results.group(kind)
    return [] if group is None else [hit.title for hit in group.hits]


def found_ids(results: SearchResults, kind: SearchKind) -> list[str]:
    group = results.group(kind)
    return [] if group is None else [hit.record_id for hit in group.hits]
