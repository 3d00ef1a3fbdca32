"""The access log page for managers."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from iro_service.audit.selectors import access_log_list
from iro_service.core.paging import pagination_links


@login_required
@permission_required("audit.view_accesslog", raise_exception=True)
def access_log(request: HttpRequest) -> HttpResponse:
    entries = access_log_list(user=request.user)
    child_id = request.GET.get("child", "").strip()
    if child_id:
        entries = entries.filter(child__local_child_id__iexact=child_id)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/access_log.html",
        {
            "page": page,
            "pagination": pagination_links(request, page),
            "child_id": child_id,
        },
    )
