"""Forms of accounts: sign-up, throttled login, profile, tokens, deletion."""

import hashlib
import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from foodcommons.core import ratelimit

LANGUAGE_CHOICES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]


class SignUpForm(forms.Form):
    username = forms.RegexField(label=_("User name (shown in the public history)"), max_length=150, regex=r"^[\w.-]+$")
    email = forms.EmailField(label=_("E-mail address (never published)"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=10)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form that refuses further attempts after too many failures for one account from one address,
    or from one address across accounts; an account is never locked for every address, so a stranger cannot lock it.
    """

    retry_after = 0  # seconds until the next attempt is heard, when refused

    def _limits(self) -> list[tuple[str, str]]:
        address = ratelimit.client_address(self.request)
        # The name is hashed: cache keys stay short and free of the characters some backends refuse.
        account = hashlib.sha256((self.data.get("username") or "").strip().casefold().encode()).hexdigest()[:32]
        return [("login", f"{account}:{address}"), ("login-address", address)]

    def clean(self):
        limits = self._limits()
        self.retry_after = max(ratelimit.retry_after(scope=scope, key=key) for scope, key in limits)
        if self.retry_after:
            raise forms.ValidationError(_("Too many failed attempts; try again in %(minutes)s min."), code="throttled",
                                        params={"minutes": math.ceil(self.retry_after / 60)})
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            for scope, key in limits:
                ratelimit.count(scope=scope, key=key)
            raise
        ratelimit.reset(scope=limits[0][0], key=limits[0][1])
        return cleaned


class ProfileForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of pages and e-mails"), choices=LANGUAGE_CHOICES)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    can_write = forms.BooleanField(label=_("May write (otherwise read-only)"), required=False)


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand: my account and personal data are erased; my edits stay, signed \"deleted user\"."))


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes to the job queue instead of being sent inside the request."""

    def save(self, **kwargs) -> None:
        from django.utils import translation

        from foodcommons.accounts.tasks import send_password_reset

        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset.enqueue(user_id=user.pk, language=translation.get_language() or "fr")
