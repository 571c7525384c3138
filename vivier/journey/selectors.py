"""Journey reads, permission-filtered: funnel, transitions, uplift, a person's journey, tasks."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import MAXYEAR, date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, NotFound, PermissionDenied
from vivier.core.ids import parse_id
from vivier.journey import services
from vivier.journey.models import (
    STAGE_ORDER,
    STAGE_RANK,
    Ambassador,
    Invitation,
    JourneyPreference,
    JourneySettings,
    JourneySnapshot,
    JourneyTask,
    JourneyTip,
    Kudos,
    Playbook,
    PlaybookAssignment,
    PlaybookRun,
    Stage,
    better_stages,
)
from vivier.journey.permissions import (
    can_manage_playbooks,
    can_view_aggregates,
    can_view_all,
    can_view_person,
    is_ambassador,
    managed_units,
)
from vivier.journey.stats import Difference, newcombe_difference
from vivier.people.models import OrgUnit
from vivier.social.models import Community, Membership
from vivier.social.permissions import can_see_community

NOT_ALLOWED = _("Only HR administrators and managers (for their teams) see these figures.")
NOT_YOURS = _("You may only see your own journey.")
UNIT_NOT_FOUND = _("This unit does not exist.")
UNIT_NOT_MANAGED = _("You only see figures for the units you manage.")
COMMUNITY_NOT_FOUND = _("This community does not exist.")
PERSON_NOT_FOUND = _("This person does not exist.")


@dataclass(frozen=True)
class Scope:
    """Whose snapshots an aggregate covers: a unit subtree, a community, a joining month."""

    unit: OrgUnit | None = None
    community: Community | None = None
    cohort: date | None = None
    managed_paths: tuple[str, ...] = ()

    def filter(self, snapshots: QuerySet[JourneySnapshot]) -> QuerySet[JourneySnapshot]:
        """The snapshots of the people in this scope."""
        if self.unit is not None:
            snapshots = snapshots.filter(user__profile__org_unit__path__startswith=self.unit.path)
        elif self.managed_paths:
            in_subtrees = Q()
            for path in self.managed_paths:
                in_subtrees |= Q(user__profile__org_unit__path__startswith=path)
            snapshots = snapshots.filter(in_subtrees)
        if self.community is not None:
            snapshots = snapshots.filter(
                Exists(
                    Membership.objects.filter(
                        user_id=OuterRef("user_id"),
                        community=self.community,
                        status=Membership.Status.ACTIVE,
                    )
                )
            )
        if self.cohort is not None:
            snapshots = snapshots.filter(user__date_joined__date__gte=self.cohort)
            # December 9999 has no following month in Python's dates: no upper bound there.
            if self.cohort < date(MAXYEAR, 12, 1):
                following = (self.cohort.replace(day=28) + timedelta(days=4)).replace(day=1)
                snapshots = snapshots.filter(user__date_joined__date__lt=following)
        return snapshots


def _id(value: Any, field_name: str) -> int | None:
    """The id written in `value`, None when empty, or a `bad_id` error."""
    if value in (None, ""):
        return None
    number = parse_id(value)
    if number is None:
        raise ApplicationError("bad_id", _("Not a valid id."), field=field_name)
    return number


def scope_resolve(
    *, viewer: User, unit_id: Any = None, community_id: Any = None, cohort: Any = None
) -> Scope:
    """The scope `viewer` asked for, refused when outside what they may see."""
    if not can_view_aggregates(viewer=viewer):
        raise PermissionDenied("forbidden", NOT_ALLOWED)
    hr = can_view_all(viewer=viewer)
    managed = () if hr else tuple(u.path for u in managed_units(user=viewer))
    unit = None
    uid = _id(unit_id, "unit")
    if uid is not None:
        unit = OrgUnit.objects.filter(pk=uid).first()
        if unit is None:
            raise NotFound("unit_not_found", UNIT_NOT_FOUND, field="unit")
        if not hr and not any(unit.path.startswith(path) for path in managed):
            raise PermissionDenied("unit_not_managed", UNIT_NOT_MANAGED, field="unit")
    community = None
    cid = _id(community_id, "community")
    if cid is not None:
        community = Community.objects.filter(pk=cid).first()
        if community is None or not can_see_community(user=viewer, community=community):
            raise NotFound("community_not_found", COMMUNITY_NOT_FOUND, field="community")
    month = None if cohort in (None, "") else services.parse_month(cohort, field="cohort")
    return Scope(unit=unit, community=community, cohort=month, managed_paths=managed)


def latest_date(*, on_or_before: date | None = None) -> date | None:
    """The latest day that has snapshots (on or before a given day)."""
    snapshots = JourneySnapshot.objects.all()
    if on_or_before is not None:
        snapshots = snapshots.filter(date__lte=on_or_before)
    return snapshots.order_by("-date").values_list("date", flat=True).first()


def _masked(count: int, minimum: int) -> int | None:
    """The count, or None when it describes fewer than `minimum` people (but some)."""
    return None if 0 < count < minimum else count


@dataclass
class Funnel:
    """People per stage on one day, small groups masked."""

    day: date | None
    total: int | None
    rows: list[dict[str, Any]]
    masked: bool
    min_group: int
    history_dates: list[date] = field(default_factory=list)
    history: dict[str, list[int | None]] = field(default_factory=dict)


def _history_dates(latest: date) -> list[date]:
    """Up to 13 snapshot days, about a month apart, ending with `latest`."""
    wanted = [latest - timedelta(days=30 * step) for step in range(12, -1, -1)]
    have = set(
        JourneySnapshot.objects.filter(date__gte=wanted[0], date__lte=latest)
        .values_list("date", flat=True)
        .distinct()
    )
    picked = []
    for day in wanted:
        candidates = [d for d in have if day - timedelta(days=6) <= d <= day]
        if candidates:
            picked.append(max(candidates))
    return sorted(set(picked))


def funnel(*, viewer: User, scope: Scope, day: date | None = None) -> Funnel:
    """Stage counts on `day` (default: the latest snapshot day) and monthly history."""
    if not can_view_aggregates(viewer=viewer):
        raise PermissionDenied("forbidden", NOT_ALLOWED)
    minimum = JourneySettings.current().min_group
    day = latest_date(on_or_before=day) if day else latest_date()
    if day is None:
        return Funnel(day=None, total=0, rows=[], masked=False, min_group=minimum)
    counts = Counter(
        dict(
            scope.filter(JourneySnapshot.objects.filter(date=day))
            .values_list("stage")
            .annotate(n=Count("id"))
            .values_list("stage", "n")
        )
    )
    total = sum(counts.values())
    too_small = 0 < total < minimum
    rows = []
    for stage in STAGE_ORDER:
        count = None if too_small else _masked(counts.get(stage, 0), minimum)
        rows.append(
            {
                "stage": stage,
                "label": Stage(stage).label,
                "count": count,
                "share": None if count is None or not total else count / total,
            }
        )
    dates = _history_dates(day)
    history: dict[str, list[int | None]] = {stage: [] for stage in STAGE_ORDER}
    if dates:
        by_day: dict[tuple[date, str], int] = {
            (d, s): n
            for d, s, n in scope.filter(JourneySnapshot.objects.filter(date__in=dates))
            .values_list("date", "stage")
            .annotate(n=Count("id"))
            .values_list("date", "stage", "n")
        }
        totals = Counter()
        for (d, _s), n in by_day.items():
            totals[d] += n
        for stage in STAGE_ORDER:
            for d in dates:
                n = by_day.get((d, stage), 0)
                small = 0 < totals[d] < minimum
                history[stage].append(None if small else _masked(n, minimum))
    return Funnel(
        day=day,
        total=None if too_small else total,
        rows=rows,
        masked=too_small or any(r["count"] is None for r in rows),
        min_group=minimum,
        history_dates=dates,
        history=history,
    )


@dataclass
class Transitions:
    """A from-stage by to-stage matrix of people between two days, small cells masked."""

    start: date
    end: date
    rows: list[dict[str, Any]]
    masked: bool
    min_group: int
    total: int | None


def transitions(*, viewer: User, scope: Scope, start: date, end: date) -> Transitions:
    """How many people went from each stage on `start` to each stage on `end`."""
    if not can_view_aggregates(viewer=viewer):
        raise PermissionDenied("forbidden", NOT_ALLOWED)
    services.date_range_check(start=start, end=end)
    minimum = JourneySettings.current().min_group
    before = JourneySnapshot.objects.filter(user_id=OuterRef("user_id"), date=start).values(
        "stage"
    )[:1]
    pairs = (
        scope.filter(JourneySnapshot.objects.filter(date=end))
        .annotate(previous=Subquery(before))
        .filter(previous__isnull=False)
        .values_list("previous", "stage")
        .annotate(n=Count("id"))
        .values_list("previous", "stage", "n")
    )
    cells: dict[tuple[str, str], int] = {(a, b): n for a, b, n in pairs}
    total = sum(cells.values())
    too_small = 0 < total < minimum
    rows = []
    masked = too_small
    for origin in STAGE_ORDER:
        row_total = sum(cells.get((origin, target), 0) for target in STAGE_ORDER)
        shown_total = None if too_small else _masked(row_total, minimum)
        row_cells = []
        for target in STAGE_ORDER:
            n = cells.get((origin, target), 0)
            shown = None if too_small or shown_total is None else _masked(n, minimum)
            masked = masked or (n > 0 and shown is None)
            row_cells.append(
                {
                    "stage": target,
                    "count": shown,
                    "share": None if shown is None or not row_total else shown / row_total,
                }
            )
        rows.append(
            {
                "stage": origin,
                "label": Stage(origin).label,
                "total": shown_total,
                "cells": row_cells,
            }
        )
    return Transitions(
        start=start,
        end=end,
        rows=rows,
        masked=masked,
        min_group=minimum,
        total=None if too_small else total,
    )


@dataclass
class Uplift:
    """One playbook's measured effect on reaching a better stage."""

    playbook: Playbook
    treated_n: int
    treated_x: int
    control_n: int
    control_x: int
    result: Difference | None
    sent: int
    pending: int


