"""What the demo county's episodes need for an SSDA903 return that passes the DfE's rules,
worked out from each child's story after it is drawn, with no random draw of its own: the
story (and every figure the seed tests check) stays exactly as it was.

- Postcodes: real ones (``postcodes``), the child's home in the county and the placement in
  the county or, for about one in seven, in Leicester next door (out of the council's area).
  A child placed with parents (P1) is placed at home. Short-break episodes (V3, V4) carry no
  postcodes and no URN: the return does not collect them (DfE rules 398 and 214).
- The Ofsted URN of the placement's provider where the return asks for one, a synthetic
  "SC" number, the same for every episode of one placement.
- The reason for a placement change is recorded on the episode that the change ended (the
  DfE's rule 225), as the return defines it, not on the episode that followed.
- What the law allows (``lawful_episodes``): police protection ends within 72 hours (rule 361)
  and an emergency protection order within 21 days (362), followed by accommodation under
  section 20 and an interim care order; a remand (J1) is of a child aged 10 or over (358); a
  child placed with parents is not accommodated under section 20 (378, placed in foster care
  instead); semi-independent living is for a child of 14 or over (371) and a school placement
  for one of 4 or over (373); short breaks are never in a long-term foster placement (384).
  How a period ends fits the child's age (independent living at 14 or over, 387; staying with
  the carers at 18, 460: otherwise returned home) and an adoption follows a placement for
  adoption with a placement order (390), and a child adopted from care who comes back has left
  the first time under a child arrangements order instead (199). Special guardianship to
  former foster carers (E45, E46) is from a foster placement, else to other carers (516).
- What the DfE's later rules ask: from 2023-24 semi-independent living (H5) is for a child of
  16 or over (371), is registered with Ofsted from 28 October 2023 (230), and it left the
  placement list after 2024-25 (146, supported accommodation, K3, in its place): a placement
  drawn as H5 that lasts into 2023-24 is a children's home (K2) instead.
- A new episode for a change of placement is B where the legal status changed too, else P,
  once everything above is redrawn (435, 436).
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from zlib import crc32

from iro_service.timescales.dates import add_months, collection_year
from reviews.demo.postcodes import CITY, COUNTY

SHORT_BREAKS = ("V3", "V4")
PLACED_WITH_PARENTS = "P1"
CHANGE_OF_PLACEMENT = "P"
SAME_PLACEMENT = "L"  # a new episode for a change of legal status only
# Placements the return gives no Ofsted URN for (the DfE's rule 218): with parents, in the
# community, in hospital, independent living and temporary moves.
PLACEMENTS_WITHOUT_URN = ("H5", "P1", "P2", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1")
DEMO_REASON_PLACE_CHANGE = "CARPL"  # a change in the child's care plan


def _pick(choices: tuple[str, ...], seed: str) -> str:
    return choices[crc32(seed.encode()) % len(choices)]


# Legal statuses the law limits in length (days) and what the child is looked after under next.
LIMITED_STATUSES = {"L1": (3, "V2"), "L2": (21, "C1")}
SECTION_20 = "V2"
REMAND = ("J1", "J2", "J3")
# Placements for a minimum age (years), and the placement instead for a younger child.
MINIMUM_AGE_PLACEMENTS = {"H5": 14, "S1": 4}
YOUNGER_PLACEMENT = "U6"
# Long-term foster placements and their short-term counterparts, for a short break.
SHORT_TERM_FOSTERING = {"U1": "U3", "U4": "U6"}
ADOPTED = ("E11", "E12")
PLACED_FOR_ADOPTION = "A6"  # with a placement order, not with the current foster carer
PLACEMENT_ORDER = "E1"
CHANGE_OF_BOTH = "B"
# The ten weeks a child lives with the adopters before an adoption order can be applied for,
# and more: the placement for adoption begins about five months before the adoption.
PLACED_BEFORE_ADOPTION_DAYS = 150
INDEPENDENT_LIVING = ("E5", "E6")
STAYED_WITH_CARERS_AT_18 = "E17"
RETURNED_HOME = "E4A"
CHILD_ARRANGEMENTS_ORDER = "E41"
# Special guardianship made to former foster carers (relatives, others), which needs a foster
# placement (rule 516), and the same made to other carers.
TO_FORMER_FOSTER_CARERS = {"E45": "E47", "E46": "E48"}
FOSTERING = ("U1", "U2", "U3", "U4", "U5", "U6")
# Semi-independent living (H5) left the DfE's placement list after 2024-25 (rule 146): a
# placement still H5 on the first day of 2025-26 moves to a children's home that day.
SEMI_INDEPENDENT = "H5"
H5_RULES_CHANGED = date(2023, 4, 1)
CHILDRENS_HOME = "K2"


def _age_on(born: date, months: int) -> date:
    return add_months(born, months)


def _split(episode: dict, on: date, **after) -> list[dict]:
    """The episode as two: to ``on`` as it was, and from ``on`` with ``after`` changed (a new
    episode for a change of legal status, RNE L, unless ``after`` says otherwise)."""
    first = {**episode, "end_date": on, "reason_ceased": "X1"}
    second = {**episode, "start_date": on, "reason_for_new_episode": SAME_PLACEMENT, **after}
    return [first, second]


def lawful_episodes(episodes: list[dict], *, born: date, comes_back: bool, until: date) -> list[dict]:
    """The period's episodes as the demo drew them, redrawn where the story broke the law or
    the return's definitions (see the module's docstring). The period's dates, and whether it
    is short breaks only, stay as drawn: every figure stays as it was. ``until``: the last day
    the demo plans; an episode open then whose limit comes after is within the law so far."""
    out = [dict(episode) for episode in episodes]
    # Legal statuses limited in length: the run of episodes under one ends at its limit.
    for status, (days, next_status) in LIMITED_STATUSES.items():
        result: list[dict] = []
        limit_day = None
        for episode in out:
            if episode["legal_status"] != status:
                limit_day = None
                result.append(episode)
                continue
            if limit_day is None:
                limit_day = episode["start_date"] + timedelta(days=days)
            if episode["start_date"] >= limit_day:
                result.append({**episode, "legal_status": next_status})
            elif (episode.get("end_date") is None and limit_day <= until) or (
                episode.get("end_date") is not None and episode["end_date"] > limit_day
            ):
                result += _split(episode, limit_day, legal_status=next_status)
            else:
                result.append(episode)
        out = result
    ten = _age_on(born, 120)
    for episode in out:
        if episode["legal_status"] in REMAND and episode["start_date"] <= ten:
            episode["legal_status"] = SECTION_20
    # Placements: decided for each placement as a whole (an episode and the ones after it for
    # a change of legal status alone), so that one placement keeps one code (rule 434).
    runs: list[list[dict]] = []
    for episode in out:
        if episode["reason_for_new_episode"] != SAME_PLACEMENT or not runs:
            runs.append([])
        runs[-1].append(episode)
    for run in runs:
        first = run[0]
        place = first["placement"]
        minimum = MINIMUM_AGE_PLACEMENTS.get(place)
        last_end = run[-1].get("end_date")
        if place == SEMI_INDEPENDENT and (last_end is None or last_end >= H5_RULES_CHANGED):
            place, minimum = CHILDRENS_HOME, None
        too_young = minimum is not None and first["start_date"] < _age_on(born, 12 * minimum)
        at_home_under_s20 = place == PLACED_WITH_PARENTS and any(
            episode["legal_status"] == SECTION_20 for episode in run
        )
        if too_young or at_home_under_s20:
            place = YOUNGER_PLACEMENT
        elif first["legal_status"] in SHORT_BREAKS:
            place = SHORT_TERM_FOSTERING.get(place, place)
        if place != first["placement"]:
            # The council's own foster carers; a private children's home (rule 1015: the
            # council's own provision is in its own area, and a home may be outside it).
            provider = "PR4" if place == CHILDRENS_HOME else "PR1"
            for episode in run:
                episode["placement"], episode["placement_provider"] = place, provider
    last = out[-1]
    ended = last.get("end_date")
    if ended is not None:
        reason = last.get("reason_ceased", "")
        if reason in ADOPTED and comes_back:
            last["reason_ceased"] = CHILD_ARRANGEMENTS_ORDER
        elif reason in ADOPTED and last["placement"] != PLACED_FOR_ADOPTION:
            placed = max(ended - timedelta(days=PLACED_BEFORE_ADOPTION_DAYS), last["start_date"])
            adoption = {
                "legal_status": PLACEMENT_ORDER,
                "placement": PLACED_FOR_ADOPTION,
                "placement_provider": "PR1",
                "reason_for_new_episode": CHANGE_OF_BOTH,
            }
            if placed > last["start_date"]:
                out[-1:] = _split(last, placed, **adoption)
            else:
                # Placed for adoption from the episode's start: its reason for a new episode
                # stays (S for the first), or is B where it said the placement stayed.
                if last["reason_for_new_episode"] != SAME_PLACEMENT:
                    del adoption["reason_for_new_episode"]
                last.update(adoption)
        else:
            too_young = (reason in INDEPENDENT_LIVING and ended < _age_on(born, 168)) or (
                reason == STAYED_WITH_CARERS_AT_18 and ended < _age_on(born, 216)
            )
            if too_young:
                last["reason_ceased"] = RETURNED_HOME
            elif reason in TO_FORMER_FOSTER_CARERS and last["placement"] not in FOSTERING:
                last["reason_ceased"] = TO_FORMER_FOSTER_CARERS[reason]
    # A new episode for a change of placement says whether the legal status changed with it
    # (B) or not (P), as it now stands after the redrawing above (rules 435 and 436).
    for before, after in pairwise(out):
        if after["reason_for_new_episode"] in (CHANGE_OF_PLACEMENT, CHANGE_OF_BOTH):
            changed = after["legal_status"] != before["legal_status"]
            after["reason_for_new_episode"] = CHANGE_OF_BOTH if changed else CHANGE_OF_PLACEMENT
    return out


def episodes_for_the_return(
    key: str, episodes: list[dict], *, born: date, until: date, comes_back: bool = False
) -> list[dict]:
    """The period's episodes (as the demo drew them) with the return's fields filled in.
    ``comes_back``: the child has a later period of care."""
    out = lawful_episodes(episodes, born=born, comes_back=comes_back, until=until)
    for episode in out:
        episode["reason_place_change"] = ""
    for before, after in pairwise(out):
        # The field joined the return in 2015-16: a change before has no code to hold it.
        if (
            after["reason_for_new_episode"] in (CHANGE_OF_PLACEMENT, CHANGE_OF_BOTH)
            and collection_year(after["start_date"]) >= 2016
        ):
            before["reason_place_change"] = DEMO_REASON_PLACE_CHANGE
    placement_seed = None
    for episode in out:
        # A new episode for a change of legal status alone (L) keeps the placement, its
        # postcode and its URN (DfE rule 434); any other starts a placement.
        if episode["reason_for_new_episode"] != SAME_PLACEMENT or placement_seed is None:
            placement_seed = f"{key} {episode['start_date'].isoformat()}"
        if episode["legal_status"] in SHORT_BREAKS:
            episode["home_postcode"] = episode["placement_postcode"] = ""
        else:
            # The drawn postcode is one of the child's own: the same drawn, the same real one.
            home = _pick(COUNTY, f"{key} {episode.get('home_postcode', '')}")
            episode["home_postcode"] = home
            if episode["placement"] == PLACED_WITH_PARENTS:
                episode["placement_postcode"] = home
            else:
                out_of_area = crc32(placement_seed.encode()) % 7 == 0
                choices = tuple(code for code in (CITY if out_of_area else COUNTY) if code != home)
                # Only a child placed with parents is placed at the home postcode (rule 392d).
                episode["placement_postcode"] = _pick(choices, placement_seed)
        # The Ofsted number of the home or fostering service, where the return asks for one
        # (rule 218): the same placement, the same provider.
        if episode["placement"] not in PLACEMENTS_WITHOUT_URN and episode["legal_status"] not in SHORT_BREAKS:
            episode["urn"] = f"SC{100000 + crc32(placement_seed.encode()) % 900000}"
    return out
