"""'Export my data': a zip of JSON files holding one person's own data and nobody else's.

Every relation from any model to the user is listed here, either in a section (what is
exported, field by field) or in EXCLUDED (why not); a test fails when a new relation is in
neither, so a new feature has to decide what its export holds.

Rules (docs/privacy.md): other people are never named or identified — not by name, e-mail or
id. Where a row links me to someone else (an endorsement, a mentorship, a follow), the export
keeps what concerns me (the skill, the dates, the status) and drops the other person; where
only the other person's content mentions me (a comment on my post, a mention), the export
gives a count. Anonymous survey answers cannot be linked to anyone, so they are not exported.
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from vivier.accounts.roles import role_names


@dataclass(frozen=True)
class Section:
    """One JSON file: rows of `model` where `owner` is the person, with these fields."""

    name: str
    model: str
    owner: str
    fields: tuple[str, ...] = ()
    count_only: bool = False
    # (model label, user field) pairs of other relations this section also accounts for.
    also_covers: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # Rewrites each row for `user` (e.g. to drop another person's id).
    clean: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None

    def rows(self, user: Any) -> Any:
        """The section's content for `user`."""
        model = apps.get_model(self.model)
        queryset: QuerySet = model._default_manager.filter(**{self.owner: user}).order_by("pk")
        if self.count_only:
            return {"count": queryset.count()}
        rows = list(queryset.values(*self.fields))
        if self.clean is not None:
            rows = [self.clean(row, user) for row in rows]
        return rows


# Objects that are people: an event about one of them keeps its type, never its id.
PERSON_TYPES = {"accounts.user", "people.profile"}


def _drop_person_ids(row: dict[str, Any], user: Any) -> dict[str, Any]:
    if row.get("object_type") in PERSON_TYPES and row.get("object_id") != user.pk:
        row["object_id"] = None
    return row


