"""The count and mass of live answers per person, kept by triggers, and the ranking's activity
prior read from them."""

import itertools
import random
from collections import defaultdict
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from vivier.expertise import selectors
from vivier.expertise import services as qa
from vivier.expertise.models import (
    ANSWER_MASS_EPOCH,
    ANSWER_MASS_HALF_LIFE_DAYS,
    Answer,
    AnswerCount,
)
from vivier.expertise.selectors import ExpertFilters, experts_rank
from vivier.people.models import Profile, Skill
from vivier.people.services import endorsement_create, skill_declare
from vivier.search.analysis import query_terms
from vivier.search.models import SearchEntry


def _counted() -> dict[int, int]:
    """The counter's non-zero rows."""
    return dict(AnswerCount.objects.exclude(live=0).values_list("user_id", "live"))


def _truth() -> dict[int, int]:
    """Live answers per person, counted from the answers themselves."""
    live = Answer.objects.filter(deleted_at__isnull=True).order_by()
    return dict(live.values_list("author_id").annotate(n=Count("id")))


def _mass_truth() -> tuple[dict[int, float], dict[int, object]]:
    """Per person, the sum of 2 ** ((created_at - epoch) / half-life) over the live answers, and
    the latest created_at among them: computed in Python from the answers."""
    masses: dict[int, float] = defaultdict(float)
    newest: dict[int, object] = {}
    for author, created_at in Answer.objects.filter(deleted_at__isnull=True).values_list(
        "author_id", "created_at"
    ):
        days = (created_at - ANSWER_MASS_EPOCH).total_seconds() / 86400.0
        masses[author] += 2.0 ** (days / ANSWER_MASS_HALF_LIFE_DAYS)
        newest[author] = max(newest.get(author, created_at), created_at)
    return masses, newest


def assert_exact() -> None:
    assert _counted() == _truth()
    assert not AnswerCount.objects.filter(live__lt=0).exists()
    masses, newest = _mass_truth()
    for count in AnswerCount.objects.all():
        # Kept by additions and subtractions of terms up to 2 ** 14: rounding, relative to them.
        assert count.mass == pytest.approx(masses.get(count.user_id, 0.0), rel=1e-9, abs=1e-9)
        if count.user_id in newest:  # a bound: never lowered by a deletion
            assert count.newest >= newest[count.user_id]
    assert set(masses) <= set(AnswerCount.objects.values_list("user_id", flat=True))


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


# The activity prior, read from the mass.


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


def test_the_prior_read_from_the_mass_is_the_prior_summed_from_the_answers(
    make_person, make_skill, asker
):
    """Every candidate's prior, read from AnswerCount.mass, is what summing their answers gives
    (the triggers' epoch and half-life are the ranking's), and the ranking reports it."""
    people = _world(make_person, make_skill, asker)
    assert_exact()
    now = timezone.now()
    counts = {c.user_id: c.mass for c in AnswerCount.objects.all()}
    ids = [p.pk for p in people]
    read = selectors._activity_priors({pk: counts.get(pk, 0.0) for pk in ids}, now)
    summed = selectors._recent_answers(ids, now)
    assert any(summed.values())
    for pk in ids:
        assert read[pk] == pytest.approx(summed.get(pk, 0.0), rel=1e-9, abs=1e-12)
    viewer = make_person()
    results = experts_rank(viewer=viewer, q="brassage levure", limit=50, now=now)
    assert any(r.recent_answers for r in results)
    for result in results:
        assert result.recent_answers == round(summed.get(result.user.pk, 0.0), 3)


def test_a_replay_before_someone_s_latest_answer_sums_their_answers(make_person, asker, question):
    """Ranked at a moment before a person's latest answer (the evaluation replays the past),
    their prior counts only the answers written by then."""
    viewer, early, late = make_person(), make_person(), make_person()
    then = timezone.now() - timedelta(days=100)
    for author, ages in ((early, [400, 300]), (late, [360, 5])):
        for days in ages:
            answer = qa.answer_create(actor=author, question=question, body="Une levure belge.")
            when = timezone.now() - timedelta(days=days)
            Answer.objects.filter(pk=answer.pk).update(created_at=when)
            SearchEntry.objects.filter(kind="answer", object_id=answer.pk).update(created_at=when)
    assert_exact()
    results = {r.user.pk: r for r in experts_rank(viewer=viewer, q="levure", now=then)}

    def faded(*ages):
        return round(sum(0.5 ** ((age - 100) / ANSWER_MASS_HALF_LIFE_DAYS) for age in ages), 3)

    assert results[early.pk].recent_answers == faded(400, 300)  # read from the mass
    assert results[late.pk].recent_answers == faded(360)  # the answer of 5 days ago left out


def test_a_vote_or_an_edit_leaves_the_mass_as_it_was(make_person, asker, question):
    """Updates that change no author, date or deletion add nothing, not even rounding."""
    one, two = make_person(), make_person()
    answers = [
        qa.answer_create(actor=one, question=question, body=f"Levure {i}.") for i in range(3)
    ]
    before = AnswerCount.objects.get(user=one).mass
    qa.answer_vote(actor=two, answer=answers[0], value=1)
    qa.answer_update(actor=one, answer=answers[1], body="Une levure belge, bien sûr.")
    Answer.objects.filter(author=one).update(score=7)
    qa.answer_accept(actor=asker, answer=answers[2])
    assert AnswerCount.objects.get(user=one).mass == before
    assert_exact()


def test_recent_answers_break_a_tie_between_equal_declared_scores(make_person, make_skill, asker):
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


# The holders' cut: holders who wrote nothing and cannot reach the authors' floor are not read.


