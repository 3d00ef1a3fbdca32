"""The lists managers keep: concern categories, challenge meeting themes and the escalation
stages (a timescale setting, changed through the timescales service)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from iro_service.timescales.services import timescale_settings_update
from qa_alerts.models import ChallengeTheme, ConcernCategory

MAX_STAGES = 8
MAX_STAGE_NAME = 60


@transaction.atomic
def concern_category_save(
    *,
    name: str,
    context: str,
    is_active: bool = True,
    position: int = 0,
    category: ConcernCategory | None = None,
) -> ConcernCategory:
    """Add a concern category, or rename, move or retire one. Its key (``code``, which the
    figures and the API use) is made from the name when it is added and never changes."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter the name of the category."})
    if category is None:
        code = slugify(name).replace("-", "_")[:40]
        if not code:
            raise ValidationError({"name": "Enter a name with letters or digits."})
        if ConcernCategory.objects.filter(code=code).exists():
            raise ValidationError({"name": "There is already a category with that name."})
        category = ConcernCategory(code=code)
    else:
        category = ConcernCategory.objects.select_for_update().get(pk=category.pk)
    category.name, category.context, category.is_active, category.position = (
        name,
        context,
        is_active,
        position,
    )
    category.full_clean()
    category.save()
    return category


@transaction.atomic
def challenge_theme_save(
    *, name: str, is_active: bool = True, theme: ChallengeTheme | None = None
) -> ChallengeTheme:
    """Add a challenge meeting theme, or rename or retire one."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter the theme."})
    theme = ChallengeTheme() if theme is None else ChallengeTheme.objects.select_for_update().get(pk=theme.pk)
    theme.name, theme.is_active = name, is_active
    theme.full_clean()
    theme.save()
    return theme


def escalation_stages_update(*, stages: Sequence[str]):
    """Set the escalation stages, in order (stage 1 first). Alerts already escalated keep the
    names of the stages they reached; an alert beyond the new last stage cannot go further."""
    names = [" ".join(stage.split()) for stage in stages]
    names = [name for name in names if name]
    if not names:
        raise ValidationError({"stages": "Enter at least one escalation stage."})
    if len(names) > MAX_STAGES:
        raise ValidationError({"stages": f"Enter at most {MAX_STAGES} escalation stages."})
    long = [name for name in names if len(name) > MAX_STAGE_NAME]
    if long:
        raise ValidationError(
            {"stages": f"Each stage must be {MAX_STAGE_NAME} characters or fewer: {long[0]}"}
        )
    if len({name.lower() for name in names}) != len(names):
        raise ValidationError({"stages": "Each stage must have a different name."})
    return timescale_settings_update(changes={"qa_escalation_stages": names})
