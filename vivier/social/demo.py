"""The demo company's social layer: communities, posts, comments, reactions, shares and follows.

Everything goes through the real services (rendering, permissions, notifications, activity
events, search indexing), then the timestamps are spread over the last twelve months with bulk
updates. The same seed gives the same content: people are read in e-mail order and every
random choice comes from one seeded generator.
"""

import random
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from vivier.accounts.models import User
from vivier.core.models import ActivityEvent
from vivier.core.text import normalize
from vivier.people.demo import ROLES, SOFT_SKILLS
from vivier.people.models import OrgUnit, Profile, ProfileSkill, Skill, SkillAlias
from vivier.social.models import (
    Comment,
    Community,
    Follow,
    Membership,
    Notification,
    Post,
    Reaction,
    Tag,
)
from vivier.social.services import (
    comment_create,
    community_create,
    community_join,
    follow,
    membership_add,
    post_create,
    post_share,
    reaction_set,
    tag_get_or_create,
)

# --------------------------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------------------------

# Phénix is the confidential project: it only appears in its secret community.
PROJECTS = [
    "Atlas",
    "Horizon",
    "Boréal",
    "Odyssée",
    "Cassiopée",
    "Mistral",
    "Sirius",
    "Orion",
    "Alizé",
    "Galilée",
    "Véga",
    "Azur",
]

UNIT_DOMAIN = {
    "DG": "management",
    "DSI": "dev",
    "DSI-DEV": "dev",
    "DSI-DATA": "data",
    "DSI-INFRA": "cloud",
    "DSI-CYBER": "cyber",
    "DSI-PMO": "agile",
    "DRH": "hr",
    "DRH-TAL": "hr",
    "DRH-ADM": "hr",
    "DAF": "finance",
    "DAF-CG": "finance",
    "DAF-COMPTA": "finance",
    "DAF-ACH": "purchasing",
    "DCOM": "sales",
    "DCOM-GC": "sales",
    "DCOM-RC": "sales",
    "DMKT": "marketing",
    "DOPS": "supply",
    "DOPS-SC": "supply",
    "DOPS-QHSE": "quality",
    "DOPS-PROD": "supply",
    "DJUR": "legal",
    "DINNO": "innovation",
}

DOMAIN_FAMILIES = {
    "data": ["data"],
    "dev": ["software"],
    "cloud": ["infra"],
    "cyber": ["security"],
    "agile": ["project"],
    "hr": ["hr"],
    "finance": ["finance"],
    "purchasing": ["purchasing"],
    "sales": ["sales"],
    "marketing": ["marketing"],
    "supply": ["operations"],
    "quality": ["quality"],
    "legal": ["legal"],
    "innovation": ["data", "software"],
    "management": ["management"],
}
DOMAIN_EXTRA_SKILLS = {
    "innovation": [
        "innovation",
        "industry-4-0",
        "generative-ai",
        "product-discovery",
        "creativity",
        "predictive-maintenance",
    ],
    "purchasing": ["sustainable-procurement", "csr", "carbon-accounting"],
    "quality": ["lean", "csr", "carbon-accounting"],
    "hr": ["onboarding", "training", "mentoring", "skills-management"],
    "general": SOFT_SKILLS,
    "newcomers": ["onboarding", "mentoring", "collaboration"],
    "codir": ["corporate-strategy", "leadership", "budget-management"],
    "phenix": ["product-ownership", "software-architecture", "customer-experience"],
}

# Tools by their usual name, and the taxonomy skill they belong to (None: not a skill).
TOOL_SKILLS = {
    "Power BI": "power-bi",
    "Tableau": "tableau",
    "Databricks": "databricks",
    "Snowflake": "snowflake",
    "dbt": "dbt",
    "Airflow": "apache-airflow",
    "Spark": "apache-spark",
    "Kafka": "apache-kafka",
    "scikit-learn": "scikit-learn",
    "PyTorch": "pytorch",
    "MLflow": "mlops",
    "Python": "python",
    "PostgreSQL": "postgresql",
    "SQL": "sql",
    "Sentinel": "siem",
    "Splunk": "siem",
    "CrowdStrike": "edr",
    "SentinelOne": "edr",
    "Keycloak": "identity-access-management",
    "Burp Suite": "penetration-testing",
    "Java": "java",
    "Spring Boot": "spring",
    "Django": "django",
    "React": "react",
    "Angular": "angular",
    "TypeScript": "typescript",
    "Kotlin": "kotlin",
    "Go": "go",
    "Node.js": "nodejs",
    "GitLab CI": "ci-cd",
    "Docker": "docker",
    "Kubernetes": "kubernetes",
    "Terraform": "terraform",
    "Ansible": "ansible",
    "AWS": "aws",
    "Azure": "azure",
    "Google Cloud": "gcp",
    "Prometheus": "prometheus",
    "Grafana": "grafana",
    "OpenShift": "kubernetes",
    "VMware": "vmware",
    "Jira": None,
    "Miro": None,
    "Klaxoon": None,
    "Workday": "hris",
    "SuccessFactors": "hris",
    "LinkedIn Recruiter": "candidate-sourcing",
    "SAP": "sap",
    "Excel": "advanced-excel",
    "Power Query": "advanced-excel",
    "Coupa": "purchasing",
    "EcoVadis": "sustainable-procurement",
    "Salesforce": "crm-software",
    "HubSpot": "marketing-automation",
    "Google Analytics": "web-analytics",
    "Matomo": "web-analytics",
    "Canva": None,
    "Teams": None,
    "DocuSign": None,
}
DOMAIN_TOOLS = {
    "data": ["Power BI", "Databricks", "Snowflake", "dbt", "Airflow", "Spark", "Python", "Tableau"],
    "cyber": ["Sentinel", "Splunk", "CrowdStrike", "SentinelOne", "Keycloak", "Burp Suite"],
    "dev": ["Java", "Spring Boot", "Python", "Django", "React", "Angular", "TypeScript", "Kotlin"],
    "cloud": ["Kubernetes", "Terraform", "Ansible", "AWS", "Azure", "Grafana", "OpenShift"],
    "agile": ["Jira", "Miro", "Klaxoon"],
    "hr": ["Workday", "SuccessFactors", "LinkedIn Recruiter"],
    "finance": ["SAP", "Excel", "Power BI", "Power Query"],
    "purchasing": ["Coupa", "EcoVadis", "SAP", "Excel"],
    "sales": ["Salesforce", "HubSpot", "Excel"],
    "marketing": ["HubSpot", "Google Analytics", "Matomo", "Canva"],
    "supply": ["SAP", "Excel", "Power BI"],
    "quality": ["Excel", "Power BI", "SAP"],
    "legal": ["DocuSign", "Teams"],
    "innovation": ["Python", "PyTorch", "Miro", "Power BI"],
    "management": ["Power BI", "Teams"],
    "general": ["Teams", "Canva"],
    "newcomers": ["Teams", "Workday"],
    "codir": ["Power BI", "Teams"],
    "phenix": ["Kubernetes", "Java", "React", "Kafka"],
}

EVENTS = {
    "data": ["Big Data & AI Paris", "PyCon France", "Devoxx France"],
    "cyber": ["Forum InCyber", "Assises de la cybersécurité", "SSTIC", "Le Hack"],
    "dev": ["Devoxx France", "DevFest Nantes", "Sunny Tech", "BreizhCamp", "Paris Web"],
    "cloud": ["KubeCon Europe", "AWS Summit Paris", "Cloud Nord", "Volcamp"],
    "agile": ["Agile Tour Lyon", "Agile en Seine", "Flowcon"],
    "hr": ["Solutions RH", "Learning Technologies France"],
    "finance": ["Congrès de la DFCG", "Rencontres du contrôle de gestion"],
    "purchasing": ["Rencontres des achats responsables", "Salon Achats & Supply"],
    "sales": ["Stratégie Clients", "Salon des grands comptes"],
    "marketing": ["Stratégie Clients", "Salon E-marketing"],
    "supply": ["SITL Paris", "Global Industrie"],
    "quality": ["Préventica", "Global Industrie"],
    "legal": ["Rencontres de la compliance", "Journées du droit du numérique"],
    "innovation": ["VivaTech", "Global Industrie", "France Digitale Day"],
    "management": ["VivaTech", "Rencontres des entrepreneurs"],
}

THINGS = {
    "purchasing": [
        "prestations de nettoyage",
        "flotte automobile",
        "matériel informatique",
        "fournitures de bureau",
        "énergie",
        "restauration d'entreprise",
    ],
    "sales": [
        "un grand groupe de la distribution",
        "une métropole de l'Ouest",
        "un acteur de l'énergie",
        "un constructeur ferroviaire",
        "un réseau de cliniques",
        "une banque régionale",
    ],
}
THINGS_EN = {
    "sales": [
        "a major retail group",
        "a large city council",
        "an energy company",
        "a rail manufacturer",
        "a regional bank",
    ],
}

WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TIMES = ["12 h 30", "12 h 15", "9 h 30", "14 h", "16 h 30", "11 h"]
TIMES_EN = ["12:30", "12:15", "9:30 am", "2 pm", "4:30 pm", "11 am"]

# Free tags that are not skills.
FREE_TAGS = {
    "general": ["viedessites"],
    "newcomers": ["nouveauxarrivants"],
    "codir": ["codir"],
    "phenix": ["phénix"],
}
PRO_FREE_TAGS = {
    "question": ["questiondujour"],
    "article": ["retex"],
    "info": ["veille", "partage"],
}
# The free tag a company-life post gets, from what it is about.
LIFE_TAGS = [
    ("Afterwork", "afterwork"),
    ("solidaire", "solidarité"),
    ("Collecte", "solidarité"),
    ("Don du sang", "solidarité"),
    ("course", "sport"),
    ("baby-foot", "sport"),
    ("vélos", "sport"),
    ("Bienvenue", "bienvenue"),
    ("rejoint", "bienvenue"),
    ("charity run", "sport"),
]

# Hashtags chosen by hand where the automatic choice reads badly.
HASHTAG_OVERRIDES = {
    "health-and-safety": "hse",
    "csr": "rse",
    "ci-cd": "intégration-continue",
    "large-language-models": "llm",
    "project-management": "gestion-de-projet",
    "data-analysis": "analyse-de-données",
    "machine-learning": "machine-learning",
    "budget-management": "budget",
    "crm-software": "crm",
    "web-analytics": "webanalyse",
    "agile": "agile",
    "lean": "lean",
    "edr": "edr",
    "active-directory": "active-directory",
    "anti-corruption": "lutte-anticorruption",
    "aws": "aws",
    "gcp": "gcp",
    "unit-testing": "tests-unitaires",
    "security-operations-center": "soc",
    "site-reliability-engineering": "sre",
    "pki": "pki",
    "marketing-strategy": "stratégie-marketing",
    "responsible-ai": "ia-responsable",
    "recruitment-interviewing": "entretien-structuré",
    "stakeholder-management": "parties-prenantes",
    "supplier-relationship-management": "gestion-des-fournisseurs",
    "demand-planning": "prévision-de-la-demande",
    "product-discovery": "product-discovery",
    "quality-assurance": "assurance-qualité",
    "environmental-management": "iso-14001",
    "cloud-security": "sécurité-du-cloud",
    "internal-control": "contrôle-interne",
    "lean-six-sigma": "six-sigma",
    "iso-27001": "iso-27001",
    "ux-design": "ux",
    "management-control": "contrôle-de-gestion",
    "e-learning": "e-learning",
    "instructional-design": "ingénierie-pédagogique",
    "network-security": "sécurité-des-réseaux",
    "api-design": "api",
    "candidate-sourcing": "sourcing-rh",
    "bid-management": "bid-management",
    "nlp": "nlp",
    "spc": "spc",
}


# --------------------------------------------------------------------------------------------
# Communities
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunitySpec:
    """A community of the demo and who belongs to it."""

    key: str
    name: str
    domain: str
    visibility: str
    units: tuple[str, ...]
    description: str
    rules: str
    expert: bool = False
    reach: float = 0.65  # share of the matching units' people who are members
    outsiders: float = 0.03  # share of the other people who are members
    pending: int = 0  # join requests left waiting


RULES_DEFAULT = (
    "- Bienveillance d'abord : on critique des idées, jamais des personnes.\n"
    "- Pas d'informations confidentielles clients ni de données personnelles.\n"
    "- Une question par publication, avec un titre clair : ça aide les suivants.\n"
    "- Citez vos sources quand vous partagez de la veille."
)
RULES_EXPERT = (
    "- Adhésion sur cooptation par les animateurs.\n"
    "- Les échanges restent dans la communauté tant qu'ils ne sont pas validés.\n"
    "- Chaque membre s'engage à répondre aux sollicitations des équipes projet sous une semaine.\n"
    "- Les décisions d'architecture sont tracées dans le registre partagé."
)
RULES_SECRET = (
    "- Espace confidentiel : ne transférez ni documents ni captures d'écran.\n"
    "- Les membres sont ajoutés par les propriétaires uniquement.\n"
    "- En cas de doute sur ce qui peut être partagé, demandez avant."
)

COMMUNITIES = [
    CommunitySpec(
        "data",
        "Communauté Data & IA",
        "data",
        "open",
        ("DSI-DATA", "DINNO"),
        "L'espace de toutes celles et ceux qui travaillent avec les données : analyse, "
        "ingénierie, science des données et IA générative. Retours d'expérience, questions, "
        "pépites de veille et annonce des « Data Cafés » mensuels.",
        RULES_DEFAULT,
        outsiders=0.05,
    ),
    CommunitySpec(
        "data-experts",
        "Expert·es Data",
        "data",
        "closed",
        ("DSI-DATA", "DINNO"),
        "Le cercle des référent·es data et IA : revue des cas d'usage, arbitrages techniques, "
        "veille avancée et accompagnement des projets. Adhésion sur cooptation.",
        RULES_EXPERT,
        expert=True,
        reach=0.8,
        outsiders=0.0,
        pending=3,
    ),
    CommunitySpec(
        "cyber",
        "Cybersécurité",
        "cyber",
        "open",
        ("DSI-CYBER",),
        "Actualités, bonnes pratiques et alertes de l'équipe cybersécurité. Posez vos questions : "
        "en sécurité, il n'y a pas de question bête, seulement des questions posées trop tard.",
        RULES_DEFAULT,
        reach=0.9,
        outsiders=0.08,
    ),
    CommunitySpec(
        "cyber-experts",
        "Expert·es Cyber",
        "cyber",
        "closed",
        ("DSI-CYBER",),
        "Référent·es sécurité de la DSI et des métiers : analyses de risques, retours d'incidents, "
        "revue des architectures sensibles. Adhésion sur cooptation.",
        RULES_EXPERT,
        expert=True,
        reach=0.8,
        outsiders=0.0,
        pending=2,
    ),
    CommunitySpec(
        "dev",
        "Développeurs",
        "dev",
        "open",
        ("DSI-DEV", "DINNO"),
        "Pour celles et ceux qui écrivent du code, le relisent ou le déploient : bonnes "
        "pratiques, coding dojos, retours de conférences et entraide au quotidien.",
        RULES_DEFAULT,
        reach=0.75,
    ),
    CommunitySpec(
        "cloud",
        "Cloud & Infra",
        "cloud",
        "open",
        ("DSI-INFRA",),
        "Plateformes, réseaux, cloud public et privé, observabilité et astreintes. Annonces de "
        "maintenance, retours d'incidents et partage d'astuces.",
        RULES_DEFAULT,
        reach=0.8,
    ),
    CommunitySpec(
        "agile",
        "Agilité",
        "agile",
        "open",
        ("DSI-PMO", "DSI-DEV"),
        "Scrum, Kanban, SAFe, OKR… et surtout ce qui marche vraiment chez nous. Animée par les "
        "coachs agiles, ouverte à tous les curieux, métiers compris.",
        RULES_DEFAULT,
        reach=0.5,
        outsiders=0.04,
    ),
    CommunitySpec(
        "hr",
        "RH & Talents",
        "hr",
        "open",
        ("DRH", "DRH-TAL", "DRH-ADM"),
        "Recrutement, intégration, formation, mobilité interne et vie sociale : les équipes RH "
        "partagent leurs actualités et répondent à vos questions.",
        RULES_DEFAULT,
        reach=0.9,
        outsiders=0.08,
    ),
    CommunitySpec(
        "finance",
        "Finance & Contrôle",
        "finance",
        "open",
        ("DAF", "DAF-CG", "DAF-COMPTA"),
        "Clôtures, budget, reporting et outils de pilotage. Un espace pour comprendre les "
        "chiffres et poser les questions qu'on n'ose pas poser en comité.",
        RULES_DEFAULT,
        reach=0.85,
    ),
    CommunitySpec(
        "purchasing",
        "Achats responsables",
        "purchasing",
        "open",
        ("DAF-ACH", "DOPS-QHSE"),
        "Acheter mieux : critères RSE, relations fournisseurs équilibrées, économie circulaire "
        "et décarbonation de nos achats.",
        RULES_DEFAULT,
        reach=0.85,
        outsiders=0.04,
    ),
    CommunitySpec(
        "supply",
        "Supply chain",
        "supply",
        "open",
        ("DOPS", "DOPS-SC", "DOPS-PROD"),
        "Prévisions, stocks, entrepôts, transport et production : la communauté de ceux qui font "
        "arriver les bons produits au bon endroit.",
        RULES_DEFAULT,
        reach=0.7,
    ),
    CommunitySpec(
        "quality",
        "Qualité & HSE",
        "quality",
        "open",
        ("DOPS-QHSE", "DOPS-PROD"),
        "Qualité, santé, sécurité et environnement : audits, retours d'expérience, prévention "
        "et bonnes pratiques terrain.",
        RULES_DEFAULT,
        reach=0.7,
        outsiders=0.03,
    ),
    CommunitySpec(
        "legal",
        "Juridique & Conformité",
        "legal",
        "closed",
        ("DJUR",),
        "Échanges entre juristes, compliance officers et référents conformité des directions : "
        "veille réglementaire, modèles de clauses et dossiers en cours.",
        RULES_EXPERT,
        reach=1.0,
        outsiders=0.0,
        pending=2,
    ),
    CommunitySpec(
        "innovation",
        "Innovation",
        "innovation",
        "open",
        ("DINNO",),
        "Appels à idées, hackathons, prototypes et veille. Toutes les idées sont les bienvenues, "
        "surtout celles qui viennent du terrain.",
        RULES_DEFAULT,
        reach=0.9,
        outsiders=0.06,
    ),
    CommunitySpec(
        "marketing",
        "Marketing & Communication",
        "marketing",
        "open",
        ("DMKT",),
        "Campagnes, marque, contenus et événements. Les coulisses de notre communication interne "
        "et externe.",
        RULES_DEFAULT,
        reach=0.9,
        outsiders=0.03,
    ),
    CommunitySpec(
        "sales",
        "Clients & Ventes",
        "sales",
        "open",
        ("DCOM", "DCOM-GC", "DCOM-RC"),
        "Succès commerciaux, retours clients, appels d'offres et astuces CRM. Pour mieux "
        "travailler ensemble entre commerce, avant-vente et relation client.",
        RULES_DEFAULT,
        reach=0.7,
    ),
    CommunitySpec(
        "newcomers",
        "Nouveaux arrivants",
        "newcomers",
        "open",
        ("DRH-TAL",),
        "Vous venez d'arriver ? Présentez-vous, posez toutes vos questions pratiques et "
        "retrouvez les dates des matinées d'accueil. Les anciens sont là pour aider !",
        "- Toutes les questions sont légitimes, même (surtout) les plus pratiques.\n"
        "- Les anciens : répondez, parrainez, accueillez !",
        reach=0.9,
        outsiders=0.18,
    ),
    CommunitySpec(
        "life",
        "Vie des sites",
        "general",
        "open",
        ("DMKT", "DRH-TAL"),
        "Afterworks, sport, solidarité, covoiturage, objets trouvés et petites annonces : "
        "tout ce qui fait la vie de nos sites.",
        "- Pas de vente à titre commercial.\n- Les objets trouvés sont déposés à l'accueil.",
        reach=0.5,
        outsiders=0.3,
    ),
    CommunitySpec(
        "codir",
        "Comité de direction – préparation",  # noqa: RUF001 (the dash is typographic)
        "codir",
        "secret",
        (),
        "Préparation des comités de direction : ordres du jour, documents de travail et "
        "relevés de décisions.",
        RULES_SECRET,
        reach=1.0,
        outsiders=0.0,
    ),
    CommunitySpec(
        "phenix",
        "Projet Phénix (confidentiel)",
        "phenix",
        "secret",
        ("DSI-PMO", "DSI-DEV", "DSI-DATA", "DCOM-GC"),
        "Espace de travail du projet Phénix, la refonte de notre parcours client. Confidentiel "
        "jusqu'à l'annonce officielle.",
        RULES_SECRET,
        reach=0.8,
        outsiders=0.0,
    ),
]

