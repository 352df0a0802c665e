"""The closed vocabularies of the trade: stages, roles, statuses, honour lists, link kinds.

Each value is stored by its stable English key; ``label`` gives the Chinese term through ``tr``.
"""

from __future__ import annotations

from enum import StrEnum

from app.i18n import mark, tr

LAND_UNIT = "亩"
"""The unit land is given in, as forms and sheets write it after a number."""


class _Labelled(StrEnum):
    """A StrEnum whose members carry a Chinese label (translated when shown)."""

    @property
    def label(self) -> str:
        return tr(_LABELS[(type(self), self.value)])

    @classmethod
    def parse(cls, raw: str) -> _Labelled:
        """Accept the key or the Chinese label (as a user or a spreadsheet would write it)."""
        text = raw.strip()
        for member in cls:
            if text in (member.value, _LABELS[(cls, member.value)]):
                return member
        raise ValueError(text)


class Role(_Labelled):
    MEMBER = "member"
    LEADER = "leader"
    ADMIN = "admin"


class ProjectStage(_Labelled):
    LEAD = "lead"
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    REGISTERED = "registered"
    STARTED = "started"
    COMPLETED = "completed"
    PRODUCING = "producing"
    TERMINATED = "terminated"
    SUSPENDED = "suspended"

    @property
    def is_exit(self) -> bool:
        return self in (ProjectStage.TERMINATED, ProjectStage.SUSPENDED)

    @property
    def order(self) -> int:
        return PIPELINE.index(self) if self in PIPELINE else len(PIPELINE)


PIPELINE: tuple[ProjectStage, ...] = (
    ProjectStage.LEAD,
    ProjectStage.NEGOTIATING,
    ProjectStage.SIGNED,
    ProjectStage.REGISTERED,
    ProjectStage.STARTED,
    ProjectStage.COMPLETED,
    ProjectStage.PRODUCING,
)


class LinkKind(_Labelled):
    BUILD = "build"
    FILL = "fill"
    STRENGTHEN = "strengthen"
    EXTEND = "extend"


class ChainPosition(_Labelled):
    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"


class HonourKind(_Labelled):
    GLOBAL_500 = "global500"
    CHINA_500 = "china500"
    PRIVATE_500 = "private500"
    INDUSTRY_LEADER = "industry_leader"
    LISTED = "listed"
    SPECIALISED = "specialised"
    LITTLE_GIANT = "little_giant"
    GAZELLE = "gazelle"
    UNICORN = "unicorn"


class LeaderType(_Labelled):
    PARTY_GOVERNMENT_HEAD = "party_government_head"
    DEPUTY_LEADER = "deputy_leader"
    BUREAU_HEAD = "bureau_head"
    OTHER = "other"


class IntentLevel(_Labelled):
    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"
    UNKNOWN = "unknown"


class CommitmentStatus(_Labelled):
    PENDING = "pending"
    HONOURED = "honoured"
    WITHDRAWN = "withdrawn"


class ProblemStatus(_Labelled):
    OPEN = "open"
    RESOLVED = "resolved"


class TaskStatus(_Labelled):
    OPEN = "open"
    DONE = "done"


class AttachmentKind(_Labelled):
    PHOTO = "photo"
    DOCUMENT = "document"
    BUSINESS_CARD = "business_card"
    AGREEMENT = "agreement"
    BUSINESS_LICENCE = "business_licence"
    GROUNDBREAKING_PHOTO = "groundbreaking_photo"
    FUNDS_PROOF = "funds_proof"


_LABEL_PAIRS: tuple[tuple[StrEnum, str], ...] = (
    (Role.MEMBER, mark("队员")),
    (Role.LEADER, mark("队长")),
    (Role.ADMIN, mark("管理员")),
    (ProjectStage.LEAD, mark("线索")),
    (ProjectStage.NEGOTIATING, mark("在谈")),
    (ProjectStage.SIGNED, mark("签约")),
    (ProjectStage.REGISTERED, mark("注册")),
    (ProjectStage.STARTED, mark("开工")),
    (ProjectStage.COMPLETED, mark("竣工")),
    (ProjectStage.PRODUCING, mark("投产")),
    (ProjectStage.TERMINATED, mark("解约")),
    (ProjectStage.SUSPENDED, mark("暂缓")),
    (LinkKind.BUILD, mark("建链")),
    (LinkKind.FILL, mark("补链")),
    (LinkKind.STRENGTHEN, mark("强链")),
    (LinkKind.EXTEND, mark("延链")),
    (ChainPosition.UPSTREAM, mark("上游")),
    (ChainPosition.MIDSTREAM, mark("中游")),
    (ChainPosition.DOWNSTREAM, mark("下游")),
    (HonourKind.GLOBAL_500, mark("世界500强")),
    (HonourKind.CHINA_500, mark("中国500强")),
    (HonourKind.PRIVATE_500, mark("中国民营企业500强")),
    (HonourKind.INDUSTRY_LEADER, mark("行业龙头")),
    (HonourKind.LISTED, mark("上市公司")),
    (HonourKind.SPECIALISED, mark("专精特新")),
    (HonourKind.LITTLE_GIANT, mark("专精特新“小巨人”")),
    (HonourKind.GAZELLE, mark("瞪羚企业")),
    (HonourKind.UNICORN, mark("独角兽企业")),
    (LeaderType.PARTY_GOVERNMENT_HEAD, mark("党政主职")),
    (LeaderType.DEPUTY_LEADER, mark("分管领导")),
    (LeaderType.BUREAU_HEAD, mark("局长/部门负责人")),
    (LeaderType.OTHER, mark("其他")),
    (IntentLevel.STRONG, mark("强")),
    (IntentLevel.MEDIUM, mark("中")),
    (IntentLevel.WEAK, mark("弱")),
    (IntentLevel.UNKNOWN, mark("未知")),
    (CommitmentStatus.PENDING, mark("待兑现")),
    (CommitmentStatus.HONOURED, mark("已兑现")),
    (CommitmentStatus.WITHDRAWN, mark("已撤回")),
    (ProblemStatus.OPEN, mark("办理中")),
    (ProblemStatus.RESOLVED, mark("已办结")),
    (TaskStatus.OPEN, mark("待办")),
    (TaskStatus.DONE, mark("已完成")),
    (AttachmentKind.PHOTO, mark("照片")),
    (AttachmentKind.DOCUMENT, mark("文件")),
    (AttachmentKind.BUSINESS_CARD, mark("名片")),
    (AttachmentKind.AGREEMENT, mark("协议")),
    (AttachmentKind.BUSINESS_LICENCE, mark("营业执照")),
    (AttachmentKind.GROUNDBREAKING_PHOTO, mark("开工照片")),
    (AttachmentKind.FUNDS_PROOF, mark("到资凭证")),
)
_LABELS: dict[tuple[type, str], str] = {
    (type(member), member.value): label for member, label in _LABEL_PAIRS
}
"""Keyed by enum type and value: ``ProblemStatus.OPEN`` and ``TaskStatus.OPEN`` are both
"open", and as plain StrEnum keys the second would overwrite the first's label."""
