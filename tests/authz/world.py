"""One object of every kind, and one person per role, for the authorization matrix.

Olga owns (or authored, or is the subject of) every object; Mia is a plain member of Olga's
closed and secret communities; Marc manages Olga's unit; Emil is an employee with no link to
anything; Hugo is an HR administrator, Ivy an IT administrator; Dora was deactivated.
"""

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from vivier.accounts.models import Role, User
from vivier.accounts.services import api_token_create, user_deactivate, user_set_roles
from vivier.expertise.services import answer_create
from vivier.integration.scim.tokens import scim_token_create
from vivier.journey.defaults import defaults_ensure
from vivier.journey.models import JourneyTask, JourneyTip, Playbook, PlaybookRun
from vivier.journey.services import unsubscribe_token
from vivier.mentoring.models import MentorOffer, Mentorship
from vivier.mentoring.models import Programme as MentoringProgramme
from vivier.opportunities.models import Application, Opportunity
from vivier.people.models import OrgUnit, Skill, SkillAlias
from vivier.people.services import org_unit_save, person_create, skill_declare
from vivier.programme.models import (
    Award,
    Domain,
    Event,
    Evidence,
    Nomination,
    PathEnrolment,
    PathStep,
    SkillPath,
    StepProgress,
)
from vivier.social.models import Attachment, Membership, Tag
from vivier.social.services import comment_create, community_create, post_create
from vivier.vision.models import Axis, Indicator, Objective
from vivier.vision.services import link_create as vision_link_create
from vivier.voice import services as voice
from vivier.voice.models import Commitment, Idea

ROLES = ("anon", "emp", "owner", "member", "manager", "hr", "it", "off")


@dataclass
class World:
    """The people (by role) and the ids that fill every URL parameter."""

    people: dict[str, User]
    ids: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    cookies: dict[str, Any] = field(default_factory=dict)


def _skill() -> Skill:
    skill = Skill.objects.create(slug="python", label_fr="Python", label_en="Python")
    SkillAlias.objects.create(skill=skill, text="Python", normalized="python", is_label=True)
    return skill


