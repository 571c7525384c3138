"""The SVG charts scale bars to the largest value and keep their data readable as a table."""

from django.template.loader import render_to_string
from django.utils import translation

from vivier.core.charts import BAR_AREA, NO_VALUE, bar_chart, format_value, line_chart


def test_bars_scale_to_the_largest_value_and_none_draws_nothing():
    chart = bar_chart([("Data", 10), ("Sécurité", 5), ("Vide", None)], title="Experts", unit=" p.")
    widths = [bar.width for bar in chart.bars]
    assert widths == [BAR_AREA, BAR_AREA / 2, 0]
    assert [bar.display for bar in chart.bars] == ["10 p.", "5 p.", NO_VALUE]


def test_an_explicit_maximum_caps_the_bars():
    chart = bar_chart([("Taux", 150), ("Autre", 50)], title="Taux", unit=" %", max_value=100)
    assert [bar.width for bar in chart.bars] == [BAR_AREA, BAR_AREA / 2]


def test_line_chart_leaves_gaps_and_orders_points():
    chart = line_chart(
        ["V1", "V2", "V3"], [("eNPS", [10, None, 30])], title="eNPS", y_min=0, y_max=40
    )
    line = chart.series[0]
    assert line.points.count("M") == 2  # a gap starts a new segment
    assert [display for _x, _y, display in line.dots] == ["10", "30"]
    first, last = line.dots
    assert first[0] < last[0] and first[1] > last[1]  # later and higher
    assert chart.table_rows == [("V1", ["10"]), ("V2", [NO_VALUE]), ("V3", ["30"])]


def test_format_value_follows_the_language():
    assert format_value(3.0) == "3" and format_value(None) == NO_VALUE
    with translation.override("fr"):
        assert format_value(2.5, " %") == "2,5 %"
    with translation.override("en"):
        assert format_value(2.5, " %") == "2.5 %"


def test_templates_render_svg_and_data_table():
    bar_html = render_to_string(
        "core/charts/bar.html", {"chart": bar_chart([("A & B", 2)], title="T")}
    )
    assert "<svg" in bar_html and "A &amp; B" in bar_html and "<table>" in bar_html
    line_html = render_to_string(
        "core/charts/line.html",
        {"chart": line_chart(["a", "b"], [("x", [1, 2]), ("y", [2, 1])], title="L")},
    )
    assert line_html.count("<path") == 2 and "chart-legend" in line_html


def test_svg_geometry_is_never_localized():
    """French renders 0.5 as "0,5": SVG attributes must keep the dot whatever the language."""
    import re

    with translation.override("fr"):
        bar_html = render_to_string(
            "core/charts/bar.html", {"chart": bar_chart([("a", 1), ("b", 3)], title="T")}
        )
        line_html = render_to_string(
            "core/charts/line.html",
            {"chart": line_chart(["a", "b", "c"], [("x", [1, 2.5, 3])], title="L")},
        )
    for html in (bar_html, line_html):
        attributes = re.findall(r'\b(?:x|y|dy|width|height|d|points|cx|cy)="([^"]*)"', html)
        assert attributes and not any("," in a and " " not in a for a in attributes), attributes
