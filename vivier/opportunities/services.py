"""Opportunity writes: saving and publishing offers, applications and staffing, preferences."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.core.markdown import render_markdown
from vivier.core.text import normalize
from vivier.opportunities.models import (
    Application,
    MobilityPreference,
    Opportunity,
    OpportunitySkill,
)
from vivier.opportunities.selectors import (
    OPPORTUNITY_NOT_FOUND,
    applicant_manager_id,
    can_manage_opportunity,
    can_see_application,
    visible_filter,
)
from vivier.people.models import JobRole, Location, OrgUnit, Profile, Skill, SkillAlias
from vivier.social.notifications import notify

TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 10_000
MESSAGE_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 1000
MAX_SKILLS = 20

TITLE_EMPTY = _("Give the opportunity a title.")
DESCRIPTION_EMPTY = _("Describe the opportunity.")
TEXT_TOO_LONG = _("This text has at most %(max)s characters.")
KIND_INVALID = _("Choose a kind: project, gig, internal job or job shadowing.")
TIME_SHARE_INVALID = _("The time share is a percentage from 1 to 100.")
DATES_INVALID = _("The end date cannot be before the start date.")
UNKNOWN_SKILL = _("Unknown skill: %(name)s. Pick one from the skills list.")
SKILL_TWICE = _("%(name)s is listed twice.")
TOO_MANY_SKILLS = _("An opportunity lists at most %(max)s skills.")
LEVEL_INVALID = _("A skill level goes from 1 (notions) to 4 (expert).")
UNITS_REQUIRED = _("Choose the org units that may see the opportunity.")
ONLY_OWNER_EDITS = _("Only the owner of the opportunity or HR may change it.")
CLOSED_NOT_EDITABLE = _("A closed opportunity cannot be changed.")
INVALID_TRANSITION = _("This cannot be done now: the opportunity is %(status)s.")
NOT_OPEN = _("This opportunity is not open to applications.")
OWN_OPPORTUNITY = _("You cannot apply to your own opportunity.")
ALREADY_APPLIED = _("You have already applied to this opportunity.")
MESSAGE_EMPTY = _("Write a short message to the owner.")
REASON_REQUIRED = _("Give a reason: the person will read it.")
APPLICATION_DENIED = _("You may not do this with this application.")
APPLICATION_TRANSITION = _("This application is %(status)s: it cannot be %(action)s.")
UNKNOWN_ACTION = _("Unknown action.")


@dataclass(frozen=True)
class SkillNeed:
    """A skill asked for, as given: a slug, id or name, a level and whether it is required."""

    skill: Any
    level: Any = 2
    required: bool = True


def _text(value: Any, *, field: str, empty: Any, max_length: int, required: bool = True) -> str:
    text = value if isinstance(value, str) else ""
    text = text.replace("\x00", "").strip()
    if required and not text:
        raise ApplicationError(f"{field}_empty", empty, field=field)
    if len(text) > max_length:
        raise ApplicationError(
            f"{field}_too_long", TEXT_TOO_LONG % {"max": max_length}, field=field
        )
    return text


def skill_resolve(name: Any) -> Skill:
    """The taxonomy skill named by a slug, an id, a label or an alias; unknown ones are refused."""
    text = str(name if name is not None else "").replace("\x00", "").strip()[:120]
    skill = None
    if text:
        skill = Skill.objects.filter(slug=text).first()
        if skill is None and text.isdecimal() and len(text) < 19:
            skill = Skill.objects.filter(pk=int(text)).first()
        if skill is None:
            alias = SkillAlias.objects.filter(normalized=normalize(text)).select_related("skill")
            found = alias.first()
            skill = found.skill if found else None
    if skill is None:
        raise ApplicationError(
            "unknown_skill", UNKNOWN_SKILL % {"name": text or "?"}, field="skills"
        )
    return skill


def _resolve_needs(needs: list[SkillNeed]) -> list[tuple[Skill, int, bool]]:
    if len(needs) > MAX_SKILLS:
        raise ApplicationError(
            "too_many_skills", TOO_MANY_SKILLS % {"max": MAX_SKILLS}, field="skills"
        )
    resolved: dict[int, tuple[Skill, int, bool]] = {}
    for need in needs:
        skill = skill_resolve(need.skill)
        level = need.level
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
            raise ApplicationError("invalid_level", LEVEL_INVALID, field="skills")
        if skill.pk in resolved:
            raise ApplicationError(
                "duplicate_skill", SKILL_TWICE % {"name": skill.label}, field="skills"
            )
        resolved[skill.pk] = (skill, level, bool(need.required))
    return list(resolved.values())


def _validate(opportunity: Opportunity) -> None:
    """Refuse values the database constraints would refuse, as clear field errors."""
    if opportunity.kind not in Opportunity.Kind.values:
        raise ApplicationError("invalid_kind", KIND_INVALID, field="kind")
    share = opportunity.time_share_percent
    if isinstance(share, bool) or not isinstance(share, int) or not 1 <= share <= 100:
        raise ApplicationError("invalid_time_share", TIME_SHARE_INVALID, field="time_share_percent")
    if not isinstance(opportunity.start_date, date):
        raise ApplicationError("invalid_dates", DATES_INVALID, field="start_date")
    if opportunity.end_date is not None and opportunity.end_date < opportunity.start_date:
        raise ApplicationError("invalid_dates", DATES_INVALID, field="end_date")


@transaction.atomic
def opportunity_save(
    *,
    actor: User,
    opportunity: Opportunity | None = None,
    kind: Any,
    title: Any,
    description: Any,
    time_share_percent: Any,
    start_date: Any,
    end_date: Any = None,
    strategic: bool = False,
    location: Location | None = None,
    remote: bool = False,
    team: OrgUnit | None = None,
    job_role: JobRole | None = None,
    visibility: str = Opportunity.Visibility.EVERYONE,
    visible_units: list[OrgUnit] | None = None,
    skills: list[SkillNeed] | None = None,
) -> Opportunity:
    """Create an opportunity (a draft owned by `actor`) or update one the actor manages."""
    creating = opportunity is None
    if creating:
        opportunity = Opportunity(owner=actor)
    else:
        if not can_manage_opportunity(user=actor, opportunity=opportunity):
            raise PermissionDenied("forbidden", ONLY_OWNER_EDITS)
        if opportunity.status == Opportunity.Status.CLOSED:
            raise Conflict("invalid_transition", CLOSED_NOT_EDITABLE)
    opportunity.kind = kind
    opportunity.title = _text(title, field="title", empty=TITLE_EMPTY, max_length=TITLE_MAX_LENGTH)
    opportunity.description = _text(
        description, field="description", empty=DESCRIPTION_EMPTY, max_length=DESCRIPTION_MAX_LENGTH
    )
    opportunity.description_html = render_markdown(opportunity.description)
    opportunity.time_share_percent = time_share_percent
    opportunity.start_date, opportunity.end_date = start_date, end_date
    opportunity.strategic = bool(strategic) and kind == Opportunity.Kind.PROJECT
    opportunity.location, opportunity.remote = location, bool(remote)
    opportunity.team, opportunity.job_role = team, job_role
    if visibility not in Opportunity.Visibility.values:
        visibility = Opportunity.Visibility.EVERYONE
    units = list(dict.fromkeys(visible_units or []))
    if visibility == Opportunity.Visibility.UNITS and not units:
        raise ApplicationError("units_required", UNITS_REQUIRED, field="visible_units")
    opportunity.visibility = visibility
    _validate(opportunity)
    resolved = _resolve_needs(skills or [])
    opportunity.save()
    opportunity.visible_units.set(units if visibility == Opportunity.Visibility.UNITS else [])
    OpportunitySkill.objects.filter(opportunity=opportunity).delete()
    OpportunitySkill.objects.bulk_create(
        OpportunitySkill(opportunity=opportunity, skill=skill, level=level, required=required)
        for skill, level, required in resolved
    )
    event_record(actor=actor, verb="create" if creating else "update", obj=opportunity)
    return opportunity


def _release_staffing(opportunity: Opportunity, now: Any) -> int:
    """Give back the time of everyone staffed on `opportunity`; return how many."""
    staffed = Application.objects.select_for_update().filter(
        opportunity=opportunity, status=Application.Status.ACCEPTED, released_at__isnull=True
    )
    released = 0
    for application in staffed:
        profile = (
            Profile.objects.select_for_update().filter(user_id=application.applicant_id).first()
        )
        if profile is not None:
            profile.availability_percent = min(
                100, profile.availability_percent + application.staffed_percent
            )
            profile.save(update_fields=["availability_percent", "updated_at"])
        application.released_at = now
        application.save(update_fields=["released_at", "updated_at"])
        released += 1
    return released


OPPORTUNITY_TRANSITIONS = {
    "publish": ({Opportunity.Status.DRAFT}, Opportunity.Status.OPEN),
    "fill": ({Opportunity.Status.OPEN}, Opportunity.Status.FILLED),
    "reopen": ({Opportunity.Status.FILLED}, Opportunity.Status.OPEN),
    "close": (
        {Opportunity.Status.DRAFT, Opportunity.Status.OPEN, Opportunity.Status.FILLED},
        Opportunity.Status.CLOSED,
    ),
}


@transaction.atomic
def opportunity_transition(*, actor: User, opportunity: Opportunity, action: str) -> Opportunity:
    """Publish, mark filled, reopen or close an opportunity; closing ends its staffing."""
    if action not in OPPORTUNITY_TRANSITIONS:
        raise ApplicationError("unknown_action", UNKNOWN_ACTION, field="action")
    if not can_manage_opportunity(user=actor, opportunity=opportunity):
        raise PermissionDenied("forbidden", ONLY_OWNER_EDITS)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    allowed, target = OPPORTUNITY_TRANSITIONS[action]
    if opportunity.status not in allowed:
        raise Conflict(
            "invalid_transition",
            INVALID_TRANSITION % {"status": opportunity.get_status_display()},
        )
    now = timezone.now()
    opportunity.status = target
    if action == "publish":
        opportunity.published_at = now
    elif action == "fill":
        opportunity.filled_at = now
        opportunity.filled_externally = not opportunity.applications.filter(
            status=Application.Status.ACCEPTED
        ).exists()
    elif action == "reopen":
        opportunity.filled_at = None
        opportunity.filled_externally = False
    elif action == "close":
        opportunity.closed_at = now
        _release_staffing(opportunity, now)
    opportunity.save()
    event_record(actor=actor, verb=action, obj=opportunity)
    return opportunity


def _opportunity_url(opportunity: Opportunity) -> str:
    return reverse("opportunities:detail", args=[opportunity.pk])


@transaction.atomic
def application_create(*, actor: User, opportunity: Opportunity | Any, message: Any) -> Application:
    """Apply to an open opportunity one may see, once; the owner is notified."""
    # Read again under a lock: the status may have changed since the caller loaded it.
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",))
        .filter(visible_filter(actor), pk=opportunity.pk)
        .select_related("owner")
        .first()
    )
    if opportunity is None:
        raise NotFound("opportunity_not_found", OPPORTUNITY_NOT_FOUND)
    if opportunity.owner_id == actor.pk:
        raise ApplicationError("own_opportunity", OWN_OPPORTUNITY, status=409)
    if opportunity.status != Opportunity.Status.OPEN:
        raise Conflict("opportunity_not_open", NOT_OPEN)
    text = _text(message, field="message", empty=MESSAGE_EMPTY, max_length=MESSAGE_MAX_LENGTH)
    if Application.objects.filter(opportunity=opportunity, applicant=actor).exists():
        raise Conflict("already_applied", ALREADY_APPLIED)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                opportunity=opportunity, applicant=actor, message=text
            )
    except IntegrityError:
        # Two clicks at once: the unique constraint keeps one.
        raise Conflict("already_applied", ALREADY_APPLIED) from None
    event_record(actor=actor, verb="apply", obj=application, target_user=opportunity.owner)
    notify(
        recipient=opportunity.owner,
        type="opportunity_application",
        actor=actor,
        text=format_lazy(
            _("{name} applied to {title}"), name=actor.get_full_name(), title=opportunity.title
        ),
        url=_opportunity_url(opportunity),
    )
    return application


# action -> (states it may start from, who may do it)
APPLICATION_ACTIONS: dict[str, tuple[set[str], str]] = {
    "shortlist": ({Application.Status.SUBMITTED}, "owner"),
    "accept": ({Application.Status.SUBMITTED, Application.Status.SHORTLISTED}, "owner"),
    "decline": ({Application.Status.SUBMITTED, Application.Status.SHORTLISTED}, "owner"),
    "withdraw": (
        {
            Application.Status.SUBMITTED,
            Application.Status.SHORTLISTED,
            Application.Status.AWAITING_MANAGER,
        },
        "applicant",
    ),
    "approve": ({Application.Status.AWAITING_MANAGER}, "manager"),
    "refuse": ({Application.Status.AWAITING_MANAGER}, "manager"),
}
ACTION_NAMES = {
    "shortlist": _("shortlisted"),
    "accept": _("accepted"),
    "decline": _("declined"),
    "withdraw": _("withdrawn"),
    "approve": _("approved"),
    "refuse": _("refused"),
}


def manager_approval_required() -> bool:
    """Whether an accepted application waits for the applicant's manager (a setting)."""
    return bool(getattr(settings, "VIVIER_OPPORTUNITY_MANAGER_APPROVAL", False))


