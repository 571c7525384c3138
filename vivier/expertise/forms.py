"""Forms for questions, answers and the "who knows" search."""

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.forms import reject_nul
from vivier.expertise.selectors import MAX_QUERY_LENGTH
from vivier.expertise.services import ANSWER_MAX_LENGTH, QUESTION_MAX_TAGS, TOO_MANY_TAGS
from vivier.people.forms import LANGUAGE_CHOICES
from vivier.people.models import Location, OrgUnit
from vivier.social.models import Community, Membership
from vivier.social.services import UPDATE_MAX_LENGTH

TAG_MAX_LENGTH = 64
TAG_TOO_LONG = _("A tag has at most %(max)s characters.")


def split_tags(text: str) -> list[str]:
    """The tags written in a comma-separated field, without '#', blanks or repeats."""
    tags = [t.strip().lstrip("#").strip() for t in (text or "").split(",")]
    return list(dict.fromkeys(t for t in tags if t))


class QuestionForm(forms.Form):
    """A question: title, details in markdown, a few tags and where to ask it."""

    title = forms.CharField(label=_("Your question"), max_length=200, validators=[reject_nul])
    body = forms.CharField(
        label=_("Details"),
        max_length=UPDATE_MAX_LENGTH,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Say what you tried and what you need."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        validators=[reject_nul],
        help_text=_("Comma-separated, %(max)s at most, e.g. python, security.")
        % {"max": QUESTION_MAX_TAGS},
    )
    community = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("The whole company"),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = Community.objects.filter(
            memberships__user=user,
            memberships__status=Membership.Status.ACTIVE,
            archived_at__isnull=True,
        ).order_by("name")
        # While the question is written, the experts it would reach show in the side panel.
        live = {
            "hx-post": reverse("expertise:question_suggest"),
            "hx-target": "#suggested-experts",
            "hx-swap": "outerHTML",
            "hx-include": "closest form",
            "hx-sync": "closest form:replace",
        }
        for name in ("title", "body", "tags"):
            self.fields[name].widget.attrs |= live | {"hx-trigger": "keyup changed delay:600ms"}
        self.fields["community"].widget.attrs |= live | {"hx-trigger": "change"}

    def clean_tags(self) -> list[str]:
        tags = split_tags(self.cleaned_data.get("tags", ""))
        if len(tags) > QUESTION_MAX_TAGS:
            raise forms.ValidationError(TOO_MANY_TAGS % {"max": QUESTION_MAX_TAGS})
        if any(len(t) > TAG_MAX_LENGTH for t in tags):
            raise forms.ValidationError(TAG_TOO_LONG % {"max": TAG_MAX_LENGTH})
        return tags


class AnswerForm(forms.Form):
    """An answer, or its new text."""

    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX_LENGTH,
        validators=[reject_nul],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown. Share what you know, with sources if you have them."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The question page also holds the comment form, whose text field is "body" too.
        kwargs.setdefault("auto_id", "answer_%s")
        super().__init__(*args, **kwargs)


class ExpertSearchForm(forms.Form):
    """The "who knows" search box and its filters."""

    q = forms.CharField(
        label=_("What are you looking for?"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("A skill, a topic or a whole question."),
    )
    org_unit = forms.ModelChoiceField(
        label=_("Org unit"),
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        empty_label=_("All units"),
    )
    location = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Location.objects.order_by("name"),
        required=False,
        empty_label=_("All sites"),
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *LANGUAGE_CHOICES]
    )
    available = forms.BooleanField(label=_("Available people only"), required=False)

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "").replace("\x00", "")
