"""SCIM 2.0 endpoints (RFC 7644) at /scim/v2/: discovery, Users, Groups; errors as SCIM Errors."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    Error,
    ETag,
    Filter,
    InvalidSyntaxException,
    InvalidValueException,
    Meta,
    NotFoundException,
    Patch,
    PatchOp,
    PreconditionFailedException,
    ResourceType,
    SchemaExtension,
    SCIMException,
    SearchRequest,
    ServiceProviderConfig,
    Sort,
)

from vivier.integration.scim import services
from vivier.integration.scim.filters import filter_to_q
from vivier.integration.scim.resources import (
    ENTERPRISE_SCHEMA,
    GROUP_SCHEMA,
    USER_SCHEMA,
    EnterpriseUser,
    Group,
    User,
)
from vivier.integration.scim.tokens import scim_token_authenticate

CONTENT_TYPE = "application/scim+json"
DEFAULT_COUNT = 100
MAX_COUNT = 500
MAX_BODY = 1024 * 1024
UserResource = User[EnterpriseUser]


def _json(data: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(data), status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    """An RFC 7644 §3.12 error body."""
    body: dict[str, Any] = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": str(status),
        "detail": detail,
    }
    if scim_type:
        body["scimType"] = scim_type
    response = _json(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/scim/v2").rstrip("/")


def scim_endpoint(*methods: str) -> Callable[..., Any]:
    """Authenticate the SCIM token, allow `methods`, and turn every failure into a SCIM Error."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @login_not_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            header = request.META.get("HTTP_AUTHORIZATION", "")
            token = (
                scim_token_authenticate(secret=header[7:].strip())
                if header[:7].lower() == "bearer "
                else None
            )
            if token is None:
                return error_response(
                    401, "Send a valid SCIM token as 'Authorization: Bearer <token>'."
                )
            if request.method not in methods:
                response = error_response(405, f"Allowed methods: {', '.join(methods)}.")
                response["Allow"] = ", ".join(methods)
                return response
            ctx = services.ScimContext(token=token, base_url=_base_url(request))
            try:
                return view(request, ctx, *args, **kwargs)
            except SCIMException as exc:
                return error_response(exc.status, exc.detail, exc.scim_type or None)
            except ValidationError as exc:
                error = Error.from_validation_errors(exc)[0]
                return error_response(
                    400, error.detail or "Invalid payload.", error.scim_type or "invalidValue"
                )

        return wrapper

    return decorator


def _body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > MAX_BODY:
        raise InvalidValueException(detail="The request body is too large.")
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidSyntaxException(detail="The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidSyntaxException(detail="The request body must be a JSON object.")
    return data


def _check_version(request: HttpRequest, version: int) -> None:
    """Honour If-Match: refuse a write based on an older version (412)."""
    wanted = request.META.get("HTTP_IF_MATCH")
    if (
        wanted
        and wanted.strip() != "*"
        and services.etag(version) not in [v.strip() for v in wanted.split(",")]
    ):
        raise PreconditionFailedException(detail="The resource changed since it was read.")


def _dump(resource: Any, ctx_kind: Context, params: Any = None) -> dict[str, Any]:
    return resource.model_dump(scim_ctx=ctx_kind, response_parameters=params)


def _resource_response(
    resource: Any, *, status: int, ctx_kind: Context, params: Any = None
) -> HttpResponse:
    headers = {"ETag": resource.meta.version, "Location": resource.meta.location}
    return _json(_dump(resource, ctx_kind, params), status=status, headers=headers)


# Discovery.


def _service_provider_config(ctx: services.ScimContext) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri="https://github.com/vivier/vivier/blob/main/docs/integration.md",
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_COUNT),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=True),
        etag=ETag(supported=True),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A SCIM token created by an IT administrator in Vivier.",
                primary=True,
            )
        ],
        meta=Meta(
            resource_type="ServiceProviderConfig", location=f"{ctx.base_url}/ServiceProviderConfig"
        ),
    )


def _resource_types(ctx: services.ScimContext) -> list[ResourceType]:
    return [
        ResourceType(
            id="User",
            name="User",
            endpoint="/Users",
            description="People",
            schema_=USER_SCHEMA,
            schema_extensions=[SchemaExtension(schema_=ENTERPRISE_SCHEMA, required=False)],
            meta=Meta(resource_type="ResourceType", location=f"{ctx.base_url}/ResourceTypes/User"),
        ),
        ResourceType(
            id="Group",
            name="Group",
            endpoint="/Groups",
            description="Roles (hr_admin, it_admin) and org units",
            schema_=GROUP_SCHEMA,
            meta=Meta(resource_type="ResourceType", location=f"{ctx.base_url}/ResourceTypes/Group"),
        ),
    ]


