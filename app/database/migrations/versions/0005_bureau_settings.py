"""Bureau settings: the synced rules a bureau admin sets for every laptop.

New table ``bureau_settings`` (one row per key, value JSON): evidence required per project gate,
overdue thresholds, KPI formulas. Absent keys take their declared defaults, so an empty table
means the defaults and nothing needs filling here.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bureau_settings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_settings")),
    )
    op.create_index(op.f("ix_bureau_settings_key"), "bureau_settings", ["key"])


def downgrade() -> None:
    op.drop_index(op.f("ix_bureau_settings_key"), table_name="bureau_settings")
    op.drop_table("bureau_settings")
