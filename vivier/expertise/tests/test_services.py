"""Q&A services: asking routes to available experts within a weekly cap; answers, votes."""

import pytest
from django.test import override_settings

from vivier.core.errors import ApplicationError, NotFound, PermissionDenied
from vivier.expertise import services as qa
from vivier.expertise.models import Answer, AnswerVote, QuestionRouting
from vivier.people.services import skill_declare
from vivier.search.models import SearchEntry
from vivier.social.models import Membership, Notification, Post
from vivier.social.services import community_create, post_create


@pytest.fixture
def sap(make_skill):
    return make_skill("sap", "SAP", aliases=["sap erp"])


@pytest.fixture
def experts(make_person, sap):
    """Four people who declared SAP at levels 4, 4, 3 and 2."""
    people = []
    for level in (4, 4, 3, 2):
        person = make_person()
        skill_declare(actor=person, person=person, skill_id=sap.pk, level=level)
        people.append(person)
    return people


def _ask(asker, title="Qui connaît SAP pour la clôture mensuelle ?", **kwargs):
    return qa.question_ask(actor=asker, title=title, body="Clôture des comptes sous SAP.", **kwargs)


def test_asking_routes_to_the_best_experts_and_notifies_them(alice, experts):
    question = _ask(alice, tags=["sap", "clôture"])

    assert question.kind == Post.Kind.QUESTION
    assert sorted(t.name for t in question.tags.all()) == ["clôture", "sap"]
    routed = list(QuestionRouting.objects.filter(question=question).order_by("-score"))
    assert len(routed) == 3
    assert {r.expert_id for r in routed} == {e.pk for e in experts[:3]}
    notified = Notification.objects.filter(type="question_routed", post=question)
    assert set(notified.values_list("recipient_id", flat=True)) == {r.expert_id for r in routed}
    assert not QuestionRouting.objects.filter(expert=alice).exists()


@override_settings(VIVIER_ROUTING_WEEKLY_CAP=2, VIVIER_ROUTING_EXPERTS=2)
def test_the_weekly_cap_spreads_questions_over_experts(alice, experts):
    for i in range(4):
        _ask(alice, title=f"Question SAP numéro {i} sur la clôture")
    per_expert = {e.pk: QuestionRouting.objects.filter(expert=e).count() for e in experts}
    assert max(per_expert.values()) <= 2
    # Eight routings over four experts at two each: everyone got some, nobody was flooded.
    assert sorted(per_expert.values()) == [2, 2, 2, 2]


def test_recent_routings_lower_an_experts_weight(alice, experts):
    first = qa.routing_candidates(asker=alice, text="SAP clôture", community=None)
    top = first[0][0].user
    _ask(alice)  # routed to the top three, the top one included
    again = dict(
        (r.user.pk, w)
        for r, w in qa.routing_candidates(asker=alice, text="SAP clôture", community=None, limit=4)
    )
    assert again[top.pk] == pytest.approx(first[0][1] / 2)


def test_away_people_are_not_routed_and_busy_ones_count_less(alice, experts):
    away, busy = experts[0], experts[1]
    away.profile.availability_status = "away"
    away.profile.save()
    busy.profile.availability_status = "busy"
    busy.profile.save()
    ranked = qa.routing_candidates(asker=alice, text="SAP", community=None, limit=4)
    people = [r.user.pk for r, _w in ranked]
    assert away.pk not in people
    weights = {r.user.pk: (r.score, w) for r, w in ranked}
    score, weight = weights[busy.pk]
    assert weight < score * 0.6


def test_a_question_in_a_closed_community_goes_to_members_only(alice, experts, make_person):
    owner = make_person()
    closed = community_create(actor=owner, name="Finance", visibility="closed")
    for person in (alice, experts[3]):
        Membership.objects.create(community=closed, user=person)
    question = _ask(alice, community=closed)
    assert list(
        QuestionRouting.objects.filter(question=question).values_list("expert_id", flat=True)
    ) == [experts[3].pk]


def test_questions_need_a_title_and_few_tags(alice):
    with pytest.raises(ApplicationError) as info:
        qa.question_ask(actor=alice, title="  ", body="Pas de titre")
    assert info.value.code == "title_required"
    with pytest.raises(ApplicationError) as info:
        qa.question_ask(actor=alice, title="Titre", body="x", tags=list("abcdef"))
    assert info.value.code == "too_many_tags"
    assert not Post.objects.exists()


