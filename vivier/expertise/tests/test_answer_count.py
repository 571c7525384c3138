"""The count of live answers per person, kept by triggers, and the ranking's cut that relies on it."""

import heapq
import itertools
import math
import random
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from vivier.expertise import selectors
from vivier.expertise import services as qa
from vivier.expertise.models import Answer, AnswerCount
from vivier.expertise.selectors import experts_rank
from vivier.people.services import endorsement_create, skill_declare
from vivier.search.models import SearchEntry


def _counted() -> dict[int, int]:
    """The counter's non-zero rows."""
    return dict(AnswerCount.objects.exclude(live=0).values_list("user_id", "live"))


def _truth() -> dict[int, int]:
    """Live answers per person, counted from the answers themselves."""
    live = Answer.objects.filter(deleted_at__isnull=True).order_by()
    return dict(live.values_list("author_id").annotate(n=Count("id")))


def assert_exact() -> None:
    assert _counted() == _truth()
    assert not AnswerCount.objects.filter(live__lt=0).exists()


@pytest.fixture
def asker(make_person):
    return make_person(first_name="Asker")


@pytest.fixture
def question(asker):
    return qa.question_ask(
        actor=asker,
        title="Quelle levure pour une saison ?",
        body="Une saison.",
        tags=[],
        route=False,
    )


def test_services_keep_the_count_exact(make_person, asker, question):
    one, two = make_person(), make_person()
    first = qa.answer_create(actor=one, question=question, body="Une levure belge.")
    qa.answer_create(actor=one, question=question, body="Ou une levure française.")
    qa.answer_create(actor=two, question=question, body="Une levure de saison.")
    assert _counted() == {one.pk: 2, two.pk: 1}
    assert_exact()

    qa.answer_update(actor=one, answer=first, body="Une levure belge, bien sûr.")
    qa.answer_vote(actor=two, answer=first, value=1)
    qa.answer_accept(actor=asker, answer=first)
    assert _counted() == {one.pk: 2, two.pk: 1}

    qa.answer_delete(actor=one, answer=first)
    assert _counted() == {one.pk: 1, two.pk: 1}
    assert_exact()


def test_soft_delete_undelete_author_change_and_hard_delete(make_person, question):
    one, two = make_person(), make_person()
    answer = qa.answer_create(actor=one, question=question, body="Une levure belge.")
    other = qa.answer_create(actor=one, question=question, body="Une autre levure.")

    Answer.objects.filter(pk=answer.pk).update(deleted_at=timezone.now())
    assert _counted() == {one.pk: 1}
    # Deleted again at another moment: still deleted, still not counted.
    Answer.objects.filter(pk=answer.pk).update(deleted_at=timezone.now() + timedelta(seconds=1))
    assert _counted() == {one.pk: 1}
    Answer.objects.filter(pk=answer.pk).update(deleted_at=None)  # undeleted
    assert _counted() == {one.pk: 2}

    other.author = two
    other.save()  # a save() writes every column: only a real change counts
    assert _counted() == {one.pk: 1, two.pk: 1}
    answer.save()
    assert _counted() == {one.pk: 1, two.pk: 1}

    # A deleted answer that changes author moves nothing.
    Answer.objects.filter(pk=other.pk).update(deleted_at=timezone.now())
    Answer.objects.filter(pk=other.pk).update(author=one)
    assert _counted() == {one.pk: 1}
    # Undeleted and moved back in one statement.
    Answer.objects.filter(pk=other.pk).update(author=two, deleted_at=None)
    assert _counted() == {one.pk: 1, two.pk: 1}

    answer.delete()
    assert _counted() == {two.pk: 1}
    assert_exact()


def test_bulk_writes_keep_the_count_exact(make_person, question):
    people = [make_person() for _ in range(4)]
    rows = [
        Answer(question=question, author=people[i % 4], body=f"Réponse {i}.", body_html="")
        for i in range(10)
    ]
    rows[3].deleted_at = timezone.now()  # imported already deleted: not counted
    Answer.objects.bulk_create(rows)
    assert_exact()
    assert sum(_counted().values()) == 9

    Answer.objects.filter(author=people[0]).update(deleted_at=timezone.now())
    assert_exact()
    Answer.objects.filter(author__in=people[:2]).update(author=people[3])
    assert_exact()
    Answer.objects.all().update(deleted_at=None)
    assert _counted() == {people[2].pk: 2, people[3].pk: 8}
    Answer.objects.filter(author=people[2]).delete()
    assert_exact()


