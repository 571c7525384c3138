"""The project's URLs plus the search page, for tests run before it is mounted in vivier.urls."""

from django.urls import URLResolver, include, path

from vivier.urls import handler400, handler403, handler404, handler500  # noqa: F401
from vivier.urls import urlpatterns as project_urlpatterns


def _mounted(namespace: str) -> bool:
    return any(isinstance(p, URLResolver) and p.namespace == namespace for p in project_urlpatterns)


urlpatterns = list(project_urlpatterns)
if not _mounted("search"):
    urlpatterns.append(path("", include("vivier.search.urls")))
