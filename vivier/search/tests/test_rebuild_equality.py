"""The fast indexing writes the index the old code wrote, field for field and tsvector for tsvector.

A varied company (people with skills, posts of each kind with markdown, French and English,
questions with answers, comments, deleted ones, communities of each visibility, tags linked to
skills) is indexed by the old code (reference.py) and by the current one, through the rebuild,
the bulk import path and the one-entry path; every entry's fields but id and indexed_at (and a
tag's created_at, the time it was indexed) and its full-text data must be the same.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vivier.accounts.models import User
from vivier.expertise import services as expertise
from vivier.expertise.models import Answer
from vivier.people.services import skill_declare
from vivier.search import services
from vivier.search.backends import backend
from vivier.search.models import SearchEntry
from vivier.search.tests import reference
from vivier.social import services as social
from vivier.social.models import Comment, Community, Post, Tag

pytestmark = pytest.mark.django_db

FRENCH_MARKDOWN = """# Retour d'expérience : sécurité

Nous avons **migré** vers _Kubernetes_ cet été, avec l'équipe réseau. Voir [la doc](https://wiki.example/k8s)
et ![le schéma](schema.png) pour les détails.

- premier point
* deuxième point
+ troisième point
1. étape une
2) étape deux

> Une citation
> > imbriquée

```python
print("bonjour")
```

~~~
bloc tilde
~~~

---
***

Lien <https://exemple.fr/a?b=c&d=e> et [référence][1], écrit en snake_case et __gras__.

[1]: https://exemple.fr "titre"

| colonne | autre |
~~barré~~ `code` #python #Sécurité"""

ENGLISH_MARKDOWN = """## How we test the pipeline

The *team* is testing the **new** pipeline with the tools that we have, and it works.
* item one
+ item two
Use `pytest` and <mailto:team@example.com>; see [docs][ref] or [this](http://x.test/(a)).
3.5 is not a list, and neither is a_b_c. &amp; <b>bold</b> & <i>more</i>"""

ODD_TEXTS = [
    "  espaces   multiples\tet\ttabulations\net lignes  ",
    "contrôle\x01 et\x1f caractères\x7f \x85invisibles",
    "prix\u00a010\u202f€ et\u2028séparateurs\u3000larges",
    "zéro\u200blargeur et emoji 🚀 lancement",
    "Привет коллеги, main-d'œuvre, Straße, ÆSIR",
    "",
    "#kubernetes #Python",
    "1. premier point\n2) second point\n3. troisième",
]


def _md(n: int) -> str:
    """A markdown text, French or English by `n`."""
    return FRENCH_MARKDOWN if n % 2 == 0 else ENGLISH_MARKDOWN


