"""People pages: home, directory, profiles, skills, org chart and job map."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vivier.accounts.models import User
from vivier.audit.decorators import audit_access
from vivier.core.errors import ApplicationError
from vivier.core.forms import form_add_service_error
from vivier.core.pagination import BoundedPaginator
from vivier.expertise.views_skills import suggestion_context
from vivier.people import selectors, services
from vivier.people.forms import (
    LANGUAGE_NAMES,
    DirectoryFilterForm,
    PhotoForm,
    PlacementForm,
    ProfileForm,
    SkillDeclareForm,
    SkillLevelForm,
)
from vivier.people.models import Profile, ProfileSkill, Skill
from vivier.people.permissions import can_edit_placement, can_edit_profile, can_endorse
from vivier.social.selectors import is_following
from vivier.social.services import view_record

DIRECTORY_PAGE_SIZE = 24
# Past this many results the directory says "more than" rather than counting them all.
DIRECTORY_COUNT_LIMIT = 1000


def _get_profile(request: HttpRequest, person_id: Any) -> Profile:
    try:
        return selectors.person_get(viewer=request.user, person_id=person_id)
    except ApplicationError:
        raise Http404 from None


def directory(request: HttpRequest) -> HttpResponse:
    """Search people by name, skill, unit, site and language, paginated."""
    form = DirectoryFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "skill": data["skill"] or None,
            "org_unit": data["org_unit"].pk if data["org_unit"] else None,
            "location": data["location"].pk if data["location"] else None,
            "language": data["language"],
        }
    profiles = selectors.person_list_with_skills(
        selectors.person_list(viewer=request.user, **filters)
    )
    page = BoundedPaginator(profiles, DIRECTORY_PAGE_SIZE, limit=DIRECTORY_COUNT_LIMIT).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = (
        "people/partials/_directory_results.html" if request.htmx else "people/directory.html"
    )
    return render(request, template, context)


def _profile_context(request: HttpRequest, profile: Profile) -> dict[str, Any]:
    person = profile.user
    skills = selectors.person_skills(viewer=request.user, person=person)
    is_self = person.pk == request.user.pk
    context = {
        "profile": profile,
        "person": person,
        "skills": skills,
        "is_self": is_self,
        "can_edit": can_edit_profile(actor=request.user, person=person),
        "can_endorse": can_endorse(actor=request.user, person=person),
        "unit_path": selectors.org_unit_ancestors(profile.org_unit),
        "direct_reports": selectors.person_direct_reports(person=person),
        "language_names": [str(LANGUAGE_NAMES.get(c, c)) for c in profile.languages],
        "skill_form": SkillDeclareForm(),
        "level_choices": ProfileSkill.Level.choices,
        "is_following": not is_self and is_following(viewer=request.user, user=person),
    }
    if is_self:
        context["completeness"] = selectors.profile_completeness(
            profile=profile,
            skill_count=len(skills),
            top_skill=skills[0].skill.label if skills else None,
        )
    return context


def profile_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """One person's profile."""
    profile = _get_profile(request, person_id)
    if profile.user_id != request.user.pk:
        # The journey and expertise features read who looks at whom (once a day counts).
        view_record(viewer=request.user, obj=profile, target_user=profile.user)
    context = _profile_context(request, profile)
    if context["is_self"]:
        # Owner only: the skills their writing shows (and HR's report link), read nowhere else.
        context |= suggestion_context(request)
    return render(request, "people/profile.html", context)


