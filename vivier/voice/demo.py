"""Employee voice for the demo company: a quarterly barometer with past waves, a one-off pulse,
ideas with votes and follow-up, and the commitments that answered the last barometer.

Past waves are written directly (with their dates in the past) but exactly as the answering
service would write them: a participation per person, and for each respondent an anonymous
submission and answers holding the org unit and the day only, in a shuffled order.
"""

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from vivier.accounts.models import User
from vivier.accounts.roles import is_hr_admin
from vivier.people.demo import ADMIN_EMAIL
from vivier.people.models import OrgUnit
from vivier.voice import services
from vivier.voice.models import (
    Answer,
    Idea,
    IdeaComment,
    IdeaVote,
    Participation,
    Question,
    Submission,
    Survey,
    Wave,
)

BAROMETER_TEMPLATES = [
    "vision_contribution",
    "enps",
    "manager_support",
    "workload",
    "recognition",
    "growth",
    "collaboration_channels",
    "suggestion",
]
SUGGESTIONS = [
    "Moins de réunions le vendredi après-midi.",
    "Des points d'équipe plus courts et plus réguliers.",
    "Mieux expliquer les choix de la direction.",
    "Plus de formations sur les outils que nous utilisons vraiment.",
    "Un vrai droit à la déconnexion le soir.",
    "Reconnaître le travail des équipes support, pas seulement des projets.",
    "Des espaces calmes pour se concentrer.",
    "Partager plus tôt les priorités de l'année.",
    "Faciliter la mobilité interne entre directions.",
    "Rendre visibles les experts de chaque domaine.",
]
IDEAS = [
    ("Une salle calme à chaque étage", "Un espace sans téléphone pour se concentrer.", ["bureaux"]),
    ("Covoiturage entre sites", "Une page pour proposer et trouver des trajets.", ["mobilité"]),
    ("Vis ma vie entre directions", "Passer une journée dans une autre équipe.", ["carrière"]),
    ("Midis de l'expertise", "Un expert présente son métier en 30 minutes.", ["expertise"]),
    ("Potager sur le toit", "Un potager partagé entretenu par des volontaires.", ["rse"]),
    (
        "Parrainage des nouveaux arrivants",
        "Un binôme pendant les trois premiers mois.",
        ["accueil"],
    ),
    ("Zéro réunion le vendredi", "Garder le vendredi pour le travail de fond.", ["organisation"]),
    ("Bourse aux compétences", "Proposer quelques heures d'aide sur ses sujets.", ["expertise"]),
    ("Tri des déchets en cantine", "Des bacs pour le compost et le recyclage.", ["rse"]),
    ("Hackathon interne annuel", "Deux jours pour prototyper des idées.", ["innovation"]),
    ("Vélos de service", "Quelques vélos pour les trajets entre bâtiments.", ["mobilité"]),
    ("Journal des décisions", "Publier chaque mois les décisions du comité.", ["transparence"]),
    (
        "Mentorat inversé numérique",
        "Les jeunes recrues forment les cadres aux outils.",
        ["carrière"],
    ),
    ("Cafés de la direction", "Un café mensuel ouvert avec un membre du comité.", ["transparence"]),
    ("Badge unique multi-sites", "Un seul badge pour tous les sites.", ["bureaux"]),
    ("Formation à l'accessibilité", "Sensibiliser les équipes produit.", ["innovation"]),
]
COMMENTS = [
    "Excellente idée, je suis volontaire pour aider.",
    "On l'a fait dans mon ancienne entreprise, ça marchait très bien.",
    "Attention au coût, mais ça vaut le coup d'essayer.",
    "Pourquoi pas un pilote sur un site d'abord ?",
    "Je soutiens, surtout pour les nouveaux arrivants.",
]
DECLINE_REASONS = [
    "Les contraintes de sécurité du bâtiment ne le permettent pas ; nous étudions une autre solution.",
    "Le budget de l'année est engagé ; l'idée sera réétudiée l'an prochain.",
]
COMMITMENTS = [
    (
        "Droit à la déconnexion",
        "Une charte et des envois de courriels différés après 19 h.",
        "workload",
        "in_progress",
        60,
    ),
    (
        "Expliquer la stratégie à chaque équipe",
        "Chaque directeur présente la feuille de route à ses équipes et répond aux questions.",
        "vision",
        "in_progress",
        40,
    ),
    (
        "Reconnaître les contributions",
        "Des remerciements publics et un budget de reconnaissance par équipe.",
        "recognition",
        "planned",
        0,
    ),
    (
        "Un plan de formation par personne",
        "Chaque entretien annuel se conclut par un plan de formation.",
        "growth",
        "done",
        100,
    ),
]
UPDATES = [
    "Le groupe de travail s'est réuni deux fois.",
    "Première version présentée au comité de direction.",
    "Déploiement engagé dans deux directions pilotes.",
]


