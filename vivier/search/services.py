"""Search index writes: one entry per person, post, community and tag.

Indexing runs in the caller's transaction, so the index never shows what was rolled back.
"""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from functools import partial
from itertools import islice
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from vivier.accounts.models import User
from vivier.core.text import detect_language
from vivier.expertise import evidence
from vivier.expertise.models import Answer
from vivier.people.models import Profile, ProfileSkill
from vivier.search.backends import ENTRY_COLUMNS, backend
from vivier.search.models import SearchEntry
from vivier.search.text import clean_text, strip_markdown
from vivier.social.models import Comment, Community, Post, Tag

Kind = SearchEntry.Kind

# What indexing writes for one object: a row of these columns' values, in this order.
_COLUMNS = ENTRY_COLUMNS
# Entry fields that indexing (re)writes: all but the entry's identity (kind, object) and
# created_at, which for a tag is kept from its first indexing.
_FIELDS = tuple(c for c in ENTRY_COLUMNS if c not in ("kind", "object_id", "created_at"))
# Kinds that live inside a post and share its audience.
_IN_POST = (Kind.POST, Kind.ANSWER, Kind.COMMENT)
# Rows read, built and written at a time by the rebuild and the bulk indexing.
REBUILD_BATCH = 5000
# People are read the ORM way (profile, unit, skills), in the batches the rebuild always used.
PEOPLE_BATCH = 1000
TITLE_MAX = SearchEntry._meta.get_field("title").max_length
URL_MAX = SearchEntry._meta.get_field("url").max_length
# Plain strings, not the enums: a database driver may write an enum member by its name.
_PERSON, _POST, _COMMUNITY, _TAG, _ANSWER, _COMMENT = (
    Kind.PERSON.value,
    Kind.POST.value,
    Kind.COMMUNITY.value,
    Kind.TAG.value,
    Kind.ANSWER.value,
    Kind.COMMENT.value,
)
_PUBLIC = SearchEntry.Visibility.PUBLIC.value
_LANGUAGES = frozenset(SearchEntry.Language.values)
_QUESTION = Post.Kind.QUESTION.value

Row = tuple[Any, ...]


def _url(name: str, *args: Any) -> str:
    """The page of an object, or "" while its app's URLs are not mounted (the rebuild fixes it)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# An id no object has, to find where reverse() puts the id in a route's URL.
_ID_MARK = 9_876_543_210


class _IdUrls:
    """Pages of objects by id: one reverse() per route, then each id put in the mark's place.

    Equal to _url() for routes of one integer, whose converter writes str(id) and takes any
    id: a route that does not take the mark is not mounted, and gives "" as _url() does. The
    indexing tests compare both on the project's routes. Made in the caller's thread (reverse()
    reads its URLconf and script prefix), then usable from any thread when `exact`.
    """

    def __init__(self, *names: str) -> None:
        # name -> (before, after) the id; None when the mark shows up other than once.
        self._parts: dict[str, tuple[str, str] | None] = {}
        self._unmounted: set[str] = set()
        for name in names:
            url = _url(name, _ID_MARK)
            parts = url.split(str(_ID_MARK))
            if not url:
                self._unmounted.add(name)
            self._parts[name] = (parts[0], parts[1]) if len(parts) == 2 else None
        self.exact = all(
            parts is not None or name in self._unmounted for name, parts in self._parts.items()
        )

    def __call__(self, name: str, pk: int) -> str:
        if name in self._unmounted:
            return ""
        parts = self._parts[name]
        if parts is None:
            return _url(name, pk)  # only when not `exact`: this thread's URLconf
        return f"{parts[0]}{pk}{parts[1]}"


def _language(value: str, text: str, *, default: str = "fr") -> str:
    """`value` if it is a language the index knows, else the one `text` is written in."""
    if value in _LANGUAGES:
        return value
    return detect_language(text, default=default if default in ("fr", "en") else "fr")


def _join(*parts: str) -> str:
    """The non-empty parts, cleaned, on one line."""
    return " · ".join(p for p in (clean_text(p) for p in parts) if p)


def _visibility(community: Community | None) -> str:
    """Who may read what is posted in `community` (or outside any)."""
    return community.visibility if community else _PUBLIC


def _topics(tag_names: Iterable[str], body: str = "") -> str:
    """A post's tags missing from its text as hashtags (a question's tags are chosen apart)."""
    written = body.lower()
    return " ".join(f"#{name}" for name in tag_names if f"#{name.lower()}" not in written)


def _post_row(post: Any, visibility: str, tag_names: Iterable[str], url: str) -> Row:
    """The entry row of a post (a Post, or a _PostData)."""
    title = clean_text(post.title)
    text = strip_markdown(post.body)
    body = _join(text, _topics(tag_names, text))
    return (
        _POST,
        post.pk,
        title,
        body,
        _language(post.language, f"{title} {body}"),
        post.community_id,
        visibility,
        post.author_id,
        post.created_at,
        url,
        evidence.post_evidence(post.kind),
    )


def _post_url(post: Post) -> str:
    """A post's page: a question has its own, with its answers."""
    if post.kind == Post.Kind.QUESTION:
        return _url("expertise:question", post.pk)
    return _url("social:post", post.pk)


