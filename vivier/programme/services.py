"""Expert programme writes: domains, nominations, reviews, decisions, awards, renewals, time,
paths, visibility and events. Every state change goes through `_move` (audited)."""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from vivier.core.events import event_record
from vivier.expertise.models import Answer, ExpertLabel
from vivier.expertise.services import expert_levels_refresh, label_grant
from vivier.people.models import Endorsement, Profile, ProfileSkill, Skill
from vivier.programme.models import (
    Award,
    Criterion,
    Domain,
    Event,
    Evidence,
    GovernanceSeat,
    Level,
    Nomination,
    PathEnrolment,
    PathStep,
    Registration,
    Review,
    Score,
    SkillPath,
    StepProgress,
    StrategicProject,
    TimeBudget,
    TimeEntry,
    Transition,
)
from vivier.programme.selectors import (
    VALID_AWARD_STATES,
    has_conflict,
    is_committee_member,
    nomination_roles,
    valid_awards,
)
from vivier.social.models import Community, Membership, Post
from vivier.social.notifications import notify
from vivier.social.permissions import can_see_community, is_animator

S = Nomination.State
A = Award.State

# The nomination state machine: from -> the states it may move to.
NOMINATION_MOVES: dict[str, set[str]] = {
    S.MANAGER_REVIEW: {S.COMMITTEE_REVIEW, S.WITHDRAWN},
    S.COMMITTEE_REVIEW: {S.AWARDED, S.DECLINED, S.DEFERRED, S.WITHDRAWN},
    S.DEFERRED: {S.COMMITTEE_REVIEW},
    S.AWARDED: set(),
    S.DECLINED: set(),
    S.WITHDRAWN: set(),
}
# The award state machine.
AWARD_MOVES: dict[str, set[str]] = {
    A.ACTIVE: {A.RENEWAL_DUE, A.EXPIRED, A.REVOKED},
    A.RENEWAL_DUE: {A.ACTIVE, A.EXPIRED, A.REVOKED},
    A.EXPIRED: set(),
    A.REVOKED: set(),
}
DECISIONS = {"award": S.AWARDED, "decline": S.DECLINED, "defer": S.DEFERRED}
MOTIVATION_MAX = 5000
TEXT_MAX = 3000
EVIDENCE_AUTO = 5  # answers and posts gathered for each kind

INVALID_TRANSITION = _("This nomination cannot go from “%(from)s” to “%(to)s”.")
INVALID_AWARD_TRANSITION = _("This award cannot go from “%(from)s” to “%(to)s”.")
HR_ONLY = _("Only HR administrators may do this.")
MOTIVATION_REQUIRED = _("Write a motivation (at most 5,000 characters).")
REASON_REQUIRED = _("Write the reason sent to the person (at most 3,000 characters).")
TEXT_TOO_LONG = _("This text is too long.")


def _text(value: Any, *, field: str, required: bool = False, max_length: int = TEXT_MAX) -> str:
    """Clean user text: strings only, no NUL, bounded; required ones not blank."""
    text = value if isinstance(value, str) else ""
    text = text.replace("\x00", "").strip()
    if required and not text:
        raise ApplicationError(f"{field}_required", _("This field is required."), field=field)
    if len(text) > max_length:
        raise ApplicationError("text_too_long", TEXT_TOO_LONG, field=field)
    return text


def _require_hr(actor: User) -> None:
    if not is_hr_admin(actor):
        raise PermissionDenied("hr_only", HR_ONLY)


def _move(obj: Nomination | Award, to: str, *, actor: User | None, reason: str = "") -> None:
    """Move a nomination or an award to `to` if its state machine allows it; audit the change."""
    moves = NOMINATION_MOVES if isinstance(obj, Nomination) else AWARD_MOVES
    current = obj.state
    if to not in moves.get(current, set()):
        states = type(obj).State
        message = INVALID_TRANSITION if isinstance(obj, Nomination) else INVALID_AWARD_TRANSITION
        raise Conflict(
            "invalid_transition",
            str(message) % {"from": states(current).label, "to": states(to).label},
        )
    obj.state = to
    obj.save(update_fields=["state", "updated_at"])
    _audit(obj, actor=actor, from_state=current, to_state=to, reason=reason)


