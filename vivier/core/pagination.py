"""A paginator for searches over the whole company: it counts no further than people read."""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator


class BoundedPaginator(Paginator):
    """Counts at most `limit` + 1 rows, and nothing at all when the first page is not full.

    An exact COUNT(*) of a broad search ("a", a whole directorate) reads every matching row,
    which at 100,000 people costs more than the page itself; past `limit`, the page says "more
    than `limit`" and its pages go as far as the `limit`-th result (decision 22).
    """

    def __init__(self, object_list: Any, per_page: int, *, limit: int) -> None:
        super().__init__(object_list, per_page)
        self.limit = limit

    @cached_property
    def count(self) -> int:
        """The number of results, up to `limit` + 1 (a COUNT over a LIMIT subquery)."""
        return self.object_list[: self.limit + 1].count()

    @property
    def capped(self) -> bool:
        """Whether there are more than `limit` results."""
        return self.count > self.limit

    @cached_property
    def num_pages(self) -> int:
        """Enough pages for the results, or for the first `limit` of them when there are more."""
        shown = self.limit if self.capped else max(1, self.count)
        return -(-shown // self.per_page)

    def page(self, number: Any) -> Page:
        """The page `number`; the first one is read before any count, which it may make useless."""
        try:
            first = int(number) == 1
        except (TypeError, ValueError):
            first = False
        if not first or "count" in self.__dict__:
            return super().page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.__dict__["count"] = len(rows)  # a first page not full holds every result
        return self._get_page(rows, 1, self)
