"""Audit a manager can use: a child's and a member of staff's access history, the unusual
access report, and the subject access export.

The clock is the outside world here: each view is logged at a chosen moment by patching
``django.utils.timezone.now`` (which the access log's ``auto_now_add`` reads)."""

from __future__ import annotations

from datetime import date, datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.audit.selectors import (
    Unusual,
    access_history_for_child,
    access_history_for_user,
    unusual_access_report,
)
from iro_service.audit.services import access_log_record, access_log_record_many
from iro_service.core.roles import Role
from iro_service.people.services import child_restrict
from tests.factories import (
    ChildFactory,
    IroAllocationFactory,
    StaffMemberFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour, minute=0) -> datetime:
    """A moment in London time (BST in August, GMT in November)."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def view(user, child, when: datetime, what="Child record: summary"):
    request = RequestFactory().get(f"/children/{child.pk}/")
    request.user = user
    with mock.patch("django.utils.timezone.now", return_value=when):
        return access_log_record(request=request, child=child, what=what)


def many(user, children, when: datetime, what: str, channel: str):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return access_log_record_many(
            user=user, child_ids=[c.pk for c in children], what=what, channel=channel
        )


class Scene:
    """Helen (IRO, North) has Amy; Ian (IRO, North) has Ben; Sue (IRO, South) has Cara, and had
    Dan until 10 November 2026, when Dan moved to Helen. Mary is an IRO manager in North;
    Bev, business support, has no staff record. 56 other children (Sue's team has none of
    them) make 60 in all, for an export."""

    def __init__(self):
        start = date(2026, 1, 1)
        north, south = TeamFactory(name="IRO Team North"), TeamFactory(name="IRO Team South")
        self.helen = UserFactory(username="helen", first_name="Helen", last_name="Ashworth", role=Role.IRO)
        self.mary = UserFactory(username="mary", first_name="Mary", last_name="Khan", role=Role.IRO_MANAGER)
        self.bev = UserFactory(username="bev", first_name="Bev", last_name="Lord", role=Role.BUSINESS_SUPPORT)
        helen = StaffMemberFactory(user=self.helen, team=north, job_role="iro")
        ian = StaffMemberFactory(team=north, job_role="iro")
        sue = StaffMemberFactory(team=south, job_role="iro")
        StaffMemberFactory(user=self.mary, team=north, job_role="iro_manager")
        self.amy, self.ben, self.cara, self.dan = (
            ChildFactory(local_child_id=code) for code in ("AMY1", "BEN1", "CARA1", "DAN1")
        )
        IroAllocationFactory(child=self.amy, iro=helen, start_date=start)
        IroAllocationFactory(child=self.ben, iro=ian, start_date=start)
        IroAllocationFactory(child=self.cara, iro=sue, start_date=start)
        IroAllocationFactory(child=self.dan, iro=sue, start_date=start, end_date=date(2026, 11, 10))
        IroAllocationFactory(child=self.dan, iro=helen, start_date=date(2026, 11, 10))
        self.others = [ChildFactory() for _ in range(56)]

        helen_user = self.helen
        view(helen_user, self.amy, at(2026, 11, 4, 10))  # Wednesday, her caseload: usual
        view(helen_user, self.ben, at(2026, 11, 4, 10, 5))  # her team's: usual
        view(helen_user, self.cara, at(2026, 11, 4, 10, 10))  # South's: off caseload
        view(helen_user, self.amy, at(2026, 11, 4, 19, 30))  # after 18:00: out of hours
        view(helen_user, self.amy, at(2026, 11, 7, 11))  # Saturday: out of hours
        view(helen_user, self.dan, at(2026, 11, 9, 11))  # still Sue's: off caseload
        view(helen_user, self.dan, at(2026, 11, 11, 11))  # Helen's since the 10th: usual
        view(helen_user, self.amy, at(2026, 8, 31, 11))  # summer bank holiday: out of hours
        view(helen_user, self.amy, at(2026, 8, 3, 7, 30))  # 07:30 BST (06:30 UTC): out of hours
        view(helen_user, self.amy, at(2026, 8, 3, 17, 30))  # 17:30 BST (16:30 UTC): usual
        view(self.mary, self.cara, at(2026, 11, 4, 12))  # South's: off caseload
        view(self.bev, self.amy, at(2026, 11, 4, 12))  # no staff record: off caseload
        everyone = [self.amy, self.ben, self.cara, self.dan, *self.others]
        many(self.mary, everyone, at(2026, 11, 5, 14), "SSDA903 export", AccessChannel.EXPORT)  # 60
        many(helen_user, self.others[:10], at(2026, 11, 5, 14), "Children (API)", AccessChannel.API)  # 10


@pytest.fixture
def scene():
    return Scene()


def test_the_unusual_access_report_worked_out_by_hand(scene):
    """GIVEN the scene, WHEN the report runs for 1 August to 30 November 2026, THEN:
    off caseload or team: Helen 2 views of 2 children (Cara on the 4th, Dan on the 9th, before
    he moved to her), then Mary 1 (Cara) and Bev 1 (Amy; no staff record), Khan before Lord;
    list and export rows are not judged child by child;
    outside working hours: Helen 4 views, all of Amy (19:30, the Saturday, the bank holiday,
    07:30 BST); 17:30 BST is 16:30 UTC and in hours, so London time is used; the exports at
    14:00 on a Thursday are in hours;
    bulk: Mary's SSDA903 export of 60 children; Helen's API page of 10 is under the 50."""
    report = unusual_access_report(start=date(2026, 8, 1), end=date(2026, 11, 30))
    assert [(r["user__username"], r["views"], r["children"]) for r in report.off_caseload] == [
        ("helen", 2, 2),
        ("mary", 1, 1),
        ("bev", 1, 1),
    ]
    assert [(r["user__username"], r["views"], r["children"]) for r in report.out_of_hours] == [
        ("helen", 4, 1)
    ]
    assert [(r["user__username"], r["what"], r["children"]) for r in report.bulk] == [
        ("mary", "SSDA903 export", 60)
    ]
    assert report.bulk[0]["channel_label"] == "Export or report"


def test_the_report_covers_only_its_period(scene):
    """November only: the three August views drop out of 'outside working hours' (4 - 2 = 2:
    19:30 on the 4th and the Saturday); the rest is in November."""
    report = unusual_access_report(start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert [(r["user__username"], r["views"]) for r in report.out_of_hours] == [("helen", 2)]
    assert len(report.off_caseload) == 3
    # From the 6th of November: Helen's view of Dan on the 9th is the only one off caseload,
    # and the export (the 5th) is before it.
    later = unusual_access_report(start=date(2026, 11, 6), end=date(2026, 11, 30))
    assert [(r["user__username"], r["views"]) for r in later.off_caseload] == [("helen", 1)]
    assert later.bulk == []


def test_a_childs_access_history_flags_each_view(scene):
    """Amy: Helen's 6 views, Bev's 1, Mary's export (1 row of its batch) = 8, newest first,
    with the flags worked out above."""
    entries = list(access_history_for_child(child=scene.amy))
    assert len(entries) == 8
    assert entries[0].viewed_at == at(2026, 11, 7, 11)  # the Saturday is the newest
    flags = {(e.user.username, e.viewed_at): (e.on_caseload, e.out_of_hours) for e in entries}
    assert flags[("bev", at(2026, 11, 4, 12))] == (False, False)
    assert flags[("helen", at(2026, 8, 3, 17, 30))] == (True, False)
    assert flags[("helen", at(2026, 8, 3, 7, 30))] == (True, True)
    assert flags[("helen", at(2026, 8, 31, 11))] == (True, True)
    assert [e.user.username for e in access_history_for_child(child=scene.amy, unusual=Unusual.BULK)] == [
        "mary"
    ]


def test_a_member_of_staffs_access_history_filters_to_the_unusual(scene):
    """Helen viewed 10 records one at a time and 10 children on an API page: 20 rows. Off
    caseload: Dan on the 9th and Cara on the 4th. Outside hours: 4. Bulk: none (her API page is
    10 children)."""
    assert access_history_for_user(user=scene.helen).count() == 20
    off = access_history_for_user(user=scene.helen, unusual=Unusual.OFF_CASELOAD)
    assert [e.child.local_child_id for e in off] == ["DAN1", "CARA1"]
    assert access_history_for_user(user=scene.helen, unusual=Unusual.OUT_OF_HOURS).count() == 4
    assert access_history_for_user(user=scene.helen, unusual=Unusual.BULK).count() == 0
    # Mary's export is bulk: all 60 rows.
    assert access_history_for_user(user=scene.mary, unusual=Unusual.BULK).count() == 60


def test_the_child_access_page_shows_who_when_and_where_and_logs_itself(client, scene):
    client.force_login(scene.mary)
    url = reverse("audit:child-access", args=[scene.amy.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = html.fromstring(response.content)
    rows = page.xpath("//tbody/tr")
    assert len(rows) == 8  # as above: the page's own view is logged after it is read
    bev_row = next(row for row in rows if "Lord" in row.text_content())
    assert "Not on caseload or team" in bev_row.text_content()
    assert f"/children/{scene.amy.pk}/" in bev_row.text_content()  # which page
    assert AccessLog.objects.filter(child=scene.amy, user=scene.mary, what="Access history").count() == 1


def test_the_staff_access_page_filters_and_names_no_child(client, scene):
    client.force_login(scene.mary)
    url = reverse("audit:staff-access", args=[scene.helen.pk])
    response = client.get(url, {"unusual": "caseload", "viewed_from": "1/11/2026", "viewed_to": "30/11/2026"})
    page = html.fromstring(response.content)
    assert [cell.text_content().strip() for cell in page.xpath("//tbody/tr/td[2]")] == ["DAN1", "CARA1"]
    # Child IDs only: reading a person's history discloses no child's name, so is not logged.
    assert scene.cara.last_name not in response.content.decode()
    assert not AccessLog.objects.filter(user=scene.mary, what="Access history").exists()


def test_a_persons_history_leaves_out_a_child_hidden_from_the_manager_reading_it(client, scene):
    """GIVEN Cara is restricted to Helen only
    WHEN Mary reads Helen's history of views of children off her caseload in November
    THEN only Dan (DAN1) is listed: Cara's child ID would tell Mary of a child hidden from her."""
    child_restrict(child=scene.cara, staff_members=[scene.helen.staff_member], reason="Relative of staff")
    client.force_login(scene.mary)
    url = reverse("audit:staff-access", args=[scene.helen.pk])
    response = client.get(url, {"unusual": "caseload", "viewed_from": "1/11/2026", "viewed_to": "30/11/2026"})
    page = html.fromstring(response.content)
    assert [cell.text_content().strip() for cell in page.xpath("//tbody/tr/td[2]")] == ["DAN1"]
    assert "CARA1" not in response.content.decode()


