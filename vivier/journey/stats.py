"""Confidence intervals for proportions and their difference (no SciPy needed)."""

from dataclasses import dataclass
from math import sqrt

Z95 = 1.959963984540054


def wilson(successes: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion (Wilson 1927); (0, 1) when `total` is 0."""
    if total <= 0:
        return 0.0, 1.0
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Difference:
    """p1 - p2 with its 95 % interval (Newcombe's hybrid score method, his method 10)."""

    p1: float
    p2: float
    difference: float
    low: float
    high: float


def newcombe_difference(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> Difference | None:
    """Difference of two independent proportions x1/n1 - x2/n2 with Newcombe's interval (1998).

    None when either group is empty.
    """
    if n1 <= 0 or n2 <= 0:
        return None
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    difference = p1 - p2
    low = difference - sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Difference(p1=p1, p2=p2, difference=difference, low=low, high=high)
