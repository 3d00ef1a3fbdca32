"""The lists a new installation starts with: the concern categories (the seed's two lists, 5.9.4
for children in care and 6.13 for child protection, merged as domain.md section 5 lists them)
and the challenge meeting themes of seed 5.10.3. Managers change them on the QA alerts pages.

Written after ``migrate`` into an empty table only, so that a manager's renaming or retiring a
category is never undone; a flush (as transactional tests do) empties the tables, and the next
post_migrate signal puts the defaults back."""

from __future__ import annotations

CATEGORIES = [
    # (code, name, offered for, position)
    ("drift_delay", "Drift and delay, actions not progressed", "any", 10),
    ("report_timeliness", "Timeliness of report", "any", 20),
    ("quality", "Quality of report, assessment or plan", "any", 30),
    ("core_group", "Core group", "cp", 40),
    ("statutory_visits", "Statutory visits not on time or not completed", "any", 50),
    ("permanency_plan", "Lack of permanency plan", "any", 60),
    ("length_on_plan", "Length on plan", "cp", 70),
    ("placement", "Placement suitability or matching", "cic", 80),
    ("other", "Other", "any", 90),
]

THEMES = [
    "Ofsted feedback on permanence",
    "Governance of Special Guardianship Order recommendations and support plans",
    "Social work reports for LAC reviews not giving a thorough updating assessment",
    "Plans not outcome focused enough",
    "Quality of social work reports and assessments for child protection conferences",
    "Quality of sibling assessment work",
    "Use of connected placements at all cost",
    "Matching processes not being followed",
    "Drift and delay",
]


def default_lists_ensure(sender=None, using="default", **kwargs) -> None:
    """post_migrate receiver: the default lists, into empty tables only."""
    from simple_history.utils import bulk_create_with_history

    from qa_alerts.models import ChallengeTheme, ConcernCategory

    if not ConcernCategory.objects.using(using).exists():
        rows = [
            ConcernCategory(code=code, name=name, context=context, position=position)
            for code, name, context, position in CATEGORIES
        ]
        bulk_create_with_history(rows, ConcernCategory, default_change_reason="Default list")
    if not ChallengeTheme.objects.using(using).exists():
        bulk_create_with_history(
            [ChallengeTheme(name=name) for name in THEMES],
            ChallengeTheme,
            default_change_reason="Default list",
        )
