"""Matching on plain data: rules, reasons, and the optimal assignment against brute force."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from vivier.mentoring import matching
from vivier.mentoring.matching import MenteeSide, MentorSide, Person


def mentor(pid: int, skills: dict[int, int], capacity: int = 2, **person) -> MentorSide:
    reverse = person.pop("reverse", False)
    languages = person.pop("languages", frozenset({"fr"}))
    return MentorSide(
        person=Person(id=pid, **person),
        skills=skills,
        capacity=capacity,
        languages=languages,
        reverse=reverse,
    )


def mentee(pid: int, goals: dict[int, int], **person) -> MenteeSide:
    reverse = person.pop("reverse", False)
    languages = person.pop("languages", frozenset({"fr"}))
    return MenteeSide(
        person=Person(id=pid, **person), goals=goals, languages=languages, reverse=reverse
    )


def test_skill_fit_needs_the_mentor_at_or_above_the_target():
    assert matching.refusal(mentor(1, {7: 2}), mentee(2, {7: 3})) == matching.REFUSE_SKILL
    match = matching.pair_score(mentor(1, {7: 4}), mentee(2, {7: 3}))
    assert match is not None
    assert next(r.code for r in match.reasons) == "skill_fit"


def test_a_goal_the_mentor_does_not_cover_is_listed_as_a_gap():
    match = matching.pair_score(mentor(1, {7: 4}), mentee(2, {7: 3, 8: 2}))
    assert [g.code for g in match.gaps if g.code == "skill_gap"] == ["skill_gap"]


def test_never_oneself_nor_ones_manager_or_direct_report_in_either_direction():
    assert matching.refusal(mentor(1, {7: 4}), mentee(1, {7: 1})) == matching.REFUSE_SELF
    boss = mentor(1, {7: 4})
    report = mentee(2, {7: 1}, manager_id=1)
    assert matching.refusal(boss, report) == matching.REFUSE_MANAGER
    assert matching.refusal(mentor(2, {7: 4}, manager_id=1), mentee(1, {7: 1})) == (
        matching.REFUSE_MANAGER
    )
    # The manager of one's org unit counts too.
    assert matching.refusal(boss, mentee(3, {7: 1}, unit_manager_id=1)) == matching.REFUSE_MANAGER


def test_no_capacity_left_is_refused():
    full = MentorSide(person=Person(id=1), skills={7: 4}, capacity=2, load=2)
    assert matching.refusal(full, mentee(2, {7: 1})) == matching.REFUSE_CAPACITY


def test_reverse_needs_a_more_junior_mentor_who_offers_it():
    senior = mentee(2, {7: 2}, seniority=4, reverse=True)
    assert matching.refusal(mentor(1, {7: 3}, seniority=1), senior) == matching.REFUSE_REVERSE
    assert (
        matching.refusal(mentor(1, {7: 3}, seniority=5, reverse=True), senior)
        == matching.REFUSE_REVERSE
    )
    match = matching.pair_score(mentor(1, {7: 3}, seniority=1, reverse=True), senior)
    assert "reverse_eligible" in [r.code for r in match.reasons]


def test_no_shared_language_is_refused():
    assert (
        matching.refusal(mentor(1, {7: 3}, languages=frozenset({"en"})), mentee(2, {7: 1}))
        == matching.REFUSE_LANGUAGE
    )


def test_other_department_is_a_configurable_preference():
    a = matching.pair_score(mentor(1, {7: 3}, department="9"), mentee(2, {7: 1}, department="8"))
    b = matching.pair_score(mentor(1, {7: 3}, department="8"), mentee(2, {7: 1}, department="8"))
    assert "other_department" in [r.code for r in a.reasons]
    assert "same_department" in [g.code for g in b.gaps]
    assert a.score > b.score
    c = matching.pair_score(
        mentor(1, {7: 3}, department="9"),
        mentee(2, {7: 1}, department="8"),
        other_department_points=0,
    )
    assert c.score == b.score


def test_scores_stay_within_bounds():
    best = matching.pair_score(
        mentor(1, {7: 4}, seniority=3, location_id=1, availability=100, department="a"),
        mentee(2, {7: 1}, location_id=1, department="b"),
        other_department_points=99,
    )
    assert 0 < best.score <= matching.MAX_SCORE


# Assignment ----------------------------------------------------------------------------------


def brute_force(n_mentees, capacities, edges):
    """The best (matched, score) over every assignment of a small cohort."""
    best = (0, 0.0)
    options = [[None] + [j for (i, j) in edges if i == m] for m in range(n_mentees)]
    for choice in itertools.product(*options):
        counts = {}
        for j in choice:
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if all(counts[j] <= capacities[j] for j in counts):
            best = max(best, matching.assignment_value(choice, edges))
    return best


def valid(assignment, capacities, edges):
    counts = {}
    for i, j in enumerate(assignment):
        if j is not None:
            assert (i, j) in edges
            counts[j] = counts.get(j, 0) + 1
    return all(counts[j] <= capacities[j] for j in counts)


@st.composite
def cohorts(draw, max_mentees=6, max_mentors=3):
    n_mentees = draw(st.integers(1, max_mentees))
    n_mentors = draw(st.integers(1, max_mentors))
    capacities = draw(st.lists(st.integers(0, 3), min_size=n_mentors, max_size=n_mentors))
    edges = {}
    for i in range(n_mentees):
        for j in range(n_mentors):
            if draw(st.booleans()):
                edges[(i, j)] = draw(st.integers(1, 10_000)) / 100
    return n_mentees, capacities, edges


@settings(max_examples=150, deadline=None)
@given(cohorts())
def test_optimal_is_lexicographic_best_and_beats_greedy(cohort):
    n_mentees, capacities, edges = cohort
    optimal = matching.assign_optimal(n_mentees, capacities, edges)
    greedy = matching.assign_greedy(n_mentees, capacities, edges)
    assert valid(optimal, capacities, edges)
    assert valid(greedy, capacities, edges)
    best = brute_force(n_mentees, capacities, edges)
    value = matching.assignment_value(optimal, edges)
    # As many mentees as any feasible assignment, then the best total score among those.
    assert value[0] == best[0]
    assert abs(value[1] - best[1]) < 1e-6
    greedy_value = matching.assignment_value(greedy, edges)
    assert value[0] >= greedy_value[0]
    if value[0] == greedy_value[0]:
        assert value[1] >= greedy_value[1] - 1e-6


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 60), st.integers(2, 15))
def test_generated_cohorts_optimal_beats_or_equals_greedy(seed, n_mentees, n_mentors):
    import random

    rng = random.Random(seed)
    mentors = [
        mentor(
            1000 + j,
            {s: rng.randint(1, 4) for s in rng.sample(range(8), rng.randint(1, 3))},
            capacity=rng.randint(1, 5),
            department=str(rng.randint(1, 3)),
            location_id=rng.randint(1, 3),
            seniority=rng.randint(1, 4),
            availability=rng.choice([0, 20, 50]),
        )
        for j in range(n_mentors)
    ]
    mentees = [
        mentee(
            i + 1,
            {s: rng.randint(1, 4) for s in rng.sample(range(8), rng.randint(1, 2))},
            department=str(rng.randint(1, 3)),
            location_id=rng.randint(1, 3),
            seniority=rng.randint(1, 4),
        )
        for i in range(n_mentees)
    ]
    edges = matching.score_edges(mentors, mentees)
    capacities = [m.capacity for m in mentors]
    optimal = matching.assignment_value(
        matching.assign_optimal(n_mentees, capacities, edges), edges
    )
    greedy = matching.assignment_value(matching.assign_greedy(n_mentees, capacities, edges), edges)
    assert optimal[0] >= greedy[0]
    assert optimal[1] >= greedy[1] - 1e-6 or optimal[0] > greedy[0]


def test_no_mentee_unmatched_when_a_feasible_mentor_exists():
    # Greedy gives the only mentor of mentee 1 to mentee 0, who had another option.
    edges = {(0, 0): 90.0, (0, 1): 10.0, (1, 0): 20.0}
    assert matching.assign_greedy(2, [1, 1], edges) == [0, None]
    assert matching.assign_optimal(2, [1, 1], edges) == [1, 0]


def test_score_edges_agrees_with_pair_score():
    mentors = [mentor(10, {1: 3, 2: 4}), mentor(11, {3: 2}, languages=frozenset({"en"}))]
    mentees = [mentee(1, {1: 2}), mentee(2, {3: 1}), mentee(10, {2: 1})]
    edges = matching.score_edges(mentors, mentees)
    assert set(edges) == {(0, 0)}
    assert edges[(0, 0)] == matching.pair_score(mentors[0], mentees[0]).score