def uplift(*, viewer: User, playbook_id: Any = None) -> list[Uplift]:
    """Per playbook: treated vs control rate of reaching a better stage within the window."""
    if not can_manage_playbooks(viewer=viewer):
        raise PermissionDenied("forbidden", NOT_ALLOWED)
    cfg = JourneySettings.current()
    last = latest_date()
    playbooks = list(Playbook.objects.order_by("stage", "pk").prefetch_related("actions"))
    if playbook_id is not None:
        playbooks = [p for p in playbooks if p.pk == playbook_id]
        if not playbooks:
            raise NotFound("playbook_not_found", _("This playbook does not exist."))
    window = timedelta(days=cfg.uplift_days)
    cutoff = (last - window) if last else date.min
    ids = [p.pk for p in playbooks]
    outcomes: dict[tuple[int, str], int] = {
        (pid, outcome): n
        for pid, outcome, n in PlaybookRun.objects.filter(playbook_id__in=ids)
        .values_list("playbook_id", "outcome")
        .annotate(n=Count("id"))
        .values_list("playbook_id", "outcome", "n")
    }
    pending = dict(
        PlaybookRun.objects.filter(playbook_id__in=ids, date__gt=cutoff)
        .values_list("playbook_id")
        .annotate(n=Count("id"))
        .values_list("playbook_id", "n")
    )
    results = []
    for playbook in playbooks:
        # Only runs whose whole window lies within the computed snapshots have an outcome.
        complete = PlaybookRun.objects.filter(playbook=playbook, date__lte=cutoff)
        in_window = JourneySnapshot.objects.filter(
            user_id=OuterRef("user_id"), date__gt=OuterRef("date"), date__lte=OuterRef("window_end")
        )
        targets = better_stages(playbook.stage)
        if targets:
            reached = Exists(in_window.filter(stage__in=targets))
        else:
            # Nothing is better than promotion: success is staying there through the window.
            reached = Exists(in_window) & ~Exists(in_window.exclude(stage=playbook.stage))
        groups = {
            row["group"]: row
            for row in complete.annotate(window_end=F("date") + window)
            .annotate(reached=reached)
            .values("group")
            .annotate(n=Count("id"), x=Count("id", filter=Q(reached=True)))
            .values("group", "n", "x")
        }
        t = groups.get(PlaybookAssignment.Group.TREATED, {"n": 0, "x": 0})
        c = groups.get(PlaybookAssignment.Group.CONTROL, {"n": 0, "x": 0})
        tx, cx = int(t["x"] or 0), int(c["x"] or 0)
        results.append(
            Uplift(
                playbook=playbook,
                treated_n=t["n"],
                treated_x=tx,
                control_n=c["n"],
                control_x=cx,
                result=newcombe_difference(tx, t["n"], cx, c["n"]),
                sent=outcomes.get((playbook.pk, PlaybookRun.Outcome.SENT), 0),
                pending=pending.get(playbook.pk, 0),
            )
        )
    return results