def test_the_holders_cut_gives_the_ranking_of_every_holder(
    make_person, make_skill, make_unit, asker, monkeypatch
):
    """With the cut, the ranking is the one computed from every holder: for several limits,
    queries naming one skill, two, or none; within an org unit (the floor is then the one of
    the authors in it); with a leading author who left (the floor is then the one of the
    authors who may be ranked)."""
    people = _world(make_person, make_skill, asker)
    # People who declared the skills and answered lately, on other topics: their own score
    # (level, endorsements, label, prior) competes with the authors' texts at every limit.
    rng = random.Random(7)
    cider = qa.question_ask(actor=asker, title="Quel cidre ?", body="Du cidre.", tags=[])
    quiet = [make_person() for _ in range(12)]
    for i, person in enumerate(quiet):
        for slug in ("brassage", "levure"):
            skill_id = Skill.objects.get(slug=slug).pk
            skill_declare(actor=person, person=person, skill_id=skill_id, level=rng.randint(2, 4))
        for _ in range(i % 5):
            qa.answer_create(actor=person, question=cider, body="Une pomme acide.")
        if i % 3 == 0:
            for endorser in rng.sample(people, 3):
                endorsement_create(
                    actor=endorser,
                    person_id=person.pk,
                    skill_id=Skill.objects.get(slug="brassage").pk,
                )
        if i % 4 == 0:
            qa.label_grant(actor=None, user=person, skill_id=Skill.objects.get(slug="brassage").pk)
    viewer = make_person()
    unit = make_unit("Brasserie", "BRA")
    Profile.objects.filter(user__in=(people + quiet)[::2]).update(org_unit=unit)
    now = timezone.now()
    queries = ["brassage", "levure", "brassage levure", "houblon malt", "fermentation saison"]
    scopes = [ExpertFilters(), ExpertFilters(org_unit=unit)]
    read = selectors._declared_and_candidates
    calls = []

    def recording(text, now, authors, filters, audience, limit=0):
        found = read(text, now, authors, filters, audience, limit)
        calls.append((limit, len(found.holders), text))
        return found

    def everyone(text, now, authors, filters, audience, limit=0):
        return read(text, now, authors, filters, audience)

    def rankings():
        for limit, q, filters in itertools.product((1, 3, 10, 50), queries, scopes):
            monkeypatch.setattr(selectors, "_declared_and_candidates", recording)
            with_cut = experts_rank(viewer=viewer, q=q, limit=limit, now=now, filters=filters)
            monkeypatch.setattr(selectors, "_declared_and_candidates", everyone)
            uncut = experts_rank(viewer=viewer, q=q, limit=limit, now=now, filters=filters)
            assert _flat(with_cut) == _flat(uncut), (q, limit, filters)
            assert with_cut
            ranked_quiet.update(r.user.pk for r in with_cut if r.user in quiet)

    ranked_quiet: set[int] = set()

    rankings()
    assert ranked_quiet  # people who wrote nothing on the topic do enter some rankings
    # The cut was not idle: at the smaller limits, fewer holders than every one.
    every = len(read("brassage", now, {}, selectors.ExpertFilters(), None).holders)
    cut = [holders for _limit, holders, text in calls if text == "brassage"]
    assert min(cut) < every
    # Within the unit too: fewer holders than all of the unit's.
    in_unit = ExpertFilters(org_unit=unit)
    every_in_unit = len(read("brassage", now, {}, in_unit, None).holders)
    calls.clear()
    monkeypatch.setattr(selectors, "_declared_and_candidates", recording)
    experts_rank(viewer=viewer, q="brassage", limit=1, now=now, filters=in_unit)
    assert calls and calls[0][1] < every_in_unit

    # The author whose texts on "brassage" score best leaves: at limit 1 their sure score was
    # the floor, which no longer holds; the floor is the next author's.
    rows = selectors._matching_texts(viewer, query_terms("brassage"), now)
    top = max(row[5] for row in rows)
    texts: dict[int, float] = defaultdict(float)
    for _entry, author, _kind, created_at, weight, relevance in rows:
        texts[author] += relevance / top * weight * selectors.evidence_decay(created_at, now)
    leader = max(texts, key=texts.__getitem__)
    assert leader in {p.pk for p in people}
    type(viewer).objects.filter(pk=leader).update(is_active=False)
    rankings()


def test_a_holder_between_two_authors_is_ranked_between_them(make_person, make_skill, asker):
    """The floor is the `limit`-th author's sure score, not a higher one: a holder who wrote
    nothing and scores between two authors keeps their place between them at every limit."""
    skill = make_skill("poire", "Poiré", "Perry")
    strong, weak, holder, viewer = (make_person() for _ in range(4))
    first = qa.question_ask(actor=asker, title="Que boire ?", body="En Normandie.", tags=[])
    for body in ("Le poiré de Domfront.", "Un poiré fermier, bien frais.", "Poiré brut."):
        qa.answer_create(actor=strong, question=first, body=body)
    second = qa.question_ask(actor=asker, title="Et avec ?", body="Pour l'apéritif.", tags=[])
    qa.answer_create(
        actor=weak,
        question=second,
        body="Un cidre, une bière de saison, un vin blanc sec, un pommeau, une eau pétillante "
        "ou, pour finir, un petit verre de poiré si la table en a encore envie.",
    )
    skill_declare(actor=holder, person=holder, skill_id=skill.pk, level=4)
    order = [strong.pk, holder.pk, weak.pk]
    assert [r.user.pk for r in experts_rank(viewer=viewer, q="poiré", limit=3)] == order
    assert [r.user.pk for r in experts_rank(viewer=viewer, q="poiré", limit=2)] == order[:2]
