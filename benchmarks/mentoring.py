"""Cohort assignment benchmark: the optimal assignment against a greedy one, on the same cohort.

    .venv/bin/python benchmarks/mentoring.py [--mentees 2000 --mentors 500 --skills 40 --seed 7]

Generates a cohort (mentors with a capacity from 1 to 5, skills at a level, departments, sites,
languages, some reverse mentoring), scores every allowed pair with the app's own `pair_score`,
then times `assign_optimal` (scipy's linear_sum_assignment on a capacity-expanded matrix, matched
count first, then score) and `assign_greedy` (best pairs first) in the same process. Prints the
time (best of --repeat runs) and the peak memory (tracemalloc, one more run) of each, and the
matched count and total score of both. No database. This is a report: nothing here asserts a
timing. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vivier.mentoring import matching  # noqa: E402
from vivier.mentoring.matching import MenteeSide, MentorSide, Person  # noqa: E402

LANGUAGES = [frozenset({"fr"}), frozenset({"fr", "en"}), frozenset({"en"})]
FORMATS = [frozenset({"remote"}), frozenset({"in_person"}), frozenset({"remote", "in_person"})]


def cohort(
    *, mentees: int, mentors: int, skills: int, seed: int
) -> tuple[list[MentorSide], list[MenteeSide]]:
    """A plausible cohort: popular skills are wanted more often than they are offered."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.6 for rank in range(skills)]

    def person(pid: int, seniority: int) -> Person:
        return Person(
            id=pid,
            manager_id=rng.randint(1, mentees + mentors) if rng.random() < 0.3 else None,
            department=str(rng.randint(1, 8)),
            location_id=rng.randint(1, 5),
            timezone=rng.choice(["Europe/Paris", "Europe/Paris", "America/Montreal"]),
            seniority=seniority,
            availability=rng.choice([0, 10, 20, 50]),
        )

    mentor_sides = []
    for j in range(mentors):
        reverse = rng.random() < 0.1
        offered = set(rng.choices(range(skills), weights=weights, k=rng.randint(1, 3)))
        mentor_sides.append(
            MentorSide(
                person=person(mentees + j + 1, rng.randint(1, 2) if reverse else rng.randint(2, 5)),
                skills={s: rng.randint(2, 4) for s in offered},
                capacity=rng.randint(1, 5),
                formats=rng.choice(FORMATS),
                languages=rng.choices(LANGUAGES, weights=[6, 3, 1])[0],
                reverse=reverse,
            )
        )
    mentee_sides = []
    for i in range(mentees):
        reverse = rng.random() < 0.08
        goals = set(rng.choices(range(skills), weights=weights, k=rng.randint(1, 2)))
        mentee_sides.append(
            MenteeSide(
                person=person(i + 1, rng.randint(3, 5) if reverse else rng.randint(1, 3)),
                goals={s: rng.randint(1, 4) for s in goals},
                formats=rng.choice(FORMATS),
                languages=rng.choices(LANGUAGES, weights=[6, 3, 1])[0],
                reverse=reverse,
                prefer_other_department=rng.random() < 0.7,
            )
        )
    return mentor_sides, mentee_sides


def timed(function, *args, repeat: int = 1):
    """(result, best wall time in seconds over `repeat` runs), without tracing."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - started)
    return result, best


def peak_memory(function, *args) -> float:
    """Peak memory allocated during one run, in MiB (tracemalloc sees numpy's buffers too)."""
    tracemalloc.start()
    function(*args)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=500)
    parser.add_argument("--skills", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import numpy
    import scipy

    print(
        f"Python {platform.python_version()}, numpy {numpy.__version__}, scipy {scipy.__version__}"
        f", {platform.machine()}"
    )
    mentors, mentees = cohort(
        mentees=args.mentees, mentors=args.mentors, skills=args.skills, seed=args.seed
    )
    capacities = [m.capacity for m in mentors]
    print(
        f"Cohort: {len(mentees)} mentees, {len(mentors)} mentors, {sum(capacities)} places "
        f"(capacity 1-5), {args.skills} skills, seed {args.seed}"
    )
    edges, t_score = timed(matching.score_edges, mentors, mentees)
    print(
        f"Scoring the allowed pairs: {t_score:.2f} s, {len(edges)} pairs "
        f"({len(edges) / (len(mentors) * len(mentees)):.1%} of all)"
    )
    runs = (len(mentees), capacities, edges)
    optimal, t_opt = timed(matching.assign_optimal, *runs, repeat=args.repeat)
    greedy, t_greedy = timed(matching.assign_greedy, *runs, repeat=args.repeat)
    m_opt = peak_memory(matching.assign_optimal, *runs)
    m_greedy = peak_memory(matching.assign_greedy, *runs)
    print(f"  {'':<10} {'time (best of ' + str(args.repeat) + ')':>18} {'peak memory':>12}")
    print(f"  {'optimal':<10} {t_opt:>16.3f} s {m_opt:>8.1f} MiB")
    print(f"  {'greedy':<10} {t_greedy:>16.3f} s {m_greedy:>8.1f} MiB")
    feasible = len({i for i, _j in edges})
    o_matched, o_total = matching.assignment_value(optimal, edges)
    g_matched, g_total = matching.assignment_value(greedy, edges)
    print(f"Mentees with at least one allowed mentor: {feasible}")
    print(f"  {'':<10} {'matched':>8} {'total score':>12} {'mean':>7}")
    for name, matched, total in (("optimal", o_matched, o_total), ("greedy", g_matched, g_total)):
        print(f"  {name:<10} {matched:>8} {total:>12.1f} {total / max(matched, 1):>7.2f}")
    print(
        f"Optimal vs greedy: +{o_matched - g_matched} mentees matched, "
        f"score x{o_total / g_total:.3f}, time x{t_opt / max(t_greedy, 1e-9):.0f}"
    )


if __name__ == "__main__":
    main()