def build_world() -> World:
    """Create the people, their clients and tokens, and one object of every kind."""
    unit = org_unit_save(actor=None, unit=OrgUnit(code="DATA", name="Données"))
    people = {
        key: person_create(
            email=f"{key}@authz.test",
            first_name=key.title(),
            last_name="Matrix",
            password="pw",
            org_unit=unit,
        )
        for key in ("emp", "owner", "member", "manager", "hr", "it", "off")
    }
    unit.manager = people["manager"]
    unit.save(update_fields=["manager"])
    owner_profile = people["owner"].profile
    owner_profile.manager = people["manager"]
    owner_profile.save(update_fields=["manager"])
    user_set_roles(user=people["hr"], roles=[Role.HR_ADMIN])
    user_set_roles(user=people["it"], roles=[Role.IT_ADMIN])
    olga, mia, hugo = people["owner"], people["member"], people["hr"]
    skill = _skill()
    skill_declare(actor=olga, person=olga, skill_id=skill.pk, level=3)
    ids: dict[str, Any] = {"person": olga.pk, "skill": skill.pk, "skill_slug": skill.slug}
    ids["unit"] = unit.pk

    # Social: a personal post, and posts in a closed and a secret community.
    communities = {"open": None}
    for visibility in ("open", "closed", "secret"):
        community = community_create(
            actor=olga, name=f"Communauté {visibility}", visibility=visibility
        )
        Membership.objects.create(community=community, user=mia, role="member", status="active")
        communities[visibility] = community
    posts = {
        "public": post_create(actor=olga, body="Bonjour #data"),
        "closed": post_create(actor=olga, body="Entre nous", community=communities["closed"]),
        "secret": post_create(actor=olga, body="Très discret", community=communities["secret"]),
    }
    comments = {
        k: comment_create(actor=olga, post=p, body="Mon commentaire") for k, p in posts.items()
    }
    ids["post"] = {k: p.pk for k, p in posts.items()}
    ids["comment"] = {k: c.pk for k, c in comments.items()}
    ids["community"] = {k: communities[k].slug for k in ("open", "closed", "secret")}
    ids["community_id"] = {k: communities[k].pk for k in ("open", "closed", "secret")}
    attachment = Attachment.objects.create(
        post=posts["secret"],
        kind="pdf",
        file=ContentFile(b"%PDF-1.4\n", name="note.pdf"),
        original_name="note.pdf",
        size=9,
    )
    ids["attachment"] = attachment.pk
    ids["tag"] = Tag.objects.get(normalized="data").name
    # Q&A: Olga asks in the open and in the secret community; Mia answers the secret one.
    questions = {
        "public": post_create(
            actor=olga, body="Comment faire ?", kind="question", title="Question ?"
        ),
        "secret": post_create(
            actor=olga,
            body="Et ici ?",
            kind="question",
            title="Secrète ?",
            community=communities["secret"],
        ),
    }
    ids["question"] = {k: q.pk for k, q in questions.items()}
    ids["answer"] = {
        "public": answer_create(actor=olga, question=questions["public"], body="Ma réponse").pk,
        "secret": answer_create(actor=mia, question=questions["secret"], body="Réponse de Mia").pk,
    }

    # Voice: a launched survey, Olga's idea, a commitment Olga owns.
    survey = voice.survey_create(
        actor=hugo, title="Baromètre", min_group_size=3, audience=[unit.pk]
    )
    voice.question_add(actor=hugo, survey=survey, kind="likert", text_fr="Ça va ?")
    voice.survey_launch(actor=hugo, survey=survey)
    ids["survey"] = survey.pk
    ids["idea"] = Idea.objects.create(title="Potager", description="Sur le toit", author=olga).pk
    ids["commitment"] = Commitment.objects.create(title="Télétravail", owner=olga).pk

    # Mentoring: Olga offers mentoring and is Mia's mentor; an HR programme.
    MentorOffer.objects.create(user=olga, capacity=2)
    ids["mentor"] = olga.pk
    ids["mentorship"] = Mentorship.objects.create(
        mentor=olga, mentee=mia, status="active", started_at=timezone.now()
    ).pk
    ids["mentoring_programme"] = MentoringProgramme.objects.create(
        name="Promo 2026", created_by=hugo
    ).pk

    # Opportunities: Olga's open project, Mia applied.
    opportunity = Opportunity.objects.create(
        kind="project",
        title="Plateforme",
        description="Projet",
        time_share_percent=20,
        start_date=date.today(),
        owner=olga,
        status="open",
        published_at=timezone.now(),
    )
    ids["opportunity"] = opportunity.pk
    ids["application"] = Application.objects.create(
        opportunity=opportunity, applicant=mia, message="Je postule", status="submitted"
    ).pk

    # Expert programme: a domain, Olga's nomination (Marc her manager), an award, a path.
    domain = Domain.objects.create(name="Data", slug="data")
    domain.skills.add(skill)
    ids["domain"] = domain.pk
    nomination = Nomination.objects.create(
        domain=domain,
        candidate=olga,
        nominated_by=olga,
        kind="self",
        motivation="Motivée",
        state="manager_review",
        manager=people["manager"],
    )
    ids["nomination"] = nomination.pk
    ids["evidence"] = Evidence.objects.create(nomination=nomination, kind="other", title="Talk").pk
    now = timezone.now()
    ids["award"] = Award.objects.create(
        user=olga,
        domain=domain,
        level="expert",
        state="active",
        granted_at=now,
        expires_at=now + timedelta(days=700),
    ).pk
    path = SkillPath.objects.create(name="Transmettre", axis="transmission")
    step = PathStep.objects.create(path=path, title="Animer un atelier")
    enrolment = PathEnrolment.objects.create(path=path, user=olga, mentor=people["manager"])
    ids["path"], ids["step"], ids["enrolment"] = path.pk, step.pk, enrolment.pk
    ids["progress"] = StepProgress.objects.create(enrolment=enrolment, step=step, done_at=now).pk
    ids["event"] = Event.objects.create(
        community=communities["open"],
        kind="meetup",
        title="Meetup",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=2),
        created_by=olga,
    ).pk

    # Vision: an axis, an objective owned by Olga with an indicator, and her public post linked.
    axis = Axis.objects.create(title_fr="Clients")
    objective = Objective.objects.create(
        axis=axis,
        title_fr="Satisfaction",
        owner=olga,
        period_start=now.date(),
        period_end=(now + timedelta(days=365)).date(),
    )
    ids["axis"], ids["objective"] = axis.pk, objective.pk
    ids["indicator"] = Indicator.objects.create(
        objective=objective, name_fr="NPS", target_value=50
    ).pk
    ids["link"] = vision_link_create(
        actor=olga, objective_id=objective.pk, kind="post", object_id=ids["post"]["public"]
    ).pk

    # Journey: a tip for Olga and a "check in" task about her for her manager.
    defaults_ensure()  # the data migration's playbooks: a transactional test may have flushed them
    playbook = Playbook.objects.order_by("pk").first()
    action = playbook.actions.order_by("pk").first()
    run = PlaybookRun.objects.create(
        playbook=playbook, user=olga, date=now.date(), group="treated", outcome="sent"
    )
    ids["journey_tip"] = JourneyTip.objects.create(
        user=olga, run=run, action=action, subject="Astuce"
    ).pk
    ids["journey_task"] = JourneyTask.objects.create(
        assignee=people["manager"],
        person=olga,
        run=run,
        action=action,
        subject="Prendre des nouvelles",
    ).pk
    ids["journey_token"] = unsubscribe_token(olga)

    # Integration: a SCIM token created by the IT administrator.
    ids["scim_token"] = scim_token_create(actor=people["it"], name="IdP")[0].pk

    # Tokens (before deactivation: Dora's is revoked with her access), and clients.
    world = World(people=people, ids=ids)
    for role, person in people.items():
        _token, secret = api_token_create(user=person, name="authz")
        world.tokens[role] = secret
        if role == "owner":
            world.ids["token_owner"] = _token.pk
        client = Client()
        client.force_login(person)
        world.clients[role] = client
    user_deactivate(user=people["off"], actor=hugo)
    world.clients["anon"] = Client()
    for role, client in world.clients.items():
        world.cookies[role] = copy.deepcopy(client.cookies)
    # Dora's session was ended by the deactivation; her client still sends its cookie.
    return world
