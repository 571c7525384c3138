"""Journey writes: daily snapshots and playbooks, preferences, ambassadors, invitations, kudos."""

import hashlib
import logging
import re
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.journey import engine
from vivier.journey.models import (
    Ambassador,
    Invitation,
    JourneyPreference,
    JourneySettings,
    JourneyTask,
    JourneyTip,
    Kudos,
    Playbook,
    PlaybookAction,
    PlaybookAssignment,
    PlaybookRun,
    Stage,
)
from vivier.journey.permissions import is_ambassador
from vivier.social.models import Membership
from vivier.social.notifications import notify

logger = logging.getLogger(__name__)

MAX_RANGE_DAYS = 400
UNSUBSCRIBE_SALT = "vivier.journey.unsubscribe"
INVITATION_COOLDOWN_DAYS = 30

BAD_COHORT = _("Give the joining month as YYYY-MM.")
BAD_RANGE = _("The start date must not be after the end date.")
RANGE_TOO_LONG = _("A range may cover at most %(days)s days.")
FUTURE_DATE = _("Stages cannot be computed for a future date.")
NOT_INVITED = _("You have not been invited to become an ambassador.")
ALREADY_ANSWERED = _("You already answered this invitation.")
NO_SELF = _("You cannot do this for yourself.")
INACTIVE_PERSON = _("This person has no active account.")
KUDOS_EMPTY = _("Say what you thank them for.")
KUDOS_TOO_LONG = _("Keep it under 280 characters.")
INVITE_CONTRIBUTE_AMBASSADORS = _("Only ambassadors invite colleagues to contribute.")
INVITE_RECENT = _("You already invited this colleague recently.")
MESSAGE_TOO_LONG = _("Keep the message under 500 characters.")
TIP_NOT_FOUND = _("This tip does not exist.")
TASK_NOT_FOUND = _("This task does not exist.")
BAD_TOKEN = _("This link is not valid.")


# Snapshots and playbooks


def date_range_check(*, start: date, end: date, max_days: int = MAX_RANGE_DAYS) -> None:
    """Refuse a range whose start is after its end, or that is too long."""
    if start > end:
        raise ApplicationError("bad_range", BAD_RANGE, field="from")
    if (end - start).days + 1 > max_days:
        raise ApplicationError("range_too_long", RANGE_TOO_LONG % {"days": max_days}, field="to")


def snapshot_compute(*, day: date, run_playbooks: bool = True) -> dict[str, int]:
    """Compute every person's stage on `day` (replacing any earlier result); run the playbooks."""
    if day > timezone.localdate():
        raise ApplicationError("future_date", FUTURE_DATE, field="date")
    cfg = JourneySettings.current()
    with transaction.atomic():
        written = engine.snapshot_day(day, cfg=cfg)
        entered = engine.entrants(day)
        runs = playbooks_run(day=day, entered=entered, cfg=cfg) if run_playbooks else {}
    return {"snapshots": written, "entered": len(entered), **runs}


def snapshot_range(*, start: date, end: date, run_playbooks: bool = False) -> dict[str, int]:
    """Recompute the snapshots of every day from `start` to `end`, in date order."""
    date_range_check(start=start, end=end)
    if end > timezone.localdate():
        raise ApplicationError("future_date", FUTURE_DATE, field="to")
    totals: dict[str, int] = defaultdict(int)
    day = start
    while day <= end:
        for key, value in snapshot_compute(day=day, run_playbooks=run_playbooks).items():
            totals[key] += value
        totals["days"] += 1
        day += timedelta(days=1)
    return dict(totals)


def control_draw(*, playbook_id: int, user_id: int, percent: int) -> bool:
    """Whether this person is held out of this playbook: a stable hash, so reruns agree."""
    digest = hashlib.sha256(f"vivier-journey:{playbook_id}:{user_id}".encode()).hexdigest()
    return int(digest[:8], 16) % 10000 < percent * 100


def assignments_for(*, playbook: Playbook, user_ids: list[int]) -> dict[int, str]:
    """Each person's group for `playbook`, drawing and storing it the first time."""
    found = dict(
        PlaybookAssignment.objects.filter(playbook=playbook, user_id__in=user_ids).values_list(
            "user_id", "group"
        )
    )
    new = [
        PlaybookAssignment(
            playbook=playbook,
            user_id=uid,
            group=(
                PlaybookAssignment.Group.CONTROL
                if control_draw(
                    playbook_id=playbook.pk, user_id=uid, percent=playbook.control_percent
                )
                else PlaybookAssignment.Group.TREATED
            ),
        )
        for uid in user_ids
        if uid not in found
    ]
    PlaybookAssignment.objects.bulk_create(new, ignore_conflicts=True)
    found.update({a.user_id: a.group for a in new})
    return found