def test_deleting_a_question_or_a_person_keeps_the_count_exact(make_person, asker, question):
    one, two = make_person(), make_person()
    qa.answer_create(actor=one, question=question, body="Une levure belge.")
    qa.answer_create(actor=two, question=question, body="Une levure de saison.")
    other = qa.question_ask(actor=asker, title="Et le houblon ?", body="Le houblon.", tags=[])
    qa.answer_create(actor=two, question=other, body="Du Cascade.")
    assert _counted() == {one.pk: 1, two.pk: 2}

    question.delete()  # its answers go with it
    assert _counted() == {two.pk: 1}
    two.delete()  # and a person's answers, and their count, with them
    assert _counted() == {}
    assert not AnswerCount.objects.filter(user_id=two.pk).exists()
    assert_exact()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and TRUNCATE: PostgreSQL")
def test_copy_and_truncate_keep_the_count_exact(make_person, question):
    """The scale generators and the benchmark write answers with COPY and empty them with TRUNCATE."""
    one, two = make_person(), make_person()
    now = timezone.now()
    columns = "question_id, author_id, body, body_html, language, score, created_at, updated_at"
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY expertise_answer ({columns}) FROM STDIN") as copy:
            for author in (one, one, two):
                copy.write_row((question.pk, author.pk, "Copiée.", "", "fr", 0, now, now))
        assert_exact()
        assert _counted() == {one.pk: 2, two.pk: 1}
        # The test's transaction holds deferred foreign-key checks, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE expertise_answer CASCADE")
    assert _counted() == {}
    assert_exact()


# The cut: only people who may reach the top with their activity prior get it computed.


def _world(make_person, make_skill, asker):
    """Forty people with varied answers (ages, deletions), skills, endorsements and labels."""
    rng = random.Random(4)
    skill = make_skill("brassage", "Brassage", "Brewing")
    other_skill = make_skill("levure", "Levure", "Yeast")
    people = [make_person() for _ in range(40)]
    questions = [
        qa.question_ask(
            actor=asker, title=f"Brassage et levure, question {i} ?", body="Brassage.", tags=[]
        )
        for i in range(6)
    ]
    words = ["brassage", "levure", "houblon", "malt", "fermentation", "saison"]
    now = timezone.now()
    for person in people:
        for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 9])):
            text = " ".join(rng.sample(words, rng.randint(1, 3)))
            answer = qa.answer_create(
                actor=person, question=rng.choice(questions), body=f"Sur le {text}."
            )
            when = now - timedelta(days=rng.uniform(0, 900))
            Answer.objects.filter(pk=answer.pk).update(created_at=when)
            SearchEntry.objects.filter(kind="answer", object_id=answer.pk).update(created_at=when)
            if rng.random() < 0.1:
                qa.answer_delete(actor=person, answer=answer)
        for held in (skill, other_skill):
            if rng.random() < 0.5:
                skill_declare(
                    actor=person, person=person, skill_id=held.pk, level=rng.randint(1, 4)
                )
    for endorser in people[:8]:
        endorsee = rng.choice(people[8:])
        if endorsee.declared_skills.filter(skill=skill).exists():
            endorsement_create(actor=endorser, person_id=endorsee.pk, skill_id=skill.pk)
    for person in rng.sample(people, 5):
        qa.label_grant(actor=None, user=person, skill_id=skill.pk)
    return people


def _flat(results):
    return [
        (
            r.user.pk,
            r.score,
            r.documents,
            r.recent_answers,
            [(e.kind, e.object_id, e.snippet_html, e.accepted) for e in r.evidence],
            [(d.skill.pk, d.level, d.endorsements) for d in r.declared],
            [s.pk for s in r.labels],
        )
        for r in results
    ]


