"""The demo company's expert programme: domains, a campaign at every stage, experts, events."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from vivier.accounts.models import User
from vivier.people.demo import ADMIN_EMAIL
from vivier.people.models import Profile, ProfileSkill, Skill
from vivier.programme import services
from vivier.programme.models import (
    Award,
    Domain,
    Event,
    GovernanceSeat,
    PathEnrolment,
    PathStep,
    Registration,
    SkillPath,
    StepProgress,
    StrategicProject,
    TimeEntry,
)
from vivier.social.models import Community

# (name, description, skill slugs, expert community slug)
DOMAINS = [
    (
        "Data",
        "Data engineering, science des données et IA : le label reconnaît les référent·es qui "
        "font avancer les usages de la donnée dans le groupe.",
        ["python", "machine-learning", "data-engineering", "statistics", "sql"],
        "data-experts",
    ),
    (
        "Sécurité",
        "Cybersécurité opérationnelle et gouvernance des risques.",
        [
            "cybersecurity",
            "security",
            "application-security",
            "network-security",
            "cloud-security",
            "security-governance",
            "security-operations-center",
        ],
        "cyber-experts",
    ),
    (
        "Développement",
        "Conception et développement logiciel, architecture applicative.",
        ["java", "react", "software-architecture", "javascript"],
        None,
    ),
]
CRITERIA = [
    ("Maîtrise technique", 3),
    ("Transmission et partage", 2),
    ("Rayonnement et impact", 2),
    ("Vision et innovation", 1),
]
MOTIVATIONS = [
    "Depuis trois ans j'anime les ateliers internes et je réponds chaque semaine aux questions "
    "de la communauté. Le label me permettrait d'y consacrer un temps reconnu.",
    "Référent·e de fait sur le sujet dans la direction : revues d'architecture, mentorat de "
    "deux alternant·es, interventions aux journées techniques.",
    "Je souhaite structurer ma contribution : formations internes, veille partagée et appui aux "
    "projets stratégiques du groupe.",
]
REASONS = {
    "award": "Dossier solide, contributions régulières et reconnues par les pairs. Félicitations !",
    "decline": "Expertise réelle mais encore peu partagée : le comité encourage une nouvelle "
    "candidature après un an d'animation de la communauté.",
    "defer": "Le comité souhaite disposer des retours du projet en cours avant de statuer.",
}
PATHS = [
    (
        "transmission",
        "Transmettre son expertise",
        ["Animer un atelier interne", "Rédiger un article de fond", "Mentorer une personne 3 mois"],
    ),
    (
        "collaboration",
        "Collaborer au-delà de son équipe",
        ["Co-animer une communauté", "Mener une revue croisée", "Faciliter une rétrospective"],
    ),
    (
        "innovation",
        "Porter l'innovation",
        ["Proposer un cas d'usage", "Piloter un prototype", "Présenter les résultats au comité"],
    ),
    (
        "vision",
        "Construire une vision",
        [
            "Cartographier les tendances",
            "Rédiger une note stratégique",
            "Défendre une feuille de route",
        ],
    ),
]
BODIES = [
    ("Comité d'architecture", "membre"),
    ("Comité des risques numériques", "référent·e"),
    ("Comité de pilotage data", "membre"),
]
PROJECTS = [
    ("Plateforme data groupe", "référent·e technique"),
    ("Programme zéro confiance", "architecte"),
    ("Refonte de l'espace client", "expert·e"),
]


class ProgrammeDemoBuilder:
    """Build the expert programme of the demo company, deterministically for a seed."""

    def __init__(self, *, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counts = {"domains": 0, "nominations": 0, "awards": 0, "events": 0, "renewals": 0}

    def build(self) -> dict[str, int]:
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        if admin is None:
            return self.counts
        managers = dict(Profile.objects.values_list("user_id", "manager_id"))
        used: set[int] = {admin.pk}
        experts: list[Award] = []
        for index, (name, description, slugs, community_slug) in enumerate(DOMAINS):
            skills = list(Skill.objects.filter(slug__in=slugs).order_by("slug"))
            if not skills:
                continue
            holders = list(
                ProfileSkill.objects.filter(skill__in=skills, level__gte=3, user__is_active=True)
                .order_by("user_id")
                .values_list("user_id", flat=True)
                .distinct()
            )
            holders = sorted(set(holders) - used)
            if len(holders) < 8:
                continue
            self.rng.shuffle(holders)
            committee = holders[:3]
            candidates = [u for u in holders[3:] if managers.get(u) not in committee][:9]
            used |= set(committee) | set(candidates)
            domain = services.domain_save(
                actor=admin,
                name=name,
                description=description,
                skill_ids=[s.pk for s in skills],
                committee_ids=committee,
                quorum=2,
                label_years=3,
                community=Community.objects.filter(slug=community_slug).first()
                if community_slug
                else None,
                criteria=CRITERIA,
            )
            self.counts["domains"] += 1
            stages = [
                "award",
                "award",
                "award",
                "manager",
                "committee",
                "defer",
                "decline",
                "withdraw",
                "award",
            ]
            for candidate_id, stage in zip(candidates, stages, strict=False):
                award = self._nominate(domain, candidate_id, stage, committee, admin)
                if award is not None:
                    experts.append(award)
            if index == 0:
                self._events(domain, admin)
        self._renewal_due(experts)
        self._time_and_visibility(experts, admin)
        self._paths(experts)
        self._leaver(experts)
        return self.counts

    def _nominate(
        self, domain: Domain, candidate_id: int, stage: str, committee: list[int], admin: User
    ):
        candidate = User.objects.get(pk=candidate_id)
        nomination = services.nomination_create(
            actor=candidate,
            domain=domain,
            candidate=candidate,
            motivation=self.rng.choice(MOTIVATIONS),
            level="referent" if self.rng.random() < 0.25 else "expert",
        )
        self.counts["nominations"] += 1
        if stage == "manager":
            return None
        if stage == "withdraw":
            services.nomination_withdraw(
                actor=candidate, nomination=nomination, reason="Report à l'an prochain."
            )
            return None
        if nomination.state == "manager_review":
            services.manager_opinion_give(
                actor=nomination.manager,
                nomination=nomination,
                opinion="favourable" if stage != "decline" else "reserved",
                comment="Contribution reconnue dans l'équipe.",
            )
        criteria = list(domain.criteria.all())
        reviewers = committee[:1] if stage == "committee" else committee[:2]
        for reviewer_id in reviewers:
            base = 4 if stage == "award" else 3 if stage == "defer" else 2
            services.review_submit(
                actor=User.objects.get(pk=reviewer_id),
                nomination=nomination,
                scores={c.pk: max(0, min(5, base + self.rng.randint(-1, 1))) for c in criteria},
                comment="Avis détaillé transmis au comité.",
            )
        if stage == "committee":
            return None
        services.nomination_decide(
            actor=admin, nomination=nomination, decision=stage, reason=REASONS[stage]
        )
        if stage != "award":
            return None
        award = Award.objects.get(nomination=nomination)
        # Spread the grant dates over the past two years: renewals come at different times.
        shift = timedelta(days=self.rng.randint(10, 700))
        Award.objects.filter(pk=award.pk).update(
            granted_at=award.granted_at - shift, expires_at=award.expires_at - shift
        )
        award.refresh_from_db()
        award.labels.update(expires_at=award.expires_at)
        self.counts["awards"] += 1
        return award

    def _renewal_due(self, experts: list[Award]) -> None:
        """One label expiring in a month: the renewal campaign opened for it."""
        if not experts:
            return
        award = experts[0]
        expires = timezone.now() + timedelta(days=30)
        Award.objects.filter(pk=award.pk).update(expires_at=expires)
        award.labels.update(expires_at=expires)
        _expired, opened = services.awards_expire()
        self.counts["renewals"] = opened

    def _time_and_visibility(self, experts: list[Award], admin: User) -> None:
        today = timezone.localdate()
        entries = []
        for award in experts:
            for _ in range(self.rng.randint(4, 12)):
                entries.append(
                    TimeEntry(
                        user_id=award.user_id,
                        kind=self.rng.choice(TimeEntry.Kind.values),
                        day=today
                        - timedelta(
                            days=self.rng.randint(0, min(300, today.timetuple().tm_yday - 1))
                        ),
                        hours=Decimal(self.rng.choice([1, 2, 3.5, 4, 7])),
                        note="",
                    )
                )
        TimeEntry.objects.bulk_create(entries)
        for award, (body, role), (project, project_role) in zip(
            experts[1:4], BODIES, PROJECTS, strict=False
        ):
            GovernanceSeat.objects.create(
                user_id=award.user_id, body=body, role=role, since=today - timedelta(days=200)
            )
            StrategicProject.objects.create(user_id=award.user_id, name=project, role=project_role)

    def _paths(self, experts: list[Award]) -> None:
        paths = []
        for axis, name, steps in PATHS:
            path = SkillPath.objects.create(
                name=name, axis=axis, description=f"Parcours « {name} »."
            )
            PathStep.objects.bulk_create(
                [PathStep(path=path, title=title, position=i) for i, title in enumerate(steps)]
            )
            paths.append(path)
        if len(experts) < 4:
            return
        for award, mentor in zip(experts[1:4], experts[4:7], strict=False):
            path = self.rng.choice(paths)
            enrolment = PathEnrolment.objects.create(
                path=path, user_id=award.user_id, mentor_id=mentor.user_id
            )
            first, second = list(path.steps.all())[:2]
            StepProgress.objects.create(
                enrolment=enrolment,
                step=first,
                done_at=timezone.now() - timedelta(days=40),
                validated_by_id=mentor.user_id,
                validated_at=timezone.now() - timedelta(days=35),
            )
            StepProgress.objects.create(
                enrolment=enrolment, step=second, done_at=timezone.now() - timedelta(days=3)
            )

    def _events(self, domain: Domain, admin: User) -> None:
        community = domain.community or Community.objects.filter(is_expert_community=True).first()
        if community is None:
            return
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        specs = [
            ("meetup", "Meetup des expert·es Data", 12, 20, "Paris, La Défense, salle Seine"),
            ("talk", "Talk : industrialiser le machine learning", 26, 60, "En ligne"),
            ("conference", "Journée interne de la donnée", 55, 150, "Lyon, campus Part-Dieu"),
        ]
        members = list(community.memberships.values_list("user_id", flat=True)[:40])
        for kind, title, days, capacity, place in specs:
            start = now + timedelta(days=days, hours=2)
            event = Event.objects.create(
                community=community,
                kind=kind,
                title=title,
                place=place,
                description="Programme détaillé et inscriptions sur Vivier.",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                capacity=capacity,
                created_by=admin,
            )
            chosen = self.rng.sample(members, k=min(len(members), capacity // 2))
            Registration.objects.bulk_create([Registration(event=event, user_id=u) for u in chosen])
            self.counts["events"] += 1

    def _leaver(self, experts: list[Award]) -> None:
        """One labelled expert left the company: their account is closed."""
        if len(experts) > 7:
            User.objects.filter(pk=experts[-1].user_id).update(is_active=False)