SECTIONS: list[Section] = [
    # people
    Section(
        "people/profile",
        "people.profile",
        "user",
        (
            "title",
            "org_unit__name",
            "job_role__title_fr",
            "location__name",
            "languages",
            "phone",
            "bio",
            "interests",
            "availability_percent",
            "availability_status",
            "availability_note",
            "photo",
            "expert_level",
            "created_at",
            "updated_at",
        ),
    ),
    Section("people/direct_reports", "people.profile", "manager", count_only=True),
    Section("people/units_i_manage", "people.orgunit", "manager", ("name", "code")),
    Section("people/skills", "people.profileskill", "user", ("skill__slug", "level", "created_at")),
    Section(
        "people/endorsements_given", "people.endorsement", "endorser", ("skill__slug", "created_at")
    ),
    Section(
        "people/endorsements_received",
        "people.endorsement",
        "endorsee",
        ("skill__slug", "created_at"),
    ),
    # social
    Section(
        "social/posts",
        "social.post",
        "author",
        (
            "id",
            "kind",
            "title",
            "body",
            "language",
            "community__slug",
            "created_at",
            "edited_at",
            "deleted_at",
            "comment_count",
            "reaction_count",
        ),
        also_covers=(("social.postrevision", "edited_by"),),
    ),
    Section("social/posts_mentioning_me", "social.post", "mentions", count_only=True),
    Section(
        "social/comments",
        "social.comment",
        "author",
        ("id", "post_id", "body", "created_at", "edited_at", "deleted_at"),
    ),
    Section("social/comments_mentioning_me", "social.comment", "mentions", count_only=True),
    Section("social/reactions", "social.reaction", "user", ("post_id", "kind", "created_at")),
    Section(
        "social/follows",
        "social.follow",
        "follower",
        ("tag__name", "community__slug", "created_at"),
    ),
    Section("social/followers", "social.follow", "user", count_only=True),
    Section(
        "social/memberships",
        "social.membership",
        "user",
        ("community__name", "community__slug", "role", "status", "created_at"),
    ),
    Section(
        "social/communities_created",
        "social.community",
        "created_by",
        ("name", "slug", "created_at"),
    ),
    Section(
        "social/notifications",
        "social.notification",
        "recipient",
        ("type", "created_at", "read_at"),
    ),
    Section(
        "social/notification_settings",
        "social.notificationsettings",
        "user",
        ("digest", "muted_types"),
    ),
    Section("social/daily_views", "social.dailyview", "user", ("object_type", "day")),
    # expertise
    Section(
        "expertise/answers",
        "expertise.answer",
        "author",
        (
            "id",
            "question_id",
            "body",
            "score",
            "accepted_at",
            "created_at",
            "edited_at",
            "deleted_at",
        ),
    ),
    Section(
        "expertise/answer_votes",
        "expertise.answervote",
        "user",
        ("answer_id", "value", "created_at"),
    ),
    Section(
        "expertise/expert_labels",
        "expertise.expertlabel",
        "user",
        ("skill__slug", "level", "granted_at", "expires_at", "revoked_at"),
    ),
    Section(
        "expertise/questions_routed_to_me",
        "expertise.questionrouting",
        "expert",
        ("question_id", "routed_at", "answered_at"),
    ),
    Section(
        "expertise/inferred_skills",
        "expertise.inferredskill",
        "user",
        ("skill__slug", "score", "evidence_count", "status"),
    ),
    # voice: only what is linked to me by design; survey answers are anonymous and never here
    Section(
        "voice/survey_participations",
        "voice.participation",
        "user",
        ("wave__survey__title", "wave__number"),
    ),
    Section(
        "voice/survey_reminders", "voice.surveyreminder", "user", ("wave__survey__title", "sent_on")
    ),
    Section(
        "voice/surveys_created", "voice.survey", "created_by", ("title", "status", "created_at")
    ),
    Section(
        "voice/ideas",
        "voice.idea",
        "author",
        ("id", "title", "description", "tags", "status", "status_reason", "created_at"),
    ),
    Section("voice/ideas_i_own", "voice.idea", "owner", ("id", "title", "status")),
    Section("voice/idea_votes", "voice.ideavote", "user", ("idea_id", "created_at")),
    Section(
        "voice/idea_comments", "voice.ideacomment", "author", ("idea_id", "body", "created_at")
    ),
    Section(
        "voice/commitments_i_own",
        "voice.commitment",
        "owner",
        ("id", "title", "status", "progress", "due_on"),
    ),
    Section(
        "voice/commitment_updates",
        "voice.commitmentupdate",
        "author",
        ("commitment_id", "text", "progress", "status", "created_at"),
    ),
    # mentoring
    Section(
        "mentoring/mentor_offer",
        "mentoring.mentoroffer",
        "user",
        ("capacity", "formats", "languages", "reverse", "active", "note"),
    ),
    Section(
        "mentoring/mentee_request",
        "mentoring.menteerequest",
        "user",
        ("formats", "languages", "reverse", "prefer_other_department", "active", "note"),
    ),
    Section(
        "mentoring/programmes_created",
        "mentoring.programme",
        "created_by",
        ("name", "status", "created_at"),
    ),
    Section(
        "mentoring/participations", "mentoring.participant", "user", ("programme__name", "role")
    ),
    Section(
        "mentoring/as_mentee",
        "mentoring.mentorship",
        "mentee",
        ("id", "status", "reverse", "message", "goals", "started_at", "ended_at"),
    ),
    Section(
        "mentoring/as_mentor",
        "mentoring.mentorship",
        "mentor",
        ("id", "status", "reverse", "started_at", "ended_at"),
    ),
    Section(
        "mentoring/sessions",
        "mentoring.session",
        "author",
        ("mentorship_id", "held_on", "duration_minutes", "summary"),
    ),
    Section("mentoring/notes", "mentoring.note", "author", ("mentorship_id", "body", "created_at")),
    Section(
        "mentoring/feedback",
        "mentoring.feedback",
        "author",
        ("mentorship_id", "rating", "comment", "created_at"),
    ),
    # opportunities
    Section(
        "opportunities/published",
        "opportunities.opportunity",
        "owner",
        ("id", "kind", "title", "status", "created_at"),
    ),
    Section(
        "opportunities/mobility",
        "opportunities.mobilitypreference",
        "user",
        ("open_to_move", "suggestible"),
    ),
    Section(
        "opportunities/applications",
        "opportunities.application",
        "applicant",
        (
            "opportunity__title",
            "message",
            "status",
            "decision_reason",
            "decided_at",
            "staffed_percent",
            "staffed_at",
            "released_at",
            "created_at",
        ),
    ),
    Section(
        "opportunities/applications_decided",
        "opportunities.application",
        "decided_by",
        count_only=True,
        also_covers=(("opportunities.application", "manager_decided_by"),),
    ),
    # programme
    Section(
        "programme/nominations_about_me",
        "programme.nomination",
        "candidate",
        (
            "domain__name",
            "kind",
            "level",
            "motivation",
            "state",
            "manager_opinion",
            "decision_reason",
            "decided_at",
            "created_at",
        ),
    ),
    Section("programme/nominations_made", "programme.nomination", "nominated_by", count_only=True),
    Section(
        "programme/reviews",
        "programme.review",
        "reviewer",
        ("nomination__domain__name", "comment", "created_at"),
    ),
    Section(
        "programme/awards",
        "programme.award",
        "user",
        ("domain__name", "level", "state", "granted_at", "expires_at"),
    ),
    Section("programme/committees", "programme.domain", "committee", ("name",)),
    Section("programme/time_budget", "programme.timebudget", "user", ("percent",)),
    Section(
        "programme/time_entries", "programme.timeentry", "user", ("kind", "day", "hours", "note")
    ),
    Section("programme/paths", "programme.pathenrolment", "user", ("path__name", "created_at")),
    Section("programme/paths_mentored", "programme.pathenrolment", "mentor", count_only=True),
    Section(
        "programme/governance_seats", "programme.governanceseat", "user", ("body", "role", "since")
    ),
    Section("programme/strategic_projects", "programme.strategicproject", "user", ("name", "role")),
    Section("programme/events_created", "programme.event", "created_by", ("title", "starts_at")),
    Section(
        "programme/event_registrations",
        "programme.registration",
        "user",
        ("event__title", "event__starts_at", "created_at"),
    ),
    # accounts, activity, audit
    Section(
        "accounts/api_tokens",
        "accounts.apitoken",
        "user",
        ("name", "created_at", "last_used_at", "revoked_at"),
    ),
    Section(
        "activity/my_events",
        "core.activityevent",
        "actor",
        ("verb", "object_type", "object_id", "occurred_at"),
        clean=_drop_person_ids,
    ),
    Section(
        "activity/events_about_me",
        "core.activityevent",
        "target_user",
        ("verb", "object_type", "occurred_at"),
    ),
    Section(
        "audit/as_actor",
        "audit.auditevent",
        "actor",
        ("action", "target_type", "actor_ip", "occurred_at"),
    ),
    Section(
        "audit/about_me",
        "audit.auditevent",
        "target_user",
        ("action", "target_type", "occurred_at"),
    ),
    # integration
    Section(
        "integration/sso_links",
        "integration.oidclink",
        "user",
        ("issuer", "subject", "last_login_at"),
    ),
    Section(
        "integration/scim_identity",
        "integration.scimidentity",
        "user",
        ("user_name", "external_id", "email_type", "email_primary"),
    ),
    # journey: my stages, tips, settings and what playbooks did with me; people named by
    # invitations, kudos and check-in tasks stay out (counts only, or the other side's fields)
    Section("journey/stages", "journey.journeysnapshot", "user", ("date", "stage")),
    Section(
        "journey/preferences", "journey.journeypreference", "user", ("opted_out", "updated_at")
    ),
    Section(
        "journey/ambassador", "journey.ambassador", "user", ("status", "invited_at", "answered_at")
    ),
    Section(
        "journey/tips",
        "journey.journeytip",
        "user",
        ("subject", "text", "created_at", "dismissed_at"),
    ),
    Section(
        "journey/playbook_groups",
        "journey.playbookassignment",
        "user",
        ("playbook__stage", "group", "assigned_at"),
    ),
    Section("journey/playbook_runs", "journey.playbookrun", "user", ("date", "group", "outcome")),
    Section(
        "journey/check_ins_about_me", "journey.journeytask", "person", ("created_at", "done_at")
    ),
    Section("journey/check_ins_assigned_to_me", "journey.journeytask", "assignee", count_only=True),
    Section("journey/invitations_sent", "journey.invitation", "inviter", ("kind", "created_at")),
    Section("journey/invitations_received", "journey.invitation", "invitee", count_only=True),
    Section("journey/kudos_sent", "journey.kudos", "sender", ("created_at",)),
    Section("journey/kudos_received", "journey.kudos", "recipient", ("message", "created_at")),
    # vision
    Section(
        "vision/objectives_i_own",
        "vision.objective",
        "owner",
        ("title_fr", "title_en", "period_start", "period_end", "status"),
    ),
    Section(
        "vision/links_i_made",
        "vision.objectivelink",
        "created_by",
        ("objective__title_fr", "created_at"),
    ),
    Section("vision/vision_statements_i_edited", "vision.vision", "updated_by", count_only=True),
]