# A person's journey


NEXT_STEPS: dict[str, list[tuple[Any, Any, str]]] = {
    "information": [
        (
            _("Find who knows"),
            _("Ask the colleague who already solved your problem instead of starting from zero."),
            "expertise:experts",
        ),
        (
            _("Browse the communities"),
            _("See what your colleagues share in your trade, with no commitment."),
            "social:communities",
        ),
    ],
    "discovery": [
        (
            _("Join a community"),
            _("Get the news of your trade in your feed, from people you can ask."),
            "social:communities",
        ),
        (
            _("Give your opinion"),
            _("Answer a survey or vote for an idea: it takes a minute and it is heard."),
            "voice:home",
        ),
    ],
    "participation": [
        (
            _("Answer a question"),
            _("Share what you know once, instead of answering the same question by e-mail."),
            "expertise:questions",
        ),
        (
            _("Find a mentor"),
            _("Grow faster with a colleague who has been there."),
            "mentoring:home",
        ),
    ],
    "contribution": [
        (
            _("Look at the opportunities"),
            _("What you write shows what you can do: projects and gigs are waiting for it."),
            "opportunities:list",
        ),
        (
            _("Become a mentor"),
            _("Pass on what you know and get recognised for it."),
            "mentoring:home",
        ),
    ],
    "promotion": [
        (
            _("Thank a colleague"),
            _("Kudos make the people who help visible, and they help again."),
            "journey:me",
        ),
        (
            _("Animate a community"),
            _("Bring together the people of your trade around what matters to them."),
            "social:communities",
        ),
    ],
    "disappointment": [
        (
            _("Tell us what went wrong"),
            _("Your feedback changes the tool: the idea box reaches the team that runs it."),
            "voice:ideas",
        ),
        (
            _("Find who knows"),
            _("One good answer from a colleague can save you a day."),
            "expertise:experts",
        ),
    ],
}


