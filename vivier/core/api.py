"""API building blocks: the error body, status maps, input bounds, exception handlers, JSON 405."""

from collections.abc import Callable
from functools import wraps
from inspect import iscoroutinefunction
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema
from pydantic import BeforeValidator, ModelWrapValidatorHandler, model_validator
from pydantic_core import PydanticCustomError

from vivier.core.errors import ApplicationError

# Ids are 64-bit: bounding them keeps huge numbers a clean 4xx on every database.
from vivier.core.ids import MAX_ID as MAX_ID

# PostgreSQL cannot store or compare text holding NUL: refuse it as a validation error.
NO_NUL = r"^[^\x00]*$"


class ErrorOut(Schema):
    """Every API error: a stable `code` for programs and a `message` for people."""

    code: str
    message: str
    field: str | None = None
    details: list[dict[str, Any]] | None = None


def _json_integer(value: Any) -> Any:
    if isinstance(value, bool | str):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


# Put last in `Annotated[int, Field(...), JSON_INTEGER]`: a body integer as JSON Schema reads it,
# 3 or 3.0 but never true or "3", which pydantic would otherwise coerce.
JSON_INTEGER = BeforeValidator(_json_integer)


class InputSchema(Schema):
    """A JSON request body: always an object, never read through attributes like an output."""

    @model_validator(mode="wrap")
    @classmethod
    def _require_object(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        # ninja's Schema reads fields with getattr, so `[]` or `1` would pass as an empty object.
        if not isinstance(data, dict | cls):
            raise ValueError("The body must be a JSON object.")
        return handler(data)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The response map entries for these error statuses."""
    return dict.fromkeys(statuses, ErrorOut)


def _error(
    api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    body = {"code": code, "message": message, "field": None, "details": None} | extra
    return api.create_response(request, body, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    """Turn every expected failure into a JSON body with a stable code, never a 500."""

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return _error(api, request, exc.status, exc.code, str(exc.message), field=exc.field)

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        details = [
            {
                "loc": [str(p) for p in e.get("loc", [])],
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors
        ]
        return _error(
            api, request, 422, "validation_error", "The request is not valid.", details=details
        )

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return _error(api, request, 422, "validation_error", "; ".join(exc.messages))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return _error(
            api,
            request,
            401,
            "unauthenticated",
            "Sign in or send a valid token as 'Authorization: Bearer <token>'.",
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(api, request, 404, "not_found", "Not found.")

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        return _error(api, request, 403, "forbidden", "You may not do this.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {
            400: "bad_request",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            429: "rate_limited",
        }.get(exc.status_code, "error")
        return _error(api, request, exc.status_code, code, str(exc.message))


def _json_method_not_allowed(api: NinjaAPI, view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allow = response["Allow"]
            response = _error(api, request, 405, "method_not_allowed", f"Allowed methods: {allow}.")
            response["Allow"] = allow
        return response

    return wrapper


class _UniqueNamesSchema(OpenAPISchema):
    """An OpenAPI schema that refuses two different components of the same name."""

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        # ninja names a component after its class and lets the last one win: two enums both
        # called `Kind` would silently give one operation the other's values.
        for name, definition in definitions.items():
            known = self.schemas.get(name)
            if known is not None and known != definition:
                raise ImproperlyConfigured(
                    f"Two API schemas are named {name!r}; rename one of their classes."
                )
        super().add_schema_definitions(definitions)


class JsonAPI(NinjaAPI):
    """A NinjaAPI whose every error is the JSON body, 405 (ninja answers it in plain text) too,
    and whose OpenAPI components never overwrite one another."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return _UniqueNamesSchema(self, path_prefix)

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern) and not iscoroutinefunction(pattern.callback):
                pattern.callback = _json_method_not_allowed(self, pattern.callback)
        return patterns, app_name, namespace