# --------------------------------------------------------------------------------------------
# Text banks. Slots: {tool} {tool2} {t:A|B} (one of these tools) {skill} {project} {site}
# {city} {m} {m2} (mentions) {m_unit} {m_title} {unit} {title} {n} {n2} {n3} {n4} {big}
# {big0} {pct} {pct2} {pct3} {weekday} {time} {event} {thing} {year}
# --------------------------------------------------------------------------------------------

UPDATES: dict[str, list[str]] = {
    "data": [
        "Le nouveau tableau de bord {t:Power BI|Tableau} du projet {project} est en ligne 🎉 On "
        "passe d'un reporting mensuel à une mise à jour quotidienne. Merci {m} pour les retours "
        "pendant la recette !",
        "Quelqu'un a déjà branché {tool} sur {tool2} en production ? On hésite entre deux "
        "architectures pour {project} et un retour d'expérience nous ferait gagner du temps.",
        "Petit retour de l'atelier « qualité des données » d'hier à {site} : {pct3} % des "
        "anomalies venaient de trois champs saisis à la main. Moralité : corriger à la source "
        "plutôt qu'en bout de chaîne.",
        "On cherche un·e volontaire pour relire notre note sur l'usage de l'IA générative dans "
        "les équipes. Idéalement quelqu'un à l'aise en {skill}. Ça prend une heure, promis !",
        "Notre modèle de prévision des volumes tourne depuis {n} semaines : l'erreur moyenne est "
        "passée sous les {pct} %. Prochaine étape : l'expliquer simplement aux équipes métier.",
        "Session « SQL pour les curieux » {weekday} à {time}, salle Jupiter à {site} et en "
        "visio. Aucun prérequis, venez avec vos questions et vos fichiers Excel 😉",
        "Le catalogue de données compte maintenant {big} jeux de données documentés. Si le vôtre "
        "n'y est pas, {m} peut vous aider à le décrire en quinze minutes.",
        "Premier pipeline {t:Airflow|dbt|Databricks} déployé sans aucune intervention manuelle. "
        "Ça paraît anodin, mais c'est trois mois de travail avec {m} et {m2}.",
        "Question du jour : comment gérez-vous les jeux de données de test qui contiennent des "
        "données personnelles ? Anonymisation, données synthétiques, autre chose ?",
        "Démo ouverte vendredi : un assistant qui répond aux questions sur nos procédures "
        "internes, construit avec {t:Python|PyTorch}. Les limites sont nombreuses et on vous les "
        "montrera aussi.",
        "Après {n} mois de travail, la migration de l'entrepôt de données vers "
        "{t:Snowflake|Databricks} est terminée. Les rapports les plus lourds passent de "
        "40 minutes à moins de 5.",
        "Rappel : avant de créer un nouvel indicateur, jetez un œil au glossaire métier. On a "
        "trouvé {n} définitions différentes du « chiffre d'affaires net » la semaine dernière…",
        "J'ai passé la journée à nettoyer des fichiers CSV encodés en Latin-1. Si quelqu'un a un "
        "script magique, je suis preneur 😅",
        "Le Data Café de ce mois-ci aura lieu {weekday} à {site} : {m} nous présente son travail "
        "sur la détection d'anomalies dans les factures. Venez nombreux !",
    ],
    "cyber": [
        "Campagne de phishing simulé terminée : {pct} % de clics, contre {pct2} % de plus au "
        "trimestre précédent. Bravo à tous, et merci aux {n3} personnes qui ont signalé le "
        "message au SOC 👏",
        "Rappel : un e-mail qui vous presse de « valider votre compte » sous 24 h est suspect par "
        "défaut. En cas de doute, bouton « Signaler » et c'est tout.",
        "On déploie {t:CrowdStrike|SentinelOne} sur le site de {site} la semaine prochaine. Les "
        "postes redémarreront une fois, en dehors des heures de bureau.",
        "Exercice de crise cyber {weekday} avec la direction : scénario rançongiciel sur l'ERP. "
        "Merci {m} pour la préparation du chronogramme, c'était très réaliste.",
        "Quelqu'un a déjà mené une analyse de risques EBIOS RM sur un projet agile ? On essaie "
        "de l'adapter à {project} sans bloquer les sprints.",
        "La revue des accès à privilèges est lancée. Managers : vous recevrez la liste de vos "
        "équipes, merci de la valider avant vendredi.",
        "Le test d'intrusion de l'application {project} est terminé : {n} vulnérabilités, aucune "
        "critique. Le plan de correction est calé avec {m}.",
        "NIS 2 : on organise une session d'une heure pour expliquer ce que la directive change "
        "concrètement pour nous. Inscriptions en commentaire.",
        "Petit rappel sur les mots de passe : une phrase de passe longue vaut mieux qu'un mot "
        "compliqué qu'on note sur un post-it. Et le gestionnaire de mots de passe est disponible "
        "pour tous.",
        "Veille de la semaine : une vague d'attaques vise les VPN non mis à jour. Tous nos "
        "équipements sont corrigés depuis mardi, merci l'équipe {unit} !",
        "Nouvelle règle de détection dans {t:Sentinel|Splunk} pour repérer les connexions "
        "impossibles (deux pays en moins d'une heure). {n} alertes dès le premier jour, toutes "
        "légitimes… pour l'instant.",
        "Qui serait intéressé par un atelier « sécurité pour les développeurs » ? Injection SQL, "
        "secrets dans le code, dépendances vulnérables : le programme est ouvert.",
        "Le SOC a traité {big} alertes le mois dernier, dont {n} vrais incidents, tous contenus "
        "en moins d'une heure. Merci à {m} et à toute l'équipe d'astreinte.",
    ],
    "dev": [
        "La nouvelle version de l'API {project} est en production depuis ce matin, sans "
        "interruption de service. Merci {m} pour la revue de code au cordeau !",
        "Débat du jour dans l'équipe : monorepo ou un dépôt par service ? On penche pour le "
        "monorepo sur {project}, mais j'aimerais vos retours d'expérience.",
        "On a enfin passé la couverture de tests de {project} au-dessus de {pct3} %. Le plus dur "
        "n'était pas d'écrire les tests mais de rendre le code testable.",
        "Quelqu'un connaît une bonne bibliothèque {t:Java|Python|TypeScript} pour générer des "
        "PDF accessibles ? Celle qu'on utilise ne gère pas les balises d'accessibilité.",
        "Coding dojo {weekday} midi à {site} : kata « Gilded Rose » en {t:Java|Python|Kotlin}, en "
        "binôme. Apportez votre sandwich 🥪",
        "Retour de {event} : beaucoup de talks sur les plateformes internes de développement et "
        "sur l'IA dans l'IDE. Je fais une restitution de 30 minutes la semaine prochaine.",
        "Migration de {project} vers {t:Spring Boot|Django|React} terminée. Temps de build divisé "
        "par {n2}, et surtout plus de « chez moi ça marche ».",
        "Rappel amical : une merge request de 2 000 lignes, personne ne la relit vraiment. "
        "Découpez, vos relecteurs vous remercieront 🙏",
        "On ouvre notre bibliothèque de composants {t:React|Angular} à toutes les équipes. La "
        "documentation est sur le portail développeurs, et {m} anime une démo mardi.",
        "Incident d'hier soir sur {project} : un timeout trop court côté client. Post-mortem sans "
        "reproche publié, avec {n} actions dont deux déjà faites.",
        "Je cherche quelqu'un qui a de l'expérience en {skill} pour m'aider à débloquer un sujet "
        "d'architecture. Un café à {site} ?",
        "Journée « dette technique » vendredi : on met les nouvelles fonctionnalités de côté et "
        "on range. Proposez vos chantiers en commentaire.",
        "Premier déploiement de {project} avec {t:GitLab CI|Docker} de bout en bout : de la merge "
        "request à la production en {n3} minutes. Merci {m} pour la patience !",
    ],
    "cloud": [
        "La landing zone {t:AWS|Azure|Google Cloud} est prête : réseau, identités, journalisation "
        "et garde-fous de coûts. Les premières équipes migrent la semaine prochaine.",
        "Facture cloud du mois : -{pct} % grâce à l'extinction automatique des environnements de "
        "recette le soir et le week-end. Merci {m} pour le script !",
        "Maintenance planifiée samedi de 7 h à 11 h sur le cluster {t:Kubernetes|OpenShift} de "
        "production. Les applications {project} resteront accessibles en lecture seule.",
        "Quelqu'un a déjà migré des VM VMware vers {t:Azure|AWS} avec un temps d'arrêt minimal ? "
        "On prépare le lot 3 et je cherche des retours concrets.",
        "Tout le réseau du site de {site} est désormais supervisé dans {t:Grafana|Prometheus}. "
        "Les alertes arrivent directement dans le canal de l'équipe {unit}.",
        "Nouveau module {t:Terraform|Ansible} pour créer un environnement de développement en dix "
        "minutes au lieu de trois jours. La doc est dans le catalogue de services.",
        "Post-mortem de l'incident de mardi : un certificat expiré sur un équilibreur de charge. "
        "Action : inventaire et renouvellement automatique de tous les certificats d'ici la fin "
        "du mois.",
        "On a passé nos SLO au crible avec les équipes produit : {n3} services sur {big} tiennent "
        "leurs objectifs. Les autres ont un plan d'action.",
        "Atelier « {t:Kubernetes|Terraform|Docker} pour les débutants » {weekday} à {site}. On "
        "repart de zéro, promis, aucune question n'est bête.",
        "Le datacenter historique de {site} ferme dans {n} mois. {pct3} % des applications sont "
        "déjà migrées, le reste est planifié.",
        "Astreinte : merci à {m} qui a passé sa nuit de dimanche sur la panne de stockage. Le "
        "service est rétabli et le retex est prévu jeudi.",
        "Nos tableaux de bord {t:Grafana|Prometheus} sont maintenant ouverts à toutes les équipes "
        "produit. Vous pouvez suivre la santé de vos applications en direct.",
    ],
    "agile": [
        "Fin du PI {n} sur {project} : {pct3} % des objectifs atteints et une vraie amélioration "
        "de la prévisibilité. Bravo au train, et merci {m} pour la facilitation.",
        "Rétrospective originale testée aujourd'hui : « le bateau pirate ». Beaucoup de rires et "
        "trois actions concrètes, je recommande.",
        "Comment faites-vous pour garder des daily à quinze minutes quand l'équipe grossit ? "
        "Nous sommes passés à onze personnes et ça déborde systématiquement.",
        "Atelier de cartographie des parcours utilisateurs pour {project} {weekday} à {site}. "
        "Les métiers sont invités, c'est là que tout se joue !",
        "Nouveau rituel testé sur {project} : une démo tous les quinze jours ouverte à toute "
        "l'entreprise. Prochaine session mardi à 11 h.",
        "Question sérieuse : qui a déjà réussi à faire accepter un budget « produit » plutôt "
        "qu'un budget « projet » ? Je cherche des arguments 😊",
        "Le tableau {t:Jira|Klaxoon} du portefeuille projets est enfin à jour. Vous pouvez y "
        "suivre l'avancement des {n3} projets de la DSI en temps réel.",
        "Formation {skill} ouverte à tous les chefs de projet le mois prochain, deux jours à "
        "{site}. Il reste {n} places.",
        "Rappel : un backlog n'est pas une liste de souhaits. Si un élément n'a pas bougé depuis "
        "six mois, on a le droit de le supprimer 🧹",
        "Comité de pilotage {project} : le lot 2 est livré avec deux semaines d'avance. Merci à "
        "toute l'équipe et à {m} pour l'arbitrage du périmètre.",
        "Je cherche un·e binôme pour co-animer le prochain atelier OKR de la direction. Une "
        "expérience en facilitation est bienvenue.",
    ],
    "hr": [
        "La campagne d'entretiens annuels démarre lundi. Le guide manager est en ligne et {m} "
        "organise deux sessions de questions-réponses.",
        "Nous recrutons ! {n3} postes ouverts à {site}, dont plusieurs en data et en supply "
        "chain. La cooptation est récompensée, parlez-en autour de vous.",
        "Le nouveau parcours d'intégration est en place : un parrain ou une marraine, un "
        "programme sur 90 jours et un point d'étape à un mois.",
        "Retour sur le forum mobilité interne : {big} collègues sont venus rencontrer les équipes "
        "et {n3} mobilités sont déjà en discussion.",
        "Le catalogue de formation du second semestre est disponible. Nouveautés : {skill}, prise "
        "de parole en public et management à distance.",
        "Question aux managers : comment organisez-vous l'accueil d'un nouvel arrivant en "
        "télétravail partiel ? On enrichit le guide avec vos bonnes pratiques.",
        "Rappel : la campagne de télétravail se clôt vendredi. Pensez à valider les demandes de "
        "vos équipes dans {t:Workday|SuccessFactors}.",
        "Bravo aux {n3} alternants qui ont obtenu leur diplôme cette année 🎓 Plusieurs nous "
        "rejoignent en CDI à la rentrée !",
        "La cartographie des compétences avance : {pct3} % des collègues ont complété leur "
        "profil. Merci à celles et ceux qui ont pris les dix minutes nécessaires.",
        "Nouveau : des ateliers de mentorat inversé où les jeunes recrues forment les managers "
        "aux outils collaboratifs. Premier atelier à {site} {weekday}.",
        "Les bulletins de paie de ce mois seront disponibles dans le coffre-fort numérique dès le "
        "28. Pour toute question, l'équipe {unit} est là.",
        "L'accord sur la qualité de vie au travail a été signé avec les partenaires sociaux. Les "
        "principales mesures sont résumées dans la FAQ RH.",
    ],
    "finance": [
        "Clôture mensuelle bouclée en J+{n4} ce mois-ci, un record ! Merci à toute l'équipe "
        "{unit} et aux opérationnels pour leurs remontées à l'heure.",
        "Le processus budgétaire {year} démarre : les trames sont dans le dossier partagé, retour "
        "attendu avant la fin du mois. {m} reste votre interlocuteur.",
        "Nouveau tableau de bord {t:Power BI|Excel} pour suivre les frais généraux par direction. "
        "Les managers y ont accès depuis ce matin.",
        "Quelqu'un a déjà automatisé les rapprochements bancaires avec {t:Power Query|SAP} ? On "
        "y passe encore deux jours par mois.",
        "Formation « lire un compte de résultat en une heure » pour les non-financiers, {weekday} "
        "à {site}. Très concrète, aucun jargon, promis.",
        "Les notes de frais passent en 100 % dématérialisé au 1er du mois prochain. Plus de "
        "tickets agrafés 🙌",
        "Le reforecast de mi-année est validé. Principaux écarts : l'énergie et le transport. Le "
        "détail sera présenté au prochain comité.",
        "Rappel : les factures fournisseurs doivent être validées dans le workflow sous cinq "
        "jours. Les retards nous coûtent des pénalités.",
        "Audit des comptes annuels terminé, certification sans réserve. Merci {m} et toute "
        "l'équipe consolidation pour ces semaines intenses.",
        "Quel format préférez-vous pour le reporting mensuel : un PDF synthétique ou un accès "
        "direct au tableau de bord ? Répondez en commentaire.",
        "Passage aux normes IFRS 16 pour les contrats de location : on organise une session "
        "d'explication pour les contrôleurs de gestion {weekday} à {time}.",
    ],
    "purchasing": [
        "Nouvelle charte achats responsables signée par nos {n3} premiers fournisseurs. Prochaine "
        "étape : des critères carbone dans tous les appels d'offres.",
        "Appel d'offres « {thing} » lancé : {n} fournisseurs consultés, dont trois PME "
        "régionales. Les soutenances auront lieu à {site}.",
        "Quelqu'un a un retour sur {t:EcoVadis|Coupa} pour évaluer la performance RSE des "
        "fournisseurs ? On compare plusieurs solutions.",
        "La renégociation du contrat « {thing} » a permis {pct} % d'économies, à qualité de "
        "service égale. Merci {m} pour la préparation.",
        "Rappel : toute commande au-delà de 5 000 € passe par une mise en concurrence. Le guide "
        "est sur l'intranet, et on est là pour vous aider.",
        "Visite chez un fournisseur local près de {site} : un atelier de reconditionnement de "
        "matériel informatique, impressionnant. On étudie un partenariat.",
        "Risque fournisseurs : on met à jour la cartographie. Si vous dépendez d'un fournisseur "
        "unique, signalez-le nous.",
        "Journée fournisseurs le mois prochain : {n3} entreprises invitées pour parler innovation "
        "et décarbonation.",
        "Les délais de paiement fournisseurs sont passés sous 45 jours en moyenne. Merci à la "
        "comptabilité pour ce beau travail !",
        "Nos achats de matériel informatique reconditionné représentent maintenant {pct} % du "
        "volume. Objectif : doubler d'ici la fin de l'année.",
    ],
    "sales": [
        "Signature ce matin avec {thing} : trois ans, périmètre national. Bravo à {m} et à toute "
        "l'équipe avant-vente 🎉",
        "Retour du salon {event} : {big} contacts qualifiés et beaucoup d'intérêt pour notre "
        "offre de services. Le compte rendu est dans {t:Salesforce|HubSpot}.",
        "Le taux de satisfaction client du trimestre atteint {pct3} %. Les verbatims sont très "
        "instructifs, je vous les partage en réunion d'équipe.",
        "Quelqu'un a déjà répondu à un appel d'offres public avec un mémoire technique en "
        "48 heures ? On a besoin de renforts sur la partie sécurité.",
        "Astuce CRM : les relances automatiques sont maintenant actives sur les devis sans "
        "réponse à quinze jours.",
        "Le centre de contacts a traité {big0} appels la semaine dernière, avec un temps "
        "d'attente moyen de {n} minutes. Merci aux conseillers pour leur mobilisation.",
        "Journée immersion : des collègues de {site} ont écouté des appels clients avec nous. "
        "Les retours sont unanimes, on le refait le mois prochain.",
        "{thing} nous demande une démo de la plateforme. Qui peut m'accompagner côté technique "
        "{weekday} ?",
        "Objectif trimestriel atteint à {pct3} % pour les grands comptes. Merci pour l'énergie "
        "collective !",
        "Nouveau script d'accueil téléphonique testé à {site} : les appels sont plus courts et "
        "les clients plus satisfaits. On généralise le mois prochain.",
    ],
    "marketing": [
        "La nouvelle plaquette de l'offre {project} est sortie de l'imprimerie. La version "
        "numérique est dans la photothèque.",
        "Campagne e-mailing de rentrée : {pct} % de taux d'ouverture, notre meilleur score. "
        "Merci {m} pour les objets de mail 😉",
        "On prépare le prochain webinaire client sur {skill}. Qui veut intervenir en tant "
        "qu'expert·e ? Trente minutes de présentation, quinze de questions.",
        "Refonte du site internet : les maquettes sont prêtes. On organise des tests "
        "utilisateurs à {site}, inscrivez-vous pour jouer les cobayes !",
        "La newsletter interne du mois est en ligne : portraits, chiffres clés et coulisses du "
        "projet {project}.",
        "Qui a des photos de la soirée de fin d'année ? On prépare un petit film souvenir.",
        "Nouvelle charte graphique : les modèles PowerPoint sont à jour. Merci de ne plus "
        "utiliser l'ancien logo 🙏",
        "Le trafic organique du site a progressé de {pct} % en six mois, mesuré dans "
        "{t:Matomo|Google Analytics}. Le travail sur les contenus paie !",
        "Nous cherchons des témoignages de collègues pour la campagne marque employeur. Une "
        "interview de vingt minutes, on s'occupe du reste.",
        "Le stand pour {event} est réservé. On cherche deux volontaires techniques pour les démos, "
        "qui est partant ?",
    ],
    "supply": [
        "Le taux de service de l'entrepôt de {site} atteint {pct3} % ce mois-ci. Merci aux "
        "équipes de préparation pour leur engagement pendant le pic !",
        "Nouveau plan de transport en place : {n3} tournées optimisées et {pct} % de kilomètres "
        "en moins. Bon pour le budget et pour le bilan carbone.",
        "S&OP du mois : la demande repart à la hausse dans l'Ouest. On ajuste les stocks de "
        "sécurité, détails dans le compte rendu.",
        "Quelqu'un a déjà mis en place un WMS en mode SaaS sur un site de taille moyenne ? On "
        "étudie la question pour {site}.",
        "Chantier 5S terminé sur la ligne 3 : {n} heures gagnées par semaine et un atelier bien "
        "plus agréable. Bravo l'équipe !",
        "Arrêt technique de la ligne 2 la semaine prochaine pour maintenance préventive. Le "
        "planning de production est ajusté en conséquence.",
        "Les capteurs de maintenance prédictive installés sur les compresseurs ont détecté leur "
        "première anomalie. Intervention faite avant la panne 👌",
        "Inventaire tournant : l'écart de stock est passé sous {pct2} %. Merci {m} pour la "
        "rigueur.",
        "Atelier VSM {weekday} à {site} sur le flux de réception : on cherche des volontaires "
        "des équipes terrain.",
        "Grève des transporteurs annoncée : la cellule de crise supply chain se réunit demain à "
        "8 h. On communiquera sur les impacts clients.",
        "Les prévisions de ventes sont désormais partagées chaque lundi dans {t:Power BI|Excel}. "
        "Vos retours d'usage nous intéressent.",
    ],
    "quality": [
        "Audit de surveillance ISO 9001 réussi à {site} : aucune non-conformité majeure et {n} "
        "pistes de progrès. Merci à tous pour la préparation !",
        "{big} jours sans accident avec arrêt sur le site de {site} 👷 Continuons à faire "
        "remonter les presque-accidents, c'est ce qui nous protège.",
        "Nouveau : le quart d'heure sécurité est ouvert à tous les services, pas seulement à la "
        "production. Premier thème : les troubles musculosquelettiques au bureau.",
        "Le document unique de {site} est mis à jour. Merci aux managers qui ont participé aux "
        "visites de poste.",
        "Résolution de problème en 8D sur la réclamation client du mois dernier : cause racine "
        "trouvée, actions en place. Bravo {m} pour l'animation.",
        "Le bilan carbone de l'année est finalisé : les achats représentent toujours plus de la "
        "moitié de nos émissions. On en parle avec les acheteurs.",
        "Exercice d'évacuation {weekday} matin à {site}. Merci de suivre les consignes des "
        "guide-files et de ne pas prendre l'ascenseur.",
        "Qui a de l'expérience sur la certification ISO 45001 ? On lance la démarche sur deux "
        "sites et je cherche des retours.",
        "Les indicateurs qualité du trimestre sont en ligne : taux de réclamations en baisse de "
        "{pct} %. Le détail par site est dans le tableau de bord.",
        "Campagne de mesure du bruit dans les ateliers de {site} terminée. Les résultats sont "
        "bons, sauf sur la zone d'emballage où des protections seront installées.",
    ],
    "legal": [
        "Mise à jour des conditions générales de vente : les nouvelles versions sont dans la "
        "base documentaire. Merci de ne plus utiliser les anciennes.",
        "Formation anticorruption obligatoire : {pct3} % des collègues concernés l'ont suivie. Il "
        "reste deux semaines pour les retardataires.",
        "Quelqu'un a un modèle de clause sur l'usage de l'IA générative par les prestataires ? "
        "On en a besoin pour le contrat {project}.",
        "Rappel RGPD : un fichier de contacts clients ne s'envoie pas par messagerie personnelle. "
        "Utilisez les espaces partagés prévus.",
        "Le registre des traitements est à jour : {big} traitements recensés. Merci aux "
        "référents de chaque direction.",
        "Nouveau guide « signer un contrat en cinq étapes » pour les opérationnels. Le juridique "
        "reste disponible pour tout cas particulier.",
        "Revue annuelle des délégations de pouvoir en cours. Si votre périmètre a changé, "
        "prévenez {m}.",
        "Le dispositif d'alerte interne a été refondu : plus simple, confidentiel et accessible "
        "depuis l'intranet.",
        "Point de veille : le règlement européen sur l'IA entre progressivement en application. "
        "On prépare une note pour les équipes data.",
        "Signature électronique : tous les contrats fournisseurs passent désormais par "
        "{t:DocuSign}. Fini les allers-retours de PDF scannés.",
    ],
    "innovation": [
        "Appel à idées ouvert jusqu'à la fin du mois : « comment réduire nos déchets de bureau ? "
        "». Les trois meilleures idées seront prototypées avec l'équipe {unit}.",
        "Hackathon interne dans trois semaines à {site} : 48 heures pour prototyper des usages "
        "de l'IA générative au service des métiers. Équipes mixtes encouragées !",
        "Démo du prototype de jumeau numérique de l'entrepôt vendredi. Merci {m} et aux équipes "
        "supply chain pour les données.",
        "Retour de {event} : beaucoup de startups sur la décarbonation de l'industrie. Deux "
        "pistes intéressantes pour nous, j'en parle à qui veut.",
        "Le POC de vision par ordinateur sur la ligne de contrôle qualité détecte {pct3} % des "
        "défauts. On passe en phase pilote !",
        "Café innovation {weekday} : {m} présente comment son équipe a testé une idée en deux "
        "semaines avec un budget minuscule.",
        "On cherche des métiers volontaires pour tester un assistant de rédaction de comptes "
        "rendus. Inscriptions en commentaire.",
        "La boîte à idées a reçu {big} propositions ce trimestre. Merci ! Chaque idée reçoit une "
        "réponse, même quand c'est non.",
        "Atelier de créativité {weekday} à {site} sur le parcours client de demain. Post-it et "
        "café à volonté, bonne humeur exigée 😄",
    ],
    "management": [
        "Merci à toutes les équipes pour ce semestre exigeant. Les résultats sont là, et ils "
        "sont collectifs.",
        "Séminaire de direction la semaine dernière : trois priorités pour l'année, que nous "
        "partagerons en réunion d'équipe lundi.",
        "J'ai passé la journée à {site} avec les équipes terrain. Beaucoup d'idées concrètes, et "
        "quelques irritants que nous allons traiter vite.",
        "Bienvenue à {m} qui prend la responsabilité d'une nouvelle équipe chez nous !",
        "Questions-réponses ouvertes avec la direction {weekday} à 13 h, sur place à {site} et en "
        "visio. Vous pouvez poser vos questions à l'avance en commentaire.",
        "Fier de l'équipe {unit} qui a livré {project} dans les temps malgré les imprévus. Bravo "
        "à tous 👏",
        "Nous lançons le programme de formation au management de proximité : {n3} sessions d'ici "
        "la fin de l'année.",
        "Quelles réunions pourrions-nous supprimer ? Je suis sérieux·se, répondez en commentaire "
        "🙂",
        "Belle matinée à {site} pour la présentation des résultats annuels. Merci à toutes celles "
        "et ceux qui ont posé des questions franches.",
    ],
    "general": [
        "Afterwork {weekday} soir à {site} 🍻 Rendez-vous à 18 h 30 au café en bas de "
        "l'immeuble. Nouveaux arrivants particulièrement bienvenus !",
        "Qui est partant pour courir la course solidaire de {city} sous nos couleurs ? On monte "
        "une équipe, inscriptions en commentaire 🏃",
        "Collecte de jouets jusqu'à vendredi : les cartons sont à l'accueil de {site}. Merci pour "
        "votre générosité !",
        "Covoiturage : je fais le trajet tous les lundis et jeudis vers {site}, il me reste deux "
        "places. Écrivez-moi !",
        "La cantine de {site} propose désormais un menu végétarien tous les jours. Retours "
        "bienvenus, l'équipe restauration écoute !",
        "Merci à toutes et à tous pour la soirée de fin d'année ! Mention spéciale à {m} pour "
        "l'animation du quiz 😄",
        "Tournoi de baby-foot inter-équipes à {site} : {n3} équipes inscrites, la finale a lieu "
        "{weekday} midi. Venez encourager !",
        "Le club photo organise une sortie samedi matin. Tous niveaux, smartphone accepté 📷",
        "Les nouveaux espaces de {site} ouvrent lundi : plus de salles de réunion, une terrasse "
        "et enfin des bulles pour téléphoner.",
        "Petit-déjeuner de rentrée demain à 9 h à {site}, viennoiseries offertes ☕",
        "J'ai trouvé des clés avec un porte-clés en forme de baleine dans la salle Saturne à "
        "{site}. Elles sont à l'accueil 🐋",
        "Don du sang sur le site de {site} {weekday} : inscrivez-vous auprès de l'accueil, ça "
        "prend une heure et ça sauve des vies.",
        "Quelqu'un connaît un bon restaurant près de {site} pour un déjeuner d'équipe à {n3} "
        "personnes ?",
        "Journée solidaire : {n3} collègues ont passé la journée avec une association "
        "d'insertion de {city}. Une belle expérience à renouveler.",
        "Les vélos de service sont disponibles à {site}. Réservation sur l'intranet, casque "
        "fourni 🚲",
        "Pot de départ de {m} {weekday} à 17 h à {site} : après de belles années chez nous, une "
        "nouvelle aventure commence. Venez nombreux !",
        "Le potager partagé de {site} a donné ses premières tomates 🍅 Merci aux jardiniers du "
        "midi !",
    ],
    "newcomers": [
        "Bienvenue à {m} qui rejoint l'équipe {m_unit} ! N'hésitez pas à lui faire un petit "
        "coucou à la machine à café ☕",
        "Bonjour à toutes et à tous ! J'ai rejoint l'équipe {unit} la semaine dernière en tant "
        "que {title}. Ravi·e de faire partie de l'aventure, et preneur·se de toutes vos "
        "astuces pour bien démarrer 🙂",
        "Question de nouvel arrivant : comment réserve-t-on une salle de réunion à {site} ? "
        "L'outil me dit que je n'ai pas les droits…",
        "Prochaine matinée d'accueil des nouveaux arrivants {weekday} à {site} : présentation de "
        "l'entreprise, visite du site et déjeuner avec les parrains et marraines.",
        "Petit guide de survie pour les nouveaux : les acronymes qu'on entend le plus en "
        "réunion. DSI, PI, S&OP, CODIR… Ajoutez les vôtres en commentaire !",
        "Nouvel·le arrivant·e à {site}, je cherche des collègues pour déjeuner et des conseils "
        "de trajet. Merci d'avance !",
        "Rappel pour les nouveaux arrivants : votre parrain ou votre marraine est là pour toutes "
        "les questions « bêtes ». Il n'y en a pas !",
        "Bienvenue aux {n3} personnes qui nous ont rejoints ce mois-ci ! On vous retrouve jeudi "
        "pour le café d'accueil.",
        "Bienvenue à {m}, {m_title}, qui nous rejoint à {m_site} ! Son parrain est {m2}.",
    ],
    "codir": [
        "Ordre du jour du prochain comité : revue budgétaire, point d'avancement {project}, plan "
        "de mobilité interne. Merci d'envoyer vos supports avant {weekday} midi.",
        "Projet de note sur l'organisation cible de la direction des opérations : relecture "
        "souhaitée d'ici vendredi. Le document est dans l'espace partagé du comité.",
        "Synthèse de l'enquête d'engagement : participation à {pct3} %, résultats en hausse sur "
        "le sens au travail, en baisse sur la charge. À discuter mardi.",
        "Préparation du séminaire stratégique : je propose de consacrer la première demi-journée "
        "à nos scénarios de croissance et la seconde à l'organisation.",
        "Arbitrages budgétaires : l'enveloppe d'investissement est réduite de {pct} %. Chaque "
        "direction présente ses priorités à la prochaine séance.",
        "Point confidentiel sur le projet de rapprochement : la data room ouvre lundi. Merci de "
        "limiter la diffusion au strict nécessaire.",
        "Relevé de décisions du dernier comité en ligne. Action prioritaire : plan de "
        "recrutement data à présenter par {m}.",
        "Résultats du trimestre : chiffre d'affaires en ligne avec le budget, marge légèrement "
        "en dessous. {m} détaillera les leviers en séance.",
        "Proposition d'ordre du jour pour le séminaire de rentrée : bilan du semestre, plan de "
        "transformation, politique de télétravail. Vos ajouts sont bienvenus.",
        "Indicateurs sociaux du trimestre : turnover stable, absentéisme en légère baisse. {m} "
        "présentera le détail.",
        "Projet de communication sur la nouvelle organisation : merci de relire avant diffusion, "
        "le texte est dans l'espace partagé.",
        "Point d'attention : deux départs clés annoncés dans les équipes data. Il faut en parler "
        "rapidement.",
        "Retour du conseil d'administration : le plan stratégique est validé dans ses grandes "
        "lignes, avec des questions sur le calendrier des investissements.",
    ],
    "phenix": [
        "Point d'avancement Phénix : la maquette du nouveau parcours client est validée par le "
        "comité. Le lot 1 part en développement lundi.",
        "Rappel : tout ce qui concerne Phénix reste dans cet espace jusqu'à l'annonce officielle. "
        "Merci de ne pas transférer les documents.",
        "Atelier Phénix {weekday} à {site} avec {m} et {m2} : revue des hypothèses de volumétrie "
        "et du modèle de données.",
        "Phénix : les premiers tests de charge sont concluants, {big0} transactions par minute "
        "sans dégradation. On reste prudents.",
        "Question pour l'équipe Phénix : a-t-on une position sur l'hébergement des données "
        "clients ? Le juridique attend notre retour.",
        "Démo Phénix à la direction générale vendredi. {m}, tu peux préparer le scénario de bout "
        "en bout ?",
        "Le planning Phénix glisse de deux semaines sur le lot paiement. Rien d'alarmant, mais "
        "il faut l'anticiper côté communication.",
        "Phénix : le choix d'architecture est acté, ce sera {t:Kubernetes|Kafka} pour le socle. "
        "Merci {m} pour l'étude comparative.",
        "Phénix : la recette du lot 1 démarre lundi. {m}, peux-tu confirmer la disponibilité "
        "des testeurs métier ?",
        "Compte rendu du comité Phénix en ligne. Décision : on garde le périmètre actuel et les "
        "fonctionnalités de fidélité passent au lot 3.",
        "Les maquettes Phénix du parcours mobile sont prêtes pour relecture. Retours attendus "
        "avant {weekday}.",
        "Phénix : nouvelle estimation budgétaire à +{pct2} % par rapport au cadrage, surtout sur "
        "l'intégration. Je prépare une note pour le comité.",
        "Bravo à l'équipe Phénix : la démo de bout en bout a convaincu la direction générale 🎉 "
        "On garde le rythme !",
        "Phénix : besoin de renfort en {skill} pour deux sprints. Des idées de personnes "
        "disponibles ?",
    ],
}

