"""Privacy writes: legal holds, erasure (anonymisation) of a person, the retention task."""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import ApiToken, User
from vivier.accounts.services import user_deactivate
from vivier.accounts.sessions import sessions_end_for_user
from vivier.audit.services import audit_purge_before, audit_record
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.models import ActivityEvent
from vivier.integration.models import RateCount
from vivier.privacy.models import Erasure, LegalHold
from vivier.privacy.permissions import can_manage_privacy

PRIVACY_DENIED = _("Only HR and IT administrators manage erasure and legal holds.")
PERSON_NOT_FOUND = _("This person does not exist.")
ON_LEGAL_HOLD = _(
    "This person is under a legal hold (%(reason)s): their data must be kept. Lift the hold "
    "before erasing the account."
)
ALREADY_ERASED = _("This account has already been erased.")
ERASE_SELF = _("You cannot erase your own account; ask another administrator.")
REASON_REQUIRED = _("Give the reason for the legal hold.")
REASON_TOO_LONG = _("A reason has at most 300 characters.")
CONTENT_CHOICE_UNKNOWN = _("Choose whether to keep or delete what the person wrote.")
NO_HOLD = _("This person is not under a legal hold.")

# What an erased person is called everywhere their content stays.
PSEUDONYM_FIRST_NAME = "Ancien collaborateur"
ERASED_EMAIL_DOMAIN = "erased.invalid"


def _check(actor: Any) -> None:
    if not can_manage_privacy(actor=actor):
        raise PermissionDenied("privacy_denied", PRIVACY_DENIED)


def person_get(*, person_id: Any) -> User:
    """The person `person_id`, or NotFound."""
    from vivier.core.ids import parse_id

    pk = parse_id(person_id)
    user = User.objects.filter(pk=pk).first() if pk else None
    if user is None:
        raise NotFound("person_not_found", PERSON_NOT_FOUND)
    return user


@transaction.atomic
def legal_hold_set(*, actor: Any, person: User, reason: str) -> LegalHold:
    """Put `person` under a legal hold (or change its reason): erasure and retention skip them."""
    _check(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("reason_required", REASON_REQUIRED, field="reason")
    if len(reason) > 300:
        raise ApplicationError("reason_too_long", REASON_TOO_LONG, field="reason")
    hold, created = LegalHold.objects.update_or_create(
        user=person, defaults={"reason": reason, "set_by": actor}
    )
    # The reason may name a case: the audit row keeps only that a hold was set.
    audit_record(action="privacy.legal_hold.set", actor=actor, target=person, created=created)
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Any, person: User) -> None:
    """Lift `person`'s legal hold."""
    _check(actor)
    deleted, _ = LegalHold.objects.filter(user=person).delete()
    if not deleted:
        raise NotFound("legal_hold_not_found", NO_HOLD)
    audit_record(action="privacy.legal_hold.lift", actor=actor, target=person)


def _delete_authored_content(user: User) -> int:
    # Through the content services, so counters, search and events stay right.
    from vivier.expertise.models import Answer
    from vivier.expertise.services import answer_delete
    from vivier.social.models import Comment, Post
    from vivier.social.services import comment_delete, post_delete
    from vivier.voice.models import Idea, IdeaComment

    count = 0
    for post in Post.objects.filter(author=user, deleted_at__isnull=True):
        post_delete(actor=user, post=post)
        count += 1
    for comment in Comment.objects.filter(author=user, deleted_at__isnull=True).select_related(
        "post"
    ):
        comment_delete(actor=user, comment=comment)
        count += 1
    for answer in Answer.objects.filter(author=user, deleted_at__isnull=True).select_related(
        "question"
    ):
        answer_delete(actor=user, answer=answer)
        count += 1
    # Ideas have no soft delete: their votes and comments go with them.
    count += IdeaComment.objects.filter(author=user).delete()[0]
    count += Idea.objects.filter(author=user).delete()[0]
    return count


def _delete_private_data(user: User) -> None:
    from vivier.expertise.models import InferredSkill
    from vivier.mentoring.models import MenteeRequest, MentorOffer, Note
    from vivier.opportunities.models import MobilityPreference
    from vivier.people.models import Endorsement, ProfileSkill
    from vivier.social.models import DailyView, Follow, Notification, NotificationSettings
    from vivier.voice.models import SurveyReminder

    Notification.objects.filter(Q(recipient=user) | Q(actor=user)).delete()
    NotificationSettings.objects.filter(user=user).delete()
    DailyView.objects.filter(user=user).delete()
    Follow.objects.filter(Q(follower=user) | Q(user=user)).delete()
    Endorsement.objects.filter(Q(endorser=user) | Q(endorsee=user)).delete()
    ProfileSkill.objects.filter(user=user).delete()
    InferredSkill.objects.filter(user=user).delete()
    MentorOffer.objects.filter(user=user).delete()
    MenteeRequest.objects.filter(user=user).delete()
    MobilityPreference.objects.filter(user=user).delete()
    # Private mentoring notes are the person's own; session summaries stay for the mentor.
    Note.objects.filter(author=user).delete()
    SurveyReminder.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    sessions_end_for_user(user.pk)


