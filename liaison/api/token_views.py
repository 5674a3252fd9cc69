"""The page where a user creates and revokes their own API tokens. A new token is shown once, in the answer to
its creation, and never stored in clear (not even in the session)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts.models import User
from liaison.api.forms import TokenForm
from liaison.api.selectors import api_token_get_own, api_token_list
from liaison.api.services import api_token_create, api_token_revoke
from liaison.core.exceptions import DomainError


def _page(request: HttpRequest, form: TokenForm, raw_token: str = "") -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {"form": form, "tokens": api_token_list(user=user), "raw_token": raw_token}
    return render(request, "api/tokens.html", context)


@login_required
def token_list_view(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenForm())


@require_POST
@login_required
def token_create_view(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form)
    try:
        token, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
    except DomainError as error:
        form.add_error("name", error.message)
        return _page(request, form)
    messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
    return _page(request, TokenForm(), raw_token=raw)


@require_POST
@login_required
def token_revoke_view(request: HttpRequest, pk: UUID) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    token = api_token_get_own(user=user, pk=pk)
    try:
        api_token_revoke(by=user, token=token)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("api:tokens")