def _answer_url(question_url: str, answer_pk: int) -> str:
    """An answer's place on its question's page."""
    return f"{question_url}#answer-{answer_pk}"


def _comment_url(post_url: str, comment_pk: int) -> str:
    """A comment's place on its post's page."""
    return f"{post_url}#comment-{comment_pk}"


def _answer_row(
    answer: Any, question: Any, visibility: str, tag_names: Iterable[str], url: str
) -> Row:
    """The entry row of an answer: titled by its question, which says what it is about."""
    title = clean_text(question.title)
    text = strip_markdown(answer.body)
    body = _join(text, _topics(tag_names, text))
    return (
        _ANSWER,
        answer.pk,
        title,
        body,
        _language(answer.language, f"{title} {body}"),
        question.community_id,
        visibility,
        answer.author_id,
        answer.created_at,
        url,
        evidence.answer_evidence(accepted=answer.accepted_at is not None, score=answer.score),
    )


def _comment_row(comment: Any, post: Any, visibility: str, url: str) -> Row:
    """The entry row of a comment, titled by its post."""
    title = clean_text(post.title)
    body = strip_markdown(comment.body)
    return (
        _COMMENT,
        comment.pk,
        title,
        body,
        _language("", f"{title} {body}"),
        post.community_id,
        visibility,
        comment.author_id,
        comment.created_at,
        url,
        evidence.COMMENT,
    )


def _community_row(community: Community) -> Row:
    """The entry row of a community."""
    body = strip_markdown(community.description)
    return (
        _COMMUNITY,
        community.pk,
        clean_text(community.name),
        body,
        _language("", f"{community.name} {body}"),
        # Its own id, so that a community entry and its posts' entries read alike.
        community.pk,
        community.visibility,
        community.created_by_id,
        community.created_at,
        _url("social:community", community.slug),
        0.0,
    )


def _person_row(
    user: User, profile: Profile | None, skills: Iterable[ProfileSkill], url: str
) -> Row:
    """The entry row of a person: name as title; job, unit, skills and bio as body."""
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
    return (
        _PERSON,
        user.pk,
        clean_text(user.get_full_name()),
        body,
        _language("", body, default=user.language),
        None,
        _PUBLIC,
        user.pk,
        user.date_joined,
        url,
        0.0,
    )


def _tag_row(tag: Tag) -> Row:
    """The entry row of a hashtag: the skill's names as body, when it has one."""
    skill = tag.skill
    body = _join(skill.label_fr, skill.label_en) if skill else ""
    return (
        _TAG,
        tag.pk,
        clean_text(f"#{tag.name}"),
        body,
        _language("", body),
        None,
        _PUBLIC,
        None,
        timezone.now(),
        _url("social:tag", tag.normalized),
        0.0,
    )


def _fit(row: Row) -> Row:
    """The row with its title and URL cut to their columns (a name can be 301 characters)."""
    if len(row[2]) <= TITLE_MAX and len(row[9]) <= URL_MAX:
        return row
    return (*row[:2], row[2][:TITLE_MAX], *row[3:9], row[9][:URL_MAX], *row[10:])


