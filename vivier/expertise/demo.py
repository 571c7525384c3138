"""Questions and answers for the demo company: people ask, those who know the skill answer."""

import random
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from vivier.accounts.models import User
from vivier.expertise import services as qa
from vivier.expertise.models import Answer, ExpertLabel
from vivier.people.models import ProfileSkill, Skill
from vivier.social.models import Post

QUESTIONS_FR = [
    (
        "Quelqu'un a-t-il déjà mis en œuvre {skill} sur un projet de {context} ?",
        "Nous démarrons un projet de {context} et personne dans l'équipe n'a encore pratiqué "
        "{skill}. Quels pièges éviter, et par où commencer ?",
    ),
    (
        "Bonnes pratiques pour {skill} : vos retours ?",
        "Je dois présenter une démarche {skill} à mon comité la semaine prochaine. Qui a un "
        "retour d'expérience concret, chiffres à l'appui si possible ?",
    ),
    (
        "{skill} : quelle formation ou quelle ressource recommandez-vous ?",
        "J'aimerais monter en compétence sur {skill} d'ici la fin du trimestre. Formation "
        "interne, livre, mentorat : qu'est-ce qui a marché pour vous ?",
    ),
    (
        "Comment estimer la charge d'un chantier {skill} ?",
        "Pour un périmètre de {context}, combien de jours faut-il prévoir pour {skill} ? "
        "Nos estimations varient du simple au triple.",
    ),
    (
        "Qui peut relire ma démarche {skill} avant jeudi ?",
        "J'ai rédigé une première version pour le projet de {context}. Un regard d'expert sur "
        "la partie {skill} m'aiderait beaucoup.",
    ),
]
QUESTIONS_EN = [
    (
        "Has anyone used {skill} on a {context} project?",
        "We are starting a {context} project and nobody on the team has practised {skill} yet. "
        "What should we avoid, and where should we start?",
    ),
    (
        "Best practices for {skill}: any feedback?",
        "I have to present a {skill} approach to my steering committee next week. Who has "
        "hands-on experience to share?",
    ),
]
ANSWERS_FR = [
    "J'ai pratiqué {skill} pendant {years} ans, dont deux sur un projet de {context}. Commencez "
    "petit : un périmètre pilote, des indicateurs simples, et un point hebdomadaire.",
    "Sur {skill}, le piège classique est de vouloir tout couvrir dès le départ. Chez nous, "
    "découper en trois lots a divisé les délais par deux.",
    "Je peux vous partager notre guide {skill} et le retour d'expérience du projet de "
    "{context}. Passez me voir ou écrivez-moi.",
    "Pour {skill}, je recommande la formation interne de l'académie, puis un binôme avec "
    "quelqu'un qui l'a déjà fait. Comptez {years} mois pour être autonome.",
    "Nous avons estimé {skill} à environ {days} jours pour un périmètre comparable : prévoyez "
    "une marge pour la conduite du changement.",
]
ANSWERS_EN = [
    "I have worked on {skill} for {years} years, including a {context} project. Start small: "
    "a pilot scope, simple metrics and a weekly check-in.",
    "With {skill}, the usual trap is trying to cover everything at once. Splitting the work "
    "into three releases halved our lead time.",
]
CONTEXTS = [
    "transformation digitale",
    "migration vers le cloud",
    "refonte du SI RH",
    "conformité RGPD",
    "ouverture d'un nouveau site",
    "réduction des coûts",
    "lancement d'une offre",
    "modernisation de l'usine",
]


