"""Expert programme reads, with the viewer's permissions applied (docs/programme.md)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.core.errors import NotFound
from vivier.core.ids import parse_id
from vivier.people.models import Profile
from vivier.programme.models import (
    Award,
    Criterion,
    Domain,
    Event,
    GovernanceSeat,
    Nomination,
    PathEnrolment,
    Review,
    SkillPath,
    StrategicProject,
    TimeBudget,
    TimeEntry,
)
from vivier.social.models import Community
from vivier.social.permissions import can_see_community
from vivier.social.selectors import member_community_ids

NOMINATION_NOT_FOUND = _("This nomination does not exist.")
DOMAIN_NOT_FOUND = _("This domain does not exist.")
EVENT_NOT_FOUND = _("This event does not exist.")
VALID_AWARD_STATES = (Award.State.ACTIVE, Award.State.RENEWAL_DUE)


def valid_awards() -> QuerySet[Award]:
    """Awards that still give the label: active or awaiting renewal, not past their expiry."""
    return Award.objects.filter(state__in=VALID_AWARD_STATES, expires_at__gt=timezone.now())


def committee_domain_ids(user: User) -> set[int]:
    """The domains whose committee `user` sits on (cached on the user for the request)."""
    cached = user.__dict__.get("_programme_committees")
    if cached is None:
        cached = set(user.programme_committees.values_list("pk", flat=True))
        user.__dict__["_programme_committees"] = cached
    return cached


def is_committee_member(user: User, domain_id: int) -> bool:
    """Whether `user` sits on the committee of the domain."""
    return user.is_authenticated and domain_id in committee_domain_ids(user)


def nomination_roles(viewer: User, nomination: Nomination) -> set[str]:
    """The parts `viewer` plays in a nomination: candidate, nominator, manager, committee, hr."""
    roles = set()
    if nomination.candidate_id == viewer.pk:
        roles.add("candidate")
    if nomination.nominated_by_id == viewer.pk:
        roles.add("nominator")
    if nomination.manager_id == viewer.pk:
        roles.add("manager")
    if nomination.candidate_id != viewer.pk and is_committee_member(viewer, nomination.domain_id):
        roles.add("committee")
    if is_hr_admin(viewer):
        roles.add("hr")
    return roles


def has_conflict(viewer: User, nomination: Nomination) -> bool:
    """Whether `viewer` may not judge this nomination: it is theirs, or their direct report's."""
    if viewer.pk == nomination.candidate_id or viewer.pk == nomination.manager_id:
        return True
    return Profile.objects.filter(user_id=nomination.candidate_id, manager_id=viewer.pk).exists()


def can_see_scores(viewer: User, nomination: Nomination) -> bool:
    """Scores are for HR and the committee members without conflict; never for the candidate."""
    roles = nomination_roles(viewer, nomination)
    if "candidate" in roles:
        return False
    # A committee member in conflict of interest (the candidate's manager) does not see them.
    return "hr" in roles or ("committee" in roles and not has_conflict(viewer, nomination))


def nominations_visible(*, viewer: User) -> QuerySet[Nomination]:
    """Nominations `viewer` may see: theirs, those they made or must give an opinion on, their
    committees' (once past the manager's step), all of them for HR."""
    qs = Nomination.objects.select_related(
        "domain", "candidate", "candidate__profile", "nominated_by", "manager"
    )
    if is_hr_admin(viewer):
        return qs
    committee = committee_domain_ids(viewer)
    return qs.filter(
        Q(candidate=viewer)
        | Q(nominated_by=viewer)
        | Q(manager=viewer)
        | (Q(domain_id__in=committee) & ~Q(state=Nomination.State.MANAGER_REVIEW))
    )


def nomination_get(*, viewer: User, nomination_id: Any) -> Nomination:
    """One nomination `viewer` may see, or NotFound."""
    pk = parse_id(nomination_id)
    found = nominations_visible(viewer=viewer).filter(pk=pk).first() if pk else None
    if found is None:
        raise NotFound("nomination_not_found", NOMINATION_NOT_FOUND)
    return found


def nominations_to_review(*, viewer: User) -> QuerySet[Nomination]:
    """Nominations waiting for `viewer`: a manager's opinion, or their committee's review."""
    return nominations_visible(viewer=viewer).filter(
        Q(manager=viewer, state=Nomination.State.MANAGER_REVIEW)
        | Q(domain_id__in=committee_domain_ids(viewer), state=Nomination.State.COMMITTEE_REVIEW),
    )


def domains_all() -> QuerySet[Domain]:
    """Every domain with its criteria, skills and committee."""
    return Domain.objects.select_related("community").prefetch_related(
        "criteria", "skills", Prefetch("committee", queryset=User.objects.order_by("last_name"))
    )


