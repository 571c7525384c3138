"""The demo's social layer: the same for a seed, alive, and faithful to the permissions."""

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from io import StringIO

from django.core.management import call_command

from vivier.accounts.models import User
from vivier.expertise.models import Answer
from vivier.people.demo import DemoBuilder
from vivier.people.models import Skill
from vivier.social.demo import (
    ANSWERS,
    ARTICLE_INTROS,
    ARTICLE_NEXT,
    ARTICLES,
    CLOSERS,
    CLOSERS_EN,
    COMMENTS,
    COMMENTS_EN,
    DETAILS,
    DETAILS_EN,
    DOMAIN_TOOLS,
    PRO_LIFE,
    PRO_LIFE_EN,
    QUESTIONS,
    QUESTIONS_EN,
    REPLIES,
    REPLIES_EN,
    SLOT,
    TOOL_SKILLS,
    UPDATES,
    UPDATES_EN,
    SocialDemoBuilder,
    _mood,
)
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

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
POST_SLOTS = [
    "tool",
    "tool2",
    "skill",
    "project",
    "site",
    "city",
    "m",
    "m2",
    "m_unit",
    "m_title",
    "m_site",
    "unit",
    "title",
    "n",
    "n2",
    "n3",
    "n4",
    "big",
    "big0",
    "pct",
    "pct2",
    "pct3",
    "weekday",
    "time",
    "event",
    "thing",
    "year",
]
COMMENT_SLOTS = ["m", "site", "tool", "weekday"]


def _build(seed: int = 7, posts: int = 200) -> dict[str, int]:
    DemoBuilder(people=40, seed=seed).build()
    return SocialDemoBuilder(seed=seed, posts=posts, now=NOW).build()


def _post_key(post: Post) -> tuple[str, str]:
    return (post.author.email, post.created_at.isoformat())


def _snapshot() -> dict[str, list[tuple]]:
    posts = Post.objects.select_related("author", "community", "shared_from__author")
    comments = Comment.objects.select_related("author", "post__author", "parent")
    reactions = Reaction.objects.select_related("user", "post__author")
    return {
        "communities": sorted(
            (c.slug, c.visibility, c.is_expert_community, c.created_at.isoformat())
            for c in Community.objects.all()
        ),
        "memberships": sorted(
            (m.community.slug, m.user.email, m.role, m.status, m.created_at.isoformat())
            for m in Membership.objects.select_related("community", "user")
        ),
        "posts": sorted(
            (
                *_post_key(p),
                p.community.slug if p.community else "",
                p.kind,
                p.title,
                p.body,
                _post_key(p.shared_from) if p.shared_from else (),
            )
            for p in posts
        ),
        "comments": sorted(
            (
                *_post_key(c.post),
                c.author.email,
                c.body,
                c.parent.body if c.parent else "",
                c.created_at.isoformat(),
            )
            for c in comments
        ),
        "reactions": sorted(
            (*_post_key(r.post), r.user.email, r.kind, r.created_at.isoformat()) for r in reactions
        ),
        "follows": sorted(
            (
                f.follower.email,
                f.user.email if f.user else "",
                f.tag.normalized if f.tag else "",
                f.community.slug if f.community else "",
            )
            for f in Follow.objects.select_related("follower", "user", "tag", "community")
        ),
    }


def _wipe() -> None:
    Community.objects.all().delete()
    Tag.objects.all().delete()
    User.objects.all().delete()


def test_templates_use_known_slots_and_tools():
    post_banks = [
        *UPDATES.values(),
        *UPDATES_EN.values(),
        QUESTIONS,
        QUESTIONS_EN,
        PRO_LIFE,
        PRO_LIFE_EN,
        *DETAILS.values(),
        *DETAILS_EN.values(),
        *CLOSERS.values(),
        *CLOSERS_EN.values(),
        ARTICLE_INTROS,
        ARTICLE_NEXT,
        *[items for stories in ARTICLES.values() for story in stories for items in story.values()],
    ]
    slots = {name: "x" for name in POST_SLOTS}
    for template in [t for bank in post_banks for t in bank]:
        for match in SLOT.finditer(template):
            assert all(name in TOOL_SKILLS for name in match.group(1).split("|")), template
        text = SLOT.sub("x", template).format_map(slots)
        assert "{" not in text and "}" not in text, template
    comment_slots = {name: "x" for name in COMMENT_SLOTS}
    comment_banks = [*COMMENTS.values(), *COMMENTS_EN.values(), *REPLIES.values()]
    comment_banks += [*REPLIES_EN.values(), *ANSWERS.values()]
    for template in [t for bank in comment_banks for t in bank]:
        template.format_map(comment_slots)
    comments = {t for bank in COMMENTS.values() for t in bank}
    assert set(ANSWERS) <= comments
    assert all(name in TOOL_SKILLS for tools in DOMAIN_TOOLS.values() for name in tools)
    # Every post has comments that fit its mood.
    for domain, bank in UPDATES.items():
        for template in [*bank, *QUESTIONS, *PRO_LIFE]:
            assert _mood(template, domain) in COMMENTS, template
    # The confidential project never leaks into templates for open spaces.
    for domain, bank in [*UPDATES.items(), *UPDATES_EN.items()]:
        if domain != "phenix":
            assert not any("Phénix" in t for t in bank), domain


