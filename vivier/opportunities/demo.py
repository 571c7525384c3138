"""Opportunities of the demo company: every kind open, preferences, applications at every stage."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError
from vivier.opportunities.models import Application, Opportunity
from vivier.opportunities.services import (
    SkillNeed,
    application_create,
    application_transition,
    mobility_update,
    opportunity_save,
    opportunity_transition,
)
from vivier.people.demo import ADMIN_EMAIL
from vivier.people.models import JobRole, Location, OrgUnit, Profile, ProfileSkill, Skill

# kind, strategic, title, description, time share (%), duration (days)
OFFERS = [
    (
        "project",
        True,
        "Plateforme data groupe : {skill}",
        "Nous construisons la plateforme de données du groupe. Rejoignez l'équipe cœur pour le volet **{skill}** : architecture, mise en production et accompagnement des métiers.",
        40,
        270,
    ),
    (
        "project",
        True,
        "Programme de transformation {unit}",
        "Le programme de transformation de {unit} cherche des renforts. Vous piloterez un chantier et travaillerez avec la direction.",
        30,
        365,
    ),
    (
        "project",
        False,
        "Refonte de l'outil interne de {unit}",
        "L'outil de {unit} date de dix ans. Aidez-nous à le refondre avec les utilisateurs : ateliers, maquettes, recette.",
        20,
        120,
    ),
    (
        "project",
        False,
        "Migration vers le cloud : lot {skill}",
        "Lot de migration vers le cloud. Nous cherchons une personne à l'aise avec {skill} pour sécuriser la bascule.",
        30,
        180,
    ),
    (
        "gig",
        False,
        "Animer un atelier {skill}",
        "Deux demi-journées pour animer un atelier {skill} auprès d'une vingtaine de collègues. Support fourni.",
        5,
        14,
    ),
    (
        "gig",
        False,
        "Relecture d'un dossier d'appel d'offres",
        "Un regard neuf sur notre réponse à un appel d'offres : une semaine, à distance, sur {skill}.",
        10,
        10,
    ),
    (
        "gig",
        False,
        "Mission courte : audit {skill}",
        "Un audit de trois semaines sur {skill} pour {unit}. Rapport et restitution au comité.",
        20,
        21,
    ),
    (
        "job",
        False,
        "Poste ouvert : {role}",
        "{unit} recrute en interne un ou une {role}. Poste à pourvoir, avec un accompagnement à la prise de poste.",
        100,
        0,
    ),
    (
        "job",
        False,
        "Mobilité interne : {role} à {site}",
        "Rejoignez l'équipe de {site} comme {role}. Nous privilégions une candidature interne.",
        100,
        0,
    ),
    (
        "shadowing",
        False,
        "Vis ma vie : une journée avec {unit}",
        "Passez une journée avec l'équipe {unit} : rituels, outils, clients. Idéal pour découvrir un autre métier.",
        5,
        1,
    ),
    (
        "shadowing",
        False,
        "Vis ma vie : {role} d'un jour",
        "Accompagnez un ou une {role} pendant une journée et découvrez son quotidien.",
        5,
        1,
    ),
]
MESSAGES = [
    "Bonjour, ce projet correspond à ce que je souhaite développer. Disponible dès le mois prochain.",
    "J'ai pratiqué ces compétences sur mes deux derniers projets et j'aimerais aller plus loin.",
    "Je suis curieuse de découvrir ce métier, mon manager est d'accord sur le principe.",
    "Bonjour ! Je pense pouvoir apporter mon expérience terrain à l'équipe.",
    "Très intéressé : j'ai suivi la formation interne et je cherche une mise en pratique.",
]
DECLINE_REASONS = [
    "Nous avons retenu un profil plus expérimenté sur ce sujet, merci pour votre candidature.",
    "Le calendrier ne correspond pas à vos disponibilités actuelles.",
]


class OpportunitiesDemoBuilder:
    """Build opportunities of every kind, mobility preferences and applications, for a seed."""

    def __init__(self, *, seed: int, opportunities: int) -> None:
        self.rng = random.Random(seed + 6)
        self.wanted = max(opportunities, len(OFFERS))

    def build(self) -> dict[str, int]:
        """Create the marketplace in one transaction (one commit, not hundreds); return counts."""
        with transaction.atomic():
            return self._build()

    def _build(self) -> dict[str, int]:
        people = list(
            User.objects.filter(is_active=True, profile__isnull=False)
            .exclude(email=ADMIN_EMAIL)
            .order_by("pk")
        )
        if len(people) < 6:
            return {"opportunities": 0, "preferences": 0, "applications": 0}
        skills = list(
            Skill.objects.annotate(n=Count("holders")).filter(n__gte=2).order_by("-n", "pk")[:40]
        )
        roles = list(JobRole.objects.order_by("pk"))
        locations = list(Location.objects.order_by("pk"))
        units = list(OrgUnit.objects.filter(depth__gte=1).order_by("pk")) or list(
            OrgUnit.objects.order_by("pk")
        )
        owners = (
            list(
                User.objects.filter(managed_units__isnull=False, is_active=True)
                .distinct()
                .order_by("pk")
            )
            or people[:5]
        )
        preferences = self._preferences(people, skills, roles, locations)
        opportunities = [
            self._opportunity(i, owners, skills, roles, locations, units)
            for i in range(self.wanted)
        ]
        applications = self._applications(opportunities, people)
        self._fill_some(opportunities)
        return {
            "opportunities": len(opportunities),
            "preferences": preferences,
            "applications": applications,
        }

    def _preferences(self, people, skills, roles, locations) -> int:
        count = 0
        for person in people:
            if self.rng.random() > 0.45:
                continue
            mobility_update(
                actor=person,
                open_to_move=self.rng.random() < 0.5,
                suggestible=self.rng.random() < 0.8,
                desired_roles=self.rng.sample(roles, k=min(len(roles), self.rng.randint(0, 2))),
                locations=self.rng.sample(locations, k=min(len(locations), self.rng.randint(0, 2))),
                interests=self.rng.sample(skills, k=min(len(skills), self.rng.randint(1, 3))),
            )
            count += 1
        return count

    def _opportunity(self, index, owners, skills, roles, locations, units) -> Opportunity:
        rng = self.rng
        kind, strategic, title, description, share, days = OFFERS[index % len(OFFERS)]
        owner = rng.choice(owners)
        owner_unit = Profile.objects.filter(user=owner).values_list("org_unit", flat=True).first()
        unit = OrgUnit.objects.filter(pk=owner_unit).first() or rng.choice(units)
        role = rng.choice(roles) if roles else None
        site = rng.choice(locations) if locations else None
        needed = rng.sample(skills, k=min(len(skills), rng.randint(1, 4)))
        words = {
            "skill": needed[0].label_fr if needed else "data",
            "unit": unit.name,
            "role": role.title_fr if role else "chef de projet",
            "site": site.name if site else "Paris",
        }
        start = date.today() + timedelta(days=rng.randint(7, 90))
        restricted = rng.random() < 0.15
        opportunity = opportunity_save(
            actor=owner,
            kind=kind,
            title=title.format(**words)[:200],
            description=description.format(**words),
            time_share_percent=share,
            start_date=start,
            end_date=start + timedelta(days=days) if days else None,
            strategic=strategic,
            location=site,
            remote=kind != "shadowing" and rng.random() < 0.5,
            team=unit,
            job_role=role if kind in {"job", "shadowing"} else None,
            visibility="units" if restricted else "everyone",
            visible_units=[unit.parent or unit] if restricted else [],
            skills=[
                SkillNeed(skill.slug, rng.randint(1, 4), i == 0 or rng.random() < 0.5)
                for i, skill in enumerate(needed)
            ],
        )
        if index < len(OFFERS) or rng.random() < 0.9:
            opportunity = opportunity_transition(
                actor=owner, opportunity=opportunity, action="publish"
            )
            # Published some days ago, so that the dashboards show times to staff.
            Opportunity.objects.filter(pk=opportunity.pk).update(
                published_at=timezone.now() - timedelta(days=rng.randint(5, 90))
            )
            opportunity.refresh_from_db()
        return opportunity

    def _applications(self, opportunities, people) -> int:
        """Applications at every stage: submitted, shortlisted, awaiting, accepted, declined…"""
        rng = self.rng
        holders: dict[int, set[int]] = {}
        for user_id, skill_id in ProfileSkill.objects.values_list("user_id", "skill_id"):
            holders.setdefault(skill_id, set()).add(user_id)
        by_id = {p.pk: p for p in people}
        stages = ["submitted", "shortlisted", "accepted", "declined", "withdrawn", "awaiting"]
        count = 0
        for index, opportunity in enumerate(o for o in opportunities if o.status == "open"):
            pool = sorted(
                {u for need in opportunity.skills.all() for u in holders.get(need.skill_id, ())}
                - {opportunity.owner_id}
            ) or [p.pk for p in people if p.pk != opportunity.owner_id]
            for applicant_id in rng.sample(pool, k=min(len(pool), rng.randint(1, 4))):
                applicant = by_id.get(applicant_id)
                if applicant is None:
                    continue
                try:
                    application = application_create(
                        actor=applicant, opportunity=opportunity, message=rng.choice(MESSAGES)
                    )
                except ApplicationError:  # an offer they may not see: skipped, as a person would
                    continue
                count += 1
                stage = stages[(index + count) % len(stages)]
                self._advance(application, opportunity, applicant, stage)
        return count

    def _fill_some(self, opportunities) -> None:
        """Some offers are filled (from inside when someone was staffed), one is closed."""
        staffed = set(
            Application.objects.filter(status="accepted").values_list("opportunity_id", flat=True)
        )
        open_ = [o for o in opportunities if o.status == "open"]
        for index, opportunity in enumerate(open_[len(OFFERS) :]):
            if (opportunity.pk in staffed and self.rng.random() < 0.6) or index % 9 == 0:
                opportunity_transition(
                    actor=opportunity.owner, opportunity=opportunity, action="fill"
                )
        if len(open_) > len(OFFERS) + 3:
            last = Opportunity.objects.get(pk=open_[-1].pk)
            opportunity_transition(actor=last.owner, opportunity=last, action="close")

    def _advance(self, application, opportunity, applicant, stage) -> None:
        owner = opportunity.owner
        if stage == "shortlisted":
            application_transition(actor=owner, application=application, action="shortlist")
        elif stage == "declined":
            application_transition(
                actor=owner,
                application=application,
                action="decline",
                reason=self.rng.choice(DECLINE_REASONS),
            )
        elif stage == "withdrawn":
            application_transition(actor=applicant, application=application, action="withdraw")
        elif stage == "accepted":
            done = application_transition(actor=owner, application=application, action="accept")
            published = Opportunity.objects.get(pk=opportunity.pk).published_at
            Application.objects.filter(pk=done.pk).update(
                staffed_at=published + timedelta(days=self.rng.randint(2, 30))
            )
        elif stage == "awaiting":
            # The demo runs with the setting off: show the manager's step as if it were on.
            application_transition(actor=owner, application=application, action="shortlist")
            Application.objects.filter(pk=application.pk).update(status="awaiting_manager")
