"""Section 5 of the annual report: children in care (population, reviews, participation, records,
social workers' reports, QA alerts, challenge meetings, Cafcass and legal advice)."""

from __future__ import annotations

from collections.abc import Callable

from consultations.codes import Audience
from iro_service.core.codes import code_label
from reports.annual.figures import ReportFigures
from reports.annual.sections.blocks import (
    Blocks,
    bullets,
    chart,
    n,
    paragraph,
    pct,
    rate_point,
    table,
)

# The consultation figures' age bands (the child's age on the meeting's date), in their order.
AGE_BANDS = {
    "under_8": "Under 8",
    "8_to_11": "8 to 11",
    "12_to_15": "12 to 15",
    "16_and_over": "16 and over",
    "unknown": "Age not known",
}


def population(f: ReportFigures) -> Blocks:
    years = list(range(5, -1, -1))
    labels = [f"31 Mar {f.year_end - back}" for back in years]
    values = [f.value("cic_at_end", back=back) for back in years]
    first, last = values[0], values[-1]
    trend = (
        "risen" if (last or 0) > (first or 0) else "fallen" if (last or 0) < (first or 0) else "held steady"
    )
    rows = [[label, n(value)] for label, value in zip(labels, values, strict=True)]
    blocks = [
        paragraph(
            f"The number of children in care has {trend} over the last six years, from {n(first)} at "
            f"31 March {f.year_end - 5} to {n(last)} at {f.end_words()}. During the year "
            f"{n(f.value('cic_started'))} children started to be looked after and {n(f.value('cic_ceased'))} "
            f"left care; {n(f.value('cic_s20_at_end'))} of those in care at the year end were accommodated "
            "under section 20 (voluntary accommodation)."
        ),
        chart(
            title="Children in care at 31 March",
            alt=f"Line chart of children in care at 31 March from {f.year_end - 5} to {f.year_end}: "
            + ", ".join(f"{label} {n(value)}" for label, value in zip(labels, values, strict=True))
            + ".",
            points=[
                {"date": f"{f.year_end - back}-03-31", "value": value}
                for back, value in zip(years, values, strict=True)
            ],
            unit="count",
            data=table("Children in care at 31 March", ["Date", "Children in care"], rows),
            comparators=f.comparator_lines("cic_at_end"),
        ),
    ]
    return blocks


def reviews_held(f: ReportFigures) -> Blocks:
    held, before = f.value("lac_reviews_held"), f.value("lac_reviews_held", back=1)
    return [
        paragraph(
            f"The number of review meetings held for children from {f.period_words()} totalled "
            f"{n(held)}, compared with {n(before)} in {f.label(1)}."
        ),
        table(
            "LAC reviews held",
            ["Year", "Reviews held"],
            [[f.label(back), n(f.value("lac_reviews_held", back=back))] for back in (0, 1, 2)],
        ),
    ]


def timeliness(f: ReportFigures) -> Blocks:
    on_time = f.fig("lac_reviews_on_time")
    late = f.value("lac_reviews_late")
    return [
        paragraph(
            f"{pct(on_time)} of LAC reviews ({n(on_time['numerator'])} of {n(on_time['denominator'])}) were held "
            f"on time. There were {n(late)} reviews that did not take place in time over the year. "
            f"At {f.end_words()}, {n(f.value('lac_reviews_overdue_at_end'))} children in care had a review "
            "overdue."
        ),
        table(
            "Timeliness of LAC reviews",
            ["Year", "Held", "On time", "Late", "On time (%)"],
            [
                [
                    f.label(back),
                    n(f.fig("lac_reviews_on_time", back=back)["denominator"]),
                    n(f.fig("lac_reviews_on_time", back=back)["numerator"]),
                    n(f.value("lac_reviews_late", back=back)),
                    pct(f.fig("lac_reviews_on_time", back=back)),
                ]
                for back in (0, 1)
            ],
        ),
    ]


PN_CODES = ["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7", "PN0"]


