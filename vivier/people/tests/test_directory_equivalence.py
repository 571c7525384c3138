"""The indexed directory search finds exactly what the former one found, on a generated company:
the same people in the same order, for names, parts of words, skills, e-mails and filters; and
the cheaper unit and site selects render exactly Django's own HTML."""

import random
import re
from datetime import UTC, datetime

import pytest
from django import forms
from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from vivier.accounts.models import User
from vivier.core.ids import parse_id
from vivier.core.text import normalize
from vivier.people.forms import DirectoryFilterForm
from vivier.people.models import Location, OrgUnit, Profile, ProfileSkill, Skill
from vivier.people.selectors import (
    MAX_QUERY_LENGTH,
    _profiles,
    person_list,
    skill_descendant_ids,
    skill_ids_matching,
)
from vivier.scale import generator as gen
from vivier.scale.generator_expertise import create_aliases

PEOPLE = 400


def former_person_list(
    *,
    viewer: User,
    q: str = "",
    skill: str | int | None = None,
    org_unit: int | None = None,
    location: int | None = None,
    language: str = "",
    min_level: int | None = None,
) -> QuerySet[Profile]:
    """The former selector, verbatim: each word as `text LIKE … OR EXISTS(skill alias LIKE …)`."""
    profiles = _profiles()
    for token in normalize(q)[:MAX_QUERY_LENGTH].split():
        skill_match = ProfileSkill.objects.filter(
            user_id=OuterRef("user_id"), skill__aliases__normalized__contains=token
        )
        profiles = profiles.filter(Q(search_text__contains=token) | Q(Exists(skill_match)))
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


@pytest.fixture
def company(db):
    """People with names, titles, sites, units, declared skills and the skills' aliases."""
    world = gen.World(rng=random.Random(5), now=datetime.now(UTC))
    timings = gen.Timings()
    gen.create_people(world, PEOPLE, timings)
    create_aliases(timings)
    # Some people left: the directory never shows them.
    User.objects.filter(pk__in=world.user_ids[::37]).update(is_active=False)
    return world


def _searches(rng: random.Random) -> list[str]:
    users = list(User.objects.values_list("first_name", "last_name", "email"))
    titles = list(Profile.objects.exclude(title="").values_list("title", flat=True)[:50])
    skills = list(Skill.objects.values_list("label_fr", "label_en"))
    searches = ["", "a", "e", "ma", "ar", "zzzz", "  ", "é", "l'", "jean mar", "sec", "data"]
    for first, last, email in rng.sample(users, 60):
        searches += [last, first, f"{first} {last}", last[:3], email.split("@")[0][:6]]
        searches.append(last.upper())
    searches += [rng.choice(titles) for _ in range(10)]
    for label_fr, label_en in rng.sample(skills, 15):
        searches += [label_fr, label_en, label_fr[:4], f"{label_en} {rng.choice(users)[1]}"]
    return searches


def _ids(profiles: QuerySet[Profile]) -> list[int]:
    return list(profiles.values_list("pk", flat=True))


def test_same_people_in_the_same_order_as_the_former_search(company):
    rng = random.Random(8)
    viewer = User.objects.filter(is_active=True).first()
    searches = _searches(rng)
    found_some = 0
    for q in searches:
        new = _ids(person_list(viewer=viewer, q=q))
        assert new == _ids(former_person_list(viewer=viewer, q=q)), q
        assert person_list(viewer=viewer, q=q).count() == len(new)
        found_some += bool(new)
    assert found_some > len(searches) * 0.8
    # With the other filters: unit subtree, site, language, skill (with levels).
    units = list(OrgUnit.objects.values_list("pk", flat=True))
    sites = list(Location.objects.values_list("pk", flat=True))
    skills = list(Skill.objects.values_list("label_en", flat=True))
    for q in rng.sample(searches, 40):
        filters = {
            "org_unit": rng.choice([None, *units]),
            "location": rng.choice([None, *sites]),
            "language": rng.choice(["", "fr", "en"]),
            "skill": rng.choice([None, *skills]),
            "min_level": rng.choice([None, 2, 3]),
        }
        new = _ids(person_list(viewer=viewer, q=q, **filters))
        assert new == _ids(former_person_list(viewer=viewer, q=q, **filters)), (q, filters)


def test_a_word_matches_a_skill_alias_or_the_text(company):
    """Both arms of the search are exercised: people found only through a declared skill."""
    viewer = User.objects.filter(is_active=True).first()
    skill = Skill.objects.filter(holders__isnull=False).order_by("pk").first()
    word = normalize(skill.label_en).split()[0]
    by_text = set(Profile.objects.filter(search_text__contains=word).values_list("pk", flat=True))
    found = set(_ids(person_list(viewer=viewer, q=word)))
    holders = set(
        Profile.objects.filter(
            user__is_active=True, user__declared_skills__skill=skill
        ).values_list("pk", flat=True)
    )
    assert holders and holders <= found and found - by_text


def _compact(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("chosen", [None, "unit", "site"])
def test_quick_selects_render_django_s_own_html(company, chosen):
    OrgUnit.objects.filter(pk=OrgUnit.objects.order_by("pk").last().pk).update(name="R&D <Lab>")
    data = {"q": "a"}
    if chosen == "unit":
        data["org_unit"] = str(OrgUnit.objects.order_by("-pk").values_list("pk", flat=True)[1])
    if chosen == "site":
        data["location"] = str(Location.objects.order_by("pk").values_list("pk", flat=True)[2])
    quick = DirectoryFilterForm(data)
    plain = DirectoryFilterForm(data)
    for name in ("org_unit", "location"):
        plain.fields[name].widget = forms.Select(choices=plain.fields[name].choices)
    assert quick.is_valid() and plain.is_valid()
    for name in ("org_unit", "location"):
        expected = _compact(plain[name])
        assert _compact(quick[name]) == expected
        assert expected.count("<option") == 1 + (
            OrgUnit.objects.count() if name == "org_unit" else Location.objects.count()
        )
    assert "R&amp;D &lt;Lab&gt;" in str(quick["org_unit"])
    for name in ("org_unit", "location"):
        value = data.get(name, "")
        assert f'<option value="{value}" selected>' in str(quick[name])
        assert str(quick[name]).count(" selected>") == 1
