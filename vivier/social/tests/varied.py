"""A varied company for the oracle tests: who belongs where, and where each post goes."""

import random

from vivier.accounts.models import User
from vivier.social.models import Community
from vivier.social.services import community_join, membership_add


def enrol(owner: User, communities: dict[str, Community], people: list[User]) -> dict:
    """Add `people` to the secret community (by its owner), have them ask to join the closed one
    (pending) and join the open one; return each community's active member ids."""
    for visibility, community in communities.items():
        for person in people:
            if visibility == "secret":
                membership_add(actor=owner, community=community, user=person)
            else:
                community_join(actor=person, community=community)
    return {
        c: set(c.memberships.filter(status="active").values_list("user_id", flat=True))
        for c in communities.values()
    }


def somewhere(rng: random.Random, author: User, members: dict) -> Community | None:
    """Nowhere (public) or one of the communities `author` is an active member of, at random."""
    where = [c for c, ids in members.items() if author.pk in ids]
    return rng.choice([None, *where]) if where else None
