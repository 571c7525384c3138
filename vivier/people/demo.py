"""The demo company: a plausible French organisation, deterministic for a seed."""

import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker
from unidecode import unidecode

from vivier.accounts.models import Role, User
from vivier.accounts.services import user_set_roles
from vivier.core.markdown import render_markdown
from vivier.core.text import normalize
from vivier.people.models import (
    Endorsement,
    JobFamily,
    JobRole,
    Location,
    OrgUnit,
    Profile,
    ProfileSkill,
    Skill,
)
from vivier.people.services import org_unit_save, skill_taxonomy_load

DEMO_PASSWORD = "Vivier-demo-2026"
ADMIN_EMAIL = "admin@vivier.test"
EMAIL_DOMAIN = "vivier.test"

LOCATIONS = [
    ("Paris La Défense", "Paris", 30),
    ("Lyon Part-Dieu", "Lyon", 14),
    ("Nantes", "Nantes", 9),
    ("Toulouse", "Toulouse", 10),
    ("Lille", "Lille", 8),
    ("Bordeaux", "Bordeaux", 7),
    ("Grenoble", "Grenoble", 6),
    ("Sophia Antipolis", "Valbonne", 6),
    ("Rennes", "Rennes", 6),
    ("Strasbourg", "Strasbourg", 4),
]

# (code, name, parent code, weight of people, families whose roles staff it)
UNITS = [
    ("DG", "Direction générale", None, 1, ["management"]),
    ("DSI", "Direction des systèmes d'information", "DG", 1, ["management"]),
    ("DSI-DEV", "Études et développement", "DSI", 9, ["software"]),
    ("DSI-DATA", "Data et intelligence artificielle", "DSI", 7, ["data"]),
    ("DSI-INFRA", "Infrastructures et cloud", "DSI", 6, ["infra"]),
    ("DSI-CYBER", "Cybersécurité", "DSI", 4, ["security"]),
    ("DSI-PMO", "Pilotage des projets et transformation", "DSI", 3, ["project"]),
    ("DRH", "Direction des ressources humaines", "DG", 1, ["management"]),
    ("DRH-TAL", "Talents, carrières et formation", "DRH", 4, ["hr"]),
    ("DRH-ADM", "Paie et administration du personnel", "DRH", 3, ["hr"]),
    ("DAF", "Direction administrative et financière", "DG", 1, ["management"]),
    ("DAF-CG", "Contrôle de gestion", "DAF", 3, ["finance"]),
    ("DAF-COMPTA", "Comptabilité et consolidation", "DAF", 3, ["finance"]),
    ("DAF-ACH", "Achats", "DAF", 3, ["purchasing"]),
    ("DCOM", "Direction commerciale", "DG", 1, ["management"]),
    ("DCOM-GC", "Ventes grands comptes", "DCOM", 6, ["sales"]),
    ("DCOM-RC", "Relation client", "DCOM", 6, ["sales"]),
    ("DMKT", "Marketing et communication", "DG", 5, ["marketing"]),
    ("DOPS", "Direction des opérations", "DG", 1, ["management"]),
    ("DOPS-SC", "Supply chain et logistique", "DOPS", 7, ["operations"]),
    ("DOPS-QHSE", "Qualité, sécurité, environnement", "DOPS", 4, ["quality"]),
    ("DOPS-PROD", "Production et maintenance", "DOPS", 8, ["operations"]),
    ("DJUR", "Direction juridique et conformité", "DG", 3, ["legal"]),
    ("DINNO", "Innovation et R&D", "DG", 4, ["data", "software"]),
]


@dataclass(frozen=True)
class RoleSpec:
    """A role of the job map and the skills people in it usually have."""

    code: str
    family: str
    title_fr: str
    title_en: str
    track: str
    level: int
    core: tuple[str, ...]
    optional: tuple[str, ...] = ()


FAMILIES = {
    "data": ("Data et IA", "Data and AI"),
    "software": ("Développement logiciel", "Software development"),
    "infra": ("Infrastructures et cloud", "Infrastructure and cloud"),
    "security": ("Cybersécurité", "Cybersecurity"),
    "project": ("Projets et transformation", "Projects and transformation"),
    "hr": ("Ressources humaines", "Human resources"),
    "finance": ("Finance", "Finance"),
    "purchasing": ("Achats", "Purchasing"),
    "sales": ("Commercial et relation client", "Sales and customer relations"),
    "marketing": ("Marketing et communication", "Marketing and communication"),
    "operations": ("Opérations et supply chain", "Operations and supply chain"),
    "quality": ("Qualité, sécurité, environnement", "Quality, health, safety, environment"),
    "legal": ("Juridique et conformité", "Legal and compliance"),
    "management": ("Direction", "Leadership"),
}