def _save(row: Row) -> SearchEntry:
    """Insert or update the entry of its object, then its full-text data."""
    entry = SearchEntry(**dict(zip(_COLUMNS, _fit(row), strict=True)))
    values = {field: getattr(entry, field) for field in _FIELDS}
    if entry.kind != _TAG:
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
    url = _post_url(post)
    _save(_post_row(post, _visibility(community), tag_names, url))
    if post.kind == Post.Kind.QUESTION:
        # Answers are titled by their question and carry its tags: keep them in step.
        for answer in Answer.objects.filter(question=post, deleted_at__isnull=True):
            answer_url = _answer_url(url, answer.pk)
            _save(_answer_row(answer, post, _visibility(community), tag_names, answer_url))


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
    url = _answer_url(_url("expertise:question", question.pk), answer.pk)
    _save(_answer_row(answer, question, _visibility(community), _tag_names(question), url))


@transaction.atomic
def index_comment(comment: Comment) -> None:
    """Index a comment; a deleted one, or one on a deleted post, leaves the index."""
    post = comment.post
    if comment.deleted_at is not None or post.deleted_at is not None:
        _remove(SearchEntry.objects.filter(kind=Kind.COMMENT, object_id=comment.pk))
        return
    community = post.community if post.community_id else None
    url = _comment_url(_post_url(post), comment.pk)
    _save(_comment_row(comment, post, _visibility(community), url))


@transaction.atomic
def index_community(community: Community) -> None:
    """Index a community, and carry its visibility to its posts' entries (and theirs)."""
    _save(_community_row(community))
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
    url = _url("people:profile", user.pk)
    _save(_person_row(user, profile, _person_skills(user), url))


@transaction.atomic
def index_tag(tag: Tag) -> None:
    """Index a hashtag, with the names of the skill it stands for."""
    _save(_tag_row(tag))


# Bulk indexing (the rebuild, imports). The data is read a batch at a time in the caller's
# thread; turning a batch into rows (text cleaning, language, URLs) is pure Python, done by
# a worker thread while the caller's thread writes the previous batch: the database works
# (PostgreSQL computes the tsvectors) while Python builds.

# A batch: data read from the database, and the pure function that turns it into rows.
Job = Callable[[], list[Row]]


class _PostData(NamedTuple):
    """The fields of a post that its entry reads."""

    pk: int
    kind: str
    title: str
    body: str
    language: str
    community_id: int | None
    author_id: int
    created_at: datetime


class _AnswerData(NamedTuple):
    """The fields of an answer that its entry reads."""

    pk: int
    body: str
    language: str
    author_id: int
    created_at: datetime
    accepted_at: datetime | None
    score: int


class _CommentData(NamedTuple):
    """The fields of a comment that its entry reads."""

    pk: int
    body: str
    author_id: int
    created_at: datetime


class _ParentData(NamedTuple):
    """The fields of the post an answer or a comment belongs to that its entry reads."""

    pk: int
    title: str
    kind: str
    community_id: int | None


