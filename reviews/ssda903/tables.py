"""The three SSDA903 tables this system reads and writes, as the DfE names their columns
(domain.md section 6), and the conversions between their codes and ours."""

from __future__ import annotations

HEADER = "header.csv"
EPISODES = "episodes.csv"
REVIEWS = "reviews.csv"

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODES_COLUMNS = (
    "CHILD",
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
)
REVIEWS_COLUMNS = ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")

TABLES = {HEADER: HEADER_COLUMNS, EPISODES: EPISODES_COLUMNS, REVIEWS: REVIEWS_COLUMNS}

# SEX: 1/2 until 2023-24, M/F/U from 2024-25; either is read in any year.
SEX_IN = {"1": "M", "2": "F", "M": "M", "F": "F", "U": "U"}
FIRST_YEAR_OF_MFU = 2025


def sex_out(sex: str, year: int) -> str:
    """SEX as the collection for ``year`` writes it. Before 2024-25 the return had only 1 and 2,
    so a child whose sex is unknown is written blank (the DfE validator flags it for review)."""
    if year >= FIRST_YEAR_OF_MFU:
        return sex
    return {"M": "1", "F": "2"}.get(sex, "")


# Episode fields in file order after CHILD and DECOM, with our model's field names.
EPISODE_FIELDS = (
    ("RNE", "reason_for_new_episode"),
    ("LS", "legal_status"),
    ("CIN", "category_of_need"),
    ("PLACE", "placement"),
    ("PLACE_PROVIDER", "placement_provider"),
    ("DEC", "end_date"),
    ("REC", "reason_ceased"),
    ("REASON_PLACE_CHANGE", "reason_place_change"),
    ("HOME_POST", "home_postcode"),
    ("PL_POST", "placement_postcode"),
    ("URN", "urn"),
)
