"""The assessment a section 47 enquiry is part of (the CIN census Assessments module): the
DfE's list of factors, the service's checks (each error names its field), the page that
records it, for each role, the child's conferences page that lists the enquiries, and the API's
action.

The records are dated in November 2026, in the 2026-27 census, before today."""

from __future__ import annotations

import importlib.resources
from datetime import date, timedelta

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conferences.codes import CIN_SCHEMA, assessment_factors
from conferences.forms import assessment_factor_choices
from conferences.models import Section47Enquiry
from conferences.services import section47_assessment_record, strategy_discussion_record
from iro_service.audit.models import AccessChannel, AccessLog
from iro_service.people.models import ChildRestriction, ChildRestrictionMember
from tests.factories import StaffMemberFactory
from tests.factories.conferences import family_with_children

pytestmark = pytest.mark.django_db

DISCUSSION = date(2026, 11, 2)
STARTED = date(2026, 11, 3)
AUTHORISED = date(2026, 11, 20)
BANNER = "Check before the return"
ALLOWED = ["iro_user", "manager_user", "support_user"]
REFUSED = ["senior_user", "no_role_user"]
ENQUIRIES = "/api/v1/section-47-enquiries/"


@pytest.fixture
def enquiry():
    """Amy's section 47 enquiry, started at a strategy discussion. Amy is of school age with a
    UPN, so the census rules find nothing about her but what a test gives them."""
    family, (amy,) = family_with_children("Amy", date_of_birth=date(2015, 1, 1), upn="A123456789012")
    discussion = strategy_discussion_record(family=family, on=DISCUSSION, children=[amy])
    return discussion.enquiries.get()


def _page(enquiry) -> str:
    return reverse("conferences:enquiry-assessment", args=[enquiry.pk])


def _form(started="", authorised="", factors=()) -> dict:
    return {
        "assessment_started_on": f"{started:%d/%m/%Y}" if started else "",
        "assessment_authorised_on": f"{authorised:%d/%m/%Y}" if authorised else "",
        "assessment_factors": list(factors),
    }


def _assessment(enquiry) -> tuple:
    enquiry.refresh_from_db()
    return enquiry.assessment_started_on, enquiry.assessment_authorised_on, enquiry.assessment_factors


# --- the DfE's list -------------------------------------------------------------------------------


def test_the_schema_is_liiatools_copy_byte_for_byte():
    installed = importlib.resources.files("liiatools.spec.cin_census") / "CIN_schema_2024.xsd"
    assert CIN_SCHEMA.read_bytes() == installed.read_bytes()


def test_the_dfe_lists_42_factors():
    factors = assessment_factors()
    assert len(factors) == 42
    assert "21" in factors and "24A" in factors
    assert factors["21"].startswith("No factors identified")
    assert factors["24A"].startswith("Child criminal exploitation")


def test_the_page_offers_every_factor_with_no_factors_last_after_or():
    choices = assessment_factor_choices()
    assert sorted(choice.value for choice in choices) == sorted(assessment_factors())
    assert choices[-1].value == "21" and choices[-2].divider == "or"
    by_code = {choice.value: choice for choice in choices}
    # The subject is the label, the DfE's other words the hint.
    assert by_code["3A"].label == "3A Domestic violence"
    assert by_code["3A"].hint == "Concerns about the child being the subject of domestic violence"
    assert by_code["22A"].label == "22A Female genital mutilation (FGM)"
    assert by_code["20"].label == "20 Other" and not hasattr(by_code["20"], "hint")


# --- the service ----------------------------------------------------------------------------------


def test_an_assessment_is_saved_and_kept_in_the_history(enquiry):
    saved = section47_assessment_record(
        enquiry=enquiry, started_on=STARTED, authorised_on=AUTHORISED, factors=["3A", "16A"]
    )
    assert isinstance(saved.dfe_warnings, list)
    assert _assessment(enquiry) == (STARTED, AUTHORISED, ["3A", "16A"])
    latest = enquiry.history.first()
    assert (latest.assessment_started_on, latest.assessment_factors) == (STARTED, ["3A", "16A"])
    assert enquiry.history.count() == 2  # the enquiry's creation, then its assessment


