"""Forms of accounts: sign-up, throttled login, profile, tokens, deletion."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from foodcommons.collaboration import ratelimit

LANGUAGE_CHOICES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]


class SignUpForm(forms.Form):
    username = forms.RegexField(label=_("User name (shown in the public history)"), max_length=150, regex=r"^[\w.-]+$")
    email = forms.EmailField(label=_("E-mail address (never published)"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=10)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form that refuses further attempts after too many failures from one address or for one name."""

    def _keys(self) -> list[str]:
        return [ratelimit.client_address(self.request), f"name:{(self.data.get('username') or '').lower()}"]

    def clean(self):
        if any(ratelimit.is_blocked(scope="login", key=k) for k in self._keys()):
            raise forms.ValidationError(_("Too many failed attempts; try again in a quarter of an hour."), code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            for key in self._keys():
                ratelimit.count(scope="login", key=key)
            raise
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