# Questions and professional life, usable in any professional domain.
QUESTIONS = [
    "Quelqu'un connaît un bon tutoriel pour démarrer avec {tool} ? Je dois monter en "
    "compétences rapidement pour {project}.",
    "Qui s'y connaît en {skill} ici ? J'aurais besoin de trente minutes d'échange pour valider "
    "une approche.",
    "Quelqu'un a-t-il déjà utilisé {tool} et {tool2} ensemble ? Je cherche des retours avant de "
    "me lancer.",
    "Je cherche un·e expert·e en {skill}, à {site} ou en visio, pour relire un document. Qui "
    "peut m'aider ?",
    "Question rapide : existe-t-il une licence {tool} partagée dans l'entreprise, ou faut-il en "
    "demander une ?",
    "Quelqu'un connaît un livre ou un podcast sur {skill} à recommander ? Niveau intermédiaire.",
    "Quelqu'un connaît la bonne personne pour parler {skill} côté {project} ? Je tourne un peu en "
    "rond…",
]
PRO_LIFE = [
    "Retour de {event} : deux jours intenses, beaucoup de retours d'expérience en {skill}. Je "
    "partage mes notes à qui veut.",
    "Je serai à {event} le mois prochain. Qui y va aussi ? On pourrait se retrouver sur place.",
    "Je viens de terminer la formation « {skill} » proposée par l'équipe formation. Très "
    "concrète, je recommande !",
    "J'anime un atelier d'initiation en {skill} {weekday} à {site}. Il reste {n} places !",
    "Super échange ce matin avec {m} sur {skill}. C'est fou ce qu'on apprend en trente minutes "
    "de café ☕",
    "Certification obtenue hier après trois mois de révisions le soir 🎉 Merci {m} pour les "
    "conseils et les annales.",
    "Envie de partager ce que vous savez en {skill} ? On monte un programme de mentorat entre "
    "équipes, écrivez-moi.",
]

