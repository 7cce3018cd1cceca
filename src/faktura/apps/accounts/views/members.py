"""Settings -> People and API keys: who works for the seller in which role, and the keys of its shops.

The whole page needs ``MEMBERS_MANAGE`` (owners and admins): the list of keys
and people is itself something an accountant or a viewer has no use for. The
seller always keeps an owner, and only an owner hands out or takes away the
owner role (the services refuse it otherwise). A new key's secret and a new
account's first password are shown in the answer to the POST that made them,
once: they are stored only as hashes.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from faktura.apps.accounts import selectors, services
from faktura.core.errors import FakturaError, NotFound
from faktura.core.roles import Permission, Role
from faktura.web.forms import SellerForm, show_error
from faktura.web.seller import SellerRequest, seller_view

ROLES = [
    (Role.OWNER.value, _("Owner")),
    (Role.ADMIN.value, _("Admin")),
    (Role.ACCOUNTANT.value, _("Accountant")),
    (Role.VIEWER.value, _("Viewer")),
]
ROLE_HELP = {
    Role.OWNER.value: _("Everything, including handing out the owner role."),
    Role.ADMIN.value: _("Everything except the owner role: documents, settings, people and API keys."),
    Role.ACCOUNTANT.value: _("Issues, cancels and credits documents, records payments, exports; no settings."),
    Role.VIEWER.value: _("Looks at documents only."),
}


class MemberForm(SellerForm):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role"), choices=ROLES, initial=Role.ACCOUNTANT.value)


class RoleForm(SellerForm):
    role = forms.ChoiceField(label=_("Role"), choices=ROLES)


class ApiKeyForm(SellerForm):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("Who uses the key, e.g. the name of the shop or plugin.")
    )


def _page(
    request: SellerRequest,
    *,
    member_form: MemberForm | None = None,
    key_form: ApiKeyForm | None = None,
    shown: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    organization = request.seller.organization
    context = {
        "members": selectors.members(organization=organization),
        "api_keys": selectors.api_keys_of(organization=organization),
        "member_form": member_form or MemberForm(),
        "key_form": key_form or ApiKeyForm(),
        "roles": ROLES,
        "role_help": ROLE_HELP,
        "is_owner": request.seller.role is Role.OWNER,
        "shown": shown or {},
    }
    return render(request, "accounts/members.html", context, status=status)


@seller_view(Permission.MEMBERS_MANAGE)
def members(request: SellerRequest) -> HttpResponse:
    return _page(request)


@require_POST
@seller_view(Permission.MEMBERS_MANAGE)
def member_add(request: SellerRequest) -> HttpResponse:
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            membership, password = services.member_add(
                actor=request.seller.actor,
                organization=request.seller.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                acting_role=request.seller.role,
            )
        except FakturaError as error:
            show_error(form, error)
        else:
            if password is None:
                messages.success(
                    request, gettext("%(email)s can now sign in to this seller.") % {"email": membership.user.email}
                )
                return redirect("accounts:members")
            return _page(request, shown={"email": membership.user.email, "password": password})
    return _page(request, member_form=form, status=422)


@require_POST
@seller_view(Permission.MEMBERS_MANAGE)
def member_role(request: SellerRequest, membership_id: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the roles."))
        return redirect("accounts:members")
    try:
        services.member_role_change(
            actor=request.seller.actor,
            organization=request.seller.organization,
            membership_id=membership_id,
            role=form.cleaned_data["role"],
            acting_role=request.seller.role,
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except FakturaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("Role changed."))
    return redirect("accounts:members")


@require_POST
@seller_view(Permission.MEMBERS_MANAGE)
def member_remove(request: SellerRequest, membership_id: int) -> HttpResponse:
    try:
        services.member_remove(
            actor=request.seller.actor,
            organization=request.seller.organization,
            membership_id=membership_id,
            acting_role=request.seller.role,
        )
    except NotFound as error:
        raise Http404(error.message) from None
    except FakturaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("The person no longer has access to this seller."))
    return redirect("accounts:members")


@require_POST
@seller_view(Permission.MEMBERS_MANAGE)
def api_key_create(request: SellerRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            key, plaintext = services.api_key_create(
                actor=request.seller.actor,
                organization=request.seller.organization,
                name=form.cleaned_data["name"],
                created_by=request.user,
            )
        except FakturaError as error:
            show_error(form, error)
        else:
            response = _page(request, shown={"key_name": key.name, "key": plaintext})
            response["Cache-Control"] = "no-store"
            return response
    return _page(request, key_form=form, status=422)


@require_POST
@seller_view(Permission.MEMBERS_MANAGE)
def api_key_revoke(request: SellerRequest, key_id: int) -> HttpResponse:
    organization = request.seller.organization
    if not selectors.api_keys_of(organization=organization).filter(pk=key_id).exists():
        raise Http404("no such key")
    services.api_key_revoke(actor=request.seller.actor, organization=organization, key_id=key_id)
    messages.success(request, gettext("API key revoked: requests with it are refused from now on."))
    return redirect("accounts:members")
