"""The search indexing as it was before issue #12's fast rebuild, kept as a reference.

The equality tests (test_rebuild_equality.py) and benchmarks/search_rebuild.py compare the
current indexing with this one: entries built one model instance at a time, reverse() per
entry, bulk_create, then an UPDATE of the tsvector (PostgreSQL) or an FTS5 insert (SQLite).
Only the code paths are frozen: the markdown patterns, word lists, analysis and URL routes are
the application's, so the comparison is of the code that changed.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from vivier.accounts.models import User
from vivier.core.text import _ENGLISH, _FRENCH, _WORDS
from vivier.expertise import evidence
from vivier.expertise.models import Answer
from vivier.people.models import Profile, ProfileSkill
from vivier.search.analysis import document_stems
from vivier.search.models import SearchEntry
from vivier.search.text import (
    _CONTROL,
    _MD_AUTOLINK,
    _MD_EMPHASIS,
    _MD_FENCE,
    _MD_HEADING,
    _MD_IMAGE,
    _MD_LINK,
    _MD_LIST,
    _MD_QUOTE,
    _MD_REF_DEF,
    _MD_REF_LINK,
    _MD_RULE,
    _SPACES,
    folded_variants,
)
from vivier.social.models import Comment, Community, Post, Tag

Kind = SearchEntry.Kind
TABLE = SearchEntry._meta.db_table


def detect_language(text: str, *, default: str = "fr") -> str:
    """Guess whether `text` is French or English from its common words."""
    words = [w.casefold() for w in _WORDS.findall(text or "")[:400]]
    french = sum(w in _FRENCH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if french == english:
        return default
    return "fr" if french > english else "en"


def clean_text(text: Any) -> str:
    """Plain one-line text: no control characters or lone surrogates, single spaces."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    # Lone surrogates cannot be encoded for the database driver.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("", text).strip()


def strip_markdown(text: Any) -> str:
    """The words of a markdown text without its syntax, on one line."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    for pattern, replacement in (
        (_MD_FENCE, ""),
        (_MD_IMAGE, r"\1"),
        (_MD_LINK, r"\1"),
        (_MD_REF_LINK, r"\1"),
        (_MD_REF_DEF, ""),
        (_MD_AUTOLINK, r"\1"),
        (_MD_HEADING, ""),
        (_MD_QUOTE, ""),
        (_MD_LIST, ""),
        (_MD_RULE, ""),
        (_MD_EMPHASIS, " "),
    ):
        text = pattern.sub(replacement, text)
    return clean_text(text)


# The full-text writes of the time: an UPDATE of the saved rows' tsvector, 500 ids at a time;
# on SQLite, FTS5 rows deleted then inserted.
WRITE_BATCH = 500
_PG_CONFIG = (
    f"(CASE WHEN {TABLE}.language = 'en' THEN 'vivier_english'::regconfig "
    "ELSE 'vivier_french'::regconfig END)"
)
_PG_DOCUMENT = f"""
    setweight(to_tsvector({_PG_CONFIG}, translate({TABLE}.title, '<>&', '   ')), 'A')
    || setweight(to_tsvector({_PG_CONFIG}, translate({TABLE}.body, '<>&', '   ')), 'B')
    || setweight(to_tsvector('vivier_simple', translate({TABLE}.title, '<>&', '   ')), 'A')
    || setweight(to_tsvector('vivier_simple', translate({TABLE}.body, '<>&', '   ')), 'D')
