"""Applications, staffing and opportunity writes: the workflow's allowed transitions and bad input."""

from datetime import date

import pytest
from django.test import override_settings

from vivier.core.errors import ApplicationError
from vivier.core.models import ActivityEvent
from vivier.opportunities.models import Application, Opportunity, OpportunitySkill
from vivier.opportunities.selectors import application_get
from vivier.opportunities.services import (
    APPLICATION_ACTIONS,
    SkillNeed,
    application_create,
    application_transition,
    opportunity_save,
    opportunity_transition,
)
from vivier.people.models import Profile
from vivier.social.models import Notification


@pytest.fixture
def owner(make_person):
    return make_person("owner@example.test", first_name="Odile")


@pytest.fixture
def manager(make_person):
    return make_person("manager@example.test", first_name="Marc")


@pytest.fixture
def applicant(make_person, manager):
    return make_person(
        "applicant@example.test", first_name="Anaïs", availability_percent=50, manager=manager
    )


@pytest.fixture
def application(owner, applicant, make_opportunity):
    opportunity = make_opportunity(owner)
    return application_create(actor=applicant, opportunity=opportunity, message="Motivée !")


def _availability(user):
    return Profile.objects.get(user=user).availability_percent


def test_apply_notifies_the_owner_and_records_an_event(application, owner, applicant):
    assert application.status == Application.Status.SUBMITTED
    assert Notification.objects.filter(recipient=owner, type="opportunity_application").exists()
    assert ActivityEvent.objects.filter(actor=applicant, verb="apply").exists()


def test_applying_twice_is_a_conflict(application, applicant):
    with pytest.raises(ApplicationError) as caught:
        application_create(actor=applicant, opportunity=application.opportunity, message="Encore")
    assert (caught.value.code, caught.value.status) == ("already_applied", 409)
    assert Application.objects.count() == 1


@pytest.mark.parametrize("action", ["fill", "close"])
def test_applying_to_a_filled_or_closed_opportunity_is_refused(
    owner, applicant, make_opportunity, action
):
    opportunity = make_opportunity(owner)
    opportunity_transition(actor=owner, opportunity=opportunity, action=action)
    with pytest.raises(ApplicationError) as caught:
        application_create(actor=applicant, opportunity=opportunity, message="Bonjour")
    assert caught.value.code == "opportunity_not_open"
    assert not Application.objects.exists()


def test_applying_to_a_draft_or_invisible_opportunity_is_not_found(
    owner, applicant, make_opportunity, make_unit
):
    draft = make_opportunity(owner, publish=False)
    elsewhere = make_opportunity(owner, visibility="units", visible_units=[make_unit("FIN")])
    for opportunity in (draft, elsewhere):
        with pytest.raises(ApplicationError) as caught:
            application_create(actor=applicant, opportunity=opportunity, message="Bonjour")
        assert caught.value.status == 404
    assert not Application.objects.exists()


def test_applying_to_ones_own_opportunity_is_refused(owner, make_opportunity):
    with pytest.raises(ApplicationError) as caught:
        application_create(actor=owner, opportunity=make_opportunity(owner), message="Moi")
    assert caught.value.code == "own_opportunity"


def test_an_empty_message_is_refused(owner, applicant, make_opportunity):
    with pytest.raises(ApplicationError) as caught:
        application_create(actor=applicant, opportunity=make_opportunity(owner), message="  ")
    assert caught.value.field == "message"


# (start state, action) -> allowed for its actor; every other pair is a 409 changing nothing.
START_STATES = [s.value for s in Application.Status]


@pytest.mark.parametrize("start", START_STATES)
@pytest.mark.parametrize("action", list(APPLICATION_ACTIONS))
def test_application_transitions(application, owner, applicant, manager, start, action):
    Application.objects.filter(pk=application.pk).update(status=start)
    application.refresh_from_db()
    allowed, who = APPLICATION_ACTIONS[action]
    actor = {"owner": owner, "applicant": applicant, "manager": manager}[who]
    reason = "Profil trop éloigné" if action in {"decline", "refuse"} else ""
    if start in allowed:
        done = application_transition(
            actor=actor, application=application, action=action, reason=reason
        )
        assert done.status != start
    else:
        with pytest.raises(ApplicationError) as caught:
            application_transition(
                actor=actor, application=application, action=action, reason=reason
            )
        assert (caught.value.code, caught.value.status) == ("invalid_transition", 409)
        application.refresh_from_db()
        assert application.status == start
        assert _availability(applicant) == 50


ROLES = ["owner", "applicant", "manager", "stranger", "hr_admin"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(APPLICATION_ACTIONS))
def test_who_may_decide(
    application, owner, applicant, manager, hr_admin, make_person, role, action
):
    """Owner (and HR) decide, the applicant withdraws, the manager approves; others are refused."""
    actors = {
        "owner": owner,
        "applicant": applicant,
        "manager": manager,
        "stranger": make_person(),
        "hr_admin": hr_admin,
    }
    allowed, who = APPLICATION_ACTIONS[action]
    start = next(iter(allowed))
    Application.objects.filter(pk=application.pk).update(status=start)
    application.refresh_from_db()
    may = role == who or (who == "owner" and role == "hr_admin")
    try:
        application_transition(
            actor=actors[role], application=application, action=action, reason="Raison"
        )
    except ApplicationError as exc:
        assert not may, exc.code
        assert exc.status == (404 if role == "stranger" else 403)
    else:
        assert may


