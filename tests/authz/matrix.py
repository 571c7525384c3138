"""The matrix machinery: enumerate endpoints, fill their parameters, run them as every role."""

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz.world import ROLES, World

# URL parameters -> World.ids keys; a dict value there means one variant per key.
PARAMS = {
    "person_id": "person",
    "user_id": "person",
    "mentor_id": "mentor",
    "mentee_id": "person",
    "skill_id": "skill",
    "unit_id": "unit",
    "post_id": "post",
    "comment_id": "comment",
    "attachment_id": "attachment",
    "name": "tag",
    "question_id": "question",
    "answer_id": "answer",
    "survey_id": "survey",
    "idea_id": "idea",
    "commitment_id": "commitment",
    "mentorship_id": "mentorship",
    "opportunity_id": "opportunity",
    "application_id": "application",
    "domain_id": "domain",
    "nomination_id": "nomination",
    "evidence_id": "evidence",
    "award_id": "award",
    "path_id": "path",
    "step_id": "step",
    "enrolment_id": "enrolment",
    "progress_id": "progress",
    "event_id": "event",
    "community_id": "community_id",
    "axis_id": "axis",
    "objective_id": "objective",
    "indicator_id": "indicator",
    "link_id": "link",
    "task_id": "journey_task",
    "tip_id": "journey_tip",
}
# Parameters whose meaning depends on the route.
ROUTE_PARAMS: dict[str, dict[str, Any]] = {
    "people:skill": {"slug": "skill_slug"},
    "social:community": {"slug": "community"},
    "social:community_edit": {"slug": "community"},
    "social:community_membership": {"slug": "community"},
    "social:community_members": {"slug": "community"},
    "social:follow": {"kind": "=person", "key": "person"},
    "mentoring:programme": {"programme_id": "mentoring_programme"},
    "mentoring:programme_action": {"programme_id": "mentoring_programme", "action": "=publish"},
    "mentoring:mentorship_action": {"action": "=end"},
    "programme:visibility_add": {"kind": "=seat"},
    "accounts:token_revoke": {"token_id": "token_owner"},
    "accounts:password_reset_confirm": {"uidb64": "=MQ", "token": "=set-password"},
    "GET /api/v1/mentoring/programmes/{programme_id}": {"programme_id": "mentoring_programme"},
    "POST /api/v1/mentoring/programmes/{programme_id}/assign": {
        "programme_id": "mentoring_programme"
    },
    "PUT /api/v1/mentoring/programmes/{programme_id}/assignments/{mentee_id}": {
        "programme_id": "mentoring_programme"
    },
    "POST /api/v1/mentoring/programmes/{programme_id}/publish": {
        "programme_id": "mentoring_programme"
    },
    "POST /api/v1/mentoring/programmes/{programme_id}/close": {
        "programme_id": "mentoring_programme"
    },
    "POST /api/v1/follows/{kind}/{key}": {"kind": "=person", "key": "person"},
    "DELETE /api/v1/follows/{kind}/{key}": {"kind": "=person", "key": "person"},
    "vision:links": {"kind": "=post", "object_id": "post"},
    "journey:unsubscribe": {"token": "journey_token"},
    "integration:scim_token_revoke": {"token_id": "scim_token"},
    # SCIM authenticates with its own bearer token, never a session: ids need not exist.
    "scim:resource_type": {"type_id": "=User"},
    "scim:schema": {"schema_id": "=urn:ietf:params:scim:schemas:core:2.0:User"},
    "scim:user": {"ident": "=1"},
    "scim:group": {"ident": "=1"},
    "scim:not_found": {"rest": "=Unknown"},
}
LOGIN_URL = "/accounts/login/"
# Routes outside the matrix: Django's admin has its own test (staff only).
SKIPPED_PREFIXES = ("admin/", "api/v1/")


@dataclass(frozen=True)
class Endpoint:
    """One route (HTML: `namespace:name`; API: `METHOD /path`) and its URL template."""

    key: str
    template: str  # "/posts/{post_id}/" with {name} placeholders
    params: tuple[str, ...]
    module: str  # which table holds its row
    api: bool


_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def html_endpoints() -> list[Endpoint]:
    """Every named page route, from Django's URL resolver."""
    found: list[Endpoint] = []

    def walk(patterns: Any, prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    prefix + str(pattern.pattern),
                    pattern.namespace or namespace,
                )
                continue
            assert isinstance(pattern, URLPattern)
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            template = "/" + _CONVERTER.sub(r"{\1}", route)
            params = tuple(_CONVERTER.findall(route))
            module = (namespace or "core").split("_")[0]
            found.append(Endpoint(name, template, params, module, api=False))

    walk(get_resolver().url_patterns, "", None)
    return found