def _render(action: PlaybookAction, person: User, language: str) -> tuple[str, str, str]:
    """(subject, body, absolute url) of an action in `language`, placeholders filled."""
    english = language.startswith("en")
    subject = (action.subject_en if english else "") or action.subject_fr
    body = (action.body_en if english else "") or action.body_fr
    url = f"{settings.VIVIER_SITE_URL}{action.link or reverse('journey:me')}"
    values = {
        "{first_name}": person.first_name or person.get_full_name(),
        "{name}": person.get_full_name(),
        "{url}": url,
    }

    def fill(text: str) -> str:
        # Plain replacement: an admin's stray brace must not break a nudge (str.format would).
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    return fill(subject)[:200], fill(body), url


def unsubscribe_token(user: User) -> str:
    """A signed token that opts `user` out of nudges from the link in an e-mail."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def _send_email(action: PlaybookAction, person: User) -> None:
    language = person.language or settings.LANGUAGE_CODE
    subject, body, _url = _render(action, person, language)
    link = settings.VIVIER_SITE_URL + reverse(
        "journey:unsubscribe", args=[unsubscribe_token(person)]
    )
    with translation.override(language):
        footer = str(_("No more journey e-mails or tips: %(link)s")) % {"link": link}
    try:
        EmailMessage(subject, f"{body}\n\n--\n{footer}\n", to=[person.email]).send()
    except Exception:  # one failed e-mail must not stop the day's other nudges
        logger.exception("journey e-mail to user %s failed", person.pk)


def _companions(person: User) -> list[User]:
    """Whom a task about `person` goes to: their manager and their communities' animators."""
    ids: set[int] = set()
    profile = getattr(person, "profile", None)
    if profile is not None and profile.manager_id:
        ids.add(profile.manager_id)
    communities = Membership.objects.filter(user=person, status=Membership.Status.ACTIVE).values(
        "community_id"
    )
    ids.update(
        Membership.objects.filter(
            community_id__in=communities,
            role__in=[Membership.Role.ANIMATOR, Membership.Role.OWNER],
            status=Membership.Status.ACTIVE,
        ).values_list("user_id", flat=True)[:5]
    )
    ids.discard(person.pk)
    return list(User.objects.filter(pk__in=ids, is_active=True))


def _deliver(run: PlaybookRun, actions: list[PlaybookAction], person: User) -> None:
    for action in actions:
        if action.kind == PlaybookAction.Kind.TIP:
            subject, body, _url = _render(action, person, person.language or "fr")
            JourneyTip.objects.create(
                user=person, run=run, action=action, subject=subject, text=body, url=action.link
            )
            notify(recipient=person, type="journey_tip", text=subject, url=reverse("journey:me"))
        elif action.kind == PlaybookAction.Kind.EMAIL:
            transaction.on_commit(lambda a=action: _send_email(a, person))
        elif action.kind == PlaybookAction.Kind.TASK:
            for companion in _companions(person):
                subject, body, _url = _render(action, person, companion.language or "fr")
                JourneyTask.objects.create(
                    assignee=companion,
                    person=person,
                    run=run,
                    action=action,
                    subject=subject,
                    text=body,
                )
                notify(
                    recipient=companion,
                    type="journey_task",
                    text=subject,
                    url=reverse("journey:tasks"),
                )