ROLES = [
    RoleSpec(
        "data-analyst",
        "data",
        "Analyste de données",
        "Data analyst",
        "individual",
        1,
        ("sql", "data-analysis", "power-bi", "advanced-excel"),
        ("python", "data-visualisation", "statistics", "tableau"),
    ),
    RoleSpec(
        "data-engineer",
        "data",
        "Ingénieur data",
        "Data engineer",
        "individual",
        2,
        ("python", "sql", "data-engineering", "apache-spark"),
        ("apache-airflow", "apache-kafka", "dbt", "databricks", "snowflake", "docker"),
    ),
    RoleSpec(
        "data-scientist",
        "data",
        "Data scientist",
        "Data scientist",
        "individual",
        2,
        ("python", "machine-learning", "statistics", "scikit-learn"),
        ("deep-learning", "nlp", "pytorch", "mlops", "large-language-models", "sql"),
    ),
    RoleSpec(
        "data-expert",
        "data",
        "Expert data et IA",
        "Data and AI expert",
        "expert",
        3,
        ("machine-learning", "deep-learning", "python", "data-governance"),
        ("generative-ai", "responsible-ai", "mlops", "knowledge-transmission"),
    ),
    RoleSpec(
        "developer",
        "software",
        "Développeur",
        "Software developer",
        "individual",
        1,
        ("git", "code-review", "unit-testing"),
        (
            "python",
            "java",
            "javascript",
            "typescript",
            "react",
            "django",
            "spring",
            "angular",
            "sql",
            "docker",
            "ci-cd",
            "nodejs",
        ),
    ),
    RoleSpec(
        "senior-developer",
        "software",
        "Développeur senior",
        "Senior developer",
        "individual",
        2,
        ("software-architecture", "code-review", "tdd", "git"),
        (
            "java",
            "spring",
            "python",
            "kotlin",
            "go",
            "microservices",
            "kubernetes",
            "api-design",
            "refactoring",
        ),
    ),
    RoleSpec(
        "software-architect",
        "software",
        "Architecte logiciel",
        "Software architect",
        "expert",
        3,
        ("software-architecture", "microservices", "api-design", "domain-driven-design"),
        ("event-driven-architecture", "cloud-architecture", "enterprise-architecture"),
    ),
    RoleSpec(
        "tech-lead",
        "software",
        "Responsable technique",
        "Tech lead",
        "management",
        2,
        ("software-architecture", "people-management", "code-review", "agile"),
        ("scrum", "mentoring", "ci-cd"),
    ),
    RoleSpec(
        "cloud-engineer",
        "infra",
        "Ingénieur cloud",
        "Cloud engineer",
        "individual",
        2,
        ("aws", "terraform", "kubernetes", "linux"),
        ("azure", "gcp", "docker", "ansible", "observability", "finops"),
    ),
    RoleSpec(
        "sysadmin",
        "infra",
        "Administrateur systèmes et réseaux",
        "Systems administrator",
        "individual",
        1,
        ("linux", "networks", "system-administration"),
        ("windows-server", "active-directory", "vmware", "shell-scripting", "powershell"),
    ),
    RoleSpec(
        "sre",
        "infra",
        "Ingénieur fiabilité (SRE)",
        "Site reliability engineer",
        "individual",
        2,
        ("site-reliability-engineering", "kubernetes", "observability"),
        ("prometheus", "grafana", "incident-management", "go", "python"),
    ),
    RoleSpec(
        "dba",
        "infra",
        "Administrateur de bases de données",
        "Database administrator",
        "individual",
        2,
        ("database-administration", "postgresql", "sql"),
        ("oracle-database", "sql-server", "mongodb"),
    ),
    RoleSpec(
        "infra-expert",
        "infra",
        "Expert infrastructures",
        "Infrastructure expert",
        "expert",
        3,
        ("cloud-architecture", "kubernetes", "infrastructure-as-code"),
        ("hybrid-cloud", "finops", "knowledge-transmission"),
    ),
    RoleSpec(
        "security-analyst",
        "security",
        "Analyste SOC",
        "SOC analyst",
        "individual",
        1,
        ("security-operations-center", "siem", "incident-response"),
        ("threat-intelligence", "edr", "networks", "linux"),
    ),
    RoleSpec(
        "pentester",
        "security",
        "Auditeur en sécurité offensive",
        "Penetration tester",
        "individual",
        2,
        ("penetration-testing", "application-security", "networks"),
        ("red-teaming", "python", "cryptography"),
    ),
    RoleSpec(
        "security-engineer",
        "security",
        "Ingénieur sécurité",
        "Security engineer",
        "individual",
        2,
        ("cybersecurity", "identity-access-management", "network-security"),
        ("cloud-security", "devsecops", "pki", "zero-trust"),
    ),
    RoleSpec(
        "ciso-deputy",
        "security",
        "Responsable conformité sécurité",
        "Security compliance officer",
        "individual",
        2,
        ("security-governance", "iso-27001", "gdpr-compliance"),
        ("ebios-rm", "nis2", "risk-management", "security-awareness"),
    ),
    RoleSpec(
        "security-expert",
        "security",
        "Expert cybersécurité",
        "Cybersecurity expert",
        "expert",
        3,
        ("cybersecurity", "security-governance", "incident-response"),
        ("threat-hunting", "cryptography", "ebios-rm", "knowledge-transmission"),
    ),
    RoleSpec(
        "project-manager",
        "project",
        "Chef de projet",
        "Project manager",
        "individual",
        2,
        ("project-management", "stakeholder-management", "agile"),
        ("scrum", "budget-management", "change-management", "prince2", "pmp"),
    ),
    RoleSpec(
        "product-owner",
        "project",
        "Product owner",
        "Product owner",
        "individual",
        2,
        ("product-ownership", "backlog-management", "scrum"),
        ("product-discovery", "ux-design", "business-analysis"),
    ),
    RoleSpec(
        "agile-coach",
        "project",
        "Coach agile",
        "Agile coach",
        "expert",
        3,
        ("agile-coaching", "scrum", "safe", "facilitation"),
        ("kanban", "coaching", "change-management"),
    ),
    RoleSpec(
        "hr-business-partner",
        "hr",
        "Responsable RH",
        "HR business partner",
        "individual",
        2,
        ("hr-business-partner", "employment-law", "labour-relations"),
        ("talent-management", "performance-management", "change-management"),
    ),
    RoleSpec(
        "recruiter",
        "hr",
        "Chargé de recrutement",
        "Recruiter",
        "individual",
        1,
        ("recruitment", "candidate-sourcing", "recruitment-interviewing"),
        ("employer-branding", "onboarding"),
    ),
    RoleSpec(
        "training-manager",
        "hr",
        "Responsable formation",
        "Training manager",
        "individual",
        2,
        ("training", "instructional-design", "skills-management"),
        ("e-learning", "knowledge-transmission"),
    ),
    RoleSpec(
        "payroll-officer",
        "hr",
        "Gestionnaire de paie",
        "Payroll officer",
        "individual",
        1,
        ("payroll", "personnel-administration", "employment-law"),
        ("hris", "advanced-excel"),
    ),
    RoleSpec(
        "controller",
        "finance",
        "Contrôleur de gestion",
        "Management controller",
        "individual",
        2,
        ("management-control", "financial-reporting", "advanced-excel"),
        ("fpa", "budget-management", "power-bi", "sql"),
    ),
    RoleSpec(
        "accountant",
        "finance",
        "Comptable",
        "Accountant",
        "individual",
        1,
        ("accounting", "financial-closing", "french-gaap"),
        ("ifrs", "consolidation", "taxation", "sap"),
    ),
    RoleSpec(
        "finance-expert",
        "finance",
        "Expert consolidation et normes",
        "Accounting expert",
        "expert",
        3,
        ("consolidation", "ifrs", "financial-reporting"),
        ("internal-control", "audit"),
    ),
    RoleSpec(
        "buyer",
        "purchasing",
        "Acheteur",
        "Buyer",
        "individual",
        2,
        ("purchasing", "procurement-negotiation", "supplier-relationship-management"),
        ("strategic-sourcing", "sustainable-procurement", "contract-law"),
    ),
    RoleSpec(
        "account-manager",
        "sales",
        "Responsable grands comptes",
        "Key account manager",
        "individual",
        2,
        ("key-account-management", "b2b-sales", "sales-negotiation"),
        ("crm-software", "bid-management", "pricing"),
    ),
    RoleSpec(
        "customer-advisor",
        "sales",
        "Conseiller clientèle",
        "Customer advisor",
        "individual",
        1,
        ("customer-service", "customer-relationship", "crm-software"),
        ("contact-centre", "customer-experience", "active-listening"),
    ),
    RoleSpec(
        "marketing-manager",
        "marketing",
        "Chef de produit marketing",
        "Product marketer",
        "individual",
        2,
        ("product-marketing", "marketing-strategy", "market-research"),
        ("digital-marketing", "brand-management", "content-marketing"),
    ),
    RoleSpec(
        "digital-marketer",
        "marketing",
        "Chargé de marketing digital",
        "Digital marketer",
        "individual",
        1,
        ("digital-marketing", "seo", "web-analytics"),
        ("social-media-marketing", "email-marketing", "marketing-automation", "sea"),
    ),
    RoleSpec(
        "communication-officer",
        "marketing",
        "Chargé de communication",
        "Communication officer",
        "individual",
        1,
        ("corporate-communication", "writing"),
        ("event-management", "storytelling", "social-media-marketing"),
    ),
    RoleSpec(
        "supply-chain-planner",
        "operations",
        "Planificateur supply chain",
        "Supply chain planner",
        "individual",
        2,
        ("demand-planning", "supply-chain-planning", "inventory-management"),
        ("sales-operations-planning", "sap", "advanced-excel"),
    ),
    RoleSpec(
        "logistician",
        "operations",
        "Responsable logistique",
        "Logistics manager",
        "individual",
        2,
        ("logistics", "warehouse-management", "transport-management"),
        ("lean", "customs", "last-mile-delivery"),
    ),
    RoleSpec(
        "maintenance-technician",
        "operations",
        "Technicien de maintenance",
        "Maintenance technician",
        "individual",
        1,
        ("industrial-maintenance", "electrical-engineering"),
        ("predictive-maintenance", "industrial-automation", "health-and-safety"),
    ),
    RoleSpec(
        "production-engineer",
        "operations",
        "Ingénieur méthodes et production",
        "Production engineer",
        "individual",
        2,
        ("production-planning", "lean", "industrial-engineering"),
        ("industry-4-0", "mes", "lean-six-sigma", "value-stream-mapping"),
    ),
    RoleSpec(
        "quality-engineer",
        "quality",
        "Ingénieur qualité",
        "Quality engineer",
        "individual",
        2,
        ("quality-assurance", "iso-9001", "quality-problem-solving"),
        ("fmea", "quality-audit", "spc", "lean-six-sigma"),
    ),
    RoleSpec(
        "hse-officer",
        "quality",
        "Responsable HSE",
        "HSE officer",
        "individual",
        2,
        ("health-and-safety", "occupational-risk-assessment", "environmental-management"),
        ("iso-45001", "csr", "carbon-accounting"),
    ),
    RoleSpec(
        "lawyer",
        "legal",
        "Juriste",
        "Legal counsel",
        "individual",
        2,
        ("contract-law", "corporate-law"),
        ("it-law", "intellectual-property", "employment-law", "competition-law"),
    ),
    RoleSpec(
        "compliance-officer",
        "legal",
        "Responsable conformité",
        "Compliance officer",
        "individual",
        2,
        ("compliance", "anti-corruption", "gdpr-compliance"),
        ("aml", "kyc", "sanctions-embargoes", "risk-management"),
    ),
    RoleSpec(
        "manager",
        "management",
        "Manager",
        "Manager",
        "management",
        2,
        ("people-management", "budget-management", "decision-making"),
        ("change-management", "leadership", "okr", "feedback"),
    ),
    RoleSpec(
        "director",
        "management",
        "Directeur",
        "Director",
        "management",
        3,
        ("leadership", "corporate-strategy", "people-management"),
        ("vision", "change-management", "crisis-management", "digital-transformation"),
    ),
]

