"""The sign-in roles, as Django groups, and the one table of what each may do.

The groups are created by a data migration (``0002_role_groups``); after every ``migrate`` the
permissions of each group are set from ``ROLE_PERMISSIONS`` so that an app added later only has
to add its permission names here. Pages and API views check permissions, never group names.
"""

from __future__ import annotations

import logging

from django.db import models

logger = logging.getLogger(__name__)


class Role(models.TextChoices):
    IRO = "IRO", "IRO"
    IRO_MANAGER = "IRO manager", "IRO manager"
    BUSINESS_SUPPORT = "Business support", "Business support"
    SENIOR_MANAGER = "Senior manager", "Senior manager (read-only)"
    API_CLIENT = "API client", "API client (read-only)"


_READ_PEOPLE = [
    "people.view_child",
    "people.view_family",
    "people.view_familymembership",
    "people.view_team",
    "people.view_staffmember",
    "people.view_iroallocation",
]
_READ_TIMESCALES = ["timescales.view_timescalesettings", "timescales.view_nonworkingday"]
_READ_REVIEWS = [
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
_RECORD_REVIEWS = [
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
_SUPPORT_REVIEWS = [
    "reviews.add_periodofcare",
    "reviews.change_periodofcare",
    "reviews.add_episode",
    "reviews.change_episode",
    "reviews.add_reviewmeeting",
    "reviews.change_reviewmeeting",
    "reviews.distribute_record",
]

_READ_CONFERENCES = [
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
_CHAIR_CONFERENCES = ["conferences.record_conference"]
# Business support book conferences and keep track of reports and records.
_SUPPORT_CONFERENCES = [
    "conferences.book_conference",
    "conferences.track_conference_paperwork",
    "conferences.add_strategydiscussion",
]
# Managers also handle appeals and watch plans due a structured review.
_MANAGE_CONFERENCES = [
    "conferences.add_appeal",
    "conferences.change_appeal",
    "conferences.view_structured_review_list",
]

# Importing writes children's care histories in bulk and exporting discloses every child in the
# year: managers only.
_STATUTORY_RETURNS = ["audit.view_dataexchange", "audit.import_returns", "audit.export_returns"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.IRO: [
        *_READ_PEOPLE,
        *_READ_TIMESCALES,
        "people.change_child",
        *_READ_REVIEWS,
        *_RECORD_REVIEWS,
        *_READ_CONFERENCES,
        *_CHAIR_CONFERENCES,
    ],
    Role.IRO_MANAGER: [
        *_READ_PEOPLE,
        *_READ_TIMESCALES,
        "people.add_child",
        "people.change_child",
        "people.add_family",
        "people.change_family",
        "people.add_familymembership",
        "people.add_iroallocation",
        "people.add_staffmember",
        "people.change_staffmember",
        "timescales.change_timescalesettings",
        "timescales.add_nonworkingday",
        "timescales.delete_nonworkingday",
        "audit.view_accesslog",
        *_STATUTORY_RETURNS,
        *_READ_REVIEWS,
        *_RECORD_REVIEWS,
        *_SUPPORT_REVIEWS,
        *_READ_CONFERENCES,
        *_CHAIR_CONFERENCES,
        *_SUPPORT_CONFERENCES,
        *_MANAGE_CONFERENCES,
    ],
    Role.BUSINESS_SUPPORT: [
        *_READ_PEOPLE,
        *_READ_TIMESCALES,
        "people.add_child",
        "people.change_child",
        "people.add_family",
        "people.change_family",
        "people.add_familymembership",
        *_READ_REVIEWS,
        *_SUPPORT_REVIEWS,
        *_READ_CONFERENCES,
        *_SUPPORT_CONFERENCES,
    ],
    Role.SENIOR_MANAGER: [
        *_READ_PEOPLE,
        *_READ_TIMESCALES,
        "audit.view_accesslog",
        "audit.view_dataexchange",
        *_READ_REVIEWS,
        *_READ_CONFERENCES,
    ],
    # A machine account: reads through the API only; it cannot sign in to the web pages.
    Role.API_CLIENT: [*_READ_PEOPLE, *_READ_REVIEWS, *_READ_CONFERENCES],
}


def roles_sync_permissions(sender=None, **kwargs) -> None:
    """Give each role group exactly the permissions ``ROLE_PERMISSIONS`` lists.

    Connected to post_migrate, which Django sends once per installed app: only the last app's
    signal does the work, when every app's permissions exist (a few queries, not hundreds)."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if sender is not None and sender.label != list(apps.get_app_configs())[-1].label:
        return
    using = kwargs.get("using", "default")
    available = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        missing = [name for name in names if name not in available]
        if missing:
            # An app not migrated yet (e.g. migrating one app at a time); the next migrate adds them.
            logger.debug("Permissions not yet created: %s", ", ".join(missing))
        group.permissions.set([available[name] for name in names if name in available])


def user_role_names(user) -> list[str]:
    if not user.is_authenticated:
        return []
    return [group.name for group in user.groups.all()]