def participation(f: ReportFigures) -> Blocks:
    years = (0, 1, 2)
    codes = {back: f.value("lac_participation_codes", back=back) or {} for back in years}
    rows = [
        [f"{code} {code_label('REVIEW_CODE', code) or ''}".strip()]
        + [n(codes[back].get(code, 0)) for back in years]
        for code in PN_CODES
    ]
    overall = [f.fig("lac_participation", back=back) for back in years]
    return [
        paragraph(
            f"Overall, {pct(overall[0])} of children and young people aged 4 and over participated in their LAC "
            f"review in {f.label()}, compared with {pct(overall[1])} in {f.label(1)} and {pct(overall[2])} in "
            f"{f.label(2)}. PN0 counts children under 4, who are left out of the percentage; PN7 those who did "
            "not attend or convey their views."
        ),
        table(
            "Participation in LAC reviews by code",
            ["Participation code", f.label(), f.label(1), f.label(2)],
            rows,
            total=["Participated (PN1 to PN6 of PN1 to PN7)"] + [pct(figure) for figure in overall],
        ),
        chart(
            title="Participation in LAC reviews",
            alt="Line chart of the share of children aged 4 and over who participated in their review: "
            + ", ".join(f"{f.label(back)} {pct(overall[back])}" for back in (2, 1, 0))
            + ".",
            points=[
                {"date": f"{f.year_end - back}-03-31", **rate_point(overall[back])} for back in (2, 1, 0)
            ],
            unit="%",
            comparators=f.comparator_lines("lac_participation"),
            data=table(
                "Participation by year",
                ["Year", "Participated"],
                [[f.label(back), pct(overall[back])] for back in (2, 1, 0)],
            ),
        ),
        *consultations(f),
    ]


SENT_AND_RETURNED = ("sent", "returned")


def _sent_and_returned_rows(f: ReportFigures, key: str, names: dict[str, str], years) -> list[list[str]]:
    """One row a group of the breakdown ``key`` (who was asked, or the age band): sent and
    returned in each of ``years``, the reporting year first."""
    counts = {back: f.value(key, back=back) or {} for back in years}
    return [
        [name] + [n(counts[back].get(group, {}).get(what, 0)) for back in years for what in SENT_AND_RETURNED]
        for group, name in names.items()
    ]


def _sent_and_returned_totals(f: ReportFigures, key: str, years) -> list[str]:
    counts = {back: f.value(key, back=back) or {} for back in years}
    return [
        n(sum(group.get(what, 0) for group in counts[back].values()))
        for back in years
        for what in SENT_AND_RETURNED
    ]


def consultations(f: ReportFigures) -> Blocks:
    """The consultations sent before LAC reviews, by who was asked and by the child's age, and
    the reviews the child's views reached beforehand: how children's views got to their review,
    beside the participation codes the IRO records at it."""
    # The breakdowns show this year and last: sent and returned for three years is seven columns,
    # wider than an A4 page. The views received beforehand are one figure a year, so three.
    years, views_years = (0, 1), (0, 1, 2)
    head = [f"{f.label(back)} {what}" for back in years for what in SENT_AND_RETURNED]
    totals = _sent_and_returned_totals(f, "consultations_by_respondent", years)
    before = [f.fig("consultations_views_before_review", back=back) for back in views_years]
    sent = [
        sum(
            group.get("sent", 0)
            for group in (f.value("consultations_by_respondent", back=back) or {}).values()
        )
        for back in views_years
    ]
    if not any(sent):
        # A council that does not yet send consultations from the system (the demo's 2016-17):
        # tables of zeros would say nothing a sentence cannot.
        return [
            paragraph(
                f"No consultations were sent from the system before LAC reviews in {f.label()} or the two "
                "years before it, so there are no figures of consultations sent and returned."
            )
        ]
    return [
        paragraph(
            f"In {f.label()}, {totals[0]} consultations were sent before LAC reviews and {totals[1]} were "
            "returned. "
            + (
                f"Of the {n(before[0]['denominator'])} reviews a child was sent a consultation for, "
                f"{n(before[0]['numerator'])} ({pct(before[0])}) had the child's views back by the day of "
                f"the meeting, compared with {pct(before[1])} in {f.label(1)}."
                if before[0]["denominator"]
                else "No child was sent a consultation before their review."
            )
        ),
        table(
            "Consultations sent and returned, by who was asked",
            ["Who was asked", *head],
            _sent_and_returned_rows(f, "consultations_by_respondent", dict(Audience.choices), years),
            total=["All consultations", *totals],
        ),
        table(
            "Children's consultations sent and returned, by the child's age at the review",
            ["Age", *head],
            _sent_and_returned_rows(f, "consultations_children_by_age", AGE_BANDS, years),
            total=[
                "All children's consultations",
                *_sent_and_returned_totals(f, "consultations_children_by_age", years),
            ],
        ),
        table(
            "Reviews with the child's views received beforehand",
            ["Year", "Reviews consulted for", "Views received beforehand", "Received beforehand (%)"],
            [
                [f.label(back), n(figure["denominator"]), n(figure["numerator"]), pct(figure)]
                for back, figure in zip(views_years, before, strict=True)
            ],
        ),
    ]


