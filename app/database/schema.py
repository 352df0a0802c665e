"""The schema revisions this build of the app knows, newest (the Alembic head) last.

Kept as plain constants so opening a current database never has to import Alembic;
a test checks them against the migration scripts.
"""

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")
SCHEMA_REVISION = KNOWN_REVISIONS[-1]
SYNC_SCHEMA_REVISION = "0005"
"""The newest revision that changed what syncs (synced tables and their fields).

Outbox entries and sync calls carry this one. 0004 is local only (the search index); 0005 adds
the synced ``bureau_settings`` table.
"""
