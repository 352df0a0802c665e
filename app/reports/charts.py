"""Bar charts for reports, drawn with reportlab graphics (vector, embedded in the PDF).

A chart label is one string in one font, so labels with Chinese print in the CJK font with
their ASCII letters and digits turned into the font's full-width forms; labels without Chinese
and the value axis print in Helvetica.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from app.reports.document import Chart, ChartKind
from app.reports.fonts import CJK_FONT, LATIN_FONT, printable, register_fonts

PALETTE = (
    colors.HexColor("#2b4a6f"),
    colors.HexColor("#3f8f8a"),
    colors.HexColor("#d08a2e"),
    colors.HexColor("#8c6bb1"),
    colors.HexColor("#9aa5b1"),
)
LABEL_SIZE = 7.5


def chart_label(text: str) -> tuple[str, str]:
    """(font, text) for one chart string: full-width ASCII in the CJK font when it has Chinese."""
    shown = printable(text)
    if all(ord(char) < 0x100 for char in shown):
        return LATIN_FONT, shown
    widened = "".join(
        chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else ("\u3000" if char == " " else char)
        for char in shown
    )
    return CJK_FONT, widened


def _value_text(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:,.0f}"


def chart_drawing(chart: Chart, width: float) -> Drawing:
    """A drawing of ``chart`` ``width`` points wide, with its title and legend."""
    register_fonts()
    rows = len(chart.categories)
    if chart.kind is ChartKind.HBAR:
        plot_height = max(30 * mm, min(150 * mm, rows * len(chart.series) * 5.5 * mm))
    else:
        plot_height = 55 * mm
    legend_room = 7 * mm if len(chart.series) > 1 else 0
    height = plot_height + 20 * mm + legend_room
    drawing = Drawing(width, height)
    title_font, title_text = chart_label(chart.title)
    drawing.add(String(0, height - 5 * mm, title_text, fontName=title_font, fontSize=10))
    bars = _bars(chart, width, plot_height)
    drawing.add(bars)
    if len(chart.series) > 1:
        drawing.add(_legend(chart, width, height))
    return drawing


def _bars(chart: Chart, width: float, plot_height: float) -> VerticalBarChart | HorizontalBarChart:
    maximum = max((max(s.values, default=0.0) for s in chart.series), default=0.0)
    if chart.kind is ChartKind.HBAR:
        bars: VerticalBarChart | HorizontalBarChart = HorizontalBarChart()
        bars.x, bars.y = 32 * mm, 8 * mm
        bars.width, bars.height = width - 48 * mm, plot_height  # room for "100%" past the bar
        # Ranked lists read top-down: the first category goes at the top.
        categories = list(reversed(chart.categories))
        bars.data = [list(reversed(series.values)) for series in chart.series]
    else:
        bars = VerticalBarChart()
        bars.x, bars.y = 12 * mm, 12 * mm
        bars.width, bars.height = width - 16 * mm, plot_height
        categories = list(chart.categories)
        bars.data = [list(series.values) for series in chart.series]
    if not any(bars.data):
        bars.data = [[0.0] * len(categories)]
    bars.categoryAxis.categoryNames = [chart_label(name)[1] for name in categories]
    fonts = {chart_label(name)[0] for name in categories}
    bars.categoryAxis.labels.fontName = CJK_FONT if CJK_FONT in fonts else LATIN_FONT
    bars.categoryAxis.labels.fontSize = LABEL_SIZE
    if chart.kind is ChartKind.BAR and len(categories) > 6:
        bars.categoryAxis.labels.angle = 30
        bars.categoryAxis.labels.boxAnchor = "ne"
    bars.valueAxis.labels.fontName = LATIN_FONT
    bars.valueAxis.labels.fontSize = LABEL_SIZE
    bars.valueAxis.valueMin = 0
    if chart.percent:
        bars.valueAxis.valueMax = 1.0
        bars.valueAxis.valueStep = 0.25
    elif maximum <= 5:
        bars.valueAxis.valueMax = 5
        bars.valueAxis.valueStep = 1
    bars.valueAxis.labelTextFormat = lambda value: _value_text(value, chart.percent)
    bars.valueAxis.gridStrokeColor = colors.HexColor("#dde2e8")
    bars.valueAxis.visibleGrid = True
    bars.barLabelFormat = lambda value: _value_text(value, chart.percent)
    bars.barLabels.fontName = LATIN_FONT
    bars.barLabels.fontSize = 6.5
    if chart.kind is ChartKind.HBAR:  # the figure just past the end of its bar
        bars.barLabels.boxAnchor = "w"
        bars.barLabels.dx = 3
    else:  # the figure just above its bar
        bars.barLabels.boxAnchor = "s"
        bars.barLabels.dy = 2
    for index in range(len(bars.data)):
        bars.bars[index].fillColor = PALETTE[index % len(PALETTE)]
        bars.bars[index].strokeColor = None
    return bars


def _legend(chart: Chart, width: float, height: float) -> Legend:
    legend = Legend()
    # On its own line under the title, so a long title never runs into it.
    legend.x, legend.y = 2 * mm, height - 10 * mm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 6
    legend.fontSize = LABEL_SIZE
    fonts = {chart_label(series.name)[0] for series in chart.series}
    legend.fontName = CJK_FONT if CJK_FONT in fonts else LATIN_FONT
    longest = max(
        pdfmetrics.stringWidth(chart_label(series.name)[1], legend.fontName, LABEL_SIZE)
        for series in chart.series
    )
    legend.deltax = max(22 * mm, longest + 10 * mm)
    legend.colorNamePairs = [
        (PALETTE[index % len(PALETTE)], chart_label(series.name)[1])
        for index, series in enumerate(chart.series)
    ]
    return legend