def test_an_assessment_may_be_started_and_authorised_later(enquiry):
    section47_assessment_record(enquiry=enquiry, started_on=STARTED)
    assert _assessment(enquiry) == (STARTED, None, [])
    section47_assessment_record(enquiry=enquiry, started_on=STARTED, authorised_on=AUTHORISED, factors=["21"])
    assert _assessment(enquiry) == (STARTED, AUTHORISED, ["21"])


def test_each_factor_is_kept_once(enquiry):
    section47_assessment_record(
        enquiry=enquiry, started_on=STARTED, authorised_on=AUTHORISED, factors=["3A", "16A", "3A"]
    )
    assert _assessment(enquiry)[2] == ["3A", "16A"]


def test_an_assessment_is_cleared_with_no_start_date(enquiry):
    section47_assessment_record(enquiry=enquiry, started_on=STARTED, authorised_on=AUTHORISED, factors=["1A"])
    cleared = section47_assessment_record(enquiry=enquiry, started_on=None)
    assert not cleared.has_assessment
    assert _assessment(enquiry) == (None, None, [])
    # The history keeps what it was.
    assert [row.assessment_started_on for row in enquiry.history.all()] == [None, STARTED, None]


TOMORROW = object()  # stands for the day after the test runs


@pytest.mark.parametrize(
    ("started", "authorised", "factors", "field", "message"),
    [
        (None, AUTHORISED, ["1A"], "assessment_started_on", "Enter the date the assessment started"),
        (TOMORROW, None, [], "assessment_started_on", "cannot be in the future"),
        (AUTHORISED, STARTED, ["1A"], "assessment_authorised_on", "cannot be authorised before it started"),
        (STARTED, TOMORROW, ["1A"], "assessment_authorised_on", "cannot be in the future"),
        (STARTED, None, ["1A"], "assessment_factors", "when the assessment is authorised"),
        (STARTED, AUTHORISED, [], "assessment_factors", "Select the factors the assessment identified"),
        (STARTED, AUTHORISED, ["21", "1A"], "assessment_factors", "cannot be selected with other factors"),
        (STARTED, AUTHORISED, ["99Z"], "assessment_factors", "Not a factor in the DfE's list: 99Z"),
    ],
)
def test_each_error_names_its_field_and_nothing_is_saved(
    enquiry, started, authorised, factors, field, message
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        section47_assessment_record(
            enquiry=enquiry,
            started_on=tomorrow if started is TOMORROW else started,
            authorised_on=tomorrow if authorised is TOMORROW else authorised,
            factors=factors,
        )
    errors = raised.value.message_dict
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert _assessment(enquiry) == (None, None, [])


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALLOWED)
def test_the_roles_that_record_conferences_open_the_page_and_save_an_assessment(
    client, request, enquiry, role
):
    client.force_login(request.getfixturevalue(role))
    page = client.get(_page(enquiry))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Record the assessment" in html
    document = lxml.html.document_fromstring(html)
    assert len(document.xpath("//input[@name='assessment_factors']")) == 42
    saved = client.post(_page(enquiry), _form(STARTED, AUTHORISED, ["3A", "16A"]))
    assert saved.status_code == 302
    assert saved["Location"] == reverse("conferences:child-record", args=[enquiry.child_id])
    assert _assessment(enquiry) == (STARTED, AUTHORISED, ["3A", "16A"])


