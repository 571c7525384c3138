"""The home page's one-query read of my profile and skills gives what the two selectors give."""

from django.contrib.auth import get_user_model
from django.utils import translation

from vivier.people.models import Profile
from vivier.people.selectors import (
    own_profile_with_skills,
    person_get,
    person_skills,
    profile_completeness,
)
from vivier.people.services import profile_update, skill_declare


def _shown(skills):
    return [(s.skill.pk, s.skill.slug, s.skill.label, s.level, s.level_label) for s in skills]


def test_own_profile_with_skills_matches_the_two_selectors(
    alice, bob, make_skill, django_assert_num_queries
):
    skills = [
        make_skill("python", "Python"),
        make_skill("rgpd", "RGPD", "GDPR"),
        make_skill("negociation", "Négociation", "Negotiation"),
        make_skill("achats", "Achats", "Purchasing"),
    ]
    for skill, level in zip(skills, [2, 4, 2, 3], strict=True):
        skill_declare(actor=alice, person=alice, skill_id=skill.pk, level=level)
    profile_update(actor=alice, person=alice, data={"title": "Acheteuse", "languages": ["fr"]})
    for viewer in (alice, bob):  # with skills, and without any
        expected_profile = person_get(viewer=viewer, person_id=viewer.pk)
        expected = person_skills(viewer=viewer, person=viewer, with_endorsements=False)
        with django_assert_num_queries(1):
            own = own_profile_with_skills(viewer=viewer)
            profile, declared = own.profile, own.skills
            for language in ("fr", "en"):
                with translation.override(language):
                    assert _shown(declared) == _shown(expected)
            # What the page reads from them costs no further query.
            completeness = profile_completeness(
                profile=profile,
                skill_count=len(declared),
                top_skill=declared[0].skill.label if declared else None,
            )
        assert profile.pk == expected_profile.pk and profile.user == viewer
        for field in Profile._meta.concrete_fields:
            assert getattr(profile, field.attname) == getattr(expected_profile, field.attname)
        assert completeness == profile_completeness(
            profile=expected_profile,
            skill_count=len(expected),
            top_skill=expected[0].skill.label if expected else None,
        )
    assert [s.level for s in own_profile_with_skills(viewer=alice).skills] == [4, 3, 2, 2]


def test_own_profile_is_created_for_an_account_made_outside_the_app(db):
    user = get_user_model().objects.create_user(email="scim@example.test", password="x" * 12)
    Profile.objects.filter(user=user).delete()
    own = own_profile_with_skills(viewer=user)
    profile, declared = own.profile, own.skills
    assert profile.user_id == user.pk and declared == []
    assert Profile.objects.filter(user=user).exists()
