"""What each role may do with child protection: conferences, plans, paperwork and appeals."""

from iro_service.core.roles import Role

_READ = [
    f"conferences.view_{model}"
    for model in (
        "strategydiscussion",
        "section47enquiry",
        "conference",
        "conferencechild",
        "agencyinvitation",
        "childprotectionplan",
        "appeal",
    )
]
# Chairs record what their conferences decided, and the plans that follow.
_CHAIR = ["conferences.record_conference"]
# Business support book conferences and keep track of reports and records.
_SUPPORT = [
    "conferences.book_conference",
    "conferences.track_conference_paperwork",
    "conferences.add_strategydiscussion",
]
# The assessment a section 47 enquiry is part of is children's social care's record, written
# here for the CIN census by whoever has it to hand: a chair, business support or a manager.
_ASSESS = ["conferences.change_section47enquiry"]
# Managers also handle appeals and watch plans due a structured review.
_MANAGE = [
    "conferences.add_appeal",
    "conferences.change_appeal",
    "conferences.view_structured_review_list",
]

ROLE_PERMISSIONS = {
    Role.IRO: [*_READ, *_CHAIR, *_ASSESS],
    Role.IRO_MANAGER: [*_READ, *_CHAIR, *_SUPPORT, *_ASSESS, *_MANAGE],
    Role.BUSINESS_SUPPORT: [*_READ, *_SUPPORT, *_ASSESS],
    Role.SENIOR_MANAGER: _READ,
    Role.API_CLIENT: _READ,
}
