"""The expertise ranking's properties, through the services people use to write."""

from datetime import timedelta

import pytest
from django.utils import timezone

from vivier.core.errors import ApplicationError
from vivier.expertise import services as qa
from vivier.expertise.models import Answer
from vivier.expertise.selectors import ExpertFilters, experts_rank
from vivier.people.services import endorsement_create, skill_declare
from vivier.search.models import SearchEntry
from vivier.social.models import Community
from vivier.social.services import community_create, post_create


def _ids(results):
    return [r.user.pk for r in results]


def _backdate(answer: Answer, days: int) -> None:
    """Move an answer (and its index entry) into the past."""
    when = timezone.now() - timedelta(days=days)
    Answer.objects.filter(pk=answer.pk).update(created_at=when)
    SearchEntry.objects.filter(kind="answer", object_id=answer.pk).update(created_at=when)


@pytest.fixture
def asker(make_person):
    return make_person(first_name="Asker")


def _question(asker, title="Comment régler la fermentation d'une bière ?", tags=("brassage",)):
    return qa.question_ask(actor=asker, title=title, body=title, tags=list(tags), route=False)


def test_empty_query_is_refused(alice):
    for q in ("", "   ", None, "le la les", "\x00"):
        with pytest.raises(ApplicationError) as info:
            experts_rank(viewer=alice, q=q)
        assert info.value.code == "query_empty"


def test_the_author_of_an_accepted_answer_outranks_a_non_author(make_person, asker):
    expert, bystander, viewer = make_person(), make_person(), make_person()
    question = _question(asker)
    answer = qa.answer_create(
        actor=expert,
        question=question,
        body="La température de fermentation se règle entre 18 et 20 degrés pour une ale.",
    )
    qa.answer_accept(actor=asker, answer=answer)
    post_create(actor=bystander, body="Réunion d'équipe sur le budget trimestriel.")

    results = experts_rank(viewer=viewer, q="température de fermentation")

    assert _ids(results)[0] == expert.pk
    assert bystander.pk not in _ids(results)
    top = results[0]
    assert top.evidence and top.evidence[0].accepted
    assert "<mark>" in top.evidence[0].snippet_html


def test_accepting_and_up_votes_raise_an_answerer(make_person, asker):
    first, second, voter, viewer = make_person(), make_person(), make_person(), make_person()
    question = _question(asker)
    text = "Pour la fermentation, contrôlez la température de la cuve chaque jour."
    a1 = qa.answer_create(actor=first, question=question, body=text)
    a2 = qa.answer_create(actor=second, question=question, body=text)
    # Same text, nearly the same age: both are found, in some order.
    before = _ids(experts_rank(viewer=viewer, q="fermentation température"))
    assert set(before[:2]) == {first.pk, second.pk}
    loser = a2 if before[0] == first.pk else a1
    qa.answer_accept(actor=asker, answer=loser)
    assert _ids(experts_rank(viewer=viewer, q="fermentation température"))[0] == loser.author_id

    qa.answer_accept(actor=asker, answer=loser, accepted=False)
    other = a1 if loser is a2 else a2
    qa.answer_vote(actor=voter, answer=loser, value=1)
    ranked = experts_rank(viewer=viewer, q="fermentation température")
    assert _ids(ranked)[0] == loser.author_id
    assert other.author_id in _ids(ranked)


def test_recency_matters(make_person, asker):
    old_hand, newcomer, viewer = make_person(), make_person(), make_person()
    question = _question(asker)
    text = "Le houblonnage à cru apporte des arômes sans amertume."
    old = qa.answer_create(actor=old_hand, question=question, body=text)
    qa.answer_create(actor=newcomer, question=question, body=text)
    _backdate(old, days=720)

    results = experts_rank(viewer=viewer, q="houblonnage à cru")

    assert _ids(results) == [newcomer.pk, old_hand.pk]
    assert results[0].score > 2 * results[1].score


def test_an_endorsement_raises_a_person(make_person, make_skill):
    skill = make_skill("kubernetes", "Kubernetes", aliases=["k8s"])
    one, two, endorser, viewer = make_person(), make_person(), make_person(), make_person()
    skill_declare(actor=one, person=one, skill_id=skill.pk, level=3)
    skill_declare(actor=two, person=two, skill_id=skill.pk, level=3)
    tied = experts_rank(viewer=viewer, q="kubernetes")
    assert tied[0].score == tied[1].score
    endorsement_create(actor=endorser, person_id=two.pk, skill_id=skill.pk)

    results = experts_rank(viewer=viewer, q="qui connaît Kubernetes ?")

    assert _ids(results)[0] == two.pk
    assert results[0].declared[0].skill == skill
    assert results[0].declared[0].endorsements == 1


def test_a_higher_declared_level_ranks_higher(make_person, make_skill):
    skill = make_skill("terraform", "Terraform")
    novice, expert, viewer = make_person(), make_person(), make_person()
    skill_declare(actor=novice, person=novice, skill_id=skill.pk, level=1)
    skill_declare(actor=expert, person=expert, skill_id=skill.pk, level=4)
    assert _ids(experts_rank(viewer=viewer, q="terraform")) == [expert.pk, novice.pk]


