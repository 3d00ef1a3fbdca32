"""The consultations app's panels on other apps' pages (``ConsultationsConfig.page_panels``; the
hook is described in ``iro_service.core.panels``)."""

from __future__ import annotations

from consultations import selectors, services
from iro_service.core.home import Panel
from iro_service.people.selectors import staff_member_of


def conference_panel(request, conference) -> Panel | None:
    """On a conference's page: for each child whose views are sought before it (at a review
    stage and old enough), who was asked, whether they opened the link and sent their answers,
    and for the IROs and their managers the answers, ready for the chair before the conference.
    None for a conference with no such child, and for people who may not see consultations.
    Four queries whatever the number of children and invitations (three, and the safety
    notices marked read with the reader's staff record, when the answers are shown); the
    conference's page has loaded its children and logged the view of each."""
    if not request.user.has_perm("consultations.view_consultation"):
        return None
    children = selectors.conference_children_asked(conference=conference)
    if not children:
        return None
    consultations = selectors.consultations_for_conference(conference=conference, user=request.user)
    see_answers = request.user.has_perm("consultations.view_answer")
    if see_answers:
        staff = staff_member_of(request.user)
        if staff is not None:
            services.safety_notices_read(staff=staff, consultations=consultations)
    by_child: dict[int, list] = {link.pk: [] for link in children}
    for consultation in consultations:
        by_child.setdefault(consultation.conference_child_id, []).append(consultation)
    return Panel(
        "consultations/conference_panel.html",
        {
            "conference": conference,
            "children": [(link, by_child[link.pk]) for link in children],
            "see_answers": see_answers,
            "may_send": request.user.has_perm("consultations.send_consultation"),
        },
    )


def review_panel(request, review) -> Panel | None:
    """On a review's page: the points the IRO took to its record from the answers given before
    its meetings, in the words of the child (or carer, or parent) who gave them, with what
    they were asked and whether the child agreed that their parents may see them. For those
    who may read the answers; None for others, and for a review with no such point. One query."""
    if review is None or not request.user.has_perm("consultations.view_answer"):
        return None
    answers = selectors.answers_on_review_record(review=review)
    if not answers:
        return None
    return Panel("consultations/review_panel.html", {"answers": answers})