def domain_get(*, domain_id: Any) -> Domain:
    """One domain (every employee may read domains, criteria and committees), or NotFound."""
    pk = parse_id(domain_id)
    found = domains_all().filter(pk=pk).first() if pk else None
    if found is None:
        raise NotFound("domain_not_found", DOMAIN_NOT_FOUND)
    return found


@dataclass
class ReviewView:
    review: Review
    scores: dict[int, int]
    weighted: float | None


@dataclass
class ReviewSummary:
    """The committee's reviews of a nomination and their weighted average (0 to 5)."""

    reviews: list[ReviewView] = field(default_factory=list)
    average: float | None = None
    quorum: int = 0

    @property
    def quorum_reached(self) -> bool:
        return len(self.reviews) >= self.quorum


def weighted_score(scores: dict[int, int], criteria: list[Criterion]) -> float | None:
    """The weighted mean of the scores over the criteria, or None when nothing is scored."""
    total_weight = sum(c.weight for c in criteria if c.pk in scores)
    if not total_weight:
        return None
    return round(sum(scores[c.pk] * c.weight for c in criteria if c.pk in scores) / total_weight, 2)


def review_summary(*, viewer: User, nomination: Nomination) -> ReviewSummary | None:
    """The reviews with their scores, for the committee and HR; None for anyone else."""
    if not can_see_scores(viewer, nomination):
        return None
    criteria = list(nomination.domain.criteria.all())
    summary = ReviewSummary(quorum=nomination.domain.quorum)
    for review in (
        Review.objects.filter(nomination=nomination)
        .select_related("reviewer")
        .prefetch_related("scores")
    ):
        scores = {s.criterion_id: s.value for s in review.scores.all()}
        summary.reviews.append(ReviewView(review, scores, weighted_score(scores, criteria)))
    marks = [r.weighted for r in summary.reviews if r.weighted is not None]
    summary.average = round(sum(marks) / len(marks), 2) if marks else None
    return summary


def review_count(nomination: Nomination) -> int:
    """How many committee members reviewed the nomination (anyone may know the count)."""
    return Review.objects.filter(nomination=nomination).count()


def awards_for(*, user: User) -> QuerySet[Award]:
    """A person's awards, newest first, with their domain (their history included)."""
    return Award.objects.filter(user=user).select_related("domain").order_by("-granted_at")


def expert_directory(*, domain: Domain | None = None) -> QuerySet[Award]:
    """Valid awards, one per expert and domain, with the people's profiles."""
    qs = valid_awards().select_related("domain", "user", "user__profile", "user__profile__org_unit")
    if domain is not None:
        qs = qs.filter(domain=domain)
    return qs.filter(user__is_active=True).order_by("domain__name", "user__last_name", "user_id")


def visibility_for(*, user: User) -> tuple[list[GovernanceSeat], list[StrategicProject]]:
    """An expert's governance seats and strategic projects (shown to every employee)."""
    return (
        list(GovernanceSeat.objects.filter(user=user)),
        list(StrategicProject.objects.filter(user=user)),
    )


# Time budget


def budget_percent(user: User) -> int:
    """The person's dedicated share, 20 % unless HR set another."""
    found = TimeBudget.objects.filter(user=user).values_list("percent", flat=True).first()
    return 20 if found is None else found


@dataclass
class ExpertTime:
    user: User
    percent: int
    used_hours: Decimal


def experts_time(*, year: int | None = None) -> list[ExpertTime]:
    """HR: each active labelled expert's dedicated share and the hours logged in the year."""
    year = year or timezone.localdate().year
    users = (
        User.objects.filter(is_active=True, pk__in=valid_awards().values("user_id"))
        .select_related("profile")
        .order_by("last_name", "first_name", "pk")
    )
    shares = dict(TimeBudget.objects.filter(user__in=users).values_list("user_id", "percent"))
    used = dict(
        TimeEntry.objects.filter(user__in=users, day__year=year)
        .values("user_id")
        .annotate(total=Sum("hours"))
        .values_list("user_id", "total")
    )
    return [
        ExpertTime(user=u, percent=shares.get(u.pk, 20), used_hours=used.get(u.pk, Decimal(0)))
        for u in users
    ]


@dataclass
class BudgetDashboard:
    year: int
    percent: int
    budget_hours: Decimal
    used_hours: Decimal
    by_kind: list[tuple[str, Decimal]]
    entries: list[TimeEntry]

    @property
    def used_percent(self) -> int:
        if not self.budget_hours:
            return 0
        return round(100 * self.used_hours / self.budget_hours)


