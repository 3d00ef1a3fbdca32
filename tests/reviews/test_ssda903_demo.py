"""End to end on the demo county: its SSDA903 returns for six years, exported and imported into
a system that has lost its care records, give back the same 2016-17 figures, whichever order
the years are imported in."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import PeriodOfCare
from reviews.ssda903 import export_903, import_903

pytestmark = pytest.mark.django_db

KEYS = "cic_at_end,cic_started,cic_ceased,lac_reviews_held,lac_reviews_on_time,lac_participation"
YEARS = range(2012, 2018)  # the demo's care records start in 2011-12


@pytest.fixture(scope="module")
def demo_returns(demo_database, django_db_blocker, tmp_path_factory):
    """The demo county (loaded once per run, tests/conftest.py), its returns written once; the
    export history is rolled back with the module."""
    folder = tmp_path_factory.mktemp("returns")
    with django_db_blocker.unblock():
        for year in YEARS:
            export_903(year=year, directory=folder / str(year))
    return folder


def figures() -> dict:
    out = StringIO()
    call_command("figures", "--start", "2016-04-01", "--end", "2017-03-31", "--keys", KEYS, stdout=out)
    return {
        key: (value["value"], value.get("numerator"), value.get("denominator"))
        for key, value in json.loads(out.getvalue())["figures"].items()
    }


@pytest.mark.parametrize("order", [list(YEARS), list(reversed(YEARS))], ids=["oldest-first", "newest-first"])
def test_six_years_of_returns_give_back_the_demo_figures(demo_returns, order):
    before = figures()
    # The seed's 2016-17 figures the demo reproduces (seed-figures.md): 617 in care at 31 March
    # 2017, 1,404 reviews of which 6 late, participation 95.3%.
    assert before["cic_at_end"][0] == 617
    assert before["lac_reviews_held"][0] == 1404
    assert before["lac_reviews_on_time"][1:] == (1398, 1404)
    assert before["lac_participation"][0] == 95.3
    PeriodOfCare.objects.all().delete()
    assert figures()["lac_reviews_held"][0] == 0
    for year in order:
        folder = demo_returns / str(year)
        import_903({name: folder / name for name in ("header.csv", "episodes.csv", "reviews.csv")})
    assert figures() == before
