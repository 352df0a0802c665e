"""Where a bulk import's record rows go: the import transaction's connection, written from a
background thread so the database works while the next rows are parsed and checked.

PostgreSQL gets one ``COPY records … FROM STDIN`` for the whole import; SQLite gets
``executemany`` per chunk (its C loop releases the GIL while SQLite steps). The rows are
tuples in ``COLUMNS`` order. ``abort`` stops the stream so the transaction can roll back.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection

COLUMNS = (
    "id",
    "table_name",
    "scope",
    "parent_id",
    "data",
    "field_meta",
    "row_version",
    "deleted",
    "seq",
    "created_at",
    "updated_at",
    "updated_by",
    "blob_sha256",
)
QUEUED_CHUNKS = 4


class _Aborted(Exception):
    pass


class RecordSink:
    def __init__(self, connection: Connection, postgres: bool) -> None:
        raw = connection.connection.driver_connection
        assert raw is not None
        self._raw: Any = raw
        self._postgres = postgres
        self._queue: queue.Queue[list[tuple[Any, ...]] | None] = queue.Queue(QUEUED_CHUNKS)
        self._error: BaseException | None = None
        self._aborted = threading.Event()
        self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self._thread.start()

    def put(self, rows: list[tuple[Any, ...]]) -> None:
        self._raise_failure()
        while True:
            try:
                self._queue.put(rows, timeout=1)
                return
            except queue.Full:
                self._raise_failure()

    def close(self) -> None:
        """Wait until every row is written; raises what the writer hit."""
        self._queue.put(None)  # the end
        self._thread.join()
        self._raise_failure()

    def abort(self) -> None:
        """Stop writing (the rows already sent are rolled back with the transaction)."""
        self._aborted.set()
        self._thread.join()

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def _next(self) -> list[tuple[Any, ...]] | None:
        while True:
            if self._aborted.is_set():
                raise _Aborted
            try:
                return self._queue.get(timeout=0.2)
            except queue.Empty:
                continue

    def _chunks(self) -> Iterator[list[tuple[Any, ...]]]:
        while (rows := self._next()) is not None:
            yield rows

    def _run(self) -> None:
        columns = ", ".join(COLUMNS)
        try:
            if self._postgres:
                with (
                    self._raw.cursor() as cursor,
                    cursor.copy(f"COPY records ({columns}) FROM STDIN") as copy,
                ):
                    for rows in self._chunks():
                        for row in rows:
                            copy.write_row(row)
            else:
                marks = ", ".join("?" * len(COLUMNS))
                cursor = self._raw.cursor()
                try:
                    for rows in self._chunks():
                        cursor.executemany(
                            f"INSERT INTO records ({columns}) VALUES ({marks})", rows
                        )
                finally:
                    cursor.close()
        except _Aborted:
            return
        except BaseException as error:  # handed to the importing thread by put() and close()
            self._error = error
            with contextlib.suppress(_Aborted):
                while self._next() is not None:  # drain so put() and close() never block
                    pass