def test_a_bad_date_is_named_and_the_report_still_shows(client, scene):
    client.force_login(scene.mary)
    response = client.get(
        reverse("audit:unusual-access"), {"viewed_from": "31/2/2026", "viewed_to": "1/1/2026"}
    )
    assert response.status_code == 200
    page = html.fromstring(response.content)
    # 31 February cannot be read: the field is named with the pattern to use; the unreadable
    # date is left out, so the "to" date alone is not a range that ends before it starts.
    links = page.xpath("//div[contains(@class, 'govuk-error-summary')]//a")
    assert [a.text_content() for a in links] == [
        "Enter the date as day, month and year, for example 27/3/2017"
    ]
    assert links[0].get("href") == "#id_viewed_from"
    assert page.xpath("//input[@id='id_viewed_from']/@aria-invalid") == ["true"]


def test_a_period_that_ends_before_it_starts_is_refused_by_name(client, scene):
    client.force_login(scene.mary)
    response = client.get(
        reverse("audit:unusual-access"), {"viewed_from": "30/11/2026", "viewed_to": "1/11/2026"}
    )
    page = html.fromstring(response.content)
    assert page.xpath("//input[@id='id_viewed_to']/@aria-invalid") == ["true"]
    assert "Viewed to must be the same as or after 30 November 2026" in page.text_content()


