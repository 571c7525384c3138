"""Reads of opportunities and applications with the viewer's permissions; the two-way matching."""

import heapq
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.core.errors import NotFound, PermissionDenied
from vivier.core.ids import parse_id
from vivier.opportunities.matching import Match, Need, Offer, Person, match, rank
from vivier.opportunities.models import (
    Application,
    MobilityPreference,
    Opportunity,
    OpportunitySkill,
)
from vivier.people.models import OrgUnit, Profile, ProfileSkill

RECOMMENDATION_LIMIT = 20
MAX_LIMIT = 50

OPPORTUNITY_NOT_FOUND = _("This opportunity does not exist.")
APPLICATION_NOT_FOUND = _("This application does not exist.")
ONLY_OWNER_SEES_PEOPLE = _("Only the owner of the opportunity sees the people suggested for it.")
ONLY_OWNER_SEES_APPLICATIONS = _("Only the owner of the opportunity sees its applications.")


def viewer_unit_ids(viewer: User) -> list[int]:
    """The viewer's org unit and its ancestors: the units whose audience includes the viewer."""
    path = Profile.objects.filter(user=viewer).values_list("org_unit__path", flat=True).first()
    return _unit_ids(path)


def can_manage_opportunity(*, user: User, opportunity: Opportunity) -> bool:
    """The owner and HR administrators edit an opportunity and decide on its applications."""
    return opportunity.owner_id == user.pk or is_hr_admin(user)


def _unit_ids(path: str | None) -> list[int]:
    """The ids an org unit's path lists: the unit and its ancestors."""
    return [int(part) for part in (path or "").strip("/").split("/") if part]


def visible_filter(viewer: User, *, unit_ids: list[int] | None = None) -> Q:
    """Opportunities `viewer` may see: their own; published ones meant for everyone or their units.

    `unit_ids` are the viewer's units (`viewer_unit_ids`) when the caller has already read them.
    """
    if is_hr_admin(viewer):
        return Q()
    if unit_ids is None:
        unit_ids = viewer_unit_ids(viewer)
    audience = Q(visibility=Opportunity.Visibility.EVERYONE) | Q(
        Exists(
            Opportunity.visible_units.through.objects.filter(
                opportunity_id=OuterRef("pk"), orgunit_id__in=unit_ids
            )
        )
    )
    return Q(owner=viewer) | (~Q(status=Opportunity.Status.DRAFT) & audience)


def opportunities_visible(*, viewer: User) -> QuerySet[Opportunity]:
    """Every opportunity the viewer may see."""
    return Opportunity.objects.filter(visible_filter(viewer))


