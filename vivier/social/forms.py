"""Forms for posts, comments, communities and notification settings."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.social.models import Community, NotificationSettings, Post
from vivier.social.notifications import notification_type_choices
from vivier.social.selectors import postable_communities
from vivier.social.services import ARTICLE_MAX_LENGTH, COMMENT_MAX_LENGTH, MAX_ATTACHMENTS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PostForm(forms.Form):
    """A new post: a short update or an article, personal or in a community."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Post.Kind.choices, initial=Post.Kind.UPDATE)
    title = forms.CharField(label=_("Title (articles)"), max_length=200, required=False)
    body = forms.CharField(
        label=_("What do you want to share?"),
        max_length=ARTICLE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown, #hashtags and @mentions (the start of a colleague's e-mail)."),
    )
    community = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Community.objects.none(),
        required=False,
        empty_label=_("My followers (public)"),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Images or PDF, %(max)s at most.") % {"max": MAX_ATTACHMENTS},
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        community: Community | None = None,
        community_choices: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # (id, name) of the communities offered when the caller has read them already
        # (home_facts): an empty composer then needs no query, and no queryset to build.
        self.community_choices = community_choices
        if self.is_bound or community_choices is None:
            self.fields["community"].queryset = postable_communities(user)
        if community is not None:
            self.fields["community"].initial = community.pk


class PostEditForm(forms.Form):
    """Edit a post's title and text."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    body = forms.CharField(
        label=_("Text"), max_length=ARTICLE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 12})
    )


class CommentForm(forms.Form):
    """A comment, or a reply to one."""

    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)


class CommunityForm(forms.Form):
    """A community's name, purpose, rules and visibility."""

    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rules = forms.CharField(
        label=_("Rules"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown. What is welcome here, and what is not."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Community.Visibility.choices,
        help_text=_(
            "Open: anyone reads and joins. Closed: anyone sees it, members read, "
            "joining needs approval. Secret: only members know it exists."
        ),
    )


class NotificationSettingsForm(forms.ModelForm):
    """How often to e-mail a digest, and which notifications to receive."""

    muted_types = forms.MultipleChoiceField(
        label=_("Notifications I do not want"),
        choices=notification_type_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = NotificationSettings
        fields = ["digest", "muted_types"]
