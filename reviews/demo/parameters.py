"""The demo's tuning table: the window, the seed, ``PARAMETERS`` (the figures the generator
aims at, by collection year) and the weighted code lists children and episodes are drawn from.
"""

from __future__ import annotations

from datetime import date

SEED = 2017_0331_3
WINDOW_START = date(2014, 4, 1)
WINDOW_END = date(2017, 3, 31)

# The tuning table. Years are collection years named by the year they end (2017 = 2016-17).
PARAMETERS = {
    # Children already in care on 1 April 2014, who came in between these dates.
    "initial_in_care": 520,
    "initial_starts_from": date(2011, 4, 1),
    # Children coming into care each year (the 240 people-demo children included).
    "entries": {2015: 240, 2016: 220, 2017: 188},
    # Mean years a period of care lasts; a share leave within weeks.
    "mean_years_in_care": 3.2,
    "short_stay_share": 0.12,
    "re_entry_share": 0.08,
    "short_breaks_share": 0.03,
    # Reviews are held up to this many days before they are due.
    "held_early_days": (0, 12),
    "two_part_share": 0.015,
    # Late reviews: the next review booked from part 2 of a two-part review; a first review
    # held late because the IRO service heard late that the child came into care.
    "late_from_part_2": {2016: 1, 2017: 4},
    "late_first_review": {2017: 2},
    # Share of reviews of children aged 4 and over with participation (PN1-PN6 over PN1-PN7).
    "participation": {2014: 0.92, 2015: 0.925, 2016: 0.902, 2017: 0.953},
    # Reviews held in a year, exactly: the generator holds a few more reviews early, in the
    # last days of March, or leaves a few not yet held, to land on it.
    "reviews_held": {2017: 1404},
    # Share of social worker's reports received by their due date.
    "sw_reports_on_time": {2014: 0.5, 2015: 0.5, 2016: 0.515, 2017: 0.563},
    # Months reported on their own (seed 5.7.1); the rest of their year makes up the year's share.
    "sw_reports_on_time_by_month": {(2016, 10): 0.719, (2016, 11): 0.59},
    # Records due before a month end and not distributed by it (the backlog).
    "records_out_of_timescale": {
        date(2015, 3, 31): 40,
        date(2015, 6, 30): 60,
        date(2015, 9, 30): 70,
        date(2015, 12, 31): 80,
        date(2016, 3, 31): 90,
        date(2016, 4, 30): 100,
        date(2016, 5, 31): 110,
        date(2016, 6, 30): 120,
        date(2016, 7, 31): 130,
        date(2016, 8, 31): 125,
        date(2016, 9, 30): 112,
        date(2016, 10, 31): 51,
        date(2016, 11, 30): 10,
        date(2016, 12, 31): 30,
        date(2017, 1, 31): 45,
        date(2017, 2, 28): 35,
        date(2017, 3, 31): 44,
    },
    "visits_per_child_year": 1.2,
    "legal_advice_referrals": 6,
    # The years after the demo's three, to the day it is loaded (``continuation``): children
    # coming into care each year (give or take 20: about 600 stay in care), the share of
    # reviews of children aged 4 and over with participation, of social workers' reports on
    # time and of records distributed on time.
    "after": {"entries": 250, "participation": 0.95, "sw_reports_on_time": 0.7, "records_on_time": 0.93},
}

# (legal status, weight) for a first episode; V4 is drawn separately (short breaks).
FIRST_LEGAL_STATUS = [("C1", 40), ("V2", 32), ("C2", 8), ("L2", 6), ("E1", 3), ("J1", 5), ("L1", 6)]
CATEGORY_OF_NEED = [("N1", 62), ("N2", 4), ("N3", 4), ("N4", 9), ("N5", 13), ("N6", 2), ("N7", 1), ("N8", 5)]
PLACEMENTS = [
    ("U6", 40),
    ("U4", 15),
    ("U3", 12),
    ("U1", 5),
    ("K2", 10),
    ("P1", 6),
    ("H5", 4),
    ("R1", 2),
    ("S1", 2),
]
PROVIDERS = {"P1": "PR0", "K2": "PR4", "H5": "PR4", "R1": "PR3", "S1": "PR5"}
PARTICIPATING = [("PN1", 55), ("PN2", 6), ("PN3", 8), ("PN4", 5), ("PN5", 10), ("PN6", 16)]
GUARDIANS = ["Ruth Ellison", "Marcus Doyle", "Anita Chauhan", "Paul Brennan", "Sian Morgan", "Kevin Osei"]
