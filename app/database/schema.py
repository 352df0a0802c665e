"""The schema revisions this build of the app knows, newest (the Alembic head) last.

Kept as plain constants so opening a current database never has to import Alembic;
a test checks them against the migration scripts.
"""

KNOWN_REVISIONS = ("0001", "0002", "0003", "0004")
SCHEMA_REVISION = KNOWN_REVISIONS[-1]
SYNC_SCHEMA_REVISION = "0003"
"""The newest revision that changed what syncs (synced tables and their fields).

Outbox entries and sync calls carry this one: later revisions so far are local only (0004 adds
the search index), so a bureau server need not be upgraded for them.
"""
