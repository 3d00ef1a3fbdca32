"""What each role may do with children in care: periods of care, reviews, meetings, records."""

from iro_service.core.roles import Role

_READ = [
    f"reviews.view_{model}"
    for model in (
        "code",
        "periodofcare",
        "episode",
        "lacreview",
        "reviewpart",
        "reviewmeeting",
        "irocontact",
        "permanenceplan",
        "cafcassinvolvement",
        "legaladvicereferral",
        "iroreminder",
    )
]
# IROs record reviews and what happens between them.
_RECORD = [
    "reviews.add_lacreview",
    "reviews.change_lacreview",
    "reviews.add_reviewpart",
    "reviews.change_reviewpart",
    "reviews.add_irocontact",
    "reviews.add_permanenceplan",
    "reviews.add_cafcassinvolvement",
    "reviews.change_cafcassinvolvement",
    "reviews.add_legaladvicereferral",
    "reviews.change_legaladvicereferral",
]
# Business support keep the episodes, book meetings and distribute records.
_SUPPORT = [
    "reviews.add_periodofcare",
    "reviews.change_periodofcare",
    "reviews.add_episode",
    "reviews.change_episode",
    "reviews.add_reviewmeeting",
    "reviews.change_reviewmeeting",
    "reviews.distribute_record",
]

ROLE_PERMISSIONS = {
    Role.IRO: [*_READ, *_RECORD],
    Role.IRO_MANAGER: [*_READ, *_RECORD, *_SUPPORT],
    Role.BUSINESS_SUPPORT: [*_READ, *_SUPPORT],
    Role.SENIOR_MANAGER: _READ,
    Role.API_CLIENT: _READ,
}
