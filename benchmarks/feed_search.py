"""Feed and search benchmark on a large PostgreSQL data set, through the real request path.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_bench \\
        .venv/bin/python benchmarks/feed_search.py [--people 10000 --posts 200000 --requests 200]

Creates the database if missing, migrates it, builds the data set unless it is already there at
the asked size (or with --rebuild), then measures a bare baseline view, the home feed (HTML and
API, first and second page) and search with django.test.Client, and prints one table. This is a
report: nothing here asserts a timing. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import quote

from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MARKER_TABLE = "vivier_bench_dataset"
# Bump when the generator changes what it builds: older data sets are then rebuilt.
GENERATOR_VERSION = 2
BATCH = 5000
BENCH_PASSWORD = "vivier-bench-2026"
BENCH_URLCONF = "benchmarks.urls"
HOST = "localhost"
DB_PREFIX = "vivier_bench"
FEED_TARGET_QUERIES = 10
FEED_TARGET_RATIO = 3.0
# API tokens record their last use once a minute: re-authenticate them more often than that.
TOKEN_PRIME_SECONDS = 30

# --------------------------------------------------------------------------------------------
# Vocabulary: short French and English sentences, varied enough for search to mean something.
# --------------------------------------------------------------------------------------------

FR_SUBJECTS = """L'équipe|Notre service|Le projet|La direction|Mon équipe|Le comité|Notre client
|Le groupe de travail|Le pôle data|La cellule innovation|L'agence de Lyon|Le support|La DSI
|Le service RH|Notre communauté|L'équipe produit|Le studio design|L'équipe finance"""
FR_VERBS = """a terminé|lance|présente|prépare|cherche des volontaires pour|partage|a publié
|organise|améliore|teste|documente|automatise|simplifie|relance|accompagne|finalise|revoit|pilote
|planifie|célèbre"""
FR_NOUNS = """la migration|le déploiement|le tableau de bord|la sécurité|le référentiel|l'atelier
|la formation|le recrutement|l'intégration|la facturation|le budget|la feuille de route|l'audit
|la conformité|le chantier|la refonte|le prototype|l'entrepôt de données|la plateforme
|l'application mobile|le portail|la messagerie|la supervision|la sauvegarde|la documentation
|le catalogue|la procédure|le processus|la campagne|la newsletter|le webinaire|le séminaire
|la rétrospective|le sprint|la démonstration|le hackathon|le mentorat|l'accueil|la cartographie
|la gouvernance|la stratégie|l'enquête|le baromètre|la satisfaction|la qualité|la performance
|la latence|la disponibilité|la résilience|la sobriété|l'empreinte carbone|le recyclage
|la mobilité|le télétravail|le bien-être|la diversité|l'inclusion|l'accessibilité|la traduction
|la négociation|le contrat|l'appel d'offres|le fournisseur|la logistique|l'entrepôt|la livraison
|le stock|la prévision|la tarification|la trésorerie|la comptabilité|la paie|le reporting
|l'analyse|le modèle|l'algorithme|l'intelligence artificielle|l'apprentissage automatique
|le chatbot|l'API|le microservice|le conteneur|le cluster|la base de données|la requête|l'index
|le cache|la file de messages|le pipeline|l'intégration continue|la revue de code
|la dette technique|le correctif|la mise à jour|la version|la maquette|l'ergonomie
|le parcours client|la fidélisation|la prospection|le salon|la conférence|le partenariat
|l'innovation|le brevet|la veille|la certification|la compétence|le talent|la carrière
|l'entretien annuel|l'expertise|le réseau|le calendrier|l'annonce|le bilan|le lancement
|la réussite|le tutoriel|la boîte à outils|le guide|la charte|le questionnaire|l'inventaire
|la facture|le devis|la commande|l'archivage|la signature électronique|le registre|le tableur
|la visioconférence|l'intranet|le wiki|la licence|le serveur|le réseau wifi|l'imprimante
|le badge|la cantine|le parking|le déménagement|le séminaire d'équipe|la fresque du climat"""
FR_ADJECTIVES = """efficace|rapide|simple|fiable|moderne|agile|durable|pratique|stratégique
|technique|interne|utile|accessible|responsable|flexible|robuste|critique|commun|numérique
|européen"""
FR_COMPLEMENTS = """pour le trimestre prochain|avec les équipes de Lyon|avant la fin du mois
|à Nantes|à Bordeaux|avec nos partenaires|en lien avec la DSI|pour tous les collaborateurs
|dès lundi|cette semaine|depuis janvier|grâce à vos retours|en mode pilote|sur le site de Lille
|avec le soutien du comité|pour nos clients|en moins de deux semaines|à Toulouse|à Strasbourg
|à Marseille|à Rennes|à Grenoble|en visioconférence|au siège|malgré les contraintes
|avec un budget serré"""
FR_OPENERS = "Bonne nouvelle :|Retour d'expérience :|Petit rappel :|Bravo à tous !"
FR_CLOSERS = """Vos retours sont les bienvenus.|Qui est partant ?|Plus d'infos bientôt.
|Merci pour votre aide.|N'hésitez pas à me contacter.|On en parle jeudi ?"""
FR_TITLES = """Retour sur {n}|Comment nous avons réussi {n}|Cinq leçons sur {n}
|Guide pratique : {n}|Pourquoi {n} compte|Ce que nous avons appris sur {n}"""
FR_COMMENTS = """Merci pour le partage !|Bravo, beau travail.|Très intéressant, on peut en parler ?
|Je suis partant.|Super initiative !|Est-ce que les slides sont disponibles ?
|On a eu le même souci chez nous.|Top, merci."""

EN_SUBJECTS = """The team|Our department|The project|Management|My team|The steering committee
|Our customer|The working group|The data team|The innovation lab|The London office|Support|IT
|HR|Our community|The product team"""
EN_VERBS = """finished|is launching|presented|is preparing|is looking for volunteers for|shared
|published|is organising|improved|is testing|documented|automated|simplified|restarted
|is piloting|reviewed|planned|celebrated"""
EN_NOUNS = """the migration|the deployment|the dashboard|security|the repository|the workshop
|the training|hiring|onboarding|invoicing|the budget|the roadmap|the audit|compliance
|the prototype|the data warehouse|the platform|the mobile app|the portal|monitoring|backups
|documentation|the catalogue|the procedure|the campaign|the newsletter|the webinar|the retreat
|the retrospective|the sprint|the demo|the hackathon|mentoring|the survey|customer satisfaction
|quality|performance|latency|availability|resilience|the carbon footprint|recycling|remote work
|wellbeing|diversity|inclusion|accessibility|translation|negotiation|the contract|the tender
|the supplier|logistics|the warehouse|delivery|inventory|forecasting|pricing|cash flow
|accounting|payroll|reporting|the analysis|the model|the algorithm|machine learning|the chatbot
|the API|the microservice|the container|the cluster|the database|the query|the index|the cache
|the message queue|the pipeline|continuous integration|code review|technical debt|the hotfix
|the upgrade|the release|the mockup|usability|the customer journey|retention|prospecting
|the trade fair|the conference|the partnership|innovation|the patent|certification|skills
|careers|the annual review|expertise|the network|the calendar|the announcement|the launch
|the tutorial|the toolkit|the guide|the charter|the questionnaire|the invoice|the quote
|the purchase order|archiving|electronic signatures|the spreadsheet|the intranet|the wiki
|licensing|the server|the printer|the badge|the canteen|the car park|the office move"""
EN_ADJECTIVES = """efficient|fast|simple|reliable|modern|agile|sustainable|practical|strategic
|internal|useful|accessible|flexible|robust|critical|shared|digital|global"""
EN_COMPLEMENTS = """for next quarter|with the Lyon teams|before the end of the month
|in Manchester|in Dublin|with our partners|together with IT|for every employee|from Monday
|this week|since January|thanks to your feedback|as a pilot|at the Leeds site
|with the committee's support|for our customers|in under two weeks|in Edinburgh|over video
|at headquarters|despite the constraints|on a tight budget"""
EN_OPENERS = "Good news:|Lessons learned:|Quick reminder:|Well done everyone!"
EN_CLOSERS = """Feedback welcome.|Who's in?|More soon.|Thanks for your help.
|Ping me if you have questions.|Shall we talk about it on Thursday?"""
EN_TITLES = """Looking back at {n}|How we got {n} right|Five lessons about {n}
|A practical guide to {n}|Why {n} matters|What we learned about {n}"""
EN_COMMENTS = """Thanks for sharing!|Great work.|Very interesting, can we talk?|Count me in.
|Great initiative!|Are the slides available?|We had the same issue.|Nice, thanks."""

