"""Security keys: the login step with a key, the enrolment of a key during login (a role that requires one), and
the user's own keys from the profile (list, add, revoke). Views parse input, call one service, render.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from liaison.accounts.models import User
from liaison.accounts.services import password_confirm
from liaison.accounts.views import CODE_PASSED, finish_login, pending_user
from liaison.core.exceptions import DomainError
from liaison.passkeys import relying_party, services
from liaison.passkeys.forms import KeyAddForm, KeyEnrolForm, KeyLoginForm, KeyRevokeForm
from liaison.passkeys.selectors import key_get_for_user, key_list_for_user
from liaison.policy.gates import request_user


def _expired(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Your login step expired. Enter your login name and password again."))
    return redirect("accounts:login")


def _page(request: HttpRequest, template: str, context: dict[str, Any], options: str) -> HttpResponse:
    host = relying_party.rp_id(request)
    context |= {"options": json.loads(options), "address_host": relying_party.is_address(host)}
    return render(request, template, context)


def login_view(request: HttpRequest) -> HttpResponse:
    """Second login step for a user who holds a key: the page asks the browser for an assertion and posts it."""
    user = pending_user(request)
    if user is None:
        return _expired(request)
    if relying_party.second_step(user) != "passkeys:login":
        return redirect(relying_party.second_step(user))
    form = KeyLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_authenticate(request=request, user=user, credential=form.cleaned_data["credential"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return finish_login(request, user, factor="key")
    options = services.authentication_options(request=request, user=user)
    context = {"form": form, "code_allowed": relying_party.code_allowed(user)}
    return _page(request, "passkeys/login.html", context, options)


def _may_enrol_at_login(request: HttpRequest, user: User) -> bool:
    """During login, a key is enrolled by a user who holds no factor yet (like a first code enrolment), or by a user
    whose role requires a key and who has just passed the code step."""
    if relying_party.second_step(user) == "passkeys:login":
        return False
    return not user.has_second_factor or request.session.get(CODE_PASSED) == str(user.pk)


def login_enrol_view(request: HttpRequest) -> HttpResponse:
    user = pending_user(request)
    if user is None:
        return _expired(request)
    if not _may_enrol_at_login(request, user):
        return redirect(relying_party.second_step(user))
    form = KeyEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_enrol(
                request=request, user=user, name=form.cleaned_data["name"], credential=form.cleaned_data["credential"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return finish_login(request, user, factor="key")
    options = services.registration_options(request=request, user=user)
    context = {"form": form, "key_required": relying_party.key_required(user)}
    return _page(request, "passkeys/login_enrol.html", context, options)


@login_required
def key_list_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    context = {
        "keys": key_list_for_user(user=user),
        "key_required": relying_party.key_required(user),
        "has_code": user.has_second_factor,
    }
    return render(request, "passkeys/key_list.html", context)


@login_required
def key_add_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    form = KeyAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_confirm(request=request, user=user, password=form.cleaned_data["password"])
            key = services.key_enrol(
                request=request, user=user, name=form.cleaned_data["name"], credential=form.cleaned_data["credential"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The key “%(name)s” is enrolled.") % {"name": key.name})
            return redirect("passkeys:list")
    options = services.registration_options(request=request, user=user)
    return _page(request, "passkeys/key_add.html", {"form": form}, options)


@login_required
def key_revoke_view(request: HttpRequest, pk: str) -> HttpResponse:
    user = request_user(request)
    key = key_get_for_user(user=user, pk=pk)
    if key is None:
        raise Http404
    form = KeyRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_confirm(request=request, user=user, password=form.cleaned_data["password"])
            services.key_revoke(request=request, key=key, by=user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
            return redirect("passkeys:list")
    return render(request, "passkeys/key_revoke.html", {"form": form, "key": key})
