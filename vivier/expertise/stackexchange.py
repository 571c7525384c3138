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
from defusedxml import DefusedXmlException
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
BATCH = 500
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
    except DefusedXmlException as exc:
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


def _known(source: str) -> dict[str, int]:
    """What earlier imports of `source` created: import key -> object id."""
    return dict(ImportRecord.objects.filter(source=source).values_list("key", "object_id"))


def _record(source: str, pairs: list[tuple[str, object]]) -> None:
    """Remember what this import created, so that the next one skips it."""
    ImportRecord.objects.bulk_create(
        [
            ImportRecord(
                source=source, key=key, object_type=type(obj).__name__.lower(), object_id=obj.pk
            )
            for key, obj in pairs
        ],
        batch_size=BATCH,
    )


def _backdate(model, objects: list, dates: list[datetime]) -> None:
    """Give created objects the dates of the dump (auto_now_add set them to now)."""
    for obj, when in zip(objects, dates, strict=True):
        obj.created_at = obj.updated_at = when
    model.objects.bulk_update(objects, ["created_at", "updated_at"], batch_size=BATCH)


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


def _people(
    dump: Dump, known: dict[str, int], wanted: set[int], stats: ImportStats
) -> dict[int, int]:
    """Accounts for the dump users in `wanted`, created the first time: dump id -> user id.

    They get no password, so they cannot sign in; their e-mail is in the reserved .invalid
    domain, so no message can ever reach anyone.
    """
    ids = {uid: known[f"user:{uid}"] for uid in wanted if f"user:{uid}" in known}
    new = sorted(wanted - set(ids))
    domain = slugify(dump.site) or "import"
    users = []
    for uid in new:
        name = dump.users.get(uid) or f"user{uid}"
        first, _space, last = name.partition(" ")
        user = User(
            email=f"user{uid}@{domain}.invalid",
            first_name=first[:150],
            last_name=last[:150],
            language="en",
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=BATCH)
    Profile.objects.bulk_create(
        [Profile(user=u, search_text=f"{u.first_name} {u.last_name}".lower()[:600]) for u in users],
        batch_size=BATCH,
    )
    _record(dump.site, [(f"user:{uid}", user) for uid, user in zip(new, users, strict=True)])
    ids.update({uid: user.pk for uid, user in zip(new, users, strict=True)})
    stats.people += len(users)
    return ids


@transaction.atomic
def import_dump(
    dump: Dump, *, community_name: str | None = None, before: datetime | None = None
) -> ImportStats:
    """Import the dump's questions, answers and comments (those before `before`), once.

    All or nothing: one transaction. A second import of the same dump finds every object in
    the import records and creates nothing.
    """
    known = _known(dump.site)
    stats = ImportStats()
    community = _community(dump, community_name)

    def wanted(created_at: datetime, key: str) -> bool:
        return (before is None or created_at < before) and key not in known

    questions = [
        q for q in dump.questions() if wanted(q.created_at, f"post:{q.id}") and q.owner is not None
    ]
    answers = [
        a
        for a in dump.posts.values()
        if a.type == ANSWER and wanted(a.created_at, f"post:{a.id}") and a.owner is not None
    ]
    comments = [
        c for c in dump.comments if wanted(c.created_at, f"comment:{c.id}") and c.user and c.text
    ]
    # The question each answer and comment belongs to, imported now or before.
    question_ids = {
        q.id: known[f"post:{q.id}"] for q in dump.questions() if f"post:{q.id}" in known
    }
    # Answers and comments whose question is neither imported now nor before are left out.
    askable = set(question_ids) | {q.id for q in questions}
    answers = [a for a in answers if a.parent in askable]

    def question_key(comment: DumpComment) -> int:
        target = dump.posts[comment.post]
        return target.id if target.type == QUESTION else target.parent

    comments = [c for c in comments if question_key(c) in askable]
    authors = {q.owner for q in questions} | {a.owner for a in answers}
    authors |= {c.user for c in comments}
    people = _people(dump, known, authors, stats)
    members = set(Membership.objects.filter(community=community).values_list("user_id", flat=True))
    Membership.objects.bulk_create(
        [Membership(community=community, user_id=pk) for pk in set(people.values()) - members],
        batch_size=BATCH,
    )

    questions.sort(key=lambda p: (p.created_at, p.id))
    posts = [
        Post(
            author_id=people[q.owner],
            kind=Post.Kind.QUESTION,
            title=q.title[:200],
            body=q.body or q.title,
            body_html=render_markdown(q.body),
            language=detect_language(f"{q.title} {q.body}"),
            community=community,
        )
        for q in questions
    ]
    Post.objects.bulk_create(posts, batch_size=BATCH)
    _backdate(Post, posts, [q.created_at for q in questions])
    tags: dict[str, Tag | None] = {}
    links = []
    for item, post in zip(questions, posts, strict=True):
        question_ids[item.id] = post.pk
        for name in dict.fromkeys(item.tags):
            if name not in tags:
                tags[name] = tag_get_or_create(name=name) if tag_fold(name) else None
            if tags[name] is not None:
                links.append(Post.tags.through(post_id=post.pk, tag_id=tags[name].pk))
    Post.tags.through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    _record(dump.site, [(f"post:{q.id}", p) for q, p in zip(questions, posts, strict=True)])
    stats.questions = len(posts)

    answers.sort(key=lambda p: (p.created_at, p.id))
    new_answers = [
        Answer(
            question_id=question_ids[a.parent],
            author_id=people[a.owner],
            body=a.body or "…",
            body_html=render_markdown(a.body),
            language=detect_language(a.body),
            score=a.score,
            accepted_at=a.created_at if dump.posts[a.parent].accepted_answer == a.id else None,
        )
        for a in answers
    ]
    Answer.objects.bulk_create(new_answers, batch_size=BATCH)
    _backdate(Answer, new_answers, [a.created_at for a in answers])
    _record(dump.site, [(f"post:{a.id}", n) for a, n in zip(answers, new_answers, strict=True)])
    stats.answers = len(new_answers)

    comments.sort(key=lambda c: (c.created_at, c.id))
    new_comments = [
        Comment(
            post_id=question_ids[question_key(c)],
            author_id=people[c.user],
            body=c.text,
            body_html=render_markdown(c.text),
        )
        for c in comments
    ]
    Comment.objects.bulk_create(new_comments, batch_size=BATCH)
    _backdate(Comment, new_comments, [c.created_at for c in comments])
    _record(
        dump.site, [(f"comment:{c.id}", n) for c, n in zip(comments, new_comments, strict=True)]
    )
    stats.comments = len(new_comments)
    stats.skipped = _skipped(dump, before)

    _recount(community, question_ids.values())
    search.index_imported(
        people=User.objects.filter(pk__in=[people[uid] for uid in authors]),
        posts=Post.objects.filter(pk__in=[p.pk for p in posts]),
        answers=Answer.objects.filter(pk__in=[a.pk for a in new_answers]),
        comments=Comment.objects.filter(pk__in=[c.pk for c in new_comments]),
    )
    return stats


def _skipped(dump: Dump, before: datetime | None) -> int:
    """How many posts and comments of the window have no author (deleted accounts)."""
    in_window = [p for p in dump.posts.values() if before is None or p.created_at < before]
    comments = [c for c in dump.comments if before is None or c.created_at < before]
    return sum(p.owner is None for p in in_window) + sum(c.user is None for c in comments)


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
