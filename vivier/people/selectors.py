"""People reads: the directory, profiles, skills, the org chart and the job map."""

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db import connections, router
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vivier.accounts.models import User
from vivier.core.errors import NotFound
from vivier.core.ids import parse_id
from vivier.core.prepared import prepared_cursor
from vivier.core.rows import columns_of, id_list
from vivier.core.text import normalize
from vivier.people.models import (
    Endorsement,
    JobFamily,
    JobRole,
    Location,
    OrgUnit,
    Profile,
    ProfileSkill,
    Skill,
    SkillAlias,
)

PERSON_NOT_FOUND = gettext_lazy("This person does not exist.")
SKILL_NOT_FOUND = gettext_lazy("This skill does not exist.")
ORG_UNIT_NOT_FOUND = gettext_lazy("This org unit does not exist.")
MAX_QUERY_LENGTH = 200


def _profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(user__is_active=True).select_related(
        "user", "org_unit", "location", "job_role"
    )


def skill_ids_matching(text: str, *, with_descendants: bool = True) -> set[int]:
    """Skills whose label or alias matches `text` in either language, accents ignored."""
    folded = normalize(text)[:MAX_QUERY_LENGTH]
    if not folded:
        return set()
    ids = set(SkillAlias.objects.filter(normalized=folded).values_list("skill_id", flat=True))
    if not ids:
        ids = set(
            SkillAlias.objects.filter(normalized__contains=folded).values_list(
                "skill_id", flat=True
            )
        )
    if with_descendants and ids:
        ids |= skill_descendant_ids(ids)
    return ids


def _skills_named(tokens: list[str]) -> dict[str, set[int]]:
    """For each word, the skills one of whose names (any language, any alias) contains it.

    One query on the alias table for all the words, each row saying which words it contains.
    """
    if not tokens:
        return {}
    contains = {
        f"w{i}": ExpressionWrapper(Q(normalized__contains=token), output_field=BooleanField())
        for i, token in enumerate(tokens)
    }
    rows = (
        SkillAlias.objects.filter(reduce(operator.or_, [Q(normalized__contains=t) for t in tokens]))
        .annotate(**contains)
        .values_list("skill_id", *contains)
    )
    found: dict[str, set[int]] = {token: set() for token in tokens}
    for skill_id, *hits in rows:
        for token, hit in zip(tokens, hits, strict=True):
            if hit:
                found[token].add(skill_id)
    return found


def person_list(
    *,
    viewer: User,
    q: str = "",
    skill: str | int | None = None,
    org_unit: int | None = None,
    location: int | None = None,
    language: str = "",
    min_level: int | None = None,
) -> QuerySet[Profile]:
    """Active people matching the filters, best skill level first when a skill is asked for."""
    profiles = _profiles()
    tokens = normalize(q)[:MAX_QUERY_LENGTH].split()
    # A word matches a person's name, e-mail or title, or a skill they declare. The skills are
    # looked up first (a small table), so that a word naming no skill, such as a name, is a bare
    # `search_text LIKE '%word%'` that PostgreSQL answers from the trigram index rather than by
    # testing every profile (decision 22).
    for token, skill_ids in _skills_named(tokens).items():
        match = Q(search_text__contains=token)
        if skill_ids:
            match |= Q(
                Exists(
                    ProfileSkill.objects.filter(user_id=OuterRef("user_id"), skill_id__in=skill_ids)
                )
            )
        profiles = profiles.filter(match)
    ordering = ["user__last_name", "user__first_name", "user_id"]
    if skill not in (None, ""):
        if isinstance(skill, int) or str(skill).strip().isdecimal():
            skill_id = parse_id(skill)
            if skill_id is None:
                return profiles.none()
            skill_ids = {skill_id} | skill_descendant_ids({skill_id})
        else:
            skill_ids = skill_ids_matching(str(skill))
        level_filter = Q(user__declared_skills__skill_id__in=skill_ids)
        if min_level:
            level_filter &= Q(user__declared_skills__level__gte=min_level)
        profiles = profiles.filter(
            Exists(
                ProfileSkill.objects.filter(
                    user_id=OuterRef("user_id"),
                    skill_id__in=skill_ids,
                    level__gte=min_level or 1,
                )
            )
        ).annotate(best_level=Max("user__declared_skills__level", filter=level_filter))
        ordering = ["-best_level", *ordering]
    if org_unit:
        unit = OrgUnit.objects.filter(pk=org_unit).only("path").first()
        if unit is None:
            return profiles.none()
        profiles = profiles.filter(org_unit__path__startswith=unit.path)
    if location:
        profiles = profiles.filter(location_id=location)
    if language:
        profiles = profiles.filter(languages_text__contains=f",{language.strip().lower()},")
    return profiles.order_by(*ordering)


