"""The definitions (口径) of the week's, the month's and the quarter's figures, worded for the
range they are printed for: “本周（周一至周日）”, “本周（周五至下周四）” for a bureau whose weeks
start on Friday, “本月”, “本季度”. Every screen and report states them beside the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.period import Period, PeriodKind
from app.domain.vocabulary import ProjectStage
from app.i18n import mark, tr
from app.services.weekly_figures_views import Figure, FigureDefinition

WEEKDAYS = (
    mark("周一"),
    mark("周二"),
    mark("周三"),
    mark("周四"),
    mark("周五"),
    mark("周六"),
    mark("周日"),
)
"""ISO weekdays 1 … 7."""


def weekday_name(iso_weekday: int) -> str:
    return tr(WEEKDAYS[(iso_weekday - 1) % 7])


@dataclass(frozen=True, slots=True)
class RangeWords:
    """How the definitions name the range: “本周（周一至周日）”, “本周”, “周”, and the example of
    a trip across its boundary."""

    this: str
    """The range named in full, once: “本周（周五至下周四）”, “本月”."""
    inside: str
    """The range named again: “本周”, “本月”, “本季度”, “本期”."""
    unit: str
    """What a trip crosses: “周”, “月”, “季度”, “期”."""
    example: str
    """“（如周日出发、周二返回：上周计 1 天，本周计 2 天）”, or empty."""


def week_words(week_start: int = 1) -> RangeWords:
    """The words of a reporting week starting on ISO weekday ``week_start`` (1 = Monday)."""
    last = (week_start + 5) % 7 + 1  # the weekday before the start
    last_name = weekday_name(last)
    if week_start != 1:  # the week ends in the next calendar week (Monday to Sunday)
        last_name = tr("下{weekday}", weekday=last_name)
    inside = tr("本周")
    return RangeWords(
        this=tr("本周（{first}至{last}）", first=weekday_name(week_start), last=last_name),
        inside=inside,
        unit=tr("周"),
        example=_example(
            before=weekday_name(last),
            second=weekday_name(week_start % 7 + 1),
            previous=tr("上周"),
            inside=inside,
        ),
    )


def period_words(period: Period) -> RangeWords:
    """The words of a month, a quarter, a year or a custom period."""
    match period.kind:
        case PeriodKind.MONTH:
            inside, unit, previous = tr("本月"), tr("月"), tr("上月")
            before, second = tr("上月最后一天"), tr("本月 2 日")
        case PeriodKind.QUARTER:
            inside, unit, previous = tr("本季度"), tr("季度"), tr("上季度")
            before, second = tr("上季度最后一天"), tr("本季度第 2 天")
        case PeriodKind.YEAR:
            inside, unit, previous = tr("本年度"), tr("年度"), tr("上年度")
            before, second = tr("上年 12 月 31 日"), tr("1 月 2 日")
        case _:
            inside, unit, previous = tr("本期"), tr("期"), tr("上期")
            before, second = tr("本期开始前一天"), tr("本期第 2 天")
    return RangeWords(
        this=tr("{inside}（{start} 至 {end}）", inside=inside, start=period.start, end=period.end),
        inside=inside,
        unit=unit,
        example=_example(before=before, second=second, previous=previous, inside=inside),
    )


def _example(*, before: str, second: str, previous: str, inside: str) -> str:
    return tr(
        "（如{before}出发、{second}返回：{previous}计 1 天，{inside}计 2 天）",
        before=before,
        second=second,
        previous=previous,
        inside=inside,
    )


def figure_definitions(words: RangeWords | None = None) -> tuple[FigureDefinition, ...]:
    """Every figure with its definition (口径) for the range ``words`` names (an ISO week,
    Monday to Sunday, by default), translated; the last one is the scope rule."""
    words = words or week_words()
    inside = words.inside
    return (
        FigureDefinition(
            Figure.TRIP_DAYS,
            tr("外出招商天数"),
            tr(
                "与{this}重叠的每次外出行程，计其落在{inside}内的天数（出发日和返程日都计），"
                "再按行程相加；跨{unit}行程只计{inside}内的天数{example}；按行程计，不乘以人数。",
                this=words.this,
                inside=inside,
                unit=words.unit,
                example=words.example,
            ),
        ),
        FigureDefinition(
            Figure.ENTERPRISES_VISITED,
            tr("拜访企业个数"),
            tr(
                "{inside}内有拜访记录的不同企业个数；同一企业拜访多次只计 1 个。",
                inside=inside,
            ),
        ),
        FigureDefinition(
            Figure.VISITS,
            tr("拜访次数"),
            tr("拜访日期在{inside}内的拜访记录条数。", inside=inside),
        ),
        FigureDefinition(
            Figure.SIGNED,
            tr("新签约"),
            tr(
                "{milestone}新签约的项目个数即签约项目个数。",
                milestone=_milestone(ProjectStage.SIGNED, inside),
            ),
        ),
        FigureDefinition(Figure.STARTED, tr("新开工"), _milestone(ProjectStage.STARTED, inside)),
        FigureDefinition(
            Figure.COMPLETED, tr("新竣工"), _milestone(ProjectStage.COMPLETED, inside)
        ),
        FigureDefinition(
            Figure.PRODUCING, tr("新投产"), _milestone(ProjectStage.PRODUCING, inside)
        ),
        FigureDefinition(
            Figure.SCOPE,
            tr("统计范围"),
            tr("已删除的记录不计入。选择小分队时，只计记在该小分队名下的行程、拜访记录和项目。"),
        ),
    )


def _milestone(stage: ProjectStage, inside: str) -> str:
    return tr(
        "按阶段记录，在{inside}内首次到达“{stage}”（或越过它直接到达之后阶段）的项目个数"
        "（每个项目计 1 次，暂缓后恢复不重复计）及其合同投资额合计（未填合同投资额的项目"
        "只计个数）。",
        inside=inside,
        stage=stage.label,
    )
