"""Helpers to show service errors on forms."""

from django import forms

from vivier.core.errors import ApplicationError


def form_add_service_error(form: forms.Form, exc: ApplicationError) -> None:
    """Attach a refused operation's message to its field, or to the whole form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def reject_nul(value: str) -> str:
    """Refuse text holding NUL characters, which databases cannot store."""
    if "\x00" in (value or ""):
        raise forms.ValidationError("This text holds characters that cannot be stored.")
    return value