def test_the_cut_gives_the_ranking_of_the_prior_for_everyone(
    make_person, make_skill, asker, monkeypatch
):
    _world(make_person, make_skill, asker)
    viewer = make_person()
    assert_exact()
    queries = ["brassage", "levure", "houblon malt", "brewing yeast", "fermentation saison"]
    cuts, rounds = [], []
    cut, prior, first_round = (
        selectors._may_reach_top,
        selectors._recent_answers,
        selectors.FIRST_ROUND_PER_RESULT,
    )

    def recording(scores, answers, limit):
        kept = cut(scores, answers, limit)
        cuts.append((len(kept), len(scores), len([p for p in kept if answers.get(p)])))
        return kept

    def counting(people, now):
        rounds[-1].append(len(people))
        return prior(people, now)

    monkeypatch.setattr(selectors, "_recent_answers", counting)
    now = timezone.now()  # one moment for both rankings: the evidence fades with time
    # The first round as set, and as small as it can be: more people left to the second.
    for limit, per_result in itertools.product((1, 3, 10, 50), (first_round, 1)):
        for q in queries:
            monkeypatch.setattr(selectors, "_may_reach_top", recording)
            monkeypatch.setattr(selectors, "FIRST_ROUND_PER_RESULT", per_result)
            rounds.append([])
            with_cut = experts_rank(viewer=viewer, q=q, limit=limit, now=now)
            # Everyone's prior, in one round.
            monkeypatch.setattr(selectors, "_may_reach_top", lambda s, a, k: list(s))
            monkeypatch.setattr(selectors, "FIRST_ROUND_PER_RESULT", 10**6)
            rounds.append([])
            everyone = experts_rank(viewer=viewer, q=q, limit=limit, now=now)
            rounds.pop()
            assert _flat(with_cut) == _flat(everyone), (q, limit, per_result)
            assert with_cut
    # Neither cut was idle: some queries left people out before the prior, and some second
    # rounds computed fewer priors than the first cut kept people with answers.
    assert any(kept < total for kept, total, _answered in cuts)
    assert any(
        len(sizes) == 2 and sum(sizes) < answered
        for sizes, (_kept, _total, answered) in zip(rounds, cuts, strict=True)
    )


def test_a_person_the_counter_says_answered_is_never_cut_below_a_lesser_one(
    make_person, make_skill, asker
):
    """Two equal declared scores: the one with recent answers ranks first, even at limit 1."""
    skill = make_skill("cidre", "Cidre", "Cider")
    viewer, quiet, active = make_person(), make_person(), make_person()
    for person in (quiet, active):
        skill_declare(actor=person, person=person, skill_id=skill.pk, level=3)
    question = qa.question_ask(actor=asker, title="Une pomme ?", body="Pomme.", tags=[])
    qa.answer_create(actor=active, question=question, body="Une reinette.")
    # quiet has the lower id: without the prior it would win the tie.
    assert quiet.pk < active.pk
    results = experts_rank(viewer=viewer, q="cidre", limit=1)
    assert [r.user.pk for r in results] == [active.pk]
    assert results[0].recent_answers > 0


def test_two_rounds_of_priors_give_the_top_of_everyone_s_prior(monkeypatch):
    """On many random cases: the top `limit` with the cut and the two rounds is the top with
    every prior computed (scores, answer counts and priors drawn at random, ties included)."""
    rng = random.Random(11)

    def top(scores, recent, limit):
        ranked = ((-scores[pk] * (1.0 + math.log1p(r)), pk) for pk, r in recent.items())
        return heapq.nsmallest(limit, ranked)

    second_rounds = 0
    for _case in range(600):
        scores = {pk: rng.choice([rng.uniform(0, 3), 1.0, 0.5]) for pk in range(1, 31)}
        answers = {pk: rng.choice([0, 0, 1, 2, 5, 9]) for pk in scores}
        # A prior is at most the number of answers (each weighs at most 1).
        priors = {pk: rng.uniform(0, n) * rng.choice([1, 0.1]) for pk, n in answers.items() if n}
        calls = []

        def recent_answers(people, now, priors=priors, calls=calls):
            calls.append(len(people))
            return {pk: priors[pk] for pk in people}

        monkeypatch.setattr(selectors, "_recent_answers", recent_answers)
        monkeypatch.setattr(selectors, "FIRST_ROUND_PER_RESULT", rng.randint(1, 3))
        limit = rng.randint(1, 6)
        kept = selectors._may_reach_top(scores, answers, limit)
        recent = selectors._activity_priors(kept, scores, answers, limit, None)
        everyone = {pk: priors.get(pk, 0.0) for pk in scores}
        assert top(scores, recent, limit) == top(scores, everyone, limit)
        assert all(recent[pk] == everyone[pk] for pk in recent)
        second_rounds += len(calls) == 2
    assert second_rounds > 50
