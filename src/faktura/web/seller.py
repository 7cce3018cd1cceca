"""Which seller a signed-in person is working for, in which role, and the guard every seller page uses.

A person may belong to several sellers (an accountant keeps the books of many
companies); the one they work for is kept in the session and switched from the
top bar. Every seller page is wrapped in :func:`seller_view`, which answers:

* not signed in -> the sign-in page, coming back afterwards;
* signed in but member of no seller -> a 403 page that says so;
* a role without the permission -> a 403 page naming what the role may not do
  (one table decides it: ``faktura.core.roles``, as for the API and the CLI).

Objects are then looked up with ``request.seller.organization``, so someone
else's id is a 404 (``get_object_or_404`` on ``for_organization``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faktura.apps.accounts import selectors as accounts
from faktura.apps.accounts.models import Organization, User
from faktura.core.actors import Actor
from faktura.core.roles import Permission, Role, can

SESSION_KEY = "faktura.organization_id"

NO_SELLER = _("Your account does not belong to any seller yet. Ask the owner to add you.")
ROLE_LABELS = {
    Role.OWNER: _("owner"),
    Role.ADMIN: _("administrator"),
    Role.ACCOUNTANT: _("accountant"),
    Role.VIEWER: _("viewer"),
}
PERMISSION_LABELS = {
    Permission.DOCUMENTS_VIEW: _("view documents"),
    Permission.DOCUMENTS_ISSUE: _("issue documents"),
    Permission.DOCUMENTS_CANCEL: _("cancel or credit documents"),
    Permission.DOCUMENTS_DELETE: _("delete documents"),
    Permission.PAYMENTS_RECORD: _("record payments"),
    Permission.EXPORT: _("export for the accountant"),
    Permission.SETTINGS_CHANGE: _("change settings"),
    Permission.MEMBERS_MANAGE: _("manage people and API keys"),
}


@dataclass(frozen=True)
class SellerChoice:
    organization_id: int
    name: str
    role: str


@dataclass(frozen=True)
class SellerContext:
    organization: Organization
    role: Role
    actor: Actor
    choices: list[SellerChoice] = field(default_factory=list)

    @property
    def may(self) -> dict[str, bool]:
        """``{% if seller.may.documents_delete %}``: the permission names of ``core.roles``, lower case."""
        return {permission.name.lower(): can(self.role, permission) for permission in Permission}

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])

    def can(self, permission: Permission) -> bool:
        return can(self.role, permission)


class SellerRequest(HttpRequest):
    """A request that went through :func:`seller_view`."""

    seller: SellerContext
    user: User


def seller_choices(user: User) -> list[SellerChoice]:
    return [
        SellerChoice(m.organization_id, m.organization.legal_name, m.role)
        for m in accounts.memberships_of(user=user).select_related("organization").order_by("organization__legal_name")
    ]


def current_seller(request: HttpRequest) -> SellerContext | None:
    """The seller of the session if the person still belongs to it, else their first one."""
    user = cast(User, request.user)
    choices = seller_choices(user)
    if not choices:
        return None
    wanted = request.session.get(SESSION_KEY)
    chosen = next((c for c in choices if c.organization_id == wanted), choices[0])
    organization = accounts.organization_get(organization_id=chosen.organization_id)
    if organization is None:
        return None
    request.session[SESSION_KEY] = chosen.organization_id
    return SellerContext(
        organization=organization,
        role=Role(chosen.role),
        actor=Actor.user(user.pk, user.email),
        choices=choices,
    )


def seller_view(
    permission: Permission = Permission.DOCUMENTS_VIEW,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Sign-in, a seller and ``permission`` required; sets ``request.seller``."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("web:sign-in"))
            seller = current_seller(request)
            if seller is None:
                return forbidden(request, NO_SELLER)
            request.seller = seller  # type: ignore[attr-defined]
            if not seller.can(permission):
                message = _("Your role (%(role)s) does not allow this: %(action)s.") % {
                    "role": ROLE_LABELS[seller.role],
                    "action": PERMISSION_LABELS[permission],
                }
                return forbidden(request, message, seller=seller)
            return view(request, *args, **kwargs)

        return guarded

    return decorator


def forbidden(request: HttpRequest, message: str | Promise, *, seller: SellerContext | None = None) -> HttpResponse:
    return render(request, "web/forbidden.html", {"message": message, "seller": seller}, status=403)
