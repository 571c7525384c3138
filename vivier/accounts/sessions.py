"""Database sessions that refuse malformed keys before they reach the database."""

from django.contrib.sessions.backends import db


class SessionStore(db.SessionStore):
    """Django's database sessions, accepting only the alphanumeric keys Django itself issues."""

    def _validate_session_key(self, key: str | None) -> bool:
        # A cookie can carry any character (NUL included), which PostgreSQL refuses in text.
        return bool(super()._validate_session_key(key) and key.isascii() and key.isalnum())
