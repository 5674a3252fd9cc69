"""Reads of API tokens: a user sees and manages their own tokens only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from liaison.accounts.models import User
from liaison.api.models import ApiToken


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def api_token_get_own(*, user: User, pk: Any) -> ApiToken:
    """One of the user's tokens; anyone else's answers 404 like a token that does not exist."""
    token = api_token_list(user=user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token