# 100 topics x 3 forms = 300 hashtags.
TAG_BASES_TEXT = """kubernetes|python|java|javascript|typescript|react|vue|django|rust|golang|sql
|postgresql|cloud|aws|azure|gcp|devops|finops|securite|cybersecurity|rgpd|gdpr|ia|ai
|machinelearning|datascience|dataviz|bigdata|api|microservices|docker|terraform|ansible|linux
|agile|scrum|kanban|safe|product|ux|design|accessibilite|a11y|onboarding|recrutement|formation
|mentorat|leadership|management|rse|greenit|climat|mobilite|teletravail|diversite|inclusion
|handicap|sante|bienetre|sport|running|velo|finance|compta|achats|juridique|contrats|qualite
|iso27001|audit|risques|innovation|hackathon|opensource|veille|conference|meetup|webinaire
|salon|clients|vente|marketing|communication|intranet|wiki|documentation|support|itsm
|reseau|telecom|5g|iot|robotique|blockchain|quantique|excel|powerbi|sap|salesforce|kotlin"""
TAG_SUFFIXES = ["", "2026", "-tips"]

# slug, French label, English label
SKILLS_TEXT = """python,Python,Python|java,Java,Java|kubernetes,Kubernetes,Kubernetes|sql,SQL,SQL
|cloud,Cloud,Cloud|devops,DevOps,DevOps|securite,Sécurité,Security|rgpd,RGPD,GDPR
|datascience,Science des données,Data science|dataviz,Visualisation de données,Data visualisation
|agile,Agilité,Agile|product,Gestion de produit,Product management
|ux,Expérience utilisateur,User experience|accessibilite,Accessibilité,Accessibility
|recrutement,Recrutement,Recruiting|formation,Formation,Training|leadership,Leadership,Leadership
|management,Management,Management|finance,Finance,Finance|achats,Achats,Procurement
|juridique,Droit des affaires,Business law|qualite,Qualité,Quality|audit,Audit,Audit
|innovation,Innovation,Innovation|vente,Vente,Sales|marketing,Marketing,Marketing
|communication,Communication,Communication|support,Support utilisateurs,User support
|reseau,Réseaux,Networking|excel,Excel,Excel|powerbi,Power BI,Power BI|sap,SAP,SAP
|negociation,Négociation,Negotiation|mentorat,Mentorat,Mentoring|rse,RSE,CSR
|greenit,Numérique responsable,Green IT|terraform,Terraform,Terraform|react,React,React
|django,Django,Django|linux,Linux,Linux"""
TITLES_TEXT = """Développeur|Développeuse|Chef de projet|Product owner|Data analyst|Data scientist
|Architecte cloud|Ingénieur sécurité|Chargée de recrutement|Responsable RH
|Contrôleur de gestion|Acheteuse|Juriste|Commercial|Designer UX|Technicien support|Manager
|Directrice de programme|Consultant|Assistante de direction"""
LOCATIONS_TEXT = "Paris|Lyon|Nantes|Lille|Bordeaux|Toulouse|Londres|Bruxelles"
ORG_UNITS_TEXT = """Direction générale|DSI|Data & IA|Sécurité|Ressources humaines|Finance|Achats
|Juridique|Commercial|Marketing|Produit|Design|Support|Opérations|Logistique|Qualité"""
# name, visibility, relative popularity (who joins, and who follows)
COMMUNITIES_TEXT = """Data & IA,open,1.0|Cybersécurité,open,0.8|Cloud & DevOps,open,0.9
|Agilité,open,0.6|Développement Python,open,0.5|Front-end,open,0.4|RH & Talents,open,0.5
|Diversité et inclusion,open,0.3|Green IT,open,0.3|Finance,open,0.3|Achats,open,0.2
|Juridique,open,0.15|Innovation,open,0.5|Produit,open,0.4|Design UX,open,0.25
|Mobilité interne,open,0.35|Managers,open,0.4|Nouveaux arrivants,open,0.6|Running,open,0.2
|Photographie,open,0.15|Jeux de société,open,0.1|Vélo au travail,open,0.15|Parents,open,0.2
|Accessibilité,open,0.1|Comité de direction élargi,closed,0.05|Experts sécurité,closed,0.1
|Architectes,closed,0.08|Projet Phénix,secret,0.03|Fusion Atlas,secret,0.02
|Plan social 2026,secret,0.01"""
REACTION_KINDS = ["like", "like", "like", "celebrate", "insightful", "support", "curious"]


def _phrases(text: str) -> list[str]:
    """The '|'-separated phrases of a block of text."""
    return [p.strip() for p in text.replace("\n", "").split("|") if p.strip()]


def _table(text: str) -> list[list[str]]:
    """The comma-separated fields of each '|'-separated phrase."""
    return [phrase.split(",") for phrase in _phrases(text)]


TAG_BASES = _phrases(TAG_BASES_TEXT)
SKILLS = _table(SKILLS_TEXT)
TITLES = _phrases(TITLES_TEXT)
LOCATIONS = _phrases(LOCATIONS_TEXT)
ORG_UNITS = _phrases(ORG_UNITS_TEXT)
COMMUNITIES = [(name, vis, float(weight)) for name, vis, weight in _table(COMMUNITIES_TEXT)]


@dataclass(frozen=True)
class Language:
    """The word lists of one language."""

    code: str
    subjects: list[str]
    verbs: list[str]
    nouns: list[str]
    adjectives: list[str]
    complements: list[str]
    openers: list[str]
    closers: list[str]
    titles: list[str]
    comments: list[str]
    thanks: str


FRENCH = Language(
    "fr",
    *map(
        _phrases,
        [
            FR_SUBJECTS,
            FR_VERBS,
            FR_NOUNS,
            FR_ADJECTIVES,
            FR_COMPLEMENTS,
            FR_OPENERS,
            FR_CLOSERS,
            FR_TITLES,
            FR_COMMENTS,
        ],
    ),
    thanks="Merci {m} pour le coup de main.",
)
ENGLISH = Language(
    "en",
    *map(
        _phrases,
        [
            EN_SUBJECTS,
            EN_VERBS,
            EN_NOUNS,
            EN_ADJECTIVES,
            EN_COMPLEMENTS,
            EN_OPENERS,
            EN_CLOSERS,
            EN_TITLES,
            EN_COMMENTS,
        ],
    ),
    thanks="Thanks {m} for the help.",
)
STOP = {"la", "le", "les", "l", "the", "de", "d", "à", "a", "of"}


def search_words() -> list[str]:
    """Head words of the noun phrases, the query words of the search benchmark."""
    words: dict[str, None] = {}
    for phrase in FRENCH.nouns + ENGLISH.nouns:
        for word in re.split(r"[\s']+", phrase):
            if word.lower() not in STOP and len(word) > 2:
                words.setdefault(word.lower(), None)
                break
    return list(words)


# --------------------------------------------------------------------------------------------
# Command line, database checks and Django set-up.
# --------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="people (default 10000)")
    parser.add_argument("--posts", type=int, default=200_000, help="posts (default 200000)")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per row")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per row")
    parser.add_argument("--pool", type=int, default=100, help="distinct signed-in users")
    parser.add_argument("--seed", type=int, default=42, help="random seed of data and requests")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the data set anyway")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE the feed query, try rewrites"
    )
    args = parser.parse_args(argv)
    if args.people < 50 or args.posts < 100 or args.requests < 1 or args.pool < 1:
        parser.error("use at least 50 people, 100 posts, 1 request and a pool of 1")
    return args


def fail(message: str) -> NoReturn:
    """Print `message` and stop with an error status."""
    print(f"feed_search: {message}", file=sys.stderr)
    raise SystemExit(2)


