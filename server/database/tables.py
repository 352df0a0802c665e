"""The server's tables (SQLAlchemy Core). Domain records live generically in ``records``.

``records`` keeps every synced row of every client table as JSON (field → codec value, sync
columns excluded), so the server stores fields an older or newer client does not know and has
one feed index ``(scope, seq)``. ``field_meta`` says who changed each field, when, at which
row version and from which device (key ``"*"``: the insert, for fields not changed since).
``created_at``/``updated_at`` of records are kept in their wire form (ISO text) so a pull page
is built without converting them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

from app.database.types import UTCDateTime, id_column_type

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)

Json = JSON().with_variant(JSONB(), "postgresql")
"""JSON text on SQLite, JSONB on PostgreSQL."""

AutoId = BigInteger().with_variant(Integer(), "sqlite")
"""An auto-incremented 64-bit key (SQLite only autoincrements ``INTEGER PRIMARY KEY``)."""

FEED_COUNTER = "feed"
"""The ``counters`` row holding the last ``records.seq`` handed out."""

server_info = Table(
    "server_info",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", id_column_type(), primary_key=True),
    Column("username", String(50), nullable=False, unique=True),
    Column("password_hash", String(200), nullable=False),
    Column("member_id", id_column_type(), nullable=False),
    Column("squad_id", id_column_type(), nullable=False),
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", id_column_type(), ForeignKey("users.id"), nullable=False, index=True),
    Column("device_id", id_column_type(), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime(), nullable=True),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("username", String(50), nullable=False),
    Column("failed_at", UTCDateTime(), nullable=False),
    Index("ix_login_failures_username_failed_at", "username", "failed_at"),
)

devices = Table(
    "devices",
    metadata,
    Column("device_id", id_column_type(), primary_key=True),
    Column("user_id", id_column_type(), ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("last_device_seq", BigInteger, nullable=False),
    Column("app_version", String(40), nullable=False),
    Column("schema_version", String(10), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("id", id_column_type(), primary_key=True),
    Column("table_name", String(40), nullable=False),
    Column("scope", String(36), nullable=False),
    Column("parent_id", id_column_type(), nullable=True, index=True),
    Column("data", Json, nullable=False),
    Column("field_meta", Json, nullable=False),
    Column("row_version", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False),
    Column("seq", BigInteger, nullable=False, unique=True),
    Column("created_at", String(40), nullable=True),
    Column("updated_at", String(40), nullable=True),
    Column("updated_by", id_column_type(), nullable=True),
    Column("blob_sha256", String(64), nullable=True, index=True),
    Index("ix_records_scope_seq", "scope", "seq"),
)

change_log = Table(
    "change_log",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("change_id", id_column_type(), nullable=False, unique=True),
    Column("device_id", id_column_type(), nullable=False),
    Column("user_id", id_column_type(), nullable=False),
    Column("device_seq", BigInteger, nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("row_id", id_column_type(), nullable=False, index=True),
    Column("op", String(10), nullable=False),
    Column("fields", Json, nullable=False),
    Column("base", Json, nullable=False),
    Column("outcome", String(10), nullable=False),
    Column("code", String(30), nullable=True),
    Column("reason", Text, nullable=False),
    Column("conflict_ids", Json, nullable=False),
    Column("record_version", Integer, nullable=True),
    Column("committed_at", UTCDateTime(), nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False),
    Column("complete", Boolean, nullable=False),
    Column("created_by", id_column_type(), nullable=True),
    Column("created_at", UTCDateTime(), nullable=False),
)
