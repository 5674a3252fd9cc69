"""Page gates by role, kept with the rest of the policy: a page a role may not use answers 404 like an unseen
object, so the existence of administrative pages is not disclosed either.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

if TYPE_CHECKING:
    from liaison.accounts.models import User

View = TypeVar("View", bound=Callable[..., HttpResponse])


def request_user(request: HttpRequest) -> User:
    """The user of a request that a login-required view or gate has let through."""
    return request.user  # type: ignore[return-value]


def has_any_role(user: Any, *codes: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and any(user.has_role(code) for code in codes))


def roles_required(*codes: str) -> Callable[[View], View]:
    """Log-in required, then 404 unless the user holds one of `codes`."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_any_role(request.user, *codes):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(wrapped)  # type: ignore[return-value]

    return decorator
