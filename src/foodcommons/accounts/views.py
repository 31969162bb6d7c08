"""Pages of accounts: sign-up, activation, login, profile, tokens, personal data and deletion."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from foodcommons.accounts import forms, services, tokens
from foodcommons.core import ratelimit
from foodcommons.core.form_errors import show_field_errors
from foodcommons.core.problems import InvalidInput, Problem


def sign_up(request):
    """Create an account; it works once the e-mailed link is opened."""
    form = forms.SignUpForm(request.POST or None, initial={"language": (get_language() or "fr")[:2]})
    if request.method == "POST" and form.is_valid():
        ratelimit.check(scope="signup", key=ratelimit.client_address(request))
        try:
            services.sign_up(**form.cleaned_data)
        except InvalidInput as problem:
            show_field_errors(form, problem)
        else:
            return render(request, "accounts/signed_up.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/sign_up.html", {"form": form})


def activate(request, token: str):
    """Activate an account from its e-mailed link (a button, so that link scanners activate nothing)."""
    if request.method != "POST":
        return render(request, "accounts/activate.html", {"token": token})
    services.activate(token=token)
    messages.success(request, _("Your account is active: log in."))
    return redirect("collaboration:accounts:login")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.ThrottledLoginForm

    def form_invalid(self, form):
        """Show the form again; refused for too many failures, with 429 and when to come back."""
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


@require_POST
def log_out(request):
    """Log out (POST only, so that a link cannot log anyone out)."""
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = forms.QueuedPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("collaboration:accounts:password-reset-sent")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("collaboration:accounts:login")


@login_required
def profile(request):
    """The profile: language, and links to tokens, data download and deletion."""
    current = services.profile_of(request.user)
    form = forms.ProfileForm(request.POST or None, initial={"language": current.language})
    if request.method == "POST" and form.is_valid():
        services.set_language(user=request.user, language=form.cleaned_data["language"])
        response = redirect("collaboration:accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"], samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def api_tokens(request):
    """List, create and revoke one's API tokens; a new token is shown once."""
    form = forms.TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and "revoke" in request.POST:
        try:
            tokens.revoke_token(user=request.user, token_id=int(request.POST["revoke"]))
        except (Problem, ValueError):
            messages.error(request, _("No such token."))
        return redirect("collaboration:accounts:tokens")
    if request.method == "POST" and form.is_valid():
        created = tokens.create_token(user=request.user, **form.cleaned_data)
        form = forms.TokenForm()
    return render(request, "accounts/tokens.html", {"form": form, "created": created, "tokens": tokens.list_tokens(user=request.user)})


@login_required
def download_data(request):
    """Everything the platform holds about the user, as a JSON file."""
    body = json.dumps(services.export_data(user=request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="foodcommons-my-data.json"'
    return response


@login_required
def delete_account(request):
    """Erase one's account (its history stays, signed "deleted user")."""
    form = forms.DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user)
        logout(request)
        messages.success(request, _("Your account was deleted."))
        return redirect("/")
    return render(request, "accounts/delete.html", {"form": form})
