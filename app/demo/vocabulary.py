"""Word lists for demo data: people, titles, places, company-name parts, honour lists.

Everything here is plain data. Names are generic: brand words are two-character combinations of
common auspicious characters (well-known real brands are left out), people are drawn from common
surnames and given-name characters, and the municipal leaders are "张某某"-style placeholders.
Characters with more than one common reading are kept out of the brand pool so that pinyin
initials computed per name part equal those of the whole name.
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严武戴莫孔向汤"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华建国文辉力斌宇浩凯鹏晨琳婷雪颖佳欣鑫昊博然晓东"
    "海志红玉兰永春波宁飞亮峰帅俊新宏梅瑶慧晶磊林松岩睿哲涵璐倩蕾铭轩诚毅立成嘉懿"
)

MEMBER_LEADER_TITLES = ("招商局副局长", "投资促进局副局长", "投资促进中心主任", "招商局党组成员")
MEMBER_TITLES = (
    "招商一科科长",
    "招商二科科长",
    "项目服务科科长",
    "招商一科副科长",
    "一级主任科员",
    "二级主任科员",
    "科员",
    "招商专员",
    "驻沪招商联络员",
    "驻深招商联络员",
    "驻京招商联络员",
    "驻蓉招商联络员",
)
ADMIN_TITLE = "招商局办公室主任"

CONTACT_TITLES = (
    "董事长",
    "总经理",
    "副总裁",
    "副总经理",
    "投资发展部部长",
    "战略投资总监",
    "董事会秘书",
    "总工程师",
    "财务总监",
    "行政总监",
    "项目总监",
    "投资经理",
    "战略发展部总经理",
    "西北区域总经理",
)
PRIMARY_TITLES = ("董事长", "总经理", "副总裁")

MOBILE_PREFIXES = _words(
    "130 131 132 133 135 136 137 138 139 150 151 152 155 156 157 158 "
    "159 166 177 180 181 182 183 185 186 187 188 189 191 198 199"
)

LEADER_TITLES = (
    "市委副书记、市长",
    "市委常委、常务副市长",
    "副市长",
    "市委常委、副市长",
    "市人大常委会副主任",
    "市政协副主席",
    "副市长",
)
"""Titles of 链长 (municipal leaders who each lead one industry chain)."""

HOME_REGION = "620100"
"""The demo bureau's own city: 兰州市."""
HOME_BUREAU = "兰州市投资促进局"
"""The demo bureau's name, printed at the head of its reports."""
HOME_PARKS = (
    "兰州新区精细化工园区",
    "兰州新区秦川园区",
    "兰州新区综合保税区",
    "兰州高新技术产业开发区",
    "兰州经济技术开发区",
    "红古区海石湾工业园",
    "榆中县和平工业园",
    "永登县中川工业园",
)
HOME_MEETING_PLACES = (
    "市投资促进局第一会议室",
    "兰州新区管委会招商服务中心",
    "市政府第三会议室",
    "兰洽会重点项目洽谈区",
    "高新区企业服务中心",
    "经开区管委会二楼会议室",
)

EXTRA_SQUADS = (
    ("驻长三角招商小分队", "长三角地区重点企业驻点招商", HOME_REGION),
    ("驻珠三角招商小分队", "粤港澳大湾区重点企业驻点招商", HOME_REGION),
    ("驻京津冀招商小分队", "京津冀央企、总部企业驻点招商", HOME_REGION),
    ("驻成渝招商小分队", "成渝地区重点企业驻点招商", HOME_REGION),
    ("兰州新区招商小分队", "兰州新区园区招商", HOME_REGION),
    ("高新区招商小分队", "高新区科技型企业招商", HOME_REGION),
    ("经开区招商小分队", "经开区先进制造业招商", HOME_REGION),
    ("城关区招商小分队", "总部经济与现代服务业招商", "620102"),
    ("七里河区招商小分队", "区属园区招商", "620103"),
    ("西固区招商小分队", "石化及下游产业招商", "620104"),
    ("安宁区招商小分队", "科教资源转化项目招商", "620105"),
    ("红古区招商小分队", "海石湾工业园招商", "620111"),
    ("永登县招商小分队", "中川工业园招商", "620121"),
    ("皋兰县招商小分队", "县域特色产业招商", "620122"),
)
"""Squads added in the large dataset, besides one per chain."""


class Province(NamedTuple):
    """Where target enterprises are: a code prefix per city, a weight, and the macro-region."""

    short: str
    macro: str
    city_prefixes: tuple[str, ...]
    weight: int


