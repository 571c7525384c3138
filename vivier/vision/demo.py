"""The demo company's vision map, and its everyday work linked to it.

The map is written as HR would (through the services). The links are what authors and owners
would set when the suggestions offer the right objective: each post, question, idea, opportunity,
commitment and community is ranked against the objectives with the same TF-IDF index as the
suggestions, and a good first match is linked by its author or owner (with a probability, since
not everyone links their work). Links are bulk-inserted: thousands of posts, a few seconds.
"""

import random
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.opportunities.models import Opportunity
from vivier.people.demo import ADMIN_EMAIL
from vivier.people.models import OrgUnit
from vivier.social.models import Community, Membership, Post
from vivier.vision import services
from vivier.vision.models import Objective, ObjectiveLink
from vivier.vision.selectors import objective_texts
from vivier.vision.similarity import ObjectiveIndex

VISION = (
    "Cap 2030 : la confiance numérique, ensemble",
    "Cap 2030: digital trust, together",
    "Être le partenaire numérique de confiance de nos clients, en faisant grandir nos talents et "
    "en réduisant notre empreinte. Chaque équipe, chaque projet, chaque idée compte.",
    "Be our customers' trusted digital partner, growing our talents and reducing our footprint. "
    "Every team, every project, every idea counts.",
)

# (axis fr, axis en, description fr, description en, unit code owning it, objectives)
# objective: (title fr, title en, description fr, description en, indicators, sub-objectives)
# indicator: (name fr, name en, unit, target, current)
AXES: list[tuple[Any, ...]] = [
    (
        "Le client au cœur",
        "Customers first",
        "Des parcours simples, en ligne et humains.",
        "Simple journeys, online and human.",
        "DCOM",
        [
            (
                "Digitaliser le parcours client",
                "Digitise the customer journey",
                "Souscription en ligne, signature électronique, suivi des demandes et application "
                "mobile pour nos clients.",
                "Online subscription, electronic signature, request tracking and a mobile app.",
                [("Demandes traitées en ligne", "Requests handled online", "%", 70, 38)],
                [
                    (
                        "Lancer l'application mobile client",
                        "Launch the customer mobile app",
                        "Une application mobile iOS et Android, testée avec nos clients.",
                        "An iOS and Android app, tested with our customers.",
                        [("Téléchargements", "Downloads", "", 50000, 12000)],
                    ),
                ],
            ),
            (
                "Améliorer la satisfaction et la relation client",
                "Improve customer satisfaction and relationship",
                "Mesurer la satisfaction, réduire les délais de réponse et mieux traiter les "
                "réclamations des clients grands comptes.",
                "Measure satisfaction, answer faster and handle key accounts' complaints better.",
                [
                    ("NPS clients", "Customer NPS", "", 45, 31),
                    ("Délai moyen de réponse", "Average response time", "h", 24, 40),
                ],
                [],
            ),
        ],
    ),
    (
        "La donnée et l'innovation",
        "Data and innovation",
        "Faire de la donnée, de l'IA et du cloud des atouts sûrs.",
        "Make data, AI and the cloud safe strengths.",
        "DSI",
        [
            (
                "Industrialiser la data et l'intelligence artificielle",
                "Industrialise data and artificial intelligence",
                "Passer des prototypes aux cas d'usage en production : modèles, qualité des "
                "données, tableaux de bord et IA générative encadrée.",
                "From prototypes to production use cases: models, data quality, dashboards and "
                "governed generative AI.",
                [("Cas d'usage IA en production", "AI use cases in production", "", 12, 5)],
                [
                    (
                        "Gouvernance et qualité des données",
                        "Data governance and quality",
                        "Un catalogue des données, des responsables par domaine et des contrôles "
                        "qualité automatisés.",
                        "A data catalogue, owners per domain and automated quality checks.",
                        [("Jeux de données catalogués", "Catalogued datasets", "%", 80, 35)],
                    ),
                ],
            ),
            (
                "Sécuriser le système d'information",
                "Secure the information system",
                "Cybersécurité : gestion des accès, sensibilisation au phishing, correctifs et "
                "réponse aux incidents.",
                "Cybersecurity: access management, phishing awareness, patching, incident "
                "response.",
                [
                    ("Collaborateurs sensibilisés", "Staff trained", "%", 95, 71),
                    (
                        "Correctifs critiques sous 7 jours",
                        "Critical patches within 7 days",
                        "%",
                        98,
                        86,
                    ),
                ],
                [],
            ),
            (
                "Moderniser nos plateformes et migrer vers le cloud",
                "Modernise our platforms and move to the cloud",
                "Migrer les applications vers le cloud, automatiser les déploiements et "
                "l'observabilité, réduire la dette technique.",
                "Move applications to the cloud, automate deployments and observability, cut "
                "technical debt.",
                [("Applications migrées", "Applications migrated", "%", 60, 27)],
                [],
            ),
        ],
    ),
    (
        "Nos talents",
        "Our people",
        "Faire grandir chacun, reconnaître l'expertise, bien travailler ensemble.",
        "Help everyone grow, recognise expertise, work well together.",
        "DRH",
        [
            (
                "Développer et reconnaître l'expertise",
                "Develop and recognise expertise",
                "Label Expert, temps dédié, communautés d'experts, formation et partage des "
                "connaissances.",
                "Expert label, dedicated time, expert communities, training and knowledge sharing.",
                [("Experts labellisés", "Labelled experts", "", 60, 34)],
                [
                    (
                        "Mentorat et mentorat inversé",
                        "Mentoring and reverse mentoring",
                        "Des binômes de mentorat entre générations et métiers.",
                        "Mentoring pairs across generations and jobs.",
                        [("Binômes actifs", "Active pairs", "", 80, 41)],
                    ),
                ],
            ),
            (
                "Favoriser la mobilité interne",
                "Encourage internal mobility",
                "Ouvrir les projets, missions et postes en interne ; vis ma vie entre directions.",
                "Open projects, gigs and jobs inside; job shadowing between departments.",
                [("Postes pourvus en interne", "Jobs filled internally", "%", 50, 32)],
                [],
            ),
            (
                "Qualité de vie et équilibre au travail",
                "Wellbeing and work-life balance",
                "Droit à la déconnexion, charge de travail soutenable, espaces calmes et "
                "télétravail.",
                "Right to disconnect, sustainable workload, quiet spaces and remote work.",
                [
                    (
                        "Réponses favorables sur la charge",
                        "Favourable answers on workload",
                        "%",
                        70,
                        52,
                    )
                ],
                [],
            ),
        ],
    ),
    (
        "Une entreprise responsable",
        "A responsible company",
        "Réduire notre empreinte et agir pour une société inclusive.",
        "Reduce our footprint and act for an inclusive society.",
        "DG",
        [
            (
                "Réduire notre empreinte carbone",
                "Reduce our carbon footprint",
                "Sobriété numérique, mobilité douce entre sites, vélos, covoiturage, tri et "
                "énergie des bâtiments.",
                "Digital sobriety, soft mobility, bikes, car sharing, recycling and buildings' "
                "energy.",
                [("Émissions par collaborateur", "Emissions per employee", "t CO2e", 2, 3.1)],
                [],
            ),
            (
                "Inclusion, accessibilité et solidarité",
                "Inclusion, accessibility and solidarity",
                "Accessibilité numérique, diversité, handicap et engagement solidaire des équipes.",
                "Digital accessibility, diversity, disability and team volunteering.",
                [("Services accessibles (RGAA)", "Accessible services", "%", 100, 55)],
                [],
            ),
        ],
    ),
]

