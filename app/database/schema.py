"""The schema revisions this build of the app knows, newest (the Alembic head) last.

Kept as plain constants so opening a current database never has to import Alembic;
a test checks them against the migration scripts.
"""

KNOWN_REVISIONS = ("0001", "0002", "0003")
SCHEMA_REVISION = KNOWN_REVISIONS[-1]
