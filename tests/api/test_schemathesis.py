"""Schemathesis over the whole API (/api/v1/): every operation, valid and invalid data, all checks.

Each operation runs the coverage phase (boundary and invalid values, unexpected methods) and the
fuzzing phase, both with positive and negative data; a stateful test then chains operations
through the links schemathesis infers (declare a skill, endorse it, withdraw, remove...). Every
default check runs; only `positive_data_acceptance` is narrowed, for one documented rule below.

Deeper local run: VIVIER_ST_MAX_EXAMPLES=300 .venv/bin/pytest tests/api/test_schemathesis.py
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings

from vivier.accounts.services import api_token_create
from vivier.people.models import Location
from vivier.people.services import endorsement_create, profile_update, skill_declare

MAX_EXAMPLES = int(os.environ.get("VIVIER_ST_MAX_EXAMPLES", "40"))
ENDORSE = "POST /api/v1/people/{person_id}/skills/{skill_id}/endorsements"

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "mode": "all",  # positive and negative data
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,  # hypothesis derandomize: the same cases on every CI run
            "database": "none",  # no replay of examples saved by earlier runs
        },
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
        },
        "operations": [
            {
                # Endorsing oneself is the documented 400 `self_endorsement`: the schema cannot
                # say "person_id is not the caller", so schema-valid data can meet that rule.
                # The other statuses are the check's defaults; no other operation is affected.
                "include-name": ENDORSE,
                "checks": {
                    "positive_data_acceptance": {
                        "expected-statuses": [
                            "2xx",
                            "3xx",
                            "400",
                            "401",
                            "403",
                            "404",
                            "409",
                            "429",
                            "5xx",
                        ]
                    }
                },
            }
        ],
    }
)

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)


@pytest.fixture
def api_headers(transactional_db, django_db_reset_sequences, make_person, make_skill, make_unit):
    """The caller's token, with people 1-4 (1 is the caller), skills 1-3 declared by all, units
    1-2, sites 1-2 and endorsements both ways: ids are reset so valid cases meet real objects."""
    me = make_person("me@example.test", first_name="Camille", last_name="Api")
    others = [make_person(first_name=name) for name in ("Bastien", "Chloé", "Driss")]
    skills = [
        make_skill("python", "Python", aliases=["py"]),
        make_skill("security", "Sécurité", "Security", kind="domain"),
        make_skill("listening", "Écoute", "Listening", kind="soft"),
    ]
    unit = make_unit("DSI", "Direction des systèmes d'information")
    make_unit("CYBER", "Cybersécurité", parent=unit)
    lyon = Location.objects.create(name="Lyon")
    Location.objects.create(name="Paris")
    for person in [me, *others]:
        profile_update(actor=person, person=person, data={"location": lyon, "languages": ["fr"]})
        for level, skill in enumerate(skills, start=1):
            skill_declare(actor=person, person=person, skill_id=skill.pk, level=level)
    # Person 2's skill 1 is endorsed by the caller, so withdrawing can succeed; 3 endorses the caller.
    endorsement_create(actor=me, person_id=others[0].pk, skill_id=skills[0].pk)
    endorsement_create(actor=others[1], person_id=me.pk, skill_id=skills[0].pk)
    _token, secret = api_token_create(user=me, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


@schema.parametrize()
# The data fixture is set up once per operation, on purpose: examples share (and change) it.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_api(case, api_headers):
    # Headers passed here are "explicit auth" to the checks: ignored_auth retries without them.
    case.call_and_validate(headers=api_headers)


@pytest.fixture
def connection_kept_across_requests():
    """Keep Django from closing the connection after each request, as its test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_api_stateful(api_headers, connection_kept_across_requests):
    class Workflow(schema.as_state_machine()):
        def setup(self):
            # Each scenario starts from the fixture data and is rolled back: the same choices
            # then meet the same responses, which hypothesis requires of the links it follows.
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            return {"headers": api_headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                headers=api_headers,
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    Workflow.run(
        settings=settings(
            max_examples=max(MAX_EXAMPLES // 2, 10),
            stateful_step_count=6,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
