"""Property tests: over random org trees and answers, no combination of the groups shown reveals
a group of fewer than k respondents.

Every view (a group's results, per question, per unit, trends, the CSV export) is an aggregate
over one of the shown groups. Any sum or difference of such aggregates ("parent minus the shown
children", "A + B - C"...) is constant over the respondents who belong to exactly the same shown
groups, so the finest thing anyone can derive is one such class: each must be empty or hold at
least k respondents.
"""

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from vivier.voice.anonymity import ROOT, allowed_groups, group_members, shown_children


@st.composite
def org_and_answers(draw, max_units=14):
    """A random forest of units (parents before children), respondents per unit, and k."""
    size = draw(st.integers(min_value=0, max_value=max_units))
    parents: dict[int, int | None] = {}
    for unit in range(1, size + 1):
        parent = draw(st.sampled_from([None, *range(1, unit)]))
        parents[unit] = parent
    direct: dict[int | None, int] = {}
    for unit in [None, *parents]:
        count = draw(st.integers(min_value=0, max_value=12))
        if count:
            direct[unit] = count
    k = draw(st.integers(min_value=3, max_value=8))
    return parents, direct, k


def _respondents(direct: dict[int | None, int]) -> list[int | None]:
    """One entry per respondent: their unit."""
    return [unit for unit, count in direct.items() for _ in range(count)]


def _membership(parents, shown, respondents) -> list[tuple[int, ...]]:
    """For each respondent, the shown groups they are counted in."""
    members = {g: group_members(parents, g) for g in shown}
    return [
        tuple(sorted(g for g in shown if members[g] is None or unit in members[g]))
        for unit in respondents
    ]


@settings(max_examples=400, deadline=None)
@given(org_and_answers())
def test_no_combination_of_shown_groups_isolates_fewer_than_k(case):
    parents, direct, k = case
    shown = allowed_groups(parents, direct, k)
    respondents = _respondents(direct)
    signatures = _membership(parents, shown, respondents)
    # Every shown group holds at least k respondents.
    for group in shown:
        assert sum(1 for s in signatures if group in s) >= k
    # Every class of respondents that no view can tell apart is empty or at least k.
    if shown:
        for signature, size in Counter(signatures).items():
            assert size >= k, (signature, size)


@settings(max_examples=200, deadline=None)
@given(org_and_answers(max_units=8))
def test_every_signed_sum_of_views_covers_zero_or_at_least_k(case):
    """Brute force over every combination +1/-1/0 of the shown groups' counts."""
    parents, direct, k = case
    shown = sorted(allowed_groups(parents, direct, k))
    if not shown or len(shown) > 7:
        return
    respondents = _respondents(direct)
    members = {g: group_members(parents, g) for g in shown}
    vectors = [
        [1 if members[g] is None or unit in members[g] else 0 for unit in respondents]
        for g in shown
    ]
    for coefficients in itertools.product((-1, 0, 1), repeat=len(shown)):
        combined = [
            sum(c * v[i] for c, v in zip(coefficients, vectors, strict=True))
            for i in range(len(respondents))
        ]
        support = sum(1 for x in combined if x)
        assert support == 0 or support >= k, (coefficients, support)


@settings(max_examples=300, deadline=None)
@given(org_and_answers())
def test_the_remainder_of_every_shown_group_is_empty_or_large(case):
    parents, direct, k = case
    shown = allowed_groups(parents, direct, k)

    def size(group: int) -> int:
        members = group_members(parents, group)
        return sum(n for unit, n in direct.items() if members is None or unit in members)

    for group in shown:
        remainder = size(group) - sum(size(c) for c in shown_children(parents, shown, group))
        assert remainder == 0 or remainder >= k


@settings(max_examples=300, deadline=None)
@given(org_and_answers())
def test_shown_groups_form_a_tree_from_the_whole_audience(case):
    """A unit is shown only under shown ancestors, so suppression hides a whole subtree."""
    parents, direct, k = case
    shown = allowed_groups(parents, direct, k)
    if shown:
        assert ROOT in shown
    for unit in shown - {ROOT}:
        parent = parents[unit]
        assert parent is None or parent in shown


def test_a_small_sibling_is_hidden_with_its_neighbour():
    # Headquarters (1) holds teams 2 (6 people), 3 (6) and 4 (2); k = 5.
    parents = {1: None, 2: 1, 3: 1, 4: 1}
    direct = {2: 6, 3: 6, 4: 2}
    shown = allowed_groups(parents, direct, 5)
    # Team 4 is too small; showing 2 and 3 would give it away as 14 - 6 - 6: one of them goes.
    assert 4 not in shown
    assert {ROOT, 1} <= shown
    assert len(shown & {2, 3}) == 1


def test_nothing_is_shown_below_k():
    assert allowed_groups({1: None}, {1: 4}, 5) == set()
    assert allowed_groups({1: None}, {1: 5}, 5) == {ROOT, 1}


def test_people_without_a_unit_count_in_the_remainder():
    # 6 people in unit 1, 2 without a unit: the audience minus unit 1 would be those 2.
    assert allowed_groups({1: None}, {1: 6, None: 2}, 5) == {ROOT}
    assert allowed_groups({1: None}, {1: 6, None: 5}, 5) == {ROOT, 1}
