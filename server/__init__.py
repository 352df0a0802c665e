"""``squaddesk-server``: the bureau's sync server (FastAPI), stateless over one database.

The wire contract is ``docs/sync-protocol.md`` with its models in ``app.sync.protocol``.
Nothing here imports Qt or ``ui``; the domain rules, column codec and merge come from ``app``.
"""
