"""Suggestions: objectives ranked by TF-IDF similarity over French and English stems."""

import pytest

from vivier.social import services as social
from vivier.vision import selectors
from vivier.vision.similarity import ObjectiveText, rank
from vivier.vision.tests.conftest import make_objective

OBJECTIVES = [
    ObjectiveText(
        1,
        "Réduire l'empreinte carbone de nos bâtiments",
        "Reduce the carbon footprint of our buildings",
        "Rénovation énergétique, chauffage, consommation d'électricité",
        "Energy renovation, heating, electricity consumption",
    ),
    ObjectiveText(
        2,
        "Digitaliser le parcours client",
        "Digitise the customer journey",
        "Souscription en ligne, application mobile, signature électronique",
        "Online subscription, mobile app, electronic signature",
    ),
    ObjectiveText(
        3,
        "Développer les compétences des experts",
        "Grow our experts' skills",
        "Formation, mentorat, communautés d'experts",
        "Training, mentoring, expert communities",
    ),
    ObjectiveText(
        4,
        "Sécuriser le système d'information",
        "Secure the information system",
        "Cybersécurité, gestion des accès, sensibilisation au phishing",
        "Cybersecurity, access management, phishing awareness",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # French, inflected differently from the objective (stems), accents dropped
        ("Nous avons renove le chauffage du batiment de Lyon pour consommer moins", 1),
        ("La nouvelle application mobile permet la souscription en ligne des contrats", 2),
        ("Un programme de mentorat pour que les experts forment les nouveaux", 3),
        ("Campagne de sensibilisation : comment reconnaître un mail de phishing", 4),
        # English text meets the English side
        ("Our customers can now sign their contract online with an electronic signature", 2),
        ("We cut the heating consumption of the head office buildings", 1),
        ("Mentoring circles where experts train newcomers", 3),
    ],
)
def test_the_right_objective_ranks_first(text, expected):
    ranked = rank(text, OBJECTIVES)
    assert ranked, text
    assert ranked[0].id == expected
    assert ranked[0].words


def test_unrelated_or_empty_text_suggests_nothing():
    assert rank("", OBJECTIVES) == []
    assert rank("le la les et de", OBJECTIVES) == []
    assert rank("Pique-nique vendredi midi au parc", OBJECTIVES) == []


def test_scores_are_ordered_and_bounded():
    ranked = rank("application mobile et signature électronique pour nos clients", OBJECTIVES)
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)


@pytest.mark.django_db
def test_suggestions_for_a_post_through_the_api(world, api_for):
    # given objectives about apps and about skills, and a post about the app
    make_objective(
        world.hr,
        world.axes["people"],
        "Former les équipes au cloud",
        title_en="Train the teams in cloud computing",
    )
    post = social.post_create(
        actor=world.author,
        body="Le lancement de l'application mobile est prévu : testez la nouvelle appli !",
    )
    # when the author asks for suggestions
    response = api_for(world.author).get(
        "/api/v1/vision/suggestions", {"kind": "post", "object_id": post.pk}
    )
    # then the mobile app objective comes first, and archived objectives never appear
    body = response.json()
    assert response.status_code == 200
    assert body[0]["objective_id"] == world.objectives["app"].pk
    assert world.objectives["old"].pk not in [s["objective_id"] for s in body]
    assert "application" in body[0]["words"] or "mobile" in body[0]["words"]


@pytest.mark.django_db
def test_suggestions_respect_visibility(world, api_for):
    hidden = api_for(world.author).get(
        "/api/v1/vision/suggestions", {"kind": "post", "object_id": world.items["secret_post"].pk}
    )
    assert (hidden.status_code, hidden.json()["code"]) == (404, "item_not_found")


@pytest.mark.django_db
def test_selector_marks_linked_objectives(world):
    suggestions = selectors.suggestions_for_text(
        text="Lancer l'application mobile", linked={world.objectives["app"].pk}
    )
    assert suggestions[0].objective == world.objectives["app"]
    assert suggestions[0].linked
