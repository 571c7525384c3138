"""Privacy pages: my data export, and the erasure and legal-hold pages for administrators."""

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.accounts.models import User
from vivier.audit.services import audit_record
from vivier.core.errors import ApplicationError, NotFound
from vivier.core.forms import form_add_service_error
from vivier.core.ids import parse_id
from vivier.privacy import services
from vivier.privacy.export import SECTIONS, export_zip
from vivier.privacy.forms import EraseForm, FindPersonForm, LegalHoldForm
from vivier.privacy.models import Erasure, LegalHold
from vivier.privacy.permissions import can_manage_privacy


def my_data(request: HttpRequest) -> HttpResponse:
    """What the export holds, and the button to download it."""
    files = ["accounts/account", *(s.name for s in SECTIONS)]
    return render(request, "privacy/my_data.html", {"files": files})


def my_data_export(request: HttpRequest) -> HttpResponse:
    """Download my data as a zip of JSON files."""
    content = export_zip(request.user)
    audit_record(
        action="privacy.export", actor=request.user, target=request.user, size=len(content)
    )
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="vivier-my-data-{stamp}.zip"'
    return response


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "403.html", status=403)


def admin_home(request: HttpRequest) -> HttpResponse:
    """Find a person; the legal holds in force and the latest erasures."""
    if not can_manage_privacy(actor=request.user):
        return _forbidden(request)
    form = FindPersonForm(request.GET or None)
    found = None
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        pk = parse_id(q)
        found = User.objects.filter(Q(email__iexact=q) | Q(pk=pk or 0)).first()
        if found is not None:
            return redirect("privacy:person", person_id=found.pk)
        form.add_error("q", _("Nobody has this e-mail or id."))
    context = {
        "form": form,
        "holds": LegalHold.objects.select_related("user", "set_by").order_by("-created_at")[:100],
        "erasures": Erasure.objects.select_related("user").order_by("-erased_at")[:50],
    }
    return render(request, "privacy/admin.html", context, status=422 if form.errors else 200)


def _person_page(request: HttpRequest, person: User, status: int = 200, **forms: object):
    context = {
        "person": person,
        "hold": LegalHold.objects.filter(user=person).select_related("set_by").first(),
        "erasure": Erasure.objects.filter(user=person).first(),
        "hold_form": forms.get("hold_form") or LegalHoldForm(),
        "erase_form": forms.get("erase_form") or EraseForm(),
    }
    return render(request, "privacy/person.html", context, status=status)


def _person_or_404(person_id: int) -> User:
    try:
        return services.person_get(person_id=person_id)
    except NotFound:
        raise Http404 from None


def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person's legal hold and erasure, for an administrator."""
    if not can_manage_privacy(actor=request.user):
        return _forbidden(request)
    target = _person_or_404(person_id)
    audit_record(action="privacy.person.view", actor=request.user, target=target)
    return _person_page(request, target)


@require_POST
def legal_hold(request: HttpRequest, person_id: int) -> HttpResponse:
    """Set (or change) a legal hold."""
    if not can_manage_privacy(actor=request.user):
        return _forbidden(request)
    target = _person_or_404(person_id)
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        try:
            services.legal_hold_set(
                actor=request.user, person=target, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Legal hold set."))
            return redirect("privacy:person", person_id=target.pk)
    return _person_page(request, target, status=422, hold_form=form)


@require_POST
def legal_hold_lift(request: HttpRequest, person_id: int) -> HttpResponse:
    """Lift a legal hold."""
    if not can_manage_privacy(actor=request.user):
        return _forbidden(request)
    target = _person_or_404(person_id)
    try:
        services.legal_hold_lift(actor=request.user, person=target)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Legal hold lifted."))
    return redirect("privacy:person", person_id=target.pk)


@require_POST
def erase(request: HttpRequest, person_id: int) -> HttpResponse:
    """Erase (anonymise) an account."""
    if not can_manage_privacy(actor=request.user):
        return _forbidden(request)
    target = _person_or_404(person_id)
    form = EraseForm(request.POST)
    if form.is_valid():
        try:
            services.person_erase(
                actor=request.user, person=target, content=form.cleaned_data["content"]
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
            status = exc.status if exc.status != 400 else 422
            return _person_page(request, target, status=status, erase_form=form)
        messages.success(request, _("The account was erased."))
        return redirect("privacy:person", person_id=target.pk)
    return _person_page(request, target, status=422, erase_form=form)
