"""Database sessions keyed to their user, so one person's sessions can all be ended at once."""

from django.contrib.sessions.backends import db

from vivier.accounts.models import UserSession

# django.contrib.auth stores the signed-in user's primary key under this key.
AUTH_USER_KEY = "_auth_user_id"


class SessionStore(db.SessionStore):
    """Database sessions that refuse malformed keys and remember the signed-in user."""

    @classmethod
    def get_model_class(cls) -> type[UserSession]:
        return UserSession

    def _validate_session_key(self, key: str | None) -> bool:
        # A cookie can carry any character (NUL included), which PostgreSQL refuses in text.
        return bool(super()._validate_session_key(key) and key.isascii() and key.isalnum())

    def create_model_instance(self, data: dict) -> UserSession:
        obj = super().create_model_instance(data)
        user_id = data.get(AUTH_USER_KEY)
        try:
            obj.user_id = int(user_id) if user_id is not None else None
        except (TypeError, ValueError):
            obj.user_id = None
        return obj


def sessions_end_for_user(user_id: int) -> int:
    """Delete every session of the user `user_id`; return how many were ended."""
    deleted, _ = UserSession.objects.filter(user_id=user_id).delete()
    return deleted
