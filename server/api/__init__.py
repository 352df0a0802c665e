"""HTTP routes: health, accounts, sync and blobs (``/api/v1`` per docs/sync-protocol.md)."""
