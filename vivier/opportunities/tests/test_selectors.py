"""Visibility rules and the two recommendation directions, with pinned query counts."""

import pytest

from vivier.core.errors import ApplicationError
from vivier.opportunities.models import Opportunity
from vivier.opportunities.selectors import (
    opportunities_for,
    opportunity_get,
    opportunity_list,
    people_for,
)
from vivier.opportunities.services import (
    SkillNeed,
    application_create,
    mobility_update,
    opportunity_transition,
)
from vivier.people.models import ProfileSkill


@pytest.fixture
def units(make_unit):
    dsi = make_unit("DSI")
    data = make_unit("DATA", parent=dsi)
    finance = make_unit("FIN")
    return {"dsi": dsi, "data": data, "finance": finance}


@pytest.fixture
def owner(make_person, units):
    return make_person("owner@example.test", first_name="Odile", org_unit=units["dsi"])


def _declare(user, skill, level):
    ProfileSkill.objects.create(user=user, skill=skill, level=level)


# viewer -> (sees an offer for everyone, sees one for DSI and sub-units, sees a draft)
VISIBILITY = {
    "owner": (True, True, True),
    "data_member": (True, True, False),  # DATA is under DSI
    "finance_member": (True, False, False),
    "no_unit": (True, False, False),
    "hr_admin": (True, True, True),
}


@pytest.mark.parametrize("viewer_kind", list(VISIBILITY))
def test_visibility_matrix(viewer_kind, owner, units, make_person, hr_admin, make_opportunity):
    viewers = {
        "owner": owner,
        "data_member": make_person(org_unit=units["data"]),
        "finance_member": make_person(org_unit=units["finance"]),
        "no_unit": make_person(),
        "hr_admin": hr_admin,
    }
    everyone = make_opportunity(owner, title="Pour tous")
    restricted = make_opportunity(
        owner, title="DSI", visibility="units", visible_units=[units["dsi"]]
    )
    draft = make_opportunity(owner, title="Brouillon", publish=False)
    viewer = viewers[viewer_kind]
    seen = []
    for opportunity in (everyone, restricted, draft):
        try:
            opportunity_get(viewer=viewer, opportunity_id=opportunity.pk)
        except ApplicationError:
            seen.append(False)
        else:
            seen.append(True)
    assert tuple(seen) == VISIBILITY[viewer_kind]
    listed = {o.pk for o in opportunity_list(viewer=viewer, status="")}
    assert listed == {o.pk for o, s in zip((everyone, restricted, draft), seen, strict=True) if s}


def test_opportunities_for_me_rank_by_fit_and_explain(
    owner, make_person, make_opportunity, python_skill, sql_skill, units
):
    me = make_person(availability_percent=40, org_unit=units["data"])
    _declare(me, python_skill, 4)
    fits = make_opportunity(owner, title="Python", skills=[SkillNeed("python", 3, True)])
    other = make_opportunity(owner, title="SQL", skills=[SkillNeed("sql", 3, True)])
    hidden = make_opportunity(
        owner, title="Finance", visibility="units", visible_units=[units["finance"]]
    )
    found = opportunities_for(viewer=me)
    ids = [m.opportunity.pk for m in found]
    assert ids[0] == fits.pk
    assert hidden.pk not in ids
    top = found[0].match
    assert any(r.code == "skill" for r in top.reasons)
    assert ids.index(other.pk) > 0 if other.pk in ids else True
    sql_match = next(m.match for m in found if m.opportunity.pk == other.pk)
    assert [m.skill_id for m in sql_match.missing] == [sql_skill.pk]


def test_applied_and_own_opportunities_are_not_recommended(
    owner, make_person, make_opportunity, python_skill
):
    me = make_person(availability_percent=40)
    _declare(me, python_skill, 4)
    applied = make_opportunity(owner, title="Déjà")
    application_create(actor=me, opportunity=applied, message="Oui")
    mine = make_opportunity(me, title="La mienne")
    ids = {m.opportunity.pk for m in opportunities_for(viewer=me)}
    assert applied.pk not in ids and mine.pk not in ids


