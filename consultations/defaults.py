"""The question sets a new installation starts with, in plain words (about a reading age of 8
for the children's): one for each audience before a review (``REVIEW_SETS``) and one before a
child protection conference (``CONFERENCE_SETS``), which never speaks of a review. The IRO
service rewords them on the questions page; history keeps each wording.

Written by the data migration, and after ``migrate`` into an empty table only, so that a
manager's rewording is never undone; a flush (as transactional tests do) empties the tables,
and the next post_migrate signal puts the defaults back."""

from __future__ import annotations

# (audience, title, introduction, [(text, hint, kind, key)])
REVIEW_SETS = [
    (
        "child",
        "Your views before your review",
        "Your review is a meeting about you and your life. Your IRO wants to hear what you think. "
        "You can answer as much or as little as you like. Your answers are saved as you go.",
        [
            ("What is going well for you?", "", "text", "going_well"),
            ("How do you feel about where you live?", "", "scale", ""),
            ("Do you feel safe where you live?", "", "yes_no", "feel_safe"),
            (
                "If you do not feel safe, tell us why.",
                "If you feel safe, you can leave this empty and go on.",
                "text",
                "feel_safe_more",
            ),
            ("What worries you?", "", "text", ""),
            ("Who do you want at your review?", "", "text", ""),
            (
                "Where and when would you like your review to be?",
                "For example, at home after school.",
                "text",
                "",
            ),
            ("What do you want to talk about at your review?", "", "text", ""),
            ("Who would you like to lead your review?", "This is usually your IRO.", "text", ""),
            (
                "If you do not come to your review, who will tell the meeting what you think?",
                "For example, your carer, your social worker or an advocate.",
                "text",
                "who_speaks",
            ),
        ],
    ),
    (
        "child_easy_read",
        "Tell us what you think",
        "We are having a meeting about you. We want to know what you think. Tap a face or write "
        "a few words. You can stop at any time.",
        [
            ("How is home?", "", "scale", ""),
            ("How is school?", "", "scale", ""),
            ("Do you feel safe?", "", "yes_no", "feel_safe"),
            ("Why do you not feel safe?", "If you feel safe, leave this empty.", "text", "feel_safe_more"),
            ("What makes you happy?", "", "text", ""),
            ("What makes you sad or worried?", "", "text", ""),
            ("Who do you want at your meeting?", "", "people", ""),
            ("Who will tell the meeting what you think?", "", "text", "who_speaks"),
        ],
    ),
    (
        "carer",
        "Your views as the child's carer",
        "The Independent Reviewing Officer (IRO) would like your views before the review meeting.",
        [
            ("How has the child been since the last review?", "", "text", ""),
            ("What is going well?", "", "text", ""),
            ("What are you worried about?", "", "text", ""),
            ("What support do you or the child need?", "", "text", ""),
            ("Has the child asked you to tell the IRO anything?", "", "text", ""),
        ],
    ),
    (
        "parent",
        "Your views as a parent",
        "The Independent Reviewing Officer (IRO) would like your views before the review meeting "
        "about your child.",
        [
            ("What is going well for your child?", "", "text", ""),
            ("What worries you?", "", "text", ""),
            ("How is time with your child going?", "", "scale", ""),
            ("What would you like to talk about at the review?", "", "text", ""),
            ("Is there anything else you would like the IRO to know?", "", "text", ""),
        ],
    ),
    (
        "social_worker",
        "Social worker's views before the review",
        "Your views for the IRO before the review meeting. Your report is still due as usual.",
        [
            ("What progress has been made on the care plan since the last review?", "", "text", ""),
            ("What are the child's views, and how did you find them out?", "", "text", ""),
            ("What concerns or risks are there?", "", "text", ""),
            ("What would you like the review to decide?", "", "text", ""),
            ("Has the child been offered an advocate?", "", "yes_no", ""),
        ],
    ),
]