def skill_descendant_ids(skill_ids: set[int]) -> set[int]:
    """The sub-skills of `skill_ids`, down to three levels (the taxonomy's depth)."""
    found: set[int] = set()
    frontier = set(skill_ids)
    for _depth in range(3):
        frontier = set(Skill.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        frontier -= found | skill_ids
        if not frontier:
            break
        found |= frontier
    return found


def person_list_with_skills(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """Attach each person's declared skills, highest level first, in one extra query."""
    return profiles.prefetch_related(
        Prefetch(
            "user__declared_skills",
            queryset=ProfileSkill.objects.select_related("skill").order_by(
                "-level", "skill__label_fr"
            ),
            to_attr="skills_by_level",
        )
    )


def person_get(*, viewer: User, person_id: Any) -> Profile:
    """One active person's profile, or NotFound."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        raise NotFound("person_not_found", PERSON_NOT_FOUND) from None
    profile = _profiles().select_related("manager", "manager__profile").filter(user_id=pk).first()
    if profile is None:
        # A former employee's profile stays readable where their content links to it; pages
        # mark it "Left the company" (docs/integration.md).
        former = (
            Profile.objects.filter(user_id=pk, user__is_active=False)
            .select_related("user", "org_unit", "location", "job_role", "manager__profile")
            .first()
        )
        if former is not None:
            return former
        if User.objects.filter(pk=pk, is_active=True).exists():
            # Accounts created outside the app (createsuperuser, SCIM) get a profile lazily.
            Profile.objects.get_or_create(user_id=pk)
            return person_get(viewer=viewer, person_id=pk)
        raise NotFound("person_not_found", PERSON_NOT_FOUND)
    return profile


@dataclass
class DeclaredSkillView:
    """A declared skill as shown on a profile."""

    skill: Skill
    level: int
    level_label: str
    endorsement_count: int
    endorsed_by_viewer: bool
    endorsers: list[User] = field(default_factory=list)


def person_skills(
    *, viewer: User, person: User, with_endorsements: bool = True
) -> list[DeclaredSkillView]:
    """`person`'s declared skills, with endorsements unless told not to, in one or two queries."""
    declared = list(
        ProfileSkill.objects.filter(user=person)
        .select_related("skill")
        .order_by("-level", "skill__label_fr")
    )
    endorsements: dict[int, list[Endorsement]] = {}
    if with_endorsements:
        for endorsement in (
            Endorsement.objects.filter(endorsee=person)
            .select_related("endorser")
            .order_by("-created_at")
        ):
            endorsements.setdefault(endorsement.skill_id, []).append(endorsement)
    return [
        DeclaredSkillView(
            skill=item.skill,
            level=item.level,
            level_label=ProfileSkill.Level(item.level).label,
            endorsement_count=len(endorsements.get(item.skill_id, [])),
            endorsed_by_viewer=any(
                e.endorser_id == viewer.pk for e in endorsements.get(item.skill_id, [])
            ),
            endorsers=[e.endorser for e in endorsements.get(item.skill_id, [])[:5]],
        )
        for item in declared
    ]


def person_direct_reports(*, person: User) -> QuerySet[Profile]:
    """The active people whose manager is `person`."""
    return _profiles().filter(manager=person).order_by("user__last_name", "user__first_name")


def org_unit_ancestors(unit: OrgUnit | None) -> list[OrgUnit]:
    """The chain of units from the root down to `unit`, in one query."""
    if unit is None:
        return []
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    units = OrgUnit.objects.in_bulk(ids)
    return [units[i] for i in ids if i in units]


@dataclass
class CompletenessPart:
    """One part of a profile, whether it is filled and what filling it brings."""

    key: str
    label: str
    done: bool
    weight: int
    benefit: str


@dataclass
class Completeness:
    """How complete a profile is, and what each missing part would bring."""

    percent: int
    parts: list[CompletenessPart]

    @property
    def missing(self) -> list[CompletenessPart]:
        return [p for p in self.parts if not p.done]


@dataclass
class OwnProfile:
    """My profile, my declared skills (best first) and the extra values asked for."""

    profile: Profile
    skills: list[DeclaredSkillView]
    extra: dict[str, Any] = field(default_factory=dict)


def own_profile_with_skills(
    *, viewer: User, extra: Mapping[str, tuple[str, Sequence[Any]]] | None = None
) -> OwnProfile:
    """The viewer's profile and declared skills, best first, without endorsements: one query.

    The home page shows both on every visit; one LEFT JOIN saves a round trip and the building
    of two ORM queries (benchmarks/README.md, section 9). `extra` maps names to scalar
    subqueries (SQL, parameters) read in the same statement; they are missing from the result
    when the person has no profile yet.
    """
    extra = extra or {}
    database = connections[router.db_for_read(Profile)]
    profile = columns_of(Profile, "p", database.alias)
    held, skills = ProfileSkill._meta.db_table, Skill._meta.db_table
    scalars = "".join(f", ({sql})" for sql, _p in extra.values())
    params = [param for _sql, extra_params in extra.values() for param in extra_params]
    sql = (
        f'SELECT {profile.sql}, h."level", s."id", s."slug", s."label_fr", s."label_en"{scalars} '
        f'FROM "{Profile._meta.db_table}" p LEFT JOIN "{held}" h ON h."user_id" = p."user_id" '
        f'LEFT JOIN "{skills}" s ON s."id" = h."skill_id" '
        'WHERE p."user_id" = %s ORDER BY h."level" DESC, s."label_fr"'
    )
    # Every home page runs it: prepared, it is planned once per connection (decision 28).
    with prepared_cursor(database) as cursor:
        cursor.execute(sql, [*params, viewer.pk])
        rows = cursor.fetchall()
    if not rows:
        # Accounts created outside the app get their profile lazily (person_get creates it).
        found = person_get(viewer=viewer, person_id=viewer.pk)
        declared = person_skills(viewer=viewer, person=viewer, with_endorsements=False)
        return OwnProfile(found, declared)
    width = len(profile)
    mine = profile.instance(rows[0][:width])
    mine.user = viewer
    fields = ["id", "slug", "label_fr", "label_en"]
    declared = [
        DeclaredSkillView(
            skill=Skill.from_db(database.alias, fields, row[width + 1 : width + 5]),
            level=row[width],
            level_label=ProfileSkill.Level(row[width]).label,
            endorsement_count=0,
            endorsed_by_viewer=False,
        )
        for row in rows
        if row[width + 1] is not None
    ]
    values = dict(zip(extra, rows[0][width + 5 :], strict=True))
    return OwnProfile(mine, declared, values)


def profile_completeness(
    *, profile: Profile, skill_count: int | None = None, top_skill: str | None = None
) -> Completeness:
    """Score `profile` out of 100 and say, for each missing part, what it brings the person."""
    if skill_count is None:
        skill_count = ProfileSkill.objects.filter(user_id=profile.user_id).count()
    if top_skill is None:
        # Without skills there is no top skill to look for.
        first = (
            ProfileSkill.objects.filter(user_id=profile.user_id)
            .select_related("skill")
            .order_by("-level")
            .first()
            if skill_count
            else None
        )
        top_skill = first.skill.label if first else _("your field")
    parts = [
        CompletenessPart(
            "skills",
            _("At least three skills"),
            skill_count >= 3,
            30,
            _("People looking for %(skill)s will find you in the directory and in “who knows”.")
            % {"skill": top_skill},
        ),
        CompletenessPart(
            "photo",
            _("A photo"),
            bool(profile.photo),
            10,
            _("Colleagues recognise you before your first meeting."),
        ),
        CompletenessPart(
            "title",
            _("A job title"),
            bool(profile.title),
            10,
            _("People understand at a glance what you can help with."),
        ),
        CompletenessPart(
            "bio",
            _("A few words about you"),
            len(profile.bio) >= 40,
            15,
            _("You answer “what do you do?” once instead of every week."),
        ),
        CompletenessPart(
            "languages",
            _("Your languages"),
            bool(profile.languages),
            10,
            _("International teams can find someone who speaks their language."),
        ),
        CompletenessPart(
            "location",
            _("Your site"),
            profile.location_id is not None,
            10,
            _("Colleagues nearby can meet you in person."),
        ),
        CompletenessPart(
            "interests",
            _("Your interests"),
            bool(profile.interests),
            10,
            _("You get suggested projects, communities and mentors that fit them."),
        ),
        CompletenessPart(
            "availability",
            _("Your availability"),
            profile.availability_percent > 0 or bool(profile.availability_note),
            5,
            _("People see whether you can take on something before they ask."),
        ),
    ]
    percent = sum(p.weight for p in parts if p.done)
    return Completeness(percent=percent, parts=parts)


def skill_list(*, q: str = "", kind: str = "") -> QuerySet[Skill]:
    """Taxonomy skills matching `q` on any label or alias, with their holder counts."""
    skills = Skill.objects.select_related("parent").annotate(holder_count=Count("holders"))
    if q:
        folded = normalize(q)[:MAX_QUERY_LENGTH]
        skills = skills.filter(
            Exists(SkillAlias.objects.filter(skill_id=OuterRef("pk"), normalized__contains=folded))
        )
    if kind:
        skills = skills.filter(kind=kind)
    return skills.order_by("label_fr")


def skill_get(*, slug_or_id: str | int) -> Skill:
    """One skill by slug or id, or NotFound."""
    text = str(slug_or_id)
    lookup: dict[str, object] = {"slug": text}
    if text.isdecimal():
        skill_id = parse_id(text)
        if skill_id is None:
            raise NotFound("skill_not_found", SKILL_NOT_FOUND)
        lookup = {"pk": skill_id}
    skill = (
        Skill.objects.select_related("parent")
        .prefetch_related("aliases", "children")
        .filter(**lookup)
        .first()
    )
    if skill is None:
        raise NotFound("skill_not_found", SKILL_NOT_FOUND)
    return skill


def skill_holders_by_level(*, skill: Skill) -> list[tuple[int, str, list[ProfileSkill]]]:
    """People who declared `skill`, grouped from expert down to notions, with endorsement counts."""
    holders = list(
        ProfileSkill.objects.filter(skill=skill, user__is_active=True)
        .select_related("user", "user__profile", "user__profile__org_unit")
        .annotate(
            endorsement_count=Count(
                "user__endorsements_received",
                filter=Q(user__endorsements_received__skill=skill),
            )
        )
        .order_by("-level", "-endorsement_count", "user__last_name")
    )
    groups = []
    for level in sorted(ProfileSkill.Level.values, reverse=True):
        members = [h for h in holders if h.level == level]
        groups.append((level, ProfileSkill.Level(level).label, members))
    return groups


def org_unit_tree() -> list[tuple[OrgUnit, int]]:
    """Every unit in tree order with its member count, in one query."""
    return list(
        OrgUnit.objects.select_related("manager")
        .annotate(member_count=Count("members", filter=Q(members__user__is_active=True)))
        .order_by("path")
    )


def org_unit_get(*, unit_id: Any) -> OrgUnit:
    """One org unit, or NotFound."""
    try:
        unit = OrgUnit.objects.select_related("manager", "parent").get(pk=int(unit_id))
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise NotFound("org_unit_not_found", ORG_UNIT_NOT_FOUND) from None
    return unit


def job_map() -> list[JobFamily]:
    """Job families with their roles and key skills, in three queries."""
    return list(
        JobFamily.objects.prefetch_related(
            Prefetch(
                "roles",
                queryset=JobRole.objects.annotate(holder_count=Count("holders"))
                .prefetch_related("skills")
                .order_by("track", "level", "title_fr"),
            )
        ).order_by("name_fr")
    )


def location_list() -> QuerySet[Location]:
    """Every site, by name."""
    return Location.objects.order_by("name")


# What a person card shows (name, initials, title, unit, site, photo, Expert level,
# availability) and what notifying the person reads (active, language, staff): the columns
# users_with_profiles(card=True) loads. The others (password, timestamps, biography, search
# text) are deferred: a list of experts never reads them, and they cost as much as the rest.
PERSON_CARD_FIELDS: dict[type, tuple[str, ...]] = {
    User: (
        "id",
        "email",
        "first_name",
        "last_name",
        "language",
        "is_active",
        "is_staff",
        "is_superuser",
    ),
    Profile: (
        "id",
        "user",
        "title",
        "org_unit",
        "manager",
        "job_role",
        "location",
        "availability_percent",
        "availability_status",
        "availability_note",
        "photo",
        "expert_level",
    ),
    OrgUnit: ("id", "name", "code", "parent", "manager", "path", "depth"),
    Location: ("id", "name", "city", "country", "timezone"),
}


def users_with_profiles(ids: Sequence[int], *, card: bool = False) -> dict[int, User]:
    """Users by id with their profile, its unit and its location loaded, in one statement;
    with `card`, only the PERSON_CARD_FIELDS (the others deferred, as with `only()`).

    What `User.objects.select_related("profile", "profile__org_unit",
    "profile__location").in_bulk(ids)` gives, without building that query each time (a
    millisecond: the expert ranking's results, decision 27). A user without a profile has
    none cached, as with select_related.
    """
    if not ids:
        return {}
    using = router.db_for_read(User)
    connection = connections[using]

    def columns(model: type, alias: str) -> Any:
        return columns_of(model, alias, using, PERSON_CARD_FIELDS[model] if card else ())

    user, profile = columns(User, "u"), columns(Profile, "p")
    unit, place = columns(OrgUnit, "o"), columns(Location, "l")
    among, params = id_list(ids, connection)
    sql = (
        f"SELECT {user.sql}, {profile.sql}, {unit.sql}, {place.sql} "
        f'FROM "{User._meta.db_table}" u '
        f'LEFT JOIN "{Profile._meta.db_table}" p ON p."user_id" = u."id" '
        f'LEFT JOIN "{OrgUnit._meta.db_table}" o ON o."id" = p."org_unit_id" '
        f'LEFT JOIN "{Location._meta.db_table}" l ON l."id" = p."location_id" '
        f'WHERE u."id" {among}'
    )
    owner = Profile._meta.get_field("user")
    unit_field, place_field = (
        Profile._meta.get_field("org_unit"),
        Profile._meta.get_field("location"),
    )
    found: dict[int, User] = {}
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    edges = _slices(len(user), len(profile), len(unit), len(place))
    for row in rows:
        person = user.instance(row[edges[0]])
        held = profile.instance_or_none(row[edges[1]])
        if held is not None:
            owner.set_cached_value(held, person)
            unit_field.set_cached_value(held, unit.instance_or_none(row[edges[2]]))
            place_field.set_cached_value(held, place.instance_or_none(row[edges[3]]))
        owner.remote_field.set_cached_value(person, held)
        found[person.pk] = person
    return found


def _slices(*lengths: int) -> list[slice]:
    """Consecutive slices of the given lengths: the parts of a row of joined tables."""
    edges, start = [], 0
    for length in lengths:
        edges.append(slice(start, start + length))
        start += length
    return edges