def profile_me(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own profile."""
    return redirect("people:profile", person_id=request.user.pk)


@audit_access("hr.profile_edit.view", target_type="accounts.user", others_only=True)
def profile_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """Edit a profile: oneself, or anyone for HR administrators."""
    profile = _get_profile(request, person_id)
    person = profile.user
    if not can_edit_profile(actor=request.user, person=person):
        return render(request, "403.html", status=403)
    placement_allowed = can_edit_placement(actor=request.user, person=person)
    initial = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "title": profile.title,
        "location": profile.location,
        "languages": profile.languages,
        "phone": profile.phone,
        "bio": profile.bio,
        "interests": profile.interests,
        "availability_percent": profile.availability_percent,
        "availability_status": profile.availability_status,
        "availability_note": profile.availability_note,
    }
    placement_initial = {
        "org_unit": profile.org_unit,
        "job_role": profile.job_role,
        "manager_email": profile.manager.email if profile.manager else "",
    }
    form = ProfileForm(request.POST or None, initial=initial)
    placement = (
        PlacementForm(request.POST or None, initial=placement_initial, prefix="hr")
        if placement_allowed
        else None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and (placement is None or placement.is_valid()):
            data = dict(form.cleaned_data)
            if placement is not None:
                data["org_unit"] = placement.cleaned_data["org_unit"]
                data["job_role"] = placement.cleaned_data["job_role"]
                data["manager"] = placement.cleaned_data["manager_email"]
            try:
                services.profile_update(actor=request.user, person=person, data=data)
            except ApplicationError as exc:
                if placement is not None and exc.field in ("manager", "org_unit", "job_role"):
                    field = "manager_email" if exc.field == "manager" else exc.field
                    placement.add_error(field, str(exc.message))
                else:
                    form_add_service_error(form, exc)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("people:profile", person_id=person.pk)
        status = 422
    return render(
        request,
        "people/profile_edit.html",
        {
            "form": form,
            "placement": placement,
            "profile": profile,
            "person": person,
            "photo_form": PhotoForm(),
        },
        status=status,
    )


@require_POST
def profile_photo_upload(request: HttpRequest, person_id: int) -> HttpResponse:
    """Replace a profile photo, or remove it."""
    profile = _get_profile(request, person_id)
    person = profile.user
    if not can_edit_profile(actor=request.user, person=person):
        return render(request, "403.html", status=403)
    if request.POST.get("remove"):
        services.profile_remove_photo(actor=request.user, person=person)
        messages.success(request, _("Photo removed."))
        return redirect("people:profile_edit", person_id=person.pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.profile_set_photo(
                actor=request.user, person=person, upload=form.cleaned_data["photo"]
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, _("Photo updated."))
            return redirect("people:profile_edit", person_id=person.pk)
    return render(
        request,
        "people/profile_edit.html",
        {
            "form": ProfileForm(initial={}),
            "placement": None,
            "profile": profile,
            "person": person,
            "photo_form": form,
            "photo_only": True,
        },
        status=422,
    )


def profile_photo(request: HttpRequest, person_id: int) -> HttpResponse:
    """Serve a profile photo to signed-in colleagues only."""
    profile = Profile.objects.filter(user_id=person_id, user__is_active=True).only("photo").first()
    if profile is None or not profile.photo:
        raise Http404
    try:
        handle = profile.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _skills_partial(
    request: HttpRequest, person: User, form: SkillDeclareForm | None = None, status: int = 200
) -> HttpResponse:
    profile = _get_profile(request, person.pk)
    context = _profile_context(request, profile)
    if form is not None:
        context["skill_form"] = form
    return render(request, "people/partials/_skills.html", context, status=status)


@require_POST
def my_skill_add(request: HttpRequest) -> HttpResponse:
    """Declare a skill on one's own profile (htmx: returns the skills block)."""
    form = SkillDeclareForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.skill_declare(
                actor=request.user,
                person=request.user,
                skill_id=form.cleaned_data["skill"],
                level=form.cleaned_data["level"],
            )
        except ApplicationError as exc:
            form_add_service_error(form, exc)
            status = 422
        else:
            form = SkillDeclareForm()
    else:
        status = 422
    if not request.htmx:
        if status == 200:
            return redirect("people:profile", person_id=request.user.pk)
        return render(
            request,
            "people/profile.html",
            _profile_context(request, _get_profile(request, request.user.pk))
            | {"skill_form": form},
            status=status,
        )
    return _skills_partial(request, request.user, form, status)


@require_POST
def my_skill_level(request: HttpRequest, skill_id: int) -> HttpResponse:
    """Change the level of one's declared skill."""
    form = SkillLevelForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            services.skill_declare(
                actor=request.user,
                person=request.user,
                skill_id=skill_id,
                level=form.cleaned_data["level"],
            )
        except ApplicationError:
            status = 404
    else:
        status = 422
    if not request.htmx:
        return redirect("people:profile", person_id=request.user.pk)
    return _skills_partial(request, request.user, status=status)


@require_POST
def my_skill_remove(request: HttpRequest, skill_id: int) -> HttpResponse:
    """Remove one of one's declared skills."""
    status = 200
    try:
        services.skill_remove(actor=request.user, person=request.user, skill_id=skill_id)
    except ApplicationError:
        status = 404
    if not request.htmx:
        return redirect("people:profile", person_id=request.user.pk)
    return _skills_partial(request, request.user, status=status)


@require_POST
def endorse(request: HttpRequest, person_id: int, skill_id: int) -> HttpResponse:
    """Endorse, or withdraw one's endorsement of, a colleague's skill."""
    status = 200
    try:
        if request.POST.get("action") == "withdraw":
            services.endorsement_delete(actor=request.user, person_id=person_id, skill_id=skill_id)
        else:
            services.endorsement_create(actor=request.user, person_id=person_id, skill_id=skill_id)
    except ApplicationError as exc:
        status = exc.status
        if not request.htmx:
            messages.error(request, str(exc.message))
    if not request.htmx:
        return redirect("people:profile", person_id=person_id)
    profile = _get_profile(request, person_id)
    return _skills_partial(request, profile.user, status=status)


def skill_list(request: HttpRequest) -> HttpResponse:
    """Browse and search the skills taxonomy."""
    q = request.GET.get("q", "")[:200].replace("\x00", "")
    kind = request.GET.get("kind", "")
    if kind not in Skill.Kind.values:
        kind = ""
    skills = selectors.skill_list(q=q, kind=kind)
    page = Paginator(skills, 60).get_page(request.GET.get("page"))
    template = "people/partials/_skill_results.html" if request.htmx else "people/skill_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": Skill.Kind.choices,
        },
    )


