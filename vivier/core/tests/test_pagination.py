"""BoundedPaginator: exact counts up to its limit, "more than" past it, no count for a lone page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vivier.core.pagination import BoundedPaginator
from vivier.people.models import Location


@pytest.fixture
def sites(db):
    Location.objects.bulk_create(Location(name=f"Site {i:02d}") for i in range(23))
    return Location.objects.order_by("name")


def test_a_first_page_not_full_is_counted_without_a_query(sites):
    paginator = BoundedPaginator(sites, 30, limit=100)
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(None)
        assert len(page.object_list) == 23
        assert (paginator.count, paginator.num_pages, paginator.capped) == (23, 1, False)
        assert not page.has_next()
    assert len(ctx.captured_queries) == 1  # the page itself


def test_exact_count_under_the_limit(sites):
    paginator = BoundedPaginator(sites, 5, limit=23)
    page = paginator.get_page("2")
    assert [s.name for s in page.object_list] == [f"Site {i:02d}" for i in range(5, 10)]
    assert (paginator.count, paginator.num_pages, paginator.capped) == (23, 5, False)
    last = BoundedPaginator(sites, 5, limit=23).get_page("99")
    assert last.number == 5 and len(last.object_list) == 3


def test_past_the_limit_the_count_stops_and_pages_cover_the_limit(sites):
    paginator = BoundedPaginator(sites, 5, limit=12)
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(1)
        assert paginator.capped and paginator.count == 13
    assert "LIMIT 13" in ctx.captured_queries[-1]["sql"]
    assert len(page.object_list) == 5 and page.has_next()
    assert paginator.num_pages == 3
    third = BoundedPaginator(sites, 5, limit=12).get_page(3)
    assert third.number == 3 and not third.has_next()
    assert BoundedPaginator(sites, 5, limit=12).get_page(4).number == 3
    assert BoundedPaginator(sites, 5, limit=12).get_page("x").number == 1
