"""Booking a review meeting from "Reviews to book": the page opens for those who book, and
afterwards goes back only to a page of this site, whatever ``next`` a link carried."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.codes import MeetingStatus
from reviews.models import ReviewMeeting
from tests.factories import ChildFactory
from tests.factories.reviews import period_of_care

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    child = ChildFactory(first_name="Amy", last_name="Smith", date_of_birth=date(2008, 1, 1))
    return period_of_care(child=child, start_date=timezone.localdate() - timedelta(days=5))


@pytest.mark.parametrize("role", ["support_user", "manager_user"])
def test_the_booking_page_opens_with_the_list_to_go_back_to(request, client, role, period):
    """It was a 500 for everyone allowed in: the template's ``default:request.POST.next``
    names a key a GET never has, and a missing filter argument is an error in Django."""
    client.force_login(request.getfixturevalue(role))
    back = reverse("reviews:to-book") + "?weeks=8&sort=name"
    response = client.get(reverse("reviews:meeting-book", args=[period.pk]), {"next": back})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Book the next review" in page
    assert f'name="next" value="{back.replace("&", "&amp;")}"' in page


def test_the_booking_page_opened_without_next_goes_back_to_reviews_to_book(client, support_user, period):
    client.force_login(support_user)
    response = client.get(reverse("reviews:meeting-book", args=[period.pk]))
    assert response.status_code == 200
    assert f'name="next" value="{reverse("reviews:to-book")}"' in response.content.decode()


def test_after_booking_the_page_goes_back_to_the_filtered_list(client, support_user, period):
    client.force_login(support_user)
    back = reverse("reviews:to-book") + "?weeks=8"
    on = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("reviews:meeting-book", args=[period.pk]), {"date": on.strftime("%d/%m/%Y"), "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    assert ReviewMeeting.objects.get(period=period).status == MeetingStatus.BOOKED


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/reviews/to-book/",
        "javascript:alert(document.cookie)",
        "http://testserver.evil.example/",
        "///evil.example/",
    ],
)
@pytest.mark.parametrize("sent_in", ["post", "query"])
def test_a_next_to_another_site_falls_back_to_reviews_to_book(
    client, support_user, period, next_url, sent_in
):
    """GIVEN a link to the booking page whose next is another site or a script
    WHEN business support book the meeting
    THEN the meeting is booked and the browser goes to "Reviews to book", not to that address,
    and the page never offers it as the way back."""
    client.force_login(support_user)
    url = reverse("reviews:meeting-book", args=[period.pk])
    page = client.get(url, {"next": next_url}).content.decode()
    assert "evil.example" not in page and "javascript:" not in page
    data = {"date": (timezone.localdate() + timedelta(days=7)).strftime("%d/%m/%Y")}
    if sent_in == "post":
        response = client.post(url, {**data, "next": next_url})
    else:
        response = client.post(f"{url}?next={next_url}", data)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:to-book")
    assert ReviewMeeting.objects.filter(period=period).count() == 1
