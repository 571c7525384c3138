"""Reads of the vision map for a viewer: the tree, an objective's activity, suggestions, my part,
coverage, and the vision pulse result under the voice app's anonymity rules.

Every list of linked items goes through `visible_links_filter`, so an objective page, the map's
counts and the API never reveal a post of a secret community to a non-member.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, PermissionDenied
from vivier.opportunities.matching import Need, Offer, match
from vivier.opportunities.models import Application, Opportunity, OpportunitySkill
from vivier.opportunities.selectors import _person_facts, visible_filter
from vivier.people.models import OrgUnit, Profile, ProfileSkill, SkillAlias
from vivier.search.analysis import stem, words
from vivier.social.models import Community, Membership, Post
from vivier.social.selectors import member_community_ids
from vivier.vision.models import Axis, Indicator, Objective, ObjectiveLink, Vision
from vivier.vision.permissions import can_manage_map
from vivier.vision.registry import KINDS, LinkKind, kind_label, visible_links_filter
from vivier.vision.services import objective_lookup, target_lookup
from vivier.vision.similarity import ObjectiveText, rank

COVERAGE_DENIED = _("Only HR administrators and managers see coverage.")
SUGGESTION_LIMIT = 5
ITEMS_SHOWN = 50
CHART_MONTHS = 12
CONTRIBUTE_LIMIT = 8
LEAD_ROLES = (Membership.Role.OWNER, Membership.Role.ANIMATOR)


# ---------------------------------------------------------------------------------------------
# Who a link counts as having acted ("my linked action", decision 15)
# ---------------------------------------------------------------------------------------------


def contributors(links: QuerySet[ObjectiveLink]) -> dict[int, set[int]]:
    """The people each objective's links count, in three queries: authors of linked posts,
    questions and ideas; owners of linked commitments and opportunities; people staffed on a
    linked opportunity; owners and animators of a linked community."""
    rows = links.values_list(
        "objective_id",
        "post__author_id",
        "opportunity_id",
        "opportunity__owner_id",
        "idea__author_id",
        "commitment__owner_id",
        "community_id",
    )
    people: dict[int, set[int]] = defaultdict(set)
    opportunities: dict[int, set[int]] = defaultdict(set)
    communities: dict[int, set[int]] = defaultdict(set)
    for objective_id, author, opportunity, owner, idea_author, c_owner, community in rows:
        for person in (author, owner, idea_author, c_owner):
            if person:
                people[objective_id].add(person)
        if opportunity:
            opportunities[opportunity].add(objective_id)
        if community:
            communities[community].add(objective_id)
    if opportunities:
        staffed = Application.objects.filter(
            opportunity_id__in=list(opportunities), status=Application.Status.ACCEPTED
        ).values_list("opportunity_id", "applicant_id")
        for opportunity, person in staffed:
            for objective_id in opportunities[opportunity]:
                people[objective_id].add(person)
    if communities:
        leads = Membership.objects.filter(
            community_id__in=list(communities),
            status=Membership.Status.ACTIVE,
            role__in=LEAD_ROLES,
        ).values_list("community_id", "user_id")
        for community, person in leads:
            for objective_id in communities[community]:
                people[objective_id].add(person)
    return people


def live_links() -> QuerySet[ObjectiveLink]:
    """Links whose item still counts: posts not deleted, communities not archived."""
    return ObjectiveLink.objects.exclude(post__deleted_at__isnull=False).exclude(
        community__archived_at__isnull=False
    )


def visible_links(viewer: User) -> QuerySet[ObjectiveLink]:
    """Links whose item the viewer may see."""
    return ObjectiveLink.objects.filter(visible_links_filter(viewer))


# ---------------------------------------------------------------------------------------------
# The map
# ---------------------------------------------------------------------------------------------


@dataclass
class ObjectiveNode:
    """An objective in the tree, its sub-objectives, and its visible linked actions and people."""

    objective: Objective
    children: list["ObjectiveNode"] = field(default_factory=list)
    actions: int = 0
    people: int = 0


@dataclass
class AxisNode:
    """An axis with its top-level objectives and the totals of its whole subtree."""

    axis: Axis
    objectives: list[ObjectiveNode]
    actions: int = 0
    people: int = 0


@dataclass
class VisionMap:
    """The vision, its axes and objectives as a tree."""

    vision: Vision | None
    axes: list[AxisNode]
    actions: int = 0
    people: int = 0


def vision_get() -> Vision | None:
    """The current vision statement, if written."""
    return Vision.objects.order_by("id").first()


def vision_map(*, viewer: User, include_archived: bool = False) -> VisionMap:
    """The tree vision → axes → objectives → sub-objectives, with counts the viewer may see."""
    objectives = Objective.objects.select_related("owner")
    if not include_archived:
        objectives = objectives.filter(status=Objective.Status.ACTIVE)
    found = list(objectives.order_by("position", "id"))
    links = visible_links(viewer).filter(objective__in=[o.pk for o in found])
    counts: dict[int, int] = defaultdict(int)
    for objective_id in links.values_list("objective_id", flat=True):
        counts[objective_id] += 1
    people = contributors(links)
    nodes = {o.pk: ObjectiveNode(o, actions=counts[o.pk], people=len(people[o.pk])) for o in found}
    roots: dict[int, list[ObjectiveNode]] = defaultdict(list)
    for node in nodes.values():
        parent = nodes.get(node.objective.parent_id) if node.objective.parent_id else None
        if parent is not None:
            parent.children.append(node)
        else:
            roots[node.objective.axis_id].append(node)
    axes = []
    everyone: set[int] = set()
    for axis in Axis.objects.order_by("position", "id"):
        in_axis = [o.pk for o in found if o.axis_id == axis.pk]
        who = set().union(*(people[pk] for pk in in_axis)) if in_axis else set()
        everyone |= who
        axes.append(
            AxisNode(
                axis=axis,
                objectives=roots.get(axis.pk, []),
                actions=sum(counts[pk] for pk in in_axis),
                people=len(who),
            )
        )
    return VisionMap(
        vision=vision_get(), axes=axes, actions=sum(counts.values()), people=len(everyone)
    )


def objective_options() -> list[Objective]:
    """Active objectives for a choice list, by axis then position."""
    return list(
        Objective.objects.filter(status=Objective.Status.ACTIVE)
        .select_related("axis")
        .order_by("axis__position", "axis_id", "position", "id")
    )


# ---------------------------------------------------------------------------------------------
# An objective's page
# ---------------------------------------------------------------------------------------------


@dataclass
class LinkedItem:
    """An item linked to an objective, as the viewer may see it."""

    link: ObjectiveLink
    kind: LinkKind
    label: Any
    title: str
    url: str
    when: Any
    person: User | None


def _item_person(link: ObjectiveLink) -> User | None:
    if link.post_id:
        return link.post.author
    if link.opportunity_id:
        return link.opportunity.owner
    if link.idea_id:
        return link.idea.author
    if link.commitment_id:
        return link.commitment.owner
    return None


def _items(links: QuerySet[ObjectiveLink]) -> list[LinkedItem]:
    rows = links.select_related(
        "objective",
        "post__author",
        "post__community",
        "opportunity__owner",
        "idea__author",
        "commitment__owner",
        "community",
    )
    items = []
    for link in rows:
        kind = KINDS[link.kind]
        target = link.target
        items.append(
            LinkedItem(
                link=link,
                kind=kind,
                label=kind_label(kind, target),
                title=kind.title(target),
                url=kind.url(target),
                when=kind.when(target),
                person=_item_person(link),
            )
        )
    items.sort(key=lambda i: (i.when, i.link.pk), reverse=True)
    return items


@dataclass
class ObjectiveDetail:
    """An objective, its indicators and sub-objectives, and the linked items the viewer sees."""

    objective: Objective
    indicators: list[Indicator]
    children: list[Objective]
    ancestors: list[Objective]
    items: list[LinkedItem]
    total: int
    people: int
    months: list[date]
    monthly: dict[str, list[int]]  # kind code -> count per month


def _months(today: date, count: int) -> list[date]:
    months = []
    year, month = today.year, today.month
    for _step in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


@dataclass
class _Dated:
    """A visible link with its item's date and kind code, read without loading the item."""

    link_id: int
    when: Any
    code: str


