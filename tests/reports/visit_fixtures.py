"""A hand-built visit with everything a 拜访纪要 prints, and a second enterprise for the brief.

The visit (V1) is on Thursday 2026-11-26 to 星辰动力 (E1) during the trip 赴合肥招商; “now” is
Saturday 2026-11-28. Beside what must print, the data holds what must not: a round on another
day with its own commitment, a problem raised another day, a deleted task, a honoured
commitment, a resolved problem and a done task (closed items the brief leaves out).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader
from sqlalchemy.orm import Session

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import (
    AttachmentRow,
    BureauSettingRow,
    ChainLinkRow,
    CommitmentRow,
    ContactRow,
    DirectoryEntryRow,
    EnterpriseLinkRow,
    EnterpriseRow,
    HonourDirectoryRow,
    IndustryChainRow,
    LocalSetting,
    MemberRow,
    NegotiationNoteRow,
    ProblemRow,
    ProjectRow,
    SquadRow,
    TaskRow,
    TripRow,
    VisitAttendeeRow,
    VisitParticipantRow,
    VisitRow,
)
from app.domain.money import Money
from app.services.workspace import CURRENT_MEMBER, Workspace
from app.storage.blobs import BlobStore

NOW = dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC)
VISIT_DAY = dt.date(2026, 11, 26)
BUREAU = "江淮市投资促进局"
SQUAD = "新能源小分队"


def uid(n: int) -> str:
    return f"0190b6a0-0000-7000-8000-{n:012d}"


SQUAD_ID = uid(1)
LI, WANG, ZHAO = uid(11), uid(12), uid(13)
E1, E2, E_GONE = uid(21), uid(22), uid(23)
CHAIN, LINK, LINK_2 = uid(31), uid(32), uid(33)
TRIP = uid(41)
V1, V_OLD, V_GONE = "0190b6a0-0000-7000-8000-0000008f3a2c", uid(52), uid(53)
NOTE_TODAY, NOTE_OTHER = uid(61), uid(62)

E1_NAME = "合肥星辰动力电池有限公司"
E1_USCC = "91340100MA2N8X3K5P"
E2_NAME = "江淮智能装备制造有限公司"
OUR_PEOPLE = (("李明", "副局长"), ("王芳", "招商专员"))
THEIR_PEOPLE = (("陈志远", "董事长"), ("刘晓燕", "副总经理"))
TASKS = (
    ("报送项目用地需求", "王芳", dt.date(2026, 12, 5)),
    ("协调供电公司踏勘", "李明", dt.date(2026, 12, 10)),
)
COMMITMENT_OF_ROUND = "三个月内完成项目用地预审"
COMMITMENT_OF_DAY = "协助办理人才公寓入住"
COMMITMENT_OTHER_DAY = "另一轮洽谈中的承诺"
PROBLEM_OF_DAY = "厂区用电增容"
PROBLEM_OTHER_DAY = "员工子女入学"
PHOTO_CAPTION = "双方座谈合影"
MISSING_PHOTO = "厂区外景"


def png_bytes() -> bytes:
    """A small picture with colour in it (so a rendered page shows it)."""
    picture = Image.new("RGB", (320, 240), (236, 242, 248))
    pen = ImageDraw.Draw(picture)
    pen.rectangle((20, 30, 300, 210), fill=(43, 74, 111))
    pen.ellipse((110, 70, 210, 170), fill=(192, 40, 45))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def open_visit_workspace(tmp_path: Path, discussion: str | None = None) -> Workspace:
    """The workspace described in the module docstring; ``discussion`` replaces V1's text."""
    database = open_local_database(tmp_path)
    blobs = BlobStore.for_data_dir(tmp_path)
    photo_sha = blobs.put_bytes(png_bytes())
    with database.write(Actor(None, source="import")) as s:
        s.add(SquadRow(id=SQUAD_ID, name=SQUAD))
        s.flush()
        s.add(BureauSettingRow(key="bureau_name", value=json.dumps(BUREAU, ensure_ascii=False)))
        for mid, (name, title) in zip((LI, WANG), OUR_PEOPLE, strict=True):
            s.add(MemberRow(id=mid, name=name, title=title, squad_id=SQUAD_ID))
        s.add(MemberRow(id=ZHAO, name="赵强", title="分队长", squad_id=SQUAD_ID))
        s.flush()
        s.add(LocalSetting(key=CURRENT_MEMBER, value=WANG))
        _enterprises(s)
        _chain_and_honours(s)
        _visits(s, discussion)
        _negotiations(s)
        _follow_ups(s)
        s.add(_photo(V1, photo_sha, "合影.png", PHOTO_CAPTION))
        s.add(_photo(V1, "ab" * 32, "外景.jpg", MISSING_PHOTO))
        s.add(_photo(V_OLD, photo_sha, "旧照片.png", "另一次拜访的照片"))
    return Workspace(database, tmp_path)