"""


def _fts_delete(ids: Sequence[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(ids), WRITE_BATCH):
            batch = list(ids[start : start + WRITE_BATCH])
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", batch)


def _write(entries: Sequence[SearchEntry]) -> None:
    """(Re)compute the full-text data of saved entries."""
    if connection.vendor == "postgresql":
        ids = [e.pk for e in entries]
        with connection.cursor() as cursor:
            for start in range(0, len(ids), WRITE_BATCH):
                cursor.execute(
                    f"UPDATE {TABLE} SET document = {_PG_DOCUMENT} WHERE id = ANY(%s)",
                    [ids[start : start + WRITE_BATCH]],
                )
        return
    _fts_delete([e.pk for e in entries])
    rows = [
        (
            e.pk,
            e.title,
            e.body,
            folded_variants(f"{e.title} {e.body}"),
            document_stems(e.title, e.language),
            document_stems(e.body, e.language),
        )
        for e in entries
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, body, alt, title_stems, body_stems) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


class _Backend:
    """The old backend's writes and its tidying after a rebuild."""

    write = staticmethod(_write)

    def delete(self, ids: Sequence[int]) -> None:
        if connection.vendor == "sqlite":
            _fts_delete(ids)

    def delete_all(self) -> None:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_fts")

    def after_rebuild(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT gin_clean_pending_list('search_entry_document'::regclass)")
                cursor.execute(f"ANALYZE {TABLE}")
            else:
                cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")


def backend() -> _Backend:
    return _Backend()


_FIELDS = (
    "title",
    "body",
    "language",
    "community_id",
    "visibility",
    "author_id",
    "url",
    "evidence",
)
_IN_POST = (Kind.POST, Kind.ANSWER, Kind.COMMENT)
REBUILD_BATCH = 1000
TITLE_MAX = SearchEntry._meta.get_field("title").max_length
URL_MAX = SearchEntry._meta.get_field("url").max_length


def _url(name: str, *args: Any) -> str:
    """The page of an object, or "" while its app's URLs are not mounted (the rebuild fixes it)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _language(value: str, text: str, *, default: str = "fr") -> str:
    """`value` if it is a language the index knows, else the one `text` is written in."""
    if value in SearchEntry.Language.values:
        return value
    return detect_language(text, default=default if default in ("fr", "en") else "fr")


def _join(*parts: str) -> str:
    """The non-empty parts, cleaned, on one line."""
    return " · ".join(p for p in (clean_text(p) for p in parts) if p)


def _visibility(community: Community | None) -> str:
    """Who may read what is posted in `community` (or outside any)."""
    return community.visibility if community else SearchEntry.Visibility.PUBLIC


def _topics(tag_names: Iterable[str], body: str = "") -> str:
    """A post's tags missing from its text as hashtags (a question's tags are chosen apart)."""
    written = body.lower()
    return " ".join(f"#{name}" for name in tag_names if f"#{name.lower()}" not in written)


def _post_entry(post: Post, community: Community | None, tag_names: Iterable[str]) -> SearchEntry:
    """The (unsaved) entry of a post."""
    title = clean_text(post.title)
    text = strip_markdown(post.body)
    body = _join(text, _topics(tag_names, text))
    return SearchEntry(
        kind=Kind.POST,
        object_id=post.pk,
        title=title,
        body=body,
        language=_language(post.language, f"{title} {body}"),
        community_id=post.community_id,
        visibility=_visibility(community),
        author_id=post.author_id,
        created_at=post.created_at,
        url=_post_url(post),
        evidence=evidence.post_evidence(post.kind),
    )


def _post_url(post: Post) -> str:
    """A post's page: a question has its own, with its answers."""
    if post.kind == Post.Kind.QUESTION:
        return _url("expertise:question", post.pk)
    return _url("social:post", post.pk)


def _answer_entry(
    answer: Answer, question: Post, community: Community | None, tag_names: Iterable[str]
) -> SearchEntry:
    """The (unsaved) entry of an answer: titled by its question, which says what it is about."""
    title = clean_text(question.title)
    text = strip_markdown(answer.body)
    body = _join(text, _topics(tag_names, text))
    return SearchEntry(
        kind=Kind.ANSWER,
        object_id=answer.pk,
        title=title,
        body=body,
        language=_language(answer.language, f"{title} {body}"),
        community_id=question.community_id,
        visibility=_visibility(community),
        author_id=answer.author_id,
        created_at=answer.created_at,
        url=_url("expertise:question", question.pk) + f"#answer-{answer.pk}",
        evidence=evidence.answer_evidence(
            accepted=answer.accepted_at is not None, score=answer.score
        ),
    )


