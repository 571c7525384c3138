"""Shared fixtures: people, skills and clients, on the real database."""

from collections import Counter

import pytest
from django.test import Client

from vivier.accounts.models import Role
from vivier.accounts.services import api_token_create, user_set_roles
from vivier.core.text import normalize
from vivier.people.models import OrgUnit, Skill, SkillAlias
from vivier.people.services import org_unit_save, person_create

PASSWORD = "correct-horse-battery-staple"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: object, ids: list[str]) -> None:
    """Stop when tests share a node id: xdist schedules by node id and would run one of them."""
    shared = sorted(nodeid for nodeid, n in Counter(ids).items() if n > 1)
    if shared:
        pytest.exit(
            f"Tests share a node id, so under xdist all but one would silently not run: {shared}."
            " Run their files without xdist (-p no:xdist), as `make test` does for schemathesis.",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


@pytest.fixture
def make_person(db):
    """Create a person with a profile: make_person(first_name=..., email=..., **profile)."""
    counter = {"n": 0}

    def make(
        email: str | None = None,
        *,
        first_name: str = "Alex",
        last_name: str | None = None,
        roles: list[Role] | None = None,
        **profile,
    ):
        counter["n"] += 1
        n = counter["n"]
        user = person_create(
            email=email or f"person{n}@example.test",
            first_name=first_name,
            last_name=last_name or f"Martin{n}",
            password=PASSWORD,
            **profile,
        )
        if roles:
            user_set_roles(user=user, roles=roles)
        return user

    return make


@pytest.fixture
def alice(make_person):
    return make_person("alice@example.test", first_name="Alice", last_name="Durand")


@pytest.fixture
def bob(make_person):
    return make_person("bob@example.test", first_name="Bob", last_name="Lefèvre")


@pytest.fixture
def hr_admin(make_person):
    return make_person(
        "hr@example.test", first_name="Hélène", last_name="Rh", roles=[Role.HR_ADMIN]
    )


@pytest.fixture
def make_skill(db):
    """Create a taxonomy skill with its aliases."""

    def make(
        slug: str,
        label_fr: str,
        label_en: str | None = None,
        *,
        aliases=(),
        parent: Skill | None = None,
        kind: str = "technical",
    ) -> Skill:
        skill = Skill.objects.create(
            slug=slug, label_fr=label_fr, label_en=label_en or label_fr, parent=parent, kind=kind
        )
        texts = [(skill.label_fr, True), (skill.label_en, True), *[(a, False) for a in aliases]]
        seen = set()
        for text, is_label in texts:
            if normalize(text) not in seen:
                seen.add(normalize(text))
                SkillAlias.objects.create(
                    skill=skill, text=text, normalized=normalize(text), is_label=is_label
                )
        return skill

    return make


@pytest.fixture
def python_skill(make_skill):
    return make_skill("python", "Python", aliases=["py"])


@pytest.fixture
def security_skill(make_skill):
    return make_skill("security", "Sécurité", "Security", aliases=["sécurité informatique"])


@pytest.fixture
def make_unit(db):
    def make(code: str, name: str | None = None, parent: OrgUnit | None = None) -> OrgUnit:
        return org_unit_save(actor=None, unit=OrgUnit(code=code, name=name or code, parent=parent))

    return make


@pytest.fixture
def client_for():
    """A test client signed in as the given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def token_for(db):
    """A bearer Authorization header for the given user."""

    def make(user) -> dict[str, str]:
        _token, secret = api_token_create(user=user, name="tests")
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture(autouse=True)
def _card_cache_empty():
    """Start every test with no rendered post card: ids and times repeat across tests."""
    from django.core.cache import caches

    caches["cards"].clear()


@pytest.fixture(autouse=True, scope="session")
def _audit_log_flushable():
    """Let every flush of the test database (transactional tests, fixtures calling `flush`)
    empty the append-only audit log: SQLite's flush is a DELETE, which the audit trigger refuses
    unless a purge permit exists, so the flush inserts one first and empties the permits last.
    (PostgreSQL's flush is a TRUNCATE, which the trigger does not guard.)"""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    # Through the backend's base module: importing `operations` first is a circular import.
    from django.db.backends.sqlite3.base import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if "audit_auditevent" not in tables:
            return statements
        permits = [s for s in statements if "audit_purgepermit" in s]
        others = [s for s in statements if "audit_purgepermit" not in s]
        grant = "INSERT INTO audit_purgepermit (granted_at) VALUES (CURRENT_TIMESTAMP);"
        return [grant, *others, *permits]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original
