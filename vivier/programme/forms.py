"""Expert programme forms: input shapes only; the services validate the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.forms import reject_nul
from vivier.people.models import Skill
from vivier.programme.models import Domain, Event, Level, Nomination, TimeEntry
from vivier.social.models import Community


class PersonByEmailField(forms.CharField):
    """A person named by their e-mail address."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        user = User.objects.filter(email__iexact=value.strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Nobody has this e-mail address."))
        return user


class PageForm(forms.Form):
    """A form whose element ids carry its own prefix: a page holds several forms."""

    id_prefix = "f"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class DomainForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, validators=[reject_nul])
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        validators=[reject_nul],
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.order_by("slug"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    committee = forms.CharField(
        label=_("Committee (e-mail addresses, one a line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        validators=[reject_nul],
    )
    criteria = forms.CharField(
        label=_("Criteria (one a line: name ; weight from 1 to 10)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_nul],
    )
    quorum = forms.IntegerField(
        label=_("Quorum (reviews needed)"), min_value=1, max_value=20, initial=2
    )
    label_years = forms.IntegerField(
        label=_("Label validity (years)"), min_value=1, max_value=10, initial=3
    )
    community = forms.ModelChoiceField(
        label=_("Expert community"),
        queryset=Community.objects.filter(archived_at__isnull=True),
        required=False,
    )

    def clean_committee(self) -> list[int]:
        emails = [e.strip() for e in self.cleaned_data["committee"].splitlines() if e.strip()]
        users = {
            u.email.lower(): u.pk
            for u in User.objects.filter(email__in=[e.lower() for e in emails], is_active=True)
        }
        missing = [e for e in emails if e.lower() not in users]
        if missing:
            raise forms.ValidationError(
                _("Unknown e-mail: %(emails)s") % {"emails": ", ".join(missing)}
            )
        return [users[e.lower()] for e in emails]

    def clean_criteria(self) -> list[tuple[str, int]]:
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, _sep, weight = line.rpartition(";")
            try:
                criteria.append(((name or weight).strip(), int(weight) if name else 1))
            except ValueError:
                raise forms.ValidationError(_("Write each criterion as “name ; weight”.")) from None
        if not criteria:
            raise forms.ValidationError(_("Give at least one criterion."))
        return criteria


class NominationForm(forms.Form):
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=Domain.objects.all())
    candidate = PersonByEmailField(
        label=_("Candidate's e-mail (leave empty to apply yourself)"),
        required=False,
        max_length=254,
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.EXPERT)
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        validators=[reject_nul],
    )


class OpinionForm(PageForm):
    id_prefix = "opinion"
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Nomination.Opinion.choices)
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
        validators=[reject_nul],
    )


class ReviewForm(PageForm):
    """One 0-5 field per criterion of the domain, then a comment."""

    id_prefix = "review"
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=3000,
        validators=[reject_nul],
    )

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=_("%(name)s (weight %(weight)s)") % {"name": c.name, "weight": c.weight},
                min_value=0,
                max_value=5,
            )
        self.order_fields([*(f"score_{c.pk}" for c in self.criteria), "comment"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class DecisionForm(PageForm):
    id_prefix = "decision"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("award", _("Award")), ("decline", _("Decline")), ("defer", _("Defer"))],
    )
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    reason = forms.CharField(
        label=_("Reason sent to the person"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        validators=[reject_nul],
    )


class ReasonForm(PageForm):
    id_prefix = "reason"
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=3000,
        validators=[reject_nul],
    )


class EvidenceForm(PageForm):
    id_prefix = "evidence"
    title = forms.CharField(label=_("Evidence"), max_length=300, validators=[reject_nul])
    detail = forms.CharField(
        label=_("Detail"), max_length=500, required=False, validators=[reject_nul]
    )
    url = forms.CharField(label=_("Link"), max_length=500, required=False, validators=[reject_nul])


class TimeEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Activity"), choices=TimeEntry.Kind.choices)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("Hours"), min_value=0.25, max_value=24, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False, validators=[reject_nul])


class SeatForm(PageForm):
    id_prefix = "seat"
    body = forms.CharField(label=_("Governance body"), max_length=160, validators=[reject_nul])
    role = forms.CharField(label=_("Role"), max_length=120, required=False, validators=[reject_nul])


class ProjectForm(PageForm):
    id_prefix = "project"
    name = forms.CharField(label=_("Strategic project"), max_length=160, validators=[reject_nul])
    role = forms.CharField(label=_("Role"), max_length=120, required=False, validators=[reject_nul])


class EnrolForm(PageForm):
    id_prefix = "enrol"
    mentor = PersonByEmailField(label=_("Mentor's e-mail"), max_length=254)


class EventForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Community"), queryset=Community.objects.filter(archived_at__isnull=True)
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, validators=[reject_nul])
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        validators=[reject_nul],
    )
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, validators=[reject_nul]
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10_000, initial=30)
