"""Sign-in and -out, switching seller, the front page of the app."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from faktura.apps.accounts import services as accounts
from faktura.core.errors import InvalidValue
from faktura.web.navigation import MAIN, SETTINGS, links
from faktura.web.seller import SESSION_KEY, seller_choices, seller_view


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return reverse("web:home")

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        if language in settings.FAKTURA_WEB_LANGUAGES:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


class SignOutView(auth_views.LogoutView):
    next_page = "web:sign-in"


@seller_view()
def home(request: HttpRequest) -> HttpResponse:
    """The app opens on its first area (documents)."""
    entries = links(request, MAIN)
    if not entries:
        raise Http404("no pages")
    return redirect(str(entries[0]["url"]))


@require_POST
@seller_view()
def switch_seller(request: HttpRequest) -> HttpResponse:
    """Work for another seller the person belongs to; any other id is a 404."""
    try:
        wanted = int(request.POST.get("organization", ""))
    except ValueError:
        raise Http404("no such seller") from None
    if wanted not in {choice.organization_id for choice in seller_choices(request.user)}:  # type: ignore[arg-type]
        raise Http404("no such seller")
    request.session[SESSION_KEY] = wanted
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("web:home")
    return HttpResponseRedirect(back)


@require_POST
@seller_view()
def language_set(request: HttpRequest) -> HttpResponse:
    """The app's language, kept on the person (for their next sign-in) and in a cookie."""
    language = request.POST.get("language", "")
    try:
        accounts.user_language_set(user=request.user, language=language, allowed=settings.FAKTURA_WEB_LANGUAGES)  # type: ignore[arg-type]
    except InvalidValue as error:
        return HttpResponseBadRequest(error.message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("web:home")
    response = HttpResponseRedirect(back)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


@seller_view()
def settings_home(request: HttpRequest) -> HttpResponse:
    """Settings opens on its first section the person's role may see."""
    entries = links(request, SETTINGS)
    if not entries:
        raise Http404("no settings pages")
    return redirect(str(entries[0]["url"]))
