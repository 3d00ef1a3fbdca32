from django.conf import settings

from iro_service.core.navigation import navigation_for, sub_navigation


def service(request) -> dict:
    navigation = navigation_for(request)
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation,
        "sub_navigation": sub_navigation(navigation),
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
    }
