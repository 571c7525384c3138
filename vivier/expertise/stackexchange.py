"""Stack Exchange dumps (Posts, Users, Comments, Tags .xml) read and imported as Q&A.

Content of Stack Exchange sites is licensed CC BY-SA by its authors; an imported community
says where its content comes from in its description, with the attribution the licence asks.
"""

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from django.db import transaction
from django.utils.text import slugify

from vivier.accounts.models import User
from vivier.core.markdown import render_markdown
from vivier.core.text import detect_language
from vivier.expertise.models import Answer, ImportRecord
from vivier.people.models import Profile
from vivier.search import services as search
from vivier.social.models import Comment, Community, Membership, Post, Tag
from vivier.social.selectors import tag_fold
from vivier.social.services import tag_get_or_create

FILES = ("Posts.xml", "Users.xml", "Comments.xml", "Tags.xml")
QUESTION, ANSWER = "1", "2"
ATTRIBUTION = (
    "Content from %(site)s (https://%(site)s), user contributions licensed under CC BY-SA, "
    "from the Stack Exchange Data Dump."
)
_TAGS = re.compile(r"<([^<>]+)>|\|([^|]+)")


class DumpError(Exception):
    """The dump cannot be imported; the message names the file and the problem."""


@dataclass
class DumpPost:
    """A question or an answer of the dump."""

    id: int
    type: str
    created_at: datetime
    body: str  # markdown-like text from the post's HTML
    owner: int | None
    title: str = ""
    tags: list[str] = field(default_factory=list)
    parent: int | None = None
    accepted_answer: int | None = None
    score: int = 0


@dataclass
class DumpComment:
    """A comment of the dump, on a question or an answer."""

    id: int
    post: int
    created_at: datetime
    text: str
    user: int | None


@dataclass
class Dump:
    """What a dump holds that the import needs."""

    site: str
    users: dict[int, str]  # id -> display name
    posts: dict[int, DumpPost]
    comments: list[DumpComment]
    tags: list[str]

    def questions(self) -> Iterator[DumpPost]:
        """The questions, oldest first."""
        return (p for p in self.posts.values() if p.type == QUESTION)


@dataclass
class ImportStats:
    """What one import created (a second import of the same dump creates nothing)."""

    people: int = 0
    questions: int = 0
    answers: int = 0
    comments: int = 0
    skipped: int = 0  # answers and comments without an author (deleted accounts)


_BLOCK_END = re.compile(r"</(p|div|li|h[1-6]|blockquote|pre|tr)>|<br\s*/?>|<hr\s*/?>", re.I)
_LINK = re.compile(r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.I | re.S)
_CODE = re.compile(r"</?code>", re.I)
_ITEM = re.compile(r"<li[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n{3,}")