def database_config() -> dict[str, Any]:
    """The DATABASE_URL's settings; refuse anything but a PostgreSQL vivier_bench* database."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        fail(
            "set DATABASE_URL to a PostgreSQL database, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/vivier_bench "
            ".venv/bin/python benchmarks/feed_search.py"
        )
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        fail(f"this benchmark needs PostgreSQL; DATABASE_URL points to {config['ENGINE']}.")
    if not str(config["NAME"]).startswith(DB_PREFIX):
        fail(
            f"the database name must start with {DB_PREFIX!r} (the benchmark empties it to "
            f"rebuild); got {config['NAME']!r}."
        )
    return config


def ensure_database(config: dict[str, Any]) -> bool:
    """Create the database through the 'postgres' maintenance database if missing."""
    import psycopg
    from psycopg import sql

    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    try:
        maintenance = psycopg.connect(dbname="postgres", autocommit=True, **params)
    except psycopg.OperationalError as exc:
        fail(f"cannot reach PostgreSQL: {exc}")
    with maintenance:
        exists = maintenance.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if exists:
            return False
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        return True


def setup_django() -> None:
    """Load Vivier's production settings (DATABASE_URL applies) and migrate quietly."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vivier.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


# --------------------------------------------------------------------------------------------
# Data set generation.
# --------------------------------------------------------------------------------------------


