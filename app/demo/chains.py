"""The demo's industry chains (产业链) with their links, GB/T 4754-2017 class codes and products.

Each link lists the 4-digit industry classes its enterprises are registered under (all checked
against the shipped code list by a test), what they do (for dossier profiles) and a project name
(``{n}`` is filled with one of the sizes).
"""

from __future__ import annotations

from typing import NamedTuple


class LinkSpec(NamedTuple):
    name: str
    position: str  # ChainPosition value
    kind: str  # LinkKind value
    codes: tuple[str, ...]
    sizes: tuple[int, ...]
    business: str
    project: str


class ChainSpec(NamedTuple):
    name: str
    squad: str
    leader: str
    description: str
    name_words: tuple[str, ...]  # industry words in enterprise names
    links: tuple[LinkSpec, ...]


UP, MID, DOWN = "upstream", "midstream", "downstream"
BUILD, FILL, STRONG, EXTEND = "build", "fill", "strengthen", "extend"


def _link(
    name: str, position: str, kind: str, codes: str, sizes: str, business: str, project: str
) -> LinkSpec:
    return LinkSpec(
        name,
        position,
        kind,
        tuple(codes.split()),
        tuple(int(n) for n in sizes.split()),
        business,
        project,
    )


# fmt: off
CHAINS: tuple[ChainSpec, ...] = (
    ChainSpec(
        "新能源", "新能源招商小分队", "张某某",
        "依托风光资源和低电价优势，打造锂电池材料—电芯—储能系统和风光装备制造全链条。",
        ("新能源", "锂电", "储能", "光伏", "风电", "电池", "能源", "动力"),
        (
            _link("锂电池正极材料", UP, STRONG, "2613 3985", "2 5 10 20",
                  "磷酸铁锂、三元正极材料", "年产{n}万吨磷酸铁锂正极材料项目"),
            _link("负极材料", UP, FILL, "3091", "3 5 10",
                  "人造石墨负极材料及石墨化加工", "年产{n}万吨人造石墨负极材料项目"),
            _link("电解液", UP, FILL, "2669 2661", "2 5 10",
                  "锂电池电解液及六氟磷酸锂", "年产{n}万吨锂电池电解液项目"),
            _link("隔膜", UP, BUILD, "2921", "2 4 8",
                  "湿法锂电池隔膜", "年产{n}亿平方米锂电池隔膜项目"),
            _link("电芯制造", MID, STRONG, "3841", "5 10 20 30",
                  "动力及储能锂离子电池电芯", "年产{n}GWh锂离子电池电芯项目"),
            _link("储能系统集成", DOWN, EXTEND, "3841 3829", "2 5 10",
                  "储能电池系统集成及储能变流器", "年产{n}GWh储能系统集成项目"),
            _link("光伏组件", MID, STRONG, "3825", "2 5 10",
                  "高效晶硅光伏电池及组件", "年产{n}GW高效光伏组件项目"),
            _link("风电整机", MID, STRONG, "3415", "200 300 500",
                  "大兆瓦风电机组整机", "年产{n}台大兆瓦风电机组项目"),
            _link("新能源电站运营", DOWN, EXTEND, "4415 4416", "50 100 200",
                  "风电、光伏电站投资运营", "{n}万千瓦风光储一体化项目"),
        ),
    ),
    ChainSpec(
        "新材料", "新材料招商小分队", "王某某",
        "发挥有色金属资源优势，延伸铝、镍钴、稀土精深加工，补齐碳纤维、电子材料短板。",
        ("新材料", "材料", "合金", "铝业", "碳素", "稀土", "金属", "特材"),
        (
            _link("有色金属冶炼", UP, STRONG, "3216 3213", "10 20 30",
                  "电解铝及镍钴冶炼", "年产{n}万吨绿色低碳铝冶炼项目"),
            _link("铝及铝合金精深加工", MID, EXTEND, "3252 3240", "5 10 20",
                  "高性能铝合金板带箔及型材", "年产{n}万吨高端铝合金板带项目"),
            _link("镍钴新材料", MID, STRONG, "3213 3240", "2 5 10",
                  "镍钴盐及三元前驱体", "年产{n}万吨三元前驱体项目"),
            _link("稀土功能材料", MID, FILL, "3232 3254", "2 3 5",
                  "稀土永磁及稀土功能材料", "年产{n}千吨高性能稀土永磁材料项目"),
            _link("碳纤维及复合材料", MID, BUILD, "3091 3062", "1 2 5",
                  "碳纤维及复合材料制品", "年产{n}千吨碳纤维复合材料项目"),
            _link("高性能合成树脂", UP, FILL, "2651", "3 5 10",
                  "工程塑料及特种合成树脂", "年产{n}万吨特种合成树脂项目"),
            _link("特种玻璃与陶瓷", MID, FILL, "3042 3073", "50 100 300",
                  "特种玻璃及先进陶瓷", "年产{n}万平方米特种玻璃项目"),
            _link("电子专用材料", DOWN, EXTEND, "3985", "1 3 5",
                  "电子级化学品及靶材", "年产{n}千吨电子专用材料项目"),
        ),
    ),
    ChainSpec(
        "电子信息", "电子信息小分队", "李某某",
        "围绕算力枢纽建设，引进芯片封测、电子元器件、智能终端和数据中心项目。",
        ("微电子", "半导体", "电子", "光电", "信息技术", "智能科技", "数据", "软件"),
        (
            _link("集成电路设计", UP, BUILD, "6520", "50 100 200",
                  "模拟及功率芯片设计", "集成电路设计研发中心项目（{n}人团队）"),
            _link("半导体材料", UP, FILL, "3985", "1 2 5",
                  "电子级多晶硅及半导体材料", "年产{n}千吨电子级多晶硅项目"),
            _link("封装测试", MID, BUILD, "3973", "5 10 20",
                  "集成电路封装测试", "年封测{n}亿颗集成电路项目"),
            _link("电子元器件", MID, STRONG, "3981 3982 3983", "10 30 50",
                  "片式元器件、电路板及传感器", "年产{n}亿只电子元器件项目"),
            _link("显示面板与模组", MID, FILL, "3974", "300 500 1000",
                  "液晶及OLED显示模组", "年产{n}万片显示模组项目"),
            _link("智能终端", DOWN, EXTEND, "3922 3961", "100 300 500",
                  "智能终端及可穿戴设备", "年产{n}万台智能终端项目"),
            _link("数据中心与算力", DOWN, EXTEND, "6550 6531", "2000 5000 10000",
                  "数据中心建设运营及算力服务", "{n}个标准机柜智算中心项目"),
            _link("工业软件", DOWN, FILL, "6513 6512", "50 100 300",
                  "工业软件及行业信息化解决方案", "工业软件区域总部项目（{n}人团队）"),
        ),
    ),
    ChainSpec(
        "高端装备", "高端装备小分队", "赵某某",
        "以石化装备、数控机床为基础，引进机器人、增材制造和新能源汽车零部件企业。",
        ("装备", "机械", "智能装备", "精密机械", "重工", "机器人", "数控", "汽车部件"),
        (
            _link("基础零部件", UP, FILL, "3451 3453 3444", "50 100 200",
                  "轴承、齿轮及液压件", "年产{n}万套精密轴承及传动部件项目"),
            _link("数控机床", MID, STRONG, "3421 3422", "300 500 1000",
                  "高档数控机床", "年产{n}台高档数控机床项目"),
            _link("工业机器人", MID, BUILD, "3491", "1000 2000 5000",
                  "工业机器人及系统集成", "年产{n}台工业机器人项目"),
            _link("增材制造装备", MID, BUILD, "3493", "100 200 500",
                  "金属3D打印装备及服务", "年产{n}台增材制造装备项目"),
            _link("石化及矿山装备", MID, STRONG, "3512 3521 3511", "200 500 1000",
                  "炼化、钻采及矿山专用设备", "年产{n}台（套）石化专用装备项目"),
            _link("新能源汽车零部件", DOWN, EXTEND, "3670 3612", "20 50 100",
                  "新能源汽车电驱、热管理及车身部件", "年产{n}万套新能源汽车零部件项目"),
            _link("轨道交通装备", DOWN, FILL, "3716 3720", "500 1000 2000",
                  "轨道交通车辆配件及专用设备", "年产{n}套轨道交通装备项目"),
        ),
    ),
    ChainSpec(
        "生物医药", "生物医药小分队", "刘某某",
        "依托道地药材和科研院所，发展中药现代化、生物制品、原料药和医疗器械。",
        ("生物", "医药", "制药", "药业", "生物科技", "医疗器械", "健康", "基因"),
        (
            _link("中药材种植", UP, STRONG, "0171", "1 3 5",
                  "当归、黄芪、党参等道地药材种植", "{n}万亩道地中药材种植基地项目"),
            _link("原料药", UP, FILL, "2710", "500 1000 3000",
                  "化学原料药及医药中间体", "年产{n}吨原料药项目"),
            _link("药用辅料及包材", UP, FILL, "2780", "5 10 20",
                  "药用辅料及药品包装材料", "年产{n}亿只药用包材项目"),
            _link("化学药制剂", MID, STRONG, "2720", "10 20 50",
                  "化学药品制剂", "年产{n}亿片（粒）化学药制剂项目"),
            _link("中成药", MID, STRONG, "2740 2730", "1000 3000 5000",
                  "中成药及中药饮片", "年产{n}吨中药饮片及中成药项目"),
            _link("生物药与疫苗", MID, BUILD, "2761 2762", "1000 3000 5000",
                  "生物制品及疫苗", "年产{n}万剂疫苗及生物制品项目"),
            _link("医疗器械", DOWN, EXTEND, "3581 3584", "1000 5000 10000",
                  "医学影像、体外诊断及手术器械", "年产{n}台（套）医疗器械项目"),
        ),
    ),
    ChainSpec(
        "能源化工", "新材料招商小分队", "陈某某",
        "推进石化基地炼化一体化，延伸精细化工和化工新材料，布局氢能制储运。",
        ("化工", "石化", "能源化工", "精细化工", "化学", "氢能"),
        (
            _link("石油炼化", UP, STRONG, "2511", "100 300 500",
                  "原油加工及石油化工产品", "{n}万吨/年炼化一体化升级改造项目"),
            _link("煤炭清洁利用", UP, STRONG, "2523 2522", "20 50 100",
                  "煤制油、煤制气及煤基新材料", "年产{n}万吨煤基新材料项目"),
            _link("基础化工原料", MID, FILL, "2614 2612", "10 30 50",
                  "有机及无机基础化工原料", "年产{n}万吨基础化工原料项目"),
            _link("精细化工", MID, EXTEND, "2661 2662", "2 5 10",
                  "精细化学品及化学助剂", "年产{n}万吨精细化学品项目"),
            _link("氢能制储运", MID, BUILD, "2619", "1 2 5",
                  "绿氢制取、储运及加注", "年产{n}万吨绿氢及储运项目"),
            _link("化工新材料", DOWN, EXTEND, "2651 2652", "5 10 20",
                  "可降解塑料及特种橡胶", "年产{n}万吨可降解新材料项目"),
        ),
    ),
    ChainSpec(
        "现代农业", "生物医药小分队", "杨某某",
        "做强高原夏菜、马铃薯和牛羊产业，延伸农产品精深加工和冷链物流。",
        ("农业", "食品", "农牧", "种业", "果业", "乳业", "牧业"),
        (
            _link("高原夏菜种植", UP, STRONG, "0141", "3000 5000 10000",
                  "高原夏菜种植及净菜加工", "{n}亩高原夏菜标准化种植基地项目"),
            _link("马铃薯种薯繁育", UP, FILL, "0123", "1 2 5",
                  "马铃薯脱毒种薯繁育", "{n}万亩马铃薯种薯繁育基地项目"),
            _link("牛羊养殖", UP, STRONG, "0311 0314", "3000 5000 10000",
                  "肉牛、肉羊规模化养殖", "存栏{n}头肉牛规模化养殖项目"),
            _link("农产品精深加工", MID, EXTEND, "1371 1391", "5 10 20",
                  "蔬菜、马铃薯精深加工", "年加工{n}万吨农产品精深加工项目"),
            _link("肉类及乳制品加工", MID, STRONG, "1353 1441", "2 5 10",
                  "牛羊肉分割及乳制品加工", "年加工{n}万吨牛羊肉及乳制品项目"),
            _link("冷链物流", DOWN, FILL, "5930 5432", "5 10 20",
                  "农产品冷链仓储及配送", "{n}万吨冷链物流中心项目"),
        ),
    ),
)
# fmt: on


def all_industry_codes() -> list[str]:
    """Every industry code the demo can give an enterprise (for tests)."""
    return sorted({code for chain in CHAINS for link in chain.links for code in link.codes})


PLANNED_LINKS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    # chain name → links the bureau has planned but found no target enterprise for yet
    # (name, position, kind, what to attract): the chain map's "无目标企业" gaps.
    "新能源": (("氢燃料电池电堆", DOWN, BUILD, "氢燃料电池电堆及膜电极"),),
    "新材料": (("固废资源化利用", DOWN, EXTEND, "冶炼废渣、赤泥综合利用"),),
    "电子信息": (("第三代半导体衬底", UP, BUILD, "碳化硅、氮化镓衬底及外延片"),),
}
