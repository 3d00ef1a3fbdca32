"""The QA alerts hub, an IRO's alerts, the managers' board (with its CSV download) and the lists
managers keep: concern categories, challenge meeting themes, escalation stages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from iro_service.core.imports import SafeCsvWriter
from iro_service.core.pages import form_page
from iro_service.core.paging import SortColumn, sort_headers, sort_ordering
from iro_service.people import selectors as people_selectors
from iro_service.signin.recent import recent_sign_in_required
from qa_alerts import selectors, services
from qa_alerts.forms import BoardFilterForm, CategoryForm, StagesForm, ThemeForm
from qa_alerts.models import ChallengeTheme, ConcernCategory
from qa_alerts.selectors import escalation_stage_names, stage_name
from qa_alerts.views._common import _log_alerts, _own_iro, _page

BOARD_COLUMNS = [
    SortColumn("raised", "Raised", ("raised_on",)),
    SortColumn("iro", "IRO", ("raised_by__last_name", "raised_by__first_name")),
    SortColumn("team", "Team", ("team__name",)),
    SortColumn("stage", "Stage", ("stage",)),
    SortColumn("due", "Due by", ("stage_due",)),
    SortColumn("status", "Status", ("status", "stage_due")),
]


@login_required
@permission_required("qa_alerts.view_qaalert", raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    """The QA alerts hub: links to the screens the signed-in person may use."""
    return render(request, "qa_alerts/index.html")


@login_required
@permission_required("qa_alerts.view_qaalert", raise_exception=True)
def my_alerts(request: HttpRequest) -> HttpResponse:
    """An IRO's alerts: awaiting a response, overdue, escalated, resolved; and their notices."""
    iro = _own_iro(request)
    context = {"iro": iro, "today": timezone.localdate()}
    if iro is not None:
        mine = selectors.my_alerts(iro=iro, today=context["today"], user=request.user)
        _log_alerts(request, mine.shown, "QA alerts: my alerts")
        context["mine"] = mine
    return render(request, "qa_alerts/my_alerts.html", context)


@login_required
@permission_required("qa_alerts.view_qaalert", raise_exception=True)
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    iro = _own_iro(request)
    if iro is not None:
        services.alert_notices_read(iro=iro)
    return redirect("qa_alerts:mine")


def _board(request: HttpRequest):
    today = timezone.localdate()
    names = escalation_stage_names()
    form = BoardFilterForm(
        request.GET,
        teams=selectors.teams_for_alerts(),
        categories=selectors.concern_categories(),
        iros=people_selectors.iro_list(),
        stages=[(n, stage_name(n, names)) for n in range(len(names) + 1)],
    )
    filters = form.cleaned_data if form.is_valid() else {}
    sort, ordering = sort_ordering(request, BOARD_COLUMNS, "-raised")
    rows = selectors.alert_board(
        user=request.user,
        today=today,
        team_id=filters["team"].pk if filters.get("team") else None,
        category_id=filters["category"].pk if filters.get("category") else None,
        stage=filters.get("stage"),
        iro_id=filters["iro"].pk if filters.get("iro") else None,
        context=filters.get("context", ""),
        status=filters.get("status", ""),
        kind=filters.get("kind", ""),
        ordering=ordering,
    )
    return form, sort, rows, today


@login_required
@permission_required("qa_alerts.view_alert_board", raise_exception=True)
def board(request: HttpRequest) -> HttpResponse:
    """The managers' alert board: every alert, filtered and sorted, with a CSV download."""
    form, sort, rows, today = _board(request)
    page, pagination = _page(request, rows)
    _log_alerts(request, page, "QA alerts: board")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "qa_alerts/board.html",
        {
            "form": form,
            "page": page,
            "pagination": pagination,
            "headers": sort_headers(request, BOARD_COLUMNS, sort),
            "today": today,
            "query": query.urlencode(),
        },
    )