@dataclass
class Timings:
    """Rows written and seconds spent, per table or step."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str, what: str = "") -> Iterator[None]:
        """Time one step of a table (its seconds add up); the step sets its row count."""
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        self.seconds[name] = self.seconds.get(name, 0.0) + elapsed
        print(f"  {name + (f' ({what})' if what else ''):<36} {elapsed:7.1f} s", flush=True)


@dataclass
class PostRow:
    """What later steps need to know about a generated post."""

    id: int
    created_at: datetime
    author_id: int
    community_id: int | None
    deleted: bool
    comments: int = 0
    reactions: int = 0


@dataclass
class World:
    """The generated ids and relations that later steps draw from."""

    rng: random.Random
    now: datetime
    user_ids: list[int] = field(default_factory=list)
    user_language: dict[int, str] = field(default_factory=dict)
    handles: dict[int, str] = field(default_factory=dict)
    author_cum: list[float] = field(default_factory=list)
    author_ids: list[int] = field(default_factory=list)
    popular_cum: list[float] = field(default_factory=list)
    popular_ids: list[int] = field(default_factory=list)
    community_ids: list[int] = field(default_factory=list)
    community_visibility: dict[int, str] = field(default_factory=dict)
    community_weight: dict[int, float] = field(default_factory=dict)
    active_communities: dict[int, list[int]] = field(default_factory=dict)
    tag_ids: list[int] = field(default_factory=list)
    tag_cum: list[float] = field(default_factory=list)
    tag_names: dict[int, str] = field(default_factory=dict)
    followees: dict[int, list[int]] = field(default_factory=dict)
    posts: list[PostRow] = field(default_factory=list)


def zipf_cum_weights(n: int, exponent: float, offset: float = 1.0) -> list[float]:
    """Cumulative power-law weights over ranks 0..n-1, rank 0 the most likely."""
    return list(itertools.accumulate((rank + offset) ** -exponent for rank in range(n)))


def pick_distinct(
    rng: random.Random, population: Sequence[int], cum: Sequence[float], k: int, exclude: int = 0
) -> list[int]:
    """Up to k distinct weighted picks from population, never `exclude`."""
    chosen: dict[int, None] = {}
    for _attempt in range(4):
        for value in rng.choices(population, cum_weights=cum, k=k * 2):
            if value != exclude:
                chosen.setdefault(value, None)
            if len(chosen) >= k:
                return list(chosen)
    return list(chosen)


def random_moment(rng: random.Random, now: datetime, days: float) -> datetime:
    """A moment in the last `days` days."""
    return now - timedelta(seconds=rng.random() * days * 86400)


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into `table` through psycopg; return how many were written."""
    from django.db import connection

    count = 0
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def reset_sequence(table: str) -> None:
    """Move the id sequence of `table` past the ids written explicitly."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table}))",
            [table],
        )


def wipe_database() -> None:
    """Empty every Vivier table (keeping migrations, content types, permissions, groups)."""
    from django.db import connection

    keep = {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
    }
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - keep)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute(f"DROP TABLE IF EXISTS {MARKER_TABLE}")


def handle_of(first: str, last: str, index: int) -> str:
    """An e-mail local part that @mentions can use: ascii, lower case, unique."""
    folded = unidecode(f"{first}.{last}").lower()
    return re.sub(r"[^a-z0-9.]+", "-", folded).strip("-.") + str(index)


def create_places(timings: Timings) -> tuple[list[Any], list[Any]]:
    """A flat org chart under one root, and a few sites."""
    from vivier.people.models import Location, OrgUnit

    with timings.step("people_orgunit+location"):
        root = OrgUnit.objects.create(name=ORG_UNITS[0], code="ROOT", path="/", depth=0)
        root.path = f"/{root.pk}/"
        root.save(update_fields=["path"])
        units = OrgUnit.objects.bulk_create(
            OrgUnit(name=name, code=f"U{i:02d}", parent=root, path="/", depth=1)
            for i, name in enumerate(ORG_UNITS[1:], start=1)
        )
        for unit in units:
            unit.path = f"{root.path}{unit.pk}/"
        OrgUnit.objects.bulk_update(units, ["path"])
        locations = Location.objects.bulk_create(Location(name=n, city=n) for n in LOCATIONS)
        timings.rows["people_orgunit+location"] = len(units) + 1 + len(locations)
    return units, locations


def create_users(world: World, count: int, timings: Timings) -> list[Any]:
    """Users with French or English names (bulk_create) and one shared password hash."""
    from django.contrib.auth.hashers import make_password
    from faker import Faker

    from vivier.accounts.models import User

    rng = world.rng
    with timings.step("accounts_user"):
        password = make_password(BENCH_PASSWORD)  # one hash for everyone: fast and usable
        fakers = {"fr": Faker("fr_FR"), "en": Faker("en_GB")}
        for offset, faker in enumerate(fakers.values()):
            faker.seed_instance(rng.randrange(1 << 30) + offset)
        users = []
        for i in range(count):
            language = "fr" if rng.random() < 0.75 else "en"
            first, last = fakers[language].first_name(), fakers[language].last_name()
            users.append(
                User(
                    email=f"{handle_of(first, last, i)}@bench.vivier.test",
                    first_name=first,
                    last_name=last,
                    language=language,
                    password=password,
                    date_joined=random_moment(rng, world.now, 3 * 365),
                )
            )
        users = User.objects.bulk_create(users, batch_size=BATCH)
        for user in users:
            world.user_ids.append(user.pk)
            world.user_language[user.pk] = user.language
            world.handles[user.pk] = user.email.split("@")[0]
        timings.rows["accounts_user"] = len(users)
    return users


def create_profiles(
    world: World, users: list[Any], places: tuple[list[Any], list[Any]], timings: Timings
) -> None:
    """One profile per user (bulk_create): title, org unit, site, languages."""
    from vivier.core.text import normalize
    from vivier.people.models import Profile

    rng = world.rng
    units, locations = places
    with timings.step("people_profile"):
        profiles = []
        for user in users:
            title = rng.choice(TITLES)
            spoken = ["fr", "en"] if rng.random() < 0.6 else [user.language]
            text = f"{user.first_name} {user.last_name} {user.email} {title}"
            profiles.append(
                Profile(
                    user=user,
                    title=title,
                    org_unit=rng.choice(units),
                    location=rng.choice(locations),
                    languages=spoken,
                    languages_text="," + ",".join(spoken) + ",",
                    availability_percent=rng.choice([0, 0, 10, 20, 50]),
                    search_text=normalize(text)[:600],
                )
            )
        Profile.objects.bulk_create(profiles, batch_size=BATCH)
        timings.rows["people_profile"] = len(profiles)


def create_skills(world: World, timings: Timings) -> None:
    """~40 skills and 0-6 declared skills per person (bulk_create)."""
    from vivier.people.models import ProfileSkill, Skill

    rng = world.rng
    with timings.step("people_profileskill"):
        skills = Skill.objects.bulk_create(
            Skill(slug=slug, label_fr=fr, label_en=en) for slug, fr, en in SKILLS
        )
        skill_cum = zipf_cum_weights(len(skills), 0.8, 2)
        skill_ids = [s.pk for s in skills]
        rows = []
        for user_id in world.user_ids:
            for skill_id in pick_distinct(rng, skill_ids, skill_cum, rng.randint(0, 6)):
                rows.append(
                    ProfileSkill(user_id=user_id, skill_id=skill_id, level=rng.randint(1, 4))
                )
        ProfileSkill.objects.bulk_create(rows, batch_size=BATCH)
        timings.rows["people_profileskill"] = len(rows) + len(skills)


def rank_people(world: World) -> None:
    """Who posts (40% never do) and who gets followed: two loosely correlated power laws."""
    rng = world.rng
    order = world.user_ids[:]
    rng.shuffle(order)
    posters = order[: int(len(order) * 0.6)]
    world.author_ids = posters
    world.author_cum = zipf_cum_weights(len(posters), 1.2, 20)
    rank = {user_id: i for i, user_id in enumerate(order)}
    world.popular_ids = sorted(
        world.user_ids, key=lambda u: (rank[u] + 1) * rng.lognormvariate(0, 1.0)
    )
    world.popular_cum = zipf_cum_weights(len(world.popular_ids), 1.0, 5)


def create_people(world: World, count: int, timings: Timings) -> None:
    """People: org chart and sites, users, profiles, declared skills; then their ranks."""
    places = create_places(timings)
    users = create_users(world, count, timings)
    create_profiles(world, users, places, timings)
    create_skills(world, timings)
    rank_people(world)


def create_communities(world: World, timings: Timings) -> None:
    """~30 communities (mostly open, some closed, 3 secret) and 1-4 memberships per person."""
    from django.utils.text import slugify

    from vivier.social.models import Community

    rng = world.rng
    with timings.step("social_community"):
        communities = Community.objects.bulk_create(
            Community(
                name=name,
                slug=slugify(name),
                description=f"La communauté {name} : échanges, questions et partages.",
                visibility=visibility,
                created_by_id=rng.choice(world.user_ids),
            )
            for name, visibility, _weight in COMMUNITIES
        )
        for community, (_name, visibility, weight) in zip(communities, COMMUNITIES, strict=True):
            world.community_ids.append(community.pk)
            world.community_visibility[community.pk] = visibility
            world.community_weight[community.pk] = weight
        timings.rows["social_community"] = len(communities)

    with timings.step("social_membership"):
        cum = list(itertools.accumulate(world.community_weight[c] for c in world.community_ids))
        owners = {c.pk: c.created_by_id for c in communities}
        rows: list[tuple[Any, ...]] = []
        members: dict[int, set[int]] = {c: set() for c in world.community_ids}
        for user_id in world.user_ids:
            k = rng.choices([1, 2, 3, 4], weights=[40, 30, 20, 10])[0]
            for community_id in pick_distinct(rng, world.community_ids, cum, k):
                members[community_id].add(user_id)
        for community_id, owner in owners.items():
            members[community_id].add(owner)
        for community_id, people in members.items():
            closed = world.community_visibility[community_id] == "closed"
            for user_id in sorted(people):
                pending = closed and user_id != owners[community_id] and rng.random() < 0.15
                role = "owner" if user_id == owners[community_id] else "member"
                if role == "member" and rng.random() < 0.02:
                    role = "animator"
                when = random_moment(rng, world.now, 2 * 365)
                rows.append(
                    (
                        when,
                        when,
                        community_id,
                        user_id,
                        role,
                        "pending" if pending else "active",
                    )
                )
                if not pending:
                    world.active_communities.setdefault(user_id, []).append(community_id)
        columns = ["created_at", "updated_at", "community_id", "user_id", "role", "status"]
        timings.rows["social_membership"] = copy_rows("social_membership", columns, rows)


def create_tags(world: World, timings: Timings) -> None:
    """~300 hashtags, linked to the skill of the same name when there is one."""
    from vivier.core.text import normalize
    from vivier.people.models import Skill
    from vivier.social.models import Tag

    with timings.step("social_tag"):
        skills = dict(Skill.objects.values_list("slug", "pk"))
        names = [base + suffix for suffix in TAG_SUFFIXES for base in TAG_BASES][:300]
        tags = Tag.objects.bulk_create(
            Tag(name=name, normalized=normalize(name), skill_id=skills.get(name)) for name in names
        )
        world.rng.shuffle(tags)  # popularity is not alphabetical
        world.tag_ids = [t.pk for t in tags]
        world.tag_names = {t.pk: t.name for t in tags}
        world.tag_cum = zipf_cum_weights(len(tags), 1.0, 3)
        timings.rows["social_tag"] = len(tags)


def create_follows(world: World, timings: Timings) -> list[tuple[int, int, datetime]]:
    """~20 people (power law on who), ~3 tags and ~2 communities followed per person."""
    rng = world.rng
    user_follows: list[tuple[int, int, datetime]] = []
    with timings.step("social_follow"):
        rows: list[tuple[Any, ...]] = []
        visible = [c for c in world.community_ids if world.community_visibility[c] != "secret"]
        visible_cum = list(itertools.accumulate(world.community_weight[c] for c in visible))
        for follower in world.user_ids:
            k = 0 if rng.random() < 0.05 else min(300, int(rng.lognormvariate(math.log(16), 0.7)))
            people = pick_distinct(rng, world.popular_ids, world.popular_cum, k, exclude=follower)
            world.followees[follower] = people
            for user_id in people:
                when = random_moment(rng, world.now, 365)
                rows.append((follower, user_id, None, None, when))
                user_follows.append((follower, user_id, when))
            for tag_id in pick_distinct(rng, world.tag_ids, world.tag_cum, rng.randint(0, 6)):
                rows.append((follower, None, tag_id, None, random_moment(rng, world.now, 365)))
            mine = set(world.active_communities.get(follower, []))
            for community_id in pick_distinct(rng, visible, visible_cum, rng.randint(0, 4)):
                if community_id not in mine:
                    when = random_moment(rng, world.now, 365)
                    rows.append((follower, None, None, community_id, when))
        columns = ["follower_id", "user_id", "tag_id", "community_id", "created_at"]
        timings.rows["social_follow"] = copy_rows("social_follow", columns, rows)
    return user_follows


def sentence(rng: random.Random, lang: Language) -> str:
    """One short sentence."""
    noun = rng.choice(lang.nouns)
    adjective = f" {rng.choice(lang.adjectives)}" if rng.random() < 0.4 else ""
    return (
        f"{rng.choice(lang.subjects)} {rng.choice(lang.verbs)} {noun}{adjective} "
        f"{rng.choice(lang.complements)}."
    )


def link(href: str, css: str, text: str) -> str:
    """A link as the post renderer writes it."""
    return f'<a href="{href}" class="{css}" rel="noopener noreferrer nofollow">{text}</a>'


def post_text(
    rng: random.Random, lang: Language, *, article: bool, tags: list[str], mentions: list[str]
) -> tuple[str, str, str]:
    """Title, markdown body and HTML of a post (an update of 1-3 sentences, or an article)."""
    title = ""
    paragraphs: list[str] = []
    if article:
        title = rng.choice(lang.titles).format(n=rng.choice(lang.nouns))
        for _ in range(rng.randint(3, 5)):
            paragraphs.append(" ".join(sentence(rng, lang) for _ in range(rng.randint(3, 6))))
    else:
        parts = [sentence(rng, lang) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts.insert(0, rng.choice(lang.openers))
        if rng.random() < 0.4:
            parts.append(rng.choice(lang.closers))
        paragraphs.append(" ".join(parts))
    body_paragraphs = paragraphs[:]
    html_paragraphs = [html.escape(p, quote=False) for p in paragraphs]
    if mentions:
        mention_text = " ".join(f"@{m}" for m in mentions)
        mention_html = " ".join(link("/people/0/", "mention", f"@{m}") for m in mentions)
        body_paragraphs.append(lang.thanks.format(m=mention_text))
        html_paragraphs.append(html.escape(lang.thanks).format(m=mention_html))
    if tags:
        body_paragraphs[-1] += " " + " ".join(f"#{t}" for t in tags)
        html_paragraphs[-1] += " " + " ".join(link(f"/tags/{t}/", "hashtag", f"#{t}") for t in tags)
    body = "\n\n".join(body_paragraphs)
    body_html = "\n".join(f"<p>{p}</p>" for p in html_paragraphs)
    return title, body, body_html


def create_posts(world: World, count: int, timings: Timings) -> list[tuple[int, int]]:
    """Posts over 12 months (COPY): power-law authors, 20% in communities, tags and mentions."""
    rng = world.rng
    post_tags: list[tuple[int, int]] = []
    mentions: list[tuple[int, int]] = []
    with timings.step("social_post", "text"):
        stamps = sorted(random_moment(rng, world.now, 365) for _ in range(count))
        authors = rng.choices(world.author_ids, cum_weights=world.author_cum, k=count)
        public_ids: list[int] = []
        rows: list[tuple[Any, ...]] = []
        for index, (created_at, author_id) in enumerate(zip(stamps, authors, strict=True)):
            post_id = index + 1
            lang = FRENCH if world.user_language[author_id] == "fr" else ENGLISH
            if rng.random() < 0.15:
                lang = ENGLISH if lang is FRENCH else FRENCH
            mine = world.active_communities.get(author_id)
            community_id = rng.choice(mine) if mine and rng.random() < 0.2 else None
            tag_ids: list[int] = []
            if rng.random() < 0.4:
                k = rng.choices([1, 2, 3], weights=[60, 30, 10])[0]
                tag_ids = pick_distinct(rng, world.tag_ids, world.tag_cum, k)
            mentioned: list[int] = []
            if rng.random() < 0.06:
                pool = world.followees.get(author_id) or world.user_ids
                mentioned = list({rng.choice(pool) for _ in range(rng.randint(1, 2))})
            shared_from = None
            if public_ids and community_id is None and rng.random() < 0.01:
                shared_from = rng.choice(public_ids[-5000:])
            article = rng.random() < 0.05
            title, body, body_html = post_text(
                rng,
                lang,
                article=article,
                tags=[world.tag_names[t] for t in tag_ids],
                mentions=[world.handles[m] for m in mentioned],
            )
            deleted = rng.random() < 0.003
            world.posts.append(PostRow(post_id, created_at, author_id, community_id, deleted))
            post_tags.extend((post_id, t) for t in tag_ids)
            mentions.extend((post_id, m) for m in mentioned)
            if community_id is None and not deleted:
                public_ids.append(post_id)
            rows.append(
                [
                    post_id,
                    created_at,
                    created_at,
                    author_id,
                    "article" if article else "update",
                    title,
                    body,
                    body_html,
                    "[]",
                    lang.code,
                    community_id,
                    shared_from,
                    None,
                    created_at + timedelta(hours=1) if deleted else None,
                    author_id if deleted else None,
                ]
            )
    return _finish_posts(world, rows, post_tags, mentions, timings)


def _finish_posts(
    world: World,
    rows: list[list[Any]],
    post_tags: list[tuple[int, int]],
    mentions: list[tuple[int, int]],
    timings: Timings,
) -> list[tuple[int, int]]:
    """Plan comments and reactions (for the posts' counters), then COPY posts and their m2m."""
    comments = plan_comments(world, timings)
    reactions = plan_reactions(world, timings)
    with timings.step("social_post", "COPY"):
        columns = [
            "id",
            "created_at",
            "updated_at",
            "author_id",
            "kind",
            "title",
            "body",
            "body_html",
            "toc",
            "language",
            "community_id",
            "shared_from_id",
            "edited_at",
            "deleted_at",
            "deleted_by_id",
            "comment_count",
            "reaction_count",
            "answer_count",
        ]
        counted = (
            [*row, post.comments, post.reactions, 0]
            for row, post in zip(rows, world.posts, strict=True)
        )
        timings.rows["social_post"] = copy_rows("social_post", columns, counted)
        reset_sequence("social_post")
    with timings.step("social_post_tags"):
        timings.rows["social_post_tags"] = copy_rows(
            "social_post_tags", ["post_id", "tag_id"], post_tags
        )
    with timings.step("social_post_mentions"):
        timings.rows["social_post_mentions"] = copy_rows(
            "social_post_mentions", ["post_id", "user_id"], mentions
        )
    with timings.step("social_comment", "COPY"):
        columns = ["id", "created_at", "updated_at", "post_id", "author_id", "parent_id"]
        columns += ["body", "body_html", "edited_at", "deleted_at"]
        timings.rows["social_comment"] = copy_rows("social_comment", columns, comments)
        reset_sequence("social_comment")
    with timings.step("social_reaction", "COPY"):
        columns = ["post_id", "user_id", "kind", "created_at"]
        timings.rows["social_reaction"] = copy_rows("social_reaction", columns, reactions)
    return mentions


def later(rng: random.Random, start: datetime, now: datetime, days: float) -> datetime:
    """A moment up to `days` after `start`, never in the future."""
    return min(now, start + timedelta(seconds=rng.random() * days * 86400))


def plan_comments(world: World, timings: Timings) -> list[tuple[Any, ...]]:
    """Comments on ~12% of the posts, 20% of them replies; counted on their posts."""
    rng = world.rng
    rows: list[tuple[Any, ...]] = []
    with timings.step("social_comment", "text"):
        for post in world.posts:
            if post.deleted or rng.random() >= 0.12:
                continue
            lang = FRENCH if world.user_language[post.author_id] == "fr" else ENGLISH
            top: list[int] = []
            for _ in range(min(12, 1 + int(rng.expovariate(1 / 1.5)))):
                comment_id = len(rows) + 1
                parent = rng.choice(top) if top and rng.random() < 0.2 else None
                text = rng.choice(lang.comments)
                if rng.random() < 0.5:
                    text += " " + sentence(rng, lang)
                when = later(rng, post.created_at, world.now, 3)
                author = rng.choice(world.user_ids)
                body_html = f"<p>{html.escape(text, quote=False)}</p>"
                rows.append(
                    (comment_id, when, when, post.id, author, parent, text, body_html, None, None)
                )
                if parent is None:
                    top.append(comment_id)
                post.comments += 1
    return rows


def plan_reactions(world: World, timings: Timings) -> list[tuple[Any, ...]]:
    """Reactions on ~45% of the posts (one per person and post); counted on their posts."""
    rng = world.rng
    rows: list[tuple[Any, ...]] = []
    with timings.step("social_reaction", "plan"):
        for post in world.posts:
            if post.deleted or rng.random() >= 0.45:
                continue
            k = min(40, 1 + int(rng.expovariate(1 / 1.4)))
            for user_id in {rng.choice(world.user_ids) for _ in range(k)}:
                when = later(rng, post.created_at, world.now, 5)
                rows.append((post.id, user_id, rng.choice(REACTION_KINDS), when))
                post.reactions += 1
    return rows


def create_notifications(
    world: World,
    user_follows: list[tuple[int, int, datetime]],
    mentions: list[tuple[int, int]],
    timings: Timings,
) -> None:
    """Notifications for comments, mentions, half the reactions and follows; old ones read."""
    from django.db import connection

    rng = world.rng
    posts = {p.id: p for p in world.posts}
    week_ago = world.now - timedelta(days=7)

    def row(
        recipient: int, kind: str, actor: int, post: int | None, comment: int | None, when: Any
    ) -> tuple[Any, ...] | None:
        if recipient == actor:
            return None
        read = rng.random() < (0.9 if when < week_ago else 0.4)
        read_at = later(rng, when, world.now, 3) if read else None
        return (recipient, kind, actor, post, comment, None, when, read_at, read_at, "", "")

    # Read first: during the COPY the connection is busy.
    with timings.step("social_notification", "read"), connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.post_id, c.author_id, c.created_at, p.author_id, pc.author_id "
            "FROM social_comment c JOIN social_post p ON p.id = c.post_id "
            "LEFT JOIN social_comment pc ON pc.id = c.parent_id"
        )
        comments = cursor.fetchall()
        cursor.execute("SELECT post_id, user_id, created_at FROM social_reaction")
        reactions = cursor.fetchall()

    def rows() -> Iterator[tuple[Any, ...] | None]:
        for comment_id, post_id, author, when, post_author, parent_author in comments:
            if parent_author is not None:
                yield row(parent_author, "reply", author, post_id, comment_id, when)
            else:
                yield row(post_author, "comment", author, post_id, comment_id, when)
        for post_id, user_id in mentions:
            post = posts[post_id]
            yield row(user_id, "mention", post.author_id, post_id, None, post.created_at)
        for post_id, user_id, when in reactions:
            if rng.random() < 0.5:
                yield row(posts[post_id].author_id, "reaction", user_id, post_id, None, when)
        for follower, user_id, when in user_follows:
            yield row(user_id, "follow", follower, None, None, when)

    with timings.step("social_notification", "COPY"):
        columns = ["recipient_id", "type", "actor_id", "post_id", "comment_id", "community_id"]
        columns += ["created_at", "read_at", "emailed_at", "text", "url"]
        timings.rows["social_notification"] = copy_rows(
            "social_notification", columns, (r for r in rows() if r is not None)
        )