def budget_dashboard(*, user: User, year: int | None = None) -> BudgetDashboard:
    """Time logged in the year against the budget: totals by activity and the latest entries."""
    year = year or timezone.localdate().year
    entries = TimeEntry.objects.filter(user=user, day__year=year)
    sums = dict(entries.values("kind").annotate(total=Sum("hours")).values_list("kind", "total"))
    percent = budget_percent(user)
    budget = Decimal(settings.VIVIER_PROGRAMME_YEAR_HOURS * percent) / 100
    return BudgetDashboard(
        year=year,
        percent=percent,
        budget_hours=budget.quantize(Decimal("0.1")),
        used_hours=sum(sums.values(), Decimal(0)),
        by_kind=[(label, sums.get(kind, Decimal(0))) for kind, label in TimeEntry.Kind.choices],
        entries=list(entries.order_by("-day", "-id")[:20]),
    )


# Soft-skill paths


def paths_all() -> QuerySet[SkillPath]:
    """Every soft-skill path with its steps."""
    return SkillPath.objects.prefetch_related("steps")


def enrolments_for(*, user: User) -> QuerySet[PathEnrolment]:
    """The paths `user` follows and those they mentor, with steps and progress."""
    return (
        PathEnrolment.objects.filter(Q(user=user) | Q(mentor=user))
        .select_related("path", "user", "mentor")
        .prefetch_related("path__steps", "progress")
        .order_by("path__axis", "id")
    )


# Events


def events_visible(*, viewer: User, upcoming_only: bool = True) -> QuerySet[Event]:
    """Events in communities `viewer` may see, with their registration counts."""
    visible = Q(community__visibility__in=[Community.Visibility.OPEN, Community.Visibility.CLOSED])
    visible |= Q(community_id__in=member_community_ids(viewer))
    qs = (
        Event.objects.filter(visible, community__archived_at__isnull=True)
        .select_related("community")
        .annotate(registered=Count("registrations"))
    )
    if upcoming_only:
        qs = qs.filter(ends_at__gte=timezone.now())
    return qs.order_by("starts_at", "id")


def event_get(*, viewer: User, event_id: Any) -> Event:
    """One event in a community `viewer` may see, or NotFound."""
    pk = parse_id(event_id)
    found = events_visible(viewer=viewer, upcoming_only=False).filter(pk=pk).first() if pk else None
    if found is None or not can_see_community(user=viewer, community=found.community):
        raise NotFound("event_not_found", EVENT_NOT_FOUND)
    return found


def registered_event_ids(*, viewer: User, events: list[Event]) -> set[int]:
    """Which of the events `viewer` registered for."""
    return set(
        viewer.programme_registrations.filter(event__in=events).values_list("event_id", flat=True)
    )


# HR dashboard


@dataclass
class HrDashboard:
    experts_per_domain: list[tuple[str, int]]
    nominations_by_state: list[tuple[str, int]]
    renewals_due: list[Award]
    left: list[Award]


def hr_dashboard(*, today: date | None = None) -> HrDashboard:
    """The programme at a glance: experts per domain, nominations by stage, renewals, leavers."""
    now = timezone.now()
    per_domain = Counter(
        dict(
            valid_awards()
            .filter(user__is_active=True)
            .values("domain__name")
            .annotate(n=Count("user", distinct=True))
            .values_list("domain__name", "n")
        )
    )
    domains = list(Domain.objects.values_list("name", flat=True))
    by_state = dict(
        Nomination.objects.values("state").annotate(n=Count("id")).values_list("state", "n")
    )
    horizon = now + timedelta(days=settings.VIVIER_PROGRAMME_RENEWAL_DAYS)
    renewals = list(
        Award.objects.filter(state__in=VALID_AWARD_STATES, expires_at__lte=horizon)
        .select_related("user", "domain")
        .order_by("expires_at")
    )
    # Anyone who ever held a label and whose account is closed.
    left_by_user: dict[int, Award] = {}
    for award in (
        Award.objects.filter(user__is_active=False)
        .select_related("user", "domain")
        .order_by("user_id", "-granted_at")
    ):
        left_by_user.setdefault(award.user_id, award)
    return HrDashboard(
        experts_per_domain=[(name, per_domain.get(name, 0)) for name in domains],
        nominations_by_state=[
            (str(label), by_state.get(v, 0)) for v, label in Nomination.State.choices
        ],
        renewals_due=renewals,
        left=list(left_by_user.values()),
    )


def group_by_domain(awards: list[Award]) -> list[tuple[Domain, list[Award]]]:
    """Awards grouped by domain, in the order given."""
    groups: dict[int, list[Award]] = defaultdict(list)
    domains: dict[int, Domain] = {}
    for award in awards:
        groups[award.domain_id].append(award)
        domains[award.domain_id] = award.domain
    return [(domains[pk], items) for pk, items in groups.items()]


def as_datetime(day: date) -> datetime:
    """Midnight of the day in the current time zone."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