# A post's mood decides which extra sentence, closing line and comments fit it.
DETAILS = {
    "info": [
        "Le support est disponible dans l'espace documentaire de l'équipe {unit}.",
        "Plus de détails à la prochaine réunion d'équipe.",
        "Je mets le lien vers la documentation en commentaire.",
        "On fera un point d'étape dans un mois.",
    ],
    "success": [
        "Merci à {m} pour le coup de main.",
        "{m} et {m2} ont fait un travail remarquable sur ce sujet.",
        "On fera un point d'étape dans un mois.",
    ],
    "event": [
        "Le support sera partagé après la session.",
        "Plus d'infos auprès de {m}.",
    ],
}
CLOSERS = {
    "info": [
        "N'hésitez pas si vous avez des questions.",
        "On en reparle à la prochaine réunion d'équipe.",
        "À suivre…",
    ],
    "success": ["Bravo à toutes et à tous !", "Merci à tous 🙏", "On continue !"],
    "event": ["Partagez autour de vous !", "Toutes les bonnes volontés sont bienvenues."],
    "question": ["Merci d'avance pour vos idées 🙏", "Vos retours sont les bienvenus !"],
}

UPDATES_EN: dict[str, list[str]] = {
    "data": [
        "Our demand forecasting model for {project} is now live. The error rate is down to "
        "{pct}% and we are looking for feedback from the business teams.",
        "Has anyone here used {tool} together with {tool2} at scale? We are comparing options "
        "for {project} and would love to hear what worked for you.",
        "Quick write-up from the data quality workshop in {site}: most issues came from three "
        "fields typed in by hand. Fix things at the source!",
        "We are running an open demo of our internal assistant on Friday. It is built with "
        "{t:Python|PyTorch} and it is far from perfect, which is exactly why we want your input.",
    ],
    "cyber": [
        "Phishing simulation results are in: a {pct}% click rate, down from last quarter. Thanks "
        "to everyone who reported the message to the SOC!",
        "We are rolling out {t:CrowdStrike|SentinelOne} in {site} next week. Laptops will restart "
        "once, outside office hours.",
        "Has anyone adapted EBIOS RM to an agile project? We are trying to do it for {project} "
        "without slowing down the sprints.",
    ],
    "dev": [
        "The new version of the {project} API shipped this morning with zero downtime. Thanks {m} "
        "for the thorough code review!",
        "Monorepo or one repository per service? We are leaning towards a monorepo for {project}, "
        "and I would love to hear about your experience.",
        "Back from {event}: lots of talks about internal developer platforms and AI in the IDE. "
        "I will share my notes next week.",
        "Friendly reminder: nobody really reviews a 2,000-line merge request. Split it and your "
        "reviewers will thank you.",
    ],
    "cloud": [
        "The {t:AWS|Azure|Google Cloud} landing zone is ready: networking, identities, logging "
        "and cost guardrails. The first teams migrate next week.",
        "Our cloud bill is down {pct}% this month thanks to the automatic shutdown of test "
        "environments at night. Thanks {m} for the script!",
        "Has anyone moved VMware workloads to {t:Azure|AWS} with minimal downtime? We are "
        "preparing the next wave and I am looking for real-world feedback.",
    ],
    "agile": [
        "PI {n} on {project} is wrapped up: {pct3}% of the objectives met and much better "
        "predictability. Kudos to the whole train!",
        "How do you keep daily stand-ups under fifteen minutes when the team grows? We are now "
        "eleven people and we always run over.",
    ],
    "hr": [
        "We are hiring! {n3} open positions in {site}, including several in data and supply "
        "chain. Referrals are rewarded, so spread the word.",
        "The new onboarding journey is live: a buddy, a 90-day programme and a check-in after the "
        "first month.",
    ],
    "finance": [
        "Month-end close done in {n4} working days this month, a record! Thanks to the whole team "
        "and to everyone who sent their figures on time.",
        "Has anyone automated bank reconciliations with {t:Power Query|SAP}? We still spend two "
        "days a month on it.",
    ],
    "purchasing": [
        "Our responsible purchasing charter has now been signed by our first {n3} suppliers. The "
        "next step is carbon criteria in every tender.",
    ],
    "sales": [
        "Contract signed this morning with {thing}: three years, nationwide scope. Congratulations "
        "to {m} and the whole pre-sales team!",
        "Back from {event}: {big} qualified leads and a lot of interest in our services. The "
        "report is in {t:Salesforce|HubSpot}.",
        "Customer satisfaction reached {pct3}% this quarter. The comments are very insightful, I "
        "will share them at the next team meeting.",
    ],
    "marketing": [
        "Our back-to-school email campaign reached a {pct}% open rate, our best result yet. "
        "Thanks {m} for the subject lines!",
        "We are looking for colleagues who would like to share their story for the employer "
        "brand campaign. It is a twenty-minute interview and we take care of the rest.",
    ],
    "supply": [
        "The service level at the {site} warehouse reached {pct3}% this month. Thanks to the "
        "picking teams for their effort during the peak!",
        "Has anyone implemented a SaaS WMS on a mid-sized site? We are looking into it for {site}.",
    ],
    "quality": [
        "The ISO 9001 surveillance audit in {site} went well: no major non-conformity and {n} "
        "ideas for improvement. Thanks everyone!",
    ],
    "legal": [
        "A reminder on GDPR: customer contact files must never go through personal e-mail. "
        "Please use the shared spaces that are provided.",
    ],
    "innovation": [
        "Internal hackathon in three weeks in {site}: 48 hours to prototype generative AI use "
        "cases for the business teams. Mixed teams are welcome!",
        "Back from {event}: lots of startups working on the decarbonisation of industry. Two of "
        "them look relevant for us, happy to tell you more.",
    ],
    "management": [
        "Thank you to all the teams for a demanding half-year. The results are here, and they "
        "belong to everyone.",
        "I spent the day in {site} with the field teams. Lots of practical ideas, and a few "
        "irritants that we will fix quickly.",
    ],
    "general": [
        "Afterwork on {weekday} evening in {site}! Meet at 6:30 pm at the café downstairs. "
        "Newcomers are especially welcome.",
        "Does anyone know a good restaurant near {site} for a team lunch with {n3} people?",
        "Who is up for the charity run in {city}? We are putting a team together, sign up in the "
        "comments!",
        "Thanks to everyone for the end-of-year party! Special mention to {m} for the quiz.",
    ],
    "newcomers": [
        "Hi everyone! I joined the {unit} team last week as {title}. I am very happy to be here "
        "and I would love any tips to get started.",
        "Welcome to {m}, who joins the {m_unit} team! Do say hello at the coffee machine.",
    ],
}
QUESTIONS_EN = [
    "Does anyone know a good tutorial to get started with {tool}? I need to ramp up quickly for "
    "{project}.",
    "Who has experience with {skill} here? I would need a thirty-minute chat to check an approach.",
    "Has anyone used {tool} and {tool2} together? I am looking for feedback before I start.",
]
PRO_LIFE_EN = [
    "Back from {event}: two intense days and lots of talks about {skill}. Happy to share my "
    "notes with anyone interested.",
    "I will be at {event} next month. Is anyone else going? We could meet there.",
    "Just finished the {skill} training offered by the learning team. Very practical, I "
    "recommend it!",
    "Great chat this morning with {m} about {skill}. It is amazing what you can learn over a "
    "thirty-minute coffee.",
]
DETAILS_EN = {
    "info": ["More details at the next team meeting.", "The slides are in the {unit} team space."],
    "success": ["Thanks {m} for the help."],
    "event": ["The slides will be shared after the session."],
}
CLOSERS_EN = {
    "info": ["Let me know if you have any questions."],
    "success": ["Well done, everyone!"],
    "event": ["Please spread the word!"],
    "question": ["Thanks in advance for your ideas!", "Feedback is welcome!"],
}