def update_counters(timings: Timings) -> None:
    """Community member and post counters, as the services keep them."""
    from django.db import connection

    with timings.step("community counters"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE social_community c SET "
            "member_count = (SELECT COUNT(*) FROM social_membership m "
            "WHERE m.community_id = c.id AND m.status = 'active'), "
            "post_count = (SELECT COUNT(*) FROM social_post p "
            "WHERE p.community_id = c.id AND p.deleted_at IS NULL)"
        )
        timings.rows["community counters"] = cursor.rowcount


def read_marker() -> dict[str, Any] | None:
    """What the last complete build recorded, or None."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER_TABLE])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT value FROM {MARKER_TABLE} WHERE key = 'dataset'")
        found = cursor.fetchone()
    if not found:
        return None
    return found[0] if isinstance(found[0], dict) else json.loads(found[0])


def write_marker(value: dict[str, Any]) -> None:
    """Record a complete build, so the next run can skip it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (key text PRIMARY KEY, value jsonb)"
        )
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (key, value) VALUES ('dataset', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(value)],
        )


def build_dataset(args: argparse.Namespace) -> Timings:
    """Empty the database and generate the whole data set, then index it and ANALYZE."""
    from django.db import connection

    from vivier.search.services import search_rebuild

    timings = Timings()
    world = World(rng=random.Random(args.seed), now=datetime.now(UTC))
    print(f"Building {args.people:,} people and {args.posts:,} posts (seed {args.seed})...")
    started = time.perf_counter()
    wipe_database()
    create_people(world, args.people, timings)
    create_communities(world, timings)
    create_tags(world, timings)
    user_follows = create_follows(world, timings)
    mentions = create_posts(world, args.posts, timings)
    create_notifications(world, user_follows, mentions, timings)
    update_counters(timings)
    with timings.step("search_rebuild()"):
        counts = search_rebuild()
        timings.rows["search_rebuild()"] = sum(counts.values())
    with timings.step("VACUUM ANALYZE"), connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    timings.seconds["total"] = time.perf_counter() - started
    write_marker(
        {
            "version": GENERATOR_VERSION,
            "people": args.people,
            "posts": args.posts,
            "seed": args.seed,
            "built_at": world.now.isoformat(),
            # A list: jsonb does not keep the order of an object's keys.
            "steps": [[n, timings.rows.get(n, 0), sec] for n, sec in timings.seconds.items()],
        }
    )
    return timings


