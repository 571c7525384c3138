"""The demo's adoption journey: a year of sign-ins, views and quiet spells, then daily snapshots.

The other demo builders record what people wrote, liked and joined; this one adds what a real
log would also hold: sign-ins and page views, on each person's own rhythm (steady, occasional,
adopting late, going quiet for a while, coming back), ambassadors, invitations and kudos. Then it computes a year of snapshots, set-based, and runs the
playbooks on them (recorded, delivered only for the last days, so nobody gets a year of tips).
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.db.models import F, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from vivier.accounts.models import User
from vivier.core.models import ActivityEvent
from vivier.journey import engine, services
from vivier.journey.defaults import defaults_ensure
from vivier.journey.models import Ambassador, JourneySnapshot, Kudos, Stage
from vivier.social.models import Post

# Daily snapshots for the last DAILY_DAYS days; weekly before that, back to a year. Weekly steps
# keep the demo fast (about 80 computed days instead of 365); transitions read consecutive days.
DAILY_DAYS = 21
DAYS = 364

KUDOS = [
    "Merci pour ton aide sur la migration, tu m'as fait gagner une semaine !",
    "Bravo pour l'atelier d'hier, très clair et concret.",
    "Merci d'avoir relu ma note si vite.",
    "Ta réponse sur le forum a débloqué toute l'équipe, merci !",
    "Merci pour l'accueil dans la communauté, je me suis senti·e attendu·e.",
    "Super présentation au comité, merci d'avoir porté le sujet.",
    "Thanks for the pairing session, I finally understand the pipeline.",
    "Merci pour le mentorat de ces derniers mois.",
]


def _aware(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class JourneyDemoBuilder:
    """Builds the journey part of the demo company."""

    def __init__(self, *, seed: int, today: date | None = None) -> None:
        self.rng = random.Random(seed + 8)
        self.today = today or timezone.localdate()

    def build(self) -> dict[str, int]:
        """Add activity, compute a year of snapshots and run the playbooks; return counts."""
        defaults_ensure()
        with transaction.atomic():
            self._align_event_times()
            people = list(User.objects.filter(is_active=True).order_by("id"))
            if len(people) < 10:
                return {"events": 0, "days": 0, "snapshots": 0, "runs": 0}
            self._backdate_joining(people)
            events = self._visits(people)
        days = self._days()
        counts: dict[str, int] = {"snapshots": 0, "runs": 0}
        last = days[-1]
        for day in days:
            deliver = (last - day).days < 3
            written = engine.snapshot_day(day)
            runs = services.playbooks_run(day=day, entered=engine.entrants(day), deliver=deliver)
            counts["snapshots"] += written
            counts["runs"] += sum(runs.values())
        with transaction.atomic():
            mark = ActivityEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            extra = self._ambassadors_and_kudos()
            self._align_event_times(after_pk=mark)
            # The last day again: ambassadors and invitations now count.
            engine.snapshot_day(last)
        return {
            "events": events,
            "days": len(days),
            **counts,
            **extra,
        }

    def _align_event_times(self, *, after_pk: int = 0) -> None:
        """Give events still stamped at build time the creation time of what they record."""
        started = timezone.now() - timedelta(hours=3)
        recent = ActivityEvent.objects.filter(
            occurred_at__gte=started, pk__gt=after_pk, object_id__isnull=False
        )
        for object_type in set(recent.values_list("object_type", flat=True)):
            if "." not in object_type:
                continue
            try:
                model = apps.get_model(object_type)
            except LookupError:
                continue
            if not any(f.name == "created_at" for f in model._meta.fields):
                continue
            created = model.objects.filter(pk=OuterRef("object_id")).values("created_at")[:1]
            # An object gone since (erased by the privacy demo, say) keeps the event's own time.
            recent.filter(object_type=object_type).update(
                occurred_at=Coalesce(Subquery(created), F("occurred_at"))
            )

    def _backdate_joining(self, people: list[User]) -> None:
        """Hiring dates: most people joined years ago, some during the year."""
        first = dict(ActivityEvent.objects.values_list("actor_id").annotate(m=Min("occurred_at")))
        updates = []
        for user in people:
            if self.rng.random() < 0.85:
                joined = self.today - timedelta(days=self.rng.randint(400, 4000))
            else:
                joined = self.today - timedelta(days=self.rng.randint(20, 360))
            at = _aware(joined, 9, 0)
            if first.get(user.pk) and first[user.pk] < at:
                at = first[user.pk] - timedelta(days=self.rng.randint(1, 20))
            user.date_joined = at
            updates.append(user)
        User.objects.bulk_update(updates, ["date_joined"], batch_size=500)

    def _visits(self, people: list[User]) -> int:
        """Sign-ins and views on each person's rhythm, with quiet spells for some."""
        posts = list(Post.objects.filter(deleted_at__isnull=True).values_list("pk", "author_id"))
        first = dict(ActivityEvent.objects.values_list("actor_id").annotate(m=Min("occurred_at")))
        rows: list[tuple[Any, ...]] = []
        start = self.today - timedelta(days=DAYS)
        for user in people:
            kind = self.rng.choices(
                ["steady", "occasional", "late", "quiet", "comeback"], weights=[30, 25, 15, 18, 12]
            )[0]
            rate = {"steady": 0.3, "occasional": 0.08, "late": 0.2, "quiet": 0.25, "comeback": 0.2}[
                kind
            ]
            joined = timezone.localdate(user.date_joined)
            begin = max(start, joined)
            if kind == "late":
                begin = max(begin, start + timedelta(days=self.rng.randint(60, 250)))
            if user.pk in first:
                begin = min(begin, timezone.localdate(first[user.pk]))
            quiet: tuple[date, date] | None = None
            if kind == "quiet":
                # Goes quiet for good, some time in the year.
                quiet = (start + timedelta(days=self.rng.randint(120, 330)), self.today)
            elif kind == "comeback":
                gap = start + timedelta(days=self.rng.randint(60, 220))
                quiet = (gap, gap + timedelta(days=self.rng.randint(40, 100)))
            day = begin
            while day <= self.today:
                in_quiet = quiet is not None and quiet[0] <= day < quiet[1]
                if not in_quiet and self.rng.random() < rate:
                    hour, minute = self.rng.randint(8, 18), self.rng.randint(0, 59)
                    at = _aware(day, hour, minute)
                    rows.append((user.pk, "signin", "accounts.user", None, None, at))
                    for _view in range(self.rng.randint(0, 2)):
                        if posts:
                            post_id, author_id = self.rng.choice(posts)
                            rows.append(
                                (
                                    user.pk,
                                    "view",
                                    "social.post",
                                    post_id,
                                    author_id,
                                    at + timedelta(minutes=self.rng.randint(1, 40)),
                                )
                            )
                day += timedelta(days=1)
        ops = connection.ops
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO core_activityevent "
                "(actor_id, verb, object_type, object_id, target_user_id, data, occurred_at) "
                "VALUES (%s, %s, %s, %s, %s, '{}', %s)",
                [
                    (a, v, o, oid, t, ops.adapt_datetimefield_value(at))
                    for a, v, o, oid, t, at in rows
                ],
            )
        last_signin = {}
        for actor, verb, _o, _oid, _t, at in rows:
            if verb == "signin" and (actor not in last_signin or at > last_signin[actor]):
                last_signin[actor] = at
        for user in people:
            user.last_login = last_signin.get(user.pk)
        User.objects.bulk_update(people, ["last_login"], batch_size=500)
        return len(rows)

    def _days(self) -> list[date]:
        start = self.today - timedelta(days=DAYS)
        days = []
        day = start
        daily_from = self.today - timedelta(days=DAILY_DAYS)
        while day <= self.today:
            days.append(day)
            day += timedelta(days=1 if day >= daily_from else 7)
        return days

    def _ambassadors_and_kudos(self) -> dict[str, int]:
        """Promoters are invited, most accept; ambassadors invite quiet colleagues; kudos."""
        promoters = list(
            JourneySnapshot.objects.filter(date=self.today, stage=Stage.PROMOTION)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        for user in User.objects.filter(pk__in=self.rng.sample(promoters, min(18, len(promoters)))):
            services.ambassador_invite(user=user)
        accepted = 0
        for ambassador in Ambassador.objects.filter(
            status=Ambassador.Status.INVITED
        ).select_related("user"):
            if self.rng.random() < 0.75:
                services.ambassador_answer(actor=ambassador.user, accept=self.rng.random() < 0.7)
                accepted += 1
        ambassadors = list(
            User.objects.filter(journey_ambassador__status=Ambassador.Status.ACCEPTED)
        )
        if not ambassadors:
            promoters = list(
                JourneySnapshot.objects.filter(date=self.today, stage=Stage.PROMOTION).values_list(
                    "user_id", flat=True
                )[:5]
            )
            for user in User.objects.filter(pk__in=promoters):
                Ambassador.objects.get_or_create(
                    user=user,
                    defaults={
                        "status": Ambassador.Status.ACCEPTED,
                        "invited_at": timezone.now(),
                        "answered_at": timezone.now(),
                    },
                )
            ambassadors = list(User.objects.filter(pk__in=promoters))
        # Ambassadors invite a few colleagues who only look, or went quiet, to come back.
        quiet = list(
            JourneySnapshot.objects.filter(
                date=self.today, stage__in=[Stage.DISCOVERY, Stage.DISAPPOINTMENT]
            )
            .order_by("user_id")
            .values_list("user_id", flat=True)[:6]
        )
        invitations = 0
        for index, invitee in enumerate(User.objects.filter(pk__in=quiet).order_by("pk")):
            sender = ambassadors[index % len(ambassadors)] if ambassadors else None
            if sender is not None and sender.pk != invitee.pk:
                services.invitation_send(
                    actor=sender,
                    invitee=invitee,
                    kind="join",
                    message="Passe voir la communauté, on t'attend !",
                )
                invitations += 1
        people = list(User.objects.filter(is_active=True, last_login__isnull=False).order_by("id"))
        kudos = 0
        for _ in range(min(60, len(people))):
            sender, recipient = self.rng.sample(people, 2)
            services.kudos_give(actor=sender, recipient=recipient, message=self.rng.choice(KUDOS))
            kudos += 1
        # Kudos are spread over the last months, as they would have been given.
        for row in Kudos.objects.all():
            row.created_at = timezone.now() - timedelta(days=self.rng.randint(0, 150))
            row.save(update_fields=["created_at"])
        return {"ambassadors": accepted, "invitations": invitations, "kudos": kudos}


def stages_now() -> dict[str, int]:
    """People per stage on the latest snapshot day (for the demo's summary line)."""
    day = JourneySnapshot.objects.order_by("-date").values_list("date", flat=True).first()
    counts = dict.fromkeys(Stage.values, 0)
    for stage in JourneySnapshot.objects.filter(date=day).values_list("stage", flat=True):
        counts[stage] += 1
    return counts
