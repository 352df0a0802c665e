"""Pinyin initials of enterprise names, so typing ``hwjs`` finds 华为技术.

Adds ``enterprises.name_initials``, fills it for every existing enterprise, and indexes it.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from app.domain.names import pinyin_initials

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enterprises") as batch:
        batch.add_column(
            sa.Column("name_initials", sa.String(length=200), nullable=False, server_default="")
        )
    connection = op.get_bind()
    enterprises = sa.table(
        "enterprises", sa.column("id"), sa.column("name"), sa.column("name_initials")
    )
    rows = connection.execute(sa.select(enterprises.c.id, enterprises.c.name)).all()
    if rows:
        connection.execute(
            enterprises.update()
            .where(enterprises.c.id == sa.bindparam("row_id"))
            .values(name_initials=sa.bindparam("initials")),
            [{"row_id": row.id, "initials": pinyin_initials(row.name)} for row in rows],
        )
    op.create_index("ix_enterprises_name_initials", "enterprises", ["name_initials"])


def downgrade() -> None:
    op.drop_index("ix_enterprises_name_initials", table_name="enterprises")
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_column("name_initials")
