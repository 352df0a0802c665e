"""Importing an enterprise list (企业名单) from .xlsx/.xlsm/.csv: preview, import, undo.

Rows are matched against the library by USCC, then by normalised name (``name_key``), in a few
batched queries. A row naming an existing enterprise either updates it (the mapped non-empty
fields overwrite, tags are united, the registered name is kept) or is skipped, as the user
chooses. A row whose name matches an enterprise holding a different USCC is rejected: two
different codes under one name need a person to look. Everything valid is written in ONE unit
of work (change tracking queues each record for sync and keeps its history), or nothing is.
New enterprises go to the current member's squad with the member as 包抓责任人.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import false, select
from sqlalchemy.orm import Session

from app.database.tables import EnterpriseRow
from app.database.types import utc_now
from app.domain.errors import ImportProblem
from app.domain.ids import new_id
from app.i18n import tr
from app.importers.columns import ColumnMapping
from app.importers.enterprise_rows import ReadRow, RowsRead, mapping_notes, read_rows, reason_of
from app.importers.rejected_workbook import write_rejected
from app.importers.sheets import Sheet, read_sheet
from app.services.enterprise_import_receipts import (
    ImportReceipt,
    chunks,
    keep_receipt,
    load_receipt,
    load_receipts,
    undo_receipt,
)
from app.services.enterprise_import_views import (
    ImportCounts,
    ImportPreview,
    ImportRecord,
    ImportResult,
    OnDuplicate,
    PreviewRow,
    RejectedRow,
    RowStatus,
    UndoImportResult,
)
from app.services.enterprise_import_writer import Existing, ImportWriter, Progress
from app.services.workspace import Workspace

PREVIEW_ROWS = 50
IMPORT_SOURCE = "import"
"""History shows these edits as 本机导入."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """Every row of the file sorted into new, existing (row number → match) and rejected."""

    sheet: Sheet
    read: RowsRead
    new: tuple[ReadRow, ...]
    existing: tuple[tuple[ReadRow, Existing], ...]
    rejected: tuple[tuple[ReadRow, str], ...]


class EnterpriseImportService:
    """The import wizard's and ``squaddesk-cli import FILE.xlsx``'s use cases."""

    def __init__(self, workspace: Workspace, today: Callable[[], dt.date] = dt.date.today) -> None:
        self._workspace = workspace
        self._database = workspace.database
        self._today = today

    def preview(self, path: Path, mapping: ColumnMapping | None = None) -> ImportPreview:
        """What importing ``path`` with ``mapping`` (None: detected) would do; writes nothing."""
        sheet = read_sheet(path)
        mapping = _fitted(mapping, sheet) if mapping else ColumnMapping.detect(sheet.headers)
        read = read_rows(sheet, mapping, self._today())
        with self._database.read() as session:
            plan = _plan(session, sheet, read)
        status: dict[int, tuple[RowStatus, str, str]] = {}
        for row in plan.new:
            status[row.number] = (RowStatus.NEW, "", "")
        for row, match in plan.existing:
            status[row.number] = (
                RowStatus.EXISTING,
                tr("已有企业：{name}", name=match.name),
                match.name,
            )
        for row, reason in plan.rejected:
            status[row.number] = (RowStatus.REJECTED, reason, "")
        shown = tuple(
            PreviewRow(
                number=row.number,
                cells=row.cells,
                status=status[row.number][0],
                problems=tuple((p.column, p.message) for p in row.problems),
                reason=status[row.number][1],
                existing_name=status[row.number][2],
            )
            for row in read.rows[:PREVIEW_ROWS]
        )
        return ImportPreview(
            file_name=sheet.file_name,
            sheet_name=sheet.name,
            header_row=sheet.header_row,
            headers=sheet.headers,
            mapping=mapping,
            rows=shown,
            counts=ImportCounts(
                rows=len(read.rows),
                new=len(plan.new),
                existing=len(plan.existing),
                rejected=len(plan.rejected),
                empty=read.empty,
            ),
            notes=mapping_notes(sheet, mapping),
        )

    def run(
        self,
        path: Path,
        mapping: ColumnMapping | None = None,
        on_duplicate: OnDuplicate = OnDuplicate.SKIP,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Import every valid row of ``path`` in one unit of work; rejected rows are listed.

        Raises ``ImportProblem`` (nothing written) when the file cannot be read or has no
        enterprise-name column.
        """
        started = time.perf_counter()
        sheet = read_sheet(path)
        mapping = _fitted(mapping, sheet) if mapping else ColumnMapping.detect(sheet.headers)
        if not mapping.has_name:
            raise ImportProblem(
                tr(
                    "“{file}”中找不到企业名称列（表头应为“企业名称”“单位名称”“公司名称”"
                    "或“name”）；未导入任何数据",
                    file=sheet.file_name,
                )
            )
        read = read_rows(sheet, mapping, self._today())
        if not read.rows:
            raise ImportProblem(
                tr("“{file}”的表头下面没有数据；未导入任何数据", file=sheet.file_name)
            )
        receipt_id = new_id()
        actor = self._workspace.actor(IMPORT_SOURCE)
        with self._database.write(actor) as session:
            plan = _plan(session, sheet, read)
            writer = ImportWriter(session, actor, mapping, progress)
            updating = on_duplicate is OnDuplicate.UPDATE
            total = len(plan.new) + (len(plan.existing) if updating else 0)
            writer.create(plan.new, total)
            if updating:
                writer.update(plan.existing, total)
            session.flush()
            wrote = bool(writer.created or writer.updated)
            if wrote:
                keep_receipt(
                    session,
                    ImportReceipt(
                        id=receipt_id,
                        file_name=sheet.file_name,
                        imported_at=utc_now(),
                        created=tuple(writer.created),
                        contacts=tuple(writer.contacts),
                        updated=tuple(writer.updated),
                    ),
                )
        return ImportResult(
            file_name=sheet.file_name,
            headers=sheet.headers,
            receipt_id=receipt_id if wrote else None,
            created=len(writer.created),
            updated=len(writer.updated),
            unchanged=writer.unchanged,
            skipped=len(plan.existing) if on_duplicate is OnDuplicate.SKIP else 0,
            rejected=tuple(
                RejectedRow(row.number, row.cells, reason) for row, reason in plan.rejected
            ),
            empty=read.empty,
            seconds=time.perf_counter() - started,
            name_column=mapping.column_of("name"),
        )

    def export_rejected(self, result: ImportResult, out_path: Path) -> Path:
        """Write the rejected rows (their cells, row number and 原因) to an .xlsx."""
        return write_rejected(
            out_path,
            result.headers,
            [(row.number, row.cells, row.reason) for row in result.rejected],
        )

    def undo(self, receipt_id: str) -> UndoImportResult:
        """Undo an import: see ``app.services.enterprise_import_receipts``."""
        with self._database.write(self._workspace.actor(IMPORT_SOURCE)) as session:
            return undo_receipt(session, load_receipt(session, receipt_id))

    def recent_imports(self) -> tuple[ImportRecord, ...]:
        """Imports that can still be undone, newest first."""
        with self._database.read() as session:
            return tuple(receipt.record() for receipt in load_receipts(session))


