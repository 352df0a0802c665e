"""What sync messages and the conflict / rejected lists call tables and fields."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain import enterprise, visit
from app.i18n import mark, tr

TABLE_LABELS: Mapping[str, str] = {
    "squads": mark("小分队"),
    "members": mark("队员"),
    "enterprises": mark("企业"),
    "contacts": mark("联系人"),
    "honour_directories": mark("荣誉名录"),
    "directory_entries": mark("名录条目"),
    "industry_chains": mark("产业链"),
    "chain_links": mark("产业链环节"),
    "enterprise_links": mark("企业所在环节"),
    "trips": mark("外出招商"),
    "trip_members": mark("外出人员"),
    "visits": mark("拜访"),
    "visit_participants": mark("我方参加人"),
    "visit_attendees": mark("对方参会人"),
    "projects": mark("项目"),
    "project_stage_changes": mark("项目阶段变更"),
    "funding_entries": mark("到资记录"),
    "negotiation_notes": mark("洽谈记录"),
    "commitments": mark("承诺事项"),
    "problems": mark("企业诉求"),
    "tasks": mark("任务"),
    "attachments": mark("附件"),
    "conflicts": mark("冲突"),
}

COMMON_FIELD_LABELS: Mapping[str, str] = {
    "deleted": mark("删除状态"),
    "name": mark("名称"),
    "title": mark("标题"),
    "phone": mark("电话"),
    "mobile": mark("手机"),
    "email": mark("电子邮箱"),
    "wechat": mark("微信"),
    "notes": mark("备注"),
    "note": mark("备注"),
    "role": mark("角色"),
    "focus": mark("工作重点"),
    "region_code": mark("行政区划"),
    "squad_id": mark("小分队"),
    "owner_id": mark("负责人"),
    "enterprise_id": mark("企业"),
    "project_id": mark("项目"),
    "visit_id": mark("拜访"),
    "trip_id": mark("外出招商"),
    "member_id": mark("队员"),
    "destination": mark("目的地"),
    "start_on": mark("开始日期"),
    "end_on": mark("结束日期"),
    "purpose": mark("目的"),
    "stage": mark("项目阶段"),
    "stage_on": mark("阶段日期"),
    "content": mark("内容"),
    "site": mark("落地地点"),
    "land_mu": mark("用地（亩）"),
    "contract_amount": mark("签约金额"),
    "phase1_amount": mark("一期投资"),
    "signed_on": mark("签约日期"),
    "amount": mark("金额"),
    "received_on": mark("到资日期"),
    "detail": mark("详情"),
    "due_on": mark("截止日期"),
    "status": mark("状态"),
    "resolution": mark("处理结果"),
    "deadline": mark("期限"),
    "their_asks": mark("对方诉求"),
    "our_offers": mark("我方条件"),
    "sticking_points": mark("分歧点"),
    "next_round": mark("下一轮安排"),
    "held_on": mark("洽谈日期"),
    "caption": mark("说明"),
    "filename": mark("文件名"),
}


def table_label(table: str) -> str:
    return tr(TABLE_LABELS[table]) if table in TABLE_LABELS else table


def field_label(table: str, field: str) -> str:
    """The domain's label for the field where it has one, else a common one, else the name."""
    if table == "enterprises" and field in enterprise.FIELD_LABELS:
        return enterprise.label(field)
    if table == "visits" and field in visit.FIELD_LABELS:
        return visit.label(field)
    return tr(COMMON_FIELD_LABELS[field]) if field in COMMON_FIELD_LABELS else field