@login_required
@permission_required("qa_alerts.view_alert_board", raise_exception=True)
@recent_sign_in_required
def board_csv(request: HttpRequest) -> HttpResponse:
    """The board as filtered, every row, as a spreadsheet. Each child in it goes to the access log."""
    _, _, rows, today = _board(request)
    rows = list(rows)
    _log_alerts(request, rows, "QA alerts: board download")
    header = [
        "Reference",
        "Raised",
        "Kind",
        "Context",
        "Child IDs",
        "IRO",
        "Team",
        "Categories",
        "Stage",
        "Due by",
        "Status",
        "First response",
        "Resolved",
        "Outcome",
    ]
    body = [
        [
            alert.reference,
            alert.raised_on.isoformat(),
            alert.get_kind_display(),
            alert.get_context_display(),
            " ".join(link.child.local_child_id for link in alert.children.all()),
            alert.raised_by.full_name,
            alert.team.name,
            "; ".join(concern.category.name for concern in alert.concerns.all()),
            alert.stage_name or "",
            alert.stage_due.isoformat() if alert.stage_due else "",
            "Overdue" if alert.is_overdue else alert.get_status_display(),
            alert.first_response_on.isoformat() if alert.first_response_on else "",
            alert.resolved_on.isoformat() if alert.resolved_on else "",
            alert.get_outcome_display(),
        ]
        for alert in rows
    ]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="qa-alerts-{today.isoformat()}.csv"'
    # A byte-order mark so that Excel opens it as UTF-8.
    response.write("\ufeff")
    writer = SafeCsvWriter(response)
    writer.writerow(header)
    writer.writerows(body)
    return response


# --- the lists managers keep ----------------------------------------------------------------


@login_required
@permission_required("qa_alerts.manage_alert_lists", raise_exception=True)
def categories(request: HttpRequest) -> HttpResponse:
    form = CategoryForm(request.POST if request.method == "POST" else None)

    def save(data: dict):
        category = services.concern_category_save(**data)
        return f"Category added: {category.name}.", "qa_alerts:categories"

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/categories.html",
        context={"rows": selectors.concern_categories()},
    )


@login_required
@permission_required("qa_alerts.manage_alert_lists", raise_exception=True)
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = get_object_or_404(ConcernCategory, pk=pk)
    form = CategoryForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(category, name) for name in ("name", "context", "position", "is_active")},
        submit="Save category",
    )

    def save(data: dict):
        services.concern_category_save(category=category, **data)
        return "Category saved.", "qa_alerts:categories"

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/list_form.html",
        context={"title": f"Change the category: {category.name}", "back": "qa_alerts:categories"},
    )


@login_required
@permission_required("qa_alerts.manage_alert_lists", raise_exception=True)
def themes(request: HttpRequest) -> HttpResponse:
    form = ThemeForm(request.POST if request.method == "POST" else None)

    def save(data: dict):
        theme = services.challenge_theme_save(**data)
        return f"Theme added: {theme.name}.", "qa_alerts:themes"

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/themes.html",
        context={"rows": selectors.challenge_themes()},
    )


@login_required
@permission_required("qa_alerts.manage_alert_lists", raise_exception=True)
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(ChallengeTheme, pk=pk)
    form = ThemeForm(
        request.POST if request.method == "POST" else None,
        initial={"name": theme.name, "is_active": theme.is_active},
        submit="Save theme",
    )

    def save(data: dict):
        services.challenge_theme_save(theme=theme, **data)
        return "Theme saved.", "qa_alerts:themes"

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/list_form.html",
        context={"title": "Change the theme", "back": "qa_alerts:themes"},
    )


@login_required
@permission_required("qa_alerts.manage_alert_lists", raise_exception=True)
def stages(request: HttpRequest) -> HttpResponse:
    form = StagesForm(
        request.POST if request.method == "POST" else None,
        initial={"stages": "\n".join(escalation_stage_names())},
    )

    def save(data: dict):
        services.escalation_stages_update(stages=data["stages"])
        return "Escalation stages saved.", "qa_alerts:stages"

    return form_page(
        request,
        form=form,
        save=save,
        template="qa_alerts/list_form.html",
        context={"title": "Escalation stages", "back": "qa_alerts:index", "stages_page": True},
    )
