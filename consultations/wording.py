"""The words that name the meeting a consultation is before, for the person answering: in the
letter, the email, the text message and the pages around the questions (the questions
themselves are the question sets', which the IRO service keeps).

Before a review the words are the ones the review pages have always used. Before a child
protection conference a parent, carer or social worker is told of "the child protection
conference" and its chair; a child, in plain words for a reading age of about 8, of "the
meeting about keeping you safe" and "the person who leads the meeting"."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    a_meeting: str  # "A review meeting is booked for ..."
    the_meeting: str  # "Your views before the review meeting"
    your_meeting: str  # on a child's pages: "... before your review"
    reader: str  # who reads the answers: "Your IRO will read them ..."
    asker: str  # who asks, in a letter or email: "The Independent Reviewing Officer would like ..."
    called: str = ""  # a sentence naming the meeting for a child who has heard its proper name


REVIEW_ADULT = Wording(
    a_meeting="a review meeting",
    the_meeting="the review meeting",
    your_meeting="the review meeting",
    reader="the IRO",
    asker="the Independent Reviewing Officer",
)
REVIEW_CHILD = Wording(
    a_meeting="a review meeting",
    the_meeting="the review meeting",
    your_meeting="your review",
    reader="your IRO",
    asker="the Independent Reviewing Officer",
)
CONFERENCE_ADULT = Wording(
    a_meeting="a child protection conference",
    the_meeting="the child protection conference",
    your_meeting="the child protection conference",
    reader="the chair of the conference",
    asker="the chair of the conference",
)
CONFERENCE_CHILD = Wording(
    a_meeting="a meeting about keeping you safe",
    the_meeting="the meeting about keeping you safe",
    your_meeting="the meeting about keeping you safe",
    reader="the person who leads the meeting",
    asker="the person who leads the meeting",
    called="It is called a child protection conference.",
)


def wording_for(*, for_conference: bool, for_child: bool) -> Wording:
    if for_conference:
        return CONFERENCE_CHILD if for_child else CONFERENCE_ADULT
    return REVIEW_CHILD if for_child else REVIEW_ADULT