def _schemas(ctx: services.ScimContext) -> list[Any]:
    schemas = []
    for model in (User, EnterpriseUser, Group):
        schema = model.to_schema()
        schema.meta = Meta(resource_type="Schema", location=f"{ctx.base_url}/Schemas/{schema.id}")
        schemas.append(schema)
    return schemas


def _list(resources: list[Any]) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": [r.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for r in resources],
    }


@scim_endpoint("GET")
def service_provider_config(request: HttpRequest, ctx: services.ScimContext) -> HttpResponse:
    """What this server supports."""
    return _json(_service_provider_config(ctx).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@scim_endpoint("GET")
def resource_types(
    request: HttpRequest, ctx: services.ScimContext, type_id: str = ""
) -> HttpResponse:
    """The resource types (User, Group), or one of them."""
    types = _resource_types(ctx)
    if not type_id:
        return _json(_list(types))
    found = next((t for t in types if t.id == type_id), None)
    if found is None:
        raise NotFoundException(detail=f"Resource type {type_id} not found.")
    return _json(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@scim_endpoint("GET")
def schemas(request: HttpRequest, ctx: services.ScimContext, schema_id: str = "") -> HttpResponse:
    """The schemas Vivier serves, or one of them."""
    all_schemas = _schemas(ctx)
    if not schema_id:
        return _json(_list(all_schemas))
    found = next((s for s in all_schemas if s.id == schema_id), None)
    if found is None:
        raise NotFoundException(detail=f"Schema {schema_id} not found.")
    return _json(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


# Queries shared by GET lists and POST /.search.


def _query_parameters(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key in (
        "filter",
        "sortBy",
        "sortOrder",
        "startIndex",
        "count",
        "attributes",
        "excludedAttributes",
    ):
        if key in request.GET:
            value: Any = request.GET[key]
            if key in ("attributes", "excludedAttributes"):
                value = [a.strip() for a in value.split(",") if a.strip()]
            params[key] = value
    return params


def _int(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidValueException(detail=f"{name} must be an integer.") from None


def _search(
    request: HttpRequest, ctx: services.ScimContext, kind: str, params: dict[str, Any]
) -> HttpResponse:
    for key in ("attributes", "excludedAttributes"):
        value = params.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(isinstance(v, str) for v in value)
        ):
            raise InvalidValueException(detail=f"{key} must be a list of attribute names.")
    try:
        search = SearchRequest.model_validate(
            {k: v for k, v in params.items() if k in ("attributes", "excludedAttributes")},
            scim_ctx=Context.SEARCH_REQUEST,
        )
    except ValidationError as exc:
        raise InvalidValueException(
            detail=str(Error.from_validation_errors(exc)[0].detail)
        ) from None
    fields = services.USER_FIELDS if kind == "User" else services.GROUP_FIELDS
    queryset = services.users_queryset() if kind == "User" else services.groups_queryset()
    expression = params.get("filter")
    if expression is not None:
        if not isinstance(expression, str) or not expression.strip():
            raise InvalidValueException(detail="filter must be a non-empty string.")
        queryset = queryset.filter(filter_to_q(expression, fields)).distinct()
    sort_by = params.get("sortBy")
    order = params.get("sortOrder") or "ascending"
    if order not in ("ascending", "descending"):
        raise InvalidValueException(detail="sortOrder is ascending or descending.")
    if sort_by:
        field = fields.get(str(sort_by).lower())
        if field is None:
            raise InvalidValueException(detail=f"Sorting by {sort_by} is not supported.")
        queryset = queryset.order_by(("-" if order == "descending" else "") + field.lookup, "pk")
    else:
        queryset = queryset.order_by("pk")
    start = max(1, _int(params.get("startIndex"), "startIndex", 1))
    count = min(MAX_COUNT, max(0, _int(params.get("count"), "count", DEFAULT_COUNT)))
    total = queryset.count()
    page = list(queryset[start - 1 : start - 1 + count]) if count else []
    resources = (
        services.user_resources(page, ctx)
        if kind == "User"
        else services.group_resources(page, ctx)
    )
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": [_dump(r, Context.SEARCH_RESPONSE, search) for r in resources],
    }
    return _json(body)


def _model(kind: str) -> Any:
    return UserResource if kind == "User" else Group


def _get(kind: str, ident: str) -> Any:
    return services.user_get(ident) if kind == "User" else services.group_get(ident)


def _resource(kind: str, obj: Any, ctx: services.ScimContext) -> Any:
    return (
        services.user_resources([obj], ctx)[0]
        if kind == "User"
        else services.group_resources([obj], ctx)[0]
    )


def _version(kind: str, obj: Any) -> int:
    return obj.scim_identity.version if kind == "User" else obj.version


def _save(kind: str, ctx: services.ScimContext, data: Any, obj: Any = None) -> Any:
    if kind == "User":
        return services.user_save(ctx=ctx, data=data, user=obj)
    return services.group_save(ctx=ctx, data=data, group=obj)


def _collection(kind: str) -> Callable[..., HttpResponse]:
    @scim_endpoint("GET", "POST")
    def view(request: HttpRequest, ctx: services.ScimContext) -> HttpResponse:
        if request.method == "GET":
            return _search(request, ctx, kind, _query_parameters(request))
        data = _model(kind).model_validate(
            _body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST
        )
        obj = _save(kind, ctx, data)
        obj = _get(kind, str(obj.pk))
        return _resource_response(
            _resource(kind, obj, ctx), status=201, ctx_kind=Context.RESOURCE_CREATION_RESPONSE
        )

    view.__name__ = f"{kind.lower()}s"
    view.__doc__ = f"List (with filter, sort, pages) or create {kind}s."
    return view


def _search_view(kind: str) -> Callable[..., HttpResponse]:
    @scim_endpoint("POST")
    def view(request: HttpRequest, ctx: services.ScimContext) -> HttpResponse:
        return _search(request, ctx, kind, _body(request))

    view.__name__ = f"{kind.lower()}_search"
    view.__doc__ = f"POST /{kind}s/.search: the same query as GET, in the body."
    return view


def _item(kind: str) -> Callable[..., HttpResponse]:
    @scim_endpoint("GET", "PUT", "PATCH", "DELETE")
    def view(request: HttpRequest, ctx: services.ScimContext, ident: str) -> HttpResponse:
        if request.method == "GET":
            obj = _get(kind, ident)
            resource = _resource(kind, obj, ctx)
            if request.META.get("HTTP_IF_NONE_MATCH") == resource.meta.version:
                return HttpResponse(status=304)
            params = _query_parameters(request)
            search = SearchRequest.model_validate(
                {k: v for k, v in params.items() if k in ("attributes", "excludedAttributes")},
                scim_ctx=Context.SEARCH_REQUEST,
            )
            return _resource_response(
                resource, status=200, ctx_kind=Context.RESOURCE_QUERY_RESPONSE, params=search
            )
        with transaction.atomic():
            obj = _get(kind, ident)
            _check_version(request, _version(kind, obj))
            if request.method == "DELETE":
                if kind == "User":
                    services.user_delete(ctx=ctx, user=obj)
                else:
                    services.group_delete(ctx=ctx, group=obj)
                return HttpResponse(status=204)
            if request.method == "PUT":
                data = _model(kind).model_validate(
                    _body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
                )
                response_kind = Context.RESOURCE_REPLACEMENT_RESPONSE
            else:
                patch = PatchOp[_model(kind)].model_validate(
                    _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
                )
                data = _resource(kind, obj, ctx)
                patch.patch(data)
                response_kind = Context.RESOURCE_PATCH_RESPONSE
            _save(kind, ctx, data, obj)
        obj = _get(kind, ident)
        return _resource_response(_resource(kind, obj, ctx), status=200, ctx_kind=response_kind)

    view.__name__ = f"{kind.lower()}_item"
    view.__doc__ = f"Read, replace, patch or delete one {kind}."
    return view


users = _collection("User")
groups = _collection("Group")
user_search = _search_view("User")
group_search = _search_view("Group")
user_item = _item("User")
group_item = _item("Group")


@scim_endpoint("POST")
def root_search(request: HttpRequest, ctx: services.ScimContext) -> HttpResponse:
    """Searching Users and Groups at once is not supported (RFC 7644 §3.4.3 allows 501)."""
    return error_response(501, "Search Users or Groups separately.")


@csrf_exempt
@login_not_required
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other SCIM path."""
    return error_response(404, "No such SCIM endpoint.")