def ensure_dataset(args: argparse.Namespace) -> tuple[Timings, dict[str, Any], bool]:
    """Build the data set unless the last complete build matches the options; say if built."""
    marker = read_marker()
    wanted = {"version": GENERATOR_VERSION, "people": args.people, "posts": args.posts}
    wanted["seed"] = args.seed
    if not args.rebuild and marker and all(marker.get(k) == v for k, v in wanted.items()):
        print(f"Data set already built on {marker['built_at']}: reusing it (--rebuild to redo).")
        steps = marker["steps"]
        timings = Timings({n: rows for n, rows, _s in steps}, {n: sec for n, _r, sec in steps})
        return timings, marker, False
    timings = build_dataset(args)
    return timings, read_marker() or {}, True


# --------------------------------------------------------------------------------------------
# Measurement.
# --------------------------------------------------------------------------------------------


@dataclass
class BenchUser:
    """A signed-in person: a session client, an API token, and the cursor of feed page 2."""

    user: Any
    client: Any
    bearer: str
    cursor: str | None


@dataclass
class Operation:
    """One row of the report: a request to make for a random user."""

    name: str
    call: Callable[[random.Random], int]
    feed_target: bool = False
    ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    errors: dict[int, int] = field(default_factory=dict)
    largest: list[str] = field(default_factory=list)  # the SQL of the request with most queries


class SqlTimer:
    """An execute_wrapper that adds up the time spent in the database driver."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def measure_once(operation: Operation, rng: random.Random, *, record: bool) -> None:
    """Run one request of `operation`; record its time, SQL time and query count."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    timer = SqlTimer()
    # CaptureQueriesContext counts by slicing connection.queries_log, a deque capped at 9000;
    # it also stops request_started from resetting it: start each request with an empty log.
    reset_queries()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        start = time.perf_counter()
        status = operation.call(rng)
        elapsed = time.perf_counter() - start
    if not record:
        return
    operation.ms.append(elapsed * 1000)
    operation.sql_ms.append(timer.seconds * 1000)
    operation.queries.append(len(captured.captured_queries))
    if len(captured.captured_queries) > len(operation.largest):
        operation.largest = [query["sql"] for query in captured.captured_queries]
    if status != 200:
        operation.errors[status] = operation.errors.get(status, 0) + 1


def route_exists(path: str) -> bool:
    """Whether `path` resolves in the benchmark's URLconf."""
    from django.urls import Resolver404, resolve

    try:
        resolve(path, urlconf=BENCH_URLCONF)
    except Resolver404:
        return False
    return True


def make_users(args: argparse.Namespace, rng: random.Random) -> list[BenchUser]:
    """Sign in a pool of random people (session and API token) and find their page-2 cursors."""
    from django.test import Client

    from vivier.accounts.models import User
    from vivier.accounts.services import api_token_create
    from vivier.social.selectors import feed_home

    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    chosen = rng.sample(ids, k=min(args.pool, len(ids)))
    users = []
    for user in User.objects.filter(pk__in=chosen).order_by("pk"):
        client = Client(HTTP_HOST=HOST)
        client.force_login(user)
        _token, secret = api_token_create(user=user, name="benchmark")
        cursor = feed_home(viewer=user, limit=20).next_cursor
        users.append(BenchUser(user, client, f"Bearer {secret}", cursor))
    return users


def make_operations(users: list[BenchUser], notes: list[str]) -> list[Operation]:
    """The report's rows: baseline, feeds, and search over HTTP or, if unmounted, directly."""
    from django.test import Client

    from vivier.search import selectors as search_selectors
    from vivier.social.models import Post

    max_post = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    api = Client(HTTP_HOST=HOST)
    paged = [u for u in users if u.cursor] or users
    words = search_words() + TAG_BASES[::3]
    words += list({u.user.last_name.split()[0].lower() for u in users})[:20]

    def get(client: Any, url: str, headers: dict[str, str] | None = None) -> int:
        return client.get(url, secure=True, headers=headers).status_code

    def baseline(rng: random.Random) -> int:
        return get(rng.choice(users).client, f"/__bench__/baseline?id={rng.randint(1, max_post)}")

    def home(rng: random.Random) -> int:
        return get(rng.choice(users).client, "/")

    def home_more(rng: random.Random) -> int:
        who = rng.choice(paged)
        return get(who.client, f"/?cursor={quote(who.cursor or '')}", {"HX-Request": "true"})

    def api_feed(rng: random.Random) -> int:
        return get(api, "/api/v1/feed?limit=20", {"Authorization": rng.choice(users).bearer})

    def api_feed_more(rng: random.Random) -> int:
        who = rng.choice(paged)
        url = f"/api/v1/feed?limit=20&cursor={quote(who.cursor or '')}"
        return get(api, url, {"Authorization": who.bearer})

    operations = [
        Operation("baseline: 1 indexed query", baseline),
        Operation("GET / (home feed, HTML)", home, feed_target=True),
        Operation("GET /?cursor= (page 2, htmx)", home_more, feed_target=True),
        Operation("GET /api/v1/feed?limit=20", api_feed, feed_target=True),
        Operation("GET /api/v1/feed (page 2)", api_feed_more, feed_target=True),
    ]
    if route_exists("/api/v1/search"):

        def api_search(rng: random.Random) -> int:
            url = f"/api/v1/search?q={quote(rng.choice(words))}"
            return get(api, url, {"Authorization": rng.choice(users).bearer})

        operations.append(Operation("GET /api/v1/search?q=<word>", api_search))
    if route_exists("/search/"):

        def html_search(rng: random.Random) -> int:
            return get(rng.choice(users).client, f"/search/?q={quote(rng.choice(words))}")

        operations.append(Operation("GET /search/?q=<word> (HTML)", html_search))
    if len(operations) == 5:
        notes.append(
            "Search is not mounted (no /search/ nor /api/v1/search in vivier/urls.py and "
            "vivier/api.py): the search row calls vivier.search.selectors.search() directly, "
            "without middleware, view or template."
        )

        def direct_search(rng: random.Random) -> int:
            search_selectors.search(viewer=rng.choice(users).user, q=rng.choice(words), limit=20)
            return 200

        operations.append(Operation("search() selector, direct call", direct_search))
    return operations