# Articles: a few stories per domain, each told with its own titles, context, steps and lessons.
ARTICLES: dict[str, list[dict[str, list[str]]]] = {
    "data": [
        {
            "titles": [
                "Comment nous avons migré notre entrepôt de données vers {t:Snowflake|Databricks}",
                "Retex : la migration de notre entrepôt de données",
                "Guide pratique : préparer une migration de données",
            ],
            "context": [
                "Notre entrepôt de données avait quinze ans. Les rapports les plus lourds "
                "tournaient la nuit, et chaque nouvelle source demandait des semaines de "
                "développement.",
                "Chaque direction avait ses propres extractions, ses propres définitions et ses "
                "propres fichiers Excel. Le comité de direction recevait trois chiffres "
                "différents pour le même indicateur.",
            ],
            "steps": [
                "un inventaire des sources et de leurs propriétaires métier",
                "un glossaire partagé des indicateurs clés, validé par les directions",
                "des pipelines {t:dbt|Airflow} versionnés et testés automatiquement",
                "une migration par domaine métier, avec une double exécution pendant un mois",
                "un tableau de bord de qualité des données publié chaque matin",
            ],
            "lessons": [
                "Commencer petit : un domaine qui compte vaut mieux que dix démonstrateurs.",
                "Les données de qualité se corrigent à la source, pas dans le rapport.",
                "La documentation fait partie du livrable, pas du reste à faire.",
                "Impliquer {m} dès le cadrage nous a évité des semaines de retours en arrière.",
            ],
            "pitfalls": [
                "Vouloir tout migrer d'un coup.",
                "Reproduire à l'identique des traitements que plus personne n'utilise.",
                "Sous-estimer le temps de recette avec les métiers.",
            ],
        },
        {
            "titles": [
                "Comment nous avons mis un modèle de prévision en production pour {project}",
                "Retour d'expérience : industrialiser le machine learning sur {project}",
                "Nos conseils pour réussir son premier projet d'IA",
            ],
            "context": [
                "Le projet {project} avait besoin de prévisions fiables à la semaine. Les modèles "
                "existants tournaient sur un poste de travail et personne n'osait plus y toucher.",
            ],
            "steps": [
                "un cadrage avec les métiers : quelle décision le modèle doit-il éclairer ?",
                "une base de référence simple avant tout modèle sophistiqué",
                "un suivi des expériences dans {t:MLflow|Databricks}",
                "un déploiement automatisé avec une surveillance de la dérive",
                "des revues de modèles mensuelles avec les équipes métier",
            ],
            "lessons": [
                "Un modèle que personne ne comprend ne sera pas utilisé.",
                "La base de référence naïve est souvent plus difficile à battre qu'on ne le croit.",
                "La surveillance en production compte autant que la précision en laboratoire.",
                "Les métiers deviennent nos meilleurs alliés quand on leur montre les erreurs du "
                "modèle.",
            ],
            "pitfalls": [
                "Optimiser la précision au détriment de l'explicabilité.",
                "Oublier les données personnelles dans les environnements de test.",
                "Laisser un modèle en production sans propriétaire.",
            ],
        },
    ],
    "cyber": [
        {
            "titles": [
                "Comment nous avons réduit de moitié le taux de clic aux campagnes de phishing",
                "Retex : deux ans de sensibilisation à la cybersécurité",
                "Guide pratique : réagir face à un e-mail suspect",
            ],
            "context": [
                "Nos campagnes de sensibilisation se résumaient à un e-learning annuel que tout le "
                "monde faisait en accéléré. Les résultats des tests de phishing ne bougeaient pas.",
            ],
            "steps": [
                "des campagnes de phishing simulé courtes et régulières",
                "un bouton « Signaler » dans la messagerie, relié au SOC",
                "un retour immédiat et bienveillant après chaque clic",
                "des ambassadeurs cyber dans chaque direction",
                "un classement des directions par signalements, pas par clics",
            ],
            "lessons": [
                "On ne blâme jamais la personne qui clique : on remercie celle qui signale.",
                "Dix minutes par mois valent mieux qu'une heure par an.",
                "Les exemples tirés de vrais incidents marquent bien plus que les règles.",
                "Les managers qui montrent l'exemple font toute la différence.",
            ],
            "pitfalls": [
                "Humilier publiquement les personnes piégées.",
                "Envoyer des simulations trop faciles ou trop difficiles.",
                "Oublier les prestataires et les intérimaires.",
            ],
        },
        {
            "titles": [
                "Comment nous avons préparé notre mise en conformité NIS 2",
                "Retour d'expérience : notre premier exercice de crise cyber",
                "Guide pratique : se préparer à NIS 2 sans usine à gaz",
            ],
            "context": [
                "La directive NIS 2 nous classe parmi les entités importantes. Il fallait en "
                "mesurer les conséquences sans transformer la sécurité en usine à gaz.",
            ],
            "steps": [
                "une cartographie des actifs critiques avec chaque direction",
                "une analyse de risques EBIOS RM sur les processus essentiels",
                "un plan de réponse aux incidents testé en conditions réelles",
                "un exercice de crise annuel avec le comité de direction",
                "des règles de détection revues chaque trimestre dans {t:Sentinel|Splunk}",
            ],
            "lessons": [
                "La sécurité se négocie au cadrage, pas à la veille de la mise en production.",
                "Un exercice de crise révèle surtout des problèmes de communication.",
                "Les équipes métier ont souvent la meilleure vision des risques réels.",
            ],
            "pitfalls": [
                "Multiplier les outils sans les personnes pour les exploiter.",
                "Rédiger des politiques que personne ne lit.",
                "Oublier les prestataires dans le périmètre.",
            ],
        },
    ],
    "dev": [
        {
            "titles": [
                "Comment nous avons découpé notre monolithe {project} sans tout réécrire",
                "Retex : six mois de TDD sur {project}",
                "Guide pratique : refactoriser du code ancien sans tout casser",
            ],
            "context": [
                "L'application {project} a dix ans, trois générations de développeurs et une "
                "couverture de tests proche de zéro. Chaque mise en production était une soirée "
                "de stress.",
            ],
            "steps": [
                "des tests de caractérisation avant chaque refactorisation",
                "un découpage par domaine métier, négocié avec les product owners",
                "une chaîne {t:GitLab CI|Docker} identique pour toutes les équipes",
                "des binômes tournants pour diffuser la connaissance",
                "des mises en production chaque semaine, par petits incréments",
            ],
            "lessons": [
                "Le code le plus facile à maintenir est celui qu'on n'écrit pas.",
                "Les tests lents finissent toujours désactivés.",
                "Mesurer avant d'optimiser : nos intuitions se trompaient une fois sur deux.",
                "{m} avait raison dès le début sur le découpage, il fallait l'écouter plus tôt.",
            ],
            "pitfalls": [
                "Vouloir tout réécrire d'un coup.",
                "Découper en microservices avant de comprendre le domaine.",
                "Laisser la documentation au dernier sprint.",
            ],
        },
        {
            "titles": [
                "Comment nous avons généralisé la revue de code dans toutes les équipes",
                "Retex : un an de revues de code systématiques",
                "Nos conseils pour réussir ses revues de code",
            ],
            "context": [
                "Nos merge requests attendaient en moyenne quatre jours avant d'être relues. Les "
                "conflits se multipliaient et la qualité s'en ressentait.",
            ],
            "steps": [
                "une règle simple : pas plus de 400 lignes par merge request",
                "deux relecteurs, dont un d'une autre équipe une fois par semaine",
                "une liste de vérification courte, dans le modèle de merge request",
                "des créneaux de relecture bloqués chaque matin",
                "l'automatisation de tout ce qui peut l'être : formatage, analyse, tests",
            ],
            "lessons": [
                "Une revue de code est une conversation, pas un examen.",
                "Les petites merge requests sont relues plus vite et mieux.",
                "Des commentaires bienveillants et précis font progresser toute l'équipe.",
                "Les juniors apprennent autant en relisant qu'en étant relus.",
            ],
            "pitfalls": [
                "Débattre de style au lieu de laisser le formateur automatique trancher.",
                "Relire en diagonale pour aller vite.",
                "Réserver la relecture aux seniors.",
            ],
        },
    ],
    "cloud": [
        {
            "titles": [
                "Comment nous avons migré {n3} applications vers {t:Azure|AWS} sans interruption",
                "Retex : la fermeture de notre datacenter historique",
                "Guide pratique : préparer une migration vers le cloud",
            ],
            "context": [
                "Notre datacenter historique arrivait en fin de contrat et une partie du matériel "
                "n'était plus supportée. Il fallait migrer vite, sans tout casser.",
            ],
            "steps": [
                "un inventaire applicatif avec un responsable par application",
                "une landing zone commune : réseau, identités, journalisation",
                "des modules {t:Terraform|Ansible} réutilisables et documentés",
                "des vagues de migration de cinq à dix applications",
                "une répétition générale avant chaque bascule",
            ],
            "lessons": [
                "L'infrastructure décrite en code est la meilleure documentation.",
                "Les répétitions générales nous ont évité au moins deux incidents majeurs.",
                "Une bonne supervision vaut mieux que dix procédures.",
            ],
            "pitfalls": [
                "Déplacer les VM telles quelles et s'arrêter là.",
                "Oublier les flux réseau entre anciennes et nouvelles applications.",
                "Négliger la formation des équipes d'exploitation.",
            ],
        },
        {
            "titles": [
                "Comment nous avons réduit notre facture cloud de {pct} %",
                "Retour d'expérience : un an de FinOps",
                "Nos conseils pour garder la maîtrise des coûts du cloud",
            ],
            "context": [
                "Les environnements de recette tournaient jour et nuit, y compris le week-end. "
                "Personne ne savait vraiment ce qui coûtait quoi.",
            ],
            "steps": [
                "un étiquetage obligatoire de chaque ressource par équipe et par projet",
                "l'extinction automatique des environnements hors production",
                "des tableaux de bord de coûts par équipe",
                "une revue mensuelle des dix plus grosses dépenses",
                "des réservations de capacité pour les charges stables",
            ],
            "lessons": [
                "Le cloud ne coûte pas moins cher par magie : il faut le piloter.",
                "Rendre les coûts visibles suffit souvent à les faire baisser.",
                "Les équipes produit prennent de bonnes décisions quand elles ont les chiffres.",
            ],
            "pitfalls": [
                "Centraliser toutes les décisions dans l'équipe infra.",
                "Optimiser les centimes et oublier les grosses dépenses.",
                "Sacrifier la fiabilité pour économiser.",
            ],
        },
    ],
    "agile": [
        {
            "titles": [
                "Comment nous avons passé {project} à l'échelle avec SAFe",
                "Retex : un an d'agilité à l'échelle sur {project}",
                "Guide pratique : préparer son premier PI planning",
            ],
            "context": [
                "Cinq équipes travaillaient sur {project} avec cinq backlogs, cinq rythmes et un "
                "comité de pilotage mensuel où l'on découvrait les retards.",
            ],
            "steps": [
                "une cadence commune de deux semaines pour toutes les équipes",
                "un PI planning tous les trois mois avec les métiers",
                "une démo ouverte à toute l'entreprise toutes les deux semaines",
                "un tableau {t:Jira|Klaxoon} unique pour le portefeuille",
                "un product manager unique pour arbitrer les priorités",
            ],
            "lessons": [
                "L'agilité à l'échelle commence par l'alignement, pas par les outils.",
                "Une démo vaut mieux que dix rapports d'avancement.",
                "Les métiers adorent être impliqués tôt, à condition de respecter leur temps.",
            ],
            "pitfalls": [
                "Copier un cadre sans l'adapter à notre contexte.",
                "Transformer le PI planning en grand-messe sans décisions.",
                "Confondre vélocité et valeur livrée.",
            ],
        },
        {
            "titles": [
                "Comment nous avons rendu nos rétrospectives utiles à nouveau",
                "Retour d'expérience : des rétrospectives qui changent vraiment les choses",
                "Nos conseils pour animer une rétrospective",
            ],
            "context": [
                "Nos rétrospectives tournaient en rond : toujours les mêmes irritants, jamais "
                "d'actions suivies.",
            ],
            "steps": [
                "un format différent à chaque rétrospective",
                "une animation tournante entre les membres de l'équipe",
                "deux actions au maximum, chacune avec un responsable et une date",
                "des actions suivies dans le backlog comme le reste du travail",
                "une rétrospective des rétrospectives chaque trimestre",
            ],
            "lessons": [
                "Moins d'actions, mais suivies : deux par rétrospective, pas plus.",
                "La sécurité psychologique se construit rétrospective après rétrospective.",
                "Changer de format suffit souvent à relancer les échanges.",
            ],
            "pitfalls": [
                "Transformer la rétrospective en séance de plaintes.",
                "Laisser le manager animer.",
                "Oublier de célébrer ce qui marche.",
            ],
        },
    ],
    "hr": [
        {
            "titles": [
                "Comment nous avons repensé le parcours d'intégration des nouveaux arrivants",
                "Retex : un an de parrainage des nouveaux arrivants",
                "Guide pratique : réussir l'intégration d'un nouvel arrivant",
            ],
            "context": [
                "Un nouvel arrivant sur cinq nous quittait avant la fin de sa première année. Les "
                "entretiens de départ pointaient tous la même chose : une intégration improvisée.",
            ],
            "steps": [
                "un parrain ou une marraine pour chaque arrivée",
                "un programme sur 90 jours partagé avec le manager",
                "un poste de travail prêt dès le premier jour",
                "une matinée d'accueil mensuelle avec la direction",
                "des points d'étape à un mois et à six mois",
            ],
            "lessons": [
                "L'intégration commence avant le premier jour.",
                "Le manager reste la clé : sans lui, aucun dispositif ne tient.",
                "Les anciens adorent transmettre quand on leur en donne le temps.",
            ],
            "pitfalls": [
                "Noyer les nouveaux arrivants sous la documentation.",
                "Oublier les équipes en télétravail.",
                "Confier le parrainage à des volontaires déjà débordés.",
            ],
        },
        {
            "titles": [
                "Comment nous avons construit la cartographie des compétences de l'entreprise",
                "Retour d'expérience : un an de mobilité interne",
                "Nos conseils pour préparer sa mobilité interne",
            ],
            "context": [
                "Nous avions du mal à savoir qui savait faire quoi dans l'entreprise, et les "
                "mobilités internes se faisaient surtout par le bouche-à-oreille.",
            ],
            "steps": [
                "des profils de compétences remplis par chacun et recommandés par les pairs",
                "un référentiel de compétences volontairement court",
                "un forum mobilité deux fois par an",
                "la publication de tous les postes en interne avant l'externe",
                "des entretiens de carrière avec les RH sur demande",
            ],
            "lessons": [
                "Les compétences déclarées valent de l'or, si on les fait vivre.",
                "La transparence sur les postes ouverts change tout.",
                "Une mobilité réussie inspire dix autres candidatures.",
            ],
            "pitfalls": [
                "Lancer un référentiel de compétences trop détaillé.",
                "Bloquer les départs vers d'autres équipes.",
                "Oublier d'accompagner le manager qui voit partir quelqu'un.",
            ],
        },
    ],
    "finance": [
        {
            "titles": [
                "Comment nous avons raccourci notre clôture mensuelle de trois jours",
                "Retex : l'automatisation des rapprochements bancaires",
                "Guide pratique : préparer une clôture sereine",
            ],
            "context": [
                "La clôture mensuelle prenait huit jours ouvrés et mobilisait toute l'équipe dans "
                "un rush permanent. Les managers recevaient leurs chiffres trop tard pour agir.",
            ],
            "steps": [
                "un calendrier de clôture partagé avec les opérationnels",
                "des rapprochements automatisés avec {t:Power Query|SAP}",
                "des provisions estimées dès le 20 du mois",
                "une revue analytique en une seule réunion",
                "des tableaux de bord publiés le jour même",
            ],
            "lessons": [
                "Une clôture rapide se prépare pendant le mois, pas après.",
                "Les bons chiffres arrivent quand les opérationnels comprennent à quoi ils "
                "servent.",
                "Automatiser libère du temps pour l'analyse, qui est le vrai métier.",
            ],
            "pitfalls": [
                "Automatiser un processus avant de l'avoir simplifié.",
                "Viser la perfection au centime sur des montants non significatifs.",
                "Oublier de documenter les retraitements.",
            ],
        },
        {
            "titles": [
                "Comment nous avons rendu le budget lisible pour les managers",
                "Retour d'expérience : notre premier reforecast trimestriel",
                "Nos conseils pour préparer son budget",
            ],
            "context": [
                "Les managers construisaient leur budget dans des fichiers hérités de leurs "
                "prédécesseurs, sans toujours comprendre les règles de calcul.",
            ],
            "steps": [
                "des trames budgétaires simplifiées et commentées",
                "un tableau de bord {t:Power BI|Excel} par direction",
                "des sessions de formation pour les managers non financiers",
                "un reforecast trimestriel plutôt qu'un budget figé",
                "un contrôleur de gestion référent pour chaque direction",
            ],
            "lessons": [
                "Un indicateur sans commentaire ne sert à rien.",
                "Les managers s'approprient un budget qu'ils ont compris.",
                "Le reforecast trimestriel évite les mauvaises surprises de fin d'année.",
            ],
            "pitfalls": [
                "Multiplier les indicateurs.",
                "Envoyer des fichiers de cinquante onglets.",
                "Oublier de former les nouveaux managers.",
            ],
        },
    ],
    "purchasing": [
        {
            "titles": [
                "Comment nous avons intégré des critères carbone dans nos appels d'offres",
                "Retex : un an d'achats responsables",
                "Guide pratique : rédiger un cahier des charges responsable",
            ],
            "context": [
                "Nos achats représentent plus de la moitié de notre empreinte carbone. Les "
                "critères RSE existaient sur le papier mais pesaient peu dans les décisions.",
            ],
            "steps": [
                "une pondération RSE d'au moins 20 % dans chaque appel d'offres",
                "une évaluation annuelle des fournisseurs stratégiques avec {t:EcoVadis}",
                "le coût complet comme critère : usage, maintenance et fin de vie",
                "un catalogue de matériel informatique reconditionné",
                "des objectifs carbone partagés avec nos dix premiers fournisseurs",
            ],
            "lessons": [
                "Les critères RSE doivent être mesurables, sinon ils restent décoratifs.",
                "Les prescripteurs internes sont nos meilleurs alliés.",
                "Le reconditionné est souvent moins cher et tout aussi fiable.",
            ],
            "pitfalls": [
                "Demander des certifications impossibles à obtenir pour une PME.",
                "Négocier uniquement sur le prix.",
                "Oublier les fournisseurs de rang deux.",
            ],
        },
        {
            "titles": [
                "Comment nous avons réduit nos délais de paiement fournisseurs",
                "Retour d'expérience : travailler avec des PME locales",
                "Nos conseils pour une relation fournisseur équilibrée",
            ],
            "context": [
                "Plusieurs PME nous ont alertés sur nos délais de paiement, qui mettaient leur "
                "trésorerie en difficulté.",
            ],
            "steps": [
                "un suivi mensuel des délais de paiement avec la comptabilité",
                "la validation des factures dans le workflow sous cinq jours",
                "des rencontres régulières avec les fournisseurs locaux",
                "un médiateur interne pour les litiges",
                "une charte de relations fournisseurs signée par la direction",
            ],
            "lessons": [
                "Un fournisseur traité en partenaire innove pour nous.",
                "Payer à l'heure coûte moins cher que les pénalités et les ruptures.",
                "La confiance se construit dans la durée, pas sur un appel d'offres.",
            ],
            "pitfalls": [
                "Imposer des conditions que nous refuserions nous-mêmes.",
                "Changer de fournisseur pour quelques pour cent.",
                "Négliger les petits fournisseurs dans les revues.",
            ],
        },
    ],
    "sales": [
        {
            "titles": [
                "Comment nous avons gagné notre plus gros appel d'offres de l'année",
                "Retex : répondre à un appel d'offres public en équipe",
                "Guide pratique : répondre à un appel d'offres",
            ],
            "context": [
                "Nos réponses aux appels d'offres étaient préparées par une seule personne, la "
                "veille de la date limite. Le taux de succès s'en ressentait.",
            ],
            "steps": [
                "une décision « on y va ou pas » sous 48 heures",
                "une équipe de réponse pluridisciplinaire dès la réception du dossier",
                "une bibliothèque de références et de mémoires techniques",
                "une relecture croisée par quelqu'un qui n'a pas écrit",
                "un débriefing systématique, gagné ou perdu",
            ],
            "lessons": [
                "Le client achète une équipe, pas une plaquette.",
                "Mieux vaut trois réponses soignées que dix bâclées.",
                "À l'oral, les experts techniques convainquent plus que les commerciaux.",
            ],
            "pitfalls": [
                "Répondre à tous les appels d'offres sans qualifier.",
                "Promettre ce que la production ne peut pas tenir.",
                "Négliger le débriefing après une perte.",
            ],
        },
        {
            "titles": [
                "Comment nous avons réduit le temps d'attente de notre centre de contacts",
                "Retour d'expérience : nos journées d'immersion client",
                "Nos conseils pour améliorer l'expérience client",
            ],
            "context": [
                "Les clients attendaient en moyenne huit minutes avant de parler à un conseiller, "
                "et la satisfaction baissait.",
            ],
            "steps": [
                "une analyse des motifs d'appel sur trois mois",
                "des réponses en ligne pour les cinq questions les plus fréquentes",
                "un rappel automatique proposé au-delà de trois minutes d'attente",
                "des journées d'immersion pour les équipes support",
                "un suivi de la satisfaction dans {t:Salesforce|HubSpot}",
            ],
            "lessons": [
                "Les conseillers ont les meilleures idées pour améliorer le parcours client.",
                "Un appel évité est souvent un client mieux servi.",
                "La satisfaction remonte vite quand on traite les irritants récurrents.",
            ],
            "pitfalls": [
                "Mesurer uniquement la durée des appels.",
                "Multiplier les scripts rigides.",
                "Garder les verbatims clients pour soi.",
            ],
        },
    ],
    "marketing": [
        {
            "titles": [
                "Comment nous avons refondu notre site internet avec nos utilisateurs",
                "Retex : la refonte de notre site internet",
                "Guide pratique : écrire pour le web",
            ],
            "context": [
                "Notre site internet datait de six ans et n'était pas lisible sur mobile, alors "
                "que la moitié des visites en viennent.",
            ],
            "steps": [
                "des entretiens avec une quinzaine de clients",
                "des tests utilisateurs à chaque étape de la refonte",
                "une arborescence réduite de moitié",
                "des contenus réécrits avec les experts métier",
                "un suivi d'audience dans {t:Matomo|Google Analytics}",
            ],
            "lessons": [
                "Tester tôt avec de vrais utilisateurs évite les débats d'opinion.",
                "Les meilleurs contenus viennent des experts internes.",
                "Un site plus court est un site plus lu.",
            ],
            "pitfalls": [
                "Écrire pour soi plutôt que pour le lecteur.",
                "Oublier l'accessibilité.",
                "Mesurer les vues plutôt que l'engagement.",
            ],
        },
        {
            "titles": [
                "Comment nous avons doublé le taux d'ouverture de nos e-mailings",
                "Retour d'expérience : un an de marketing de contenu",
                "Nos conseils pour des e-mailings qui sont lus",
            ],
            "context": [
                "Nos e-mailings partaient à toute la base avec le même message. Le taux de "
                "désabonnement grimpait.",
            ],
            "steps": [
                "une segmentation de la base en cinq profils",
                "un calendrier éditorial partagé avec les experts métier",
                "des objets de mail testés sur un échantillon",
                "des campagnes automatisées dans {t:HubSpot}",
                "un nettoyage trimestriel de la base",
            ],
            "lessons": [
                "Moins de messages, mieux ciblés.",
                "Un bon objet de mail vaut tous les visuels.",
                "Les contenus utiles fidélisent mieux que les promotions.",
            ],
            "pitfalls": [
                "Envoyer le même message à tout le monde.",
                "Ignorer les désabonnements.",
                "Mesurer les ouvertures plutôt que les clics.",
            ],
        },
    ],
    "supply": [
        {
            "titles": [
                "Comment nous avons réduit nos ruptures de stock de {pct} %",
                "Retex : notre premier S&OP mensuel",
                "Guide pratique : préparer un pic d'activité",
            ],
            "context": [
                "Les prévisions commerciales et les plans de production vivaient dans deux "
                "mondes. Résultat : trop de stock sur certains produits, des ruptures sur "
                "d'autres.",
            ],
            "steps": [
                "une réunion S&OP mensuelle avec le commerce, la production et la finance",
                "des stocks de sécurité recalculés chaque trimestre",
                "une prévision unique partagée dans {t:Power BI|Excel}",
                "des alertes automatiques sur les références à risque",
                "un suivi hebdomadaire du taux de service",
            ],
            "lessons": [
                "Un plan partagé vaut mieux qu'un plan parfait.",
                "Les commerciaux prévoient mieux quand ils voient l'impact de leurs prévisions.",
                "Piloter les exceptions plutôt que tout le catalogue.",
            ],
            "pitfalls": [
                "Piloter uniquement par le taux de service.",
                "Multiplier les versions de la prévision.",
                "Sous-estimer la conduite du changement.",
            ],
        },
        {
            "titles": [
                "Comment nous avons réorganisé l'entrepôt de {site}",
                "Retour d'expérience : le chantier 5S de l'atelier",
                "Nos conseils pour animer un chantier d'amélioration continue",
            ],
            "context": [
                "L'entrepôt de {site} avait grandi par couches successives. Les préparateurs "
                "parcouraient plusieurs kilomètres par jour pour rien.",
            ],
            "steps": [
                "une cartographie des flux avec les équipes terrain",
                "un rangement des références selon leur fréquence de sortie",
                "un chantier 5S par zone, une zone par mois",
                "des indicateurs affichés sur le terrain",
                "un point de cinq minutes en début de poste",
            ],
            "lessons": [
                "Les équipes terrain savent où sont les gaspillages : il suffit de les écouter.",
                "Un chantier réussi se voit, et donne envie aux autres zones.",
                "La constance compte plus que l'ampleur des changements.",
            ],
            "pitfalls": [
                "Lancer un chantier sans les équipes de nuit.",
                "Tout changer pendant le pic d'activité.",
                "Oublier de standardiser une fois le chantier terminé.",
            ],
        },
    ],
    "quality": [
        {
            "titles": [
                "Comment nous avons passé {big} jours sans accident à {site}",
                "Retex : la remontée des presque-accidents",
                "Guide pratique : animer un quart d'heure sécurité",
            ],
            "context": [
                "Les presque-accidents n'étaient presque jamais déclarés, par peur d'être mis en "
                "cause. Nous apprenions les problèmes quand il était trop tard.",
            ],
            "steps": [
                "une déclaration simplifiée des presque-accidents sur smartphone",
                "un retour systématique à la personne qui déclare",
                "des visites terrain hebdomadaires des managers",
                "un quart d'heure sécurité chaque lundi",
                "une analyse des causes avec les équipes concernées",
            ],
            "lessons": [
                "La sécurité progresse quand on remercie ceux qui signalent.",
                "Les indicateurs avancés comptent plus que les indicateurs de résultat.",
                "Un manager présent sur le terrain vaut toutes les affiches.",
            ],
            "pitfalls": [
                "Chercher un coupable plutôt qu'une cause.",
                "Multiplier les procédures au lieu de les simplifier.",
                "Oublier les prestataires et les intérimaires.",
            ],
        },
        {
            "titles": [
                "Comment nous avons réussi notre certification ISO 45001",
                "Retex : deux sites certifiés ISO 45001 en un an",
                "Nos conseils pour préparer un audit de certification",
            ],
            "context": [
                "La certification était perçue comme une affaire de classeurs, loin du quotidien "
                "des ateliers.",
            ],
            "steps": [
                "un diagnostic initial avec un auditeur externe",
                "des pilotes de processus nommés dans chaque service",
                "des audits croisés entre sites",
                "un audit à blanc trois mois avant l'échéance",
                "des revues de direction trimestrielles",
            ],
            "lessons": [
                "Un audit se prépare toute l'année, pas la semaine d'avant.",
                "Les audits croisés entre sites font circuler les bonnes pratiques.",
                "Un système de management utile est un système simple.",
            ],
            "pitfalls": [
                "Écrire des procédures pour l'auditeur plutôt que pour les équipes.",
                "Concentrer toute la démarche sur le service qualité.",
                "Relâcher l'effort une fois le certificat obtenu.",
            ],
        },
    ],
    "legal": [
        {
            "titles": [
                "Comment nous avons simplifié la signature de nos contrats",
                "Retex : six mois de signature électronique",
                "Guide pratique : faire signer un contrat fournisseur",
            ],
            "context": [
                "Un contrat mettait en moyenne trois semaines à être signé, entre relectures, "
                "impressions et allers-retours de PDF.",
            ],
            "steps": [
                "des modèles de contrats validés pour les cas courants",
                "un circuit de validation électronique avec {t:DocuSign}",
                "des délégations de signature clarifiées",
                "un tableau de suivi des contrats en cours",
                "une FAQ pour les opérationnels",
            ],
            "lessons": [
                "Un bon modèle de contrat évite la moitié des questions.",
                "Le juridique est plus utile au cadrage qu'à la signature.",
                "La simplicité fait gagner du temps à tout le monde, juristes compris.",
            ],
            "pitfalls": [
                "Rédiger pour les juristes plutôt que pour les opérationnels.",
                "Sous-estimer les clauses de réversibilité.",
                "Laisser des contrats sans date de fin.",
            ],
        },
        {
            "titles": [
                "Comment nous avons remis à jour notre registre des traitements",
                "Retour d'expérience : le RGPD expliqué aux équipes projet",
                "Nos conseils pour lancer un projet conforme au RGPD",
            ],
            "context": [
                "Les équipes projet découvraient souvent les contraintes du RGPD en fin de projet, "
                "quand il était coûteux de revenir en arrière.",
            ],
            "steps": [
                "une fiche réflexe RGPD pour chaque nouveau projet",
                "des référents conformité dans chaque direction",
                "un registre des traitements mis à jour chaque trimestre",
                "des analyses d'impact menées avec les équipes data",
                "une sensibilisation d'une heure pour les chefs de projet",
            ],
            "lessons": [
                "La conformité se gagne avec des outils simples, pas avec des notes de vingt "
                "pages.",
                "La protection des données dès la conception coûte moins cher que les corrections.",
                "Les référents de terrain font remonter les vrais sujets.",
            ],
            "pitfalls": [
                "Oublier la durée de conservation des données.",
                "Copier des données de production en recette.",
                "Traiter le RGPD comme une case à cocher.",
            ],
        },
    ],
    "innovation": [
        {
            "titles": [
                "Comment nous testons une idée en deux semaines avec presque rien",
                "Retex : un an de boîte à idées",
                "Guide pratique : tester une idée rapidement",
            ],
            "context": [
                "Beaucoup d'idées circulaient, mais très peu dépassaient le stade de la "
                "présentation. Le chemin entre une idée et un prototype était flou.",
            ],
            "steps": [
                "un appel à idées trimestriel avec un jury mixte",
                "deux semaines et un petit budget pour chaque idée retenue",
                "des tests avec de vrais utilisateurs dès la première semaine",
                "une décision claire à la fin : on continue, on pivote ou on arrête",
                "une démo publique de chaque expérimentation",
            ],
            "lessons": [
                "Arrêter une idée est un résultat, pas un échec.",
                "Les meilleures idées viennent de ceux qui vivent le problème.",
                "Un prototype imparfait montré tôt vaut mieux qu'une présentation parfaite.",
            ],
            "pitfalls": [
                "Tomber amoureux de la solution avant de comprendre le problème.",
                "Oublier qui reprendra le prototype après l'expérimentation.",
                "Négliger la sécurité et le RGPD sous prétexte d'expérimentation.",
            ],
        },
        {
            "titles": [
                "Comment nous avons mis la vision par ordinateur en production",
                "Retour d'expérience : la vision par ordinateur sur la ligne de contrôle",
                "Nos conseils pour passer d'un prototype à la production",
            ],
            "context": [
                "Les contrôleurs qualité passaient des heures à inspecter visuellement des "
                "pièces, avec une fatigue qui augmentait les erreurs en fin de poste.",
            ],
            "steps": [
                "une semaine d'observation sur la ligne avec les contrôleurs",
                "quelques milliers d'images annotées par les experts qualité",
                "un premier modèle entraîné avec {t:PyTorch|Python}",
                "un pilote en double contrôle pendant deux mois",
                "un passage en production avec les équipes méthodes",
            ],
            "lessons": [
                "Les experts métier sont les meilleurs annotateurs.",
                "Un pilote en double contrôle rassure tout le monde.",
                "La vraie difficulté n'est pas le modèle mais son intégration sur la ligne.",
            ],
            "pitfalls": [
                "Promettre une automatisation totale dès le départ.",
                "Négliger l'éclairage et la qualité des images.",
                "Oublier la maintenance du modèle dans le temps.",
            ],
        },
    ],
    "management": [
        {
            "titles": [
                "Comment nous avons réduit le nombre de nos réunions d'un tiers",
                "Retex : six mois de matinées sans réunion",
                "Guide pratique : animer une réunion qui décide",
            ],
            "context": [
                "Nos agendas étaient saturés de réunions. Les managers n'avaient plus de temps "
                "pour leurs équipes, et les décisions traînaient.",
            ],
            "steps": [
                "un audit de toutes les réunions récurrentes",
                "un ordre du jour obligatoire, envoyé la veille",
                "des réunions de 25 ou 50 minutes plutôt que 30 ou 60",
                "des décisions écrites et partagées",
                "une matinée sans réunion par semaine",
            ],
            "lessons": [
                "Une réunion sans décision est une réunion de trop.",
                "L'écrit fait gagner un temps considérable.",
                "Les équipes ont apprécié de retrouver du temps de concentration.",
            ],
            "pitfalls": [
                "Supprimer les moments informels qui font vivre l'équipe.",
                "Remplacer les réunions par des messages sans fin.",
                "Oublier de célébrer les réussites.",
            ],
        },
        {
            "titles": [
                "Comment nous avons installé le feedback continu dans nos équipes",
                "Retour d'expérience : un an de management hybride",
                "Nos conseils pour animer une équipe hybride",
            ],
            "context": [
                "Avec le travail hybride, certaines équipes ne se voyaient plus qu'en visio et le "
                "lien se distendait.",
            ],
            "steps": [
                "des journées sur site choisies par les équipes",
                "des entretiens individuels courts et fréquents",
                "un rituel d'équipe hebdomadaire en présentiel",
                "des règles communes sur les horaires de disponibilité",
                "un séminaire annuel consacré au fonctionnement de l'équipe",
            ],
            "lessons": [
                "La confiance se construit sur site et s'entretient à distance.",
                "Le feedback fréquent rend les entretiens annuels presque inutiles.",
                "Chaque équipe doit trouver son propre rythme.",
            ],
            "pitfalls": [
                "Imposer un modèle unique à toutes les équipes.",
                "Confondre présence et engagement.",
                "Oublier les collègues qui travaillent toujours à distance.",
            ],
        },
    ],
}

