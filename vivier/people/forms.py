"""Forms for profiles, photos, skills and the directory filters."""

import html
from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
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


def _escape(value: Any) -> str:
    """`conditional_escape(value)`, taking the short way for plain strings and numbers."""
    if type(value) in (str, int):
        return html.escape(str(value))
    return conditional_escape(value)


class QuickSelect(forms.Select):
    """A select rendered in Python: the same HTML without one template render per option.

    The org unit filter lists every unit, about one per 30 people: thousands of options in a
    large company, which Django's per-option templates took most of the directory's time to draw
    (docs/performance.md). With `label_field`, a model choice field's options are read as
    (pk, label_field) rows, without building one model instance per option: the field must be
    what the model's `__str__` shows.
    """

    def __init__(self, attrs: Any = None, choices: Any = (), *, label_field: str = "") -> None:
        super().__init__(attrs, choices)
        self.label_field = label_field

    def _rows(self, name: str, value: Any, attrs: Any) -> Iterator[tuple[Any, str, Any]]:
        """(value, " selected" or "", label) for each option, in order."""
        if not (self.label_field and isinstance(self.choices, ModelChoiceIterator)):
            widget = self.get_context(name, value, attrs)["widget"]
            for _group, choices, _index in widget["optgroups"]:
                for option in choices:
                    yield (
                        option["value"],
                        " selected" if option["selected"] else "",
                        option["label"],
                    )
            return
        field = self.choices.field
        options = self.choices.queryset.values_list("pk", self.label_field)
        if field.empty_label is not None:
            options = [("", field.empty_label), *options]
        wanted = set(self.format_value(value))
        selected_one = False  # as Django's Select: only the first option of a value is selected
        for option_value, label in options:
            selected = not selected_one and str(option_value) in wanted
            selected_one |= selected
            yield option_value, " selected" if selected else "", label

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        # One f-string per option: format_html's per-argument checks cost more than the rest of
        # the directory page once the company has thousands of units.
        options = "".join(
            f'<option value="{_escape(option)}"{selected}>{_escape(label)}</option>'
            for option, selected, label in self._rows(name, value, attrs)
        )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe(options),  # every value and label is escaped above
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
        widget=QuickSelect(label_field="name"),
    )
    location = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Location.objects.all(),
        required=False,
        empty_label=_("All sites"),
        widget=QuickSelect(label_field="name"),
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
