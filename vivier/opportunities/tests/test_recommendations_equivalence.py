"""The cheaper "opportunities for me" gives exactly what the former one gave, on a generated
marketplace: same opportunities, same order, same scores, reasons and missing skills."""

import random
from datetime import UTC, datetime

import pytest
from django.db.models import Exists, OuterRef

from vivier.accounts.models import Role, User
from vivier.accounts.roles import is_hr_admin
from vivier.accounts.services import user_set_roles
from vivier.opportunities.matching import Need, Offer, Person, match, rank
from vivier.opportunities.models import (
    Application,
    MobilityPreference,
    Opportunity,
    OpportunitySkill,
)
from vivier.opportunities.selectors import (
    OpportunityMatch,
    _labels,
    _with_details,
    opportunities_for,
    visible_filter,
)
from vivier.people.models import Profile, ProfileSkill
from vivier.scale import generator as gen
from vivier.scale.generator_opportunities import (
    create_job_map,
    create_opportunities,
    create_preferences,
)

PEOPLE, OPEN = 240, 90


def _former_person_facts(user: User) -> Person:
    """The viewer's facts as the former selector read them (six queries)."""
    profile = (
        Profile.objects.filter(user=user).values("availability_percent", "location_id").first()
    )
    person = Person(id=user.pk)
    if profile:
        person.availability = profile["availability_percent"]
        if profile["location_id"]:
            person.locations.add(profile["location_id"])
    person.skills = dict(ProfileSkill.objects.filter(user=user).values_list("skill_id", "level"))
    prefs = MobilityPreference.objects.filter(user=user).values("id", "open_to_move").first()
    if prefs:
        person.open_to_move = prefs["open_to_move"]
        through = MobilityPreference.interests.through.objects.filter(
            mobilitypreference_id=prefs["id"]
        )
        person.interests = set(through.values_list("skill_id", flat=True))
        roles = MobilityPreference.desired_roles.through.objects.filter(
            mobilitypreference_id=prefs["id"]
        )
        person.desired_roles = set(roles.values_list("jobrole_id", flat=True))
        places = MobilityPreference.locations.through.objects.filter(
            mobilitypreference_id=prefs["id"]
        )
        person.locations |= set(places.values_list("location_id", flat=True))
    return person


def _former_unit_ids(viewer: User) -> list[int]:
    profile = Profile.objects.filter(user=viewer).select_related("org_unit").first()
    if profile is None or profile.org_unit is None:
        return []
    return [int(part) for part in profile.org_unit.path.strip("/").split("/") if part]


def former_opportunities_for(
    *, viewer: User, limit: int = 20, kind: str = ""
) -> list[OpportunityMatch]:
    """The former selector, verbatim: every open opportunity's needs read and scored."""
    person = _former_person_facts(viewer)
    candidates = (
        Opportunity.objects.filter(visible_filter(viewer, unit_ids=_former_unit_ids(viewer)))
        .filter(status=Opportunity.Status.OPEN)
        .exclude(owner=viewer)
        .exclude(Exists(Application.objects.filter(opportunity=OuterRef("pk"), applicant=viewer)))
    )
    if kind:
        candidates = candidates.filter(kind=kind)
    needs: dict[int, list[Need]] = {}
    rows = OpportunitySkill.objects.filter(opportunity__in=candidates.values("pk"))
    for opportunity_id, skill_id, level, required in rows.values_list(
        "opportunity_id", "skill_id", "level", "required"
    ):
        needs.setdefault(opportunity_id, []).append(Need(skill_id, level, required))
    fields = ("id", "time_share_percent", "kind", "job_role_id", "location_id", "remote")
    offers = {
        pk: Offer(pk, needs.get(pk, []), share, kind_, role, place, remote)
        for pk, share, kind_, role, place, remote in candidates.values_list(*fields)
    }
    scored = rank([match(offer, person) for offer in offers.values()])
    top = [m for m in scored if m.score > 0][:limit]
    found = {
        o.pk: o for o in _with_details(Opportunity.objects.filter(pk__in=[m.offer_id for m in top]))
    }
    labels = _labels(list(found.values()))
    return [
        OpportunityMatch(
            found[m.offer_id], match(offers[m.offer_id], person, explain=True, labels=labels)
        )
        for m in top
        if m.offer_id in found
    ]


@pytest.fixture
def marketplace(db):
    """People, a job map, mobility preferences and open opportunities from the scale generator."""
    world = gen.World(rng=random.Random(11), now=datetime.now(UTC))
    timings = gen.Timings()
    gen.create_people(world, PEOPLE, timings)
    role_ids = create_job_map(timings)
    create_preferences(world, role_ids, timings)
    create_opportunities(world, OPEN, role_ids, timings)
    # Some people with nothing to match on: no skills, no preferences.
    bare = world.user_ids[:10]
    ProfileSkill.objects.filter(user_id__in=bare).delete()
    MobilityPreference.objects.filter(user_id__in=bare).delete()
    # An HR administrator sees every opportunity, drafts and other units' ones included.
    user_set_roles(user=User.objects.get(pk=world.user_ids[-1]), roles=[Role.HR_ADMIN])
    return world


def _as_tuples(found: list[OpportunityMatch]) -> list[tuple]:
    return [(m.opportunity.pk, m.match) for m in found]


def test_same_recommendations_as_the_former_selector(marketplace):
    users = list(User.objects.order_by("pk"))
    assert Opportunity.objects.filter(status="open").count() == OPEN
    needs: dict[int, set[int]] = {}
    for opportunity_id, skill_id in OpportunitySkill.objects.values_list("opportunity", "skill"):
        needs.setdefault(opportunity_id, set()).add(skill_id)
    compared = nonempty = unrelated_shown = 0
    for user in users:
        found = opportunities_for(viewer=user)
        new = _as_tuples(found)
        assert new == _as_tuples(former_opportunities_for(viewer=user)), user.pk
        compared += 1
        nonempty += bool(new)
        # Shown opportunities naming no skill the person holds or wants: ranked without reading
        # their needs, explained with them.
        touched = set(ProfileSkill.objects.filter(user=user).values_list("skill", flat=True))
        touched |= set(
            MobilityPreference.interests.through.objects.filter(
                mobilitypreference__user=user
            ).values_list("skill", flat=True)
        )
        unrelated_shown += sum(not (needs[m.opportunity.pk] & touched) for m in found)
    # Variants on a sample: other limits (beyond the number of candidates) and each kind.
    for user in random.Random(3).sample(users, 40):
        for limit, kind in ((3, ""), (50, ""), (20, "job"), (20, "gig"), (50, "shadowing")):
            new = _as_tuples(opportunities_for(viewer=user, limit=limit, kind=kind))
            old = _as_tuples(former_opportunities_for(viewer=user, limit=limit, kind=kind))
            assert new == old, (user.pk, limit, kind)
    assert compared == PEOPLE and nonempty > PEOPLE * 0.9 and unrelated_shown > 100
    assert is_hr_admin(users[-1])
    # The comparison covers explanations: reasons and missing skills were produced.
    sample = opportunities_for(viewer=users[50])
    assert any(m.match.reasons for m in sample) and any(m.match.missing for m in sample)