def _may_act(actor: User, application: Application, who: str) -> bool:
    if who == "owner":
        return can_manage_opportunity(user=actor, opportunity=application.opportunity)
    if who == "applicant":
        return application.applicant_id == actor.pk
    return applicant_manager_id(application) == actor.pk


def _staff(application: Application, now: Any) -> None:
    """Take the time share off the person's availability (never below 0), in this transaction."""
    profile = Profile.objects.select_for_update().filter(user_id=application.applicant_id).first()
    taken = 0
    if profile is not None:
        taken = min(profile.availability_percent, application.opportunity.time_share_percent)
        profile.availability_percent -= taken
        profile.save(update_fields=["availability_percent", "updated_at"])
    application.staffed_percent = taken
    application.staffed_at = now
    application.status = Application.Status.ACCEPTED


@transaction.atomic
def application_transition(
    *, actor: User, application: Application, action: str, reason: Any = ""
) -> Application:
    """Shortlist, accept, decline (owner), withdraw (applicant), approve or refuse (manager)."""
    if action not in APPLICATION_ACTIONS:
        raise ApplicationError("unknown_action", UNKNOWN_ACTION, field="action")
    if not can_see_application(user=actor, application=application):
        raise NotFound("application_not_found", _("This application does not exist."))
    allowed, who = APPLICATION_ACTIONS[action]
    if not _may_act(actor, application, who):
        raise PermissionDenied("forbidden", APPLICATION_DENIED)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("opportunity", "opportunity__owner", "applicant", "applicant__profile")
        .get(pk=application.pk)
    )
    if application.status not in allowed or (
        action in {"shortlist", "accept"}
        and application.opportunity.status != Opportunity.Status.OPEN
    ):
        raise Conflict(
            "invalid_transition",
            APPLICATION_TRANSITION
            % {"status": application.get_status_display(), "action": ACTION_NAMES[action]},
        )
    text = _text(
        reason,
        field="reason",
        empty=REASON_REQUIRED,
        max_length=REASON_MAX_LENGTH,
        required=action in {"decline", "refuse"},
    )
    now = timezone.now()
    manager_id = applicant_manager_id(application)
    if action == "shortlist":
        application.status = Application.Status.SHORTLISTED
    elif action in {"decline", "refuse"}:
        application.status = Application.Status.DECLINED
    elif action == "withdraw":
        application.status = Application.Status.WITHDRAWN
    elif action == "accept" and manager_approval_required() and manager_id:
        application.status = Application.Status.AWAITING_MANAGER
    else:  # accept without approval, or approve
        _staff(application, now)
    if who == "manager":
        application.manager_decided_by = actor
    elif who == "owner":
        application.decided_by = actor
    if who != "applicant":
        application.decided_at = now
    if text:
        application.decision_reason = text
    application.save()
    event_record(actor=actor, verb=action, obj=application, target_user=application.applicant)
    _notify_transition(actor, application, action, manager_id)
    return application


