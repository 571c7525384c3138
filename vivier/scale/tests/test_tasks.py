"""Background tasks: survey-launch notifications and immediate digests leave the request.

Tests run the immediate backend (the task runs where it is queued); one test queues in the
database and runs `manage.py db_worker`, as `make worker` does in production.
"""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from vivier.social.models import Notification, NotificationSettings
from vivier.social.notifications import notify
from vivier.voice import services

# The worker closes "old" connections between tasks, which ends a test's enclosing transaction
# on PostgreSQL: the database-backend tests commit for real instead.
committing = pytest.mark.django_db(transaction=True)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _launch(hr_admin):
    survey = services.survey_create(actor=hr_admin, title="Pulse")
    services.question_add(actor=hr_admin, survey=survey, kind="likert", text_fr="Ça va ?")
    return services.survey_launch(actor=hr_admin, survey=survey)


def test_immediate_backend_notifies_the_audience_at_launch(hr_admin, alice, bob):
    _launch(hr_admin)
    told = set(
        Notification.objects.filter(type="voice_survey_open").values_list("recipient", flat=True)
    )
    assert told == {alice.pk, bob.pk}  # everyone but the HR person who launched it


@committing
@override_settings(TASKS=DATABASE_TASKS)
def test_database_backend_queues_the_launch_and_the_worker_sends_it(hr_admin, alice, bob):
    survey = _launch(hr_admin)
    # The launch request returns at once: the notifications wait in the queue.
    assert not Notification.objects.filter(type="voice_survey_open").exists()
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY"
    assert queued.task_path == "vivier.voice.tasks.survey_open_notify"
    assert queued.args_kwargs["kwargs"]["survey_id"] == survey.pk

    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO())

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert queued.return_value == 2
    told = set(
        Notification.objects.filter(type="voice_survey_open").values_list("recipient", flat=True)
    )
    assert told == {alice.pk, bob.pk}


@committing
@override_settings(TASKS=DATABASE_TASKS)
def test_a_task_for_a_deleted_survey_does_nothing(hr_admin, alice):
    survey = _launch(hr_admin)
    survey.delete()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO())
    assert DBTaskResult.objects.get().return_value == 0
    assert not Notification.objects.filter(type="voice_survey_open").exists()


@committing
def test_immediate_digest_mail_is_sent_by_a_task_after_commit(
    alice, bob, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.update_or_create(
        user=alice, defaults={"digest": NotificationSettings.Digest.IMMEDIATELY}
    )
    with override_settings(TASKS=DATABASE_TASKS):
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipient=alice, type="follow", actor=bob)
        assert mail.outbox == []  # queued, not sent inside the request
        call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert DBTaskResult.objects.get().task_path == "vivier.social.tasks.digest_send_now"


@pytest.mark.parametrize("backend", ["immediate", "database"])
def test_settings_pick_the_backend(backend, monkeypatch):
    import importlib

    import vivier.settings as settings_module

    monkeypatch.setenv("VIVIER_TASKS_BACKEND", backend)
    reloaded = importlib.reload(settings_module)
    try:
        expected = {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[backend]
        assert reloaded.TASKS["default"]["BACKEND"] == expected
    finally:
        monkeypatch.delenv("VIVIER_TASKS_BACKEND")
        importlib.reload(settings_module)