_POST_FIELDS = _PostData._fields
_PARENT = ("pk", "title", "kind", "community_id")
_ANSWER_FIELDS = (*_AnswerData._fields, *(f"question__{field}" for field in _PARENT))
_COMMENT_FIELDS = (*_CommentData._fields, *(f"post__{field}" for field in _PARENT))


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """`rows` in lists of `size` (the last one shorter)."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _parent_url(urls: _IdUrls, parent: Any) -> str:
    """The page of a post, or of the post an answer or a comment belongs to."""
    name = "expertise:question" if parent.kind == _QUESTION else "social:post"
    return urls(name, parent.pk)


def _post_rows(
    data: list[tuple[Any, ...]],
    tag_names: dict[int, list[str]],
    visibilities: dict[int, str],
    urls: _IdUrls,
) -> list[Row]:
    """The entry rows of posts read as _POST_FIELDS."""
    rows = []
    for values in data:
        post = _PostData._make(values)
        visibility = visibilities.get(post.community_id, _PUBLIC)
        tags = tag_names.get(post.pk, ())
        rows.append(_fit(_post_row(post, visibility, tags, _parent_url(urls, post))))
    return rows


def _answer_rows(
    data: list[tuple[Any, ...]],
    tag_names: dict[int, list[str]],
    visibilities: dict[int, str],
    urls: _IdUrls,
) -> list[Row]:
    """The entry rows of answers read as _ANSWER_FIELDS."""
    rows = []
    size = len(_AnswerData._fields)
    for values in data:
        answer = _AnswerData._make(values[:size])
        question = _ParentData._make(values[size:])
        url = _answer_url(urls("expertise:question", question.pk), answer.pk)
        visibility = visibilities.get(question.community_id, _PUBLIC)
        tags = tag_names.get(question.pk, ())
        rows.append(_fit(_answer_row(answer, question, visibility, tags, url)))
    return rows


def _comment_rows(
    data: list[tuple[Any, ...]], visibilities: dict[int, str], urls: _IdUrls
) -> list[Row]:
    """The entry rows of comments read as _COMMENT_FIELDS."""
    rows = []
    size = len(_CommentData._fields)
    for values in data:
        comment = _CommentData._make(values[:size])
        post = _ParentData._make(values[size:])
        url = _comment_url(_parent_url(urls, post), comment.pk)
        visibility = visibilities.get(post.community_id, _PUBLIC)
        rows.append(_fit(_comment_row(comment, post, visibility, url)))
    return rows


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    """Tag names by post id, in the order of `pairs`."""
    names: dict[int, list[str]] = {}
    for post_id, name in pairs:
        names.setdefault(post_id, []).append(name)
    return names


def _with_skills(people: QuerySet[User]) -> QuerySet[User]:
    """The active ones of `people`, with what their entries read."""
    people = people.filter(is_active=True).select_related("profile__org_unit")
    return people.prefetch_related(
        Prefetch("declared_skills", queryset=ProfileSkill.objects.select_related("skill"))
    )


def _people_jobs(people: Iterable[User], urls: _IdUrls) -> Iterator[Job]:
    """Jobs for people: their rows are made here, from the ORM's objects and prefetches."""
    for chunk in _chunks(people, PEOPLE_BATCH):
        rows = [
            _fit(
                _person_row(
                    user,
                    getattr(user, "profile", None),
                    user.declared_skills.all(),
                    urls("people:profile", user.pk),
                )
            )
            for user in chunk
        ]
        yield partial(list, rows)


def _rebuild_jobs(urls: _IdUrls) -> Iterator[Job]:
    """Jobs for every active person, community, remaining post, answer, comment and tag."""
    people = _with_skills(User.objects.all())
    yield from _people_jobs(people.iterator(chunk_size=PEOPLE_BATCH), urls)
    communities = list(Community.objects.all())
    visibilities = {c.pk: c.visibility for c in communities}
    yield partial(list, [_fit(_community_row(c)) for c in communities])
    through = Post.tags.through.objects
    posts = Post.objects.filter(deleted_at__isnull=True).order_by("pk").values_list(*_POST_FIELDS)
    for chunk in _chunks(posts.iterator(chunk_size=REBUILD_BATCH), REBUILD_BATCH):
        # Posts come in id order: the tags of the chunk's id range, in the order they were put.
        pairs = through.filter(post_id__gte=chunk[0][0], post_id__lte=chunk[-1][0])
        tag_names = _grouped(pairs.values_list("post_id", "tag__name").order_by("post_id", "id"))
        yield partial(_post_rows, chunk, tag_names, visibilities, urls)
    answers = Answer.objects.filter(deleted_at__isnull=True, question__deleted_at__isnull=True)
    pairs = through.filter(post_id__in=answers.values("question_id"))
    tag_names = _grouped(pairs.values_list("post_id", "tag__name").order_by("post_id", "id"))
    answers = answers.order_by("pk").values_list(*_ANSWER_FIELDS)
    for chunk in _chunks(answers.iterator(chunk_size=REBUILD_BATCH), REBUILD_BATCH):
        yield partial(_answer_rows, chunk, tag_names, visibilities, urls)
    comments = Comment.objects.filter(deleted_at__isnull=True, post__deleted_at__isnull=True)
    comments = comments.order_by("pk").values_list(*_COMMENT_FIELDS)
    for chunk in _chunks(comments.iterator(chunk_size=REBUILD_BATCH), REBUILD_BATCH):
        yield partial(_comment_rows, chunk, visibilities, urls)
    tags = Tag.objects.select_related("skill")
    for chunk in _chunks(tags.iterator(chunk_size=REBUILD_BATCH), REBUILD_BATCH):
        yield partial(list, [_fit(_tag_row(tag)) for tag in chunk])


