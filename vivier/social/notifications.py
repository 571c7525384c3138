"""Notifications: created only for people who may see what they are about; e-mail digests."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from vivier.accounts.models import User
from vivier.social.models import Comment, Community, Notification, NotificationSettings, Post
from vivier.social.permissions import can_see_community, can_view_post

# Every notification type a person can mute: the social ones, plus those other apps register.
NOTIFICATION_TYPES: dict[str, Any] = dict(Notification.Type.choices)


def register_notification_type(code: str, label: Any) -> None:
    """Make a notification type known (for muting), from an app's `ready()`."""
    if len(code) > Notification._meta.get_field("type").max_length:
        raise ValueError(f"notification type too long: {code}")
    NOTIFICATION_TYPES[code] = label


def notification_type_choices() -> list[tuple[str, Any]]:
    """(code, label) of every registered notification type, in registration order."""
    return list(NOTIFICATION_TYPES.items())


DIGEST_PERIODS = {
    NotificationSettings.Digest.DAILY: timedelta(days=1),
    NotificationSettings.Digest.WEEKLY: timedelta(days=7),
}


def notification_settings_get(*, user: User) -> NotificationSettings:
    """A person's notification settings, created with the defaults the first time."""
    found, _created = NotificationSettings.objects.get_or_create(user=user)
    return found


@transaction.atomic
def notification_settings_update(
    *, user: User, digest: str, muted_types: list[str]
) -> NotificationSettings:
    """Store how often `user` gets digests and which notification types they mute."""
    prefs = notification_settings_get(user=user)
    prefs.digest = digest
    prefs.muted_types = [t for t in muted_types if t in NOTIFICATION_TYPES]
    prefs.save(update_fields=["digest", "muted_types"])
    return prefs


def notify(
    *,
    recipient: User,
    type: str,
    actor: User | None = None,
    post: Post | None = None,
    comment: Comment | None = None,
    community: Community | None = None,
    text: Any = None,
    url: str = "",
) -> Notification | None:
    """Tell `recipient` something happened, unless they muted it or may not see it.

    Types about posts and communities are worded by the templates; other apps pass `text` (a
    lazy translation, rendered now in the recipient's language) and the `url` it links to.
    """
    if type not in NOTIFICATION_TYPES:
        raise ValueError(f"unregistered notification type: {type}")
    if recipient is None or not recipient.is_active:
        return None
    if actor is not None and actor.pk == recipient.pk:
        return None
    # Secret and closed content never reaches someone who may not read it.
    if post is not None and not can_view_post(user=recipient, post=post):
        return None
    if community is not None and not can_see_community(user=recipient, community=community):
        return None
    prefs = NotificationSettings.objects.filter(user=recipient).first()
    if prefs is not None and type in (prefs.muted_types or []):
        return None
    if text is not None:
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            text = str(text)[:300]
    notification = Notification.objects.create(
        recipient=recipient,
        type=type,
        actor=actor,
        post=post,
        comment=comment,
        community=community,
        text=text or "",
        url=url,
    )
    if prefs is not None and prefs.digest == NotificationSettings.Digest.IMMEDIATELY:
        # Sending mail can take seconds: a background task, queued once the write is committed.
        from vivier.social.tasks import digest_send_now

        transaction.on_commit(lambda: digest_send_now.enqueue(user_id=recipient.pk))
    return notification


@transaction.atomic
def notification_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    """Mark some (or all) of the user's notifications read; return how many changed."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def _pending(user: User) -> list[Notification]:
    """Unread notifications not e-mailed yet, about things the person may still read."""
    visible = Q(post__isnull=True) | Q(post__deleted_at__isnull=True)
    notifications = (
        Notification.objects.filter(recipient=user, read_at__isnull=True, emailed_at__isnull=True)
        .filter(visible)
        .select_related("actor", "post", "post__community", "comment", "community")
        .order_by("created_at", "id")
    )
    return [n for n in notifications if n.post is None or can_view_post(user=user, post=n.post)]


def _thread_key(notification: Notification) -> tuple[str, int]:
    if notification.post_id:
        return ("post", notification.post.shared_from_id or notification.post_id)
    if notification.community_id:
        return ("community", notification.community_id)
    if notification.text:
        return ("other", 0)
    return ("people", 0)


def digest_send(*, user: User, now: Any = None) -> int:
    """E-mail `user` what is new since the last digest, grouped by thread; never twice."""
    now = now or timezone.now()
    with transaction.atomic():
        prefs = notification_settings_get(user=user)
        prefs = NotificationSettings.objects.select_for_update().get(pk=prefs.pk)
        if prefs.digest == NotificationSettings.Digest.NEVER or not user.is_active:
            return 0
        pending = _pending(user)
        if not pending:
            return 0
        threads: dict[tuple[str, int], list[Notification]] = {}
        for notification in pending:
            threads.setdefault(_thread_key(notification), []).append(notification)
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "user": user,
                "threads": list(threads.values()),
                "count": len(pending),
                "site_url": settings.VIVIER_SITE_URL,
            }
            subject = render_to_string("social/email/digest_subject.txt", context).strip()
            text = render_to_string("social/email/digest.txt", context)
            html = render_to_string("social/email/digest.html", context)
        message = EmailMultiAlternatives(subject, text, to=[user.email])
        message.attach_alternative(html, "text/html")
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        prefs.last_digest_at = now
        prefs.save(update_fields=["last_digest_at"])
        # Sent last, inside the transaction: a failed send rolls the marks back.
        message.send()
    return len(pending)


def digest_send_due(*, now: Any = None) -> int:
    """Send every daily or weekly digest that is due; return how many e-mails went out."""
    now = now or timezone.now()
    has_pending = Exists(
        Notification.objects.filter(
            recipient=OuterRef("pk"), read_at__isnull=True, emailed_at__isnull=True
        )
    )
    sent = 0
    candidates = (
        User.objects.filter(is_active=True)
        .filter(has_pending)
        .select_related("notification_settings")
    )
    for user in candidates.iterator(chunk_size=500):
        prefs = getattr(user, "notification_settings", None)
        digest = prefs.digest if prefs else NotificationSettings.Digest.DAILY
        if digest == NotificationSettings.Digest.NEVER:
            continue
        period = DIGEST_PERIODS.get(digest, timedelta(0))
        last = prefs.last_digest_at if prefs else None
        if last is not None and now - last < period:
            continue
        if digest_send(user=user, now=now):
            sent += 1
    return sent
