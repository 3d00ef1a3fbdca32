"""The demo county's IRO annual report for 2016-17, as its managers would have written it: the
draft started through the services, the text of the sections the figures do not write
(what is working well, what we are worried about, what needs to happen, and the managers'
account beside the figures), its recommendations for 2017-18, and the two comparators the seed
report quotes (statistical neighbours' repeat plans, 18.1%; England's plans with more than one
category, 8%).

The words are synthetic, written for the demo in the seed's shape; they name no person and no
real council. Figures in the text are the demo county's own (the seed's, which the demo
reproduces), so the draft reads like the seed when its documents are assembled. Idempotent:
nothing is done when the 2016-17 report exists.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from reports.annual import services
from reports.models import AnnualReport, ComparatorSource
from reports.targets.services import comparator_set

YEAR_END = 2017

COMPARATORS = [
    (
        "cp_repeat_plans",
        ComparatorSource.STATISTICAL_NEIGHBOURS,
        Decimal("18.1"),
        "Statistical neighbours' average, as quoted in the council's report",
    ),
    (
        "cp_multiple_categories",
        ComparatorSource.ENGLAND,
        Decimal("8.0"),
        "National picture, as quoted in the council's report",
    ),
]

TEXTS = {
    "working-well": (
        "- IROs know many of the children they review well, and keep in touch with them between reviews, "
        "not only at them.\n"
        "- Reviews for children in care stayed timely through the year, as did initial and review child "
        "protection conferences.\n"
        "- More children and young people took part in their reviews than in either of the two years "
        "before.\n"
        "- LAC review records reached families and social workers sooner than last year, despite more "
        "children in care and on plans.\n"
        "- Social workers' reports for reviews were ready in time more often than last year.\n"
        "- The QA alert, introduced in September, gives IROs one clear way to raise a concern or note good "
        "practice, and challenge meetings with the assistant director moved several children's plans on.\n"
        "- Repeat child protection plans came back in line with statistical neighbours, and the use of more "
        "than one category of abuse is now close to the national picture."
    ),
    "worried": (
        "- Some children remain accommodated under section 20 for longer than helps them reach "
        "permanence.\n"
        "- Rising numbers of children in care and on plans keep IRO caseloads above the IRO Handbook's "
        "range.\n"
        "- It has not always been possible for the same IRO to chair every review of a child, mostly "
        "because of sickness absence.\n"
        "- Responses to QA alerts were not always made, or made on time, and IROs did not always escalate "
        "when a response fell short.\n"
        "- Fewer children with a disability are on a plan here than national figures would suggest."
    ),
    "needs-to-happen": (
        "- IROs to use the escalation process consistently where permanence is drifting.\n"
        "- Reviews to become more child focused, with the Children in Care Council's help.\n"
        "- A new check of every plan that has lasted 9 months, with an exit plan in view.\n"
        "- Partner agencies' attendance at conferences to be reported, and used to improve it.\n"
        "- The harmful sexual behaviour procedures to be reviewed with neighbouring partnerships."
    ),
    "iro-service": (
        "The service had two team managers and a service manager over the year, with IROs chairing both "
        "LAC reviews and child protection conferences. Sufficiency has been a concern for several years: "
        "funding for two more permanent IRO posts was agreed at the end of the year and recruitment is "
        "under way, which should bring caseloads back within the Handbook's range.\n\n"
        "Between them the IROs bring experience of neglect, domestic abuse, disability and complex needs, "
        "youth justice, fostering and adoption, mental health and unaccompanied asylum-seeking children. "
        "All IROs have been trained in the council's strengths-based practice model this year."
    ),
    "children-in-care": (
        "IROs review the care plan of every child in care, make sure the child's wishes and feelings are "
        "heard, and challenge the council when a plan is not in the child's interests."
    ),
    "cic-timeliness": (
        "Each late review was looked at. Most were held a few days late because the child or a key person "
        "was unwell on the day; none left a child without a reviewed plan for long."
    ),
    "cic-participation": (
        "The rise follows IROs meeting children before their reviews and offering them ways to take part "
        "other than attending, such as writing to the IRO or speaking through an advocate."
    ),
    "cic-permanence": (
        "IROs checked at every second review that a plan for permanence was in place. Where it was "
        "drifting, most often for children accommodated under section 20, they raised a QA alert and, where "
        "that did not move it on, took it to a challenge meeting."
    ),
    "child-protection": (
        "IROs chair every initial and review child protection conference, and follow each plan between "
        "conferences. Conference activity rose again this year, in line with more children on plans."
    ),
    "cp-repeat": (
        "Repeat plans had risen sharply two years ago. Each repeat plan is now analysed by the chair, and "
        "the learning shared with the team managers; the rate has come back in line with statistical "
        "neighbours."
    ),
    "hsb": (
        "The HSB lead chairs the HSB meetings and advises social workers on thresholds. Intervention has "
        "been provided in house since the previous provider's contract ended, and the threshold for an HSB "
        "meeting was revised at that point."
    ),
    "hsb-training": (
        "Training was rolled out at two levels: the traffic light tool for all staff, and assessment "
        "training for experienced social workers and their managers. A further course is planned for 2017-18."
    ),
}

RECOMMENDATIONS = [
    "Recruit to the two new permanent IRO posts and bring caseloads within the IRO Handbook's range.",
    "Make LAC reviews more child focused, with the Children in Care Council, and ask children how their "
    "reviews felt.",
    "Improve the participation of children with additional communication needs in their reviews.",
    "Keep LAC review records within timescale through 2017-18.",
    "Operational teams to have social workers' reports ready in time for reviews and conferences.",
    "IROs to challenge drift and delay in permanence plans promptly, and escalate QA alerts that are not "
    "answered.",
    "Report QA alerts to the senior management team every quarter.",
    "Review every child protection plan that reaches 9 months, with an exit plan in view.",
    "Report partner agencies' attendance at conferences, and use it to improve attendance.",
    "Agree and deliver the HSB training programme for 2017-18.",
]


def load_demo(*, context: dict, stdout) -> None:
    if AnnualReport.objects.filter(year_end=YEAR_END).exists():
        return
    for key, source, value, published_by in COMPARATORS:
        comparator_set(figure_key=key, year=YEAR_END, source=source, value=value, published_by=published_by)
    version = services.annual_report_start(year_end=YEAR_END, user=None)
    texts = {text.section: text for text in version.texts.all()}
    for section, body in TEXTS.items():
        text = texts[section]
        services.annual_report_text_save(text=text, body=body, seen_updated_at=text.updated_at, user=None)
    for recommendation in RECOMMENDATIONS:
        services.recommendation_add(version=version, text=recommendation)
    stdout.write(
        f"Annual report {version.report.label}: a draft of {settings.COUNCIL_NAME}'s with "
        f"{len(TEXTS)} sections written and {len(RECOMMENDATIONS)} recommendations."
    )
