"""The read-replica router: which alias each read goes to, and read-your-writes.

The test settings declare `replica` as a mirror of the test database. Inside a test's
transaction the replica alias is given the primary's connection (a second connection would not
see the uncommitted test data), and the router's choices are recorded; the last test reads
through a real second connection.
"""

import pytest
from django.db import connections, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from vivier.accounts.models import User
from vivier.scale import router
from vivier.scale.router import PIN_COOKIE, ReplicaRouter

pytestmark = pytest.mark.django_db


@pytest.fixture
def choices(monkeypatch):
    """The aliases the router picks for reads, in order."""
    picked: list[str] = []
    real = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = real(self, model, **hints)
        picked.append(alias)
        return alias

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    return picked


def _aliases(choices, run):
    """Run `run` and say how many reads the router sent to the primary and to the replica."""
    router.reset_context()  # a new request: the fixtures' writes do not pin it
    choices.clear()
    with CaptureQueriesContext(connections["default"]):
        run()
    return choices.count("default"), choices.count("replica")


@pytest.fixture
def replica_on(settings):
    settings.VIVIER_READ_REPLICA = True
    real = connections["replica"]
    connections["replica"] = connections["default"]
    router.reset_context()
    yield
    router.reset_context()
    connections["replica"] = real


def test_without_a_replica_everything_reads_the_primary(settings):
    settings.VIVIER_READ_REPLICA = False
    router.reset_context()
    assert ReplicaRouter().db_for_read(User) == "default"
    assert ReplicaRouter().db_for_write(User) == "default"


def test_reads_go_to_the_replica_and_writes_to_the_primary(replica_on, choices, alice):
    router.reset_context()
    assert ReplicaRouter().db_for_read(User) == "replica"
    primary, replica = _aliases(choices, lambda: list(User.objects.filter(pk=alice.pk)))
    assert (primary, replica) == (0, 1)


def test_after_a_write_the_same_context_reads_the_primary(replica_on, choices, alice):
    primary, replica = _aliases(
        choices,
        lambda: (
            User.objects.filter(pk=alice.pk).update(first_name="Alicia"),
            list(User.objects.filter(pk=alice.pk)),
        ),
    )
    assert (primary, replica) == (1, 0)
    assert router.is_pinned()


def test_reads_inside_a_transaction_go_to_the_primary(replica_on, choices, alice):
    def run():
        with transaction.atomic():
            list(User.objects.filter(pk=alice.pk))

    primary, replica = _aliases(choices, run)
    assert replica == 0 and primary >= 1


def test_related_rows_of_a_primary_row_come_from_the_primary(replica_on, alice):
    row = User.objects.using("default").get(pk=alice.pk)
    assert ReplicaRouter().db_for_read(User, instance=row) == "default"


def test_migrations_only_run_on_the_primary():
    assert ReplicaRouter().allow_migrate("default", "people") is True
    assert ReplicaRouter().allow_migrate("replica", "people") is False


def test_a_get_reads_the_replica_and_a_post_pins_the_browser(replica_on, choices, alice):
    client = Client()
    client.force_login(alice)
    primary, replica = _aliases(choices, lambda: client.get("/people/"))
    assert replica > 0
    # A write (here: the language preference form) sets the pin cookie...
    response = client.post("/accounts/language/", {"language": "en", "next": "/people/"})
    assert response.status_code in (200, 302)
    assert PIN_COOKIE in response.cookies
    assert response.cookies[PIN_COOKIE]["max-age"] == 10
    # ...so the next page, within the pin time, reads its own write from the primary.
    primary, replica = _aliases(choices, lambda: client.get("/people/"))
    assert replica == 0 and primary > 0
    # Once the cookie has expired, reads go back to the replica.
    client.cookies.pop(PIN_COOKIE)
    primary, replica = _aliases(choices, lambda: client.get("/people/"))
    assert replica > 0


def test_no_pin_cookie_without_a_replica(settings, alice):
    settings.VIVIER_READ_REPLICA = False
    client = Client()
    client.force_login(alice)
    response = client.post("/accounts/language/", {"language": "en", "next": "/people/"})
    assert PIN_COOKIE not in response.cookies


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
@override_settings(VIVIER_READ_REPLICA=True)
def test_the_replica_connection_serves_committed_data(make_person):
    router.reset_context()
    person = make_person("replica@example.test")
    router.reset_context()  # a new request: not pinned by the write above
    assert User.objects.filter(pk=person.pk).exists()
    assert User.objects.db_manager("replica").filter(pk=person.pk).exists()
    router.reset_context()