def _audit(
    obj: Nomination | Award, *, actor: User | None, from_state: str, to_state: str, reason: str = ""
) -> None:
    """Keep the transition in the history and as an activity event."""
    is_nomination = isinstance(obj, Nomination)
    Transition.objects.create(
        nomination=obj if is_nomination else None,
        award=None if is_nomination else obj,
        actor=actor,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
    )
    if actor is not None:
        event_record(
            actor=actor,
            verb="transition",
            obj=obj,
            target_user=obj.candidate if is_nomination else obj.user,
            from_state=from_state,
            to_state=to_state,
        )


def _nomination_url(nomination: Nomination) -> str:
    return reverse("programme:nomination", args=[nomination.pk])


# Domains


@transaction.atomic
def domain_save(
    *,
    actor: User,
    domain: Domain | None = None,
    name: Any,
    description: Any = "",
    skill_ids: list[int] | None = None,
    committee_ids: list[int] | None = None,
    quorum: int = 2,
    label_years: int = 3,
    community: Community | None = None,
    criteria: list[tuple[str, int]] | None = None,
) -> Domain:
    """Create or change a domain: its skills, committee, quorum, validity and criteria (HR)."""
    _require_hr(actor)
    name = _text(name, field="name", required=True, max_length=120)
    if not isinstance(quorum, int) or not 1 <= quorum <= 20:
        raise ApplicationError("quorum_invalid", _("The quorum is 1 to 20."), field="quorum")
    if not isinstance(label_years, int) or not 1 <= label_years <= 10:
        raise ApplicationError(
            "years_invalid", _("A label is valid 1 to 10 years."), field="label_years"
        )
    skills = list(Skill.objects.filter(pk__in=skill_ids or []))
    if not skills or len(skills) != len(set(skill_ids or [])):
        raise ApplicationError(
            "skills_invalid", _("Choose one or more existing skills."), field="skill_ids"
        )
    members = list(User.objects.filter(pk__in=committee_ids or [], is_active=True))
    if len(members) != len(set(committee_ids or [])):
        raise ApplicationError(
            "committee_invalid",
            _("Every committee member must be an active person."),
            field="committee_ids",
        )
    if criteria is not None:
        if len({name.strip() for name, _weight in criteria}) != len(criteria):
            raise ApplicationError(
                "criteria_invalid", _("Two criteria have the same name."), field="criteria"
            )
        for crit_name, weight in criteria:
            if not crit_name.strip() or len(crit_name) > 120 or not 1 <= weight <= 10:
                raise ApplicationError(
                    "criteria_invalid",
                    _("Each criterion has a name and a weight from 1 to 10."),
                    field="criteria",
                )
    created = domain is None
    domain = domain or Domain()
    domain.name = name
    if created:
        domain.slug = slugify(name)[:140] or "domaine"
    domain.description = _text(description, field="description", max_length=2000)
    domain.quorum = quorum
    domain.label_years = label_years
    domain.community = community
    try:
        with transaction.atomic():
            domain.save()
    except IntegrityError as exc:
        raise Conflict("domain_exists", _("A domain of this name exists."), field="name") from exc
    domain.skills.set(skills)
    domain.committee.set(members)
    if criteria is not None:
        # Scores refer to criteria: keep the ones whose name stays, remove the others.
        kept = {c.name: c for c in domain.criteria.all()}
        names = []
        for position, (crit_name, weight) in enumerate(criteria):
            crit_name = crit_name.strip()
            names.append(crit_name)
            criterion = kept.get(crit_name) or Criterion(domain=domain, name=crit_name)
            criterion.weight, criterion.position = weight, position
            criterion.save()
        domain.criteria.exclude(name__in=names).delete()
    event_record(actor=actor, verb="create" if created else "update", obj=domain)
    return domain


# Nominations