def skill_suggest(request: HttpRequest) -> HttpResponse:
    """Options for the skill field's autocomplete."""
    q = request.GET.get("skill", request.GET.get("q", ""))[:120].replace("\x00", "")
    skills = selectors.skill_list(q=q)[:15] if len(q.strip()) >= 1 else []
    return render(request, "people/partials/_skill_options.html", {"skills": skills})


def skill_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A skill with its names and the people who declared it, by level."""
    try:
        skill = selectors.skill_get(slug_or_id=slug)
    except ApplicationError:
        raise Http404 from None
    return render(
        request,
        "people/skill_detail.html",
        {
            "skill": skill,
            "groups": selectors.skill_holders_by_level(skill=skill),
            "aliases": [a.text for a in skill.aliases.all()],
        },
    )


def org_chart(request: HttpRequest) -> HttpResponse:
    """The org chart as an indented tree."""
    return render(request, "people/org_chart.html", {"units": selectors.org_unit_tree()})


def org_unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit: its manager, sub-units and members."""
    try:
        unit = selectors.org_unit_get(unit_id=unit_id)
    except ApplicationError:
        raise Http404 from None
    members = selectors.person_list(viewer=request.user, org_unit=unit.pk)
    page = Paginator(selectors.person_list_with_skills(members), DIRECTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/org_unit.html",
        {
            "unit": unit,
            "path": selectors.org_unit_ancestors(unit),
            "children": unit.children.order_by("name"),
            "page": page,
            "query": "",
        },
    )


def job_map(request: HttpRequest) -> HttpResponse:
    """Job families, roles and expert paths."""
    return render(request, "people/job_map.html", {"families": selectors.job_map()})
