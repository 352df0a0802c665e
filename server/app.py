"""The FastAPI application: ``create_app(config)``, and ``app_from_env`` for ``uvicorn --factory``.

The app keeps no state of its own beyond the engine: tokens, rate-limit counts, device seqs and
the feed counter are all in the database, so several worker processes can serve one
PostgreSQL database (``squaddesk-server --workers N`` runs ``server.app:app_from_env``).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from fastapi import FastAPI

from app.i18n import tr
from server.api import accounts, blobs, health, sync
from server.api.deps import ServerState
from server.blob_store_choice import open_blob_store
from server.config import MIGRATE_ENV, ConfigProblem, ServerConfig
from server.database.engine import ServerDatabase, head_revision, is_known_revision
from server.errors import install_error_handlers
from server.middleware import RequestGuard
from server.versions import app_version


def open_database(config: ServerConfig) -> ServerDatabase:
    """The database of ``config``, migrated to the newest schema when the config says so."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    database = ServerDatabase(config.database_url)
    try:
        current = database.revision()
        if current is not None and not is_known_revision(current):
            raise ConfigProblem(
                tr(
                    "服务器数据库来自更新版本的 squaddesk-server（数据库版本 {revision}，"
                    "本程序为 {head}）；请升级 squaddesk-server；未做任何改动",
                    revision=current,
                    head=head_revision(),
                )
            )
        if config.migrate:
            database.migrate()
        elif database.revision() != head_revision():
            raise ConfigProblem(
                tr("服务器数据库尚未升级到当前版本，请先运行“squaddesk-server migrate”")
            )
    except BaseException:
        database.dispose()
        raise
    return database


def create_app(config: ServerConfig) -> FastAPI:
    database = open_database(config)
    try:
        store = open_blob_store(config)
    except BaseException:
        database.dispose()
        raise
    state = ServerState(config, database, store, database.server_id())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()
        database.dispose()

    app = FastAPI(
        title="SquadDesk sync server",
        description="Sync server of SquadDesk (contract: docs/sync-protocol.md)",
        version=app_version(),
        lifespan=lifespan,
    )
    app.state.server = state
    install_error_handlers(app)
    app.add_middleware(RequestGuard)
    for module in (health, accounts, sync, blobs):
        app.include_router(module.router)
    return app


def app_from_env() -> FastAPI:
    """ASGI factory (``uvicorn --factory server.app:app_from_env``): the config comes from
    ``SQUADDESK_DATABASE_URL``, ``SQUADDESK_SERVER_DATA_DIR`` and the attachment store's
    variables (``server.config``). Pending migrations are applied unless
    ``SQUADDESK_SERVER_MIGRATE=0`` (``--workers`` migrates once before starting them)."""
    config = ServerConfig.from_env()
    return create_app(replace(config, migrate=_migrate_from_env()))


def _migrate_from_env() -> bool:
    return os.environ.get(MIGRATE_ENV, "1") != "0"
