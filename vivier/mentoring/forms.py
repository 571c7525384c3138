"""Forms for mentor offers, mentee requests, requests to a mentor, the pair's log and programmes."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.forms import reject_nul
from vivier.mentoring.models import MAX_CAPACITY, Format, MenteeRequest, MentorOffer
from vivier.mentoring.services import MAX_GOALS
from vivier.people.forms import LANGUAGE_CHOICES
from vivier.people.models import ProfileSkill, Skill

GOAL_ROWS = 3
LEVEL_CHOICES = [("", "—"), *[(str(v), label) for v, label in ProfileSkill.Level.choices]]
assert GOAL_ROWS <= MAX_GOALS


class OfferForm(forms.Form):
    """My mentor offer: among the skills I declared, how many mentees, how and in what language."""

    skills = forms.ModelMultipleChoiceField(
        label=_("Skills I offer"),
        queryset=Skill.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Among the skills declared on your profile, at your declared level."),
    )
    capacity = forms.IntegerField(
        label=_("Number of mentees"), min_value=1, max_value=MAX_CAPACITY, initial=2
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=Format.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reverse = forms.BooleanField(
        label=_("I also offer reverse mentoring (digital practice, new tools, new uses)"),
        required=False,
    )
    active = forms.BooleanField(label=_("Open to new mentees"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, validators=[reject_nul])

    def __init__(
        self, *args: Any, user: User, offer: MentorOffer | None = None, **kwargs: Any
    ) -> None:
        if offer is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "skills": [s.slug for s in offer.skills.all()],
                "capacity": offer.capacity,
                "formats": offer.formats,
                "languages": offer.languages,
                "reverse": offer.reverse,
                "active": offer.active,
                "note": offer.note,
            }
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.filter(holders__user=user).order_by(
            "label_fr"
        )


class RequestForm(forms.Form):
    """My mentee request: up to three goals (a skill and a target level) and preferences."""

    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=Format.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reverse = forms.BooleanField(
        label=_("Reverse mentoring: I want a more junior colleague to mentor me"), required=False
    )
    prefer_other_department = forms.BooleanField(
        label=_("Prefer a mentor from another department"), required=False, initial=True
    )
    active = forms.BooleanField(label=_("Looking for a mentor"), required=False, initial=True)
    note = forms.CharField(
        label=_("What I hope for"), max_length=500, required=False, validators=[reject_nul]
    )

    def __init__(self, *args: Any, request: MenteeRequest | None = None, **kwargs: Any) -> None:
        if request is not None and not args and not kwargs.get("data"):
            initial = {
                "formats": request.formats,
                "languages": request.languages,
                "reverse": request.reverse,
                "prefer_other_department": request.prefer_other_department,
                "active": request.active,
                "note": request.note,
            }
            for n, goal in enumerate(request.goals.all(), start=1):
                initial[f"goal_{n}_skill"] = goal.skill.slug
                initial[f"goal_{n}_level"] = str(goal.target_level)
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        skill_choices = [
            ("", "—"),
            *Skill.objects.order_by("label_fr").values_list("slug", "label_fr"),
        ]
        goal_fields = {}
        for n in range(1, GOAL_ROWS + 1):
            goal_fields[f"goal_{n}_skill"] = forms.ChoiceField(
                label=_("Goal %(n)s: skill") % {"n": n}, choices=skill_choices, required=n == 1
            )
            goal_fields[f"goal_{n}_level"] = forms.ChoiceField(
                label=_("Goal %(n)s: target level") % {"n": n},
                choices=LEVEL_CHOICES,
                required=n == 1,
            )
        # Goals first, in reading order.
        self.fields = {**goal_fields, **self.fields}

    def goals(self) -> list[tuple[str, int]]:
        """The goals filled in, as (skill slug, target level)."""
        found = []
        for n in range(1, GOAL_ROWS + 1):
            slug = self.cleaned_data.get(f"goal_{n}_skill")
            level = self.cleaned_data.get(f"goal_{n}_level")
            if slug and level:
                found.append((slug, int(level)))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for n in range(1, GOAL_ROWS + 1):
            if bool(data.get(f"goal_{n}_skill")) != bool(data.get(f"goal_{n}_level")):
                self.add_error(f"goal_{n}_level", _("Give both the skill and the target level."))
        return data


class AskForm(forms.Form):
    """A few words to the mentor one asks."""

    message = forms.CharField(
        label=_("Message to the mentor"),
        max_length=1000,
        required=False,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GoalsForm(forms.Form):
    goals = forms.CharField(
        label=_("Goals of the pair"),
        max_length=3000,
        required=False,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=3000,
        required=False,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Private note"),
        max_length=3000,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only the two of you can read it, HR included out."),
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)]
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=3000,
        required=False,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgrammeForm(forms.Form):
    """A cohort programme: people with an active offer as mentors, with a request as mentees."""

    name = forms.CharField(label=_("Name"), max_length=160, validators=[reject_nul])
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reverse = forms.BooleanField(label=_("Reverse mentoring programme"), required=False)
    mentors = forms.ModelMultipleChoiceField(
        label=_("Mentors"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    mentees = forms.ModelMultipleChoiceField(
        label=_("Mentees"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentors"].queryset = User.objects.filter(
            is_active=True, mentor_offer__active=True
        ).order_by("last_name", "first_name", "pk")
        self.fields["mentees"].queryset = User.objects.filter(
            is_active=True, mentee_request__active=True
        ).order_by("last_name", "first_name", "pk")


class AdjustForm(forms.Form):
    mentee = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, mentors: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].choices = [
            ("", _("Nobody")),
            *[(u.pk, u.get_full_name()) for u in mentors],
        ]
