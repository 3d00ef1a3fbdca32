"""No page shows a code without its meaning: every page of ``test_every_page`` is opened by every
role that may read it, and each value a person reads (a table cell, a summary-list value, a
timeline entry) is searched for the codes of every app's code lists. A code found there must
have one of its labels beside it ("Full care order (C2)", not "C2").

The county is ``small_county`` with what puts codes on the pages: disabilities, a change of
ethnicity in the child's history, a change of placement, a reviewed child's participation code,
and a second child who has left care (the reason ceased)."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from iro_service.core.codes import code_lists, code_shown, codes_shown
from iro_service.people.services import child_update
from reviews import services as reviews
from tests.core.test_every_page import PAGES, READERS, _url
from tests.factories.county import small_county
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db

# Where a page puts a value for a person to read.
READ_CLASSES = frozenset({"govuk-table__cell", "govuk-summary-list__value", "moj-timeline__description"})
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
TOKEN = re.compile(r"[A-Za-z0-9]+")


class _ReadValues(HTMLParser):
    """The text of each element whose class is one of READ_CLASSES (the outermost one when they
    nest), as a list of strings. Text in a ``<code>`` element is left out: it names a column or
    an element of a file (the ``CHILD`` column of an SSDA903 return), not a value of a code list."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.values: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        reads = bool(classes & READ_CLASSES) and self._open is None
        if reads:
            self._open = []
        self.stack.append((tag, reads))

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, reads = self.stack.pop()
            if reads:
                self.values.append(" ".join("".join(self._open).split()))
                self._open = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self._open is not None and not any(tag == "code" for tag, _ in self.stack):
            self._open.append(data)


def read_values(html: str) -> list[str]:
    parser = _ReadValues()
    parser.feed(html)
    parser.close()
    return parser.values


def _labels_by_code() -> dict[str, set[str]]:
    labels: dict[str, set[str]] = defaultdict(set)
    for codes in code_lists().values():
        for code, label in codes.items():
            labels[code].add(label)
    return labels


def bare_codes(value: str, labels: dict[str, set[str]]) -> list[str]:
    """The codes in ``value`` with none of their labels beside them."""
    return [
        token
        for token in TOKEN.findall(value)
        if token in labels and not any(label in value for label in labels[token])
    ]


# --- the reader itself --------------------------------------------------------------------


def test_the_reader_finds_a_bare_code_in_a_cell_and_passes_one_with_its_label():
    html = (
        '<table><tr><td class="govuk-table__cell">V2</td>'
        '<td class="govuk-table__cell">Full care order (C2)</td>'
        '<td class="govuk-table__cell">Seen on 4 May 2017</td></tr></table>'
        '<dl><dd class="govuk-summary-list__value">U6 (PR1)<br><span>hint</span></dd></dl>'
        '<p class="govuk-body">V3 outside a value is not read</p>'
        '<table><tr><td class="govuk-table__cell"><code>CHILD</code> column</td></tr></table>'
    )
    values = read_values(html)
    assert values == ["V2", "Full care order (C2)", "Seen on 4 May 2017", "U6 (PR1)hint", "column"]
    labels = _labels_by_code()
    assert [bare_codes(value, labels) for value in values] == [["V2"], [], [], ["U6", "PR1"], []]


def test_a_code_is_shown_with_its_label_and_an_unknown_one_as_it_is():
    assert code_shown("LS", "C2") == "Full care order (C2)"
    assert code_shown("LS", "Z9") == "Z9"
    assert code_shown("LS", "") == ""
    assert codes_shown("disability", ["LD", "HEAR"]) == "Learning (LD), Hearing (HEAR)"
    assert codes_shown("cp_category", "MUL") == "More than one category (MUL)"


# --- the walk -----------------------------------------------------------------------------


@pytest.fixture
def county(iro_user):
    county = small_county(chair_user=iro_user)
    today = timezone.localdate()
    child_update(child=county.child, changes={"disabilities": ["LD", "HEAR"], "ethnicity": "WIRI"})
    reviews.episode_change(
        period=county.period,
        start_date=today - timedelta(days=30),
        reason_for_new_episode="P",
        legal_status="C2",
        category_of_need="N1",
        placement="U4",
        placement_provider="PR1",
        reason_place_change="CARPL",
    )
    # Amy's brother Ben was in care for a year and went home.
    ben = county.family.memberships.exclude(child=county.child).get().child
    left = period_of_care(child=ben, start_date=today - timedelta(days=500), legal_status="V2")
    reviews.period_of_care_end(period=left, end_date=today - timedelta(days=135), reason_ceased="E4A")
    county.extra_urls = [
        reverse("reviews:care-record", args=[ben.pk]),
        reverse("people:child-history", args=[ben.pk]),
    ]
    return county


def _pages(county) -> list[tuple[str, str, set[str]]]:
    """(name, url, roles that may GET it) for every page that answers a GET with a page."""
    pages = []
    for name, (_record, allowed, status) in sorted(PAGES.items()):
        if status != 200 or not allowed & READERS:
            continue
        url = _url(name, county)
        pages.append((name, url, allowed & READERS))
    pages += [(f"extra {url}", url, READERS) for url in county.extra_urls]
    return pages


def test_no_page_shows_a_code_without_its_label(request, client, county):
    """GIVEN the county, WHEN every reading role opens every page it may,
    THEN no table cell, summary value or timeline entry holds a code without its label."""
    labels = _labels_by_code()
    walked, values_read, found = 0, 0, []
    for role in sorted(READERS):
        client.force_login(request.getfixturevalue(role))
        for name, url, roles in _pages(county):
            if role not in roles:
                continue
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            walked += 1
            for value in read_values(response.content.decode()):
                values_read += 1
                for code in bare_codes(value, labels):
                    found.append(f"{name} as {role}: {code!r} in {value[:100]!r}")
    print(f"walked {walked} pages, read {values_read} values, found {len(found)} bare codes")
    assert walked > 100
    assert not found, "\n".join(sorted(set(found)))


def test_the_pages_show_the_labels_where_they_showed_codes(client, manager_user, county):
    """The values the walk found bare before, now with their labels."""
    client.force_login(manager_user)
    amy = county.child
    care = client.get(reverse("reviews:care-record", args=[amy.pk])).content.decode()
    assert "Full care order (C2)" in care
    assert "Foster placement with other foster carer, long-term fostering (U4)" in care
    assert "Own provision by the council (PR1)" in care
    assert "Child physically attends and speaks for him or herself (PN1)" in care
    assert "Change of placement only (P). Legal status: Full care order (C2)." in care
    left = client.get(county.extra_urls[0]).content.decode()
    assert (
        "Reason: Returned home to live with parents or relatives as part of the care planning process (E4A)."
        in left
    )
    assert "Legal status: Single period of accommodation under section 20 (V2)." in left
    summary = client.get(reverse("people:child-detail", args=[amy.pk])).content.decode()
    assert "Learning (LD), Hearing (HEAR)" in summary
    assert "White Irish (WIRI)" in summary
    history = client.get(reverse("people:child-history", args=[amy.pk])).content.decode()
    assert "Ethnicity: White British (WBRI) → White Irish (WIRI)" in history
    assert "(blank) → Learning (LD), Hearing (HEAR)" in history
    change = client.get(reverse("reviews:episode-change", args=[county.period.pk])).content.decode()
    assert "Own provision by the council (PR1)" in change
