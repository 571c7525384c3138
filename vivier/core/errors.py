"""Domain errors with a stable code, turned into form errors or 4xx JSON by the handlers."""

from django.utils.functional import Promise


class ApplicationError(Exception):
    """A refused operation: `code` is stable for clients, `message` is for people."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        status: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class NotFound(ApplicationError):
    """The object does not exist, or the viewer may not know that it does."""

    status = 404


class PermissionDenied(ApplicationError):
    """The actor may not do this."""

    status = 403


class Conflict(ApplicationError):
    """The operation conflicts with the current state (e.g. a duplicate)."""

    status = 409
