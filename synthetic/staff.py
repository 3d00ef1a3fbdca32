"""The staff and teams a dataset needs: IROs in IRO service teams (about one IRO for 80
children), their managers, business support and the social work teams QA alerts go to."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from iro_service.people.codes import Employment, JobRole, TeamKind
from iro_service.people.models import StaffMember, Team
from synthetic.copy import Tables
from synthetic.names import FIRST_NAMES, LAST_NAMES
from synthetic.presets import FIRST_DAY

CHILDREN_PER_IRO = 80
IROS_PER_TEAM = 10
CHILDREN_PER_SOCIAL_WORK_TEAM = 250


@dataclass
class Staff:
    iros: list[int] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)
    support: list[int] = field(default_factory=list)
    # (team id, team name, team manager's name) of each social work team.
    social_work_teams: list[tuple[int, str, str]] = field(default_factory=list)


def staff_build(tables: Tables, rng: random.Random, *, children: int, prefix: str) -> Staff:
    staff = Staff()
    teams = tables[Team]
    members = tables[StaffMember]

    def person(team_id: int, role: str, *, fte=Decimal("1.00")) -> tuple[int, str]:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        start = FIRST_DAY - timedelta(days=rng.randrange(30, 3000))
        pk = members.add(
            first_name=first,
            last_name=last,
            email=f"{first}.{last}.{len(members.rows)}@{prefix.lower()}.example.org".lower(),
            job_role=role,
            team_id=team_id,
            fte=fte,
            employment=Employment.AGENCY if rng.random() < 0.1 else Employment.PERMANENT,
            start_date=start,
        )
        return pk, f"{first} {last}"

    iro_count = max(3, children // CHILDREN_PER_IRO)
    team_count = max(1, -(-iro_count // IROS_PER_TEAM))
    for number in range(team_count):
        team = teams.add(name=f"{prefix} IRO team {number + 1}", kind=TeamKind.IRO_SERVICE)
        staff.managers.append(person(team, JobRole.IRO_MANAGER)[0])
        for _ in range(min(IROS_PER_TEAM, iro_count - len(staff.iros))):
            fte = Decimal("1.00") if rng.random() < 0.8 else Decimal("0.60")
            staff.iros.append(person(team, JobRole.IRO, fte=fte)[0])
        support = teams.add(name=f"{prefix} business support {number + 1}", kind=TeamKind.BUSINESS_SUPPORT)
        staff.support.append(person(support, JobRole.BUSINESS_SUPPORT)[0])
    management = teams.add(name=f"{prefix} safeguarding management", kind=TeamKind.MANAGEMENT)
    staff.managers.append(person(management, JobRole.SERVICE_MANAGER)[0])
    staff.managers.append(person(management, JobRole.HEAD_OF_SERVICE)[0])
    for number in range(max(2, children // CHILDREN_PER_SOCIAL_WORK_TEAM)):
        name = f"{prefix} social work team {number + 1}"
        team = teams.add(name=name, kind=TeamKind.SOCIAL_WORK)
        _, manager = person(team, JobRole.TEAM_MANAGER)
        staff.social_work_teams.append((team, name, manager))
    tables.flush()
    return staff
