"""manage.py vivier_scale on a small company: every table filled, derived data consistent, and
the app's pages working on what it generated."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.test import Client

from vivier.accounts.models import Role, User
from vivier.core.models import ActivityEvent
from vivier.expertise.models import Answer, AnswerCount, ExpertLabel
from vivier.opportunities.models import Opportunity
from vivier.people.models import OrgUnit, Profile, ProfileSkill
from vivier.scale.build import read_marker
from vivier.search.models import SearchEntry
from vivier.social.models import Comment, Community, Post, Reaction
from vivier.voice.models import Answer as VoiceAnswer
from vivier.voice.models import Participation, Submission, Survey, Wave

PEOPLE, POSTS, EVENTS = 90, 600, 4000


@pytest.fixture
def company(transactional_db):
    """A generated company (transactional: the build ends with VACUUM/ANALYZE)."""
    out = StringIO()
    call_command(
        "vivier_scale",
        people=PEOPLE,
        posts=POSTS,
        events=EVENTS,
        opportunities=30,
        seed=7,
        stdout=out,
    )
    return out.getvalue()


def test_every_phase_is_timed_and_recorded(company):
    for phase in ("people, org chart", "social:", "expertise:", "opportunities", "voice:"):
        assert phase in company
    assert "total" in company
    marker = read_marker()
    assert (marker["people"], marker["posts"], marker["events"]) == (PEOPLE, POSTS, EVENTS)
    assert User.objects.filter(email=marker["admin"], groups__name=Role.HR_ADMIN.value).exists()


def test_sizes_and_power_laws(company):
    assert User.objects.count() == PEOPLE == Profile.objects.count()
    assert Post.objects.exclude(kind="question").count() == POSTS
    assert Post.objects.filter(kind="question").count() == POSTS // 20
    assert ActivityEvent.objects.count() == EVENTS
    # A three-level org chart with people in teams, and managers inside each team.
    assert set(OrgUnit.objects.values_list("depth", flat=True)) == {0, 1, 2, 3}
    assert not Profile.objects.exclude(org_unit__depth=3).exists()
    assert Profile.objects.filter(manager__isnull=False).count() >= PEOPLE * 0.8
    # Power law: the top 10% of authors write at least twice their share of the posts.
    per_author = sorted(
        Post.objects.values("author").annotate(n=Count("id")).values_list("n", flat=True),
        reverse=True,
    )
    assert sum(per_author[: max(1, len(per_author) // 10)]) > 0.2 * POSTS  # twice uniform
    assert Comment.objects.exists() and Reaction.objects.exists()
    assert Answer.objects.exists() and ProfileSkill.objects.exists()
    assert Opportunity.objects.filter(status="open").count() == 30
    assert Survey.objects.count() == 2 and Wave.objects.filter(status="closed").count() == 2
    assert Participation.objects.count() == Submission.objects.count() > PEOPLE * 0.5
    assert VoiceAnswer.objects.exists()


def test_derived_data_is_consistent(company):
    # Counters on posts and communities match the rows.
    post = Post.objects.annotate(n=Count("comments")).filter(comment_count__gt=0).first()
    assert post.comment_count == post.n
    assert Post.objects.filter(reaction_count__gt=0).exists()
    community = Community.objects.annotate(
        n=Count("memberships", filter=Q(memberships__status="active"))
    ).first()
    assert community.member_count == community.n
    # Every person, live post, answer and community is in the search index.
    kinds = dict(SearchEntry.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds[SearchEntry.Kind.PERSON] == PEOPLE
    assert kinds[SearchEntry.Kind.ANSWER] == Answer.objects.filter(deleted_at__isnull=True).count()
    # The live-answer counts the expert ranking relies on match the COPY'd answers.
    live = Answer.objects.filter(deleted_at__isnull=True).order_by().values_list("author_id")
    assert dict(AnswerCount.objects.exclude(live=0).values_list("user_id", "live")) == dict(
        live.annotate(n=Count("id"))
    )
    # Label holders carry the badge level the profile shows.
    active = ExpertLabel.objects.filter(revoked_at__isnull=True, expires_at__isnull=True)
    holder = active.values_list("user_id", flat=True).first()
    assert Profile.objects.get(user_id=holder).expert_level != ""
    # Generated sequences go on after the explicit ids: a new post gets a fresh id.
    author = User.objects.first()
    new = Post.objects.create(author=author, body="Nouveau", body_html="<p>Nouveau</p>")
    assert new.pk > Post.objects.exclude(pk=new.pk).order_by("-pk").first().pk


def test_the_app_works_on_generated_data(company):
    admin = User.objects.get(email=read_marker()["admin"])
    person = User.objects.exclude(pk=admin.pk).order_by("pk")[5]
    client = Client()
    client.force_login(person)
    survey = Survey.objects.get(status="closed")
    paths = [
        "/",
        "/people/?q=a",
        f"/people/{admin.pk}/",
        "/experts/?q=python",
        "/search/?q=migration",
        "/opportunities/for-me/",
    ]
    for path in paths:
        assert client.get(path).status_code == 200, path
    client.force_login(admin)
    assert client.get(f"/voice/surveys/{survey.pk}/results/").status_code == 200


def test_refuses_to_empty_a_database_with_people(db, django_user_model):
    django_user_model.objects.create_user(email="keep@example.com", password="x")
    with pytest.raises(CommandError, match="--wipe"):
        call_command("vivier_scale", people=60, posts=200, stdout=StringIO())
    assert User.objects.filter(email="keep@example.com").exists()