def _fitted(mapping: ColumnMapping, sheet: Sheet) -> ColumnMapping:
    """``mapping`` cut or padded to the sheet's columns."""
    width = len(sheet.headers)
    fields = mapping.fields[:width] + ("",) * (width - len(mapping.fields))
    return ColumnMapping(fields)


# -- matching -------------------------------------------------------------------------------


def _plan(session: Session, sheet: Sheet, read: RowsRead) -> _Plan:
    valid = [row for row in read.rows if row.valid]
    by_uscc, by_key = _existing(session, valid)
    new: list[ReadRow] = []
    existing: list[tuple[ReadRow, Existing]] = []
    rejected: list[tuple[ReadRow, str]] = []
    claimed: dict[str, int] = {}
    for row in read.rows:
        if not row.valid:
            rejected.append((row, reason_of(sheet, row)))
            continue
        uscc = row.fields.get("uscc")
        match = by_uscc.get(uscc) if uscc else None
        if match is None:
            match = by_key.get(row.key)
            if match is not None and uscc and match.uscc and match.uscc != uscc:
                rejected.append(
                    (
                        row,
                        tr(
                            "与已有企业“{name}”名称相同，但统一社会信用代码不同（已有 {uscc}），"
                            "请核对后在企业库中处理",
                            name=match.name,
                            uscc=match.uscc,
                        ),
                    )
                )
                continue
        if match is None:
            new.append(row)
            continue
        first = claimed.setdefault(match.id, row.number)
        if first != row.number:
            rejected.append(
                (
                    row,
                    tr(
                        "与第 {row} 行对应同一家已有企业“{name}”，未导入",
                        row=first,
                        name=match.name,
                    ),
                )
            )
            continue
        existing.append((row, match))
    rejected.sort(key=lambda pair: pair[0].number)
    return _Plan(sheet, read, tuple(new), tuple(existing), tuple(rejected))


def _existing(
    session: Session, rows: Sequence[ReadRow]
) -> tuple[dict[str, Existing], dict[str, Existing]]:
    """Live enterprises by USCC and by name key, for the codes and names of ``rows`` only
    (oldest first wins where the library itself holds duplicates)."""
    codes = sorted({row.fields["uscc"] for row in rows if row.fields.get("uscc")})
    keys = sorted({row.key for row in rows})
    by_uscc: dict[str, Existing] = {}
    by_key: dict[str, Existing] = {}
    columns = (EnterpriseRow.id, EnterpriseRow.name, EnterpriseRow.uscc, EnterpriseRow.name_key)
    live = EnterpriseRow.deleted == false()
    order = (EnterpriseRow.created_at, EnterpriseRow.id)
    for chunk in chunks(codes):
        query = select(*columns).where(live, EnterpriseRow.uscc.in_(chunk)).order_by(*order)
        for row_id, name, uscc, _key in session.execute(query):
            if uscc:
                by_uscc.setdefault(uscc, Existing(row_id, name, uscc))
    for chunk in chunks(keys):
        query = select(*columns).where(live, EnterpriseRow.name_key.in_(chunk)).order_by(*order)
        for row_id, name, uscc, key in session.execute(query):
            by_key.setdefault(key, Existing(row_id, name, uscc))
    return by_uscc, by_key
