"""All tables. Importing this module registers every mapping on ``Base.metadata``."""

from app.database.tables.attachments import AttachmentRow
from app.database.tables.base import SYNC_COLUMNS, Base, Synced
from app.database.tables.bureau import BureauSettingRow
from app.database.tables.enterprise import (
    ChainLinkRow,
    ContactRow,
    DirectoryEntryRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    HonourDirectoryRow,
    IndustryChainRow,
)
from app.database.tables.fieldwork import (
    CommitmentRow,
    NegotiationNoteRow,
    TaskRow,
    TripMemberRow,
    TripRow,
    VisitAttendeeRow,
    VisitParticipantRow,
    VisitRow,
)
from app.database.tables.local import (
    ConflictRow,
    HistoryEntry,
    LocalSetting,
    OutboxEntry,
    RejectedChangeRow,
)
from app.database.tables.organisation import MemberRow, SquadRow
from app.database.tables.projects import (
    FundingEntryRow,
    ProblemRow,
    ProjectRow,
    StageChangeRow,
)

SYNCED_TABLES: tuple[type[Synced], ...] = (
    SquadRow,
    MemberRow,
    BureauSettingRow,
    EnterpriseRow,
    ContactRow,
    HonourDirectoryRow,
    DirectoryEntryRow,
    IndustryChainRow,
    ChainLinkRow,
    EnterpriseLinkRow,
    TripRow,
    TripMemberRow,
    VisitRow,
    VisitParticipantRow,
    VisitAttendeeRow,
    ProjectRow,
    StageChangeRow,
    FundingEntryRow,
    NegotiationNoteRow,
    CommitmentRow,
    ProblemRow,
    TaskRow,
    AttachmentRow,
)
"""Synced tables in an order where every row's references come before it."""

TABLE_BY_NAME: dict[str, type[Synced]] = {
    table.__table__.name: table  # type: ignore[attr-defined]
    for table in SYNCED_TABLES
}

__all__ = [
    "SYNCED_TABLES",
    "SYNC_COLUMNS",
    "TABLE_BY_NAME",
    "AttachmentRow",
    "Base",
    "BureauSettingRow",
    "ChainLinkRow",
    "CommitmentRow",
    "ConflictRow",
    "ContactRow",
    "DirectoryEntryRow",
    "EnterpriseLinkRow",
    "EnterpriseRow",
    "FundingEntryRow",
    "HistoryEntry",
    "HonourDirectoryRow",
    "IndustryChainRow",
    "LocalSetting",
    "MemberRow",
    "NegotiationNoteRow",
    "OutboxEntry",
    "ProblemRow",
    "ProjectRow",
    "RejectedChangeRow",
    "SquadRow",
    "StageChangeRow",
    "Synced",
    "TaskRow",
    "TripMemberRow",
    "TripRow",
    "VisitAttendeeRow",
    "VisitParticipantRow",
    "VisitRow",
]