def playbooks_run(
    *,
    day: date,
    entered: list[tuple[int, str]],
    cfg: JourneySettings | None = None,
    deliver: bool = True,
) -> dict[str, int]:
    """Run each active playbook for the people who entered its stage on `day`.

    Control-group members are recorded, never nudged; people who opted out or were nudged
    within `nudge_every_days` are recorded with that reason. Re-running a day adds nothing.
    With `deliver=False` (rebuilding history) the runs are recorded but nothing is sent.
    """
    cfg = cfg or JourneySettings.current()
    counts: dict[str, int] = defaultdict(int)
    by_stage: dict[str, list[int]] = defaultdict(list)
    for uid, stage in entered:
        by_stage[stage].append(uid)
    playbooks = list(
        Playbook.objects.filter(is_active=True, stage__in=by_stage).prefetch_related("actions")
    )
    if not playbooks:
        return dict(counts)
    all_ids = sorted({uid for ids in by_stage.values() for uid in ids})
    people = {u.pk: u for u in User.objects.filter(pk__in=all_ids).select_related("profile")}
    opted_out = set(
        JourneyPreference.objects.filter(user_id__in=all_ids, opted_out=True).values_list(
            "user_id", flat=True
        )
    )
    since = day - timedelta(days=max(cfg.nudge_every_days, 1) - 1)
    recently = set(
        PlaybookRun.objects.filter(
            user_id__in=all_ids,
            outcome=PlaybookRun.Outcome.SENT,
            date__gte=since,
            date__lte=day,
        ).values_list("user_id", flat=True)
    )
    done = set(
        PlaybookRun.objects.filter(date=day, user_id__in=all_ids).values_list(
            "playbook_id", "user_id"
        )
    )
    for playbook in playbooks:
        ids = by_stage[playbook.stage]
        groups = assignments_for(playbook=playbook, user_ids=ids)
        actions = list(playbook.actions.all())
        runs = []
        for uid in ids:
            if (playbook.pk, uid) in done or uid not in people:
                continue
            group = groups[uid]
            if group == PlaybookAssignment.Group.CONTROL:
                outcome = PlaybookRun.Outcome.CONTROL
            elif uid in opted_out:
                outcome = PlaybookRun.Outcome.OPTED_OUT
            elif uid in recently:
                outcome = PlaybookRun.Outcome.RATE_LIMITED
            else:
                outcome = PlaybookRun.Outcome.SENT
                recently.add(uid)
            runs.append(
                PlaybookRun(playbook=playbook, user_id=uid, date=day, group=group, outcome=outcome)
            )
            counts[outcome] += 1
        # One INSERT per playbook; only the nudged people cost more (their tips, tasks, mail).
        for run in PlaybookRun.objects.bulk_create(runs):
            if deliver and run.outcome == PlaybookRun.Outcome.SENT:
                _deliver(run, actions, people[run.user_id])
            if deliver and playbook.stage == Stage.PROMOTION:
                ambassador_invite(user=people[run.user_id])
    return dict(counts)


# Preferences, tips and tasks


@transaction.atomic
def preference_set(*, user: User, opted_out: bool) -> JourneyPreference:
    """Store whether `user` wants journey nudges."""
    prefs, _created = JourneyPreference.objects.get_or_create(user=user)
    prefs.opted_out = bool(opted_out)
    prefs.save(update_fields=["opted_out", "updated_at"])
    return prefs


