"""User administration for the CLI: add, list, revoke, change password.

Adding a user writes, through the same record path as a push (so they get feed seqs and reach
every client), a ``squads`` record when the squad name is new and a ``members`` record, then the
``users`` row pointing at both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select, update

from app.database.types import utc_now
from app.domain.ids import new_id
from app.domain.vocabulary import Role
from app.i18n import tr
from app.sync.protocol import BUREAU_SCOPE
from server.auth import hash_password, revoke_tokens
from server.database.engine import ServerDatabase
from server.database.tables import records, tokens, users
from server.sync.records import RecordWriter, Stamp, feed_transaction, read_records
from server.sync.validation import unstorable

SERVER_STAMP = Stamp(member_id=None, device_id=None)


class AccountProblem(Exception):
    """A user command cannot be carried out; the message (translated) says why."""


@dataclass(frozen=True, slots=True)
class AddedUser:
    username: str
    role: Role
    squad_id: str
    squad_name: str
    squad_created: bool
    member_id: str


@dataclass(frozen=True, slots=True)
class UserLine:
    username: str
    role: str
    squad_name: str
    active: bool
    live_tokens: int
    created_at: dt.datetime


def check_username(username: str) -> str:
    if not username or len(username) > 50 or unstorable(username):
        raise AccountProblem(tr("用户名应为 1–50 个字符"))
    if any(character.isspace() for character in username) or not username.isprintable():
        raise AccountProblem(tr("用户名不能包含空格或控制字符：{name}", name=username))
    return username


def check_password(password: str) -> str:
    if not password or len(password) > 200 or unstorable(password):
        raise AccountProblem(tr("密码应为 1–200 个字符"))
    return password


def add_user(
    database: ServerDatabase, username: str, squad_name: str, role: Role, password: str
) -> AddedUser:
    check_username(username)
    squad_name = squad_name.strip()
    if not squad_name or len(squad_name) > 100 or unstorable(squad_name):
        raise AccountProblem(tr("小分队名称应为 1–100 个字符"))
    password_hash = hash_password(check_password(password))
    with feed_transaction(database) as writer:
        connection = writer.connection
        if connection.scalar(select(users.c.id).where(users.c.username == username)):
            raise AccountProblem(tr("用户 {name} 已存在", name=username))
        squad_id = find_squad(connection, squad_name)
        created = squad_id is None
        if squad_id is None:
            squad_id = _write(
                writer, "squads", {"name": squad_name, "region_code": None, "focus": ""}
            )
        member = {
            "name": username,
            "username": username,
            "squad_id": squad_id,
            "role": role.value,
            "title": "",
            "phone": "",
        }
        member_id = _write(writer, "members", member)
        connection.execute(
            users.insert().values(
                id=new_id(),
                username=username,
                password_hash=password_hash,
                member_id=member_id,
                squad_id=squad_id,
                role=role.value,
                active=True,
                created_at=utc_now(),
            )
        )
    return AddedUser(username, role, squad_id, squad_name, created, member_id)


def _write(writer: RecordWriter, table: str, data: dict[str, Any]) -> str:
    record = writer.insert(
        table=table,
        record_id=new_id(),
        scope=BUREAU_SCOPE,
        parent_id=None,
        data=data,
        deleted=False,
        stamp=SERVER_STAMP,
    )
    return record.id


def find_squad(connection: Connection, name: str) -> str | None:
    """The live squad record called ``name`` (the oldest, should there be several)."""
    query = (
        select(records.c.id)
        .where(
            records.c.table_name == "squads",
            records.c.scope == BUREAU_SCOPE,
            records.c.deleted.is_(False),
            records.c.data["name"].as_string() == name,
        )
        .order_by(records.c.seq)
        .limit(1)
    )
    found = connection.scalar(query)
    return None if found is None else str(found)


def list_users(database: ServerDatabase) -> list[UserLine]:
    now = utc_now()
    live = (
        select(tokens.c.user_id, func.count().label("live"))
        .where(tokens.c.revoked_at.is_(None), tokens.c.expires_at > now)
        .group_by(tokens.c.user_id)
        .subquery()
    )
    query = (
        select(users, func.coalesce(live.c.live, 0).label("live"))
        .outerjoin(live, live.c.user_id == users.c.id)
        .order_by(users.c.username)
    )
    with database.read() as connection:
        rows = connection.execute(query).all()
        squads = read_records(connection, {row.squad_id for row in rows})
    return [
        UserLine(
            username=row.username,
            role=row.role,
            squad_name=str(squads[row.squad_id].data.get("name", ""))
            if row.squad_id in squads
            else "",
            active=row.active,
            live_tokens=int(row.live),
            created_at=row.created_at,
        )
        for row in rows
    ]


def _user_id(connection: Connection, username: str) -> str:
    found = connection.scalar(select(users.c.id).where(users.c.username == username))
    if found is None:
        raise AccountProblem(tr("没有用户 {name}", name=username))
    return str(found)


def revoke_user(database: ServerDatabase, username: str) -> int:
    """Sign the user out everywhere (every token revoked); returns how many tokens."""
    with database.write() as connection:
        return revoke_tokens(connection, _user_id(connection, username))


def set_password(database: ServerDatabase, username: str, password: str) -> int:
    """A new password; every existing token is revoked. Returns how many tokens were."""
    password_hash = hash_password(check_password(password))
    with database.write() as connection:
        user_id = _user_id(connection, username)
        connection.execute(
            update(users).where(users.c.id == user_id).values(password_hash=password_hash)
        )
        return revoke_tokens(connection, user_id)
