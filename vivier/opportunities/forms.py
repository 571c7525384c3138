"""Forms of the opportunities pages: an opportunity, an application, a decision, preferences."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.core.errors import ApplicationError
from vivier.core.forms import reject_nul
from vivier.opportunities.models import Opportunity
from vivier.opportunities.services import (
    DATES_INVALID,
    DESCRIPTION_MAX_LENGTH,
    LEVEL_INVALID,
    MESSAGE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    SkillNeed,
    skill_resolve,
)
from vivier.people.models import JobRole, Location, OrgUnit, Skill

SKILLS_HELP = _(
    "Comma-separated, each with a level from 1 to 4 after a colon, e.g. Python:3, SQL:2."
)


def parse_skills(text: str, *, required: bool) -> list[SkillNeed]:
    """The skills written as "Python:3, SQL" (level 2 by default); unknown ones are refused."""
    needs = []
    for item in (text or "").split(","):
        name, _sep, level_text = (
            item.strip().rpartition(":") if ":" in item else (item.strip(), "", "")
        )
        name = name.strip()
        if not name:
            continue
        level_text = level_text.strip() or "2"
        if not (level_text.isascii() and level_text.isdecimal() and 1 <= int(level_text) <= 4):
            raise forms.ValidationError(LEVEL_INVALID)
        try:
            skill = skill_resolve(name)
        except ApplicationError as exc:
            raise forms.ValidationError(str(exc.message)) from None
        needs.append(SkillNeed(skill.slug, int(level_text), required))
    return needs


def skills_text(opportunity: Opportunity, *, required: bool) -> str:
    """An opportunity's skills written back as the form field writes them."""
    return ", ".join(
        f"{s.skill.label}:{s.level}" for s in opportunity.skills.all() if s.required == required
    )


class DateInput(forms.DateInput):
    input_type = "date"


class OpportunityForm(forms.Form):
    """An opportunity as its owner writes it."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Opportunity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH, validators=[reject_nul])
    description = forms.CharField(
        label=_("Description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. The mission, the team, what the person will learn."),
    )
    strategic = forms.BooleanField(label=_("Strategic project"), required=False)
    required_skills = forms.CharField(
        label=_("Required skills"), required=False, max_length=1000, help_text=SKILLS_HELP
    )
    nice_skills = forms.CharField(
        label=_("Nice-to-have skills"), required=False, max_length=1000, help_text=SKILLS_HELP
    )
    time_share_percent = forms.IntegerField(
        label=_("Time share (%)"), min_value=1, max_value=100, initial=20
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput)
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.all(), required=False
    )
    remote = forms.BooleanField(label=_("Remote possible"), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=OrgUnit.objects.all(), required=False)
    job_role = forms.ModelChoiceField(
        label=_("Role in the job map"), queryset=JobRole.objects.all(), required=False
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=Opportunity.Visibility.choices,
        initial=Opportunity.Visibility.EVERYONE,
    )
    visible_units = forms.ModelMultipleChoiceField(
        label=_("Visible to these units (and their sub-units)"),
        queryset=OrgUnit.objects.all(),
        required=False,
    )

    def clean_required_skills(self) -> list[SkillNeed]:
        return parse_skills(self.cleaned_data.get("required_skills", ""), required=True)

    def clean_nice_skills(self) -> list[SkillNeed]:
        return parse_skills(self.cleaned_data.get("nice_skills", ""), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", DATES_INVALID)
        return data

    @classmethod
    def initial_of(cls, opportunity: Opportunity) -> dict[str, Any]:
        """The form's initial values for an existing opportunity."""
        return {
            "kind": opportunity.kind,
            "title": opportunity.title,
            "description": opportunity.description,
            "strategic": opportunity.strategic,
            "required_skills": skills_text(opportunity, required=True),
            "nice_skills": skills_text(opportunity, required=False),
            "time_share_percent": opportunity.time_share_percent,
            "start_date": opportunity.start_date,
            "end_date": opportunity.end_date,
            "location": opportunity.location,
            "remote": opportunity.remote,
            "team": opportunity.team,
            "job_role": opportunity.job_role,
            "visibility": opportunity.visibility,
            "visible_units": list(opportunity.visible_units.all()),
        }


class ApplicationForm(forms.Form):
    """An application: a message to the owner."""

    message = forms.CharField(
        label=_("Your message to the owner"),
        max_length=MESSAGE_MAX_LENGTH,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you, and what you would like to learn."),
    )


class DecisionForm(forms.Form):
    """A decision on an application, with a reason (required to decline or refuse)."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        validators=[reject_nul],
    )


class MobilityForm(forms.Form):
    """My mobility preferences."""

    open_to_move = forms.BooleanField(label=_("I am open to a move"), required=False)
    suggestible = forms.BooleanField(
        label=_("Owners of opportunities may be suggested my profile"), required=False
    )
    desired_roles = forms.ModelMultipleChoiceField(
        label=_("Roles I would like (job map)"),
        queryset=JobRole.objects.select_related("family"),
        required=False,
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Sites where I would work"),
        queryset=Location.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.CharField(
        label=_("Skills I want to develop"),
        required=False,
        max_length=1000,
        help_text=_("Comma-separated, e.g. Python, Management."),
    )

    def clean_interests(self) -> list[Skill]:
        found: dict[int, Skill] = {}
        for name in (self.cleaned_data.get("interests") or "").split(","):
            if name.strip():
                try:
                    skill = skill_resolve(name.strip())
                except ApplicationError as exc:
                    raise forms.ValidationError(str(exc.message)) from None
                found[skill.pk] = skill
        return list(found.values())
