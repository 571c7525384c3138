"""Search API: one query over people, posts, communities and tags."""

from dataclasses import asdict
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema

from vivier.core.api import NO_NUL, errors
from vivier.search import selectors
from vivier.search.text import MAX_QUERY_LENGTH

router = Router(tags=["search"])

_KIND = "(?:person|post|community|tag|answer)"
# Empty, or kinds separated by commas (spaces allowed around them).
KINDS_PATTERN = rf"^(?:\s*{_KIND}(?:\s*,\s*{_KIND})*\s*)?$"
KINDS_DESCRIPTION = (
    "Comma-separated kinds to keep: person, post, community, tag, answer (default: all)"
)


class SearchResultOut(Schema):
    """One thing found."""

    kind: Literal["person", "post", "community", "tag", "answer"]
    object_id: int
    title: str
    snippet_html: str
    url: str
    score: float
    created_at: datetime


class SearchPageOut(Schema):
    """A page of results, best first, and how many there are in all."""

    total: int
    results: list[SearchResultOut]


@router.get(
    "/search",
    response={200: SearchPageOut, **errors(401, 422)},
    summary="Search people, posts, communities and tags the caller may see",
    description=(
        "Words are matched whatever their accents and case, and as word beginnings. "
        "`snippet_html` is escaped text with `<mark>` around the matches. "
        "An empty query finds nothing."
    ),
)
def search_get(
    request: HttpRequest,
    q: str = Query("", max_length=MAX_QUERY_LENGTH, pattern=NO_NUL, description="Words to find"),
    kinds: str = Query("", max_length=100, pattern=KINDS_PATTERN, description=KINDS_DESCRIPTION),
    limit: int = Query(20, ge=1, le=selectors.MAX_LIMIT),
    offset: int = Query(0, ge=0, le=selectors.MAX_OFFSET),
) -> Any:
    wanted = [k.strip() for k in kinds.split(",") if k.strip()] or None
    page = selectors.search(viewer=request.user, q=q, kinds=wanted, limit=limit, offset=offset)
    return {"total": page.total, "results": [asdict(r) for r in page.results]}