def prime_tokens(users: list[BenchUser]) -> None:
    """Mark the pool's tokens as just used: their once-a-minute last-use write stays unmeasured."""
    from django.utils import timezone

    from vivier.accounts.models import ApiToken
    from vivier.accounts.services import token_hash

    hashes = [token_hash(u.bearer.removeprefix("Bearer ")) for u in users]
    ApiToken.objects.filter(key_hash__in=hashes).update(last_used_at=timezone.now())


def run_benchmark(args: argparse.Namespace, notes: list[str]) -> list[Operation]:
    """Warm every row up, then measure them round-robin (shuffled order each round)."""
    rng = random.Random(args.seed + 1)
    users = make_users(args, rng)
    operations = make_operations(users, notes)
    print(f"Measuring {len(operations)} rows x {args.requests} requests ({len(users)} users)...")
    for operation in operations:
        for _ in range(args.warmup):
            measure_once(operation, rng, record=False)
    primed = 0.0
    for _round in range(args.requests):
        if time.monotonic() - primed > TOKEN_PRIME_SECONDS:
            prime_tokens(users)
            primed = time.monotonic()
        order = operations[:]
        rng.shuffle(order)
        for operation in order:
            measure_once(operation, rng, record=True)
    return operations


# --------------------------------------------------------------------------------------------
# Report.
# --------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of `values`."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def feed_verdict(op: Operation, base_median: float) -> str:
    """'OK' or 'over (why)' against the home feed targets."""
    ratio = statistics.median(op.ms) / base_median
    why = []
    if max(op.queries) > FEED_TARGET_QUERIES:
        why.append(f"{max(op.queries)} queries > {FEED_TARGET_QUERIES}")
    if ratio > FEED_TARGET_RATIO:
        why.append(f"{ratio:.1f}x > {FEED_TARGET_RATIO:g}x")
    return f"over ({', '.join(why)})" if why else "OK"


def print_report(operations: list[Operation]) -> None:
    """The one results table, with the home feed targets."""
    base = statistics.median(operations[0].ms)
    header = (
        f"{'operation':<34} {'median ms':>9} {'p95 ms':>8} {'SQL ms':>7} "
        f"{'queries med/max':>15} {'x base':>7}  target"
    )
    print()
    print(header)
    print("-" * len(header))
    for op in operations:
        median = statistics.median(op.ms)
        queries = f"{statistics.median(op.queries):g} / {max(op.queries)}"
        target = feed_verdict(op, base) if op.feed_target else ""
        errors = ", ".join(f"{n}x HTTP {s}" for s, n in sorted(op.errors.items()))
        print(
            f"{op.name:<34} {median:9.1f} {percentile(op.ms, 0.95):8.1f} "
            f"{statistics.median(op.sql_ms):7.1f} {queries:>15} {median / base:6.1f}x  "
            f"{target}{'  ERRORS: ' + errors if errors else ''}"
        )
    print(
        f"\nTargets (feed rows): <= {FEED_TARGET_QUERIES} queries per request and median <= "
        f"{FEED_TARGET_RATIO:g}x the baseline's median. SQL ms: median time inside the database "
        "driver; the rest is Python (middleware, view, serialisation, templates)."
    )


