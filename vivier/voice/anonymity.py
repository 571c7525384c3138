"""Which respondent groups may be shown: the k threshold and protection against differencing.

Pure functions over an org tree and respondent counts, so that every page, API endpoint and
export asks the same question and the property tests can check the answer (decision 12).

A group is the whole audience (`ROOT`) or an org unit with its sub-units. The groups shown form
a tree; from them anyone can compute, for each shown group, "the group minus its shown
sub-groups" (the remainder). Every such remainder must be empty or hold at least k respondents,
so small sibling groups are hidden together until it does.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping

ROOT = 0  # the whole audience; unit ids start at 1

GroupKey = int


def subtree_totals(
    parents: Mapping[int, int | None], direct: Mapping[int | None, int]
) -> dict[int, int]:
    """Respondents of each unit with its sub-units, and of the whole audience under ROOT."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit, parent in parents.items():
        children[parent if parent in parents else None].append(unit)
    totals: dict[int, int] = {}
    # Iterative post-order: org trees can be deep, recursion is not needed.
    order: list[int] = []
    stack = list(children[None])
    while stack:
        unit = stack.pop()
        order.append(unit)
        stack.extend(children[unit])
    for unit in reversed(order):
        totals[unit] = direct.get(unit, 0) + sum(totals[c] for c in children[unit])
    totals[ROOT] = sum(direct.values())
    return totals


def allowed_groups(
    parents: Mapping[int, int | None], direct: Mapping[int | None, int], k: int
) -> set[GroupKey]:
    """The groups whose results may be shown with threshold `k`.

    `parents` maps every unit id to its parent (None at the top); `direct` maps a unit id (or
    None for people without a unit) to the respondents counted in that very unit.
    """
    if k < 1:
        raise ValueError("k must be positive")
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit, parent in parents.items():
        children[parent if parent in parents else None].append(unit)
    totals = subtree_totals(parents, direct)
    shown: set[GroupKey] = set()
    if totals[ROOT] < k:
        return shown
    shown.add(ROOT)
    stack: list[tuple[int, list[int]]] = [(totals[ROOT], children[None])]
    while stack:
        size, kids = stack.pop()
        candidates = sorted((c for c in kids if totals[c] >= k), key=lambda c: (totals[c], c))
        remainder = size - sum(totals[c] for c in candidates)
        # The rest of the parent must not be a small group either: hide the smallest siblings
        # together with it until it is empty or large enough.
        while 0 < remainder < k and candidates:
            remainder += totals[candidates.pop(0)]
        for child in candidates:
            shown.add(child)
            stack.append((totals[child], children[child]))
    return shown


def group_members(parents: Mapping[int, int | None], group: GroupKey) -> set[int | None] | None:
    """The unit ids a group counts (None: every respondent, with or without a unit)."""
    if group == ROOT:
        return None
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit, parent in parents.items():
        children[parent].append(unit)
    members: set[int | None] = set()
    stack = [group]
    while stack:
        unit = stack.pop()
        members.add(unit)
        stack.extend(children[unit])
    return members


def shown_children(
    parents: Mapping[int, int | None], shown: Iterable[GroupKey], group: GroupKey
) -> list[GroupKey]:
    """The shown groups directly under `group` in the tree of shown groups."""
    shown = set(shown)
    result = []
    for unit in shown - {ROOT}:
        parent = parents.get(unit)
        # Climb to the nearest shown ancestor (there is always one: ROOT).
        while parent is not None and parent not in shown:
            parent = parents.get(parent)
        if (parent if parent is not None else ROOT) == group:
            result.append(unit)
    return sorted(result)