# A good first match for linking (TF-IDF cosine, and at least two shared words: one shared word
# is often a coincidence), and how often an author links at all.
LINK_THRESHOLD = 0.16
LINK_MIN_WORDS = 2
LINK_PROBABILITY = {
    "post": 0.7,
    "idea": 0.9,
    "opportunity": 0.95,
    "commitment": 1.0,
    "community": 1.0,
}


class VisionDemoBuilder:
    """Builds the vision map and the links of the demo company's work to it."""

    def __init__(self, *, seed: int, today: date | None = None) -> None:
        self.rng = random.Random(seed + 10)
        self.today = today or timezone.localdate()

    def build(self) -> dict[str, int]:
        """Write the map and the links; return counts."""
        with transaction.atomic():
            hr = User.objects.filter(email=ADMIN_EMAIL).first()
            if hr is None or not is_hr_admin(hr):
                hr = next((u for u in User.objects.order_by("id") if is_hr_admin(u)), None)
            if hr is None:
                return {"axes": 0, "objectives": 0, "indicators": 0, "links": 0}
            counts = self._map(hr)
            counts["links"] = self._links()
        return counts

    def _owner(self, code: str, hr: User) -> User:
        unit = OrgUnit.objects.filter(code=code).select_related("manager").first()
        return unit.manager if unit and unit.manager else hr

    def _objective(self, hr: User, axis: Any, spec: tuple, owner: User, parent: Any = None) -> int:
        title_fr, title_en, text_fr, text_en, indicators = spec[:5]
        year = self.today.year
        objective = services.objective_create(
            actor=hr,
            axis=axis,
            parent=parent,
            title_fr=title_fr,
            title_en=title_en,
            description_fr=text_fr,
            description_en=text_en,
            owner=owner,
            period_start=date(year, 1, 1),
            period_end=date(year + 2, 12, 31),
        )
        for name_fr, name_en, unit, target, current in indicators:
            services.indicator_save(
                actor=owner,
                objective=objective,
                name_fr=name_fr,
                name_en=name_en,
                unit=unit,
                target_value=target,
                current_value=current,
            )
        self.objectives.append(objective)
        self.indicators += len(indicators)
        return objective.pk

    def _map(self, hr: User) -> dict[str, int]:
        services.vision_save(
            actor=hr,
            title_fr=VISION[0],
            title_en=VISION[1],
            statement_fr=VISION[2],
            statement_en=VISION[3],
        )
        self.objectives: list[Objective] = []
        self.indicators = 0
        managers = [
            u.manager
            for u in OrgUnit.objects.filter(manager__isnull=False).select_related("manager")
        ]
        for axis_fr, axis_en, text_fr, text_en, unit_code, objectives in AXES:
            axis = services.axis_save(
                actor=hr,
                title_fr=axis_fr,
                title_en=axis_en,
                description_fr=text_fr,
                description_en=text_en,
            )
            lead = self._owner(unit_code, hr)
            for spec in objectives:
                parent = self._objective(hr, axis, spec, lead)
                for sub in spec[5]:
                    owner = self.rng.choice(managers) if managers else lead
                    self._objective(hr, axis, sub, owner, parent=parent)
        return {
            "axes": len(AXES),
            "objectives": len(self.objectives),
            "indicators": self.indicators,
        }

    def _links(self) -> int:
        index = ObjectiveIndex(objective_texts(self.objectives))
        links: list[ObjectiveLink] = []

        def consider(field: str, item: Any, text: str, by: int | None) -> None:
            if self.rng.random() > LINK_PROBABILITY[field]:
                return
            ranked = index.rank(text, limit=2)
            if (
                not ranked
                or ranked[0].score < LINK_THRESHOLD
                or len(ranked[0].words) < LINK_MIN_WORDS
            ):
                return
            picked = [ranked[0]]
            # A few items serve two objectives.
            if (
                len(ranked) > 1
                and ranked[1].score >= 1.5 * LINK_THRESHOLD
                and len(ranked[1].words) >= LINK_MIN_WORDS
                and self.rng.random() < 0.3
            ):
                picked.append(ranked[1])
            for scored in picked:
                links.append(
                    ObjectiveLink(objective_id=scored.id, created_by_id=by, **{field: item})
                )

        posts = Post.objects.filter(deleted_at__isnull=True, shared_from__isnull=True).only(
            "id", "title", "body", "author_id"
        )
        for post in posts.iterator(chunk_size=2000):
            consider("post", post, f"{post.title}\n{post.body}", post.author_id)
        from vivier.voice.models import Commitment, Idea

        for idea in Idea.objects.only("id", "title", "description", "tags", "author_id"):
            consider(
                "idea",
                idea,
                f"{idea.title}\n{idea.description}\n{' '.join(idea.tags)}",
                idea.author_id,
            )
        for commitment in Commitment.objects.only("id", "title", "description", "owner_id"):
            consider(
                "commitment",
                commitment,
                f"{commitment.title}\n{commitment.description}",
                commitment.owner_id,
            )
        for opportunity in Opportunity.objects.exclude(status=Opportunity.Status.DRAFT).only(
            "id", "title", "description", "owner_id"
        ):
            consider(
                "opportunity",
                opportunity,
                f"{opportunity.title}\n{opportunity.description}",
                opportunity.owner_id,
            )
        owners = dict(
            Membership.objects.filter(role=Membership.Role.OWNER, status=Membership.Status.ACTIVE)
            .order_by("community_id", "id")
            .values_list("community_id", "user_id")
        )
        for community in Community.objects.filter(archived_at__isnull=True):
            consider(
                "community",
                community,
                f"{community.name}\n{community.description}",
                owners.get(community.pk),
            )
        ObjectiveLink.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)
        # Link dates follow the items' own: the activity chart counts items by their date anyway.
        return ObjectiveLink.objects.count()
