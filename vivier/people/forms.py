"""Forms for profiles, photos, skills and the directory filters."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.forms import reject_nul
from vivier.core.text import normalize
from vivier.people.models import JobRole, Location, OrgUnit, Profile, ProfileSkill, SkillAlias

LANGUAGE_CHOICES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("it", _("Italian")),
    ("pt", _("Portuguese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
    ("ru", _("Russian")),
    ("hi", _("Hindi")),
    ("tr", _("Turkish")),
    ("sv", _("Swedish")),
]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)
SKILL_UNKNOWN = _("No skill has this name. Pick one from the suggestions.")
MANAGER_UNKNOWN = _("No active person has this e-mail address.")


class ProfileForm(forms.Form):
    """What a person says about themself."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    title = forms.CharField(label=_("Job title"), max_length=160, required=False)
    location = forms.ModelChoiceField(
        label=_("Site"), queryset=Location.objects.all(), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    bio = forms.CharField(
        label=_("About me"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italics*, lists, links."),
    )
    interests = forms.CharField(
        label=_("Interests"),
        max_length=500,
        required=False,
        help_text=_("Topics you would like to work on or learn."),
    )
    availability_percent = forms.IntegerField(
        label=_("Availability for projects (%)"),
        min_value=0,
        max_value=100,
        help_text=_("Share of your time free for projects, gigs or mentoring."),
    )
    availability_status = forms.ChoiceField(label=_("Status"), choices=Profile.Status.choices)
    availability_note = forms.CharField(label=_("Status message"), max_length=140, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in data.items():
            if isinstance(value, str):
                try:
                    reject_nul(value)
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        return data


class PlacementForm(forms.Form):
    """Org placement, kept by HR."""

    org_unit = forms.ModelChoiceField(
        label=_("Org unit"), queryset=OrgUnit.objects.all(), required=False
    )
    job_role = forms.ModelChoiceField(
        label=_("Job role"), queryset=JobRole.objects.all(), required=False
    )
    manager_email = forms.EmailField(label=_("Manager's e-mail"), required=False)

    def clean_manager_email(self) -> User | None:
        email = self.cleaned_data.get("manager_email")
        if not email:
            return None
        manager = User.objects.filter(email__iexact=email, is_active=True).first()
        if manager is None:
            raise forms.ValidationError(MANAGER_UNKNOWN)
        return manager


class PhotoForm(forms.Form):
    """A new profile photo; its content is checked by the service."""

    photo = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG, WebP or GIF, 5 MB at most."))


class SkillDeclareForm(forms.Form):
    """A skill typed by name (any label or alias) and a level."""

    skill = forms.CharField(label=_("Skill"), max_length=120)
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=ProfileSkill.Level.choices,
        coerce=int,
        initial=ProfileSkill.Level.PRACTICE,
    )

    def clean_skill(self) -> int:
        text = reject_nul(self.cleaned_data["skill"])
        folded = normalize(text)
        skill_ids = set(
            SkillAlias.objects.filter(normalized=folded).values_list("skill_id", flat=True)
        )
        if len(skill_ids) != 1:
            raise forms.ValidationError(SKILL_UNKNOWN)
        return skill_ids.pop()


class SkillLevelForm(forms.Form):
    """A new level for a declared skill."""

    level = forms.TypedChoiceField(label=_("Level"), choices=ProfileSkill.Level.choices, coerce=int)


class QuickSelect(forms.Select):
    """A select rendered in Python: the same HTML without one template render per option.

    The org unit filter lists every unit, about one per 30 people: thousands of options in a
    large company, which Django's per-option templates took most of the directory's time to draw
    (docs/performance.md).
    """

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, choices, _index in widget["optgroups"]
                for option in choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class DirectoryFilterForm(forms.Form):
    """The directory's search box and filters."""

    q = forms.CharField(label=_("Name, title or skill"), required=False, max_length=200)
    skill = forms.CharField(label=_("Skill"), required=False, max_length=120)
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.all(),
        required=False,
        empty_label=_("All units"),
        widget=QuickSelect,
    )
    location = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Location.objects.all(),
        required=False,
        empty_label=_("All sites"),
        widget=QuickSelect,
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *LANGUAGE_CHOICES]
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("q", "skill"):
            if "\x00" in (data.get(name) or ""):
                data[name] = data[name].replace("\x00", "")
        return data
