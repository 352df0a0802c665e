"""Hand-built report documents for the preview, print and save tests (no database needed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from app.reports.document import (
    Column,
    ColumnKind,
    Fields,
    Figures,
    Heading,
    Notes,
    ReportDocument,
    Signatures,
    Table,
    Text,
)

ENTERPRISE = "安徽皖江新能源科技有限公司"


def sample_document(paragraphs: int = 6) -> ReportDocument:
    """A 拜访纪要-like document; ``paragraphs`` long paragraphs make it run over several pages."""
    paragraph = "第三轮洽谈中，企业提出用地 120 亩、用电 2 万 kVA 的需求。" * 40
    rows = tuple(
        (f"落实第{i}项用地指标", "张三", dt.date(2026, 12, i % 28 + 1), Decimal("1234.50"))
        for i in range(1, 31)
    )
    return ReportDocument(
        title="拜访纪要",
        subtitle=f"{ENTERPRISE} · 2026-11-26",
        number="BF-20261126-8F3A2C",
        generated_at=dt.datetime(2026, 11, 27, 2, 30, tzinfo=dt.UTC),
        issuer="江淮市投资促进局 新能源招商小分队",
        file_stem=f"拜访纪要-{ENTERPRISE}-2026-11-26",
        blocks=(
            Heading("一、企业基本情况"),
            Fields((("企业名称", ENTERPRISE), ("统一社会信用代码", "91340100MA2T5X7Q8K"))),
            Figures((("外出招商天数", "12", "3 次行程"), ("拜访企业", "8", ""))),
            Heading("二、洽谈内容"),
            *(Text(paragraph) for _ in range(paragraphs)),
            Table(
                "后续任务",
                (
                    Column("任务", width=3),
                    Column("责任人"),
                    Column("时限", ColumnKind.DATE),
                    Column("金额（万元）", ColumnKind.WAN),
                ),
                rows,
                total=("合计", None, None, Decimal("37035.00")),
            ),
            Signatures(("记录人", "审核人")),
            Notes("口径说明", (("外出招商天数", "按行程计"),)),
        ),
    )
