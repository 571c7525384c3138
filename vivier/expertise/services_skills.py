"""A person's decisions on the skills inferred from their writing: add to the profile, or hide."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.core.errors import Conflict, NotFound
from vivier.core.events import event_record
from vivier.core.ids import parse_id
from vivier.expertise.models import InferredSkill
from vivier.people.models import ProfileSkill
from vivier.people.services import skill_declare

SUGGESTION_NOT_FOUND = _("This skill is not among your suggestions.")
SUGGESTION_ALREADY_CONFIRMED = _("This skill is already on your profile.")
SUGGESTION_ALREADY_HIDDEN = _("This suggestion is already hidden.")

# Confirming a suggestion declares the skill at "practice": writing about a skill shows more
# than notions, and only the person can say they are advanced or an expert.
DEFAULT_LEVEL = int(ProfileSkill.Level.PRACTICE)


def _suggestion(actor: User, skill_id: Any) -> InferredSkill:
    """The actor's own inferred skill `skill_id`, locked, or NotFound (others' are never found)."""
    pk = parse_id(skill_id)
    row = (
        InferredSkill.objects.select_for_update()
        .select_related("skill")
        .filter(user_id=actor.pk, skill_id=pk)
        .first()
        if pk is not None and actor.is_authenticated
        else None
    )
    if row is None:
        raise NotFound("suggestion_not_found", SUGGESTION_NOT_FOUND, field="skill_id")
    return row


@transaction.atomic
def inferred_skill_confirm(
    *, actor: User, skill_id: Any, level: Any = DEFAULT_LEVEL
) -> InferredSkill:
    """Add a suggested (or earlier hidden) skill to the actor's profile and mark it confirmed.

    A skill the person already declared keeps its level: confirming never lowers it.
    """
    row = _suggestion(actor, skill_id)
    if row.status == InferredSkill.Status.CONFIRMED:
        raise Conflict("suggestion_already_confirmed", SUGGESTION_ALREADY_CONFIRMED)
    if not ProfileSkill.objects.filter(user_id=actor.pk, skill_id=row.skill_id).exists():
        skill_declare(actor=actor, person=actor, skill_id=row.skill_id, level=level)
    row.status = InferredSkill.Status.CONFIRMED
    row.save(update_fields=["status", "updated_at"])
    event_record(actor=actor, verb="confirm", obj=row, target_user=actor, skill_id=row.skill_id)
    return row


@transaction.atomic
def inferred_skill_hide(*, actor: User, skill_id: Any) -> InferredSkill:
    """Hide a suggestion: it is no longer proposed to the actor nor shown in HR's report."""
    row = _suggestion(actor, skill_id)
    if row.status == InferredSkill.Status.HIDDEN:
        raise Conflict("suggestion_already_hidden", SUGGESTION_ALREADY_HIDDEN)
    if row.status == InferredSkill.Status.CONFIRMED:
        raise Conflict("suggestion_already_confirmed", SUGGESTION_ALREADY_CONFIRMED)
    row.status = InferredSkill.Status.HIDDEN
    row.save(update_fields=["status", "updated_at"])
    event_record(actor=actor, verb="hide", obj=row, target_user=actor, skill_id=row.skill_id)
    return row
