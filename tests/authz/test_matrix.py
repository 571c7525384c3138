"""Authorization matrix: every role x every kind of object x every endpoint, HTML and API.

Roles (tests/authz/world.py): `anon` (signed out), `emp` (an employee with no link to the
object), `owner` (author, owner or subject of every object), `member` (member of the closed and
secret communities the objects live in), `manager` (manages the owner), `hr` (HR admin), `it`
(IT admin), `off` (a deactivated account, whose session and token were ended).

Endpoints are enumerated, not listed by hand: page routes from Django's URL resolver, API
operations from the ninja OpenAPI schema. `test_every_endpoint_has_expectations` fails when an
endpoint has no row (or a row names an endpoint that no longer exists), so a new endpoint cannot
ship without saying who may call it.

Rows live in `tests/authz/tables/<module>.py` (module = URL namespace for pages, the router's
OpenAPI tag for the API):

    HTML = {"social:post": {"GET": {"public": "anon,off:login *:200", "secret": "..."}}}
    API = {"GET /api/v1/posts/{post_id}": {"public": "anon,off:401 *:200", ...}}

A spec lists `roles:status` groups, `*` being every other role. Objects that live in
communities are tried in each visibility (`public`/`open`, `closed`, `secret`): one spec per
variant. Pages are tried with GET, and with POST (an empty form) where the view accepts it;
API writes are sent an empty JSON object, so a refused role must be stopped before validation
(401/403/404) while an allowed one reaches it (400/422) or succeeds. Every request runs in a
savepoint that is rolled back, so rows do not depend on each other.

The tables are split in two parts balanced by cost (`share`), one per test file (this one and
`test_matrix_part2.py`), so that CI's `-n 2 --dist loadfile` runs each half on its own worker.

Adding rows (e.g. for a new app `journey`):
    VIVIER_AUTHZ_RECORD=1 .venv/bin/pytest tests/authz -k record -q
writes `tests/authz/recorded/<module>.py` with what every role gets today for every endpoint
that has no row yet. Review each line (is a 200 for `emp` on a secret object a leak?), then
copy the rows into `tests/authz/tables/<module>.py`. New URL parameters are mapped to world
objects in `PARAMS` / `ROUTE_PARAMS` (tests/authz/matrix.py) and the objects created in
`build_world` (tests/authz/world.py).
"""

import importlib
import os
import pkgutil
import pprint
from pathlib import Path

import pytest
from django.urls import get_resolver

from tests.authz import tables
from tests.authz.matrix import Endpoint, api_endpoints, html_endpoints, record, run
from tests.authz.world import ROLES


def load_tables() -> dict[str, object]:
    return {
        info.name: importlib.import_module(f"tests.authz.tables.{info.name}")
        for info in pkgutil.iter_modules(tables.__path__)
    }


TABLES = load_tables()


def rows() -> dict[str, tuple[str, object]]:
    """Every row: endpoint key -> (module, row)."""
    found: dict[str, tuple[str, object]] = {}
    for module, table in TABLES.items():
        for key, row in {**getattr(table, "HTML", {}), **getattr(table, "API", {})}.items():
            assert key not in found, f"{key} has rows in {found[key][0]} and {module}"
            found[key] = (module, row)
    return found


def endpoints() -> dict[str, Endpoint]:
    return {e.key: e for e in [*html_endpoints(), *api_endpoints()]}


def test_every_endpoint_has_expectations():
    live, expected = endpoints(), rows()
    missing = sorted(set(live) - set(expected))
    stale = sorted(set(expected) - set(live))
    assert not missing, (
        f"Endpoints without a row in tests/authz/tables (see the docstring): {missing}"
    )
    assert not stale, f"Rows for endpoints that no longer exist: {stale}"


def cost(module: str) -> int:
    """Roughly how many requests a module's rows make (variants count)."""
    table = TABLES[module]
    total = 0
    for methods in getattr(table, "HTML", {}).values():
        total += sum(len(row) if isinstance(row, dict) else 1 for row in methods.values())
    total += sum(
        len(row) if isinstance(row, dict) else 1 for row in getattr(table, "API", {}).values()
    )
    return total


def share(part: int, parts: int = 2) -> list[str]:
    """The modules of one part, balanced by cost: CI's `-n 2 --dist loadfile` runs each part's
    file on its own worker, each building its own world."""
    loads = [0] * parts
    chosen: list[list[str]] = [[] for _ in range(parts)]
    for module in sorted(TABLES, key=lambda m: (-cost(m), m)):
        lightest = loads.index(min(loads))
        loads[lightest] += cost(module)
        chosen[lightest].append(module)
    return sorted(chosen[part])


def check_module(world, module: str) -> None:
    """Run every row of one module's table and fail with every difference at once."""
    live = endpoints()
    table = TABLES[module]
    problems: list[str] = []
    for key, methods in getattr(table, "HTML", {}).items():
        for method, row in methods.items():
            problems.extend(run(world, live[key], method, row))
    for key, row in getattr(table, "API", {}).items():
        problems.extend(run(world, live[key], key.split()[0], row))
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("module", share(0))
def test_matrix(world, module):
    check_module(world, module)


@pytest.mark.django_db
def test_admin_is_for_staff_only(world):
    """No matrix role is staff: every page of Django's admin sends them to its sign-in."""
    resolver = get_resolver()
    admin = next(p for p in resolver.url_patterns if str(p.pattern) == "admin/")
    urls = ["/admin/"]
    for pattern in admin.url_patterns:
        route = str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            for sub in pattern.url_patterns:
                sub_route = str(sub.pattern)
                if "<" not in sub_route and "(?P" not in sub_route:
                    urls.append(f"/admin/{route}{sub_route}".replace("^", "").replace("$", ""))
    assert len(urls) > 40
    for role in ROLES:
        client = world.clients[role]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302, f"{url} as {role}: {response.status_code}"
            # The sign-in page: Vivier's for the signed-out, the admin's for the signed-in.
            assert response["Location"].startswith(("/admin/login/", "/accounts/login/")), (
                f"{url} as {role}"
            )


@pytest.mark.skipif(not os.environ.get("VIVIER_AUTHZ_RECORD"), reason="VIVIER_AUTHZ_RECORD unset")
@pytest.mark.django_db
def test_record(world):
    """Write what every role gets for endpoints without a row, for review (not a check)."""
    expected = rows()
    out: dict[str, dict[str, dict]] = {}
    everything = os.environ["VIVIER_AUTHZ_RECORD"] == "all"
    for key, endpoint in endpoints().items():
        if key in expected and not everything:
            continue
        table = out.setdefault(endpoint.module, {"HTML": {}, "API": {}})
        if endpoint.api:
            table["API"][key] = record(world, endpoint, [key.split()[0]])[key.split()[0]]
        else:
            got = record(world, endpoint, ["GET", "POST"])
            # Keep POST only where the view treats it differently from GET.
            if got["GET"] == got["POST"] and "405" not in str(got["GET"]):
                got.pop("POST")
            table["HTML"][key] = got
    folder = Path(__file__).parent / "recorded"
    folder.mkdir(exist_ok=True)
    for module, table in out.items():
        text = (
            '"""Recorded by test_record: review every line before copying it into tables/."""\n\n'
        )
        for name in ("HTML", "API"):
            text += f"{name} = {pprint.pformat(table[name], width=100, sort_dicts=False)}\n\n"
        (folder / f"{module}.py").write_text(text)