def print_environment() -> None:
    """The machine, Python, Django and PostgreSQL versions and key settings."""
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, Django {django.get_version()}"
    )
    print(f"Database: {version}, {size}; " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average (1, 5, 15 min) after measuring: {load}")


def print_sizes() -> None:
    """Row counts of the data set's tables."""
    from django.db import connection

    tables = [
        "accounts_user",
        "people_profile",
        "people_profileskill",
        "social_community",
        "social_membership",
        "social_tag",
        "social_follow",
        "social_post",
        "social_post_tags",
        "social_post_mentions",
        "social_comment",
        "social_reaction",
        "social_notification",
        "search_searchentry",
    ]
    counts = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts.append(f"{table.split('_', 1)[1]} {cursor.fetchone()[0]:,}")
    print("Data set: " + ", ".join(counts))


def print_generation(timings: Timings, marker: dict[str, Any], rebuilt: bool) -> None:
    """Rows and seconds per generated table (from this run, or from the recorded build)."""
    print(f"\nGeneration ({'this run' if rebuilt else 'recorded build of ' + marker['built_at']}):")
    for name, seconds in timings.seconds.items():
        if name != "total":
            rows = timings.rows.get(name, 0)
            print(f"  {name:<24} {rows:>9,} rows {seconds:8.1f} s")
    print(f"  {'total':<24} {'':>14} {timings.seconds.get('total', 0.0):8.1f} s")


# --------------------------------------------------------------------------------------------
# Investigation: the feed query's plan, and candidate rewrites timed side by side.
# --------------------------------------------------------------------------------------------


def captured_sql(run: Callable[[], Any], marker: str) -> str:
    """The SQL of the first query `run` sends that contains `marker`, as Django sent it."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # see measure_once
    with CaptureQueriesContext(connection) as captured:
        run()
    for query in captured.captured_queries:
        if marker in query["sql"]:
            return query["sql"]
    raise RuntimeError(f"no query with {marker!r}")


def feed_sql(user: Any, cursor: str | None = None) -> str:
    """The SQL of feed_home's main query (the posts page) for `user`."""
    from vivier.social.selectors import feed_home

    return captured_sql(lambda: feed_home(viewer=user, cursor=cursor, limit=20), "ORDER BY")


def unread_count_sql(user: Any) -> str:
    """The SQL of the unread notification count that every page's header shows."""
    from vivier.social.selectors import notification_unread_count

    return captured_sql(lambda: notification_unread_count(viewer=user), "social_notification")


def explain(sql: str, params: Sequence[Any] = ()) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of `sql`."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def explain_times(sql: str, params: Sequence[Any] = ()) -> tuple[float, float]:
    """Execution and planning milliseconds of `sql`, from EXPLAIN ANALYZE."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
    return plan["Execution Time"], plan["Planning Time"]


def candidate_feed(viewer: Any, cursor: str | None = None) -> Any:
    """feed_home's page with the proposed changes (not in Vivier): see README, "Findings".

    1. Followed tags: a scalar subquery (LIMIT 1) instead of EXISTS. PostgreSQL hashes an
       EXISTS that sits in an OR, i.e. collects every post of every followed tag before the scan
       starts; a scalar subquery is probed per scanned row on the (post_id, tag_id) index.
    2. Page 2+: `created_at <= cursor` as well, so the cursor becomes an index bound.
    """
    from django.db.models import Exists, OuterRef, Q, Subquery

    from vivier.social.models import Follow, Post
    from vivier.social.selectors import (
        decode_cursor,
        member_community_ids,
        readable_posts_filter,
        with_post_details,
    )

    follows = Follow.objects.filter(follower=viewer)
    followed_tag = Subquery(
        Post.tags.through.objects.filter(
            post_id=OuterRef("pk"), tag_id__in=follows.filter(tag__isnull=False).values("tag_id")
        ).values("post_id")[:1]
    )
    wanted = (
        Q(author=viewer)
        | Q(author_id__in=follows.filter(user__isnull=False).values("user_id"))
        | Q(community_id__in=member_community_ids(viewer))
        | Q(community_id__in=follows.filter(community__isnull=False).values("community_id"))
        | Q(followed_tag__isnull=False)
        | Q(Exists(Post.mentions.through.objects.filter(post_id=OuterRef("pk"), user_id=viewer.pk)))
    )
    posts = (
        Post.objects.alias(followed_tag=followed_tag)
        .filter(readable_posts_filter(viewer))
        .filter(wanted)
    )
    after = decode_cursor(cursor)
    if after is not None:
        when, pk = after
        posts = posts.filter(created_at__lte=when).filter(
            Q(created_at__lt=when) | Q(created_at=when, id__lt=pk)
        )
    return with_post_details(posts.order_by("-created_at", "-id"), viewer=viewer)[:21]


def candidate_unread(viewer: Any) -> Any:
    """The unread notifications with the proposed change: a per-row EXISTS on the post's id.

    `post_id IN (readable posts)` sits in an OR, so PostgreSQL hashes every readable post (a
    sequential scan of social_post) on every page view; the EXISTS probes the post's primary key.
    """
    from django.db.models import Exists, OuterRef, Q

    from vivier.social.models import Notification, Post
    from vivier.social.selectors import readable_posts_filter

    readable = Post.objects.filter(readable_posts_filter(viewer), pk=OuterRef("post_id"))
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).filter(
        Q(post__isnull=True) | Exists(readable)
    )


@dataclass
class Comparison:
    """Current and candidate query times over many users, and whether their results agree."""

    name: str
    current: list[tuple[float, float]] = field(default_factory=list)
    candidate: list[tuple[float, float]] = field(default_factory=list)
    same: int = 0

    def line(self) -> str:
        """One report line: execution / planning ms, median and p95, for both."""

        def stats(times: list[tuple[float, float]]) -> str:
            run, plan = [t[0] for t in times], [t[1] for t in times]
            return (
                f"{statistics.median(run):6.1f} /{statistics.median(plan):5.1f} | "
                f"{percentile(run, 0.95):6.1f} /{percentile(plan, 0.95):5.1f}"
            )

        return (
            f"  {self.name:<14} current {stats(self.current)}   candidate "
            f"{stats(self.candidate)}   same result {self.same}/{len(self.current)}"
        )


def compare_candidates(users: Sequence[Any]) -> list[Comparison]:
    """Time the current queries (as Vivier sends them) against the candidates, user by user."""
    from vivier.social.selectors import feed_home, notification_unread_count

    page1, page2, unread = (
        Comparison("feed page 1"),
        Comparison("feed page 2"),
        Comparison("unread count"),
    )
    for user in users:
        first = feed_home(viewer=user, limit=20)
        candidate = candidate_feed(user)
        page1.current.append(explain_times(feed_sql(user)))
        page1.candidate.append(explain_times(*candidate.query.sql_with_params()))
        page1.same += [p.pk for p in first.posts] == [p.pk for p in candidate][:20]
        if first.next_cursor:
            second = feed_home(viewer=user, cursor=first.next_cursor, limit=20)
            candidate = candidate_feed(user, first.next_cursor)
            page2.current.append(explain_times(feed_sql(user, first.next_cursor)))
            page2.candidate.append(explain_times(*candidate.query.sql_with_params()))
            page2.same += [p.pk for p in second.posts] == [p.pk for p in candidate][:20]
        count = candidate_unread(user)
        unread.current.append(explain_times(unread_count_sql(user)))
        sql, params = count.query.sql_with_params()
        unread.candidate.append(explain_times(f"SELECT COUNT(*) FROM ({sql}) AS n", params))
        unread.same += notification_unread_count(viewer=user) == count.count()
    return [page1, page2, unread]


def typical_user(users: Sequence[Any]) -> Any:
    """The user with the median number of follows among `users`."""
    from django.db.models import Count

    from vivier.accounts.models import User

    ranked = list(
        User.objects.filter(pk__in=[u.pk for u in users])
        .annotate(n=Count("follows"))
        .order_by("n", "pk")
    )
    return ranked[len(ranked) // 2]


def where_clause(sql: str) -> str:
    """The WHERE clause onwards of a long SELECT, for printing."""
    return sql[sql.index(" WHERE ") + 1 :] if " WHERE " in sql else sql


def print_largest(operations: list[Operation]) -> None:
    """The queries of each row's largest request, when it ran more than the median."""
    for op in operations:
        if max(op.queries) > statistics.median(op.queries):
            print(f"\nLargest request of {op.name} ({len(op.largest)} queries):")
            print("\n".join(f"  {sql[:150]}" for sql in op.largest))


def run_explain(args: argparse.Namespace) -> None:
    """Plans of the feed query (pages 1 and 2) and of the unread count; candidates timed."""
    from vivier.accounts.models import User
    from vivier.social.models import Follow, Membership
    from vivier.social.selectors import feed_home

    rng = random.Random(args.seed + 2)
    ids = list(User.objects.filter(is_active=True).values_list("pk", flat=True))
    sample = list(User.objects.filter(pk__in=rng.sample(ids, k=min(args.pool, len(ids)))))
    user = typical_user(sample)
    follows = Follow.objects.filter(follower=user)
    print(
        f"\nTypical user {user.pk} (median follows of {len(sample)} random people): "
        f"{follows.filter(user__isnull=False).count()} people, "
        f"{follows.filter(tag__isnull=False).count()} tags, "
        f"{follows.filter(community__isnull=False).count()} communities followed; member of "
        f"{Membership.objects.filter(user=user, status='active').count()} communities."
    )
    cursor = feed_home(viewer=user, limit=20).next_cursor
    for label, sql in (("page 1", feed_sql(user)), ("page 2", feed_sql(user, cursor))):
        explain(sql)  # the second run is the one printed: caches warm, as in the benchmark
        print(
            f"\nEXPLAIN ANALYZE, feed_home's posts query, {label}:\n"
            f"  SELECT ... {where_clause(sql)}"
        )
        print("\n".join("  " + line for line in explain(sql)))
    slowest = max(sample[:20], key=lambda u: explain_times(feed_sql(u))[0])
    sql = feed_sql(slowest)
    print(
        f"\nEXPLAIN ANALYZE, feed_home's posts query, page 1, user {slowest.pk} "
        "(the slowest of 20):"
    )
    print("\n".join("  " + line for line in explain(sql)))
    slowest = max(sample[:20], key=lambda u: explain_times(unread_count_sql(u))[0])
    sql = unread_count_sql(slowest)
    print(
        f"\nEXPLAIN ANALYZE, notification_unread_count() (every page's header), user "
        f"{slowest.pk} (the slowest of 20):\n  {sql}"
    )
    print("\n".join("  " + line for line in explain(sql)))
    print(
        f"\nCandidate rewrites over {len(sample)} random users (EXPLAIN ANALYZE ms, "
        "execution / planning, median | p95); candidates are candidate_feed() and "
        "candidate_unread() in this script:"
    )
    for comparison in compare_candidates(sample):
        print(comparison.line())


def main(argv: Sequence[str] | None = None) -> None:
    """Check the database, build the data set if needed, measure, report."""
    args = parse_args(argv)
    config = database_config()
    if ensure_database(config):
        print(f"Created database {config['NAME']}.")
    setup_django()
    from django.conf import settings
    from django.test.utils import override_settings

    timings, marker, rebuilt = ensure_dataset(args)
    notes: list[str] = []
    # Production serves hashed names from collectstatic's manifest; there is none here.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": static}
    with override_settings(ROOT_URLCONF=BENCH_URLCONF, STORAGES=storages):
        operations = run_benchmark(args, notes)
    print()
    print_environment()
    print_sizes()
    print_generation(timings, marker, rebuilt)
    print_report(operations)
    for note in notes:
        print(f"Note: {note}")
    base = statistics.median(operations[0].ms)
    over = [op for op in operations if op.feed_target and feed_verdict(op, base) != "OK"]
    if args.explain:
        print_largest(operations)
        run_explain(args)
    elif over:
        print("The feed is over target: run with --explain for the query plans.")


if __name__ == "__main__":
    main()
