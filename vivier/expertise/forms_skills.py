"""Forms of the skill suggestions and of the hidden experts report."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.people.models import OrgUnit, ProfileSkill


class SuggestionConfirmForm(forms.Form):
    """The level at which a suggested skill is added: "practice" unless told."""

    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=ProfileSkill.Level.choices,
        coerce=int,
        required=False,
        empty_value=int(ProfileSkill.Level.PRACTICE),
    )


class HiddenExpertFilterForm(forms.Form):
    """The report's filters: a skill's name and an org unit (sub-units included)."""

    skill = forms.CharField(label=_("Skill"), required=False, max_length=120)
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=_("All units"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Databases cannot compare text holding NUL: drop it rather than fail.
        data["skill"] = (data.get("skill") or "").replace("\x00", "")
        return data