def _dated(links: QuerySet[ObjectiveLink]) -> list[_Dated]:
    """Every link with its item's date, newest first: one narrow query, no item loaded."""
    rows = links.values_list(
        "pk",
        "post__created_at",
        "post__kind",
        "opportunity__published_at",
        "opportunity__created_at",
        "idea__created_at",
        "commitment__created_at",
        "community__created_at",
        "post_id",
        "opportunity_id",
        "idea_id",
        "commitment_id",
    )
    found = []
    for pk, post_at, post_kind, published, opened, idea_at, c_at, community_at, *ids in rows:
        post_id, opportunity_id, idea_id, commitment_id = ids
        if post_id:
            code = "question" if post_kind == Post.Kind.QUESTION else "post"
            when = post_at
        elif opportunity_id:
            code, when = "opportunity", published or opened
        elif idea_id:
            code, when = "idea", idea_at
        elif commitment_id:
            code, when = "commitment", c_at
        else:
            code, when = "community", community_at
        found.append(_Dated(pk, when, code))
    found.sort(key=lambda d: (d.when, d.link_id), reverse=True)
    return found


def _page(links: QuerySet[ObjectiveLink], dated: list[_Dated]) -> list[LinkedItem]:
    """The items of these dated links, loaded in one query, in the same order."""
    wanted = [d.link_id for d in dated]
    loaded = {i.link.pk: i for i in _items(links.filter(pk__in=wanted))}
    return [loaded[pk] for pk in wanted if pk in loaded]


