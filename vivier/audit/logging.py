"""A logging filter that scrubs secrets (tokens, passwords, cookies) from every record."""

import logging
import re
from typing import Any

REDACTED = "[redacted]"
# A SQL string literal ('it''s' included), as database backends inline parameters in logs.
STRING_LITERAL = re.compile(r"'(?:[^']|'')*'")
SECRET_NAMES = re.compile(r"(authorization|cookie|password|passwd|token|secret|session)", re.I)

# Values that look like secrets wherever they appear in a message.
PATTERNS = [
    # Personal API tokens (vivier.accounts.services.TOKEN_PREFIX) and bearer credentials.
    re.compile(r"viv_[A-Za-z0-9_\-]{6,}"),
    re.compile(r"(?i)(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+"),
    # key=value and "key": "value" pairs whose key names a secret.
    re.compile(
        r"(?i)((?:authorization|cookie|password\d?|passwd|[a-z_]*token|[a-z_]*secret|sessionid|"
        r"csrftoken)\"?'?\s*[:=]\s*\"?'?)([^\s\"'&;,}]+)"
    ),
]


def scrub_text(text: str) -> str:
    """`text` with every secret-looking value replaced."""
    for pattern in PATTERNS:
        if pattern.groups >= 2:
            text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
        else:
            text = pattern.sub(REDACTED, text)
    return text


def scrub_value(value: Any, depth: int = 0) -> Any:
    """A copy of `value` with secret-named keys and secret-looking strings redacted."""
    if depth > 4:
        return value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            k: REDACTED if SECRET_NAMES.search(str(k)) else scrub_value(v, depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(scrub_value(v, depth + 1) for v in value)
    return value


class SecretScrubFilter(logging.Filter):
    """Rewrites a record's message and arguments so no secret reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.db.backends"):
            # Logged SQL has its parameters inlined, and they carry whatever people typed
            # (survey answers included): every string literal is blanked.
            sql = str(getattr(record, "sql", "") or "")
            record.msg = "%s; args=" + REDACTED
            record.args = (STRING_LITERAL.sub("'?'", sql),)
            record.sql = record.args[0]
            record.params = REDACTED
        try:
            message = record.getMessage()
        except Exception:  # A malformed record is still logged, as its raw text.
            message = str(record.msg)
        record.msg = scrub_text(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_text(record.exc_text)
        # Django attaches the request to error records; a formatter may print it.
        if hasattr(record, "request"):
            record.request = REDACTED
        return True
