"""Account forms: sign-in by e-mail, language, API tokens."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from vivier.core.forms import reject_nul


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with an e-mail address and a password."""

    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def clean_username(self) -> str:
        # Addresses are stored in lower case; people type them however they like.
        return self.cleaned_data["username"].strip().lower()


class LanguageForm(forms.Form):
    """The interface language."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ApiTokenForm(forms.Form):
    """A name for a new personal API token."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “reporting script”."),
    )

    def clean_name(self) -> str:
        return reject_nul(self.cleaned_data["name"])
