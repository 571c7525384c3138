"""Writes of the vision map: the vision, axes, objectives and indicators, and links to them."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.core.ids import parse_id
from vivier.social.notifications import notify
from vivier.vision.models import Axis, Indicator, Objective, ObjectiveLink, Vision
from vivier.vision.permissions import can_edit_objective, can_manage_map
from vivier.vision.registry import KIND_ALIASES, KIND_CODES, kind_get

MAP_DENIED = _("Only HR administrators edit the vision map.")
OBJECTIVE_DENIED = _("Only the objective's owner and HR administrators edit it.")
OBJECTIVE_NOT_FOUND = _("This objective does not exist.")
OBJECTIVE_ARCHIVED = _("This objective is archived: link your work to an active objective.")
AXIS_NOT_FOUND = _("This strategic axis does not exist.")
INDICATOR_NOT_FOUND = _("This indicator does not exist.")
PARENT_NOT_FOUND = _("The parent objective does not exist.")
PARENT_ARCHIVED = _("The parent objective is archived: choose an active one.")
PARENT_CYCLE = _(
    "This parent would make a cycle: an objective cannot sit under itself or one of its "
    "sub-objectives."
)
PARENT_OTHER_AXIS = _("A sub-objective belongs to the axis of its parent objective.")
HAS_CHILDREN = _("This objective has sub-objectives: move or delete them first.")
HAS_ACTIVE_CHILDREN = _("This objective has active sub-objectives: archive them first.")
OWNER_NOT_FOUND = _("This person does not exist or has left.")
PERIOD_ORDER = _("The period must end on or after its start.")
DATE_INVALID = _("Enter a valid date (YYYY-MM-DD).")
TEXT_REQUIRED = _("This text is required.")
TEXT_TOO_LONG = _("This text is too long (at most %(max)s characters).")
NUMBER_INVALID = _("Enter a number.")
STATUS_INVALID = _("Unknown status.")
KIND_INVALID = _("Unknown kind of item: use one of %(kinds)s.")
ITEM_NOT_FOUND = _("This item does not exist.")
NOT_A_QUESTION = _("This post is not a question.")
LINK_DENIED = _(
    "Only the author or owner of this item (a community's owners and animators) links it to "
    "objectives."
)
LINK_EXISTS = _("This item is already linked to this objective.")
LINK_NOT_FOUND = _("This link does not exist.")
LINK_DELETE_DENIED = _("Only who may link this item, or an HR administrator, removes its link.")
NOTHING_TO_CHANGE = _("Nothing to change.")

TITLE_MAX = 200
TEXT_MAX = 4000


def _text(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    text = "" if value is None else str(value).replace("\x00", "").strip()
    if required and not text:
        raise ApplicationError("invalid", TEXT_REQUIRED, status=422, field=field)
    if len(text) > max_length:
        raise ApplicationError(
            "invalid", TEXT_TOO_LONG % {"max": max_length}, status=422, field=field
        )
    return text


def _date(value: Any, *, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        found = parse_date(str(value or ""))
    except ValueError:
        found = None
    if found is None:
        raise ApplicationError("invalid_date", DATE_INVALID, status=422, field=field)
    return found


def _number(value: Any, *, field: str, required: bool = True) -> Decimal | None:
    if value in (None, "") and not required:
        return None
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise ApplicationError("invalid_number", NUMBER_INVALID, status=422, field=field) from None
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise ApplicationError("invalid_number", NUMBER_INVALID, status=422, field=field)
    return number.quantize(Decimal("0.01"))


def _require_map_admin(actor: User) -> None:
    if not can_manage_map(actor=actor):
        raise PermissionDenied("vision_denied", MAP_DENIED)


def _owner(value: Any) -> User:
    if isinstance(value, User):
        owner: User | None = value
    else:
        pk = parse_id(value)
        owner = User.objects.filter(pk=pk).first() if pk else None
    if owner is None or not owner.is_active:
        raise NotFound("owner_not_found", OWNER_NOT_FOUND, field="owner")
    return owner


def axis_lookup(value: Any) -> Axis:
    """The axis of that id, or NotFound."""
    if isinstance(value, Axis):
        return value
    pk = parse_id(value)
    axis = Axis.objects.filter(pk=pk).first() if pk else None
    if axis is None:
        raise NotFound("axis_not_found", AXIS_NOT_FOUND, field="axis")
    return axis


def objective_lookup(objective_id: Any) -> Objective:
    """The objective of that id, or NotFound (objectives are readable by every employee)."""
    if isinstance(objective_id, Objective):
        return objective_id
    pk = parse_id(objective_id)
    objective = Objective.objects.filter(pk=pk).select_related("axis", "owner").first()
    if objective is None:
        raise NotFound("objective_not_found", OBJECTIVE_NOT_FOUND, field="objective")
    return objective


def _check_parent(*, objective: Objective | None, parent_id: Any) -> Objective | None:
    """The parent asked for, refused when unknown, archived, or making a cycle."""
    if parent_id in (None, ""):
        return None
    pk = parse_id(parent_id.pk if isinstance(parent_id, Objective) else parent_id)
    parent = Objective.objects.filter(pk=pk).first() if pk else None
    if parent is None:
        raise NotFound("parent_not_found", PARENT_NOT_FOUND, field="parent")
    if parent.status != Objective.Status.ACTIVE:
        raise ApplicationError("parent_archived", PARENT_ARCHIVED, status=422, field="parent")
    if objective is not None and objective.pk is not None:
        # Walk up from the new parent: meeting the objective itself means a cycle. The walk is
        # bounded by the number of objectives, so a cycle already in the data cannot loop forever.
        parents = dict(Objective.objects.values_list("id", "parent_id"))
        current: int | None = parent.pk
        seen: set[int] = set()
        while current is not None and current not in seen:
            if current == objective.pk:
                raise ApplicationError("cycle", PARENT_CYCLE, status=422, field="parent")
            seen.add(current)
            current = parents.get(current)
    return parent


@transaction.atomic
def vision_save(
    *, actor: User, title_fr: Any, statement_fr: Any, title_en: Any = "", statement_en: Any = ""
) -> Vision:
    """Write the vision statement (HR); there is one current vision."""
    _require_map_admin(actor)
    vision = Vision.objects.order_by("id").first() or Vision()
    vision.title_fr = _text(title_fr, field="title_fr", max_length=TITLE_MAX, required=True)
    vision.title_en = _text(title_en, field="title_en", max_length=TITLE_MAX)
    vision.statement_fr = _text(
        statement_fr, field="statement_fr", max_length=TEXT_MAX, required=True
    )
    vision.statement_en = _text(statement_en, field="statement_en", max_length=TEXT_MAX)
    vision.updated_by = actor
    vision.save()
    event_record(actor=actor, verb="update", obj=vision)
    return vision


@transaction.atomic
def axis_save(
    *,
    actor: User,
    axis: Axis | None = None,
    title_fr: Any,
    title_en: Any = "",
    description_fr: Any = "",
    description_en: Any = "",
    position: Any = None,
) -> Axis:
    """Create a strategic axis, or update `axis` (HR)."""
    _require_map_admin(actor)
    created = axis is None
    axis = axis or Axis()
    axis.title_fr = _text(title_fr, field="title_fr", max_length=TITLE_MAX, required=True)
    axis.title_en = _text(title_en, field="title_en", max_length=TITLE_MAX)
    axis.description_fr = _text(description_fr, field="description_fr", max_length=TEXT_MAX)
    axis.description_en = _text(description_en, field="description_en", max_length=TEXT_MAX)
    if position is not None:
        axis.position = max(0, min(int(position), 32767))
    elif created:
        axis.position = Axis.objects.count()
    axis.save()
    event_record(actor=actor, verb="create" if created else "update", obj=axis)
    return axis


OWNER_FIELDS = {"title_fr", "title_en", "description_fr", "description_en"}
ADMIN_FIELDS = OWNER_FIELDS | {
    "axis",
    "parent",
    "owner",
    "period_start",
    "period_end",
    "status",
    "position",
}


def _apply(objective: Objective, data: dict[str, Any]) -> None:
    if "title_fr" in data:
        objective.title_fr = _text(
            data["title_fr"], field="title_fr", max_length=TITLE_MAX, required=True
        )
    if "title_en" in data:
        objective.title_en = _text(data["title_en"], field="title_en", max_length=TITLE_MAX)
    for name in ("description_fr", "description_en"):
        if name in data:
            setattr(objective, name, _text(data[name], field=name, max_length=TEXT_MAX))
    if "owner" in data:
        objective.owner = _owner(data["owner"])
    for name in ("period_start", "period_end"):
        if name in data:
            setattr(objective, name, _date(data[name], field=name))
    if "status" in data:
        if data["status"] not in Objective.Status.values:
            raise ApplicationError("invalid_status", STATUS_INVALID, status=422, field="status")
        objective.status = data["status"]
    if "position" in data and data["position"] is not None:
        objective.position = max(0, min(int(data["position"]), 32767))
    if "axis" in data:
        objective.axis = axis_lookup(data["axis"])
    if "parent" in data:
        parent = _check_parent(objective=objective, parent_id=data["parent"])
        objective.parent = parent
        if parent is not None:
            if "axis" in data and data["axis"] not in (None, "") and objective.axis != parent.axis:
                raise ApplicationError(
                    "parent_other_axis", PARENT_OTHER_AXIS, status=422, field="parent"
                )
            objective.axis = parent.axis
    if objective.period_end < objective.period_start:
        raise ApplicationError("invalid_period", PERIOD_ORDER, status=422, field="period_end")


@transaction.atomic
def objective_create(
    *,
    actor: User,
    axis: Any,
    title_fr: Any,
    owner: Any,
    period_start: Any,
    period_end: Any,
    title_en: Any = "",
    description_fr: Any = "",
    description_en: Any = "",
    parent: Any = None,
    position: Any = None,
) -> Objective:
    """Create an objective under an axis, or under a parent objective of that axis (HR)."""
    _require_map_admin(actor)
    objective = Objective(period_start=date.min, period_end=date.min)
    if axis in (None, "") and parent not in (None, ""):
        axis = _check_parent(objective=None, parent_id=parent).axis  # type: ignore[union-attr]
    _apply(
        objective,
        {
            "axis": axis,
            "title_fr": title_fr,
            "title_en": title_en,
            "description_fr": description_fr,
            "description_en": description_en,
            "owner": owner,
            "period_start": period_start,
            "period_end": period_end,
            "parent": parent,
            "position": position,
        },
    )
    if position is None:
        objective.position = Objective.objects.filter(
            axis=objective.axis, parent=objective.parent
        ).count()
    objective.save()
    event_record(actor=actor, verb="create", obj=objective)
    return objective


@transaction.atomic
def objective_update(*, actor: User, objective: Objective, data: dict[str, Any]) -> Objective:
    """Change an objective: its owner edits its texts, HR edits everything (archiving too)."""
    if not can_edit_objective(actor=actor, objective=objective):
        raise PermissionDenied("objective_denied", OBJECTIVE_DENIED)
    allowed = ADMIN_FIELDS if can_manage_map(actor=actor) else OWNER_FIELDS
    refused = set(data) - allowed
    if refused & ADMIN_FIELDS:
        raise PermissionDenied("vision_denied", MAP_DENIED)
    data = {k: v for k, v in data.items() if k in allowed}
    if not data:
        raise ApplicationError("nothing_to_change", NOTHING_TO_CHANGE, status=422)
    # Lock the row: two editors moving parents at once must not build a cycle between them.
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    if (
        data.get("status") == Objective.Status.ARCHIVED
        and objective.children.filter(status=Objective.Status.ACTIVE).exists()
    ):
        raise Conflict("has_active_children", HAS_ACTIVE_CHILDREN, field="status")
    _apply(objective, data)
    objective.save()
    if "axis" in data and objective.children.exists():
        _move_descendants(objective)
    event_record(actor=actor, verb="update", obj=objective, fields=sorted(data))
    return objective


def _move_descendants(objective: Objective) -> None:
    """Keep sub-objectives in their parent's axis."""
    frontier = [objective.pk]
    while frontier:
        children = list(
            Objective.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        Objective.objects.filter(pk__in=children).update(axis=objective.axis)
        frontier = children


@transaction.atomic
def objective_delete(*, actor: User, objective: Objective) -> None:
    """Delete an objective without sub-objectives, and its links (HR); archiving keeps history."""
    _require_map_admin(actor)
    if objective.children.exists():
        raise Conflict("has_children", HAS_CHILDREN)
    event_record(
        actor=actor, verb="delete", object_type="vision.objective", title=objective.title_fr
    )
    objective.delete()


@transaction.atomic
def indicator_save(
    *,
    actor: User,
    objective: Objective,
    indicator: Indicator | None = None,
    name_fr: Any,
    target_value: Any,
    name_en: Any = "",
    unit: Any = "",
    current_value: Any = None,
) -> Indicator:
    """Add an indicator to an objective or change one (its owner or HR)."""
    if not can_edit_objective(actor=actor, objective=objective):
        raise PermissionDenied("objective_denied", OBJECTIVE_DENIED)
    created = indicator is None
    indicator = indicator or Indicator(objective=objective)
    indicator.name_fr = _text(name_fr, field="name_fr", max_length=TITLE_MAX, required=True)
    indicator.name_en = _text(name_en, field="name_en", max_length=TITLE_MAX)
    indicator.unit = _text(unit, field="unit", max_length=24)
    indicator.target_value = _number(target_value, field="target_value")  # type: ignore[assignment]
    indicator.current_value = _number(current_value, field="current_value", required=False)
    if created:
        indicator.position = objective.indicators.count()
    indicator.save()
    event_record(actor=actor, verb="create" if created else "update", obj=indicator)
    return indicator


def indicator_lookup(indicator_id: Any) -> Indicator:
    """The indicator of that id, or NotFound."""
    pk = parse_id(indicator_id)
    found = Indicator.objects.filter(pk=pk).select_related("objective").first() if pk else None
    if found is None:
        raise NotFound("indicator_not_found", INDICATOR_NOT_FOUND)
    return found


@transaction.atomic
def indicator_delete(*, actor: User, indicator: Indicator) -> None:
    """Remove an indicator (the objective's owner or HR)."""
    if not can_edit_objective(actor=actor, objective=indicator.objective):
        raise PermissionDenied("objective_denied", OBJECTIVE_DENIED)
    event_record(actor=actor, verb="delete", object_type="vision.indicator", name=indicator.name_fr)
    indicator.delete()


def target_lookup(*, viewer: User, kind: Any, object_id: Any) -> tuple[Any, Any]:
    """The (kind, item) named, if the viewer may see it; NotFound otherwise (hiding secrets)."""
    link_kind = kind_get(str(kind or ""))
    if link_kind is None:
        raise ApplicationError(
            "invalid_kind",
            KIND_INVALID % {"kinds": ", ".join(KIND_CODES)},
            status=422,
            field="kind",
        )
    pk = parse_id(object_id)
    item = link_kind.model.objects.filter(pk=pk).first() if pk else None
    if item is None or not link_kind.can_see(viewer, item):
        raise NotFound("item_not_found", ITEM_NOT_FOUND, field="object_id")
    if KIND_ALIASES.get(str(kind)) == "post" and getattr(item, "kind", "") != "question":
        raise NotFound("item_not_found", NOT_A_QUESTION, field="object_id")
    return link_kind, item


@transaction.atomic
def link_create(*, actor: User, objective_id: Any, kind: Any, object_id: Any) -> ObjectiveLink:
    """Tie an item to an active objective; only its author or owner may (see the registry)."""
    link_kind, item = target_lookup(viewer=actor, kind=kind, object_id=object_id)
    objective = objective_lookup(objective_id)
    if objective.status != Objective.Status.ACTIVE:
        raise ApplicationError(
            "objective_archived", OBJECTIVE_ARCHIVED, status=422, field="objective"
        )
    if not link_kind.can_link(actor, item):
        raise PermissionDenied("link_denied", LINK_DENIED)
    lookup = {"objective": objective, link_kind.field: item}
    if ObjectiveLink.objects.filter(**lookup).exists():
        raise Conflict("link_exists", LINK_EXISTS)
    try:
        with transaction.atomic():
            link = ObjectiveLink.objects.create(created_by=actor, **lookup)
    except IntegrityError:
        # Two clicks at once: the unique constraint keeps one link.
        raise Conflict("link_exists", LINK_EXISTS) from None
    event_record(actor=actor, verb="link", obj=objective, kind=link_kind.code, object_id=item.pk)
    owner = objective.owner
    if owner.pk != actor.pk and link_kind.can_see(owner, item):
        url = reverse("vision:objective", args=[objective.pk])
        title = objective.title
        transaction.on_commit(
            lambda: notify(
                recipient=owner,
                type="vision_link",
                actor=actor,
                text=format_lazy("{}: {}", _("New work linked to your objective"), title),
                url=url,
            )
        )
    return link


def link_lookup(link_id: Any) -> ObjectiveLink:
    """The link of that id, or NotFound."""
    pk = parse_id(link_id)
    link = ObjectiveLink.objects.filter(pk=pk).select_related("objective").first() if pk else None
    if link is None:
        raise NotFound("link_not_found", LINK_NOT_FOUND)
    return link


@transaction.atomic
def link_delete(*, actor: User, link: ObjectiveLink) -> None:
    """Remove a link: whoever may link the item, or HR (hidden items stay hidden: 404)."""
    link_kind = kind_get(link.kind)
    item = link.target
    if link_kind is None or item is None or not link_kind.can_see(actor, item):
        raise NotFound("link_not_found", LINK_NOT_FOUND)
    if not (link_kind.can_link(actor, item) or can_manage_map(actor=actor)):
        raise PermissionDenied("link_delete_denied", LINK_DELETE_DENIED)
    event_record(
        actor=actor, verb="unlink", obj=link.objective, kind=link_kind.code, object_id=item.pk
    )
    link.delete()
