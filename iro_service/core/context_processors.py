from django.conf import settings

from iro_service.core.navigation import navigation_for


def service(request) -> dict:
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