@pytest.fixture
def company(make_person, make_skill, make_unit):
    """A varied company, made through the services (and the ORM for what they refuse)."""
    python = make_skill("python", "Python", aliases=["py"])
    security = make_skill("security", "Sécurité", "Security")
    data = make_skill("data-viz", "Visualisation de données", "Data visualisation")
    unit = make_unit("DSI", "Direction des systèmes d'information")
    sub = make_unit("DSI-SEC", "Équipe sécurité", parent=unit)

    people = [
        make_person(
            first_name="Élodie",
            last_name="Durand",
            title="Développeuse Python",
            org_unit=unit,
            bio=FRENCH_MARKDOWN,
        ),
        make_person(
            first_name="John",
            last_name="Smith",
            language="en",
            title="Security engineer",
            org_unit=sub,
            bio=ENGLISH_MARKDOWN,
        ),
        make_person(first_name="A" * 150, last_name="B" * 150, title="Nom très long"),
        make_person(first_name="", last_name="", email="sans.nom@example.test"),
        make_person(first_name="Zoé", last_name="Ancien", title="Partie"),
    ]
    for n, text in enumerate(ODD_TEXTS):
        people.append(make_person(first_name=f"Odd{n}", title=text[:150], bio=text))
    declared = [[python, security, data], [security, python], [data]]
    for person, skills in zip(people, declared, strict=False):
        for skill in skills:
            skill_declare(actor=person, person=person, skill_id=skill.pk, level=3)
    # No profile at all, and an inactive person: the index skips the latter.
    User.objects.create_user(email="noprofile@example.test", first_name="Sans", last_name="Profil")
    User.objects.filter(pk=people[4].pk).update(is_active=False)
    author, other = people[0], people[1]

    communities = []
    for n, visibility in enumerate(("open", "closed", "secret")):
        community = social.community_create(
            actor=author,
            name=f"Communauté {visibility} {n}",
            visibility=visibility,
            description=_md(n) if n else "",
        )
        communities.append(community)
    communities.append(social.community_create(actor=other, name="Data & <Viz>", visibility="open"))
    for community in communities:
        owner = other if community.created_by_id == other.pk else author
        for member in (author, other, people[2]):
            if member != owner:
                social.membership_add(actor=owner, community=community, user=member)

    # Tags created out of alphabetical order, some linked to skills.
    tags = [social.tag_get_or_create(name=name) for name in ("zeta", "Python", "alpha", "data-viz")]

    posts = []
    for n in range(12):
        community = communities[n % len(communities)] if n % 3 else None
        kind = ("update", "article")[n % 2]
        title = f"Article {n} : la sécurité" if kind == "article" else ""
        posts.append(
            social.post_create(
                actor=author if n % 4 else other,
                body=_md(n) + f" #{tags[n % 4].name}",
                title=title,
                kind=kind,
                community=community,
            )
        )
    for n, text in enumerate(ODD_TEXTS):
        post = Post.objects.create(
            author=other,
            kind="update",
            title="T" * 200 if n == 0 else text[:200],
            body=text,
            language=("", "de", "en", "fr")[n % 4],
        )
        post.tags.add(tags[0])
        post.tags.add(tags[2])
        posts.append(post)

    questions = []
    for n in range(4):
        questions.append(
            expertise.question_ask(
                actor=other if n % 2 else author,
                title=f"Comment sécuriser un cluster {n} ?" if n % 2 else f"How to plot {n}?",
                body=_md(n),
                tags=["zeta", "alpha", "python"][: n + 1],
                community=communities[n % 2] if n < 2 else None,
                route=False,
            )
        )
    answers = []
    for n, question in enumerate(questions):
        for m in range(3):
            answers.append(
                expertise.answer_create(
                    actor=people[m], question=question, body=f"{_md(n + m)} réponse {m}"
                )
            )
    expertise.answer_accept(actor=questions[0].author, answer=answers[1])
    Answer.objects.filter(pk=answers[2].pk).update(score=7, language="")
    Answer.objects.filter(pk=answers[4].pk).update(score=-3)
    Answer.objects.filter(pk=answers[5].pk).update(deleted_at=timezone.now())

    comments = []
    for n, post in enumerate([*posts[:6], *questions]):
        comment = social.comment_create(actor=people[n % 3], post=post, body=_md(n))
        comments.append(comment)
        comments.append(
            social.comment_create(
                actor=author, post=post, body=ODD_TEXTS[n % len(ODD_TEXTS)] or "ok", parent=comment
            )
        )
    Comment.objects.filter(pk=comments[1].pk).update(deleted_at=timezone.now())

    # Deleted: a post with comments, a question with answers.
    social.post_delete(actor=posts[2].author, post=posts[2])
    Post.objects.filter(pk=questions[3].pk).update(deleted_at=timezone.now())
    Post.objects.filter(pk=posts[5].pk).update(created_at=timezone.now() - timedelta(days=400))
    return {
        "people": people,
        "communities": communities,
        "tags": tags,
        "posts": posts,
        "questions": questions,
        "answers": answers,
        "comments": comments,
    }


def snapshot() -> tuple[dict[tuple[str, int], tuple], list[tuple[str, int]]]:
    """Every entry's fields and full-text data by (kind, object id), and the entries by id."""
    if connection.vendor == "postgresql":
        full_text, join = "e.document::text", ""
    else:
        full_text = "f.title, f.body, f.alt, f.title_stems, f.body_stems"
        join = "LEFT JOIN search_fts f ON f.rowid = e.id"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.kind, e.object_id, e.title, e.body, e.language, e.community_id, "
            "e.visibility, e.author_id, e.created_at, e.url, e.evidence, "
            f"{full_text} FROM search_searchentry e {join} ORDER BY e.id"
        )
        rows = cursor.fetchall()
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM search_fts")
            assert cursor.fetchone()[0] == len(rows)  # no full-text row without its entry
    entries = {}
    for row in rows:
        # A tag's created_at is when it was first indexed.
        entries[row[0], row[1]] = (*row[:8], None if row[0] == "tag" else row[8], *row[9:])
    return entries, [(row[0], row[1]) for row in rows]


def clear() -> None:
    """An empty index."""
    SearchEntry.objects.all().delete()
    backend().delete_all()


def assert_same(old: dict, new: dict) -> None:
    """The same entries, with the first difference spelled out."""
    assert set(old) == set(new)
    for key in old:
        assert old[key] == new[key], key


