"""Importing Stack Exchange dumps, and the evaluation command, on small dumps written here."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count

from vivier.accounts.models import User
from vivier.expertise.models import Answer, AnswerCount, ImportRecord
from vivier.expertise.stackexchange import DumpError, html_to_text, import_dump, read_dump
from vivier.search.models import SearchEntry
from vivier.social.models import Comment, Community, Post

SITE = "cheese.stackexchange.com"


def _xml(root: str, rows: list[dict]) -> str:
    lines = [
        f"<row {' '.join(f'{k}={quoteattr(str(v))}' for k, v in row.items())} />" for row in rows
    ]
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>\n' + "\n".join(lines) + f"\n</{root}>\n"
    )


def _question(pk, owner, day, title, tags, accepted=None, year=2016):
    row = {
        "Id": pk,
        "PostTypeId": 1,
        "CreationDate": f"{year}-03-{day:02d}T10:00:00.000",
        "Score": 3,
        "Body": f"<p>{title} Any advice?</p>",
        "OwnerUserId": owner,
        "Title": title,
        "Tags": "".join(f"<{t}>" for t in tags),
    }
    if accepted:
        row["AcceptedAnswerId"] = accepted
    return row


def _answer(pk, parent, owner, day, body, year=2016, score=1):
    return {
        "Id": pk,
        "PostTypeId": 2,
        "ParentId": parent,
        "CreationDate": f"{year}-03-{day:02d}T12:00:00.000",
        "Score": score,
        "Body": f"<p>{body}</p>",
        "OwnerUserId": owner,
    }


def write_dump(folder: Path, *, posts=None, users=None, comments=None, tags=None) -> Path:
    """A small dump: cheese experts (1: aging, 2: milk), askers 3 and 4, later questions."""
    folder = folder / SITE
    folder.mkdir(parents=True, exist_ok=True)
    users = users or [
        {"Id": i, "DisplayName": name, "CreationDate": "2015-01-01T00:00:00.000"}
        for i, name in (
            (1, "Ada Affineur"),
            (2, "Bruno Lait"),
            (3, "Chloé"),
            (4, "Dan"),
            (5, "Eve"),
        )
    ]
    posts = posts or [
        _question(10, 3, 1, "How long to age a cheddar cheese", ["aging", "cheddar"], accepted=11),
        _answer(11, 10, 1, 1, "Age cheddar in a cave for twelve months at ten degrees."),
        _answer(12, 10, 2, 2, "I would not know, maybe ask the cheesemonger."),
        _question(13, 4, 3, "Raw milk or pasteurized milk for camembert", ["milk"], accepted=14),
        _answer(14, 13, 2, 3, "Raw milk gives camembert a richer taste; pasteurized is safer."),
        _question(15, 3, 4, "Cave humidity for aging tomme", ["aging"], accepted=16),
        _answer(16, 15, 1, 5, "Keep cave humidity near ninety percent when aging tomme."),
        # After the cutoff (2017): the questions the evaluation asks about.
        _question(20, 4, 1, "Aging gouda in a cave: how long", ["aging"], accepted=21, year=2017),
        _answer(21, 20, 1, 2, "Gouda ages from four weeks to a year in the cave.", year=2017),
        _question(22, 3, 3, "Which milk for a soft camembert", ["milk"], accepted=23, year=2017),
        _answer(23, 22, 2, 4, "Use raw cow milk for camembert.", year=2017),
        # A tag wiki: not a question or an answer, skipped.
        {"Id": 30, "PostTypeId": 4, "CreationDate": "2016-01-01T00:00:00.000", "Body": "x"},
        # An answer whose author deleted their account.
        {**_answer(31, 13, 2, 6, "Orphan answer."), "OwnerUserId": ""},
    ]
    comments = comments or [
        {
            "Id": 1,
            "PostId": 11,
            "Score": 0,
            "Text": "Twelve months for a mature cheddar indeed.",
            "CreationDate": "2016-03-02T10:00:00.000",
            "UserId": 5,
        },
        {"Id": 2, "PostId": 30, "Text": "On the wiki.", "CreationDate": "2016-03-02T10:00:00.000"},
    ]
    tags = tags or [{"Id": 1, "TagName": "aging"}, {"Id": 2, "TagName": "milk"}]
    for name, root, rows in (
        ("Posts.xml", "posts", posts),
        ("Users.xml", "users", users),
        ("Comments.xml", "comments", comments),
        ("Tags.xml", "tags", tags),
    ):
        (folder / name).write_text(_xml(root, rows), encoding="utf-8")
    return folder


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Post.objects.count(),
        Answer.objects.count(),
        Comment.objects.count(),
        SearchEntry.objects.count(),
        ImportRecord.objects.count(),
    )


def test_import_creates_people_questions_answers_comments_and_is_idempotent(db, tmp_path):
    folder = write_dump(tmp_path)
    out = StringIO()
    call_command("import_stackexchange", str(folder), "--community", "Fromages", stdout=out)
    assert "5 people, 5 questions, 6 answers, 1 comments" in out.getvalue()

    community = Community.objects.get(slug="fromages")
    assert "CC BY-SA" in community.description
    question = Post.objects.get(title="How long to age a cheddar cheese")
    assert question.kind == Post.Kind.QUESTION and question.community == community
    assert question.created_at == datetime(2016, 3, 1, 10, 0, tzinfo=UTC)
    assert sorted(t.name for t in question.tags.all()) == ["aging", "cheddar"]
    assert question.answer_count == 2 and question.comment_count == 1
    accepted = Answer.objects.get(question=question, accepted_at__isnull=False)
    assert accepted.author.get_full_name() == "Ada Affineur"
    assert not accepted.author.has_usable_password()
    assert accepted.author.email.endswith(".invalid")
    assert SearchEntry.objects.filter(kind="answer", author_id=accepted.author_id).exists()
    assert community.member_count == 5

    before = _counts()
    call_command("import_stackexchange", str(folder), "--community", "Fromages", stdout=StringIO())
    assert _counts() == before
    # The bulk inserts kept the live-answer counts the expert ranking relies on.
    live = Answer.objects.filter(deleted_at__isnull=True).order_by().values_list("author_id")
    assert dict(AnswerCount.objects.exclude(live=0).values_list("user_id", "live")) == dict(
        live.annotate(n=Count("id"))
    )
    assert sum(AnswerCount.objects.values_list("live", flat=True)) == 6


def test_import_up_to_a_date_then_the_rest(db, tmp_path):
    dump = read_dump(write_dump(tmp_path))
    first = import_dump(dump, before=datetime(2017, 1, 1, tzinfo=UTC))
    assert (first.questions, first.answers) == (3, 4)
    second = import_dump(dump)
    assert (second.questions, second.answers, second.people) == (2, 2, 0)
    assert Post.objects.filter(kind="question").count() == 5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: (f / "Users.xml").unlink(), "missing Users.xml"),
        (
            lambda f: (f / "Posts.xml").write_text("<posts><row Id='1'"),
            "Posts.xml: not well-formed",
        ),
        (
            lambda f: (f / "Posts.xml").write_text(
                _xml("posts", [_answer(5, 99, 1, 1, "Lost answer.")])
            ),
            "ParentId 99 is not a question",
        ),
        (
            lambda f: (f / "Posts.xml").write_text(
                _xml("posts", [_question(5, 77, 1, "Who am I", [])])
            ),
            "OwnerUserId 77 is not in Users.xml",
        ),
        (
            lambda f: (f / "Posts.xml").write_text(
                _xml("posts", [{**_question(5, 1, 1, "When", []), "CreationDate": "yesterday"}])
            ),
            "is not a date",
        ),
        (
            lambda f: (f / "Comments.xml").write_text(
                _xml("comments", [{"Id": "x", "PostId": 1, "CreationDate": "2016-01-01"}])
            ),
            "Id 'x' is not a number",
        ),
        (
            lambda f: (f / "Posts.xml").write_text(
                '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
                "<posts>&b;</posts>"
            ),
            "unsafe XML",
        ),
    ],
)
def test_malformed_dumps_are_refused_by_name_and_nothing_is_imported(db, tmp_path, change, message):
    folder = write_dump(tmp_path)
    change(folder)
    before = _counts()
    with pytest.raises(CommandError, match=message):
        call_command("import_stackexchange", str(folder), stdout=StringIO())
    assert _counts() == before


def test_missing_folder_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no such folder"):
        call_command("import_stackexchange", str(tmp_path / "nowhere"))


def test_an_interrupted_import_leaves_nothing(db, tmp_path, monkeypatch):
    dump = read_dump(write_dump(tmp_path))

    def fail(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("vivier.search.services.index_imported", fail)
    before = _counts()
    with pytest.raises(RuntimeError):
        import_dump(dump)
    assert _counts() == before


def test_html_becomes_markdown_text():
    html = '<p>Use <code>salt</code> &amp; <a href="https://x.test/a">this <em>guide</em></a>.</p><ul><li>one</li><li>two</li></ul>'
    assert html_to_text(html) == "Use `salt` & [this guide](https://x.test/a).\n\n- one\n\n- two"


def test_dump_errors_are_dump_errors(tmp_path):
    with pytest.raises(DumpError):
        read_dump(tmp_path)


def test_evaluation_command_reports_json_and_ranks_the_answerer_first(tmp_path):
    """Run as people run it: its own process, a database file that must stay untouched."""
    folder = write_dump(tmp_path)
    database = tmp_path / "vivier.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    command = [sys.executable, "manage.py", "expertise_eval", "--stackexchange", str(folder)]
    done = subprocess.run(
        [*command, "--cutoff", "2017-01-01", "--json"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    report = json.loads(lines[-1])
    assert report["queries"] == 2
    assert report["product"] == {"mrr": 1.0, "p1": 1.0, "r10": 1.0}
    assert set(report["baselines"]) == {"most_active", "bm25_posts"}
    assert 0 <= report["baselines"]["most_active"]["mrr"] <= 1
    assert "MRR" in done.stdout
    # The evaluation ran in a throwaway database: the configured one was never created.
    assert not database.exists()


def test_evaluation_command_refuses_a_bad_cutoff(db, tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("expertise_eval", "--stackexchange", str(tmp_path), "--cutoff", "2017")
