"""Mentoring fixtures: mentors with declared skills and offers, mentees with requests."""

import pytest

from vivier.mentoring import services
from vivier.people.models import ProfileSkill


@pytest.fixture
def make_mentor(make_person):
    """make_mentor(skill_levels={skill: level}, capacity=2, **person) -> user with an offer."""

    def make(skill_levels, *, capacity=2, reverse=False, languages=("fr",), **person):
        user = make_person(**person)
        for skill, level in skill_levels.items():
            ProfileSkill.objects.create(user=user, skill=skill, level=level)
        services.offer_save(
            actor=user,
            skills=[s.slug for s in skill_levels],
            capacity=capacity,
            languages=list(languages),
            reverse=reverse,
        )
        return user

    return make


@pytest.fixture
def make_mentee(make_person):
    """make_mentee(goals={skill: target}, **person) -> user with a mentee request."""

    def make(goals, *, reverse=False, languages=("fr",), user=None, **person):
        user = user or make_person(**person)
        services.request_save(
            actor=user,
            goals=[(s.slug, level) for s, level in goals.items()],
            languages=list(languages),
            reverse=reverse,
        )
        return user

    return make
