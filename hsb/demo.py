"""The demo county's harmful sexual behaviour work (seed section 7), written through the
services so that every record passes the rules a real one would:

- 2016-17: 41 referrals to the HSB lead, all of White British children; 21 met the threshold
  (amber or red) and had their HSB meeting in the year, 13 of those children in care on the
  meeting date (children of the children-in-care demo, in care that day by their periods of
  care); 20 were green, below the threshold (seed 7.3.2);
- 2015-16: 35 HSB meetings, all chaired by the HSB lead; before the threshold was revised in
  November 2015 every referral had a meeting, so the green ones carry that as their reason;
- two referrals of April 2017 not yet decided, for the lead's queue;
- the training register: the HSB lead and the specialist therapeutic worker in AIM2 before
  2017; in January 2017 10 social workers, 11 youth offending service workers and 1 police
  detective sergeant trained in AIM2; AIM for managers in March and April 2017; the Brook
  tool's in-house sessions; the briefings to police sergeants (seed 7.2.2); and the training
  plan of seed 7.4.

The figures come out of these records through the figures service (``demo_figures`` prints
them). Deterministic (fixed seed) and idempotent: it does nothing when the HSB records exist.
It needs the people demo and, for the children in care, the children-in-care demo, which the
``load_demo`` command runs first (INSTALLED_APPS order)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from hsb import services
from hsb.codes import Course
from hsb.models import HsbReferral, OutsidePractitioner
from iro_service.people.codes import JobRole
from iro_service.people.models import Child, StaffMember, Team
from iro_service.timescales.dates import add_working_days, is_working_day
from reviews.selectors import periods_in_care_on

SEED = 20170707
YEAR_2016 = (date(2016, 4, 1), date(2017, 3, 31))
YEAR_2015 = (date(2015, 4, 1), date(2016, 3, 31))
THRESHOLD_REVISED = date(2015, 11, 1)
CHILD_PREFIX = "H"

# 2016-17 (seed 7.3.2): 21 met the threshold, 13 of them in care on the meeting date; 20 did not.
MET_2016 = [("amber", 13), ("red", 8)]
MET_IN_CARE_2016 = 13
BELOW_2016 = [("basic_intervention", 7), ("post_abuse_therapy", 8), ("no_further_action", 5)]
# 2015-16: 35 meetings; the green referrals before November 2015 had one too.
MET_2015 = [("amber", 17), ("red", 8)]
GREEN_WITH_MEETING_2015 = 10

LEAD = ("Karen", "Lloyd")  # the demo's IRO manager in the safeguarding unit: the HSB lead
IRO_CHAIR = ("Helen", "Ashworth")  # the demo IRO, who chairs two meetings in 2016-17
REFERRERS = [
    ("Locality Team East", "social worker"),
    ("Locality Team West", "social worker"),
    ("Children in Care Team", "social worker"),
    ("Police Child Abuse Investigation Unit", "detective constable"),
    ("Youth Offending Service", "case manager"),
    ("Oakfield Academy", "designated safeguarding lead"),
    ("Brookside Primary School", "head teacher"),
    ("School nursing service", "school nurse"),
]
FIRST_NAMES = {
    "M": [
        "Liam",
        "Mason",
        "Tyler",
        "Kyle",
        "Jordan",
        "Callum",
        "Ryan",
        "Connor",
        "Lewis",
        "Bradley",
        "Ethan",
    ],
    "F": ["Chloe", "Jade", "Megan", "Paige", "Courtney", "Abbie", "Leah", "Holly"],
}
LAST_NAMES = ["Walsh", "Hewitt", "Barker", "Stone", "Marsh", "Pickering", "Dodd", "Farrow", "Gale", "Hurst"]
WORKER_NAMES = [
    "Amanda Fry",
    "Ben Horton",
    "Carla Mills",
    "Dean Whitby",
    "Emma Rourke",
    "Faye Lund",
    "Gary Pratt",
    "Hannah Cope",
    "Imran Aziz",
    "Julie Platt",
    "Kevin Dale",
    "Laura Senior",
    "Mike Heald",
    "Nina Sharp",
]
YOS_NAMES = [
    "Paul Ingram",
    "Rita Cross",
    "Steve Noble",
    "Tara Quinn",
    "Umar Siddiq",
    "Vicky Lowe",
    "Wes Carney",
    "Yasmin Roe",
    "Zoe Hartley",
    "Alan Birch",
    "Beth Garner",
]
POLICE = "Police Child Abuse Investigation Unit"
PLANNED = [
    (
        Course.BROOK,
        "All children and family services workers",
        None,
        date(2017, 6, 1),
        "Rolled out to everyone",
    ),
    (
        Course.AIM2,
        "Qualified social workers, 2 of them IROs to support the HSB lead",
        18,
        date(2017, 9, 1),
        "",
    ),
    (Course.AIM_MANAGERS, "First Response team managers (bespoke HSB course)", 12, date(2017, 7, 1), ""),
    (
        Course.PROCEDURES,
        "All children and family services staff: procedures and basic intervention",
        None,
        date(2017, 10, 1),
        "After the joint review of the LLR procedures",
    ),
    (Course.GOOD_LIVES, "Social workers and YOS workers who have done AIM2", 20, date(2017, 11, 1), ""),
]


def _working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _staff(first_last: tuple[str, str]) -> StaffMember | None:
    first, last = first_last
    return StaffMember.objects.filter(first_name=first, last_name=last).first()


class _Demo:
    def __init__(self):
        self.rng = random.Random(SEED)  # nosec B311
        self.lead = _staff(LEAD)
        self.iro = _staff(IRO_CHAIR)
        self.number = 0
        self.used_children: set[int] = set()

    # --- children ---------------------------------------------------------------------------

    def new_child(self, *, on: date) -> Child:
        """A White British child aged 9 to 16 on ``on``, new to the service (no period of care)."""
        self.number += 1
        sex = "M" if self.rng.random() < 0.8 else "F"
        born = on - timedelta(days=self.rng.randrange(9 * 365 + 30, 16 * 365))
        child, _ = Child.objects.get_or_create(
            local_child_id=f"{CHILD_PREFIX}{100000 + self.number}",
            defaults={
                "first_name": self.rng.choice(FIRST_NAMES[sex]),
                "last_name": self.rng.choice(LAST_NAMES),
                "date_of_birth": born,
                "sex": sex,
                "ethnicity": "WBRI",
                "disabilities": ["NONE"],
            },
        )
        return child

    def child_in_care(self, *, on: date):
        """A White British child aged 10 to 17 who was in care on ``on``, and their period."""
        young, old = on.replace(year=on.year - 10), on.replace(year=on.year - 18)
        periods = (
            periods_in_care_on(on=on)
            .filter(child__ethnicity="WBRI", child__date_of_birth__gt=old, child__date_of_birth__lte=young)
            .exclude(child_id__in=self.used_children)
            .select_related("child")
            .order_by("child_id")
        )
        candidates = list(periods[:40])
        if not candidates:
            return None, None
        period = self.rng.choice(candidates)
        self.used_children.add(period.child_id)
        return period.child, period

    # --- the records ------------------------------------------------------------------------

    def referral(self, *, child, received_on, period=None) -> HsbReferral:
        team, role = self.rng.choice(REFERRERS)
        return services.hsb_referral_record(
            child=child,
            received_on=received_on,
            referrer_name=f"{self.rng.choice(WORKER_NAMES)} ({role})",
            referrer_team=team,
            description="Concerns about sexualised behaviour towards another child, reported by "
            f"the {role}; context and frequency described in the referral form.",
            period_of_care=period,
        )

    def decide(self, referral, *, rating, outcome) -> HsbReferral:
        return services.hsb_referral_decide(
            referral=referral,
            rating=rating,
            tool_version="2012",
            outcome=outcome,
            decided_on=add_working_days(referral.received_on, self.rng.randrange(1, 4)),
            decided_by=self.lead,
        )

    def meeting(self, referral, *, on, chair=None, override_reason="", reviewed=False, distributed=True):
        produced = add_working_days(on, self.rng.randrange(3, 12))
        return services.hsb_meeting_record(
            referral=referral,
            date=on,
            chair=chair or self.lead,
            agencies=[
                "social_care",
                "police",
                *self.rng.sample(["education", "health", "youth_offending", "therapeutic", "family"], 2),
            ],
            risk_summary="Risk assessed at the meeting from the referral, the agencies' information and "
            "the child's history; a safety plan agreed for home and school.",
            recommendations="Safety plan at home and school; intervention work with the child; review "
            "at the date set.",
            intervention="in_house" if on >= THRESHOLD_REVISED else "commissioned",
            review_on=add_working_days(on, 60) if reviewed else None,
            override_reason=override_reason,
            record_produced_on=produced,
            record_distributed_on=add_working_days(produced, self.rng.randrange(1, 6))
            if distributed
            else None,
        )

    def year_2016(self) -> None:
        start, _ = YEAR_2016
        met = [rating for rating, n in MET_2016 for _ in range(n)]
        self.rng.shuffle(met)
        in_care = set(self.rng.sample(range(len(met)), MET_IN_CARE_2016))
        for index, rating in enumerate(met):
            # Meetings spread over the year, the last early in March so that all are held in it.
            meeting_on = _working_day_on_or_after(
                start + timedelta(days=20 + index * 15 + self.rng.randrange(0, 8))
            )
            received = meeting_on - timedelta(days=self.rng.randrange(14, 20))
            received = max(received, start)
            child, period = self.child_in_care(on=meeting_on) if index in in_care else (None, None)
            if child is None:
                child = self.new_child(on=received)
            referral = self.decide(
                self.referral(child=child, received_on=received, period=period),
                rating=rating,
                outcome="hsb_meeting",
            )
            chair = self.iro if index in (4, 11) and self.iro is not None else None
            self.meeting(
                referral,
                on=meeting_on,
                chair=chair,
                reviewed=meeting_on >= date(2017, 1, 1),
                # The last two records are still with business support on 31 March 2017.
                distributed=index < len(met) - 2,
            )
        below = [outcome for outcome, n in BELOW_2016 for _ in range(n)]
        self.rng.shuffle(below)
        for index, outcome in enumerate(below):
            received = _working_day_on_or_after(
                start + timedelta(days=8 + index * 17 + self.rng.randrange(0, 6))
            )
            referral = self.referral(child=self.new_child(on=received), received_on=received)
            self.decide(referral, rating="green", outcome=outcome)

    def year_2015(self) -> None:
        start, _ = YEAR_2015
        kinds = [("met", rating) for rating, n in MET_2015 for _ in range(n)]
        kinds += [("green", "green")] * GREEN_WITH_MEETING_2015
        self.rng.shuffle(kinds)
        # The green referrals with a meeting come before the revision of November 2015.
        early = sorted(range(len(kinds)), key=lambda i: kinds[i][0] != "green")
        order = [kinds[i] for i in early]
        for index, (kind, rating) in enumerate(order):
            meeting_on = _working_day_on_or_after(
                start + timedelta(days=15 + index * 9 + self.rng.randrange(0, 4))
            )
            received = max(start, meeting_on - timedelta(days=self.rng.randrange(10, 15)))
            referral = self.referral(child=self.new_child(on=received), received_on=received)
            if kind == "green":
                referral = self.decide(referral, rating="green", outcome="post_abuse_therapy")
                self.meeting(
                    referral,
                    on=meeting_on,
                    override_reason="Before the threshold was revised in November 2015, every referral "
                    "had an HSB meeting.",
                )
            else:
                self.meeting(self.decide(referral, rating=rating, outcome="hsb_meeting"), on=meeting_on)

    def queue(self) -> None:
        for received in (date(2017, 4, 3), date(2017, 4, 5)):
            self.referral(child=self.new_child(on=received), received_on=received)

    # --- training ---------------------------------------------------------------------------

    def staff_member(self, name: str, *, job_role: str, team: Team) -> StaffMember:
        first, last = name.split(" ", 1)
        member, _ = StaffMember.objects.get_or_create(
            first_name=first,
            last_name=last,
            job_role=job_role,
            defaults={"team": team, "start_date": date(2012, 4, 2)},
        )
        return member

    def training(self) -> None:
        teams = {team.name: team for team in Team.objects.all()}
        social_work = [
            teams[name]
            for name in (
                "Locality Team East",
                "Locality Team West",
                "Children in Care Team",
                "Disabled Children's Service",
            )
        ]
        therapist = self.staff_member(
            "Rachel Dyer", job_role=JobRole.SOCIAL_WORKER, team=teams["Children in Care Team"]
        )
        add = services.hsb_training_record_add
        # Before January 2017 only the HSB lead and the specialist therapeutic worker had AIM2.
        add(staff=self.lead, course=Course.AIM2, completed_on=date(2011, 5, 12))
        add(staff=therapist, course=Course.AIM2, completed_on=date(2013, 10, 3))
        add(staff=therapist, course=Course.GOOD_LIVES, completed_on=date(2014, 3, 20))
        for member in (self.lead, therapist):
            add(staff=member, course=Course.BROOK, completed_on=date(2016, 5, 10))  # train the trainer
        workers = [
            self.staff_member(name, job_role=JobRole.SOCIAL_WORKER, team=social_work[i % len(social_work)])
            for i, name in enumerate(WORKER_NAMES)
        ]
        for i, member in enumerate(workers):
            add(staff=member, course=Course.BROOK, completed_on=date(2016, 9 + i % 3, 6 + i))
        # January 2017: 10 qualified social workers, 11 YOS workers and 1 detective sergeant.
        aim2_day = date(2017, 1, 18)
        for member in workers[:10]:
            add(staff=member, course=Course.AIM2, completed_on=aim2_day)
        for name in YOS_NAMES:
            add(
                practitioner_name=name,
                practitioner_agency="Youth Offending Service",
                course=Course.AIM2,
                completed_on=aim2_day,
            )
        add(
            practitioner_name="DS Gareth Holt",
            practitioner_agency=POLICE,
            course=Course.AIM2,
            completed_on=aim2_day,
        )
        # AIM for managers, March and April 2017: the team managers, the unit's managers, police.
        managers = [
            self.staff_member(name, job_role=JobRole.TEAM_MANAGER, team=team)
            for name, team in zip(
                ["Sue Ainsley", "Raj Mehta", "Tina Brook", "Owen Price"], social_work, strict=True
            )
        ]
        for i, member in enumerate([*managers, _staff(("Simon", "Patel"))]):
            if member is not None:
                add(
                    staff=member,
                    course=Course.AIM_MANAGERS,
                    completed_on=date(2017, 3, 22) if i % 2 else date(2017, 4, 26),
                )
        add(
            practitioner_name="DI Carol Wynne",
            practitioner_agency=POLICE,
            course=Course.AIM_MANAGERS,
            completed_on=date(2017, 3, 22),
        )
        # Two briefings to the police's sergeants on thresholds and procedures.
        for i, name in enumerate(
            ["DS Alan Kerr", "DS Mia Doyle", "DS Tom Pike", "DS Lisa Crane", "DS Ravi Nair"]
        ):
            add(
                practitioner_name=name,
                practitioner_agency=POLICE,
                course=Course.PROCEDURES,
                completed_on=date(2017, 2, 14) if i < 3 else date(2017, 3, 14),
            )
        for course, audience, places, planned_from, notes in PLANNED:
            services.planned_course_add(
                course=course, audience=audience, places=places, planned_from=planned_from, notes=notes
            )

    def assessments(self) -> None:
        """AIM2 assessments after the January 2017 course: boys of 10 and over whose meeting was
        in February or March 2017, by the newly trained social workers."""
        trained = list(
            StaffMember.objects.filter(
                hsb_training__course=Course.AIM2, hsb_training__completed_on=date(2017, 1, 18)
            ).order_by("pk")
        )
        referrals = (
            HsbReferral.objects.filter(
                meetings__date__range=(date(2017, 2, 1), date(2017, 3, 20)), child__sex="M"
            )
            .distinct()
            .select_related("child")
            .order_by("pk")
        )
        for index, referral in enumerate(referrals):
            held = referral.meetings.order_by("date").first().date
            day = add_working_days(held, 5)
            age = referral.child.age_on(day)
            if age is None or age < 10 or day > YEAR_2016[1]:
                continue
            services.hsb_assessment_record(
                referral=referral,
                tool="aim2",
                date=day,
                outcome=["low", "medium", "high"][index % 3],
                assessor_staff=trained[index % len(trained)],
                summary="Assessment shared with the child's social worker and the therapeutic worker.",
            )


def demo_figures() -> dict:
    """What the demo wrote, by reporting year; the figures service computes the same from these
    records (``manage.py figures --keys hsb_referrals,...``, and the seed test)."""
    from hsb.selectors import meetings_for_figures, referrals_for_figures

    result = {}
    for label, (start, end) in {"2016-17": YEAR_2016, "2015-16": YEAR_2015}.items():
        referrals = referrals_for_figures().filter(received_on__range=(start, end))
        meetings = meetings_for_figures().filter(date__range=(start, end))
        result[label] = {
            "referrals": referrals.count(),
            "meetings held": meetings.count(),
            "below the threshold": referrals.filter(decided_on__isnull=False, rating="green").count(),
            "children at meetings in care": meetings.filter(child_in_care=True)
            .values("referral__child")
            .distinct()
            .count(),
        }
    return result


def load_demo(*, context: dict, stdout) -> None:
    if HsbReferral.objects.exists():
        stdout.write("Harmful sexual behaviour: already loaded.")
        return
    demo = _Demo()
    if demo.lead is None:
        stdout.write("Harmful sexual behaviour: skipped (the people demo is not loaded).")
        return
    demo.year_2015()
    demo.year_2016()
    demo.queue()
    demo.training()
    demo.assessments()
    stdout.write(
        f"Harmful sexual behaviour: {HsbReferral.objects.count()} referrals, "
        f"{OutsidePractitioner.objects.count()} outside practitioners on the training register."
    )
    for year, figures in demo_figures().items():
        stdout.write(f"  {year}: " + ", ".join(f"{name} {value}" for name, value in figures.items()))