def _comment_entry(comment: Comment, post: Post, community: Community | None) -> SearchEntry:
    """The (unsaved) entry of a comment, titled by its post."""
    title = clean_text(post.title)
    body = strip_markdown(comment.body)
    return SearchEntry(
        kind=Kind.COMMENT,
        object_id=comment.pk,
        title=title,
        body=body,
        language=_language("", f"{title} {body}"),
        community_id=post.community_id,
        visibility=_visibility(community),
        author_id=comment.author_id,
        created_at=comment.created_at,
        url=_post_url(post) + f"#comment-{comment.pk}",
        evidence=evidence.COMMENT,
    )


def _community_entry(community: Community) -> SearchEntry:
    """The (unsaved) entry of a community."""
    body = strip_markdown(community.description)
    return SearchEntry(
        kind=Kind.COMMUNITY,
        object_id=community.pk,
        title=clean_text(community.name),
        body=body,
        language=_language("", f"{community.name} {body}"),
        # Its own id, so that a community entry and its posts' entries read alike.
        community_id=community.pk,
        visibility=community.visibility,
        author_id=community.created_by_id,
        created_at=community.created_at,
        url=_url("social:community", community.slug),
    )


def _person_entry(
    user: User, profile: Profile | None, skills: Iterable[ProfileSkill]
) -> SearchEntry:
    """The (unsaved) entry of a person: name as title; job, unit, skills and bio as body."""
    labels: dict[str, None] = {}
    for declared in skills:
        labels.setdefault(declared.skill.label_fr, None)
        labels.setdefault(declared.skill.label_en, None)
    body = _join(
        profile.title if profile else "",
        profile.org_unit.name if profile and profile.org_unit else "",
        ", ".join(label for label in labels if label),
        strip_markdown(profile.bio) if profile else "",
    )
    return SearchEntry(
        kind=Kind.PERSON,
        object_id=user.pk,
        title=clean_text(user.get_full_name()),
        body=body,
        language=_language("", body, default=user.language),
        author_id=user.pk,
        created_at=user.date_joined,
        url=_url("people:profile", user.pk),
    )


def _tag_entry(tag: Tag) -> SearchEntry:
    """The (unsaved) entry of a hashtag: the skill's names as body, when it has one."""
    skill = tag.skill
    body = _join(skill.label_fr, skill.label_en) if skill else ""
    return SearchEntry(
        kind=Kind.TAG,
        object_id=tag.pk,
        title=clean_text(f"#{tag.name}"),
        body=body,
        language=_language("", body),
        created_at=timezone.now(),
        url=_url("social:tag", tag.normalized),
    )


def _fit(entry: SearchEntry) -> SearchEntry:
    """The entry with its title and URL cut to their columns (a name can be 301 characters)."""
    entry.title, entry.url = entry.title[:TITLE_MAX], entry.url[:URL_MAX]
    return entry


def _save(entry: SearchEntry) -> SearchEntry:
    """Insert or update the entry of its object, then its full-text data."""
    entry = _fit(entry)
    values = {field: getattr(entry, field) for field in _FIELDS}
    if entry.kind != Kind.TAG:
        values["created_at"] = entry.created_at
    saved, _created = SearchEntry.objects.update_or_create(
        kind=entry.kind,
        object_id=entry.object_id,
        defaults=values,
        create_defaults={**values, "created_at": entry.created_at},
    )
    backend().write([saved])
    return saved


def _remove(entries: QuerySet[SearchEntry]) -> None:
    """Delete entries and their full-text data."""
    ids = list(entries.values_list("pk", flat=True))
    if ids:
        SearchEntry.objects.filter(pk__in=ids).delete()
        backend().delete(ids)


def _tag_names(post: Post) -> list[str]:
    """The names of a post's tags."""
    return [tag.name for tag in post.tags.all()]


