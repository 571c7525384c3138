"""Social fixtures: a company with open, closed and secret communities."""

import pytest

from vivier.social.models import Community
from vivier.social.services import community_create, community_join, membership_add


@pytest.fixture
def carol(make_person):
    return make_person("carol@example.test", first_name="Carol", last_name="Petit")


@pytest.fixture
def communities(alice, bob, carol):
    """Alice owns three communities; Bob is a member of all; Carol of none."""
    made = {}
    for visibility in Community.Visibility.values:
        community = community_create(
            actor=alice,
            name=f"Club {visibility}",
            visibility=visibility,
            description=f"{visibility} club",
        )
        membership_add(actor=alice, community=community, user=bob)
        made[visibility] = community
    return made


@pytest.fixture
def join(db):
    def make(user, community):
        return community_join(actor=user, community=community)

    return make