@dataclass
class Journey:
    """What a person's journey page shows."""

    person: User
    current: JourneySnapshot | None
    periods: list[dict[str, Any]]
    days_per_stage: list[tuple[str, int]]
    next_steps: list[tuple[Any, Any, str]]
    tips: list[JourneyTip]
    kudos_received: list[Kudos]
    kudos_received_count: int
    kudos_sent_count: int
    ambassador: Ambassador | None
    opted_out: bool
    recruits: list[User]


def person_get(*, viewer: User, person_id: Any) -> User:
    """A person whose journey `viewer` may see."""
    pid = _id(person_id, "person")
    person = User.objects.filter(pk=pid).first() if pid else None
    if person is None:
        raise NotFound("person_not_found", PERSON_NOT_FOUND)
    if not can_view_person(viewer=viewer, person=person):
        raise PermissionDenied("forbidden", NOT_YOURS)
    return person


def journey(*, viewer: User, person: User, months: int = 12) -> Journey:
    """A person's stage, its history (as periods), next steps, tips, kudos, ambassador tools."""
    if not can_view_person(viewer=viewer, person=person):
        raise PermissionDenied("forbidden", NOT_YOURS)
    since = services.now_day() - timedelta(days=30 * months)
    history = list(
        JourneySnapshot.objects.filter(user=person, date__gte=since)
        .order_by("date")
        .values_list("date", "stage")
    )
    periods: list[dict[str, Any]] = []
    for day, stage in history:
        if periods and periods[-1]["stage"] == stage:
            periods[-1]["end"] = day
            periods[-1]["days"] += 1
        else:
            periods.append(
                {"stage": stage, "label": Stage(stage).label, "start": day, "end": day, "days": 1}
            )
    spent = Counter(stage for _day, stage in history)
    current = JourneySnapshot.objects.filter(user=person).order_by("-date").first()
    stage = current.stage if current else Stage.INFORMATION
    own = viewer.pk == person.pk
    ambassador = Ambassador.objects.filter(user=person).first()
    recruits: list[User] = []
    if own and ambassador and ambassador.status == Ambassador.Status.ACCEPTED:
        recruits = recruit_suggestions(viewer=viewer)
    return Journey(
        person=person,
        current=current,
        periods=list(reversed(periods)),
        days_per_stage=[(s, spent.get(s, 0)) for s in STAGE_ORDER],
        next_steps=NEXT_STEPS[stage],
        tips=list(
            JourneyTip.objects.filter(user=person, dismissed_at__isnull=True)
            .select_related("action")
            .order_by("-created_at")[:5]
        )
        if own
        else [],
        kudos_received=list(
            Kudos.objects.filter(recipient=person).select_related("sender", "sender__profile")[:5]
        ),
        kudos_received_count=Kudos.objects.filter(recipient=person).count(),
        kudos_sent_count=Kudos.objects.filter(sender=person).count(),
        ambassador=ambassador,
        opted_out=JourneyPreference.objects.filter(user=person, opted_out=True).exists(),
        recruits=recruits,
    )