def test_opportunities_for_me_query_count_does_not_grow(
    owner, make_person, make_opportunity, python_skill, django_assert_num_queries
):
    """9 queries, however many opportunities: viewer facts and units (3: profile with
    preferences, skills, the three wish lists), needs and candidates (2), roles (1), the top ones
    with their skills and units (3)."""
    me = make_person(availability_percent=40)
    _declare(me, python_skill, 4)
    mobility_update(actor=me, open_to_move=True, suggestible=True, interests=[python_skill])
    for rounds in (6, 12):
        while Opportunity.objects.count() < rounds * 2:
            make_opportunity(owner, title=f"Projet {Opportunity.objects.count()}")
        me = type(me).objects.get(pk=me.pk)
        with django_assert_num_queries(9):
            found = opportunities_for(viewer=me)
            [list(m.opportunity.skills.all()) for m in found]
        assert len(found) == min(rounds * 2, 20)  # the default limit


def test_people_for_an_opportunity(
    owner, make_person, make_opportunity, python_skill, units, django_assert_max_num_queries
):
    opportunity = make_opportunity(owner, skills=[SkillNeed("python", 3, True)])
    expert = make_person(first_name="Expert", availability_percent=50)
    novice = make_person(first_name="Novice", availability_percent=50)
    opted_out = make_person(first_name="Discret", availability_percent=100)
    for person, level in ((expert, 4), (novice, 1), (opted_out, 4)):
        _declare(person, python_skill, level)
    mobility_update(actor=expert, open_to_move=False, suggestible=True)
    mobility_update(actor=novice, open_to_move=False, suggestible=True, interests=[python_skill])
    mobility_update(actor=opted_out, open_to_move=True, suggestible=False)
    owner = type(owner).objects.get(pk=owner.pk)
    with django_assert_max_num_queries(10):
        found = people_for(viewer=owner, opportunity=opportunity)
    ids = [m.profile.user_id for m in found]
    assert ids == [expert.pk, novice.pk]
    assert opted_out.pk not in ids
    assert any(r.code == "interest" for r in found[1].match.reasons)
    assert [m.skill_id for m in found[1].match.missing] == [python_skill.pk]


def test_people_for_a_restricted_opportunity_are_those_who_may_see_it(
    owner, make_person, make_opportunity, python_skill, units
):
    opportunity = make_opportunity(owner, visibility="units", visible_units=[units["dsi"]])
    inside = make_person(org_unit=units["data"])
    outside = make_person(org_unit=units["finance"])
    for person in (inside, outside):
        _declare(person, python_skill, 4)
        mobility_update(actor=person, open_to_move=False, suggestible=True)
    ids = [m.profile.user_id for m in people_for(viewer=owner, opportunity=opportunity)]
    assert ids == [inside.pk]


@pytest.mark.parametrize(
    ("role", "allowed"), [("owner", True), ("hr_admin", True), ("employee", False)]
)
def test_who_sees_people_for_an_opportunity(
    owner, hr_admin, make_person, make_opportunity, role, allowed
):
    opportunity = make_opportunity(owner)
    viewer = {"owner": owner, "hr_admin": hr_admin, "employee": make_person()}[role]
    if allowed:
        people_for(viewer=viewer, opportunity=opportunity)
    else:
        with pytest.raises(ApplicationError) as caught:
            people_for(viewer=viewer, opportunity=opportunity)
        assert caught.value.status == 403


def test_closed_opportunities_are_not_recommended(
    owner, make_person, make_opportunity, python_skill
):
    me = make_person(availability_percent=40)
    _declare(me, python_skill, 4)
    closed = make_opportunity(owner)
    opportunity_transition(actor=owner, opportunity=closed, action="close")
    assert closed.pk not in {m.opportunity.pk for m in opportunities_for(viewer=me)}
    assert Opportunity.objects.get(pk=closed.pk).status == "closed"
