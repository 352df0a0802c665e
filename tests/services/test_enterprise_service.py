"""Enterprise and visit use cases against a real SQLite file: what a user would notice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from app.database.change_tracking import Actor
from app.database.opening import open_local_database
from app.database.tables import HistoryEntry, MemberRow, OutboxEntry, SquadRow
from app.domain.contact import ContactDraft, validate_contact
from app.domain.enterprise import EnterpriseEdit, HonourDraft, parse_form_value
from app.domain.errors import NotFoundError, ValidationError
from app.domain.money import Money
from app.domain.uscc import make_uscc
from app.domain.visit import AttendeeDraft
from app.services.enterprise_views import EnterpriseFilter, EnterpriseSort
from app.services.enterprises import EnterpriseService
from app.services.visit_views import VisitFilter
from app.services.visits import VisitService
from app.services.workspace import CURRENT_MEMBER, Workspace

USCC = make_uscc("9", "1", "620102", "MA7KX3Q2")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    database = open_local_database(tmp_path)
    with database.write(Actor(None)) as session:
        squad = SquadRow(name="新材料招商小分队")
        session.add(squad)
        session.flush()
        session.add(
            MemberRow(
                id="0190b6a0-0000-7000-8000-000000000001",
                name="李明",
                squad_id=squad.id,
                role="leader",
                title="科长",
            )
        )
        from app.database.tables import LocalSetting

        session.add(LocalSetting(key=CURRENT_MEMBER, value="0190b6a0-0000-7000-8000-000000000001"))
    yield Workspace(database, tmp_path)
    database.dispose()


def _outbox(workspace: Workspace) -> list[OutboxEntry]:
    with workspace.database.read() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.device_seq)))


def test_create_enterprise_records_the_edit_for_sync_and_history(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    enterprise_id = service.create(
        {
            "name": "兰州金川新材料有限责任公司",
            "uscc": USCC.lower(),
            "registered_capital": Money.from_wan(5000),
            "tags": "重点目标，链主企业",
        }
    )
    dossier = service.dossier(enterprise_id)
    assert dossier.enterprise.uscc == USCC
    assert dossier.enterprise.region_code == "620102"
    assert "城关区" in dossier.enterprise.region_name
    assert dossier.enterprise.tags == ("重点目标", "链主企业")
    entry = _outbox(workspace)[-1]
    assert (entry.table_name, entry.row_id, entry.op) == ("enterprises", enterprise_id, "insert")
    assert entry.fields["registered_capital"] == 5000 * 1_000_000
    with workspace.database.read() as session:
        history = session.scalars(
            select(HistoryEntry).where(HistoryEntry.row_id == enterprise_id)
        ).one()
    assert history.actor_id == "0190b6a0-0000-7000-8000-000000000001"


def test_edit_records_only_changed_fields(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    enterprise_id = service.create({"name": "甘肃恒信电子有限公司", "profile": "旧简介"})
    service.update(
        enterprise_id, {"profile": "新简介", "website": "", "name": "甘肃恒信电子有限公司"}
    )
    entry = _outbox(workspace)[-1]
    assert entry.op == "patch"
    assert entry.fields == {"profile": "新简介"}
    assert entry.base["fields"] == {"profile": "旧简介"}


def test_bad_input_names_the_field_and_writes_nothing(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    before = len(_outbox(workspace))
    with pytest.raises(ValidationError) as caught:
        service.create({"name": "某公司", "uscc": USCC[:-1] + ("0" if USCC[-1] != "0" else "1")})
    assert caught.value.field == "uscc"
    with pytest.raises(ValidationError) as caught:
        service.create({"name": "  "})
    assert caught.value.field == "name"
    with pytest.raises(ValidationError) as caught:
        service.create({"name": "某公司", "founded_on": dt.date.today() + dt.timedelta(days=1)})
    assert caught.value.field == "founded_on"
    assert len(_outbox(workspace)) == before
    assert service.page().total == 0


def test_delete_is_a_tombstone_with_undo(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    enterprise_id = service.create({"name": "陕西秦川高端装备有限公司"})
    service.delete(enterprise_id)
    assert service.page().total == 0
    assert service.page(EnterpriseFilter(include_deleted=True)).total == 1
    assert _outbox(workspace)[-1].op == "delete"
    with pytest.raises(NotFoundError):
        service.update(enterprise_id, {"profile": "x"})
    service.restore(enterprise_id)
    assert [row.id for row in service.page().rows] == [enterprise_id]


def test_list_filters_by_substring_uscc_and_pinyin_initials(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    service.create({"name": "华为技术有限公司", "uscc": USCC})
    service.create({"name": "兰州新材料有限公司"})
    service.create({"name": "天水华天电子有限公司"})

    def names(text: str) -> list[str]:
        return [row.name for row in service.page(EnterpriseFilter(text=text)).rows]

    assert names("新材") == ["兰州新材料有限公司"]
    assert names("华") == ["华为技术有限公司", "天水华天电子有限公司"]
    assert names("hwjs") == ["华为技术有限公司"]
    assert names(USCC[:8].lower()) == ["华为技术有限公司"]
    assert names("100%") == []
    by_name_desc = service.page(sort=EnterpriseSort.NAME, descending=True).rows
    assert by_name_desc[0].name == "天水华天电子有限公司"


def test_duplicates_found_by_uscc_and_normalised_name(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    first = service.create({"name": "兰州（新区）化工有限责任公司", "uscc": USCC})
    by_name = service.find_duplicates("兰州(新区)化工 有限公司", None)
    assert [(d.id, d.reason) for d in by_name] == [(first, "name")]
    by_code = service.find_duplicates("别的名字", USCC.lower())
    assert [(d.id, d.reason) for d in by_code] == [(first, "uscc")]
    assert service.find_duplicates("兰州(新区)化工有限公司", None, exclude_id=first) == []


def test_visit_lifecycle_shows_in_the_dossier(workspace: Workspace) -> None:
    enterprises = EnterpriseService(workspace)
    visits = VisitService(workspace)
    enterprise_id = enterprises.create({"name": "江苏恒瑞锂电科技股份有限公司"})
    member_id = workspace.current_member_id()
    assert member_id is not None
    visit_id = visits.create(
        {
            "enterprise_id": enterprise_id,
            "visited_on": dt.date(2026, 11, 20),
            "place": "常州",
            "purpose": "了解扩产计划",
            "discussion": "对方计划新建 5GWh 储能电芯产线。",
        },
        participant_ids=[member_id],
        attendees=[AttendeeDraft("王强", "投资发展部部长")],
    )
    detail = visits.detail(visit_id)
    assert [p.name for p in detail.participants] == ["李明"]
    assert [(a.name, a.title) for a in detail.attendees] == [("王强", "投资发展部部长")]
    dossier = enterprises.dossier(enterprise_id)
    assert [v.id for v in dossier.visits] == [visit_id]
    assert enterprises.page().rows[0].last_visit_on == dt.date(2026, 11, 20)

    visits.update(visit_id, {"outcomes": "达成初步意向"})
    visits.delete(visit_id)
    assert visits.page(VisitFilter(enterprise_id=enterprise_id)).total == 0
    visits.restore(visit_id)
    assert visits.detail(visit_id).outcomes == "达成初步意向"

    with pytest.raises(ValidationError) as caught:
        visits.create(
            {"enterprise_id": enterprise_id, "visited_on": dt.date.today() + dt.timedelta(days=2)}
        )
    assert caught.value.field == "visited_on"
    with pytest.raises(ValidationError) as caught:
        visits.create({"enterprise_id": "no-such-id", "visited_on": dt.date(2026, 1, 1)})
    assert caught.value.field == "enterprise_id"


def _chain_links(workspace: Workspace) -> list[str]:
    from app.database.tables import ChainLinkRow, IndustryChainRow

    with workspace.database.write(Actor(None)) as session:
        chain = IndustryChainRow(name="新能源汽车")
        session.add(chain)
        session.flush()
        links = [ChainLinkRow(chain_id=chain.id, name=name) for name in ("动力电池", "电机电控")]
        session.add_all(links)
        session.flush()
        return [link.id for link in links]


def test_save_writes_fields_contacts_honours_and_links_together(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    battery, motor = _chain_links(workspace)
    enterprise_id = service.save(
        EnterpriseEdit(
            None,
            {"name": "甘肃锂能科技有限公司", "land_mu": parse_form_value("land_mu", "120.5亩")},
            contacts=(
                ContactDraft("王强", title="总经理", mobile="+86 138 0931 0000", is_primary=True),
                ContactDraft("赵敏", email="zhao@example.com", is_primary=True),
            ),
            honours=(HonourDraft("专精特新“小巨人”", 2024, "第六批"),),
            link_ids=(battery,),
        )
    )
    dossier = service.dossier(enterprise_id)
    assert dossier.enterprise.land_mu == Decimal("120.5")
    assert [(c.name, c.mobile, c.is_primary) for c in dossier.contacts] == [
        ("王强", "13809310000", True),
        ("赵敏", "", False),  # one primary contact only
    ]
    assert [(h.kind, h.year, h.batch) for h in dossier.honours] == [
        ("little_giant", 2024, "第六批")
    ]
    assert [link.link_name for link in dossier.links] == ["动力电池"]

    wang = dossier.contacts[0]
    service.save(
        EnterpriseEdit(
            enterprise_id,
            {"profile": "动力电池正极材料"},
            contacts=(ContactDraft("王强", title="董事长", id=wang.id, is_primary=True),),
            honours=(),
            link_ids=(motor,),
        )
    )
    dossier = service.dossier(enterprise_id)
    assert [(c.id, c.title) for c in dossier.contacts] == [(wang.id, "董事长")]
    assert dossier.honours == ()
    assert [link.link_name for link in dossier.links] == ["电机电控"]
    assert dossier.enterprise.profile == "动力电池正极材料"


def test_a_squad_member_cannot_change_the_bureaus_honour_lists(workspace: Workspace) -> None:
    """Honour lists sync as bureau records only leaders and admins may write; a member's change
    is refused on the laptop, with nothing kept, rather than rejected later by the server."""
    service = EnterpriseService(workspace)
    enterprise_id = service.save(
        EnterpriseEdit(None, {"name": "甘肃锂能科技有限公司"}, honours=(), link_ids=())
    )
    with workspace.database.write(Actor(None)) as session:
        member = session.get_one(MemberRow, "0190b6a0-0000-7000-8000-000000000001")
        member.role = "member"
    with pytest.raises(ValidationError, match="荣誉名录由队长或单位管理员维护") as refused:
        service.save(
            EnterpriseEdit(
                enterprise_id,
                {"profile": "动力电池正极材料"},
                honours=(HonourDraft("专精特新“小巨人”", 2024, "第六批"),),
                link_ids=(),
            )
        )
    assert refused.value.field == "honours"
    dossier = service.dossier(enterprise_id)
    assert dossier.honours == () and dossier.enterprise.profile == ""
    service.save(EnterpriseEdit(enterprise_id, {"profile": "正极材料"}, honours=(), link_ids=()))
    assert service.dossier(enterprise_id).enterprise.profile == "正极材料"  # the rest still saves


def test_a_bad_contact_stops_the_whole_save(workspace: Workspace) -> None:
    service = EnterpriseService(workspace)
    enterprise_id = service.create({"name": "甘肃恒信电子有限公司"})
    before = len(_outbox(workspace))
    with pytest.raises(ValidationError) as caught:
        service.save(
            EnterpriseEdit(
                enterprise_id,
                {"profile": "不应写入"},
                contacts=(ContactDraft("王强", mobile="1380931"),),
            )
        )
    assert caught.value.field == "contacts"
    assert "王强" in caught.value.message and "11 位" in caught.value.message
    assert len(_outbox(workspace)) == before
    assert service.dossier(enterprise_id).enterprise.profile == ""


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (ContactDraft(" "), "name"),
        (ContactDraft("王强", mobile="2380931000"), "mobile"),
        (ContactDraft("王强", phone="电话0931"), "phone"),
        (ContactDraft("王强", email="wang@"), "email"),
    ],
)
def test_contact_rules_name_the_field(draft: ContactDraft, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_contact(draft)
    assert caught.value.field == field


def test_form_text_is_read_per_field() -> None:
    assert parse_form_value("registered_capital", "1.2亿") == Money.from_wan(12000)
    assert parse_form_value("founded_on", "2015年6月30日") == dt.date(2015, 6, 30)
    assert parse_form_value("founded_on", "2015-6-30") == dt.date(2015, 6, 30)
    assert parse_form_value("workforce_need", "300人") == 300
    assert parse_form_value("region_code", "620102 甘肃省兰州市城关区") == "620102"
    assert parse_form_value("website", "  ") == ""
    assert parse_form_value("land_mu", "") is None
    with pytest.raises(ValidationError) as caught:
        parse_form_value("founded_on", "2015-02-30")
    assert caught.value.field == "founded_on"