def _gather_evidence(nomination: Nomination) -> None:
    """Attach the candidate's best public answers and posts, endorsements and declared skills."""
    user, skill_ids = (
        nomination.candidate,
        list(nomination.domain.skills.values_list("pk", flat=True)),
    )
    public = Q(community__isnull=True) | Q(community__visibility=Community.Visibility.OPEN)
    items = []
    for answer in (
        Answer.objects.filter(
            author=user, deleted_at__isnull=True, question__deleted_at__isnull=True
        )
        .filter(Q(question__community__isnull=True) | Q(question__community__visibility="open"))
        .select_related("question")
        .order_by("-accepted_at", "-score", "-created_at")[:EVIDENCE_AUTO]
    ):
        items.append(
            Evidence(
                kind=Evidence.Kind.ANSWER,
                title=answer.question.title[:300] or answer.body[:120],
                detail=str(_("score %(score)s")) % {"score": answer.score}
                + (" ✓" if answer.accepted_at else ""),
                url=reverse("expertise:question", args=[answer.question_id])
                + f"#answer-{answer.pk}",
            )
        )
    for post in (
        Post.objects.filter(public, author=user, deleted_at__isnull=True)
        .exclude(kind=Post.Kind.QUESTION)
        .order_by("-reaction_count", "-comment_count", "-created_at")[:EVIDENCE_AUTO]
    ):
        items.append(
            Evidence(
                kind=Evidence.Kind.POST,
                title=(post.title or post.body)[:300],
                detail=str(_("%(n)s reactions")) % {"n": post.reaction_count},
                url=reverse("social:post", args=[post.pk]),
            )
        )
    for declared in ProfileSkill.objects.filter(user=user, skill_id__in=skill_ids).select_related(
        "skill"
    ):
        endorsements = Endorsement.objects.filter(endorsee=user, skill=declared.skill).count()
        items.append(
            Evidence(
                kind=Evidence.Kind.SKILL,
                title=declared.skill.label,
                detail=str(declared.get_level_display()),
                url=reverse("people:profile", args=[user.pk]),
            )
        )
        if endorsements:
            items.append(
                Evidence(
                    kind=Evidence.Kind.ENDORSEMENT,
                    title=declared.skill.label,
                    detail=str(_("%(n)s endorsements")) % {"n": endorsements},
                    url=reverse("people:profile", args=[user.pk]),
                )
            )
    for item in items:
        item.nomination = nomination
    Evidence.objects.bulk_create(items)


@transaction.atomic
def nomination_create(
    *,
    actor: User,
    domain: Domain,
    candidate: User,
    motivation: Any,
    level: str = Level.EXPERT,
) -> Nomination:
    """Nominate someone for the label: oneself, a direct report (as manager) or a peer.

    A renewal is a self-application by the holder of an award awaiting renewal. The manager's
    opinion comes next, unless the manager nominated or there is none.
    """
    motivation = _text(motivation, field="motivation", required=True, max_length=MOTIVATION_MAX)
    if level not in Level.values:
        raise ApplicationError("level_invalid", _("Unknown level."), field="level")
    if not candidate.is_active:
        raise NotFound("person_not_found", _("This person does not exist."))
    # Read afresh: the manager decides the opinion step and the conflict of interest.
    manager_id = Profile.objects.filter(user=candidate).values_list("manager_id", flat=True).first()
    current = valid_awards().filter(user=candidate, domain=domain).first()
    if actor.pk == candidate.pk:
        kind = Nomination.Kind.SELF
    elif actor.pk == manager_id:
        kind = Nomination.Kind.MANAGER
    else:
        kind = Nomination.Kind.PEER
    renewal_of = None
    if current is not None:
        if current.state != A.RENEWAL_DUE or kind != Nomination.Kind.SELF:
            raise Conflict(
                "already_expert", _("This person already holds the label in this domain.")
            )
        kind, renewal_of = Nomination.Kind.RENEWAL, current
    if Nomination.objects.filter(
        candidate=candidate, domain=domain, state__in=[S.MANAGER_REVIEW, S.COMMITTEE_REVIEW]
    ).exists():
        raise Conflict(
            "nomination_open", _("A nomination of this person in this domain is under way.")
        )
    skip_manager = manager_id is None or kind == Nomination.Kind.MANAGER
    nomination = Nomination.objects.create(
        domain=domain,
        candidate=candidate,
        nominated_by=actor,
        kind=kind,
        level=level,
        motivation=motivation,
        manager_id=manager_id,
        state=S.COMMITTEE_REVIEW if skip_manager else S.MANAGER_REVIEW,
        manager_opinion=Nomination.Opinion.FAVOURABLE if kind == Nomination.Kind.MANAGER else "",
        renewal_of=renewal_of,
    )
    _audit(nomination, actor=actor, from_state="", to_state=nomination.state)
    _gather_evidence(nomination)
    url = _nomination_url(nomination)
    if kind == Nomination.Kind.PEER:
        notify(
            recipient=candidate,
            type="programme_nomination",
            actor=actor,
            text=format_lazy(
                _("{name} nominated you for the Expert label ({domain})."),
                name=actor.get_full_name(),
                domain=domain.name,
            ),
            url=url,
        )
    if nomination.state == S.MANAGER_REVIEW:
        notify(
            recipient=nomination.manager,
            type="programme_nomination",
            actor=actor,
            text=format_lazy(
                _("Give your opinion on the nomination of {name} ({domain})."),
                name=candidate.get_full_name(),
                domain=domain.name,
            ),
            url=url,
        )
    else:
        _notify_committee(nomination, actor=actor)
    return nomination


