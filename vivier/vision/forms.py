"""Forms of the vision map pages; the services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.forms import reject_nul
from vivier.vision.models import Axis, Objective


class _Form(forms.Form):
    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        for value in (data or {}).values():
            if isinstance(value, str):
                reject_nul(value)
        return data


def _title(label: str, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, required=required)


def _text(label: str) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class StatementForm(_Form):
    """The vision statement, in French and English."""

    title_fr = _title(_("Title (French)"))
    title_en = _title(_("Title (English)"), required=False)
    statement_fr = forms.CharField(
        label=_("Statement (French)"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    statement_en = _text(_("Statement (English)"))


class AxisForm(_Form):
    """A strategic axis."""

    title_fr = _title(_("Title (French)"))
    title_en = _title(_("Title (English)"), required=False)
    description_fr = _text(_("Description (French)"))
    description_en = _text(_("Description (English)"))


class ObjectiveTextForm(_Form):
    """What an objective's owner may change: its texts."""

    title_fr = _title(_("Title (French)"))
    title_en = _title(_("Title (English)"), required=False)
    description_fr = _text(_("Description (French)"))
    description_en = _text(_("Description (English)"))


class ObjectiveForm(ObjectiveTextForm):
    """Everything about an objective (HR)."""

    axis = forms.ModelChoiceField(label=_("Strategic axis"), queryset=Axis.objects.none())
    parent = forms.ModelChoiceField(
        label=_("Parent objective"),
        queryset=Objective.objects.none(),
        required=False,
        help_text=_("Leave empty for an objective directly under the axis."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    period_start = forms.DateField(
        label=_("Start of the period"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("End of the period"), widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=Objective.Status.choices)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = Axis.objects.order_by("position", "id")
        # Archived objectives stay listed so an invalid choice gets the service's clear error.
        self.fields["parent"].queryset = Objective.objects.order_by("axis_id", "position", "id")
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after its start."))
        return data


class IndicatorForm(_Form):
    """An indicator of an objective."""

    name_fr = _title(_("Name (French)"))
    name_en = _title(_("Name (English)"), required=False)
    unit = forms.CharField(label=_("Unit"), max_length=24, required=False)
    target_value = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, min_value=-(10**11), max_value=10**11
    )
    current_value = forms.DecimalField(
        label=_("Current value"),
        max_digits=14,
        decimal_places=2,
        required=False,
        min_value=-(10**11),
        max_value=10**11,
    )


class LinkForm(_Form):
    """Link an item to an objective: the id is checked by the service (unknown, archived)."""

    objective = forms.CharField(label=_("Objective"), max_length=20)
