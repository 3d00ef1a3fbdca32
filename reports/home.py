"""The reports app's home-page panel: for managers, the statutory return imports still running
and the last ones that ended."""

from __future__ import annotations

from iro_service.audit.models import ExchangeOutcome
from iro_service.audit.selectors import data_exchange_list
from iro_service.core.home import Panel

SHOWN = 3


def statutory_returns_panel(request) -> Panel | None:
    if not request.user.has_perm("audit.import_returns"):
        return None
    latest = list(data_exchange_list()[:SHOWN])
    if not latest:
        return None
    waiting = (
        data_exchange_list().filter(outcome__in=[ExchangeOutcome.QUEUED, ExchangeOutcome.RUNNING]).count()
    )
    return Panel("reports/home_panel.html", {"latest": latest, "waiting": waiting})
