"""Pages of the conferences app: thin views over services and selectors. Every page that shows
children's details writes one access-log row per child shown.

One module per part of the app: ``lists`` (the hub, the lists and a family's page),
``booking`` (booking, strategy discussions, standing down), ``assessments`` (a section 47
enquiry's assessment), ``recording`` (a conference's page, recording it and its paperwork) and
``appeals``; the private helpers they share are in ``_common``. ``conferences.urls`` names the
views from here.
"""

from conferences.views.appeals import appeal_add, appeal_list, appeal_update
from conferences.views.assessments import enquiry_assessment
from conferences.views.booking import conference_book, conference_stand_down, strategy_discussion_add
from conferences.views.lists import (
    child_record,
    conferences_to_book,
    family_detail,
    family_list,
    index,
    my_conferences,
    records_to_distribute,
    reports_outstanding,
    structured_reviews,
)
from conferences.views.recording import (
    conference_detail,
    conference_distribute,
    conference_record,
    conference_reports,
)

__all__ = [
    "appeal_add",
    "appeal_list",
    "appeal_update",
    "child_record",
    "conference_book",
    "conference_detail",
    "conference_distribute",
    "conference_record",
    "conference_reports",
    "conference_stand_down",
    "conferences_to_book",
    "enquiry_assessment",
    "family_detail",
    "family_list",
    "index",
    "my_conferences",
    "records_to_distribute",
    "reports_outstanding",
    "strategy_discussion_add",
    "structured_reviews",
]