class VoiceDemoBuilder:
    """Builds surveys with waves, ideas and commitments for the demo company."""

    def __init__(self, *, seed: int, today: date | None = None) -> None:
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()

    def build(self) -> dict[str, int]:
        """Create the demo's surveys, answers, ideas and commitments; return counts."""
        with transaction.atomic():
            hr = User.objects.filter(email=ADMIN_EMAIL).first()
            if hr is None or not is_hr_admin(hr):
                hr = next((u for u in User.objects.order_by("id") if is_hr_admin(u)), None)
            people = list(
                User.objects.filter(is_active=True)
                .exclude(pk=hr.pk if hr else None)
                .select_related("profile")
                .order_by("id")
            )
            if hr is None or len(people) < 10:
                return {"surveys": 0, "waves": 0, "respondents": 0, "ideas": 0, "commitments": 0}
            # Each unit has its own mood and response rate, so results differ and a few small or
            # shy units stay below the threshold.
            units = list(OrgUnit.objects.order_by("path"))
            self.mood = {u.pk: self.rng.gauss(0, 0.6) for u in units}
            self.rate = {u.pk: self.rng.choice([0.35, 0.6, 0.75, 0.85, 0.9]) for u in units}
            counts = self._barometer(hr, people)
            counts["ideas"] = self._ideas(hr, people)
            counts["commitments"] = self._commitments(hr, people)
        return counts

    def _barometer(self, hr: User, people: list[User]) -> dict[str, int]:
        barometer = services.survey_create(
            actor=hr,
            title="Baromètre social trimestriel",
            description="Quelques minutes pour dire comment vous allez et ce qui doit changer.",
            recurrence_days=91,
            wave_days=14,
        )
        for code in BAROMETER_TEMPLATES:
            services.question_add(actor=hr, survey=barometer, template=code)
        barometer = services.survey_launch(actor=hr, survey=barometer)
        first = barometer.waves.get()
        # Three closed quarters, then the current one open (its first days of answers).
        starts = [self.today - timedelta(days=91 * n) for n in (3, 2, 1)]
        first.opens_on, first.closes_on = starts[0], starts[0] + timedelta(days=13)
        first.status = Wave.Status.CLOSED
        tree = services.org_tree_snapshot()
        first.org_tree = tree
        first.save()
        waves = [first]
        for number, start in enumerate(starts[1:], start=2):
            waves.append(
                Wave.objects.create(
                    survey=barometer,
                    number=number,
                    opens_on=start,
                    closes_on=start + timedelta(days=13),
                    status=Wave.Status.CLOSED,
                    org_tree=tree,
                )
            )
        current = Wave.objects.create(
            survey=barometer,
            number=4,
            opens_on=self.today - timedelta(days=3),
            closes_on=self.today + timedelta(days=10),
        )
        respondents = 0
        for index, wave in enumerate(waves):
            # Things get a little better each quarter.
            respondents += self._answer_wave(wave, people, trend=0.25 * index)
        respondents += self._answer_wave(current, people, trend=0.8, share=0.3)

        pulse = services.survey_create(
            actor=hr,
            title="Pulse : la vision à l'échelle de la DSI",
            audience=list(OrgUnit.objects.filter(code="DSI").values_list("pk", flat=True)),
            wave_days=7,
        )
        services.question_add(actor=hr, survey=pulse, template="vision_contribution")
        services.question_add(
            actor=hr,
            survey=pulse,
            kind=Question.Kind.SINGLE,
            text_fr="Quelle priorité de la feuille de route vous concerne le plus ?",
            text_en="Which roadmap priority concerns you most?",
            choices=[
                {"fr": "Le cloud", "en": "Cloud"},
                {"fr": "La donnée", "en": "Data"},
                {"fr": "La cybersécurité", "en": "Cybersecurity"},
            ],
            theme="vision",
        )
        pulse = services.survey_launch(actor=hr, survey=pulse)
        pulse_wave = pulse.waves.get()
        pulse_wave.opens_on = self.today - timedelta(days=40)
        pulse_wave.closes_on = self.today - timedelta(days=34)
        pulse_wave.save()
        audience = set(services.audience_users(survey=pulse).values_list("pk", flat=True))
        respondents += self._answer_wave(
            pulse_wave, [p for p in people if p.pk in audience], trend=0.3
        )
        pulse_wave.status = Wave.Status.CLOSED
        pulse_wave.org_tree = tree
        pulse_wave.save(update_fields=["status", "org_tree"])
        Survey.objects.filter(pk=pulse.pk).update(status=Survey.Status.CLOSED)
        return {"surveys": 2, "waves": len(waves) + 2, "respondents": respondents}

    def _value(self, question: Question, unit_id: int | None, trend: float) -> dict[str, Any]:
        mood = self.mood.get(unit_id, 0) + trend + self.rng.gauss(0, 1)
        if question.kind == Question.Kind.LIKERT:
            return {"value": max(1, min(5, round(3.2 + mood)))}
        if question.kind == Question.Kind.ENPS:
            return {"value": max(0, min(10, round(6.5 + 1.8 * mood)))}
        if question.kind == Question.Kind.SINGLE:
            return {"value": self.rng.randrange(len(question.choices))}
        if question.kind == Question.Kind.MULTIPLE:
            picked = self.rng.sample(range(len(question.choices)), self.rng.randint(1, 2))
            return {"choices": sorted(picked)}
        if self.rng.random() < 0.35:
            return {"text": self.rng.choice(SUGGESTIONS)}
        return {}

    def _answer_wave(
        self, wave: Wave, people: list[User], *, trend: float, share: float = 1.0
    ) -> int:
        """Answers of the people who respond to `wave`, as the answering service stores them."""
        questions = list(wave.survey.questions.all())
        participations, submissions, answers = [], [], []
        last_day = min(wave.closes_on, self.today)
        span = max((last_day - wave.opens_on).days, 0)
        for person in people:
            unit_id = getattr(getattr(person, "profile", None), "org_unit_id", None)
            if self.rng.random() > self.rate.get(unit_id, 0.7) * share:
                continue
            day = wave.opens_on + timedelta(days=self.rng.randint(0, span))
            participations.append(Participation(wave=wave, user=person))
            submissions.append(Submission(wave=wave, org_unit_id=unit_id, submitted_on=day))
            for question in questions:
                fields = self._value(question, unit_id, trend)
                if fields:
                    answers.append(
                        Answer(
                            wave=wave,
                            question=question,
                            org_unit_id=unit_id,
                            answered_on=day,
                            **fields,
                        )
                    )
        # Shuffled so that the rows' order says nothing about who answered when.
        for rows in (submissions, answers):
            self.rng.shuffle(rows)
        Participation.objects.bulk_create(participations)
        Submission.objects.bulk_create(submissions)
        Answer.objects.bulk_create(answers, batch_size=2000)
        return len(submissions)

    def _ideas(self, hr: User, people: list[User]) -> int:
        statuses = ["new"] * 6 + ["under_review"] * 4 + ["accepted"] * 3 + ["done", "declined"]
        for index, (title, description, tags) in enumerate(IDEAS):
            author = self.rng.choice(people)
            idea = services.idea_create(
                actor=author, title=title, description=description, tags=tags
            )
            voters = self.rng.sample(people, min(len(people), self.rng.randint(0, 40)))
            IdeaVote.objects.bulk_create(
                [IdeaVote(idea=idea, user=v) for v in voters if v.pk != author.pk]
            )
            comments = [
                IdeaComment(
                    idea=idea, author=self.rng.choice(people), body=self.rng.choice(COMMENTS)
                )
                for _ in range(self.rng.randint(0, 3))
            ]
            IdeaComment.objects.bulk_create(comments)
            Idea.objects.filter(pk=idea.pk).update(
                vote_count=IdeaVote.objects.filter(idea=idea).count(),
                comment_count=len(comments),
                created_at=timezone.now() - timedelta(days=self.rng.randint(1, 120)),
            )
            target = statuses[index % len(statuses)]
            path = {
                "new": [],
                "under_review": ["under_review"],
                "accepted": ["under_review", "accepted"],
                "done": ["under_review", "accepted", "done"],
                "declined": ["under_review", "declined"],
            }[target]
            owner = self.rng.choice(people)
            if path:
                services.idea_assign(actor=hr, idea=idea, owner_id=owner.pk)
            for status in path:
                services.idea_set_status(
                    actor=hr,
                    idea=idea,
                    status=status,
                    reason=self.rng.choice(DECLINE_REASONS) if status == "declined" else "",
                )
        return len(IDEAS)

    def _commitments(self, hr: User, people: list[User]) -> int:
        for title, description, theme, status, progress in COMMITMENTS:
            owner = self.rng.choice(people)
            commitment = services.commitment_create(
                actor=hr,
                title=title,
                description=description,
                theme=theme,
                owner_id=owner.pk,
                due_on=self.today + timedelta(days=self.rng.randint(30, 200)),
            )
            steps = {"planned": [], "in_progress": ["in_progress"], "done": ["in_progress", "done"]}
            for number, step in enumerate(steps[status], start=1):
                services.commitment_progress(
                    actor=owner,
                    commitment=commitment,
                    text=UPDATES[(number - 1) % len(UPDATES)],
                    progress=progress if number == len(steps[status]) else progress // 2,
                    status=step,
                )
        return len(COMMITMENTS)
