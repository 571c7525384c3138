"""Declared skills and endorsements: the rules that must hold."""

import pytest

from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.models import ActivityEvent
from vivier.people.models import Endorsement, ProfileSkill
from vivier.people.services import (
    ALREADY_ENDORSED,
    SELF_ENDORSEMENT,
    endorsement_create,
    endorsement_delete,
    skill_declare,
    skill_remove,
)


def test_declare_then_relevel_a_skill(alice, python_skill):
    # given / when
    declared, created = skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=2)
    again, created_again = skill_declare(
        actor=alice, person=alice, skill_id=python_skill.pk, level=4
    )
    # then
    assert created and not created_again
    assert declared.pk == again.pk
    assert ProfileSkill.objects.get(user=alice, skill=python_skill).level == 4
    verbs = list(ActivityEvent.objects.filter(actor=alice).values_list("verb", flat=True))
    assert verbs.count("add") == 1 and verbs.count("update") == 1


@pytest.mark.parametrize("level", [0, 5, -1, "3", None, True, 2.5])
def test_declare_refuses_bad_levels(alice, python_skill, level):
    with pytest.raises(ApplicationError) as exc:
        skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=level)
    assert exc.value.code == "level_invalid"
    assert not ProfileSkill.objects.exists()


@pytest.mark.parametrize("skill_id", [999_999, "abc", None, 2**70])
def test_declare_refuses_unknown_skills(alice, skill_id):
    with pytest.raises(NotFound) as exc:
        skill_declare(actor=alice, person=alice, skill_id=skill_id, level=2)
    assert exc.value.code == "skill_not_found"


def test_nobody_declares_skills_on_someone_elses_profile(alice, bob, python_skill):
    with pytest.raises(PermissionDenied):
        skill_declare(actor=bob, person=alice, skill_id=python_skill.pk, level=3)
    assert not ProfileSkill.objects.exists()


def test_hr_admin_may_declare_for_someone(alice, hr_admin, python_skill):
    skill_declare(actor=hr_admin, person=alice, skill_id=python_skill.pk, level=3)
    assert ProfileSkill.objects.filter(user=alice).count() == 1


def test_endorse_once_and_retract(alice, bob, python_skill):
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=3)
    endorsement_create(actor=bob, person_id=alice.pk, skill_id=python_skill.pk)
    with pytest.raises(Conflict) as exc:
        endorsement_create(actor=bob, person_id=alice.pk, skill_id=python_skill.pk)
    assert exc.value.code == "already_endorsed"
    assert str(exc.value.message) == str(ALREADY_ENDORSED)
    assert Endorsement.objects.count() == 1
    endorsement_delete(actor=bob, person_id=alice.pk, skill_id=python_skill.pk)
    assert not Endorsement.objects.exists()
    with pytest.raises(NotFound):
        endorsement_delete(actor=bob, person_id=alice.pk, skill_id=python_skill.pk)


def test_no_self_endorsement(alice, python_skill):
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=3)
    with pytest.raises(ApplicationError) as exc:
        endorsement_create(actor=alice, person_id=alice.pk, skill_id=python_skill.pk)
    assert exc.value.code == "self_endorsement"
    assert str(exc.value.message) == str(SELF_ENDORSEMENT)
    assert not Endorsement.objects.exists()


def test_only_declared_skills_can_be_endorsed(alice, bob, python_skill):
    with pytest.raises(NotFound) as exc:
        endorsement_create(actor=bob, person_id=alice.pk, skill_id=python_skill.pk)
    assert exc.value.code == "skill_not_declared"


def test_endorsing_an_inactive_person_is_not_found(alice, bob, python_skill):
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=3)
    alice.is_active = False
    alice.save()
    with pytest.raises(NotFound) as exc:
        endorsement_create(actor=bob, person_id=alice.pk, skill_id=python_skill.pk)
    assert exc.value.code == "person_not_found"


def test_removing_a_skill_removes_its_endorsements(alice, bob, python_skill):
    skill_declare(actor=alice, person=alice, skill_id=python_skill.pk, level=3)
    endorsement_create(actor=bob, person_id=alice.pk, skill_id=python_skill.pk)
    skill_remove(actor=alice, person=alice, skill_id=python_skill.pk)
    assert not ProfileSkill.objects.exists()
    assert not Endorsement.objects.exists()
    with pytest.raises(NotFound):
        skill_remove(actor=alice, person=alice, skill_id=python_skill.pk)