def records(f: ReportFigures) -> Blocks:
    points = f.value("lac_records_out_of_timescale") or []
    on_time = f.fig("lac_records_on_time")
    labels = [f.month_words(point["date"]) for point in points]
    return [
        paragraph(
            f"{pct(on_time)} of LAC review records ({n(on_time['numerator'])} of {n(on_time['denominator'])}) were "
            "distributed within timescale. The number of records out of timescale at each month end was:"
        ),
        table(
            "LAC review records out of timescale at each month end",
            ["Month end", "Records out of timescale"],
            [[label, n(point["value"])] for label, point in zip(labels, points, strict=True)],
        ),
        chart(
            title="LAC review records out of timescale",
            alt="Line chart of LAC review records out of timescale at each month end: "
            + ", ".join(f"{label} {n(point['value'])}" for label, point in zip(labels, points, strict=True))
            + ".",
            points=[{"date": point["date"], "value": point["value"]} for point in points],
            unit="count",
            data=None,  # the table above holds the same figures
        ),
    ]


def social_work_reports(f: ReportFigures) -> Blocks:
    year, before = f.fig("lac_sw_reports_on_time"), f.fig("lac_sw_reports_on_time", back=1)
    months = f.monthly("lac_sw_reports_on_time")
    return [
        paragraph(
            f"{pct(year)} of social workers' reports for LAC reviews were available in time in {f.label()}, "
            f"compared with {pct(before)} in {f.label(1)}."
        ),
        table(
            "Social workers' reports available in time, by month",
            ["Month", "Reviews", "Reports in time", "In time (%)"],
            [
                [label, n(figure["denominator"]), n(figure["numerator"]), pct(figure)]
                for label, figure in months
            ],
            total=[f"{f.label()} as a whole", n(year["denominator"]), n(year["numerator"]), pct(year)],
        ),
        chart(
            title="Social workers' reports in time",
            alt="Line chart of the share of social workers' reports available in time each month: "
            + ", ".join(f"{label} {pct(figure)}" for label, figure in months)
            + ".",
            points=[
                {"date": end, **rate_point(figure)}
                for end, (_, figure) in zip(f.month_ends(), months, strict=True)
            ],
            unit="%",
            comparators=f.comparator_lines("lac_sw_reports_on_time"),
            data=None,  # the table above holds the same figures
        ),
    ]


def qa_alerts(context: str) -> Callable[[ReportFigures], Blocks]:
    def build(f: ReportFigures) -> Blocks:
        raised = (f.value("qa_alerts_raised") or {}).get(context, {})
        categories = (f.value("qa_concern_categories") or {}).get(context, {})
        names = f.concern_category_names()
        good, concern = raised.get("good_practice", 0), raised.get("concern", 0)
        rows = [[names.get(code, code), n(number)] for code, number in categories.items() if number]
        return [
            paragraph(
                f"IROs raised {n(good + concern)} QA alerts about "
                + ("children in care" if context == "cic" else "children on child protection plans")
                + f" in {f.label()}: {n(good)} for good practice and {n(concern)} for concern."
            ),
            table(
                "Concerns raised in QA alerts, by category",
                ["Category of concern", "Alerts"],
                rows or [["No concerns raised", "0"]],
            ),
            paragraph("An alert may raise more than one category of concern; it counts once in each."),
        ]

    return build


def qa_responses(f: ReportFigures) -> Blocks:
    on_time = f.fig("qa_responses_on_time")
    stages = f.value("qa_alerts_escalated") or {}
    names = f.stage_names()
    return [
        paragraph(
            f"{pct(on_time)} of QA alerts had their first response by the date it was due "
            f"({n(on_time['numerator'])} of {n(on_time['denominator'])}). At {f.end_words()}, "
            f"{n(f.value('qa_alerts_open_at_end'))} concern alerts were not yet resolved."
        ),
        table(
            "QA alerts by the highest stage of escalation they reached",
            ["Stage", "Alerts"],
            [
                [names.get(stage, f"Stage {stage}"), n(number)]
                for stage, number in stages.items()
                if stage.isdigit()
            ],
        ),
    ]


def challenge(f: ReportFigures) -> Blocks:
    meetings = f.value("qa_challenge_meetings")
    themes = f.value("qa_challenge_themes") or {}
    blocks = [
        paragraph(f"{n(meetings)} challenge meetings with the assistant director were held in {f.label()}.")
    ]
    if themes:
        blocks.append(paragraph("The issues and themes considered included:"))
        blocks.append(bullets(list(themes)))
    return blocks


def cafcass(f: ReportFigures) -> Blocks:
    referrals = f.value("qa_referrals") or {}
    return [
        paragraph(
            f"{n(f.value('lac_cafcass_involvements'))} children in care had a Cafcass Children's Guardian during "
            f"the year. IROs referred {n(f.value('lac_legal_advice_referrals'))} children for independent legal "
            f"advice; QA alerts led to {n(referrals.get('cafcass', 0))} referrals to Cafcass and "
            f"{n(referrals.get('legal_advice', 0))} for legal advice."
        )
    ]
