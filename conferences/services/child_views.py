"""The child's views section of the conference record: points in the child's own words, added
by whoever may change the record (the page checks who; the service checks when)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from conferences.models import VIEW_LIMIT, Conference, ConferenceChild, ConferenceChildView, ConferenceStatus
from iro_service.core.formats import long_date


@transaction.atomic
def conference_child_view_record(
    *, conference_child: ConferenceChild, text: str, asked: str = "", by=None
) -> ConferenceChildView:
    """Add a point to the child's views on the record of the conference ``conference_child``
    is at. Refused for a conference stood down (it has no record) and once the record has been
    distributed (what was sent out must stay what is kept): ``ValidationError`` naming ``text``."""
    # The conference's row is locked while the point is added, as every change to its record
    # locks it: a distribution or a standing down saved meanwhile is seen, never raced.
    conference = Conference.objects.select_for_update(of=("self",)).get(pk=conference_child.conference_id)
    if conference.status == ConferenceStatus.STOOD_DOWN:
        raise ValidationError(
            {
                "text": "This conference was stood down, so it has no record. Add the point to the record "
                "of the conference held instead."
            }
        )
    if conference.record_distributed_on is not None:
        raise ValidationError(
            {
                "text": f"The record of this conference was distributed on "
                f"{long_date(conference.record_distributed_on)}, so nothing can be added to it. "
                "Take the point to the next conference."
            }
        )
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter what the child said."})
    if len(text) > VIEW_LIMIT:
        raise ValidationError({"text": f"The point must be {VIEW_LIMIT} characters or fewer."})
    view = ConferenceChildView(
        conference_child=conference_child, text=text, asked=asked.strip()[:300], recorded_by=by
    )
    view.full_clean()
    view.save()
    return view