def _built(jobs: Iterable[Job], *, threaded: bool) -> Iterator[list[Row]]:
    """Each job's rows; threaded, the next job is built while the caller writes these."""
    if not threaded:
        yield from (job() for job in jobs)
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index") as worker:
        pending: Future[list[Row]] | None = None
        for job in jobs:  # reads the job's data: the database connection stays in this thread
            submitted = worker.submit(job)
            if pending is not None:
                yield pending.result()
            pending = submitted
        if pending is not None:
            yield pending.result()


def _id_urls() -> _IdUrls:
    """The id routes of indexed objects, for this thread's URLconf and script prefix."""
    return _IdUrls("people:profile", "social:post", "expertise:question")


def _write_jobs(jobs: Iterable[Job], urls: _IdUrls) -> dict[str, int]:
    """Insert the jobs' rows as new entries with their full-text data; count them by kind."""
    counts = dict.fromkeys(Kind.values, 0)
    with backend().inserting() as insert:
        # The worker thread only when the URLs need no reverse() (which reads thread locals).
        for rows in _built(jobs, threaded=urls.exact):
            insert(rows)
            for row in rows:
                counts[row[0]] += 1
    return counts


@transaction.atomic
def search_rebuild() -> dict[str, int]:
    """Rebuild the whole index from the data; return how many entries of each kind it holds."""
    engine = backend()
    SearchEntry.objects.all().delete()
    engine.delete_all()
    urls = _id_urls()
    counts = _write_jobs(_rebuild_jobs(urls), urls)
    engine.after_rebuild()
    return counts


def _imported_jobs(
    people: QuerySet[User],
    posts: QuerySet[Post],
    answers: QuerySet[Answer],
    comments: QuerySet[Comment],
    urls: _IdUrls,
) -> Iterator[Job]:
    """Jobs for the given people, posts, answers and comments, in their querysets' order."""
    yield from _people_jobs(_with_skills(people), urls)
    visibilities = dict(Community.objects.values_list("pk", "visibility"))
    through = Post.tags.through.objects
    # A post's tags in the order of post.tags.all() (Tag.Meta.ordering), as a prefetch reads.
    by_name = "tag__normalized"
    pairs = through.filter(post_id__in=posts.values("pk")).order_by(by_name)
    tag_names = _grouped(pairs.values_list("post_id", "tag__name"))
    rows = posts.values_list(*_POST_FIELDS).iterator(chunk_size=REBUILD_BATCH)
    for chunk in _chunks(rows, REBUILD_BATCH):
        yield partial(_post_rows, chunk, tag_names, visibilities, urls)
    pairs = through.filter(post_id__in=answers.values("question_id")).order_by(by_name)
    tag_names = _grouped(pairs.values_list("post_id", "tag__name"))
    rows = answers.values_list(*_ANSWER_FIELDS).iterator(chunk_size=REBUILD_BATCH)
    for chunk in _chunks(rows, REBUILD_BATCH):
        yield partial(_answer_rows, chunk, tag_names, visibilities, urls)
    rows = comments.values_list(*_COMMENT_FIELDS).iterator(chunk_size=REBUILD_BATCH)
    for chunk in _chunks(rows, REBUILD_BATCH):
        yield partial(_comment_rows, chunk, visibilities, urls)


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
    urls = _id_urls()
    _write_jobs(_imported_jobs(people, posts, answers, comments, urls), urls)