def _notify_transition(
    actor: User, application: Application, action: str, manager_id: int | None
) -> None:
    """Tell the applicant about decisions, the manager about staffing, the owner about changes."""
    opportunity = application.opportunity
    url = _opportunity_url(opportunity)
    title = opportunity.title
    if action == "withdraw":
        notify(
            recipient=opportunity.owner,
            type="opportunity_application",
            actor=actor,
            text=format_lazy(
                _("{name} withdrew from {title}"), name=actor.get_full_name(), title=title
            ),
            url=url,
        )
        return
    status_texts = {
        Application.Status.SHORTLISTED: _("You are shortlisted for {title}"),
        Application.Status.AWAITING_MANAGER: _(
            "Your application to {title} is accepted, pending your manager's approval"
        ),
        Application.Status.ACCEPTED: _("You are staffed on {title}"),
        Application.Status.DECLINED: _("Your application to {title} was declined"),
    }
    notify(
        recipient=application.applicant,
        type="opportunity_decision",
        actor=actor,
        text=format_lazy(status_texts[application.status], title=title),
        url=url,
    )
    manager = User.objects.filter(pk=manager_id).first() if manager_id else None
    if manager is None or manager.pk == actor.pk:
        if action in {"approve", "refuse"}:
            notify(
                recipient=opportunity.owner,
                type="opportunity_application",
                actor=actor,
                text=format_lazy(
                    _("The manager of {name} answered for {title}"),
                    name=application.applicant.get_full_name(),
                    title=title,
                ),
                url=url,
            )
        return
    manager_texts = {
        Application.Status.AWAITING_MANAGER: _(
            "{name} was chosen for {title}: your approval is asked"
        ),
        Application.Status.ACCEPTED: _("{name} is staffed on {title}"),
    }
    if application.status in manager_texts:
        notify(
            recipient=manager,
            type="opportunity_manager",
            actor=actor,
            text=format_lazy(
                manager_texts[application.status],
                name=application.applicant.get_full_name(),
                title=title,
            ),
            url=reverse("opportunities:mine"),
        )


@transaction.atomic
def mobility_update(
    *,
    actor: User,
    open_to_move: bool,
    suggestible: bool,
    desired_roles: list[JobRole] | None = None,
    locations: list[Location] | None = None,
    interests: list[Skill] | None = None,
) -> MobilityPreference:
    """Store the actor's own mobility preferences."""
    prefs, _created = MobilityPreference.objects.get_or_create(user=actor)
    prefs.open_to_move = bool(open_to_move)
    prefs.suggestible = bool(suggestible)
    prefs.save()
    prefs.desired_roles.set(desired_roles or [])
    prefs.locations.set(locations or [])
    prefs.interests.set(interests or [])
    event_record(actor=actor, verb="update", obj=prefs, target_user=actor)
    return prefs