def _notify_committee(nomination: Nomination, *, actor: User) -> None:
    for member in nomination.domain.committee.all():
        if member.pk != nomination.candidate_id:
            notify(
                recipient=member,
                type="programme_nomination",
                actor=actor,
                text=format_lazy(
                    _("The nomination of {name} ({domain}) awaits the committee's review."),
                    name=nomination.candidate.get_full_name(),
                    domain=nomination.domain.name,
                ),
                url=_nomination_url(nomination),
            )


def _locked(nomination: Nomination) -> Nomination:
    """The nomination re-read under a row lock, so two concurrent moves cannot both pass."""
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    nomination.state = locked.state
    return nomination


@transaction.atomic
def manager_opinion_give(
    *, actor: User, nomination: Nomination, opinion: str, comment: Any = ""
) -> Nomination:
    """The candidate's manager gives their opinion; the nomination goes to the committee."""
    if nomination.manager_id != actor.pk:
        raise PermissionDenied("not_manager", _("Only the candidate's manager gives this opinion."))
    if opinion not in Nomination.Opinion.values:
        raise ApplicationError("opinion_invalid", _("Choose an opinion."), field="opinion")
    comment = _text(comment, field="comment")
    _locked(nomination)
    _move(nomination, S.COMMITTEE_REVIEW, actor=actor, reason=comment)
    nomination.manager_opinion, nomination.manager_comment = opinion, comment
    nomination.save(update_fields=["manager_opinion", "manager_comment", "updated_at"])
    _notify_committee(nomination, actor=actor)
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor: User, nomination: Nomination, reason: Any = "") -> Nomination:
    """The candidate, the nominator or HR withdraws an open nomination."""
    if not nomination_roles(actor, nomination) & {"candidate", "nominator", "hr"}:
        raise PermissionDenied(
            "withdraw_denied", _("Only the candidate, the nominator or HR may withdraw it.")
        )
    _locked(nomination)
    _move(nomination, S.WITHDRAWN, actor=actor, reason=_text(reason, field="reason"))
    return nomination


@transaction.atomic
def nomination_reopen(*, actor: User, nomination: Nomination, reason: Any = "") -> Nomination:
    """HR puts a deferred nomination back before the committee (its reviews start over)."""
    _require_hr(actor)
    _locked(nomination)
    _move(nomination, S.COMMITTEE_REVIEW, actor=actor, reason=_text(reason, field="reason"))
    nomination.reviews.all().delete()
    _notify_committee(nomination, actor=actor)
    return nomination


def _check_evidence_editor(actor: User, nomination: Nomination) -> None:
    if not nomination_roles(actor, nomination) & {"candidate", "nominator", "hr"}:
        raise PermissionDenied(
            "evidence_denied", _("Only the candidate, the nominator or HR edit the evidence.")
        )
    if not nomination.is_open:
        raise Conflict("nomination_closed", _("This nomination is closed."))


@transaction.atomic
def evidence_add(
    *, actor: User, nomination: Nomination, title: Any, detail: Any = "", url: Any = ""
) -> Evidence:
    """Add a piece of evidence written by hand."""
    _check_evidence_editor(actor, nomination)
    url = _text(url, field="url", max_length=500)
    if url and not (url.startswith("/") or url.startswith("https://")):
        raise ApplicationError("url_invalid", _("A link starts with https:// or /."), field="url")
    evidence = Evidence.objects.create(
        nomination=nomination,
        kind=Evidence.Kind.OTHER,
        title=_text(title, field="title", required=True, max_length=300),
        detail=_text(detail, field="detail", max_length=500),
        url=url,
    )
    event_record(actor=actor, verb="add", obj=evidence, target_user=nomination.candidate)
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User, nomination: Nomination, evidence_id: int) -> None:
    """Remove a piece of evidence from an open nomination."""
    _check_evidence_editor(actor, nomination)
    deleted, _count = Evidence.objects.filter(nomination=nomination, pk=evidence_id).delete()
    if not deleted:
        raise NotFound("evidence_not_found", _("This evidence does not exist."))
    event_record(
        actor=actor,
        verb="delete",
        object_type="programme.evidence",
        target_user=nomination.candidate,
    )


