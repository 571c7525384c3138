"""The benchmark's URLs: a bare baseline view in front of Vivier's own URLs."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from vivier import urls as vivier_urls
from vivier.social.models import Post

BASELINE_PATH = "__bench__/baseline"


def baseline(request: HttpRequest) -> HttpResponse:
    """One indexed query and a tiny response: what every signed-in page pays at least."""
    try:
        pk = int(request.GET.get("id", "1"))
    except ValueError:
        pk = 1
    row = Post.objects.filter(pk=pk).values_list("id", "created_at").first()
    return HttpResponse("ok" if row else "none", content_type="text/plain")


urlpatterns = [
    path(BASELINE_PATH, baseline, name="bench_baseline"),
    *vivier_urls.urlpatterns,
]

handler400 = vivier_urls.handler400
handler403 = vivier_urls.handler403
handler404 = vivier_urls.handler404
handler500 = vivier_urls.handler500