@pytest.mark.parametrize("role", REFUSED)
def test_read_only_roles_are_refused_the_page(client, request, enquiry, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(_page(enquiry)).status_code == 403
    assert client.post(_page(enquiry), _form(STARTED)).status_code == 403
    assert _assessment(enquiry) == (None, None, [])


def test_signed_out_visitors_are_sent_to_sign_in(client, enquiry):
    response = client.get(_page(enquiry))
    assert response.status_code == 302 and "sign-in" in response["Location"]
    assert client.post(_page(enquiry), _form(STARTED)).status_code == 302
    assert _assessment(enquiry) == (None, None, [])


def test_an_unknown_enquiry_is_a_404(client, iro_user):
    client.force_login(iro_user)
    assert client.get(reverse("conferences:enquiry-assessment", args=[999999])).status_code == 404


def test_a_restricted_childs_enquiry_is_a_404_to_all_but_the_staff_named(
    client, enquiry, manager_user, iro_user
):
    named = StaffMemberFactory(user=iro_user)
    restriction = ChildRestriction.objects.create(child=enquiry.child, reason="A relative works here")
    ChildRestrictionMember.objects.create(restriction=restriction, staff_member=named)
    client.force_login(manager_user)
    assert client.get(_page(enquiry)).status_code == 404
    assert client.post(_page(enquiry), _form(STARTED)).status_code == 404
    assert _assessment(enquiry) == (None, None, [])
    client.force_login(iro_user)
    assert client.get(_page(enquiry)).status_code == 200


def test_opening_the_page_is_in_the_access_log(client, support_user, enquiry):
    client.force_login(support_user)
    client.get(_page(enquiry))
    (row,) = AccessLog.objects.all()
    assert (row.user_id, row.child_id, row.channel, row.what, row.path) == (
        support_user.pk,
        enquiry.child_id,
        AccessChannel.WEB,
        "Conferences: section 47 assessment",
        _page(enquiry),
    )


def test_a_save_says_so_on_the_childs_page_with_the_dfe_warnings(client, support_user):
    """GIVEN a child of school age with no UPN (DfE rule 8770Q) WHEN their assessment is saved
    THEN their conferences page says it was saved, and shows the rule the record breaks."""
    family, (amy,) = family_with_children("Amy", date_of_birth=date(2015, 1, 1), upn="")
    enquiry = strategy_discussion_record(family=family, on=DISCUSSION, children=[amy]).enquiries.get()
    client.force_login(support_user)
    page = client.post(_page(enquiry), _form(STARTED, AUTHORISED, ["21"]), follow=True).content.decode()
    assert "Assessment saved." in page
    assert BANNER in page and "DfE rule 8770Q" in page
    assert _assessment(enquiry) == (STARTED, AUTHORISED, ["21"])


def test_errors_are_shown_against_their_fields_in_the_error_summary(client, iro_user, enquiry):
    client.force_login(iro_user)
    response = client.post(_page(enquiry), _form(AUTHORISED, STARTED, ["21", "3A"]))
    assert response.status_code == 200
    document = lxml.html.document_fromstring(response.content.decode())
    summary = {
        link.get("href"): link.text_content().strip()
        for link in document.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")
    }
    assert summary == {
        "#id_assessment_authorised_on": (
            "The assessment cannot be authorised before it started on 20 November 2026"
        ),
        "#id_assessment_factors_1": "21, no factors identified, cannot be selected with other factors",
    }
    # What was typed and ticked is kept.
    ticked = document.xpath("//input[@name='assessment_factors'][@checked]/@value")
    assert sorted(ticked) == ["21", "3A"]
    assert _assessment(enquiry) == (None, None, [])


def test_a_blank_start_date_is_an_error_until_an_assessment_is_recorded(client, iro_user, enquiry):
    client.force_login(iro_user)
    response = client.post(_page(enquiry), {})
    assert response.status_code == 200
    assert "Enter the date the assessment started" in response.content.decode()
    assert _assessment(enquiry) == (None, None, [])


def test_a_recorded_assessment_is_shown_to_change_and_removed_with_every_field_cleared(
    client, iro_user, enquiry
):
    section47_assessment_record(enquiry=enquiry, started_on=STARTED, authorised_on=AUTHORISED, factors=["1A"])
    client.force_login(iro_user)
    html = client.get(_page(enquiry)).content.decode()
    document = lxml.html.document_fromstring(html)
    assert "Change the assessment" in html
    assert document.xpath("//input[@name='assessment_started_on']/@value") == ["03/11/2026"]
    assert document.xpath("//input[@name='assessment_authorised_on']/@value") == ["20/11/2026"]
    assert document.xpath("//input[@name='assessment_factors'][@checked]/@value") == ["1A"]
    page = client.post(_page(enquiry), _form(), follow=True).content.decode()
    assert "Assessment removed." in page
    assert _assessment(enquiry) == (None, None, [])


# --- the child's conferences page -----------------------------------------------------------------


def _record_page(client, enquiry) -> str:
    return client.get(reverse("conferences:child-record", args=[enquiry.child_id])).content.decode()


def test_the_childs_page_lists_the_enquiry_with_no_assessment_and_a_link_to_record_it(
    client, support_user, enquiry
):
    client.force_login(support_user)
    html = _record_page(client, enquiry)
    assert "Section 47 enquiries" in html and "No assessment recorded" in html
    document = lxml.html.document_fromstring(html)
    (link,) = document.xpath(f"//a[@href='{_page(enquiry)}']")
    assert link.text_content().startswith("Record the assessment")


def test_the_childs_page_shows_the_assessment_and_a_link_to_change_it(client, iro_user, enquiry):
    section47_assessment_record(
        enquiry=enquiry, started_on=STARTED, authorised_on=AUTHORISED, factors=["3A", "16A"]
    )
    client.force_login(iro_user)
    html = _record_page(client, enquiry)
    assert "3 Nov 2026" in html and "20 Nov 2026" in html
    assert "3A: Domestic violence: concerns about the child being the subject of domestic violence" in html
    assert "16A: Abuse or neglect" in html
    document = lxml.html.document_fromstring(html)
    (link,) = document.xpath(f"//a[@href='{_page(enquiry)}']")
    assert link.text_content().startswith("Change")


def test_read_only_roles_see_the_assessment_without_a_link(client, senior_user, enquiry):
    section47_assessment_record(enquiry=enquiry, started_on=STARTED)
    client.force_login(senior_user)
    html = _record_page(client, enquiry)
    assert "3 Nov 2026" in html and "Not yet authorised" in html
    assert _page(enquiry) not in html


def test_the_childs_page_uses_the_same_queries_for_more_enquiries(client, iro_user, enquiry):
    client.force_login(iro_user)
    url = reverse("conferences:child-record", args=[enquiry.child_id])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    family = enquiry.strategy_discussion.family
    for days in (1, 2):
        later = strategy_discussion_record(
            family=family, on=DISCUSSION + timedelta(days=days), children=[enquiry.child]
        ).enquiries.get()
        section47_assessment_record(
            enquiry=later, started_on=STARTED + timedelta(days=days), authorised_on=AUTHORISED, factors=["1A"]
        )
    with CaptureQueriesContext(connection) as three:
        page = client.get(url)
    assert len(page.context["enquiries"]) == 3
    assert len(three) == len(one)


# --- the API --------------------------------------------------------------------------------------


def _action(enquiry) -> str:
    return f"{ENQUIRIES}{enquiry.pk}/assessment/"


@pytest.fixture
def support(token_client, support_user):
    return token_client("read", "write", user=support_user)


def test_recording_an_assessment_through_the_api(support, enquiry):
    answer = support.post(
        _action(enquiry),
        {
            "assessment_started_on": "2026-11-03",
            "assessment_authorised_on": "2026-11-20",
            "assessment_factors": ["3A", "16A"],
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["id"] == enquiry.pk
    assert (body["assessment_started_on"], body["assessment_authorised_on"], body["assessment_factors"]) == (
        "2026-11-03",
        "2026-11-20",
        ["3A", "16A"],
    )
    assert isinstance(body["dfe_warnings"], list)
    assert _assessment(enquiry) == (STARTED, AUTHORISED, ["3A", "16A"])
    assert AccessLog.objects.filter(
        child=enquiry.child, channel=AccessChannel.API, what="Section 47 enquiry (changed)"
    ).exists()
    # Read back with the enquiry, and inside its strategy discussion.
    read = support.get(f"{ENQUIRIES}{enquiry.pk}/").json()
    assert read["assessment_factors"] == ["3A", "16A"]
    discussion = support.get(f"/api/v1/strategy-discussions/{enquiry.strategy_discussion_id}/").json()
    assert discussion["enquiries"][0]["assessment_authorised_on"] == "2026-11-20"


def test_the_api_keeps_what_is_not_sent_and_removes_the_assessment_with_a_null_start(support, enquiry):
    section47_assessment_record(enquiry=enquiry, started_on=STARTED, authorised_on=AUTHORISED, factors=["1A"])
    moved = support.post(_action(enquiry), {"assessment_started_on": "2026-11-04"}, format="json")
    assert moved.status_code == 200, moved.json()
    assert _assessment(enquiry) == (date(2026, 11, 4), AUTHORISED, ["1A"])
    cleared = support.post(
        _action(enquiry),
        {"assessment_started_on": None, "assessment_authorised_on": None, "assessment_factors": []},
        format="json",
    )
    assert cleared.status_code == 200, cleared.json()
    assert cleared.json()["assessment_started_on"] is None
    assert _assessment(enquiry) == (None, None, [])


def test_the_api_answer_has_the_dfe_warnings(token_client, support_user):
    family, (amy,) = family_with_children("Amy", date_of_birth=date(2015, 1, 1), upn="")
    enquiry = strategy_discussion_record(family=family, on=DISCUSSION, children=[amy]).enquiries.get()
    answer = token_client("read", "write", user=support_user).post(
        _action(enquiry), {"assessment_started_on": "2026-11-03"}, format="json"
    )
    assert answer.status_code == 200
    assert "8770Q" in [warning["rule"] for warning in answer.json()["dfe_warnings"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "assessment_started_on"),
        ({"assessment_started_on": "3/11/2026"}, "assessment_started_on"),
        (
            {
                "assessment_started_on": None,
                "assessment_authorised_on": "2026-11-20",
                "assessment_factors": ["1A"],
            },
            "assessment_started_on",
        ),
        (
            {
                "assessment_started_on": "2026-11-20",
                "assessment_authorised_on": "2026-11-03",
                "assessment_factors": ["1A"],
            },
            "assessment_authorised_on",
        ),
        ({"assessment_started_on": "2026-11-03", "assessment_factors": ["1A"]}, "assessment_factors"),
        (
            {"assessment_started_on": "2026-11-03", "assessment_authorised_on": "2026-11-20"},
            "assessment_factors",
        ),
        (
            {
                "assessment_started_on": "2026-11-03",
                "assessment_authorised_on": "2026-11-20",
                "assessment_factors": ["21", "1A"],
            },
            "assessment_factors",
        ),
        ({"assessment_started_on": "2026-11-03", "assessment_factors": ["99Z"]}, "assessment_factors"),
    ],
)
def test_api_errors_name_the_field_and_change_nothing(support, enquiry, body, field):
    answer = support.post(_action(enquiry), body, format="json")
    assert answer.status_code == 400
    assert list(answer.json()) == [field]
    assert _assessment(enquiry) == (None, None, [])


@pytest.mark.parametrize("persona", ["senior_user", "api_user"])
def test_read_only_roles_are_refused_the_api_action(token_client, request, enquiry, persona):
    client = token_client("read", "write", user=request.getfixturevalue(persona))
    answer = client.post(_action(enquiry), {"assessment_started_on": "2026-11-03"}, format="json")
    assert answer.status_code == 403
    assert _assessment(enquiry) == (None, None, [])


def test_the_api_action_needs_the_write_scope(token_client, support_user, enquiry):
    answer = token_client("read", user=support_user).post(
        _action(enquiry), {"assessment_started_on": "2026-11-03"}, format="json"
    )
    assert answer.status_code == 403
    assert _assessment(enquiry) == (None, None, [])


def test_a_restricted_childs_enquiry_is_a_404_through_the_api(support, enquiry):
    ChildRestriction.objects.create(child=enquiry.child, reason="A relative works here")
    answer = support.post(_action(enquiry), {"assessment_started_on": "2026-11-03"}, format="json")
    assert answer.status_code == 404
    assert _assessment(enquiry) == (None, None, [])


def test_the_enquiry_list_is_still_read_only(support):
    assert support.post(ENQUIRIES, {}, format="json").status_code == 405
    assert Section47Enquiry.objects.count() == 0