def objective_detail(
    *, viewer: User, objective_id: Any, today: date | None = None
) -> ObjectiveDetail:
    """An objective's page: indicators, sub-objectives, linked items by month (visible only).

    The chart counts every visible link from one narrow query; only the newest ITEMS_SHOWN
    items are loaded with their authors, so the page costs the same for 10 or 10,000 links."""
    objective = objective_lookup(objective_id)
    links = visible_links(viewer).filter(objective=objective)
    dated = _dated(links)
    people = contributors(links)[objective.pk]
    months = _months(today or timezone.localdate(), CHART_MONTHS)
    index = {(m.year, m.month): n for n, m in enumerate(months)}
    monthly: dict[str, list[int]] = {}
    for row in dated:
        when = timezone.localtime(row.when) if timezone.is_aware(row.when) else row.when
        position = index.get((when.year, when.month))
        if position is not None:
            monthly.setdefault(row.code, [0] * len(months))[position] += 1
    ancestors = []
    parents = dict(Objective.objects.values_list("id", "parent_id"))
    current, seen = objective.parent_id, set()
    while current is not None and current not in seen:
        seen.add(current)
        ancestors.append(current)
        current = parents.get(current)
    by_id = Objective.objects.in_bulk(ancestors)
    return ObjectiveDetail(
        objective=objective,
        indicators=list(objective.indicators.all()),
        children=list(objective.children.order_by("position", "id")),
        ancestors=[by_id[pk] for pk in reversed(ancestors) if pk in by_id],
        items=_page(links, dated[:ITEMS_SHOWN]),
        total=len(dated),
        people=len(people),
        months=months,
        monthly=monthly,
    )


ITEMS_MAX_LIMIT = 200


def objective_items(
    *, viewer: User, objective: Objective, limit: int = 100, offset: int = 0
) -> list[LinkedItem]:
    """Items linked to the objective that the viewer may see, newest first, one page."""
    limit = max(1, min(limit, ITEMS_MAX_LIMIT))
    links = visible_links(viewer).filter(objective=objective)
    return _page(links, _dated(links)[offset : offset + limit])


