"""Text templates for demo records and pools of filled texts to sample from.

Templates use ``str.format`` slots; ``Slots.fill`` draws plausible numbers for them. Long texts
(visit discussions, negotiation rounds) are built once per chain link into pools and sampled,
which keeps the large dataset fast while every record still reads like a real note.
"""

from __future__ import annotations

import random
import string
from collections.abc import Sequence
from functools import cache

from app.demo.vocabulary import HOME_PARKS

VISIT_FIRST_PURPOSES = (
    "初次拜访，了解企业{business}业务布局和西部投资意向",
    "上门推介本市投资环境和{chain}产业链支持政策",
    "对接企业高层，了解新基地选址标准和时间安排",
)
VISIT_LATER_PURPOSES = (
    "回访企业，跟进新基地项目投资进展",
    "陪同分管市领导拜访企业高层，推介投资环境",
    "对接项目落地要素保障需求",
    "就投资协议主要条款进行沟通",
    "了解企业考察后的意见和决策进度",
    "跟进已签约项目开工准备情况",
)
DISCUSSION_TOPICS: tuple[tuple[str, ...], ...] = (
    (  # 产能扩张计划
        "企业目前{business}产能利用率较高，计划未来两到三年新增产能，正在西北、西南地区比选新基地。",
        "对方透露今年订单同比增长约{pct}%，现有基地已无扩产空间，需在两年内落地新项目。",
        "公司拟在西部布局第二生产基地，总投资约{yi}亿元，分两期建设，一期投资约占四成。",
    ),
    (  # 用地需求
        "用地方面，一期需工业用地约{land}亩，希望地块“七通一平”、能尽快挂牌出让。",
        "企业关心土地出让价格和供地周期，希望三个月内完成土地挂牌。",
        "对方提出一期之外另需预留约{land}亩发展用地，用于二期扩产。",
    ),
    (  # 能耗指标与电力
        "项目年用电量约{power}亿千瓦时，企业重点关注到户电价和绿电交易比例。",
        "能耗指标是企业最关心的问题，项目年综合能耗约{energy}万吨标准煤，需提前做好节能审查衔接。",
        "企业希望园区协调建设110千伏专用变电站，确保投产前完成电力接入。",
    ),
    (  # 配套政策
        "我方介绍了省市支持{chain}产业发展的若干措施，包括固定资产投资补助、贷款贴息和人才奖励。",
        "企业详细询问了“一事一议”政策的适用条件和兑现流程。",
        "对方希望在厂房代建、设备购置补贴方面给予支持。",
    ),
    (  # 物流成本
        "企业关注原材料和产品运输成本，我方介绍了中欧班列和陆港型物流枢纽的运价优势。",
        "对方测算西北基地至华东客户每吨运费高出约{cost}元，希望通过物流补贴弥补。",
    ),
    (  # 上下游配套
        "企业希望上下游配套企业同步落地，我方表示可共同开展以商招商。",
        "对方主要供应商中已有{k}家在本地设厂，配套半径短是本市的重要优势。",
        "我方介绍了链上已落地的重点企业，企业愿意与本地企业开展配套合作。",
    ),
    (  # 用工与人才
        "项目达产后需用工约{workers}人，企业关心技术工人招聘和职业院校定向培养。",
        "企业希望协调高校联合建设研发中心，解决高端人才引进问题。",
    ),
    (  # 环评与安全
        "企业询问园区环境容量和危废处置能力，我方表示将协助做好环评前期工作。",
        "对方关心化工园区安全风险评估结论和封闭化管理情况。",
    ),
    (  # 融资
        "企业希望对接本地金融机构和产业基金，解决项目建设期融资。",
        "对方询问市级产业引导基金参与项目投资的条件和退出方式。",
    ),
)
DISCUSSION_CLOSINGS = (
    "双方同意保持密切沟通，适时安排企业高层来兰实地考察。",
    "企业表示将尽快把考察情况向董事会汇报。",
    "我方表示将梳理企业诉求，逐项研究答复。",
    "双方商定由专人对接，按周沟通项目推进情况。",
)
OUTCOMES = (
    "企业初步确定来兰考察时间。",
    "双方就项目选址和土地供应达成初步共识。",
    "企业同意将本市列入新基地备选地。",
    "双方签署投资合作意向书。",
    "对方表示暂无新增投资计划，同意保持联系。",
    "明确了项目投资规模和一期建设内容。",
    "企业提供了项目可行性研究报告初稿。",
    "企业确认了用地、用电、用水需求清单。",
)
NEXT_STEPS = (
    "一周内报送项目选址方案和土地指标情况。",
    "协调发改、自然资源部门对接节能审查和用地预审。",
    "邀请企业参加兰洽会并争取现场签约。",
    "整理拜访纪要报分管市领导。",
    "两周内回访，确认考察行程。",
    "向企业提供园区控规图和电价测算表。",
    "起草投资协议文本，征求相关部门意见。",
)
THEIR_ASKS = (
    "要求土地价格按工业用地最低价执行，出让金分期缴纳。",
    "希望政府代建约{area}万平方米标准厂房，五年后按原价回购。",
    "要求到户电价不高于每千瓦时0.3元。",
    "希望给予设备投资额{pct}%的补助。",
    "要求前三年地方留成税收全额奖励。",
    "希望协调{land}亩工业用地指标并于年内供地。",
    "要求配套人才公寓，解决高管子女入学。",
    "希望市级产业基金参与项目投资约{yi}亿元。",
)
OUR_OFFERS = (
    "按政策给予固定资产投资{pct}%的补助，分三年兑现。",
    "协调解决{land}亩工业用地指标，确保半年内供地。",
    "协助申报绿电直供和市场化交易，降低综合电价。",
    "标准厂房前三年租金全免，后两年减半。",
    "市级产业引导基金可参与投资不超过{yi}亿元。",
    "协调供电公司一年内建成110千伏专线。",
    "提供人才公寓{apartments}套，高管子女就近入学。",
)
STICKING_POINTS = (
    "土地出让价格及供地时间未达成一致。",
    "电价优惠幅度与企业预期差距较大。",
    "企业要求的税收奖励超出现行政策范围。",
    "能耗指标尚未落实。",
    "厂房回购条款和违约责任需进一步商定。",
    "产业基金投资比例和退出方式存在分歧。",
)
NEXT_ROUNDS = (
    "由分管副市长带队赴企业总部洽谈，重点商定协议文本。",
    "企业法务审核协议文本后约定下一轮洽谈。",
    "双方各自测算投资收益后再议。",
    "拟于兰洽会期间签署正式投资协议。",
    "待企业董事会审议后确定下一轮时间。",
)
COMMITMENTS = (
    "协调解决{land}亩工业用地指标",
    "按固定资产投资的{pct}%给予补助",
    "协调建设110千伏专线，{months}个月内完成电力增容",
    "提供{area}万平方米标准化厂房，前三年租金减免",
    "协调落实{energy}万吨标准煤能耗指标",
    "协助申报省级重大项目并争取专项债支持",
    "提供人才公寓{apartments}套，解决高管子女入学",
    "协调天然气管网接入，保障年供气{gas}万立方米",
    "代办营业执照、项目备案等手续，30个工作日内办结",
)
WITHDRAWN_REASONS = (
    "企业调整投资计划，项目暂缓实施",
    "政策调整，经双方协商改为其他支持方式",
    "企业主动放弃该项支持",
    "项目解约，承诺事项相应撤回",
)
PROBLEMS = (
    (
        "用地报批慢",
        "项目用地组卷报批已超过四个月，影响开工计划。",
        "已协调自然资源部门开辟绿色通道，用地批复已下达。",
    ),
    (
        "电力增容",
        "现有变电站容量不足，需新增约{kva}千伏安供电容量。",
        "供电公司已完成线路改造，容量满足投产需求。",
    ),
    (
        "环评审批",
        "环评报告需补充大气环境影响专题，企业希望加快审查。",
        "生态环境部门提前介入指导，环评批复已取得。",
    ),
    ("能耗指标", "项目节能审查所需能耗指标尚未落实。", "经市发改委统筹，能耗指标已落实。"),
    (
        "施工许可办理",
        "施工图审查意见反复修改，施工许可证迟迟未办结。",
        "住建部门实行容缺受理，施工许可证已核发。",
    ),
    ("天然气接入", "园区天然气管网未覆盖项目地块。", "燃气公司已完成管网延伸并通气。"),
    (
        "污水处理配套",
        "园区污水处理厂扩容滞后，影响项目试生产。",
        "污水处理厂扩容工程已完工，满足排放需求。",
    ),
    ("员工宿舍不足", "项目投产前需解决约{workers}名员工住宿。", "已协调园区人才公寓定向配租。"),
    ("融资难", "项目建设期资金缺口较大，银行授信审批慢。", "已组织银企对接会，两家银行完成授信。"),
    (
        "铁路专用线",
        "企业希望接入铁路专用线，降低大宗原料运输成本。",
        "专用线接轨方案已获铁路部门批复。",
    ),
    (
        "技术工人招聘难",
        "投产在即，熟练技术工人缺口约{workers}人。",
        "已联合职业技术学院开设定向培养班。",
    ),
    ("政策兑现慢", "固定资产投资补助申报后迟迟未拨付。", "补助资金已按程序拨付到位。"),
)
STAGE_NOTES = {
    "lead": ("通过以商招商获得项目线索", "兰洽会对接获得线索", "驻外联络员报送线索"),
    "negotiating": ("企业确认投资意向，进入实质性洽谈", "企业完成实地考察，启动项目洽谈"),
    "signed": ("在兰洽会上签订投资合同", "签订正式投资协议", "市政府与企业签署投资合同"),
    "registered": ("完成项目公司工商注册", "项目公司取得营业执照"),
    "started": ("项目举行开工仪式", "主体工程开工建设"),
    "completed": ("主体工程竣工验收", "厂房及配套设施竣工"),
    "producing": ("首条生产线投产", "项目正式投产"),
    "terminated": ("企业投资计划调整，经协商解除投资协议", "签约后长期未开工，依约解约"),
    "suspended": ("受市场行情影响，企业暂缓投资", "等待能耗指标落实，项目暂缓"),
}
FUNDING_NOTES = ("项目资本金到位", "设备采购款到位", "工程建设款到位", "股东增资到位")
TRIP_TITLES = (
    "赴{macro}{chain}产业招商",
    "赴{macro}开展{chain}产业链精准招商",
    "{macro}{chain}重点企业拜访对接",
)
TRIP_PURPOSES = (
    "拜访{chain}产业链重点企业，推介本市投资环境和产业政策，跟进在谈项目。",
    "对接链主企业及配套企业，争取项目来兰考察；同步回访已签约项目投资方。",
    "落实“一月一调度”要求，逐户走访在谈企业，推动项目尽快签约。",
)
LOCAL_TRIP_TITLE = "赴{city}开展{chain}产业对接"
TASKS_FOR_VISIT = (
    "回访{short}，确认考察行程",
    "回访{short}，确认用地需求",
    "整理{short}拜访纪要报分管领导",
    "向{short}寄送园区招商手册和政策汇编",
    "邀请{short}参加兰洽会",
    "核实{short}工商登记信息",
)
TASKS_FOR_PROJECT = (
    "跟进{project}营业执照办理",
    "督促{project}开工，收集开工照片",
    "收集{project}到资凭证",
    "准备{project}调度会汇报材料",
    "协调{project}用地报批",
)
TASKS_FOR_ENTERPRISE = (
    "准备{short}第{round}轮洽谈材料",
    "协调解决{short}诉求",
    "更新{short}企业档案",
    "梳理{short}承诺事项兑现情况",
)
INTENTS = {
    "strong": (
        "计划在西北地区新建{business}生产基地，总投资约{yi}亿元，已将本市列为首选落地地。",
        "已完成来兰考察，拟投资约{yi}亿元建设{business}项目，希望年内签约。",
    ),
    "medium": (
        "有意在西部布局{business}产能，正在比选兰州、银川、西宁等地，预计年内决策。",
        "对本市绿电和土地资源有兴趣，计划投资约{yi}亿元，尚在可研阶段。",
    ),
    "weak": (
        "近期以消化现有产能为主，对西部投资持观望态度，可保持跟踪。",
        "暂无明确投资计划，但对本市{chain}产业配套表示关注。",
    ),
    "unknown": ("",),
}
SITE_PREFERENCES = (
    "优先考虑{park}，要求临近铁路货运站",
    "希望选址于{park}，地块平整、可分期供地",
    "倾向化工园区内，需具备危废集中处置能力",
    "要求距机场、高速公路出口30公里以内",
)
PROFILE_EXTRAS = (
    "公司是{chain}行业龙头企业，上年营业收入约{revenue}亿元，在全国拥有{k}个生产基地。",
    "公司是国家高新技术企业，拥有发明专利{patents}项，产品销往{k}个国家和地区。",
    "公司处于快速成长期，现有员工约{workers}人，正在筹备新一轮融资。",
)