SOFT_SKILLS = [
    "knowledge-transmission",
    "collaboration",
    "innovation",
    "vision",
    "communication",
    "public-speaking",
    "facilitation",
    "mentoring",
    "problem-solving",
    "adaptability",
    "creativity",
    "active-listening",
    "synthesis",
    "critical-thinking",
    "teaching",
    "empathy",
    "negotiation",
    "conflict-management",
    "time-management",
    "rigour",
]
SPOKEN = [
    ("en", 0.72),
    ("es", 0.14),
    ("de", 0.1),
    ("it", 0.07),
    ("pt", 0.04),
    ("ar", 0.04),
    ("nl", 0.02),
    ("zh", 0.02),
]

BIO_OPENINGS = [
    "Je travaille sur {a} depuis {years} ans, aujourd'hui au sein de l'équipe {unit}.",
    "{title} chez nous depuis {years} ans, je m'occupe surtout de {a}.",
    "Passionné·e par {a}, j'accompagne les équipes de {unit} au quotidien.",
    "Après plusieurs années en cabinet, j'ai rejoint {unit} pour travailler sur {a}.",
]
BIO_MIDDLES = [
    "Je peux vous aider sur {b} et {c}.",
    "N'hésitez pas à me solliciter sur {b} : j'aime partager ce que j'ai appris.",
    "En ce moment, je creuse {c} et je cherche des personnes avec qui échanger.",
    "J'ai animé plusieurs ateliers sur {b} et je documente nos bonnes pratiques.",
]
BIO_ENDINGS = [
    "Toujours partant·e pour un café et une question technique.",
    "Mon principe : une bonne question posée tôt évite dix réunions.",
    "Je suis aussi mentor pour les nouveaux arrivants.",
    "",
]
STATUS_NOTES = [
    "",
    "",
    "",
    "En congés la semaine prochaine",
    "Disponible pour des missions courtes",
    "Concentré sur le lancement du projet",
    "Télétravail le vendredi",
]


