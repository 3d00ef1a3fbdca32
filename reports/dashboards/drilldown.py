"""How the records behind each figure add up to it: the drill-down page says so in words, and the
tests check, for every figure with a drill-down, that the rows count to the figure's value or
its numerator and denominator. A figure given a drill-down without an entry here fails
``tests/reports/dashboards/test_drilldown.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Cover:
    """``rows``: what the rows are: ``value`` (one row per thing counted), ``denominator`` (every
    row of the denominator, ``numerator`` telling which are in the numerator), ``numerator``
    (only the numerator's rows; ``whole`` names the figure whose rows are the denominator),
    ``not_numerator`` (the denominator's rows outside the numerator, e.g. the late reviews;
    ``whole`` as before), ``last_point`` (the rows of a series' last point; for a series of
    rates, ``numerator`` tells which rows are that point's numerator), ``total`` (a breakdown:
    ``total`` adds the parts the rows make up), ``sum`` (``total`` adds a column) or ``part``
    (the rows count the figure's ``part``, one term of a ratio; ``whole`` names the figure whose
    rows are the other)."""

    rows: str
    numerator: Callable[[dict], bool] | None = None
    whole: str | None = None
    total: Callable | None = None
    words: str = ""
    part: str | None = None


def _flag(name: str) -> Callable[[dict], bool]:
    return lambda row: bool(row[name])


def _leaves(value) -> int:
    if isinstance(value, dict):
        return sum(_leaves(inner) for inner in value.values())
    return value if isinstance(value, int) else 0


def _appeals(value: dict) -> int:
    # Per appellant the breakdown gives the total and, within it, the stage and outcomes.
    return sum(row["total"] for row in value.values())


def _responded_in_time(row: dict) -> bool:
    return bool(
        row["first_response_on"] and row["response_due"] and row["first_response_on"] <= row["response_due"]
    )


def _sent(value: dict) -> int:
    # Per group the breakdown gives those sent and, within them, those returned.
    return sum(row["sent"] for row in value.values())


COVER: dict[str, Cover] = {
    "cic_at_end": Cover("value"),
    "cic_started": Cover("value"),
    "cic_ceased": Cover("value"),
    "cic_s20_at_end": Cover("value"),
    "lac_reviews_held": Cover("value"),
    "lac_reviews_on_time": Cover("not_numerator", whole="lac_reviews_held", words="the late reviews"),
    "lac_reviews_late": Cover("value"),
    "lac_participation": Cover("denominator", numerator=_flag("took_part")),
    "lac_participation_codes": Cover("total", total=_leaves),
    "lac_sw_reports_on_time": Cover("denominator", numerator=_flag("on_time")),
    "lac_records_on_time": Cover("denominator", numerator=_flag("on_time")),
    "lac_records_out_of_timescale": Cover("last_point"),
    "lac_reviews_overdue_at_end": Cover("value"),
    "iro_cic_per_fte": Cover(
        "part",
        part="children",
        whole="iro_fte_at_end",
        words="the children in care, divided by the IROs' FTE",
    ),
    "iro_continuity": Cover("denominator", numerator=_flag("same_iro")),
    "iro_fte_at_end": Cover("sum", total=lambda rows: float(sum(Decimal(str(r["fte"])) for r in rows))),
    "iro_staff_at_end": Cover("total", total=_leaves),
    "lac_cafcass_involvements": Cover("value"),
    "lac_legal_advice_referrals": Cover("value"),
    "cp_conferences_held": Cover("value"),
    "cp_conferences_by_type": Cover("total", total=lambda value: _leaves(value)),
    "cp_conferences_stood_down": Cover("numerator", words="the conferences stood down"),
    "cp_stood_down_reasons": Cover("total", total=_leaves),
    "icpc_on_time": Cover("denominator", numerator=_flag("on_time")),
    "icpc_within_15wd_of_s47": Cover("denominator", numerator=_flag("on_time")),
    "rcpc_on_time": Cover("denominator", numerator=_flag("on_time")),
    "icpc_parent_reports_on_time": Cover("denominator", numerator=_flag("on_time")),
    "icpc_chair_reports_on_time": Cover("denominator", numerator=_flag("on_time")),
    "rcpc_reports_on_time": Cover("denominator", numerator=_flag("on_time")),
    "cp_records_on_time": Cover("denominator", numerator=_flag("on_time")),
    "cp_chair_continuity": Cover("denominator", numerator=_flag("same_chair")),
    # An invitation counts once for each of invited, attended and report submitted it has.
    "cp_agency_attendance": Cover("total", total=_leaves),
    "cp_appeals": Cover("total", total=_appeals),
    "cp_plans_at_end": Cover("value"),
    "cp_plans_started": Cover("value"),
    "cp_plans_ended": Cover("value"),
    "cp_repeat_plans": Cover("numerator", whole="cp_plans_started", words="the repeat plans"),
    "cp_repeat_plans_2y": Cover("denominator", numerator=_flag("repeat_within_2_years")),
    "cp_plans_ended_under_3_months": Cover("value"),
    "cp_plans_ended_2_years_plus": Cover("denominator", numerator=_flag("lasted_2_years_or_more")),
    "cp_plans_open_9_months_plus": Cover("value"),
    "cp_plans_open_2_years_plus": Cover("value"),
    "cp_multiple_categories": Cover("last_point", numerator=_flag("more_than_one_category")),
    "cp_children_by_age": Cover("total", total=_leaves),
    "cp_children_by_sex": Cover("total", total=_leaves),
    "cp_children_by_ethnicity": Cover("total", total=_leaves),
    "cp_children_with_disability": Cover("denominator", numerator=_flag("disability")),
    "cp_categories_at_end": Cover("total", total=_leaves),
    "hsb_referrals": Cover("value"),
    "hsb_meetings_held": Cover("value"),
    "hsb_below_threshold": Cover("value"),
    "hsb_referrals_by_rating": Cover("total", total=_leaves),
    "hsb_referrals_by_outcome": Cover("total", total=_leaves),
    "hsb_referrals_by_ethnicity": Cover("total", total=_leaves),
    "hsb_meetings_children_in_care": Cover("value"),
    "hsb_training_completed": Cover("total", total=_leaves),
    "qa_alerts_raised": Cover("total", total=_leaves),
    # An alert counts once for each category it raises: the rows are the concerns, the parts
    # their categories.
    "consultations_by_respondent": Cover("total", total=_sent),
    "consultations_children_by_age": Cover("total", total=_sent),
    "consultations_views_before_review": Cover("denominator", numerator=_flag("views_in_time")),
    "qa_concern_categories": Cover("total", total=lambda value: _leaves(value.get("all", {}))),
    "qa_responses_on_time": Cover("denominator", numerator=_responded_in_time),
    "qa_alerts_escalated": Cover("total", total=_leaves),
    "qa_alerts_open_at_end": Cover("value"),
    "qa_challenge_meetings": Cover("value"),
    "qa_challenge_themes": Cover("total", total=_leaves),
    "qa_referrals": Cover("total", total=_leaves),
    "qa_alerts_by_iro": Cover("total", total=lambda value: sum(row["total"] for row in value.values())),
    "qa_alerts_by_team": Cover(
        "total", total=lambda value: sum(row["good_practice"] + row["concern"] for row in value.values())
    ),
}


def rows_counted(key: str, rows: list[dict]) -> int:
    """What the rows add up to, in the figure's terms (for a breakdown of categories, the
    categories on them)."""
    if key == "qa_concern_categories":
        return sum(len(row["categories"]) for row in rows)
    if key == "qa_challenge_themes":
        return sum(len(row["themes"]) for row in rows)
    if key == "cp_agency_attendance":
        return sum(row["invited"] + row["attended"] + row["report_submitted"] for row in rows)
    return len(rows)


def cover_words(key: str, result: dict, rows: list[dict]) -> str:
    """A sentence saying how the rows listed make up the figure."""
    cover = COVER.get(key)
    count = len(rows)
    if cover is None:
        return f"{count} record{'s' if count != 1 else ''}."
    if cover.rows == "denominator" and cover.numerator is not None:
        inside = sum(1 for row in rows if cover.numerator(row))
        return (
            f"These {count} records are the figure's denominator; {inside} of them are its numerator "
            "(the column at the end says which)."
        )
    if cover.rows == "not_numerator":
        return f"These {count} records are {cover.words}: the denominator's records outside the numerator."
    if cover.rows == "numerator":
        return f"These {count} records are {cover.words}: the figure's numerator."
    if cover.rows == "last_point":
        if cover.numerator is not None:
            inside = sum(1 for row in rows if cover.numerator(row))
            return (
                f"These {count} records are the denominator at the last date of the series; {inside} of "
                "them are its numerator (the column at the end says which)."
            )
        return f"These {count} records are those counted at the last date of the series."
    if cover.rows == "part":
        return f"These {count} records are {cover.words}."
    return f"These {count} records are those the figure counts."