HEADINGS = {
    "context": ["## Le contexte", "## D'où nous partions", "## Pourquoi ce chantier"],
    "steps": ["## Ce que nous avons fait", "## Notre démarche", "## Les étapes"],
    "lessons": ["## Ce que nous en retenons", "## Les enseignements", "## Ce qui a marché"],
    "pitfalls": ["## Les pièges à éviter", "## Ce que nous referions autrement"],
    "next": ["## Et maintenant ?", "## La suite"],
}
ARTICLE_INTROS = [
    "On me pose souvent la question, alors voici un retour complet, sans langue de bois.",
    "Quelques mois après le lancement, il est temps de faire le point avec vous.",
    "Ce retour d'expérience est écrit à plusieurs mains avec l'équipe {unit}.",
    "Un article un peu long, mais j'espère utile à celles et ceux qui se lancent.",
]
ARTICLE_NEXT = [
    "La prochaine étape : étendre la démarche à d'autres équipes d'ici la fin de l'année. Si "
    "vous voulez en être, écrivez-moi ou commentez ci-dessous.",
    "Nous ferons un nouveau point dans six mois. D'ici là, vos questions sont les bienvenues, "
    "et {m} peut vous en dire plus.",
    "Nous cherchons des équipes pilotes pour la suite. Le support complet est disponible sur "
    "demande.",
]

# Comments by the mood of the post they answer; replies by what they answer.
COMMENTS = {
    "question": [
        "On a eu exactement le même sujet à {site}, je t'en parle ?",
        "Est-ce que tu as regardé {tool} ? On l'utilise depuis un an.",
        "{m} a travaillé là-dessus, tu devrais lui demander.",
        "Bonne question, je suis aussi preneur de la réponse.",
        "Bonne question, je suis aussi preneuse de la réponse.",
        "Je peux t'aider, je t'envoie un message.",
        "On a une doc interne sur le sujet, je te la transmets.",
        "+1, même question de notre côté.",
        "{m} ça devrait t'intéresser",
    ],
    "ask": [
        "{m} saura te répondre, c'est son domaine.",
        "Bonne question, je suis aussi preneur !",
        "Je t'envoie un message avec ce que je sais.",
        "Demande à l'accueil, ils sont super réactifs.",
        "On en parle à la machine à café ?",
    ],
    "event": [
        "Je m'inscris !",
        "Partant !",
        "Partante !",
        "J'y serai 🙂",
        "Est-ce que ce sera enregistré ? Je ne serai pas disponible.",
        "Question bête : est-ce ouvert aux autres sites ?",
        "Super initiative, je viendrai avec deux collègues.",
        "{m} ça pourrait t'intéresser",
        "Est-ce qu'il y a une version pour les débutants ? 😅",
    ],
    "success": [
        "Bravo 👏",
        "Félicitations à toute l'équipe !",
        "Belle réussite, félicitations !",
        "Bravo {m} et toute l'équipe !",
        "Superbe travail 👏",
        "Quelle belle nouvelle !",
        "Top, merci pour le travail de toute l'équipe.",
        "Impressionnant ! Quelle est la prochaine étape ?",
    ],
    "info": [
        "Merci pour le partage !",
        "Très intéressant, merci.",
        "Merci, c'est très clair.",
        "Je transmets à mon équipe, merci.",
        "Quel est le calendrier pour la suite ?",
        "Ça tombe bien, on cherchait justement ça.",
        "{m} ça pourrait t'intéresser",
        "Est-ce que tu as regardé {tool} ? On l'utilise depuis un an.",
        "On a eu le même sujet à {site}, je t'en parle ?",
        "+1, très utile",
    ],
    "life": [
        "Merci pour l'info !",
        "Super idée 👍",
        "Génial, merci !",
        "Enfin ! 😄",
        "Top !",
        "{m} tu as vu ?",
    ],
    "welcome": [
        "Bienvenue parmi nous ! 🙂",
        "Bienvenue ! N'hésite pas si tu as besoin de quoi que ce soit.",
        "Ravi de t'accueillir !",
        "Ravie de t'accueillir !",
        "Bienvenue 👋",
        "Bienvenue ! Le meilleur café est au deuxième étage ☕",
    ],
    "work": [
        "Bien reçu, je relis d'ici vendredi.",
        "D'accord avec cette proposition.",
        "Je propose d'ajouter un point sur le recrutement.",
        "Mes éléments arrivent demain matin.",
        "Peut-on en parler en bilatérale avant la séance ?",
        "Bien noté, je mets à jour le planning.",
        "Je m'en occupe.",
        "OK pour moi.",
    ],
    "article": [
        "Excellent retex, merci d'avoir pris le temps de l'écrire.",
        "Très utile, je garde ça sous le coude.",
        "Retour d'expérience précieux, on va s'en inspirer à {site}.",
        "Je suis preneur du support.",
        "Je suis preneuse du support 🙂",
        "Merci pour ce partage très complet !",
        "Le passage sur les pièges à éviter est très juste.",
        "Question : combien de temps a pris le chantier au total ?",
        "{m} à lire, ça rejoint ce qu'on disait la semaine dernière.",
    ],
}
# Answers to the comments that ask something, then generic ones.
ANSWERS = {
    "Est-ce que ce sera enregistré ? Je ne serai pas disponible.": [
        "Oui, la session sera enregistrée.",
        "Oui, le replay sera sur l'intranet.",
    ],
    "Question bête : est-ce ouvert aux autres sites ?": [
        "Oui, c'est ouvert à tous les sites 🙂",
        "Oui, et il y a un lien visio pour les autres sites.",
    ],
    "Est-ce qu'il y a une version pour les débutants ? 😅": [
        "C'est justement pensé pour les débutants !",
        "Oui, aucun prérequis.",
    ],
    "Quel est le calendrier pour la suite ?": [
        "C'est prévu, la date sera annoncée bientôt.",
        "Un point d'étape est prévu le mois prochain.",
    ],
    "Impressionnant ! Quelle est la prochaine étape ?": [
        "On généralise à d'autres équipes d'ici l'été.",
        "Bonne question, on en parle au prochain comité !",
    ],
    "Question : combien de temps a pris le chantier au total ?": [
        "Environ six mois, en comptant le cadrage.",
        "Un peu moins d'un an, avec une équipe de quatre personnes.",
    ],
    "Peut-on en parler en bilatérale avant la séance ?": [
        "Oui, je te propose un créneau demain.",
    ],
    "On en parle à la machine à café ?": ["Avec plaisir !"],
    "On a eu exactement le même sujet à {site}, je t'en parle ?": [
        "Avec plaisir, cale-nous un créneau.",
        "Oui, volontiers !",
    ],
    "On a eu le même sujet à {site}, je t'en parle ?": ["Oui, volontiers !"],
    "Est-ce que tu as regardé {tool} ? On l'utilise depuis un an.": [
        "Merci pour le conseil, je regarde ça.",
        "Bien vu, on va tester !",
    ],
    "{m} a travaillé là-dessus, tu devrais lui demander.": ["Merci, je lui écris !"],
    "Je peux t'aider, je t'envoie un message.": ["Super, merci !"],
    "On a une doc interne sur le sujet, je te la transmets.": ["Merci, ça m'aidera beaucoup."],
    "Je suis preneur du support.": ["Je te l'envoie dans la journée."],
    "Je suis preneuse du support 🙂": ["Je te l'envoie dans la journée."],
}
REPLIES = {
    "answer": [
        "Bonne question, je me renseigne et je reviens vers toi.",
        "Je te réponds en message privé.",
        "Oui, je t'en parle demain.",
    ],
    "thanks": ["Merci !", "Merci 🙏", "Avec plaisir !", "Merci pour ton retour !", "Exactement !"],
    "welcome": [
        "Merci pour l'accueil !",
        "Merci beaucoup 🙂",
        "Merci, à bientôt à la machine à café !",
    ],
    "agree": ["+1", "Pareil !", "Entièrement d'accord.", "👍"],
}
COMMENTS_EN = {
    "question": [
        "We had the same question in {site}, happy to tell you more.",
        "Have you looked at {tool}? We have been using it for a year.",
        "{m} worked on this, you should ask them.",
        "Good question, I am curious too.",
    ],
    "event": ["Count me in!", "Will it be recorded? I will not be available.", "I will be there."],
    "success": ["Congrats to the whole team!", "Great news!", "Well done 👏"],
    "info": ["Thanks for sharing!", "Very interesting, thanks.", "{m} this might interest you"],
    "welcome": ["Welcome aboard!", "Welcome! Let me know if you need anything."],
}
REPLIES_EN = {
    "answer": ["Good question, let me check.", "Yes, I will send you the details."],
    "thanks": ["Thanks!", "Thank you!", "Glad it helps!"],
    "agree": ["+1", "Same here!", "Agreed."],
}

SHARE_TEXTS_PERSONAL = [
    "À lire 👇",
    "Je relaie !",
    "Très bon retour d'expérience, à lire.",
    "",
]
SHARE_TEXTS = [
    "À lire, très utile pour nos équipes 👇",
    "Intéressant pour notre communauté.",
    "Je relaie !",
    "Pour celles et ceux qui ne l'auraient pas vu.",
    "Un bel exemple à suivre.",
    "",
]

REACTION_KINDS = [
    ("like", 55),
    ("celebrate", 18),
    ("insightful", 14),
    ("support", 8),
    ("curious", 5),
]

SLOT = re.compile(r"\{t:([^}]+)\}")
WELCOME_MARKS = ("Bienvenue", "J'ai rejoint", "Nouvel·le arrivant·e", "I joined", "Welcome")
EVENT_MARKS = (
    "inscri",
    "Inscri",
    "Rendez-vous",
    "atelier",
    "Atelier",
    "session",
    "Session",
    "Afterwork",
    "places",
    "démo ",
    "Démo",
    "dojo",
    "Hackathon",
    "webinaire",
    "Don du sang",
    "Tournoi",
    "Petit-déjeuner",
    "course solidaire",
    "Café innovation",
    "Data Café",
    "Pot de départ",
    "Journée fournisseurs",
    "Exercice d'évacuation",
    "club photo",
    "matinée d'accueil",
    "Questions-réponses",
    "Je serai à",
    "I will be at",
    "sign up",
    "Meet at",
    "hackathon",
    "open demo",
)
SUCCESS_MARKS = (
    "Bravo",
    "bravo",
    "🎉",
    "record",
    "réussi",
    "Félicitations",
    "Signature",
    "terminé",
    "atteint",
    "obtenu",
    "🎓",
    "👏",
    "Fier",
    "est en ligne",
    "est prête",
    "Kudos",
    "Congratulations",
    "shipped",
    "went well",
    "is live",
    "is ready",
    "Thank you to all",
    "Thanks to everyone",
    "Merci à toutes",
)
HASHTAG_FORM = re.compile(r"[^\W\d_][\w\-]*")


# --------------------------------------------------------------------------------------------
# The builder
# --------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Person:
    """What the builder knows about someone of the demo company."""

    user: User
    handle: str
    unit: str
    unit_name: str
    family: str
    track: str
    domain: str
    title: str
    title_en: str
    site: str
    city: str
    manager_id: int | None
    is_director: bool
    skills: list[str]
    languages: list[str]
    activity: float = 0.0
    engagement: float = 0.0
    international: bool = False
    communities: list[str] = field(default_factory=list)


@dataclass(eq=False)
class PostPlan:
    """A post to publish, and when."""

    at: datetime
    author: Person
    community: str | None
    post: Post | None = None
    audience: list[Person] = field(default_factory=list)
    language: str = "fr"
    domain: str = "general"
    popularity: float = 1.0
    mood: str = "info"


def _mood(template: str, domain: str) -> str:
    """What kind of post a template makes: it decides which comments fit."""
    if domain in ("codir", "phenix"):
        return "work"
    if any(mark in template for mark in WELCOME_MARKS):
        return "welcome"
    if any(mark in template for mark in EVENT_MARKS):
        return "event"
    if "?" in template:
        return "question" if domain in ARTICLES else "ask"
    if any(mark in template for mark in SUCCESS_MARKS):
        return "success"
    return "info" if domain in ARTICLES else "life"