class QADemoBuilder:
    """Build questions, answers, acceptances, votes and a few Expert labels, for a seed."""

    def __init__(self, *, seed: int, questions: int) -> None:
        self.rng = random.Random(seed + 4)
        self.questions_wanted = questions

    def build(self) -> dict[str, int]:
        """Create the Q&A; return what was created."""
        holders: dict[int, list[tuple[int, int]]] = {}
        for user_id, skill_id, level in (
            ProfileSkill.objects.filter(user__is_active=True)
            .values_list("user_id", "skill_id", "level")
            .order_by("skill_id", "user_id")
        ):
            holders.setdefault(skill_id, []).append((user_id, level))
        # Skills several people hold: someone can ask, others can answer.
        skill_ids = sorted(s for s, held in holders.items() if len(held) >= 3)
        if not skill_ids:
            return {"questions": 0, "answers": 0, "accepted": 0, "labels": 0}
        skills = Skill.objects.in_bulk(skill_ids)
        users = User.objects.in_bulk([u for held in holders.values() for u, _l in held])
        everyone = sorted(users)
        now = timezone.now()
        answers = accepted = 0
        for _ in range(self.questions_wanted):
            skill_id = self.rng.choice(skill_ids)
            held = holders[skill_id]
            asker = users[self.rng.choice(everyone)]
            english = self.rng.random() < 0.12
            skill = skills[skill_id]
            label = skill.label_en if english else skill.label_fr
            title, body = self.rng.choice(QUESTIONS_EN if english else QUESTIONS_FR)
            context = self.rng.choice(CONTEXTS)
            question = qa.question_ask(
                actor=asker,
                title=title.format(skill=label, context=context)[:200],
                body=body.format(skill=label, context=context),
                tags=[label.split(" (")[0][:60]],
                route=False,
            )
            asked_at = now - timedelta(days=self.rng.uniform(1, 360))
            self._date(Post, question.pk, asked_at)
            # Those who declared the skill answer, the more so the higher their level.
            candidates = [(u, lvl) for u, lvl in held if u != asker.pk]
            weights = [lvl**2 for _u, lvl in candidates]
            count = min(len(candidates), self.rng.choice([1, 1, 2, 2, 3]))
            chosen: list[int] = []
            while len(chosen) < count:
                pick = self.rng.choices(candidates, weights=weights)[0][0]
                if pick not in chosen:
                    chosen.append(pick)
            made = []
            for offset, user_id in enumerate(chosen):
                template = self.rng.choice(ANSWERS_EN if english else ANSWERS_FR)
                answer = qa.answer_create(
                    actor=users[user_id],
                    question=question,
                    body=template.format(
                        skill=label,
                        context=context,
                        years=self.rng.randint(2, 12),
                        days=self.rng.randint(5, 60),
                    ),
                )
                self._date(Answer, answer.pk, asked_at + timedelta(hours=2 + 20 * offset))
                made.append(answer)
                answers += 1
            if made and self.rng.random() < 0.6:
                best = max(made, key=lambda a: dict(held).get(a.author_id, 0))
                qa.answer_accept(actor=asker, answer=best)
                accepted += 1
            for answer in made:
                for voter_id in self.rng.sample(everyone, k=self.rng.randint(0, 3)):
                    if voter_id != answer.author_id:
                        qa.answer_vote(actor=users[voter_id], answer=answer, value=1)
        labels = self._labels(holders)
        return {
            "questions": self.questions_wanted,
            "answers": answers,
            "accepted": accepted,
            "labels": labels,
        }

    @staticmethod
    def _date(model, pk: int, when) -> None:
        model.objects.filter(pk=pk).update(created_at=when, updated_at=when)

    def _labels(self, holders: dict[int, list[tuple[int, int]]]) -> int:
        """A few Expert labels for people at level 4 who answered on their skill."""
        answered = set(
            Answer.objects.values_list("author_id", flat=True)
            .annotate(n=Count("id"))
            .filter(n__gte=2)
        )
        pairs = sorted(
            (u, s) for s, held in holders.items() for u, lvl in held if lvl == 4 and u in answered
        )
        now = timezone.now()
        chosen = self.rng.sample(pairs, k=min(len(pairs), 12))
        ExpertLabel.objects.bulk_create(
            [
                ExpertLabel(
                    user_id=u,
                    skill_id=s,
                    granted_at=now - timedelta(days=self.rng.randint(30, 300)),
                    expires_at=now + timedelta(days=self.rng.randint(200, 700)),
                )
                for u, s in chosen
            ]
        )
        qa.expert_levels_refresh(user_ids=[u for u, _s in chosen])
        return len(chosen)