def unsubscribe(*, token: str) -> User:
    """Opt the person named by a signed e-mail link out of nudges."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=user_id, is_active=True)
    except (signing.BadSignature, User.DoesNotExist, TypeError, ValueError):
        raise ApplicationError("bad_token", BAD_TOKEN) from None
    preference_set(user=user, opted_out=True)
    return user


@transaction.atomic
def tip_dismiss(*, actor: User, tip_id: int) -> None:
    """Hide one of my tips."""
    updated = JourneyTip.objects.filter(pk=tip_id, user=actor, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now()
    )
    if not updated:
        raise NotFound("tip_not_found", TIP_NOT_FOUND)


@transaction.atomic
def task_done(*, actor: User, task_id: int) -> None:
    """Mark one of my accompaniment tasks done."""
    updated = JourneyTask.objects.filter(pk=task_id, assignee=actor, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    if not updated:
        raise NotFound("task_not_found", TASK_NOT_FOUND)


# Ambassadors


@transaction.atomic
def ambassador_invite(*, user: User) -> Ambassador | None:
    """Invite a person who reached the promotion stage to become an ambassador (once)."""
    try:
        with transaction.atomic():
            ambassador = Ambassador.objects.create(user=user, invited_at=timezone.now())
    except IntegrityError:
        return None
    notify(
        recipient=user,
        type="journey_ambassador",
        text=_("You bring colleagues along: would you become a Vivier ambassador?"),
        url=reverse("journey:me"),
    )
    return ambassador


@transaction.atomic
def ambassador_answer(*, actor: User, accept: bool) -> Ambassador:
    """Accept or decline my ambassador invitation."""
    ambassador = Ambassador.objects.select_for_update().filter(user=actor).first()
    if ambassador is None:
        raise NotFound("not_invited", NOT_INVITED)
    if ambassador.status != Ambassador.Status.INVITED:
        raise Conflict("already_answered", ALREADY_ANSWERED)
    ambassador.status = Ambassador.Status.ACCEPTED if accept else Ambassador.Status.DECLINED
    ambassador.answered_at = timezone.now()
    ambassador.save(update_fields=["status", "answered_at"])
    event_record(actor=actor, verb="accept" if accept else "reject", obj=ambassador)
    return ambassador


# Invitations and kudos


def _other_person(actor: User, person: User | None) -> User:
    if person is None or not person.is_active:
        raise NotFound("person_not_found", INACTIVE_PERSON, field="person")
    if person.pk == actor.pk:
        raise ApplicationError("self", NO_SELF, field="person")
    return person


@transaction.atomic
def invitation_send(
    *, actor: User, invitee: User | None, kind: str, message: str = ""
) -> Invitation:
    """Invite a colleague to come and see, or (ambassadors) to contribute; they are notified."""
    invitee = _other_person(actor, invitee)
    if kind not in Invitation.Kind.values:
        raise ApplicationError("bad_kind", _("Unknown invitation kind."), field="kind")
    message = (message or "").strip()
    if len(message) > 500:
        raise ApplicationError("message_too_long", MESSAGE_TOO_LONG, field="message")
    if kind == Invitation.Kind.CONTRIBUTE and not is_ambassador(user=actor):
        raise PermissionDenied("ambassadors_only", INVITE_CONTRIBUTE_AMBASSADORS)
    since = timezone.now() - timedelta(days=INVITATION_COOLDOWN_DAYS)
    if Invitation.objects.filter(
        inviter=actor, invitee=invitee, kind=kind, created_at__gte=since
    ).exists():
        raise Conflict("already_invited", INVITE_RECENT, field="person")
    invitation = Invitation.objects.create(
        inviter=actor, invitee=invitee, kind=kind, message=message
    )
    event_record(actor=actor, verb="invite", obj=invitation, target_user=invitee, kind=kind)
    name = actor.get_full_name()
    if kind == Invitation.Kind.CONTRIBUTE:
        text = _("%(name)s would love to read you: share what you know on Vivier.")
        url = reverse("social:communities")
    else:
        text = _("%(name)s invites you to discover Vivier and the colleagues who know.")
        url = reverse("journey:me")
    with translation.override(invitee.language or settings.LANGUAGE_CODE):
        rendered = str(text) % {"name": name}
        if message:
            rendered = f"{rendered} « {message} »"
    notify(recipient=invitee, type="journey_invitation", actor=actor, text=rendered, url=url)
    body = f"{rendered}\n\n{settings.VIVIER_SITE_URL}{url}\n"
    transaction.on_commit(
        lambda: EmailMessage(rendered[:120], body, to=[invitee.email]).send(fail_silently=True)
    )
    return invitation


@transaction.atomic
def kudos_give(*, actor: User, recipient: User | None, message: str) -> Kudos:
    """Thank a colleague; they are notified and it shows on their journey."""
    recipient = _other_person(actor, recipient)
    message = (message or "").strip()
    if not message:
        raise ApplicationError("kudos_empty", KUDOS_EMPTY, field="message")
    if len(message) > 280:
        raise ApplicationError("kudos_too_long", KUDOS_TOO_LONG, field="message")
    kudos = Kudos.objects.create(sender=actor, recipient=recipient, message=message)
    event_record(actor=actor, verb="thank", obj=kudos, target_user=recipient)
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        text = str(_("%(name)s thanks you: %(message)s")) % {
            "name": actor.get_full_name(),
            "message": message,
        }
    notify(
        recipient=recipient, type="journey_kudos", actor=actor, text=text, url=reverse("journey:me")
    )
    return kudos


# A day as YYYY-MM-DD (JSON Schema's `format: date`), a month as YYYY-MM, in ASCII digits: Python's
# fromisoformat alone also reads 20260101 or 2026-W01-1, which the API's schema does not allow.
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


def parse_day(value: Any, *, field: str) -> date:
    """A date from YYYY-MM-DD text, or an ApplicationError naming the field."""
    if isinstance(value, date):
        return value
    try:
        if not ISO_DAY.fullmatch(str(value)):
            raise ValueError(value)
        return date.fromisoformat(str(value))
    except ValueError:
        raise ApplicationError("bad_date", _("Give the date as YYYY-MM-DD."), field=field) from None


def parse_month(value: Any, *, field: str) -> date:
    """The first day of a month from YYYY-MM text, or a `bad_cohort` error naming the field."""
    try:
        if not ISO_MONTH.fullmatch(str(value)):
            raise ValueError(value)
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise ApplicationError("bad_cohort", BAD_COHORT, field=field) from None


def stage_check(value: Any) -> str:
    """A known stage code, or an ApplicationError."""
    if value not in Stage.values:
        raise ApplicationError("unknown_stage", _("Unknown stage."), field="stage")
    return str(value)


def now_day() -> date:
    """Today in the site's time zone."""
    return timezone.localdate()