def _pseudonymise(user: User) -> None:
    from vivier.people.models import Profile

    tag = secrets.token_hex(4)
    user.first_name = PSEUDONYM_FIRST_NAME
    user.last_name = tag
    user.email = f"erased-{user.pk}-{tag}@{ERASED_EMAIL_DOMAIN}"
    user.set_unusable_password()
    user.save(update_fields=["first_name", "last_name", "email", "password"])
    user.groups.clear()
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    if profile.photo:
        profile.photo.delete(save=False)
    for name in ("title", "phone", "bio", "bio_html", "interests", "availability_note"):
        setattr(profile, name, "")
    profile.languages, profile.languages_text, profile.search_text = [], "", ""
    profile.manager = profile.location = profile.job_role = profile.org_unit = None
    profile.availability_percent = 0
    profile.save()
    # Other people's profiles must not keep pointing at them as their manager.
    Profile.objects.filter(manager=user).update(manager=None)


@transaction.atomic
def person_erase(
    *, actor: Any, person: User, content: str = Erasure.Content.KEEP, automatic: bool = False
) -> Erasure:
    """Anonymise `person`: end their access, delete private data, replace identity with a
    pseudonym; keep or delete what they wrote. Refused under a legal hold."""
    from vivier.search import services as search

    if not automatic:
        _check(actor)
        if actor is not None and actor.pk == person.pk:
            raise PermissionDenied("erase_self", ERASE_SELF)
    if content not in Erasure.Content.values:
        raise ApplicationError("content_choice_unknown", CONTENT_CHOICE_UNKNOWN, field="content")
    person = User.objects.select_for_update().get(pk=person.pk)
    hold = LegalHold.objects.filter(user=person).first()
    if hold is not None:
        raise Conflict("legal_hold", ON_LEGAL_HOLD % {"reason": hold.reason})
    if Erasure.objects.filter(user=person).exists():
        raise Conflict("already_erased", ALREADY_ERASED)
    deleted = _delete_authored_content(person) if content == Erasure.Content.DELETE else 0
    user_deactivate(user=person, actor=actor if actor is not None else person)
    _delete_private_data(person)
    _pseudonymise(person)
    search.index_person(person)
    erasure = Erasure.objects.create(
        user=person, erased_by=actor, content=content, automatic=automatic
    )
    # Ids and choices only: nothing of what was erased.
    audit_record(
        action="privacy.erase",
        actor=actor,
        target_type="accounts.user",
        target_id=person.pk,
        target_user=person.pk,
        content=content,
        automatic=automatic,
        deleted_items=deleted,
    )
    return erasure


@dataclass
class RetentionReport:
    """What a retention run removed (or would remove, in a dry run)."""

    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    held: int = 0


def _days(name: str) -> timedelta:
    return timedelta(days=getattr(settings, name))


def inactive_accounts_due(*, now: Any) -> Any:
    """Deactivated, not erased, not held accounts whose deactivation is older than the limit."""
    cutoff = now - _days("VIVIER_RETENTION_INACTIVE_ACCOUNT_DAYS")
    last_deactivation = (
        ActivityEvent.objects.filter(verb="deactivate", object_type="accounts.user")
        .values("object_id")
        .annotate(at=Max("occurred_at"))
    )
    recent = [row["object_id"] for row in last_deactivation if row["at"] >= cutoff]
    return (
        User.objects.filter(is_active=False, erasure__isnull=True)
        .exclude(pk__in=recent)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )


def retention_apply(*, dry_run: bool = False, now: Any = None) -> RetentionReport:
    """Apply every retention period, each in its own transaction, as set-based deletes."""
    from vivier.social.models import Notification

    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run)

    def purge(name: str, queryset: Any) -> None:
        with transaction.atomic():
            if dry_run:
                report.counts[name] = queryset.count()
            else:
                report.counts[name] = queryset.delete()[0]

    purge(
        "activity_events",
        ActivityEvent.objects.filter(occurred_at__lt=now - _days("VIVIER_RETENTION_ACTIVITY_DAYS")),
    )
    purge(
        "read_notifications",
        Notification.objects.filter(
            read_at__isnull=False,
            created_at__lt=now - _days("VIVIER_RETENTION_READ_NOTIFICATIONS_DAYS"),
        ),
    )
    purge(
        "unread_notifications",
        Notification.objects.filter(
            read_at__isnull=True,
            created_at__lt=now - _days("VIVIER_RETENTION_UNREAD_NOTIFICATIONS_DAYS"),
        ),
    )
    # Rate-limit windows that are over (vivier/integration/ratelimit.py): nothing reads them.
    purge("rate_limit_windows", RateCount.objects.filter(expires_at__lt=now))
    due = inactive_accounts_due(now=now)
    report.held = due.filter(legal_hold__isnull=False).count()
    accounts = list(due.filter(legal_hold__isnull=True))
    report.counts["inactive_accounts"] = len(accounts)
    if not dry_run:
        for person in accounts:
            person_erase(actor=None, person=person, automatic=True)
    report.counts["audit_events"] = audit_purge_before(
        cutoff=now - _days("VIVIER_RETENTION_AUDIT_DAYS"), dry_run=dry_run
    )
    if not dry_run:
        audit_record(action="privacy.retention", actor=None, **report.counts)
    return report
