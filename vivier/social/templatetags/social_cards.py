"""Post card URLs built in Python, once per page, instead of one `{% url %}` per link."""

from collections.abc import Callable, Iterable
from urllib.parse import quote

from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from vivier.social.models import Post

# Reversed in the argument's place, then replaced: valid for the int, slug and str converters.
_SLOT = "8642097531"
# What `reverse` leaves unquoted in a path.
_SAFE = RFC3986_SUBDELIMS + "/~:@"


def url_maker(name: str) -> Callable[[object], str]:
    """A function giving `reverse(name, args=[value])` for one-argument URLs, reversed once."""
    head, tail = reverse(name, args=[_SLOT]).split(_SLOT)

    def make(value: object) -> str:
        return f"{head}{quote(str(value), safe=_SAFE)}{tail}"

    return make


def card_urls(posts: Iterable[Post]) -> None:
    """Set the URLs a post card links to on posts loaded with `with_post_details`."""
    post_url = url_maker("social:post")
    question_url = url_maker("expertise:question")
    react_url = url_maker("social:post_react")
    profile_url = url_maker("people:profile")
    photo_url = url_maker("people:photo")
    community_url = url_maker("social:community")
    tag_url = url_maker("social:tag")
    attachment_url = url_maker("social:attachment")
    for post in posts:
        post.url = (question_url if post.kind == Post.Kind.QUESTION else post_url)(post.pk)
        post.react_url = react_url(post.pk)
        post.author_url = profile_url(post.author_id)
        profile = post.author.profile
        post.photo_url = photo_url(profile.user_id) if profile.photo else ""
        post.community_url = community_url(post.community.slug) if post.community_id else ""
        post.shared_url = post_url(post.shared_from_id) if post.shared_from_id else ""
        for tag in post.tags.all():
            tag.url = tag_url(tag.normalized)
        for attachment in post.attachments.all():
            attachment.url = attachment_url(attachment.pk)