def test_accepting_staffs_the_person_and_closing_gives_the_time_back(application, owner, applicant):
    done = application_transition(actor=owner, application=application, action="accept")
    assert done.status == Application.Status.ACCEPTED
    assert (done.staffed_percent, _availability(applicant)) == (20, 30)
    assert Notification.objects.filter(recipient=applicant, type="opportunity_decision").exists()
    assert Notification.objects.filter(type="opportunity_manager").exists()
    opportunity_transition(actor=owner, opportunity=application.opportunity, action="close")
    assert _availability(applicant) == 50
    done.refresh_from_db()
    assert done.released_at is not None


def test_availability_never_goes_below_zero(owner, applicant, make_opportunity):
    Profile.objects.filter(user=applicant).update(availability_percent=10)
    opportunity = make_opportunity(owner, time_share_percent=60)
    application = application_create(actor=applicant, opportunity=opportunity, message="Oui")
    done = application_transition(actor=owner, application=application, action="accept")
    assert (done.staffed_percent, _availability(applicant)) == (10, 0)
    opportunity_transition(actor=owner, opportunity=opportunity, action="close")
    assert _availability(applicant) == 10


@override_settings(VIVIER_OPPORTUNITY_MANAGER_APPROVAL=True)
def test_with_manager_approval_acceptance_waits_for_the_manager(
    application, owner, manager, applicant
):
    waiting = application_transition(actor=owner, application=application, action="accept")
    assert waiting.status == Application.Status.AWAITING_MANAGER
    assert _availability(applicant) == 50
    assert Notification.objects.filter(recipient=manager, type="opportunity_manager").exists()
    approved = application_transition(actor=manager, application=waiting, action="approve")
    assert approved.status == Application.Status.ACCEPTED
    assert _availability(applicant) == 30


def test_declining_needs_a_reason(application, owner):
    with pytest.raises(ApplicationError) as caught:
        application_transition(actor=owner, application=application, action="decline")
    assert caught.value.field == "reason"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_the_applicant_sees_the_decision_reason(application, owner, applicant):
    application_transition(
        actor=owner, application=application, action="decline", reason="Poste pourvu"
    )
    seen = application_get(viewer=applicant, application_id=application.pk)
    assert (seen.status, seen.decision_reason) == ("declined", "Poste pourvu")


def _save(owner, **changes):
    values = {
        "kind": "gig",
        "title": "Animer un atelier",
        "description": "Deux jours.",
        "time_share_percent": 10,
        "start_date": date(2027, 3, 1),
        "skills": [SkillNeed("python", 2, True)],
    } | changes
    return opportunity_save(actor=owner, **values)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"end_date": date(2027, 2, 1)}, "invalid_dates"),
        ({"skills": [SkillNeed("cobol-sur-mainframe", 2, True)]}, "unknown_skill"),
        ({"skills": [SkillNeed("python", 5, True)]}, "invalid_level"),
        ({"skills": [SkillNeed("python", 2, True), SkillNeed("py", 3, False)]}, "duplicate_skill"),
        ({"time_share_percent": 0}, "invalid_time_share"),
        ({"kind": "party"}, "invalid_kind"),
        ({"title": " "}, "title_empty"),
        ({"visibility": "units"}, "units_required"),
    ],
)
def test_bad_opportunities_are_refused_and_nothing_is_saved(owner, python_skill, changes, code):
    with pytest.raises(ApplicationError) as caught:
        _save(owner, **changes)
    assert caught.value.code == code
    assert not Opportunity.objects.exists()
    assert not OpportunitySkill.objects.exists()


def test_a_failed_update_keeps_the_saved_skills(owner, python_skill):
    opportunity = _save(owner)
    with pytest.raises(ApplicationError):
        _save(owner, opportunity=opportunity, skills=[SkillNeed("nope", 2, True)])
    assert list(opportunity.skills.values_list("skill__slug", flat=True)) == ["python"]


@pytest.mark.parametrize("role", ["owner", "hr_admin", "stranger"])
def test_who_may_edit_an_opportunity(owner, hr_admin, make_person, python_skill, role):
    opportunity = _save(owner)
    actor = {"owner": owner, "hr_admin": hr_admin, "stranger": make_person()}[role]
    if role == "stranger":
        with pytest.raises(ApplicationError) as caught:
            _save(actor, opportunity=opportunity, title="Changé")
        assert caught.value.status == 403
        opportunity.refresh_from_db()
        assert opportunity.title == "Animer un atelier"
        return
    _save(actor, opportunity=opportunity, title="Changé")
    opportunity.refresh_from_db()
    assert opportunity.title == "Changé"


@pytest.mark.parametrize(
    ("start", "action", "allowed"),
    [
        ("draft", "publish", True),
        ("open", "publish", False),
        ("open", "fill", True),
        ("draft", "fill", False),
        ("filled", "reopen", True),
        ("open", "reopen", False),
        ("filled", "close", True),
        ("closed", "close", False),
        ("closed", "publish", False),
    ],
)
def test_opportunity_transitions(owner, python_skill, start, action, allowed):
    opportunity = _save(owner)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=start)
    opportunity.refresh_from_db()
    if allowed:
        assert (
            opportunity_transition(actor=owner, opportunity=opportunity, action=action).status
            != start
        )
    else:
        with pytest.raises(ApplicationError) as caught:
            opportunity_transition(actor=owner, opportunity=opportunity, action=action)
        assert caught.value.status == 409
        opportunity.refresh_from_db()
        assert opportunity.status == start