def _with_details(opportunities: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return opportunities.select_related("owner", "location", "team", "job_role").prefetch_related(
        Prefetch("skills", queryset=OpportunitySkill.objects.select_related("skill")),
        "visible_units",
    )


def opportunity_list(
    *,
    viewer: User,
    kind: str = "",
    status: str = Opportunity.Status.OPEN,
    mine: bool = False,
    limit: int = MAX_LIMIT,
    offset: int = 0,
) -> list[Opportunity]:
    """Visible opportunities, newest first, filtered by kind, status and ownership."""
    found = opportunities_visible(viewer=viewer)
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    if mine:
        found = found.filter(owner=viewer)
    return list(_with_details(found.order_by("-published_at", "-id"))[offset : offset + limit])


def opportunity_get(*, viewer: User, opportunity_id: Any) -> Opportunity:
    """An opportunity the viewer may see, or NotFound."""
    pk = parse_id(opportunity_id)
    found = (
        _with_details(opportunities_visible(viewer=viewer)).filter(pk=pk).first() if pk else None
    )
    if found is None:
        raise NotFound("opportunity_not_found", OPPORTUNITY_NOT_FOUND)
    return found


def _applications() -> QuerySet[Application]:
    return Application.objects.select_related(
        "opportunity", "opportunity__owner", "applicant", "applicant__profile"
    )


def can_see_application(*, user: User, application: Application) -> bool:
    """The applicant, the owner, the applicant's manager and HR administrators see it."""
    return (
        application.applicant_id == user.pk
        or application.opportunity.owner_id == user.pk
        or is_hr_admin(user)
        or applicant_manager_id(application) == user.pk
    )


def applicant_manager_id(application: Application) -> int | None:
    """The applicant's manager's id, from their profile."""
    profile = getattr(application.applicant, "profile", None)
    return profile.manager_id if profile is not None else None


def application_get(*, viewer: User, application_id: Any) -> Application:
    """An application the viewer may see, or NotFound."""
    pk = parse_id(application_id)
    found = _applications().filter(pk=pk).first() if pk else None
    if found is None or not can_see_application(user=viewer, application=found):
        raise NotFound("application_not_found", APPLICATION_NOT_FOUND)
    return found


def opportunity_applications(*, viewer: User, opportunity: Opportunity) -> list[Application]:
    """The applications to an opportunity, for its owner or HR, shortlisted first."""
    if not can_manage_opportunity(user=viewer, opportunity=opportunity):
        raise PermissionDenied("forbidden", ONLY_OWNER_SEES_APPLICATIONS)
    order = {s: i for i, s in enumerate(["shortlisted", "submitted", "awaiting_manager"])}
    found = list(_applications().filter(opportunity=opportunity).order_by("created_at", "id"))
    return sorted(found, key=lambda a: order.get(a.status, 9))


def applications_mine(*, viewer: User) -> list[Application]:
    """The viewer's own applications, newest first."""
    return list(_applications().filter(applicant=viewer).order_by("-created_at", "-id"))


def applications_to_approve(*, viewer: User) -> list[Application]:
    """Applications of the viewer's direct reports waiting for the viewer's approval."""
    return list(
        _applications()
        .filter(status=Application.Status.AWAITING_MANAGER, applicant__profile__manager=viewer)
        .order_by("created_at", "id")
    )


def mobility_exists(*, user: User) -> bool:
    """Whether a person has ever set their mobility preferences, in one query."""
    return MobilityPreference.objects.filter(user=user).exists()


def mobility_get(*, user: User) -> MobilityPreference | None:
    """A person's mobility preferences with their lists, or None if never set."""
    return (
        MobilityPreference.objects.filter(user=user)
        .prefetch_related("desired_roles", "locations", "interests")
        .first()
    )


# ---------------------------------------------------------------------------------------------
# Recommendations: a fixed number of queries whatever the number of candidates.
# ---------------------------------------------------------------------------------------------


@dataclass
class OpportunityMatch:
    """An opportunity recommended to a person, with its match."""

    opportunity: Opportunity
    match: Match


@dataclass
class PersonMatch:
    """A person suggested for an opportunity, with their match."""

    profile: Profile
    match: Match


def _viewer_facts(user: User) -> tuple[Person, list[int]]:
    """The viewer's skills, availability and wishes, and their org units, in three small queries."""
    row = (
        User.objects.filter(pk=user.pk)
        .values_list(
            "profile__availability_percent",
            "profile__location_id",
            "profile__org_unit__path",
            "mobility__id",
            "mobility__open_to_move",
        )
        .first()
    )
    available, place, path, prefs_id, moving = row or (None, None, None, None, False)
    person = Person(id=user.pk, availability=available or 0)
    if place:
        person.locations.add(place)
    person.skills = dict(ProfileSkill.objects.filter(user=user).values_list("skill_id", "level"))
    if prefs_id is not None:
        person.open_to_move = moving
        # The three lists of the preferences in one round trip, each row tagged with its list.
        through = MobilityPreference.interests.through.objects.filter(
            mobilitypreference_id=prefs_id
        ).values_list(Value(0), "skill_id")
        roles = MobilityPreference.desired_roles.through.objects.filter(
            mobilitypreference_id=prefs_id
        ).values_list(Value(1), "jobrole_id")
        places = MobilityPreference.locations.through.objects.filter(
            mobilitypreference_id=prefs_id
        ).values_list(Value(2), "location_id")
        wished: tuple[set[int], set[int], set[int]] = (set(), set(), set())
        for which, pk in through.union(roles, places, all=True):
            wished[which].add(pk)
        person.interests, person.desired_roles = wished[0], wished[1]
        person.locations |= wished[2]
    return person, _unit_ids(path)


def _person_facts(user: User) -> Person:
    """The viewer's skills, availability and wishes, in two or three small queries."""
    return _viewer_facts(user)[0]


def opportunity_skills(opportunity: Opportunity) -> dict[int, Any]:
    """The skills an opportunity names, by id (from its prefetched needs)."""
    return {s.skill_id: s.skill for s in opportunity.skills.all()}


def _labels(opportunities: list[Opportunity]) -> dict[int, str]:
    return {s.skill_id: s.skill.label for o in opportunities for s in o.skills.all()}


def opportunities_for(
    *, viewer: User, limit: int = RECOMMENDATION_LIMIT, kind: str = ""
) -> list[OpportunityMatch]:
    """Open opportunities the viewer may see and has not applied to, best match first."""
    person, unit_ids = _viewer_facts(viewer)
    candidates = (
        Opportunity.objects.filter(visible_filter(viewer, unit_ids=unit_ids))
        .filter(status=Opportunity.Status.OPEN)
        .exclude(owner=viewer)
        .exclude(Exists(Application.objects.filter(opportunity=OuterRef("pk"), applicant=viewer)))
    )
    if kind:
        candidates = candidates.filter(kind=kind)
    # A need adds to the score only through a skill the person holds (coverage) or wants to
    # develop (interest): an opportunity naming none of them scores exactly as with no needs at
    # all. So only the needs of opportunities naming one are read for ranking; the few shown get
    # theirs with their details below, to explain the match (decision 22).
    touched = set(person.skills) | person.interests
    needs: dict[int, list[Need]] = {}
    if touched:
        naming = OpportunitySkill.objects.filter(skill_id__in=touched).values("opportunity_id")
        rows = OpportunitySkill.objects.filter(
            opportunity__in=candidates.values("pk"), opportunity_id__in=naming
        )
        for opportunity_id, skill_id, level, required in rows.values_list(
            "opportunity_id", "skill_id", "level", "required"
        ):
            needs.setdefault(opportunity_id, []).append(Need(skill_id, level, required))
    fields = ("id", "time_share_percent", "kind", "job_role_id", "location_id", "remote")
    # Without needs, a score depends on the offer's columns alone: each combination of them (a
    # few hundred at most) is scored once, whatever the number of opportunities.
    plain: dict[tuple[Any, ...], float] = {}
    scored: list[tuple[float, int]] = []
    for pk, *columns in candidates.values_list(*fields):
        if pk in needs:
            score = match(Offer(pk, needs[pk], *columns), person).score
        else:
            key = tuple(columns)
            if key not in plain:
                plain[key] = match(Offer(pk, [], *columns), person).score
            score = plain[key]
        if score > 0:
            scored.append((-score, pk))
    # Best first, ties by id (as `rank`): the `limit` smallest (-score, id) pairs, in order.
    top = [pk for _score, pk in heapq.nsmallest(limit, scored)]
    found = {o.pk: o for o in _with_details(Opportunity.objects.filter(pk__in=top))}
    labels = _labels(list(found.values()))
    return [
        OpportunityMatch(
            found[pk], match(_offer_of(found[pk]), person, explain=True, labels=labels)
        )
        for pk in top
        if pk in found
    ]


def _offer_of(opportunity: Opportunity) -> Offer:
    needs = [Need(s.skill_id, s.level, s.required) for s in opportunity.skills.all()]
    return Offer(
        opportunity.pk,
        needs,
        opportunity.time_share_percent,
        opportunity.kind,
        opportunity.job_role_id,
        opportunity.location_id,
        opportunity.remote,
    )


def people_for(
    *, viewer: User, opportunity: Opportunity, limit: int = RECOMMENDATION_LIMIT
) -> list[PersonMatch]:
    """People who let owners find them and fit the opportunity, best match first (owner, HR)."""
    if not can_manage_opportunity(user=viewer, opportunity=opportunity):
        raise PermissionDenied("forbidden", ONLY_OWNER_SEES_PEOPLE)
    offer = _offer_of(opportunity)
    skill_ids = [need.skill_id for need in offer.needs]
    suggestible = MobilityPreference.objects.filter(suggestible=True, user__is_active=True).exclude(
        user_id=opportunity.owner_id
    )
    holds = ProfileSkill.objects.filter(user_id=OuterRef("user_id"), skill_id__in=skill_ids)
    wants = MobilityPreference.interests.through.objects.filter(
        mobilitypreference_id=OuterRef("pk"), skill_id__in=skill_ids
    )
    fits = Exists(holds) | Exists(wants)
    if offer.job_role_id:
        fits |= Exists(
            MobilityPreference.desired_roles.through.objects.filter(
                mobilitypreference_id=OuterRef("pk"), jobrole_id=offer.job_role_id
            )
        )
    applied = Application.objects.filter(opportunity=opportunity, applicant_id=OuterRef("user_id"))
    candidates = suggestible.filter(fits).exclude(Exists(applied))
    allowed_units = None
    if opportunity.visibility == Opportunity.Visibility.UNITS:
        # Only people who may see the opportunity: members of the chosen units' subtrees.
        paths = [unit.path for unit in opportunity.visible_units.all()]
        subtree = Q(pk__in=[])
        for path in paths:
            subtree |= Q(path__startswith=path)
        allowed_units = set(OrgUnit.objects.filter(subtree).values_list("pk", flat=True))
    people: dict[int, Person] = {}
    for user_id, moving, available, place, unit in candidates.values_list(
        "user_id",
        "open_to_move",
        "user__profile__availability_percent",
        "user__profile__location_id",
        "user__profile__org_unit_id",
    ):
        if allowed_units is not None and unit not in allowed_units:
            continue
        person = Person(id=user_id, availability=available or 0, open_to_move=moving)
        if place:
            person.locations.add(place)
        people[user_id] = person
    rows = ProfileSkill.objects.filter(
        skill_id__in=skill_ids, user_id__in=candidates.values("user_id")
    ).values_list("user_id", "skill_id", "level")
    for user_id, skill_id, level in rows:
        if user_id in people:
            people[user_id].skills[skill_id] = level
    interests = MobilityPreference.interests.through.objects.filter(
        skill_id__in=skill_ids, mobilitypreference__in=candidates
    ).values_list("mobilitypreference__user_id", "skill_id")
    for user_id, skill_id in interests:
        if user_id in people:
            people[user_id].interests.add(skill_id)
    if offer.job_role_id:
        for user_id in MobilityPreference.desired_roles.through.objects.filter(
            jobrole_id=offer.job_role_id, mobilitypreference__in=candidates
        ).values_list("mobilitypreference__user_id", flat=True):
            if user_id in people:
                people[user_id].desired_roles.add(offer.job_role_id)
    if offer.location_id:
        for user_id in MobilityPreference.locations.through.objects.filter(
            location_id=offer.location_id, mobilitypreference__in=candidates
        ).values_list("mobilitypreference__user_id", flat=True):
            if user_id in people:
                people[user_id].locations.add(offer.location_id)
    scored = rank([match(offer, person) for person in people.values()])
    top = [m for m in scored if m.score > 0][:limit]
    profiles = Profile.objects.select_related("user", "org_unit", "location").filter(
        user_id__in=[m.person_id for m in top]
    )
    by_user = {p.user_id: p for p in profiles}
    labels = _labels([opportunity])
    return [
        PersonMatch(
            by_user[m.person_id], match(offer, people[m.person_id], explain=True, labels=labels)
        )
        for m in top
        if m.person_id in by_user
    ]


@dataclass
class KindFigures:
    """Staffing figures of one kind of opportunity (or of all of them)."""

    kind: str
    label: str
    published: int = 0
    filled_inside: int = 0
    filled_outside: int = 0
    days_to_staff: list[float] | None = None

    @property
    def fill_rate(self) -> float | None:
        """Share of published opportunities filled, inside or outside, in %."""
        if not self.published:
            return None
        return round(100 * (self.filled_inside + self.filled_outside) / self.published, 1)

    @property
    def inside_rate(self) -> float | None:
        """Share of filled opportunities filled by an internal application, in %."""
        filled = self.filled_inside + self.filled_outside
        return round(100 * self.filled_inside / filled, 1) if filled else None

    @property
    def median_days_to_staff(self) -> float | None:
        """Median days from publication to the first person staffed."""
        days = sorted(self.days_to_staff or [])
        if not days:
            return None
        middle = len(days) // 2
        value = days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2
        return round(value, 1)


def dashboard(*, viewer: User) -> list[KindFigures]:
    """Fill rate, time to staff and share filled from inside, per kind then in total.

    HR administrators see every opportunity; anyone else, the ones they own. One query.
    """
    scope = Opportunity.objects.filter(published_at__isnull=False)
    if not is_hr_admin(viewer):
        scope = scope.filter(owner=viewer)
    rows = scope.annotate(first_staffed=Min("applications__staffed_at")).values_list(
        "kind", "published_at", "filled_externally", "first_staffed"
    )
    figures = {
        kind: KindFigures(kind, str(label), days_to_staff=[])
        for kind, label in Opportunity.Kind.choices
    }
    total = KindFigures("all", str(_("All kinds")), days_to_staff=[])
    for kind, published_at, outside, first_staffed in rows:
        for figure in (figures[kind], total):
            figure.published += 1
            if first_staffed is not None:
                figure.filled_inside += 1
                figure.days_to_staff.append((first_staffed - published_at).total_seconds() / 86400)
            elif outside:
                figure.filled_outside += 1
    return [*figures.values(), total]
