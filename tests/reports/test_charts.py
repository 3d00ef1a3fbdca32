"""Trend charts (reports.charts): the picture, its words and its data table, and the cache that
keeps a drawing exactly as long as the data it shows."""

from datetime import date
from io import BytesIO
from xml.etree import ElementTree

import pytest
from django.core.cache import cache

from reports import charts
from reports.charts import ChartPoint, TrendChart, figure_trend, figure_trend_points, trend_window
from reports.figures import FigureQuery
from reports.selectors import figure_series
from tests.factories import ChildFactory, IroAllocationFactory, StaffMemberFactory
from tests.factories.reviews import period_of_care, review


def three_months(values=(80.0, None, 90.0)):
    days = [date(2016, 4, 30), date(2016, 5, 31), date(2016, 6, 30)]
    return TrendChart(
        title="Reviews on time",
        unit="%",
        points=[
            ChartPoint(day=day, value=value, numerator=None if value is None else int(value), denominator=100)
            for day, value in zip(days, values, strict=True)
        ],
        target=85.0,
        comparators=[("England", 88.5)],
    )


def test_trend_window_is_whole_months_ending_with_the_month_of_the_end():
    assert trend_window(end=date(2017, 3, 31), months=12) == (date(2016, 4, 1), date(2017, 3, 31))
    assert trend_window(end=date(2017, 3, 31), months=24) == (date(2015, 4, 1), date(2017, 3, 31))
    assert trend_window(end=date(2017, 1, 15), months=12) == (date(2016, 2, 1), date(2017, 1, 15))


def test_the_words_say_what_the_picture_shows():
    chart = three_months()
    assert chart.alt == "Line chart of Reviews on time for each month from Apr 2016 to Jun 2016."
    # 80 in April, nothing in May, 90 in June: rose; only two known points, so no high/low line.
    assert chart.summary == (
        "Reviews on time rose from 80% in Apr 2016 to 90% in Jun 2016. The target is 85%. "
        "England: 88.5%. 1 period had nothing to count."
    )


def test_the_summary_names_the_highest_and_lowest_when_there_are_more_than_two_points():
    chart = three_months(values=(80.0, 95.0, 70.0))
    assert "fell from 80% in Apr 2016 to 70% in Jun 2016" in chart.summary
    assert "highest in May 2016 (95%) and lowest in Jun 2016 (70%)" in chart.summary


def test_a_chart_with_no_data_says_so():
    chart = three_months(values=(None, None, None))
    assert chart.summary == "Reviews on time: there is no data for any period shown."


def test_the_data_table_holds_every_point_in_order():
    table = three_months().table
    assert table.headers == ("Period ending", "Reviews on time", "Numerator", "Denominator")
    assert table.rows == (
        ("30 April 2016", "80%", "80", "100"),
        ("31 May 2016", "no data", "", "100"),
        ("30 June 2016", "90%", "90", "100"),
    )


def test_svg_is_an_svg_document_with_its_text_as_text_and_the_same_bytes_twice():
    cache.clear()
    chart = three_months()
    svg = chart.svg()
    root = ElementTree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Reviews on time" in svg  # svg.fonttype none: text, not paths
    assert "Target (85%)" in svg
    cache.clear()
    assert chart.svg() == svg  # no date or random ids in the drawing
    assert chart.svg_data_uri().startswith("data:image/svg+xml;base64,")


def test_png_is_a_png():
    from matplotlib import image

    png = three_months().png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = image.imread(BytesIO(png)).shape
    assert (width, height) == (1050, 420)  # 7 x 2.8 inches at 150 dpi


def test_a_drawing_is_cached_until_the_data_changes(monkeypatch):
    cache.clear()
    drawn = []
    real_draw = TrendChart._draw

    def counting_draw(self, fmt, *, salt):
        drawn.append(fmt)
        return real_draw(self, fmt, salt=salt)

    monkeypatch.setattr(TrendChart, "_draw", counting_draw)
    three_months().svg()
    three_months().svg()
    assert drawn == ["svg"]
    three_months(values=(80.0, None, 91.0)).svg()  # one point changed: a new drawing
    assert drawn == ["svg", "svg"]
    three_months().png()  # another format is another drawing
    assert drawn == ["svg", "svg", "png"]


def test_a_breakdown_has_no_trend():
    with pytest.raises(ValueError, match="breakdown"):
        figure_trend_points(
            key="lac_participation_codes", query=FigureQuery(date(2016, 4, 1), date(2017, 3, 31))
        )


@pytest.mark.django_db
def test_a_figures_trend_is_the_figures_service_series():
    """GIVEN a child in care from 4 April 2016 with reviews on 3 May (on time: its due date) and
    10 August 2016 (due 3 August: late) WHEN the trend of reviews on time is drawn for 2016-17
    THEN each month's point is that month's figure: May 100% (1 of 1), August 0% (0 of 1), the
    other months no data (0 of 0), and the chart's data table says the same."""
    iro = StaffMemberFactory()
    child = ChildFactory()
    IroAllocationFactory(child=child, iro=iro, start_date=date(2016, 4, 4))
    period_of_care(child=child, start_date=date(2016, 4, 4))
    review(child=child, parts=date(2016, 5, 3), chair=iro, participation_code="PN1")
    review(child=child, parts=date(2016, 8, 10), chair=iro, participation_code="PN1")
    query = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))
    chart = figure_trend(key="lac_reviews_on_time", query=query, target=95)
    series = figure_series(query=query, key="lac_reviews_on_time", interval="month")
    assert [p.value for p in chart.points] == [point["figure"]["value"] for point in series["points"]]
    assert [p.value for p in chart.points] == [None, 100.0, None, None, 0.0, *[None] * 7]
    assert chart.unit == "%" and chart.target == 95.0
    assert chart.table.rows[1] == ("31 May 2016", "100%", "1", "1")
    assert chart.table.rows[4] == ("31 August 2016", "0%", "0", "1")
    assert len(chart.table.rows) == 12


@pytest.mark.django_db
def test_a_series_figure_is_its_own_trend_and_quarterly_keeps_the_quarter_ends():
    query = FigureQuery(start=date(2016, 4, 1), end=date(2017, 3, 31))
    monthly = figure_trend(key="cp_multiple_categories", query=query)
    quarterly = figure_trend(key="cp_multiple_categories", query=query, interval="quarter")
    assert [p.day for p in quarterly.points] == [
        date(2016, 6, 30),
        date(2016, 9, 30),
        date(2016, 12, 31),
        date(2017, 3, 31),
    ]
    assert quarterly.unit == "%"
    # The figure is defined at quarter ends only, so a monthly trend has the same points.
    assert monthly.points == quarterly.points


def test_drawing_version_is_part_of_the_key(monkeypatch):
    chart = three_months()
    before = chart.cache_key("svg")
    monkeypatch.setattr(charts, "DRAWING_VERSION", charts.DRAWING_VERSION + 1)
    assert chart.cache_key("svg") != before