def test_answer_accept_vote_and_delete(alice, bob, make_person):
    voter = make_person()
    question = _ask(alice, route=False)
    answer = qa.answer_create(actor=bob, question=question, body="Transaction **F.16**.")
    assert "<strong>" in answer.body_html
    assert Post.objects.get(pk=question.pk).answer_count == 1
    assert Notification.objects.filter(type="answer", recipient=alice).exists()
    entry = SearchEntry.objects.get(kind="answer", object_id=answer.pk)
    assert entry.title == question.title and entry.evidence == pytest.approx(1.0)

    qa.answer_accept(actor=alice, answer=answer)
    assert Notification.objects.filter(type="answer_accepted", recipient=bob).exists()
    entry.refresh_from_db()
    assert entry.evidence == pytest.approx(1.5)

    qa.answer_vote(actor=voter, answer=answer, value=1)
    qa.answer_vote(actor=voter, answer=answer, value=1)  # again: still one vote
    assert Answer.objects.get(pk=answer.pk).score == 1
    qa.answer_vote(actor=voter, answer=answer, value=-1)
    assert Answer.objects.get(pk=answer.pk).score == -1
    qa.answer_vote(actor=voter, answer=answer, value=0)
    assert Answer.objects.get(pk=answer.pk).score == 0
    assert not AnswerVote.objects.exists()

    qa.answer_delete(actor=bob, answer=answer)
    assert Post.objects.get(pk=question.pk).answer_count == 0
    assert not SearchEntry.objects.filter(kind="answer", object_id=answer.pk).exists()
    with pytest.raises(NotFound):
        qa.answer_get(viewer=alice, answer_id=answer.pk)


def test_only_one_answer_is_accepted(alice, bob, make_person):
    carol = make_person()
    question = _ask(alice, route=False)
    first = qa.answer_create(actor=bob, question=question, body="Première réponse.")
    second = qa.answer_create(actor=carol, question=question, body="Seconde réponse.")
    qa.answer_accept(actor=alice, answer=first)
    qa.answer_accept(actor=alice, answer=second)
    accepted = Answer.objects.filter(question=question, accepted_at__isnull=False)
    assert list(accepted.values_list("pk", flat=True)) == [second.pk]
    assert SearchEntry.objects.get(kind="answer", object_id=first.pk).evidence == 1.0


def test_permissions(alice, bob, make_person):
    question = _ask(alice, route=False)
    answer = qa.answer_create(actor=bob, question=question, body="Réponse.")
    with pytest.raises(PermissionDenied):
        qa.answer_accept(actor=bob, answer=answer)  # only the asker
    with pytest.raises(PermissionDenied):
        qa.answer_vote(actor=bob, answer=answer, value=1)  # not on one's own
    with pytest.raises(PermissionDenied):
        qa.answer_update(actor=alice, answer=answer, body="Réécrite")  # only the author
    with pytest.raises(PermissionDenied):
        qa.answer_delete(actor=make_person(), answer=answer)
    with pytest.raises(ApplicationError):
        qa.answer_vote(actor=alice, answer=answer, value=5)


def test_secret_questions_are_not_found_by_outsiders(alice, bob):
    secret = community_create(actor=alice, name="Projet Orion", visibility="secret")
    question = _ask(alice, community=secret, route=False)
    with pytest.raises(NotFound):
        qa.question_get(viewer=bob, question_id=question.pk)
    with pytest.raises(NotFound):
        qa.answer_create(actor=bob, question=question, body="Je m'invite.")
    assert qa.question_get(viewer=alice, question_id=question.pk) == question


def test_answers_are_checked(alice, bob):
    question = _ask(alice, route=False)
    for body, code in (
        ("", "answer_empty"),
        ("  \x00 ", "answer_empty"),
        ("x" * 20_001, "answer_too_long"),
    ):
        with pytest.raises(ApplicationError) as info:
            qa.answer_create(actor=bob, question=question, body=body)
        assert info.value.code == code
    update = post_create(actor=alice, body="Une simple mise à jour.")
    with pytest.raises(NotFound):
        qa.answer_create(actor=bob, question=update, body="Pas une question.")
    assert not Answer.objects.exists()


def test_answering_a_routed_question_marks_the_routing_answered(alice, experts):
    question = _ask(alice)
    routing = QuestionRouting.objects.filter(question=question).first()
    qa.answer_create(actor=routing.expert, question=question, body="Voici comment faire.")
    routing.refresh_from_db()
    assert routing.answered_at is not None


def test_the_badge_level_on_profiles_follows_labels(alice, bob, python_skill):
    """Granting, expiry and the daily refresh keep Profile.expert_level true."""
    from datetime import timedelta

    from django.utils import timezone

    from vivier.expertise.services import expert_levels_refresh, label_grant
    from vivier.people.models import Profile

    soon = timezone.now() + timedelta(days=2)
    label_grant(actor=None, user=alice, skill_id=python_skill.pk, expires_at=soon)
    assert Profile.objects.get(user=alice).expert_level == "expert"
    assert Profile.objects.get(user=bob).expert_level == ""
    # Nothing changes until the label expires; then the daily refresh clears the badge.
    assert expert_levels_refresh() == 0
    assert expert_levels_refresh(now=soon + timedelta(seconds=1)) == 1
    assert Profile.objects.get(user=alice).expert_level == ""
