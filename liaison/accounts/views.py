"""Login in two steps (password, then TOTP or its enrolment), logout, profile, and the administrators' user list
with unlock and audited identity reveal. Views parse input, call one service, render.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.accounts import services
from liaison.accounts.failures import AuthThrottled
from liaison.accounts.forms import CodeForm, JustificationForm, LoginForm, PreferencesForm
from liaison.accounts.models import RoleCode, User
from liaison.accounts.selectors import user_list_for_administration
from liaison.audit.events import AuditEvent
from liaison.audit.services import record
from liaison.core.crypto import seal, unseal
from liaison.core.exceptions import DomainError
from liaison.passkeys.relying_party import code_allowed, key_required, second_step
from liaison.passkeys.selectors import factor_of, factor_summary, has_active_key
from liaison.policy.gates import roles_required

PENDING_USER = "login_pending_user"
PENDING_AT = "login_pending_at"
PENDING_NEXT = "login_pending_next"
ENROL_SECRET = "login_enrol_secret"  # noqa: S105 - a session key name
# The pending user passed the code step but their role requires a key they have yet to enrol.
CODE_PASSED = "login_code_passed"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse("home:home")


def pending_user(request: HttpRequest) -> User | None:
    """The user who passed the password step within the last few minutes, if any."""
    user_id, started = request.session.get(PENDING_USER), request.session.get(PENDING_AT)
    if not user_id or not started:
        return None
    if timezone.now() - datetime.fromisoformat(started) > timedelta(minutes=settings.LIAISON_LOGIN_STEP_MINUTES):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def finish_login(request: HttpRequest, user: User, *, factor: str = "") -> HttpResponse:
    next_url = request.session.get(PENDING_NEXT)
    for key in (PENDING_USER, PENDING_AT, PENDING_NEXT, ENROL_SECRET, CODE_PASSED):
        request.session.pop(key, None)
    services.login_complete(request=request, user=user, factor=factor)
    return redirect(_safe_next(request, next_url))


def _throttled(request: HttpRequest, template: str, context: dict[str, Any], refusal: AuthThrottled) -> HttpResponse:
    """The page again, with the reason as a form error, answered 429 with the seconds to wait."""
    context["form"].add_error(None, refusal.message)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(refusal.retry_after)
    return response


def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:home")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check_password(
                request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
        except AuthThrottled as refusal:
            return _throttled(request, "accounts/login.html", {"form": form, "demo": settings.DEMO}, refusal)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            request.session.cycle_key()
            request.session[PENDING_NEXT] = request.GET.get("next", "")
            if not services.second_factor_required(user):
                return finish_login(request, user)
            request.session[PENDING_USER] = str(user.pk)
            request.session[PENDING_AT] = timezone.now().isoformat()
            return redirect(second_step(user))
    return render(request, "accounts/login.html", {"form": form, "demo": settings.DEMO})


def second_factor_view(request: HttpRequest) -> HttpResponse:
    user = pending_user(request)
    if user is None:
        messages.info(request, _("Your login step expired. Enter your login name and password again."))
        return redirect("accounts:login")
    if not code_allowed(user):
        return redirect(second_step(user))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_check(request=request, user=user, code=form.cleaned_data["code"])
        except AuthThrottled as refusal:
            return _throttled(request, "accounts/second_factor.html", {"form": form, "has_key": False}, refusal)
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            if key_required(user):
                # The code opens no session for this role: it only lets the user enrol the key they must use.
                request.session[CODE_PASSED] = str(user.pk)
                return redirect("passkeys:login_enrol")
            return finish_login(request, user, factor="totp")
    return render(request, "accounts/second_factor.html", {"form": form, "has_key": has_active_key(user)})


def enrol_view(request: HttpRequest) -> HttpResponse:
    user = pending_user(request)
    if user is None:
        messages.info(request, _("Your login step expired. Enter your login name and password again."))
        return redirect("accounts:login")
    if second_step(user) != "accounts:enrol":
        return redirect(second_step(user))
    sealed = request.session.get(ENROL_SECRET)
    secret = unseal(sealed, purpose="enrol") if sealed else services.totp_new_secret()
    request.session[ENROL_SECRET] = seal(secret, purpose="enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_enroll(request=request, user=user, secret=secret, code=form.cleaned_data["code"])
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            return finish_login(request, user, factor="totp")
    uri = services.totp_provisioning_uri(user, secret)
    qr_svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "accounts/enrol.html", {"form": form, "qr_svg": qr_svg, "secret": grouped})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(actor=request.user, event=AuditEvent.LOGOUT, request=request)
    logout(request)
    messages.success(request, _("You are logged out."))
    return redirect("accounts:login")


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PreferencesForm(request.POST or None, initial={"theme": user.theme, "time_zone": user.time_zone})
    if request.method == "POST" and form.is_valid():
        services.user_set_preferences(
            user=user, theme=form.cleaned_data["theme"], time_zone=form.cleaned_data["time_zone"]
        )
        messages.success(request, _("Your preferences are saved."))
        return redirect("accounts:profile")
    context = {"form": form, "profile": user, "factor": factor_of(user), "key_required": key_required(user)}
    return render(request, "accounts/profile.html", context)


@roles_required(RoleCode.ADMINISTRATOR)
def user_list_view(request: HttpRequest) -> HttpResponse:
    context = {"users": user_list_for_administration(), "factors": factor_summary()}
    return render(request, "accounts/user_list.html", context)


@roles_required(RoleCode.ADMINISTRATOR)
def user_reveal_view(request: HttpRequest, pk: str) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    form = JustificationForm(request.POST or None)
    identity = None
    if request.method == "POST" and form.is_valid():
        try:
            identity = services.identity_reveal(
                target=target,
                by=request.user,  # type: ignore[arg-type]
                justification=form.cleaned_data["justification"],
                request=request,
            )
        except DomainError as error:
            form.add_error("justification", error.message)
    return render(request, "accounts/user_reveal.html", {"target": target, "form": form, "identity": identity})


@require_POST
@roles_required(RoleCode.ADMINISTRATOR)
def user_reset_second_factor_view(request: HttpRequest, pk: str) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    if not (target.has_second_factor or has_active_key(target)):
        raise Http404
    services.user_reset_second_factor(target=target, by=request.user, request=request)  # type: ignore[arg-type]
    messages.success(
        request,
        _("The second factor of %(alias)s is reset (code and security keys); they enrol a new one at next login.")
        % {"alias": target.alias},
    )
    return redirect("accounts:user_list")


@require_POST
@roles_required(RoleCode.ADMINISTRATOR)
def user_unlock_view(request: HttpRequest, pk: str) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    if not target.is_locked:
        raise Http404
    services.user_unlock(target=target, by=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, _("%(alias)s is unlocked.") % {"alias": target.alias})
    return redirect("accounts:user_list")
