"""The demo county's consultations before the child protection conferences still to be held:
for each child asked (at a review stage, old enough), a letter to the child and one to a parent,
and for every other child the child's answers sent back, so that a chair sees replies on a
conference's page. Synthetic words; letters send nothing; no answer raises a safety notice.

The conferences demo ends on its last day: a county carried on to today has booked conferences
after it, one loaded as it is has none, and then this adds nothing. Idempotent: a child who has
consultations before a conference is left alone. Deterministic: the children in conference and
name order."""

from __future__ import annotations

from conferences.codes import ConferenceStatus
from conferences.models import Conference
from consultations import selectors, services
from consultations.codes import Audience, Channel

# The child's answers, by the question's position in the conference child's set (1: what is
# going well; 2: home, a face; 3: feeling safe; 5: worries; 7: who they want there).
ANSWERS = [
    {1: "Going to football club on Saturdays", 2: "3", 3: "yes", 5: "Mum being sad", 7: "My nan"},
    {1: "My new teacher is kind", 2: "4", 3: "yes", 5: "Nothing much", 7: "My social worker"},
    {1: "Seeing my dad at the weekend", 2: "3", 3: "yes", 5: "Moving school", 7: "My mum and my nan"},
]


def load_demo(*, context: dict, stdout) -> None:
    today = context["today"]
    conferences = (
        Conference.objects.filter(status=ConferenceStatus.BOOKED, date__gte=today)
        .select_related("chair__user")
        .prefetch_related("children__child")
        .order_by("date", "pk")
    )
    sent = returned = 0
    for conference in conferences:
        for link in selectors.conference_children_asked(conference=conference):
            if link.consultations.exists():
                continue
            by = getattr(conference.chair, "user", None)
            child, _ = services.consultation_send(
                conference_child=link,
                audience=Audience.CHILD,
                respondent_name=link.child.first_name,
                channel=Channel.LETTER,
                by=by,
            )
            services.consultation_send(
                conference_child=link,
                audience=Audience.PARENT,
                respondent_name=f"Parent of {link.child.first_name}",
                channel=Channel.LETTER,
                by=by,
            )
            sent += 2
            if sent % 4 == 2:  # every other child answers
                _answer(child, ANSWERS[returned % len(ANSWERS)])
                returned += 1
    stdout.write(f"Consultations before conferences still to be held: {sent} sent, {returned} returned")


def _answer(consultation, answers: dict[int, str]) -> None:
    questions = {
        q.position: q
        for q in selectors.questions_for(audience=consultation.audience, occasion=consultation.occasion)
    }
    for position, value in answers.items():
        services.answer_save(consultation=consultation, question=questions[position], value=value)
    services.consultation_choices_save(
        consultation=consultation, share_with_parents=True, wants_iro_contact=False
    )
    services.consultation_return(consultation=consultation)
