"""Employee voice background tasks: telling a survey's audience that a wave is open."""

from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from vivier.accounts.models import User
from vivier.social.notifications import notify
from vivier.voice.models import Survey, Wave


def notify_survey_open(survey: Survey, wave: Wave, actor: User | None) -> int:
    """Notify every person of the survey's audience that `wave` is open; return how many."""
    from vivier.voice.services import audience_users

    url = reverse("voice:answer", args=[survey.pk])
    text = format_lazy(
        _("A survey is open until {day}: {title}"), day=wave.closes_on, title=survey.title
    )
    sent = 0
    people = audience_users(survey=survey).only("id", "language", "is_active")
    for person in people.iterator(chunk_size=2000):
        if notify(recipient=person, type="voice_survey_open", actor=actor, text=text, url=url):
            sent += 1
    return sent


@task()
def survey_open_notify(survey_id: int, wave_id: int, actor_id: int | None = None) -> int:
    """Background: notify a survey's audience that its wave opened (one row per person)."""
    survey = Survey.objects.filter(pk=survey_id).first()
    wave = Wave.objects.filter(pk=wave_id, survey_id=survey_id).first()
    if survey is None or wave is None:
        return 0  # deleted since it was queued
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return notify_survey_open(survey, wave, actor)
