"""Pages of inferred skills: a person's suggestions on their profile, HR's hidden experts report."""

from collections.abc import Iterator
from itertools import islice
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.accounts.roles import is_hr_admin
from vivier.audit.decorators import audit_access
from vivier.core.csv_export import ExcelCsv
from vivier.core.errors import ApplicationError
from vivier.expertise import selectors_skills, services_skills
from vivier.expertise.forms_skills import HiddenExpertFilterForm, SuggestionConfirmForm
from vivier.people.forms import SkillDeclareForm
from vivier.people.models import ProfileSkill
from vivier.people.selectors import person_skills

REPORT_PAGE_SIZE = 50
CSV_CHUNK = 500
CSV_HEADER = [
    "person_id",
    "name",
    "email",
    "org_unit",
    "skill_slug",
    "skill",
    "score",
    "evidence_count",
    "last_evidence_at",
]


def suggestion_context(request: HttpRequest) -> dict[str, Any]:
    """What the owner-only blocks of one's profile need: suggestions and the HR report link."""
    return {
        "skill_suggestions": selectors_skills.skill_suggestions(viewer=request.user),
        "can_see_hidden_experts": is_hr_admin(request.user),
    }


def _suggestions_response(
    request: HttpRequest, *, status: int = 200, error: str = "", skills_changed: bool = False
) -> HttpResponse:
    """The suggestions block (htmx), with the declared skills block when it changed."""
    context: dict[str, Any] = {
        "skill_suggestions": selectors_skills.skill_suggestions(viewer=request.user),
        "suggestion_error": error,
        "skills_changed": skills_changed,
    }
    if skills_changed:
        context |= {
            "person": request.user,
            "skills": person_skills(viewer=request.user, person=request.user),
            "is_self": True,
            "can_endorse": False,
            "skill_form": SkillDeclareForm(),
            "level_choices": ProfileSkill.Level.choices,
        }
    return render(request, "expertise_skills/_suggestions_response.html", context, status=status)


@require_POST
def suggestion_confirm(request: HttpRequest, skill_id: int) -> HttpResponse:
    """Add a suggested skill to one's profile (at "practice" unless a level is posted)."""
    form = SuggestionConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(
                "level_invalid", _("The level must be between 1 (notions) and 4 (expert).")
            )
        row = services_skills.inferred_skill_confirm(
            actor=request.user, skill_id=skill_id, level=form.cleaned_data["level"]
        )
    except ApplicationError as exc:
        if request.htmx:
            return _suggestions_response(request, status=exc.status, error=str(exc.message))
        messages.error(request, str(exc.message))
        return redirect("people:profile", person_id=request.user.pk)
    if request.htmx:
        return _suggestions_response(request, skills_changed=True)
    messages.success(
        request, _("%(skill)s was added to your profile.") % {"skill": row.skill.label}
    )
    return redirect("people:profile", person_id=request.user.pk)


@require_POST
def suggestion_hide(request: HttpRequest, skill_id: int) -> HttpResponse:
    """Hide a suggested skill: it is no longer proposed, nor shown to HR."""
    try:
        row = services_skills.inferred_skill_hide(actor=request.user, skill_id=skill_id)
    except ApplicationError as exc:
        if request.htmx:
            return _suggestions_response(request, status=exc.status, error=str(exc.message))
        messages.error(request, str(exc.message))
        return redirect("people:profile", person_id=request.user.pk)
    if request.htmx:
        return _suggestions_response(request)
    messages.success(
        request, _("%(skill)s will no longer be suggested.") % {"skill": row.skill.label}
    )
    return redirect("people:profile", person_id=request.user.pk)


def _csv_lines(queryset: Any) -> Iterator[str]:
    """The report as CSV lines for French Excel: BOM, ";" separator, decimal comma."""
    out = ExcelCsv()
    yield out.header(CSV_HEADER)
    rows = queryset.iterator(chunk_size=CSV_CHUNK)
    while chunk := list(islice(rows, CSV_CHUNK)):
        for row in selectors_skills.hidden_expert_rows(chunk):
            last = row.last_evidence_at
            yield out.row(
                (
                    row.user.pk,
                    row.user.get_full_name(),
                    row.user.email,
                    row.org_unit.name if row.org_unit else "",
                    row.skill.slug,
                    row.skill.label,
                    f"{row.score:.2f}".replace(".", ","),
                    row.evidence_count,
                    timezone.localtime(last).date().isoformat() if last else "",
                )
            )


@audit_access("hr.hidden_experts.view")
def hidden_experts(request: HttpRequest) -> HttpResponse:
    """HR's report: people whose writing shows a skill they neither declared nor hold a label
    for, by score, filtered by skill and unit; `?format=csv` downloads it."""
    if not is_hr_admin(request.user):
        return render(request, "403.html", status=403)
    form = HiddenExpertFilterForm(request.GET or None)
    filters = selectors_skills.HiddenExpertFilters()
    if form.is_bound and form.is_valid():
        filters = selectors_skills.HiddenExpertFilters(
            skill=form.cleaned_data["skill"], org_unit=form.cleaned_data["org_unit"]
        )
    rows = selectors_skills.hidden_experts(viewer=request.user, filters=filters)
    if request.GET.get("format") == "csv":
        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in _csv_lines(rows)),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="hidden-experts-{stamp}.csv"'
        return response
    page = Paginator(rows, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    context = {
        "form": form,
        "page": page,
        "rows": selectors_skills.hidden_expert_rows(page.object_list),
        "query": query.urlencode(),
    }
    template = (
        "expertise_skills/_hidden_experts_results.html"
        if request.htmx
        else "expertise_skills/hidden_experts.html"
    )
    return render(request, template, context)