def test_a_label_raises_a_person(make_person, make_skill, asker):
    skill = make_skill("brassage", "Brassage", "Brewing")
    one, two, viewer = make_person(), make_person(), make_person()
    question = _question(asker, title="Quel malt pour le brassage d'une stout ?")
    text = "Pour le brassage d'une stout, un malt torréfié."
    qa.answer_create(actor=one, question=question, body=text)
    qa.answer_create(actor=two, question=question, body=text)
    before = _ids(experts_rank(viewer=viewer, q="brassage stout", exclude=[asker.pk]))
    assert set(before) == {one.pk, two.pk}
    labelled = one if before[1] == one.pk else two  # the one ranked second, on equal texts

    label = qa.label_grant(actor=None, user=labelled, skill_id=skill.pk)
    results = experts_rank(viewer=viewer, q="brassage stout", exclude=[asker.pk])
    assert _ids(results)[0] == labelled.pk
    assert results[0].labels == [skill]

    label.revoked_at = timezone.now()
    label.save()
    assert _ids(experts_rank(viewer=viewer, q="brassage stout"))[0] != labelled.pk


def test_people_who_answer_lately_answer_again(make_person, asker):
    steady, once, viewer = make_person(), make_person(), make_person()
    question = _question(asker)
    text = "La levure de type saison supporte une fermentation chaude."
    qa.answer_create(actor=steady, question=question, body=text)
    qa.answer_create(actor=once, question=question, body=text)
    other = _question(asker, title="Quelle verrerie pour un cidre ?", tags=("cidre",))
    for _ in range(3):
        qa.answer_create(actor=steady, question=other, body="Un verre à pied, bien sûr.")

    results = experts_rank(viewer=viewer, q="levure saison")

    assert _ids(results)[:2] == [steady.pk, once.pk]
    assert results[0].recent_answers > results[1].recent_answers


def test_french_and_english_stems_and_accents_match(make_person, asker):
    french, english, viewer = make_person(), make_person(), make_person()
    post_create(actor=french, body="J'ai brassé trois bières pour la sécurité alimentaire.")
    post_create(actor=english, body="We were brewing ciders and testing the fermenters.")

    assert _ids(experts_rank(viewer=viewer, q="brasser"))[0] == french.pk
    assert _ids(experts_rank(viewer=viewer, q="securite"))[0] == french.pk
    assert _ids(experts_rank(viewer=viewer, q="brew cider"))[0] == english.pk


def test_secret_content_neither_shows_nor_raises_anyone(make_person):
    insider, outsider, viewer = make_person(), make_person(), make_person()
    secret = community_create(actor=insider, name="Projet Phénix", visibility="secret")
    post_create(actor=insider, body="Architecture du moteur quantique Phénix.", community=secret)

    assert experts_rank(viewer=viewer, q="moteur quantique") == []
    assert _ids(experts_rank(viewer=insider, q="moteur quantique")) == [insider.pk]
    assert outsider.pk not in _ids(experts_rank(viewer=insider, q="moteur quantique"))


def test_filters_and_exclusions(make_person, make_unit, asker):
    paris = make_unit("PAR", "Paris")
    in_unit = make_person(org_unit=paris, languages=["fr", "en"])
    elsewhere = make_person(availability_status="away")
    viewer = make_person()
    for person in (in_unit, elsewhere):
        post_create(actor=person, body="Optimisation des requêtes PostgreSQL et index partiels.")

    both = set(_ids(experts_rank(viewer=viewer, q="postgresql index")))
    assert both == {in_unit.pk, elsewhere.pk}
    unit_only = experts_rank(viewer=viewer, q="postgresql", filters=ExpertFilters(org_unit=paris))
    assert _ids(unit_only) == [in_unit.pk]
    english = experts_rank(viewer=viewer, q="postgresql", filters=ExpertFilters(language="en"))
    assert _ids(english) == [in_unit.pk]
    available = experts_rank(
        viewer=viewer, q="postgresql", filters=ExpertFilters(available_only=True)
    )
    assert _ids(available) == [in_unit.pk]
    assert _ids(experts_rank(viewer=viewer, q="postgresql", exclude=[in_unit.pk])) == [elsewhere.pk]


def test_inactive_people_are_not_ranked(make_person):
    gone, viewer = make_person(), make_person()
    post_create(actor=gone, body="Migration vers Kafka terminée.")
    gone.is_active = False
    gone.save()
    assert experts_rank(viewer=viewer, q="kafka") == []


def test_audience_keeps_only_people_who_can_read_the_question(make_person):
    member, stranger, owner = make_person(), make_person(), make_person()
    closed = community_create(actor=owner, name="Finance", visibility="closed")
    from vivier.social.models import Membership

    Membership.objects.create(community=closed, user=member)
    for person in (member, stranger):
        post_create(actor=person, body="Consolidation des comptes IFRS 16.")
    ranked = experts_rank(viewer=owner, q="IFRS consolidation", audience=closed)
    assert _ids(ranked) == [member.pk]
    assert Community.objects.get(pk=closed.pk).visibility == "closed"


def test_query_count_does_not_grow_with_results(make_person, asker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer = make_person()
    question = _question(asker)
    for i in range(12):
        person = make_person()
        qa.answer_create(actor=person, question=question, body=f"Fermentation réglée {i}.")
    counts = []
    for limit in (6, 10):
        with CaptureQueriesContext(connection) as queries:
            results = experts_rank(viewer=viewer, q="fermentation", limit=limit)
        assert len(results) == limit
        assert all(r.evidence for r in results)
        counts.append(len(queries))
    # Texts; skills with holders, labels and the candidates with their answers' mass (their
    # activity prior); people; evidence with snippets: on both databases.
    assert counts == [4, 4]