@transaction.atomic
def review_submit(
    *, actor: User, nomination: Nomination, scores: dict[int, int], comment: Any = ""
) -> Review:
    """A committee member scores every criterion (0 to 5) and comments; a new review replaces
    their previous one. Nobody reviews themselves or their direct report."""
    if not is_committee_member(actor, nomination.domain_id):
        raise PermissionDenied("not_committee", _("Only the domain's committee reviews."))
    if has_conflict(actor, nomination):
        raise PermissionDenied(
            "conflict_of_interest",
            _("Conflict of interest: you may not review yourself or your direct report."),
        )
    _locked(nomination)
    if nomination.state != S.COMMITTEE_REVIEW:
        raise Conflict("invalid_transition", _("This nomination is not under committee review."))
    criteria = {c.pk: c for c in nomination.domain.criteria.all()}
    if set(scores) != set(criteria) or any(
        isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 5 for v in scores.values()
    ):
        raise ApplicationError(
            "scores_invalid", _("Score every criterion from 0 to 5."), field="scores"
        )
    Review.objects.filter(nomination=nomination, reviewer=actor).delete()
    review = Review.objects.create(
        nomination=nomination, reviewer=actor, comment=_text(comment, field="comment")
    )
    Score.objects.bulk_create(
        [Score(review=review, criterion_id=pk, value=value) for pk, value in scores.items()]
    )
    event_record(actor=actor, verb="review", obj=nomination, target_user=nomination.candidate)
    return review


@transaction.atomic
def nomination_decide(
    *, actor: User, nomination: Nomination, decision: str, reason: Any, level: str | None = None
) -> Nomination:
    """Award, decline or defer once the quorum of reviews is reached; the written reason goes
    to the candidate. A committee member with a conflict of interest may not decide."""
    roles = nomination_roles(actor, nomination)
    if "hr" not in roles and ("committee" not in roles or has_conflict(actor, nomination)):
        raise PermissionDenied(
            "decide_denied", _("Only the committee (without conflict of interest) or HR decide.")
        )
    if decision not in DECISIONS:
        raise ApplicationError(
            "decision_invalid", _("The decision is award, decline or defer."), field="decision"
        )
    if level is not None and level not in Level.values:
        raise ApplicationError("level_invalid", _("Unknown level."), field="level")
    reason = _text(reason, field="reason", required=True)
    _locked(nomination)
    target = DECISIONS[decision]
    if target not in NOMINATION_MOVES.get(nomination.state, set()):
        _move(nomination, target, actor=actor)  # raises invalid_transition
    reviews = Review.objects.filter(nomination=nomination).count()
    if reviews < nomination.domain.quorum:
        raise Conflict(
            "quorum_not_reached",
            format_lazy(
                _("The quorum is {quorum} reviews; {count} so far."),
                quorum=nomination.domain.quorum,
                count=reviews,
            ),
        )
    _move(nomination, target, actor=actor, reason=reason)
    nomination.decision_reason, nomination.decided_by = reason, actor
    nomination.decided_at = timezone.now()
    if level:
        nomination.level = level
    nomination.save(
        update_fields=["decision_reason", "decided_by", "decided_at", "level", "updated_at"]
    )
    if target == S.AWARDED:
        _award(nomination, actor=actor)
    notify(
        recipient=nomination.candidate,
        type="programme_decision",
        actor=actor,
        text=format_lazy(
            _("Decision on your Expert label ({domain}): {decision}. {reason}"),
            domain=nomination.domain.name,
            decision=S(target).label,
            reason=reason[:180],
        ),
        url=_nomination_url(nomination),
    )
    return nomination