def test_tools_refer_to_real_skills(db):
    DemoBuilder(people=10, seed=1).build()
    slugs = set(Skill.objects.values_list("slug", flat=True))
    assert {s for s in TOOL_SKILLS.values() if s} <= slugs


def test_social_demo_is_deterministic_for_a_seed(db):
    _build()
    first = _snapshot()
    assert len(first["posts"]) == 200
    _wipe()
    _build()
    assert _snapshot() == first


def test_social_demo_is_alive_and_respects_permissions(db):
    counts = _build(seed=11, posts=200)
    posts = Post.objects.all()
    assert counts["posts"] == posts.count() == 200
    assert 12 <= counts["communities"] == Community.objects.count() <= 20
    assert counts["comments"] == Comment.objects.count() > 100
    assert counts["reactions"] == Reaction.objects.count() > 200
    assert counts["follows"] == Follow.objects.count() > 40
    assert posts.filter(shared_from__isnull=False).count() == counts["shares"] >= 3

    # Communities: open, closed and secret ones, experts flagged, each with an owner.
    visibilities = Counter(Community.objects.values_list("visibility", flat=True))
    assert visibilities["open"] > visibilities["closed"] >= 2 and visibilities["secret"] >= 1
    assert Community.objects.filter(is_expert_community=True).count() >= 2
    assert not Community.objects.exclude(
        memberships__role=Membership.Role.OWNER, memberships__status=Membership.Status.ACTIVE
    ).exists()
    assert Membership.objects.filter(status=Membership.Status.PENDING).exists()
    assert all(c.rules and c.description for c in Community.objects.all())

    # Closed and secret content comes only from members and reaches only members.
    for community in Community.objects.exclude(visibility=Community.Visibility.OPEN):
        members = set(
            community.memberships.filter(status=Membership.Status.ACTIVE).values_list(
                "user_id", flat=True
            )
        )
        inside = Post.objects.filter(community=community)
        assert set(inside.values_list("author_id", flat=True)) <= members
        assert (
            set(Comment.objects.filter(post__in=inside).values_list("author_id", flat=True))
            <= members
        )
        assert (
            set(Reaction.objects.filter(post__in=inside).values_list("user_id", flat=True))
            <= members
        )
        assert (
            set(Notification.objects.filter(post__in=inside).values_list("recipient_id", flat=True))
            <= members
        )
        assert not inside.filter(shares__isnull=False).exists()
    assert posts.filter(community__visibility="secret").exists()
    assert not posts.filter(body__contains="Phénix").exclude(community__slug__contains="phenix")

    # Spread over the last twelve months, busier lately.
    stamps = list(posts.values_list("created_at", flat=True))
    assert all(NOW - timedelta(days=366) < at <= NOW for at in stamps)
    month = timedelta(days=365 / 12)
    per_month = Counter(int((NOW - at) / month) for at in stamps)
    assert all(per_month[i] > 0 for i in range(12)), per_month
    assert per_month[0] + per_month[1] > per_month[10] + per_month[11]
    assert all(c.created_at >= c.post.created_at for c in Comment.objects.select_related("post"))

    # Some English, some articles with sections, hashtags linked to the taxonomy.
    english = posts.filter(language="en").count()
    assert 2 <= english <= 40
    articles = posts.filter(kind=Post.Kind.ARTICLE)
    assert articles.count() >= 2
    for article in articles:
        sections = re.findall(r"^## ", article.body, flags=re.MULTILINE)
        assert article.title and 2 <= len(sections) <= 4 and len(article.toc) == len(sections)
        assert re.search(r"^(- |1\. )", article.body, flags=re.MULTILINE)
    used = Tag.objects.filter(posts__isnull=False).distinct()
    linked = used.filter(skill__isnull=False)
    assert linked.count() >= 20 and linked.count() >= 0.7 * used.count()
    free = ["afterwork", "bienvenue", "viedessites", "solidarite", "sport", "nouveauxarrivants"]
    assert used.filter(normalized__in=free, skill__isnull=True).exists()
    assert posts.filter(mentions__isnull=False).exists()

    # A power law of authors: a few write a lot, some never do; 0 to 6 comments a post.
    per_author = sorted(Counter(posts.values_list("author_id", flat=True)).values())[::-1]
    assert sum(per_author[: max(1, len(per_author) // 10)]) >= 0.3 * 200
    assert len(per_author) < User.objects.count()
    assert max(posts.values_list("comment_count", flat=True)) <= 6


def test_command_builds_the_social_layer(db):
    out = StringIO()
    call_command("vivier_demo", "--people", "30", "--posts", "60", "--seed", "5", stdout=out)
    assert "Social layer built" in out.getvalue() and "Demo ready" in out.getvalue()
    assert Post.objects.exclude(kind=Post.Kind.QUESTION).count() == 60
    # A question for every three people, answered by people who declared its skill.
    questions = Post.objects.filter(kind=Post.Kind.QUESTION)
    assert questions.count() == 10
    assert "Questions and answers built" in out.getvalue()
    assert Answer.objects.filter(question__in=questions).exists()
    for answer in Answer.objects.select_related("question"):
        assert answer.created_at > answer.question.created_at
