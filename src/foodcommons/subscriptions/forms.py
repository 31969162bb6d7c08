"""The follow form: an address (the account's when signed in) and the language of the e-mails."""

from django import forms
from django.utils.translation import gettext_lazy as _

LANGUAGE_CHOICES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]


class FollowForm(forms.Form):
    email = forms.EmailField(label=_("Your e-mail address"), required=False, max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            self.fields["email"].help_text = _("Leave empty to use your account's address: no confirmation needed.")
        else:
            self.fields["email"].required = True
            self.fields["email"].help_text = _("We send you a link to confirm. Every e-mail has a link to unsubscribe in one click.")
