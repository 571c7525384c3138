"""Ranking properties of the matching rule, checked on generated people and offers."""

from hypothesis import given, settings
from hypothesis import strategies as st

from vivier.opportunities.matching import Need, Offer, Person, match, rank

skill_ids = st.integers(min_value=1, max_value=30)
levels = st.integers(min_value=1, max_value=4)


@st.composite
def offers(draw, with_required: bool = True):
    ids = draw(st.lists(skill_ids, min_size=1, max_size=8, unique=True))
    needs = [Need(i, draw(levels), draw(st.booleans())) for i in ids]
    if with_required and not any(n.required for n in needs):
        needs[0] = Need(needs[0].skill_id, needs[0].level, True)
    return Offer(
        id=draw(st.integers(1, 1000)),
        needs=needs,
        time_share=draw(st.integers(1, 100)),
        kind=draw(st.sampled_from(["project", "gig", "job", "shadowing"])),
        job_role_id=draw(st.none() | st.integers(1, 5)),
        location_id=draw(st.none() | st.integers(1, 5)),
        remote=draw(st.booleans()),
    )


@st.composite
def people(draw, person_id: int = 1):
    return Person(
        id=person_id,
        skills=draw(st.dictionaries(skill_ids, levels, max_size=10)),
        interests=draw(st.sets(skill_ids, max_size=6)),
        desired_roles=draw(st.sets(st.integers(1, 5), max_size=3)),
        locations=draw(st.sets(st.integers(1, 5), max_size=3)),
        availability=draw(st.integers(0, 100)),
        open_to_move=draw(st.booleans()),
    )


# No deadline: the machine running the suite may be shared; these tests assert no timing.
@settings(deadline=None)
@given(offers(), people(1), people(2))
def test_every_required_skill_outranks_none_whatever_the_rest(offer, anyone, other):
    """A person holding every required skill at its level outranks one holding none of them."""
    full = anyone
    full.skills = full.skills | {n.skill_id: n.level for n in offer.needs if n.required}
    lacking = other
    lacking.skills = {
        k: v
        for k, v in other.skills.items()
        if k not in {n.skill_id for n in offer.needs if n.required}
    }
    assert match(offer, full).score > match(offer, lacking).score
    assert rank([match(offer, lacking), match(offer, full)])[0].person_id == full.id


@settings(deadline=None)
@given(offers(with_required=False), people())
def test_scores_stay_between_0_and_100_and_explain_every_gap(offer, person):
    result = match(offer, person, explain=True)
    assert 0 <= result.score <= 100
    gaps = {m.skill_id for m in result.missing}
    assert gaps == {n.skill_id for n in offer.needs if person.skills.get(n.skill_id, 0) < n.level}
    skill_reasons = {r.skill_id for r in result.reasons if r.code == "skill"}
    assert skill_reasons == {n.skill_id for n in offer.needs} - gaps


@settings(deadline=None)
@given(offers(), people(), st.integers(1, 4))
def test_a_higher_level_never_lowers_the_score(offer, person, extra):
    need = offer.needs[0]
    lower = Person(**{**person.__dict__, "skills": person.skills | {need.skill_id: 0}})
    higher = Person(**{**person.__dict__, "skills": person.skills | {need.skill_id: extra}})
    assert match(offer, higher).score >= match(offer, lower).score


def test_reasons_name_the_skills_and_the_wishes():
    offer = Offer(1, [Need(7, 2, True), Need(8, 3, False)], 20, "job", 4, 2, False)
    person = Person(2, {7: 3}, {8}, {4}, {2}, 50, True)
    result = match(offer, person, explain=True, labels={7: "Python", 8: "SQL"})
    codes = [r.code for r in result.reasons]
    assert codes == [
        "skill",
        "interest",
        "desired_role",
        "open_to_move",
        "availability",
        "location",
    ]
    assert "Python" in result.reasons[0].text
    assert [(m.skill_id, m.level, m.has_level) for m in result.missing] == [(8, 3, 0)]