PROVINCES = (
    Province("江苏", "长三角", ("3201", "3202", "3204", "3205", "3206"), 16),
    Province("浙江", "长三角", ("3301", "3302", "3304", "3306"), 12),
    Province("上海", "长三角", ("31",), 9),
    Province("安徽", "长三角", ("3401", "3402"), 4),
    Province("广东", "珠三角", ("4401", "4403", "4404", "4406", "4413"), 15),
    Province("福建", "珠三角", ("3501", "3502", "3509"), 4),
    Province("北京", "京津冀", ("11",), 8),
    Province("天津", "京津冀", ("12",), 3),
    Province("四川", "成渝", ("5101", "5107"), 6),
    Province("重庆", "成渝", ("5001",), 3),
    Province("陕西", "关中", ("6101", "6103", "6104"), 5),
    Province("山东", "山东半岛", ("3701", "3702", "3706"), 5),
    Province("湖北", "华中", ("4201", "4205"), 3),
    Province("河南", "华中", ("4101", "4103"), 2),
    Province("甘肃", "省内", ("6201", "6203", "6205", "6206"), 10),
)
LOCAL_MACRO = "省内"
MACRO_NAMES = {
    "长三角": ("长三角", "苏浙沪", "长三角地区"),
    "珠三角": ("珠三角", "粤港澳大湾区", "粤闽"),
    "京津冀": ("京津冀", "北京、天津"),
    "成渝": ("成渝地区", "成都、重庆"),
    "关中": ("西安", "关中平原城市群"),
    "山东半岛": ("山东", "济南、青岛"),
    "华中": ("武汉、郑州", "华中地区"),
    "省内": ("省内",),
}

BRAND_CHARS = (
    "恒瑞华鑫盛泰宏达科源晶力诚信金锦润博睿创拓越远航天宇昊嘉联佳合众德正兴昌隆海川峰岳"
    "辉耀腾凯旭阳光明星瀚卓泽安泓祥瑞丰裕汇通宝顺鼎铭致立亿万康安优云"
)
BLOCKED_BRANDS = frozenset(
    _words(
        """
        华为 恒瑞 恒力 隆基 通威 天合 晶科 阳光 中兴 联想 华润 中芯 天马
        华星 万华 金风 明阳 远景 国轩 亿纬 先导 汇川 迈瑞 复星 恒大 万科
        海康 大华 立讯 歌尔 舜宇 蓝思 紫光 长电 华天 通富 中微 正泰 德业
        锦浪 天齐 赣锋 华友 容百 当升 杉杉 星源 天赐 中伟 金川 天顺 海螺
        华新 三一 徐工 中联 潍柴 玉柴 宇通 福田 长城 吉利 奇瑞 长安 上汽
        广汽 东风 一汽 蔚来 理想 小鹏 鼎胜 科达 泰和 合盛 宏达 永泰 盛屯
        华鼎 海亮 金盛 信达 中天 亨通 德赛 光明 天宇 万达 安康 宝钢 金龙
        宏发 汇通 中科 博瑞 康泰 华康 泰康 亿联 科华 华联 远航 联创 佳兆
        宝丰 正兴 泰昌 辉瑞 海天 海信 康佳 恒安 汇源 兴业 恒丰 华海 海正
        博腾 万泰 安科 达安 华峰 辉丰 天康 海大 泰胜 恒立 恒润 华锐 瑞丰
        云海 明泰 万顺 宏创 腾远 正海 金力 光威 晶盛 云天 安泰 万安 航天
        旭阳 华鑫 汇丰 德信 安信 华泰 华安 宏源 华宝 泰安 宝安 瑞安 海安
        泰兴 兴安 德阳 安阳 信阳 德兴 瑞昌 丰泽 昌隆 达利 信立 宝鼎 天宝
        """
    )
)
COMPANY_SUFFIXES = (
    ("有限公司", 50),
    ("股份有限公司", 22),
    ("科技有限公司", 18),
    ("集团有限公司", 6),
    ("有限责任公司", 4),
)
ROAD_WORDS = _words(
    "创新 科技 星湖 人民 滨江 新华 建设 发展 工业 振兴 高新 学府 鼎新 兴业 开源 智谷 湖滨 海港 未来"
)
ROAD_KINDS = ("路", "大道", "街", "大街")


class Directory(NamedTuple):
    """One honour list of the demo (kind is a ``HonourKind`` value; the year is the latest list
    year before ``today`` minus ``years_back``)."""

    kind: str
    years_back: int
    batch: str
    title: str
    tag: str
    ranked: bool


DIRECTORIES = (
    Directory("global500", 0, "", "{year}年《财富》世界500强", "世界500强", True),
    Directory("china500", 0, "", "{year}中国企业500强", "中国500强", True),
    Directory("little_giant", 1, "第六批", "第六批专精特新“小巨人”企业", "专精特新", False),
    Directory("little_giant", 0, "第七批", "第七批专精特新“小巨人”企业", "专精特新", False),
    Directory("gazelle", 0, "", "{year}年瞪羚企业名单", "瞪羚企业", False),
    Directory("unicorn", 0, "", "{year}中国独角兽企业榜单", "独角兽", False),
    Directory("listed", 0, "", "A股上市公司名录（{year}年）", "上市公司", False),
)
DIRECTORY_SOURCE = "演示数据（虚构名单，仅供试用）"

TAGS_BY_TIER = (
    ("重点目标", "链主企业", "龙头企业", "央企", "国企", "外资企业", "优先跟进"),
    ("重点目标", "高新技术企业", "拟上市", "民营企业", "以商招商", "兰洽会签约", "优先跟进"),
    ("高新技术企业", "民营企业", "初创企业", "甘商回归", "科技型中小企业"),
)
