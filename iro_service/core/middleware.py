"""Middleware of our own."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages about children must not be kept by browsers or proxies: once a worker signs out on
    a shared computer, the back button must not show the record again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, " + response.get("Cache-Control", "")
        return response
