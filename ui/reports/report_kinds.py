"""The reports the 报表 page makes, what each needs chosen, and what each holds."""

from __future__ import annotations

from enum import Enum

from app.i18n import mark, tr


class ReportKind(Enum):
    WEEKLY = mark("一周一快报")
    DISPATCH = mark("一月一调度")
    RANKING = mark("一季一评比")
    BRIEF = mark("出访前简报")

    @property
    def label(self) -> str:
        return tr(self.value)

    @property
    def has_squad(self) -> bool:
        """Made for one squad or the whole bureau (the ranking compares all squads)."""
        return self in (ReportKind.WEEKLY, ReportKind.DISPATCH)

    @property
    def about(self) -> str:
        return tr(_ABOUT[self])


_ABOUT = {
    ReportKind.WEEKLY: mark(
        "外出招商天数、拜访企业个数、拜访次数、新签约 / 新开工 / 新竣工 / 新投产项目及金额、"
        "本周亮点；全局快报另列各小分队情况。下方是所选一周的实时数据。"
    ),
    ReportKind.DISPATCH: mark(
        "本月主要数据，以及督办清单：签约未开工、未履约、未建成投产的项目，逾期的承诺与诉求，"
        "逐项列明包抓责任人、逾期时长和下一步措施，并按责任人汇总。"
    ),
    ReportKind.RANKING: mark(
        "各小分队本季度的拜访、签约、开工等数据和履约率、开工率、投产率、资金到位率，"
        "按评比规则排名，附对比图表。"
    ),
    ReportKind.BRIEF: mark(
        "每家企业一份：基本情况、要素需求与投资意向、关键联系人、近期拜访、待兑现承诺、"
        "未办结诉求、待办任务和项目情况。可同时选择多家企业。"
    ),
}