def _pick_languages(rng: random.Random) -> list[str]:
    langs = ["fr"]
    for code, probability in SPOKEN:
        if rng.random() < probability:
            langs.append(code)
    return langs


def _email(first: str, last: str, taken: set[str]) -> str:
    base = normalize(f"{first}.{last}").replace(" ", "-").replace("'", "")
    base = "".join(ch for ch in unidecode(base) if ch.isalnum() or ch in ".-")
    email, n = f"{base}@{EMAIL_DOMAIN}", 1
    while email in taken:
        n += 1
        email = f"{base}{n}@{EMAIL_DOMAIN}"
    taken.add(email)
    return email


class DemoBuilder:
    """Builds the demo company in bulk; the same seed always gives the same company."""

    def __init__(self, *, people: int, seed: int, stdout: Any = None) -> None:
        self.people = max(people, 10)
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self.stdout = stdout
        self.password_hash = make_password(DEMO_PASSWORD)

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def build(self) -> dict[str, int]:
        """Create everything; return what was created."""
        skill_taxonomy_load()
        self.skills = {s.slug: s for s in Skill.objects.all()}
        self.locations = self._locations()
        self.roles = self._job_map()
        self.units = self._units()
        users = self._people()
        skills = self._skills(users)
        endorsements = self._endorsements(users)
        return {
            "people": len(users),
            "units": len(self.units),
            "skills": skills,
            "endorsements": endorsements,
        }

    def _locations(self) -> list[tuple[Location, int]]:
        return [
            (Location.objects.get_or_create(name=name, defaults={"city": city})[0], weight)
            for name, city, weight in LOCATIONS
        ]

    def _job_map(self) -> dict[str, tuple[RoleSpec, JobRole]]:
        families = {
            code: JobFamily.objects.get_or_create(
                code=code, defaults={"name_fr": fr, "name_en": en}
            )[0]
            for code, (fr, en) in FAMILIES.items()
        }
        roles: dict[str, tuple[RoleSpec, JobRole]] = {}
        for spec in ROLES:
            role, _created = JobRole.objects.get_or_create(
                code=spec.code,
                defaults={
                    "family": families[spec.family],
                    "title_fr": spec.title_fr,
                    "title_en": spec.title_en,
                    "track": spec.track,
                    "level": spec.level,
                },
            )
            role.skills.set([self.skills[s] for s in spec.core if s in self.skills])
            roles[spec.code] = (spec, role)
        return roles

    def _units(self) -> dict[str, tuple[OrgUnit, int, list[str]]]:
        units: dict[str, tuple[OrgUnit, int, list[str]]] = {}
        for code, name, parent_code, weight, families in UNITS:
            parent = units[parent_code][0] if parent_code else None
            unit = OrgUnit.objects.filter(code=code).first() or OrgUnit(code=code)
            unit.name, unit.parent = name, parent
            org_unit_save(actor=None, unit=unit)
            units[code] = (unit, weight, families)
        return units

    def _role_for(self, families: list[str], seniority: float) -> tuple[RoleSpec, JobRole]:
        candidates = [
            pair
            for pair in self.roles.values()
            if pair[0].family in families and pair[0].track != "management"
        ]
        if not candidates:
            candidates = [self.roles["manager"]]
        # Seniority tilts people towards higher-level and expert roles.
        weights = [
            (0.25 if spec.track == "expert" else 1.0) * (1 + seniority * (spec.level - 1))
            for spec, _role in candidates
        ]
        return self.rng.choices(candidates, weights=weights)[0]

    def _people(self) -> list[User]:
        taken: set[str] = {ADMIN_EMAIL}
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        if admin is None:
            admin = User(
                email=ADMIN_EMAIL,
                first_name="Camille",
                last_name="Administratrice",
                is_staff=True,
                is_superuser=True,
                password=self.password_hash,
            )
            admin.save()
            Profile.objects.create(
                user=admin,
                title="Administratrice RH et SI",
                languages=["fr", "en"],
                languages_text=",fr,en,",
                search_text=normalize(f"Camille Administratrice {ADMIN_EMAIL}"),
            )
        user_set_roles(user=admin, roles=[Role.EMPLOYEE, Role.HR_ADMIN, Role.IT_ADMIN])

        plan: list[tuple[str, bool]] = []  # (unit code, is the unit's manager)
        for code, (_unit, _weight, _families) in self.units.items():
            plan.append((code, True))
        remaining = self.people - len(plan)
        weighted = [(code, weight) for code, (_u, weight, _f) in self.units.items()]
        codes = [c for c, _w in weighted]
        plan += [
            (code, False)
            for code in self.rng.choices(
                codes, weights=[w for _c, w in weighted], k=max(remaining, 0)
            )
        ]
        plan = plan[: self.people]

        users: list[User] = []
        meta: list[tuple[str, bool, RoleSpec, JobRole, int]] = []
        for code, is_manager in plan:
            first, last = self.fake.first_name(), self.fake.last_name()
            years = self.rng.randint(1, 25)
            unit, _weight, families = self.units[code]
            if is_manager:
                spec, role = self.roles["director" if unit.depth <= 1 else "manager"]
            else:
                spec, role = self._role_for(families, seniority=years / 25)
            users.append(
                User(
                    email=_email(first, last, taken),
                    first_name=first,
                    last_name=last,
                    password=self.password_hash,
                    language="fr",
                )
            )
            meta.append((code, is_manager, spec, role, years))
        User.objects.bulk_create(users, batch_size=1000)
        users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("id"))
        by_email = {u.email: u for u in users}
        ordered = [by_email[u.email] for u in users]

        managers: dict[str, User] = {}
        for user, (code, is_manager, *_rest) in zip(ordered, meta, strict=True):
            if is_manager:
                managers[code] = user
        for code, user in managers.items():
            unit = self.units[code][0]
            unit.manager = user
            unit.save(update_fields=["manager"])

        location_choices = [loc for loc, _w in self.locations]
        location_weights = [w for _loc, w in self.locations]
        profiles = []
        for user, (code, is_manager, spec, role, years) in zip(ordered, meta, strict=True):
            unit = self.units[code][0]
            if is_manager:
                parent_code = next((c for c, n, p, *_x in UNITS if c == code), None)
                parent = self.units[parent_code][0].parent if parent_code else None
                manager = managers.get(parent.code) if parent else None
            else:
                manager = managers.get(code)
            langs = _pick_languages(self.rng)
            skills = [self.skills[s].label_fr for s in spec.core[:3] if s in self.skills]
            title = spec.title_fr if not is_manager else f"{spec.title_fr} — {unit.name}"
            bio = " ".join(
                part
                for part in [
                    self.rng.choice(BIO_OPENINGS).format(
                        a=skills[0] if skills else "nos projets",
                        years=years,
                        unit=unit.name,
                        title=spec.title_fr,
                    ),
                    self.rng.choice(BIO_MIDDLES).format(
                        b=skills[1] if len(skills) > 1 else "nos outils",
                        c=skills[2] if len(skills) > 2 else "l'amélioration continue",
                    ),
                    self.rng.choice(BIO_ENDINGS),
                ]
                if part
            )
            has_bio = self.rng.random() < 0.75
            profiles.append(
                Profile(
                    user=user,
                    title=title,
                    org_unit=unit,
                    manager=manager,
                    job_role=role,
                    location=self.rng.choices(location_choices, weights=location_weights)[0],
                    languages=langs,
                    languages_text="," + ",".join(langs) + ",",
                    phone=f"+33 1 {self.rng.randint(40, 79)} {self.rng.randint(10, 99)} "
                    f"{self.rng.randint(10, 99)} {self.rng.randint(10, 99)}",
                    bio=bio if has_bio else "",
                    bio_html=render_markdown(bio) if has_bio else "",
                    interests=", ".join(
                        self.skills[s].label_fr
                        for s in self.rng.sample(spec.optional, min(2, len(spec.optional)))
                        if s in self.skills
                    )
                    if self.rng.random() < 0.6
                    else "",
                    availability_percent=self.rng.choice([0, 0, 0, 10, 10, 20, 20, 30, 50]),
                    availability_status=self.rng.choices(Profile.Status.values, weights=[8, 3, 1])[
                        0
                    ],
                    availability_note=self.rng.choice(STATUS_NOTES),
                    search_text=normalize(
                        f"{user.first_name} {user.last_name} {user.email} {title}"
                    ),
                )
            )
        Profile.objects.bulk_create(profiles, batch_size=1000)
        self.meta = dict(zip([u.pk for u in ordered], meta, strict=True))
        self.unit_members: dict[str, list[User]] = {}
        for user, (code, *_rest) in zip(ordered, meta, strict=True):
            self.unit_members.setdefault(code, []).append(user)
        self.log(f"  {len(ordered)} people in {len(self.units)} units")
        return ordered

    def _skills(self, users: list[User]) -> int:
        rows: list[ProfileSkill] = []
        self.declared: dict[int, list[int]] = {}
        all_slugs = list(self.skills)
        for user in users:
            _code, _is_manager, spec, _role, years = self.meta[user.pk]
            seniority = min(years / 15, 1.0)
            chosen: dict[str, int] = {}
            # Some people never fill in their skills: the expertise finder must cope.
            if self.rng.random() < 0.08:
                continue
            for slug in spec.core:
                base = 2 + (spec.track == "expert") + (self.rng.random() < seniority)
                chosen[slug] = min(4, base)
            for slug in self.rng.sample(
                spec.optional, k=min(len(spec.optional), self.rng.randint(1, 4))
            ):
                chosen.setdefault(slug, self.rng.choice([1, 2, 2, 3]))
            for slug in self.rng.sample(SOFT_SKILLS, k=self.rng.randint(1, 3)):
                chosen.setdefault(slug, self.rng.choice([2, 3, 3, 4]))
            if self.rng.random() < 0.15:
                # A skill from outside the job: a hobby or a previous career.
                chosen.setdefault(self.rng.choice(all_slugs), self.rng.choice([1, 2, 3]))
            ids = []
            for slug, level in chosen.items():
                skill = self.skills.get(slug)
                if skill is not None:
                    rows.append(ProfileSkill(user=user, skill=skill, level=level))
                    ids.append(skill.pk)
            self.declared[user.pk] = ids
        ProfileSkill.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        self.log(f"  {len(rows)} declared skills")
        return len(rows)

    def _endorsements(self, users: list[User]) -> int:
        rows: list[Endorsement] = []
        seen: set[tuple[int, int, int]] = set()
        for user in users:
            code = self.meta[user.pk][0]
            colleagues = [c for c in self.unit_members.get(code, []) if c.pk != user.pk]
            if not colleagues:
                continue
            for _n in range(self.rng.randint(0, 6)):
                colleague = self.rng.choice(colleagues)
                skills = self.declared.get(colleague.pk)
                if not skills:
                    continue
                key = (user.pk, colleague.pk, self.rng.choice(skills))
                if key not in seen:
                    seen.add(key)
                    rows.append(Endorsement(endorser=user, endorsee_id=key[1], skill_id=key[2]))
        Endorsement.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        self.log(f"  {len(rows)} endorsements")
        return len(rows)


def demo_role_skill_slugs() -> set[str]:
    """Every taxonomy slug the demo refers to (tests check they all exist)."""
    slugs = set(SOFT_SKILLS)
    for spec in ROLES:
        slugs.update(spec.core)
        slugs.update(spec.optional)
    return slugs
