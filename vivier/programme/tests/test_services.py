"""The programme's rules: state machines, conflict of interest, quorum, labels, renewals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vivier.core.errors import ApplicationError, Conflict, PermissionDenied
from vivier.core.models import ActivityEvent
from vivier.expertise.models import ExpertLabel
from vivier.people.models import Profile
from vivier.programme import selectors, services
from vivier.programme.models import Award, Evidence, Nomination, Transition
from vivier.programme.tests.conftest import full_scores
from vivier.social.models import Membership, Notification

S = Nomination.State


def test_self_application_waits_for_the_manager_and_is_audited(people, nomination):
    assert nomination.state == S.MANAGER_REVIEW
    assert nomination.kind == Nomination.Kind.SELF
    assert nomination.manager_id == people["manager"].pk
    t = Transition.objects.get(nomination=nomination)
    assert (t.actor, t.from_state, t.to_state) == (people["candidate"], "", S.MANAGER_REVIEW)
    assert ActivityEvent.objects.filter(verb="transition", object_id=nomination.pk).exists()
    assert Notification.objects.filter(
        recipient=people["manager"], type="programme_nomination"
    ).exists()


def test_manager_nomination_skips_the_opinion_step(people, domain):
    n = services.nomination_create(
        actor=people["manager"], domain=domain, candidate=people["candidate"], motivation="Top."
    )
    assert (n.kind, n.state, n.manager_opinion) == ("manager", S.COMMITTEE_REVIEW, "favourable")


def test_peer_nomination_notifies_the_candidate(people, domain):
    n = services.nomination_create(
        actor=people["peer"], domain=domain, candidate=people["candidate"], motivation="Top."
    )
    assert n.kind == "peer"
    assert Notification.objects.filter(
        recipient=people["candidate"], type="programme_nomination"
    ).exists()


def test_evidence_is_gathered_from_declared_skills_and_endorsements(people, domain, python_skill):
    from vivier.people.services import endorsement_create, skill_declare

    candidate = people["candidate"]
    skill_declare(actor=candidate, person=candidate, skill_id=python_skill.pk, level=4)
    endorsement_create(actor=people["peer"], person_id=candidate.pk, skill_id=python_skill.pk)
    n = services.nomination_create(
        actor=candidate, domain=domain, candidate=candidate, motivation="x"
    )
    kinds = set(n.evidence.values_list("kind", flat=True))
    assert {Evidence.Kind.SKILL, Evidence.Kind.ENDORSEMENT} <= kinds


def test_one_open_nomination_per_person_and_domain(people, domain, nomination):
    with pytest.raises(Conflict) as exc:
        services.nomination_create(
            actor=people["peer"], domain=domain, candidate=people["candidate"], motivation="x"
        )
    assert exc.value.code == "nomination_open"


def test_blank_motivation_is_refused_and_nothing_saved(people, domain):
    with pytest.raises(ApplicationError) as exc:
        services.nomination_create(
            actor=people["candidate"], domain=domain, candidate=people["candidate"], motivation="  "
        )
    assert exc.value.field == "motivation"
    assert not Nomination.objects.exists()


def test_only_the_manager_gives_the_opinion(people, nomination):
    for key in ("candidate", "member1", "hr", "peer"):
        with pytest.raises(PermissionDenied):
            services.manager_opinion_give(
                actor=people[key], nomination=nomination, opinion="favourable"
            )
    nomination.refresh_from_db()
    assert nomination.state == S.MANAGER_REVIEW


def test_review_before_the_committee_step_is_an_invalid_transition(people, domain, nomination):
    with pytest.raises(Conflict) as exc:
        services.review_submit(
            actor=people["member1"], nomination=nomination, scores=full_scores(domain)
        )
    assert exc.value.code == "invalid_transition"


def test_conflict_of_interest_manager_on_committee_may_not_review_or_decide(
    people, domain, in_review
):
    with pytest.raises(PermissionDenied) as exc:
        services.review_submit(
            actor=people["manager"], nomination=in_review, scores=full_scores(domain)
        )
    assert exc.value.code == "conflict_of_interest"
    with pytest.raises(PermissionDenied):
        services.nomination_decide(
            actor=people["manager"], nomination=in_review, decision="award", reason="x"
        )


def test_candidate_on_the_committee_may_not_review_themselves(people, domain, hr_admin, in_review):
    domain.committee.add(people["candidate"])
    people["candidate"].__dict__.pop("_programme_committees", None)
    with pytest.raises(PermissionDenied):
        services.review_submit(
            actor=people["candidate"], nomination=in_review, scores=full_scores(domain)
        )


def test_scores_must_cover_every_criterion_within_range(people, domain, in_review):
    scores = full_scores(domain)
    bad = [dict(list(scores.items())[:1]), {k: 6 for k in scores}, {k: -1 for k in scores}]
    for value in bad:
        with pytest.raises(ApplicationError) as exc:
            services.review_submit(actor=people["member1"], nomination=in_review, scores=value)
        assert exc.value.code == "scores_invalid"
    assert not in_review.reviews.exists()


def test_quorum_is_required_before_a_decision(people, domain, in_review):
    services.review_submit(
        actor=people["member1"], nomination=in_review, scores=full_scores(domain)
    )
    with pytest.raises(Conflict) as exc:
        services.nomination_decide(
            actor=people["hr"], nomination=in_review, decision="award", reason="x"
        )
    assert exc.value.code == "quorum_not_reached"
    in_review.refresh_from_db()
    assert in_review.state == S.COMMITTEE_REVIEW


def test_a_second_review_by_the_same_member_replaces_the_first(people, domain, in_review):
    services.review_submit(
        actor=people["member1"], nomination=in_review, scores=full_scores(domain, 2)
    )
    services.review_submit(
        actor=people["member1"], nomination=in_review, scores=full_scores(domain, 5)
    )
    summary = selectors.review_summary(viewer=people["hr"], nomination=in_review)
    assert len(summary.reviews) == 1 and summary.average == 5.0


def test_weighted_score():
    class C:
        def __init__(self, pk, weight):
            self.pk, self.weight = pk, weight

    assert selectors.weighted_score({1: 5, 2: 2}, [C(1, 3), C(2, 1)]) == 4.25
    assert selectors.weighted_score({}, [C(1, 3)]) is None


def test_award_grants_labels_joins_community_and_notifies(people, domain, awarded):
    candidate = people["candidate"]
    assert awarded.state == S.AWARDED and awarded.decision_reason == "Bravo."
    award = Award.objects.get(user=candidate, domain=domain)
    assert award.state == Award.State.ACTIVE
    assert award.expires_at.year == award.granted_at.year + 3
    labels = ExpertLabel.objects.filter(user=candidate)
    assert labels.count() == 2
    assert {(lab.level, lab.award_id, lab.expires_at) for lab in labels} == {
        ("expert", award.pk, award.expires_at)
    }
    assert Membership.objects.filter(
        community=domain.community, user=candidate, status=Membership.Status.ACTIVE
    ).exists()
    assert Notification.objects.filter(recipient=candidate, type="programme_decision").exists()
    # The badge shown next to the name everywhere, kept on the profile.
    assert Profile.objects.get(user=candidate).expert_level == "expert"
    history = list(Transition.objects.filter(nomination=awarded).values_list("to_state", flat=True))
    assert history == [S.MANAGER_REVIEW, S.COMMITTEE_REVIEW, S.AWARDED]
    assert Transition.objects.filter(award=award, to_state="active").exists()


def test_decided_nomination_cannot_move_again(people, awarded):
    for decision in ("award", "decline", "defer"):
        with pytest.raises(Conflict) as exc:
            services.nomination_decide(
                actor=people["hr"], nomination=awarded, decision=decision, reason="x"
            )
        assert exc.value.code == "invalid_transition"
    with pytest.raises(Conflict):
        services.nomination_withdraw(actor=people["candidate"], nomination=awarded)
    assert Transition.objects.filter(nomination=awarded).count() == 3


def test_deferred_nomination_is_reopened_by_hr_only(people, reviewed):
    services.nomination_decide(
        actor=people["member2"], nomination=reviewed, decision="defer", reason="Plus tard."
    )
    with pytest.raises(PermissionDenied):
        services.nomination_reopen(actor=people["member1"], nomination=reviewed)
    services.nomination_reopen(actor=people["hr"], nomination=reviewed, reason="Nouvelle session")
    assert reviewed.state == S.COMMITTEE_REVIEW
    assert not reviewed.reviews.exists()


def test_withdraw_by_candidate_or_nominator_only(people, nomination):
    with pytest.raises(PermissionDenied):
        services.nomination_withdraw(actor=people["peer"], nomination=nomination)
    services.nomination_withdraw(
        actor=people["candidate"], nomination=nomination, reason="Pas prêt"
    )
    assert nomination.state == S.WITHDRAWN


def test_already_expert_cannot_be_nominated_again(people, domain, awarded):
    with pytest.raises(Conflict) as exc:
        services.nomination_create(
            actor=people["peer"], domain=domain, candidate=people["candidate"], motivation="x"
        )
    assert exc.value.code == "already_expert"


def test_renewal_campaign_then_renewal_extends_the_award(people, domain, awarded):
    award = Award.objects.get(user=people["candidate"])
    old_expiry = award.expires_at
    expired, opened = services.awards_expire(now=old_expiry - timedelta(days=30))
    assert (expired, opened) == (0, 1)
    award.refresh_from_db()
    assert award.state == Award.State.RENEWAL_DUE
    assert Notification.objects.filter(
        recipient=people["candidate"], type="programme_renewal"
    ).exists()
    renewal = services.nomination_create(
        actor=people["candidate"],
        domain=domain,
        candidate=people["candidate"],
        motivation="Encore.",
    )
    assert renewal.kind == "renewal" and renewal.renewal_of_id == award.pk
    services.manager_opinion_give(actor=people["manager"], nomination=renewal, opinion="favourable")
    for key in ("member1", "member2"):
        services.review_submit(actor=people[key], nomination=renewal, scores=full_scores(domain))
    services.nomination_decide(
        actor=people["hr"],
        nomination=renewal,
        decision="award",
        reason="Renouvelé.",
        level="referent",
    )
    award.refresh_from_db()
    assert award.state == Award.State.ACTIVE and award.level == "referent"
    assert award.expires_at.year == old_expiry.year + 3
    assert Award.objects.count() == 1
    assert set(ExpertLabel.objects.values_list("level", flat=True)) == {"referent"}
    assert list(award.transitions.values_list("to_state", flat=True)) == [
        "active",
        "renewal_due",
        "active",
    ]


def test_expiry_ends_award_and_labels(people, awarded):
    award = Award.objects.get(user=people["candidate"])
    later = award.expires_at + timedelta(days=1)
    expired, _opened = services.awards_expire(now=later)
    assert expired == 1
    award.refresh_from_db()
    assert award.state == Award.State.EXPIRED
    assert not ExpertLabel.objects.filter(expires_at__gt=later).exists()
    with pytest.raises(Conflict):
        services.award_revoke(actor=people["hr"], award=award, reason="x")


def test_revocation_by_hr_only_ends_labels_now(people, awarded):
    award = Award.objects.get(user=people["candidate"])
    with pytest.raises(PermissionDenied):
        services.award_revoke(actor=people["member1"], award=award, reason="x")
    services.award_revoke(actor=people["hr"], award=award, reason="Départ")
    assert not ExpertLabel.objects.filter(revoked_at__isnull=True).exists()
    assert Profile.objects.get(user=people["candidate"]).expert_level == ""


def test_scores_hidden_from_candidate_manager_and_peers(people, reviewed):
    # The manager sits on the committee but is in conflict of interest: no scores either.
    for key in ("candidate", "peer", "outsider", "manager"):
        assert selectors.review_summary(viewer=people[key], nomination=reviewed) is None
    assert selectors.review_summary(viewer=people["member1"], nomination=reviewed) is not None
    assert selectors.review_summary(viewer=people["hr"], nomination=reviewed) is not None


def test_time_budget(people, awarded):
    from datetime import date

    candidate = people["candidate"]
    with pytest.raises(PermissionDenied):
        services.time_log(actor=people["peer"], kind="training", day=date.today(), hours=2)
    services.time_log(actor=candidate, kind="mentoring", day=timezone.localdate(), hours="3.5")
    with pytest.raises(ApplicationError):
        services.time_log(actor=candidate, kind="mentoring", day=timezone.localdate(), hours=25)
    with pytest.raises(ApplicationError):
        services.time_log(actor=candidate, kind="nap", day=timezone.localdate(), hours=1)
    services.budget_set(actor=people["hr"], user=candidate, percent=10)
    with pytest.raises(PermissionDenied):
        services.budget_set(actor=candidate, user=candidate, percent=50)
    board = selectors.budget_dashboard(user=candidate)
    assert board.percent == 10
    assert float(board.used_hours) == 3.5
    assert float(board.budget_hours) == 160.7
    assert board.used_percent == 2


def test_expire_command_opens_renewals(people, awarded):
    from io import StringIO

    from django.core.management import call_command

    Award.objects.update(expires_at=timezone.now() + timedelta(days=10))
    out = StringIO()
    call_command("vivier_programme_expire", stdout=out)
    assert "0 award(s) expired, 1 renewal(s) opened." in out.getvalue()
    assert Award.objects.get().state == Award.State.RENEWAL_DUE
