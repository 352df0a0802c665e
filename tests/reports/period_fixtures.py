"""Hand-built data with known answers for 一周一快报, 一月一调度 and 一季一评比.

ISO week 2026-W48 runs Monday 11-23 to Sunday 11-29; with the bureau's weeks starting on Friday
(week_start 5) it runs Friday 11-27 to Thursday 12-03. Squads: A 新材料小分队, B 装备小分队,
C 生物医药小分队, D 空白小分队 (nothing at all). Enterprises E1 (A), E2 (B), E3 (C), E4 (B),
E5 (no squad).

Trips: T_CROSS (A, 党政主职) Sunday 11-22 → Tuesday 11-24 (1 day in W47, 2 in W48); T_XIAN
(B) 11-25; T_LATE (A, 分管领导) Friday 11-27 → Tuesday 12-01 (3 days in W48, 2 in W49); a
deleted trip of A 11-23 → 11-27.

Visits: E1 by A 11-23 and 11-26 (twice in the week); E2 by A 11-24 and by B 11-29 (one
enterprise, two squads); E5 with no squad 11-27; E3 by A 11-25 deleted; E4 by B 11-30 and by
C 12-01; E3 by C 10-10; E1 by A 08-01 (so E1 is not a first visit in W48, E2 and E5 are).

Projects (stage history; amounts in 万元):
- PA1 新材料基地 (A, E1, 李明, 5,000): 在谈 10-01, 签约 11-24; 1,000 received 11-20.
- PA2 智能装备园 (B, E2, 赵强, 20,000): 签约 06-02, 开工 11-27.
- PA3 当周签约开工 (A, E1, 王芳, 1,200): 签约 11-23, 开工 11-27.
- PA4 暂缓恢复项目 (A, E1, 李明, 800): 签约 10-05, 暂缓 10-20, back to 签约 11-25.
- PA5 已删除项目 (A, deleted, 9,999): 签约 11-24.
- PA6 投产项目 (B, E2, 赵强, 30,000): 签约 2025-01-10, 开工 2025-03-01, 竣工 10-01, 投产 11-28.
- PA7 导入项目 (A, E1, 李明, 300): no stage history; 签约 on 11-26 by its own columns.
- PB1 迟迟未开工 (A, E1, 李明, 600): 签约 07-01.
- PB2 双未项目 (B, E2, 赵强, 900): 签约 03-01.

Commitment C_LAND 协调用地指标 (王芳, E1/PB1) due 11-10, pending; one honoured, one due 12-10.
Problem PR_POWER 用电增容 (赵强, E2, no project) deadline 11-15, open. Open tasks: 催办开工手续
(李明, PB1, due 12-05); 回访乙装备 (赵强, E2, due 12-08).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from project_history_builder import add_project
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    BureauSettingRow,
    CommitmentRow,
    EnterpriseRow,
    MemberRow,
    ProblemRow,
    ProjectRow,
    SquadRow,
    TaskRow,
    TripRow,
    VisitRow,
)
from app.domain.money import Money
from app.domain.vocabulary import ProjectStage as S
from app.services.weekly_figures_views import IsoWeek
from app.services.workspace import Workspace

D = dt.date
BUREAU = "江淮市投资促进局"
W48 = IsoWeek(2026, 48)
NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD_A, SQUAD_B, SQUAD_C, SQUAD_D = uid(1), uid(2), uid(3), uid(4)
SQUAD_NAMES = {
    SQUAD_A: "新材料小分队",
    SQUAD_B: "装备小分队",
    SQUAD_C: "生物医药小分队",
    SQUAD_D: "空白小分队",
}
LI, WANG, ZHAO, SUN = uid(11), uid(12), uid(13), uid(14)
E1, E2, E3, E4, E5 = (uid(n) for n in range(21, 26))
ENTERPRISE_NAMES = {
    E1: "甲材料有限公司",
    E2: "乙装备有限公司",
    E3: "丙医药有限公司",
    E4: "丁能源有限公司",
    E5: "戊科技有限公司",
}
PA1, PA2, PA3, PA4, PA5, PA6, PA7, PB1, PB2 = (uid(n) for n in range(31, 40))
C_LAND, C_DONE, C_LATER, PR_POWER = uid(51), uid(52), uid(53), uid(54)


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def open_period_workspace(tmp_path: Path) -> Workspace:
    """The workspace described in the module docstring."""
    database = open_local_database(tmp_path)
    with database.write(Actor(None, source="import")) as s:
        for squad_id, name in SQUAD_NAMES.items():
            s.add(SquadRow(id=squad_id, name=name))
            s.flush()
        s.add(BureauSettingRow(key="bureau_name", value=json.dumps(BUREAU, ensure_ascii=False)))
        for mid, name, squad in ((LI, "李明", SQUAD_A), (WANG, "王芳", SQUAD_A),
                                 (ZHAO, "赵强", SQUAD_B), (SUN, "孙丽", SQUAD_C)):  # fmt: skip
            s.add(MemberRow(id=mid, name=name, squad_id=squad))
        s.flush()
        owners: dict[str, str | None] = {
            E1: SQUAD_A,
            E2: SQUAD_B,
            E3: SQUAD_C,
            E4: SQUAD_B,
            E5: None,
        }
        for eid, owner in owners.items():
            name = ENTERPRISE_NAMES[eid]
            s.add(EnterpriseRow(id=eid, name=name, name_key=name, squad_id=owner))
        s.flush()
        _trips_and_visits(s)
        _projects(s)
        _follow_ups(s)
    return Workspace(database, tmp_path)


def _trips_and_visits(s: Session) -> None:
    s.add(
        TripRow(
            title="赴深圳招商",
            destination="深圳",
            squad_id=SQUAD_A,
            leader_type="party_government_head",
            start_on=d(11, 22),
            end_on=d(11, 24),
        )
    )
    s.add(
        TripRow(
            title="赴西安对接",
            destination="西安",
            squad_id=SQUAD_B,
            start_on=d(11, 25),
            end_on=d(11, 25),
        )
    )
    s.add(
        TripRow(
            title="赴上海考察",
            destination="上海",
            squad_id=SQUAD_A,
            leader_type="deputy_leader",
            start_on=d(11, 27),
            end_on=d(12, 1),
        )
    )
    s.add(TripRow(title="作废行程", squad_id=SQUAD_A, leader_type="party_government_head",
                  start_on=d(11, 23), end_on=d(11, 27), deleted=True))  # fmt: skip
    for enterprise, day, squad, gone in (
        (E1, d(11, 23), SQUAD_A, False), (E1, d(11, 26), SQUAD_A, False),
        (E2, d(11, 24), SQUAD_A, False), (E2, d(11, 29), SQUAD_B, False),
        (E5, d(11, 27), None, False), (E3, d(11, 25), SQUAD_A, True),
        (E4, d(11, 30), SQUAD_B, False), (E4, d(12, 1), SQUAD_C, False),
        (E3, d(10, 10), SQUAD_C, False), (E1, d(8, 1), SQUAD_A, False),
    ):  # fmt: skip
        s.add(VisitRow(enterprise_id=enterprise, visited_on=day, squad_id=squad, deleted=gone))


def _projects(s: Session) -> None:
    add_project(
        s,
        PA1,
        "新材料基地",
        [(S.NEGOTIATING, d(10, 1)), (S.SIGNED, d(11, 24))],
        squad=SQUAD_A,
        enterprise=E1,
        responsible=LI,
        contract_wan=5_000,
        funds=[(d(11, 20), 1_000)],
    )
    add_project(
        s,
        PA2,
        "智能装备园",
        [(S.SIGNED, d(6, 2)), (S.STARTED, d(11, 27))],
        squad=SQUAD_B,
        enterprise=E2,
        responsible=ZHAO,
        contract_wan=20_000,
    )
    add_project(
        s,
        PA3,
        "当周签约开工",
        [(S.SIGNED, d(11, 23)), (S.STARTED, d(11, 27))],
        squad=SQUAD_A,
        enterprise=E1,
        responsible=WANG,
        contract_wan=1_200,
    )
    add_project(
        s,
        PA4,
        "暂缓恢复项目",
        [(S.SIGNED, d(10, 5)), (S.SUSPENDED, d(10, 20)), (S.SIGNED, d(11, 25))],
        squad=SQUAD_A,
        enterprise=E1,
        responsible=LI,
        contract_wan=800,
    )
    add_project(
        s,
        PA5,
        "已删除项目",
        [(S.SIGNED, d(11, 24))],
        squad=SQUAD_A,
        enterprise=E1,
        responsible=LI,
        contract_wan=9_999,
        deleted=True,
    )
    add_project(
        s,
        PA6,
        "投产项目",
        [
            (S.SIGNED, d(1, 10, 2025)),
            (S.STARTED, d(3, 1, 2025)),
            (S.COMPLETED, d(10, 1)),
            (S.PRODUCING, d(11, 28)),
        ],
        squad=SQUAD_B,
        enterprise=E2,
        responsible=ZHAO,
        contract_wan=30_000,
    )
    add_project(
        s,
        PB1,
        "迟迟未开工",
        [(S.SIGNED, d(7, 1))],
        squad=SQUAD_A,
        enterprise=E1,
        responsible=LI,
        contract_wan=600,
    )
    add_project(
        s,
        PB2,
        "双未项目",
        [(S.SIGNED, d(3, 1))],
        squad=SQUAD_B,
        enterprise=E2,
        responsible=ZHAO,
        contract_wan=900,
    )
    s.add(
        ProjectRow(
            id=PA7,
            name="导入项目",
            enterprise_id=E1,
            squad_id=SQUAD_A,
            responsible_id=LI,
            stage=S.SIGNED.value,
            stage_on=d(11, 26),
            signed_on=d(11, 26),
            contract_amount=Money.from_wan(300),
        )
    )
    s.flush()  # fmt: skip


def _follow_ups(s: Session) -> None:
    for cid, content, due, status in (
        (C_LAND, "协调用地指标", d(11, 10), "pending"),
        (C_DONE, "已兑现的承诺", d(11, 1), "honoured"),
        (C_LATER, "下月到期的承诺", d(12, 10), "pending"),
    ):
        s.add(CommitmentRow(id=cid, enterprise_id=E1, project_id=PB1, promised_by_id=WANG,
                            content=content, due_on=due, status=status))  # fmt: skip
    s.add(ProblemRow(id=PR_POWER, enterprise_id=E2, owner_id=ZHAO, title="用电增容",
                     raised_on=d(10, 1), deadline=d(11, 15)))  # fmt: skip
    s.add(TaskRow(title="催办开工手续", owner_id=LI, due_on=d(12, 5), project_id=PB1,
                  enterprise_id=E1, squad_id=SQUAD_A))  # fmt: skip
    s.add(TaskRow(title="回访乙装备", owner_id=ZHAO, due_on=d(12, 8), enterprise_id=E2,
                  squad_id=SQUAD_B))  # fmt: skip


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def squeeze(text: str) -> str:
    """``text`` without whitespace: Latin runs extract with stray spaces and line breaks."""
    return "".join(text.split())


def pdf_text(pdf: Path) -> str:
    """All pages' text, squeezed."""
    return squeeze("".join(page_texts(pdf)))
