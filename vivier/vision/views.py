"""Vision map pages: the map, objectives, linking work, my part, coverage."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from vivier.core.charts import bar_chart, line_chart
from vivier.core.errors import ApplicationError, NotFound, PermissionDenied
from vivier.core.forms import form_add_service_error
from vivier.vision import selectors, services
from vivier.vision.forms import (
    AxisForm,
    IndicatorForm,
    LinkForm,
    ObjectiveForm,
    ObjectiveTextForm,
    StatementForm,
)
from vivier.vision.models import Objective
from vivier.vision.permissions import can_edit_objective, can_manage_map, can_view_coverage
from vivier.vision.registry import KINDS

KIND_NAMES = {
    "post": gettext_lazy("Posts"),
    "question": gettext_lazy("Questions"),
    "opportunity": gettext_lazy("Opportunities"),
    "idea": gettext_lazy("Ideas"),
    "commitment": gettext_lazy("Commitments"),
    "community": gettext_lazy("Communities"),
}


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)


def _objective_or_404(objective_id: int) -> Objective:
    try:
        return services.objective_lookup(objective_id)
    except NotFound:
        raise Http404 from None


def vision_map(request: HttpRequest) -> HttpResponse:
    """The map: vision → axes → objectives → sub-objectives, with linked actions and people."""
    return render(
        request,
        "vision/map.html",
        {
            "tree": selectors.vision_map(viewer=request.user),
            "pulse": selectors.vision_pulse(viewer=request.user),
            "can_manage": can_manage_map(actor=request.user),
            "can_view_coverage": can_view_coverage(viewer=request.user),
        },
    )


def objective_detail(request: HttpRequest, objective_id: int) -> HttpResponse:
    """An objective: indicators, sub-objectives, linked activity by month and linked items."""
    try:
        detail = selectors.objective_detail(viewer=request.user, objective_id=objective_id)
    except NotFound:
        raise Http404 from None
    months = [formats.date_format(m, "YEAR_MONTH_FORMAT") for m in detail.months]
    series = [
        (str(KIND_NAMES[code]), values)
        for code in KIND_NAMES
        if (values := detail.monthly.get(code))
    ]
    chart = None
    if series:
        chart = line_chart(months, series, title=_("Linked activity by month"), y_min=0)
    may_edit = can_edit_objective(actor=request.user, objective=detail.objective)
    return render(
        request,
        "vision/objective.html",
        {
            "detail": detail,
            "objective": detail.objective,
            "chart": chart,
            "may_edit": may_edit,
            "can_manage": can_manage_map(actor=request.user),
            "indicator_form": IndicatorForm() if may_edit else None,
        },
    )


def _save_or_errors(form: Any, call: Any) -> Any:
    try:
        return call()
    except ApplicationError as exc:
        form_add_service_error(form, exc)
        return None


def statement_edit(request: HttpRequest) -> HttpResponse:
    """Write the vision statement (HR)."""
    if not can_manage_map(actor=request.user):
        return _forbidden(request)
    vision = selectors.vision_get()
    initial = {}
    if vision:
        initial = {
            f: getattr(vision, f) for f in ("title_fr", "title_en", "statement_fr", "statement_en")
        }
    form = StatementForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_errors(
            form, lambda: services.vision_save(actor=request.user, **form.cleaned_data)
        )
    ):
        messages.success(request, _("The vision is saved."))
        return redirect("vision:map")
    return render(
        request,
        "vision/form.html",
        {"form": form, "heading": _("The vision")},
        status=422 if form.errors else 200,
    )


def axis_edit(request: HttpRequest, axis_id: int | None = None) -> HttpResponse:
    """Add or change a strategic axis (HR)."""
    if not can_manage_map(actor=request.user):
        return _forbidden(request)
    axis = None
    if axis_id is not None:
        try:
            axis = services.axis_lookup(axis_id)
        except NotFound:
            raise Http404 from None
    initial = {}
    if axis:
        fields = ("title_fr", "title_en", "description_fr", "description_en")
        initial = {f: getattr(axis, f) for f in fields}
    form = AxisForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_errors(
            form, lambda: services.axis_save(actor=request.user, axis=axis, **form.cleaned_data)
        )
    ):
        messages.success(request, _("The axis is saved."))
        return redirect("vision:map")
    heading = _("Change the axis") if axis else _("New strategic axis")
    return render(
        request,
        "vision/form.html",
        {"form": form, "heading": heading},
        status=422 if form.errors else 200,
    )


def objective_new(request: HttpRequest) -> HttpResponse:
    """Create an objective (HR), under an axis or a parent objective."""
    if not can_manage_map(actor=request.user):
        return _forbidden(request)
    initial = {"axis": request.GET.get("axis"), "parent": request.GET.get("parent")}
    form = ObjectiveForm(request.POST or None, initial=initial)
    form.fields.pop("status")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        objective = _save_or_errors(
            form,
            lambda: services.objective_create(
                actor=request.user,
                axis=data.pop("axis"),
                parent=data.pop("parent"),
                **data,
            ),
        )
        if objective:
            messages.success(request, _("The objective is created."))
            return redirect("vision:objective", objective_id=objective.pk)
    return render(
        request,
        "vision/form.html",
        {"form": form, "heading": _("New objective")},
        status=422 if form.errors else 200,
    )


def objective_edit(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Change an objective: its owner edits its texts, HR everything."""
    objective = _objective_or_404(objective_id)
    if not can_edit_objective(actor=request.user, objective=objective):
        return _forbidden(request)
    full = can_manage_map(actor=request.user)
    form_class = ObjectiveForm if full else ObjectiveTextForm
    initial = {f: getattr(objective, f) for f in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        if not data:
            return redirect("vision:objective", objective_id=objective.pk)
        if _save_or_errors(
            form,
            lambda: services.objective_update(actor=request.user, objective=objective, data=data),
        ):
            messages.success(request, _("The objective is saved."))
            return redirect("vision:objective", objective_id=objective.pk)
    return render(
        request,
        "vision/form.html",
        {"form": form, "heading": _("Change the objective"), "objective": objective},
        status=422 if form.errors else 200,
    )


@require_POST
def indicator_new(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Add an indicator (the objective's owner or HR)."""
    objective = _objective_or_404(objective_id)
    if not can_edit_objective(actor=request.user, objective=objective):
        return _forbidden(request)
    form = IndicatorForm(request.POST)
    if form.is_valid() and _save_or_errors(
        form,
        lambda: services.indicator_save(
            actor=request.user, objective=objective, **form.cleaned_data
        ),
    ):
        messages.success(request, _("The indicator is added."))
        return redirect("vision:objective", objective_id=objective.pk)
    return render(
        request,
        "vision/form.html",
        {"form": form, "heading": _("New indicator"), "objective": objective},
        status=422,
    )


def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Change or remove an indicator (the objective's owner or HR)."""
    try:
        indicator = services.indicator_lookup(indicator_id)
    except NotFound:
        raise Http404 from None
    objective = indicator.objective
    if not can_edit_objective(actor=request.user, objective=objective):
        return _forbidden(request)
    if request.method == "POST" and request.POST.get("action") == "delete":
        services.indicator_delete(actor=request.user, indicator=indicator)
        messages.success(request, _("The indicator is removed."))
        return redirect("vision:objective", objective_id=objective.pk)
    fields = ("name_fr", "name_en", "unit", "target_value", "current_value")
    form = IndicatorForm(request.POST or None, initial={f: getattr(indicator, f) for f in fields})
    if (
        request.method == "POST"
        and form.is_valid()
        and _save_or_errors(
            form,
            lambda: services.indicator_save(
                actor=request.user, objective=objective, indicator=indicator, **form.cleaned_data
            ),
        )
    ):
        messages.success(request, _("The indicator is saved."))
        return redirect("vision:objective", objective_id=objective.pk)
    return render(
        request,
        "vision/form.html",
        {
            "form": form,
            "heading": _("Change the indicator"),
            "objective": objective,
            "indicator": indicator,
        },
        status=422 if form.errors else 200,
    )


def item_links(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    """The objectives an item links to; for its author or owner, suggestions and a link form.

    Included in other apps' pages as an htmx panel; also a page of its own without JavaScript.
    """
    if kind not in KINDS:
        raise Http404
    form = LinkForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.link_create(
                actor=request.user,
                objective_id=form.cleaned_data["objective"],
                kind=kind,
                object_id=object_id,
            )
        except NotFound as exc:
            if exc.code == "item_not_found":
                raise Http404 from None
            form_add_service_error(form, exc)
            status = 422
        except PermissionDenied as exc:
            form_add_service_error(form, exc)
            status = 403
        except ApplicationError as exc:
            form_add_service_error(form, exc)
            status = 409 if exc.status == 409 else 422
        else:
            if not request.htmx:
                messages.success(request, _("The link is saved."))
                return redirect("vision:links", kind=kind, object_id=object_id)
            form = LinkForm()
    elif request.method == "POST":
        status = 422
    try:
        found = selectors.item_links(viewer=request.user, kind=kind, object_id=object_id)
    except NotFound:
        raise Http404 from None
    context = {
        "found": found,
        "form": form,
        "kind": kind,
        "object_id": object_id,
        "item_title": found.kind.title(found.item),
        "item_url": found.kind.url(found.item),
    }
    template = "vision/partials/_links_panel.html" if request.htmx else "vision/links.html"
    return render(request, template, context, status=status)


@require_POST
def link_delete(request: HttpRequest, link_id: int) -> HttpResponse:
    """Remove a link (who may link the item, or HR)."""
    try:
        link = services.link_lookup(link_id)
        kind, object_id = link.kind, link.target_id
        services.link_delete(actor=request.user, link=link)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        return _forbidden(request)
    messages.success(request, _("The link is removed."))
    return redirect("vision:links", kind=kind, object_id=object_id)


def my_part(request: HttpRequest) -> HttpResponse:
    """My part in the vision: the objectives my work links to, where I could contribute."""
    return render(
        request,
        "vision/me.html",
        {
            "part": selectors.my_part(viewer=request.user),
            "can_view_coverage": can_view_coverage(viewer=request.user),
        },
    )


def coverage(request: HttpRequest) -> HttpResponse:
    """Per objective and org unit, the share of people with a linked action (HR, managers)."""
    try:
        found = selectors.coverage(viewer=request.user)
    except PermissionDenied:
        return _forbidden(request)
    objective_chart = bar_chart(
        [(row.label, row.share) for row in found.objectives if row.depth == 0],
        title=_("People with a linked action, per objective"),
        unit=" %",
        max_value=100,
    )
    top = min((row.depth for row in found.units), default=0)
    unit_chart = bar_chart(
        [(row.label, row.share) for row in found.units if row.depth <= top + 1],
        title=_("People with a linked action, per org unit"),
        unit=" %",
        max_value=100,
    )
    return render(
        request,
        "vision/coverage.html",
        {"coverage": found, "objective_chart": objective_chart, "unit_chart": unit_chart},
    )