def api_endpoints() -> list[Endpoint]:
    """Every operation of the JSON API, from its OpenAPI schema."""
    from vivier.api import api

    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = tuple(re.findall(r"{(\w+)}", path))
            module = (operation.get("tags") or ["core"])[0]
            key = f"{method.upper()} {path}"
            found.append(Endpoint(key, path, params, module, api=True))
    return found


def variants(endpoint: Endpoint, world: World) -> dict[str, dict[str, Any]]:
    """The parameter sets to try: one per variant of the objects in the URL ("" when one)."""
    overrides = ROUTE_PARAMS.get(endpoint.key, {})
    fixed: dict[str, Any] = {}
    varying: dict[str, dict[str, Any]] = {}
    for name in endpoint.params:
        source = overrides.get(name, PARAMS.get(name))
        if source is None:
            raise KeyError(f"{endpoint.key}: no value for the URL parameter {name!r}")
        if source.startswith("="):
            fixed[name] = source[1:]
            continue
        value = world.ids[source]
        if isinstance(value, dict):
            varying[name] = value
        else:
            fixed[name] = value
    if not varying:
        return {"": fixed}
    (name, values), *rest = varying.items()
    assert not rest, f"{endpoint.key}: one varying parameter at most"
    return {variant: fixed | {name: value} for variant, value in values.items()}


def parse_spec(spec: str) -> dict[str, str]:
    """'anon,off:login emp:403 *:200' -> the status for every role."""
    statuses: dict[str, str] = {}
    default = None
    for part in spec.split():
        roles, status = part.rsplit(":", 1)
        for role in roles.split(","):
            if role == "*":
                default = status
            else:
                assert role in ROLES, f"unknown role {role!r} in {spec!r}"
                statuses[role] = status
    for role in ROLES:
        if role not in statuses:
            assert default is not None, f"no status for {role} in {spec!r}"
            statuses[role] = default
    return statuses


def format_spec(statuses: dict[str, str]) -> str:
    """The compact spec of a role -> status map (the most common status as `*`)."""
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    common = max(counts, key=lambda s: (counts[s], s))
    groups: dict[str, list[str]] = {}
    for role in ROLES:
        if statuses[role] != common:
            groups.setdefault(statuses[role], []).append(role)
    parts = [f"{','.join(roles)}:{status}" for status, roles in sorted(groups.items())]
    return " ".join([*parts, f"*:{common}"])


def request(world: World, role: str, endpoint: Endpoint, method: str, kwargs: dict) -> str:
    """The status `role` gets for `method` on the endpoint ("login" for a redirect to the
    sign-in page); every change is rolled back."""
    url = endpoint.template.format(**kwargs)
    session_role = "anon" if endpoint.api else role
    client = world.clients[session_role]
    # A sign-out or sign-in answer replaces the cookie: every request starts from the original.
    client.cookies = copy.deepcopy(world.cookies[session_role])
    headers = {}
    if endpoint.api and role != "anon":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.tokens[role]}"
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, **headers)
        elif endpoint.api:
            response = client.generic(method, url, b"{}", "application/json", **headers)
        else:
            response = client.post(url, {}, **headers)
        transaction.set_rollback(True)
    if response.status_code == 302 and response["Location"].startswith(LOGIN_URL):
        return "login"
    return str(response.status_code)


def run(world: World, endpoint: Endpoint, method: str, row: Any) -> Iterator[str]:
    """Every difference between the row's expectations and what each role gets."""
    combos = variants(endpoint, world)
    specs = row if isinstance(row, dict) else {"": row}
    if set(specs) != set(combos):
        yield f"{endpoint.key} {method}: variants {sorted(specs)} expected {sorted(combos)}"
        return
    for variant, kwargs in combos.items():
        expected = parse_spec(specs[variant])
        for role in ROLES:
            got = request(world, role, endpoint, method, kwargs)
            if got != expected[role]:
                label = f"[{variant}]" if variant else ""
                yield f"{endpoint.key} {method}{label} as {role}: got {got}, expected {expected[role]}"


def record(world: World, endpoint: Endpoint, methods: list[str]) -> dict[str, Any]:
    """What every role gets now, as table rows to review (VIVIER_AUTHZ_RECORD=1)."""
    out: dict[str, Any] = {}
    for method in methods:
        rows = {}
        for variant, kwargs in variants(endpoint, world).items():
            rows[variant] = format_spec(
                {role: request(world, role, endpoint, method, kwargs) for role in ROLES}
            )
        out[method] = rows[""] if list(rows) == [""] else rows
    return out
