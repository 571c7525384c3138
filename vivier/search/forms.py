"""The search page's form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.search.models import SearchEntry
from vivier.search.text import MAX_QUERY_LENGTH, clean_text

KIND_CHOICES = [
    (SearchEntry.Kind.PERSON, _("People")),
    (SearchEntry.Kind.POST, _("Posts")),
    (SearchEntry.Kind.COMMUNITY, _("Communities")),
    (SearchEntry.Kind.TAG, _("Tags")),
    (SearchEntry.Kind.ANSWER, _("Answers")),
]


class SearchForm(forms.Form):
    """What to look for, and among which kinds of things."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Only"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_q(self) -> str:
        # The selector copes with anything; cleaning here keeps the echoed box tidy too.
        return clean_text(self.cleaned_data.get("q"))