# Relations to a person that the export leaves out, and why (docs/privacy.md).
EXCLUDED: dict[tuple[str, str], str] = {
    ("integration.scimtoken", "created_by"): "IT tooling; its creation is in the audit log",
    ("oidc_provider.client", "owner"): "test-only OpenID provider (settings_test), not installed",
    ("oidc_provider.code", "user"): "test-only OpenID provider (settings_test), not installed",
    ("oidc_provider.token", "user"): "test-only OpenID provider (settings_test), not installed",
    (
        "oidc_provider.userconsent",
        "user",
    ): "test-only OpenID provider (settings_test), not installed",
    ("people.profile", "manager"): "covered by people/direct_reports (a count)",
    ("expertise.answercount", "user"): (
        "a count derived from my answers, kept by triggers for the ranking; the answers are "
        "exported"
    ),
    ("social.post", "deleted_by"): "moderation of other people's posts",
    ("social.notification", "actor"): "notifications sent to other people",
    ("programme.nomination", "manager"): "the manager's opinion on someone else's nomination",
    ("programme.nomination", "decided_by"): "HR decisions about other people",
    ("programme.transition", "actor"): "workflow steps of other people's nominations",
    ("programme.stepprogress", "validated_by"): "validations of other people's steps",
    ("privacy.legalhold", "user"): "a legal hold may concern an investigation; HR answers",
    ("privacy.legalhold", "set_by"): "legal holds on other people",
    ("privacy.erasure", "user"): "an erased account cannot sign in to export",
    ("privacy.erasure", "erased_by"): "erasures of other people",
    ("expertise.expertlabel", "granted_by"): "labels granted to other people",
    ("admin.logentry", "user"): "Django admin's technical log; the audit log is exported",
}

