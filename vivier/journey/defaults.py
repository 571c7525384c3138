"""The playbooks Vivier starts with (editable in the admin): one per stage, French and English."""

# (stage, name_fr, name_en, [(kind, subject_fr, subject_en, body_fr, body_en, link)])
DEFAULT_PLAYBOOKS: list[tuple[str, str, str, list[tuple[str, str, str, str, str, str]]]] = [
    (
        "information",
        "Information : à quoi sert Vivier",
        "Information: what Vivier is for",
        [
            (
                "email",
                "{first_name}, vos collègues qui savent sont sur Vivier",
                "{first_name}, the colleagues who know are on Vivier",
                "Bonjour {first_name},\n\nVivier est l'endroit où l'on trouve le collègue qui sait, "
                "où l'on pose une question une fois pour toutes et où les projets cherchent des "
                "volontaires. Ce que vous y écrivez reste dans l'entreprise ; la charte d'usage est "
                "publique.\n\nUne première visite prend deux minutes : {url}",
                "Hello {first_name},\n\nVivier is where you find the colleague who knows, ask a "
                "question once and for all, and where projects look for volunteers. What you write "
                "stays inside the company; the usage charter is public.\n\nA first visit takes two "
                "minutes: {url}",
                "/experts/",
            ),
        ],
    ),
    (
        "discovery",
        "Découverte : une première visite utile",
        "Discovery: a first visit worth it",
        [
            (
                "tip",
                "Rejoignez une communauté de votre métier",
                "Join a community of your trade",
                "Les nouvelles de votre métier arrivent alors dans votre fil, avec des gens à qui "
                "poser vos questions.",
                "The news of your trade then reaches your feed, with people you can ask.",
                "/communities/",
            ),
            (
                "email",
                "{first_name}, trois communautés à découvrir",
                "{first_name}, three communities to discover",
                "Bonjour {first_name},\n\nVous êtes passé·e sur Vivier : merci. Pour que votre fil "
                "vous serve, rejoignez une communauté de votre métier ; vous pourrez la quitter "
                "d'un clic.\n\n{url}",
                "Hello {first_name},\n\nThank you for visiting Vivier. To make your feed useful, "
                "join a community of your trade; you can leave it in one click.\n\n{url}",
                "/communities/",
            ),
        ],
    ),
    (
        "participation",
        "Participation : proximité et écoute",
        "Participation: closeness and listening",
        [
            (
                "tip",
                "Une question vous attend peut-être",
                "A question may be waiting for you",
                "Répondre une fois sur Vivier vous évite de répondre dix fois par courriel.",
                "Answering once on Vivier spares you answering ten times by e-mail.",
                "/questions/",
            ),
            (
                "task",
                "{name} participe : souhaitez-lui la bienvenue",
                "{name} takes part: say hello",
                "{name} réagit et suit des sujets depuis peu. Un mot de votre part l'aidera à "
                "passer à l'écriture.",
                "{name} started reacting and following topics. A word from you will help them "
                "start writing.",
                "",
            ),
        ],
    ),
    (
        "contribution",
        "Contribution : une stratégie d'exposition",
        "Contribution: an exposure strategy",
        [
            (
                "tip",
                "Montrez ce que vous savez faire",
                "Show what you can do",
                "Vos écrits nourrissent votre profil : les opportunités et les demandes de mentorat "
                "vous trouvent.",
                "What you write feeds your profile: opportunities and mentoring requests find you.",
                "/opportunities/",
            ),
            (
                "email",
                "{first_name}, vos contributions comptent",
                "{first_name}, your contributions count",
                "Bonjour {first_name},\n\nCe que vous publiez est lu. Complétez votre profil et "
                "vos compétences : les collègues qui ont besoin de vous vous trouveront.\n\n{url}",
                "Hello {first_name},\n\nWhat you publish is read. Complete your profile and "
                "skills: the colleagues who need you will find you.\n\n{url}",
                "/people/me/",
            ),
        ],
    ),
    (
        "promotion",
        "Promotion : recruter et valoriser les pairs",
        "Promotion: recruit and value peers",
        [
            (
                "tip",
                "Devenez ambassadeur·rice",
                "Become an ambassador",
                "Invitez des collègues, remerciez ceux qui aident : vos outils sont sur votre page "
                "parcours.",
                "Invite colleagues, thank the people who help: your tools are on your journey page.",
                "/journey/",
            ),
        ],
    ),
    (
        "disappointment",
        "Déception : un plan prêt",
        "Disappointment: a ready plan",
        [
            (
                "email",
                "{first_name}, qu'est-ce qui n'a pas marché ?",
                "{first_name}, what did not work?",
                "Bonjour {first_name},\n\nNous ne vous voyons plus sur Vivier. Dites-nous ce qui "
                "vous a manqué : la boîte à idées arrive à l'équipe qui fait évoluer l'outil.\n\n"
                "{url}",
                "Hello {first_name},\n\nWe have not seen you on Vivier lately. Tell us what you "
                "missed: the idea box reaches the team that improves the tool.\n\n{url}",
                "/voice/ideas/",
            ),
            (
                "task",
                "{name} ne vient plus : prenez des nouvelles",
                "{name} went quiet: check in",
                "{name} participait et ne vient plus. Un échange informel permet souvent de "
                "comprendre ce qui bloque.",
                "{name} used to take part and went quiet. An informal chat often shows what is in "
                "the way.",
                "",
            ),
        ],
    ),
]


def defaults_create(*, verb_rule, settings, playbook, action) -> None:  # type: ignore[no-untyped-def]
    """Create the default verb rules, settings row and playbooks that are missing.

    Takes the model classes, so the data migration can pass its historical models.
    """
    from vivier.journey.engine import DEFAULT_RULES

    # Only the missing rules: existing ones keep the kind an administrator gave them.
    existing = set(verb_rule.objects.values_list("verb", "object_type"))
    verb_rule.objects.bulk_create(
        [
            verb_rule(verb=verb, object_type=object_type, kind=kind)
            for verb, object_type, kind in DEFAULT_RULES
            if (verb, object_type) not in existing
        ]
    )
    settings.objects.get_or_create(pk=1)
    if playbook.objects.exists():
        return
    for stage, name_fr, name_en, actions in DEFAULT_PLAYBOOKS:
        created = playbook.objects.create(stage=stage, name_fr=name_fr, name_en=name_en)
        for kind, subject_fr, subject_en, body_fr, body_en, link in actions:
            action.objects.create(
                playbook=created,
                kind=kind,
                subject_fr=subject_fr,
                subject_en=subject_en,
                body_fr=body_fr,
                body_en=body_en,
                link=link,
            )


def defaults_ensure() -> None:
    """Restore the defaults the data migration created (a flushed test database lacks them)."""
    from vivier.journey.models import JourneySettings, Playbook, PlaybookAction, VerbRule

    defaults_create(
        verb_rule=VerbRule, settings=JourneySettings, playbook=Playbook, action=PlaybookAction
    )
