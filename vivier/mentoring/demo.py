"""Mentoring for the demo company: offers, requests, running and reverse pairs, two programmes.

Everything goes through the services, so the demo obeys the same rules as people do (never
one's manager, capacities, reverse eligibility). Deterministic for a seed.
"""

import random
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from vivier.accounts.models import User
from vivier.core.errors import ApplicationError
from vivier.mentoring import selectors, services
from vivier.mentoring.models import MenteeRequest, Mentorship
from vivier.people.demo import ADMIN_EMAIL
from vivier.people.models import ProfileSkill, Skill

# Skills juniors often master better than their seniors: the ground of reverse mentoring.
DIGITAL_SKILLS = [
    "generative-ai",
    "prompt-engineering",
    "digital-workplace",
    "social-media-marketing",
    "low-code",
    "collaboration",
]
MENTOR_NOTES = [
    "Disponible un créneau par quinzaine, plutôt le jeudi.",
    "J'aime accompagner les prises de poste et les premiers projets.",
    "Partage d'expérience terrain, revue de vos livrables.",
    "",
]
MENTEE_NOTES = [
    "Je prends un nouveau poste et veux monter en compétence rapidement.",
    "Préparer une mobilité interne d'ici un an.",
    "Gagner en autonomie sur les sujets techniques.",
    "",
]
REVERSE_NOTES = [
    "Comprendre les usages de l'IA générative dans mon équipe.",
    "Mieux utiliser les outils collaboratifs et les réseaux sociaux.",
]
MESSAGES = [
    "Bonjour, votre parcours m'intéresse beaucoup : accepteriez-vous de m'accompagner ?",
    "Bonjour ! On m'a conseillé de vous contacter pour progresser sur ce sujet.",
    "Bonjour, auriez-vous un peu de temps pour un mentorat ces prochains mois ?",
]
PAIR_GOALS = [
    "Trois rendez-vous sur le trimestre : cadrage, mise en pratique, bilan.",
    "Préparer la présentation au comité de fin d'année.",
    "Construire un plan de montée en compétence et le suivre.",
]
SESSION_SUMMARIES = [
    "Tour d'horizon des attentes et choix des premiers sujets.",
    "Revue d'un cas concret rencontré cette semaine.",
    "Point d'étape : ce qui marche, ce qui bloque.",
    "Démonstration d'outils et exercices pratiques.",
]
FEEDBACK = [
    (5, "Des échanges riches et concrets, merci !"),
    (4, "Très utile, j'aurais aimé un peu plus de rendez-vous."),
    (5, "J'ai beaucoup appris en expliquant : une belle expérience."),
]