_SLOT_VALUES: dict[str, tuple[object, ...]] = {
    "pct": (10, 15, 20, 25, 30, 40),
    "yi": (3, 5, 8, 10, 15, 20, 30, 50),
    "land": (50, 80, 100, 150, 200, 300, 500, 800),
    "power": (0.5, 1, 2, 3, 5, 8),
    "energy": (1, 2, 3, 5, 8, 10),
    "cost": (80, 120, 150, 200, 260),
    "k": tuple(range(3, 13)),
    "workers": (150, 300, 500, 800, 1200, 2000),
    "area": (2, 3, 5, 8, 10),
    "months": (3, 6, 9, 12),
    "apartments": (20, 30, 50, 100),
    "gas": (500, 1000, 3000, 5000),
    "kva": (5000, 10000, 20000, 40000),
    "revenue": (80, 120, 200, 350, 600, 1200),
    "patents": tuple(range(12, 261)),
    "park": HOME_PARKS,
}


@cache
def _fields(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


class Slots:
    """Fills template slots with plausible values drawn from one seeded ``random.Random``."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def fill(self, template: str, **known: object) -> str:
        if "{" not in template:
            return template
        choice = self._rng.choice
        values = dict(known)
        for name in _fields(template):
            if name not in values:
                values[name] = choice(_SLOT_VALUES[name])
        return template.format(**values)

    def pick(self, templates: Sequence[str], **known: object) -> str:
        return self.fill(self._rng.choice(templates), **known)


class LinkTexts:
    """Pools of filled long texts for one chain link."""

    def __init__(
        self, slots: Slots, rng: random.Random, chain: str, business: str, size: int
    ) -> None:
        known = {"chain": chain, "business": business}
        self.discussions = [self._discussion(slots, rng, known) for _ in range(size)]
        self.asks = [self._lines(slots, rng, THEIR_ASKS, known) for _ in range(size)]
        self.offers = [self._lines(slots, rng, OUR_OFFERS, known) for _ in range(size)]
        self.first_purposes = [slots.fill(t, **known) for t in VISIT_FIRST_PURPOSES]
        self.intents = {
            level: [slots.pick(templates, **known) for _ in range(max(2, size // 4))]
            for level, templates in INTENTS.items()
        }

    @staticmethod
    def _discussion(slots: Slots, rng: random.Random, known: dict[str, str]) -> str:
        topics = rng.sample(DISCUSSION_TOPICS, 3)
        sentences = [slots.pick(topic, **known) for topic in topics]
        sentences.append(rng.choice(DISCUSSION_CLOSINGS))
        return "".join(sentences)

    @staticmethod
    def _lines(
        slots: Slots, rng: random.Random, templates: Sequence[str], known: dict[str, str]
    ) -> str:
        chosen = rng.sample(templates, rng.randint(1, 3))
        return "\n".join(f"{n}. {slots.fill(t, **known)}" for n, t in enumerate(chosen, start=1))


def two_of(rng: random.Random, texts: Sequence[str]) -> str:
    """One or two distinct sentences from ``texts`` joined."""
    if rng.random() < 0.5:
        return rng.choice(texts)
    first, second = rng.sample(texts, 2)
    return first + second