def _add_years(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


def _award(nomination: Nomination, *, actor: User) -> Award:
    """Grant or renew the award, refresh the Expert labels and join the expert community."""
    now = timezone.now()
    domain = nomination.domain
    award = nomination.renewal_of
    if award is not None and award.state in VALID_AWARD_STATES:
        award = Award.objects.select_for_update().get(pk=award.pk)
        award.expires_at = _add_years(max(award.expires_at, now), domain.label_years)
        award.level, award.nomination = nomination.level, nomination
        award.save(update_fields=["expires_at", "level", "nomination", "updated_at"])
        if award.state == A.RENEWAL_DUE:
            _move(award, A.ACTIVE, actor=actor, reason=nomination.decision_reason)
        else:
            _audit(award, actor=actor, from_state=A.ACTIVE, to_state=A.ACTIVE, reason="renewed")
    else:
        award = Award.objects.create(
            user=nomination.candidate,
            domain=domain,
            nomination=nomination,
            level=nomination.level,
            state=A.ACTIVE,
            granted_at=now,
            expires_at=_add_years(now, domain.label_years),
        )
        _audit(
            award, actor=actor, from_state="", to_state=A.ACTIVE, reason=nomination.decision_reason
        )
    _labels_sync(award, actor=actor)
    if domain.community_id:
        _community_join(domain.community, nomination.candidate)
    return award


def _labels_sync(award: Award, *, actor: User | None) -> None:
    """Give or refresh the Expert label on each of the domain's skills, at the award's level and
    until its expiry, so "who knows?" keeps ranking the expert up."""
    for skill_id in award.domain.skills.values_list("pk", flat=True):
        label = (
            ExpertLabel.objects.filter(user=award.user, skill_id=skill_id, revoked_at__isnull=True)
            .exclude(expires_at__lte=timezone.now())
            .first()
        )
        if label is None:
            label = label_grant(actor=actor, user=award.user, skill_id=skill_id)
        label.level, label.award, label.expires_at = award.level, award, award.expires_at
        label.save(update_fields=["level", "award", "expires_at", "updated_at"])
    expert_levels_refresh(user_ids=[award.user_id])


def _community_join(community: Community, user: User) -> None:
    """Make the expert an active member of the domain's community (keeping any role they had)."""
    membership, created = Membership.objects.get_or_create(
        community=community, user=user, defaults={"status": Membership.Status.ACTIVE}
    )
    if not created and membership.status != Membership.Status.ACTIVE:
        membership.status = Membership.Status.ACTIVE
        membership.save(update_fields=["status", "updated_at"])
    user.__dict__.pop("_membership_cache", None)
    Community.objects.filter(pk=community.pk).update(
        member_count=Membership.objects.filter(
            community=community, status=Membership.Status.ACTIVE
        ).count()
    )


@transaction.atomic
def award_revoke(*, actor: User, award: Award, reason: Any) -> Award:
    """HR withdraws a label before its term; the Expert labels end now."""
    _require_hr(actor)
    reason = _text(reason, field="reason", required=True)
    award = Award.objects.select_for_update().get(pk=award.pk)
    _move(award, A.REVOKED, actor=actor, reason=reason)
    ExpertLabel.objects.filter(award=award, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    expert_levels_refresh(user_ids=[award.user_id])
    return award


@transaction.atomic
def awards_expire(*, now: datetime | None = None) -> tuple[int, int]:
    """The scheduled task: expire awards past their term, open the renewal campaign for those
    expiring within VIVIER_PROGRAMME_RENEWAL_DAYS. Returns (expired, renewals opened)."""
    now = now or timezone.now()
    expired = 0
    for award in Award.objects.select_for_update().filter(
        state__in=VALID_AWARD_STATES, expires_at__lte=now
    ):
        _move(award, A.EXPIRED, actor=None, reason="expiry")
        ExpertLabel.objects.filter(award=award, revoked_at__isnull=True).exclude(
            expires_at__lte=now
        ).update(expires_at=now)
        expired += 1
    # Labels also end by themselves (granted with an expiry outside the programme): the badge
    # shown next to names follows once a day.
    expert_levels_refresh(now=now)
    horizon = now + timedelta(days=settings.VIVIER_PROGRAMME_RENEWAL_DAYS)
    opened = 0
    for award in (
        Award.objects.select_for_update()
        .filter(state=A.ACTIVE, expires_at__lte=horizon)
        .select_related("user", "domain")
    ):
        _move(award, A.RENEWAL_DUE, actor=None, reason="renewal campaign")
        notify(
            recipient=award.user,
            type="programme_renewal",
            text=format_lazy(
                _("Your Expert label ({domain}) expires on {date}: apply for its renewal."),
                domain=award.domain.name,
                date=award.expires_at.date().isoformat(),
            ),
            url=reverse("programme:nominate") + f"?domain={award.domain_id}",
        )
        opened += 1
    return expired, opened


# Time budget


@transaction.atomic
def budget_set(*, actor: User, user: User, percent: Any) -> TimeBudget:
    """HR sets an expert's dedicated share (0 to 100 %)."""
    _require_hr(actor)
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ApplicationError("percent_invalid", _("A share is 0 to 100 %."), field="percent")
    budget, _created = TimeBudget.objects.update_or_create(user=user, defaults={"percent": percent})
    event_record(actor=actor, verb="update", obj=budget, target_user=user, percent=percent)
    return budget


@transaction.atomic
def time_log(*, actor: User, kind: Any, day: Any, hours: Any, note: Any = "") -> TimeEntry:
    """An expert logs time spent on the programme."""
    if not valid_awards().filter(user=actor).exists():
        raise PermissionDenied("not_expert", _("Only labelled experts log programme time."))
    if kind not in TimeEntry.Kind.values:
        raise ApplicationError("kind_invalid", _("Choose an activity."), field="kind")
    if not isinstance(day, date) or day > timezone.localdate() or day.year < 2000:
        raise ApplicationError("day_invalid", _("Choose a past or today's date."), field="day")
    try:
        hours = (
            Decimal(0) if isinstance(hours, bool) else Decimal(str(hours)).quantize(Decimal("0.01"))
        )
    except (InvalidOperation, ValueError):
        hours = Decimal(0)
    if not hours.is_finite() or not Decimal(0) < hours <= 24:
        raise ApplicationError("hours_invalid", _("Between 0 and 24 hours."), field="hours")
    entry = TimeEntry.objects.create(
        user=actor, kind=kind, day=day, hours=hours, note=_text(note, field="note", max_length=300)
    )
    event_record(actor=actor, verb="log", obj=entry, kind=kind, hours=str(hours))
    return entry


# Soft-skill paths


@transaction.atomic
def path_enrol(*, actor: User, path: SkillPath, mentor: User) -> PathEnrolment:
    """Follow a soft-skill path with a mentor (someone else) who validates the steps."""
    if mentor.pk == actor.pk or not mentor.is_active:
        raise ApplicationError(
            "mentor_invalid", _("Choose a mentor other than yourself."), field="mentor"
        )
    enrolment, created = PathEnrolment.objects.get_or_create(
        path=path, user=actor, defaults={"mentor": mentor}
    )
    if not created:
        raise Conflict("already_enrolled", _("You already follow this path."))
    event_record(actor=actor, verb="join", obj=enrolment, target_user=mentor)
    return enrolment


@transaction.atomic
def step_done(
    *, actor: User, enrolment: PathEnrolment, step: PathStep, note: Any = ""
) -> StepProgress:
    """The person marks a step done; their mentor is asked to validate it."""
    if enrolment.user_id != actor.pk:
        raise PermissionDenied("not_enrolled", _("Only the person following the path marks steps."))
    if step.path_id != enrolment.path_id:
        raise NotFound("step_not_found", _("This step does not exist."))
    progress, created = StepProgress.objects.get_or_create(
        enrolment=enrolment,
        step=step,
        defaults={"done_at": timezone.now(), "note": _text(note, field="note", max_length=500)},
    )
    if not created:
        raise Conflict("step_done", _("This step is already done."))
    event_record(actor=actor, verb="complete", obj=progress)
    notify(
        recipient=enrolment.mentor,
        type="programme_path",
        actor=actor,
        text=format_lazy(
            _("{name} finished the step “{step}”: validate it."),
            name=actor.get_full_name(),
            step=step.title,
        ),
        url=reverse("programme:paths"),
    )
    return progress


@transaction.atomic
def step_validate(*, actor: User, progress: StepProgress) -> StepProgress:
    """The mentor validates a step done."""
    if progress.enrolment.mentor_id != actor.pk:
        raise PermissionDenied("not_mentor", _("Only the mentor validates steps."))
    if progress.validated_at is not None:
        raise Conflict("step_validated", _("This step is already validated."))
    progress.validated_by, progress.validated_at = actor, timezone.now()
    progress.save(update_fields=["validated_by", "validated_at"])
    event_record(actor=actor, verb="validate", obj=progress, target_user=progress.enrolment.user)
    return progress


# Visibility


def _check_self_or_hr(actor: User, user: User) -> None:
    if actor.pk != user.pk and not is_hr_admin(actor):
        raise PermissionDenied("visibility_denied", _("Only the expert or HR may change this."))


@transaction.atomic
def seat_add(
    *, actor: User, user: User, body: Any, role: Any = "", since: date | None = None
) -> GovernanceSeat:
    """Show an expert's seat in a governance body on their profile."""
    _check_self_or_hr(actor, user)
    seat = GovernanceSeat.objects.create(
        user=user,
        body=_text(body, field="body", required=True, max_length=160),
        role=_text(role, field="role", max_length=120),
        since=since,
    )
    event_record(actor=actor, verb="add", obj=seat, target_user=user)
    return seat


@transaction.atomic
def project_add(*, actor: User, user: User, name: Any, role: Any = "") -> StrategicProject:
    """Show a strategic project an expert contributes to on their profile."""
    _check_self_or_hr(actor, user)
    project = StrategicProject.objects.create(
        user=user,
        name=_text(name, field="name", required=True, max_length=160),
        role=_text(role, field="role", max_length=120),
    )
    event_record(actor=actor, verb="add", obj=project, target_user=user)
    return project


# Events


@transaction.atomic
def event_create(
    *,
    actor: User,
    community: Community,
    kind: Any,
    title: Any,
    starts_at: Any,
    ends_at: Any,
    capacity: Any,
    description: Any = "",
    place: Any = "",
) -> Event:
    """Announce a meetup, talk or conference in a community (its animators, or HR)."""
    if not can_see_community(user=actor, community=community):
        raise NotFound("community_not_found", _("This community does not exist."))
    if not (is_animator(user=actor, community=community) or is_hr_admin(actor)):
        raise PermissionDenied(
            "event_denied", _("Only the community's animators or HR announce events.")
        )
    if kind not in Event.Kind.values:
        raise ApplicationError("kind_invalid", _("Choose a kind of event."), field="kind")
    # A time without offset is read in the current time zone, as the page's form does.
    # Years are bounded: time-zone conversions of year 1 or 9999 overflow.
    moments = [
        m for m in (starts_at, ends_at) if isinstance(m, datetime) and 2000 <= m.year <= 2100
    ]
    if len(moments) != 2:
        raise ApplicationError(
            "dates_invalid", _("The event ends after it starts."), field="ends_at"
        )
    starts_at, ends_at = (timezone.make_aware(m) if timezone.is_naive(m) else m for m in moments)
    if ends_at <= starts_at:
        raise ApplicationError(
            "dates_invalid", _("The event ends after it starts."), field="ends_at"
        )
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 1 <= capacity <= 10_000:
        raise ApplicationError("capacity_invalid", _("Capacity is 1 to 10,000."), field="capacity")
    event = Event.objects.create(
        community=community,
        kind=kind,
        title=_text(title, field="title", required=True, max_length=200),
        description=_text(description, field="description", max_length=4000),
        place=_text(place, field="place", max_length=200),
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        created_by=actor,
    )
    event_record(actor=actor, verb="create", obj=event)
    return event


@transaction.atomic
def event_register(*, actor: User, event: Event) -> Registration:
    """Register for an event that has not ended and still has room."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.ends_at <= timezone.now():
        raise Conflict("event_past", _("This event is over."))
    if Registration.objects.filter(event=event, user=actor).exists():
        raise Conflict("already_registered", _("You are already registered."))
    if Registration.objects.filter(event=event).count() >= event.capacity:
        raise Conflict("event_full", _("This event is full."))
    registration = Registration.objects.create(event=event, user=actor)
    event_record(actor=actor, verb="register", obj=event)
    return registration


@transaction.atomic
def event_unregister(*, actor: User, event: Event) -> None:
    """Cancel one's registration."""
    deleted, _count = Registration.objects.filter(event=event, user=actor).delete()
    if not deleted:
        raise Conflict("not_registered", _("You are not registered."))
    event_record(actor=actor, verb="unregister", obj=event)
