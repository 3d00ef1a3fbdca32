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
"""

from __future__ import annotations

from itertools import pairwise
from zlib import crc32

from iro_service.timescales.dates import collection_year
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


def episodes_for_the_return(key: str, episodes: list[dict]) -> list[dict]:
    """The period's episodes (as the demo drew them) with the return's fields filled in."""
    out = [dict(episode) for episode in episodes]
    for episode in out:
        episode["reason_place_change"] = ""
    for before, after in pairwise(out):
        # The field joined the return in 2015-16: an episode that began before has no code
        # list to hold it (the importer checks an episode's codes against its first year's).
        if (
            after["reason_for_new_episode"] == CHANGE_OF_PLACEMENT
            and collection_year(before["start_date"]) >= 2016
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