def _photo(visit_id: str, sha256: str, filename: str, caption: str) -> AttachmentRow:
    mime = "image/png" if filename.endswith(".png") else "image/jpeg"
    return AttachmentRow(
        owner_table="visits",
        owner_id=visit_id,
        sha256=sha256,
        filename=filename,
        mime=mime,
        size=1,
        kind="photo",
        caption=caption,
    )


def _enterprises(s: Session) -> None:
    s.add(
        EnterpriseRow(
            id=E1,
            name=E1_NAME,
            name_key=E1_NAME,
            uscc=E1_USCC,
            industry_code="3841",
            region_code="340104",
            legal_representative="陈志远",
            registered_capital=Money.from_wan(5000),
            investment_intent="拟在江淮新建年产 10GWh 动力电池生产基地",
            intent_level="strong",
            land_mu=120,
            water_need="日用水 800 吨",
            power_need="双回路 110kV",
            workforce_need=800,
            site_preference="经开区，靠近高速出入口",
            squad_id=SQUAD_ID,
            owner_id=LI,
        )
    )
    s.add(EnterpriseRow(id=E2, name=E2_NAME, name_key=E2_NAME, squad_id=SQUAD_ID, owner_id=WANG))
    s.add(EnterpriseRow(id=E_GONE, name="已删除企业", name_key="已删除企业", deleted=True))
    s.flush()
    s.add(ContactRow(enterprise_id=E1, name="陈志远", title="董事长", mobile="13900001111",
                     is_primary=True))  # fmt: skip
    s.add(ContactRow(enterprise_id=E2, name="孙国栋", title="总经理", phone="0551-6600123"))


def _chain_and_honours(s: Session) -> None:
    s.add(IndustryChainRow(id=CHAIN, name="新能源汽车产业链"))
    s.flush()
    s.add(ChainLinkRow(id=LINK, chain_id=CHAIN, name="动力电池"))
    s.add(ChainLinkRow(id=LINK_2, chain_id=CHAIN, name="电池回收"))
    s.flush()
    s.add(EnterpriseLinkRow(enterprise_id=E1, link_id=LINK_2))
    directory = HonourDirectoryRow(kind="little_giant", year=2025, batch="第七批", title="小巨人")
    s.add(directory)
    s.flush()
    s.add(DirectoryEntryRow(directory_id=directory.id, enterprise_name=E1_NAME, enterprise_id=E1))


def _visits(s: Session, discussion: str | None) -> None:
    s.add(TripRow(id=TRIP, title="赴合肥招商", squad_id=SQUAD_ID, destination="合肥",
                  start_on=dt.date(2026, 11, 25), end_on=dt.date(2026, 11, 27)))  # fmt: skip
    s.flush()
    s.add(
        VisitRow(
            id=V1,
            enterprise_id=E1,
            trip_id=TRIP,
            squad_id=SQUAD_ID,
            author_id=WANG,
            chain_link_id=LINK,
            visited_on=VISIT_DAY,
            place="星辰动力合肥总部三楼会议室",
            purpose="了解企业扩产计划，推介江淮经开区新能源产业园",
            discussion=discussion
            if discussion is not None
            else "双方就扩产项目选址、用地规模和配套政策进行了深入交流。\n\n"
            "企业介绍了 10GWh 产线的投资计划。",
            outcomes="企业同意年内来江淮实地考察",
            next_steps="尽快报送用地方案，安排企业来江淮考察",
        )
    )
    for vid, day, gone in ((V_OLD, dt.date(2026, 10, 9), False), (V_GONE, VISIT_DAY, True)):
        s.add(VisitRow(id=vid, enterprise_id=E1, squad_id=SQUAD_ID, author_id=LI,
                       visited_on=day, place="旧址", purpose="初次接触", outcomes="建立联系",
                       deleted=gone))  # fmt: skip
    s.flush()
    for member in (LI, WANG):
        s.add(VisitParticipantRow(visit_id=V1, member_id=member))
    s.add(VisitParticipantRow(visit_id=V_OLD, member_id=LI))
    for name, title in THEIR_PEOPLE:
        s.add(VisitAttendeeRow(visit_id=V1, name=name, title=title))
    s.flush()


