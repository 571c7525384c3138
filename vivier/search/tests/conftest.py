"""Search fixtures: the test URLs, and communities and posts made through the social services."""

import pytest

from vivier.social import services as social


@pytest.fixture(autouse=True)
def search_urls(settings):
    """Serve the search page even while vivier.urls does not include it yet."""
    settings.ROOT_URLCONF = "vivier.search.tests.urls"


@pytest.fixture
def make_community(db):
    """A community created by `owner` through the social service (so it gets indexed)."""

    def make(owner, name: str, visibility: str = "open", description: str = ""):
        return social.community_create(
            actor=owner, name=name, visibility=visibility, description=description
        )

    return make


@pytest.fixture
def make_post(db):
    """A post published through the social service (so it gets indexed)."""

    def make(author, body: str, *, title: str = "", community=None, kind: str = "update"):
        return social.post_create(
            actor=author, body=body, title=title, community=community, kind=kind
        )

    return make
