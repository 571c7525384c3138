"""The ranking's one statement for skills, holders, labels and candidates, against the ORM.

_declared_and_candidates is written by hand, and differently on PostgreSQL (one index scan of
the holders per named skill) and SQLite: both must give what the models say.
"""

import random
from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from vivier.accounts.models import User
from vivier.expertise.models import AnswerCount, ExpertLabel
from vivier.expertise.selectors import (
    ExpertFilters,
    _candidate_filter,
    _declared_and_candidates,
    _query_grams,
)
from vivier.people.models import Endorsement, ProfileSkill, SkillAlias

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(make_person, make_skill, make_unit):
    """Skills with several aliases, holders at every level, endorsements, labels in every state,
    people who left, people in two units, answers' masses (some written after `now`)."""
    rng = random.Random(11)
    skills = [
        make_skill("python", "Python", aliases=["py", "langage python"]),
        make_skill("power-bi", "Power BI", aliases=["powerbi"]),
        make_skill("securite-reseau", "Sécurité réseau", "Network security"),
        make_skill("cuisine", "Cuisine"),
    ]
    units = [make_unit("DSI"), make_unit("RH")]
    people = [make_person(org_unit=units[i % 2]) for i in range(24)]
    for person in people[::7]:
        User.objects.filter(pk=person.pk).update(is_active=False)
    now = timezone.now()
    for person in people:
        for skill in rng.sample(skills, rng.randint(0, 3)):
            ProfileSkill.objects.create(user=person, skill=skill, level=rng.randint(1, 4))
    held = list(ProfileSkill.objects.all())
    for holding in rng.sample(held, len(held) // 2):
        for endorser in rng.sample(people, rng.randint(1, 4)):
            if endorser.pk != holding.user_id:
                Endorsement.objects.get_or_create(
                    endorser=endorser, endorsee_id=holding.user_id, skill=holding.skill
                )
    states = [
        {},
        {"expires_at": now - timedelta(days=1)},
        {"revoked_at": now - timedelta(days=2)},
        {"granted_at": now + timedelta(days=3)},
        {"expires_at": now + timedelta(days=30)},
    ]
    for i, holding in enumerate(held[:15]):
        fields = {"granted_at": now - timedelta(days=10), **states[i % len(states)]}
        ExpertLabel.objects.create(user_id=holding.user_id, skill=holding.skill, **fields)
    for i, person in enumerate(people[::3]):
        # Written directly, as the triggers would: the statement only reads them.
        newest = now + timedelta(hours=1) if i % 4 == 1 else now - timedelta(days=i)
        AnswerCount.objects.update_or_create(
            user=person,
            defaults={"live": rng.randint(1, 9), "mass": rng.uniform(1, 900), "newest": newest},
        )
    return {"people": people, "skills": skills, "units": units, "now": now}


def _expected(text, now, authors, filters):
    """What the models say: the named skills, their holders who may be ranked with their
    endorsements, the labels active at `now`, and everyone's answers' mass (None for those who
    answered after `now`)."""
    named = set(
        SkillAlias.objects.filter(normalized__in=_query_grams(text)).values_list(
            "skill_id", flat=True
        )
    )
    allowed = set(
        User.objects.filter(_candidate_filter(filters, None)).values_list("pk", flat=True)
    )
    vouched = Counter(
        Endorsement.objects.filter(skill_id__in=named).values_list("endorsee_id", "skill_id")
    )
    holders = sorted(
        (h.user_id, h.skill_id, h.level, vouched[(h.user_id, h.skill_id)])
        for h in ProfileSkill.objects.filter(skill_id__in=named, user_id__in=allowed)
    )
    active = ExpertLabel.objects.filter(skill_id__in=named, revoked_at=None, granted_at__lte=now)
    labels = sorted(
        active.filter(Q(expires_at=None) | Q(expires_at__gt=now)).values_list("user_id", "skill_id")
    )
    counts = {c.user_id: c for c in AnswerCount.objects.all()}
    ranked = {h[0] for h in holders} | (set(authors) & allowed)
    masses = {}
    for pk in ranked:
        count = counts.get(pk)
        masses[pk] = 0.0 if count is None else None if count.newest > now else count.mass
    return named, holders, labels, masses


@pytest.mark.parametrize(
    "text",
    [
        "python",
        "Python py langage python",  # three grams naming one skill: its holders once
        "power bi et sécurité réseau",  # two skills, of two and three words
        "cuisine python powerbi",
        "rien de tout cela",
    ],
)
@pytest.mark.parametrize("filtered", [False, True])
def test_the_statement_gives_what_the_models_say(company, text, filtered):
    people, now = company["people"], company["now"]
    filters = ExpertFilters(org_unit=company["units"][0]) if filtered else ExpertFilters()
    authors = [p.pk for p in people[1::4]]
    found = _declared_and_candidates(text, now, dict.fromkeys(authors, 1.0), filters, None)
    named, holders, labels, masses = _expected(text, now, authors, filters)
    assert set(found.skills) == named
    assert all(found.skills[pk].slug for pk in named)
    assert sorted(found.holders) == holders
    assert sorted(found.labels) == labels
    assert found.masses == masses
    if text == "cuisine python powerbi" and not filtered:
        # The company gives this comparison something to compare in every part.
        assert len(named) == 3 and labels and any(h[3] for h in holders)
        assert any(masses.values()) and None in masses.values()
        assert set(masses) - {h[0] for h in holders}
