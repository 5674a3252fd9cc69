"""The notification centre: the user's own notices, unread first; mark one or all read."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from liaison.notifications.selectors import notification_get, notification_list, notification_targets_shown
from liaison.notifications.services import notification_mark_all_read, notification_mark_read
from liaison.notifications.targets import target_title, target_url
from liaison.policy.gates import request_user

PAGE_SIZE = 50


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    page = Paginator(notification_list(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page.object_list:
        readable = notification.target_title is not None
        notification.target_title = target_title(notification.target_type_id, notification.target_title)
        notification.url = target_url(notification.target_type_id, notification.target_id) if readable else ""
    marked = notification_targets_shown(user=user, notifications=list(page.object_list))
    return render(request, "notifications/list.html", {"page": page, "filters": {}, "marked": marked})


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user = request_user(request)
    notification_mark_read(by=user, notification=notification_get(user=user, pk=pk), request=request)
    return _back(request)


@login_required
@require_POST
def notification_read_all_view(request: HttpRequest) -> HttpResponse:
    notification_mark_all_read(by=request_user(request), request=request)
    return redirect("notifications:list")
