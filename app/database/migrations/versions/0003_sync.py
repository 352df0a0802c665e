"""Sync: conflict records become synced rows; rejected changes are kept for a retry.

``conflicts`` gains the sync columns every synced row carries (``updated_at``, ``updated_by``,
``row_version``, ``deleted``) and the fields of the server's conflict record (``kind``,
``server_at``, ``client_at``, ``change_id``, ``resolved_by``). Existing conflicts keep their
values: ``updated_at`` starts as ``created_at``, ``row_version`` 0 (the server has not seen
them), ``kind`` ``field``. New table ``rejected_changes`` holds outbox entries the server refused.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEW_CONFLICT_COLUMNS = (
    "updated_by",
    "row_version",
    "deleted",
    "kind",
    "server_at",
    "client_at",
    "change_id",
    "resolved_by",
)


def upgrade() -> None:
    with op.batch_alter_table("conflicts") as batch:
        batch.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("updated_by", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("row_version", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="field")
        )
        batch.add_column(sa.Column("server_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("client_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("change_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.String(length=36), nullable=True))
    conflicts = sa.table("conflicts", sa.column("created_at"), sa.column("updated_at"))
    op.get_bind().execute(conflicts.update().values(updated_at=conflicts.c.created_at))
    with op.batch_alter_table("conflicts") as batch:
        batch.alter_column("updated_at", existing_type=sa.DateTime(timezone=True), nullable=False)

    op.create_table(
        "rejected_changes",
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("change_id", name=op.f("pk_rejected_changes")),
    )
    op.create_index("ix_rejected_changes_row_id", "rejected_changes", ["row_id"])


def downgrade() -> None:
    op.drop_index("ix_rejected_changes_row_id", table_name="rejected_changes")
    op.drop_table("rejected_changes")
    with op.batch_alter_table("conflicts") as batch:
        for column in ("updated_at", *NEW_CONFLICT_COLUMNS):
            batch.drop_column(column)