README = """Vivier — export of your personal data
========================================

Generated on {date} for account #{user_id}.

Each JSON file holds one kind of data, only yours:
{files}

What is NOT in this export, and why:
- Other people's personal data. When a row links you to someone else, we kept what
  concerns you and removed the other person: endorsements show the skill and the date,
  not who endorsed you or whom you endorsed; mentorships show their status and dates,
  not the other person; follows of people and your followers are counts. Comments,
  answers and mentions written by others about you or on your content are counted,
  not copied (files *_mentioning_me, followers, direct_reports).
- Your answers to surveys. They are anonymous by design: they are stored without any
  link to you, so nobody — you included — can find them again. The export lists only
  the survey waves you took part in (voice/survey_participations).
- Your password (stored as a one-way hash) and your API token secrets (only their
  digest is stored; names and dates are in accounts/api_tokens).
- Legal holds, if any: ask the HR department.

What you wrote yourself (posts, comments, answers, ideas, notes) is exported as you
wrote it, including any name you typed in it.
"""


def _account(user: Any) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": user.language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "roles": role_names(user),
    }


def export_data(user: Any) -> dict[str, Any]:
    """Every section of `user`'s export, as JSON-ready data keyed by file name."""
    data: dict[str, Any] = {"accounts/account": _account(user)}
    for section in SECTIONS:
        data[section.name] = section.rows(user)
    return data


def export_zip(user: Any) -> bytes:
    """The export as a zip: README.txt, one JSON file per section and the profile photo."""
    data = export_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        names = [f"{name}.json" for name in data]
        archive.writestr(
            "README.txt",
            README.format(
                date=timezone.now().isoformat(timespec="seconds"),
                user_id=user.pk,
                files="\n".join(f"- {n}" for n in names),
            ),
        )
        for name, content in data.items():
            archive.writestr(
                f"{name}.json",
                json.dumps(content, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            )
        photo = getattr(getattr(user, "profile", None), "photo", None)
        if photo:
            try:
                with photo.open("rb") as handle:
                    archive.writestr(f"people/{photo.name.rsplit('/', 1)[-1]}", handle.read())
            except OSError:
                pass  # A missing file is not worth failing the whole export.
    return buffer.getvalue()


def user_relations() -> set[tuple[str, str]]:
    """Every (model label, field) pair that links a model to a person."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    pairs = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if (
                f.is_relation
                and f.related_model is user_model
                and (f.concrete or f.many_to_many)
                and not f.auto_created
            ):
                pairs.add((model._meta.label_lower, f.name))
    return pairs


def covered_relations() -> set[tuple[str, str]]:
    """The relations the export accounts for, in a section or in EXCLUDED."""
    covered = set(EXCLUDED)
    for section in SECTIONS:
        covered.add((section.model, section.owner))
        covered.update(section.also_covers)
    return covered