class MentoringDemoBuilder:
    """Mentor offers and mentee requests, one-to-one pairs (some reverse), an open programme
    and a published one with running pairs."""

    def __init__(self, *, seed: int = 42) -> None:
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.counts = {
            "mentors": 0,
            "mentees": 0,
            "pairs": 0,
            "reverse_pairs": 0,
            "programmes": 0,
            "sessions": 0,
        }

    @transaction.atomic
    def build(self) -> dict[str, int]:
        admin = User.objects.filter(email=ADMIN_EMAIL).first()
        people = list(
            User.objects.filter(is_active=True, profile__isnull=False)
            .exclude(email=ADMIN_EMAIL)
            .order_by("pk")
        )
        if admin is None or len(people) < 20:
            return self.counts
        hr = admin  # the demo administrator holds the HR role
        persons = selectors.persons_of({u.pk for u in people})
        declared: dict[int, dict[int, int]] = {}
        for ps in ProfileSkill.objects.filter(user__in=people).only("user_id", "skill_id", "level"):
            declared.setdefault(ps.user_id, {})[ps.skill_id] = ps.level
        digital = list(Skill.objects.filter(slug__in=DIGITAL_SKILLS).order_by("slug"))

        mentors = self._mentors(people, declared, persons)
        reverse_mentors = self._reverse_mentors(people, persons, digital, set(mentors))
        taken = set(mentors) | set(reverse_mentors)
        mentees = self._mentees(people, declared, mentors, taken)
        reverse_mentees = self._reverse_mentees(people, persons, digital, taken | set(mentees))

        # About a third of the mentees (at most 14) look for a mentor one-to-one; the others
        # are in the programmes.
        split = min(14, len(mentees) // 3)
        self._one_to_one(mentees[:split] + reverse_mentees)
        self._programmes(hr, mentors, mentees[split:])
        return self.counts

    # Intents ---------------------------------------------------------------------------------

    def _mentors(self, people, declared, persons) -> dict[int, User]:
        """About one person in ten with advanced skills offers to mentor on some of them."""
        candidates = [u for u in people if any(lvl >= 3 for lvl in declared.get(u.pk, {}).values())]
        chosen = self.rng.sample(candidates, k=min(len(candidates), max(len(people) // 9, 6)))
        mentors: dict[int, User] = {}
        slugs = dict(Skill.objects.values_list("pk", "slug"))
        for user in sorted(chosen, key=lambda u: u.pk):
            strong = sorted(s for s, lvl in declared[user.pk].items() if lvl >= 3)
            offered = self.rng.sample(strong, k=min(len(strong), self.rng.randint(1, 3)))
            try:
                services.offer_save(
                    actor=user,
                    skills=[slugs[s] for s in offered],
                    capacity=self.rng.choice([1, 2, 2, 3, 3, 4]),
                    formats=self.rng.choice([["in_person", "remote"], ["remote"], ["in_person"]]),
                    languages=list(user.profile.languages or ["fr"]),
                    note=self.rng.choice(MENTOR_NOTES),
                )
            except ApplicationError:
                continue
            mentors[user.pk] = user
        self.counts["mentors"] += len(mentors)
        return mentors

    def _reverse_mentors(self, people, persons, digital, taken) -> dict[int, User]:
        """Juniors who master a digital practice offer reverse mentoring to seniors."""
        juniors = [u for u in people if persons[u.pk].seniority <= 1 and u.pk not in taken]
        chosen = sorted(self.rng.sample(juniors, k=min(len(juniors), 8)), key=lambda u: u.pk)
        found: dict[int, User] = {}
        for user in chosen:
            skills = self.rng.sample(digital, k=min(len(digital), 2))
            for skill in skills:
                ProfileSkill.objects.update_or_create(
                    user=user, skill=skill, defaults={"level": self.rng.choice([3, 4])}
                )
            services.offer_save(
                actor=user,
                skills=[s.slug for s in skills],
                capacity=self.rng.choice([1, 2]),
                formats=["in_person", "remote"],
                languages=list(user.profile.languages or ["fr"]),
                reverse=True,
                note="Je partage volontiers mes usages du numérique.",
            )
            found[user.pk] = user
        self.counts["mentors"] += len(found)
        return found

    def _mentees(self, people, declared, mentors, taken) -> list[User]:
        """People who want to grow on a skill some mentor offers."""
        offered = sorted(
            {
                s.pk
                for offer in selectors.offers_base().filter(reverse=False)
                for s in offer.skills.all()
            }
        )
        slugs = dict(Skill.objects.values_list("pk", "slug"))
        pool = [u for u in people if u.pk not in taken]
        chosen = sorted(
            self.rng.sample(pool, k=min(len(pool), max(len(people) // 7, 10))), key=lambda u: u.pk
        )
        mentees = []
        for user in chosen:
            goals = self.rng.sample(offered, k=min(len(offered), self.rng.choice([1, 1, 2])))
            services.request_save(
                actor=user,
                goals=[(slugs[s], min(4, declared.get(user.pk, {}).get(s, 1) + 1)) for s in goals],
                formats=self.rng.choice([[], ["remote"], ["in_person", "remote"]]),
                prefer_other_department=self.rng.random() < 0.7,
                note=self.rng.choice(MENTEE_NOTES),
            )
            mentees.append(user)
        self.counts["mentees"] += len(mentees)
        return mentees

    def _reverse_mentees(self, people, persons, digital, taken) -> list[User]:
        """Managers who want a junior to show them new digital uses."""
        seniors = [u for u in people if persons[u.pk].seniority >= 3 and u.pk not in taken]
        chosen = sorted(self.rng.sample(seniors, k=min(len(seniors), 5)), key=lambda u: u.pk)
        offered = sorted(
            {
                s.slug
                for offer in selectors.offers_base().filter(reverse=True)
                for s in offer.skills.all()
            }
        )
        found = []
        for user in chosen:
            if not offered:
                break
            services.request_save(
                actor=user,
                goals=[(self.rng.choice(offered), 2)],
                reverse=True,
                prefer_other_department=False,
                note=self.rng.choice(REVERSE_NOTES),
            )
            found.append(user)
        self.counts["mentees"] += len(found)
        return found

    # Relationships ---------------------------------------------------------------------------

    def _log(self, mentorship: Mentorship, *, sessions: int) -> None:
        services.mentorship_goals_update(
            actor=mentorship.mentee, mentorship=mentorship, goals=self.rng.choice(PAIR_GOALS)
        )
        for n in range(sessions):
            services.session_log(
                actor=self.rng.choice([mentorship.mentor, mentorship.mentee]),
                mentorship=mentorship,
                held_on=self.today
                - timedelta(days=7 + 14 * (sessions - n) + self.rng.randint(0, 4)),
                duration_minutes=self.rng.choice([30, 45, 60, 60, 90]),
                summary=self.rng.choice(SESSION_SUMMARIES),
            )
        self.counts["sessions"] += sessions

    def _one_to_one(self, mentees: list[User]) -> None:
        """Each asks their best suggestion; most are accepted, a few ended with feedback."""
        for n, mentee in enumerate(mentees):
            suggestions = selectors.suggestions_for(viewer=mentee, limit=1)
            if not suggestions:
                continue
            try:
                mentorship = services.mentorship_request(
                    actor=mentee,
                    mentor_id=suggestions[0].mentor.pk,
                    message=self.rng.choice(MESSAGES),
                )
            except ApplicationError:
                continue
            if n % 7 == 6:
                continue  # waiting for the mentor's answer
            try:
                mentorship = services.mentorship_answer(
                    actor=mentorship.mentor, mentorship=mentorship, accept=n % 11 != 5
                )
            except ApplicationError:
                continue
            if mentorship.status != Mentorship.Status.ACTIVE:
                continue
            self.counts["pairs"] += 1
            self.counts["reverse_pairs"] += int(mentorship.reverse)
            self._log(mentorship, sessions=self.rng.randint(1, 4))
            if n % 5 == 4:
                services.note_add(
                    actor=mentorship.mentee,
                    mentorship=mentorship,
                    body="À retravailler avant le prochain rendez-vous : mes questions ouvertes.",
                )
                mentorship = services.mentorship_end(actor=mentorship.mentee, mentorship=mentorship)
                for author in (mentorship.mentee, mentorship.mentor):
                    rating, comment = self.rng.choice(FEEDBACK)
                    services.feedback_give(
                        actor=author, mentorship=mentorship, rating=rating, comment=comment
                    )

    def _programmes(self, hr: User, mentors: dict[int, User], mentees: list[User]) -> None:
        """A published cohort with running pairs, and an open one waiting for its assignment."""
        mentor_ids = sorted(mentors)
        half = len(mentees) // 2
        published_mentees = [u.pk for u in mentees[:half]]
        open_mentees = [u.pk for u in mentees[half:]]
        active = set(MenteeRequest.objects.filter(active=True).values_list("user_id", flat=True))
        specs = [
            (
                "Promotion printemps 2026 — Data, IA et métiers",
                "Six mois d'accompagnement pour les nouveaux arrivants et les mobilités internes.",
                mentor_ids[: len(mentor_ids) // 2],
                [i for i in published_mentees if i in active],
                True,
            ),
            (
                "Promotion automne 2026",
                "Inscriptions closes : l'équipe RH revoit les binômes proposés avant publication.",
                mentor_ids[len(mentor_ids) // 2 :],
                [i for i in open_mentees if i in active],
                False,
            ),
        ]
        for name, description, mentor_part, mentee_part, publish in specs:
            if not mentor_part or not mentee_part:
                continue
            programme = services.programme_create(
                actor=hr,
                name=name,
                description=description,
                mentor_ids=mentor_part,
                mentee_ids=mentee_part,
            )
            self.counts["programmes"] += 1
            if not publish:
                continue
            services.programme_assign(actor=hr, programme=programme)
            services.programme_publish(actor=hr, programme=programme)
            for mentorship in programme.mentorships.select_related("mentor", "mentee"):
                self.counts["pairs"] += 1
                self._log(mentorship, sessions=self.rng.randint(0, 3))


def build_mentoring_demo(*, seed: int = 42) -> dict[str, Any]:
    """Build the mentoring part of the demo company."""
    return MentoringDemoBuilder(seed=seed).build()
