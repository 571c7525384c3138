"""No password, token secret or survey answer reaches a log record, the audit log or an
activity event, even with every logger at DEBUG and SQL logging on."""

import json
import logging

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils.module_loading import import_string

from conftest import PASSWORD
from vivier.audit.logging import SecretScrubFilter, scrub_text, scrub_value
from vivier.audit.models import AuditEvent
from vivier.core.models import ActivityEvent
from vivier.voice.models import Answer, Participation
from vivier.voice.tests.conftest import make_survey

FREE_TEXT = "Mon manager Zéphyrin crie tous les lundis"
WRONG_PASSWORD = "Tr0ub4dor&3-not-mine"


class Capture(logging.Handler):
    """Keeps every record as the configured console handler would write it."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        # The filters configured on the real console handler (settings.LOGGING).
        for name in settings.LOGGING["handlers"]["console"].get("filters", []):
            spec = settings.LOGGING["filters"][name]
            self.addFilter(import_string(spec["()"])())

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        self.texts.append(repr(vars(record)))


@pytest.fixture
def captured():
    handler = Capture()
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    saved = [(lg, lg.level, lg.propagate, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        if lg is not root:
            lg.propagate = True
    root.addHandler(handler)
    debug_cursor = connection.force_debug_cursor
    connection.force_debug_cursor = True  # SQL statements are logged at DEBUG
    try:
        yield handler
    finally:
        connection.force_debug_cursor = debug_cursor
        root.removeHandler(handler)
        for lg, level, propagate, disabled in saved:
            lg.setLevel(level)
            lg.propagate = propagate
            lg.disabled = disabled


def test_the_console_handler_is_configured_with_the_filter():
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["scrub_secrets"]
    assert import_string(settings.LOGGING["filters"]["scrub_secrets"]["()"]) is SecretScrubFilter


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer viv_abcdefghijklmnop",
        "token=viv_abcdefghijklmnop&x=1",
        '{"password": "hunter2hunter2"}',
        "Cookie: sessionid=abc123def456; csrftoken=zzz999",
        "client_secret=s3cr3tvalue",
    ],
)
def test_scrub_text(text):
    out = scrub_text(text)
    for secret in (
        "viv_abcdefghijklmnop",
        "hunter2hunter2",
        "abc123def456",
        "zzz999",
        "s3cr3tvalue",
    ):
        assert secret not in out


def test_scrub_value_drops_secret_keys():
    value = {"user": "a", "password": "p", "headers": {"Authorization": "x", "Accept": "y"}}
    assert scrub_value(value) == {
        "user": "a",
        "password": "[redacted]",
        "headers": {"Authorization": "[redacted]", "Accept": "y"},
    }


def test_sensitive_flows_leave_no_secret_anywhere(
    captured, hr_admin, make_person, make_unit, client
):
    unit = make_unit("DEV", "Développement")
    people = [make_person(f"dev{n}@example.test", org_unit=unit) for n in range(6)]
    alice = people[0]
    survey = make_survey(hr_admin, kinds=("likert", "text"), audience=[unit])
    likert, text = survey.questions.all()

    # Password sign-in, failed then successful.
    bad = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": WRONG_PASSWORD}
    )
    assert bad.status_code == 200
    good = client.post(reverse("accounts:login"), {"username": alice.email, "password": PASSWORD})
    assert good.status_code == 302
    # A token created on the page, then used on the API (and a forged one refused).
    page = client.post(reverse("accounts:tokens"), {"name": "laptop"})
    secret = page.context["new_secret"]
    assert secret and secret.startswith("viv_")
    api = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200
    forged = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}x")
    assert forged.status_code in (200, 401)  # the session may still answer
    # A survey answer with free text.
    answered = client.post(
        reverse("voice:answer", args=[survey.pk]), {f"q{likert.pk}": 4, f"q{text.pk}": FREE_TEXT}
    )
    assert answered.status_code == 302
    assert Participation.objects.filter(user=alice).exists()
    assert Answer.objects.filter(text=FREE_TEXT).exists()
    # A failed sign-in on the API path too: a wrong bearer without session.
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer viv_wrong").status_code == 401

    logs = "\n".join(captured.texts)
    audit = json.dumps(list(AuditEvent.objects.values()), default=str, ensure_ascii=False)
    events = json.dumps(
        list(ActivityEvent.objects.values("verb", "object_type", "data")),
        default=str,
        ensure_ascii=False,
    )
    assert "auth.login_failed" in audit and "token.create" in audit  # the flows were recorded
    assert "SELECT" in logs  # SQL logging was on
    for place, content in (("logs", logs), ("audit", audit), ("activity", events)):
        for secret_value in (PASSWORD, WRONG_PASSWORD, secret, secret[4:], FREE_TEXT):
            assert secret_value not in content, f"{secret_value!r} leaked into {place}"
