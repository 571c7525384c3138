"""A person ("me") surrounded by others who comment, mention, endorse, mentor and decide."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from vivier.accounts.models import Role, User
from vivier.accounts.services import api_token_create, user_set_roles
from vivier.audit.services import audit_record
from vivier.core.events import event_record
from vivier.mentoring.models import Feedback, Mentorship, Note
from vivier.mentoring.models import Session as MentoringSession
from vivier.opportunities.models import Application, Opportunity
from vivier.people.models import Profile
from vivier.people.services import endorsement_create, skill_declare
from vivier.programme.models import Domain, Nomination, Review
from vivier.social.models import Notification
from vivier.social.notifications import notify
from vivier.social.services import comment_create, follow, post_create, reaction_set
from vivier.voice.models import Idea, IdeaComment


@dataclass
class World:
    me: User
    others: list[User]
    my_post: object
    my_question: object


def _person(pk: int, email: str, first: str, last: str, **profile) -> User:
    # Ids far from everything else, so that finding one in the export means a leak.
    user = User.objects.create_user(
        email=email, password=PASSWORD, first_name=first, last_name=last, id=pk
    )
    Profile.objects.create(user=user, **profile)
    return user


@pytest.fixture
def world(db, python_skill) -> World:
    me = _person(
        424242,
        "meline.export@example.test",
        "Méline",
        "Exportée",
        title="Architecte données",
        bio="J'aime les données propres.",
        phone="+33 1 23 45 67 89",
    )
    bob = _person(913577, "barnabe.autre@example.test", "Barnabé", "Quiproquo")
    carol = _person(927311, "capucine.tierce@example.test", "Capucine", "Zygomatique")
    hr = _person(936071, "hortense.rh@example.test", "Hortense", "Xanthippe")
    user_set_roles(user=hr, roles=[Role.HR_ADMIN])
    for p in (me, bob, carol):
        p.profile.manager = carol if p is not carol else None
        p.profile.save(update_fields=["manager"])

    # My own content, and others reacting to it.
    my_post = post_create(actor=me, body="Retour d'expérience sur notre lac de données.")
    my_question = post_create(
        actor=me, body="Comment versionner un schéma Avro ?", kind="question", title="Avro ?"
    )
    comment_create(actor=bob, post=my_post, body="Bravo Méline, signé Barnabé Quiproquo")
    comment_create(actor=me, post=my_post, body="Merci pour ce retour !")
    reaction_set(actor=carol, post=my_post, kind="celebrate")
    post_create(actor=bob, body="Merci @meline.export pour l'aide — Barnabé")
    from vivier.expertise.services import answer_create

    answer_create(actor=bob, question=my_question, body="Utilise un registre de schémas. — Barnabé")
    # Follows both ways; endorsements both ways.
    follow(actor=bob, user=me)
    follow(actor=me, user=carol)
    skill_declare(actor=me, person=me, skill_id=python_skill.pk, level=3)
    skill_declare(actor=bob, person=bob, skill_id=python_skill.pk, level=2)
    endorsement_create(actor=bob, person_id=me.pk, skill_id=python_skill.pk)
    endorsement_create(actor=me, person_id=bob.pk, skill_id=python_skill.pk)
    # A notification about someone else's action, with their name in its text.
    notify(recipient=me, type="comment", actor=bob, post=my_post, text="Barnabé Quiproquo a écrit")
    # Mentoring with Bob as mentor: his session summary, his private note, his feedback.
    pair = Mentorship.objects.create(
        mentor=bob, mentee=me, status="active", message="Je voudrais progresser en Python."
    )
    MentoringSession.objects.create(
        mentorship=pair,
        author=bob,
        held_on=date.today(),
        duration_minutes=45,
        summary="Séance avec Méline, notes de Barnabé",
    )
    Note.objects.create(mentorship=pair, author=bob, body="Note privée de Barnabé sur Méline")
    Note.objects.create(mentorship=pair, author=me, body="Ma note privée")
    Feedback.objects.create(mentorship=pair, author=bob, rating=5, comment="Signé Barnabé")
    # An application decided by HR, a nomination by Bob with Carol as manager.
    opportunity = Opportunity.objects.create(
        kind="project",
        title="Plateforme data",
        description="Projet",
        time_share_percent=20,
        start_date=date.today(),
        owner=carol,
        status="open",
    )
    Application.objects.create(
        opportunity=opportunity,
        applicant=me,
        message="Motivée",
        status="accepted",
        decided_by=hr,
        decided_at=timezone.now(),
    )
    domain = Domain.objects.create(name="Data", slug="data")
    domain.committee.add(bob)
    nomination = Nomination.objects.create(
        domain=domain,
        candidate=me,
        nominated_by=bob,
        kind="peer",
        motivation="Très solide",
        state="committee_review",
        manager=carol,
        manager_comment="Avis de Capucine Zygomatique",
    )
    Review.objects.create(nomination=nomination, reviewer=bob, comment="Revue de Barnabé")
    # An idea of mine commented by Carol.
    idea = Idea.objects.create(title="Potager", description="Sur le toit", author=me)
    IdeaComment.objects.create(idea=idea, author=carol, body="Capucine soutient")
    # Tokens, HR looking at my profile, events by others about me.
    api_token_create(user=me, name="laptop")
    audit_record(action="hr.profile_edit.view", actor=hr, target=me)
    event_record(actor=hr, verb="update", obj=me.profile, target_user=me)
    # Old data for the retention tests.
    Notification.objects.filter(recipient=me).update(created_at=timezone.now() - timedelta(days=1))
    return World(me=me, others=[bob, carol, hr], my_post=my_post, my_question=my_question)
