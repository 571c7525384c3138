"""Privacy administration forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.privacy.models import Erasure


class FindPersonForm(forms.Form):
    """Find a person by e-mail or id."""

    q = forms.CharField(label=_("E-mail or id of the person"), max_length=254)


class LegalHoldForm(forms.Form):
    """Set a legal hold with its reason."""

    reason = forms.CharField(label=_("Reason"), max_length=300)


class EraseForm(forms.Form):
    """Erase an account, choosing what happens to what the person wrote."""

    content = forms.ChoiceField(
        label=_("What the person wrote"),
        choices=Erasure.Content.choices,
        initial=Erasure.Content.KEEP,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I understand that erasure cannot be undone."), required=True
    )