def test_the_report_page_lists_the_three_parts(client, scene):
    client.force_login(scene.mary)
    response = client.get(
        reverse("audit:unusual-access"), {"viewed_from": "1/8/2026", "viewed_to": "30/11/2026"}
    )
    text = " ".join(html.fromstring(response.content).text_content().split())
    assert "Helen Ashworth 2 2" in text  # off caseload: views, children
    assert "Helen Ashworth 4 1" in text  # outside hours
    assert "SSDA903 export Export or report 60" in text


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def test_the_audit_pages_take_as_many_queries_at_two_sizes(client, scene):
    """Each page's query count does not grow with the log. Queries, named: session, user,
    permissions (2), the groups (header); then the report: the three parts (3); a child's
    history: the child, the count, the page, the INSERT of its own view; a person's history:
    the person with their staff record and team, the count, the page. Plus the session save
    (savepoint, update, release): 5 + 3 + 3 = 11, 5 + 4 + 3 = 12, 5 + 3 + 3 = 11 (twice)."""
    client.force_login(scene.mary)
    pages = [
        (reverse("audit:unusual-access"), {"viewed_from": "1/8/2026", "viewed_to": "30/11/2026"}),
        (reverse("audit:child-access", args=[scene.amy.pk]), {}),
        (reverse("audit:staff-access", args=[scene.helen.pk]), {}),
        # Mary's: she has a bulk export at both sizes (an empty page skips the page's query).
        (reverse("audit:staff-access", args=[scene.mary.pk]), {"unusual": "bulk"}),
    ]
    small = [_queries(client, url, params) for url, params in pages]
    for number in range(30):
        view(scene.helen, scene.cara, at(2026, 11, 12, 22, number))
        view(scene.bev, scene.amy, at(2026, 11, 14, 9, number))
    many(scene.bev, scene.others, at(2026, 11, 20, 9), "QA alerts: board download", AccessChannel.WEB)
    many(scene.helen, [scene.amy, *scene.others], at(2026, 11, 21, 9), "Figure records", AccessChannel.API)
    large = [_queries(client, url, params) for url, params in pages]
    assert small == large == [11, 12, 11, 11]
    report = unusual_access_report(start=date(2026, 8, 1), end=date(2026, 11, 30))
    # The larger log: two more bulk disclosures (56 and 57 children), Helen 32 off caseload.
    assert [r["children"] for r in report.bulk] == [57, 56, 60]
    assert report.off_caseload[0]["views"] == 32


def test_only_those_who_read_the_log_see_the_audit_pages(client, scene):
    client.force_login(scene.helen)
    for url in (
        reverse("audit:unusual-access"),
        reverse("audit:child-access", args=[scene.amy.pk]),
        reverse("audit:staff-access", args=[scene.mary.pk]),
        reverse("audit:subject-access", args=[scene.amy.pk]),
    ):
        assert client.get(url).status_code == 403, url
    client.force_login(scene.mary)
    assert client.get(reverse("audit:child-access", args=[999999])).status_code == 404
    assert client.get(reverse("audit:staff-access", args=[999999])).status_code == 404