# The same audiences before a review child protection conference. The keyed questions are the
# same (the safety check reads them whatever the meeting); the words are the conference's: for
# a child, "the meeting about keeping you safe"; for the adults, the conference and its chair.
CONFERENCE_SETS = [
    (
        "child",
        "Your views before the meeting about keeping you safe",
        "Soon there will be a meeting about keeping you safe. It is called a child protection "
        "conference. The people at the meeting want to hear what you think. You can answer as much "
        "or as little as you like. Your answers are saved as you go.",
        [
            ("What is going well for you?", "", "text", "going_well"),
            ("How do you feel about home?", "", "scale", ""),
            ("Do you feel safe at home?", "", "yes_no", "feel_safe"),
            (
                "If you do not feel safe, tell us why.",
                "If you feel safe, you can leave this empty and go on.",
                "text",
                "feel_safe_more",
            ),
            ("What worries you?", "", "text", ""),
            ("What would make things better for you?", "", "text", ""),
            ("Who do you want at the meeting?", "", "text", ""),
            ("What do you want the meeting to talk about?", "", "text", ""),
            (
                "If you do not come to the meeting, who will tell the meeting what you think?",
                "For example, your social worker, a teacher or an advocate.",
                "text",
                "who_speaks",
            ),
        ],
    ),
    (
        "child_easy_read",
        "Tell us what you think",
        "We are having a meeting about keeping you safe. We want to know what you think. Tap a "
        "face or write a few words. You can stop at any time.",
        [
            ("How is home?", "", "scale", ""),
            ("How is school?", "", "scale", ""),
            ("Do you feel safe?", "", "yes_no", "feel_safe"),
            ("Why do you not feel safe?", "If you feel safe, leave this empty.", "text", "feel_safe_more"),
            ("What makes you happy?", "", "text", ""),
            ("What makes you sad or worried?", "", "text", ""),
            ("Who do you want at the meeting?", "", "people", ""),
            ("Who will tell the meeting what you think?", "", "text", "who_speaks"),
        ],
    ),
    (
        "carer",
        "Your views as the child's carer before the child protection conference",
        "The chair of the child protection conference would like your views before the conference.",
        [
            ("How has the child been since the last conference?", "", "text", ""),
            ("What is going well?", "", "text", ""),
            ("What are you worried about?", "", "text", ""),
            ("What support do you or the child need?", "", "text", ""),
            ("Has the child asked you to tell the chair anything?", "", "text", ""),
        ],
    ),
    (
        "parent",
        "Your views as a parent before the child protection conference",
        "The chair of the child protection conference would like your views before the conference "
        "about your child. The conference is a meeting about keeping your child safe.",
        [
            ("What is going well for your child?", "", "text", ""),
            ("What worries you?", "", "text", ""),
            ("What has changed since the last conference?", "", "text", ""),
            ("What help do you or your child need?", "", "text", ""),
            ("What would you like to talk about at the conference?", "", "text", ""),
            ("Is there anything else you would like the chair to know?", "", "text", ""),
        ],
    ),
    (
        "social_worker",
        "Social worker's views before the child protection conference",
        "Your views for the chair before the child protection conference. Your report to the "
        "conference is still due as usual.",
        [
            (
                "What progress has been made on the child protection plan since the last conference?",
                "",
                "text",
                "",
            ),
            ("What are the child's views, and how did you find them out?", "", "text", ""),
            ("What are the risks now, and what has changed?", "", "text", ""),
            ("What would you like the conference to decide?", "", "text", ""),
            ("Has the child been offered an advocate?", "", "yes_no", ""),
        ],
    ),
]
SETS = {"review": REVIEW_SETS, "conference": CONFERENCE_SETS}


def question_sets_ensure(sender=None, apps=None, **kwargs) -> None:
    """post_migrate receiver: the default sets, for the audiences and occasions that have none."""
    for occasion, sets in SETS.items():
        sets_ensure(apps=apps, sets=sets, occasion=occasion)


def sets_ensure(*, apps=None, sets, occasion: str | None) -> None:
    """``sets`` for the audiences that have none before ``occasion`` (a data migration passes its
    historical ``apps``; the first one, from before question sets had an occasion, passes None)."""
    if apps is None:
        from django.apps import apps
    QuestionSet = apps.get_model("consultations", "QuestionSet")
    Question = apps.get_model("consultations", "Question")
    for audience, title, introduction, questions in sets:
        lookup = {"audience": audience} | ({"occasion": occasion} if occasion else {})
        question_set, created = QuestionSet.objects.get_or_create(
            **lookup, defaults={"title": title, "introduction": introduction}
        )
        if not created:
            continue
        Question.objects.bulk_create(
            Question(question_set=question_set, position=n, text=text, hint=hint, kind=kind, key=key)
            for n, (text, hint, kind, key) in enumerate(questions, start=1)
        )
