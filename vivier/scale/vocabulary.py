"""Word lists of the generated data: short French and English sentences, skills, places."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