def _negotiations(s: Session) -> None:
    s.add(NegotiationNoteRow(id=NOTE_TODAY, enterprise_id=E1, author_id=WANG, round_no=2,
                             held_on=VISIT_DAY, their_asks="希望提供 120 亩工业用地",
                             our_offers="按园区政策给予厂房租金三年减半"))  # fmt: skip
    s.add(NegotiationNoteRow(id=NOTE_OTHER, enterprise_id=E1, author_id=LI, round_no=1,
                             held_on=dt.date(2026, 10, 9), their_asks="上一轮的诉求"))  # fmt: skip
    s.flush()
    s.add(CommitmentRow(enterprise_id=E1, negotiation_note_id=NOTE_TODAY, promised_by_id=LI,
                        content=COMMITMENT_OF_ROUND, due_on=dt.date(2027, 2, 26)))  # fmt: skip
    local_noon = dt.datetime.combine(VISIT_DAY, dt.time(12)).astimezone()
    s.add(CommitmentRow(enterprise_id=E1, promised_by_id=WANG, content=COMMITMENT_OF_DAY,
                        due_on=dt.date(2026, 12, 31), created_at=local_noon))  # fmt: skip
    s.add(CommitmentRow(enterprise_id=E1, negotiation_note_id=NOTE_OTHER, promised_by_id=LI,
                        content=COMMITMENT_OTHER_DAY, due_on=dt.date(2026, 11, 1)))  # fmt: skip
    s.add(CommitmentRow(enterprise_id=E2, promised_by_id=WANG, content="落实研发补助",
                        due_on=dt.date(2026, 12, 20)))  # fmt: skip
    s.add(CommitmentRow(enterprise_id=E2, content="已兑现的承诺", status="honoured",
                        honoured_on=dt.date(2026, 11, 1)))  # fmt: skip
    s.add(ProblemRow(enterprise_id=E1, owner_id=LI, title=PROBLEM_OF_DAY, raised_on=VISIT_DAY,
                     deadline=dt.date(2026, 12, 15)))  # fmt: skip
    s.add(ProblemRow(enterprise_id=E1, owner_id=WANG, title=PROBLEM_OTHER_DAY,
                     raised_on=dt.date(2026, 10, 9), deadline=dt.date(2026, 11, 20)))  # fmt: skip
    s.add(ProblemRow(enterprise_id=E2, owner_id=WANG, title="物流通道协调",
                     raised_on=dt.date(2026, 11, 2)))  # fmt: skip
    s.add(ProblemRow(enterprise_id=E2, title="已办结的诉求", raised_on=dt.date(2026, 10, 2),
                     status="resolved", resolved_on=dt.date(2026, 10, 20)))  # fmt: skip


def _follow_ups(s: Session) -> None:
    owners = {"王芳": WANG, "李明": LI}
    for title, owner, due in TASKS:
        s.add(TaskRow(title=title, owner_id=owners[owner], due_on=due, visit_id=V1,
                      enterprise_id=E1, squad_id=SQUAD_ID))  # fmt: skip
    s.add(TaskRow(title="已删除的任务", owner_id=LI, visit_id=V1, deleted=True))
    s.add(TaskRow(title="准备考察接待方案", owner_id=ZHAO, due_on=dt.date(2026, 12, 1),
                  enterprise_id=E2, squad_id=SQUAD_ID))  # fmt: skip
    s.add(TaskRow(title="已完成的任务", owner_id=ZHAO, enterprise_id=E2, status="done"))
    s.add(ProjectRow(name="智能装备扩产项目", enterprise_id=E2, squad_id=SQUAD_ID,
                     stage="negotiating", contract_amount=Money.from_wan(32000)))  # fmt: skip


def page_texts(pdf: Path) -> list[str]:
    """The extracted text of each page of ``pdf``."""
    return [page.extract_text() for page in PdfReader(pdf).pages]


def squeeze(text: str) -> str:
    """``text`` without any whitespace: Latin runs extract with stray spaces and line breaks."""
    return "".join(text.split())
