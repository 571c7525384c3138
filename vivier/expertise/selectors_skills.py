"""Reads of inferred skills: a person's own suggestions, and HR's hidden experts report."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.core.errors import PermissionDenied
from vivier.core.text import normalize
from vivier.expertise.inference import MIN_TEXTS, THRESHOLD, AliasMatcher, SupportingText
from vivier.expertise.inference import collect_evidence as _collect_evidence
from vivier.expertise.models import ExpertLabel, InferredSkill
from vivier.people.models import OrgUnit, ProfileSkill, Skill, SkillAlias

REPORT_DENIED = _("Only HR administrators see the hidden experts report.")
# A page shows the reasons of a suggestion from the person's most recent texts.
RECENT_TEXTS = 300
MAX_FILTER_LENGTH = 120


@dataclass
class Suggestion:
    """A skill suggested to its owner, with the texts that show it."""

    skill: Skill
    score: float
    evidence_count: int
    texts: list[SupportingText] = field(default_factory=list)


def skill_suggestions(*, viewer: User, with_texts: bool = True) -> list[Suggestion]:
    """The viewer's own suggested skills (neither declared, confirmed nor hidden), best first."""
    if not viewer.is_authenticated:
        return []
    rows = list(
        InferredSkill.objects.filter(user_id=viewer.pk, status=InferredSkill.Status.SUGGESTED)
        .exclude(skill_id__in=ProfileSkill.objects.filter(user_id=viewer.pk).values("skill_id"))
        .select_related("skill")
        .order_by("-score", "skill_id")
    )
    suggestions = [Suggestion(r.skill, r.score, r.evidence_count) for r in rows]
    if with_texts and rows:
        skill_ids = [r.skill_id for r in rows]
        evidence = _collect_evidence(
            [viewer.pk],
            matcher=AliasMatcher(skill_ids),
            skill_ids=skill_ids,
            max_texts=RECENT_TEXTS,
        ).get(viewer.pk, {})
        for suggestion in suggestions:
            found = evidence.get(suggestion.skill.pk)
            suggestion.texts = list(found.texts) if found else []
    return suggestions


@dataclass(frozen=True)
class HiddenExpertFilters:
    """The report's filters."""

    skill: str = ""  # any label or alias, accents ignored
    org_unit: OrgUnit | None = None  # the unit and the units below it


@dataclass
class HiddenExpertRow:
    """One person and one skill their writing shows but that they have neither declared nor a
    label for. No text, title or place is carried: HR sees counts and dates only."""

    user: User
    org_unit: OrgUnit | None
    skill: Skill
    score: float
    evidence_count: int
    last_evidence_at: datetime | None = None


def _check_hr(viewer: User) -> None:
    if not is_hr_admin(viewer):
        raise PermissionDenied("hr_admin_required", REPORT_DENIED)


def hidden_experts(
    *, viewer: User, filters: HiddenExpertFilters | None = None
) -> QuerySet[InferredSkill]:
    """The inferred skills of active people who did not declare them, hid them, nor hold an
    active Expert label on them, strongest evidence first; HR administrators only."""
    _check_hr(viewer)
    filters = filters or HiddenExpertFilters()
    now = timezone.now()
    declared = ProfileSkill.objects.filter(
        user_id=OuterRef("user_id"), skill_id=OuterRef("skill_id")
    )
    labelled = ExpertLabel.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now),
        user_id=OuterRef("user_id"),
        skill_id=OuterRef("skill_id"),
        revoked_at__isnull=True,
        granted_at__lte=now,
    )
    rows = InferredSkill.objects.filter(
        status=InferredSkill.Status.SUGGESTED,
        user__is_active=True,
        score__gte=THRESHOLD,
        evidence_count__gte=MIN_TEXTS,
    ).exclude(Exists(declared) | Exists(labelled))
    folded = normalize(filters.skill.replace("\x00", ""))[:MAX_FILTER_LENGTH]
    if folded:
        rows = rows.filter(
            Exists(
                SkillAlias.objects.filter(
                    skill_id=OuterRef("skill_id"), normalized__contains=folded
                )
            )
        )
    if filters.org_unit is not None:
        rows = rows.filter(user__profile__org_unit__path__startswith=filters.org_unit.path)
    return rows.select_related("user__profile__org_unit", "skill").order_by(
        "-score", "user_id", "skill_id"
    )


def hidden_expert_rows(rows: Any) -> list[HiddenExpertRow]:
    """The report's rows for a page of `hidden_experts`, with each one's last evidence date."""
    rows = list(rows)
    if not rows:
        return []
    skill_ids = {r.skill_id for r in rows}
    evidence = _collect_evidence(
        {r.user_id for r in rows}, matcher=AliasMatcher(skill_ids), skill_ids=skill_ids
    )
    result = []
    for row in rows:
        profile = getattr(row.user, "profile", None)
        found = evidence.get(row.user_id, {}).get(row.skill_id)
        result.append(
            HiddenExpertRow(
                user=row.user,
                org_unit=profile.org_unit if profile else None,
                skill=row.skill,
                score=row.score,
                evidence_count=row.evidence_count,
                last_evidence_at=found.last_at if found else None,
            )
        )
    return result
