"""A small company with a vision map and one item of each linkable kind."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.test import Client

from vivier.accounts.models import User
from vivier.accounts.services import api_token_create
from vivier.opportunities.models import Opportunity
from vivier.people.models import OrgUnit
from vivier.social import services as social
from vivier.social.models import Community, Membership, Post
from vivier.vision import services
from vivier.vision.models import Axis, Objective
from vivier.voice.models import Commitment, Idea


@dataclass
class World:
    """DG > DSI > (DEV, OPS); DG > RH. An HR admin, a manager of DSI, and items of each kind."""

    units: dict[str, OrgUnit]
    hr: User
    manager: User
    author: User  # writes the post, question, idea; owns the opportunity and commitment
    animator: User  # owns the open and the secret community
    other: User  # an employee with nothing of their own
    axes: dict[str, Axis] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    items: dict[str, Any] = field(default_factory=dict)


def make_objective(hr: User, axis: Axis, title: str, **extra: Any) -> Objective:
    """An active objective for 2026 owned by HR unless told otherwise."""
    return services.objective_create(
        actor=hr,
        axis=axis,
        title_fr=title,
        title_en=extra.pop("title_en", ""),
        owner=extra.pop("owner", hr),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        **extra,
    )


@pytest.fixture
def world(make_person, make_unit, hr_admin) -> World:
    dg = make_unit("DG", "Direction générale")
    dsi = make_unit("DSI", "Direction des SI", parent=dg)
    units = {
        "DG": dg,
        "DSI": dsi,
        "DEV": make_unit("DEV", "Développement", parent=dsi),
        "OPS": make_unit("OPS", "Exploitation", parent=dsi),
        "RH": make_unit("RH", "Ressources humaines", parent=dg),
    }
    manager = make_person("manon@example.test", first_name="Manon", org_unit=dsi)
    dsi.manager = manager
    dsi.save(update_fields=["manager"])
    w = World(
        units=units,
        hr=hr_admin,
        manager=manager,
        author=make_person("anna@example.test", first_name="Anna", org_unit=units["DEV"]),
        animator=make_person("paul@example.test", first_name="Paul", org_unit=units["OPS"]),
        other=make_person("olga@example.test", first_name="Olga", org_unit=units["DEV"]),
    )
    services.vision_save(
        actor=hr_admin,
        title_fr="Ensemble vers 2030",
        title_en="Together towards 2030",
        statement_fr="Être l'assureur préféré des familles.",
        statement_en="Be the families' favourite insurer.",
    )
    w.axes["client"] = services.axis_save(actor=hr_admin, title_fr="Clients", title_en="Customers")
    w.axes["people"] = services.axis_save(actor=hr_admin, title_fr="Talents", title_en="People")
    w.objectives["digital"] = make_objective(
        hr_admin,
        w.axes["client"],
        "Digitaliser le parcours client",
        title_en="Digitise the customer journey",
        owner=manager,
    )
    w.objectives["app"] = make_objective(
        hr_admin, w.axes["client"], "Lancer l'application mobile", parent=w.objectives["digital"]
    )
    w.objectives["skills"] = make_objective(hr_admin, w.axes["people"], "Développer les talents")
    w.objectives["old"] = make_objective(hr_admin, w.axes["people"], "Ancien objectif")
    services.objective_update(
        actor=hr_admin, objective=w.objectives["old"], data={"status": "archived"}
    )
    # One item of each kind.
    open_community = social.community_create(
        actor=w.animator, name="Mobile", description="Le développement mobile.", visibility="open"
    )
    secret = social.community_create(
        actor=w.animator, name="Projet Phénix", description="Confidentiel.", visibility="secret"
    )
    w.items["community"] = open_community
    w.items["secret_community"] = secret
    w.items["post"] = social.post_create(actor=w.author, body="Notre appli mobile avance bien.")
    w.items["question"] = social.post_create(
        actor=w.author,
        kind=Post.Kind.QUESTION,
        title="Comment tester l'appli ?",
        body="Des idées ?",
    )
    w.items["secret_post"] = social.post_create(
        actor=w.animator, body="Phénix : lancement en mars.", community=secret
    )
    w.items["opportunity"] = Opportunity.objects.create(
        kind=Opportunity.Kind.PROJECT,
        title="Refonte de l'application",
        description="Trois mois pour refaire l'appli.",
        time_share_percent=20,
        start_date=date(2026, 1, 1),
        owner=w.author,
        status=Opportunity.Status.OPEN,
    )
    w.items["idea"] = Idea.objects.create(
        title="Paiement dans l'appli",
        description="Payer sa cotisation en un clic.",
        author=w.author,
    )
    w.items["commitment"] = Commitment.objects.create(
        title="Former tout le monde au mobile", owner=w.author
    )
    assert Membership.objects.filter(user=w.animator, community=secret, role="owner").exists()
    assert secret.visibility == Community.Visibility.SECRET
    return w


@pytest.fixture
def api_for(db):
    """A test client authenticated with a bearer token for the given user."""

    def make(user: User) -> Client:
        _token, secret = api_token_create(user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make
