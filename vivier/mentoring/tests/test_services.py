"""Mentoring services: intents, one-to-one lifecycle, programmes; bad input changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vivier.core.errors import ApplicationError, Conflict, PermissionDenied
from vivier.core.models import ActivityEvent
from vivier.mentoring import selectors, services
from vivier.mentoring.models import (
    MenteeRequest,
    MentorOffer,
    Mentorship,
    Participant,
    Programme,
    Session,
)
from vivier.people.models import OrgUnit, ProfileSkill
from vivier.social.models import Notification


def codes(exc_info):
    return exc_info.value.code


# Intents ---------------------------------------------------------------------------------------


def test_offer_needs_known_declared_skills_and_a_capacity(make_person, python_skill):
    user = make_person()
    with pytest.raises(ApplicationError) as exc:
        services.offer_save(actor=user, skills=["no-such-skill"], capacity=2)
    assert codes(exc) == "unknown_skill"
    with pytest.raises(ApplicationError) as exc:
        services.offer_save(actor=user, skills=["python"], capacity=2)
    assert codes(exc) == "skill_not_declared"
    ProfileSkill.objects.create(user=user, skill=python_skill, level=3)
    with pytest.raises(ApplicationError) as exc:
        services.offer_save(actor=user, skills=["python"], capacity=0)
    assert codes(exc) == "capacity_range"
    assert not MentorOffer.objects.exists()
    offer = services.offer_save(actor=user, skills=["python"], capacity=3, formats=["remote"])
    assert list(offer.skills.all()) == [python_skill]
    assert ActivityEvent.objects.filter(actor=user, verb="create", object_id=offer.pk).exists()


def test_request_with_an_unknown_skill_is_refused_and_keeps_the_old_goals(
    make_mentee, python_skill
):
    user = make_mentee({python_skill: 2})
    with pytest.raises(ApplicationError) as exc:
        services.request_save(actor=user, goals=[("python", 3), ("cobol-2099", 2)])
    assert codes(exc) == "unknown_skill"
    request = MenteeRequest.objects.get(user=user)
    assert [(g.skill_id, g.target_level) for g in request.goals.all()] == [(python_skill.pk, 2)]
    for goals, code in (
        ([], "no_goal"),
        ([("python", 5)], "level_range"),
        ([("python", 2), ("python", 3)], "duplicate_goal"),
    ):
        with pytest.raises(ApplicationError) as exc:
            services.request_save(actor=user, goals=goals)
        assert codes(exc) == code


# One-to-one ------------------------------------------------------------------------------------


def test_request_accept_session_note_end_and_feedback(make_mentor, make_mentee, python_skill):
    mentor = make_mentor({python_skill: 4}, first_name="Marc")
    mentee = make_mentee({python_skill: 3}, first_name="Léa")
    [suggestion] = selectors.suggestions_for(viewer=mentee)
    assert suggestion.mentor == mentor
    assert any("Python" in r for r in suggestion.reasons)

    mentorship = services.mentorship_request(actor=mentee, mentor_id=mentor.pk, message="Bonjour")
    assert mentorship.status == Mentorship.Status.REQUESTED
    assert Notification.objects.filter(recipient=mentor, type="mentoring_requested").exists()
    assert selectors.suggestions_for(viewer=mentee) == []  # already asked

    with pytest.raises(PermissionDenied):
        services.mentorship_answer(actor=mentee, mentorship=mentorship, accept=True)
    mentorship = services.mentorship_answer(actor=mentor, mentorship=mentorship, accept=True)
    assert mentorship.status == Mentorship.Status.ACTIVE and mentorship.started_at
    assert Notification.objects.filter(recipient=mentee, type="mentoring_answered").exists()
    with pytest.raises(Conflict) as exc:
        services.mentorship_answer(actor=mentor, mentorship=mentorship, accept=False)
    assert codes(exc) == "invalid_transition"

    services.session_log(
        actor=mentee, mentorship=mentorship, held_on=timezone.localdate(), duration_minutes=45
    )
    with pytest.raises(ApplicationError) as exc:
        services.session_log(
            actor=mentee,
            mentorship=mentorship,
            held_on=timezone.localdate() + timedelta(days=2),
            duration_minutes=45,
        )
    assert codes(exc) == "future_session"
    services.note_add(actor=mentor, mentorship=mentorship, body="Revoir les décorateurs")
    with pytest.raises(ApplicationError):
        services.feedback_give(actor=mentee, mentorship=mentorship, rating=5)
    services.mentorship_end(actor=mentee, mentorship=mentorship)
    services.feedback_give(actor=mentee, mentorship=mentorship, rating=5, comment="Merci")
    services.feedback_give(actor=mentor, mentorship=mentorship, rating=4)
    with pytest.raises(Conflict) as exc:
        services.feedback_give(actor=mentor, mentorship=mentorship, rating=3)
    assert codes(exc) == "feedback_exists"
    assert Session.objects.filter(mentorship=mentorship).count() == 1


def test_request_to_oneself_or_ones_manager_is_refused(
    make_mentor, make_mentee, make_person, python_skill, make_unit
):
    boss = make_mentor({python_skill: 4}, first_name="Boss")
    report = make_mentee({python_skill: 2}, manager=boss)
    with pytest.raises(ApplicationError) as exc:
        services.mentorship_request(actor=report, mentor_id=report.pk)
    assert codes(exc) == "self_request"
    with pytest.raises(ApplicationError) as exc:
        services.mentorship_request(actor=report, mentor_id=boss.pk)
    assert codes(exc) == "manager_pair"
    # The other direction: a manager asking their direct report.
    junior = make_mentor({python_skill: 4}, manager=None)
    senior = make_mentee({python_skill: 2}, first_name="Senior")
    junior.profile.manager = senior
    junior.profile.save()
    with pytest.raises(ApplicationError) as exc:
        services.mentorship_request(actor=senior, mentor_id=junior.pk)
    assert codes(exc) == "manager_pair"
    # The manager of one's org unit too.
    unit = make_unit("DATA")
    unit.manager = boss
    unit.save()
    other = make_mentee({python_skill: 2}, org_unit=unit)
    with pytest.raises(ApplicationError) as exc:
        services.mentorship_request(actor=other, mentor_id=boss.pk)
    assert codes(exc) == "manager_pair"
    assert not Mentorship.objects.exists()


def test_a_mentor_with_no_capacity_left_is_refused(make_mentor, make_mentee, python_skill):
    mentor = make_mentor({python_skill: 4}, capacity=1)
    first = make_mentee({python_skill: 2})
    second = make_mentee({python_skill: 2})
    m = services.mentorship_request(actor=first, mentor_id=mentor.pk)
    other = services.mentorship_request(actor=second, mentor_id=mentor.pk)
    services.mentorship_answer(actor=mentor, mentorship=m, accept=True)
    with pytest.raises(Conflict) as exc:
        services.mentorship_answer(actor=mentor, mentorship=other, accept=True)
    assert codes(exc) == "no_capacity"
    other.refresh_from_db()
    assert other.status == Mentorship.Status.REQUESTED
    third = make_mentee({python_skill: 2})
    with pytest.raises(Conflict) as exc:
        services.mentorship_request(actor=third, mentor_id=mentor.pk)
    assert codes(exc) == "no_capacity"
    assert selectors.mentors_for_skill(viewer=third, skill=python_skill) == []


def test_reverse_request_needs_a_junior_reverse_mentor(
    make_mentor, make_mentee, python_skill, make_person
):
    # Seniority: a manager of someone counts one level above.
    senior = make_mentee({python_skill: 2}, reverse=True, first_name="Senior")
    make_person(manager=senior)
    junior = make_mentor({python_skill: 3}, reverse=True, first_name="Junior")
    not_reverse = make_mentor({python_skill: 3}, first_name="Classic")
    with pytest.raises(ApplicationError) as exc:
        services.mentorship_request(actor=senior, mentor_id=not_reverse.pk)
    assert codes(exc) == "not_eligible"
    mentorship = services.mentorship_request(actor=senior, mentor_id=junior.pk)
    assert mentorship.reverse
    assert {"code": "reverse_eligible", "params": {}} in mentorship.reasons


def test_mentors_for_skill_lists_available_mentors_highest_level_first(
    make_mentor, make_person, python_skill, security_skill
):
    low = make_mentor({python_skill: 2})
    high = make_mentor({python_skill: 4, security_skill: 3})
    make_mentor({security_skill: 4})
    viewer = make_person()
    found = selectors.mentors_for_skill(viewer=viewer, skill=python_skill, limit=10)
    assert [m.user for m in found] == [high, low]
    assert found[0].level == 4 and found[0].capacity_left == 2


# Programmes ------------------------------------------------------------------------------------


@pytest.fixture
def cohort(make_mentor, make_mentee, python_skill, security_skill):
    """Two mentors with one place each; mentee C can only take mentor 1 (greedy would fail)."""
    m1 = make_mentor({python_skill: 4, security_skill: 4}, capacity=1, first_name="Un")
    m2 = make_mentor({python_skill: 4}, capacity=1, first_name="Deux")
    a = make_mentee({python_skill: 2}, first_name="A")
    c = make_mentee({security_skill: 3}, first_name="C")
    lost = make_mentee({security_skill: 3}, languages=("de",), first_name="Lost")
    return m1, m2, a, c, lost


def test_programme_assign_matches_everyone_feasible_and_explains_the_others(
    cohort, hr_admin, make_person
):
    m1, m2, a, c, lost = cohort
    programme = services.programme_create(
        actor=hr_admin,
        name="Promo 2026",
        mentor_ids=[m1.pk, m2.pk],
        mentee_ids=[a.pk, c.pk, lost.pk],
    )
    programme = services.programme_assign(actor=hr_admin, programme=programme)
    pairs = {m.mentee_id: m.mentor_id for m in programme.mentorships.all()}
    assert pairs == {a.pk: m2.pk, c.pk: m1.pk}
    reason = Participant.objects.get(programme=programme, user=lost).unmatched_reason
    assert reason == "no_language"
    stats = selectors.programme_stats(programme=programme)
    assert (stats.mentees, stats.matched, stats.unmatched) == (3, 2, 1)

    # HR adjusts: a refused move changes nothing; leaving someone unmatched is explained.
    with pytest.raises(ApplicationError) as exc:
        services.programme_adjust(
            actor=hr_admin, programme=programme, mentee_id=lost.pk, mentor_id=m1.pk
        )
    assert exc.value.code in ("no_capacity", "not_eligible")
    assert programme.mentorships.count() == 2
    services.programme_adjust(actor=hr_admin, programme=programme, mentee_id=a.pk, mentor_id=None)
    assert not programme.mentorships.filter(mentee=a).exists()
    services.programme_adjust(actor=hr_admin, programme=programme, mentee_id=a.pk, mentor_id=m2.pk)

    services.programme_publish(actor=hr_admin, programme=programme)
    assert set(programme.mentorships.values_list("status", flat=True)) == {"active"}
    assert Notification.objects.filter(recipient=c, type="mentoring_paired").exists()
    with pytest.raises(Conflict):
        services.programme_assign(actor=hr_admin, programme=programme)


def test_programme_unmatched_for_lack_of_places_is_explained(
    make_mentor, make_mentee, python_skill, hr_admin
):
    mentor = make_mentor({python_skill: 4}, capacity=1)
    first = make_mentee({python_skill: 2})
    second = make_mentee({python_skill: 2})
    programme = services.programme_create(
        actor=hr_admin, name="P", mentor_ids=[mentor.pk], mentee_ids=[first.pk, second.pk]
    )
    services.programme_assign(actor=hr_admin, programme=programme)
    reasons = sorted(
        programme.participants.filter(role="mentee").values_list("unmatched_reason", flat=True)
    )
    assert reasons == ["", "capacity_taken"]


def test_programme_refuses_participants_without_intents_and_non_hr(
    make_mentor, make_person, python_skill, hr_admin, alice
):
    mentor = make_mentor({python_skill: 4})
    nobody = make_person()
    with pytest.raises(PermissionDenied):
        services.programme_create(
            actor=alice, name="P", mentor_ids=[mentor.pk], mentee_ids=[nobody.pk]
        )
    with pytest.raises(ApplicationError) as exc:
        services.programme_create(
            actor=hr_admin, name="P", mentor_ids=[mentor.pk], mentee_ids=[nobody.pk]
        )
    assert codes(exc) == "no_request"
    with pytest.raises(ApplicationError) as exc:
        services.programme_create(
            actor=hr_admin, name="P", mentor_ids=[mentor.pk], mentee_ids=[999999]
        )
    assert codes(exc) == "unknown_people"
    assert not Programme.objects.exists()


def test_reverse_programme_applies_reverse_rules(
    make_mentor, make_mentee, make_person, python_skill, hr_admin
):
    senior = make_mentee({python_skill: 2})
    make_person(manager=senior)
    junior = make_mentor({python_skill: 3}, reverse=True)
    programme = services.programme_create(
        actor=hr_admin, name="Reverse", reverse=True, mentor_ids=[junior.pk], mentee_ids=[senior.pk]
    )
    services.programme_assign(actor=hr_admin, programme=programme)
    pair = programme.mentorships.get()
    assert pair.reverse and pair.mentor == junior


def test_unit_manager_link_is_read_from_the_org_chart(make_mentor, make_mentee, python_skill):
    boss = make_mentor({python_skill: 4})
    unit = OrgUnit.objects.create(code="U", name="U", manager=boss)
    mentee = make_mentee({python_skill: 1}, org_unit=unit)
    assert selectors.suggestions_for(viewer=mentee) == []


def test_mentors_for_skill_accepts_a_slug_and_refuses_unknown_ones(
    make_mentor, alice, python_skill
):
    mentor = make_mentor({python_skill: 3})
    assert [m.user for m in selectors.mentors_for_skill(viewer=alice, skill="python")] == [mentor]
    with pytest.raises(ApplicationError) as exc:
        selectors.mentors_for_skill(viewer=alice, skill="nope")
    assert codes(exc) == "unknown_skill"


def test_programme_does_not_propose_a_pair_that_already_runs(
    make_mentor, make_mentee, python_skill, hr_admin
):
    mentor = make_mentor({python_skill: 4}, capacity=3)
    mentee = make_mentee({python_skill: 2})
    m = services.mentorship_request(actor=mentee, mentor_id=mentor.pk)
    services.mentorship_answer(actor=mentor, mentorship=m, accept=True)
    programme = services.programme_create(
        actor=hr_admin, name="P", mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
    )
    services.programme_assign(actor=hr_admin, programme=programme)
    assert not programme.mentorships.exists()
    assert programme.participants.get(user=mentee).unmatched_reason == "already_paired"
