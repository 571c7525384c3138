"""Inferred skills: evidence from tags and aliases, threshold, decay, people's decisions, batches."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vivier.expertise.inference import AliasMatcher, infer_skills
from vivier.expertise.models import InferredSkill
from vivier.expertise.services import answer_create, question_ask
from vivier.search.models import SearchEntry
from vivier.social.models import Tag
from vivier.social.services import comment_create, community_create, post_create

pytestmark = pytest.mark.django_db


def _rows(user):
    return {
        r.skill.slug: r for r in InferredSkill.objects.filter(user=user).select_related("skill")
    }


def test_skill_from_tags_of_own_posts(alice, make_skill):
    skill = make_skill("kubernetes", "Kubernetes")
    # A tag linked to the skill under a name that is none of its aliases: only the tag shows it.
    Tag.objects.create(name="plateforme", normalized="plateforme", skill=skill)
    for n in range(2):
        post_create(actor=alice, body=f"Migration numéro {n} terminée", tags=["plateforme"])
    stats = infer_skills()
    row = _rows(alice)["kubernetes"]
    assert (row.status, row.evidence_count) == ("suggested", 2)
    assert row.score == pytest.approx(1.0, abs=0.01)  # two updates of 0.5, written today
    assert stats.created == 1


def test_answers_count_the_question_tags(alice, bob, make_skill):
    skill = make_skill("kubernetes", "Kubernetes")
    Tag.objects.create(name="plateforme", normalized="plateforme", skill=skill)
    for n in range(2):
        question = question_ask(
            actor=bob, title=f"Souci numéro {n}", body="Ça plante", tags=["plateforme"], route=False
        )
        answer_create(actor=alice, question=question, body="Relance le pod, ça ira.")
    rows = (infer_skills(), _rows(alice), _rows(bob))[1:]
    assert rows[0]["kubernetes"].score == pytest.approx(2.0, abs=0.01)  # two answers
    assert "kubernetes" not in rows[1]  # two questions weigh 0.4: asking is not knowing


def test_skill_from_aliases_in_the_text(alice, bob, make_skill, security_skill):
    make_skill("go", "Go")  # two letters: never matched in a text
    post_create(actor=alice, body="Retour d'expérience sur la sécurité informatique chez nous.")
    post = post_create(actor=bob, body="Qui a déjà audité un SI ? Go !")
    comment_create(actor=alice, post=post, body="Oui : (Security) c'est mon métier.")
    answer_post = question_ask(actor=bob, title="Pare-feu", body="Lequel ?", route=False)
    answer_create(actor=alice, question=answer_post, body="Pour la Sécurité, prends celui-ci.")
    infer_skills()
    row = _rows(alice)["security"]
    assert row.evidence_count == 3
    assert row.score == pytest.approx(0.5 + 0.3 + 1.0, abs=0.01)
    assert "go" not in _rows(bob)


def test_alias_matcher_words_acronyms_and_ambiguity(make_skill):
    make_skill("sap", "SAP")
    make_skill("cpp", "C++")
    make_skill("ml", "Apprentissage automatique", "Machine learning")
    make_skill("vue", "Vue.js", aliases=["Vue"])
    make_skill("a", "Alpha", aliases=["commun"])
    make_skill("b", "Beta", aliases=["commun"])
    matcher = AliasMatcher()
    ids = matcher.skills_in
    sap = matcher.aliases["sap"].skill_id
    assert ids("Migration SAP, enfin.") == {sap}
    assert ids("la sap des arbres") == set()  # an acronym counts in capitals only
    assert len(ids("du C++ moderne et du machine learning")) == 2
    assert len(ids("l'apprentissage automatique")) == 1  # elision and accents
    assert ids("une vue d'ensemble, du commun") == set()  # common word, shared alias


def test_threshold_and_two_texts(alice, bob, make_skill, python_skill):
    # One strong text is not enough: an accepted-like long article alone stays below.
    post_create(actor=alice, kind="article", title="Python", body="Tout sur Python, en long.")
    # Two comments (0.6) are below the threshold.
    post = post_create(actor=alice, body="Un post sans sujet")
    comment_create(actor=bob, post=post, body="Python ?")
    comment_create(actor=bob, post=post, body="Python !")
    infer_skills()
    assert "python" not in _rows(alice)
    assert "python" not in _rows(bob)
    comment_create(actor=bob, post=post, body="Python encore")
    comment_create(actor=bob, post=post, body="Et Python toujours")
    infer_skills()
    assert _rows(bob)["python"].score == pytest.approx(1.2, abs=0.01)


def test_evidence_decays_with_age(alice, python_skill):
    for n in range(2):
        post_create(actor=alice, body=f"Python, épisode {n}")
    post_create(actor=alice, body="Encore du Python")
    infer_skills()
    assert _rows(alice)["python"].score == pytest.approx(1.5, abs=0.01)
    # Seen 180 days later, each text counts half: 0.75 is below the threshold, the row goes.
    stats = infer_skills(now=timezone.now() + timedelta(days=180))
    assert "python" not in _rows(alice)
    assert stats.deleted == 1


def test_decisions_are_kept_and_stale_suggestions_removed(alice, make_skill, python_skill):
    rust = make_skill("rust", "Rust")
    go = make_skill("golang", "Golang")
    for n in range(3):
        post_create(actor=alice, body=f"Python et Rust et Golang, jour {n}")
    infer_skills()
    InferredSkill.objects.filter(user=alice, skill=rust).update(status="hidden")
    InferredSkill.objects.filter(user=alice, skill=go).update(status="confirmed")
    # All the writing disappears from the index (e.g. deleted): the suggestion goes, the
    # person's own decisions stay, at zero evidence.
    SearchEntry.objects.filter(author_id=alice.pk).delete()
    stats = infer_skills(alice)
    rows = _rows(alice)
    assert "python" not in rows
    assert (rows["rust"].status, rows["rust"].score, rows["rust"].evidence_count) == (
        "hidden",
        0.0,
        0,
    )
    assert rows["golang"].status == "confirmed"
    assert (stats.deleted, stats.updated) == (1, 2)


def test_decisions_get_fresh_scores_but_keep_their_status(alice, python_skill):
    for n in range(2):
        post_create(actor=alice, body=f"Python {n}")
    infer_skills()
    InferredSkill.objects.filter(user=alice).update(status="hidden")
    post_create(actor=alice, body="Python 3")
    infer_skills()
    row = _rows(alice)["python"]
    assert (row.status, row.evidence_count) == ("hidden", 3)


def test_content_of_secret_communities_counts_for_its_author(alice, python_skill):
    secret = community_create(actor=alice, name="Projet X", visibility="secret")
    for n in range(2):
        post_create(actor=alice, body=f"Python dans le projet {n}", community=secret)
    infer_skills()
    assert "python" in _rows(alice)


def _populate(make_person, n, skill):
    for i in range(n):
        person = make_person()
        post = post_create(actor=person, body=f"Python {i}", tags=["python"])
        post_create(actor=person, body=f"Python bis {i}")
        comment_create(actor=person, post=post, body="Python, je confirme")
        question = question_ask(actor=person, title="Python ?", body="Qui ?", route=False)
        answer_create(actor=person, question=question, body="Python, moi.")


def _queries_of_a_run() -> int:
    with CaptureQueriesContext(connection) as captured:
        infer_skills()
    return len(captured)


def test_queries_per_batch_are_bounded(make_person, python_skill, django_assert_num_queries):
    _populate(make_person, 3, python_skill)
    few = _queries_of_a_run()
    _populate(make_person, 12, python_skill)
    InferredSkill.objects.all().delete()
    many = _queries_of_a_run()
    assert few == many
    # aliases; then per batch: ids, answers, comments, tag skills, texts, existing rows, a
    # savepoint, the insert, its release (a run of one batch, shorter than the batch size)
    InferredSkill.objects.all().delete()
    with django_assert_num_queries(10):
        stats = infer_skills()
    assert stats.batches == 1 and stats.created == 15
    # Batches of 4 people: 4 batches of 9 queries (the last is short), plus the aliases.
    InferredSkill.objects.all().delete()
    with django_assert_num_queries(1 + 4 * 9):
        stats = infer_skills(batch_size=4)
    assert stats.batches == 4 and stats.people == 15


def test_command_runs_for_everyone_or_one_person(alice, bob, python_skill, capsys):
    for n in range(2):
        post_create(actor=alice, body=f"Python {n}")
        post_create(actor=bob, body=f"Python {n}")
    call_command("vivier_infer_skills", "--user", "ALICE@example.test")
    assert "1 people" in capsys.readouterr().out
    assert InferredSkill.objects.filter(user=bob).count() == 0
    call_command("vivier_infer_skills")
    assert InferredSkill.objects.count() == 2


def test_command_refuses_an_unknown_person(db):
    with pytest.raises(CommandError):
        call_command("vivier_infer_skills", "--user", "nobody@example.test")