def objective_list(
    *, viewer: User, status: str = "", axis_id: int | None = None
) -> list[Objective]:
    """Objectives (active by default, or archived ones), by axis and position."""
    found = Objective.objects.select_related("axis", "owner").prefetch_related("indicators")
    found = found.filter(status=status or Objective.Status.ACTIVE)
    if axis_id:
        found = found.filter(axis_id=axis_id)
    return list(found.order_by("axis__position", "axis_id", "position", "id"))


# ---------------------------------------------------------------------------------------------
# Links of one item, and suggestions
# ---------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    """An objective suggested for an item: similarity and the words they share."""

    objective: Objective
    score: float
    words: list[str]
    linked: bool


@dataclass
class ItemLinks:
    """An item's links and, for who may link it, suggestions."""

    kind: LinkKind
    item: Any
    links: list[ObjectiveLink]
    can_link: bool
    suggestions: list[Suggestion]
    options: list[Objective]


def objective_texts(objectives: list[Objective]) -> list[ObjectiveText]:
    """The texts suggestions compare with, indicators' names included (one query)."""
    names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for objective_id, name_fr, name_en in Indicator.objects.filter(
        objective__in=[o.pk for o in objectives]
    ).values_list("objective_id", "name_fr", "name_en"):
        names[objective_id].append((name_fr, name_en))
    return [
        ObjectiveText(
            id=o.pk,
            title_fr=o.title_fr,
            title_en=o.title_en,
            body_fr="\n".join([o.description_fr, *(n[0] for n in names[o.pk])]),
            body_en="\n".join([o.description_en, *(n[1] for n in names[o.pk])]),
        )
        for o in objectives
    ]