@transaction.atomic
def index_post(post: Post) -> None:
    """Index a post (its tags are indexed when created); a deleted post leaves the index."""
    if post.deleted_at is not None:
        remove_post(post)
        return
    community = post.community if post.community_id else None
    tag_names = _tag_names(post)
    _save(_post_entry(post, community, tag_names))
    if post.kind == Post.Kind.QUESTION:
        # Answers are titled by their question and carry its tags: keep them in step.
        for answer in Answer.objects.filter(question=post, deleted_at__isnull=True):
            _save(_answer_entry(answer, post, community, tag_names))


@transaction.atomic
def remove_post(post: Post) -> None:
    """Take a post, its answers and its comments out of the index."""
    answers = Answer.objects.filter(question_id=post.pk).values("pk")
    comments = Comment.objects.filter(post_id=post.pk).values("pk")
    _remove(
        SearchEntry.objects.filter(kind=Kind.POST, object_id=post.pk)
        | SearchEntry.objects.filter(kind=Kind.ANSWER, object_id__in=answers)
        | SearchEntry.objects.filter(kind=Kind.COMMENT, object_id__in=comments)
    )


@transaction.atomic
def index_answer(answer: Answer) -> None:
    """Index an answer (with its acceptance and votes); a deleted one leaves the index."""
    question = answer.question
    if answer.deleted_at is not None or question.deleted_at is not None:
        _remove(SearchEntry.objects.filter(kind=Kind.ANSWER, object_id=answer.pk))
        return
    community = question.community if question.community_id else None
    _save(_answer_entry(answer, question, community, _tag_names(question)))


@transaction.atomic
def index_comment(comment: Comment) -> None:
    """Index a comment; a deleted one, or one on a deleted post, leaves the index."""
    post = comment.post
    if comment.deleted_at is not None or post.deleted_at is not None:
        _remove(SearchEntry.objects.filter(kind=Kind.COMMENT, object_id=comment.pk))
        return
    community = post.community if post.community_id else None
    _save(_comment_entry(comment, post, community))


@transaction.atomic
def index_community(community: Community) -> None:
    """Index a community, and carry its visibility to its posts' entries (and theirs)."""
    _save(_community_entry(community))
    SearchEntry.objects.filter(kind__in=_IN_POST, community_id=community.pk).exclude(
        visibility=community.visibility
    ).update(visibility=community.visibility)


@transaction.atomic
def remove_community(community: Community) -> None:
    """Take a community and its posts out of the index."""
    _remove(
        SearchEntry.objects.filter(kind=Kind.COMMUNITY, object_id=community.pk)
        | SearchEntry.objects.filter(kind__in=_IN_POST, community_id=community.pk)
    )


def _person_skills(user: User) -> list[ProfileSkill]:
    """The person's declared skills, with the skills' names."""
    return list(ProfileSkill.objects.filter(user=user).select_related("skill"))


@transaction.atomic
def index_person(user: User) -> None:
    """Index a person (name, job title, org unit, skills, bio); an inactive one leaves the index."""
    if not user.is_active:
        _remove(SearchEntry.objects.filter(kind=Kind.PERSON, object_id=user.pk))
        return
    profile = Profile.objects.select_related("org_unit").filter(user=user).first()
    _save(_person_entry(user, profile, _person_skills(user)))


@transaction.atomic
def index_tag(tag: Tag) -> None:
    """Index a hashtag, with the names of the skill it stands for."""
    _save(_tag_entry(tag))


