"""The demo county's people: teams, the IRO service of seed section 4.2, demo sign-ins and a
pool of synthetic children. Deterministic (fixed seed) and idempotent (natural keys)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from zlib import crc32

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from simple_history.utils import bulk_create_with_history

from iro_service.core.db import analyze
from iro_service.core.roles import Role
from iro_service.people.codes import Employment, JobRole, TeamKind
from iro_service.people.models import Child, IroAllocation, StaffMember, Team

SEED = 20170331
DEMO_CHILDREN = 240

TEAMS = [
    ("IRO Team North", TeamKind.IRO_SERVICE),
    ("IRO Team South", TeamKind.IRO_SERVICE),
    ("Safeguarding Business Support", TeamKind.BUSINESS_SUPPORT),
    ("Safeguarding and Improvement Unit", TeamKind.MANAGEMENT),
    ("Locality Team East", TeamKind.SOCIAL_WORK),
    ("Locality Team West", TeamKind.SOCIAL_WORK),
    ("Children in Care Team", TeamKind.SOCIAL_WORK),
    ("Disabled Children's Service", TeamKind.SOCIAL_WORK),
]

# Seed 4.2: at 31 March 2017, 14 IROs, 12.66 FTE: 12 permanent, 2 agency.
# (first, last, FTE, employment, team, start, end)
IROS = [
    ("Helen", "Ashworth", "1.00", Employment.PERMANENT, "IRO Team North", date(2009, 4, 6), None),
    ("David", "Okafor", "1.00", Employment.PERMANENT, "IRO Team North", date(2011, 9, 1), None),
    ("Priya", "Raman", "1.00", Employment.PERMANENT, "IRO Team North", date(2012, 1, 9), None),
    ("Sarah", "Whitfield", "1.00", Employment.PERMANENT, "IRO Team North", date(2013, 6, 3), None),
    ("Mark", "Edwards", "1.00", Employment.PERMANENT, "IRO Team North", date(2014, 2, 17), None),
    ("Joanne", "Baxter", "0.80", Employment.PERMANENT, "IRO Team North", date(2010, 10, 4), None),
    ("Aisha", "Khan", "0.60", Employment.PERMANENT, "IRO Team North", date(2015, 5, 11), None),
    ("Richard", "Hollis", "1.00", Employment.PERMANENT, "IRO Team South", date(2008, 3, 3), None),
    ("Claire", "Dunmore", "1.00", Employment.PERMANENT, "IRO Team South", date(2012, 11, 5), None),
    ("Tom", "Mercer", "1.00", Employment.PERMANENT, "IRO Team South", date(2014, 8, 26), None),
    ("Grace", "Adeyemi", "0.66", Employment.PERMANENT, "IRO Team South", date(2016, 1, 4), None),
    ("Lynn", "Parsons", "0.60", Employment.PERMANENT, "IRO Team South", date(2007, 7, 2), None),
    ("Martin", "Shaw", "1.00", Employment.AGENCY, "IRO Team South", date(2016, 10, 3), None),
    ("Nadia", "Ferreira", "1.00", Employment.AGENCY, "IRO Team North", date(2016, 11, 14), None),
    # Left before the year end: not counted in the IRO FTE at 31 March 2017.
    ("Gillian", "Moss", "1.00", Employment.PERMANENT, "IRO Team South", date(2006, 4, 3), date(2016, 9, 30)),
]

OTHER_STAFF = [
    ("Karen", "Lloyd", JobRole.IRO_MANAGER, "Safeguarding and Improvement Unit"),
    ("Simon", "Patel", JobRole.IRO_MANAGER, "Safeguarding and Improvement Unit"),
    ("Fiona", "Gallagher", JobRole.SERVICE_MANAGER, "Safeguarding and Improvement Unit"),
    ("Andrew", "Kirby", JobRole.HEAD_OF_SERVICE, "Safeguarding and Improvement Unit"),
    ("Beverley", "Hunt", JobRole.BUSINESS_SUPPORT, "Safeguarding Business Support"),
    ("Dawn", "Cooper", JobRole.BUSINESS_SUPPORT, "Safeguarding Business Support"),
]

# username, password, role, staff (first, last) or None
LOGINS = [
    ("iro", "demo-iro-pass-2017", Role.IRO, ("Helen", "Ashworth")),
    ("manager", "demo-manager-pass-2017", Role.IRO_MANAGER, ("Karen", "Lloyd")),
    ("support", "demo-support-pass-2017", Role.BUSINESS_SUPPORT, ("Beverley", "Hunt")),
    ("senior", "demo-senior-pass-2017", Role.SENIOR_MANAGER, ("Andrew", "Kirby")),
    ("api", "demo-api-client-pass-2017", Role.API_CLIENT, None),
]

FIRST_NAMES = {
    "M": [
        "Oliver",
        "Jack",
        "Harry",
        "Jacob",
        "Charlie",
        "Thomas",
        "George",
        "Oscar",
        "James",
        "William",
        "Noah",
        "Alfie",
        "Joshua",
        "Leo",
        "Ethan",
        "Mason",
        "Logan",
        "Riley",
        "Kai",
        "Mohammed",
        "Aarav",
        "Tyler",
        "Callum",
        "Reece",
        "Kyle",
        "Liam",
        "Dylan",
    ],
    "F": [
        "Amelia",
        "Olivia",
        "Isla",
        "Emily",
        "Poppy",
        "Ava",
        "Isabella",
        "Jessica",
        "Lily",
        "Sophie",
        "Grace",
        "Evie",
        "Ruby",
        "Mia",
        "Ella",
        "Chloe",
        "Amber",
        "Leah",
        "Megan",
        "Aaliyah",
        "Zara",
        "Keira",
        "Paige",
        "Courtney",
        "Jade",
        "Holly",
        "Niamh",
    ],
}
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Hughes",
    "Turner",
    "Harris",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Mistry",
    "Nowak",
    "Kowalski",
]
# Seed 6.6: 86% White; the rest mostly Asian/Asian British and Mixed.
ETHNICITY_WEIGHTS = [
    ("WBRI", 78),
    ("WOTH", 6),
    ("WIRI", 1),
    ("WROM", 1),
    ("MWBC", 3),
    ("MWAS", 2),
    ("MOTH", 1),
    ("AIND", 3),
    ("APKN", 1),
    ("AOTH", 1),
    ("BAFR", 1),
    ("BCRB", 1),
    ("OOTH", 1),
]


def _rng() -> random.Random:
    return random.Random(SEED)  # nosec B311


def load_demo(*, context: dict, stdout) -> None:
    teams = {name: Team.objects.get_or_create(name=name, defaults={"kind": kind})[0] for name, kind in TEAMS}
    staff = {}
    for first, last, fte, employment, team, start, end in IROS:
        member, _ = StaffMember.objects.get_or_create(
            first_name=first,
            last_name=last,
            job_role=JobRole.IRO,
            defaults={
                "fte": Decimal(fte),
                "employment": employment,
                "team": teams[team],
                "start_date": start,
                "end_date": end,
                "email": f"{first}.{last}@demo-county.example".lower(),
            },
        )
        staff[(first, last)] = member
    for first, last, job_role, team in OTHER_STAFF:
        member, _ = StaffMember.objects.get_or_create(
            first_name=first,
            last_name=last,
            job_role=job_role,
            defaults={
                "team": teams[team],
                "start_date": date(2012, 4, 2),
                "email": f"{first}.{last}@demo-county.example".lower(),
            },
        )
        staff[(first, last)] = member

    logins = []
    user_model = get_user_model()
    for username, password, role, person in LOGINS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            names = (
                {"first_name": person[0], "last_name": person[1]}
                if person
                else {"first_name": "Performance", "last_name": "Team API"}
            )
            user = user_model.objects.create_user(username=username, password=password, **names)
            user.groups.add(Group.objects.get(name=role))
            if person:
                member = staff[person]
                member.user = user
                member.save(update_fields=["user"])
        logins.append((username, password, role.label))

    iros_in_post = [staff[(first, last)] for first, last, *_rest, end in IROS if end is None]
    children = _load_children(iros_in_post)
    analyze(*apps.get_app_config("people").get_models())
    context.update(
        {"teams": teams, "staff": staff, "iros": iros_in_post, "children": children, "logins": logins}
    )
    stdout.write(
        f"People: {len(teams)} teams, {len(IROS)} IROs ({len(iros_in_post)} in post), "
        f"{len(children)} children."
    )


def _load_children(iros: list[StaffMember]) -> list[Child]:
    rng = _rng()
    codes, weights = zip(*ETHNICITY_WEIGHTS, strict=True)
    existing = {child.local_child_id: child for child in Child.objects.filter(local_child_id__startswith="D")}
    children, new_allocations = [], []
    for number in range(1, DEMO_CHILDREN + 1):
        local_id = f"D{100000 + number}"
        sex = rng.choice("MF")
        first = rng.choice(FIRST_NAMES[sex])
        last = rng.choice(LAST_NAMES)
        born = date(2000, 1, 1) + timedelta(days=rng.randrange(0, 17 * 365))
        ethnicity = rng.choices(codes, weights)[0]
        iro = iros[number % len(iros)]
        allocated_from = max(born, date(2015, 4, 1)) + timedelta(days=rng.randrange(0, 300))
        # These children are in care from this date (reviews/demo/), so it must fall within
        # the demo's last year, which ends on 31 March 2017.
        allocated_from = min(allocated_from, date(2017, 3, 20))
        child = existing.get(local_id)
        if child is None:
            child = Child.objects.create(
                local_child_id=local_id,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                sex=sex,
                ethnicity=ethnicity,
                disabilities=demo_disabilities(key=local_id, disabled=rng.random() >= 0.9),
                **demo_return_fields(key=local_id, sex=sex, born=born),
            )
            new_allocations.append(
                IroAllocation(
                    child=child,
                    iro=iro,
                    start_date=allocated_from,
                    reason="Allocated when the child came into care",
                )
            )
        children.append(child)
    bulk_create_with_history(new_allocations, IroAllocation)
    return children


# The Department for Education's number for Leicestershire, where the demo county's postcodes
# are: the first three digits of a UPN its schools allocate.
DEMO_LA_NUMBER = "855"
UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(digits: str) -> str:
    """The check letter of a unique pupil number's twelve digits (the DfE's UPN guide: each
    digit times its position, 2 to 13, summed, modulo 23)."""
    return UPN_CHECK_LETTERS[sum(int(d) * place for place, d in enumerate(digits, start=2)) % 23]


def demo_return_fields(*, key: str, sex: str, born: date | None) -> dict:
    """The fields a demo child's statutory returns need that the demo's story does not draw:
    a UPN with a valid check letter (for every child born; the school and serial come from the
    child's number, so no two children share one), and MOTHER "no" for a girl (the SSDA903
    return asks it of every girl looked after). Worked out from the child alone, with no random
    draw, so that adding them moves nothing else the demo draws."""
    number = int("".join(ch for ch in key if ch.isdigit()))
    fields: dict = {}
    if born is not None:
        # The school's number and the serial: the child's number; the year of allocation: the
        # year the child turned five (when a school would allocate it).
        digits = f"{DEMO_LA_NUMBER}{number // 1000 % 10000:04d}{(born.year + 5) % 100:02d}{number % 1000:03d}"
        fields["upn"] = upn_check_letter(digits) + digits
    if sex == "F":
        fields["is_mother"] = False
    return fields


# A second disability, for about one disabled child in three: the DfE asks a council whose
# disabled children each have one code only whether more should be recorded (CIN rule 2888Q).
SECOND_DISABILITIES = ("COMM", "AUT", "BEH")


def demo_disabilities(*, key: str, disabled: bool) -> list[str]:
    """A demo child's disability codes: none, learning disability, or (chosen from the child's
    number, with no random draw, so that nothing else the demo draws moves) learning disability
    and one more."""
    if not disabled:
        return ["NONE"]
    pick = crc32(key.encode())
    return ["LD"] if pick % 3 else ["LD", SECOND_DISABILITIES[pick // 3 % len(SECOND_DISABILITIES)]]