def suggestions_for_text(
    *, text: str, linked: set[int] | None = None, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """Active objectives ranked by similarity to `text`."""
    objectives = list(
        Objective.objects.filter(status=Objective.Status.ACTIVE).select_related("axis")
    )
    by_id = {o.pk: o for o in objectives}
    linked = linked or set()
    return [
        Suggestion(by_id[s.id], s.score, s.words, s.id in linked)
        for s in rank(text, objective_texts(objectives), limit=limit)
    ]


def item_links(*, viewer: User, kind: Any, object_id: Any) -> ItemLinks:
    """The objectives an item links to; suggestions and choices for who may link it."""
    link_kind, item = target_lookup(viewer=viewer, kind=kind, object_id=object_id)
    links = list(
        ObjectiveLink.objects.filter(**{link_kind.field: item})
        .select_related("objective", "objective__axis")
        .order_by("objective__axis__position", "objective__position", "objective_id")
    )
    can_link = link_kind.can_link(viewer, item)
    suggestions: list[Suggestion] = []
    options: list[Objective] = []
    if can_link:
        linked = {link.objective_id for link in links}
        suggestions = suggestions_for_text(text=link_kind.text(item), linked=linked)
        options = [o for o in objective_options() if o.pk not in linked]
    return ItemLinks(link_kind, item, links, can_link, suggestions, options)


def item_suggestions(
    *, viewer: User, kind: Any, object_id: Any, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """Objectives suggested for an item the viewer may see."""
    link_kind, item = target_lookup(viewer=viewer, kind=kind, object_id=object_id)
    linked = set(
        ObjectiveLink.objects.filter(**{link_kind.field: item}).values_list(
            "objective_id", flat=True
        )
    )
    return suggestions_for_text(text=link_kind.text(item), linked=linked, limit=limit)


# ---------------------------------------------------------------------------------------------
# My part in the vision
# ---------------------------------------------------------------------------------------------


def my_links_filter(user: User) -> Q:
    """Links counting `user` as having acted (the rule of `contributors`)."""
    return (
        Q(post__author=user, post__deleted_at__isnull=True)
        | Q(opportunity__owner=user)
        | Q(
            opportunity__in=Application.objects.filter(
                applicant=user, status=Application.Status.ACCEPTED
            ).values("opportunity_id")
        )
        | Q(idea__author=user)
        | Q(commitment__owner=user)
        | Q(
            community__in=Membership.objects.filter(
                user=user, status=Membership.Status.ACTIVE, role__in=LEAD_ROLES
            ).values("community_id"),
            community__archived_at__isnull=True,
        )
    )


@dataclass
class MyObjective:
    """An objective my actions link to, with those actions."""

    objective: Objective
    items: list[LinkedItem]


@dataclass
class Contribution:
    """Somewhere I could contribute: an opportunity or a community tied to objectives."""

    kind: str  # "opportunity" or "community"
    item: Any
    title: str
    url: str
    objectives: list[Objective]
    score: float
    reasons: list[str]


@dataclass
class MyPart:
    """My objectives and where I could contribute, best match first."""

    objectives: list[MyObjective]
    opportunities: list[Contribution]
    communities: list[Contribution]


def _linked_to_active(field_name: str) -> dict[int, list[Objective]]:
    links = ObjectiveLink.objects.filter(
        **{f"{field_name}__isnull": False}, objective__status=Objective.Status.ACTIVE
    ).select_related("objective")
    found: dict[int, list[Objective]] = defaultdict(list)
    for link in links:
        found[getattr(link, f"{field_name}_id")].append(link.objective)
    return found


def _opportunities_to_join(viewer: User) -> list[Contribution]:
    """Open opportunities tied to active objectives, scored by the marketplace's matching."""
    tied = _linked_to_active("opportunity")
    if not tied:
        return []
    candidates = list(
        Opportunity.objects.filter(visible_filter(viewer), pk__in=list(tied))
        .filter(status=Opportunity.Status.OPEN)
        .exclude(owner=viewer)
        .exclude(applications__applicant=viewer)
    )
    if not candidates:
        return []
    person = _person_facts(viewer)
    needs: dict[int, list[Need]] = defaultdict(list)
    labels: dict[int, str] = {}
    for need in OpportunitySkill.objects.filter(opportunity__in=candidates).select_related("skill"):
        needs[need.opportunity_id].append(Need(need.skill_id, need.level, need.required))
        labels[need.skill_id] = need.skill.label
    result = []
    for opportunity in candidates:
        offer = Offer(
            opportunity.pk,
            needs[opportunity.pk],
            opportunity.time_share_percent,
            opportunity.kind,
            opportunity.job_role_id,
            opportunity.location_id,
            opportunity.remote,
        )
        scored = match(offer, person, explain=True, labels=labels)
        result.append(
            Contribution(
                kind="opportunity",
                item=opportunity,
                title=opportunity.title,
                url=KINDS["opportunity"].url(opportunity),
                objectives=tied[opportunity.pk],
                score=scored.score,
                reasons=[reason.text for reason in scored.reasons],
            )
        )
    result.sort(key=lambda c: (-c.score, -c.item.pk))
    return result[:CONTRIBUTE_LIMIT]


def _communities_to_join(viewer: User) -> list[Contribution]:
    """Visible communities tied to active objectives that I do not belong to, scored by the
    number of my skills they discuss (skill hashtags on their readable posts) or name."""
    tied = _linked_to_active("community")
    if not tied:
        return []
    candidates = list(
        Community.objects.filter(pk__in=list(tied), archived_at__isnull=True)
        .exclude(visibility=Community.Visibility.SECRET)
        .exclude(pk__in=member_community_ids(viewer))
    )
    if not candidates:
        return []
    my_skills = set(ProfileSkill.objects.filter(user=viewer).values_list("skill_id", flat=True))
    matched: dict[int, set[int]] = defaultdict(set)
    if my_skills:
        # Only posts the viewer could read: open communities' posts.
        tagged = (
            Post.tags.through.objects.filter(
                post__community__in=[
                    c for c in candidates if c.visibility == Community.Visibility.OPEN
                ],
                post__deleted_at__isnull=True,
                tag__skill_id__in=my_skills,
            )
            .values_list("post__community_id", "tag__skill_id")
            .distinct()
        )
        for community_id, skill_id in tagged:
            matched[community_id].add(skill_id)
        # A community whose name or description names one of my skills discusses it too.
        skill_stems: dict[str, set[int]] = defaultdict(set)
        for skill_id, text in SkillAlias.objects.filter(skill_id__in=my_skills).values_list(
            "skill_id", "text"
        ):
            for word in words(text):
                for language in ("fr", "en"):
                    skill_stems[stem(word, language)].add(skill_id)
        for community in candidates:
            text = f"{community.name} {community.description}"
            for word in words(text):
                for language in ("fr", "en"):
                    matched[community.pk] |= skill_stems.get(stem(word, language), set())
    labels = {}
    wanted = set().union(*matched.values()) if matched else set()
    if wanted:
        from vivier.people.models import Skill

        labels = {s.pk: s.label for s in Skill.objects.filter(pk__in=wanted)}
    result = [
        Contribution(
            kind="community",
            item=community,
            title=community.name,
            url=KINDS["community"].url(community),
            objectives=tied[community.pk],
            score=len(matched[community.pk]),
            reasons=sorted(labels[s] for s in matched[community.pk] if s in labels),
        )
        for community in candidates
    ]
    result.sort(key=lambda c: (-c.score, -c.item.member_count, c.item.pk))
    return result[:CONTRIBUTE_LIMIT]


def my_part(*, viewer: User) -> MyPart:
    """The objectives my actions link to, and opportunities and communities tied to objectives
    where my skills would help."""
    links = visible_links(viewer).filter(my_links_filter(viewer)).distinct()
    by_objective: dict[int, MyObjective] = {}
    for item in _items(links):
        objective = item.link.objective
        by_objective.setdefault(objective.pk, MyObjective(objective, [])).items.append(item)
    mine = sorted(by_objective.values(), key=lambda m: (-len(m.items), m.objective.pk))
    return MyPart(
        objectives=mine,
        opportunities=_opportunities_to_join(viewer),
        communities=_communities_to_join(viewer),
    )


# ---------------------------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    """A share of people with at least one linked action."""

    label: str
    people: int
    contributors: int
    obj: Any = None
    depth: int = 0

    @property
    def share(self) -> float | None:
        """The share in %, one decimal (None for nobody)."""
        return round(100 * self.contributors / self.people, 1) if self.people else None


@dataclass
class Coverage:
    """Per objective and per org unit, who among the people in scope has a linked action."""

    scope: list[OrgUnit] | None  # None: the whole company
    total: CoverageRow
    objectives: list[CoverageRow]
    units: list[CoverageRow]


def coverage(*, viewer: User) -> Coverage:
    """Coverage of the viewer's scope: the company for HR, managers' subtrees for managers."""
    from vivier.vision.permissions import can_view_coverage
    from vivier.voice.permissions import managed_units

    if not can_view_coverage(viewer=viewer):
        raise PermissionDenied("coverage_denied", COVERAGE_DENIED)
    units = {u.pk: u for u in OrgUnit.objects.only("id", "name", "parent_id", "path", "depth")}
    scope: list[OrgUnit] | None = None
    if not can_manage_map(actor=viewer):
        scope = [units[u.pk] for u in managed_units(user=viewer) if u.pk in units]
        # A manager of a unit and of one of its sub-units: the outer one covers both.
        scope = [
            u for u in scope if not any(u.path.startswith(o.path) and o.pk != u.pk for o in scope)
        ]
    profiles = Profile.objects.filter(user__is_active=True)
    if scope is not None:
        in_scope = Q()
        for unit in scope:
            in_scope |= Q(org_unit__path__startswith=unit.path)
        profiles = profiles.filter(in_scope)
    population = dict(profiles.values_list("user_id", "org_unit_id"))
    objectives = list(
        Objective.objects.filter(status=Objective.Status.ACTIVE).order_by(
            "axis__position", "axis_id", "position", "id"
        )
    )
    people = contributors(live_links().filter(objective__in=[o.pk for o in objectives]))
    # An objective counts the actions linked to its sub-objectives: they serve it.
    children: dict[int | None, list[int]] = defaultdict(list)
    for objective in objectives:
        children[objective.parent_id].append(objective.pk)
    rolled: dict[int, set[int]] = {}

    def roll(pk: int) -> set[int]:
        if pk not in rolled:
            rolled[pk] = set(people.get(pk, set()))
            for child in children.get(pk, []):
                rolled[pk] |= roll(child)
        return rolled[pk]

    everyone = set(population)
    anyone = set().union(*people.values()) & everyone if people else set()
    by_id = {o.pk: o for o in objectives}
    depth: dict[int, int] = {}
    for objective in objectives:
        level, current, seen = 0, objective.parent_id, set()
        while current in by_id and current not in seen:
            seen.add(current)
            level += 1
            current = by_id[current].parent_id
        depth[objective.pk] = level
    objective_rows = [
        CoverageRow(o.title, len(everyone), len(roll(o.pk) & everyone), o, depth[o.pk])
        for o in objectives
    ]
    # Each unit counts the people of its subtree.
    shown = sorted(
        (
            u
            for u in units.values()
            if scope is None or any(u.path.startswith(s.path) for s in scope)
        ),
        key=lambda u: u.path,
    )
    base_depth = min((u.depth for u in shown), default=0)
    members: dict[int, set[int]] = defaultdict(set)
    for user_id, unit_id in population.items():
        unit = units.get(unit_id) if unit_id else None
        if unit is None:
            continue
        for part in unit.path.strip("/").split("/"):
            if part:
                members[int(part)].add(user_id)
    unit_rows = [
        CoverageRow(
            u.name, len(members[u.pk]), len(members[u.pk] & anyone), u, u.depth - base_depth
        )
        for u in shown
    ]
    return Coverage(
        scope=scope,
        total=CoverageRow("", len(everyone), len(anyone)),
        objectives=objective_rows,
        units=unit_rows,
    )


# ---------------------------------------------------------------------------------------------
# The vision pulse question
# ---------------------------------------------------------------------------------------------


@dataclass
class VisionPulse:
    """The latest closed wave's result for "I understand how my work contributes to the vision"."""

    survey: Any
    wave: Any
    group_label: str
    respondents: int
    mean: float | None
    favourable: float | None


def vision_pulse(*, viewer: User) -> VisionPulse | None:
    """The vision question's latest closed result the viewer may read, through the voice app's
    results (so its k threshold and differencing rules apply); None when none may be shown."""
    from vivier.voice import selectors as voice
    from vivier.voice.models import Question, Wave
    from vivier.voice.permissions import can_view_results
    from vivier.voice.question_bank import VISION_CONTRIBUTION

    if not can_view_results(viewer=viewer):
        return None
    wave = (
        Wave.objects.filter(
            status=Wave.Status.CLOSED,
            survey__questions__template_code=VISION_CONTRIBUTION,
        )
        .select_related("survey")
        .order_by("-closes_on", "-id")
        .first()
    )
    if wave is None:
        return None
    try:
        results = voice.wave_results(
            viewer=viewer, survey=wave.survey, wave_id=wave.pk, texts=False
        )
    except ApplicationError:
        return None
    stats = next(
        (
            s
            for s in results.group.questions
            if s.question.template_code == VISION_CONTRIBUTION
            and s.question.kind == Question.Kind.LIKERT
        ),
        None,
    )
    if stats is None:
        return None
    unit = results.group.unit
    return VisionPulse(
        survey=wave.survey,
        wave=wave,
        group_label=unit.name if unit else "",
        respondents=results.group.respondents,
        mean=stats.mean,
        favourable=stats.favourable,
    )