def _batches(entries: Iterable[SearchEntry]) -> Iterator[list[SearchEntry]]:
    """The entries in lists of REBUILD_BATCH."""
    batch: list[SearchEntry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= REBUILD_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _all_tag_names() -> dict[int, list[str]]:
    """The tag names of every post that has tags, by post id."""
    names: dict[int, list[str]] = {}
    rows = Post.tags.through.objects.values_list("post_id", "tag__name").order_by("post_id", "id")
    for post_id, name in rows.iterator(chunk_size=5000):
        names.setdefault(post_id, []).append(name)
    return names


def _all_entries() -> Iterator[SearchEntry]:
    """An entry for every active person, community, remaining post, answer, comment and tag."""
    people = User.objects.filter(is_active=True).select_related("profile__org_unit")
    people = people.prefetch_related(
        Prefetch("declared_skills", queryset=ProfileSkill.objects.select_related("skill"))
    )
    for user in people.iterator(chunk_size=REBUILD_BATCH):
        profile = getattr(user, "profile", None)
        yield _person_entry(user, profile, user.declared_skills.all())
    communities = {c.pk: c for c in Community.objects.all()}
    yield from (_community_entry(c) for c in communities.values())
    tag_names = _all_tag_names()
    posts = Post.objects.filter(deleted_at__isnull=True).order_by("pk")
    for post in posts.iterator(chunk_size=REBUILD_BATCH):
        yield _post_entry(post, communities.get(post.community_id), tag_names.get(post.pk, []))
    answers = Answer.objects.filter(deleted_at__isnull=True, question__deleted_at__isnull=True)
    answers = answers.select_related("question").order_by("pk")
    for answer in answers.iterator(chunk_size=REBUILD_BATCH):
        question = answer.question
        yield _answer_entry(
            answer,
            question,
            communities.get(question.community_id),
            tag_names.get(question.pk, []),
        )
    comments = Comment.objects.filter(deleted_at__isnull=True, post__deleted_at__isnull=True)
    for comment in comments.select_related("post").order_by("pk").iterator(REBUILD_BATCH):
        yield _comment_entry(comment, comment.post, communities.get(comment.post.community_id))
    for tag in Tag.objects.select_related("skill").iterator(chunk_size=REBUILD_BATCH):
        yield _tag_entry(tag)


@transaction.atomic
def search_rebuild() -> dict[str, int]:
    """Rebuild the whole index from the data; return how many entries of each kind it holds."""
    engine = backend()
    SearchEntry.objects.all().delete()
    engine.delete_all()
    counts = dict.fromkeys(Kind.values, 0)
    for batch in _batches(_fit(entry) for entry in _all_entries()):
        created = SearchEntry.objects.bulk_create(batch)
        engine.write(created)
        for entry in created:
            counts[entry.kind] += 1
    engine.after_rebuild()
    return counts


def _write_entries(entries: Iterable[SearchEntry]) -> None:
    """Insert new entries and their full-text data, a batch at a time."""
    engine = backend()
    for batch in _batches(_fit(entry) for entry in entries):
        engine.write(SearchEntry.objects.bulk_create(batch))


@transaction.atomic
def index_imported(
    *,
    people: QuerySet[User],
    posts: QuerySet[Post],
    answers: QuerySet[Answer],
    comments: QuerySet[Comment],
) -> None:
    """Index what a bulk import created, in batches: new posts, answers and comments, people."""
    _remove(SearchEntry.objects.filter(kind=Kind.PERSON, object_id__in=people.values("pk")))
    people = people.filter(is_active=True).select_related("profile__org_unit")
    people = people.prefetch_related(
        Prefetch("declared_skills", queryset=ProfileSkill.objects.select_related("skill"))
    )
    communities = {c.pk: c for c in Community.objects.all()}
    posts = posts.prefetch_related("tags")
    answers = answers.select_related("question").prefetch_related("question__tags")
    comments = comments.select_related("post")

    def entries() -> Iterator[SearchEntry]:
        for user in people:
            yield _person_entry(user, getattr(user, "profile", None), user.declared_skills.all())
        for post in posts:
            yield _post_entry(post, communities.get(post.community_id), _tag_names(post))
        for answer in answers:
            question = answer.question
            community = communities.get(question.community_id)
            yield _answer_entry(answer, question, community, _tag_names(question))
        for comment in comments:
            post = comment.post
            yield _comment_entry(comment, post, communities.get(post.community_id))

    _write_entries(entries())
