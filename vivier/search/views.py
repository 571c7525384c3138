"""The search page: one box over people, posts, communities and tags, live with htmx."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vivier.search import selectors
from vivier.search.forms import SearchForm

PAGE_SIZE = 20
# The selector stops at this offset; pages beyond it would all be empty.
MAX_PAGE = selectors.MAX_OFFSET // PAGE_SIZE + 1


def _page_number(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 1
    return max(1, min(number, MAX_PAGE))


def search_page(request: HttpRequest) -> HttpResponse:
    """Search everything the viewer may see; htmx requests get the results only."""
    form = SearchForm(request.GET or None)
    q, kinds = "", None
    if form.is_bound:
        form.is_valid()
        # An unknown kind is shown as an error, and the words are still searched.
        q = form.cleaned_data.get("q", "")
        kinds = form.cleaned_data.get("kinds") or None
    number = _page_number(request.GET.get("page"))
    page = selectors.search(
        viewer=request.user, q=q, kinds=kinds, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "q": q,
        "page": page,
        "query": query.urlencode(),
        "number": number,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number * PAGE_SIZE < page.total and number < MAX_PAGE else None,
    }
    template = "search/partials/_results.html" if request.htmx else "search/search.html"
    return render(request, template, context)
