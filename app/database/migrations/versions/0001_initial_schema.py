"""Initial schema: squads, members, enterprises, field work, projects, attachments, outbox.

Revision ID: 0001
Revises:
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = (
    "attachments",
    "conflicts",
    "history",
    "honour_directories",
    "industry_chains",
    "local_settings",
    "outbox",
    "squads",
    "chain_links",
    "members",
    "trips",
    "enterprises",
    "trip_members",
    "contacts",
    "directory_entries",
    "enterprise_links",
    "projects",
    "visits",
    "funding_entries",
    "negotiation_notes",
    "problems",
    "project_stage_changes",
    "tasks",
    "visit_attendees",
    "visit_participants",
    "commitments",
)

INDEXED = {
    "attachments": ("owner_id", "sha256"),
    "conflicts": ("row_id",),
    "history": ("row_id",),
    "outbox": ("row_id",),
    "chain_links": ("chain_id",),
    "members": ("squad_id", "username"),
    "trips": ("squad_id",),
    "enterprises": ("name_key", "owner_id", "squad_id", "uscc"),
    "trip_members": ("member_id", "trip_id"),
    "contacts": ("enterprise_id",),
    "directory_entries": ("directory_id", "enterprise_id", "uscc"),
    "enterprise_links": ("enterprise_id", "link_id"),
    "projects": (
        "chain_link_id",
        "enterprise_id",
        "responsible_id",
        "signed_on",
        "squad_id",
        "stage",
    ),
    "visits": (
        "author_id",
        "chain_link_id",
        "enterprise_id",
        "squad_id",
        "trip_id",
        "visited_on",
    ),
    "funding_entries": ("project_id",),
    "negotiation_notes": ("author_id", "enterprise_id", "held_on", "project_id"),
    "problems": ("enterprise_id", "owner_id", "project_id"),
    "project_stage_changes": ("changed_by_id", "changed_on", "project_id"),
    "tasks": (
        "due_on",
        "enterprise_id",
        "owner_id",
        "project_id",
        "squad_id",
        "status",
        "visit_id",
    ),
    "visit_attendees": ("contact_id", "visit_id"),
    "visit_participants": ("member_id", "visit_id"),
    "commitments": (
        "due_on",
        "enterprise_id",
        "negotiation_note_id",
        "project_id",
        "promised_by_id",
    ),
}


def _sync_columns() -> list[sa.Column[Any]]:
    """The sync metadata every synced row carries (DESIGN §5)."""
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=36), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "attachments",
        *_sync_columns(),
        sa.Column("owner_table", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("base_value", sa.JSON(), nullable=True),
        sa.Column("server_value", sa.JSON(), nullable=True),
        sa.Column("client_value", sa.JSON(), nullable=True),
        sa.Column("server_by", sa.String(length=36), nullable=True),
        sa.Column("client_by", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history")),
    )
    op.create_table(
        "honour_directories",
        *_sync_columns(),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honour_directories")),
    )
    op.create_table(
        "industry_chains",
        *_sync_columns(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("leader_name", sa.String(length=50), nullable=False),
        sa.Column("leader_title", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_industry_chains")),
    )
    op.create_table(
        "local_settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_local_settings")),
    )
    op.create_table(
        "outbox",
        sa.Column("device_seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=False),
        sa.Column("schema_version", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("device_seq", name=op.f("pk_outbox")),
        sa.UniqueConstraint("change_id", name=op.f("uq_outbox_change_id")),
    )
    op.create_table(
        "squads",
        *_sync_columns(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("focus", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_squads")),
    )
    op.create_table(
        "chain_links",
        *_sync_columns(),
        sa.Column("chain_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("position", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain_id"],
            ["industry_chains.id"],
            name=op.f("fk_chain_links_chain_id_industry_chains"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chain_links")),
    )
    op.create_table(
        "members",
        *_sync_columns(),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("username", sa.String(length=50), nullable=True),
        sa.Column("squad_id", sa.String(length=36), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squads.id"], name=op.f("fk_members_squad_id_squads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
    )
    op.create_table(
        "trips",
        *_sync_columns(),
        sa.Column("squad_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("destination", sa.String(length=200), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("leader_type", sa.String(length=30), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["squad_id"], ["squads.id"], name=op.f("fk_trips_squad_id_squads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trips")),
    )
    op.create_table(
        "enterprises",
        *_sync_columns(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("industry_code", sa.String(length=5), nullable=True),
        sa.Column("registered_capital", sa.BigInteger(), nullable=True),
        sa.Column("legal_representative", sa.String(length=50), nullable=False),
        sa.Column("headquarters", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.Column("website", sa.String(length=200), nullable=False),
        sa.Column("profile", sa.Text(), nullable=False),
        sa.Column("investment_intent", sa.Text(), nullable=False),
        sa.Column("intent_level", sa.String(length=20), nullable=False),
        sa.Column("land_mu", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("water_need", sa.String(length=100), nullable=False),
        sa.Column("power_need", sa.String(length=100), nullable=False),
        sa.Column("workforce_need", sa.Integer(), nullable=True),
        sa.Column("site_preference", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("squad_id", sa.String(length=36), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name=op.f("fk_enterprises_owner_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squads.id"], name=op.f("fk_enterprises_squad_id_squads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
    )
    op.create_table(
        "trip_members",
        *_sync_columns(),
        sa.Column("trip_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_trip_members_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trips.id"], name=op.f("fk_trip_members_trip_id_trips")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trip_members")),
    )
    op.create_table(
        "contacts",
        *_sync_columns(),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("mobile", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=100), nullable=False),
        sa.Column("wechat", sa.String(length=50), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_contacts_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_table(
        "directory_entries",
        *_sync_columns(),
        sa.Column("directory_id", sa.String(length=36), nullable=False),
        sa.Column("enterprise_name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("enterprise_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["directory_id"],
            ["honour_directories.id"],
            name=op.f("fk_directory_entries_directory_id_honour_directories"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_directory_entries_enterprise_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directory_entries")),
    )
    op.create_table(
        "enterprise_links",
        *_sync_columns(),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("link_id", sa.String(length=36), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_links_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["chain_links.id"], name=op.f("fk_enterprise_links_link_id_chain_links")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_links")),
    )
    op.create_table(
        "projects",
        *_sync_columns(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("squad_id", sa.String(length=36), nullable=True),
        sa.Column("responsible_id", sa.String(length=36), nullable=True),
        sa.Column("chain_link_id", sa.String(length=36), nullable=True),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("stage_on", sa.Date(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("land_mu", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("contract_amount", sa.BigInteger(), nullable=True),
        sa.Column("phase1_amount", sa.BigInteger(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["chain_link_id"],
            ["chain_links.id"],
            name=op.f("fk_projects_chain_link_id_chain_links"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_projects_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["responsible_id"], ["members.id"], name=op.f("fk_projects_responsible_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squads.id"], name=op.f("fk_projects_squad_id_squads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    op.create_table(
        "visits",
        *_sync_columns(),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("trip_id", sa.String(length=36), nullable=True),
        sa.Column("squad_id", sa.String(length=36), nullable=True),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("chain_link_id", sa.String(length=36), nullable=True),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("discussion", sa.Text(), nullable=False),
        sa.Column("outcomes", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["members.id"], name=op.f("fk_visits_author_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["chain_link_id"], ["chain_links.id"], name=op.f("fk_visits_chain_link_id_chain_links")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_visits_enterprise_id_enterprises")
        ),
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squads.id"], name=op.f("fk_visits_squad_id_squads")
        ),
        sa.ForeignKeyConstraint(["trip_id"], ["trips.id"], name=op.f("fk_visits_trip_id_trips")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visits")),
    )
    op.create_table(
        "funding_entries",
        *_sync_columns(),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_funding_entries_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_funding_entries")),
    )
    op.create_table(
        "negotiation_notes",
        *_sync_columns(),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=True),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("their_asks", sa.Text(), nullable=False),
        sa.Column("our_offers", sa.Text(), nullable=False),
        sa.Column("sticking_points", sa.Text(), nullable=False),
        sa.Column("next_round", sa.Text(), nullable=False),
        sa.Column("next_round_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["members.id"], name=op.f("fk_negotiation_notes_author_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_negotiation_notes_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_negotiation_notes_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_negotiation_notes")),
    )
    op.create_table(
        "problems",
        *_sync_columns(),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("resolution", sa.Text(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_problems_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name=op.f("fk_problems_owner_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_problems_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problems")),
    )
    op.create_table(
        "project_stage_changes",
        *_sync_columns(),
        sa.Column("project_id", sa.String(length=36), nullable=False),
        sa.Column("from_stage", sa.String(length=20), nullable=True),
        sa.Column("to_stage", sa.String(length=20), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("changed_by_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["members.id"],
            name=op.f("fk_project_stage_changes_changed_by_id_members"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_stage_changes_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_stage_changes")),
    )
    op.create_table(
        "tasks",
        *_sync_columns(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("squad_id", sa.String(length=36), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("enterprise_id", sa.String(length=36), nullable=True),
        sa.Column("project_id", sa.String(length=36), nullable=True),
        sa.Column("visit_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprises.id"], name=op.f("fk_tasks_enterprise_id_enterprises")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["members.id"], name=op.f("fk_tasks_owner_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_tasks_project_id_projects")
        ),
        sa.ForeignKeyConstraint(["squad_id"], ["squads.id"], name=op.f("fk_tasks_squad_id_squads")),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], name=op.f("fk_tasks_visit_id_visits")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_table(
        "visit_attendees",
        *_sync_columns(),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("contact_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_visit_attendees_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_visit_attendees_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_attendees")),
    )
    op.create_table(
        "visit_participants",
        *_sync_columns(),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("member_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_visit_participants_member_id_members")
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visits.id"], name=op.f("fk_visit_participants_visit_id_visits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_participants")),
    )
    op.create_table(
        "commitments",
        *_sync_columns(),
        sa.Column("enterprise_id", sa.String(length=36), nullable=False),
        sa.Column("project_id", sa.String(length=36), nullable=True),
        sa.Column("negotiation_note_id", sa.String(length=36), nullable=True),
        sa.Column("promised_by_id", sa.String(length=36), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("honoured_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_commitments_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["negotiation_note_id"],
            ["negotiation_notes.id"],
            name=op.f("fk_commitments_negotiation_note_id_negotiation_notes"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_commitments_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["promised_by_id"], ["members.id"], name=op.f("fk_commitments_promised_by_id_members")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    for table, columns in INDEXED.items():
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [column])
    op.create_index("ix_visits_enterprise_visited", "visits", ["enterprise_id", "visited_on"])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