def _stamp(model: Any, fields: tuple[str, ...], rows: list[tuple[int, datetime]]) -> None:
    """Set datetime fields of many rows at once: one prepared UPDATE run for every row."""
    ops = connection.ops
    meta = model._meta
    assignments = ", ".join(f"{ops.quote_name(meta.get_field(f).column)} = %s" for f in fields)
    sql = (
        f"UPDATE {ops.quote_name(meta.db_table)} SET {assignments} "
        f"WHERE {ops.quote_name(meta.pk.column)} = %s"
    )
    params = [(*[ops.adapt_datetimefield_value(at)] * len(fields), pk) for pk, at in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _mid_sentence(label: str, other: str) -> str:
    """A skill label as written mid-sentence: common nouns lose their capital."""
    first = label.split(" ")[0]
    if label == other or first.isupper() or first in {"Excel", "Microsoft", "Apache", "Google"}:
        return label
    if len(first) > 1 and first[1:].islower():
        return first[0].lower() + label[1:]
    return label


class SocialDemoBuilder:
    """Fills the demo company with communities, posts, comments, reactions and follows."""

    def __init__(
        self,
        *,
        seed: int,
        posts: int | None = None,
        stdout: Any = None,
        now: datetime | None = None,
    ) -> None:
        self.seed = seed
        self.rng = random.Random(f"vivier-social-{seed}")
        self.posts_wanted = posts
        self.stdout = stdout
        self.now = now or timezone.now()
        self.timings: dict[str, float] = {}

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    def _timed(self, name: str, started: float) -> None:
        self.timings[name] = time.perf_counter() - started

    @transaction.atomic
    def build(self) -> dict[str, int]:
        """Create the social layer; return what was created."""
        started = time.perf_counter()
        self.first_event = ActivityEvent.objects.order_by("-pk").values_list("pk", flat=True)
        self.first_event = (self.first_event.first() or 0) + 1
        first_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True)
        self.first_notification = (first_notification.first() or 0) + 1
        self._load()
        self._timed("load", started)

        step = time.perf_counter()
        memberships, pending = self._communities()
        self._timed("communities", step)

        step = time.perf_counter()
        total = self.posts_wanted if self.posts_wanted is not None else 10 * len(self.people)
        shares = round(total * 0.03)
        plans = self._posts(total - shares)
        self._timed("posts", step)

        step = time.perf_counter()
        comments = self._comments(plans)
        self._timed("comments", step)

        step = time.perf_counter()
        reactions = self._reactions(plans)
        self._timed("reactions", step)

        step = time.perf_counter()
        shared = self._shares(plans, shares)
        self._timed("shares", step)

        step = time.perf_counter()
        follows = self._follows()
        self._timed("follows", step)

        step = time.perf_counter()
        self._backdate()
        self._timed("timestamps", step)

        posts = Post.objects.filter(author__in=[p.user for p in self.people])
        counts = {
            "communities": len(self.communities),
            "memberships": memberships,
            "pending": pending,
            "posts": len(plans) + shared,
            "articles": posts.filter(kind=Post.Kind.ARTICLE).count(),
            "english": posts.filter(language="en").count(),
            "shares": shared,
            "comments": comments,
            "reactions": reactions,
            "follows": follows,
            "tags": Tag.objects.count(),
            "notifications": Notification.objects.filter(pk__gte=self.first_notification).count(),
        }
        self.timings["total"] = time.perf_counter() - started
        return counts

    # ---------------------------------------------------------------------------------- load

    def _load(self) -> None:
        self.skills = {s.slug: s for s in sorted(Skill.objects.all(), key=lambda s: s.slug)}
        families: dict[str, str] = {spec.code: spec.family for spec in ROLES}
        # Sorted here, not by the database: collations differ between SQLite and PostgreSQL.
        declared: dict[int, list[str]] = {}
        for user_id, slug in sorted(ProfileSkill.objects.values_list("user_id", "skill__slug")):
            declared.setdefault(user_id, []).append(slug)
        directors = set(
            OrgUnit.objects.filter(manager__isnull=False, depth__lte=1).values_list(
                "manager_id", flat=True
            )
        )
        self.people: list[Person] = []
        profiles = sorted(
            Profile.objects.filter(user__is_active=True).select_related(
                "user", "org_unit", "job_role", "location"
            ),
            key=lambda profile: profile.user.email,
        )
        for profile in profiles:
            user = profile.user
            unit = profile.org_unit.code if profile.org_unit else ""
            role = profile.job_role
            family = families.get(role.code, "management") if role else "hr"
            self.people.append(
                Person(
                    user=user,
                    handle=user.email.split("@")[0],
                    unit=unit,
                    unit_name=profile.org_unit.name if profile.org_unit else "RH et SI",
                    family=family,
                    track=role.track if role else "individual",
                    domain=UNIT_DOMAIN.get(unit, "hr"),
                    title=role.title_fr if role else profile.title,
                    title_en=role.title_en if role else profile.title,
                    site=profile.location.name if profile.location else "Paris La Défense",
                    city=profile.location.city if profile.location else "Paris",
                    manager_id=profile.manager_id,
                    is_director=user.pk in directors,
                    skills=declared.get(user.pk, []),
                    languages=list(profile.languages or ["fr"]),
                )
            )
        self.by_pk = {p.user.pk: p for p in self.people}
        self.by_unit: dict[str, list[Person]] = {}
        for person in self.people:
            self.by_unit.setdefault(person.unit, []).append(person)
        # Activity follows a power law: a few very active people, many quiet, some silent.
        for person in self.people:
            if self.rng.random() < 0.15:
                person.activity = 0.0
            else:
                person.activity = min(self.rng.paretovariate(1.2), 25.0)
                if person.track == "expert":
                    person.activity *= 1.4
            person.engagement = 0.3 + 0.6 * person.activity + self.rng.random()
            person.international = "en" in person.languages and self.rng.random() < 0.15
        self._domain_skills()
        self._hashtags()

    def _domain_skills(self) -> None:
        self.domain_skills: dict[str, list[str]] = {}
        for domain in [*DOMAIN_FAMILIES, *DOMAIN_EXTRA_SKILLS]:
            slugs: list[str] = []
            for spec in ROLES:
                if spec.family in DOMAIN_FAMILIES.get(domain, []):
                    slugs += [*spec.core, *spec.optional]
            slugs += DOMAIN_EXTRA_SKILLS.get(domain, [])
            slugs += [TOOL_SKILLS[t] for t in DOMAIN_TOOLS.get(domain, []) if TOOL_SKILLS[t]]
            self.domain_skills[domain] = [s for s in dict.fromkeys(slugs) if s in self.skills]

    def _hashtags(self) -> None:
        """For each skill, a hashtag that links back to it (or none)."""
        owners: dict[str, set[str]] = {}
        texts: dict[str, list[str]] = {}
        aliases = SkillAlias.objects.order_by("skill__slug", "pk").values_list(
            "skill__slug", "text", "normalized", "is_label"
        )
        for slug, text, folded, is_label in aliases:
            owners.setdefault(folded, set()).add(slug)
            if not is_label:
                texts.setdefault(slug, []).append(text)

        def links_to(form: str, slug: str) -> bool:
            # tag_get_or_create looks the folded name up with and without hyphens.
            folded = normalize(form)
            found = owners.get(folded, set()) | owners.get(folded.replace("-", " "), set())
            return found == {slug}

        def form(text: str) -> str | None:
            candidate = text.strip().lower().replace(" ", "-")
            return candidate if HASHTAG_FORM.fullmatch(candidate) else None

        self.hashtag: dict[str, str] = {}
        for slug, skill in self.skills.items():
            label = form(skill.label_fr)
            aliases = [f for f in (form(t) for t in texts.get(slug, [])) if f]
            words = [a for a in aliases if "-" not in a]
            # French label if one word, a one-word alias, the French label, a short alias,
            # an acronym, the slug: the first that links back to this skill only.
            candidates = [
                HASHTAG_OVERRIDES.get(slug),
                label if label and "-" not in label and len(label) >= 3 else None,
                *[a for a in words if len(a) >= 4],
                label if label and label.count("-") <= 2 else None,
                *[a for a in aliases if a.count("-") == 1],
                *[a for a in words if len(a) == 3],
                slug,
            ]
            for candidate in candidates:
                if candidate and links_to(candidate, slug):
                    self.hashtag[slug] = candidate
                    break

    # --------------------------------------------------------------------------- communities

    def _weighted(self, people: list[Person], weight: Any, k: int) -> list[Person]:
        """k distinct people drawn with the given weight function (Efraimidis-Spirakis)."""
        keyed = []
        for person in people:
            w = weight(person)
            if w > 0:
                keyed.append((self.rng.random() ** (1.0 / w), person))
        keyed.sort(key=lambda item: -item[0])
        return [person for _key, person in keyed[:k]]

    def _communities(self) -> tuple[int, int]:
        self.communities: dict[str, Community] = {}
        self.owners: list[Person] = []
        self.specs = {spec.key: spec for spec in COMMUNITIES}
        self.members: dict[str, list[Person]] = {}
        self.community_times: dict[str, datetime] = {}
        self.membership_times: dict[tuple[str, int], datetime] = {}
        memberships = pending = 0
        directors = [p for p in self.people if p.is_director]
        for spec in COMMUNITIES:
            in_units = [p for p in self.people if p.unit in spec.units]
            if spec.key == "codir":
                in_units = directors or self.people[:3]
            others = [p for p in self.people if p not in in_units]
            owner = self._owner(spec, in_units)
            self.owners.append(owner)
            created_at = self.now - timedelta(
                days=self.rng.randint(380, 430), hours=self.rng.randint(0, 9)
            )
            community = community_create(
                actor=owner.user,
                name=spec.name,
                description=spec.description,
                rules=spec.rules,
                visibility=spec.visibility,
                is_expert_community=spec.expert,
            )
            self.communities[spec.key] = community
            self.community_times[spec.key] = created_at
            members = [owner]
            self.membership_times[(spec.key, owner.user.pk)] = created_at
            owner.communities.append(spec.key)

            candidates = [p for p in in_units if p is not owner]
            if spec.expert:
                experts = [p for p in candidates if p.track == "expert" or self._senior(p)]
                candidates = experts or candidates
            elif spec.key == "phenix":
                candidates = self.rng.sample(candidates, k=min(14, len(candidates)))
            chosen = [p for p in candidates if self.rng.random() < spec.reach]
            for person in others:
                extra = spec.outsiders
                overlap = len(set(person.skills) & set(self.domain_skills.get(spec.domain, [])))
                if spec.visibility == "open" and overlap >= 2:
                    extra += 0.15
                if extra and self.rng.random() < extra:
                    chosen.append(person)
            # Animators first, then members, each at their own date.
            animators = chosen[: self.rng.randint(1, 2)] if len(chosen) > 3 else []
            for person in chosen:
                joined = created_at + timedelta(
                    days=self.rng.uniform(0, 40), minutes=self.rng.randint(0, 600)
                )
                role = Membership.Role.ANIMATOR if person in animators else Membership.Role.MEMBER
                if spec.visibility == "open" and role == Membership.Role.MEMBER:
                    community_join(actor=person.user, community=community)
                else:
                    membership_add(
                        actor=owner.user, community=community, user=person.user, role=role
                    )
                self.membership_times[(spec.key, person.user.pk)] = joined
                members.append(person)
                person.communities.append(spec.key)
            self.members[spec.key] = members
            memberships += len(members)
            if spec.pending:
                outside = [p for p in self.people if p not in members and p.domain == spec.domain]
                outside = outside or [p for p in self.people if p not in members]
                for person in self._weighted(outside, lambda p: 1 + p.activity, spec.pending):
                    community_join(actor=person.user, community=community)
                    self.membership_times[(spec.key, person.user.pk)] = self.now - timedelta(
                        days=self.rng.uniform(1, 20)
                    )
                    pending += 1
        self.log(
            f"  {len(self.communities)} communities, {memberships} memberships, "
            f"{pending} pending requests"
        )
        return memberships, pending

    def _senior(self, person: Person) -> bool:
        return person.track in ("expert", "management") or person.title.startswith(
            ("Ingénieur", "Data scientist", "Expert", "Architecte", "Responsable")
        )

    def _owner(self, spec: CommunitySpec, in_units: list[Person]) -> Person:
        if spec.key == "codir":
            top = [p for p in in_units if p.unit == "DG"]
            return top[0] if top else in_units[0]
        pool = in_units or self.people
        owned = {o.user.pk for o in self.owners}
        return self.rng.choices(
            pool,
            weights=[
                (4 if p.track == "expert" else 2 if self._senior(p) else 1)
                * (1 + p.activity)
                * (0.05 if p.user.pk in owned else 1)  # spread the load of animating
                for p in pool
            ],
        )[0]

    # --------------------------------------------------------------------------------- posts

    def _times(self, count: int) -> list[datetime]:
        """`count` moments over the last year, busier lately, mostly in office hours."""
        local_now = timezone.localtime(self.now)
        moments = []
        for _n in range(count):
            u = self.rng.random()
            days = 365 * (u if self.rng.random() < 0.55 else u**2.2)
            day = local_now - timedelta(days=days)
            if day.weekday() >= 5 and self.rng.random() < 0.85:
                # Few people post at the weekend: most of it moves to a day of the same week.
                day -= timedelta(days=day.weekday() - self.rng.randint(0, 4))
            hour = self.rng.choices(
                range(7, 22),
                weights=[2, 8, 12, 12, 10, 5, 7, 10, 11, 9, 6, 3, 2, 2, 1],
            )[0]
            moment = day.replace(hour=hour, minute=self.rng.randint(0, 59), second=0)
            moment = moment.replace(microsecond=self.rng.randint(0, 999_999))
            if moment > local_now - timedelta(minutes=5):
                moment -= timedelta(days=1)
            moments.append(moment)
        return sorted(moments)

    def _posts(self, count: int) -> list[PostPlan]:
        authors = [p for p in self.people if p.activity > 0] or self.people
        weights = [p.activity or 1.0 for p in authors]
        plans = []
        for moment in self._times(count):
            author = self.rng.choices(authors, weights=weights)[0]
            plans.append(PostPlan(at=moment, author=author, community=self._where(author)))
        for plan in plans:
            self._publish(plan)
        self.post_plans = plans
        self.log(f"  {len(plans)} posts")
        return plans

    def _where(self, author: Person) -> str | None:
        mine = author.communities
        if not mine or self.rng.random() < 0.45:
            return None
        weights = []
        for key in mine:
            spec = self.specs[key]
            if spec.visibility == "secret":
                weights.append(2.5)
            elif spec.domain == author.domain:
                weights.append(3.0)
            else:
                weights.append(1.0)
        return self.rng.choices(mine, weights=weights)[0]

    def _audience(self, plan: PostPlan) -> list[Person]:
        """Who may read and react to the post, with the closest people first."""
        author = plan.author
        if plan.community and self.specs[plan.community].visibility != "open":
            return [p for p in self.members[plan.community] if p is not author]
        near: list[Person] = []
        if plan.community:
            near += self.members[plan.community]
        near += self.by_unit.get(author.unit, [])
        near = [p for p in dict.fromkeys(near) if p is not author]
        return near

    def _publish(self, plan: PostPlan) -> None:
        author = plan.author
        spec = self.specs.get(plan.community) if plan.community else None
        if spec is not None:
            domain = spec.domain
        elif author.family == "management" and self.rng.random() < 0.45:
            domain = "management"
        else:
            domain = author.domain if self.rng.random() < 0.78 else "general"
        secret = spec is not None and spec.visibility == "secret"
        english = not secret and domain not in ("codir", "phenix")
        english = english and (
            (author.international and self.rng.random() < 0.5) or self.rng.random() < 0.015
        )
        plan.language = "en" if english else "fr"
        plan.domain = domain
        plan.audience = self._audience(plan)
        article = (
            domain in ARTICLES
            and not english
            and (spec is None or spec.visibility != "secret")
            and self.rng.random() < 0.07 * (1.6 if author.track == "expert" else 1)
        )
        if article:
            title, body = self._article(plan)
            kind = Post.Kind.ARTICLE
        else:
            title, body = "", self._update(plan)
            kind = Post.Kind.UPDATE
        plan.post = post_create(
            actor=author.user,
            body=body,
            kind=kind,
            title=title,
            community=self.communities[plan.community] if plan.community else None,
        )

    # ---------------------------------------------------------------------------------- text

    def _mention(self, plan: PostPlan, exclude: tuple[Person, ...] = ()) -> Person | None:
        pool = [p for p in plan.audience if p not in exclude]
        if not pool or self.rng.random() < 0.25:
            if plan.community and self.specs[plan.community].visibility != "open":
                return self.rng.choice(pool) if pool else None
            pool = [p for p in self.people if p is not plan.author and p not in exclude]
        return self.rng.choice(pool) if pool else None

    def _tools(self, names: list[str], person: Person, avoid: str = "") -> str:
        names = [n for n in names if n != avoid] or names
        mine = [n for n in names if TOOL_SKILLS.get(n) in person.skills]
        if mine and self.rng.random() < 0.7:
            return self.rng.choice(mine)
        return self.rng.choice(names)

    def _skill(self, domain: str, person: Person, english: bool) -> tuple[str, str]:
        relevant = self.domain_skills.get(domain) or self.domain_skills["general"]
        mine = [s for s in person.skills if s in relevant]
        slug = self.rng.choice(mine if mine and self.rng.random() < 0.8 else relevant)
        skill = self.skills[slug]
        if english:
            return slug, _mid_sentence(skill.label_en, skill.label_fr)
        return slug, _mid_sentence(skill.label_fr, skill.label_en)

    def _slots(self, plan: PostPlan) -> dict[str, str]:
        author, domain, english = plan.author, plan.domain, plan.language == "en"
        tools = DOMAIN_TOOLS.get(domain, DOMAIN_TOOLS["general"])
        tool = self._tools(tools, author)
        tool2 = self._tools(tools, author, avoid=tool)
        skill_slug, skill_label = self._skill(domain, author, english)
        m = self._mention(plan)
        m2 = self._mention(plan, exclude=(m,) if m else ())
        big0 = f"{self.rng.randint(12, 95) * 100:,}"
        if not english:
            big0 = big0.replace(",", "\u202f")
        events = EVENTS.get(domain) or EVENTS.get(author.domain) or EVENTS["management"]
        things = (THINGS_EN if english else THINGS).get(domain) or ["nos clients"]
        return {
            "tool": tool,
            "tool2": tool2,
            "skill": skill_label,
            "_skill": skill_slug,
            "project": self.rng.choice(PROJECTS),
            "site": author.site,
            "city": author.city,
            "m": f"@{m.handle}" if m else "l'équipe",
            "m2": f"@{m2.handle}" if m2 else "toute l'équipe",
            "m_unit": m.unit_name if m else author.unit_name,
            "m_title": self._title(m, english) if m else "",
            "m_site": m.site if m else author.site,
            "unit": author.unit_name,
            "title": self._title(author, english),
            "n": str(self.rng.randint(2, 9)),
            "n2": str(self.rng.randint(2, 5)),
            "n3": str(self.rng.randint(10, 40)),
            "n4": str(self.rng.randint(3, 6)),
            "big": str(self.rng.randint(50, 400)),
            "big0": big0,
            "pct": str(self.rng.randint(5, 45)),
            "pct2": str(self.rng.randint(1, 6)),
            "pct3": str(self.rng.randint(70, 98)),
            "weekday": self.rng.choice(WEEKDAYS_EN if english else WEEKDAYS),
            "time": self.rng.choice(TIMES_EN if english else TIMES),
            "event": self.rng.choice(events),
            "thing": self.rng.choice(things),
            "year": str(plan.at.year + 1),
        }

    @staticmethod
    def _title(person: Person, english: bool) -> str:
        if english:
            return _mid_sentence(person.title_en, person.title)
        return _mid_sentence(person.title, person.title_en)

    def _fill(self, template: str, slots: dict[str, str], person: Person, used: list[str]) -> str:
        def tool(match: re.Match[str]) -> str:
            name = self._tools(match.group(1).split("|"), person)
            used.append(name)
            slug = TOOL_SKILLS.get(name)
            tag = self.hashtag.get(slug or "")
            if tag and normalize(name).replace(" ", "") == tag and self.rng.random() < 0.25:
                return f"#{tag}"
            return name

        text = SLOT.sub(tool, template).format_map(slots)
        return text[0].upper() + text[1:] if text else text

    def _tags(
        self, plan: PostPlan, used_tools: list[str], text: str, skill: str | None = None
    ) -> str:
        domain, author = plan.domain, plan.author
        slugs: list[str] = [skill] if skill else []
        for name in used_tools:
            slug = TOOL_SKILLS.get(name)
            if slug and normalize(name) in normalize(text):
                slugs.append(slug)
        relevant = self.domain_skills.get(domain, [])
        mine = [s for s in author.skills if s in relevant]
        self.rng.shuffle(mine)
        slugs += mine
        if not mine:
            slugs += self.rng.sample(relevant, k=min(2, len(relevant)))
        tags = [self.hashtag[s] for s in dict.fromkeys(slugs) if s in self.hashtag]
        # Company-life posts carry their own tags; professional ones one to three skills.
        keep = [0] if domain in FREE_TAGS else [0, 1, 1, 2, 2, 2, 3]
        tags = tags[: self.rng.choice(keep)]
        free = FREE_TAGS.get(domain)
        if free and self.rng.random() < 0.7:
            fitting = [tag for mark, tag in LIFE_TAGS if mark in text]
            tags.append(fitting[0] if fitting else free[0])
        elif not free and plan.mood in PRO_FREE_TAGS and self.rng.random() < 0.1:
            tags.append(self.rng.choice(PRO_FREE_TAGS[plan.mood]))
        tags = [t for t in dict.fromkeys(tags) if f"#{t}" not in text]
        return " ".join(f"#{t}" for t in tags)

    def _update(self, plan: PostPlan) -> str:
        english = plan.language == "en"
        domain = plan.domain
        professional = domain in ARTICLES
        if english:
            bank = UPDATES_EN.get(domain) or UPDATES_EN["general"]
            questions, life, details, closers = QUESTIONS_EN, PRO_LIFE_EN, DETAILS_EN, CLOSERS_EN
        else:
            bank = UPDATES[domain]
            questions, life, details, closers = QUESTIONS, PRO_LIFE, DETAILS, CLOSERS
        roll = self.rng.random()
        if professional and roll < 0.13:
            template = self.rng.choice(questions)
        elif professional and roll < 0.25:
            template = self.rng.choice(life)
        else:
            template = self.rng.choice(bank)
        plan.mood = _mood(template, domain)
        slots = self._slots(plan)
        used = [slots[key] for key in ("tool", "tool2") if f"{{{key}}}" in template]
        parts = [self._fill(template, slots, plan.author, used)]
        if professional and plan.mood in details and self.rng.random() < 0.22:
            extra = self.rng.choice(details[plan.mood])
            parts.append(self._fill(extra, slots, plan.author, used))
        if professional and plan.mood in closers and self.rng.random() < 0.22:
            extra = self.rng.choice(closers[plan.mood])
            parts.append(self._fill(extra, slots, plan.author, used))
        text = " ".join(parts)
        skill = slots["_skill"] if "{skill}" in template else None
        tags = self._tags(plan, used, text, skill)
        if tags:
            text += ("\n\n" if self.rng.random() < 0.7 else " ") + tags
        return text

    def _article(self, plan: PostPlan) -> tuple[str, str]:
        story = self.rng.choice(ARTICLES[plan.domain])
        slots = self._slots(plan)
        used: list[str] = []
        author = plan.author
        plan.mood = "article"

        def fill(template: str) -> str:
            return self._fill(template, slots, author, used)

        title = fill(self.rng.choice(story["titles"]))
        middle = self.rng.sample(["steps", "lessons", "pitfalls"], k=2)
        sections = ["context", *sorted(middle, key=["steps", "lessons", "pitfalls"].index)]
        if self.rng.random() < 0.6:
            sections.append("next")
        sections = sections[: self.rng.choice([2, 3, 3, 4, 4])]
        blocks = [fill(self.rng.choice(ARTICLE_INTROS))]
        for section in sections:
            blocks.append(self.rng.choice(HEADINGS[section]))
            if section == "context":
                blocks.append(fill(self.rng.choice(story["context"])))
            elif section == "next":
                blocks.append(fill(self.rng.choice(ARTICLE_NEXT)))
            elif section == "steps":
                # Steps keep their order: a numbered list.
                k = min(len(story["steps"]), self.rng.randint(3, 4))
                picked = sorted(self.rng.sample(range(len(story["steps"])), k=k))
                lines = []
                for number, index in enumerate(picked, 1):
                    text = fill(story["steps"][index])
                    lines.append(f"{number}. {text[0].upper()}{text[1:]}")
                blocks.append("\n".join(lines))
            else:
                items = story[section]
                items = self.rng.sample(items, k=min(len(items), self.rng.randint(2, 3)))
                blocks.append("\n".join(f"- {fill(item)}" for item in items))
        body = "\n\n".join(blocks)
        tags = self._tags(plan, used, body)
        if tags:
            body += "\n\n" + tags
        return title, body

    # ------------------------------------------------------------------------------ comments

    def _responders(self, plan: PostPlan, k: int) -> list[Person]:
        """k distinct people who react to a post: close colleagues, members, the active."""
        audience = plan.audience
        closed = plan.community and self.specs[plan.community].visibility != "open"
        pool = list(audience)
        if not closed:
            pool += [
                p
                for p in self.rng.sample(self.people, k=min(len(self.people), 40))
                if p is not plan.author
            ]
            pool = list(dict.fromkeys(pool))
        near = set(audience)
        return self._weighted(
            pool, lambda p: p.engagement * (3 if p in near else 1), min(k, len(pool))
        )

    def _popularity(self, plan: PostPlan) -> float:
        score = self.rng.paretovariate(1.4)
        if plan.post.kind == Post.Kind.ARTICLE:
            score *= 2
        if plan.author.is_director or plan.author.track == "expert":
            score *= 1.4
        return score

    def _comment_text(
        self, plan: PostPlan, author: Person, parent: Comment | None = None
    ) -> tuple[str, str]:
        """A comment that fits the post (or a reply that fits the comment), and its template."""
        english = plan.language == "en"
        if parent is not None:
            asked = self.comment_templates.get(parent.pk, "")
            if not english and asked in ANSWERS:
                bank = ANSWERS[asked]
            else:
                replies = REPLIES_EN if english else REPLIES
                if parent.body.rstrip().endswith("?"):
                    bank = replies["answer"]
                else:
                    bank = replies.get(plan.mood if plan.mood == "welcome" else "thanks")
                    bank = bank or replies["thanks"]
        else:
            comments = COMMENTS_EN if english else COMMENTS
            bank = comments.get(plan.mood) or comments["info"]
        template = self.rng.choice(bank)
        m = self._mention(plan, exclude=(author,))
        tools = DOMAIN_TOOLS.get(plan.domain, DOMAIN_TOOLS["general"])
        slots = {
            "m": f"@{m.handle}" if m else "",
            "site": author.site,
            "tool": self._tools(tools, author),
            "weekday": self.rng.choice(WEEKDAYS_EN if english else WEEKDAYS),
        }
        return template.format_map(slots).strip(), template

    def _comments(self, plans: list[PostPlan]) -> int:
        self.comment_times: list[tuple[Comment, datetime]] = []
        self.comment_templates: dict[int, str] = {}
        count = 0
        for plan in plans:
            plan.popularity = self._popularity(plan)
            n = min(6, int(plan.popularity) - 1 if plan.popularity >= 2 else 0)
            if n <= 0:
                continue
            moment = plan.at
            made: list[Comment] = []
            for person in self._responders(plan, n):
                if len(made) >= 6:
                    break
                moment = self._later(moment, minutes=180)
                if made and self.rng.random() < 0.2:
                    # Someone chimes in under an earlier comment.
                    parent = self.rng.choice(made)
                    english = plan.language == "en"
                    template = self.rng.choice((REPLIES_EN if english else REPLIES)["agree"])
                    body = template
                else:
                    parent = None
                    body, template = self._comment_text(plan, person)
                comment = comment_create(
                    actor=person.user, post=plan.post, body=body, parent=parent
                )
                self.comment_templates[comment.pk] = template
                self.comment_times.append((comment, moment))
                made.append(comment)
                count += 1
                if parent is None and len(made) < 6 and self.rng.random() < 0.3:
                    # The author often answers.
                    moment = self._later(moment, minutes=60)
                    body, template = self._comment_text(plan, plan.author, parent=comment)
                    answer = comment_create(
                        actor=plan.author.user, post=plan.post, body=body, parent=comment
                    )
                    self.comment_times.append((answer, moment))
                    made.append(answer)
                    count += 1
        self.log(f"  {count} comments")
        return count

    def _later(self, moment: datetime, *, minutes: float) -> datetime:
        """A moment a little after `moment` (about `minutes` later), never in the future."""
        later = moment + timedelta(minutes=self.rng.expovariate(1 / minutes) + 1)
        return min(later, self.now - timedelta(seconds=30))

    def _reactions(self, plans: list[PostPlan]) -> int:
        self.reaction_times: list[tuple[Reaction, datetime]] = []
        kinds = [k for k, _w in REACTION_KINDS]
        kind_weights = [w for _k, w in REACTION_KINDS]
        count = 0
        for plan in plans:
            n = int(plan.popularity * 1.2 + self.rng.random() * 2) - 1
            if n <= 0:
                continue
            for person in self._responders(plan, min(n, 45)):
                kind = self.rng.choices(kinds, weights=kind_weights)[0]
                reaction = reaction_set(actor=person.user, post=plan.post, kind=kind)
                moment = min(
                    plan.at + timedelta(minutes=self.rng.expovariate(1 / 240) + 1),
                    self.now - timedelta(seconds=10),
                )
                self.reaction_times.append((reaction, moment))
                count += 1
        self.log(f"  {count} reactions")
        return count

    def _shares(self, plans: list[PostPlan], count: int) -> int:
        public = [
            p for p in plans if p.community is None or self.specs[p.community].visibility == "open"
        ]
        public.sort(key=lambda p: -p.popularity)
        candidates = public[: max(count * 3, 1)]
        self.share_plans: list[PostPlan] = []
        made = 0
        for original in self.rng.sample(candidates, k=min(count, len(candidates))):
            sharers = [p for p in self._responders(original, 3) if p.activity > 0]
            if not sharers:
                continue
            sharer = sharers[0]
            where = [k for k in sharer.communities if self.specs[k].domain == original.domain]
            community = self.communities[where[0]] if where and self.rng.random() < 0.6 else None
            text = self.rng.choice(SHARE_TEXTS if community else SHARE_TEXTS_PERSONAL)
            shared = post_share(
                actor=sharer.user, post=original.post, community=community, body=text
            )
            moment = timezone.localtime(original.at + timedelta(hours=self.rng.uniform(0.5, 6)))
            if not 8 <= moment.hour < 19:
                # Shared the next morning.
                morning = moment + timedelta(days=1 if moment.hour >= 19 else 0)
                moment = morning.replace(hour=self.rng.randint(8, 10))
            moment = min(moment, self.now - timedelta(minutes=1))
            self.share_plans.append(PostPlan(at=moment, author=sharer, community=None, post=shared))
            made += 1
        self.log(f"  {made} shares")
        return made

    # ------------------------------------------------------------------------------- follows

    def _follows(self) -> int:
        self.follow_times: list[tuple[Follow, datetime]] = []
        tags: dict[str, Tag] = {}
        count = 0
        for person in self.people:
            colleagues = [p for p in self.by_unit.get(person.unit, []) if p is not person]
            targets: list[Person] = []
            manager = self.by_pk.get(person.manager_id) if person.manager_id else None
            if manager is not None and self.rng.random() < 0.8:
                targets.append(manager)
            k = self.rng.randint(0, 5)
            targets += self.rng.sample(colleagues, k=min(k, len(colleagues)))
            if self.rng.random() < 0.4:
                stars = [p for p in self.people if p.activity > 8 and p is not person]
                if stars:
                    targets.append(self.rng.choice(stars))
            for target in dict.fromkeys(targets):
                if target is not person:
                    self._follow(person, user=target.user)
                    count += 1
            mine = [s for s in person.skills if s in self.hashtag]
            for slug in self.rng.sample(mine, k=min(len(mine), self.rng.choice([0, 0, 1, 2, 3]))):
                name = self.hashtag[slug]
                if name not in tags:
                    tags[name] = tag_get_or_create(name=name)
                self._follow(person, tag=tags[name])
                count += 1
            for key in person.communities:
                if self.rng.random() < 0.35:
                    self._follow(person, community=self.communities[key])
                    count += 1
        self.log(f"  {count} follows")
        return count

    def _follow(self, person: Person, **target: Any) -> None:
        made = follow(actor=person.user, **target)
        moment = self.now - timedelta(days=365 * self.rng.random() ** 1.5, minutes=17)
        self.follow_times.append((made, moment))

    # ---------------------------------------------------------------------------- timestamps

    def _backdate(self) -> None:
        """Spread what the services stamped `now` over the past year."""
        both = ("created_at", "updated_at")
        _stamp(
            Community,
            both,
            [(c.pk, self.community_times[key]) for key, c in self.communities.items()],
        )
        keys = {c.pk: key for key, c in self.communities.items()}
        memberships = Membership.objects.filter(community__in=self.communities.values())
        _stamp(
            Membership,
            both,
            [
                (pk, self.membership_times.get((keys[community_id], user_id), self.now))
                for pk, community_id, user_id in memberships.values_list(
                    "pk", "community_id", "user_id"
                )
            ],
        )
        plans = [*self.post_plans, *self.share_plans]
        _stamp(Post, both, [(plan.post.pk, plan.at) for plan in plans])
        _stamp(Comment, both, [(c.pk, at) for c, at in self.comment_times])
        _stamp(Reaction, ("created_at",), [(r.pk, at) for r, at in self.reaction_times])
        _stamp(Follow, ("created_at",), [(f.pk, at) for f, at in self.follow_times])
        self._backdate_events()
        self._backdate_notifications()

    def _backdate_events(self) -> None:
        events = ActivityEvent.objects.filter(pk__gte=self.first_event)

        def at(queryset: Any) -> Subquery:
            return Subquery(queryset.values("created_at")[:1])

        events.filter(object_type="social.post", verb="create").update(
            occurred_at=at(Post.objects.filter(pk=OuterRef("object_id")))
        )
        events.filter(object_type="social.comment", verb="create").update(
            occurred_at=at(Comment.objects.filter(pk=OuterRef("object_id")))
        )
        events.filter(object_type="social.post", verb="like").update(
            occurred_at=at(
                Reaction.objects.filter(post_id=OuterRef("object_id"), user_id=OuterRef("actor_id"))
            )
        )
        events.filter(object_type="social.community", verb="create").update(
            occurred_at=at(Community.objects.filter(pk=OuterRef("object_id")))
        )
        events.filter(object_type="social.community", verb__in=["join", "request"]).update(
            occurred_at=at(
                Membership.objects.filter(
                    community_id=OuterRef("object_id"), user_id=OuterRef("actor_id")
                )
            )
        )
        events.filter(object_type="social.community", verb="add").update(
            occurred_at=at(
                Membership.objects.filter(
                    community_id=OuterRef("object_id"), user_id=OuterRef("target_user_id")
                )
            )
        )
        for object_type, target in [
            ("accounts.user", "user_id"),
            ("social.tag", "tag_id"),
            ("social.community", "community_id"),
        ]:
            events.filter(object_type=object_type, verb="follow").update(
                occurred_at=at(
                    Follow.objects.filter(
                        follower_id=OuterRef("actor_id"), **{target: OuterRef("object_id")}
                    )
                )
            )

    def _backdate_notifications(self) -> None:
        notes = Notification.objects.filter(pk__gte=self.first_notification)

        def at(queryset: Any) -> Subquery:
            return Subquery(queryset.values("created_at")[:1])

        notes.filter(comment__isnull=False).update(
            created_at=at(Comment.objects.filter(pk=OuterRef("comment_id")))
        )
        notes.filter(type="reaction").update(
            created_at=at(
                Reaction.objects.filter(post_id=OuterRef("post_id"), user_id=OuterRef("actor_id"))
            )
        )
        notes.filter(comment__isnull=True, type__in=["mention", "share"]).update(
            created_at=at(Post.objects.filter(pk=OuterRef("post_id")))
        )
        notes.filter(type="follow").update(
            created_at=at(
                Follow.objects.filter(
                    follower_id=OuterRef("actor_id"), user_id=OuterRef("recipient_id")
                )
            )
        )
        notes.filter(type="join_accepted").update(
            created_at=at(
                Membership.objects.filter(
                    community_id=OuterRef("community_id"), user_id=OuterRef("recipient_id")
                )
            )
        )
        notes.filter(type="join_request").update(
            created_at=at(
                Membership.objects.filter(
                    community_id=OuterRef("community_id"), user_id=OuterRef("actor_id")
                )
            )
        )
        # What is older than a day went out in a digest; what is older than two weeks was read.
        notes.filter(created_at__lt=self.now - timedelta(days=1)).update(
            emailed_at=F("created_at") + timedelta(hours=12)
        )
        notes.filter(created_at__lt=self.now - timedelta(days=14)).update(
            read_at=F("created_at") + timedelta(days=1)
        )
