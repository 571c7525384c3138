"""Site-wide views: health check and error pages."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _json_wanted(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Not found: JSON under /api/, a page elsewhere."""
    if _json_wanted(request):
        return JsonResponse(
            {"code": "not_found", "message": "Not found.", "field": None, "details": None},
            status=404,
        )
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Forbidden (including a failed CSRF check)."""
    if _json_wanted(request):
        return JsonResponse(
            {
                "code": "forbidden",
                "message": "You may not do this.",
                "field": None,
                "details": None,
            },
            status=403,
        )
    return render(request, "403.html", status=403)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Bad request."""
    if _json_wanted(request):
        return JsonResponse(
            {"code": "bad_request", "message": "Bad request.", "field": None, "details": None},
            status=400,
        )
    return render(request, "400.html", status=400)


def error_500(request: HttpRequest) -> HttpResponse:
    """Server error: a plain page that needs no context."""
    if _json_wanted(request):
        return JsonResponse(
            {"code": "server_error", "message": "Server error.", "field": None, "details": None},
            status=500,
        )
    return render(request, "500.html", status=500)
