"""Forms for surveys, answers, ideas and commitments; the services validate again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.forms import reject_nul
from vivier.people.models import OrgUnit
from vivier.voice.models import (
    DEFAULT_MIN_GROUP_SIZE,
    MIN_GROUP_SIZE_FLOOR,
    Commitment,
    Idea,
    Question,
    Survey,
    Theme,
)
from vivier.voice.question_bank import QUESTION_TEMPLATES
from vivier.voice.services import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    IDEA_MAX,
    MAX_DAYS,
    MAX_K,
    QUESTION_MAX,
    TEXT_ANSWER_MAX,
    TITLE_MAX,
)

LIKERT_LABELS = [
    (1, _("1 · Strongly disagree")),
    (2, _("2 · Disagree")),
    (3, _("3 · Neutral")),
    (4, _("4 · Agree")),
    (5, _("5 · Strongly agree")),
]


class SurveyForm(forms.Form):
    """A draft survey: title, audience, threshold and rhythm."""

    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, validators=[reject_nul])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    audience = forms.ModelMultipleChoiceField(
        label=_("Audience"),
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        help_text=_("Empty: everyone. Sub-units are included."),
    )
    min_group_size = forms.IntegerField(
        label=_("Minimum group size (k)"),
        min_value=MIN_GROUP_SIZE_FLOOR,
        max_value=MAX_K,
        initial=DEFAULT_MIN_GROUP_SIZE,
        help_text=_(
            "Results are shown only for groups of at least k respondents; fixed at launch."
        ),
    )
    recurrence_days = forms.IntegerField(
        label=_("Repeat every (days)"),
        min_value=0,
        max_value=MAX_DAYS,
        initial=0,
        help_text=_("0: a one-off survey."),
    )
    wave_days = forms.IntegerField(
        label=_("Each wave stays open (days)"), min_value=1, max_value=MAX_DAYS, initial=14
    )


class QuestionForm(forms.Form):
    """A question written by HR, or a standard one picked from the bank."""

    template = forms.ChoiceField(label=_("Standard question"), required=False, choices=())
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=())
    text_fr = forms.CharField(
        label=_("Question (French)"),
        required=False,
        max_length=QUESTION_MAX,
        validators=[reject_nul],
    )
    text_en = forms.CharField(
        label=_("Question (English)"),
        required=False,
        max_length=QUESTION_MAX,
        validators=[reject_nul],
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=1500,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, French then English after a “|”: Oui | Yes"),
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [("", _("— write my own —"))] + [
            (t.code, t.text) for t in QUESTION_TEMPLATES
        ]
        self.fields["kind"].choices = [("", "—"), *Question.Kind.choices]
        self.fields["theme"].choices = [("", "—"), *Theme.choices]

    def choice_list(self) -> list[dict[str, str]]:
        """The choices written one per line as {"fr", "en"}."""
        result = []
        for line in (self.cleaned_data.get("choices") or "").splitlines():
            fr, _sep, en = line.partition("|")
            if fr.strip() or en.strip():
                result.append({"fr": fr.strip(), "en": en.strip()})
        return result


class AnswerForm(forms.Form):
    """One field per question of the survey, named q<id>."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == Question.Kind.LIKERT:
                field: forms.Field = forms.TypedChoiceField(
                    choices=LIKERT_LABELS, coerce=int, widget=forms.RadioSelect
                )
            elif question.kind == Question.Kind.ENPS:
                field = forms.TypedChoiceField(
                    choices=[(v, str(v)) for v in range(11)],
                    coerce=int,
                    widget=forms.RadioSelect(attrs={"class": "enps-scale"}),
                    help_text=_("0: not at all likely · 10: extremely likely"),
                )
            elif question.kind == Question.Kind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=list(enumerate(question.choice_labels())),
                    coerce=int,
                    widget=forms.RadioSelect,
                )
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=list(enumerate(question.choice_labels())),
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                field = forms.CharField(
                    required=False,
                    max_length=TEXT_ANSWER_MAX,
                    validators=[reject_nul],
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            field.label = question.text
            self.fields[name] = field

    def answers(self) -> dict[str, Any]:
        """The answers by question id, as the service reads them."""
        return {name: self.cleaned_data.get(name) for name in self.fields}


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, validators=[reject_nul])
    description = forms.CharField(
        label=_("Description"),
        max_length=IDEA_MAX,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=250,
        validators=[reject_nul],
        help_text=_("Comma-separated, 5 at most."),
    )


class IdeaCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IdeaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Idea.Status.choices)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=DESCRIPTION_MAX,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the idea is declined."),
    )


class IdeaOwnerForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.filter(is_active=True).order_by("last_name")
    )


class CommitmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, validators=[reject_nul])
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=IDEA_MAX,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False, choices=[("", "—"), *Theme.choices])
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=User.objects.filter(is_active=True).order_by("last_name")
    )
    due_on = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class CommitmentUpdateForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"),
        max_length=COMMENT_MAX,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=_("Status"), choices=Commitment.Status.choices)


SURVEY_STATUS_LABELS = dict(Survey.Status.choices)