def html_to_text(value: str) -> str:
    """The text of a post's HTML, as markdown: paragraphs, list items, links and code kept."""
    text = _LINK.sub(lambda m: f"[{_TAG.sub('', m.group(2))}]({m.group(1)})", value)
    text = _ITEM.sub("\n- ", text)
    text = _CODE.sub("`", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html.unescape(_TAG.sub("", text))
    return _BLANKS.sub("\n\n", text).strip()


def _date(value: str | None, where: str) -> datetime:
    try:
        return datetime.fromisoformat(value or "").replace(tzinfo=UTC)
    except ValueError as exc:
        raise DumpError(f"{where}: the date {value!r} is not a date.") from exc


def _int(value: str | None, where: str, name: str, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            raise DumpError(f"{where}: {name} is missing.")
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise DumpError(f"{where}: {name} {value!r} is not a number.") from exc


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """The attributes of each <row> of a dump file; broken XML is a DumpError."""
    try:
        for _event, element in SafeET.iterparse(path):
            if element.tag == "row":
                yield dict(element.attrib)
                element.clear()
    except ParseError as exc:
        raise DumpError(f"{path.name}: not well-formed XML ({exc}).") from exc
    except SafeET.DefusedXmlException as exc:
        raise DumpError(f"{path.name}: refused, it uses unsafe XML features ({exc}).") from exc


def read_dump(directory: str | Path) -> Dump:
    """Read and check a dump's folder: every file there, every reference known."""
    folder = Path(directory)
    if not folder.is_dir():
        raise DumpError(f"{folder}: no such folder.")
    missing = [name for name in FILES if not (folder / name).is_file()]
    if missing:
        raise DumpError(f"{folder}: missing {', '.join(missing)}.")
    users: dict[int, str] = {}
    for row in _rows(folder / "Users.xml"):
        where = f"Users.xml row Id={row.get('Id')}"
        users[_int(row.get("Id"), where, "Id")] = (row.get("DisplayName") or "").strip()
    posts: dict[int, DumpPost] = {}
    for row in _rows(folder / "Posts.xml"):
        where = f"Posts.xml row Id={row.get('Id')}"
        kind = row.get("PostTypeId")
        if kind not in (QUESTION, ANSWER):
            continue  # tag wikis, moderator nominations…: not questions or answers
        post = DumpPost(
            id=_int(row.get("Id"), where, "Id"),
            type=kind,
            created_at=_date(row.get("CreationDate"), where),
            body=html_to_text(row.get("Body") or ""),
            owner=_int(row.get("OwnerUserId"), where, "OwnerUserId", required=False),
            title=(row.get("Title") or "").strip(),
            tags=[a or b for a, b in _TAGS.findall(row.get("Tags") or "")],
            parent=_int(row.get("ParentId"), where, "ParentId", required=kind == ANSWER),
            accepted_answer=_int(
                row.get("AcceptedAnswerId"), where, "AcceptedAnswerId", required=False
            ),
            score=_int(row.get("Score"), where, "Score", required=False) or 0,
        )
        if post.owner is not None and post.owner not in users:
            raise DumpError(f"{where}: OwnerUserId {post.owner} is not in Users.xml.")
        posts[post.id] = post
    for post in posts.values():
        if post.type == ANSWER:
            parent = posts.get(post.parent)
            if parent is None or parent.type != QUESTION:
                raise DumpError(
                    f"Posts.xml row Id={post.id}: ParentId {post.parent} is not a question."
                )
    comments: list[DumpComment] = []
    for row in _rows(folder / "Comments.xml"):
        where = f"Comments.xml row Id={row.get('Id')}"
        comment = DumpComment(
            id=_int(row.get("Id"), where, "Id"),
            post=_int(row.get("PostId"), where, "PostId"),
            created_at=_date(row.get("CreationDate"), where),
            text=(row.get("Text") or "").strip(),
            user=_int(row.get("UserId"), where, "UserId", required=False),
        )
        if comment.post not in posts:
            # Comments on tag wikis and other non-Q&A posts are not imported.
            continue
        if comment.user is not None and comment.user not in users:
            raise DumpError(f"{where}: UserId {comment.user} is not in Users.xml.")
        comments.append(comment)
    tags = [row.get("TagName", "") for row in _rows(folder / "Tags.xml") if row.get("TagName")]
    return Dump(site=folder.name, users=users, posts=posts, comments=comments, tags=tags)


class _Records:
    """The import records of one source: what was already imported, and new ones to write."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.known = {
            r.key: r.object_id
            for r in ImportRecord.objects.filter(source=source).only("key", "object_id")
        }

    def get(self, key: str) -> int | None:
        return self.known.get(key)

    def add(self, key: str, obj: object) -> None:
        ImportRecord.objects.create(
            source=self.source, key=key, object_type=type(obj).__name__.lower(), object_id=obj.pk
        )
        self.known[key] = obj.pk


def _person(dump: Dump, records: _Records, user_id: int, stats: ImportStats) -> int:
    """The account of a dump user, created the first time (no password: it cannot sign in)."""
    key = f"user:{user_id}"
    existing = records.get(key)
    if existing is not None:
        return existing
    name = dump.users.get(user_id) or f"user{user_id}"
    first, _space, last = name.partition(" ")
    user = User.objects.create_user(
        email=f"user{user_id}@{slugify(dump.site) or 'import'}.invalid",
        password=None,
        first_name=first[:150],
        last_name=last[:150],
        language="en",
    )
    Profile.objects.create(user=user, search_text=name.lower()[:600])
    records.add(key, user)
    stats.people += 1
    return user.pk


def _community(dump: Dump, name: str | None) -> Community:
    """The community the dump goes into, created open the first time."""
    name = (name or dump.site)[:120]
    slug = slugify(name)[:140] or "stackexchange"
    community = Community.objects.filter(slug=slug).first()
    if community is None:
        community = Community.objects.create(
            name=name,
            slug=slug,
            description=ATTRIBUTION % {"site": dump.site},
            visibility=Community.Visibility.OPEN,
        )
        search.index_community(community)
    return community


@transaction.atomic
def import_dump(
    dump: Dump, *, community_name: str | None = None, before: datetime | None = None
) -> ImportStats:
    """Import the dump's questions, answers and comments (those before `before`), once.

    All or nothing: one transaction. A second import of the same dump finds every object in
    the import records and creates nothing.
    """
    records = _Records(dump.site)
    stats = ImportStats()
    community = _community(dump, community_name)
    members = set(Membership.objects.filter(community=community).values_list("user_id", flat=True))
    tags: dict[str, Tag] = {}

    def in_window(created_at: datetime) -> bool:
        return before is None or created_at < before

    def person(user_id: int) -> int:
        pk = _person(dump, records, user_id, stats)
        if pk not in members:
            Membership.objects.create(community=community, user_id=pk)
            members.add(pk)
        return pk

    def tag(name: str) -> Tag | None:
        if not tag_fold(name):
            return None
        if name not in tags:
            tags[name] = tag_get_or_create(name=name)
        return tags[name]

    new_posts: list[Post] = []
    question_ids: dict[int, int] = {}
    for item in sorted(dump.questions(), key=lambda p: (p.created_at, p.id)):
        if not in_window(item.created_at):
            continue
        key = f"post:{item.id}"
        existing = records.get(key)
        if existing is not None:
            question_ids[item.id] = existing
            continue
        if item.owner is None:
            stats.skipped += 1
            continue
        post = Post(
            author_id=person(item.owner),
            kind=Post.Kind.QUESTION,
            title=item.title[:200],
            body=item.body or item.title,
            body_html=render_markdown(item.body),
            language=detect_language(f"{item.title} {item.body}"),
            community=community,
        )
        post.save()
        Post.objects.filter(pk=post.pk).update(
            created_at=item.created_at, updated_at=item.created_at
        )
        post.created_at = item.created_at
        post.tags.set([t for t in (tag(name) for name in item.tags) if t is not None])
        records.add(key, post)
        question_ids[item.id] = post.pk
        new_posts.append(post)
        stats.questions += 1

    new_answers: list[Answer] = []
    answers = [p for p in dump.posts.values() if p.type == ANSWER and in_window(p.created_at)]
    for item in sorted(answers, key=lambda p: (p.created_at, p.id)):
        key = f"post:{item.id}"
        if records.get(key) is not None:
            continue
        question = dump.posts[item.parent]
        if item.owner is None or item.parent not in question_ids:
            stats.skipped += 1
            continue
        answer = Answer.objects.create(
            question_id=question_ids[item.parent],
            author_id=person(item.owner),
            body=item.body or "…",
            body_html=render_markdown(item.body),
            language=detect_language(item.body),
            score=item.score,
            accepted_at=item.created_at if question.accepted_answer == item.id else None,
        )
        Answer.objects.filter(pk=answer.pk).update(
            created_at=item.created_at, updated_at=item.created_at
        )
        answer.created_at = item.created_at
        records.add(key, answer)
        new_answers.append(answer)
        stats.answers += 1

    new_comments: list[Comment] = []
    for item in sorted(dump.comments, key=lambda c: (c.created_at, c.id)):
        key = f"comment:{item.id}"
        if not in_window(item.created_at) or records.get(key) is not None:
            continue
        target = dump.posts[item.post]
        question_id = question_ids.get(target.id if target.type == QUESTION else target.parent)
        if item.user is None or question_id is None or not item.text:
            stats.skipped += 1
            continue
        comment = Comment.objects.create(
            post_id=question_id,
            author_id=person(item.user),
            body=item.text,
            body_html=render_markdown(item.text),
        )
        Comment.objects.filter(pk=comment.pk).update(
            created_at=item.created_at, updated_at=item.created_at
        )
        comment.created_at = item.created_at
        records.add(key, comment)
        new_comments.append(comment)
        stats.comments += 1

    _recount(community, question_ids.values())
    search.index_imported(
        people=User.objects.filter(pk__in=members),
        posts=Post.objects.filter(pk__in=[p.pk for p in new_posts]),
        answers=Answer.objects.filter(pk__in=[a.pk for a in new_answers]),
        comments=Comment.objects.filter(pk__in=[c.pk for c in new_comments]),
    )
    return stats


def _recount(community: Community, question_ids) -> None:
    """Set the counters the pages show: answers and comments per question, community sizes."""
    from django.db.models import Count, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    ids = list(question_ids)
    for field_name, model, link in (
        ("answer_count", Answer, "question"),
        ("comment_count", Comment, "post"),
    ):
        counted = (
            model.objects.filter(**{link: OuterRef("pk")}, deleted_at__isnull=True)
            .values(link)
            .annotate(n=Count("pk"))
            .values("n")
        )
        Post.objects.filter(pk__in=ids).update(
            **{field_name: Coalesce(Subquery(counted), Value(0))}
        )
    Community.objects.filter(pk=community.pk).update(
        member_count=Membership.objects.filter(community=community).count(),
        post_count=Post.objects.filter(community=community, deleted_at__isnull=True).count(),
    )