def recruit_suggestions(*, viewer: User, limit: int = 10) -> list[User]:
    """Colleagues of an ambassador's communities who interact but have not written lately.

    These are people at the participation stage on the latest snapshot day, not invited by
    this ambassador in the last 30 days.
    """
    if not is_ambassador(user=viewer):
        return []
    day = latest_date()
    if day is None:
        return []
    communities = Membership.objects.filter(user=viewer, status=Membership.Status.ACTIVE).values(
        "community_id"
    )
    peers = Membership.objects.filter(
        community_id__in=communities, status=Membership.Status.ACTIVE
    ).values("user_id")
    invited = Invitation.objects.filter(
        inviter=viewer, created_at__gte=services.timezone.now() - timedelta(days=30)
    ).values("invitee_id")
    ids = (
        JourneySnapshot.objects.filter(date=day, stage=Stage.PARTICIPATION, user_id__in=peers)
        .exclude(user_id=viewer.pk)
        .exclude(user_id__in=invited)
        .values_list("user_id", flat=True)[:limit]
    )
    return list(User.objects.filter(pk__in=list(ids), is_active=True).select_related("profile"))


def opted_out(*, user: User) -> bool:
    """Whether `user` opted out of journey nudges."""
    return JourneyPreference.objects.filter(user=user, opted_out=True).exists()


def tasks_for(*, viewer: User, include_done: bool = False) -> list[JourneyTask]:
    """My accompaniment tasks (as a manager or animator), newest first."""
    tasks = JourneyTask.objects.filter(assignee=viewer)
    if not include_done:
        tasks = tasks.filter(done_at__isnull=True)
    return list(
        tasks.select_related("person", "person__profile", "action", "run").order_by(
            "-created_at", "-pk"
        )[:100]
    )


def kudos_list(*, viewer: User, received: bool = True, limit: int = 50) -> list[Kudos]:
    """Kudos I received (or sent), newest first."""
    kudos = (
        Kudos.objects.filter(recipient=viewer) if received else Kudos.objects.filter(sender=viewer)
    )
    return list(kudos.select_related("sender", "recipient")[:limit])


def stage_rank(stage: str) -> int:
    """The progress rank of a stage (disappointment ranks with discovery)."""
    return STAGE_RANK[stage]