@pytest.mark.parametrize("batches", ["default", "small", "small, one thread"])
def test_rebuild_writes_the_index_the_old_code_wrote(company, monkeypatch, batches):
    if batches != "default":
        # Many batches of each kind, and the worker thread's hand-overs between them. People
        # come in the old code's batches: the order of a person's skills is the database's
        # (no ORDER BY), which may change with the batch's list of ids.
        monkeypatch.setattr(services, "REBUILD_BATCH", 4)
        monkeypatch.setattr(services, "PEOPLE_BATCH", 3)
        monkeypatch.setattr(reference, "REBUILD_BATCH", 3)
    if batches.endswith("one thread"):
        built = services._built
        monkeypatch.setattr(services, "_built", lambda jobs, threaded: built(jobs, threaded=False))
    old_counts = reference.search_rebuild()
    old, old_order = snapshot()

    new_counts = services.search_rebuild()
    new, new_order = snapshot()

    assert new_counts == old_counts
    assert sum(new_counts.values()) == len(new) > 60
    assert_same(old, new)
    # Entries are numbered in the same order, as ranking ties fall back to ids.
    assert new_order == old_order
    kinds = {kind for kind, _ in new}
    assert kinds == {"person", "post", "community", "tag", "answer", "comment"}
    # The data set reaches the cases it is made for.
    people = company["people"]
    assert ("person", people[4].pk) not in new  # inactive
    assert ("post", company["posts"][2].pk) not in new  # deleted
    assert ("answer", company["answers"][5].pk) not in new  # deleted
    assert ("answer", company["answers"][9].pk) not in new  # its question is deleted
    assert ("comment", company["comments"][1].pk) not in new  # deleted
    assert len(new["person", people[2].pk][2]) == services.TITLE_MAX  # cut to the column
    assert {new["community", c.pk][6] for c in company["communities"]} == {
        "open",
        "closed",
        "secret",
    }
    assert {entry[4] for entry in new.values()} == {"fr", "en"}


def test_rebuild_twice_gives_the_same_index(company):
    services.search_rebuild()
    first, _ = snapshot()
    services.search_rebuild()
    assert snapshot()[0] == first


def test_imported_entries_are_what_the_old_code_wrote(company, monkeypatch):
    monkeypatch.setattr(services, "REBUILD_BATCH", 5)
    people = User.objects.filter(pk__in=[p.pk for p in company["people"]])
    posts = Post.objects.filter(pk__in=[p.pk for p in [*company["posts"], *company["questions"]]])
    answers = Answer.objects.filter(pk__in=[a.pk for a in company["answers"]])
    comments = Comment.objects.filter(pk__in=[c.pk for c in company["comments"]])
    querysets = {"people": people, "posts": posts, "answers": answers, "comments": comments}
    clear()
    reference.index_imported(**querysets)
    old, _ = snapshot()
    clear()
    services.index_imported(**querysets)
    new, _ = snapshot()
    assert len(new) > 60
    # Not the order of ids: these querysets have none (Post has no default ordering).
    assert_same(old, new)


def _index_each(module) -> None:
    """Index every object one at a time with the index_* functions of `module`."""
    for user in User.objects.order_by("pk"):
        module.index_person(user)
    for community in Community.objects.order_by("pk"):
        module.index_community(community)
    for tag in Tag.objects.order_by("pk"):
        module.index_tag(tag)
    for post in Post.objects.order_by("pk"):
        module.index_post(post)
    for answer in Answer.objects.order_by("pk"):
        module.index_answer(answer)
    for comment in Comment.objects.order_by("pk"):
        module.index_comment(comment)


def test_one_entry_indexing_writes_what_the_old_code_wrote(company):
    clear()
    _index_each(reference)
    old, _ = snapshot()
    clear()
    _index_each(services)
    new, _ = snapshot()
    assert len(new) > 60
    assert_same(old, new)
    # Then updates in place, as the services make them.
    question = company["questions"][0]
    Post.objects.filter(pk=question.pk).update(title="Un autre titre")
    question.refresh_from_db()
    reference.index_post(question)
    old, _ = snapshot()
    services.index_post(question)
    assert snapshot()[0] == old


@pytest.mark.parametrize("pk", [1, 9, 10, 99, 12345, 9_876_543_210, 2**62])
def test_id_urls_are_the_reversed_urls(pk):
    urls = services._id_urls()
    assert urls.exact
    for name in ("people:profile", "social:post", "expertise:question"):
        assert urls(name, pk) == services._url(name, pk) != ""


def test_id_urls_of_a_route_not_mounted_are_empty():
    urls = services._IdUrls("nowhere:page")
    assert urls.exact
    assert urls("nowhere:page", 5) == services._url("nowhere:page", 5) == ""


def test_id_urls_fall_back_to_reverse_when_the_mark_shows_up_twice(monkeypatch):
    mark = str(services._ID_MARK)
    monkeypatch.setattr(
        services, "reverse", lambda name, args: f"/{mark}/x/{args[0]}/" if args else "/"
    )
    urls = services._IdUrls("social:post")
    assert not urls.exact
    assert urls("social:post", 7) == f"/{mark}/x/7/"


def test_rebuild_queries_do_not_grow_with_the_posts(company, alice):
    services.search_rebuild()
    with CaptureQueriesContext(connection) as before:
        services.search_rebuild()
    for n in range(30):
        social.post_create(actor=alice, body=f"Encore un message {n} #python")
    with CaptureQueriesContext(connection) as after:
        services.search_rebuild()
    assert len(after) == len(before)
