"""A small company for the voice tests: units of different sizes, a manager, HR."""

from dataclasses import dataclass, field

import pytest
from django.test import Client

from vivier.accounts.models import User
from vivier.accounts.services import api_token_create
from vivier.people.models import OrgUnit
from vivier.voice import services
from vivier.voice.models import Survey


@dataclass
class Company:
    """Units: DG > DSI > (DEV: 6 people, OPS: 6 people), DG > RH (5), DG > LAB (2)."""

    units: dict[str, OrgUnit]
    people: dict[str, list[User]] = field(default_factory=dict)
    manager: User | None = None  # manages DSI
    hr: User | None = None

    @property
    def everyone(self) -> list[User]:
        return [p for members in self.people.values() for p in members]


@pytest.fixture
def company(make_person, make_unit, hr_admin) -> Company:
    dg = make_unit("DG", "Direction générale")
    dsi = make_unit("DSI", "Direction des SI", parent=dg)
    units = {
        "DG": dg,
        "DSI": dsi,
        "DEV": make_unit("DEV", "Développement", parent=dsi),
        "OPS": make_unit("OPS", "Exploitation", parent=dsi),
        "RH": make_unit("RH", "Ressources humaines", parent=dg),
        "LAB": make_unit("LAB", "Laboratoire", parent=dg),
    }
    world = Company(units=units, hr=hr_admin)
    for code, size in (("DEV", 6), ("OPS", 6), ("RH", 5), ("LAB", 2)):
        world.people[code] = [
            make_person(
                f"{code.lower()}{n}@example.test", first_name=code.title(), org_unit=units[code]
            )
            for n in range(size)
        ]
    world.manager = make_person("manager@example.test", first_name="Manon", org_unit=dsi)
    dsi.manager = world.manager
    dsi.save(update_fields=["manager"])
    return world


def make_survey(
    hr: User, *, kinds=("likert", "enps"), k: int = 5, audience=None, recurrence: int = 0
) -> Survey:
    """A launched survey with one question of each kind given."""
    survey = services.survey_create(
        actor=hr,
        title="Baromètre",
        min_group_size=k,
        audience=[u.pk for u in audience or []],
        recurrence_days=recurrence,
    )
    for kind in kinds:
        choices = [{"fr": "Oui", "en": "Yes"}, {"fr": "Non", "en": "No"}, {"fr": "Peut-être"}]
        services.question_add(
            actor=hr,
            survey=survey,
            kind=kind,
            text_fr=f"Question {kind}",
            choices=choices if kind in ("single", "multiple") else None,
        )
    return services.survey_launch(actor=hr, survey=survey)


def answer(survey: Survey, person: User, value: int = 4, text: str = "") -> None:
    """`person` answers every question of `survey` with `value` (or an index/text)."""
    answers = {}
    for question in survey.questions.all():
        if question.kind == "likert":
            answers[question.pk] = value
        elif question.kind == "enps":
            answers[question.pk] = min(10, value * 2)
        elif question.kind == "single":
            answers[question.pk] = value % 3
        elif question.kind == "multiple":
            answers[question.pk] = [0, value % 3]
        else:
            answers[question.pk] = text
    services.response_submit(actor=person, survey=survey, answers=answers)


@pytest.fixture
def api_for(db):
    """A test client authenticated with a bearer token for the given user."""

    def make(user: User) -> Client:
        _token, secret = api_token_create(user=user, name="tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make
